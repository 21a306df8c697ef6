"""Journal UI fixtures: real services and vault files, a completed session, a real window."""
