"""Sample data for trying the app, screenshots and benchmarks: sessions with vitals, doses,
monitor check-ins and side effects; reflections, next-day check-ins and free entries with calm,
varied English text; PHQ-9 and GAD-7 on the protocol's schedule with a plausible improving
trend; tags.

One writer per kind of record: the demo records through the same services a patient's actions
go through (``SessionService`` on a clock of its own for every step of every session,
``AssessmentService``, ``ProfileService``, ``JournalService``), so sample data obeys every
domain rule and looks like data a real session produces. Deterministic in content for a seed
and given ``now`` (ids are the services' own). The word lists are data
(``resources/demo/words.toml``). It refuses a vault that already holds sessions or entries:
sample data belongs in a separate demo vault, never mixed into a patient's own.

- ``service``: ``DemoService.generate``, its options and report.
- ``plan``: the calendar (sessions, entries around them, questionnaire moments).
- ``record``: the profile, each session step by step, the questionnaires.
- ``entries``: what each entry says; ``text``: the sentence generator and its word lists.
"""

from companion.services.demo.service import DemoOptions, DemoReport, DemoService, VaultNotEmptyError

__all__ = ["DemoOptions", "DemoReport", "DemoService", "VaultNotEmptyError"]
