"""One chat-completions call to an OpenAI-compatible endpoint, standard
library only (urllib; proxies from the usual environment variables)."""

import email.utils
import json
import time
import urllib.error
import urllib.request


class RateLimited(Exception):
    """The endpoint asked us to come back later (HTTP 429, or 503 with a
    Retry-After header)."""

    def __init__(self, message, retry_after_s):
        super().__init__(message)
        self.retry_after_s = retry_after_s


class ApiError(Exception):
    pass


def retry_after(header, default_s, now=None):
    """Seconds to wait from a Retry-After header: delay-seconds or an
    HTTP-date (RFC 9110 10.2.3); `default_s` when absent or unreadable."""
    if header is None:
        return default_s
    header = header.strip()
    try:
        return max(0.0, float(header))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return default_s
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def chat(base_url, api_key, body, timeout_s, retry_default_s):
    """POSTs `body` to {base_url}/chat/completions; returns the decoded JSON
    response. Raises RateLimited or ApiError."""
    url = base_url.rstrip("/") + "/chat/completions"
    headers = {"Content-Type": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    request = urllib.request.Request(url, data=json.dumps(body).encode("utf-8"), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            raw = response.read()
    except urllib.error.HTTPError as e:
        detail = e.read()[:300].decode("utf-8", "replace")
        wait = e.headers.get("Retry-After")
        if e.code == 429 or (e.code == 503 and wait is not None):
            raise RateLimited(f"HTTP {e.code} from {url}: {detail}", retry_after(wait, retry_default_s)) from None
        raise ApiError(f"HTTP {e.code} from {url}: {detail}") from None
    except (urllib.error.URLError, OSError) as e:
        raise ApiError(f"cannot reach {url}: {getattr(e, 'reason', e)}") from None
    try:
        return json.loads(raw)
    except ValueError:
        raise ApiError(f"{url} answered with something that is not JSON: {raw[:120]!r}") from None
