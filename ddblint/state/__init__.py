"""``ddblint state``: what items cost in a Terraform state or plan, measured.

In: a state file, or ``terraform show -json`` output. Out: item counts and bytes per table, as
DDB001 findings and a chart for people.
"""
