"""Question parsing (kg.ask) and /ask answers over the hand-written test build."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient

from kg.api.main import create_app
from kg.api.settings import Settings
from kg.ask import MAX_QUESTION_LENGTH, ParseFailure, Question, parse_question, understood_shapes
from kg.store import save

DATA = Path(__file__).parent / "data" / "api_graph.ttl"

# --- parsing: question -> (entity, predicates, direction, answer type) --------------

PARSES = [
    ("what did DeepSeek release", "DeepSeek", ("released",), "out", None),
    ("What has DeepSeek released?", "DeepSeek", ("released",), "out", None),
    ("DeepSeek releases", "DeepSeek", ("released",), "out", None),
    ("DeepSeek's releases", "DeepSeek", ("released",), "out", None),
    ("which models did DeepSeek launch?", "DeepSeek", ("released",), "out", "Model"),
    ("what was released by DeepSeek", "DeepSeek", ("released",), "out", None),
    ("tell me what DeepSeek released", "DeepSeek", ("released",), "out", None),
    ("who released Phi-4", "Phi-4", ("released",), "in", None),
    ("who funded Cohere", "Cohere", ("funded",), "in", None),
    ("Who invested in Cohere?", "Cohere", ("funded",), "in", None),
    ("who are Cohere's investors", "Cohere", ("funded",), "in", None),
    ("whom did Samsung Securities fund", "Samsung Securities", ("funded",), "out", None),
    ("what did Samsung Securities invest in?", "Samsung Securities", ("funded",), "out", None),
    ("which models outperform LLaMa-3.1 405B", "LLaMa-3.1 405B", ("outperforms",), "in", "Model"),
    ("what beats LLaMa-3.1 405B?", "LLaMa-3.1 405B", ("outperforms",), "in", "Model"),
    ("what does Phi-4 outperform", "Phi-4", ("outperforms",), "out", "Model"),
    ("Which models has Phi-4 beaten?", "Phi-4", ("outperforms",), "out", "Model"),
    ("who works for Tenstorrent", "Tenstorrent", ("worksFor",), "in", "Person"),
    ("Who works at Tenstorrent?", "Tenstorrent", ("worksFor",), "in", "Person"),
    ("who founded Cohere", "Cohere", ("worksFor",), "in", "Person"),
    ("where does Jim Keller work", "Jim Keller", ("worksFor",), "out", "Organization"),
    ("where is Mistral based", "Mistral", ("basedIn",), "out", "Country"),
    ("Where is Mistral AI headquartered?", "Mistral AI", ("basedIn",), "out", "Country"),
    ("which country is DeepSeek from", "DeepSeek", ("basedIn",), "out", "Country"),
    ("which labs are based in China", "China", ("basedIn",), "in", "Organization"),
    ("Which companies are from China?", "China", ("basedIn",), "in", "Organization"),
    ("what did Microsoft publish", "Microsoft", ("released", "authored"), "out", "Paper"),
    ("Which papers has Microsoft published?", "Microsoft", ("released", "authored"), "out", "Paper"),
    ("who wrote the Phi-4 Technical Report", "Phi-4 Technical Report", ("authored", "released"), "in", None),
]


@pytest.mark.parametrize(("text", "entity", "predicates", "direction", "answer_type"), PARSES)
def test_parse_question(text: str, entity: str, predicates: tuple[str, ...], direction: str, answer_type: str | None) -> None:
    parsed = parse_question(text)
    assert isinstance(parsed, Question), parsed
    assert (parsed.entity, parsed.predicates, parsed.direction, parsed.answer_type) == (
        entity, predicates, direction, answer_type,
    )


@pytest.mark.parametrize(
    "text", ["", "   ?", "what is the meaning of life", "hello", "who funded it", "x" * (MAX_QUESTION_LENGTH + 1)]
)
def test_unparseable_questions_list_the_shapes(text: str) -> None:
    parsed = parse_question(text)
    assert isinstance(parsed, ParseFailure)
    assert parsed.shapes == understood_shapes()
    assert "what did DeepSeek release" in parsed.shapes
    assert parsed.reason


def test_every_shape_example_parses_as_its_own_shape() -> None:
    from kg.ask import SHAPES

    for shape in SHAPES:
        parsed = parse_question(shape.example)
        assert isinstance(parsed, Question) and parsed.shape == shape.name, shape.example


# --- answering: question -> expected answers through the API ----------------------


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    folder = tmp_path_factory.mktemp("ask") / "build"
    graph = rdflib.Graph()
    graph.parse(DATA, format="turtle")
    save(graph, folder)
    (folder / "manifest.json").write_text(json.dumps({"pipeline_version": "0.1.0"}), encoding="utf-8")
    return TestClient(create_app(folder, Settings()))


ANSWERS = [
    ("what did DeepSeek release", "organization/deepseek", {"DeepSeek-V3", "DeepSeek-R1", "DeepSeek-V3 Technical Report"}),
    ("What has DeepSeek released?", "organization/deepseek", {"DeepSeek-V3", "DeepSeek-R1", "DeepSeek-V3 Technical Report"}),
    ("DeepSeek releases", "organization/deepseek", {"DeepSeek-V3", "DeepSeek-R1", "DeepSeek-V3 Technical Report"}),
    ("which models did deepseek ai release", "organization/deepseek", {"DeepSeek-V3", "DeepSeek-R1"}),
    ("who released Phi-4", "model/phi-4", {"Microsoft"}),
    ("who funded Cohere", "organization/cohere", {"Nvidia", "Canada"}),
    ("who invested in cohere?", "organization/cohere", {"Nvidia", "Canada"}),
    ("whom did Samsung Securities fund", "organization/samsung-securities", {"Tenstorrent"}),
    ("which models outperform LLaMa-3.1 405B", "model/llama-3-1-405b", {"DeepSeek-V3", "Qwen2.5-72B"}),
    ("which models outperform llama 3.1 405b?", "model/llama-3-1-405b", {"DeepSeek-V3", "Qwen2.5-72B"}),
    ("what does Phi-4 outperform", "model/phi-4", {"GPT-4o-mini"}),
    ("who works for Tenstorrent", "organization/tenstorrent", {"Jim Keller"}),
    ("where does Jim Keller work", "person/jim-keller", {"Tenstorrent"}),
    ("where is Mistral based", "organization/mistral", {"France"}),
    ("Where is Mistral AI based?", "organization/mistral", {"France"}),
    ("which labs are based in China", "country/china", {"DeepSeek", "Alibaba"}),
    ("what did Microsoft publish", "organization/microsoft", {"Phi-4 Technical Report"}),
    ("who wrote the Phi-4 Technical Report", "paper/phi-4-technical-report", {"Microsoft"}),
    ("which labs are based in France", "country/france", {"Mistral"}),
    ("who funded Tenstorrent", "organization/tenstorrent", {"Samsung Securities"}),
    ("what did Alibaba release", "organization/alibaba", {"Qwen2.5-72B"}),
    ("who works for Microsoft", "organization/microsoft", set()),
]


@pytest.mark.parametrize(("question", "entity", "expected"), ANSWERS)
def test_ask_answers(client: TestClient, question: str, entity: str, expected: set[str]) -> None:
    response = client.get("/ask", params={"q": question})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["question"] == question
    assert body["understood"]["entity"]["id"] == entity
    assert {a["entity"]["name"] for a in body["answers"]} == expected
    assert body["count"] == len(expected)
    for answer in body["answers"]:
        assert answer["evidence"], answer
        assert all(ev["sentence"] and ev["document"]["id"] for ev in answer["evidence"])


def test_ask_says_how_it_understood_and_ranks_by_confidence(client: TestClient) -> None:
    body = client.get("/ask", params={"q": "what did DeepSeek release"}).json()
    assert body["understood"] == {
        "entity": {"id": "organization/deepseek", "name": "DeepSeek", "type": "Organization"},
        "predicates": ["released"],
        "direction": "out",
        "answer_type": None,
        "shape": "released-by",
    }
    confidences = [a["confidence"] for a in body["answers"]]
    assert confidences == sorted(confidences, reverse=True)
    assert body["answers"][0]["entity"]["name"] == "DeepSeek-V3"
    assert len(body["answers"][0]["evidence"]) == 2


def test_publish_merges_released_and_authored_evidence(client: TestClient) -> None:
    body = client.get("/ask", params={"q": "what did Microsoft publish"}).json()
    (answer,) = body["answers"]
    assert answer["predicates"] == ["authored", "released"]
    assert len(answer["evidence"]) == 2


def test_unknown_name_is_404_with_did_you_mean(client: TestClient) -> None:
    response = client.get("/ask", params={"q": "what did DeepSek release"})
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "unknown_entity"
    assert error["message"] == "no entity named 'DeepSek' — did you mean DeepSeek?"
    assert error["suggestions"] == ["DeepSeek"]


def test_name_of_the_wrong_type_is_404_saying_so(client: TestClient) -> None:
    error = client.get("/ask", params={"q": "where is Phi-4 based"}).json()["error"]
    assert error["code"] == "unknown_entity"
    assert "Phi-4 (Model)" in error["message"] and "Organization" in error["message"]


def test_unparseable_question_is_422_with_shapes(client: TestClient) -> None:
    response = client.get("/ask", params={"q": "how tall is the Eiffel tower"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "unparsed_question"
    assert error["shapes"] == list(understood_shapes())


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "w" * 301}])
def test_missing_empty_or_too_long_question_is_400(client: TestClient, params: dict[str, str]) -> None:
    response = client.get("/ask", params=params)
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["param"] == "q"
