"""Charts of mood, scores, vital signs, side effects and sessions over time (Qt Charts)."""
