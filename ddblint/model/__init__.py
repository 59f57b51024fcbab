"""The model: Terraform modules as they are written.

In: the prefilter's list of modules to load (and their bytes). Out: a
:class:`~ddblint.model.loader.ModuleLoader` holding one :class:`~ddblint.model.module.Module` per
directory (variables, locals, resources, module calls, tfvars), parsed in one batch by
:func:`~ddblint.model.loader.load`; modules asked for later (callees) load on demand. What the
modules mean once evaluated is :mod:`ddblint.evaluate.analysis`.
"""
