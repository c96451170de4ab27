"""Regenerate data/places/ (départements and communes) from Etalab's "Découpage administratif".

Source: the npm package @etalab/decoupage-administratif (INSEE Code officiel géographique, INSEE legal
populations, La Poste postcodes), data under Licence Ouverte 2.0. The tarball is fetched from the npm
registry with urllib and checked against the registry's sha512 integrity pinned below, so a run is
reproducible and needs neither node nor npm.

Usage:  .venv/bin/python scripts/build_places.py [--version 6.0.0 --integrity sha512-...]

Writes (only metropolitan France and the five overseas départements; the overseas collectivities
975, 977, 978, 984, 986-989 are not départements and are left out):
  data/places/departements.tsv   code<TAB>name, 101 rows, header line
  data/places/communes.tsv.gz    name<TAB>departement<TAB>population<TAB>postcodes (comma-separated),
                                 one row per current commune plus the municipal arrondissements of
                                 Paris, Lyon and Marseille; header line; gzip with a fixed timestamp

Not run in CI: the generated files are committed. Run it when a new yearly package is published,
then update the version in data/places/README.md and run tests/unit/test_places.py.
"""

from __future__ import annotations

import argparse
import base64
import csv
import gzip
import hashlib
import io
import json
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "data" / "places"
PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
INTEGRITY = "sha512-XavYsFlbcM/prKr8hNHPKER94IHw/dsxNM4nxjWMYk6PLFACpEedvn/7wK8Baozm0dCYhWWcf+7bcWpA5pmCaQ=="
ZONES = {"metro", "drom"}
COMMUNE_TYPES = {"commune-actuelle", "arrondissement-municipal"}


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=VERSION)
    parser.add_argument("--integrity", default=INTEGRITY, help="the registry's dist.integrity string")
    args = parser.parse_args()
    archive = download(args.version, args.integrity)
    departements = departement_rows(read_json(archive, "departements.json"))
    communes = commune_rows(read_json(archive, "communes.json"), {code for code, _ in departements})
    write_outputs(departements, communes)
    print(f"{PACKAGE}@{args.version}: {len(departements)} départements, {len(communes)} communes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
