"""Regenerate data/places/ (départements, communes, ordinary names) from Etalab's data and spaCy.

Source: the npm package @etalab/decoupage-administratif (INSEE Code officiel géographique, INSEE legal
populations, La Poste postcodes), data under Licence Ouverte 2.0. The tarball is fetched from the npm
registry with urllib and checked against the registry's sha512 integrity pinned below, so a run is
reproducible and needs neither node nor npm.

Usage:  .venv/bin/python scripts/build_places.py [--version 6.0.0 --integrity sha512-...]
        .venv/bin/python scripts/build_places.py --ordinary-names-only   # no network: only step 2

Writes (only metropolitan France and the five overseas départements; the overseas collectivities
975, 977, 978, 984, 986-989 are not départements and are left out):
  data/places/departements.tsv   code<TAB>name, 101 rows, header line
  data/places/communes.tsv.gz    name<TAB>departement<TAB>population<TAB>postcodes (comma-separated),
                                 one row per current commune plus the municipal arrondissements of
                                 Paris, Lyon and Marseille; header line; gzip with a fixed timestamp
  data/places/ordinary_names.txt step 2: the name keys of core.places' tables that are ordinary words
                                 ("tours", "nice", "sens") and the evidence level each needs,
                                 "folded words<TAB>common|stop", sorted, "#" header lines

Step 2 loads the installed spaCy model fr_core_news_md (its lemmatizer tables, the frequency order of
its vectors and spaCy's French stop words) and needs no network; core/places.py reads only its output
and never loads spaCy. The output of both steps is byte-for-byte reproducible.

Not run in CI: the generated files are committed. Run it when a new yearly package is published (or
after changing the word lists below or the tables in core/places.py), then update the version in
data/places/README.md and run tests/unit/test_places.py.
"""

from __future__ import annotations

import argparse
import base64
import csv
import gzip
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import places  # loads nothing at import time
from core.places import COMMON, FREE, STOP, Place

if TYPE_CHECKING:
    from spacy.language import Language

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "data" / "places"
PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
INTEGRITY = "sha512-XavYsFlbcM/prKr8hNHPKER94IHw/dsxNM4nxjWMYk6PLFACpEedvn/7wK8Baozm0dCYhWWcf+7bcWpA5pmCaQ=="
ZONES = {"metro", "drom"}
COMMUNE_TYPES = {"commune-actuelle", "arrondissement-municipal"}

# --- step 2: ordinary names, from spaCy's French vocabulary
SPACY_MODEL = "fr_core_news_md"
# Only the vocabulary (strings, vectors) and the lemmatizer's lookup files on disk are read.
PIPELINE = ("tok2vec", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer", "ner")
# A small commune whose name is very frequent in the corpus is mostly something else (a first name,
# a region, a foreign city): gated when population x capitalised frequency rank is below this.
RARE_PLACE_SCORE = 5 * 10**7
# Commune names that are ordinary words the French vocabulary rule misses: English words (checked against
# English word frequencies when this list was written) and a few French ones.
ORDINARY_WORDS = places._words(
    "ally apt arrest bar betting bias brain brains bully bun bury busy bust by canals cast chilly clam "
    "condom corn crest cry cult cuts cutting die dole dry dung essay felon flee fussy gap gas goes goin "
    "gray ham hem hinges his hours hunting iron island isle lay lure lux mane many mercury mercy nay "
    "nice noisy novel orange organ our pace pact peas pissy plus poet prey roe sale sales sand sedan sees "
    "sore sos stains staple still taller target tart this thou totes vans wail grenade riez melle"
)
INTERJECTIONS = places._words("sos ok help")  # a village of that name only counts with a capital
ORDINARY_NAMES_HEADER = """\
# Names in core/places.py's tables (communes, short names, départements) that are also ordinary words,
# with the evidence each needs before it counts as a place (see _accepted in core/places.py): "common"
# (e.g. a capital after "à", a verb of place, a message that is only the place) or "stop" (only a capital
# after "à"). Any name not listed counts anywhere. Format: folded words<TAB>level, sorted.
# Generated from spaCy {model}'s vocabulary (lemmatizer tables, frequency order of the vectors,
# French stop words; spaCy {spacy}) and the word lists in scripts/build_places.py, by
# `.venv/bin/python scripts/build_places.py --ordinary-names-only`. Do not edit by hand.
"""


def tarball_url(version: str) -> str:
    """The npm registry address of the package's tarball."""
    return f"https://registry.npmjs.org/{PACKAGE}/-/decoupage-administratif-{version}.tgz"


def download(version: str, integrity: str) -> bytes:
    """Fetch the tarball and check it against the registry's sha512 integrity string."""
    with urllib.request.urlopen(tarball_url(version), timeout=120) as response:
        payload = response.read()
    algorithm, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, payload).digest()).decode()
    if digest != expected:
        raise SystemExit(f"integrity mismatch for {PACKAGE}@{version}: got {algorithm}-{digest}")
    return payload


def read_json(archive: bytes, name: str) -> list[dict]:
    """Load one of the package's data/*.json files from the tarball."""
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        member = tar.extractfile(f"package/data/{name}")
        if member is None:
            raise SystemExit(f"package/data/{name} missing from the tarball")
        return json.load(member)


def departement_rows(departements: list[dict]) -> list[tuple[str, str]]:
    """(code, official name) of metropolitan and overseas départements, in code order."""
    return sorted((d["code"], d["nom"]) for d in departements if d["zone"] in ZONES)


def commune_rows(communes: list[dict], codes: set[str]) -> list[tuple[str, str, str, str]]:
    """(name, département, population, postcodes) of current communes and municipal arrondissements."""
    kept = [c for c in communes if c["type"] in COMMUNE_TYPES and c.get("departement") in codes]
    kept.sort(key=lambda c: c["code"])
    return [
        (c["nom"], c["departement"], str(c.get("population", 0)), ",".join(sorted(c.get("codesPostaux", []))))
        for c in kept
    ]


def write_tsv(stream: io.TextIOBase, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """Write a tab-separated table with Unix line ends and no quoting."""
    writer = csv.writer(stream, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE)
    writer.writerow(header)
    writer.writerows(rows)


def write_outputs(departements: list[tuple[str, str]], communes: list[tuple[str, ...]]) -> None:
    """Write departements.tsv and a byte-reproducible communes.tsv.gz into data/places/."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with (OUT_DIR / "departements.tsv").open("w", encoding="utf-8", newline="") as stream:
        write_tsv(stream, ("code", "name"), departements)
    buffer = io.StringIO()
    write_tsv(buffer, ("name", "departement", "population", "postcodes"), communes)
    with (
        (OUT_DIR / "communes.tsv.gz").open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as packed,
    ):
        packed.write(buffer.getvalue().encode("utf-8"))


class Vocabulary:
    """Tells ordinary words from place names with the French model's own word lists."""

    # Two sources: the lemmatizer's tables (the French word forms it knows) and the order of the vectors
    # table, which lists its 500k keys by corpus frequency and keeps case. A name word is ordinary when
    # the lemmatizer knows it and its lower-case form is not much rarer than the capitalised one (a town
    # is mostly written with a capital; "tours", "sens", "orange" mostly are not), when it is unknown to
    # the lemmatizer but more frequent in lower case ("dun" typed for "d'un"), or when ORDINARY_WORDS
    # lists it (English words the French corpus cannot tell).

    def __init__(self, nlp: Language, words: Iterable[str]) -> None:
        """Read the lemmatizer's tables and the frequency ranks of the given words."""
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


def spellings_of(names: dict[tuple[str, ...], Place]) -> dict[str, set[str]]:
    """The official lower-case spellings (with accents) of each folded word of the names."""
    spellings: dict[str, set[str]] = defaultdict(set)
    for key, place in names.items():
        raw_words = [token.raw.lower() for token in places.tokenize(place.name)]
        if len(raw_words) == len(key):
            for word, raw in zip(key, raw_words, strict=True):
                spellings[word].add(raw)
    return spellings


def is_ordinary(word: str, vocabulary: Vocabulary, spellings: dict[str, set[str]]) -> bool:
    """True for a name word ordinary as spelled or unaccented: "vitre" (Vitré), "goes", not "nimes"."""
    forms = spellings.get(word, set()) | {word}
    capital = vocabulary.capital_rank(forms)
    return any(vocabulary.is_ordinary(form, capital) for form in forms)


def level(
    key: tuple[str, ...], place: Place, ordinary: set[str], vocabulary: Vocabulary, spellings: dict
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


def load_vocabulary_model() -> Language:
    """fr_core_news_md without its pipeline components: its vocabulary and files are all step 2 reads."""
    import spacy

    return spacy.load(SPACY_MODEL, exclude=list(PIPELINE))


def ordinary_name_levels(names: dict[tuple[str, ...], Place], nlp: Language) -> dict[tuple[str, ...], str]:
    """The names that need evidence, with the level they need; every other name counts anywhere."""
    spellings = spellings_of(names)
    words = {word for key in names for word in key}
    vocabulary = Vocabulary(nlp, words.union(*spellings.values()))
    ordinary = {word for word in words if is_ordinary(word, vocabulary, spellings)}
    levels = {key: level(key, place, ordinary, vocabulary, spellings) for key, place in names.items()}
    return {key: found for key, found in levels.items() if found != FREE}


def write_ordinary_names(levels: dict[tuple[str, ...], str], nlp: Language) -> None:
    """Write data/places/ordinary_names.txt: a header, then "folded words<TAB>level" lines, sorted."""
    import spacy

    header = ORDINARY_NAMES_HEADER.format(
        model=f"{nlp.meta['lang']}_{nlp.meta['name']} {nlp.meta['version']}", spacy=spacy.__version__
    )
    lines = sorted(f"{' '.join(key)}\t{found}\n" for key, found in levels.items())
    places.ORDINARY_NAMES_FILE.write_text(header + "".join(lines), encoding="utf-8")


def build_ordinary_names() -> dict[tuple[str, ...], str]:
    """Step 2: derive the ordinary names from the committed tables and spaCy's vocabulary; write them."""
    nlp = load_vocabulary_model()
    levels = ordinary_name_levels(places.tables().names, nlp)
    write_ordinary_names(levels, nlp)
    return levels


def main() -> int:
    """Download, check and convert the package into data/places/, then derive the ordinary names."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=VERSION)
    parser.add_argument("--integrity", default=INTEGRITY, help="the registry's dist.integrity string")
    parser.add_argument(
        "--ordinary-names-only", action="store_true", help="only step 2, from the committed tables (offline)"
    )
    args = parser.parse_args()
    if not args.ordinary_names_only:
        archive = download(args.version, args.integrity)
        departements = departement_rows(read_json(archive, "departements.json"))
        communes = commune_rows(read_json(archive, "communes.json"), {code for code, _ in departements})
        write_outputs(departements, communes)
        print(f"{PACKAGE}@{args.version}: {len(departements)} départements, {len(communes)} communes")
    levels = build_ordinary_names()
    stops = sum(found == STOP for found in levels.values())
    name = places.ORDINARY_NAMES_FILE.name
    print(f"{name}: {len(levels)} names need evidence ({stops} stop, {len(levels) - stops} common)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
