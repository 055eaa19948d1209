"""The adversarial suite: organisation A must never see organisation B's data.

Every test name carries the attack case numbers of section 2 of shared/security.md
(``test_case_24_...``). ``routes.py`` is the route inventory that the walks share, and
``test_route_inventory.py`` fails when the app gains a route that no walk reaches.

Tests that read only share one world per module and backend (``shared_world``); tests that
change things build their own (``world``). Known bugs are ``xfail(strict=True)`` with the reason.
Run: ``.venv/bin/pytest tests/security -q``.
"""
