"""Results of earlier runs on disk, keyed by the content they depend on.

Parse results per file, analyses and findings per root module, and the parsed
rule catalog, as plain data that cannot run code when read (``codec``).
Nothing here decides what a run finds: a run with ``--no-cache`` finds the same.
"""
