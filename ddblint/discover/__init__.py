"""Discovery: paths -> module directories, the byte prefilter, and the module-call graph.

In: the paths a user named. Out: a :class:`~ddblint.discover.files.Discovery` (module directories and
their Terraform files), the prefilter's verdict on which modules mention DynamoDB items or call one
that does, and the root modules to instantiate. Nothing here parses HCL: it reads bytes.
"""
