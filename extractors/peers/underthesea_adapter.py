#!/usr/bin/env python3
"""Peer adapter: underthesea's CRF named-entity tagger -> field "official".

Run:  extractors/peers/.venv/bin/python extractors/peers/underthesea_adapter.py
Protocol: ie-harness-jsonl v1 (see ../process-example/README.md).

What it does:
  * splits the article into lines, and each line into sentences with
    underthesea.sent_tokenize;
  * tags each sentence with underthesea.ner(sentence) -- deep=False, the CRF
    model (ner_crf_2017_10_12.bin) that ships inside the wheel, so it runs
    offline. deep=True would download a transformer from a model hub at run
    time and is NOT used;
  * joins each B-PER token with the I-PER tokens that follow it into one span
    (an I-PER with no B-PER before it starts a span too);
  * finds each span again in its line, searching forward from the previous
    hit, for code point offsets. underthesea normalizes tokens (tone placement,
    "hoà" -> "hòa"), so when the exact syllables are not found the search
    compares with diacritics and case folded away (one code point for one code
    point, so offsets still hold). A span not found either way is logged on
    stderr and skipped.
  * emits {"field": "official", "value": {"name": <span>, "titles": []}}.

Titles are not this tool's job: a NER tagger finds person names, not offices,
so "titles" is always [] and every PER name is reported, whether the article
calls the person an official or not (reporters in bylines fall in the
harness's ignore regions). The handshake says so in its name.
"""

import re
import sys
import unicodedata

import jsonl_protocol

OUT = jsonl_protocol.claim_stdout()  # before importing the tool

import underthesea  # noqa: E402
from underthesea import ner, sent_tokenize  # noqa: E402

LINE = re.compile(r"[^\r\n]+")


def fold(s):
    """Same length as s: each code point -> its base letter, lower case."""
    return "".join(unicodedata.normalize("NFD", c)[0].lower() for c in s)


def person_spans(sentence):
    """Token lists of the PER entities that ner() finds in sentence, in order."""
    spans = []
    current = None
    for token, _pos, _chunk, tag in ner(sentence):
        if tag == "B-PER" or (tag == "I-PER" and current is None):
            current = [token]
            spans.append(current)
        elif tag == "I-PER":
            current.append(token)
        else:
            current = None
    return spans


def span_pattern(tokens):
    # syllables inside a token: some whitespace; between tokens: maybe none
    words = [r"\s+".join(re.escape(s) for s in tok.split()) for tok in tokens]
    return re.compile(r"(?<!\w)" + r"\s*".join(words) + r"(?!\w)")


def find(line, folded, tokens, pos):
    m = span_pattern(tokens).search(line, pos)
    if m is None:
        m = span_pattern([fold(t) for t in tokens]).search(folded, pos)
    return None if m is None else (m.start(), m.end())


def extract(text):
    mentions = []
    for line_m in LINE.finditer(text):
        line = line_m.group()
        if not line.strip():
            continue
        folded = fold(line)
        pos = 0
        for sentence in sent_tokenize(line):
            for tokens in person_spans(sentence):
                hit = find(line, folded, tokens, pos)
                if hit is None:
                    jsonl_protocol.log(f"[underthesea] cannot re-find {tokens!r} in line at {line_m.start()}")
                    continue
                s, e = hit
                pos = e
                name = line[s:e]
                start = line_m.start() + s
                mentions.append({"field": "official", "start": start, "end": start + len(name),
                                 "text": name, "value": {"name": name, "titles": []}})
    return mentions


def main():
    ner("Ông Nguyễn Văn An phát biểu.")  # load the CRF models before the handshake
    return jsonl_protocol.serve(OUT, "underthesea-ner-crf", underthesea.__version__,
                                ["official"], extract)


if __name__ == "__main__":
    sys.exit(main())
