"""Reading and writing question-set YAML safely, keeping line numbers for error messages.

Why not plain ``yaml.safe_load``: it expands aliases (a 341-byte "billion laughs" file becomes
millions of nodes once walked), silently keeps the last of two duplicate keys, reads ``yes`` and
``no`` as booleans (so a choice called ``no`` turns into ``False``), and forgets where each value
came from. Administrators need ``file:line: message`` for every problem, so every mapping and
list built here remembers its line.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .base import Phrase

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 50


class YamlError(Exception):
    """The text is not YAML we accept; ``line`` is 1-based, or None when unknown."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


class LineDict(dict):
    """A mapping that remembers its own line and the line of each key."""

    line: int = 0

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.key_lines: dict[Any, int] = {}


class LineList(list):
    """A sequence that remembers its own line and the line of each item."""

    line: int = 0

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.item_lines: list[int] = []


class _StrictSafeLoader(yaml.SafeLoader):
    """SafeLoader without aliases, duplicate keys or YAML 1.1 booleans."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlError(
                Phrase("aliases (*name) are not allowed; write the value out in full"),
                event.start_mark.line + 1,
            )
        # A question set is a few levels deep; a thousand nested brackets would exhaust the
        # recursion of the parser and of everything that walks the result.
        if self.depth >= MAX_DEPTH:
            raise YamlError(
                Phrase("nested more than %(levels)d levels deep", levels=MAX_DEPTH),
                self.peek_event().start_mark.line + 1,
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


# Only true/false are booleans, as in YAML 1.2: `id: no` must stay the string "no".
_StrictSafeLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictSafeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_mapping(loader: _StrictSafeLoader, node: yaml.MappingNode) -> Any:
    data = LineDict()
    data.line = node.start_mark.line + 1
    yield data
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise YamlError(Phrase("merge keys (<<) are not allowed"), key_node.start_mark.line + 1)
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool):
            raise YamlError(Phrase("a key must be a plain value"), key_node.start_mark.line + 1)
        if key in data:
            raise YamlError(
                Phrase(
                    "duplicate key '%(key)s' (first at line %(line)s)",
                    key=key,
                    line=data.key_lines[key],
                ),
                key_node.start_mark.line + 1,
            )
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = key_node.start_mark.line + 1


def _construct_sequence(loader: _StrictSafeLoader, node: yaml.SequenceNode) -> Any:
    data = LineList()
    data.line = node.start_mark.line + 1
    yield data
    for item in node.value:
        data.append(loader.construct_object(item, deep=True))
        data.item_lines.append(item.start_mark.line + 1)


_StrictSafeLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_StrictSafeLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def load_yaml(data: bytes | str) -> Any:
    """Parse one YAML document into LineDict/LineList trees; raise YamlError on anything unsafe."""
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise YamlError(
                Phrase(
                    "file is %(size)s MB; the limit is %(limit)d MB",
                    size=f"{len(data) / 1024 / 1024:.1f}",
                    limit=MAX_BYTES // 1024 // 1024,
                )
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise YamlError(Phrase("the file is not valid UTF-8 text"), line) from None
    else:
        text = data
        if len(text.encode("utf-8")) > MAX_BYTES:
            raise YamlError(
                Phrase("text is over the %(limit)d MB limit", limit=MAX_BYTES // 1024 // 1024)
            )
    try:
        # A SafeLoader subclass that also refuses aliases: safe by construction.
        return yaml.load(text, Loader=_StrictSafeLoader)  # noqa: S506  # nosec B506
    except YamlError:
        raise
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        problem = exc.problem or ""
        if "could not determine a constructor" in problem:
            said = Phrase("tags such as %(tag)s are not allowed", tag=problem.split("tag ")[-1])
        elif problem:  # PyYAML's own words, in English
            said = Phrase.joined("%(problem)s", {"problem": problem})
        else:
            said = Phrase("cannot be read")
        raise YamlError(said, mark.line + 1 if mark else None) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # PyYAML's own words ("mapping values are not allowed here") stay English.
        said = Phrase("not valid YAML: %(problem)s", problem=exc.problem or exc.context or "?")
        raise YamlError(said, mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise YamlError(Phrase("not valid YAML: %(problem)s", problem=str(exc))) from None


class _Dumper(yaml.SafeDumper):
    """Block-style dumper that writes long text as readable folded blocks."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(LineDict, yaml.SafeDumper.represent_dict)
_Dumper.add_representer(LineList, yaml.SafeDumper.represent_list)


def dump_yaml(data: Any) -> str:
    """Write plain data as YAML that ``load_yaml`` reads back to the same values."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
