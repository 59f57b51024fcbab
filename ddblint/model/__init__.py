"""The model: Terraform modules, tables and items as they are written.

In: parsed files. Out: :class:`~ddblint.model.module.Module` values (variables, locals, resources,
module calls), loaded on demand by :class:`~ddblint.model.loader.ModuleLoader`; and the shapes the
evaluator fills in (item sets, tables, the analysis).
"""
