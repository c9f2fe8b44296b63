"""Settings of the REST API: limits and CORS, overridable from the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from kg.errors import AikgError
from kg.sparql import DEFAULT_MAX_QUERY_LENGTH, DEFAULT_MAX_RESULTS, DEFAULT_TIMEOUT

ENV_PREFIX = "AIKG_API_"

#: ceilings written into the OpenAPI schema; settings may only lower them
HARD_MAX_PAGE_SIZE = 200
HARD_MAX_TEXT_LENGTH = 300
HARD_MAX_OFFSET = 1_000_000


@dataclass(frozen=True, slots=True)
class Settings:
    """Limits of the service. Every field can be set with ``AIKG_API_<FIELD>``."""

    default_page_size: int = 20
    max_page_size: int = 200
    #: longest accepted query string (everything after "?"), in bytes
    max_query_string: int = 2048
    #: the same for GET /sparql, whose query travels in the URL (POST has no such limit)
    max_sparql_query_string: int = 32768
    #: longest accepted value of a name or question parameter
    max_text_length: int = 300
    #: relations listed per direction on /entities/{id} ...
    entity_relations: int = 100
    #: ... and the most ?relations= may ask for (the totals are always given; /relations pages through all)
    max_entity_relations: int = 500
    #: how many "did you mean" names a 404 offers
    suggestions: int = 3
    #: fuzzy score (0-100) a name needs to appear in /entities?q= results
    search_cutoff: float = 70.0
    cors_origins: tuple[str, ...] = ("*",)
    #: limits of /sparql (read by kg.api.sparql)
    query_timeout: float = DEFAULT_TIMEOUT
    max_results: int = DEFAULT_MAX_RESULTS
    max_sparql_length: int = DEFAULT_MAX_QUERY_LENGTH

    def __post_init__(self) -> None:
        if not 1 <= self.max_page_size <= HARD_MAX_PAGE_SIZE:
            raise AikgError(f"max_page_size={self.max_page_size} must be between 1 and {HARD_MAX_PAGE_SIZE}")
        if not 1 <= self.max_text_length <= HARD_MAX_TEXT_LENGTH:
            raise AikgError(f"max_text_length={self.max_text_length} must be between 1 and {HARD_MAX_TEXT_LENGTH}")
        if not 1 <= self.default_page_size <= self.max_page_size:
            raise AikgError(
                f"default_page_size={self.default_page_size} must be between 1 and "
                f"max_page_size={self.max_page_size}"
            )
        for name in ("max_query_string", "max_sparql_query_string", "max_entity_relations", "max_results",
                     "max_sparql_length"):
            if getattr(self, name) < 1:
                raise AikgError(f"{name}={getattr(self, name)} must be a positive integer")
        if not 1 <= self.entity_relations <= self.max_entity_relations:
            raise AikgError(f"entity_relations={self.entity_relations} must be between 1 and "
                            f"max_entity_relations={self.max_entity_relations}")
        if self.query_timeout <= 0:
            raise AikgError(f"query_timeout={self.query_timeout} must be a positive number of seconds")
        if not 0 <= self.search_cutoff <= 100:
            raise AikgError(f"search_cutoff={self.search_cutoff} must be between 0 and 100")


def settings_from_env(environ: Mapping[str, str] | None = None, base: Settings | None = None) -> Settings:
    """``base`` (or the defaults) with the ``AIKG_API_*`` variables applied."""
    env = os.environ if environ is None else environ
    current = base or Settings()
    changes: dict[str, object] = {}
    for f in fields(Settings):
        raw = env.get(ENV_PREFIX + f.name.upper())
        if raw is None:
            continue
        default = getattr(current, f.name)
        try:
            if isinstance(default, tuple):
                changes[f.name] = tuple(part.strip() for part in raw.split(",") if part.strip())
            elif isinstance(default, float):
                changes[f.name] = float(raw)
            else:
                changes[f.name] = int(raw)
        except ValueError as exc:
            raise AikgError(
                f"{ENV_PREFIX}{f.name.upper()}={raw!r} is not a valid {type(default).__name__}"
            ) from exc
    return replace(current, **changes)  # type: ignore[arg-type]
