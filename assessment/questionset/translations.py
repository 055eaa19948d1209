"""A question set in another language: a translation file beside the set, holding only texts.

``port-cyber-baseline.nl.yaml`` translates ``port-cyber-baseline.yaml``: the same ids, the same
scores and conditions, because those are never in a translation. It names what it translates
(``translation_of``, ``version``) and its ``language``, then mirrors the set by id::

    translation_of: port-cyber-baseline
    version: 2
    language: nl
    machine_drafted: true      # until a person has confirmed it
    set: {title: ..., description: ...}
    sections: {governance: {title: ..., description: ...}}
    questions:
      gov-board-oversight:
        text: ...
        help: ...
        choices: {approved-measures: {label: ...}}
        weakness: {title: ..., why: ...}
    scales: {yes-partly-no: {partly: {label: ...}}}
    mitigations: {identity-based-release: {title: ..., how: ...}}
    threats: {container-release-fraud: {title: ..., description: ..., incidents: {0: {title: ...}}}}
    frameworks: {NIS2: {title: ...}}
    references: {NIS2-21.2.a: {title: ...}}

Every text of the set must be translated: a reader must never get half a report in one
language. Each missing text is reported at its line in the set, each unknown one at its line in
the translation. A translation applies to one version: a new version of the set needs its
translations reviewed (and their ``version`` raised) before they apply again.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .base import Phrase, about
from .crossref import KINDS, Problem, dicts, line_of
from .document import QuestionSet
from .validate import validate_data
from .yaml_io import YamlError, load_yaml

TextKey = tuple[str, ...]
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# ``machine_drafted: true`` marks a translation no person has confirmed yet (shown to
# administrators and in ``questionnaire show``); removing it, or setting it false, confirms it.
HEADER_KEYS = {"translation_of", "version", "language", "machine_drafted"}

# The texts of each kind of object, by key in the set's file.
ITEM_TEXTS = {
    "frameworks": ("title",),
    "references": ("title",),
    "mitigations": ("title", "how"),
    "threats": ("title", "description"),
}
QUESTION_TEXTS = ("text", "help", "unit")
CHOICE_TEXTS = ("label", "description")


@dataclass(frozen=True)
class Slot:
    """Where one text sits in a set's parsed file: ``container[field]``, at ``line``."""

    key: TextKey
    container: Any
    field: Any
    line: int

    @property
    def text(self) -> str:
        return self.container[self.field]


def text_slots(raw: Any) -> Iterator[Slot]:
    """Every translatable text of a parsed (valid) set, keyed by ids rather than positions."""
    if not isinstance(raw, dict):
        return
    yield from _fields(("set",), raw, ("title", "description"))
    for kind, fields in ITEM_TEXTS.items():
        for _, item in dicts(raw.get(kind)):
            key = (kind, str(item.get("id")))
            yield from _fields(key, item, fields)
            for index, incident in dicts(item.get("incidents")):
                yield from _fields((*key, "incidents", str(index)), incident, ("title",))
    scales = raw.get("scales")
    if isinstance(scales, dict):
        for name, choices in scales.items():
            yield from _choices(("scales", str(name)), choices)
    for _, section in dicts(raw.get("sections")):
        yield from _fields(("sections", str(section.get("id"))), section, ("title", "description"))
        for _, question in dicts(section.get("questions")):
            key = ("questions", str(question.get("id")))
            yield from _fields(key, question, QUESTION_TEXTS)
            yield from _choices((*key, "choices"), question.get("choices"))
            for index, level in dicts(question.get("levels")):
                yield from _fields((*key, "levels", str(index)), level, CHOICE_TEXTS)
            weakness = question.get("weakness")
            if isinstance(weakness, dict):
                yield from _fields((*key, "weakness"), weakness, ("title", "why"))


def _fields(key: TextKey, item: dict, fields: tuple[str, ...]) -> Iterator[Slot]:
    for name in fields:
        if isinstance(item.get(name), str):
            yield Slot((*key, name), item, name, line_of(item, name))


def _choices(key: TextKey, choices: Any) -> Iterator[Slot]:
    for _, choice in dicts(choices):
        yield from _fields((*key, str(choice.get("id"))), choice, CHOICE_TEXTS)


def translated_texts(raw: Any) -> dict[TextKey, tuple[Any, int]]:
    """A translation file's texts by key (leaf value, line), read from its nested mappings."""
    found: dict[TextKey, tuple[Any, int]] = {}

    def walk(node: Any, key: TextKey) -> None:
        if isinstance(node, dict):
            for name, value in node.items():
                if isinstance(value, dict | list):
                    walk(value, (*key, str(name)))
                else:
                    found[(*key, str(name))] = (value, line_of(node, name))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, (*key, str(index)))

    if isinstance(raw, dict):
        for name, value in raw.items():
            if name not in HEADER_KEYS:
                walk(value, (str(name),))
    return found


# The objects a text key names, with their id: "scale 'ypn'", "choice 'yes'".
NAMED = KINDS | {"scales": lambda item_id: Phrase("scale '%(id)s'", id=item_id)}
INNER = {
    "choices": lambda item_id: Phrase("choice '%(id)s'", id=item_id),
    "levels": lambda item_id: Phrase("level '%(id)s'", id=item_id),
    "incidents": lambda item_id: Phrase("incident '%(id)s'", id=item_id),
}


def describe(key: TextKey) -> Phrase:
    """A text's key as a person reads it: "question 'q1' choice 'yes' label". The objects
    are translated; the texts' own keys (label, title) are the file's and stay as they are."""
    head, *rest = key
    if head == "set":
        words: list[str] = [Phrase("the set")]
    elif head in NAMED and rest:
        words = [NAMED[head](rest.pop(0))]
    else:  # not a key of a set (or no id): as written in the file
        words = [f"{head} '{rest.pop(0)}'" if rest else head]
    if head == "scales" and len(rest) > 1:
        words.append(INNER["choices"](rest.pop(0)))
    while len(rest) > 1:
        part = rest.pop(0)
        words.append(INNER[part](rest.pop(0)) if part in INNER and rest else part)
    words.extend(rest)
    return _spaced(words)


def _spaced(words: list[str]) -> Phrase:
    """Words one after another; only the words are translated, not how they are joined."""
    names = [f"w{i}" for i in range(len(words))]
    template = " ".join(f"%({name})s" for name in names)
    return Phrase.joined(template, dict(zip(names, words, strict=True)))


@dataclass(frozen=True)
class Translation:
    """A checked translation: its language, and its texts by key."""

    language: str
    texts: dict[TextKey, str]
    problems: tuple[Problem, ...]
    missing: tuple[TextKey, ...]
    machine_drafted: bool = False

    @property
    def complete(self) -> bool:
        return not self.problems and not self.missing


def check_translation(
    base_raw: Any,
    base_file: str,
    data: bytes | str,
    file: str,
) -> Translation:
    """Read a translation of the set ``base_raw`` (parsed from ``base_file``) and list every
    problem: missing texts at their line in the set, the others at their line in the file."""
    try:
        raw = load_yaml(data)
    except YamlError as exc:
        problem = Problem(exc.line or 1, (), "", exc.message, file=file)
        return Translation("", {}, (problem,), ())
    problems: list[Problem] = []

    def wrong(line: int, message: Phrase) -> None:
        problems.append(Problem(line, (), "", message, file=file))

    if not isinstance(raw, dict):
        wrong(
            1,
            Phrase("a translation is a mapping: translation_of, version, language, then texts"),
        )
        return Translation("", {}, tuple(problems), ())
    language = raw.get("language")
    if not isinstance(language, str) or not LANGUAGE.match(language):
        wrong(
            line_of(raw, "language"),
            Phrase("language: give a language tag such as nl, fr or de-AT"),
        )
        language = ""
    elif language == base_raw.get("language", "en"):
        wrong(
            line_of(raw, "language"),
            Phrase("language: the set itself is in '%(language)s'", language=language),
        )
    if raw.get("translation_of") != base_raw.get("id"):
        wrong(
            line_of(raw, "translation_of"),
            Phrase(
                "translation_of: this file translates '%(given)s', not '%(id)s'",
                given=raw.get("translation_of"),
                id=base_raw.get("id"),
            ),
        )
    if raw.get("version") != base_raw.get("version"):
        wrong(
            line_of(raw, "version"),
            Phrase(
                "version: this translation is of version %(given)s; the set is version "
                "%(version)s: review what changed, then raise it",
                given=raw.get("version"),
                version=base_raw.get("version"),
            ),
        )
    drafted = raw.get("machine_drafted", False)
    if not isinstance(drafted, bool):
        wrong(line_of(raw, "machine_drafted"), Phrase("machine_drafted: write true or false"))
        drafted = True
    slots = {slot.key: slot for slot in text_slots(base_raw)}
    given = translated_texts(raw)
    texts: dict[TextKey, str] = {}
    for key, (value, line) in given.items():
        if key not in slots:
            wrong(
                line,
                about(describe(key), Phrase("not a text of %(id)s", id=base_raw.get("id"))),
            )
        elif not isinstance(value, str) or not value.strip():
            wrong(line, about(describe(key), Phrase("give the translated text")))
        else:
            texts[key] = value
    missing = tuple(key for key in slots if key not in given)
    problems.extend(
        Problem(
            slots[key].line,
            (),
            "",
            Phrase(
                "%(text)s has no '%(language)s' translation in %(file)s",
                text=describe(key),
                language=language,
                file=file,
            ),
            file=base_file,
        )
        for key in missing
    )
    return Translation(language, texts, tuple(sorted(problems)), missing, drafted)


class TranslationIncomplete(Exception):
    def __init__(self, translation: Translation):
        super().__init__("\n".join(str(p) for p in translation.problems))
        self.translation = translation


def apply_translation(base_raw: Any, translation: Translation, file: str) -> QuestionSet:
    """The set in the translation's language: the same structure with every text replaced.
    Raises TranslationIncomplete unless the translation is complete."""
    if not translation.complete:
        raise TranslationIncomplete(translation)
    raw = copy.deepcopy(base_raw)
    for slot in text_slots(raw):
        slot.container[slot.field] = translation.texts[slot.key]
    raw["language"] = translation.language
    return validate_data(raw, file)


def translation_files(base_path: Any) -> list[Any]:
    """The translation files beside a set's file: ``<name>.<language>.yaml``."""
    stem = base_path.name.removesuffix(".yaml")
    return sorted(
        path
        for path in base_path.parent.glob(f"{stem}.*.yaml")
        if LANGUAGE.match(path.name.removeprefix(stem + ".").removesuffix(".yaml"))
    )


def translations_beside(base_path: Any, base_raw: Any) -> list[tuple[Any, Translation]]:
    """Each translation file beside a set's file, checked against it."""
    return [
        (path, check_translation(base_raw, str(base_path), path.read_bytes(), str(path)))
        for path in translation_files(base_path)
    ]
