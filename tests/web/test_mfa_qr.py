"""The enrolment QR code has the quiet zone scanners expect (issue 17): 4 modules of white on
every side (ISO/IEC 18004), drawn in the SVG itself rather than left to the page's grey."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pyotp
import segno

from assessment.services import mfa

SVG = "{http://www.w3.org/2000/svg}"
WHITE = {"#fff", "#ffffff", "white"}


def enrolment_page(client, email: str) -> str:
    client.login(email)
    return client.get("/account/mfa").get_data(as_text=True)


def path_cells(d: str) -> list[tuple[float, float, float]]:
    """The horizontal runs of an SVG path made of moves and h/v lines, as (x, y, length):
    segno draws dark modules as strokes, one run per row of neighbouring modules."""
    runs, x, y = [], 0.0, 0.0
    for command, numbers in re.findall(r"([MmHhVvZz])([^MmHhVvZz]*)", d):
        values = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", numbers)]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        elif command == "h":
            runs.append((x, y, values[0]))
            x += values[0]
        elif command == "H":
            runs.append((x, y, values[0] - x))
            x = values[0]
        elif command == "v":
            y += values[0]
        elif command == "V":
            y = values[0]
    return runs


def drawn(svg_text: str) -> tuple[int, set[tuple[int, int]], list[ET.Element]]:
    """(size of the picture in modules, the dark modules, the filled shapes under them)."""
    root = ET.fromstring(svg_text)  # noqa: S314 - the app's own SVG, drawn by segno
    scale = float(re.search(r"scale\(([\d.]+)\)", svg_text).group(1))
    size = int(float(root.get("width")) / scale)
    assert size == int(float(root.get("height")) / scale)
    dark: set[tuple[int, int]] = set()
    fills = []
    for path in root.iter(f"{SVG}path"):
        if path.get("stroke"):
            assert path.get("stroke") == "#000"
            for x, y, length in path_cells(path.get("d")):
                row = int(y - 0.5)  # a stroke of width 1 through the middle of its row
                dark.update((int(x) + i, row) for i in range(int(length)))
        else:
            fills.append(path)
    return size, dark, fills


def test_the_qr_code_has_four_white_modules_on_every_side(client, people):
    page = enrolment_page(client, people.officer_a)
    svg_text = re.search(r'<figure class="qr">\s*(<svg.*?</svg>)\s*</figure>', page, re.S).group(1)
    size, dark, fills = drawn(svg_text)

    # The light parts are painted white over the whole picture, quiet zone included.
    assert len(fills) == 1
    assert fills[0].get("fill") in WHITE
    assert fills[0].get("d") == f"M0 0h{size}v{size}h-{size}z"

    # Dark modules start 4 modules in and stop 4 modules before each edge.
    xs, ys = {x for x, _ in dark}, {y for _, y in dark}
    assert (min(xs), min(ys)) == (mfa.QR_QUIET_ZONE, mfa.QR_QUIET_ZONE) == (4, 4)
    assert (max(xs), max(ys)) == (size - 5, size - 5)
    assert (size - 8 - 21) % 4 == 0  # what is inside is a whole QR symbol (version 1 + 4k)


def test_the_drawn_modules_are_the_code_for_this_account(client, people):
    """The parse above reads the real picture: it matches the symbol of the provisioning URI
    the page's key makes, shifted by the quiet zone."""
    page = enrolment_page(client, people.officer_a)
    secret = re.search(r'data-key="([A-Z2-7]+)"', page).group(1)
    svg_text = re.search(r"(<svg.*?</svg>)", page, re.S).group(1)
    size, dark, _ = drawn(svg_text)
    uri = pyotp.TOTP(secret).provisioning_uri(name=people.officer_a, issuer_name="port-assess")
    symbol = segno.make(uri, error="m").matrix
    expected = {
        (x + 4, y + 4) for y, row in enumerate(symbol) for x, module in enumerate(row) if module
    }
    assert size == len(symbol) + 8
    assert dark == expected
