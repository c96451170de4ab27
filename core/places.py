"""Which French département a short free text means: postcode, département number or name, commune.

Order of evidence: a 5-digit postcode, then a département number next to a cue word ("dans le 93",
"département 13", or the number alone), then département and commune names (accent-, case- and
hyphen-insensitive, "st"/"ste" for "saint"/"sainte", longest match first, homonyms resolved to the most
populous commune). A name that is also an ordinary word ("Tours", "Orange", "Sens", "Nice") only counts
with more evidence: spaCy tags it as a place, it is capitalised mid-sentence, or the message is nothing
but that place ("à Tours", "Nice svp"). Which names are ordinary words is read from the vocabulary of the
French spaCy model; see `_Vocabulary`.

Data: data/places/ (Etalab "Découpage administratif", Licence Ouverte 2.0; scripts/build_places.py).
Nothing is loaded at import time; `warm_up()` loads everything once.
"""

from __future__ import annotations

import csv
import gzip
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

PLACES_DIR = Path(__file__).resolve().parent.parent / "data" / "places"
DEPARTEMENTS_FILE = PLACES_DIR / "departements.tsv"
COMMUNES_FILE = PLACES_DIR / "communes.tsv.gz"
SPACY_MODEL = "fr_core_news_md"
# The NER component embeds its own tok2vec; the shared tok2vec only feeds the tagger and the parser.
UNUSED_COMPONENTS = ("tok2vec", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer")
MAX_CHARS = 400  # a place is named early; longer texts are cut (bounds the NER cost)
TOWN_POPULATION = 10_000  # without a capital, an ordinary word means a town only if it is this big
BIG = 10**9  # population given to département names and aliases: they beat any commune
# Between homonyms the most populous commune wins, but an overseas one must be this much larger: the
# assistant mostly serves metropolitan France, and "Saint-Denis" (974: 156k, 93: 149k) means the 93.
OVERSEAS_HANDICAP = 1.5


def _words(text: str) -> frozenset[str]:
    """A set of folded words written as one string."""
    return frozenset(text.split())


FREE, COMMON, STOP = "free", "common", "stop"  # evidence a name needs: none, some, spaCy or a capital
PLACE_LABELS = frozenset({"LOC", "GPE"})
# A small commune whose name is very frequent in the corpus is mostly something else (a first name,
# a region, a foreign city): gated when population x capitalised frequency rank is below this.
RARE_PLACE_SCORE = 5 * 10**7
SAINTS = _words("saint sainte saints saintes")  # "Saint" alone names no commune: "Saint-Maur" does
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
ALIASES = {
    "marseilles": "13", "lyons": "69", "dunkirk": "59", "la defense": "92",
    "reunion island": "974", "french guiana": "973", "french guyana": "973",
}  # fmt: skip
# Commune names that are ordinary words the French vocabulary rule misses: English words (checked against
# English word frequencies when this list was written) and a few French ones.
ORDINARY_WORDS = _words(
    "ally apt arrest bar betting bias brain brains bully bun bury busy bust by canals cast chilly clam "
    "condom corn crest cry cult cuts cutting die dole dry dung essay felon flee fussy gap gas goes goin "
    "gray ham hem hinges his hours hunting iron island isle lay lure lux mane many mercury mercy nay "
    "nice noisy novel orange organ our pace pact peas pissy plus poet prey roe sale sales sand sedan sees "
    "sore sos stains staple still taller target tart this thou totes vans wail grenade riez melle"
)
# Words around a place in a message that is nothing but that place ("je suis à Tours svp").
LEAD_WORDS = _words(
    "je j suis habite habites vis vit viens travaille reste i im m am live living stay staying work "
    "working we are come from on est nous sommes moi me ici here now maintenant actuellement"
)
# "je suis à …", "I live in …": followed by a town, even one whose name is an ordinary word.
PLACE_VERBS = _words(
    "suis habite habites vis vit travaille bosse reste dors vais va arrivee arrive emmenee emmene amenee "
    "amene live living stay staying work working sleep am im m going moved"
)
LOCATIVES = _words("a in at near vers to")
PREPOSITIONS = _words("a au aux en in at near pres de du des d vers sur dans the le la les l cote around to")
TAIL_WORDS = _words("svp stp please pls plz france ville city centre center")
ARTICLES = _words("le la les l un une the")
CONTRACTED_ARTICLES = _words("au aux du des")
PLACE_PREPOSITIONS = _words("a au aux en in at near pres vers from to de du sur around")
ENGLISH_PREPOSITIONS = _words("in at near to from on into")
INTERJECTIONS = _words("sos ok help")  # a village of that name only counts with a capital or spaCy
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
    """Place per folded name: communes and their short names (the most populous wins), article variants
    where no commune has the name, then départements and aliases on top."""
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


# --- spaCy ----------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _nlp() -> Language:
    """The French pipeline with only its entity recogniser, loaded once."""
    import spacy

    return spacy.load(SPACY_MODEL, exclude=list(UNUSED_COMPONENTS))


class _Vocabulary:
    """Tells ordinary words from place names with the French model's own word lists.

    Two sources: the lemmatizer's tables (the French word forms it knows) and the order of the vectors
    table, which lists its 500k keys by corpus frequency and keeps case. A name word is ordinary when the
    lemmatizer knows it and its lower-case form is not much rarer than the capitalised one (a town is
    mostly written with a capital; "tours", "sens", "orange" mostly are not), when it is unknown to the
    lemmatizer but more frequent in lower case ("dun" typed for "d'un"), or when ORDINARY_WORDS lists it
    (English words the French corpus cannot tell).
    """

    def __init__(self, nlp: Language, words: Iterable[str]) -> None:
        from spacy.lang.fr.stop_words import STOP_WORDS
        from spacy.lookups import Lookups

        self.stop_words = STOP_WORDS
        self.common_rows = nlp.vocab.vectors.shape[0]
        self.ranks = self._ranks(nlp, words)
        lookups = Lookups().from_disk(Path(nlp.path) / "lemmatizer" / "lookups")
        self.forms = lookups.get_table("lemma_lookup")  # keyed by string hash: test with `in`
        self.lemmas = {pos: set(lemmas) for pos, lemmas in lookups.get_table("lemma_index").items()}
        self.exceptions = {pos: set(forms) for pos, forms in lookups.get_table("lemma_exc").items()}
        self.rules = dict(lookups.get_table("lemma_rules").items())

    @staticmethod
    def _ranks(nlp: Language, words: Iterable[str]) -> dict[int, int]:
        """Frequency rank of the given words, in lower case and capitalised, when the vectors know them."""
        strings = nlp.vocab.strings
        wanted = {strings.add(form) for word in words for form in (word, word[:1].upper() + word[1:])}
        return {key: rank for rank, key in enumerate(nlp.vocab.vectors.key2row) if key in wanted}

    def rank(self, word: str) -> int | None:
        """Corpus frequency rank of an exact spelling (0 is the most frequent), None when unknown."""
        from spacy.strings import hash_string

        return self.ranks.get(hash_string(word))

    def in_dictionary(self, word: str) -> bool:
        """True when the lemmatizer knows the word, as a form, an exception or a rule-derived form."""
        if word in self.forms or any(word in forms for forms in self.exceptions.values()):
            return True
        for pos, rules in self.rules.items():
            stems = (word[: len(word) - len(old)] + new for old, new in rules if word.endswith(old))
            if any(stem in self.lemmas.get(pos, ()) for stem in stems):
                return True
        return False

    def capital_rank(self, words: Iterable[str]) -> int | None:
        """The best frequency rank of the capitalised forms of the words."""
        ranks = (self.rank(word[:1].upper() + word[1:]) for word in words)
        return min((rank for rank in ranks if rank is not None), default=None)

    def is_ordinary(self, word: str, capital: int | None) -> bool:
        """True when a lower-case word is used more as an ordinary word than the name (capital rank) is."""
        low = self.rank(word)
        if word in ORDINARY_WORDS:
            return True
        if low is None:
            return False
        if self.in_dictionary(word):
            return capital is None or low <= (3 if low < self.common_rows else 1) * capital
        return low < self.common_rows if capital is None else low <= 1.5 * capital

    def is_rare_place(self, spellings: Iterable[str], population: int) -> bool:
        """True when a small commune's name is far more frequent than its population explains."""
        capital = self.capital_rank(spellings)
        return capital is not None and capital * population < RARE_PLACE_SCORE


def _spellings(names: dict[tuple[str, ...], Place]) -> dict[str, set[str]]:
    """The official lower-case spellings (with accents) of each folded word of the names."""
    spellings: dict[str, set[str]] = defaultdict(set)
    for key, place in names.items():
        raw_words = [token.raw.lower() for token in tokenize(place.name)]
        if len(raw_words) == len(key):
            for word, raw in zip(key, raw_words, strict=True):
                spellings[word].add(raw)
    return spellings


def _is_ordinary(word: str, vocabulary: _Vocabulary, spellings: dict[str, set[str]]) -> bool:
    """True when a folded name word is an ordinary word, spelled officially or without accents: "vitre"
    is a word (Vitré is rare), "goes" too (Goès), "nimes" is only Nîmes typed lazily."""
    forms = spellings.get(word, set()) | {word}
    capital = vocabulary.capital_rank(forms)
    return any(vocabulary.is_ordinary(form, capital) for form in forms)


def _level(
    key: tuple[str, ...], place: Place, ordinary: set[str], vocabulary: _Vocabulary, spellings: dict
) -> str:
    """How much evidence a name needs before it counts as a place."""
    if len(key) == 1 and key[0] in INTERJECTIONS:
        return STOP
    content = [word for word in key if word not in vocabulary.stop_words and len(word) > 1]
    if not content:
        return STOP if len(key) == 1 else COMMON
    if len(content) == 1 and content[0] in ordinary:  # "Tours", "Le Port", not "Saint-Pierre"
        return COMMON
    if len(key) == 1 and vocabulary.is_rare_place(spellings.get(key[0], key), place.population):
        return COMMON
    return FREE


@lru_cache(maxsize=1)
def _levels() -> dict[tuple[str, ...], str]:
    """The names that need evidence, with the level they need; every other name counts anywhere."""
    names = tables().names
    spellings = _spellings(names)
    words = {word for key in names for word in key}
    vocabulary = _Vocabulary(_nlp(), words.union(*spellings.values()))
    ordinary = {word for word in words if _is_ordinary(word, vocabulary, spellings)}
    levels = {key: _level(key, place, ordinary, vocabulary, spellings) for key, place in names.items()}
    return {key: level for key, level in levels.items() if level != FREE}


def warm_up() -> None:
    """Load the tables, the spaCy pipeline and the word levels now rather than on the first call."""
    tables()
    _levels()
    _nlp()("warm up")


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
    """True for "Tours" or "au Port", not for "tours" nor for "TOURS" (capitals everywhere say nothing)."""
    words = tokens[match.first : match.last + 1]
    raw = next((t.raw for t in words if t.key not in ARTICLES | CONTRACTED_ARTICLES), words[0].raw)
    return raw[:1].isupper() and not (raw.isupper() and len(raw) > 1)


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


def _entity_labels(doc: Doc | None, tokens: list[Token], match: Match) -> set[str]:
    """Labels of the spaCy entities that overlap the match."""
    if doc is None:
        return set()
    start, end = tokens[match.first].start, tokens[match.last].end
    return {ent.label_ for ent in doc.ents if ent.start_char < end and start < ent.end_char}


def _has_departement_cue(tokens: list[Token], match: Match) -> bool:
    """True for "département du Nord", "the Nord department": a département name next to the word."""
    if match.place.population < BIG:
        return False
    before = [token.key for token in tokens[max(0, match.first - 3) : match.first]]
    after = tokens[match.last + 1].key if match.last + 1 < len(tokens) else ""
    return after in STRONG_CUES or any(word in STRONG_CUES for word in before)


def _after_place_verb(tokens: list[Token], match: Match) -> bool:
    """True for "je suis a tours depuis lundi", "I live in nice with them": a verb of place, then "à"/"in"."""
    before = [token.key for token in tokens[max(0, match.first - 2) : match.first]]
    return len(before) == 2 and before[0] in PLACE_VERBS and before[1] in LOCATIVES


def _accepted(text: str, tokens: list[Token], match: Match, level: str, doc: Doc | None) -> bool:
    """Whether a gated name has the evidence its level asks for."""
    if _is_acronym(tokens, match) or _follows_article(tokens, match):
        return False
    if _has_departement_cue(tokens, match):
        return True
    labels = _entity_labels(doc, tokens, match)
    if labels & PLACE_LABELS and match.first > 0 and tokens[match.first - 1].key in PLACE_PREPOSITIONS:
        return True  # alone, spaCy also tags "c'est nice" or "Grasse matinée" as places
    if "PER" in labels:
        return False
    if _is_capitalised(tokens, match) and _is_mid_sentence(text, tokens, match) and "ORG" not in labels:
        return True
    if level != COMMON or match.place.population < TOWN_POPULATION:  # not "Place" (Placé, 359)
        return False
    return _after_place_verb(tokens, match) or _is_whole_message(tokens, match.first, match.last)


def _named_place(text: str, tokens: list[Token], use_spacy: bool, use_ner: bool) -> str | None:
    """The département of the longest (then first) name in the text that has the evidence it needs."""
    levels = _levels() if use_spacy else {}
    doc = None
    for match in sorted(_matches(tokens), key=lambda m: (m.first - m.last, m.first)):
        if _is_street_or_station(tokens, match):
            continue
        level = levels.get(match.key, FREE)
        if level == FREE:
            return match.place.code
        if doc is None and use_ner:
            doc = _nlp()(text)
        if _accepted(text, tokens, match, level, doc):
            return match.place.code
    return None


def _find_departement(text: str, use_spacy: bool = True, use_ner: bool = True) -> str | None:
    """find_departement with switches: without spaCy every known name counts (plain table look-up)."""
    text = text[:MAX_CHARS]
    tokens = tokenize(text)
    return (
        _postcode(text, tokens)
        or _departement_number(tokens)
        or _named_place(text, tokens, use_spacy, use_spacy and use_ner)
    )


def find_departement(text: str) -> str | None:
    """The INSEE code of the département a short free text names ("13", "2A", "974"), or None."""
    return _find_departement(text) if text and text.strip() else None
