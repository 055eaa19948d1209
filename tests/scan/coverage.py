"""What a ``make scan`` really tested, read from the scanners' own records: wapiti's session
database (every request it crawled or attacked, with the answer's status) and sqlmap's logs
(every parameter it tested, every redirect it got). A scan that only saw the login page says
so, and ``summary`` returns ``ok=False``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

# Pages anyone gets without logging in: not counted as authenticated.
PUBLIC = ("/login", "/static/", "/healthz", "/robots.txt", "/favicon.ico")
NOT_PARAMETERS = {"csrf_token"}
SQLMAP_PARAMETER = re.compile(
    r"testing .*?(GET|POST|URI|Cookie|User-Agent|Referer|\(custom\) POST) parameter '([^']+)'"
)
# What each logged-in wapiti run must have attacked: (what, method, path pattern).
REQUIRED = {
    "officer": [
        ("section forms", "POST", r"/assessments/\d+/sections/[^/]+"),
        ("review", "GET", r"/assessments/\d+/review"),
        ("results", "GET", r"/assessments/\d+/results"),
        (
            "downloads",
            "GET",
            r"/assessments/\d+/(answers\.csv|action-plan\.csv|result\.json|report\.pdf)",
        ),
    ],
    "admin": [
        (
            "question-set editor forms",
            "POST",
            r"/admin/question-sets/\d+/(metadata|sections|questions|mitigations|threats|references|frameworks)(/.*)?",
        ),
        ("user and organisation forms", "POST", r"/admin/(users|organisations)/.+"),
    ],
}
SQLMAP_LOGIN_REDIRECT = re.compile(r"got a 30\d redirect to '[^']*/login")


def _is_public(path: str) -> bool:
    return path == "/" or path.startswith(PUBLIC)


def wapiti_coverage(session_dir: Path) -> dict:
    """Authenticated URLs (method and path, answered without a redirect to the login page)
    wapiti crawled and attacked, and their parameters."""
    databases = sorted(session_dir.glob("*.db"))
    if not databases:
        return {"error": f"no wapiti session in {session_dir.name}"}
    with sqlite3.connect(databases[0]) as connection:
        crawled = connection.execute(
            "SELECT p.path_id, p.method, p.path, r.status_code FROM paths p "
            "JOIN responses r ON r.response_id = p.response_id WHERE NOT p.evil"
        ).fetchall()
        attacked = {row[0] for row in connection.execute("SELECT path_id FROM attack_logs")}
        modules = {row[0] for row in connection.execute("SELECT DISTINCT module FROM attack_logs")}
        parameters: dict[int, set[str]] = {}
        for path_id, name in connection.execute("SELECT path_id, name FROM params"):
            if name not in NOT_PARAMETERS:
                parameters.setdefault(path_id, set()).add(name)
    urls, tested_urls, tested_parameters, redirected = set(), set(), set(), set()
    for path_id, method, url, status in crawled:
        path = urlsplit(url).path
        if _is_public(path):
            continue
        if status in (301, 302, 303) and method == "GET":
            redirected.add((method, path))  # (the checks before and after say if to /login)
            continue
        urls.add((method, path))
        if path_id in attacked:
            tested_urls.add((method, path))
            tested_parameters |= {(method, path, name) for name in parameters.get(path_id, ())}
    return {
        "crawled": len(crawled),
        "authenticated_urls": len(urls),
        "tested_urls": len(tested_urls),
        "tested_parameters": len(tested_parameters),
        "redirected": len(redirected),
        "modules": len(modules),
        "tested": tested_urls,
    }


def required_coverage(role: str, tested: set[tuple[str, str]]) -> list[tuple[str, int]]:
    """(what, how many of its URLs were attacked) for each route a run must have attacked."""
    return [
        (what, sum(1 for m, p in tested if m == method and re.fullmatch(pattern, p)))
        for what, method, pattern in REQUIRED[role]
    ]


def wapiti_findings(report: Path) -> list[str]:
    if not report.exists():
        return [f"    {report.name}: no report (stopped by the time bound?)"]
    data = json.loads(report.read_text())
    lines = []
    labels = {"vulnerabilities": "vulnerability", "anomalies": "anomaly", "additionals": "info"}
    for kind, label in labels.items():
        for category, items in sorted(data.get(kind, {}).items()):
            if items:
                lines.append(f"    {label}: {category}: {len(items)}")
                lines += [
                    f"        {i.get('method', '')} {i.get('path', '')} {i.get('parameter', '')}: "
                    f"{i.get('info', '')[:140]}"
                    for i in items[:4]
                ]
    return lines or ["    no finding"]


def sqlmap_coverage(log: Path) -> dict:
    text = log.read_text(errors="replace")
    injectable = re.findall(r"parameter '([^']+)' (?:is|might be) (?:vulnerable|injectable)", text)
    if injectable:
        verdict = f"INJECTABLE: {sorted(set(injectable))}"
    elif "[scan] stopped after" in text:
        verdict = "stopped by the time bound before a verdict (raise SCAN_MINUTES)"
    elif "all tested parameters do not appear to be injectable" in text:
        verdict = "no injection found"
    else:
        verdict = "no verdict: see the log"
    return {
        "parameters": sorted({f"{place} {name}" for place, name in SQLMAP_PARAMETER.findall(text)}),
        "login_redirects": len(SQLMAP_LOGIN_REDIRECT.findall(text)),
        "verdict": verdict,
    }


def summary(out: Path, sessions: dict[str, bool], header: list[str] = ()) -> tuple[str, bool]:
    """The summary's text, and whether the scan tested what it should (logged in throughout)."""
    ok = True
    lines = ["port-assess scan summary", *header, ""]
    for name in ("officer", "admin"):
        result = wapiti_coverage(out / f"wapiti-{name}-session")
        lines.append(f"wapiti as the {name}:")
        if "error" in result:
            lines.append(f"    {result['error']}")
            ok = False
            continue
        lines.append(
            f"    {result['authenticated_urls']} authenticated URLs reached "
            f"({result['crawled']} requests crawled); {result['tested_urls']} of them attacked by "
            f"{result['modules']} modules, with {result['tested_parameters']} parameters"
        )
        for what, count in required_coverage(name, result["tested"]):
            lines.append(f"    {what}: {count} URLs attacked" if count else f"    {what}: NONE")
            ok = ok and count > 0
        if result["redirected"]:
            lines.append(f"    {result['redirected']} pages answered with a redirect")
        lines += wapiti_findings(out / f"wapiti-{name}.json")
    lines.append("")
    for log in sorted(out.glob("sqlmap-*.log")):
        result = sqlmap_coverage(log)
        name = log.stem.removeprefix("sqlmap-")
        lines.append(
            f"sqlmap {name}: {result['verdict']}; {len(result['parameters'])} parameters "
            f"tested: {', '.join(result['parameters'])}"
        )
        if result["login_redirects"] and name != "login-form":
            lines.append(f"    SENT TO THE LOGIN PAGE {result['login_redirects']} times")
            ok = False
    lines.append("")
    for step, alive in sessions.items():
        lines.append(f"session still logged in after {step}: {'yes' if alive else 'NO'}")
        ok = ok and alive
    errors = re.findall(
        r"unhandled error on (\S+ \S+)", (out / "gunicorn.log").read_text(errors="replace")
    )
    lines.append(f"server errors (500) during the scan: {len(errors)}")
    lines += [f"    {count} x {request}" for request, count in sorted(Counter(errors).items())]
    lines.append("verdict: " + ("the scan was logged in throughout" if ok else "SCAN INCOMPLETE"))
    return "\n".join(lines) + "\n", ok
