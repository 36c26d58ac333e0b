"""The store under kill -9 and under a second process: real processes, real files.

A store must hold the graph from before an ingest or the one from after it at every
instant, whatever stops the writer; a second writer waits for the first or says why it
will not; readers see a complete graph while a write goes on.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from citegraph.cli import main
from citegraph.graph.ingest import ingest
from citegraph.graph.store import Store

KILLS = 20
WORDS = (
    "crime prevention routine activity urban security police community design space "
    "theory place guardians victims offenders lighting patrols housing"
).split()


def bibtex(path: Path, entries: int, seed: int) -> Path:
    """A BibTeX file of distinct made-up articles (big enough to take a while to build)."""
    rng = random.Random(seed)
    lines = []
    for i in range(entries):
        title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize()
        lines.append(
            f"@article{{k{seed}x{i},\n"
            f"  author = {{Author{rng.randrange(400)}, A. and Writer{rng.randrange(400)}, B.}},\n"
            f"  title = {{{title} {seed} {i}}},\n"
            f"  journal = {{Journal of {rng.choice(WORDS).title()}}},\n"
            f"  year = {{{1970 + rng.randrange(50)}}},\n"
            f"  volume = {{{rng.randrange(1, 40)}}},\n"
            f"  pages = {{{rng.randrange(1, 99)}--{rng.randrange(100, 199)}}}\n}}\n"
        )
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def citegraph(store: Path, *args: str, **popen: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "citegraph.cli", "--store", str(store), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,  # type: ignore[call-overload]
    )


def graph_of(path: Path) -> tuple[frozenset[str], int, int]:
    """The published graph: its triples, and the property graph's works and citations
    (so the two databases of a version are checked together)."""
    with Store(path) as store:
        snapshot = store.snapshot()
        assert snapshot is not None
        triples = frozenset(str(q) for q in snapshot.rdf().quads_for_pattern(None, None, None))
        db = snapshot.graph()
        works = db.rows("MATCH (w:Work) RETURN count(w) AS n")[0]["n"]
        cites = db.rows("MATCH (:Work)-[c:CITES]->(:Work) RETURN count(c) AS n")[0]["n"]
    return triples, works, cites


def every_command_works(path: Path) -> None:
    runner = CliRunner()
    for args in (
        ["stats"],
        ["query", "MATCH (w:Work) RETURN count(w) AS works"],
        ["export", "--format", "json"],
        ["audit"],
    ):
        result = runner.invoke(
            main, ["--store", str(path), *args], env={"NEO4J_URI": None}, catch_exceptions=False
        )
        assert result.exit_code == 0, (args, result.output)


def wait_for_lock(store: Path, process: subprocess.Popen[str], timeout: float = 60) -> None:
    """Until `process` holds the store's write lock (the holder writes its pid there)."""
    lock = store / "write.lock"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lock.exists() and lock.read_text().strip() == str(process.pid):
            return
        assert process.poll() is None, process.communicate()
        time.sleep(0.01)
    raise AssertionError("the writer never took the lock")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("corpus")
    files = {
        "a": bibtex(folder / "a.bib", 200, 1),
        "b": bibtex(folder / "b.bib", 1000, 2),
        "c": bibtex(folder / "c.bib", 300, 3),
    }
    for name, parts in {"a": "a", "abc": "abc", "ab": "ab"}.items():
        ingest(Store(folder / f"store-{name}"), [files[p] for p in parts])
    return files


@pytest.fixture
def base_store(corpus: dict[str, Path], tmp_path: Path) -> Callable[[], Path]:
    """A fresh copy of the store holding only a.bib."""
    counter = iter(range(10_000))

    def copy() -> Path:
        target = tmp_path / f"store{next(counter)}"
        shutil.copytree(corpus["a"].parent / "store-a", target)
        return target

    return copy


def test_kill_9_at_any_moment_leaves_the_graph_before_or_after(
    corpus: dict[str, Path], base_store: Callable[[], Path]
) -> None:
    before = graph_of(corpus["a"].parent / "store-a")
    after = graph_of(corpus["a"].parent / "store-abc")
    files = [str(corpus["b"]), str(corpus["c"])]
    started = time.monotonic()
    timing = base_store()
    assert citegraph(timing, "ingest", *files).wait() == 0
    span = time.monotonic() - started
    rng = random.Random(20261201)
    seen = set()
    for kill in range(KILLS):
        store = base_store()
        writer = citegraph(store, "ingest", *files)
        # a moment in each slice of a little more than the ingest; the last one after it
        # published, however much slower than the timed run this one is
        if kill == KILLS - 1:
            writer.wait()
        time.sleep(1.2 * span * (kill + rng.random()) / KILLS)
        writer.kill()
        writer.wait()
        records_saved = len(list((store / "sources").glob("*.stamp")))
        graph = graph_of(store)
        assert graph in (before, after), f"kill {kill}: neither the old nor the new graph"
        seen.add((graph == after, records_saved > 1))
        every_command_works(store)
        rerun = ingest(Store(store), [Path(f) for f in files])  # re-running completes it
        assert [f.loaded for f in rerun.files] == [1000, 300]
        assert graph_of(store) == after
        versions = sorted(p.name for p in (store / "versions").iterdir())
        assert len(versions) <= 2 and all(v.startswith("v") for v in versions), versions
    # the kills fell before anything was saved, between saving and publishing, and after
    assert {(False, False), (False, True), (True, True)} <= seen, seen


def test_a_second_writer_waits_for_the_first_and_both_land(
    corpus: dict[str, Path], base_store: Callable[[], Path]
) -> None:
    store = base_store()
    first = citegraph(store, "ingest", str(corpus["b"]))
    wait_for_lock(store, first)
    second = citegraph(store, "ingest", str(corpus["c"]), "--wait", "120")
    assert first.wait() == 0 and second.wait() == 0
    _, waited = second.communicate()
    assert f"waiting for another citegraph process (pid {first.pid})" in waited
    assert graph_of(store) == graph_of(corpus["a"].parent / "store-abc")


def test_a_writer_told_not_to_wait_exits_with_one_line(
    corpus: dict[str, Path], base_store: Callable[[], Path]
) -> None:
    store = base_store()
    first = citegraph(store, "ingest", str(corpus["b"]))
    wait_for_lock(store, first)
    second = citegraph(store, "ingest", str(corpus["c"]), "--wait", "0")
    out, err = second.communicate()
    assert second.returncode == 1, (out, err)
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"another citegraph process (pid {first.pid}) is writing to this store" in err
    assert first.wait() == 0
    assert graph_of(store) == graph_of(corpus["a"].parent / "store-ab")  # nothing of c
    assert citegraph(store, "ingest", str(corpus["c"])).wait() == 0  # and it can come later
    assert graph_of(store) == graph_of(corpus["a"].parent / "store-abc")


def test_readers_during_a_write_see_a_complete_graph(
    corpus: dict[str, Path], base_store: Callable[[], Path]
) -> None:
    store = base_store()
    before = graph_of(store)[1:]
    after = graph_of(corpus["a"].parent / "store-ab")[1:]
    writer = citegraph(store, "ingest", str(corpus["b"]))
    wait_for_lock(store, writer)
    answers = []
    while writer.poll() is None:
        answers.append(graph_of(store)[1:])
    assert writer.returncode == 0
    answers.append(graph_of(store)[1:])
    assert len(answers) > 2  # read while the writer worked
    assert set(answers) <= {before, after} and answers[-1] == after


def test_an_old_store_is_rebuilt_from_its_records_on_first_open(
    corpus: dict[str, Path], tmp_path: Path
) -> None:
    """A 0.2 store kept records as sources/<id>.json beside one Oxigraph folder."""
    current = tmp_path / "now"
    ingest(Store(current), [corpus["c"]])
    old = tmp_path / "old"
    (old / "sources").mkdir(parents=True)
    (old / "oxigraph").mkdir()
    for record in (current / "sources").glob("*.json"):
        sid = record.stem.split("-")[0]
        shutil.copy(record, old / "sources" / f"{sid}.json")
        shutil.copy(record.with_suffix(".stamp"), old / "sources" / f"{sid}.stamp")
    every_command_works(old)
    assert graph_of(old) == graph_of(current)
    assert not (old / "oxigraph").exists()
    assert os.listdir(old / "versions") == ["v000001"]


def test_a_version_lost_by_hand_falls_back_to_the_last_complete_one(
    corpus: dict[str, Path], base_store: Callable[[], Path]
) -> None:
    store = base_store()
    before = graph_of(store)
    assert citegraph(store, "ingest", str(corpus["c"])).wait() == 0
    published = (store / "CURRENT").read_text().strip()
    shutil.rmtree(store / "versions" / published)  # e.g. a botched copy
    assert graph_of(store) == before  # served at its last complete version
    every_command_works(store)
    assert citegraph(store, "ingest", str(corpus["c"])).wait() == 0  # and repaired
    repaired = (store / "CURRENT").read_text().strip()
    assert (store / "versions" / repaired / "manifest.json").exists()
    assert graph_of(store)[1] > before[1]


def test_kill_9_during_an_incremental_build(corpus: dict[str, Path], tmp_path: Path) -> None:
    """Adding a small file reopens a few components of a store built before: killed at
    any moment of that, the store still holds the old graph or the new one."""
    small = bibtex(tmp_path / "d.bib", 20, 4)
    base = corpus["a"].parent / "store-abc"

    def fresh(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(base, target)
        return target

    before = graph_of(base)
    timing = fresh("timing")
    started = time.monotonic()
    assert citegraph(timing, "ingest", str(small)).wait() == 0
    span = time.monotonic() - started
    with Store(timing) as store:
        name = store.current_name()
        assert name is not None
        assert '"built": "delta"' in (store.versions_dir / name / "manifest.json").read_text()
    after = graph_of(timing)
    assert after != before
    rng = random.Random(20261202)
    seen = set()
    for kill in range(KILLS):
        store = fresh(f"store{kill}")
        writer = citegraph(store, "ingest", str(small))
        # a moment in each slice of a little more than the ingest; the last one after it
        # published, however much slower than the timed run this one is
        if kill == KILLS - 1:
            writer.wait()
        time.sleep(1.2 * span * (kill + rng.random()) / KILLS)
        writer.kill()
        writer.wait()
        graph = graph_of(store)
        assert graph in (before, after), f"kill {kill}: neither the old nor the new graph"
        seen.add(graph == after)
        every_command_works(store)
        ingest(Store(store), [small])
        assert graph_of(store) == after
    assert seen == {False, True}, seen
