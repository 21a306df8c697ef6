"""Writing: the journal editor, its templates, drafts, earlier versions and deleting."""
