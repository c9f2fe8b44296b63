"""A synthetic aikg graph of about N triples, written as a real build folder.

    .venv/bin/python bench/gen_graph.py OUT_DIR --triples 1000000 [--seed 0]

Synthetic records (:class:`DocResult`, :class:`Entity`, :class:`Relation`
with :class:`Evidence`) go through :func:`kg.assemble.assemble` and
:func:`kg.store.save`, exactly as ``kg build`` does after extraction, into
``OUT_DIR/builds/<id>/`` with a manifest, and ``OUT_DIR/current`` points at
it, so ``kg serve OUT_DIR`` and ``kg query OUT_DIR`` open it like any build.

The graph is made of "units": one document with six sections, about a dozen
entities (organisations, models, people, benchmarks, papers; sixteen
countries in all) and forty relations with one to three evidence sentences
each. Subjects and objects are drawn with a skew, so some entities have
hundreds of relations and most have a few, as in a real corpus. A small
pilot graph measures triples per unit, so the result lands close to N.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import rdflib

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _names as names  # noqa: E402
import _templates as tpl  # noqa: E402

import kg  # noqa: E402
from kg.assemble import assemble  # noqa: E402
from kg.fsutil import atomic_symlink, atomic_write_text  # noqa: E402
from kg.ontology.namespace import entity_key  # noqa: E402
from kg.store import save  # noqa: E402
from kg.types import SIGNATURES, DocResult, Entity, Evidence, Relation, Section  # noqa: E402

SECTIONS_PER_DOC = 6
SECTION_CHARS = 1500
RELATIONS_PER_UNIT = 40
PILOT_UNITS = 40
VERBS: dict[str, str] = {
    "released": "has released",
    "outperforms": "outperforms",
    "funded": "invested in",
    "worksFor": "works for",
    "basedIn": "is based in",
    "authored": "wrote",
}


@dataclass(frozen=True, slots=True)
class Records:
    results: list[DocResult]
    entities: list[Entity]
    relations: list[Relation]


@dataclass(frozen=True, slots=True)
class GraphBuild:
    """A written synthetic build and what a benchmark needs to query it."""

    out_dir: Path
    build_dir: Path
    triples: int
    entities: list[Entity]
    seconds: dict[str, float]
    #: relations per entity key (as subject or object)
    degree: dict[str, int]

    def busiest(self, share: float = 0.05) -> list[Entity]:
        """The ``share`` of entities with the most relations."""
        ranked = sorted(self.entities, key=lambda e: (-self.degree.get(e.key, 0), e.key))
        return ranked[: max(1, int(len(ranked) * share))]


def _pool_sizes(units: int) -> dict[str, int]:
    return {
        "Organization": 3 * units + 10,
        "Model": 6 * units + 10,
        "Person": 2 * units + 5,
        "Benchmark": units // 3 + 5,
        "Paper": 2 * units + 5,
        "Country": len(names.COUNTRIES),
    }


def _name(etype: str, index: int) -> str:
    if etype == "Organization":
        return names.organization(index)
    if etype == "Model":
        return names.model(index)
    if etype == "Person":
        return names.person(index)
    if etype == "Benchmark":
        return names.benchmark(index)
    if etype == "Paper":
        return names.paper(index)
    return names.country(index)[0]


def _documents(units: int, seed: int) -> list[DocResult]:
    docs = []
    for u in range(units):
        doc_id = f"synthetic-{seed}-{u:05d}"
        sections = tuple(
            Section(index=i, title=f"Section {i} of issue {u}", start=i * SECTION_CHARS, end=(i + 1) * SECTION_CHARS)
            for i in range(SECTIONS_PER_DOC)
        )
        docs.append(DocResult(
            doc_id=doc_id, title=f"Synthetic Signals {u}: a generated issue", source=f"synthetic/{doc_id}.txt",
            issue=u, date=f"{2020 + u // 365 % 10}-{u % 12 + 1:02d}-{u % 28 + 1:02d}", sections=sections,
            mentions=(), candidates=(),
        ))
    return docs


def synthetic_records(units: int, *, seed: int = 0) -> Records:
    """Documents, entities and relations of ``units`` units (deterministic in ``seed``)."""
    if units < 1:
        raise ValueError(f"units must be at least 1, got {units}")
    rng = random.Random(f"aikg-graph:{seed}:{units}")
    docs = _documents(units, seed)
    doc_ids = [d.doc_id for d in docs]
    sizes = _pool_sizes(units)
    pools = {etype: names.Pool(size) for etype, size in sizes.items()}
    entity_names = {etype: [_name(etype, i) for i in range(size)] for etype, size in sizes.items()}
    entities = []
    for etype, pool_names in entity_names.items():
        for name in pool_names:
            seen_in = sorted({rng.choice(doc_ids) for _ in range(rng.randint(1, 4))})
            aliases = (name.split("-")[0],) if etype == "Model" and rng.random() < 0.3 else ()
            entities.append(Entity(key=entity_key(etype, name), name=name, type=etype, aliases=aliases,
                                   mentions=len(seen_in) + rng.randint(0, 5), documents=tuple(seen_in)))
    grouped: dict[tuple[str, str, str], list[Evidence]] = {}
    predicates = sorted(SIGNATURES)
    for _ in range(RELATIONS_PER_UNIT * units):
        predicate = rng.choice(predicates)
        subject_types, object_types = SIGNATURES[predicate]
        s_type, o_type = rng.choice(sorted(subject_types)), rng.choice(sorted(object_types))
        s_name = entity_names[s_type][pools[s_type].draw(rng)]
        o_name = entity_names[o_type][pools[o_type].draw(rng)]
        if s_name == o_name:
            continue
        key = (entity_key(s_type, s_name), predicate, entity_key(o_type, o_name))
        evidence = grouped.setdefault(key, [])
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
            doc_no = rng.randrange(units)
            section = rng.randrange(SECTIONS_PER_DOC)
            start = section * SECTION_CHARS + rng.randrange(SECTION_CHARS - 200)
            sentence = f"{s_name} {VERBS[predicate]} {o_name}, in a story about {rng.choice(tpl.TOPICS)}."
            evidence.append(Evidence(
                doc_id=doc_ids[doc_no], section=docs[doc_no].sections[section].title, sentence=sentence,
                start=start, end=start + len(sentence), rule=f"{predicate}:synthetic",
                confidence=rng.choice((0.6, 0.7, 0.8, 0.9)),
            ))
    relations = [Relation(subject=s, predicate=p, object=o, evidence=tuple(evs))
                 for (s, p, o), evs in sorted(grouped.items())]
    return Records(results=docs, entities=sorted(entities, key=lambda e: e.key), relations=relations)


def _build_info(records: Records) -> dict[str, object]:
    return {
        "pipeline_version": f"{kg.__version__}+synthetic",
        "model_name": "synthetic",
        "model_version": "0",
        "built_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "document_count": len(records.results),
    }


def synthetic_graph(records: Records) -> rdflib.Graph:
    return assemble(records.results, records.entities, records.relations, build_info=_build_info(records))


def units_for(triples: int, *, seed: int = 0) -> int:
    """How many units give about ``triples`` triples (measured on a pilot graph)."""
    if triples < 1:
        raise ValueError(f"triples must be at least 1, got {triples}")
    pilot = len(synthetic_graph(synthetic_records(PILOT_UNITS, seed=seed)))
    return max(1, round(triples * PILOT_UNITS / pilot))


def write_build(graph: rdflib.Graph, records: Records, out_dir: Path) -> Path:
    """Save ``graph`` as ``out_dir/builds/<id>`` and point ``out_dir/current`` at it."""
    out_dir = Path(out_dir)
    digest = hashlib.sha256(f"{len(graph)}:{len(records.entities)}:{len(records.relations)}".encode()).hexdigest()
    build_id = f"{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}-{digest[:8]}"
    build_dir = out_dir / "builds" / build_id
    save(graph, build_dir)
    try:
        from kg.exports.jsonl import write_jsonl
    except ImportError:
        pass  # the exporter is optional here; serving and querying do not read graph.jsonl
    else:
        write_jsonl(graph, build_dir / "graph.jsonl")
    manifest = {
        "build_id": build_id, "fingerprint": digest, "aikg_version": kg.__version__, **_build_info(records),
        "synthetic": True,
        "counts": {"documents": len(records.results), "entities": len(records.entities),
                   "relations": len(records.relations), "triples": len(graph)},
    }
    atomic_write_text(build_dir / "manifest.json", json.dumps(manifest, indent=2))
    atomic_symlink(f"builds/{build_id}", out_dir / "current")
    for old in (out_dir / "builds").iterdir():
        if old.name != build_id and not old.name.startswith("."):
            _remove_tree(old)
    return build_dir


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def generate_build(triples: int, out_dir: Path, *, seed: int = 0, keep_graph: bool = False) -> tuple[GraphBuild, rdflib.Graph | None]:
    """Generate, assemble and save a graph of about ``triples`` triples into ``out_dir``."""
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    records = synthetic_records(units_for(triples, seed=seed), seed=seed)
    seconds["records"] = time.perf_counter() - t
    t = time.perf_counter()
    graph = synthetic_graph(records)
    seconds["assemble"] = time.perf_counter() - t
    t = time.perf_counter()
    build_dir = write_build(graph, records, out_dir)
    seconds["save"] = time.perf_counter() - t
    degree: dict[str, int] = {}
    for rel in records.relations:
        for key in (rel.subject, rel.object):
            degree[key] = degree.get(key, 0) + 1
    built = GraphBuild(out_dir=Path(out_dir), build_dir=build_dir, triples=len(graph),
                       entities=records.entities, seconds=seconds, degree=degree)
    return built, (graph if keep_graph else None)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic aikg build of about N triples.")
    parser.add_argument("out", type=Path, help="output folder (like kg build --out)")
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.triples < 1:
        parser.error(f"--triples must be at least 1, got {args.triples}")
    built, _ = generate_build(args.triples, args.out, seed=args.seed)
    times = ", ".join(f"{k} {v:.1f} s" for k, v in built.seconds.items())
    print(f"wrote {built.triples} triples ({len(built.entities)} entities) to {built.build_dir} ({times})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
