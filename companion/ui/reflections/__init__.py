"""Looking back: the timeline of entries, filters, search and one entry in full."""
