"""The name index: normalization, exact/alias lookup, ranked fuzzy search, suggestions."""

from __future__ import annotations

import pytest

from kg.index import IndexEntry, build_index, lookup, normalize, search, suggest

ENTRIES = [
    IndexEntry("organization/deepseek", "DeepSeek", "Organization", ("DeepSeek AI",), 9),
    IndexEntry("model/deepseek-v3", "DeepSeek-V3", "Model", ("DeepSeek V3",), 5),
    IndexEntry("model/deepseek", "DeepSeek", "Model", (), 1),
    IndexEntry("organization/microsoft", "Microsoft", "Organization", ("MSFT",), 7),
    IndexEntry("model/llama-3-1-405b", "LLaMa-3.1 405B", "Model", (), 3),
    IndexEntry("organization/nous-research", "Nous Research", "Organization", ("Nous", "NOUS"), 2),
    IndexEntry("country/united-states", "United States", "Country", ("US", "USA"), 4),
]
INDEX = build_index(ENTRIES)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("LLaMa-3.1 405B", "llama 3.1 405b"),
        ("LLaMa-3.1 405B", "Llama3.1-405B"),
        ("The United States", "united states"),
        ("HumanEval+", "humaneval plus"),
        ("  DeepSeek ", "DEEPSEEK"),
    ],
)
def test_normalize_equates_surface_variants(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


def test_normalize_keeps_distinct_names_apart() -> None:
    assert normalize("o1") != normalize("o3")
    assert normalize("π0") == "π0"


def test_lookup_exact_name_alias_and_key() -> None:
    assert lookup(INDEX, "microsoft") == ("organization/microsoft",)
    assert lookup(INDEX, "msft") == ("organization/microsoft",)
    assert lookup(INDEX, "organization/microsoft") == ("organization/microsoft",)
    assert lookup(INDEX, "llama 3.1 405b") == ("model/llama-3-1-405b",)
    assert lookup(INDEX, "Microsfot") == ()


def test_lookup_orders_shared_names_by_weight_and_filters_types() -> None:
    assert lookup(INDEX, "DeepSeek") == ("organization/deepseek", "model/deepseek")
    assert lookup(INDEX, "DeepSeek", types=["Model"]) == ("model/deepseek",)
    assert lookup(INDEX, "DeepSeek", types=["Person"]) == ()


def test_canonical_name_beats_alias_of_another_entity() -> None:
    index = build_index([IndexEntry("a/x", "Gemini", "Model", (), 1), IndexEntry("b/y", "Google", "Organization", ("Gemini",), 99)])
    assert lookup(index, "gemini") == ("a/x", "b/y")
    assert [h.tier for h in search(index, "gemini")] == ["exact", "alias"]


def test_search_ranks_tiers_then_score() -> None:
    hits = search(INDEX, "deepseek")
    assert [h.key for h in hits[:2]] == ["organization/deepseek", "model/deepseek"]
    assert {h.tier for h in hits[:2]} == {"exact"}
    assert hits[2].key == "model/deepseek-v3" and hits[2].tier == "prefix"


def test_search_alias_fuzzy_and_type_filter() -> None:
    assert search(INDEX, "usa")[0].key == "country/united-states"
    assert search(INDEX, "usa")[0].tier == "alias" and search(INDEX, "usa")[0].matched == "USA"
    typo = search(INDEX, "Mircosoft")
    assert typo[0].key == "organization/microsoft" and typo[0].tier == "fuzzy" and typo[0].score >= 70
    assert [h.key for h in search(INDEX, "deepseek", type="Model")] == ["model/deepseek", "model/deepseek-v3"]
    assert search(INDEX, "deepseek", type="Benchmark") == []


def test_search_each_entity_once_with_best_match() -> None:
    hits = search(INDEX, "nous")
    assert [h.key for h in hits].count("organization/nous-research") == 1
    assert hits[0].tier == "alias"


def test_empty_query_lists_by_weight() -> None:
    keys = [h.key for h in search(INDEX, "")]
    assert keys[0] == "organization/deepseek" and len(keys) == len(ENTRIES)
    assert [h.key for h in search(INDEX, " ", type="Country")] == ["country/united-states"]


def test_search_below_cutoff_is_empty() -> None:
    assert search(INDEX, "zzzzzz") == []


def test_suggest_names_the_closest() -> None:
    assert suggest(INDEX, "DeepSek")[0] == "DeepSeek"
    assert suggest(INDEX, "DeepSek", types=["Model"]) == ["DeepSeek", "DeepSeek-V3"]
    assert suggest(INDEX, "Microsfot", limit=1) == ["Microsoft"]
    assert suggest(INDEX, "qqqqqqq") == []
