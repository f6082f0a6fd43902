"""Value shapes, checked as the harness checks them.

The harness rejects a whole reply when one mention's value is malformed
(`extractor_api::Value::from_json` and `Value::check`), so the plugin checks
each value the model gives and drops the bad ones, keeping the article.
These rules mirror that Rust code (TIMEX dates: extractor_api::timex); a test
in harness/tests/it/llm.rs feeds the same values to both and compares.

normalize(field, value) returns the value as the plugin sends it, or raises
ValueError saying what is wrong. It fixes only what has one right answer:
strings to NFC (the guidelines write values in NFC), figure units to lower
case, surrounding whitespace off names, titles and units.
"""

import math
import re
import unicodedata

FIELDS = ("date", "official", "figure", "percentage")

_YEAR = re.compile(r"(?:XXXX|[0-9]{4})")
_TWO = re.compile(r"[0-9]{2}")
_QUARTER = re.compile(r"Q[0-9]")


def _days_in_month(year, month):
    if month == 2:
        leap = year is None or (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0))
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _check_point(point, whole):
    parts = point.split("-")
    if not _YEAR.fullmatch(parts[0]):
        raise ValueError(f"{whole!r}: year must be 4 digits or XXXX")
    year = None if parts[0] == "XXXX" else int(parts[0])
    if len(parts) == 1:
        return
    if len(parts) == 2 and parts[1].startswith("Q"):
        if not _QUARTER.fullmatch(parts[1]) or not 1 <= int(parts[1][1:]) <= 4:
            raise ValueError(f"{whole!r}: quarter must be Q1-Q4")
        return
    if len(parts) > 3:
        raise ValueError(f"{whole!r}: too many '-' parts")
    if not _TWO.fullmatch(parts[1]) or not 1 <= int(parts[1]) <= 12:
        raise ValueError(f"{whole!r}: month must be 01-12")
    if len(parts) == 3:
        month = int(parts[1])
        if not _TWO.fullmatch(parts[2]) or not 1 <= int(parts[2]) <= _days_in_month(year, month):
            raise ValueError(f"{whole!r}: day {parts[2]} does not exist in month {month}")


def check_timex(s):
    """A TIMEX3-style date: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn (year may be
    XXXX), or an interval A/B of two of those. Raises ValueError."""
    halves = s.split("/")
    if len(halves) > 2:
        raise ValueError(f"{s!r}: an interval has exactly one '/'")
    for half in halves:
        _check_point(half, s)


def _number(v, what):
    # bool is an int in Python but not a JSON number to the harness.
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError(f"{what} must be a number, got {v!r}")
    try:
        finite = math.isfinite(float(v))
    except OverflowError:  # an int past the range of a double
        finite = False
    if not finite:
        raise ValueError(f"{what} {v} is not finite")
    return v


def _text(v, what):
    if not isinstance(v, str) or not v.strip():
        raise ValueError(f"{what} must be a non-empty string, got {v!r}")
    return unicodedata.normalize("NFC", v.strip())


def _keys(v, keys, field):
    if not isinstance(v, dict):
        raise ValueError(f"a {field} value must be an object with {', '.join(keys)}, got {v!r}")
    missing = [k for k in keys if k not in v]
    extra = sorted(set(v) - set(keys))
    if missing or extra:
        raise ValueError(f"a {field} value has exactly the keys {', '.join(keys)} (missing {missing}, extra {extra})")


def normalize(field, value):
    """The value of a `field` mention as the harness accepts it."""
    if field == "date":
        if not isinstance(value, str):
            raise ValueError(f"a date value must be a TIMEX string, got {value!r}")
        check_timex(value)
        return value
    if field == "official":
        _keys(value, ("name", "titles"), field)
        if not isinstance(value["titles"], list):
            raise ValueError(f"official titles must be a list, got {value['titles']!r}")
        return {"name": _text(value["name"], "official name"),
                "titles": [_text(t, "official title") for t in value["titles"]]}
    if field == "figure":
        _keys(value, ("amount", "unit"), field)
        return {"amount": _number(value["amount"], "figure amount"),
                "unit": _text(value["unit"], "figure unit").lower()}
    if field == "percentage":
        _keys(value, ("value",), field)
        return {"value": _number(value["value"], "percentage")}
    raise ValueError(f"unknown field {field!r} (expected one of {', '.join(FIELDS)})")
