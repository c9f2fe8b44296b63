"""The Python API, the CLI and the REST API give the same answers to the same questions."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import kg
from kg._graph import KnowledgeGraph
from kg.api.main import create_app
from kg.api.settings import Settings
from kg.cli import app as cli
from kg.errors import UnknownEntityError

#: the mission's questions: what did X release, who funded Y, which models outperform Z (and three more shapes)
QUESTIONS = (
    "what did DeepSeek release",
    "who funded Cohere",
    "which models outperform DeepSeek-V3",
    "what does DeepSeek-R1 outperform",
    "who works for Mistral",
    "which labs are based in France",
)


@pytest.fixture(scope="module")
def graph(example_build: Path) -> KnowledgeGraph:
    return kg.open(example_build)


@pytest.fixture(scope="module")
def client(example_build: Path) -> TestClient:
    return TestClient(create_app(example_build, Settings()))


def run_cli(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("question", QUESTIONS)
def test_ask_agrees(question: str, graph: KnowledgeGraph, client: TestClient, example_build: Path) -> None:
    rest = client.get("/ask", params={"q": question})
    assert rest.status_code == 200, rest.text
    body = rest.json()
    assert body["count"] > 0, question  # a question with answers, so that agreement means something
    cli_run = run_cli("ask", str(example_build), question, "--json")
    assert cli_run.exit_code == 0, cli_run.output
    assert json.loads(cli_run.stdout) == body
    df = graph.ask(question, evidence=True)
    assert df.attrs["understood"]["entity"] == body["understood"]["entity"]["id"]
    assert df.attrs["understood"]["shape"] == body["understood"]["shape"]
    api_rows = [
        (row.id, row.confidence, row.sentence, row.document)
        for row in df.itertuples(index=False)
    ]
    rest_rows = [
        (a["entity"]["id"], a["confidence"], ev["sentence"], ev["document"]["id"])
        for a in body["answers"] for ev in a["evidence"]
    ]
    assert api_rows == rest_rows


def test_unknown_entity_is_the_same_error_everywhere(
    graph: KnowledgeGraph, client: TestClient, example_build: Path
) -> None:
    question = "what did DeepSeak release"
    with pytest.raises(UnknownEntityError) as caught:
        graph.ask(question)
    rest = client.get("/ask", params={"q": question})
    assert rest.status_code == 404
    assert rest.json()["error"]["message"] == str(caught.value)
    assert rest.json()["error"]["suggestions"] == list(caught.value.suggestions) == ["DeepSeek"]
    cli_run = run_cli("ask", str(example_build), question)
    assert cli_run.exit_code == 1
    assert " ".join(cli_run.output.split()) == f"error: {caught.value}"


@pytest.mark.parametrize(
    "params",
    [{"subject": "DeepSeek"}, {"object": "Cohere", "predicate": "funded"}, {"predicate": "outperforms"}, {}],
)
def test_relations_agree(
    params: dict[str, str], graph: KnowledgeGraph, client: TestClient, example_build: Path
) -> None:
    rest = client.get("/relations", params={**params, "limit": 200}).json()
    cli_run = run_cli("relations", str(example_build), *(f"--{k}={v}" for k, v in params.items()), "--limit=200", "--json")
    assert cli_run.exit_code == 0, cli_run.output
    assert json.loads(cli_run.stdout) == rest["items"]
    df = graph.relations(evidence=False, **params)
    assert rest["total"] == len(df)
    assert [(r["subject"]["id"], r["predicate"], r["object"]["id"], r["confidence"]) for r in rest["items"]] == list(
        df[["subject", "predicate", "object", "confidence"]].itertuples(index=False, name=None))
    assert [r["evidence"][0]["sentence"] for r in rest["items"]] == df["sentence"].tolist()


@pytest.mark.parametrize(("q", "type"), [("deepseek", None), ("mistral", "Organization"), (None, "Model")])
def test_entity_search_agrees(
    q: str | None, type: str | None, graph: KnowledgeGraph, client: TestClient, example_build: Path
) -> None:
    params = {k: v for k, v in {"q": q, "type": type}.items() if v is not None}
    rest = client.get("/entities", params={**params, "limit": 200}).json()
    cli_run = run_cli("entities", str(example_build), *([q] if q else []), *([f"--type={type}"] if type else []),
                      "--limit=200", "--json")
    assert cli_run.exit_code == 0, cli_run.output
    assert json.loads(cli_run.stdout) == rest["items"]
    df = graph.entities(type=type, q=q)
    assert [(h["id"], h["score"], h["match"], h["mentions"]) for h in rest["items"]] == list(
        df[["id", "score", "match", "mentions"]].itertuples(index=False, name=None))


def test_entity_detail_agrees(graph: KnowledgeGraph, client: TestClient) -> None:
    rest = client.get("/entities/organization/deepseek").json()
    api = graph.entity("organization/deepseek")
    assert (rest["id"], rest["iri"], rest["name"], rest["mentions"]) == (api["id"], api["iri"], api["name"],
                                                                        api["mentions"])
    assert [d["id"] for d in rest["documents"]] == api["documents"]
    assert (rest["outgoing_total"], rest["incoming_total"]) == (api["outgoing"], api["incoming"])
    missing = client.get("/entities/organization/deepseak")
    assert missing.status_code == 404


def test_sparql_agrees(graph: KnowledgeGraph, client: TestClient, example_build: Path) -> None:
    text = ("SELECT ?type (COUNT(?e) AS ?n) WHERE { ?e a ?type } GROUP BY ?type ORDER BY DESC(?n) ?type")
    df = graph.query(text)
    cli_run = run_cli("query", str(example_build), text, "--format", "csv")
    assert cli_run.exit_code == 0, cli_run.output
    from_cli = pd.read_csv(io.StringIO(cli_run.stdout))
    rest = client.get("/sparql", params={"query": text}, headers={"accept": "text/csv"})
    assert rest.status_code == 200
    from_rest = pd.read_csv(io.StringIO(rest.text))
    rows = list(df.itertuples(index=False, name=None))
    assert rows == list(from_cli.itertuples(index=False, name=None)) == list(from_rest.itertuples(index=False, name=None))
    assert df["n"].sum() > 0


def test_cli_lookups_name_bad_values(example_build: Path) -> None:
    bad_predicate = run_cli("relations", str(example_build), "--predicate", "invested")
    assert bad_predicate.exit_code == 2
    assert "unknown predicate 'invested'" in " ".join(bad_predicate.output.split())
    bad_type = run_cli("entities", str(example_build), "--type", "Lab")
    assert bad_type.exit_code == 2
    assert "unknown entity type 'Lab'" in " ".join(bad_type.output.split())
    unknown = run_cli("relations", str(example_build), "--object", "Zorblax")
    assert unknown.exit_code == 1
    assert "no entity named 'Zorblax'" in unknown.output
    unparsed = run_cli("ask", str(example_build), "tell me a joke")
    assert unparsed.exit_code == 1
    assert "what did DeepSeek release" in unparsed.output  # the shapes it understands
    missing = run_cli("entities", str(example_build.parent / "nowhere"))
    assert missing.exit_code == 1
    assert "no such folder" in missing.output
