"""The bar chart geometry (overview.charts), on its own."""

import pytest

from overview import charts
from overview.charts import Value, bar_chart, fit, text_width_ems


def _chart(rows):
    return bar_chart(chart_id="c", title="标题", description="说明", rows=rows)


def test_it_draws_one_bar_per_value_with_its_text():
    chart = _chart([("甲", [Value(4, "4")]), ("乙", [Value(2, "2")]), ("丙", [Value(0, "0")])])
    assert [row.label for row in chart.rows] == ["甲", "乙", "丙"]
    assert [bar.text for bar in chart.bars] == ["4", "2", "0"]


def test_the_largest_value_fills_the_bar_space_and_the_rest_scale():
    chart = _chart([("甲", [Value(4, "4")]), ("乙", [Value(1, "1")])])
    longest, shorter = chart.bars
    assert longest.width == charts.BAR_SPACE
    assert shorter.width == pytest.approx(charts.BAR_SPACE / 4, abs=0.1)
    assert longest.x == shorter.x == charts.LABEL_WIDTH


def test_a_zero_or_missing_value_has_no_bar_but_keeps_its_text():
    chart = _chart([("甲", [Value(3, "3")]), ("乙", [Value(0, "0")]), ("丙", [Value(None, "无")])])
    _three, zero, missing = chart.bars
    assert zero.width == missing.width == 0
    assert missing.text == "无"
    assert zero.text_x == charts.LABEL_WIDTH + 6


def test_a_tiny_value_still_shows_a_sliver():
    chart = _chart([("甲", [Value(10_000, "10,000")]), ("乙", [Value(1, "1")])])
    assert chart.bars[1].width == 1.0


def test_the_value_text_sits_just_after_its_bar():
    chart = _chart([("甲", [Value(2, "2")])])
    bar = chart.bars[0]
    assert bar.text_x == pytest.approx(bar.x + bar.width + 6)
    assert bar.text_y == bar.y + bar.height / 2


def test_bars_of_a_row_stack_and_rows_do_not_overlap():
    chart = _chart([("甲", [Value(1, "平均 1"), Value(2, "中位数 2")]), ("乙", [Value(3, "3")])])
    first, second, third = chart.bars
    assert second.y == first.y + charts.BAR_HEIGHT + charts.BAR_GAP
    assert third.y >= second.y + charts.BAR_HEIGHT + charts.ROW_GAP
    # Different series, different fills; the text says which is which.
    assert first.fill != second.fill
    # The row label is centred on its bars.
    assert chart.rows[0].label_y == pytest.approx((first.y + second.y + charts.BAR_HEIGHT) / 2)
    assert chart.height == third.y + charts.BAR_HEIGHT + charts.PADDING


def test_an_empty_chart_has_no_rows():
    chart = _chart([])
    assert chart.rows == ()
    assert chart.bars == []


def test_chinese_characters_count_as_one_em_latin_ones_as_less():
    assert text_width_ems("泰安") == 2
    assert text_width_ems("ab") == pytest.approx(1.2)


def test_a_long_label_is_shortened_with_an_ellipsis_and_kept_whole_elsewhere():
    name = "泰安市泰山区市场监督管理局岱庙市场监督管理所第二执法中队"
    chart = _chart([(name, [Value(1, "1")])])
    row = chart.rows[0]
    assert row.full_label == name
    assert row.label.endswith("…")
    assert name.startswith(row.label[:-1])
    assert text_width_ems(row.label) <= charts.LABEL_EMS


def test_a_label_that_fits_is_left_alone():
    assert fit("泰安市市场监督管理局") == "泰安市市场监督管理局"
    assert fit("abcdef", ems=3) == "abcd…"
