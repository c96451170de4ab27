"""Precision and recall of core.places.find_departement on realistic phone messages, and what it costs.

Usage: .venv/bin/python scripts/places_eval.py [--errors] [--no-ner]

Three ways are compared on the same labelled messages (written for this script: half French, half
English, about a third naming no place, with ordinary words that are also commune names as traps):
  plain table look-up      every known name counts
  shipped-list gating      the runtime path, find_departement: names listed in
                           data/places/ordinary_names.txt (derived from spaCy's vocabulary at build time)
                           need a capital after "à", a verb of place, a place-only message or a cue
  old spaCy NER (record)   the former runtime: the same list, and spaCy fr_core_news_md's entities as
                           extra evidence (a place after a preposition counts, a person or an
                           organisation does not); rebuilt here only, core/places.py never loads spaCy
Also printed: the time per call, the load time and the resident memory (RSS) after `warm_up()` for the
runtime path (measured first, before anything imports spaCy), then the same for spaCy's NER.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import places

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MESSAGES: list[tuple[str, str | None]] = [
    # French, a place
    ("bonjour je suis a marseille depuis 3 mois", "13"),
    ("j'habite à Saint-Denis avec mon cousin", "93"),
    ("on m'a amenée à Lyon pour travailler", "69"),
    ("je travaille dans un restaurant a tours, le patron garde mon passeport", "37"),
    ("code postal 93300", "93"),
    ("dans le 94", "94"),
    ("je suis à Nice", "06"),
    ("je vis à bobigny chez une dame", "93"),
    ("Toulouse", "31"),
    ("je suis en seine saint denis", "93"),
    ("on dort dans un squat à Montreuil", "93"),
    ("je suis au Havre", "76"),
    ("j'habite aix en provence", "13"),
    ("à Orange, dans les champs", "84"),
    ("je suis pas loin de Lille", "59"),
    ("près de Bordeaux svp", "33"),
    ("je suis dans le nord", "59"),
    ("sarcelles", "95"),
    ("ma patronne habite a st maur", "94"),
    ("Je suis à Vénissieux", "69"),
    ("j'habite au 13 rue de la paix à Cergy", "95"),
    ("je vis a nice avec mon patron", "06"),
    ("Tours, c'est là que je travaille", "37"),
    ("on m'a emmenée a grasse la semaine dernière", "06"),
    # English, a place
    ("I live in marseille", "13"),
    ("im in paris now", "75"),
    ("they took me to Lyon", "69"),
    ("I work in a nail salon in Nice", "06"),
    ("near Toulouse", "31"),
    ("my postcode is 69007", "69"),
    ("I'm in the 93", "93"),
    ("I stay in Calais in the jungle", "62"),
    ("I am in Creteil", "94"),
    ("Strasbourg", "67"),
    ("we sleep in a van near Montpellier", "34"),
    ("i'm in saint ouen", "93"),
    ("I live in Tours with my boss's family", "37"),
    ("Bordeaux please", "33"),
    ("im in nantes", "44"),
    ("in Rennes, on a farm", "35"),
    ("I work at a car wash in Argenteuil", "95"),
    ("i live in reunion island", "974"),
    ("im in nice", "06"),
    # French, no place
    ("j'ai 17 ans", None),
    ("il a pris mon passeport", None),
    ("je travaille 12 heures par jour sans être payée", None),
    ("mon numéro c'est 06 12 34 56 78", None),
    ("c'est pas très nice ici", None),
    ("je suis au port depuis ce matin", None),
    ("il m'a donné rendez-vous le 15 mars", None),
    ("je dois 15000 euros au passeur", None),
    ("y a plus de place au foyer", None),
    ("ça n'a pas de sens", None),
    ("je dors dans la rue", None),
    ("on m'a viré du bar hier", None),
    ("Grasse matinée aujourd'hui, je suis trop fatiguée", None),
    ("je me sens mal", None),
    # English, no place
    ("I have no papers", None),
    ("nice to meet you", None),
    ("they keep my passport", None),
    ("I owe them 5000 euros", None),
    ("I work in a bar every night", None),
    ("my boss is nice to me sometimes", None),
    ("I'm 19 years old", None),
    ("call me at 07 81 22 33 44", None),
    ("he goes to the station every day", None),
    ("I want to flee", None),
    ("it's too noisy here", None),
    ("Orange gave me a sim card", None),
    ("I was in nice clothes for the photos", None),
]

SPACY_MODEL = "fr_core_news_md"
# The NER component embeds its own tok2vec; the shared tok2vec only feeds the tagger and the parser.
UNUSED_COMPONENTS = ("tok2vec", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer")
PLACE_LABELS = frozenset({"LOC", "GPE"})

RUNTIME_MODES: dict[str, Callable[[str], str | None]] = {
    "plain table look-up": lambda text: places._find_departement(text, use_spacy=False),
    "shipped-list gating": places.find_departement,
}


class OldNerVariant:
    """The former runtime path: the shipped list, plus spaCy's entities as evidence for gated names."""

    def __init__(self, nlp: Language) -> None:
        """Use a loaded pipeline with its entity recogniser."""
        self.nlp = nlp
        self.doc: Doc | None = None

    def __call__(self, text: str) -> str | None:
        """find_departement as it was: spaCy runs once per message, when a gated name is found."""
        self.doc = None
        return places._find_departement(text, accept=self.accepted) if text and text.strip() else None

    def labels(self, tokens: list[places.Token], match: places.Match) -> set[str]:
        """Labels of the spaCy entities that overlap the match."""
        assert self.doc is not None
        start, end = tokens[match.first].start, tokens[match.last].end
        return {ent.label_ for ent in self.doc.ents if ent.start_char < end and start < ent.end_char}

    def accepted(self, text: str, tokens: list[places.Token], match: places.Match, level: str) -> bool:
        """The former core.places._accepted, with entity labels and without the word-before-a-capital rule."""
        if self.doc is None:
            self.doc = self.nlp(text)
        if places._is_acronym(tokens, match) or places._follows_article(tokens, match):
            return False
        if places._has_departement_cue(tokens, match):
            return True
        labels = self.labels(tokens, match)
        after_preposition = match.first > 0 and tokens[match.first - 1].key in places.PLACE_PREPOSITIONS
        if labels & PLACE_LABELS and after_preposition:
            return True  # alone, spaCy also tags "c'est nice" or "Grasse matinée" as places
        if "PER" in labels:
            return False
        capital = places._is_capitalised(tokens, match) and places._is_mid_sentence(text, tokens, match)
        if capital and "ORG" not in labels:
            return True
        if level != places.COMMON or match.place.population < places.TOWN_POPULATION:
            return False
        whole = places._is_whole_message(tokens, match.first, match.last)
        return places._after_place_verb(tokens, match) or whole


def scores(find: Callable[[str], str | None]) -> tuple[float, float, list[str]]:
    """Precision, recall and the wrong answers of one way of finding the département."""
    answers = [(text, expected, find(text)) for text, expected in MESSAGES]
    given = [a for a in answers if a[2] is not None]
    right = [a for a in given if a[2] == a[1]]
    wanted = [a for a in answers if a[1] is not None]
    errors = [f"  {text!r}: expected {exp}, got {got}" for text, exp, got in answers if got != exp]
    return len(right) / max(len(given), 1), len(right) / max(len(wanted), 1), errors


def rss_mb() -> float:
    """Resident memory of this process now, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, load: Callable[[], object]) -> object:
    """Run a loading step, print how long it took and the memory afterwards, and return its result."""
    start = time.perf_counter()
    result = load()
    print(f"load {label:<46}{time.perf_counter() - start:6.2f} s, RSS {rss_mb():4.0f} MB")
    return result


def load_ner() -> Language:
    """The French pipeline with only its entity recogniser, as the former runtime loaded it."""
    import spacy

    nlp = spacy.load(SPACY_MODEL, exclude=list(UNUSED_COMPONENTS))
    nlp("warm up")
    return nlp


def time_per_call(find: Callable[[str], str | None], rounds: int = 5) -> tuple[float, float]:
    """Median and worst time per call over the messages, in milliseconds."""
    times = []
    for _ in range(rounds):
        for text, _expected in MESSAGES:
            start = time.perf_counter()
            find(text)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def report(name: str, find: Callable[[str], str | None], errors_too: bool) -> None:
    """Print precision, recall, error count and time per call of one way, and its errors if asked."""
    precision, recall, errors = scores(find)
    median, worst = time_per_call(find)
    print(f"{name:<24}{precision:>10.2f}{recall:>8.2f}{len(errors):>8}{median:>11.2f}{worst:>8.1f}")
    if errors_too:
        print("\n".join(errors))


def main() -> int:
    """Print load costs, then precision, recall and time per call: the runtime ways first, then spaCy NER."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list the wrong answers of each way")
    parser.add_argument("--no-ner", action="store_true", help="skip the old spaCy NER variant")
    args = parser.parse_args()
    with_place = sum(1 for _, expected in MESSAGES if expected)
    print(f"{len(MESSAGES)} messages, {with_place} naming a place, {len(MESSAGES) - with_place} without")
    print(f"RSS after importing core.places: {rss_mb():.0f} MB")
    timed("warm_up() (tables + ordinary_names.txt)", places.warm_up)
    print(f"spaCy imported by the runtime path: {'spacy' in sys.modules}")
    header = f"{'way':<24}{'precision':>10}{'recall':>8}{'errors':>8}{'median ms':>11}{'max ms':>8}"
    print(f"\n{header}")
    for name, find in RUNTIME_MODES.items():
        report(name, find, args.errors)
    if not args.no_ner:
        print()
        nlp = timed(f"spaCy {SPACY_MODEL} NER (old variant)", load_ner)
        print(f"\n{header}")
        report("old spaCy NER (record)", OldNerVariant(nlp), args.errors)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of this process: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
