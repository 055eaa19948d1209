"""gunicorn's settings for port-assess. gunicorn reads ``./gunicorn.conf.py`` from the folder it
starts in: ``make run``, the tests' live servers and ``make scan`` start it here; started
elsewhere, pass this file with ``-c``. Command-line options (workers, bind, timeout) win over it.

No ``Server: gunicorn`` header: it only tells a scanner which server to look up weaknesses of.
gunicorn has no setting for it and writes it itself, after the app has answered, so the app
cannot remove it; this drops it from gunicorn's default headers, in the master process before
the workers are forked. ``tests/security/test_limits_across_workers.py`` checks the responses
of a live server. (Behind a reverse proxy, the proxy's own header is what clients see.)
"""

from gunicorn.http import wsgi

_gunicorn_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(response) -> list[str]:
    return [
        line
        for line in _gunicorn_default_headers(response)
        if not line.lower().startswith("server:")
    ]


wsgi.Response.default_headers = _default_headers_without_server
