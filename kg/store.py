"""The persisted graph of a build: ``graph.ttl`` plus an Oxigraph store.

:func:`save` writes both into a build folder (atomically: a half-written store
is never left under the final name). :func:`open_build` opens a build
read-only, so that several server processes and a concurrent build coexist,
and returns a :class:`BuildStore`: rdflib's API (through oxrdflib) and
pyoxigraph's engine over the same store, plus safe query execution
(:mod:`kg.sparql`). A build is opened once per process (builds never change
once finished; a new build is a new folder).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.errors import StoreError
from kg.sparql import (
    DEFAULT_MAX_QUERY_LENGTH,
    DEFAULT_MAX_RESULTS,
    DEFAULT_PREFIXES,
    DEFAULT_TIMEOUT,
    QueryPool,
    QueryResult,
    StoreSource,
    execute,
    vet,
)

if TYPE_CHECKING:
    import rdflib
    from rdflib.term import Node

    from kg.assemble import Triple

GRAPH_FILE = "graph.ttl"
#: the same triples as N-Triples, one per line: for line-based tools, and what the next build compares with
NT_FILE = "graph.nt"
#: the next build updates a copy of this build's store when at most this share of the lines changed
INCREMENTAL_MAX_CHANGE = 0.25
STORE_DIR = "store"
MANIFEST_FILE = "manifest.json"

#: Prefixes written into graph.ttl.
TURTLE_PREFIXES = DEFAULT_PREFIXES
#: characters a N-Triples string literal must escape, and their escapes
_NT_SPECIAL = re.compile(r'["\\\n\r]')
_NT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r"}


@functools.cache
def _rdflib_terms() -> tuple[Any, Any, Any]:
    from rdflib import BNode, Literal, URIRef

    return BNode, Literal, URIRef


def to_ox(term: Node) -> Any:
    """An rdflib term as the equal pyoxigraph term."""
    BNode, Literal, URIRef = _rdflib_terms()  # noqa: N806
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise StoreError(f"cannot store the RDF term {term!r}: expected an IRI, blank node or literal")


def ox_store_of(graph: rdflib.Graph) -> ox.Store | None:
    """The pyoxigraph store behind an oxrdflib-backed graph (None for rdflib's own stores)."""
    for attr in ("_store", "_inner"):  # oxrdflib 0.5 / earlier releases
        inner = getattr(graph.store, attr, None)
        if isinstance(inner, ox.Store):
            return inner
    return None


def _quads(graph: rdflib.Graph) -> Any:
    """The triples of ``graph`` as pyoxigraph quads of the default graph (IRIs converted once)."""
    from rdflib import URIRef

    default = ox.DefaultGraph()
    iris: dict[URIRef, ox.NamedNode] = {}

    def convert(term: Node) -> Any:
        if type(term) is URIRef:
            node = iris.get(term)
            if node is None:
                node = iris[term] = ox.NamedNode(str(term))
            return node
        return to_ox(term)

    for s, p, o in graph:
        yield ox.Quad(convert(s), convert(p), convert(o), default)


def save(graph: rdflib.Graph, build_dir: Path) -> None:
    """Write ``build_dir/graph.ttl`` and the Oxigraph store ``build_dir/store/`` from an rdflib graph."""
    source = ox_store_of(graph)
    quads = _quads(graph) if source is None else source.quads_for_pattern(None, None, None, ox.DefaultGraph())
    _save_quads(quads, Path(build_dir))


def save_triples(
    triples: Iterable[Triple],
    build_dir: Path,
    *,
    alongside: Callable[[], None] | None = None,
    previous: Path | None = None,
) -> int:
    """Write ``build_dir/graph.nt``, ``build_dir/graph.ttl`` and ``build_dir/store/`` from
    :func:`kg.assemble.graph_triples`.

    The triples are encoded once as N-Triples and written as ``graph.nt``.
    A process of its own turns that file into ``graph.ttl`` (:mod:`kg.turtle`)
    while ``alongside`` runs on this thread (the build writes ``graph.jsonl``
    there) and a background thread loads the on-disk store (pyoxigraph
    releases the GIL while it parses and indexes). When ``previous`` (the
    last build's folder) has a store and the ``graph.nt`` it was loaded
    from, the store is instead made after ``alongside``, as a copy of that
    one (RocksDB hard-links its files) with the changed lines applied, when
    few lines changed: see :func:`_update_store`. Returns the number of
    distinct triples stored.
    """
    build_dir = Path(build_dir)
    data = _ntriples(triples, build_dir)
    partial = _fresh_partial(build_dir)
    ttl_tmp = build_dir / (GRAPH_FILE + ".partial")
    nt_path = build_dir / NT_FILE
    try:
        nt_path.write_bytes(data)
    except OSError as exc:
        raise StoreError(f"{build_dir}: cannot write {NT_FILE}: {exc}") from None

    def bulk_load() -> None:
        loading = ox.Store(str(partial))
        loading.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
        loading.flush()

    # the update from the previous store runs after ``alongside``, on this thread: most of its work is Python
    # (comparing lines) and would only contend for the GIL; a bulk load is pyoxigraph's and runs beside it
    update = previous is not None and _has_graph_nt_and_store(previous)
    turtle = _start_turtle(nt_path, ttl_tmp)
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="aikg-store") as pool:
            loaded = None if update else pool.submit(bulk_load)
            if alongside is not None:
                alongside()  # if it raises, leaving the block still waits for the store
        try:
            if loaded is not None:
                loaded.result()
            elif previous is None or not _update_store(previous, data, partial):
                bulk_load()
            count = len(ox.Store.read_only(str(partial)))
        except (OSError, ValueError, SyntaxError) as exc:
            raise StoreError(f"{build_dir}: cannot write the graph store: {exc}") from None
        _, err = turtle.communicate()
    finally:
        if turtle.poll() is None:
            turtle.kill()
            turtle.wait()
    if turtle.returncode:
        raise StoreError(f"{build_dir}: cannot write {GRAPH_FILE}: {err.decode(errors='replace').strip()}")
    _move_into_place(partial, ttl_tmp, build_dir)
    return count


def _start_turtle(source: Path, target: Path) -> subprocess.Popen[bytes]:
    """Start ``python -m kg.turtle`` on ``source`` (with this process's ``kg`` importable)."""
    import kg

    root = str(Path(kg.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
    argv = [sys.executable, "-m", "kg.turtle", str(source), str(target), json.dumps(TURTLE_PREFIXES)]
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


def _update_store(previous: Path, data: bytes, partial: Path) -> bool:
    """Make the store at ``partial`` a copy of ``previous``'s with the lines of ``data`` (N-Triples) added that
    its ``graph.nt`` lacks, and those removed that ``data`` lacks. False (and nothing made) when ``previous``
    has no store or ``graph.nt``, or when more than ``INCREMENTAL_MAX_CHANGE`` of the lines differ: loading
    everything is then as fast.

    Each build's store was loaded from its ``graph.nt`` (the same bytes), so the copy ends with what loading
    ``data`` gives. Oxigraph keeps a typed literal as its value ("1.0" and "1.00" as xsd:decimal are one
    term): removing a line can take away the value of another line that is kept, so the kept lines with a
    typed literal under a removed line's subject and predicate are added again.
    """
    if not _has_graph_nt_and_store(previous) or _may_hold_blank_nodes(data):
        return False
    old_nt, old_store = previous / NT_FILE, previous / STORE_DIR
    try:
        old_lines = set(old_nt.read_bytes().split(b"\n"))
    except OSError:
        return False
    new_lines = set(data.split(b"\n"))
    removed, added = old_lines - new_lines, new_lines - old_lines
    if len(removed) + len(added) > INCREMENTAL_MAX_CHANGE * len(new_lines):
        return False
    try:
        ox.Store.read_only(str(old_store)).backup(str(partial))
    except OSError:  # a store this pyoxigraph cannot open read-only, another file system: load everything
        shutil.rmtree(partial, ignore_errors=True)
        return False
    typed = b'"^^<'
    clashes = {tuple(line.split(b" ", 2)[:2]) for line in removed if typed in line}
    if clashes:
        added |= {line for line in new_lines if typed in line and tuple(line.split(b" ", 2)[:2]) in clashes}
    store = ox.Store(str(partial))
    nt = ox.RdfFormat.N_TRIPLES
    for quad in ox.parse(b"\n".join(removed), format=nt):
        store.remove(quad)
    store.extend(ox.parse(b"\n".join(added), format=nt))
    store.flush()
    return True


def _has_graph_nt_and_store(build_dir: Path) -> bool:
    return (build_dir / NT_FILE).is_file() and (build_dir / STORE_DIR).is_dir()


def _may_hold_blank_nodes(data: bytes) -> bool:
    """Whether N-Triples ``data`` may name a blank node: each parse makes new ones, so lines naming one cannot
    be removed by a later parse (``graph_triples`` writes none; a literal containing " _:" is a false alarm)."""
    return data.startswith(b"_:") or b" _:" in data or b"\n_:" in data


def _ntriples(triples: Iterable[Triple], build_dir: Path) -> bytes:
    """N-Triples of ``triples``; IRIs are written as they are (the store's parser checks them)."""
    from kg.assemble import Lit  # only builds write: `kg query` and `kg serve` never import the assembler

    lines = []
    for s, p, o in triples:
        if type(o) is Lit:
            lex = o.lexical
            if '"' in lex or "\\" in lex or "\n" in lex or "\r" in lex:
                lex = _NT_SPECIAL.sub(lambda m: _NT_ESCAPES[m.group()], lex)
            obj = f'"{lex}"' if o.datatype is None else f'"{lex}"^^<{o.datatype}>'
        else:
            obj = f"<{o}>"
        lines.append(f"<{s}> <{p}> {obj} .\n")
    try:
        return "".join(lines).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise StoreError(f"{build_dir}: cannot write the graph store: a text holds {exc.object[exc.start:exc.end]!r}, "
                         "which is not Unicode text (a lone surrogate)") from None


def _fresh_partial(build_dir: Path) -> Path:
    build_dir.mkdir(parents=True, exist_ok=True)
    partial = build_dir / (STORE_DIR + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    return partial


def _save_quads(quads: Iterable[ox.Quad], build_dir: Path) -> None:
    partial = _fresh_partial(build_dir)
    ttl_tmp = build_dir / (GRAPH_FILE + ".partial")
    try:
        store = ox.Store(str(partial))
        store.bulk_extend(quads)
        store.flush()
        store.dump(str(ttl_tmp), format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=TURTLE_PREFIXES)
        del store
    except (OSError, ValueError) as exc:
        raise StoreError(f"{build_dir}: cannot write the graph store: {exc}") from None
    _move_into_place(partial, ttl_tmp, build_dir)


def _move_into_place(partial: Path, ttl_tmp: Path, build_dir: Path) -> None:
    final = build_dir / STORE_DIR
    if final.exists():
        old = build_dir / (STORE_DIR + ".old")
        os.replace(final, old)
        os.replace(partial, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(partial, final)
    os.replace(ttl_tmp, build_dir / GRAPH_FILE)


def resolve_build_dir(out_dir: Path) -> Path:
    """The build folder for ``out_dir``: ``out_dir/current`` or ``out_dir`` itself."""
    out_dir = Path(out_dir)
    if not out_dir.exists():
        raise StoreError(f"{out_dir}: no such folder; run `kg build INPUTS --out {out_dir}` first")
    current = out_dir / "current"
    if current.is_symlink() or current.is_dir():
        if not current.exists():
            raise StoreError(f"{current}: the `current` link points to a missing build ({os.readlink(current)}); rebuild")
        return current.resolve()
    if (out_dir / STORE_DIR).is_dir() or (out_dir / GRAPH_FILE).is_file():
        return out_dir.resolve()
    raise StoreError(
        f"{out_dir}: not a build: expected a `current` link to builds/<id>, "
        f"or a build folder with {STORE_DIR}/ or {GRAPH_FILE}"
    )


def _load_manifest(build_dir: Path) -> dict[str, Any]:
    path = build_dir / MANIFEST_FILE
    if not path.is_file():
        raise StoreError(f"{build_dir}: incomplete build: {MANIFEST_FILE} is missing (was the build interrupted?)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"{path}: corrupt manifest: {exc}") from None
    if not isinstance(manifest, dict):
        raise StoreError(f"{path}: corrupt manifest: expected a JSON object, got {type(manifest).__name__}")
    return manifest


@dataclass(eq=False)
class BuildStore:
    """A build opened read-only: rdflib API and Oxigraph engine over one store."""

    path: Path
    manifest: dict[str, Any]
    ox: ox.Store
    source: StoreSource
    pool_size: int = 2
    _pool: QueryPool | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @cached_property
    def graph(self) -> rdflib.Graph:
        """The default graph through rdflib's API, backed by the Oxigraph store."""
        import rdflib
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        return rdflib.Graph(store=_rdflib_store(self.ox), identifier=DATASET_DEFAULT_GRAPH_ID)

    @property
    def build_id(self) -> str:
        return str(self.manifest.get("build_id") or self.path.name)

    @property
    def pool(self) -> QueryPool:
        with self._lock:
            if self._pool is None:
                self._pool = QueryPool(self.source, size=self.pool_size)
            return self._pool

    def query(
        self,
        sparql: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_results: int = DEFAULT_MAX_RESULTS,
        max_length: int = DEFAULT_MAX_QUERY_LENGTH,
    ) -> QueryResult:
        """Vet and run an untrusted query in a worker under the limits."""
        self.pool.warm()
        return self.pool.run(vet(sparql, max_length=max_length), timeout=timeout, max_results=max_results)

    def select(self, sparql: str, *, timeout: float | None = None, limit: int | None = None) -> list[dict[str, Node]]:
        """Run a trusted SELECT; in this process unless a timeout is given."""
        vetted = vet(sparql)
        max_results = limit if limit is not None else DEFAULT_MAX_RESULTS
        if timeout is None:
            result = execute(self.ox, vetted, max_results=max_results)
        else:
            result = self.pool.run(vetted, timeout=timeout, max_results=max_results)
        return result.rows()

    def close(self) -> None:
        """Stop the query workers (the store itself closes with the process)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()


def _plain(term: Any) -> Any:
    """rdflib's simple literal for an xsd:string literal (oxrdflib returns the typed form)."""
    from rdflib import XSD, Literal

    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def _rdflib_store(store: ox.Store) -> Any:
    """An oxrdflib store over ``store`` whose literals compare equal to rdflib's."""
    from oxrdflib import OxigraphStore

    class _Store(OxigraphStore):  # type: ignore[misc]
        def triples(self, triple_pattern: Any, context: Any = None) -> Any:
            for (s, p, o), ctx in super().triples(triple_pattern, context):
                yield (s, p, _plain(o)), ctx

        def query(self, *args: Any, **kwargs: Any) -> Any:
            result = super().query(*args, **kwargs)
            if result.type == "SELECT":
                result.bindings = [{k: _plain(v) for k, v in row.items()} for row in result.bindings]
            elif result.type == "CONSTRUCT":
                import rdflib

                graph = rdflib.Graph()
                graph += ((s, p, _plain(o)) for s, p, o in result.graph)
                result.graph = graph
            return result

    return _Store(store=store)


_OPEN: dict[Path, BuildStore] = {}
_OPEN_LOCK = threading.Lock()


def open_build(out_dir: Path) -> BuildStore:
    """Open the build of ``out_dir`` read-only (once per process per build)."""
    build_dir = resolve_build_dir(Path(out_dir))
    with _OPEN_LOCK:
        cached = _OPEN.get(build_dir)
        if cached is not None:
            return cached
        manifest = _load_manifest(build_dir)
        store_dir = build_dir / STORE_DIR
        if store_dir.is_dir():
            source = StoreSource(store_dir=store_dir)
        elif (build_dir / GRAPH_FILE).is_file():
            source = StoreSource(turtle=build_dir / GRAPH_FILE)
        else:
            raise StoreError(f"{build_dir}: incomplete build: neither {STORE_DIR}/ nor {GRAPH_FILE} is present")
        opened = BuildStore(path=build_dir, manifest=manifest, ox=source.open(), source=source)
        _OPEN[build_dir] = opened
        return opened


__all__ = ["BuildStore", "GRAPH_FILE", "MANIFEST_FILE", "STORE_DIR", "open_build", "resolve_build_dir", "save", "to_ox"]
