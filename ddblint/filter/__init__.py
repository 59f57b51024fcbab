"""The filter stage: findings from the rules -> the findings a user sees.

In: the rules' findings and the analysis. Out: findings with inline and configured suppressions
and the baseline applied (suppressed ones kept and marked), stale baseline entries, and secrets
masked by one redactor.
"""
