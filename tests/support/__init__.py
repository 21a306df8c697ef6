"""What the tests share, in one place: tests import helpers from here, never from another test
module or a conftest (conftest files hold fixtures only).

- ``vault``: the test passphrases, snapshots of files on disk, a damaged page, canary checks.
- ``services``: a complete profile, row counts, a clinic's protocol file.
- ``flow``: a session's steps through ``SessionService``; ``steps``: a completed session and a
  window unlocked on it (journal, reflections, insights, export UI tests).
- ``gui``: clicking, typing, reading what a window shows; ``screen``: clipping, layout, focus,
  spoken names and contrast checks; ``session_walk``: a patient's steps on the Session page.
- ``export``, ``export_gui``, ``pdftext``: export contents and reading PDFs back.
- ``cli``: ``companion-cli`` as a child process; ``packaging``: the checkout and clean child
  environments; ``audio``: capturing and measuring what VLC renders.
"""
