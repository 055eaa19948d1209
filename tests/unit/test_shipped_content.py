"""The content of the shipped question sets: the points of issue 16 and the content parts of
issue 15, pinned mechanically (baseline v2, the small-terminal subset, the marina quick check)."""

from __future__ import annotations

import functools
import re

import pytest

from assessment import paths
from assessment.questionset import load_question_set
from assessment.scoring import score

DIR = paths.questionnaires_dir()
BASELINE = DIR / "port-cyber-baseline.yaml"
SMALL = DIR / "port-small-terminal.yaml"
MARINA = DIR / "marina-quick-check.yaml"
BASELINE_V1 = DIR / "archive" / "port-cyber-baseline-v1.yaml"
QUICK_V1 = DIR / "archive" / "port-quick-check-v1.yaml"
CHANGES = DIR.parent / "docs" / "baseline-v2-changes.md"
CURRENT = (BASELINE, SMALL, MARINA)

OT_ITEMS = {
    "cargo-handling",
    "gate-automation",
    "locks-bridges",
    "vts-sites",
    "aids-to-navigation",
    "hydro-meteo",
    "utilities",
    "other-ot",
}


@functools.cache
def load(path):
    return load_question_set(path.read_bytes(), path.name)


@pytest.fixture(scope="module")
def v2():
    return load(BASELINE)


@pytest.fixture(scope="module")
def v1():
    return load(BASELINE_V1)


def choices(question):
    """A choice question's options (inline, from a scale, or a checklist's items)."""
    return getattr(question, "options", None) or getattr(question, "choices", None) or ()


def describe(question):
    """What an answer means: the choices with their ids, labels, scores and flags."""
    return [(c.id, c.label, c.score, c.dont_know, c.not_applicable) for c in choices(question)]


def scored(question_set):
    return [q for q in question_set.questions() if q.scored]


# ---------------------------------------------------------------- files and catalogues


def test_the_archive_keeps_the_old_versions_importable():
    assert (load(BASELINE_V1).id, load(BASELINE_V1).version) == ("port-cyber-baseline", 1)
    assert (load(QUICK_V1).id, load(QUICK_V1).version) == ("port-quick-check", 1)
    assert not (DIR / "port-quick-check.yaml").exists()


def test_versions_ids_and_titles():
    assert (load(BASELINE).id, load(BASELINE).version) == ("port-cyber-baseline", 3)
    assert (load(SMALL).id, load(SMALL).version) == ("port-small-terminal", 1)
    marina = load(MARINA)
    assert (marina.id, marina.version) == ("port-quick-check", 2)
    assert "marina" in marina.title.lower()


@pytest.mark.parametrize("path", CURRENT, ids=lambda p: p.name)
def test_every_cited_reference_is_catalogued_under_a_cited_framework(path):
    question_set = load(path)
    catalogue = {r.id: r for r in question_set.references}
    frameworks = {f.id for f in question_set.frameworks}
    for question in scored(question_set):
        for ref in question.references:
            assert ref in catalogue, f"{question.id} cites {ref}"
            assert catalogue[ref].framework in frameworks, ref


@pytest.mark.parametrize("path", CURRENT, ids=lambda p: p.name)
def test_catalogues_hold_only_what_is_used(path):
    question_set = load(path)
    used = {
        kind: {i for q in scored(question_set) for i in getattr(q, kind)}
        for kind in ("mitigations", "threats", "references")
    }
    assert {m.id for m in question_set.mitigations} == used["mitigations"]
    assert {t.id for t in question_set.threats} <= used["threats"]
    if path != MARINA:
        assert {r.id for r in question_set.references} == used["references"]


# ---------------------------------------------------------------- issue 15: scoring semantics

LEADING = re.compile(
    r"good answer|\bgood:|what good looks like|\bis good\b|safe answer|"
    r"best answer|ticks? all (four|five|of them)|minimum to aim",
    re.I,
)


@pytest.mark.parametrize("path", CURRENT, ids=lambda p: p.name)
def test_help_texts_never_say_which_answer_is_good(path):
    leading = [q.id for q in load(path).questions() if q.help and LEADING.search(q.help)]
    assert not leading


# words that describe a state in which the subject exists, or a safe absence of a risk
SAFE_ABSENCE = re.compile(
    r"checked|unsupported|supplier|remote|wireless|wi-fi|gnss|"
    r"none of our|we have none|no one|nobody",
    re.I,
)


@pytest.mark.parametrize("path", CURRENT, ids=lambda p: p.name)
def test_not_applicable_only_means_the_subject_does_not_exist(path):
    for question in load(path).questions():
        for choice in choices(question):
            if choice.not_applicable:
                assert choice.label.startswith("Not applicable - "), question.id
                assert not SAFE_ABSENCE.search(choice.label), (question.id, choice.label)


@pytest.mark.parametrize(
    ("path", "question_id", "choice_id"),
    [
        (BASELINE, "vuln-unsupported-systems", "none-checked"),
        (BASELINE, "net-wireless", "no-wireless"),
        (BASELINE, "supplier-remote-access-controls", "no-remote-access"),
        (BASELINE, "ot-remote-session-control", "no-remote-ot"),
        (BASELINE, "nav-time-holdover-level", "no-gnss-dependency"),
        (MARINA, "office-visitor-wifi-separate", "no-visitor-wifi"),
        (MARINA, "sup-no-unattended-remote-tools", "none-installed"),
        (MARINA, "sup-remote-access-controls", "no-remote-suppliers"),
    ],
)
def test_a_safe_absence_is_a_choice_scoring_one(path, question_id, choice_id):
    question = load(path).question(question_id)
    by_id = {c.id: c for c in choices(question)}
    assert by_id[choice_id].score == 1
    assert not by_id[choice_id].not_applicable
    assert not any(c.not_applicable for c in choices(question))
    assert not getattr(question, "not_applicable", False)


def test_no_ot_is_answered_by_the_profile_not_by_not_applicable(v2):
    for question_id in (
        "net-it-ot-segmentation",
        "mon-it-ot-connections",
        "mon-ot-network",
        "backup-ot-configurations",
        "aware-ot-training",
    ):
        question = v2.question(question_id)
        assert question.show_if.question == "profile-systems", question_id
        assert set(question.show_if.in_) == OT_ITEMS
        assert not getattr(question, "not_applicable", False)
        assert not any(c.not_applicable for c in choices(question))


# ---------------------------------------------------------------- the profile drives the set


def test_profile_questions_are_unscored_checklists_of_roles_and_systems(v2):
    roles = v2.question("profile-roles")
    systems = v2.question("profile-systems")
    assert roles.type_name == systems.type_name == "multiple_choice"
    assert not roles.scored
    assert not systems.scored
    assert {
        "port-authority",
        "terminal-operator",
        "port-facility",
        "vts-nautical",
        "pcs-operator",
    } <= {c.id for c in roles.choices}
    assert OT_ITEMS | {"truck-gates", "handhelds"} <= {c.id for c in systems.choices}


def _shown(question_set, roles, systems, containers="no", tos="no", pcs="no", biometric="no"):
    answers = {
        "profile-roles": question_set.question("profile-roles").parse_answer(roles),
        "profile-systems": question_set.question("profile-systems").parse_answer(systems),
        "profile-containers": question_set.question("profile-containers").parse_answer(containers),
        "profile-tos": question_set.question("profile-tos").parse_answer(tos),
        "profile-pcs": question_set.question("profile-pcs").parse_answer(pcs),
        "profile-biometric": question_set.question("profile-biometric").parse_answer(biometric),
    }
    result = score(question_set, answers)
    return {q.question_id for q in result.questions if q.status != "hidden"}


def test_a_landlord_port_authority_gets_no_terminal_only_questions(v2):
    shown = _shown(v2, ["port-authority"], ["public-online"], tos="yes", pcs="use")
    terminal_only = {q.id for q in v2.section_of("release-pin-only").questions}
    assert not shown & terminal_only
    assert not shown & {q.id for q in v2.section_of("ot-undeclared-modems").questions}
    assert "gov-concession-cyber-clauses" in shown
    assert "gov-pfsa-cyber" not in shown


def test_a_vts_operator_without_cargo_ot_gets_the_nautical_ot_questions(v2):
    shown = _shown(v2, ["vts-nautical"], ["vts-sites", "aids-to-navigation", "hydro-meteo"])
    assert {
        "net-it-ot-segmentation",
        "ot-remote-session-control",
        "ot-remote-site-protection",
        "ot-nautical-data-integrity",
        "nav-position-crosscheck",
    } <= shown
    assert "ot-safety-independent" not in shown
    assert "release-pin-only" not in shown


def test_role_specific_questions(v2):
    expected = {
        "gov-pfsa-cyber": "port-facility",
        "gov-isps-security-levels": "port-facility",
        "gov-concession-cyber-clauses": "port-authority",
        "pcs-release-lookup-monitoring": "pcs-operator",
    }
    for question_id, role in expected.items():
        condition = v2.question(question_id).show_if
        assert (condition.question, condition.in_) == ("profile-roles", (role,))
    assert v2.section_of("nav-position-crosscheck").show_if.in_ == ("vts-nautical",)


def _everything_shown(question_set):
    answers = {}
    for question in question_set.sections[0].questions:
        if question.type_name == "multiple_choice":
            raw = [c.id for c in question.choices if c.id != "none"]
        else:
            ids = [c.id for c in question.options]
            raw = "yes" if "yes" in ids else ("operate" if "operate" in ids else ids[0])
        answers[question.id] = question.parse_answer(raw)
    return answers


@pytest.mark.parametrize("path", [BASELINE, SMALL], ids=lambda p: p.name)
def test_all_best_scores_100_and_all_worst_flags_every_scored_question(path):
    question_set = load(path)
    profile = _everything_shown(question_set)
    best = profile | {q.id: q.best_answer() for q in scored(question_set)}
    result = score(question_set, best)
    assert result.overall == pytest.approx(100.0)
    assert result.weaknesses == ()
    worst = profile | {q.id: q.worst_answer() for q in scored(question_set)}
    result = score(question_set, worst)
    assert result.overall == 0.0
    assert {w.question_id for w in result.weaknesses} == {q.id for q in scored(question_set)}


# ---------------------------------------------------------------- answers carry over from v1


def test_kept_v1_ids_keep_their_type_and_removed_ids_are_mapped(v1, v2):
    changes = CHANGES.read_text(encoding="utf-8")
    for question in v1.questions():
        if v2.has_question(question.id):
            assert v2.question(question.id).type_name == question.type_name, question.id
        else:
            assert re.search(rf"^\| `{re.escape(question.id)}` \|", changes, re.M), question.id


def test_choice_ids_that_disappeared_from_kept_questions_are_listed(v1, v2):
    changes = CHANGES.read_text(encoding="utf-8")
    for question in v1.questions():
        if not v2.has_question(question.id):
            continue
        gone = {c.id for c in choices(question)} - {c.id for c in choices(v2.question(question.id))}
        for choice_id in gone:
            assert re.search(rf"^\| `{question.id}` \| `{choice_id}` \|", changes, re.M), (
                question.id,
                choice_id,
            )


def test_new_ids_do_not_reuse_retired_v1_ids(v1, v2):
    v1_types = {q.id: q.type_name for q in v1.questions()}
    for question in v2.questions():
        if question.id in v1_types:
            assert v1_types[question.id] == question.type_name


# ---------------------------------------------------------------- the small-terminal subset


# The small-terminal set speaks to a terminal; the baseline words these for any organisation.
WORDED_FOR_A_TERMINAL = {"profile-containers"}


def test_the_small_terminal_set_is_a_strict_subset_of_the_baseline(v2):
    small = load(SMALL)
    ids = [q.id for q in small.questions()]
    assert set(ids) < {q.id for q in v2.questions()}
    assert 24 <= len(ids) <= 32
    for question in small.questions():
        base = v2.question(question.id)
        assert question.type_name == base.type_name, question.id
        if question.id not in WORDED_FOR_A_TERMINAL:
            assert question.text == base.text, question.id
        assert question.scored == base.scored, question.id
        assert describe(question) == describe(base), question.id
        assert getattr(question, "levels", None) == getattr(base, "levels", None), question.id
        assert getattr(question, "thresholds", None) == getattr(base, "thresholds", None)
        assert question.show_if == base.show_if, question.id
        assert small.section_of(question.id).id == v2.section_of(question.id).id
        assert small.section_of(question.id).show_if == v2.section_of(question.id).show_if
        if question.scored:
            assert question.weakness.severity == base.weakness.severity
            assert question.mitigations[0] == base.mitigations[0]


# ---------------------------------------------------------------- issue 16, point by point

PERSONNEL = re.compile(r"screen|vett|badge|biometric|bribe|background", re.I)


@pytest.mark.parametrize("path", CURRENT, ids=lambda p: p.name)
def test_no_question_cites_b15_3_3_for_personnel_matters(path):
    for question in scored(load(path)):
        if PERSONNEL.search(question.id + " " + question.text):
            assert "ISPS-B15.3.3" not in question.references, question.id
    assert "ISPS-B15.3.3" not in {r.id for r in load(path).references}


def refs(question_set, question_id):
    return set(question_set.question(question_id).references)


SEVERITY = {"low": 1, "medium": 2, "high": 3, "critical": 4}


def test_seal_checks(v2):
    seal = v2.question("release-seal-data")
    assert any(r.startswith("ISPS-B16.3") for r in seal.references)
    assert not {"IEC62443-FR3", "ISPS-B15.3.4"} & set(seal.references)
    assert SEVERITY[seal.weakness.severity] >= SEVERITY["high"]
    assert seal.weight >= 2
    assert {c.id: c.score for c in seal.options}["partly"] <= 0.25
    assert "ISO-17712" in refs(v2, "release-seal-standard-checks")


def test_release_questions(v2):
    for question_id in ("release-pin-only", "release-gate-haulier-check"):
        assert "IEC62443-FR1" not in refs(v2, question_id)
    assert {c.id: c.score for c in v2.question("release-pin-only").options}["partly"] <= 0.25
    gate = {c.id: c.score for c in v2.question("release-gate-haulier-check").options}
    assert gate["yes"] == 1
    assert gate["company-only"] > gate["partly"]
    assert v2.question("release-inspection-confidentiality").weakness.severity == "critical"


@pytest.mark.parametrize(
    ("question_id", "cited", "not_cited"),
    [
        ("ir-exercises", "USCG-101.635", "USCG-101.650.g"),
        ("aware-social-engineering-tests", "USCG-101.650.d", "USCG-101.650.i"),
        ("gov-port-community", "NIS2-29", "NIS2-21.2.d"),
        ("supplier-incident-vuln-notification", "NIS2-21.3", "NIS2-23"),
        ("nav-time-holdover-level", "IEC62443-SR2.11", "IEC62443-FR7"),
        ("vuln-exploited-patch-time", "IEC62443-2-3", "IEC62443-FR3"),
        ("supplier-security-clauses", "IMO-PR", "IMO-GV"),
        ("backup-tos", "IMO-PR", "IMO-RC"),
        ("gov-accountable-person", "USCG-101.625", "NIS2-20"),
    ],
)
def test_corrected_references(v2, question_id, cited, not_cited):
    assert cited in refs(v2, question_id)
    assert not_cited not in refs(v2, question_id)


def test_added_reference_ids(v2):
    assert "IEC62443-SR7.8" in refs(v2, "asset-inventory") & refs(v2, "ot-undeclared-modems")
    for question_id in ("release-audit-trail-checks", "mon-central-log-checks"):
        assert {"IEC62443-SR2.8", "IEC62443-SR2.12"} <= refs(v2, question_id)
    assert {"IEC62443-ZCR3", "IEC62443-ZCR5"} <= refs(v2, "ot-zones-security-levels")
    cited = {r for q in scored(v2) for r in q.references}
    assert {"USCG-101.625", "USCG-101.630", "USCG-101.635", "NIS2-29", "NIS2-21.3"} <= cited


def test_marina_references():
    marina = load(MARINA)
    assert not any(r.id.startswith("ISPS") for r in marina.references)
    assert "NIS2-21.2.j" not in refs(marina, "sup-no-unattended-remote-tools")


def test_severities(v2):
    assert v2.question("ot-remote-session-control").weakness.severity == "critical"
    for question_id in ("ir-reporting", "gov-pfsa-cyber", "iam-leaver-access-removal"):
        assert SEVERITY[v2.question(question_id).weakness.severity] >= SEVERITY["high"]
    assert v2.question("iam-leaver-access-removal").weight >= 2


def test_missing_topics_are_asked(v2):
    for question_id in (
        "release-inspection-confidentiality",
        "release-duty-segregation",
        "release-eseal-alert-handling",
        "release-seal-standard-checks",
        "phys-biometric-enrolment",
        "phys-access-log-review",
        "gov-isps-security-levels",
        "phys-security-documents",
        "data-email-authentication",
        "data-payment-verification",
        "data-encryption-keys",
        "interface-change-review",
        "ot-local-control-fallback",
        "ot-remote-site-protection",
        "ot-nautical-data-integrity",
        "net-ship-shore-data",
        "ir-legal-steps",
        "gov-outage-cost-estimate",
        "phys-control-room-devices",
        "data-media-disposal",
        "asset-handheld-devices",
    ):
        question = v2.question(question_id)
        assert question.scored, question_id
        assert question.mitigations, question_id
        assert question.threats, question_id
        assert question.references, question_id


def test_unanswerable_questions_were_replaced(v2):
    retired = {
        "release-lookup-monitoring",
        "iam-leaver-revocation",
        "nav-time-holdover",
        "vuln-patch-days",
        "phys-badge-revocation",
        "net-remote-access-paths",
        "supplier-remote-monitored",
        "ot-vendor-remote-access",
        "profile-role",
        "profile-cargo-ot",
    }
    assert not any(v2.has_question(i) for i in retired)
    assert v2.question("iam-leaver-access-removal").type_name == "single_choice"
    assert v2.question("nav-time-holdover-level").type_name == "single_choice"
    assert "CSIRT" not in v2.question("ir-retainer").text


@pytest.mark.parametrize(
    "question_id",
    [
        "supplier-remote-access-controls",
        "phys-cctv-network-checks",
        "vuln-pentest-scope",
        "aware-phishing-programme",
        "release-audit-trail-checks",
        "mon-central-log-checks",
        "net-public-services-checks",
        "ot-utilities-checks",
        "nav-interference-reporting-steps",
        "release-rights-checklist",
    ],
)
def test_double_barrelled_questions_are_checklists(v2, question_id):
    assert v2.question(question_id).type_name == "multiple_choice"


def test_no_sentinel_numbers():
    for path in CURRENT:
        for question in load(path).questions():
            assert not re.search(r"\benter \d{3,}", question.help or "", re.I), question.id


@pytest.mark.parametrize(
    ("term", "question_id"),
    [
        ("DMZ", "net-it-ot-segmentation"),
        ("jump host", "iam-admin-tiering"),
        ("LAPS", "iam-admin-tiering"),
        ("HMI", "backup-ot-configurations"),
        ("MMSI", "nav-ais-data-integrity"),
    ],
)
def test_jargon_is_explained_in_help(v2, term, question_id):
    help_text = v2.question(question_id).help
    assert re.search(rf"{term}\b[^.]*( is | \(|, a )", help_text, re.I), (term, help_text)


def test_primary_mitigations_come_first(v2):
    primary = {
        "release-seal-data": "eseal-mismatch-procedure",
        "gov-pfsa-cyber": "cyber-input-to-pfsa-pfsp",
        "ot-remote-session-control": "ot-remote-session-approval",
        "release-pin-only": "identity-based-release",
        "iam-phishing-resistant-mfa": "phishing-resistant-mfa",
        "vuln-pentest-scope": "independent-penetration-test",
        "net-remote-access-inventory": "remote-access-path-register",
        "aware-phishing-programme": "phishing-simulation-and-reporting",
    }
    for question_id, mitigation in primary.items():
        assert v2.question(question_id).mitigations[0] == mitigation, question_id


def test_unsafe_mitigations_were_fixed(v2):
    how = {m.id: m.how for m in v2.mitigations}
    assert not any("annex" in text.lower() and "pfsa" in text.lower() for text in how.values())
    assert "designated authority" in how["cyber-input-to-pfsa-pfsp"]
    for mitigation in ("edr-on-all-endpoints", "round-the-clock-alert-watch"):
        assert "crane operator stations" in how[mitigation]
        assert "VTS consoles" in how[mitigation]
    assert "15 characters" in how["password-lockout-and-strength"]
    assert "FIDO2" in how["require-mfa-remote-email-admin"] + how["phishing-resistant-mfa"]
    for word in ("customs", "police", "re-seals"):
        assert word in how["eseal-mismatch-procedure"]
    assert "one month after the notification" in how["incident-reporting-runbook"]
    assert "one month after the notification" in v2.question("ir-reporting").help


def test_evidence_is_expected_where_an_auditor_asks_for_it(v2):
    expected = {q.id for q in v2.questions() if q.evidence}
    assert {
        "ir-plan",
        "ir-exercises",
        "backup-tos",
        "asset-inventory",
        "supplier-security-clauses",
        "mon-central-log-checks",
        "gov-risk-assessment",
        "ot-zones-security-levels",
    } <= expected
    assert not any(q.evidence for q in v2.questions() if not q.scored)
    assert len(expected) >= 40


def test_universal_questions_do_not_speak_of_the_terminal_alone(v2):
    for question in scored(v2):
        if question.show_if or v2.section_of(question.id).show_if:
            continue
        assert "stop the terminal" not in question.weakness.title + question.weakness.why
        assert not re.search(r"\bTOS\b", question.text + question.weakness.title), question.id


# ---------------------------------------------------------------- wording that follows the role

# How each language addresses the reader as a terminal ("your terminal", "the terminal system");
# the terminal operating system, incidents at named terminals and terminals as third parties
# ("the port authority, terminals, ...") are fine for every role.
AS_A_TERMINAL = {
    "en": r"\byour terminal\b(?! operating)|\bon the terminal system\b|\bterminal and gate systems",
    "nl": r"\buw terminal\b(?! operating)|\bop het terminalsysteem\b|\bterminal- en gatesystemen",
    "fr": r"\bvotre terminal\b|\bsur le système du terminal\b|\bsystèmes du terminal et du gate",
    "de": r"\bIhr(em)? Terminal\b(?! Operating)|\bauf dem Terminalsystem\b|\bTerminal- und Gate-S",
    "es": r"\bsu terminal\b|\ben el sistema de la terminal\b|\bsistemas de la terminal y de las",
}


def _shown_texts(question_set, shown):
    """Every text a port authority reads: its questions, their help and choices, and for the
    scored ones the weakness, its mitigations and its threats, as the report prints them."""
    mitigations = {m.id: m for m in question_set.mitigations}
    threats = {t.id: t for t in question_set.threats}
    for question in question_set.questions():
        if question.id not in shown:
            continue
        yield question.id, question.text
        yield question.id, question.help or ""
        for choice in getattr(question, "answer_choices", ()):
            yield question.id, choice.label
        if question.scored:
            yield question.id, question.weakness.title + " " + question.weakness.why
            for mitigation in question.mitigations:
                yield mitigation, mitigations[mitigation].title + " " + mitigations[mitigation].how
            for threat in question.threats:
                yield threat, threats[threat].title + " " + threats[threat].description


@pytest.mark.parametrize("language", sorted(AS_A_TERMINAL))
def test_a_port_authority_without_a_terminal_is_never_addressed_as_one(v2, language):
    """Issue 17: a port authority read terminal wording in its report. What a landlord port
    authority is shown, in each shipped language, speaks to any organisation."""
    from assessment.questionset.translations import apply_translation, translations_beside
    from assessment.questionset.yaml_io import load_yaml

    question_set = v2
    if language != "en":
        raw = load_yaml(BASELINE.read_bytes())
        ((path, translation),) = [
            (p, t) for p, t in translations_beside(BASELINE, raw) if t.language == language
        ]
        question_set = apply_translation(raw, translation, str(path))
    shown = _shown(
        question_set, ["port-authority", "vts-nautical"], ["vts-sites", "public-online"], tos="yes"
    )
    assert len(shown) > 60
    found = [
        (where, text)
        for where, text in _shown_texts(question_set, shown)
        if re.search(AS_A_TERMINAL[language], text, re.I)
    ]
    assert not found, found
