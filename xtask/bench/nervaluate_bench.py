#!/usr/bin/env python3
"""Time nervaluate on a generated corpus, for `cargo xtask bench`.

    python nervaluate_bench.py GOLD_JSONL PRED_JSONL

GOLD_JSONL has one article per line ({"id", "text", "mentions": [...]}, as
written by xtask's corpus generator); PRED_JSONL one {"id", "mentions"} line
per article. Offsets are code points, end exclusive; nervaluate's span dicts
take an inclusive end, so each mention becomes
{"label": field, "start": start, "end": end - 1}. Articles are paired by id,
in gold order; an article without a predictions line predicts nothing.

Reading and converting happen before the clock starts. The timed region is
nervaluate's own work on all articles over the four labels: building the
Evaluator (which loads the span dicts into its entity objects) and
evaluate(). Prints one JSON object on stdout:

    {"nervaluate_version", "articles", "gold_mentions", "pred_mentions",
     "seconds", "schemes": {"strict" | "exact" | "partial" | "ent_type":
     {"correct", "incorrect", "partial", "missed", "spurious"}}}

Works with the 1.x API (Evaluator(..., loader="dict").evaluate() returning
{"overall": {scheme: EvaluationResult}}) and the 0.x API (evaluate()
returning a tuple whose first item is {scheme: {count: n}}), detected at run
time.
"""

import json
import sys
import time

LABELS = ["date", "official", "figure", "percentage"]
SCHEMES = ["strict", "exact", "partial", "ent_type"]
COUNTS = ["correct", "incorrect", "partial", "missed", "spurious"]


def nervaluate_version():
    try:
        from importlib.metadata import version

        return version("nervaluate")
    except Exception:  # pragma: no cover - very old Pythons or odd installs
        import nervaluate

        return getattr(nervaluate, "__version__", "unknown")


def spans(mentions):
    return [{"label": m["field"], "start": m["start"], "end": m["end"] - 1} for m in mentions]


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as e:
                    sys.exit(f"{path}:{n}: {e}")


def load(gold_path, pred_path):
    gold_ids, true = [], []
    for article in read_jsonl(gold_path):
        gold_ids.append(article["id"])
        true.append(spans(article.get("mentions", [])))
    by_id = {}
    for line in read_jsonl(pred_path):
        # Predictions without offsets cannot be span-scored; nervaluate has
        # no span-free mode, so they are left out.
        by_id[line["id"]] = spans(m for m in line.get("mentions", []) if "start" in m and "end" in m)
    pred = [by_id.get(i, []) for i in gold_ids]
    return true, pred


def counts_of(result):
    """One scheme's counts, from a 1.x EvaluationResult or a 0.x dict."""
    get = result.get if isinstance(result, dict) else lambda k: getattr(result, k)
    return {k: int(get(k)) for k in COUNTS}


def evaluate(Evaluator, true, pred, major):
    """Runs nervaluate and returns its raw result. Only this is timed."""
    if major >= 1:
        # 1.x infers the loader from the first document, which fails when it
        # is empty: name it.
        results = Evaluator(true, pred, tags=LABELS, loader="dict").evaluate()
    else:
        results = Evaluator(true, pred, tags=LABELS).evaluate()
    return results


def zero():
    return {k: 0 for k in COUNTS}


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: nervaluate_bench.py GOLD_JSONL PRED_JSONL")
    version = nervaluate_version()
    try:
        major = int(version.split(".")[0])
    except ValueError:
        major = 1
    # Imported here, outside the timed region (the import alone takes ms).
    from nervaluate import Evaluator

    true, pred = load(argv[1], argv[2])

    start = time.perf_counter()
    results = evaluate(Evaluator, true, pred, major)
    seconds = time.perf_counter() - start

    # 1.x: {"overall": {scheme: EvaluationResult}, ...}; 0.x: a tuple whose
    # first item is {scheme: {count: n, ...}}.
    if isinstance(results, dict) and "overall" in results:
        overall = results["overall"]
    elif isinstance(results, tuple):
        overall = results[0]
    else:
        overall = results
    print(
        json.dumps(
            {
                "nervaluate_version": version,
                "articles": len(true),
                "gold_mentions": sum(map(len, true)),
                "pred_mentions": sum(map(len, pred)),
                "seconds": seconds,
                "schemes": {s: counts_of(overall[s]) if s in overall else zero() for s in SCHEMES},
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv)
