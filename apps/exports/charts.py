"""Server-side charts for the dashboard: geometry and labels computed here, drawn by the
templates. The progress line is an SVG stretched to the card's width with its labels in HTML
(positioned in percent), and the bars are HTML, so the text stays readable on a phone."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

# The progress line is drawn in a WIDTH × HEIGHT box that the page stretches.
WIDTH, HEIGHT = 1000, 200
MAX_TICKS = 6
# The shortest axis: a brand-new dataset still gets a few labelled times.
MIN_SPAN = timedelta(minutes=30)
# (unit, step) from fine to coarse: the axis takes the first giving at most MAX_TICKS ticks.
TICK_STEPS = [
    ("minute", 5),
    ("minute", 10),
    ("minute", 15),
    ("minute", 30),
    ("hour", 1),
    ("hour", 2),
    ("hour", 3),
    ("hour", 6),
    ("hour", 12),
    ("day", 1),
    ("day", 2),
    ("day", 7),
    ("day", 14),
    ("month", 1),
    ("month", 2),
    ("month", 3),
    ("month", 6),
    ("month", 12),
]


def bucket_for(start: datetime, end: datetime) -> str:
    """How finely the progress query groups submissions for a dataset spanning start → end:
    fine enough that a young dataset's line is not a single step, coarse enough that a long
    one's query returns a few hundred rows at most."""
    span = end - start
    if span <= timedelta(hours=6):
        return "minute"
    if span <= timedelta(days=10):
        return "hour"
    if span <= timedelta(days=730):
        return "day"
    return "week"


BUCKET_LENGTH = {
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(days=7),
}


@dataclass
class Tick:
    x: float  # percent of the width
    label: str


def _floor(moment: datetime, unit: str, step: int) -> datetime:
    if unit == "minute":
        return moment.replace(minute=moment.minute - moment.minute % step, second=0, microsecond=0)
    if unit == "hour":
        return moment.replace(
            hour=moment.hour - moment.hour % step, minute=0, second=0, microsecond=0
        )
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "day":
        # Weekly ticks fall on Mondays, the way a calendar reads.
        return day - timedelta(days=day.weekday()) if step >= 7 else day
    month = (day.month - 1) // step * step + 1
    return day.replace(month=month, day=1)


def _advance(moment: datetime, unit: str, step: int) -> datetime:
    if unit == "minute":
        return moment + timedelta(minutes=step)
    if unit == "hour":
        return moment + timedelta(hours=step)
    if unit == "day":
        return moment + timedelta(days=step)
    months = moment.month - 1 + step
    return moment.replace(year=moment.year + months // 12, month=months % 12 + 1)


def _tick_moments(start: datetime, end: datetime, unit: str, step: int) -> list[datetime]:
    moment, moments = _floor(start, unit, step), []
    while moment <= end and len(moments) <= MAX_TICKS:
        if moment >= start:
            moments.append(moment)
        moment = _advance(moment, unit, step)
    return moments


def _label(moment: datetime, unit: str, previous: datetime | None) -> str:
    if unit in ("minute", "hour"):
        clock = date_format(moment, "H:i")
        if previous is None or previous.date() != moment.date():
            # Translators: a short date on a chart's time axis (Django date format).
            return f"{date_format(moment, _('M j'))} {clock}"
        return clock
    if unit == "day":
        return date_format(moment, _("M j"))
    # Translators: a month on a chart's time axis (Django date format).
    return date_format(moment, _("M Y"))


def time_ticks(start: datetime, end: datetime) -> tuple[str, list[Tick]]:
    """The axis unit ("minute", "hour", "day" or "month") and its labelled ticks between
    `start` and `end` (naive local times), at most MAX_TICKS of them."""
    span = (end - start).total_seconds() or 1
    for unit, step in TICK_STEPS:
        moments = _tick_moments(start, end, unit, step)
        if len(moments) <= MAX_TICKS:
            break
    ticks, previous = [], None
    for moment in moments:
        x = round(100 * (moment - start).total_seconds() / span, 2)
        ticks.append(Tick(x, _label(moment, unit, previous)))
        previous = moment
    return unit, ticks


def nice_maximum(value: int) -> int:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `value` (at least 1): the y axis top."""
    magnitude = 1
    while True:
        for factor in (1, 2, 2.5, 5):
            if factor * magnitude >= value and (factor * magnitude) % 1 == 0:
                return int(factor * magnitude)
        magnitude *= 10


def progress_line(
    buckets: list[tuple[datetime, int]], start: datetime, end: datetime, *, bucket: str
) -> dict:
    """A cumulative step line of submissions: `buckets` are (bucket start, submitted in it),
    in order, as naive local times; the line starts at 0 at `start` and runs to `end`.

    Each bucket's submissions count at the end of the bucket (clipped to the axis: today's
    count at `end`), so a dataset one hour old climbs over its minutes, not in one jump."""
    if not buckets:
        return {"total": 0}
    end = max(end, buckets[-1][0])  # never into the future: today's step stops at `end`
    # A brand-new dataset's axis reaches back (flat at 0) rather than into the future.
    start = min(start, buckets[0][0], end - MIN_SPAN)
    span = (end - start).total_seconds()
    total = sum(n for _moment, n in buckets)
    top = nice_maximum(total)

    def x(moment):
        return round(WIDTH * (min(max(moment, start), end) - start).total_seconds() / span, 1)

    def y(count):
        return round(HEIGHT - HEIGHT * count / top, 1)

    path, running = [f"M0,{HEIGHT}"], 0
    for moment, n in buckets:
        running += n
        path.append(f"H{x(moment + BUCKET_LENGTH[bucket])}V{y(running)}")
    path.append(f"H{WIDTH}")
    line = "".join(path)
    unit, ticks = time_ticks(start, end)
    return {
        "total": total,
        "line": line,
        "area": f"{line}V{HEIGHT}Z",
        "width": WIDTH,
        "height": HEIGHT,
        "unit": unit,
        "ticks": ticks,
        # Gridlines at quarters of the top, labelled; top is a round number.
        "levels": [
            {"value": top * i // 4, "y": y(top * i / 4), "top": round(100 - 25 * i, 2)}
            for i in range(5)
            if (top * i) % 4 == 0
        ],
        "end_y": round(100 * (1 - total / top), 2),
        "first": start,
        "last": end,
    }


@dataclass
class Segment:
    status: str
    count: int
    percent: float  # of the widest row


@dataclass
class StackedRow:
    label: str
    segments: list[Segment]
    total: int
    percent: float


def stacked_bars(rows: list[tuple[str, dict[str, int]]], statuses: list[str]) -> list[StackedRow]:
    """One row per label of counts stacked in `statuses` order, scaled to the largest total."""
    top = max((sum(counts.get(s, 0) for s in statuses) for _label, counts in rows), default=0)
    result = []
    for label, counts in rows:
        segments = [
            Segment(status, counts.get(status, 0), round(100 * counts.get(status, 0) / top, 2))
            for status in statuses
            if counts.get(status, 0)
        ]
        total = sum(segment.count for segment in segments)
        result.append(StackedRow(label, segments, total, round(100 * total / top, 2) if top else 0))
    return result
