"""The plugin as the harness sees it: settings, usage, and the protocol
against the local fake server (nothing leaves the machine)."""

import email.utils
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

import plugin
from client import retry_after
from tests import fake_server

PLUGIN = os.path.join(os.path.dirname(__file__), "..", "plugin.py")


class SettingsTest(unittest.TestCase):
    def test_flags_beat_the_config_file_which_beats_the_environment(self):
        env = {"IE_LLM_MODEL": "env-model", "OPENAI_BASE_URL": "http://env/v1"}
        s = plugin.settings([], env)
        self.assertEqual((s["model"], s["base_url"], s["name"]), ("env-model", "http://env/v1", "llm-env-model"))
        with tempfile.TemporaryDirectory() as d:
            manifest = os.path.join(d, "llm.json")
            with open(manifest, "w", encoding="utf-8") as f:
                json.dump({"command": "python3 plugin.py --config llm.json",
                           "config": {"model": "file-model", "prompt": "my-prompt.md", "fields": ["date"]}}, f)
            s = plugin.settings(["--config", manifest], env)
            self.assertEqual((s["model"], s["base_url"], s["fields"]), ("file-model", "http://env/v1", ["date"]))
            self.assertEqual(s["prompt"], os.path.join(d, "my-prompt.md"), "paths are the file's")
            s = plugin.settings(["--config", manifest, "--model", "flag-model", "--json-mode", "off"], env)
            self.assertEqual((s["model"], s["json_mode"]), ("flag-model", False))

    def test_the_example_manifest_resolves(self):
        example = os.path.join(os.path.dirname(PLUGIN), "ollama.example.json")
        s = plugin.settings(["--config", example], {"IE_LLM_MODEL": "ignored", "OPENAI_API_KEY": "sk-ignored"})
        self.assertEqual((s["model"], s["name"], s["api_key_env"]), ("qwen2.5:7b-instruct", "llm-qwen2.5:7b-instruct", ""))
        with open(example, encoding="utf-8") as f:
            self.assertIn("--config ollama.example.json", json.load(f)["command"], "the manifest names itself")
        self.assertIsNone(plugin.Extractor(s, {"OPENAI_API_KEY": "sk-ignored"}).api_key, "a local server gets no key")

    def test_bad_settings_are_refused(self):
        with self.assertRaisesRegex(plugin.ConfigError, "no model"):
            plugin.settings([], {})
        with self.assertRaisesRegex(plugin.ConfigError, "both prices"):
            plugin.settings(["--model", "m", "--price-input-per-mtok", "1"], {})
        for fields in ["date,salary", "date,date", ","]:
            with self.assertRaisesRegex(plugin.ConfigError, "fields", msg=fields):
                plugin.settings(["--model", "m", "--fields", fields], {})
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"model": "m", "temprature": 0.2}, f)
        try:
            with self.assertRaisesRegex(plugin.ConfigError, "unknown settings temprature"):
                plugin.settings(["--config", f.name], {})
            with open(f.name, "w") as g:
                json.dump({"model": "m", "temperature": True}, g)
            with self.assertRaisesRegex(plugin.ConfigError, "temperature must be"):
                plugin.settings(["--config", f.name], {})
            with open(f.name, "w") as g:
                g.write('{"model": "m",}')
            with self.assertRaisesRegex(plugin.ConfigError, "not JSON"):
                plugin.settings(["--config", f.name], {})
        finally:
            os.unlink(f.name)


class UsageTest(unittest.TestCase):
    def test_tokens_and_cost(self):
        s = plugin.settings(["--model", "m", "--price-input-per-mtok", "0.15", "--price-output-per-mtok", "0.6"], {})
        u = plugin.usage_of({"usage": {"prompt_tokens": 2000, "completion_tokens": 500, "total_tokens": 2500}}, s)
        self.assertEqual(u["input_tokens"], 2000)
        self.assertEqual(u["output_tokens"], 500)
        self.assertAlmostEqual(u["cost_usd"], (2000 * 0.15 + 500 * 0.6) / 1e6)
        free = plugin.settings(["--model", "m"], {})
        self.assertEqual(plugin.usage_of({"usage": {"prompt_tokens": 7, "completion_tokens": 3}}, free),
                         {"input_tokens": 7, "output_tokens": 3})
        self.assertIsNone(plugin.usage_of({"choices": []}, s))
        self.assertIsNone(plugin.usage_of({"usage": {"prompt_tokens": True}}, s))

    def test_retry_after_header_forms(self):
        now = time.time()
        self.assertEqual(retry_after("7", 10), 7.0)
        self.assertEqual(retry_after("1.5", 10), 1.5)
        self.assertEqual(retry_after(None, 10), 10)
        self.assertEqual(retry_after("soon", 10), 10)
        self.assertEqual(retry_after("-3", 10), 0.0)
        date = email.utils.formatdate(now + 30, usegmt=True)
        self.assertAlmostEqual(retry_after(date, 10, now=now), 30, delta=1)


def answer(*mentions):
    return json.dumps({"mentions": list(mentions)}, ensure_ascii=False)


class ProtocolTest(unittest.TestCase):
    """plugin.py in a subprocess, speaking the protocol, against the fake server."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.log = os.path.join(self.dir.name, "requests.jsonl")
        self.guidelines = os.path.join(self.dir.name, "GUIDELINES.md")
        with open(self.guidelines, "w", encoding="utf-8") as f:
            f.write("# G\n## date\nDATE RULE: dates have digits.\n## percentage\nPERCENT RULE: a % sign.\n## other\nX\n")
        date = email.utils.formatdate(time.time() + 3600, usegmt=True)
        script = {"routes": [
            {"match": "ARTICLE-OK", "replies": [{"content": answer(
                {"field": "date", "text": "tháng 6/2024", "value": "2024-06"},
                {"field": "percentage", "text": "7,1 %", "value": {"value": 7.1}},
                {"field": "percentage", "text": "99%", "value": {"value": 99}},  # not in the text
                {"field": "date", "text": "năm 2024", "value": "2024-13"}),  # invalid value
                "usage": {"prompt_tokens": 1000, "completion_tokens": 200}}]},
            {"match": "ARTICLE-LIMITED", "replies": [
                {"status": 429, "headers": {"Retry-After": date}, "body": {"error": {"message": "slow down"}}}]},
            {"match": "ARTICLE-BROKEN", "replies": [{"content": "Here you go: {mentions: [", "finish_reason": "length",
                                                     "usage": {"prompt_tokens": 900, "completion_tokens": 4096}}]},
            {"match": "ARTICLE-DOWN", "replies": [{"status": 500, "body": "upstream exploded"}]},
            {"match": "ARTICLE-FENCED", "replies": [{"content": "```json\n" + answer(
                {"field": "percentage", "text": "5%", "value": {"value": 5}}) + "\n```"}]},
        ]}
        self.server = fake_server.start(script, self.log)
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)

    def run_plugin(self, requests, *flags):
        env = dict(os.environ, OPENAI_API_KEY="sk-test", NO_PROXY="127.0.0.1", no_proxy="127.0.0.1")
        port = self.server.server_address[1]
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in requests)
        done = subprocess.run([sys.executable, PLUGIN, "--model", "fake-1", "--base-url", f"http://127.0.0.1:{port}/v1",
                               "--guidelines", self.guidelines, "--fields", "date,percentage", *flags],
                              input=lines.encode("utf-8"), capture_output=True, env=env, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr.decode())
        out = [json.loads(l) for l in done.stdout.decode("utf-8").splitlines()]
        return out[0], out[1:], done.stderr.decode("utf-8")

    def test_a_session(self):
        nfd_text = "ARTICLE-OK: tha\u0301ng 6/2024 đạt 7,1\u00a0%, năm 2024."
        requests = [{"id": "ok", "text": nfd_text}, {"id": "limited", "text": "ARTICLE-LIMITED"},
                    {"id": "broken", "text": "ARTICLE-BROKEN"}, {"id": "down", "text": "ARTICLE-DOWN"},
                    {"id": "fenced", "text": "ARTICLE-FENCED 5%"}, {"id": 7, "text": "x"}]
        hello, replies, stderr = self.run_plugin(
            requests, "--price-input-per-mtok", "2", "--price-output-per-mtok", "8")
        self.assertEqual(hello["name"], "llm-fake-1")
        self.assertEqual(hello["fields"], ["date", "percentage"])
        self.assertEqual([r["id"] for r in replies], ["ok", "limited", "broken", "down", "fenced", None])

        ok = replies[0]
        placed = [m for m in ok["mentions"] if "start" in m]
        self.assertEqual([(m["start"], m["end"], m["text"]) for m in placed],
                         [(12, 25, "tha\u0301ng 6/2024"), (30, 35, "7,1\u00a0%")])
        for m in placed:
            self.assertEqual(nfd_text[m["start"]:m["end"]], m["text"])
        # A mention not found in the text travels without offsets (span-free).
        self.assertEqual([m for m in ok["mentions"] if "start" not in m],
                         [{"field": "percentage", "value": {"value": 99}}])
        self.assertEqual(ok["usage"], {"input_tokens": 1000, "output_tokens": 200, "cost_usd": 0.0036})
        self.assertIn("percentage '99%' not found in the article; sent without offsets", stderr)
        self.assertIn("2024-13", stderr)

        limited = replies[1]
        self.assertIn("HTTP 429", limited["error"])
        self.assertAlmostEqual(limited["retry_after_s"], 3600, delta=5)

        broken = replies[2]
        self.assertIn("not JSON", broken["error"])
        self.assertIn("cut off at max_tokens", broken["error"])
        self.assertNotIn("retry_after_s", broken)
        self.assertEqual(broken["usage"]["output_tokens"], 4096, "a failed answer still cost tokens")

        self.assertIn("HTTP 500", replies[3]["error"])
        self.assertNotIn("retry_after_s", replies[3])
        self.assertEqual(replies[4]["mentions"][0]["text"], "5%")
        self.assertIn("error", replies[5])

        with open(self.log, encoding="utf-8") as f:
            sent = [json.loads(l) for l in f]
        self.assertEqual(len(sent), 5)
        first = sent[0]
        self.assertEqual(first["authorization"], "Bearer sk-test")
        body = first["body"]
        self.assertEqual((body["model"], body["temperature"]), ("fake-1", 0.0))
        self.assertEqual(body["response_format"], {"type": "json_object"})
        system, user = body["messages"][0]["content"], body["messages"][1]["content"]
        self.assertIn("DATE RULE: dates have digits.", system)
        self.assertIn("PERCENT RULE", system)
        self.assertNotIn("## other", system, "only the fields asked for")
        self.assertIn("date, percentage", system)
        self.assertEqual(user, "ARTICLE-OK: tháng 6/2024 đạt 7,1\u00a0%, năm 2024.", "the model reads NFC")

    def test_a_plugin_that_cannot_start_says_why_before_the_handshake(self):
        done = subprocess.run([sys.executable, PLUGIN, "--model", "m", "--guidelines", "/nonexistent/G.md"],
                              input=b"", capture_output=True, timeout=60)
        self.assertEqual(done.returncode, 2)
        self.assertEqual(done.stdout, b"")
        self.assertIn("/nonexistent/G.md", done.stderr.decode())


if __name__ == "__main__":
    unittest.main()
