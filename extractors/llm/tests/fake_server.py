"""A local stand-in for an OpenAI-compatible endpoint, for tests only.

It listens on 127.0.0.1 (a free port chosen by the system) and answers
POST /v1/chat/completions from a script of canned replies, so the LLM plugin
can be tested without a network or a model. The script (JSON):

    {"routes": [{"match": "substring of the last user message",
                 "replies": [{"status": 429, "headers": {"Retry-After": "1"}, "body": {...}},
                             {"content": "model answer text", "usage": {...}}]}],
     "default": {"content": "{\\"mentions\\": []}"}}

The n-th request whose user message contains a route's "match" gets that
route's n-th reply (the last one once they run out); a request no route
matches gets "default" (or a 404). A reply is either raw HTTP ({"status",
"headers", "body"}: a body that is not a string is sent as JSON) or the
shorthand {"content", "usage", "finish_reason"}, wrapped into a
chat-completions response.

As a script: `python3 fake_server.py SCRIPT.json [REQUEST_LOG.jsonl]` prints
the port as the first line of stdout and serves until stdin closes (so it
ends with the test that started it). Every request is appended to the log as
{"path", "authorization", "body"}.
"""

import http.server
import json
import sys
import threading


def completion(content, usage=None, finish_reason="stop"):
    body = {"id": "chatcmpl-fake", "object": "chat.completion", "model": "fake",
            "choices": [{"index": 0, "finish_reason": finish_reason,
                         "message": {"role": "assistant", "content": content}}]}
    if usage is not None:
        body["usage"] = usage
    return body


def _raw(reply):
    if "status" in reply:
        return reply["status"], reply.get("headers", {}), reply.get("body", "")
    return 200, {}, completion(reply["content"], reply.get("usage"), reply.get("finish_reason", "stop"))


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, script, log_path=None):
        super().__init__(("127.0.0.1", 0), Handler)
        self.script = script
        self.log_path = log_path
        self.calls = {}
        self.lock = threading.Lock()

    def next_reply(self, user_message):
        with self.lock:
            for i, route in enumerate(self.script.get("routes", [])):
                if route["match"] in user_message:
                    n = self.calls.get(i, 0)
                    self.calls[i] = n + 1
                    return route["replies"][min(n, len(route["replies"]) - 1)]
        return self.script.get("default", {"status": 404, "body": {"error": "no canned reply"}})

    def record(self, entry):
        if self.log_path:
            with self.lock, open(self.log_path, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry, ensure_ascii=False) + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            body = json.loads(raw)
            user = next(m["content"] for m in reversed(body["messages"]) if m["role"] == "user")
        except (ValueError, KeyError, TypeError, StopIteration):
            body, user = None, ""
        self.server.record({"path": self.path, "authorization": self.headers.get("Authorization"), "body": body})
        if self.path != "/v1/chat/completions" or body is None:
            status, headers, payload = 404, {}, {"error": f"not a chat completion: {self.path}"}
        else:
            status, headers, payload = _raw(self.server.next_reply(user))
        data = payload.encode("utf-8") if isinstance(payload, str) else json.dumps(payload).encode("utf-8")
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # keep test output quiet
        pass


def start(script, log_path=None):
    """A running server in a background thread; .server_address[1] is its port."""
    server = Server(script, log_path)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv):
    with open(argv[0], encoding="utf-8") as f:
        script = json.load(f)
    server = start(script, argv[1] if len(argv) > 1 else None)
    print(server.server_address[1], flush=True)
    sys.stdin.read()  # returns when the test closes our stdin or ends
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
