"""Modules loaded when first used, for the few a module needs only on some of its paths.

A one-shot command (`verify show`) pays for every module it imports; the casebook module, for
one, needs the matching and full-text index code only when a claim's words are written or
searched. A module returned here is found (so a missing one fails at import, as usual) but
runs the first time one of its attributes is read.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy(name: str) -> ModuleType:
    """The module `name`, run on first attribute access (already imported: as it is)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:
        # As the import system does, so `import verify.match; verify.match.X` works too.
        setattr(sys.modules[parent], child, module)
    return module
