"""Places by every name prose gives them: countries, abbreviations, demonyms, cities and
US states, with common words and names that several countries share left unlinked."""

from __future__ import annotations

import pytest

from citegraph.loaders.places import find_places, resolve


def codes(sentence: str, words: frozenset[str] = frozenset()) -> list[str]:
    return [p.concept for p in find_places(sentence, words)[0]]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("Programmes in the US and the UK.", ["US", "GB"], id="US-UK"),
        pytest.param("U.S. data and U.K. data and USA data.", ["US", "GB", "US"], id="dotted"),
        pytest.param("A China/UK partnership.", ["CN", "GB"], id="slash"),
        pytest.param("Belgian researchers and Dutch police.", ["BE", "NL"], id="demonyms"),
        pytest.param("A Peruvian district and Colombian law.", ["PE", "CO"], id="more-demonyms"),
        pytest.param("Studies in England and Britain.", ["GB", "GB"], id="england-britain"),
        pytest.param("Chicago, Buenos Aires, Lima and The Hague.", ["US", "AR", "PE", "NL"], id="cities"),
        pytest.param("In Bogota and Medellín.", ["CO", "CO"], id="accents"),
        pytest.param("New Mexico and Mexico City.", ["US", "MX"], id="longest-first"),
        pytest.param("Argentina: distrust in a decade of reform.", ["AR"], id="heading-like"),
        pytest.param("Latin America and the Caribbean.", ["latin-america", "caribbean"], id="regions"),
    ],
)  # fmt: skip
def test_places_are_found(sentence: str, expected: list[str]) -> None:
    assert codes(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        pytest.param("Tell us what works.", frozenset(), id="us-pronoun"),
        pytest.param("In the English language version.", frozenset(), id="language"),
        pytest.param("A study from Reading found nothing.", frozenset(), id="common-word-city"),
        pytest.param("Police reform matters.", frozenset({"police"}), id="word-in-document"),
        pytest.param("Mobile phones on a Nice day.", frozenset(), id="stop-listed-cities"),
    ],
)  # fmt: skip
def test_common_words_are_not_places(sentence: str, words: frozenset[str]) -> None:
    assert codes(sentence, words) == []


def test_an_authors_name_is_not_a_city() -> None:
    assert find_places("Santos showed it.", names=frozenset({"Santos"}))[0] == []
    assert [p.concept for p in find_places("Santos showed it.")[0]] == ["BR"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        pytest.param("Reform in Georgia.", ("GE", "US"), id="country-or-state"),
        pytest.param("Patrols in Córdoba.", ("AR", "ES", "MX"), id="city-of-three"),
        pytest.param("As Chad argued, it works.", ("TD",), id="name-or-country"),
    ],
)  # fmt: skip
def test_ambiguous_names_are_flagged_not_linked(sentence: str, expected: tuple[str, ...]) -> None:
    found, unsure = find_places(sentence)
    assert found == [] and len(unsure) == 1
    assert unsure[0].codes[: len(expected)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Officers in Chad.", ["TD"]),
        ("Camps in Mali, Chad and Niger saw raids.", ["ML", "TD", "NE"]),
        ("Data from Jersey and Guernsey.", ["JE", "GG"]),
    ],
)
def test_a_preposition_of_place_settles_a_name_of_one_country(
    sentence: str, expected: list[str]
) -> None:
    """`in Chad` is the country, even across a list of places; `Georgia` after `in` is
    still one of two (tested above)."""
    found, unsure = find_places(sentence)
    assert [p.concept for p in found] == expected and unsure == []


def test_a_paragraph_settles_an_ambiguous_name() -> None:
    _, unsure = find_places("Reform in Georgia and in Córdoba.")
    settled, left = resolve(unsure, {"GE"})
    assert [(p.text, p.concept) for p in settled] == [("Georgia", "GE")]
    assert [a.text for a in left] == ["Córdoba"]
