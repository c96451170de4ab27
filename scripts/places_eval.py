"""Precision and recall of core.places.find_departement on realistic phone messages, with and without spaCy.

Usage: .venv/bin/python scripts/places_eval.py [--errors]

Three ways are compared on the same labelled messages (written for this script: half French, half
English, about a third naming no place, with ordinary words that are also commune names as traps):
  plain table look-up   every known name counts (no spaCy at all)
  + spaCy vocabulary    names that are ordinary words need a capital, a place-only message or a cue
  + spaCy NER           as above, and spaCy's place entities count as evidence too (the real thing)
Also printed: the time per call and the resident memory once everything is loaded.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import places

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

MODES: dict[str, Callable[[str], str | None]] = {
    "plain table look-up": lambda text: places._find_departement(text, use_spacy=False),
    "+ spaCy vocabulary": lambda text: places._find_departement(text, use_ner=False),
    "+ spaCy NER (default)": places.find_departement,
}


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


def timed_load() -> None:
    """Load everything, printing how long each part takes and the memory afterwards."""
    before = rss_mb()
    steps = (("tables", places.tables), ("spaCy NER", places._nlp), ("word levels", places._levels))
    for label, load in steps:
        start = time.perf_counter()
        load()
        print(f"load {label:<12}{time.perf_counter() - start:6.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"memory: {before:.0f} MB before, {rss_mb():.0f} MB resident after loading (peak {peak:.0f} MB)")


def time_per_call(find: Callable[[str], str | None], rounds: int = 5) -> tuple[float, float]:
    """Median and worst time per call over the messages, in milliseconds."""
    times = []
    for _ in range(rounds):
        for text, _expected in MESSAGES:
            start = time.perf_counter()
            find(text)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list the wrong answers of each way")
    args = parser.parse_args()
    with_place = sum(1 for _, expected in MESSAGES if expected)
    print(f"{len(MESSAGES)} messages, {with_place} naming a place, {len(MESSAGES) - with_place} without")
    timed_load()
    print(f"\n{'way':<24}{'precision':>10}{'recall':>8}{'errors':>8}{'median ms':>11}{'max ms':>8}")
    for name, find in MODES.items():
        precision, recall, errors = scores(find)
        median, worst = time_per_call(find)
        print(f"{name:<24}{precision:>10.2f}{recall:>8.2f}{len(errors):>8}{median:>11.2f}{worst:>8.1f}")
        if args.errors:
            print("\n".join(errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
