"""Reference strings beyond APA: European social-science styles, the CRF beside the rules,
per-field confidence and repeated-author marks (loaders/reference_string.py).

The fixtures in tests/fixtures/references/ are written for the project. AnyStyle's
held-out set is scored by bench/bench_references.py, which reads ../shared.
"""

# ruff: noqa: E501  (reference strings are test data and stay one per line, greppable)
from __future__ import annotations

import csv
import re
from pathlib import Path

import pycrfsuite
import pytest

from citegraph.graph.normalize import fold
from citegraph.loaders import reference_crf
from citegraph.loaders.records import Source, Work
from citegraph.loaders.reference_string import (
    ParsedReference,
    parse_reference,
    parse_reference_list,
)
from citegraph.loaders.reference_training import Tagged, read, sequence, split, train
from citegraph.loaders.registry import load

FIXTURES = Path(__file__).parent / "fixtures" / "references"


def rows(name: str) -> list[dict[str, str]]:
    lines = [line for line in (FIXTURES / name).read_text().splitlines() if line[:1] != "#"]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def same_title(got: str | None, want: str) -> bool:
    """Equal when folded, with or without a bracketed translation (the parser keeps the
    title as printed in its own language)."""
    return fold(got or "") in {fold(want), fold(re.sub(r"\[[^\]]*\]", " ", want))}


def family(ref: ParsedReference) -> str | None:
    return (ref.authors[0].family or ref.authors[0].name) if ref.authors else None


@pytest.mark.parametrize("name", ["european.tsv", "european_unseen.tsv"])
def test_european_styles_meet_the_goal(name: str) -> None:
    """The issue's goal on each set: title >= 0.93, year and first author >= 0.97."""
    gold = rows(name)
    assert len(gold) >= 25
    parsed = parse_reference_list([row["text"] for row in gold])
    title = sum(same_title(r.title, g["title"]) for g, r in zip(gold, parsed, strict=True))
    year = sum(r.year == int(g["year"]) for g, r in zip(gold, parsed, strict=True))
    first = sum(family(r) == g["first_author"] for g, r in zip(gold, parsed, strict=True))
    n = len(gold)
    assert (title / n, year / n, first / n) >= (0.93, 0.97, 0.97)
    assert min(title, year, first) / n >= 0.93


# fmt: off
SHAPES = [
    pytest.param(
        "Okello, Daniel (2013), The Making of the \"Hybrid Order\" in Northern Kenya, in: African Affairs Review, 38, 1&2, 191-226.",
        ("The Making of the \"Hybrid Order\" in Northern Kenya", 2013, "Okello", "African Affairs Review"),
        id="comma-in-journal-title-does-not-run-on"),
    pytest.param(
        "Sallmann, R. (1995): Markets and Rules. Transnational Firms in Regulatory Competition. London.",
        ("Markets and Rules. Transnational Firms in Regulatory Competition", 1995, "Sallmann", None),
        id="colon-subtitle-kept"),
    pytest.param(
        "Hartwig, T. W. (1976 [1969]). Sociology and empirical inquiry. In T. W. Hartwig, R. Lenz, & H. Pilot (Eds.), The quarrel over method in German social science (pp. 68-86). London: Heinemann.",
        ("Sociology and empirical inquiry", 1976, "Hartwig", "The quarrel over method in German social science"),
        id="reprint-year-in-brackets"),
    pytest.param(
        "Vermeulen, L. (2015). Beroepssocialisatie en identiteit bij jonge agenten [Professional socialization and identity among young police officers]. Tijdschrift voor Criminologie, 57(3), 245-262.",
        ("Beroepssocialisatie en identiteit bij jonge agenten", 2015, "Vermeulen", "Tijdschrift voor Criminologie"),
        id="bracketed-translation-off-the-title"),
    pytest.param(
        "Kersten, J. (ed.) (2003): Prävention in der Kommune. Baden-Baden: Nomos.",
        ("Prävention in der Kommune", 2003, "Kersten", None),
        id="ed-after-the-name"),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), SHAPES)
def test_the_issues_shapes(text: str, expected: tuple[str, int, str, str | None]) -> None:
    ref = parse_reference(text)
    assert (ref.title, ref.year, family(ref), ref.container) == expected
    assert "low_confidence" not in ref.flags


def test_an_edited_book_keeps_its_editor_as_author() -> None:
    ref = parse_reference(
        "Kersten, J. (ed.) (2003): Prävention in der Kommune. Baden-Baden: Nomos."
    )
    assert ref.editors == ref.authors and "editors_as_authors" in ref.flags


@pytest.mark.parametrize("mark", ["——.", "——", "———.", "______", "Ders.", "Dies.", "—— (ed.)"])
def test_a_repeated_author_takes_the_authors_before_it(mark: str) -> None:
    first, second = parse_reference_list(
        [
            "Lindqvist, E., & Berg, O. (2002). The ordering of disorder. Stockholm: Norstedts.",
            f"{mark} (2004). The welfare state and its deviants. Lund: Arkiv.",
        ]
    )
    assert second.authors == first.authors and len(second.authors) == 2
    assert "author_repeated" in second.flags and "no_authors" not in second.flags
    assert second.title == "The welfare state and its deviants"


def test_a_repeated_author_with_nothing_before_it_stays_flagged_and_empty() -> None:
    (ref,) = parse_reference_list(["——. (2004). The welfare state and its deviants. Lund: Arkiv."])
    assert ref.authors == () and "author_repeated" in ref.flags


@pytest.mark.parametrize(
    ("entry", "title"),
    [
        (
            "———. Situational Prevention in Ports. Lima: Fondo Editorial, 2011.",
            "Situational Prevention in Ports",
        ),
        ("---. La vigilancia de barrio. Madrid: Tecnos, 2012.", "La vigilancia de barrio"),
        ("_____. Die sichere Stadt. Berlin: Springer, 2013.", "Die sichere Stadt"),
        ("Ders. Die sichere Stadt. Berlin: Springer, 2013.", "Die sichere Stadt"),
        ("—(ed.), Policing the Periphery (Leiden: Brill, 2014).", "Policing the Periphery"),
    ],
)
def test_a_repeated_author_opening_a_year_last_entry_takes_the_authors_before(
    entry: str, title: str
) -> None:
    """A bibliography that prints the year last marks a repeated author the same way,
    and the mark is neither part of the title nor an organisation."""
    first, second = parse_reference_list(
        ["Zárate, Elena. Barrios seguros. Lima: PUCP, 2009.", entry]
    )
    assert [a.family for a in second.authors] == ["Zárate"]
    assert "author_repeated" in second.flags and "no_authors" not in second.flags
    assert second.title == title


def test_the_review_loader_fills_in_a_repeated_author(tmp_path: Path) -> None:
    path = tmp_path / "review.md"
    path.write_text(
        "## Review\n\n## Body\n\nAs Lindqvist (2002, 2004) argued.\n\n## References\n\n"
        "- Lindqvist, E. (2002). *The ordering of disorder*. Norstedts.\n"
        "- ——. (2004). *The welfare state and its deviants*. Arkiv.\n"
    )
    works = [r for r in load(path).records if isinstance(r, Work) and r.year == 2004]
    assert [a.family for w in works for a in w.authors] == ["Lindqvist"]
    assert "author_repeated" in works[0].flags


def test_field_confidence_marked_agreed_and_doubtful() -> None:
    marked = parse_reference("Hope, T. (2008). *Perspectives on crime reduction*. Ashgate.")
    assert marked.confidence_of("title") == 0.95
    agreed = parse_reference(
        "Hope, T. (2008). Perspectives on crime reduction. Aldershot: Ashgate."
    )
    assert agreed.confidence_of("title") == agreed.confidence_of("year") == 0.99
    assert not [f for f in agreed.flags if f.startswith("low_confidence")]
    assert parse_reference("").confidence_of("title") == 0.0


def test_a_doubtful_title_is_flagged_on_the_work() -> None:
    """Rules and CRF read this title differently and the CRF is unsure: the rules' guess
    is kept (wrong here), and the Work says which field is in doubt."""
    text = "Lindqvist, E., Berg, O., Does patrol deter theft? (abstract). SSRN,. 2004."
    ref = parse_reference(text)
    assert ref.title and ref.confidence_of("title") < 0.5
    work = ref.to_work("ref1", Source("list.md", 3, "review"), text)
    assert "low_confidence:title" in work.flags
    assert ref.confidence < parse_reference("Hope, T. (2008). *Perspectives*. Ashgate.").confidence


def test_the_packaged_model_labels_a_reference() -> None:
    labelled = reference_crf.label(
        "Hope, T. (2008). Perspectives on crime reduction. Aldershot: Ashgate."
    )
    assert labelled.labels[:3] == ("author", "author", "date")
    assert labelled.span("title")[0] == "Perspectives on crime reduction."
    assert all(0.0 <= m <= 1.0 for m in labelled.marginals)


ANYSTYLE_SHAPED = """<?xml version="1.0" encoding="UTF-8"?>
<dataset>
{}
</dataset>
"""
SEQUENCE = (
    "<sequence><author>{a}, K.</author><date>({y}).</date><title>{t}.</title>"
    "<journal>Urban Safety Review,</journal><volume>{v}(2),</volume><pages>1-9.</pages></sequence>"
)


def test_training_reads_splits_and_fits_anystyle_shaped_data(tmp_path: Path) -> None:
    words = "trust patrols lighting fear streets youth markets courts".split()
    sequences = [
        SEQUENCE.format(
            a=f"Name{i}", y=1990 + i, t=f"{words[i % 8].title()} and {words[(i * 3) % 8]}", v=i
        )
        for i in range(30)
    ]
    for name in ("core.xml", "good.xml"):
        (tmp_path / name).write_text(ANYSTYLE_SHAPED.format("\n".join(sequences)))
    items = read(tmp_path)
    assert len(items) == 30  # the same string in both files counts once
    fit, held = split(items)
    assert (len(fit), len(held)) == (24, 6) and split(items) == (fit, held)
    toks, labels = sequence(items[0])
    assert labels[:3] == ["author", "author", "date"] and labels[-1] == "pages"
    model = tmp_path / "model.crfsuite"
    train(fit, model, iterations=50)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    toks, labels = sequence(held[0])
    assert tagger.tag(reference_crf.features(toks)) == labels


def test_tagged_creators_are_the_author_or_an_editor_before_the_title() -> None:
    edited = Tagged((("editor", "Tonry, M. (Ed.)."), ("date", "(2015)."), ("title", "Crime.")))
    chapter = Tagged((("title", "Crime."), ("editor", "In M. Tonry (Ed.),")))
    assert (edited.creators, chapter.creators, edited.year) == ("Tonry, M. (Ed.).", None, 2015)


@pytest.mark.parametrize(
    ("text", "families", "year", "title"),
    [
        (
            "Marlow, T.J. & Ibarra, S.K., 2011. Street lighting and night-time burglary in three districts. *Journal of Urban Safety,* 14:2: 33.",
            ["Marlow", "Ibarra"],
            2011,
            "Street lighting and night-time burglary in three districts",
        ),
        (
            "Okafor, N. , Lindqvist, E., Brandt R.M. and Suárez, P., 2018, Guardianship after dark: a field test?, *Crime Science,* 7, 101-119.",
            ["Okafor", "Lindqvist", "Brandt", "Suárez"],
            2018,
            "Guardianship after dark: a field test?",
        ),
        (
            "Varga, Ilona, 2004, ‘Neighbourhood watch revisited’, in K.L. Moreno, ed, *Policing Together* (Leeds: Northgate Press)",
            ["Varga"],
            2004,
            "Neighbourhood watch revisited",
        ),
        (
            "Dubois C., Renaud Q. et Faure M., 2016, Prévention situationnelle et espaces publics, Revue de Criminologie Urbaine, n° 12, p. 40-58",
            ["Dubois", "Renaud", "Faure"],
            2016,
            "Prévention situationnelle et espaces publics",
        ),
    ],
)
def test_harvard_year_after_the_names_ends_the_author_list(
    text: str, families: list[str], year: int, title: str
) -> None:
    """`Name, I. & Name, I., 2011. Title.`: the year set off by commas closes the names,
    so the last authors never lead the title (it read `& Ibarra, S.K.. Street ...`)."""
    ref = parse_reference(text)
    assert [a.family for a in ref.authors] == families
    assert ref.year == year
    assert ref.title == title


def test_a_year_after_a_place_and_publisher_is_not_an_author_slot() -> None:
    """ISO 690 prints the year last; what comes before it is no list of names."""
    ref = parse_reference(
        "HALVORSEN, Kari. Fear of crime in small towns. Bergen: Fjord Academic, 2009."
    )
    assert [a.family for a in ref.authors] == ["HALVORSEN"]
    assert ref.title == "Fear of crime in small towns"
    assert ref.year == 2009


@pytest.mark.parametrize(
    ("text", "title", "families"),
    [
        (
            "BERG, K., « Les patrouilles de nuit », Paris, Seuil, 1998, p. 12.",
            "Les patrouilles de nuit",
            ["BERG"],
        ),
        (
            "STRAND, Eva, « Le quartier et la peur. », Lyon - Presses de la Cité, 2004, p. 31.",
            "Le quartier et la peur",
            ["STRAND"],
        ),
    ],
)
def test_names_before_a_quoted_title_end_at_the_quote(
    text: str, title: str, families: list[str]
) -> None:
    """A list with the year last (`NAME, I., « Title », Place, 1998.`): the names are
    what precedes the quote, and the title is what it holds (the guillemets were kept,
    or the title ran on to the imprint with a second author `la peur`)."""
    ref = parse_reference(text)
    assert ref.title == title
    assert [a.family for a in ref.authors] == families
    assert ref.year in (1998, 2004)


def test_a_quoted_title_outranks_the_crf_when_the_year_is_missing() -> None:
    """Without a year the CRF is asked; where quotes close the title, its stop does not
    replace them (it read `Lighting [letter to the editor].” Perspectives of`)."""
    ref = parse_reference(
        "Strand, Eva. “Lighting [letter to the editor].” Perspectives of Urban Safety 10, "
        "no. 2 (spring/ summer 1994), p. 17."
    )
    assert ref.title is not None and ref.title.startswith("Lighting")
    assert "Perspectives" not in ref.title
    assert [a.family for a in ref.authors] == ["Strand"]


def test_a_given_first_name_with_a_middle_initial_is_a_person_not_the_title() -> None:
    """`Given I. Family, Title (Place, 1998).`: a middle initial between two names is a
    person's (it read as an organisation), and the title no longer starts with them."""
    ref = parse_reference(
        "Gustav E. Brandenberg, The Navy of Emperor Karl (West Lafayette, IN, 1998)."
    )
    assert [(a.kind, a.family, a.given) for a in ref.authors] == [
        ("person", "Brandenberg", "Gustav E.")
    ]
    assert ref.title is not None and ref.title.startswith("The Navy of Emperor Karl")


def test_a_year_closing_the_imprint_in_parentheses_is_the_year() -> None:
    """Chicago's notes close the imprint with the year, `(Place, Region, 1998).`: the
    comma-set year counts inside the parenthesis too (it read no year at all)."""
    ref = parse_reference(
        "Gustav E. Brandenberg, The Navy of Emperor Karl (West Lafayette, IN, 1998)."
    )
    assert ref.year == 1998
    assert "no_year" not in ref.flags


@pytest.mark.parametrize(
    ("entry", "title", "year", "publisher", "pages"),
    [
        (
            "Quispe, Martina. Seguridad ciudadana en Lima (Lima: Fondo Editorial PUCP, 2016), 42.",
            "Seguridad ciudadana en Lima",
            2016,
            "Fondo Editorial PUCP",
            None,  # the page the note cites, not the book's
        ),
        (
            "Hope, Tim. Community Crime Prevention (Chicago, IL, 1995).",
            "Community Crime Prevention",
            1995,
            None,  # a place alone names no publisher
            None,
        ),
        (
            "Tilley, Nick, Handbook of Crime Prevention and Community Safety "
            "(Cullompton: Willan, 2005).",
            "Handbook of Crime Prevention and Community Safety",
            2005,
            "Willan",
            None,
        ),
        (
            "Clarke, R. V., “Situational Crime Prevention,” in Building a Safer Society, ed. "
            "M. Tonry (Chicago: University of Chicago Press, 1995), 91–150.",
            "Situational Crime Prevention",
            1995,
            "University of Chicago Press",
            "91-150",  # a chapter's range is its pages
        ),
    ],
)
def test_a_note_style_imprint_in_parentheses_ends_the_title(
    entry: str, title: str, year: int, publisher: str | None, pages: str | None
) -> None:
    """`Title (Place: Publisher, 1998)`: the parentheses holding the year are the
    imprint, not the title's end (the title kept `(Chicago, IL)`)."""
    ref = parse_reference(entry)
    assert (ref.title, ref.year, ref.publisher, ref.pages) == (title, year, publisher, pages)


def test_a_date_in_parentheses_leaves_the_journal_numbers_readable() -> None:
    """`Vol. 12, No. 3 (Summer, 1998), 44-59`: the date goes whole, and `Vol.` and
    `No.` end no sentence (the publisher read `12, No`)."""
    ref = parse_reference(
        "Boyd, D. A. “Night Patrols in Lagos,” Journal of Urban Safety, Vol. 12, No. 3 "
        "(Summer, 1998), 44-59."
    )
    assert (ref.container, ref.volume, ref.issue, ref.pages) == (
        "Journal of Urban Safety",
        "12",
        "3",
        "44-59",
    )
    assert ref.year == 1998 and ref.publisher is None


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            "Pereira M. J., Aalto K., Novak W.R. (2015). Title.",
            [("Pereira", "M. J."), ("Aalto", "K."), ("Novak", "W.R.")],
        ),
        ("van der Linde J.A. (2001). Title.", [("van der Linde", "J.A.")]),
        ("Kowal R.T., Nyberg A.S. (1999). Title.", [("Kowal", "R.T."), ("Nyberg", "A.S.")]),
    ],
)
def test_family_names_followed_by_dotted_initials(
    head: str, expected: list[tuple[str, str]]
) -> None:
    """`Family I. I.` is one person (Vancouver with periods), not a given name and a
    family name `I.`, and never an organisation."""
    ref = parse_reference(head + " *Journal of Place,* 3, 1-9.")
    assert [(a.family, a.given, a.kind) for a in ref.authors] == [
        (f, g, "person") for f, g in expected
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Łukaszewicz, Z., Šimková, M. and Żurek, Ö. (2017). Night markets and fear. *Urban Studies Review*, 4, 11-20.",
            [("Łukaszewicz", "Z."), ("Šimková", "M."), ("Żurek", "Ö.")],
        ),
        (
            "Соколова, Ирина. 2014. Соседство и безопасность. Городские исследования 7 (2). 15 – 29.",
            [("Соколова", "Ирина")],
        ),
        (
            "Петров В. Д., Орлова Е. И. 2009. Патрулирование и доверие. Москва: Наука.",
            [("Петров", "В. Д."), ("Орлова", "Е. И.")],
        ),
        (
            "Παπαδόπουλος, Ν. (2011). Αστική ασφάλεια. Αθήνα: Κριτική.",
            [("Παπαδόπουλος", "Ν.")],
        ),
    ],
)
def test_names_in_every_cased_alphabet(text: str, expected: list[tuple[str, str]]) -> None:
    """A capital outside Latin-1 (Ł, Š, Ż, Cyrillic, Greek) opens a name like A-Z does:
    `Соколова, Ирина` is one person, not two, and `Петров В. Д.` is not an organisation."""
    ref = parse_reference(text)
    assert [(a.family, a.given, a.kind) for a in ref.authors] == [
        (f, g, "person") for f, g in expected
    ]
    assert ref.year == int(re.search(r"\d{4}", text).group())  # type: ignore[union-attr]


def test_a_study_group_among_the_authors_is_an_organization_and_the_rest_persons() -> None:
    """An institution's word (`Group`, `Program`) inside a list of persons names one
    author, not the whole list."""
    ref = parse_reference(
        "Quiroga R, Almeida T, Lindqvist BM; the Andean Night Safety Study Group (2016). Lighting and fear of crime. *Urban Safety Journal*, 8, 40-52."
    )
    assert [(a.kind, a.family or a.name) for a in ref.authors] == [
        ("person", "Quiroga"),
        ("person", "Almeida"),
        ("person", "Lindqvist"),
        ("organization", "the Andean Night Safety Study Group"),
    ]
    assert (ref.year, ref.title) == (2016, "Lighting and fear of crime")


def test_an_institution_named_national_or_group_is_one_author() -> None:
    ref = parse_reference(
        "National Crime Prevention Group. (2019). *Safer streets: a handbook*. Lima: Northgate."
    )
    assert [(a.kind, a.name) for a in ref.authors] == [
        ("organization", "National Crime Prevention Group")
    ]


@pytest.mark.parametrize(
    ("text", "title", "editors", "container"),
    [
        (
            'Haldane, Ruth (2009b): "Fear and the Night Economy" in Tomas Reyes and Ada Lind, eds., *The Handbook of Urban Disorder.* Bristol: Harbour, pp. 51-70.',
            "Fear and the Night Economy",
            ["Reyes", "Lind"],
            "The Handbook of Urban Disorder",
        ),
        (
            "Ostrander, K., and Pike, L. (2003). Crowds and guardians. in M. Feld, O. Sato, and R. Quist (Eds.), *The Foundations of Place-Based Prevention.* Leeds: Northgate Foundation Press.",
            "Crowds and guardians",
            ["Feld", "Sato", "Quist"],
            "The Foundations of Place-Based Prevention",
        ),
    ],
)
def test_a_chapter_keeps_its_title_editors_and_book(
    text: str, title: str, editors: list[str], container: str
) -> None:
    """A quoted title followed by `in`, a lowercase `in` after the title, Chicago's
    `, eds.,`: the title stops before the book, the editors are read, and the book is the
    container even when its words sound like an institution (`Foundations`)."""
    ref = parse_reference(text)
    assert ref.title == title
    assert [e.family for e in ref.editors] == editors
    assert ref.container == container
    assert ref.type == "chapter"


def test_a_middle_initial_in_a_given_first_name_does_not_end_the_names() -> None:
    """Chicago's second author is printed given name first: the stop after `W.` is
    inside `Pablo W. Ferrán`, so the title does not start at the family name."""
    ref = parse_reference(
        "Tamm, Liis-Marie and Pablo W. Ferrán. Lighting Plans in 25 Port Cities. *Harbour Safety Review* No. 12. Tallinn: Baltic Institute, 1991."
    )
    assert [a.family for a in ref.authors] == ["Tamm", "Ferrán"]
    assert ref.title == "Lighting Plans in 25 Port Cities"
    assert ref.year == 1991


def test_a_colon_style_title_keeps_every_unmarked_subtitle() -> None:
    """`(2008): Title. Subtitle. Subtitle. Place: Publisher.`: the CRF stops at the first
    stop; in a list where a colon follows the year the rules' reading wins."""
    ref = parse_reference(
        "Brenner, L. (2011): Licht im Hinterhof. Nachbarschaft, Streife und Vertrauen. Eine Fallstudie. Kassel: Nordstadt."
    )
    assert ref.title == "Licht im Hinterhof. Nachbarschaft, Streife und Vertrauen. Eine Fallstudie"
    assert ref.year == 2011


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Okafor JN, Lindqvist AB. Street lighting and night-time burglary. Urban Crime Rev. 2011;14:22-31.",
            [("Okafor", "JN"), ("Lindqvist", "AB")],
        ),
        (
            "DUVAL P. M., NOIRET C. 1987 Les patrouilles de quartier, Revue de criminologie, 12, 40-58.",
            [("DUVAL", "P. M."), ("NOIRET", "C.")],
        ),
        (
            "MARCHETTI Claire A., ROUSSEL Henri, La vidéoprotection des gares, Lyon, Presses du Rhône, 2016.",
            [("MARCHETTI", "Claire A."), ("ROUSSEL", "Henri")],
        ),
        (
            "LEROY Anne et FAURE Michel, Quartiers sensibles et prévention, Paris, La Découverte, 2009.",
            [("LEROY", "Anne"), ("FAURE", "Michel")],
        ),
    ],
)
def test_vancouver_and_capitalised_family_names(text: str, expected: list[tuple[str, str]]) -> None:
    """The last Vancouver name keeps its family when the author block's period follows
    its initials (`Lindqvist AB.`); a family in capitals (French usage) is the family,
    before dotted initials or before given names."""
    ref = parse_reference(text)
    assert [(a.family, a.given, a.kind) for a in ref.authors] == [
        (f, g, "person") for f, g in expected
    ]


def test_an_acronym_before_a_word_is_a_group_not_a_family() -> None:
    ref = parse_reference("ONP Madrid. (2018). Informe anual de seguridad. Madrid: ONP.")
    assert [(a.name, a.kind) for a in ref.authors] == [("ONP Madrid", "organization")]


def test_an_author_list_that_runs_on_into_the_title_is_cut_back() -> None:
    """The rules take every comma piece before a year printed last as a name; where the
    CRF reads fewer names, the list stops where the names do, though the first agrees."""
    ref = parse_reference(
        "Brandt, L. K., Osei, P., Guardianship and repeat victimisation on housing estates, Journal of Estate Studies, v. 9, p. 41-57. 2004."
    )
    assert [a.family for a in ref.authors] == ["Brandt", "Osei"]
    assert ref.title == "Guardianship and repeat victimisation on housing estates"


def test_given_first_names_set_off_by_commas_end_where_the_title_starts() -> None:
    """Physics and engineering lists: initials first, a comma after each name, then the
    title, with no quotes or year slot to mark where the names end; a colon inside what
    the CRF took for a name is the title's."""
    ref = parse_reference(
        "M. Duarte, P. Okafor, S. Lindqvist, CPTED: Design Against Crime, Safer Cities Press, 1998."
    )
    assert [(a.family, a.given) for a in ref.authors] == [
        ("Duarte", "M."),
        ("Okafor", "P."),
        ("Lindqvist", "S."),
    ]
    assert ref.title is not None and ref.title.startswith("CPTED: Design Against Crime")
    assert ref.year == 1998
    names_only = parse_reference("M. Duarte, P. Okafor, S. Lindqvist")
    assert (len(names_only.authors), names_only.title) == (3, None)


@pytest.mark.parametrize(
    ("text", "second"),
    [
        ("Duarte, R.M., et C.L. Pereira. «Vigilancia vecinal y delito.» Revista de Seguridad 12 (2018): 33-50.", ("Pereira", "C.L.")),
        ("Keller, A., und Jonas Brandt. 2016. Nachbarschaft und Kriminalität. Zeitschrift für Prävention 3: 1-19.", ("Brandt", "Jonas")),
    ],
)  # fmt: skip
def test_et_and_und_after_a_comma_join_two_names(text: str, second: tuple[str, str]) -> None:
    ref = parse_reference(text)
    assert (ref.authors[1].family, ref.authors[1].given) == second


def test_a_title_in_french_quotes_is_read_without_them() -> None:
    ref = parse_reference(
        "Duarte, R.M., et C.L. Pereira. «Vigilancia vecinal y delito.» Revista de Seguridad 12 (2018): 33-50."
    )
    assert ref.title == "Vigilancia vecinal y delito"
    assert ref.container == "Revista de Seguridad"
