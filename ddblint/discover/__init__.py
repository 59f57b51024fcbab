"""Discovery: paths -> module directories, the byte prefilter, and the module-call graph.

In: the paths a user named. Out: a :class:`~ddblint.discover.files.Discovery` (module directories and
their Terraform files), then :class:`~ddblint.discover.prefilter.Prefiltered`: which modules mention
DynamoDB items or call one that does (and, for a changed file's module, its callers found above it),
the root modules to instantiate, the strings of modules that declare tables, and the bytes read for
the parser. Nothing here parses HCL: it reads bytes, each file once.
"""
