"""aikg: newsletter prose to an RDF knowledge graph.

The Python API (docs/PYTHON.md)::

    import kg

    report = kg.build("examples", "out")         # what `kg build examples --out out` does
    with kg.open("out") as graph:                # a KnowledgeGraph, read-only
        graph.ask("what did DeepSeek release")   # a pandas DataFrame, with evidence
        graph.query("SELECT ...")                # SPARQL into a DataFrame
        graph.to_networkx(types=["Organization", "Model"])

``import kg`` loads nothing heavy: the store, rdflib, pandas and spaCy are
imported when first used.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from kg._graph import KnowledgeGraph


def open(out: str | os.PathLike[str]) -> KnowledgeGraph:  # noqa: A001 (spacy.load-like entry point)
    """Open the build in ``out`` (an output folder of ``kg build``, or one build folder) read-only.

    Raises :class:`kg.errors.StoreError` when the folder is missing or holds no finished build.

    >>> import kg
    >>> graph = kg.open("out")                       # doctest: +SKIP
    >>> graph.entities(type="Model").head()          # doctest: +SKIP
    """
    from kg._graph import KnowledgeGraph

    return KnowledgeGraph.open(out)


def __getattr__(name: str) -> Any:
    # ``kg.build`` is the submodule kg/build.py, which can be called (kg.build(inputs, out, **options));
    # importing it binds it on the package, so this runs once
    if name == "build":
        return importlib.import_module("kg.build")
    if name == "KnowledgeGraph":
        from kg._graph import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


# `open` is public but left out of __all__, so that `from kg import *` does not hide the builtin open
__all__ = ["KnowledgeGraph", "__version__", "build"]
