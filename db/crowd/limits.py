"""Crowd mode's rate limits, kept in memory (one process serves the phones): the policy of the
server's own limits (server/ratelimit.py), for a stand's Wi-Fi.

* **Failures** (a wrong access token, a form token that is not ours) count per phone and overall. A
  phone that failed too often waits for the next window; while the overall count is exceeded (guesses
  spread over many addresses), a phone that has itself failed in this window waits too. A phone that
  has not failed is always let through: nobody can lock others out.
* **Signatures** count per phone only: a phone may sign a few times in a window (a family passes one
  phone around), never more, so one phone cannot flood the stand's count. A valid signature is never
  refused because of another phone's signatures or failures.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Policy:
    failures_per_phone: int = 20
    failures_overall: int = 200
    signatures_per_phone: int = 10
    window_s: int = 600  # ten minutes: a family signing one after another fits, a script does not


@dataclass
class _Window:
    start: float = 0.0
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class RateLimits:
    """Thread-safe counters in fixed windows (``time.monotonic``)."""

    def __init__(self, policy: Policy | None = None, clock: object = time.monotonic) -> None:
        self.policy = policy or Policy()
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = _Window()
        self._signatures = _Window()
        self._failures_overall = 0

    def _now(self) -> float:
        return float(self._clock())  # type: ignore[operator]

    def _roll(self, now: float) -> None:
        start = now - now % self.policy.window_s
        if self._failures.start != start:
            self._failures = _Window(start)
            self._failures_overall = 0
        if self._signatures.start != start:
            self._signatures = _Window(start)

    def wait(self, now: float) -> int:
        return max(1, int(self._failures.start + self.policy.window_s - now))

    def refused(self, phone: str) -> int | None:
        """Seconds ``phone`` must wait before its request is even checked, or None."""
        with self._lock:
            now = self._now()
            self._roll(now)
            own = self._failures.counts.get(phone, 0)
            if own >= self.policy.failures_per_phone:
                return self.wait(now)
            if self._failures_overall >= self.policy.failures_overall and own > 0:
                return self.wait(now)
            return None

    def failed(self, phone: str) -> None:
        with self._lock:
            self._roll(self._now())
            self._failures.counts[phone] += 1
            if self._failures.counts[phone] <= self.policy.failures_per_phone:
                self._failures_overall += 1

    def may_sign(self, phone: str) -> int | None:
        """None when ``phone`` may save one more signature now (and it is counted), else the seconds
        to wait."""
        with self._lock:
            now = self._now()
            self._roll(now)
            if self._signatures.counts.get(phone, 0) >= self.policy.signatures_per_phone:
                return max(1, int(self._signatures.start + self.policy.window_s - now))
            self._signatures.counts[phone] += 1
            return None

    def unsign(self, phone: str) -> None:
        """A counted signature was not saved after all (disk full): give the phone its turn back."""
        with self._lock:
            if self._signatures.counts.get(phone, 0) > 0:
                self._signatures.counts[phone] -= 1
