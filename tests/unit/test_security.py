from __future__ import annotations

import pytest

from assessment.web.common.security import is_safe_next


@pytest.mark.parametrize("target", ["/home", "/admin/users?organisation=2", "/a/b#c"])
def test_local_paths_are_safe(target):
    assert is_safe_next(target)


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        "///evil.example",
        "/\t/evil.example",
        "evil.example",
        "/ok\r\nSet-Cookie: a=b",
    ],
)
def test_anything_else_is_refused(target):
    assert not is_safe_next(target)
