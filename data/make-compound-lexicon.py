#!/usr/bin/env python3
"""Makes data/compound-lexicon-de.txt, the word list the compound splitter uses.

    data/make-compound-lexicon.py [--shared DIR]

Reads ../shared/data/german-nouns/nouns.csv (German nouns from Wiktionary with all
case and number forms, CC BY-SA 4.0) and the news-de corpus in ../shared for word
counts, plus archiv's own name lists in data/. Writes the derived list, which ships
under CC BY-SA 4.0 (see data/compound-lexicon-de.LICENSE).

Lines of the output:
* `form N`: a noun form that may be a part of a compound, normalised as the analyzer
  normalises words (lower case, accents folded, `ß` as `ss`, spelled-out umlauts as
  umlauts); N is the frequency class of its noun in news-de, floor(log2(count + 1)),
  which the splitter uses to choose between splits with as many parts;
* `!word`: a word never split (names of people and places, nominalised adjectives
  such as `Vorsitzende`, words news-de mostly writes in lower case such as
  `mittlerweile`): many end in a noun (`Nagelsmann`, `Darmstadt`, `-weile`).

A noun is kept when its forms stand capitalised in news-de at least MIN_COUNT times,
counting only forms that stand capitalised more often than in lower case (so that
sentence-initial `Unter`, `Mit` do not count). Rare Wiktionary entries (`Stag`,
`Ster`) would otherwise make junk splits (`Bundes-tag` as `Bunde-stag`).
"""

import argparse
import collections
import csv
import glob
import json
import math
import os
import re
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "compound-lexicon-de.txt")
MIN_COUNT = 3
MIN_LETTERS = 3
MAX_LETTERS = 24
# Entries that are not plain nouns: their forms are no compound parts.
NOT_NOUNS = ("Vorname", "Nachname", "Eigenname", "Abkürzung", "Buchstabe", "Affix",
             "Gebundenes Lexem", "Wortverbindung", "Redewendung", "Symbol", "Suffix")
# Entries whose whole words are never split.
NAMES = ("Vorname", "Nachname", "Eigenname", "Toponym", "adjektivische Deklination")
# Nouns that look like parts but mostly are suffixes or word fragments
# (`Gesell-schaft`, `Vorsitz-ende`, `Mini-ster`).
NOT_PARTS = {
    "schaft", "schaften", "ster", "stag", "stags", "ion", "ionen", "tion", "ling",
    "linge", "lingen", "nis", "tum", "heit", "keit", "ung", "ungen", "erin", "erinnen",
    "rinnen", "rin", "innen", "ent", "ente", "enten", "ant", "anten", "ist", "isten", "ismus",
    "tät", "ität", "ier", "iere", "ieren", "ine", "inen", "ate", "aten", "age", "ei", "eien",
    "chen", "lein", "sel", "tel", "ler", "ner", "ster", "lich", "isch", "igkeit", "ation",
    "ator", "atoren", "ür", "ur", "ik", "ie", "ien", "iker", "ikern", "ent", "enz", "anz",
    "ismus", "ose", "osen", "erei", "ereien", "ette", "etten", "ade", "aden", "ale", "alen",
    "ane", "anen", "ene", "enen", "ere", "eren", "ese", "esen", "ine", "one", "onen",
    "ute", "uten", "ede", "eden", "ele", "elen", "ete", "eten", "ste", "sten", "stel",
    "ander", "ern", "erns", "lande", "igen", "iger", "schafts", "nation", "nationen",
    "ration", "rationen", "ions", "arie", "arien", "ager", "runge", "rungen", "burger",
    "burgern", "burgers",
}


def normalize(word):
    """The analyzer's normalize_word for plain letters."""
    out = []
    for ch in word.lower():
        if ch in "äöü":
            out.append(ch)
        elif ch == "ß":
            out.append("ss")
        else:
            out.append(unicodedata.normalize("NFD", ch)[0])
    s = "".join(out)
    res, i = [], 0
    while i < len(s):
        c = s[i]
        if i + 1 < len(s) and s[i + 1] == "e" and c in "aou":
            prev = s[i - 1] if i > 0 else ""
            if not (c == "u" and prev and (prev in "aeiouyäöü" or prev == "q")):
                res.append({"a": "ä", "o": "ö", "u": "ü"}[c])
                i += 2
                continue
        res.append(c)
        i += 1
    return "".join(res)


WORD_RE = re.compile(r"[^\W\d_]+")


def corpus_counts(shared):
    """Capitalised counts of normalised words that stand capitalised more often
    than in lower case, and the words that stand in lower case more often."""
    caps, low = collections.Counter(), collections.Counter()
    files = glob.glob(os.path.join(shared, "corpus", "news-de", "json", "*", "*.json"))
    if not files:
        raise SystemExit(f"no news-de JSON under {shared}/corpus/news-de/json")
    for path in files:
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError):
            continue
        for key in ("title", "maintext"):
            for w in WORD_RE.findall(doc.get(key) or ""):
                (caps if w[0].isupper() else low)[normalize(w)] += 1
    nouns = {w: n for w, n in caps.items() if n > low[w]}
    lower = {w for w, n in low.items() if n >= caps[w]}
    return nouns, lower


def name_words():
    """Single words of archiv's own name lists (people, places, countries)."""
    out = set()
    for name in ("firstnames.txt", "actors-de.tsv", "cities-de.tsv", "countries-de.tsv",
                 "regions-de.tsv"):
        with open(os.path.join(HERE, name), encoding="utf-8") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                if name == "actors-de.tsv":
                    # People only: organisations are named by nouns (`Bundestag`).
                    cols = line.split("\t")
                    if len(cols) < 2 or cols[1] != "person":
                        continue
                for w in WORD_RE.findall(line):
                    if w[0].isupper() and len(w) >= 5:
                        w = normalize(w)
                        # Places also as demonyms and adjectives (`Brandenburger`).
                        out.update([w, w + "er", w + "ern", w + "ers"])
    return out


def ends_in_part(word, parts):
    return any(word[i:] in parts for i in range(3, len(word) - 2))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.environ.get("ARCHIV_SHARED",
                                                        os.path.join(HERE, "..", "..", "shared")))
    args = ap.parse_args()
    counts, lower = corpus_counts(args.shared)
    nouns = os.path.join(args.shared, "data", "german-nouns", "nouns.csv")
    parts, whole, adjectival = {}, set(), set()
    with open(nouns, encoding="utf-8") as f:
        reader = csv.DictReader(f)
        form_cols = [c for c in reader.fieldnames
                     if c not in ("lemma", "pos") and not c.startswith("genus")]
        for row in reader:
            forms = {normalize(v) for v in [row["lemma"]] + [row[c] for c in form_cols]
                     if v and v.isalpha() and v[0].isupper()}
            if "adjektivische Deklination" in row["pos"]:
                adjectival.update(forms)
            elif any(k in row["pos"] for k in NAMES):
                whole.update(w for w in forms if len(w) >= 5)
            if any(k in row["pos"] for k in NOT_NOUNS):
                continue
            forms = {w for w in forms if MIN_LETTERS <= len(w) <= MAX_LETTERS}
            count = sum(counts.get(w, 0) for w in forms)
            if count < MIN_COUNT:
                continue
            cls = min(9, int(math.log2(count + 1)))
            for w in forms:
                if w not in NOT_PARTS:
                    parts[w] = max(parts.get(w, 0), cls)
    # A nominalised adjective stays whole unless it ends in another one
    # (`Vorsitzende`, but `Fraktions-vorsitzende`, `Polizei-beamte`).
    whole |= {w for w in adjectival
              if len(w) >= 5 and not any(w[i:] in adjectival for i in range(3, len(w) - 3))}
    # Place names are parts too (`Gaza-streifen`), but never split themselves.
    whole |= name_words()
    # Words mostly written in lower case are no nouns, even when a sentence starts
    # with them (`Mittlerweile`, `Teilweise`): kept whole where they end in a part.
    whole |= {w for w in lower if len(w) >= 6 and ends_in_part(w, parts)}
    with open(OUT, "w", encoding="utf-8") as out:
        out.write("# Noun forms for compound splitting, derived from german-nouns (German Wiktionary nouns, "
                  "CC BY-SA 4.0), see compound-lexicon-de.LICENSE.\n")
        out.write("# Made by data/make-compound-lexicon.py: `form N` = a compound part and its noun's "
                  "frequency class in news-de; `!word` = never split.\n")
        for w in sorted(parts):
            out.write(f"{w} {parts[w]}\n")
        for w in sorted(whole):
            out.write(f"!{w}\n")
    print(f"{OUT}: {len(parts)} parts, {len(whole)} whole words, {os.path.getsize(OUT)} bytes")


if __name__ == "__main__":
    main()
