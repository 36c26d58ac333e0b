"""The reviewer's word on every merge (issue 11): `audit --merges` explains each one, and
`merge`, `split`, `decisions --undo` and `decisions --import` change identity for good:
kept in the store, honoured by later ingests, built incrementally as a full build would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from citegraph.cli import main


def ris(*entries: dict[str, str]) -> str:
    out = []
    for entry in entries:
        out.append("TY  - JOUR")
        out.append("AU  - Straub, Detmar")
        out += [f"{tag}  - {value}" for tag, value in entry.items()]
        out.append("ER  - ")
        out.append("")
    return "\n".join(out)


EC = {"TI": "Editor's Comments", "JO": "MIS Quarterly", "PY": "2013", "VL": "37"}
ARTICLE = {"TI": "Situational prevention of fraud online", "JO": "Crime Science", "PY": "2013"}
A = ris({**EC, "IS": "1", "SP": "iii"}, {**EC, "IS": "4", "SP": "v"}, {**ARTICLE, "VL": "2"})
B = ris({**EC, "IS": "4", "SP": "v"}, {**ARTICLE, "TI": ARTICLE["TI"].upper(), "VL": "2"})
C = ris({**EC, "IS": "1", "SP": "iii-iv"})


def run(store: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--store", str(store), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def works(store: Path) -> list[set[str]]:
    """The works of the store as sets of their records (`FILE:LINE`)."""
    found = json.loads(run(store, "audit", "--merges", "--json"))
    return sorted(
        ({f"{Path(r['path']).name}:{r['line']}" for r in w["records"]} for w in found), key=sorted
    )


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name, text in (("a.ris", A), ("b.ris", B), ("c.ris", C)):
        paths[name] = tmp_path / name
        paths[name].write_text(text, encoding="utf-8")
    return paths


def lines_of(path: Path, title: str, issue: str | None = None) -> str:
    """`FILE:LINE` of the entry with this title (and issue): the line its TY starts on."""
    entries = path.read_text().split("TY  - ")
    start = 1
    for text in entries[1:]:
        if f"TI  - {title}\n" in text and (issue is None or f"IS  - {issue}\n" in text):
            return f"{path}:{start}"
        start += text.count("\n")
    raise AssertionError(f"{title} {issue} not in {path}")


def test_audit_explains_each_merge_and_keeps_generic_titles_apart(
    tmp_path: Path, files: dict[str, Path]
) -> None:
    store = tmp_path / "store"
    run(store, "ingest", str(files["a.ris"]), str(files["b.ris"]))
    found = json.loads(run(store, "audit", "--merges", "--json"))
    assert len(found) == 2  # the issue-4 comments, and the article; issue 1 stays alone
    article = next(w for w in found if "fraud" in w["title"].lower())
    [join] = article["joins"]
    assert join["rule"] == "author-year-title"
    assert {"title", "first author", "year", "venue", "volume"} <= set(join["matched"])
    assert [r["path"] for r in article["records"]] == [str(files["a.ris"]), str(files["b.ris"])]
    text = run(store, "audit", "--merges")
    assert "by author-year-title, score" in text and f"{files['b.ris']}:" in text


def test_merge_split_undo_are_kept_and_honoured_by_later_ingests(
    tmp_path: Path, files: dict[str, Path]
) -> None:
    store = tmp_path / "store"
    run(store, "ingest", str(files["a.ris"]), str(files["b.ris"]))
    one = lines_of(files["a.ris"], "Editor's Comments", "1")
    four = lines_of(files["a.ris"], "Editor's Comments", "4")
    out = run(store, "merge", one, four, "--note", "one column, two issues")
    assert out.startswith("d1: merged 2 records")
    merged = next(w for w in works(store) if len(w) == 3)
    assert {"a.ris:1", "b.ris:1"} <= merged
    listing = json.loads(run(store, "audit", "--merges", "--json"))
    [work] = [w for w in listing if len(w["records"]) == 3]
    assert work["decisions"] == ["d1"] and {j["rule"] for j in work["joins"]} >= {"reviewer"}

    run(store, "ingest", str(files["c.ris"]))  # another copy of issue 1 joins the merged work
    assert any(len(w) == 4 and "c.ris:1" in w for w in works(store))

    out = run(store, "split", work["iri"])
    assert out.startswith("d2: split 4 records")  # the records named when it was made
    comments = {"a.ris:1", "a.ris:11", "b.ris:1", "c.ris:1"}
    assert [w for w in works(store) if w & comments] == []  # each comment a work of its own
    out = run(store, "decisions")
    assert "d1 merge" in out and "d2 split" in out and "one column, two issues" in out
    run(store, "decisions", "--undo", "d2")
    assert any(len(w) == 4 for w in works(store))
    run(store, "decisions", "--undo", "d1")
    assert not any(len(w) >= 3 for w in works(store))
    assert "(undone" in run(store, "decisions")


def test_pairs_from_a_screening_tool_are_imported_row_by_row(
    tmp_path: Path, files: dict[str, Path]
) -> None:
    store = tmp_path / "store"
    run(store, "ingest", str(files["a.ris"]), str(files["b.ris"]))
    one = lines_of(files["a.ris"], "Editor's Comments", "1")
    four_b = lines_of(files["b.ris"], "Editor's Comments", "4")
    article_a = lines_of(files["a.ris"], ARTICLE["TI"])
    article_b = lines_of(files["b.ris"], ARTICLE["TI"].upper())
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "record_a,record_b,decision\n"
        f"{one},{four_b},same\n"
        f"{article_a},{article_b},different\n"
        f"{files['a.ris']}:999,{one},same\n"
        f"{one},{four_b},perhaps\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["--store", str(store), "decisions", "--import", str(pairs)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "4 pairs, 2 decisions made, 2 rejected" in result.output
    assert f"{pairs}:4: " in result.output and "a.ris:999: no work" in result.output
    assert f"{pairs}:5: decision 'perhaps'" in result.output
    found = works(store)
    assert any(len(w) == 3 for w in found)  # issue 1 joined to issue 4's pair
    name = lambda ref: f"{Path(ref).name}"  # noqa: E731
    assert not any(name(article_a) in w and name(article_b) in w for w in found)  # split


def test_a_reference_that_names_nothing_is_one_line(tmp_path: Path, files: dict[str, Path]) -> None:
    store = tmp_path / "store"
    run(store, "ingest", str(files["a.ris"]))
    result = CliRunner().invoke(
        main, ["--store", str(store), "merge", "nowhere.ris:3", f"{files['a.ris']}:1"]
    )
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: nowhere.ris:3: no work (IRI, DOI) or record (FILE:LINE) of this store"
    )


def test_stats_give_the_counts_prisma_needs(tmp_path: Path, files: dict[str, Path]) -> None:
    store = tmp_path / "store"
    run(store, "ingest", str(files["a.ris"]), str(files["b.ris"]))
    records = json.loads(run(store, "stats", "--json"))["records"]
    assert records["identified"] == 5 and records["duplicates_removed"] == 2
    assert records["unique"] == 3  # two comments (issues 1 and 4) and the article
    per_file = {Path(f["path"]).name: f for f in records["files"]}
    assert per_file["a.ris"] == {
        "path": str(files["a.ris"]),
        "identified": 3,
        "duplicates_removed": 0,
    }
    assert per_file["b.ris"]["duplicates_removed"] == 2
    assert "5 identified in 2 files, 2 duplicates removed, 3 left" in run(store, "stats")


def test_a_preprint_and_its_article_are_two_works_linked_as_versions(tmp_path: Path) -> None:
    article = tmp_path / "article.bib"
    article.write_text(
        "@article{p1, author={Perez, Ana}, title={Guardians on buses}, year={2020},"
        " journal={Journal of Quantitative Criminology}, volume={36}, pages={1--20}}\n"
    )
    preprint = tmp_path / "preprint.bib"
    preprint.write_text(
        "@misc{p2, author={Perez, Ana}, title={Guardians on Buses}, year={2020},"
        " howpublished={SocArXiv}, doi={10.31235/osf.io/abcde}}\n"
    )
    store = tmp_path / "store"
    out = run(store, "ingest", str(article), str(preprint))
    assert "SHACL: valid" in out
    rows = json.loads(
        run(
            store,
            "query",
            "--engine",
            "embedded",
            "--json",
            "MATCH (a:Work)-[:VERSION_OF]->(b:Work) RETURN a.title AS a, b.doi AS doi ORDER BY doi",
        )
    )["rows"]
    assert len(rows) == 2
    assert {r["doi"] for r in rows} == {None, "10.31235/osf.io/abcde"}
