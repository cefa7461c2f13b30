"""The state file of conditional requests: per URL, the validators the server sent last time.

JSON: ``{"version": 1, "urls": {URL: {"etag": ..., "last_modified": ..., "item_date": ...}}}``.
Written atomically (a temporary file renamed over the old one); a missing file is an empty state,
an unreadable or malformed one is reported as a one-line error by the caller.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATE_VERSION = 1


def default_state_path() -> Path:
    """``$NEWSKG_HOME/sources/state.json`` (default ``~/.cache/newskg/sources/state.json``)."""
    home = os.environ.get("NEWSKG_HOME") or os.path.join(os.path.expanduser("~"), ".cache", "newskg")
    return Path(home) / "sources" / "state.json"


class StateError(ValueError):
    """The state file exists but cannot be used."""


@dataclass
class SourceState:
    """Validators per URL; changes are staged and kept only when :meth:`save` runs."""

    path: Path | None = None
    urls: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None) -> SourceState:
        if path is None or not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise StateError(f"cannot read the source state {path}: {exc}; remove it to start afresh") from None
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION or not isinstance(data.get("urls"), dict):
            raise StateError(f"{path} is not a newskg source state (version {STATE_VERSION}); remove it to start afresh")
        return cls(path, {k: v for k, v in data["urls"].items() if isinstance(v, dict)})

    def get(self, url: str) -> dict[str, Any]:
        return self.urls.get(url, {})

    def remember(self, url: str, **values: Any) -> None:
        entry = {k: v for k, v in {**self.urls.get(url, {}), **values}.items() if v is not None}
        self.urls[url] = entry

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps({"version": STATE_VERSION, "urls": dict(sorted(self.urls.items()))}, indent=1, ensure_ascii=False)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".state-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(payload + "\n")
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
