"""VOSviewer map and network files, read back as VOSviewer reads them (tab-delimited;
the map with a header, the network without), with weights counted by hand."""

from __future__ import annotations

import csv
import io
import zipfile
from itertools import combinations
from pathlib import Path

import pytest
from click.testing import CliRunner

from citegraph.cli import main
from citegraph.graph import export_vosviewer
from citegraph.graph.export import export
from citegraph.graph.export_vosviewer import co_occurrence
from citegraph.graph.store import Store
from citegraph.graph.subgraph import SubgraphFilter

NETWORKS = ("cocitation", "coupling", "coauthorship")
HEADER = ["id", "label", "description", "url", "weight<Links>", "weight<Total link strength>"]
OWN_WEIGHT = {"cocitation": "Citations", "coupling": "References", "coauthorship": "Documents"}

COHEN = "Cohen & Felson 1979"
LIMA = "Quispe & Ramos 2019"
AREQUIPA = "Mamani 2021"
BOGOTA = "Ramos & Quispe 2020"
REVIEW = "Quispe & Mamani 2024"
ANDES = "Mamani 2022"

# The review (tests/conftest.py): REVIEW cites Cohen, Lima, Arequipa, Bogota; ANDES cites
# Cohen and Lima; Lima and Bogota each cite Cohen.
COCITATION = {  # cited together by how many works
    (COHEN, LIMA): 2,  # REVIEW and ANDES
    (COHEN, AREQUIPA): 1,
    (COHEN, BOGOTA): 1,
    (LIMA, AREQUIPA): 1,
    (LIMA, BOGOTA): 1,
    (AREQUIPA, BOGOTA): 1,
}
COUPLING = {  # references shared
    (REVIEW, ANDES): 2,  # Cohen and Lima
    (REVIEW, LIMA): 1,
    (REVIEW, BOGOTA): 1,
    (ANDES, LIMA): 1,
    (ANDES, BOGOTA): 1,
    (LIMA, BOGOTA): 1,  # both cite Cohen
}
COAUTHORSHIP = {  # works written together, among the review's own authors
    ("Quispe, A.", "Ramos, C."): 2,  # Lima and Bogota
    ("Mamani, B.", "Quispe, A."): 1,  # the review
    ("Cohen, L. E.", "Felson, M."): 1,
}


def read_map(text: str) -> tuple[list[str], dict[int, dict[str, str]]]:
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    header, lines = rows[0], rows[1:]
    assert all(len(line) == len(header) for line in lines)
    return header, {int(line[0]): dict(zip(header, line, strict=True)) for line in lines}


def read_network(text: str) -> list[tuple[int, int, int]]:
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    assert all(len(row) == 3 for row in rows), "id1, id2, strength and nothing else"
    return [(int(a), int(b), int(n)) for a, b, n in rows]


def read_files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()}


def labelled(files: dict[str, str], name: str) -> dict[tuple[str, str], int]:
    """The network as {(label, label): strength}, labels in sorted order."""
    _, items = read_map(files[f"{name}_map.txt"])
    found: dict[tuple[str, str], int] = {}
    for a, b, n in read_network(files[f"{name}_network.txt"]):
        pair = tuple(sorted((items[a]["label"], items[b]["label"])))
        assert pair not in found, f"{name}: {pair} listed twice"
        found[pair] = n  # type: ignore[index]
    return found


@pytest.fixture
def files(review_store: Store, tmp_path: Path) -> dict[str, str]:
    export(review_store, "vosviewer", tmp_path / "vos")
    return read_files(tmp_path / "vos")


def test_six_files(files: dict[str, str]) -> None:
    assert set(files) == {f"{n}_{kind}.txt" for n in NETWORKS for kind in ("map", "network")}


@pytest.mark.parametrize("name", NETWORKS)
def test_map_files_have_vosviewer_columns_and_integer_ids(files: dict[str, str], name: str) -> None:
    header, items = read_map(files[f"{name}_map.txt"])
    assert header == [*HEADER, f"weight<{OWN_WEIGHT[name]}>"]
    assert sorted(items) == list(range(1, len(items) + 1))
    for item in items.values():
        assert item["label"]
        assert all(item[h].isdigit() for h in header if h.startswith("weight<"))


@pytest.mark.parametrize("name", NETWORKS)
def test_network_ids_are_in_the_map_and_pairs_are_listed_once(
    files: dict[str, str], name: str
) -> None:
    _, items = read_map(files[f"{name}_map.txt"])
    links = read_network(files[f"{name}_network.txt"])
    assert links, f"{name} has no links"
    assert all(a in items and b in items for a, b, _ in links)
    assert all(a < b and n > 0 for a, b, n in links)
    assert len({(a, b) for a, b, _ in links}) == len(links)
    # the map's link weights are the network's: degree and summed strength
    for number, item in items.items():
        mine = [n for a, b, n in links if number in (a, b)]
        assert int(item["weight<Links>"]) == len(mine)
        assert int(item["weight<Total link strength>"]) == sum(mine)


def test_cocitation_counts_the_works_citing_both(files: dict[str, str]) -> None:
    expected = {tuple(sorted(pair)): n for pair, n in COCITATION.items()}
    assert labelled(files, "cocitation") == expected
    _, items = read_map(files["cocitation_map.txt"])
    citations = {i["label"]: int(i["weight<Citations>"]) for i in items.values()}
    assert citations == {COHEN: 4, LIMA: 2, AREQUIPA: 1, BOGOTA: 1}


def test_coupling_counts_shared_references(files: dict[str, str]) -> None:
    expected = {tuple(sorted(pair)): n for pair, n in COUPLING.items()}
    assert labelled(files, "coupling") == expected
    _, items = read_map(files["coupling_map.txt"])
    references = {i["label"]: int(i["weight<References>"]) for i in items.values()}
    assert references == {REVIEW: 4, ANDES: 2, LIMA: 1, BOGOTA: 1}


def test_coauthorship_counts_works_written_together(files: dict[str, str]) -> None:
    found = labelled(files, "coauthorship")
    for pair, n in COAUTHORSHIP.items():
        assert found[tuple(sorted(pair))] == n  # type: ignore[index]
    people = {"Quispe, A.", "Ramos, C.", "Mamani, B."}
    among = {pair: n for pair, n in found.items() if set(pair) <= people}
    assert among == {("Quispe, A.", "Ramos, C."): 2, ("Mamani, B.", "Quispe, A."): 1}
    _, items = read_map(files["coauthorship_map.txt"])
    documents = {i["label"]: int(i["weight<Documents>"]) for i in items.values()}
    assert (documents["Quispe, A."], documents["Mamani, B."], documents["Ramos, C."]) == (3, 3, 2)


def test_descriptions_are_escaped_html_and_urls_links(files: dict[str, str]) -> None:
    _, items = read_map(files["cocitation_map.txt"])
    cohen = next(i for i in items.values() if i["label"] == COHEN)
    assert cohen["url"] == "https://doi.org/10.2307/2094589"
    assert "Cohen, L. E., &amp; Felson, M. (1979)" in cohen["description"]


def test_a_subgraph_counts_only_its_citations(review_store: Store, tmp_path: Path) -> None:
    export(review_store, "vosviewer", tmp_path / "recent", SubgraphFilter(years=(2019, 2024)))
    found = labelled(read_files(tmp_path / "recent"), "cocitation")
    # Cohen (1979) is gone: only the review's citations of Lima, Arequipa and Bogota remain
    assert found == {
        tuple(sorted(p)): 1 for p in [(LIMA, AREQUIPA), (LIMA, BOGOTA), (AREQUIPA, BOGOTA)]
    }


def test_a_zip_holds_the_same_files(
    review_store: Store, files: dict[str, str], tmp_path: Path
) -> None:
    export(review_store, "vosviewer", tmp_path / "vos.zip")
    with zipfile.ZipFile(tmp_path / "vos.zip") as archive:
        assert {n: archive.read(n).decode("utf-8") for n in archive.namelist()} == files


def test_co_occurrence_matches_counting_every_pair() -> None:
    groups = [{"a", "b", "c"}, {"a", "b"}, {"c", "d", "a"}, {"e"}, {"b", "z"}]
    keys = ["a", "b", "c", "d", "e"]  # "z" is not an item
    by_hand: dict[tuple[int, int], int] = {}
    for group in groups:
        ids = sorted(keys.index(k) + 1 for k in group if k in keys)
        for pair in combinations(ids, 2):
            by_hand[pair] = by_hand.get(pair, 0) + 1
    assert co_occurrence(groups, keys) == sorted((a, b, n) for (a, b), n in by_hand.items())


def test_too_many_pairs_is_one_line_with_a_way_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_vosviewer, "MAX_PAIRS", 2)
    with pytest.raises(ValueError, match="3 pairs to count.*narrow the export with --years"):
        co_occurrence([{"a", "b", "c"}], ["a", "b", "c"])


def test_export_command(review_store: Store, tmp_path: Path) -> None:
    review_store.close()
    runner = CliRunner()
    base = ["--store", str(review_store.path), "export", "--format", "vosviewer"]
    missing = runner.invoke(main, base, catch_exceptions=False)
    assert missing.exit_code == 1
    assert "vosviewer writes several files: give -o DIR or -o FILE.zip" in missing.output
    done = runner.invoke(main, [*base, "-o", str(tmp_path / "out")], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    assert len(list((tmp_path / "out").iterdir())) == 6
