"""CSV files open in columns when double-clicked, whatever the spreadsheet's region."""

import csv
import io

import pytest

from assessment.report.exports import BYTE_ORDER_MARK, table_csv

HEADER = ["Mitigation", "Priority it closes", "Owner"]
ROWS = [["Sauvegarde hors ligne à Zeebrugge", 3.5, "=cmd"], ["Één wachtwoord", 12.25, ""]]


@pytest.mark.parametrize(
    ("language", "separator", "decimals"),
    [("en", ",", ["3.5", "12.25"]), ("nl", ";", ["3,5", "12,25"]), ("fr", ";", ["3,5", "12,25"])],
)
def test_separator_and_decimal_mark_follow_the_language(language, separator, decimals):
    text = table_csv(HEADER, ROWS, language=language)
    assert text.startswith(BYTE_ORDER_MARK)  # Excel on Windows reads UTF-8 only with it
    rows = list(csv.reader(io.StringIO(text.removeprefix(BYTE_ORDER_MARK)), delimiter=separator))
    assert rows[0] == HEADER
    assert [r[1] for r in rows[1:]] == decimals
    assert rows[1][0] == "Sauvegarde hors ligne à Zeebrugge"
    assert rows[1][2] == "'=cmd"  # still never a formula


def test_the_file_is_one_byte_order_mark_then_utf8():
    data = table_csv(HEADER, ROWS, language="de").encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\xef\xbb\xbf") == 1
    assert "Één wachtwoord" in data.decode("utf-8-sig")
