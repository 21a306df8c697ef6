"""The Export page (for the provider: choose, preview, save encrypted) and the pieces the
Settings card "Your data" shares with it (long work with a progress bar and Cancel)."""
