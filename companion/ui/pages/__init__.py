"""The pages of the main shell."""
