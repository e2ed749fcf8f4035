"""A small, polite HTTP client: per-host rate limits, retries with backoff that honour
Retry-After, timeouts, a descriptive User-Agent and an on-disk response cache.

Standard library only (urllib): the requests are simple GETs, and a dependency would
buy nothing here. The clock and sleep are injectable so tests check the rate limit
without waiting.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

from reader import __version__
from reader.storage.atomic import atomic_write_text

USER_AGENT = f"reader/{__version__} (terminal paper reading queue; +https://pypi.org/project/reader-tui)"


class Offline(Exception):
    """The network cannot be reached at all (DNS failure, connection refused)."""


class FetchError(Exception):
    """One request failed for good (after retries)."""


class Cancelled(Exception):
    pass


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class HttpClient:
    def __init__(
        self,
        cache_dir: Path | None = None,
        min_interval: dict[str, float] | None = None,
        timeout: float = 20.0,
        retries: int = 4,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        cancelled: Callable[[], bool] = lambda: False,
        max_bytes: int | None = None,
    ):
        self.cache_dir = cache_dir
        self.min_interval = min_interval or {}
        self.timeout = timeout
        self.retries = retries
        self.clock = clock
        self.sleep = sleep
        self.cancelled = cancelled
        self.max_bytes = max_bytes  # a longer answer is refused, never read whole
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()  # one connection at a time
        self.requests = 0  # sent over the network (cache hits excluded)

    def _cache_path(self, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / (hashlib.sha256(url.encode()).hexdigest()[:32] + ".json")

    def get(self, url: str, user_agent: str = "") -> bytes:
        path = self._cache_path(url)
        if path is not None and path.exists():
            try:
                return json.loads(path.read_text())["body"].encode("utf-8")
            except (OSError, ValueError, KeyError):
                pass
        body = self._fetch(url, user_agent=user_agent or USER_AGENT).body
        if path is not None:
            try:
                atomic_write_text(path, json.dumps({"url": url, "body": body.decode("utf-8", "replace")}))
            except OSError:
                pass  # a cache is a convenience
        return body

    def request(self, url: str, headers: dict[str, str] | None = None) -> Response:
        """An uncached GET with extra headers (If-None-Match...); a 304 is a Response too."""
        return self._fetch(url, headers)

    def _wait_turn(self, host: str) -> None:
        interval = self.min_interval.get(host, 0.0)
        last = self._last.get(host)
        if last is not None:
            wait = last + interval - self.clock()
            if wait > 0:
                self._sleep(wait)
        self._last[host] = self.clock()

    def _sleep(self, seconds: float) -> None:
        end = self.clock() + seconds
        while True:
            if self.cancelled():
                raise Cancelled()
            left = end - self.clock()
            if left <= 0:
                return
            self.sleep(min(left, 0.2))

    def _fetch(self, url: str, headers: dict[str, str] | None = None, user_agent: str = USER_AGENT) -> Response:
        host = urlsplit(url).netloc
        delay = 1.0
        last_error = ""
        with self._lock:
            for attempt in range(self.retries + 1):
                if self.cancelled():
                    raise Cancelled()
                self._wait_turn(host)
                request = urllib.request.Request(url, headers={"User-Agent": user_agent, **(headers or {})})
                self.requests += 1
                try:
                    with urllib.request.urlopen(request, timeout=self.timeout) as resp:
                        body = resp.read() if self.max_bytes is None else resp.read(self.max_bytes + 1)
                        if self.max_bytes is not None and len(body) > self.max_bytes:
                            raise FetchError(f"answer from {host} is larger than {self.max_bytes / 2**20:g} MiB")
                        return Response(resp.status, body, dict(resp.headers.items()))
                except urllib.error.HTTPError as exc:
                    if exc.code == 304:
                        return Response(304, b"", dict(exc.headers.items()))
                    if exc.code == 429 or 500 <= exc.code < 600:
                        last_error = f"HTTP {exc.code} from {host}"
                        wait = _retry_after(exc.headers.get("Retry-After")) or delay
                        delay *= 2
                        if attempt < self.retries:
                            self._sleep(min(wait, 120.0))
                        continue
                    raise FetchError(f"HTTP {exc.code} from {host}") from exc
                except urllib.error.URLError as exc:
                    reason = exc.reason
                    if isinstance(reason, socket.gaierror | ConnectionRefusedError | OSError) and not isinstance(
                        reason, TimeoutError | socket.timeout
                    ):
                        raise Offline(f"cannot reach {host} ({reason})") from exc
                    last_error = f"{host}: {reason}"
                except TimeoutError:
                    last_error = f"{host} did not answer within {self.timeout:g}s"
                except (ConnectionError, OSError, http.client.HTTPException) as exc:
                    last_error = f"{host}: {exc}"
                if attempt < self.retries:
                    self._sleep(delay)
                    delay *= 2
        raise FetchError(last_error or f"request to {host} failed")


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError):
        return None
