"""The method audit: one fixture review carries every kind of inconsistency, another none."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from citegraph.graph.audit import audit
from citegraph.graph.ingest import ingest
from citegraph.graph.method_audit import KINDS, audit_reviews, items_by_kind, method_audit
from citegraph.graph.prisma_flow import MethodItem
from citegraph.graph.store import Store
from citegraph.graph.store.sources import RecordFiles
from citegraph.loaders.registry import load

FIXTURES = Path(__file__).parent / "fixtures" / "prisma"


def audited(*names: str, templates: tuple[Path, ...] = ()) -> list[MethodItem]:
    reviews = [load(FIXTURES / n) for n in names]
    return items_by_kind(audit_reviews(reviews, [load(t) for t in templates], None))


def test_a_review_whose_counts_agree_gets_no_item() -> None:
    assert audited("consistent-review.md", templates=(FIXTURES / "consistent-template.csv",)) == []


# kind, a fragment of the message, the lines it names
EXPECTED = [
    ("flow_unbalanced", "reasons for exclusion in the text add up to 38", (13,)),
    ("flow_unbalanced", "56 reports assessed for eligibility - 40 reports excluded = 16, but 18", (13,)),
    ("flow_unbalanced", "per source in the tables add up to 410", (20, 35, 36, 37)),
    ("text_vs_table", "the text says 18 studies included (line 13), the tables say 16", (13, 28)),
    ("text_vs_table", "English 80% (line 58), Table 3 70%", (53, 58)),
    ("percentage", "English is 12 of 16, 75.0%, but printed as 70%", (53,)),
    ("databases", "names 2 source(s) (Scopus, Web of Science), the counts cover 3", (13, 35, 36, 37)),
    ("selected_vs_discussed", "says 16 studies were selected", (28, 60)),
    ("years", "claims 2015-2024 (line 13), but 1 work(s)", (13, 60)),
    ("years", "Silva (2012), line 72 falls in no row", (50, 51, 60)),
    ("languages", "Portuguese 0% (Table 3), but the titles of its 5 cited works read as English 4, "
     "Portuguese 1", (53, 54, 55, 58, 72)),
    ("figure", "Figure 1 has a caption ('Flow of studies through the review') but no figure", (40,)),
]  # fmt: skip


@pytest.fixture(scope="module")
def inconsistent() -> list[MethodItem]:
    return audited("inconsistent-review.md")


@pytest.mark.parametrize(("kind", "fragment", "lines"), EXPECTED)
def test_each_inconsistency_is_one_item_with_its_lines(
    inconsistent: list[MethodItem], kind: str, fragment: str, lines: tuple[int, ...]
) -> None:
    found = [i for i in inconsistent if i.kind == kind and fragment in i.message]
    assert len(found) == 1, [str(i) for i in inconsistent if i.kind == kind]
    assert found[0].lines == lines
    assert found[0].file.endswith("inconsistent-review.md")
    assert "\n" not in found[0].message


def test_the_fixture_covers_every_kind_but_the_cross_source_one(
    inconsistent: list[MethodItem],
) -> None:
    assert {i.kind for i in inconsistent} == set(KINDS) - {"flow_sources"}
    assert len(inconsistent) == len(EXPECTED)


def test_a_template_that_disagrees_with_the_review(tmp_path: Path) -> None:
    template = tmp_path / "template.csv"
    text = (FIXTURES / "consistent-template.csv").read_text(encoding="utf-8")
    template.write_text(text.replace("duplicates.html,30", "duplicates.html,28"), encoding="utf-8")
    items = audited("consistent-review.md", templates=(template,))
    assert [(i.kind, i.lines) for i in items] == [
        ("flow_unbalanced", (3, 6, 7, 9)),  # within the template: 130 - 28 - 0 is not 100
        ("flow_sources", (6, 25)),  # the review's Table 1 against the template
    ]
    assert "130 records identified - 28 duplicates removed" in items[0].message
    assert "review says 30 duplicates removed (Table 1 line 25), the template says 28" in (
        items[1].message
    )


def test_the_exports_flow_comes_from_the_store(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    ingest(
        store,
        [
            FIXTURES / "consistent-review.md",
            FIXTURES / "exports" / "scopus-search.ris",
            FIXTURES / "exports" / "wos-search.ris",
        ],
    )
    with store:
        snapshot = store.snapshot()
        assert snapshot is not None
        [report] = method_audit(snapshot)
    exports = next(f for f in report.flows if f.source == "exports")
    found = {(c.stage, c.arm, c.detail): c.count for c in exports.counts}
    assert found == {
        ("identified", "databases", "Scopus"): 3,
        ("identified", "databases", "Web of Science"): 2,
        ("identified", "databases", None): 5,
        ("duplicates", "databases", None): 1,  # the alarm trial is in both exports
        ("screened", "databases", None): 4,
        # Brown (2016) and Dlamini (2023) are in the review's reference list too
        ("included", "cited", None): 2,
    }
    sources = [i for i in report.items if i.kind == "flow_sources"]
    assert any("the review says 90 records identified (Scopus)" in i.message for i in sources)
    assert not [i for i in report.items if i.kind == "databases"]  # both exports are named


def test_the_seed_review_shows_the_inconsistencies_the_issue_lists(seed_path: Path) -> None:
    items = items_by_kind(audit_reviews([load(seed_path)], [], None))
    said = {(i.kind, i.message) for i in items}

    def one(kind: str, *fragments: str) -> MethodItem:
        found = [i for i in items if i.kind == kind and all(f in i.message for f in fragments)]
        assert len(found) == 1, sorted(said)
        return found[0]

    # the text against Table 1: 24 chosen on title and abstract, the table says 38
    assert one("text_vs_table", "24 reports sought", "say 38").lines == (89, 96)
    # "38 of these" were read in full after 24 were chosen; 146 excluded of 350 leaves 204
    one("flow_unbalanced", "38 reports assessed", "24 reports sought")
    one("flow_unbalanced", "146 records excluded", "= 204")
    # Table 4 on 38 although 24 were selected, and 2 of 38 printed as 4%
    one("percentage", "Year", "shares are of 38 works", "selected 24")
    assert one("percentage", "2 of 38", "printed as 4%").lines == (154,)
    one("languages", "English 100%", "Portuguese 1")
    one("databases", "names 2 source(s)", "cover 4")
    one("selected_vs_discussed", "24 studies were selected", "discuss 11 works")
    one("figure", "Figure 1")


def _pdf_review(name: str, folder: Path) -> Path:
    markdown = (FIXTURES / name).read_text(encoding="utf-8")
    return sys.modules["documents"].review_pdf(markdown, folder / f"{Path(name).stem}.pdf")  # type: ignore[no-any-return]


def test_a_pdf_review_is_audited_as_its_text_is(tmp_path: Path) -> None:
    """The PDF sets Table 1's caption in bold, right above its rows: the caption is still
    read as one, and the rows are not read as a sentence of counts (they gave seven
    'two counts' items before). Only the figure check differs: a PDF's bold caption is a
    heading there, and headings are not captions."""
    store = Store(tmp_path / "store")
    ingest(store, [_pdf_review("inconsistent-review.md", tmp_path)])
    with store:
        snapshot = store.snapshot()
        assert snapshot is not None
        report = audit(snapshot)
    found = sorted(
        (i.kind, re.sub(r"\(lines? [\d, -]+\)|line \d+", "", i.message)) for i in report.method
    )
    expected = sorted(
        (i.kind, re.sub(r"\(lines? [\d, -]+\)|line \d+", "", i.message))
        for i in audited("inconsistent-review.md")
        if i.kind != "figure"
    )
    assert found == expected


def test_a_pdf_review_is_no_export_in_the_flow(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    exports = [FIXTURES / "exports" / "scopus-search.ris", FIXTURES / "exports" / "wos-search.ris"]
    ingest(store, [_pdf_review("consistent-review.md", tmp_path), *exports])
    with store:
        snapshot = store.snapshot()
        assert snapshot is not None
        [report] = method_audit(snapshot)
    assert report.review.endswith("consistent-review.pdf")
    flow = next(f for f in report.flows if f.source == "exports")
    identified = {c.detail: c.count for c in flow.counts if c.stage == "identified"}
    assert identified == {"Scopus": 3, "Web of Science": 2, None: 5}
    assert {(c.stage, c.arm): c.count for c in flow.counts if c.arm == "cited"} == {
        ("included", "cited"): 2
    }


def test_the_audit_reads_the_records_of_reviews_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export has no text to check: its records (310k in a 10k-row Scopus export) are
    never read, only the build's identity decisions about them."""
    store = Store(tmp_path / "store")
    ingest(store, [FIXTURES / "inconsistent-review.md", FIXTURES / "exports" / "scopus-search.ris"])
    with store:
        snapshot = store.snapshot()
        assert snapshot is not None
        expected = items_by_kind(method_audit(snapshot))
    read: list[str] = []
    original = RecordFiles.read

    def reading(self: RecordFiles, entry: Any) -> Any:
        read.append(Path(entry.path).name)
        return original(self, entry)

    monkeypatch.setattr(RecordFiles, "read", reading)
    with store:
        snapshot = store.snapshot()
        assert snapshot is not None
        report = audit(snapshot)
    assert read == ["inconsistent-review.md"]
    assert report.method == expected
    assert any("the exports say 3" in i.message for i in report.method)
