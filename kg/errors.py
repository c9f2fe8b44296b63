"""Exceptions raised by aikg.

    AikgError                  base of everything aikg raises on purpose
    ├── InputError             one input file or document cannot be read (names the file)
    ├── ExtractionError        the NLP pass failed on one document
    ├── DependencyError        a package aikg needs is missing or broken (an installation problem)
    ├── BuildError             a build cannot run or finish (bad options, locked output)
    │   └── BuildLockedError   another build holds the output folder
    ├── StoreError             a build folder is missing, incomplete or corrupt
    ├── UnknownEntityError     no entity has the id or name asked for (also a LookupError)
    ├── QuestionError          a question /ask and KnowledgeGraph.ask do not understand (also a ValueError)
    ├── MissingDependency      an optional extra is not installed (also an ImportError)
    ├── QueryError             a SPARQL query is malformed or refused
    │   ├── QueryRefused       update, SERVICE, LOAD, or too long
    │   ├── QueryTimeout       it ran past the time limit
    │   └── ResultTooLarge     it returned more than the result limit
    └── ValidationError        a graph does not conform to the SHACL shapes

Messages say what was wrong, with the value, and what would be right.
"""

from __future__ import annotations


class AikgError(Exception):
    """Base class of the errors aikg raises on purpose."""


class InputError(AikgError):
    """An input file or document that cannot be read or parsed."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ExtractionError(AikgError):
    """The NLP pass failed on one document."""

    def __init__(self, doc_id: str, reason: str) -> None:
        super().__init__(f"{doc_id}: extraction failed: {reason}")
        self.doc_id = doc_id
        self.reason = reason


class DependencyError(AikgError):
    """A package aikg needs is missing or fails to import: the installation, not an input, is at fault."""

    def __init__(self, distributions: list[str], message: str) -> None:
        super().__init__(message)
        self.distributions = distributions


class BuildError(AikgError):
    """A build cannot run or cannot finish."""


class BuildLockedError(BuildError):
    """Another build is writing the same output folder."""


class StoreError(AikgError):
    """A build folder is missing, incomplete or corrupt."""


class UnknownEntityError(AikgError, LookupError):
    """No entity has the id or name asked for; ``suggestions`` are the closest known ones."""

    def __init__(self, message: str, *, name: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.name = name
        self.suggestions = suggestions


class QuestionError(AikgError, ValueError):
    """A question of none of the understood shapes; ``shapes`` has one example of each."""

    def __init__(self, question: str, reason: str, shapes: tuple[str, ...]) -> None:
        super().__init__(reason)
        self.question = question
        self.reason = reason
        self.shapes = shapes


class MissingDependency(AikgError, ImportError):
    """An optional dependency that a feature needs is not installed; the message says how to install it."""


class QueryError(AikgError):
    """A SPARQL query that is malformed or cannot be answered."""


class QueryRefused(QueryError):
    """A query the service will not run (update, SERVICE, LOAD, too long)."""


class QueryTimeout(QueryError):
    """A query that ran past its time limit."""


class ResultTooLarge(QueryError):
    """A query whose result is larger than the configured limit."""


class ValidationError(AikgError):
    """A graph that does not conform to the SHACL shapes."""
