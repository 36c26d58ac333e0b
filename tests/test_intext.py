"""In-text citations matched to reference entries (loaders/intext.py)."""

from __future__ import annotations

import pytest

from citegraph.loaders.intext import Entry, EntryIndex, find_citations, match_citation

ENTRIES = EntryIndex(
    [
        Entry("listed-under-d", ("de la fuente",), 2018, "", "de la Fuente, R. (2018). ..."),
        Entry("listed-under-f", ("fuente",), 2018, "", "Fuente, S. (2018). ..."),
        Entry("only-with-particle", ("van den broek",), 2020, "", "van den Broek, T. (2020). ..."),
    ]
)


@pytest.mark.parametrize(
    ("sentence", "key", "flags"),
    [
        pytest.param("So argued Fuente (2018).", "listed-under-f", (), id="same-form-wins"),
        pytest.param("As de la Fuente (2018) showed.", "listed-under-d", (), id="particle-kept"),
        pytest.param("De la Fuente (2018) showed it.", "listed-under-d", (), id="capital-particle"),
        pytest.param(
            "Broek (2020) disagreed.", "only-with-particle", ("particle_dropped",), id="dropped"
        ),
        pytest.param(
            "It did not hold (Broek, 2020).",
            "only-with-particle",
            ("particle_dropped",),
            id="dropped-in-parentheses",
        ),
    ],
)
def test_a_particle_left_out_links_and_is_flagged(
    sentence: str, key: str, flags: tuple[str, ...]
) -> None:
    [citation] = find_citations(sentence)
    match = match_citation(citation, ENTRIES)
    assert match is not None
    assert (match.entry.key, match.flags) == (key, flags)


def test_a_common_name_in_a_long_list_is_matched_by_its_year() -> None:
    """Two thousand Smiths: the cited year's entries are the candidates, a token of a
    double name still finds its entry in that year, and a year no Smith has falls back to
    every entry of the name."""
    entries = [
        Entry(f"smith-{year}-{n}", ("smith",), year, "", f"Smith, A. ({year}). ...")
        for year in range(1900, 2020)
        for n in range(17)
    ]
    entries.append(Entry("garcia-smith", ("garcia smith",), 2010, "", "García Smith, B. (2010)."))
    index = EntryIndex(entries)
    [cited] = find_citations("As Smith (2010) found.")
    assert {e.key for e in index.candidates(cited)} == {
        *(f"smith-2010-{n}" for n in range(17)),
        "garcia-smith",
    }
    match = match_citation(cited, index)
    assert match is not None and match.entry.year == 2010
    [elsewhere] = find_citations("As Smith (2023) found.")
    assert len(index.candidates(elsewhere)) == len(entries)


@pytest.mark.parametrize(
    ("sentence", "names", "year"),
    [
        ("Как показала Соколова (2014), соседи охраняют двор.", ["Соколова"], "2014"),
        ("Patrols deter little (Łukaszewicz & Šimková, 2017).", ["Łukaszewicz", "Šimková"], "2017"),
        ("Όπως έδειξε ο Παπαδόπουλος (2011), ο φόβος μειώνεται.", ["Παπαδόπουλος"], "2011"),
    ],
)
def test_a_citation_in_any_cased_alphabet_is_found(
    sentence: str, names: list[str], year: str
) -> None:
    [citation] = find_citations(sentence)
    assert (list(citation.authors), citation.year) == (names, year)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Guardians matter (Quispe 2011, 45).", [("Quispe", "2011")]),
        ("Guardians matter (Quispe 2011: 45-47).", [("Quispe", "2011")]),
        ("Guardians matter (Quispe et al. 2011, 45–7).", [("Quispe", "2011")]),
        ("Guardians matter (Quispe, 2011a, 2011b).", [("Quispe", "2011a"), ("Quispe", "2011b")]),
        (
            "Guardians matter (Quispe 2011, 2014; Arce 2009).",
            [("Quispe", "2011"), ("Quispe", "2014"), ("Arce", "2009")],
        ),
        (
            "As Quispe (2011, 2014) showed, guardians matter.",
            [("Quispe", "2011"), ("Quispe", "2014")],
        ),
        ("As Quispe (2011, 45) showed, guardians matter.", [("Quispe", "2011")]),
    ],
)
def test_chicago_and_harvard_locators_and_several_years(
    sentence: str, expected: list[tuple[str, str]]
) -> None:
    """A bare page after the year (Chicago `2011, 45`, Harvard `2011: 45`) is a locator;
    a second year is a second work of the same authors."""
    assert [(c.authors[0], c.year) for c in find_citations(sentence)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Quispe and colleagues (2011) showed it.", [("Quispe", "2011", True)]),
        ("Quispe y colaboradores (2011) lo mostraron.", [("Quispe", "2011", True)]),
        (
            "It holds (Quispe et al., 2011, as cited in Arce, 2009).",
            [("Quispe", "2011", True), ("Arce", "2009", False)],
        ),
        (
            "Se sostiene (Quispe, 2011, citado en Arce, 2009).",
            [("Quispe", "2011", False), ("Arce", "2009", False)],
        ),
        (
            "Both Quispe (2011) and Arce (2009) agree.",
            [("Quispe", "2011", False), ("Arce", "2009", False)],
        ),
    ],
)
def test_colleagues_secondary_sources_and_leading_words(
    sentence: str, expected: list[tuple[str, str, bool]]
) -> None:
    """`and colleagues` stands for `et al.`; a source `as cited in` another cites both;
    a sentence's opening word is no part of the name after it."""
    assert [(c.authors[0], c.year, c.et_al) for c in find_citations(sentence)] == expected


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("La vigilancia reduce el delito (Quispe y Arce, 2011).", ["Quispe", "Arce"]),
        ("Quispe y Arce (2011) encontraron que el patrullaje ayuda.", ["Quispe", "Arce"]),
        ("O policiamento reduz o crime (Silva e Souza, 2015).", ["Silva", "Souza"]),
        ("Die Polizei wirkt (Müller und Schmidt, 2015).", ["Müller", "Schmidt"]),
        ("La police agit (Dupont et Martin, 2015).", ["Dupont", "Martin"]),
    ],
)
def test_and_between_authors_in_the_languages_reviews_cite_in(
    sentence: str, names: list[str]
) -> None:
    [citation] = find_citations(sentence)
    assert list(citation.authors) == names and not citation.et_al


def test_a_family_name_joined_by_y_still_finds_its_entry() -> None:
    """`Ortega y Gasset` reads as two names, and the entry of the one family still wins."""
    index = EntryIndex(
        [Entry("ortega", ("ortega y gasset",), 1930, "", "Ortega y Gasset, J. (1930).")]
    )
    for sentence in ("Ortega y Gasset (1930) wrote it.", "It was said (Ortega y Gasset, 1930)."):
        match = match_citation(find_citations(sentence)[0], index)
        assert match is not None and match.entry.key == "ortega"
