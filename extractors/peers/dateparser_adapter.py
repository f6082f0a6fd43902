#!/usr/bin/env python3
"""Peer adapter: dateparser (https://pypi.org/project/dateparser/) -> field "date".

Run:  extractors/peers/.venv/bin/python extractors/peers/dateparser_adapter.py
Protocol: ie-harness-jsonl v1 (see ../process-example/README.md).

Settings used (tuned once, by hand, on the gold articles; nothing else changes them):

  search   dateparser.search.search_dates(text, languages=["vi"], settings=SEARCH_SETTINGS)
           DATE_ORDER      "DMY"   Vietnamese writes 4/6/2024 for 4 June 2024
           PARSERS         ["absolute-time", "custom-formats"]
                                   no "relative-time" (it turns durations such as
                                   "5 tháng" into dates) and no "timestamp"
           RELATIVE_BASE   2000-01-01, fixed, so a run does not depend on today
           REQUIRE_PARTS   not set: ["month"] would also drop "năm 2023", a gold date
  value    each hit is parsed again on its own with dateparser.parse, twice, with
           two different RELATIVE_BASEs (2001-02-03 and 1997-11-28). A part that
           comes out the same both times was written; one that differs was
           filled in by dateparser. The TIMEX value keeps the written parts only:
           day+month+year -> "2024-06-04", month+year -> "2024-06", year -> "2024",
           day+month -> "XXXX-08-31", month -> "XXXX-05". A day is kept only
           with its month: year+day -> "2019", a day alone is dropped
           (`--self-test` checks this without dateparser).
  filter   dropped: hits without a digit ("thu từ"), hits ending in "%" or followed
           by "%" ("37,4%", "17,9 %"), bare decimals ("17,9"), bare numbers
           ("2024", "2201"), clock times ("18:30"), durations "<n> ngày|tháng|năm"
           ("5 năm"), and hits whose value has no written part.
  span     leading words before the first unit word (ngày/tháng/năm/quý) or number
           are cut ("Trong tháng 5/2024" -> "tháng 5/2024"), and trailing
           punctuation is cut, as gold/GUIDELINES.md asks.

Offsets: search_dates returns (substring, datetime) pairs without positions, so
each substring is found again in the text, searching forward from the end of the
previous hit; as dateparser turns no-break spaces into spaces, any whitespace run
matches any whitespace run. A substring that cannot be found is logged on
stderr and skipped.

Known limits: no quarters ("quý I/2024" comes back as "1/2024", value 2024-01),
no ranges ("2023 – 2024" comes back as two bare years, both dropped).
"""

import datetime
import re
import sys

import jsonl_protocol


def written_value(a, b):
    """TIMEX value of the parts that two parses with different bases agree on
    (the parts written in the text), or None.

    A day is only kept with its month: TIMEX has no value for a day without
    a month, so a day-only match ("02") is dropped and a year-and-day match
    keeps its year alone ("2019")."""
    year = a.year == b.year
    month = a.month == b.month
    day = a.day == b.day and month
    if not (year or month):
        return None
    value = f"{a.year:04d}" if year else "XXXX"
    if month:
        value += f"-{a.month:02d}"
        if day:
            value += f"-{a.day:02d}"
    return value


def self_test():
    """Checks written_value on invented parses; exit status 0 when all pass."""
    d = datetime.datetime
    table = [
        ((d(2024, 6, 4), d(2024, 6, 4)), "2024-06-04"),
        ((d(2024, 6, 1), d(2024, 6, 28)), "2024-06"),
        ((d(2024, 2, 3), d(2024, 11, 28)), "2024"),
        ((d(2001, 8, 31), d(1997, 8, 31)), "XXXX-08-31"),
        ((d(2001, 5, 3), d(1997, 5, 28)), "XXXX-05"),
        ((d(2001, 2, 2), d(1997, 11, 2)), None),        # a day alone
        ((d(2019, 2, 15), d(2019, 11, 15)), "2019"),    # year and day, no month
        ((d(2001, 2, 3), d(1997, 11, 28)), None),       # nothing written
    ]
    failed = 0
    for (a, b), want in table:
        got = written_value(a, b)
        if got != want:
            failed += 1
            print(f"written_value({a:%Y-%m-%d}, {b:%Y-%m-%d}) = {got!r}, want {want!r}", file=sys.stderr)
    print(f"dateparser_adapter self-test: {len(table) - failed}/{len(table)} passed", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__" and sys.argv[1:] == ["--self-test"]:
    sys.exit(self_test())

OUT = jsonl_protocol.claim_stdout()  # before importing the tool

import dateparser  # noqa: E402
from dateparser.search import search_dates  # noqa: E402

LANGUAGES = ["vi"]
SEARCH_SETTINGS = {
    "DATE_ORDER": "DMY",
    "PARSERS": ["absolute-time", "custom-formats"],
    "RELATIVE_BASE": datetime.datetime(2000, 1, 1),
}
PROBE_BASES = (datetime.datetime(2001, 2, 3), datetime.datetime(1997, 11, 28))

UNIT_WORDS = {"ngày", "tháng", "năm", "quý", "qúy"}
BARE_DECIMAL = re.compile(r"\d+(?:[.,]\d+)?")
CLOCK = re.compile(r"\d{1,2}\s*[:hg]\s*\d{2}")
DURATION = re.compile(r"\d+\s+(?:ngày|tháng|năm)", re.IGNORECASE)
PERCENT_AFTER = re.compile(r"[ \u00a0]?%")
TRAILING_PUNCT = ".,;:!?\"'”’-–"


def timex(substring):
    """TIMEX value at the granularity written in substring, or None."""
    parsed = [dateparser.parse(substring, languages=LANGUAGES,
                               settings=dict(SEARCH_SETTINGS, RELATIVE_BASE=base))
              for base in PROBE_BASES]
    if parsed[0] is None or parsed[1] is None:
        return None
    return written_value(*parsed)


def trim(substring):
    """(offset of the kept part, kept part) following the span rules."""
    cut = 0
    for word in re.finditer(r"\S+", substring):
        w = word.group()
        if w.lower() in UNIT_WORDS or w[0].isdigit():
            cut = word.start()
            break
    kept = substring[cut:].rstrip()
    while kept and kept[-1] in TRAILING_PUNCT:
        kept = kept[:-1].rstrip()
    return cut, kept


def refind(text, substring, pos):
    """(start, end) of substring in text at or after pos, or None.

    dateparser hands back substrings with no-break spaces turned into spaces,
    so any run of whitespace matches any run of whitespace."""
    start = text.find(substring, pos)
    if start >= 0:
        return start, start + len(substring)
    words = substring.split()
    if not words:
        return None
    m = re.compile(r"\s+".join(map(re.escape, words))).search(text, pos)
    return None if m is None else (m.start(), m.end())


def extract(text):
    hits = search_dates(text, languages=LANGUAGES, settings=SEARCH_SETTINGS) or []
    mentions = []
    pos = 0
    for substring, _dt in hits:
        found = refind(text, substring, pos)
        if found is None:
            jsonl_protocol.log(f"[dateparser] cannot re-find {substring!r} after {pos}")
            continue
        start, pos = found
        substring = text[start:pos]
        cut, span = trim(substring)
        start += cut
        end = start + len(span)
        if not any(c.isdigit() for c in span):
            continue
        if span.endswith("%") or PERCENT_AFTER.match(text, end):
            continue
        if (BARE_DECIMAL.fullmatch(span) or CLOCK.fullmatch(span)
                or DURATION.fullmatch(span)):
            continue
        value = timex(substring)
        if value is None:
            continue
        mentions.append({"field": "date", "start": start, "end": end,
                         "text": span, "value": value})
    return mentions


def main():
    search_dates("ngày 4/6/2024", languages=LANGUAGES, settings=SEARCH_SETTINGS)  # warm up
    return jsonl_protocol.serve(OUT, "dateparser", dateparser.__version__, ["date"], extract)


if __name__ == "__main__":
    sys.exit(main())
