"""Use cases that the UI and the CLI both call, so each feature exists once."""
