"""The section chart: labels shortened only when they do not fit, and escaped."""

from __future__ import annotations

from assessment.report.charts import bar_chart

LONG = "Physical, personnel and biometric access, CCTV and insiders"  # 59 characters


def test_a_label_is_kept_whole_where_there_is_room():
    chart = bar_chart([(LONG, 40.0)], title="Scores", label_width=420)
    assert f">{LONG}</text>" in chart


def test_a_label_is_shortened_only_to_the_room_it_has():
    chart = bar_chart([(LONG, 40.0)], title="Scores", label_width=280)
    assert ">Physical, personnel and biometric acces…</text>" in chart  # 40 = 280 // 7


def test_labels_are_escaped():
    chart = bar_chart([("<script>x</script>", 10.0)], title="Scores")
    assert "<script>" not in chart
    assert "&lt;script&gt;x&lt;/script&gt;" in chart
