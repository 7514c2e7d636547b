"""Rebuilds the copies in this folder from the shared name data (see SOURCE.md).

Usage: python3 subsample.py SHARED_NAMES_DIR
Deterministic: the same input gives the same files.
"""
import difflib
import json
import re
import sys
import unicodedata
from pathlib import Path

PER_SCRIPT = 2500
SCRIPTS = ["russian", "arabic", "hebrew", "chinese", "katakana", "korean"]
# Particles and words that are not a name on their own.
STOP = {"of", "the", "de", "von", "van", "da", "di", "du", "la", "le", "del", "der", "den", "des", "al", "el",
        "bin", "ibn", "abu", "ben", "y", "e", "und", "and", "jr", "sr", "st", "mc", "mac", "o"}
ROMAN = re.compile(r"^(i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii|xiii|xiv|xv|xvi)$")
LATIN = re.compile(r"^[^\W\d_]{2,}$")
# ICAO 9303 Russian, only to drop mis-aligned Cyrillic pairs (e.g. "niiro" / "тадамото").
ICAO_RU = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                   ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r",
                    "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "ie", "y", "", "e", "iu", "ia"]))
# native characters per Latin letter: a loose sanity window per script
RATIO = {"russian": (0.4, 1.6), "arabic": (0.3, 1.6), "hebrew": (0.3, 1.6), "katakana": (0.25, 1.6),
         "korean": (0.1, 0.9), "chinese": (0.1, 0.9)}


def fold(text):
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def main(shared):
    shared = Path(shared)
    records = json.loads((shared / "faker/faker_person_names_85_locales.json").read_text("utf-8"))["records"]
    with open("faker_persons.tsv", "w", encoding="utf-8", newline="\n") as out:
        out.write("locale\tsex\tfirst_name\tlast_name\tmiddle_name\n")
        for r in records:
            cells = [r["locale"], r["sex"], r["first_name"], r["last_name"], r.get("middle_name", "")]
            assert all("\t" not in c and "\n" not in c for c in cells)
            out.write("\t".join(cells) + "\n")
    with open("wikidata_pairs.tsv", "w", encoding="utf-8", newline="\n") as out:
        out.write("script\tlatin\tnative\tcount\n")
        for script in SCRIPTS:
            kept = []
            for line in (shared / f"netransliteration-wikidata/wd_{script}_20.tsv").read_text("utf-8").splitlines():
                latin, native, count = line.split("\t")
                count = int(count)
                native = native.replace(" ", "")
                if count < 2 or latin in STOP or ROMAN.match(latin) or not LATIN.match(latin):
                    continue
                if any(ch.isdigit() or ch in "'\"" for ch in native):
                    continue
                low, high = RATIO[script]
                if not low <= len(native) / len(latin) <= high:
                    continue
                if script == "russian":
                    icao = "".join(ICAO_RU.get(ch, ch) for ch in native)
                    if difflib.SequenceMatcher(None, fold(latin), icao).ratio() < 0.2:
                        continue
                kept.append((-count, latin, native))
            kept.sort()
            for count, latin, native in kept[:PER_SCRIPT]:
                out.write(f"{script}\t{latin}\t{native}\t{-count}\n")


if __name__ == "__main__":
    main(sys.argv[1])
