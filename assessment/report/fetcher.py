"""The only way the PDF renderer may load anything: a deny-by-default URL fetcher.

WeasyPrint fetches by default (file:, http:, data:, redirects) and can embed fetched files in
the PDF. Every text we render is escaped, so nothing a user types can name a URL; this fetcher
is the second wall: it serves only the report's own assets, named ``app-asset:NAME``, and
stops the render on any other URL, so a template mistake is found rather than silently fetched.
"""

from __future__ import annotations

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

SCHEME = "app-asset:"


class AssetFetcher(URLFetcher):
    def __init__(self, assets: dict[str, tuple[bytes, str]] | None = None):
        super().__init__(
            allowed_protocols={"app-asset"}, allow_redirects=False, timeout=2, fail_on_errors=True
        )
        self.assets = dict(assets or {})
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith(SCHEME) and url[len(SCHEME) :] in self.assets:
            body, mime_type = self.assets[url[len(SCHEME) :]]
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})
        self.refused.append(url[:200])
        raise FatalURLFetchingError(f"the report may not load {url[:200]!r}")
