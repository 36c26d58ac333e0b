"""Discovering named concepts the schemes lack, from the shapes names take in prose.

A review framed by a theory the SKOS scheme does not hold still names it in a few fixed
shapes: `X theory`, `the theory of X`, `an X approach / perspective / paradigm /
framework / model / problem`, and `Long Name (LN)`. Each such name becomes a candidate
concept: linked like a scheme concept, flagged `candidate` in the graph, listed by
`citegraph concepts` for a researcher to promote into the scheme or ignore.

The shapes also match plain prose (`this approach`, `a qualitative approach`, `the
model`), so a name needs modifiers that are not function words or research-design
vocabulary (STOP_WORDS), and an acronym's long form must spell it and end in a concept
word. What gets through is a candidate, never a scheme concept: noise costs a line in a
list, not a wrong fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Head nouns of the `X theory` shape, singular and plural, and the fewest modifiers each
#: needs before it names something (`an integrated model` names nothing; `the modifiable
#: areal unit problem` does).
HEADS: dict[str, tuple[str, int]] = {
    "theory": ("theory", 1),
    "theories": ("theory", 1),
    "approach": ("approach", 1),
    "approaches": ("approach", 1),
    "perspective": ("perspective", 1),
    "perspectives": ("perspective", 1),
    "paradigm": ("paradigm", 1),
    "paradigms": ("paradigm", 1),
    "framework": ("framework", 1),
    "frameworks": ("framework", 1),
    "model": ("model", 1),
    "models": ("model", 1),
    "hypothesis": ("hypothesis", 1),
    "problem": ("problem", 2),
    "problems": ("problem", 2),
}
HEAD = re.compile(r"\b(" + "|".join(HEADS) + r")\b", re.IGNORECASE)
THEORY_OF = re.compile(r"\b(theor(?:y|ies)|hypothesis)\s+of\s+", re.IGNORECASE)
ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z0-9&]{1,9})\s*\)")
TOKEN = re.compile(r"\"[^\"]{3,60}\"|“[^”]{3,60}”|[\w'’-]+|[^\w\s]")
#: Words that cannot be part of a concept's name before its head: function words,
#: numbers, and the vocabulary of research design and evaluation.
STOP_WORDS = frozenset(
    """a an the this that these those its it their our his her my your one two three
    both each every any some many most more less few several other others such same
    own whole all no not and or but nor as of in on at by for from to with without into
    onto upon via within between among about against through than then also only very
    is are was were be been being has have had do does did can could may might will
    would shall should must which who whom whose what where when why how whether while
    new novel old main key central basic simple general overall broad broader wider
    narrow different various diverse similar alternative particular specific single
    multiple dual double twofold holistic integral integrated integrative comprehensive
    common current present previous prior recent traditional conventional classic
    dominant prevailing existing proposed standard typical usual original modern
    important useful effective successful promising practical pragmatic innovative
    first second third last final further additional complementary competing opposing
    qualitative quantitative mixed methodological method methods research study
    studies case data analysis analytic analytical descriptive exploratory explanatory
    empirical experimental non-experimental quasi-experimental systematic comparative
    conceptual theoretical statistical
    regression linear logistic logit probit poisson bayesian multilevel hierarchical
    econometric equation predictive prediction simulation computational mathematical
    formal informal interpretive same private official preventive repressive punitive
    good better best bad worse worst strong weak high low large small big
    above below following preceding aforementioned said here there historical
    contemporary emerging growing existing competing underlying suggesting using
    including involving concerning regarding proposing offering applying adopting
    combining integrating leading
    """.split()
)
#: Words that may begin a name (`social learning theory`, `public health approach`) but
#: name nothing alone before the head (`a social theory`, `the security approach`).
GENERIC_ALONE = frozenset(
    """social crime criminological sociological psychological economic political
    cultural security public state national international global local regional
    critical human community police prevention legal policy regulatory institutional
    normative""".split()
)
#: Verbs (and the heads themselves) that end the X of `theory of X`.
ENDS_OF = (
    STOP_WORDS
    | frozenset(HEADS)
    | frozenset(
        """posit posits explain explains suggest suggests hold holds argue argues state
        states propose proposes predict predicts assume assumes claim claims emphasize
        emphasizes emphasise emphasises show shows provide provides offer offers focus
        focuses see sees treat treats view views describe describes say says maintain
        maintains imply implies stress stresses highlight highlights contend contends
        assert asserts account accounts help helps posited explained suggested held
        argued stated proposed predicted assumed claimed emphasized emphasised showed
        provided offered treated viewed described said maintained implied stressed
        highlighted contended asserted accounted helped guided informed""".split()
    )
)
#: What `the theory of X` leaves generic: `a theory of crime` names no theory.
GENERIC_OF = frozenset(
    """crime crimes criminality criminal deviant deviance delinquency violence offending
    victimization victimisation policing punishment prevention security justice
    society behaviour behavior""".split()
)
#: An acronym's long form names a concept when it ends in one of these.
CONCEPT_ENDS = frozenset(
    """theory theories approach approaches perspective paradigm framework model problem
    hypothesis prevention policing justice design deterrence security studies
    criminology control governance reform peace victimization victimisation""".split()
)
#: Words of organisations, surveys and statistics: an acronym spelled with them is a body
#: or a method, not a concept (`International Social Survey Programme (ISSP)`).
ORGANISATION_WORDS = frozenset(
    """institute ministry programme program survey organization organisation office
    department council agency university bank fund commission committee association
    service services network centre center union nations force forces bureau foundation
    society federation authority court police plan project index system squares
    regression trial interval coefficient ratio party company corporation group""".split()
)
CONNECTORS = frozenset("of the and for through in on to & de del la".split())


@dataclass(frozen=True)
class Candidate:
    """A named concept the schemes lack: an id minted from its normalised label, the
    text as printed, where it starts in the sentence and how it was found."""

    id: str
    label: str
    text: str
    start: int
    end: int
    shape: str  # "head" | "theory-of" | "acronym" | "acronym-use"


def slug(label: str) -> str:
    """The id a label gets: lower case, words joined by hyphens, accents kept."""
    return re.sub(r"[^\w]+", "-", label.casefold()).strip("-")


def _normal(words: list[str], sentence_initial: bool) -> str:
    """The label: a heading's Title Case or a sentence's first capital undone; acronyms
    and capitalised words inside prose (`Chicago school`) keep their capitals."""
    titled = all(w[:1].isupper() for w in words if w.casefold() not in CONNECTORS)
    out = []
    for index, word in enumerate(words):
        acronym = word.isupper() and len(word) > 1
        if not acronym and (titled or (index == 0 and sentence_initial)):
            word = word.lower()
        out.append(word)
    return " ".join(out)


def _stop(word: str) -> bool:
    lower = word.casefold()
    return (
        lower in STOP_WORDS
        or lower.endswith(("'s", "’s", "s'"))
        or not any(c.isalpha() for c in word)
        or (lower.endswith("ly") and len(lower) > 4)
    )


def _tokens(text: str) -> list[re.Match[str]]:
    return list(TOKEN.finditer(text))


def _head_shape(sentence: str, blocked: list[tuple[int, int]]) -> list[Candidate]:
    found = []
    for match in HEAD.finditer(sentence):
        head, minimum = HEADS[match.group(1).casefold()]
        before = _tokens(sentence[: match.start()])
        words: list[re.Match[str]] = []
        if before and before[-1].group(0)[:1] in '"“':
            words = [before[-1]]  # `The "security from below" approach`
        else:
            for token in reversed(before):
                word = token.group(0)
                if _stop(word) or len(words) == 3:
                    break
                if not words and word.casefold().endswith("ed"):
                    break  # `an established model`, `an evidence-based approach`
                words.insert(0, token)
        quoted = bool(words) and words[0].group(0)[:1] in '"“'
        if not quoted and (
            len(words) < minimum
            or (len(words) == 1 and words[0].group(0).casefold() in GENERIC_ALONE)
        ):
            continue
        start = words[0].start() if words else match.start()
        if any(a < match.end() and start < b for a, b in blocked):
            continue
        names = [w.group(0).strip('"“”') for w in words]
        sentence_initial = not sentence[:start].strip()
        label = _normal(
            [*names, head if match.group(1).islower() else head.title()], sentence_initial
        )
        found.append(
            Candidate(slug(label), label, sentence[start : match.end()], start, match.end(), "head")
        )
    return found


def _theory_of_shape(sentence: str, blocked: list[tuple[int, int]]) -> list[Candidate]:
    found = []
    for match in THEORY_OF.finditer(sentence):
        words: list[re.Match[str]] = []
        for token in _tokens(sentence[match.end() :]):
            word = token.group(0)
            if word.casefold() in ENDS_OF or not any(c.isalpha() for c in word) or len(words) == 3:
                break
            if words and words[0].group(0)[:1].isupper() and not word[:1].isupper():
                break  # a name in capitals ends with them: `Theory of Reasoned Action predicted`
            words.append(token)
        if not words or all(w.group(0).casefold() in GENERIC_OF for w in words):
            continue  # `the theory of crime prevention`, `a theory of criminal behaviour`
        end = match.end() + words[-1].end()
        start = match.start()
        if any(a < end and start < b for a, b in blocked):
            continue
        head = match.group(1)
        head = head[:5] + "y" if head.casefold().startswith("theor") else head  # theories
        names = [head, "of", *(w.group(0) for w in words)]
        label = _normal(names, not sentence[:start].strip())
        found.append(Candidate(slug(label), label, sentence[start:end], start, end, "theory-of"))
    return found


def _initials(word: str) -> str:
    return "".join(part[0] for part in re.split(r"[-‐]", word) if part)


def expand(before: str, acronym: str) -> str | None:
    """The long form an acronym spells from the words just before it, or None:
    `crime prevention through environmental design` for CPTED."""
    letters = [c for c in acronym if c.isupper() or c.isdigit()]
    words = re.findall(r"[\w'’-]+|&", before)
    needed = len(letters)
    index = len(words)
    while needed and index:
        index -= 1
        word = words[index]
        initial = word[0].upper()
        if word.casefold() in CONNECTORS:
            if initial == letters[needed - 1] and needed > 1:
                needed -= 1
            continue
        parts = _initials(word).upper()
        if needed >= len(parts) and "".join(letters[needed - len(parts) : needed]) == parts:
            needed -= len(parts)
        elif initial == letters[needed - 1]:
            needed -= 1
        else:
            return None
    if needed:
        return None
    long_form = words[index:]
    if long_form[0].casefold() in CONNECTORS:
        return None
    return " ".join(long_form)


@dataclass
class Discovery:
    """One document's discovery: remembers the acronyms it introduced, so that a later
    bare `MAUP` is the concept introduced as `modifiable areal unit problem (MAUP)`."""

    acronyms: dict[str, tuple[str, str]] = field(default_factory=dict)  # -> (id, label)

    def introduce(self, acronym: str, concept_id: str, label: str) -> None:
        self.acronyms.setdefault(acronym, (concept_id, label))

    def acronym_shape(self, sentence: str, blocked: list[tuple[int, int]]) -> list[Candidate]:
        found = []
        for match in ACRONYM.finditer(sentence):
            acronym = match.group(1)
            if sum(c.isupper() for c in acronym) < 2 or acronym in self.acronyms:
                continue
            before = sentence[: match.start()]
            long_form = expand(before, acronym)
            if long_form is None:  # `risk-need-responsivity model (RNR)`: the head unspelled
                head = re.search(r"\s+(\w+)\s*$", before)
                if head and head.group(1).casefold() in CONCEPT_ENDS:
                    spelled = expand(before[: head.start()], acronym)
                    long_form = f"{spelled} {head.group(1)}" if spelled else None
            if long_form is None:
                continue
            words = long_form.split()
            if words[-1].casefold() not in CONCEPT_ENDS or any(
                w.casefold() in ORGANISATION_WORDS for w in words
            ):
                continue
            start = sentence.rindex(words[0], 0, match.start())
            if any(a < match.start() and start < b for a, b in blocked):
                continue  # a scheme concept spelled out: the scheme's own labels link it
            label = _normal(words, not sentence[:start].strip())
            self.introduce(acronym, slug(label), label)
            found.append(Candidate(slug(label), label, long_form, start, match.end(), "acronym"))
        return found

    def acronym_uses(self, sentence: str, blocked: list[tuple[int, int]]) -> list[Candidate]:
        found = []
        for acronym, (concept_id, label) in self.acronyms.items():
            for match in re.finditer(rf"(?<![\w(]){re.escape(acronym)}(?![\w)])", sentence):
                if not any(a < match.end() and match.start() < b for a, b in blocked):
                    found.append(
                        Candidate(
                            concept_id, label, acronym, match.start(), match.end(), "acronym-use"
                        )
                    )
        return found

    def find(self, sentence: str, blocked: list[tuple[int, int]]) -> list[Candidate]:
        """Candidates in a sentence, none overlapping `blocked` (scheme mentions,
        citations) or one another (longest first), in order of appearance."""
        taken = list(blocked)
        found: list[Candidate] = []
        for shape in (self.acronym_shape, _theory_of_shape, _head_shape, self.acronym_uses):
            for candidate in sorted(shape(sentence, taken), key=lambda c: c.start - c.end):
                if any(a < candidate.end and candidate.start < b for a, b in taken):
                    continue
                taken.append((candidate.start, candidate.end))
                found.append(candidate)
        return sorted(found, key=lambda c: c.start)
