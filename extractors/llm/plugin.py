#!/usr/bin/env python3
"""An ie-harness-jsonl v1 plugin around any OpenAI-compatible chat-completions
endpoint. Standard library only. See README.md beside this file.

    harness eval --timeout 120 --plugin 'cmd:python3 extractors/llm/plugin.py --model gpt-4o-mini'

Per article: the prompt (prompt.md, quoting the field sections of
gold/GUIDELINES.md) and the article go to the model; its JSON answer is read
and checked (answer.py, values.py), the mentions get offsets (align.py, the
port of extractor_api::align), and one reply line goes to stdout with the
request's id and the call's token usage. stdout carries nothing else; logs go
to stderr.
"""

import argparse
import json
import os
import sys
import traceback
import unicodedata
from string import Template

import align
import answer
import client
import guidelines
import values

HERE = os.path.dirname(os.path.abspath(__file__))
VERSION = "0.1.0"

NUMBER, INT, TEXT = (int, float), (int,), (str,)
# Every setting: its default, the environment variable it may come from, and
# the JSON types it takes. Precedence: flag > --config file > environment >
# default.
SETTINGS = {
    "base_url": ("https://api.openai.com/v1", "OPENAI_BASE_URL", TEXT),
    "model": (None, "IE_LLM_MODEL", TEXT),
    "api_key_env": ("OPENAI_API_KEY", None, TEXT),
    "fields": (list(values.FIELDS), None, (list,)),
    "guidelines": (os.path.join(HERE, "..", "..", "gold", "GUIDELINES.md"), None, TEXT),
    "prompt": (os.path.join(HERE, "prompt.md"), None, TEXT),
    "name": (None, None, TEXT),
    "temperature": (0.0, None, NUMBER),
    "max_tokens": (None, None, INT),
    "seed": (None, None, INT),
    "json_mode": (True, None, (bool,)),
    "request_timeout_s": (90.0, None, NUMBER),
    "retry_after_default_s": (10.0, None, NUMBER),
    "price_input_per_mtok": (None, None, NUMBER),
    "price_output_per_mtok": (None, None, NUMBER),
}
PATHS = ("guidelines", "prompt")


def log(*args):
    print("llm:", *args, file=sys.stderr, flush=True)


class ConfigError(ValueError):
    pass


def _arguments(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--config", help="a JSON file of settings, or a plugin manifest whose \"config\" holds them")
    p.add_argument("--base-url", help="the endpoint's base URL, up to /v1 (env OPENAI_BASE_URL)")
    p.add_argument("--model", help="the model name (env IE_LLM_MODEL)")
    p.add_argument("--api-key-env", help="the environment variable holding the API key (default OPENAI_API_KEY)")
    p.add_argument("--fields", type=lambda s: [f.strip() for f in s.split(",") if f.strip()],
                   help="comma-separated fields to ask for (default: all four)")
    p.add_argument("--guidelines", help="the guidelines file whose field sections the prompt quotes")
    p.add_argument("--prompt", help="the prompt template ($fields, $guidelines)")
    p.add_argument("--name", help="the plugin name in reports (default llm-MODEL)")
    p.add_argument("--temperature", type=float)
    p.add_argument("--max-tokens", type=int)
    p.add_argument("--seed", type=int)
    p.add_argument("--json-mode", choices=["on", "off"],
                   help='send response_format {"type": "json_object"} (default on)')
    p.add_argument("--request-timeout-s", type=float)
    p.add_argument("--retry-after-default-s", type=float, help="wait asked for on a 429 without Retry-After")
    p.add_argument("--price-input-per-mtok", type=float, help="USD per million input tokens")
    p.add_argument("--price-output-per-mtok", type=float, help="USD per million output tokens")
    return p.parse_args(argv)


def _from_file(path):
    with open(path, encoding="utf-8") as f:
        try:
            data = json.load(f)
        except ValueError as e:
            raise ConfigError(f"{path}: not JSON: {e}") from None
    if isinstance(data, dict) and ("command" in data or "library" in data):
        data = data.get("config", {})  # a manifest: the settings are its config
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: settings must be a JSON object")
    unknown = sorted(set(data) - set(SETTINGS))
    if unknown:
        raise ConfigError(f"{path}: unknown settings {', '.join(unknown)} (known: {', '.join(SETTINGS)})")
    base = os.path.dirname(os.path.abspath(path))
    return {k: os.path.join(base, v) if k in PATHS and isinstance(v, str) else v for k, v in data.items()}


def settings(argv, environ):
    """The resolved settings, checked; raises ConfigError."""
    args = _arguments(argv)
    flags = {k: v for k, v in vars(args).items() if k in SETTINGS and v is not None}
    if "json_mode" in flags:
        flags["json_mode"] = flags["json_mode"] == "on"
    from_file = _from_file(args.config) if args.config else {}
    s = {}
    for key, (default, env, kinds) in SETTINGS.items():
        s[key] = flags.get(key, from_file.get(key, environ.get(env) if env and environ.get(env) else default))
        if s[key] is not None and (isinstance(s[key], bool) and bool not in kinds or not isinstance(s[key], kinds)):
            raise ConfigError(f"setting {key} must be {' or '.join(k.__name__ for k in kinds)}, got {s[key]!r}")
    if not s["model"]:
        raise ConfigError("no model: pass --model, set \"model\" in the --config file, or set IE_LLM_MODEL")
    fields = s["fields"]
    if not fields or any(f not in values.FIELDS for f in fields) or len(set(fields)) != len(fields):
        raise ConfigError(f"fields must be a non-empty list of distinct {', '.join(values.FIELDS)}, got {fields!r}")
    if (s["price_input_per_mtok"] is None) != (s["price_output_per_mtok"] is None):
        raise ConfigError("give both prices (input and output per million tokens) or neither")
    s["name"] = s["name"] or f"llm-{s['model']}"
    return s


def usage_of(response, s):
    """The protocol's usage object from an OpenAI `usage`, or None."""
    u = response.get("usage") if isinstance(response, dict) else None
    if not isinstance(u, dict):
        return None
    out = {}
    for ours, theirs in (("input_tokens", "prompt_tokens"), ("output_tokens", "completion_tokens")):
        n = u.get(theirs)
        if isinstance(n, int) and not isinstance(n, bool) and n >= 0:
            out[ours] = n
    if s["price_input_per_mtok"] is not None and len(out) == 2:
        out["cost_usd"] = (out["input_tokens"] * s["price_input_per_mtok"]
                           + out["output_tokens"] * s["price_output_per_mtok"]) / 1e6
    return out or None


class Extractor:
    def __init__(self, s, environ):
        self.s = s
        self.api_key = environ.get(s["api_key_env"]) if s["api_key_env"] else None
        with open(s["prompt"], encoding="utf-8") as f:
            template = f.read()
        rules = guidelines.field_sections(s["guidelines"], s["fields"])
        try:
            self.system = Template(template).substitute(fields=", ".join(s["fields"]), guidelines=rules)
        except (KeyError, ValueError) as e:
            raise ConfigError(f"{s['prompt']}: the template may use only $fields and $guidelines ($$ for a $): {e}")

    def body(self, text):
        s = self.s
        body = {"model": s["model"], "temperature": s["temperature"],
                "messages": [{"role": "system", "content": self.system},
                             {"role": "user", "content": unicodedata.normalize("NFC", text)}]}
        if s["max_tokens"] is not None:
            body["max_tokens"] = s["max_tokens"]
        if s["seed"] is not None:
            body["seed"] = s["seed"]
        if s["json_mode"]:
            body["response_format"] = {"type": "json_object"}
        return body

    def reply(self, art_id, text):
        """The reply line for one article (an error reply for every failure)."""
        s = self.s
        try:
            response = client.chat(s["base_url"], self.api_key, self.body(text),
                                   s["request_timeout_s"], s["retry_after_default_s"])
        except client.RateLimited as e:
            log(f"{art_id}: rate limited, retry after {e.retry_after_s:.1f} s: {e}")
            return {"id": art_id, "error": str(e), "retry_after_s": e.retry_after_s}
        except client.ApiError as e:
            log(f"{art_id}: {e}")
            return {"id": art_id, "error": str(e)}
        usage = usage_of(response, s)
        with_usage = (lambda r: {**r, "usage": usage}) if usage else (lambda r: r)
        try:
            choice = response["choices"][0]
            content = choice["message"]["content"]
        except (KeyError, IndexError, TypeError):
            error = f"unexpected response shape: {json.dumps(response)[:200]}"
            log(f"{art_id}: {error}")
            return with_usage({"id": art_id, "error": error})
        try:
            mentions, invalid = answer.parse(content, s["fields"])
        except answer.AnswerError as e:
            if choice.get("finish_reason") == "length":
                e = answer.AnswerError(f"{e} (the answer was cut off at max_tokens)")
            log(f"{art_id}: {e}; usage {json.dumps(usage)}")
            return with_usage({"id": art_id, "error": str(e)})
        stats = align.align(text, mentions)
        for reason in invalid:
            log(f"{art_id}: dropped {reason}")
        placed = sorted((m for m in mentions if m.get("start") is not None), key=lambda m: (m["start"], m["end"]))
        # Mentions not found in the text travel without offsets: the harness
        # scores them span-free only (and counts them).
        spanless = [{"field": m["field"], "value": m["value"]} for m in mentions if m.get("start") is None]
        for m in mentions:
            if m.get("start") is None:
                log(f"{art_id}: {m['field']} {m['text']!r} not found in the article; sent without offsets")
        log(f"{art_id}: {len(placed)} mentions aligned, {len(spanless)} without offsets, dropped {len(invalid)} "
            f"invalid; usage {json.dumps(usage)}")
        return with_usage({"id": art_id, "mentions": placed + spanless})


def serve(extractor, s):
    """The protocol: handshake, then one reply line per request line."""
    out = sys.stdout.buffer

    def send(obj):
        out.write(json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n")
        out.flush()

    send({"protocol": "ie-harness-jsonl", "protocol_version": 1,
          "name": s["name"], "version": VERSION, "fields": s["fields"]})
    for line in sys.stdin.buffer:
        if not line.strip():
            continue
        art_id = None
        try:
            req = json.loads(line)
            art_id = req.get("id") if isinstance(req, dict) and isinstance(req.get("id"), str) else None
            if art_id is None or not isinstance(req.get("text"), str):
                raise ValueError('a request is an object with a string "id" and a string "text"')
            send(extractor.reply(art_id, req["text"]))
        except Exception as exc:  # one article's failure is that article's error line
            log(f"{art_id!r}: " + traceback.format_exc().rstrip())
            send({"id": art_id, "error": f"{type(exc).__name__}: {exc}"})
    return 0


def main(argv=None, environ=None):
    environ = os.environ if environ is None else environ
    try:
        s = settings(sys.argv[1:] if argv is None else argv, environ)
        extractor = Extractor(s, environ)
    except (ValueError, OSError) as e:  # ConfigError is a ValueError
        log(f"error: {e}")
        return 2
    if not extractor.api_key:
        where = f"${s['api_key_env']} is not set" if s["api_key_env"] else "api_key_env is empty"
        log(f"no API key ({where}): calling {s['base_url']} without one")
    log(f"{s['name']} {VERSION}: model {s['model']} at {s['base_url']}, fields {', '.join(s['fields'])}, "
        f"prompt {len(extractor.system)} characters")
    return serve(extractor, s)


if __name__ == "__main__":
    sys.exit(main())
