"""Read an HTML form as a browser would submit it, so tests post what a person would send."""

from __future__ import annotations

from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict


class _FormReader(HTMLParser):
    def __init__(self, form_selector: str | None):
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self.in_form = False
        self.selector = form_selector
        self.disabled_depth = 0
        self.fieldset_stack: list[bool] = []
        self.textarea: tuple[str, list[str]] | None = None
        self.select: tuple[str, list[str], list[str]] | None = None  # name, options, selected
        self.action: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.in_form:
            if self.selector is None or self.selector in (a.get("class") or ""):
                self.in_form = True
                self.action = a.get("action")
            return
        if not self.in_form:
            return
        if tag == "fieldset":
            disabled = "disabled" in a
            self.fieldset_stack.append(disabled)
            self.disabled_depth += disabled
            return
        if self.disabled_depth or "disabled" in a:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif kind not in {"submit", "button"}:
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self.textarea = (a["name"], [])
        elif tag == "select" and a.get("name"):
            self.select = (a["name"], [], [])
        elif tag == "option" and self.select is not None:
            self.select[1].append(a.get("value", ""))
            if "selected" in a:
                self.select[2].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if not self.in_form:
            return
        if tag == "fieldset" and self.fieldset_stack:
            self.disabled_depth -= self.fieldset_stack.pop()
        elif tag == "textarea" and self.textarea:
            text = "".join(self.textarea[1])
            # HTML: a newline right after <textarea> is not part of the value
            text = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
            self.fields.append((self.textarea[0], text))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            name, options, selected = self.select
            for value in selected or options[:1]:  # a browser sends the first option by default
                self.fields.append((name, value))
            self.select = None
        elif tag == "form":
            self.in_form = False

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1].append(data)


class Form:
    """The fields of a page's form; ``set`` replaces a field's values, as a person would."""

    def __init__(self, html: str, selector: str | None = None):
        reader = _FormReader(selector)
        reader.feed(html)
        self.fields = reader.fields

    def get(self, name: str) -> list[str]:
        return [v for k, v in self.fields if k == name]

    def set(self, name: str, *values: object) -> Form:
        self.fields = [(k, v) for k, v in self.fields if k != name]
        self.fields += [(name, str(v)) for v in values]
        return self

    def data(self, **extra: str) -> MultiDict:
        return MultiDict(self.fields + list(extra.items()))
