"""A person's browser as the server sees it, without a browser: cookies, the CSRF token read
from the page, and the same form fields the page's script sends. Used by the concurrency tests
and the benchmarks, which need many real clients at once."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import httpx

CSRF_INPUT = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
REVISION_INPUT = re.compile(r'name="v:([^"]+)" value="(\d+)"')


@dataclass
class Saved:
    """One autosave: what was sent and what the server said."""

    status: int
    base: int
    body: dict


class WebClient:
    def __init__(self, base_url: str, timeout: float = 120):
        self.http = httpx.Client(base_url=base_url, follow_redirects=False, timeout=timeout)
        self.csrf = ""

    def close(self) -> None:
        self.http.close()

    def page(self, path: str) -> str:
        """GET a page and keep its CSRF token, as a browser keeps the form it shows."""
        response = self.http.get(path)
        response.raise_for_status()
        match = CSRF_INPUT.search(response.text)
        if match:
            self.csrf = match.group(1)
        return response.text

    def post(self, path: str, data: dict, **kwargs) -> httpx.Response:
        return self.http.post(path, data={**data, "csrf_token": self.csrf}, **kwargs)

    def fetch_report(self, path: str, deadline: float = 180) -> httpx.Response:
        """Ask for a report and follow its status page until it can be downloaded."""
        response = self.http.get(path)
        stop = time.monotonic() + deadline
        while response.status_code == 303:
            status_page = response.headers["Location"]
            html = self.http.get(status_page).text
            if "could not be made" in html:
                raise AssertionError(f"the report failed on {status_page}")
            if f'href="{status_page}/download"' in html:
                response = self.http.get(status_page + "/download")
                break
            if time.monotonic() > stop:
                raise AssertionError(f"no report within {deadline} s at {status_page}")
            time.sleep(0.1)  # polling the status page for a condition, with a deadline
        return response

    def password_step(self, email: str, password: str) -> httpx.Response:
        self.page("/login")
        return self.post("/login", {"email": email, "password": password})

    def login(self, email: str, password: str) -> None:
        response = self.password_step(email, password)
        if response.status_code != 302 or "/login" in response.headers["Location"]:
            raise AssertionError(f"login of {email} failed: {response.status_code}")

    def revisions(self, assessment_id: int, section_id: str) -> dict[str, int]:
        """Open a section page: its token, and the revision each question was shown at."""
        html = self.page(f"/assessments/{assessment_id}/sections/{section_id}")
        return {qid: int(rev) for qid, rev in REVISION_INPUT.findall(html)}

    def autosave(
        self,
        assessment_id: int,
        section_id: str,
        question_id: str,
        answer: str,
        comment: str,
        base: int,
    ) -> Saved:
        """What the page's script sends for one edited question."""
        response = self.http.post(
            f"/assessments/{assessment_id}/sections/{section_id}/autosave",
            data={
                "csrf_token": self.csrf,
                "q": question_id,
                f"a:{question_id}": answer,
                f"c:{question_id}": comment,
                f"v:{question_id}": str(base),
                f"o:{question_id}": "",
            },
            headers={"Accept": "application/json", "X-CSRFToken": self.csrf},
        )
        body = (
            response.json()
            if response.headers.get("Content-Type", "").startswith("application/json")
            else {}
        )
        return Saved(response.status_code, base, body)
