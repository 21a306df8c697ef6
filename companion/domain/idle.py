"""When to lock after inactivity: a pure policy, asked "lock now?" against a monotonic reading.

The UI feeds it activity (mouse, keyboard) and asks it on a timer. Nothing here counts ticks:
the answer depends only on the current monotonic time, the last activity and the delay. A running
session counts as activity, so the vault never locks during a session nor the moment one ends.
"""

from __future__ import annotations

from dataclasses import dataclass

SECONDS_PER_MINUTE = 60.0


@dataclass(slots=True)
class IdlePolicy:
    delay_seconds: float
    last_activity: float

    def __post_init__(self) -> None:
        if self.delay_seconds <= 0:
            raise ValueError("the auto-lock delay must be positive")

    @classmethod
    def minutes(cls, minutes: float, now: float) -> IdlePolicy:
        return cls(delay_seconds=minutes * SECONDS_PER_MINUTE, last_activity=now)

    def record_activity(self, now: float) -> None:
        # A monotonic clock never goes backwards; a stale reading must not extend the idle time.
        self.last_activity = max(self.last_activity, now)

    def set_delay_minutes(self, minutes: float) -> None:
        if minutes <= 0:
            raise ValueError("the auto-lock delay must be positive")
        self.delay_seconds = minutes * SECONDS_PER_MINUTE

    def idle_seconds(self, now: float) -> float:
        return max(0.0, now - self.last_activity)

    def seconds_until_lock(self, now: float) -> float:
        return max(0.0, self.delay_seconds - self.idle_seconds(now))

    def should_lock(self, now: float, session_running: bool) -> bool:
        """True when the vault should lock now. A running session counts as activity."""
        if session_running:
            self.record_activity(now)
            return False
        return self.idle_seconds(now) >= self.delay_seconds
