# ruff: noqa: E501  (node ids are as long as their test names)
"""The slow tier, in one list (a pytest plugin loaded from pyproject.toml's addopts).

Tests that take many seconds on 2 cores get the ``slow`` marker here, by node id, so the
files stay as their owners wrote them. The default run (and CI) runs them; skip them while
iterating with ``./tools/test.sh -m "not slow"``. Figures from ``--durations=30`` on a fresh
clone (2 cores, shared): the whole default run took 8 min 43 s.
"""

from __future__ import annotations

import pytest

SLOW = (
    "tests/storage/test_crash_durability.py::test_kill_nine_never_loses_a_committed_record",  # 36 s
    "tests/export/test_fuzz.py::test_malformed_json_is_always_refused",  # 27 s
    "tests/ui/test_first_frame.py::test_no_application_wide_filter_sees_an_event_before_the_first_frame",  # 2.3 s: a fresh interpreter starts the app
    "tests/ui/test_first_frame.py::test_the_unlock_screen_paints_its_first_frame_without_the_qt_namespace",  # 1.0 s: a fresh interpreter starts the app
    "tests/storage/test_light_unlock.py::test_opening_an_up_to_date_vault_loads_neither_alembic_nor_zxcvbn",  # 2.5-7 s: a fresh interpreter imports the storage stack
    "tests/storage/test_cli.py::test_init_verify_passwd_cycle_with_a_calibrated_vault",  # 15 s
    "tests/storage/test_cli_language.py::test_protocol_check_warns_about_a_missing_translation_and_still_accepts",  # 12 s
    "tests/storage/test_cli_language.py::test_missing_vault_in_spanish_and_english_by_default",  # 12 s
    "tests/storage/test_cli_language.py::test_help_and_argparse_s_own_words_in_spanish",  # 3.6 s, idle
    "tests/export/test_cli_export.py::test_passphrase_out_and_import_with_the_variable",  # 10 s
    "tests/e2e/test_readme_run_command.py::test_run_script_hands_arguments_to_the_app",  # 9 s
    # 2026-12-02, --durations=60 on a loaded machine (load 3.5-5 on 2 cores: the default tier
    # took 25 min there); each of these took over 10 s there, together about 400 s.
    "tests/audio/test_prompts_vlc_rendering.py::test_a_rehearsal_of_the_default_prompts_is_heard_through_vlc",  # 77 s
    "tests/e2e/test_crash_resume.py::test_a_killed_app_resumes_the_session_at_the_right_point",  # 42 s
    "tests/export/test_cli_export.py::test_backup_and_restore",  # 28 s
    "tests/audio/test_audio_assets.py::test_there_are_at_least_three_tracks_together_over_thirty_minutes",  # 27 s: decodes every track for the module
    "tests/audio/test_audio_assets.py::test_no_clipping_and_peaks_at_most_minus_one_dbfs",
    "tests/audio/test_audio_assets.py::test_tracks_fade_in_and_out",
    "tests/audio/test_audio_assets.py::test_no_sudden_loud_moments",
    "tests/audio/test_audio_assets.py::test_the_tracks_are_distinct_and_none_is_a_loop",
    "tests/export/test_journals_in.py::test_cli_preview_import_and_markdown_folder",  # 27 s
    "tests/export/test_hostile_files.py::test_fifo_and_dev_zero_on_the_command_line_are_one_plain_line",  # 26 s
    "tests/ui/test_settings.py::test_theme_text_size_and_delay_persist",  # 19 s
    "tests/export/test_cli_export.py::test_export_and_import_to_a_key",  # 18 s
    "tests/export/test_cli_export.py::test_export_errors_are_one_plain_line",  # 16 s
    "tests/storage/test_cli_recovery.py::test_passwd_recovery_sets_a_new_passphrase_and_the_key_still_works",  # 15 s
    "tests/export/test_import.py::test_encrypted_imports",  # 14 s
    "tests/export/test_import_stream.py::test_a_file_larger_than_the_imports_memory_goes_in_without_being_held",  # 5 s at load 4.5: tracemalloc
    "tests/export/test_fhir.py::test_the_schema_check_catches_what_a_server_would_refuse",  # 14 s
    "tests/export/test_cli_export.py::test_a_bad_file_is_refused_in_one_line",  # 13 s
    "tests/journal/test_cli_journal.py::test_demo_command_fills_an_empty_vault_once",  # 13 s
    "tests/ui/test_unlock.py::test_forgot_passphrase_unlocks_with_the_recovery_key",  # 13 s
    "tests/journal/test_cli_journal.py::test_search_and_reindex_print_plainly",  # 11 s
    "tests/ui/test_settings.py::test_change_passphrase",  # 11 s
    "tests/ui/test_settings_rotation.py::test_passphrase_change_with_key_rotation_from_settings",  # 10 s
    "tests/export/test_damaged_pages.py::test_cli_export_of_a_damaged_vault_prints_one_calm_line_and_logs_no_text",
    # 2026-12-02, second loaded run (load 3-4): layout and walk-through checks over 7.5 s each.
    "tests/ui/export/test_accessibility_and_scale.py::test_nothing_on_the_export_screens_is_clipped_at_200_percent",
    "tests/ui/journal/test_restore_versions.py::test_earlier_versions_fit_a_small_screen_at_200_percent",
    "tests/ui/reflections/test_accessibility_and_scale.py::test_every_control_on_the_review_pages_has_a_name",
    "tests/ui/reflections/test_accessibility_and_scale.py::test_nothing_on_the_review_pages_is_clipped_at_200_percent",
    "tests/ui/reflections/test_demo.py::test_sample_data_opens_in_a_separate_marked_vault",
    "tests/ui/reflections/test_markdown_view.py::test_the_link_question_fits_a_small_screen_at_200_percent_light",
    "tests/ui/reflections/test_write_find_open_chart.py::test_write_a_reflection_find_it_open_it_and_see_it_charted",
    "tests/ui/reflections/test_search_passages.py::test_every_hit_gets_its_passage_in_rank_order",  # 4-6 s
    "tests/ui/reflections/test_paged_list.py::test_only_the_rows_scrolled_to_are_read",  # 2.5 s
    "tests/ui/reflections/test_sql_listing.py::test_sql_filters_and_sorts_give_the_rows_of_the_old_python_path",  # 0.5 s idle, 2.7 s at load 6
    "tests/ui/reflections/test_sql_listing.py::test_the_journal_knows_which_sessions_have_a_reflection_without_reading_summaries",  # 3.5 s (two sessions)
    "tests/ui/reflections/test_paged_list.py::test_a_change_elsewhere_reloads_the_list_and_keeps_the_chosen_entry",  # 2.6 s
    # 2026-12-02, fresh clone on an idle 2-core machine: the default tier took 665 s. These two
    # whole-session walks (8 and 4 cases, a rehearsal each) and the sound check's walks were
    # the largest left (about 100 s together).
    "tests/ui/session/test_fit_at_200_percent.py::test_the_whole_session_fits_1366x768",
    "tests/ui/session/test_prompts_on_the_page.py::test_with_no_sound_and_no_voice_the_prompt_stays_large_and_the_monitor_is_told",
    "tests/ui/session/test_sound_check.py::test_the_sound_check_plays_cue_voice_and_music_then_asks",
    "tests/ui/session/test_sound_check.py::test_the_before_step_holds_the_sound_check_and_f1_still_opens_help",
    "tests/ui/session/test_sound_check.py::test_the_sound_check_on_the_before_step_fits_a_small_screen",
    # issue 16: both ways of restyling every page, grabbed and compared, then again after a lock (~30 s each)
    "tests/ui/test_text_size_change.py::test_text_size_change_looks_as_the_whole_app_restyled[dark-100-200]",
    "tests/ui/test_text_size_change.py::test_text_size_change_looks_as_the_whole_app_restyled[dark-200-100]",
    "tests/ui/test_text_size_change.py::test_text_size_change_looks_as_the_whole_app_restyled[light-100-200]",
    "tests/ui/test_text_size_change.py::test_text_size_change_looks_as_the_whole_app_restyled[light-200-100]",
    "tests/ui/test_text_size_change.py::test_theme_change_looks_as_the_whole_app_restyled[light-dark-100]",
    "tests/ui/test_text_size_change.py::test_theme_change_looks_as_the_whole_app_restyled[dark-light-200]",
    # issue 16: nav, card, footer and Home fact margins after a live change vs a start at 200 % (~4 s)
    "tests/ui/test_text_size_change.py::test_navigation_margins_follow_a_live_text_size_change",
    # issue 16: the screen walk's two text-size defects replayed (lock, unlock, every page; ~20 s each)
    "tests/ui/test_text_size_walk_defects.py::test_settings_fits_its_window_after_100_to_200_percent",
    "tests/ui/test_text_size_walk_defects.py::test_settings_cards_turn_dark_after_light_to_dark_at_200_percent",
    # 2026-12-03, issue 15: the Spanish walk (first run and every page; a rehearsal, PHQ-9,
    # journal entry and search; the PDF), about 20 s together on a loaded 2-core machine.
    "tests/ui/session/test_spanish_walk.py::test_first_run_every_page_unlock_and_recovery_in_spanish",
    "tests/ui/session/test_spanish_walk.py::test_a_rehearsal_a_questionnaire_a_journal_entry_and_a_search_in_spanish",
    "tests/ui/session/test_spanish_walk.py::test_the_pdf_report_in_spanish_holds_no_english_message",
    # 2026-12-03, issue 16: a rehearsal walked to the journey's music and cues (3.5 s, load 1)
    "tests/ui/session/test_session_stalls.py::test_libvlc_starts_on_its_own_thread_while_the_before_step_shows",
    "tests/ui/session/test_session_stalls.py::test_the_journey_and_its_check_in_panel_are_built_before_begin_and_reused",  # 2.2 s
    "tests/ui/session/test_session_stalls.py::test_the_after_step_is_built_in_parts_during_the_return",  # 3.1 s
    "tests/ui/session/test_session_stalls.py::test_the_before_step_is_built_a_part_per_turn_and_shown_whole",  # 1.5-4.5 s
    "tests/ui/session/test_session_stalls.py::test_the_before_step_built_off_screen_cannot_be_reached_by_tab_or_a_screen_reader",  # 1.0 s
    # 2026-12-03, --durations=80 of the default tier at load 3-5 (2,259 s there; 645 s on an
    # idle fresh clone, over the 600 s goal): the largest left, 10-28 s each there.
    "tests/ui/session/test_pseudo_walk.py::test_first_run_unlock_and_every_page_in_the_pseudo_language",
    "tests/ui/session/test_pseudo_walk.py::test_a_rehearsal_and_a_journal_entry_in_the_pseudo_language",
    "tests/ui/session/test_call_monitor.py::test_one_key_from_the_dim_view_calls_the_monitor_and_it_is_recorded",
    "tests/ui/session/test_call_monitor.py::test_enter_never_closes_help",
    "tests/ui/session/test_announcements.py::test_safety_cards_and_cues_are_announced",
    "tests/ui/export/test_export_page.py::test_an_encrypted_pdf_lands_and_the_passphrase_shown_once_opens_it",
    "tests/ui/export/test_accessibility_and_scale.py::test_every_control_on_the_export_screens_has_a_name",
    "tests/ui/export/test_settings_data.py::test_back_up_now_lists_the_backup_and_restore_brings_it_back",
    "tests/ui/export/test_pdf_theme.py::test_pdf_from_the_window_is_dark_ink_on_white_in_either_theme",
    "tests/export/test_provider_checks.py::test_armored_age_files_are_accepted",
    "tests/export/test_cli_export.py::test_cli_backup_follows_the_backup_policy_set_in_the_app",
    "tests/services/test_protocol_cli.py::test_install_unlocks_and_a_broken_file_never_touches_the_vault",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    modules: dict[str, object] = {}
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        if isinstance(item, pytest.Function):
            modules.setdefault(path, item.module)
        # A parametrized test is listed whole (no brackets) or one case at a time.
        if item.nodeid in SLOW or item.nodeid.split("[", 1)[0] in SLOW:
            item.add_marker(pytest.mark.slow)
    missing = stale_entries(modules)
    if missing:  # a renamed test would quietly come back into the default tier
        raise pytest.UsageError(
            "tests/tiers.py names tests that do not exist: " + ", ".join(missing)
        )


def stale_entries(modules: dict[str, object]) -> list[str]:
    """The slow-list entries whose test function is not in its (collected) module."""
    missing = []
    for name in SLOW:
        path, _, test = name.partition("::")
        if path in modules and not hasattr(modules[path], test.split("[", 1)[0]):
            missing.append(name)
    return missing
