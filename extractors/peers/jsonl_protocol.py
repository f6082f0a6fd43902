"""Shared plumbing for the peer adapters: the ie-harness-jsonl protocol, v1.

See ../process-example/README.md for the protocol itself. This module adds two
things the outside tools need and the example plugin does not:

* claim_stdout() keeps the protocol channel clean. It must be called before
  the tool is imported: it moves the real stdout to a private file descriptor
  and points file descriptor 1 (and sys.stdout) at stderr, so anything a
  library prints, from Python or from C, lands in the harness's log instead of
  in the middle of a JSON line.
* serve() answers every request with exactly one line. An exception while
  processing one article becomes an error line for that article; the adapter
  keeps going and exits 0 when stdin closes.
"""

import io
import json
import os
import sys
import traceback

PROTOCOL = "ie-harness-jsonl"
PROTOCOL_VERSION = 1


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def claim_stdout():
    """Return a text stream on the real stdout; route everything else to stderr."""
    sys.stdout.flush()
    fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return io.TextIOWrapper(os.fdopen(fd, "wb", buffering=0), encoding="utf-8",
                            newline="\n", write_through=True)


def serve(out, name, version, fields, extract):
    """Speak the protocol on (sys.stdin, out).

    extract(text) -> list of {"field", "start", "end", "text", "value"} dicts,
    offsets in code points (Python str indices) into text.
    """

    def send(obj):
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        out.flush()

    send({"protocol": PROTOCOL, "protocol_version": PROTOCOL_VERSION,
          "name": name, "version": version, "fields": list(fields)})
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", newline="\n")
    for line in stdin:
        if not line.strip():
            continue
        art_id = None
        try:
            req = json.loads(line)
            art_id = req.get("id") if isinstance(req, dict) else None
            if not isinstance(req, dict) or not isinstance(art_id, str):
                raise ValueError('request must be an object with a string "id"')
            text = req.get("text")
            if not isinstance(text, str):
                raise ValueError('request "text" must be a string')
            mentions = extract(text)
            for m in mentions:  # never send a mention the harness would reject
                if text[m["start"]:m["end"]] != m["text"]:
                    raise AssertionError(f"offset bug: {m!r}")
            send({"id": art_id, "mentions": mentions})
        except Exception as exc:  # one article's failure is that article's error line
            log(f"[{name}] article {art_id!r}: " + traceback.format_exc().rstrip())
            send({"id": art_id, "error": f"{type(exc).__name__}: {exc}"})
    return 0
