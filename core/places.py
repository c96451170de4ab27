"""Which French département a short free text means: postcode, département number or name, commune.

Order of evidence: a 5-digit postcode, then a département number next to a cue word ("dans le 93",
"département 13", or the number alone), then département and commune names (accent-, case- and
hyphen-insensitive, "st"/"ste" for "saint"/"sainte", short names such as "Neuilly", longest match
first, homonyms resolved to the most populous commune, an overseas one needing OVERSEAS_HANDICAP times
more). A name that is also an ordinary word ("Tours", "Orange", "Sens", "Nice") needs more evidence:
a capital mid-sentence after a preposition or a verb of place ("le patron est à Sens", not "un forfait
Orange"), a verb of place before it ("je suis à tours …"), or a message that is nothing but the place
("Nice svp"). Which names are ordinary words is read from data/places/ordinary_names.txt, computed at
build time from the French spaCy model's vocabulary (scripts/build_places.py); spaCy itself is never
loaded here: its entity recogniser was measured to add nothing (scripts/places_eval.py).

Data: data/places/ (Etalab "Découpage administratif", Licence Ouverte 2.0; scripts/build_places.py).
Nothing is loaded at import time; `warm_up()` loads the tables and the list once.
"""

from __future__ import annotations

import csv
import gzip
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

PLACES_DIR = Path(__file__).resolve().parent.parent / "data" / "places"
DEPARTEMENTS_FILE = PLACES_DIR / "departements.tsv"
COMMUNES_FILE = PLACES_DIR / "communes.tsv.gz"
ORDINARY_NAMES_FILE = PLACES_DIR / "ordinary_names.txt"
MAX_CHARS = 400  # a place is named early; longer texts are cut
TOWN_POPULATION = 10_000  # without a capital, an ordinary word means a town only if it is this big
BIG = 10**9  # population given to département names and aliases: they beat any commune
# Between homonyms the most populous commune wins, but an overseas one must be this much larger: the
# assistant mostly serves metropolitan France, and "Saint-Denis" (974: 156k, 93: 149k) means the 93.
OVERSEAS_HANDICAP = 1.5


def _words(text: str) -> frozenset[str]:
    """A set of folded words written as one string."""
    return frozenset(text.split())


FREE, COMMON, STOP = "free", "common", "stop"  # evidence a name needs: none, some, a capital
LEVELS = frozenset({COMMON, STOP})  # the levels ordinary_names.txt may give
SAINTS = _words("saint sainte saints saintes")  # "Saint" alone names no commune: "Saint-Maur" does
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
ALIASES = {
    "marseilles": "13", "lyons": "69", "dunkirk": "59", "la defense": "92",
    "reunion island": "974", "french guiana": "973", "french guyana": "973",
}  # fmt: skip
# Words around a place in a message that is nothing but that place ("je suis à Tours svp").
LEAD_WORDS = _words(
    "je j suis habite habites vis vit viens travaille reste i im m am live living stay staying work "
    "working we are come from on est nous sommes moi me ici here now maintenant actuellement"
)
# "je suis à …", "I live in …": followed by a town, even one whose name is an ordinary word.
PLACE_VERBS = {
    "fr": _words(
        "suis habite habites vis vit travaille bosse reste dors vais va arrivee arrive emmenee emmene "
        "amenee amene"
    ),
    "en": _words("live living stay staying work working sleep am im m going moved"),
}
LOCATIVES = {"fr": _words("a vers"), "en": _words("in at near to")}  # not "work a lot"
PREPOSITIONS = _words("a au aux en in at near pres de du des d vers sur dans the le la les l cote around to")
TAIL_WORDS = _words("svp stp please pls plz france ville city centre center")
ARTICLES = _words("le la les l un une the")
CONTRACTED_ARTICLES = _words("au aux du des")
PLACE_PREPOSITIONS = _words("a au aux en in at near pres vers from to de du sur around")
# Words after which a capitalised ordinary word is a place: "à Sens", "Lyon et Tours", "j'habite Orange";
# after any other word it is rather a brand or a person: "un forfait Orange", "je m'appelle Marie".
CAPITAL_LEADS = (
    PREPOSITIONS
    | PLACE_PREPOSITIONS
    | _words("et ou and or entre between habite habites habitent habitons habitez quitte quitter left")
)
ENGLISH_PREPOSITIONS = _words("in at near to from on into")
AVOIR_SUBJECTS = _words("m t l s n il elle on qui y ca j")  # "on m'a viré": "a" is the verb, not "à"
# Cues before a département number; strong ones also allow a single digit ("département 9").
STRONG_CUES = _words("departement departements department dept dpt dep")
CUE_LINKS = _words("n no numero num du de le d")  # "département n° 9", "département du 93"
WEAK_CUES = (("dans", "le"), ("ds", "le"), ("du",), ("in", "the"), ("from", "the"))
NOT_A_PLACE_AFTER = _words(
    "an ans years year yo h heure heures hour hours min minutes mn jours jour days day mois month months "
    "fois times euro euros eur e k personnes people kg km m ml cm percent pourcent au a et janvier fevrier "
    "mars avril mai juin juillet aout septembre octobre novembre decembre january february march april "
    "may june july august september october november december"
)
MONEY_WORDS = _words("euro euros eur e k dollars")
MONEY_SIGNS = frozenset("€$£")
STREET_WORDS = _words(
    "rue avenue av bd boulevard place pl quai allee chemin impasse route porte gare metro station street "
    "road square"
)
_WORD = re.compile(r"[^\W_]+")


class Token(NamedTuple):
    """One word of a text: its folded form for matching and where it was in the original."""

    key: str
    raw: str
    start: int
    end: int


class Place(NamedTuple):
    """What a name points to: the département and the population that wins between homonyms."""

    code: str
    population: int
    name: str


class Tables(NamedTuple):
    """Name and postcode look-up tables, built once from data/places/."""

    names: dict[tuple[str, ...], Place]
    postcodes: dict[str, str]
    prefixes: dict[str, str]
    longest: int


class Match(NamedTuple):
    """A place name found in a text, from token `first` to token `last` (included)."""

    first: int
    last: int
    place: Place
    key: tuple[str, ...]


def fold(text: str) -> str:
    """Lower-case text without accents or ligatures."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("œ", "oe").replace("æ", "ae"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def tokenize(text: str) -> list[Token]:
    """Words and numbers of a text, folded, with "st"/"ste" spelled out."""
    tokens = []
    for found in _WORD.finditer(text):
        key = fold(found.group())
        tokens.append(Token(ABBREVIATIONS.get(key, key), found.group(), found.start(), found.end()))
    return tokens


def name_key(name: str) -> tuple[str, ...]:
    """The matching key of a place name: its folded words."""
    return tuple(token.key for token in tokenize(name))


# --- tables ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def departements() -> dict[str, str]:
    """Official names of the 101 départements by INSEE code ("01".."95", "2A", "2B", "971".."976")."""
    with DEPARTEMENTS_FILE.open(encoding="utf-8", newline="") as stream:
        rows = csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {row["code"]: row["name"] for row in rows}


def departement_name(code: str | None) -> str | None:
    """The official name of a département code, or None when the code is unknown."""
    return departements().get(code) if code else None


def _communes() -> Iterator[tuple[Place, list[str]]]:
    """Every commune (and municipal arrondissement) with its postcodes."""
    with gzip.open(COMMUNES_FILE, "rt", encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE):
            place = Place(row["departement"], int(row["population"]), row["name"])
            yield place, [code for code in row["postcodes"].split(",") if code]


def _weight(place: Place) -> float:
    """Population that decides between homonyms; overseas ones need OVERSEAS_HANDICAP times more."""
    return place.population / OVERSEAS_HANDICAP if len(place.code) == 3 else place.population


def _keep_larger(table: dict, key: object, place: Place, weight: Callable[[Place], float] = _weight) -> None:
    """Store the place under the key unless a weightier one is already there."""
    if key and (key not in table or weight(table[key]) < weight(place)):
        table[key] = place


def _article_variants(key: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """Other ways to write a name that starts with an article: "au Havre", "Havre" for "Le Havre"."""
    contracted = {"le": ("au", "du"), "les": ("aux", "des")}
    if len(key) > 1 and key[0] in ARTICLES:
        yield key[1:]
        for article in contracted.get(key[0], ()):
            yield (article, *key[1:])


def _short_name(key: tuple[str, ...], place: Place) -> tuple[str, ...] | None:
    """The start of a town's compound name, as people say it: "Neuilly", "Aix", "Saint-Maur"."""
    size = 2 if key[0] in SAINTS else 1
    if place.population < 2 * TOWN_POPULATION or len(key) <= size or len(key[0]) < 3:
        return None
    return key[:size] if key[0] not in ARTICLES else None


def _postcode_tables(communes: list[tuple[Place, list[str]]]) -> tuple[dict[str, str], dict[str, str]]:
    """Département per postcode (most populous commune wins) and per 3-digit prefix (most people)."""
    by_code: dict[str, Place] = {}
    weight: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for place, codes in communes:
        for code in codes:
            _keep_larger(by_code, code, place, weight=lambda place: place.population)
            weight[code[:3]][place.code] += place.population
    prefixes = {prefix: max(votes, key=votes.__getitem__) for prefix, votes in weight.items()}
    return {code: place.code for code, place in by_code.items()}, prefixes


def _name_table(communes: list[tuple[Place, list[str]]]) -> dict[tuple[str, ...], Place]:
    """Place per folded name: communes, short names (weightiest wins), article variants, départements."""
    names: dict[tuple[str, ...], Place] = {}
    variants: dict[tuple[str, ...], Place] = {}
    for place, _ in communes:
        key = name_key(place.name)
        _keep_larger(names, key, place)
        _keep_larger(names, _short_name(key, place), place)
        for variant in _article_variants(key):
            _keep_larger(variants, variant, place)
    for key, place in variants.items():
        names.setdefault(key, place)
    names.update({name_key(name): Place(code, BIG, name) for code, name in departements().items()})
    names.update({name_key(alias): Place(code, BIG, alias) for alias, code in ALIASES.items()})
    return names


@lru_cache(maxsize=1)
def tables() -> Tables:
    """The look-up tables, loaded once."""
    communes = list(_communes())
    postcodes, prefixes = _postcode_tables(communes)
    names = _name_table(communes)
    return Tables(names, postcodes, prefixes, max(len(key) for key in names))


# --- names that are ordinary words ---------------------------------------------------------------


@lru_cache(maxsize=1)
def _levels() -> dict[tuple[str, ...], str]:
    """The names that need evidence, with the level they need; every other name counts anywhere.

    Read from ORDINARY_NAMES_FILE: "folded words<TAB>level" lines, "#" lines are comments. The list is
    derived from spaCy fr_core_news_md's vocabulary by scripts/build_places.py, not here.
    """
    levels: dict[tuple[str, ...], str] = {}
    with ORDINARY_NAMES_FILE.open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip() and not line.startswith("#"):
                key, level = line.rstrip("\n").split("\t")
                if level not in LEVELS:
                    raise ValueError(f"{ORDINARY_NAMES_FILE.name}: unknown level {level!r} for {key!r}")
                levels[tuple(key.split())] = level
    return levels


def warm_up() -> None:
    """Load the tables and the list of ordinary names now rather than on the first call."""
    tables()
    _levels()


# --- postcodes and numbers ------------------------------------------------------------------------


def _is_money(text: str, tokens: list[Token], index: int) -> bool:
    """True when a number is an amount: a currency sign or word right before or after it."""
    token = tokens[index]
    around = text[max(0, token.start - 2) : token.end + 2]
    after = tokens[index + 1].key if index + 1 < len(tokens) else ""
    return any(sign in around for sign in MONEY_SIGNS) or after in MONEY_WORDS


def _postcode(text: str, tokens: list[Token]) -> str | None:
    """The département of the first 5-digit postcode in the text."""
    for index, token in enumerate(tokens):
        if len(token.key) == 5 and token.key.isdigit() and not _is_money(text, tokens, index):
            found = tables().postcodes.get(token.key) or tables().prefixes.get(token.key[:3])
            if found:
                return found
    return None


def _number_code(tokens: list[Token], index: int, strong: bool) -> tuple[str | None, int]:
    """The département code written at tokens[index] ("93", "2A", "974", "9-3") and its last token."""
    key = tokens[index].key
    if key.isdigit() and len(key) == 1 and index + 1 < len(tokens) and tokens[index + 1].key.isdigit():
        nxt = tokens[index + 1]
        if len(nxt.key) == 1 and tokens[index].end + 1 == nxt.start:  # "9-3", "9.3"
            return key + nxt.key, index + 1
    if key.isdigit() and len(key) == 1 and strong:
        return "0" + key, index
    if key.isdigit() and len(key) in {2, 3}:
        return key, index
    if key in {"2a", "2b"}:
        return key.upper(), index
    return None, index


def _has_cue(tokens: list[Token], index: int) -> tuple[bool, bool]:
    """Whether a département cue word comes right before tokens[index]: (any cue, a strong cue)."""
    before = tuple(token.key for token in tokens[max(0, index - 3) : index])
    strong = bool(before) and (
        before[-1] in STRONG_CUES
        or (len(before) > 1 and before[-2] in STRONG_CUES and before[-1] in CUE_LINKS)
    )
    weak = any(before[-len(cue) :] == cue for cue in WEAK_CUES)
    return strong or weak, strong


def _departement_number(tokens: list[Token]) -> str | None:
    """A département number with a cue word before it, or alone in the message."""
    for index in range(len(tokens)):
        cued, strong = _has_cue(tokens, index)
        code, last = _number_code(tokens, index, strong)
        if code is None or code not in departements():
            continue
        after = tokens[last + 1].key if last + 1 < len(tokens) else ""
        if (cued and after not in NOT_A_PLACE_AFTER) or _is_whole_message(tokens, index, last):
            return code
    return None


# --- names ----------------------------------------------------------------------------------------


def _matches(tokens: list[Token]) -> Iterator[Match]:
    """Known names in the text, left to right: the longest one starting at each word."""
    names, longest = tables().names, tables().longest
    for index in range(len(tokens)):
        for size in range(min(longest, len(tokens) - index), 0, -1):
            key = tuple(token.key for token in tokens[index : index + size])
            if key in names:
                yield Match(index, index + size - 1, names[key], key)
                break


def names_only(text: str) -> bool:
    """True when the text is nothing but place names ("Marseille", "Saint-Denis 93"): an answer to
    "where are you?", which says where the person is, not which language they write."""
    tokens = tokenize(text)
    covered: set[int] = set()
    for match in _matches(tokens):
        if match.key not in _levels():  # "Tours", "Orange": ordinary words too
            covered.update(range(match.first, match.last + 1))
    words = {index for index, token in enumerate(tokens) if not token.key.isdigit()}
    return bool(words) and words <= covered


def _is_street_or_station(tokens: list[Token], match: Match) -> bool:
    """True for "rue de Lyon", "gare du Nord", "porte de Clichy": a street or station, not the town."""
    before = [token.key for token in tokens[max(0, match.first - 2) : match.first]]
    if before and before[-1] in {"de", "du", "des", "d"}:
        before = before[:-1]
    return bool(before) and before[-1] in STREET_WORDS


def _is_verb_avoir(lead: list[str]) -> bool:
    """True when the last lead word "a" is the verb ("on m'a", "il a"), not "à" typed without accent."""
    return len(lead) > 1 and lead[-1] == "a" and lead[-2] in AVOIR_SUBJECTS


def _is_english_article(lead: list[str]) -> bool:
    """True when the last lead word is the English article: "in a bar"."""
    return len(lead) > 1 and lead[-1] in {"a", "an"} and lead[-2] in ENGLISH_PREPOSITIONS


def _is_whole_message(tokens: list[Token], first: int, last: int) -> bool:
    """True when the message is nothing but the place: "Tours", "à Tours svp", "I live in Tours"."""
    lead = [token.key for token in tokens[:first]]
    tail = [token.key for token in tokens[last + 1 :]]
    if not all(word in TAIL_WORDS for word in tail):
        return False
    if not all(word in LEAD_WORDS or word in PREPOSITIONS for word in lead):
        return False
    if _is_verb_avoir(lead) or _is_english_article(lead):
        return False
    verbs = [word for word in lead if word in LEAD_WORDS]
    return not verbs or lead[-1] in PREPOSITIONS  # "je suis à Nice", never "je suis nice"


def _is_capitalised(tokens: list[Token], match: Match) -> bool:
    """True for "Tours" or "au Port"; not for "tours", nor in a text in capitals or Title Case."""
    words = tokens[match.first : match.last + 1]
    raw = next((t.raw for t in words if t.key not in ARTICLES | CONTRACTED_ARTICLES), words[0].raw)
    if not raw[:1].isupper() or (raw.isupper() and len(raw) > 1):
        return False
    capitals = sum(token.raw[:1].isupper() for token in tokens if token.raw[:1].isalpha())
    return len(tokens) < 4 or capitals <= len(tokens) / 2


def _is_mid_sentence(text: str, tokens: list[Token], match: Match) -> bool:
    """True when a word or a comma comes right before the match, not a full stop, a colon or a bullet."""
    before = text[: tokens[match.first].start].rstrip()
    return bool(before) and (before[-1].isalnum() or before[-1] in ",;'’\"«(")


def _is_acronym(tokens: list[Token], match: Match) -> bool:
    """True for a short word in capitals: "SOS" is not the village of Sos."""
    raw = tokens[match.first].raw
    return match.first == match.last and raw.isupper() and len(raw) <= 3


def _follows_article(tokens: list[Token], match: Match) -> bool:
    """True for "le port", "au port", "a bar": an ordinary noun, when the commune takes no article."""
    if match.first == 0 or match.place.population >= BIG or name_key(match.place.name)[0] in ARTICLES:
        return False
    lead = [token.key for token in tokens[: match.first]]
    return lead[-1] in ARTICLES | CONTRACTED_ARTICLES or _is_english_article(lead)


def _has_departement_cue(tokens: list[Token], match: Match) -> bool:
    """True for "département du Nord", "the Nord department": a département name next to the word."""
    if match.place.population < BIG:
        return False
    before = [token.key for token in tokens[max(0, match.first - 3) : match.first]]
    after = tokens[match.last + 1].key if match.last + 1 < len(tokens) else ""
    return after in STRONG_CUES or any(word in STRONG_CUES for word in before)


def _after_place_verb(tokens: list[Token], match: Match) -> bool:
    """True for "je suis a tours depuis lundi", "I live in nice with them": a verb of place, then "à"/"in"."""
    before = tuple(token.key for token in tokens[max(0, match.first - 2) : match.first])
    return len(before) == 2 and any(
        before[0] in PLACE_VERBS[language] and before[1] in LOCATIVES[language] for language in PLACE_VERBS
    )


def _after_capital_lead(tokens: list[Token], match: Match) -> bool:
    """True when the word before a capitalised name introduces a place: "à Sens", not "forfait Orange"."""
    return match.first > 0 and tokens[match.first - 1].key in CAPITAL_LEADS


Acceptance = Callable[[str, list[Token], Match, str], bool]  # text, its tokens, a gated match, its level


def _accepted(text: str, tokens: list[Token], match: Match, level: str) -> bool:
    """Whether a gated name has the evidence its level asks for."""
    if _is_acronym(tokens, match) or _follows_article(tokens, match):
        return False
    if _has_departement_cue(tokens, match):
        return True
    if (
        _is_capitalised(tokens, match)
        and _is_mid_sentence(text, tokens, match)
        and _after_capital_lead(tokens, match)
    ):
        return True
    if level != COMMON or match.place.population < TOWN_POPULATION:  # not "Place" (Placé, 359)
        return False
    return _after_place_verb(tokens, match) or _is_whole_message(tokens, match.first, match.last)


def _named_place(text: str, tokens: list[Token], use_spacy: bool, accept: Acceptance) -> str | None:
    """The département of the longest (then first) name in the text that has the evidence it needs."""
    levels = _levels() if use_spacy else {}
    for match in sorted(_matches(tokens), key=lambda m: (m.first - m.last, m.first)):
        if _is_street_or_station(tokens, match):
            continue
        level = levels.get(match.key, FREE)
        if level == FREE or accept(text, tokens, match, level):
            return match.place.code
    return None


def _find_departement(text: str, use_spacy: bool = True, accept: Acceptance = _accepted) -> str | None:
    """find_departement with switches, for scripts/places_eval.py.

    use_spacy=False ignores the spaCy-derived list of ordinary names (shipped, spaCy is not loaded): every
    known name counts, a plain table look-up. `accept` decides whether a gated name has enough evidence.
    """
    text = text[:MAX_CHARS]
    tokens = tokenize(text)
    return (
        _postcode(text, tokens)
        or _departement_number(tokens)
        or _named_place(text, tokens, use_spacy, accept)
    )


def find_departement(text: str) -> str | None:
    """The INSEE code of the département a short free text names ("13", "2A", "974"), or None."""
    return _find_departement(text) if text and text.strip() else None
