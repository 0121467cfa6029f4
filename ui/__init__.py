"""The browser chat over the indexed interviews (`rag ui`).

Importing Gradio 6 rewrites a type-stub file beside each of its ~80 component modules, every
time (`gradio.component_meta.create_or_modify_pyi`: parse each module's source, write its
`.pyi` into site-packages). That is for Gradio's own development and takes about 3 s of a 5–6 s
import on 2 cores, so the chat would wait for it on every start. `_SkipStubs` turns that one
function into a no-op as Gradio loads; nothing else changes, and if a Gradio version drops the
function the finder does nothing.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys

_STUBS_MODULE = "gradio.component_meta"


class _SkipStubs(importlib.abc.MetaPathFinder):
    """Finds `gradio.component_meta` as usual, then removes its stub writer once it has run."""

    def find_spec(self, name, path, target=None):
        if name != _STUBS_MODULE:
            return None
        sys.meta_path.remove(self)  # once is enough
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            if callable(getattr(module, "create_or_modify_pyi", None)):
                module.create_or_modify_pyi = lambda *args, **kwargs: None

        spec.loader.exec_module = exec_module
        return spec


if _STUBS_MODULE not in sys.modules and not any(isinstance(f, _SkipStubs) for f in sys.meta_path):
    sys.meta_path.insert(0, _SkipStubs())
