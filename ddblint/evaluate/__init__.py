"""Evaluation: expressions -> values or an explicit Unknown; module expansion -> item sets per table.

In: modules from the model and the root modules to instantiate. Out: an
:class:`~ddblint.evaluate.analysis.Analysis`: every item set Terraform would create, with provenance
(module calls from the root, the block, the data file), the tables they write, and what could not
be known at lint time.
"""
