"""How much of a secret a report masks, shared by the stage that finds secrets and the filter that masks them."""

MASKED_ANYWHERE = 12  # a secret this long is masked wherever it stands; a shorter one only as a whole word
