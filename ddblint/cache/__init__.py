"""Results of earlier runs on disk, keyed by the content they depend on.

Parse results per file, analyses and findings per root module, and the prefilter's verdicts.
Nothing here decides what a run finds: a run with ``--no-cache`` finds the same.
"""
