"""Server-side SVG charts for the dashboard: geometry computed here, drawn by the template."""

from dataclasses import dataclass

BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, CHART_WIDTH = 22, 6, 140, 560


@dataclass
class Bar:
    label: str
    value: float
    text: str
    y: int
    width: float


def bar_chart(items: list[tuple[str, float, str]], *, maximum: float | None = None) -> dict:
    """Horizontal bars: items are (label, value, text shown next to the bar)."""
    top = maximum if maximum is not None else max((v for _l, v, _t in items), default=0)
    span = CHART_WIDTH - LABEL_WIDTH - 60
    bars = [
        Bar(
            label,
            value,
            text,
            i * (BAR_HEIGHT + BAR_GAP),
            round(span * max(value, 0) / top, 1) if top else 0,
        )
        for i, (label, value, text) in enumerate(items)
    ]
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": max(len(bars) * (BAR_HEIGHT + BAR_GAP), BAR_HEIGHT),
        "label_width": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
    }


def line_chart(points: list[tuple[str, int]], *, width=CHART_WIDTH, height=180) -> dict:
    """A cumulative line over days: points are (ISO day, running total)."""
    pad = 30
    if not points:
        return {"path": "", "width": width, "height": height, "points": [], "maximum": 0}
    top = max(total for _day, total in points) or 1
    step = (width - 2 * pad) / max(len(points) - 1, 1)
    coords = [
        (round(pad + i * step, 1), round(height - pad - (height - 2 * pad) * total / top, 1))
        for i, (_day, total) in enumerate(points)
    ]
    path = "M" + " L".join(f"{x},{y}" for x, y in coords)
    return {
        "path": path,
        "width": width,
        "height": height,
        "points": [
            {"x": x, "y": y, "day": day, "total": total}
            for (x, y), (day, total) in zip(coords, points, strict=True)
        ],
        "maximum": top,
        "first_day": points[0][0],
        "last_day": points[-1][0],
        "baseline": height - pad,
        "pad": pad,
    }
