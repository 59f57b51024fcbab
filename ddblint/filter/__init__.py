"""The filter stage: findings from the rules -> the findings a user sees.

In: the rules' findings and the analysis. Out: findings with inline and configured suppressions
and the baseline applied (suppressed ones kept and marked), the suppression pass's own DDB090 and
DDB091 findings, stale baseline entries, findings scoped to the modules asked for, and secrets
masked by one redactor built from the item sets' secrets.
"""
