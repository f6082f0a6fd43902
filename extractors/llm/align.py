"""Offsets for mentions that come without them: a port of `extractor_api::align`.

The algorithm is specified in extractors/api/src/align.rs and in the protocol
page (extractors/process-example/README.md, "Mentions without offsets"); this
module follows it step for step, and harness/tests/it/llm.rs checks that both
implementations give the same spans on generated texts. Each uses its own
Unicode tables (unicodedata here, the unicode-normalization crate there), so
characters newer than the older table may fold differently.

Run as a script it aligns JSON lines {"text": ..., "mentions": [...]} from
stdin and writes {"mentions": [...], "stats": {...}} lines to stdout.
"""

import json
import sys
import unicodedata

# The Unicode White_Space property (Rust's char::is_whitespace). Python's
# str.isspace() is a different set, so it is spelled out.
SPACES = frozenset("\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000"
                   + "".join(chr(c) for c in range(0x2000, 0x200B)))


def _segments(s):
    """Step 1: (start, end) of each starter with the combining marks after it."""
    start = 0
    for i in range(1, len(s)):
        if unicodedata.combining(s[i]) == 0:
            yield start, i
            start = i
    if s:
        yield start, len(s)


def _fold_units(s):
    """Step 2: the folded string and the (folded offset, stored offset) of the
    start of every unit (segment or space run), then (folded len, stored len)."""
    pieces, units, n, in_space = [], [], 0, False
    for a, b in _segments(s):
        segment = s[a:b]
        space = len(segment) == 1 and segment in SPACES
        if space and in_space:
            continue  # the run already folded to one space
        in_space = space
        piece = " " if space else unicodedata.normalize("NFD", segment)
        units.append((n, a))
        pieces.append(piece)
        n += len(piece)
    units.append((n, len(s)))
    return "".join(pieces), units


def fold(s):
    """Steps 2 and 3: s folded as a needle (no leading or trailing space)."""
    return _fold_units(s)[0].strip(" ")


def _occurrences(folded, starts, needle):
    """Step 4: stored (start, end) of every occurrence on unit boundaries."""
    found, at = [], folded.find(needle)
    while at >= 0:
        start, end = starts.get(at), starts.get(at + len(needle))
        if start is not None and end is not None:
            found.append((start, end))
        at = folded.find(needle, at + 1)
    return found


def align(text, mentions):
    """Steps 5 and 6: give offsets, in place, to every mention dict that has
    neither "start" nor "end". Returns {"aligned", "unaligned", "preset"}."""
    folded, units = _fold_units(text)
    starts = dict(units)
    stats = {"aligned": 0, "unaligned": 0, "preset": 0}
    placed = []  # (field, start, end) of every placed mention
    previous_start = 0
    for m in mentions:
        if m.get("start") is not None or m.get("end") is not None:
            if m.get("start") is not None and m.get("end") is not None:
                placed.append((m.get("field"), m["start"], m["end"]))
                previous_start = m["start"]
            stats["preset"] += 1
            continue
        needle = fold(m["text"]) if isinstance(m.get("text"), str) else ""
        field = m.get("field")
        candidates = [] if not needle else [
            (s, e) for s, e in _occurrences(folded, starts, needle)
            if not any(f == field and s < pe and ps < e for f, ps, pe in placed)]  # unused
        chosen = next((c for c in candidates if c[0] >= previous_start), candidates[0] if candidates else None)
        if chosen is None:
            stats["unaligned"] += 1
            continue
        start, end = chosen
        m["start"], m["end"], m["text"] = start, end, text[start:end]
        placed.append((field, start, end))
        previous_start = start
        stats["aligned"] += 1
    return stats


def main():
    for line in sys.stdin.buffer:
        if line.strip():
            case = json.loads(line)
            stats = align(case["text"], case["mentions"])
            out = json.dumps({"mentions": case["mentions"], "stats": stats}, ensure_ascii=False)
            sys.stdout.buffer.write(out.encode("utf-8") + b"\n")
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
