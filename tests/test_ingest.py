"""Ingest from the command line: the JSON contract, idempotence, and what bad input gets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from citegraph.cli import main
from citegraph.graph.store import Store
from citegraph.loaders.registry import load

GOOD = """## A small review

**Ana Pérez<sup>1</sup>**

1(0000-0002-1825-0097), ana@example.org, Universidad de Lima

## Introduction

Tonry (2015) argued that prevention in the United States needs evidence. Situational
prevention works (Clarke & Weisburd, 1994).

## References

- Clarke, R. V., & Weisburd, D. (1994). Diffusion of crime control benefits. *Crime Prevention Studies*, 2, 165-184.
- ??? !!! ---
- Tonry, M. (Ed.). (2015). *Crime and Justice, Volume 44*. University of Chicago Press.
"""


def run(runner: CliRunner, store: Path, *args: str) -> tuple[int, str]:
    """Exit code and standard output (JSON) or, on failure, everything the user saw."""
    result = runner.invoke(main, ["--store", str(store), *args], catch_exceptions=False)
    return result.exit_code, result.stdout if result.exit_code == 0 else result.output


def test_ingest_json_reports_every_file(runner: CliRunner, tmp_path: Path) -> None:
    review = tmp_path / "review.md"
    review.write_text(GOOD)
    code, output = run(runner, tmp_path / "s", "ingest", "--json", str(review))
    assert code == 0
    data = json.loads(output)
    assert data["valid"] is True
    [entry] = data["files"]
    assert entry["path"] == str(review)
    assert entry["format"] == "review"
    assert entry["records"] == entry["loaded"] + entry["rejected"]
    assert (entry["records"], entry["loaded"], entry["rejected"]) == (3, 2, 1)
    assert (
        f"{review}:15: error: unparseable reference: no year and no title found"
        in entry["warnings"]
    )
    rejects = Store(tmp_path / "s").snapshot().rejects_path.read_text().splitlines()
    assert len(rejects) == 1
    reject = json.loads(rejects[0])
    assert reject["source"]["line"] == 15
    assert "??? !!!" in reject["text"]


def test_same_file_twice_changes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    review = tmp_path / "review.md"
    review.write_text(GOOD)
    store = Store(tmp_path / "s")
    run(runner, store.path, "ingest", str(review))
    first = set(store.snapshot().rdf().quads_for_pattern(None, None, None, None))
    assert first
    store = Store(tmp_path / "s")
    code, _ = run(runner, store.path, "ingest", str(review))
    assert code == 0
    assert set(store.snapshot().rdf().quads_for_pattern(None, None, None, None)) == first


def test_binary_file_is_one_line_error_and_others_still_load(
    runner: CliRunner, tmp_path: Path
) -> None:
    blob = tmp_path / "figure.md"
    blob.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    review = tmp_path / "review.md"
    review.write_text(GOOD)
    code, output = run(runner, tmp_path / "s", "ingest", "--json", str(blob), str(review))
    assert code == 0
    files = json.loads(output)["files"]
    assert files[0]["rejected"] == 1 and files[0]["loaded"] == 0
    assert files[1]["loaded"] == 2


def test_only_bad_input_exits_1_without_traceback(runner: CliRunner, tmp_path: Path) -> None:
    blob = tmp_path / "figure.md"
    blob.write_bytes(b"\x00\x01\x02binary")
    code, output = run(runner, tmp_path / "s", "ingest", str(blob))
    assert code == 1
    assert "Traceback" not in output
    error_lines = [line for line in output.splitlines() if line.startswith("Error:")]
    assert error_lines == [f"Error: {blob}:1: error: not a text file (binary content)"]


def test_body_without_reference_section_warns(runner: CliRunner, tmp_path: Path) -> None:
    text = tmp_path / "notes.md"
    text.write_text("# Notes\n\n## Body\n\nTonry (2015) said so.\n")
    code, output = run(runner, tmp_path / "s", "ingest", "--format", "review", "--json", str(text))
    assert code == 0
    warnings = json.loads(output)["files"][0]["warnings"]
    assert any(w.startswith(f"{text}:1: warning: no reference section") for w in warnings)
    assert any(
        f"{text}:5: warning: citation 'Tonry (2015)' has no reference entry" == w for w in warnings
    )


def test_missing_file_is_a_user_error(runner: CliRunner, tmp_path: Path) -> None:
    code, output = run(runner, tmp_path / "s", "ingest", str(tmp_path / "nope.md"))
    assert code == 1
    assert "nope.md:0: no such file" in output


def test_unknown_format_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    review = tmp_path / "review.md"
    review.write_text(GOOD)
    code, _ = run(runner, tmp_path / "s", "ingest", "--format", "nonsense", str(review))
    assert code == 2


@pytest.mark.parametrize("command", ["audit", "stats"])
def test_commands_on_missing_store_say_so(runner: CliRunner, tmp_path: Path, command: str) -> None:
    code, output = run(runner, tmp_path / "empty", command)
    assert code == 1
    assert "no store here yet" in output


def test_audit_json_lists_unresolved_and_uncited(runner: CliRunner, tmp_path: Path) -> None:
    review = tmp_path / "review.md"
    review.write_text(GOOD.replace("Tonry (2015)", "Tonry (2016) and Smith (2001)"))
    run(runner, tmp_path / "s", "ingest", str(review))
    code, output = run(runner, tmp_path / "s", "audit", "--json")
    assert code == 0
    report = json.loads(output)
    assert [f["detail"]["citation"] for f in report["unresolved"]] == ["Smith (2001)"]
    assert report["mismatches"][0]["detail"]["flags"] == ["year_mismatch"]
    assert report["uncited"] == []


PARTICLES = """# Lighting and fear

## Body

Brighter streets were felt to be safer by Peña et al. (2021). Fear fell most where
lighting was renewed (Peña et al., 2021). Van der Berg (2019) found the same in Utrecht.

## References

- de la Peña, M. J., Quispe, R., & Salas, T. (2021). Street lighting and fear of crime in \
Cusco. *Revista de Estudios Urbanos*, 9(1), 33-51.
- van der Berg, H. (2019). Light and the night-time city. *Urban Studies*, 56(4), 700-716.
"""


def test_audit_flags_a_citation_that_drops_the_particle(runner: CliRunner, tmp_path: Path) -> None:
    """`Peña et al.` for the entry listed under d, `de la Peña`: linked, and flagged."""
    review = tmp_path / "review.md"
    review.write_text(PARTICLES)
    run(runner, tmp_path / "s", "ingest", str(review))
    code, output = run(runner, tmp_path / "s", "audit", "--json")
    assert code == 0, output
    report = json.loads(output)
    assert report["unresolved"] == [] and report["uncited"] == []
    [mismatch] = report["mismatches"]
    assert mismatch["detail"]["flags"] == ["particle_dropped"]
    assert mismatch["detail"]["cited_as"] == ["Peña et al. (2021)", "Peña et al., 2021"]
    assert mismatch["detail"]["entry"].startswith("de la Peña, M. J.")


REAL_EXPORTS = Path(__file__).parent / "fixtures" / "exports" / "real"


def expected_format(name: str) -> str:
    """The format a sample is: by suffix, and for JSON by the tool named in the file name."""
    suffix = Path(name).suffix
    if suffix == ".csv" and not name.startswith("scopus"):
        return "csv"  # Zotero, Dimensions, Lens.org, Publish or Perish
    by_suffix = {
        ".bib": "bibtex", ".ris": "ris", ".csv": "scopus-csv", ".txt": "wos", ".nbib": "medline",
    }  # fmt: skip
    if suffix in by_suffix:
        return by_suffix[suffix]
    if name.startswith("crossref"):
        return "crossref"
    return "openalex" if name.startswith("openalex") else "csl-json"


def test_real_world_exports_load_or_are_reported(runner: CliRunner, tmp_path: Path) -> None:
    """Every real-world sample through `citegraph ingest`, formats sniffed from content:
    each file's records are loaded or rejected, and each rejected one is in the rejects
    file with its line."""
    paths = sorted(REAL_EXPORTS.iterdir())
    code, output = run(runner, tmp_path / "s", "ingest", "--json", *map(str, paths))
    assert code == 0, output
    data = json.loads(output)
    assert data["valid"] is True
    files = {Path(f["path"]).name: f for f in data["files"]}
    assert len(files) == len(paths)
    for name, entry in files.items():
        assert entry["records"] == entry["loaded"] + entry["rejected"] > 0, name
        assert entry["format"] == expected_format(name), name
    rejects = [
        json.loads(line)
        for line in Store(tmp_path / "s").snapshot().rejects_path.read_text().splitlines()
    ]
    placed = sorted((Path(r["source"]["path"]).name, r["source"]["line"]) for r in rejects)
    assert placed == sorted(
        (name, line)
        for name, line in [
            ("bibtex-quirks.bib", 18),
            ("bibtex-quirks.bib", 20),
            ("scholar-trailing.bib", 19),
            ("wos-export.ris", 21),
        ]
    )
    assert sum(f["rejected"] for f in files.values()) == len(rejects)
    assert all(r["reason"] and r["text"] for r in rejects)


def test_ingest_reads_every_file_under_a_folder_but_not_hidden_ones_or_the_store(
    runner: CliRunner, tmp_path: Path
) -> None:
    exports = tmp_path / "exports"
    (exports / "scopus").mkdir(parents=True)
    (exports / ".git").mkdir()
    (exports / "refs.bib").write_text("@book{k, title={Fine}, author={Smith, J.}, year={2000}}\n")
    (exports / "scopus" / "more.ris").write_text(
        "TY  - JOUR\nAU  - Ruiz, A.\nTI  - Lights and theft\nPY  - 2019\nER  - \n"
    )
    (exports / ".git" / "config").write_text("[core]\n")
    (exports / ".notes.bib").write_text("@book{h, title={Hidden}, year={2001}}\n")
    store = exports / "store"  # a store kept beside the exports is not read as one
    code, output = run(runner, store, "ingest", "--json", str(exports))
    assert code == 0, output
    files = json.loads(output)["files"]
    assert [(Path(f["path"]).name, f["format"], f["loaded"]) for f in files] == [
        ("refs.bib", "bibtex", 1),
        ("more.ris", "ris", 1),
    ]
    code, output = run(runner, store, "ingest", "--json", str(exports))
    assert code == 0 and len(json.loads(output)["files"]) == 2  # the store's own files skipped


def test_ingest_of_an_empty_folder_says_so(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, output = run(runner, tmp_path / "s", "ingest", str(tmp_path / "empty"))
    assert code == 1
    assert "no files to ingest" in output


BARE_LIST = """Clarke, R. V. (1995). Situational crime prevention. Crime and Justice, 19, 91-150.
Cohen, L. E., & Felson, M. (1979). Social change and crime rate trends: A routine activity \
approach. American Sociological Review, 44(4), 588-608. https://doi.org/10.2307/2094589

Newman, O. (1972). Defensible space: Crime prevention through urban design. Macmillan.
??? !!! ---
"""


@pytest.mark.parametrize("name", ["references.txt", "references.md", "references"])
def test_a_bare_reference_list_loads_as_the_works_its_document_cites(
    runner: CliRunner, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_text(BARE_LIST)
    code, output = run(runner, tmp_path / "s", "ingest", "--json", str(path))
    assert code == 0, output
    [entry] = json.loads(output)["files"]
    assert (entry["format"], entry["records"], entry["loaded"], entry["rejected"]) == (
        "review",
        4,
        3,
        1,
    )
    assert any(w.startswith(f"{path}:5: error:") for w in entry["warnings"])
    records = Store(tmp_path / "s").snapshot().sources()[0].result.records
    cited = sorted(r.cited for r in records if type(r).__name__ == "Citation")
    works = sorted(r.key for r in records if type(r).__name__ == "Work" and r.key != "document")
    assert cited == works and len(works) == 3


TITLED_LIST = """# Reference list

## References

- Sherman, L. W., & Weisburd, D. (1995). General deterrent effects of police patrol in \
crime "hot spots": A randomized, controlled trial. *Justice Quarterly*, 12(4), 625-648.
- Welsh, B. C., & Farrington, D. P. (2008). Effects of improved street lighting on crime. \
*Campbell Systematic Reviews*, 4(1), 1-51.

### Grey literature

- Police Executive Research Forum. (2014). *Future trends in policing*. PERF.
"""


def test_a_titled_reference_list_loads_its_entries(runner: CliRunner, tmp_path: Path) -> None:
    """`# Reference list` over `## References` once read as an empty section: 0 records."""
    path = tmp_path / "list.md"
    path.write_text(TITLED_LIST)
    code, output = run(runner, tmp_path / "s", "ingest", "--json", str(path))
    assert code == 0, output
    [entry] = json.loads(output)["files"]
    assert (entry["format"], entry["records"], entry["loaded"], entry["rejected"]) == (
        "review",
        3,
        3,
        0,
    )


def test_a_reference_section_without_entries_says_so(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "draft.md"
    path.write_text(
        "# Draft\n\n## Body\n\nNothing cited yet.\n\n## References\n\n## Annex\n\nA table.\n"
    )
    code, output = run(runner, tmp_path / "s", "ingest", "--json", str(path))
    assert code == 0, output
    [entry] = json.loads(output)["files"]
    assert (entry["records"], entry["loaded"], entry["rejected"]) == (0, 0, 0)
    warning = f"{path}:7: warning: the reference section holds no entries: nothing to load"
    assert warning in entry["warnings"]


RULED = """# Notes on patrol

## Body

Patrol in small places deters crime (Sherman & Weisburd, 1995).

## References

- Sherman, L. W., & Weisburd, D. (1995). General deterrent effects of police patrol in \
crime "hot spots": A randomized, controlled trial. *Justice Quarterly*, 12(4), 625-648.

---
"""


@pytest.mark.parametrize(
    ("after", "warned"),
    [
        pytest.param("", False, id="rule-at-the-end"),
        pytest.param("\nReceived 2 May; accepted 9 June.\n", False, id="note-after-the-rule"),
        pytest.param("\nLum, C. (2011). A stray entry. Sage.\n", True, id="entry-after-the-rule"),
    ],
)
def test_a_horizontal_rule_ends_the_reference_list(
    runner: CliRunner, tmp_path: Path, after: str, warned: bool
) -> None:
    """A `---` after the list was a rejected "reference"; it closes the list instead."""
    path = tmp_path / "notes.md"
    path.write_text(RULED + after)
    code, output = run(runner, tmp_path / "s", "ingest", "--json", str(path))
    assert code == 0, output
    [entry] = json.loads(output)["files"]
    assert (entry["records"], entry["loaded"], entry["rejected"]) == (1, 1, 0)
    ended = [w for w in entry["warnings"] if "ends at this horizontal rule" in w]
    assert [w.split(": warning:")[0] for w in ended] == ([f"{path}:11"] if warned else [])


def test_a_bracketed_number_starts_an_entry_even_after_an_unfinished_one(tmp_path: Path) -> None:
    """`[2] - K. LEROUX, ...` after an entry ending in a bare URL was glued onto it: a
    numbered list's `[n]` opens an entry whatever follows it."""
    path = tmp_path / "numbered.md"
    path.write_text(
        "# Night-time patrols\n\n## Body\n\nPatrols deter [1]; codes need reform [2].\n\n"
        "## References\n\n"
        "[1] Okonjo, M., & Brandt, A. (2014). Patrol and place. Retrieved on May 2, 2016 at\n"
        "http://example.org/patrol_and_place\n\n"
        "[2] - K. LEROUX, « Le code de la sécurité intérieure en débat », R.D.P., 2012, n° 88\n"
    )
    result = load(path)
    works = [w for w in result.works if not w.is_document]
    assert len(works) == 2
    assert "LEROUX" not in (works[0].raw or "")
    assert works[1].raw.startswith("- K. LEROUX")
