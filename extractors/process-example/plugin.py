#!/usr/bin/env python3
"""Example ie-harness-jsonl v1 plugin: finds percentages ("12,5%" -> 12.5). Standard library only.
Run: harness eval --plugin cmd:"python3 extractors/process-example/plugin.py"  (protocol: README.md)"""
import io
import json
import re
import sys

PERCENT = re.compile(r"([0-9]+(?:,[0-9]+)?)[ \u00a0]?(?:%|phần trăm)")  # "7,1%", "17,9 %"
stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", newline="\n")
stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")


def send(obj):  # one JSON object per line, flushed at once
    stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    stdout.flush()


def extract(text):  # Python str indices are code point offsets, as the protocol wants
    return [{"field": "percentage", "start": m.start(), "end": m.end(), "text": m.group(0),
             "value": {"value": float(m.group(1).replace(",", "."))}} for m in PERCENT.finditer(text)]


send({"protocol": "ie-harness-jsonl", "protocol_version": 1,
      "name": "example-percent", "version": "1.0.0", "fields": ["percentage"]})
for line in stdin:  # one request per line; the loop ends when the harness closes stdin
    if not line.strip():
        continue
    req = {}
    try:
        req = json.loads(line)
        send({"id": req["id"], "mentions": extract(req["text"])})
    except Exception as exc:  # a bad article gets an error line, the plugin goes on
        print(f"example-percent: {exc!r}", file=sys.stderr)  # stderr is free for logs
        send({"id": req.get("id") if isinstance(req, dict) else None, "error": repr(exc)})
sys.exit(0)
