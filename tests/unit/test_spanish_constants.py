"""Module constants marked with N_() and the lower layers' sentences read in Spanish where they
are shown (issue 15): the journal templates, the no-sound-device note, the spoken app lines, the
Insights empty texts, the questionnaires' credit, a backup's summary, an import's preview, the
CSV export's README and the FHIR bundle's free texts (its LOINC displays stay LOINC's own)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from companion.audio.devices import NO_DEVICE_TEXT
from companion.audio.prompt_assets import SOUND_CHECK_LINE, SPEECH_MANIFEST, speech_dir
from companion.audio.prompts import ENDING_LINE
from companion.domain.journal import FREE, MOOD_QUESTION, NEXT_DAY, TEMPLATES
from companion.domain.scales import CREDIT, credit
from companion.i18n import SOURCE_LANGUAGE, _, set_language
from companion.services import insights
from companion.services.backup_check import BackupContents
from companion.services.import_formats import preview_lines

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def spanish() -> Iterator[None]:
    set_language("es")
    yield
    set_language(SOURCE_LANGUAGE)


@pytest.mark.usefixtures("spanish")
def test_the_marked_constants_read_in_spanish() -> None:
    constants = [NO_DEVICE_TEXT, SOUND_CHECK_LINE, ENDING_LINE, MOOD_QUESTION]
    constants += [insights.EMPTY_MOOD, insights.EMPTY_VITALS, insights.EMPTY_SIDE_EFFECTS]
    constants += [insights.EMPTY_WEEKS, insights.EMPTY_SCORES]
    for template in TEMPLATES.values():
        constants += [template.name, template.intro]
        for prompt in template.prompts:
            constants += [prompt.text] + ([prompt.hint] if prompt.hint else [])
    for text in constants:
        assert _(text) != text, f"not translated: {text!r}"
    assert _(FREE.intro) == "Escriba lo que quiera."
    assert _(NEXT_DAY.name) != NEXT_DAY.name
    assert credit() != CREDIT and "Pfizer" in credit()
    assert _("") == ""  # an empty hint stays empty (gettext("") is the catalogue's header)


@pytest.mark.usefixtures("spanish")
def test_the_spoken_app_lines_have_spanish_recordings() -> None:
    manifest = json.loads((speech_dir() / SPEECH_MANIFEST).read_text(encoding="utf-8"))
    texts = {entry["text"] for entry in manifest["files"]}
    for line in (SOUND_CHECK_LINE, ENDING_LINE):
        assert _(line) in texts  # the sound check and the ending speak the recorded Spanish


@pytest.mark.usefixtures("spanish")
def test_a_backup_summary_and_an_import_preview_read_in_spanish() -> None:
    contents = BackupContents(
        counts={"journal_entry": 3, "session": 1},
        first_entry=datetime(2026, 1, 5, 10, tzinfo=UTC),
        last_entry=datetime(2026, 2, 20, 10, tzinfo=UTC),
        last_session=None,
        schema_revision=None,
    )
    summary = contents.summary()
    assert summary.startswith("Esta copia de seguridad contiene 3 entradas del diario.")
    assert "Contiene 1 sesión." in summary and "ene" in summary  # Babel's Spanish dates
    entry = {"created_at": NOW, "shared_with_provider": False, "title": ""}
    lines = preview_lines({"journal_entry": [entry], "tag": [{"name": "calma"}]}, UTC)
    assert lines[:2] == ["1 entrada del diario.", "Escritas del 2 mar 2026 al 2 mar 2026."]
    assert "Todas quedan en privado" in lines[2] and lines[3] == "Etiquetas: calma."
    assert lines[4] == f"  2 mar 2026  {_('(untitled)')}" and _("(untitled)") != "(untitled)"


@pytest.mark.usefixtures("spanish")
def test_a_saved_answer_keeps_the_question_as_the_patient_read_it() -> None:
    from companion.ui.journal.content import EditorState, to_input

    state = EditorState(template_id=NEXT_DAY.id, answers={"sleep": "Bien, ocho horas."})
    saved = {answer.prompt_id: answer.prompt_text for answer in to_input(state).answers}
    assert saved["sleep"] == _(NEXT_DAY.prompts[0].text) != NEXT_DAY.prompts[0].text
