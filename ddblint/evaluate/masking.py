"""How much of a secret a report masks: the evaluate stage picks the literals to mask by it, and the filter masks."""

MASKED_ANYWHERE = 12  # a secret this long is masked wherever it stands; a shorter one only as a whole word

# A place that writes a flagged item set: (file, first line, last line). A report masks every literal there.
Place = tuple[str, int, int]
