"""Screenshots of the interactive pages for the README: docs/demo.png, docs/lineage.png,
docs/communities.png (the graph coloured by community) and docs/highlight.png (the most
cited work clicked: its neighbours lit, the rest dimmed).

Renders the whole graph and one theory's lineage, opens each page offline in headless
Chromium (Debian's `chromium`, driven by Playwright) and saves the viewport once the
layout has settled. Without `--store` it builds a small review graph from hand-written
records (routine activity, rational choice, CPTED and the works around them); point it
at a real store to regenerate from real data:

    python bench/screenshot.py
    python bench/screenshot.py --store citegraph-store/ --theory "situational crime prevention"
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from chromium import offline_tab

from citegraph.graph.ingest import store_results
from citegraph.graph.lineage import lineage, render_lineage
from citegraph.graph.property_graph import PropertyGraph, to_property_graph
from citegraph.graph.render import render
from citegraph.graph.store import Store
from citegraph.loaders.records import (
    Agent,
    Citation,
    Finding,
    LoadResult,
    Mention,
    Record,
    Source,
    Work,
)

REVIEW = "citizen-security-sample.md"

#: key, authors (family, given), year, title, container, DOI
CITED = [
    (
        "cohen1979",
        [("Cohen", "L. E."), ("Felson", "M.")],
        1979,
        "Social change and crime rate trends: A routine activity approach",
        "American Sociological Review",
        "10.2307/2094589",
    ),
    (
        "clarke1980",
        [("Clarke", "R. V.")],
        1980,
        "Situational crime prevention: Theory and practice",
        "British Journal of Criminology",
        "10.1093/oxfordjournals.bjc.a047153",
    ),
    (
        "sampson1997",
        [("Sampson", "R. J."), ("Raudenbush", "S. W."), ("Earls", "F.")],
        1997,
        "Neighborhoods and violent crime: A multilevel study of collective efficacy",
        "Science",
        "10.1126/science.277.5328.918",
    ),
    (
        "weisburd2006",
        [
            ("Weisburd", "D."),
            ("Wyckoff", "L. A."),
            ("Ready", "J."),
            ("Eck", "J. E."),
            ("Hinkle", "J. C."),
            ("Gajewski", "F."),
        ],
        2006,
        "Does crime just move around the corner? A controlled study of spatial displacement "
        "and diffusion of crime control benefits",
        "Criminology",
        "10.1111/j.1745-9125.2006.00057.x",
    ),
    (
        "welsh2008",
        [("Welsh", "B. C."), ("Farrington", "D. P.")],
        2008,
        "Effects of improved street lighting on crime",
        "Campbell Systematic Reviews",
        "10.4073/csr.2008.13",
    ),
    (
        "welsh2009",
        [("Welsh", "B. C."), ("Farrington", "D. P.")],
        2009,
        "Public area CCTV and crime prevention: An updated systematic review and meta-analysis",
        "Justice Quarterly",
        "10.1080/07418820802506206",
    ),
    (
        "cerda2012",
        [
            ("Cerdá", "M."),
            ("Morenoff", "J. D."),
            ("Hansen", "B. B."),
            ("Tessari Hicks", "K. J."),
            ("Duque", "L. F."),
            ("Restrepo", "A."),
            ("Diez-Roux", "A. V."),
        ],
        2012,
        "Reducing violence by transforming neighborhoods: A natural experiment in Medellín, "
        "Colombia",
        "American Journal of Epidemiology",
        "10.1093/aje/kwr428",
    ),
    (
        "braga2019",
        [("Braga", "A. A."), ("Turchan", "B. S."), ("Papachristos", "A. V."), ("Hureau", "D. M.")],
        2019,
        "Hot spots policing and crime reduction: An update of an ongoing systematic review "
        "and meta-analysis",
        "Journal of Experimental Criminology",
        "10.1007/s11292-019-09372-3",
    ),
]
#: work key -> theories it uses
THEORIES = {
    "review": ["routine-activity", "rational-choice", "cpted", "situational-crime-prevention"],
    "weisburd2006": ["diffusion-of-benefits", "situational-crime-prevention"],
    "welsh2008": ["cpted", "routine-activity"],
    "welsh2009": ["situational-crime-prevention", "rational-choice"],
    "cerda2012": ["collective-efficacy", "cpted"],
    "braga2019": ["routine-activity", "crime-pattern"],
    "sampson1997": ["social-disorganization"],
}
#: work key, claim (in our words), strategies, places
FINDINGS = [
    (
        "braga2019",
        "Hot spots policing lowered crime at treated places without moving it next door",
        ("police-presence",),
        ("US",),
    ),
    (
        "weisburd2006",
        "Crime did not move to nearby streets; nearby areas improved too",
        ("police-presence", "situational-measures"),
        ("US",),
    ),
    (
        "welsh2008",
        "Better street lighting was followed by less crime",
        ("environmental-design",),
        ("GB", "US"),
    ),
    (
        "welsh2009",
        "CCTV brought a modest fall in crime, mostly in car parks",
        ("technology",),
        ("GB",),
    ),
    (
        "cerda2012",
        "Homicide fell more in neighbourhoods given cable cars and upgrades",
        ("environmental-design", "community-participation"),
        ("CO",),
    ),
]


def source(line: int) -> Source:
    return Source(REVIEW, line, "review")


def sample_records() -> list[Record]:
    """A review of citizen-security strategies citing eight well-known studies."""
    records: list[Record] = [
        Work(
            "review",
            source(1),
            title="Preventing crime in Latin American cities: a review",
            year=2023,
            type="article",
            is_document=True,
            authors=(Agent("Rojas, M.", family="Rojas", given="M."),),
        ),
    ]
    for line, (key, authors, year, title, container, doi) in enumerate(CITED, 100):
        people = tuple(Agent(f"{f}, {g}", family=f, given=g) for f, g in authors)
        records.append(
            Work(
                key,
                source(line),
                title=title,
                year=year,
                type="article",
                authors=people,
                container=container,
                doi=doi,
            )
        )
        records.append(Citation("review", key, source(10 + line % 50)))
    records.append(Citation("braga2019", "weisburd2006", source(105)))
    records.append(Citation("welsh2009", "welsh2008", source(106)))
    records.append(Citation("cerda2012", "sampson1997", source(107)))
    for key, theories in THEORIES.items():
        records += [Mention(key, "theory", t, t, source(20)) for t in theories]
    for line, (key, claim, strategies, places) in enumerate(FINDINGS, 30):
        records.append(
            Finding(key, claim, f"{claim}.", source(line), about=strategies, places=places)
        )
        records += [Mention("review", "place", p, p, source(line)) for p in places]
    return records


def sample_graph(folder: Path) -> PropertyGraph:
    store = Store(folder / "store")
    records = sample_records()
    result = LoadResult(REVIEW, "review", records, entries=len(CITED) + 1, loaded=len(CITED) + 1)
    store_results(store, [(result, "sample")])
    return to_property_graph(store.snapshot().rdf())


#: The biggest work's place on screen, to click it.
BIGGEST_WORK = """() => {
  const net = window.citegraph.network;
  const works = window.citegraph.nodes.get({filter: n => n.kind === "Work"});
  works.sort((a, b) => b.size - a.size);
  return net.canvasToDOM(net.getPosition(works[0].id));
}"""


def screenshot(page: Path, out: Path, colour: str = "label", highlight: bool = False) -> None:
    """The page's viewport once the layout is done, offline, coloured by `colour`;
    `highlight` clicks the biggest work, so its neighbours stay lit."""
    with offline_tab(1400, 860) as tab:
        tab.goto(page.as_uri())
        tab.wait_for_function("window.citegraphReady === true", timeout=120_000)
        tab.evaluate("window.citegraph.network.fit()")
        tab.wait_for_timeout(500)
        tab.select_option("#cg-colour", colour)
        if highlight:
            box = tab.locator("#cg-graph canvas").bounding_box()
            point = tab.evaluate(BIGGEST_WORK)
            tab.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
            # Off every node but on the canvas, so the tooltip closes.
            tab.mouse.move(box["x"] + 5, box["y"] + box["height"] - 5)
        tab.wait_for_timeout(500)
        out.parent.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="A citegraph store [a built-in sample].")
    parser.add_argument(
        "--theory", default="situational crime prevention", help="Whose lineage to show."
    )
    parser.add_argument("--out", type=Path, default=Path(__file__).parents[1] / "docs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pg = (
            to_property_graph(Store(args.store).snapshot().rdf())
            if args.store
            else sample_graph(folder)
        )
        graph = render(pg, folder / "graph.html", title="citegraph: citizen security")
        pages = {
            "demo.png": (graph, "label", False),
            "lineage.png": (
                render_lineage(pg, lineage(pg, args.theory), folder / "lineage.html"),
                "label",
                False,
            ),
            "communities.png": (graph, "community", False),
            "highlight.png": (graph, "label", True),
        }
        for name, (page, colour, highlight) in pages.items():
            screenshot(page, args.out / name, colour, highlight)
            print(f"wrote {args.out / name}")


if __name__ == "__main__":
    main()
