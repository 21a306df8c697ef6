"""What vulture cannot see being used (tools/test.sh runs it over companion, tests, tools and
bench). Each name here is called or read by something outside Python's own references: keep
the reason beside it. Anything else vulture reports is code nothing calls: delete it."""

# Qt calls these overrides and slots itself.
_.eventFilter  # QObject.installEventFilter (ui/app_events.py and its handlers)
_.itemAt  # QLayout (ui/common/flow.py)
_.expandingDirections  # QLayout
_.highlightBlock  # QSyntaxHighlighter (ui/journal/textedit.py)
_.insertFromMimeData  # QPlainTextEdit paste
_.paint  # QStyledItemDelegate (ui/reflections/delegate.py)
_.columnCount  # QAbstractItemModel (ui/reflections/model.py)
_.headerData  # QAbstractItemModel
_.filterAcceptsRow  # QSortFilterProxyModel
source_parent  # its argument, required by Qt's signature
_.mousePressEvent  # QWidget (ui/session/call_monitor.py)
_.hitButton  # QAbstractButton: where a click counts (ui/widgets/wrap.py)
_.keyboardSearch  # QAbstractItemView: typing in the Export preview (ui/export/preview_pane.py)
_._on_active_changed  # D-Bus slot named in a SLOT() string (ui/screen_lock.py)
_._on_session_lock  # D-Bus slot named in a SLOT() string

# Kept only so that an object lives as long as its owner.
_._app  # the offscreen QGuiApplication of the CLI's PDF renderer (companion/pdf/render.py)
_._runner  # the demo vault's TaskRunner (ui/common/demo.py)
_.highlighter  # the editor's QSyntaxHighlighter (ui/journal/textedit.py)

# Read by libraries: SQLAlchemy, Alembic, zipfile, logging.
_on_connect  # @event.listens_for (storage/engine.py)
_.isolation_level  # the DBAPI connection's attribute, set for SQLAlchemy
cache_ok  # SQLAlchemy TypeDecorator
_.process_bind_param  # SQLAlchemy TypeDecorator
_.process_result_value  # SQLAlchemy TypeDecorator
type_annotation_map  # SQLAlchemy DeclarativeBase
answered_at  # a column (storage/models.py), written by services/sessions_store.py
_.answered_at
down_revision  # Alembic migration headers
branch_labels
depends_on
_.compress_type  # zipfile.ZipInfo
_.external_attr  # zipfile.ZipInfo
_.exc_info  # logging.LogRecord, cleared by the redacting handler (logsetup.py)
_.exc_text
_.stack_info

# Fields of records that are read as a whole (asdict, format, JSON) or matched by value.
mild  # services/insights.py SideEffectCount, shown per severity
moderate
severe
raised_hover  # ui/theme.py palette, read through asdict() into the stylesheet
accent_hover
fair
ADVISORY  # domain/protocol/model.py Level, read from protocol files
phase_elapsed_seconds  # domain/timeline.py snapshot field
end_leads_to_after  # domain/session_core.py

# Read by mypy only: a TYPE_CHECKING function that proves BasePlayer satisfies Player.
_conforms  # audio/player.py

# pytest and test doubles: hooks, fixtures named as arguments, a D-Bus method by its name.
pytestmark
pytest_collection_modifyitems  # tests/tiers.py
_qt_application  # fixtures (autouse, or requested by argument name)
profiled  # tests/ui/test_shell_pages.py, by usefixtures
collected_again_after_the_test  # tests/conftest.py, autouse
large_text  # tests/ui/test_wrapping_buttons.py (autouse)
new_york
isolated_process_state
_.Inhibit  # the fake screen-saver service's D-Bus method (tests/ui/test_numbers_and_inhibit.py)

# Tags read by mutagen when the asset tools write audio files; a value kept for the manifest.
_.artist
_.copyright
_.comment
_.chords  # tools/make_music.py

# The i18n API's parts that the UI's catalogue branch (not merged yet) calls, and gettext's own
# npgettext on the pseudo translations; pytest calls autouse fixtures by themselves.
_.npgettext
p_  # companion.i18n
uses_letter_paper  # companion.i18n
