"""The SVG charts: accessible, escaped, and drawn from the numbers they are given."""

from reports.charts import Axis, Bar, level_bars_svg, radar_svg


def test_radar_has_a_title_a_description_and_an_image_role():
    svg = radar_svg([Axis("Operational", 80), Axis("Financial", None)], threshold=70)

    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert '<title id="radar-title">Pillar scores</title>' in svg
    assert "Operational: 80; Financial: no score. Dashed ring: the level threshold, 70." in svg
    assert 'stroke-dasharray="5 4"' in svg  # the threshold ring


def test_radar_escapes_the_labels_it_is_given():
    svg = radar_svg([Axis("<script>alert(1)</script>", 50), Axis("A & B", 10), Axis("C", 0)])

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "A &amp; B" in svg


def test_radar_draws_the_same_markup_every_time():
    axes = [
        Axis("Operational", 62.5),
        Axis("Financial", 40),
        Axis("Adaptive", 90),
        Axis("Technology", 10),
    ]

    assert radar_svg(axes, threshold=70) == radar_svg(axes, threshold=70)


def test_level_bars_colour_met_and_unmet_levels_differently():
    svg = level_bars_svg(
        [
            Bar("Fundamentals", 80, True),
            Bar("Intermediate", 40, False),
            Bar("Advanced", None, True),
        ],
        threshold=70,
        chart_id="levels-x",
        title="Operational levels",
    )

    assert '<title id="levels-x-title">Operational levels</title>' in svg
    assert 'width="240" height="18" fill="#1d4e6b"' in svg  # 80 % of 300
    assert 'width="120" height="18" fill="#a8431a"' in svg  # 40 % of 300
    assert "Advanced: no score" in svg
    assert '<line x1="340" y1="6" x2="340" y2="100"' in svg  # the threshold, 70 % along the track


def test_trend_lines_differ_by_pattern_and_marker_not_only_colour():
    from reports.charts import Line, trend_svg

    svg = trend_svg(
        ["1 Jan 2026", "1 Jul 2026"],
        [Line("Operational", (40, 60)), Line("Financial", (30, None)), Line("<b>", (10, 20))],
    )

    assert 'stroke-dasharray="7 4"' in svg and 'stroke-dasharray="2 3"' in svg
    assert "<rect" in svg and "<polygon" in svg  # square and triangle markers
    assert "Financial: 30 (1 Jan 2026), no score (1 Jul 2026)" in svg
    assert "<b>" not in svg
