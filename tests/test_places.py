from __future__ import annotations

from pathlib import Path

import pytest

import kg.extract.places as places


@pytest.fixture()
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    places._tables.cache_clear()
    places.country_of_place.cache_clear()
    yield tmp_path
    places._tables.cache_clear()
    places.country_of_place.cache_clear()


def test_places_resolve_to_countries(fresh: Path) -> None:
    assert places.country_of_place("Toronto") == "Canada"
    assert places.country_of_place("Menlo Park") == "United States"
    assert places.country_of_place("California") == "United States"
    assert places.country_of_place("toronto") is None  # a place is written capitalised
    assert places.is_place_name("Edinburgh") and not places.is_place_name("Law")


def test_tables_are_cached_on_disk_and_a_damaged_cache_is_rebuilt(fresh: Path) -> None:
    table, own = places._tables()
    files = list((fresh / "aikg").glob("places-*.pickle"))
    assert len(files) == 1
    places._tables.cache_clear()
    assert places._tables() == (table, own)  # read back from the file
    files[0].write_bytes(b"not a pickle")
    places._tables.cache_clear()
    assert places._tables() == (table, own)  # derived again, file replaced
    assert files[0].read_bytes() != b"not a pickle"


def test_unwritable_cache_is_only_slower(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = fresh / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert places._tables()[0]["toronto"] == "CA"
