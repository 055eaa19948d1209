from __future__ import annotations

import pytest

from assessment.passwords import hash_password, password_problem, verify_password


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "at least 12"),
        ("x" * 257, "at most 256"),
        ("password1234", "too common"),
        ("Password1234", "too common"),
        ("aaaaaaaaaaaaaaaa", "too common"),
        ("officer@port.example", "e-mail"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password, problem):
    assert problem in password_problem(password, email="officer@port.example")


@pytest.mark.parametrize(
    "password", ["correct horse battery staple", "tidal-crane-lantern-7", "ÅÄÖ harbour lights çà"]
)
def test_long_passwords_without_composition_rules_are_accepted(password):
    assert password_problem(password) is None


def test_hash_is_argon2id_and_verifies():
    stored = hash_password("correct horse battery staple", fast=True)
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "correct horse battery staple")
    assert not verify_password(stored, "correct horse battery stapl")
    assert not verify_password("not a hash", "anything")
