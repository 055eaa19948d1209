"""Where the templates and the shipped question sets are.

They live at the top of the repository, beside the package, so Flask's default of a folder inside
the package does not apply. Order: an environment override, then the copy packed into a wheel
(``assessment/_data``), then the repository checkout. Every file lookup goes through here.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _resolve(name: str, env_var: str) -> Path:
    override = os.environ.get(env_var)
    candidates = [Path(override)] if override else []
    candidates += [PACKAGE_DIR / "_data" / name, PACKAGE_DIR.parent / name]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise RuntimeError(f"cannot find the {name}/ folder (tried {tried}); set {env_var}")


def templates_dir() -> Path:
    return _resolve("templates", "ASSESSMENT_TEMPLATES_DIR")


def questionnaires_dir() -> Path:
    return _resolve("questionnaires", "ASSESSMENT_QUESTIONNAIRES_DIR")


def static_dir() -> Path:
    return PACKAGE_DIR / "static"


def shipped_question_sets() -> list[Path]:
    """The YAML question sets that ship with the app, default first."""
    # port-cyber-baseline.nl.yaml is a translation of port-cyber-baseline.yaml, not a set.
    files = sorted(p for p in questionnaires_dir().glob("*.yaml") if "." not in p.stem)
    return sorted(files, key=lambda p: p.name != "port-cyber-baseline.yaml")
