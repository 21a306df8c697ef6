"""Journal commands: ``search QUERY``, ``reindex`` and ``demo`` (sample data for a demo vault).

Search prints each match as its date, title and a snippet with the matching words in [brackets].
"""

from __future__ import annotations

import argparse

from companion.cli.command import EXIT_OK, CliError, Command
from companion.cli.vault_commands import unlock
from companion.domain.journal import replace_marks
from companion.i18n import N_, _, format_date
from companion.services.container import Services
from companion.services.demo import DemoOptions
from companion.services.search import DEFAULT_LIMIT, MAX_LIMIT


def _search_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="+", help=_('words to find (all of them); "..." = phrase'))
    parser.add_argument(
        "--limit",
        type=int,
        default=20,
        help=_("at most this many (default 20, max {MAX_LIMIT})").format(MAX_LIMIT=MAX_LIMIT),
    )


def cmd_search(services: Services, args: argparse.Namespace) -> int:
    unlock(services)
    hits = services.search.search(" ".join(args.query), limit=args.limit or DEFAULT_LIMIT)
    if not hits:
        print(_("No entries match."))
        return EXIT_OK
    for hit in hits:
        date = format_date(hit.created_at.astimezone())
        title = replace_marks(hit.title_marked) or _("(untitled)")
        print(_("{date}  {title}").format(date=date, title=title))
        print("    " + " ".join(replace_marks(hit.snippet).split()))
    return EXIT_OK


def cmd_reindex(services: Services, _args: argparse.Namespace) -> int:
    unlock(services)
    count = services.journal.reindex()
    print(_("Rebuilt the search index: {count} entries.").format(count=count))
    return EXIT_OK


def _demo_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = DemoOptions()
    parser.add_argument("--sessions", type=int, default=defaults.sessions)
    parser.add_argument("--entries", type=int, default=defaults.entries)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--min-words", type=int, default=defaults.min_words)
    parser.add_argument("--max-words", type=int, default=defaults.max_words)


def cmd_demo(services: Services, args: argparse.Namespace) -> int:
    try:
        options = DemoOptions(
            sessions=args.sessions,
            entries=args.entries,
            seed=args.seed,
            min_words=args.min_words,
            max_words=args.max_words,
        )
    except ValueError as exc:
        raise CliError(N_("Those demo settings do not work: {exc}."), exc=exc) from None
    unlock(services)
    report = services.demo.generate(options)
    print(
        _(
            "Sample data added in {seconds:.1f} s: {sessions} sessions, {entries} entries "
            "({reflections} reflections, {integration} integration, {free} free; {words} words), "
            "{assessments} questionnaires, {side_effects} side effects."
        ).format(
            seconds=report.seconds,
            sessions=report.sessions,
            entries=report.entries,
            reflections=report.reflections,
            integration=report.integration,
            free=report.free,
            words=report.words,
            assessments=report.assessments,
            side_effects=report.side_effects,
        )
    )
    return EXIT_OK


COMMANDS = (
    Command(
        "search",
        cmd_search,
        N_("search the journal; prints date, title and a snippet with [matches]"),
        add_arguments=_search_arguments,
    ),
    Command("reindex", cmd_reindex, N_("rebuild the journal's full-text search index")),
    Command(
        "demo",
        cmd_demo,
        N_("fill an empty vault (made with init, in its own --data-dir) with sample data"),
        add_arguments=_demo_arguments,
    ),
)
