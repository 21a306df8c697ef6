"""PHQ-9 and GAD-7 as published, with their scoring and the safety card."""
