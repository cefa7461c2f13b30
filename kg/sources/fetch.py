"""HTTP fetching for feeds and pages: timeouts, retries with backoff, a polite user agent, a size
limit, bounded redirects and conditional requests. Every failure is a :class:`FetchError` with a
one-line reason naming the URL; nothing here raises anything else for network trouble."""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.utils import formatdate

import httpx

import kg

USER_AGENT = f"newskg/{kg.__version__} (news knowledge graph; +https://example.invalid/newskg)"


@dataclass(frozen=True, slots=True)
class FetchSettings:
    #: seconds to connect, and between two bytes of the answer
    timeout: float = 20.0
    #: seconds for one whole request (a server that trickles bytes is cut off)
    deadline: float = 60.0
    #: further tries after a timeout, a connection error, 429 or 5xx
    retries: int = 2
    #: seconds before the first retry; doubled each time (a Retry-After in seconds is honoured up to 60)
    backoff: float = 1.0
    max_redirects: int = 5
    #: bytes of one answer; a larger one is not read
    max_bytes: int = 10_000_000
    user_agent: str = USER_AGENT


class FetchError(Exception):
    """A URL that could not be fetched; ``str()`` is one line naming the URL and the cause."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Response:
    url: str  # after redirects
    status: int  # 200, or 304 (not modified: no body)
    content: bytes
    content_type: str
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class Fetcher:
    """One HTTP client for a run (connections are reused); use as a context manager."""

    def __init__(self, settings: FetchSettings | None = None, *, sleep=time.sleep) -> None:  # type: ignore[no-untyped-def]
        self.settings = settings or FetchSettings()
        self._sleep = sleep
        self.requests = 0
        self.not_modified = 0
        s = self.settings
        self._client = httpx.Client(
            follow_redirects=True,
            max_redirects=s.max_redirects,
            timeout=httpx.Timeout(s.timeout),
            headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None, accept: str | None = None) -> Response:
        """GET ``url`` (conditionally when validators are given), retrying what may pass."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        s = self.settings
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._get_once(url, headers)
            except _Retryable as exc:
                if attempt > s.retries:
                    tries = f" after {attempt} tries" if attempt > 1 else ""
                    raise FetchError(url, f"{exc.reason}{tries}") from None
                self._sleep(exc.retry_after if exc.retry_after is not None else s.backoff * 2 ** (attempt - 1))

    def _get_once(self, url: str, headers: dict[str, str]) -> Response:
        s = self.settings
        started = time.monotonic()
        self.requests += 1
        try:
            with self._client.stream("GET", url, headers=headers) as answer:
                if answer.status_code == 304:
                    self.not_modified += 1
                    return Response(str(answer.url), 304, b"", "", answer.headers.get("etag"), answer.headers.get("last-modified"))
                if answer.status_code in _RETRY_STATUSES:
                    raise _Retryable(f"HTTP {answer.status_code} {answer.reason_phrase}".rstrip(), _retry_after(answer.headers.get("retry-after")))
                if answer.status_code >= 400:
                    raise FetchError(url, f"HTTP {answer.status_code} {answer.reason_phrase}".rstrip())
                declared = answer.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > s.max_bytes:
                    raise FetchError(url, f"answer of {int(declared):,} bytes is larger than the limit of {s.max_bytes:,}; not read")
                chunks: list[bytes] = []
                size = 0
                for chunk in answer.iter_bytes():
                    size += len(chunk)
                    if size > s.max_bytes:
                        raise FetchError(url, f"answer is larger than the limit of {s.max_bytes:,} bytes; not read")
                    if time.monotonic() - started > s.deadline:
                        raise _Retryable(f"took longer than {s.deadline:g} s", None)
                    chunks.append(chunk)
                return Response(
                    str(answer.url), answer.status_code, b"".join(chunks),
                    answer.headers.get("content-type", ""), answer.headers.get("etag"), answer.headers.get("last-modified"),
                )
        except httpx.TooManyRedirects:
            raise FetchError(url, f"more than {s.max_redirects} redirects (a redirect loop?)") from None
        except httpx.TimeoutException:
            raise _Retryable(f"timed out (no answer within {s.timeout:g} s)", None) from None
        except httpx.UnsupportedProtocol as exc:
            raise FetchError(url, f"not a web address newskg can fetch ({exc})") from None
        except (httpx.InvalidURL, ValueError) as exc:
            raise FetchError(url, f"invalid URL ({exc})") from None
        except httpx.TransportError as exc:
            raise _Retryable(f"cannot connect ({type(exc).__name__}: {exc})", None) from None


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return min(float(value), 60.0)
    return None


def http_date(seconds: float) -> str:
    """An HTTP date (for Last-Modified headers in tests and fixtures)."""
    return formatdate(seconds, usegmt=True)
