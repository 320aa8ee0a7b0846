#!/usr/bin/env python3
"""Grow the real corpus in ../shared/corpus into a synthetic archive of N articles.

    python3 bench/gen.py --articles 100000 --out /tmp/archiv-bench/synth-100k [--seed 1]

Why synthetic: the real corpus has ~8,700 articles; the benchmark wants ingest and query
figures at 10k, 100k and 1M. Copies of the real articles would make every term's
document frequency grow in steps of whole articles and turn snippets into duplicates,
so each new article is a *recombination* of real sentences instead:

* a "seed" real article is drawn; about 60 % of the new body are the seed's sentences
  (in their order), the rest are sentences of other articles of the same cluster
  (same source and section, e.g. spiegel.de/politik, or the same derstandard folder),
  so the vocabulary, sentence lengths and entity names (which live inside sentences)
  keep the statistics of real German news;
* the title is the seed's title, or its head joined with the tail of another title of
  the cluster at a colon ("Kursk: …"); html pages are not read (their text is the same
  news-de articles with boilerplate around it);
* the date is uniform over 2016-01-01 .. 2025-12-31, so date filters and timelines
  see ten years;
* source_domain and authors are the seed's (real values, or none where the real
  article had none, as for the txt files).

Output: JSON lines with news-please field names (title, maintext, date_publish, url,
source_domain, language, authors), 10,000 articles per file: part-00000.jsonl, ...

Memory holds only the sentences of the real corpus (~35 MB of text), whatever N is:
articles are generated and written one at a time. Deterministic for a given --seed
and corpus. Standard library only.
"""

import argparse
import datetime
import json
import os
import random
import re
import sys
import time

PER_FILE = 10_000
SEED_SHARE = 0.6  # share of a new body taken from its seed article
DATE_FIRST = datetime.datetime(2016, 1, 1)
DATE_SPAN_S = int((datetime.datetime(2026, 1, 1) - DATE_FIRST).total_seconds())
MIN_CLUSTER = 5  # smaller clusters fall back to the source's (or the folder's) cluster

# Abbreviations after which a full stop does not end a sentence (lower-cased, without the dot).
ABBREV = set(
    "abs bzw ca dr etc evtl ggf hr inkl jh jr mio mrd nr prof s sog st str tel usw vgl z.b "
    "z.t u.a d.h o.ä u.s bspw chr mag dipl ing gen co corp inc ltd vs".split()
)
# Candidate sentence ends: . ! ? … (optionally followed by closing quotes/brackets), then space,
# then something that can start a sentence.
END_RE = re.compile(r"[.!?…][\"'“”«»)\]]*\s+(?=[\"'„“«(\[]?[A-ZÄÖÜ0-9])")
WORD_BEFORE_RE = re.compile(r"(\S+)$")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (~8 % of news-de/txt)."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def split_sentences(text: str):
    """Split a body into sentences: at line breaks, and at . ! ? … before a capital or digit,
    unless the word before the stop is an abbreviation, an initial or a number (ordinals
    such as "5. November")."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        start = 0
        for m in END_RE.finditer(line):
            head = line[start : m.start() + 1]
            w = WORD_BEFORE_RE.search(head)
            word = w.group(1).rstrip(".").lstrip("(„\"'").lower() if w else ""
            if line[m.start()] == "." and (
                word in ABBREV or len(word) == 1 or word.isdigit() or word.replace(".", "").isdigit()
            ):
                continue
            sent = line[start : m.end()].strip()
            if sent:
                out.append(sent)
            start = m.end()
        rest = line[start:].strip()
        if rest:
            out.append(rest)
    return out


def first_path_segment(url: str) -> str:
    """'https://www.spiegel.de/politik/deutschland/x' -> 'politik' (the section, a topic signal)."""
    m = re.match(r"https?://[^/]+/([^/?#]+)/", url or "")
    return m.group(1).lower() if m else ""


def read_corpus(root):
    """Yield (cluster, fallback_cluster, title, body, source_domain, authors) for every real
    article under root, in a stable (sorted) order."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel = os.path.relpath(dirpath, root)
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = os.path.join(dirpath, name)
            ext = name.rsplit(".", 1)[-1].lower()
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError as e:
                print(f"gen.py: skipping {path}: {e}", file=sys.stderr)
                continue
            if ext == "json":
                try:
                    obj = json.loads(decode(data))
                except ValueError:
                    continue
                items = obj if isinstance(obj, list) else obj.get("articles", [obj]) if isinstance(obj, dict) else []
                for a in items:
                    if isinstance(a, dict):
                        yield from _from_obj(a, rel)
            elif ext in ("jsonl", "ndjson"):
                for line in decode(data).splitlines():
                    line = line.strip()
                    if not line:
                        continue
                    try:
                        a = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(a, dict):
                        yield from _from_obj(a, rel)
            elif ext == "txt":
                text = decode(data)
                lines = text.strip().splitlines()
                if not lines:
                    continue
                first = lines[0].strip()
                # First line is the title when it reads like a headline (short, more text below);
                # derstandard's files have none: their sentences still count, their title does not.
                if len(lines) > 1 and 0 < len(first) <= 200:
                    title, body = first, "\n".join(lines[1:])
                else:
                    title, body = "", text
                yield (rel, rel, title, body, None, [])


def _from_obj(a, rel):
    title = a.get("title") or a.get("headline") or ""
    body = a.get("maintext") or a.get("text") or a.get("body") or a.get("content") or ""
    if not isinstance(title, str) or not isinstance(body, str) or not body.strip():
        return
    domain = a.get("source_domain") if isinstance(a.get("source_domain"), str) else None
    authors = a.get("authors")
    if isinstance(authors, str):
        authors = [authors] if authors else []
    elif not isinstance(authors, list):
        authors = []
    if not authors and isinstance(a.get("author"), str) and a["author"]:
        authors = [a["author"]]
    if domain:
        cluster = f"{domain}/{first_path_segment(a.get('url', ''))}"
        fallback = domain
    else:
        # chinderzytig: its reading level is the closest thing to a section
        level = a.get("level") if isinstance(a.get("level"), str) else ""
        cluster, fallback = f"{rel}/{level}", rel
    yield (cluster, fallback, title.strip(), body, domain, [x for x in authors if isinstance(x, str)])


class Corpus:
    """The real articles as sentence lists, grouped into clusters."""

    def __init__(self, root):
        self.sentences = []  # per article: list of sentences
        self.titles = []
        self.domains = []
        self.authors = []
        self.cluster_of = []  # article -> index into self.clusters
        raw = []
        for cluster, fallback, title, body, domain, authors in read_corpus(root):
            sents = split_sentences(body)
            if len(sents) < 3:  # too short to recombine (teasers, empty pages)
                continue
            raw.append((cluster, fallback))
            self.sentences.append(sents)
            self.titles.append(title)
            self.domains.append(domain)
            self.authors.append(authors)
        if not self.sentences:
            raise SystemExit(f"gen.py: no articles read under {root}")
        sizes = {}
        for c, _ in raw:
            sizes[c] = sizes.get(c, 0) + 1
        names = {}
        self.clusters = []
        for c, fb in raw:
            key = c if sizes[c] >= MIN_CLUSTER else fb
            if key not in names:
                names[key] = len(self.clusters)
                self.clusters.append([])
            self.cluster_of.append(names[key])
        for i, ci in enumerate(self.cluster_of):
            self.clusters[ci].append(i)
        # titles that have a colon, per cluster, for recombination
        self.colon_titles = [[i for i in members if ": " in self.titles[i]] for members in self.clusters]
        self.titled = [[i for i in members if self.titles[i]] for members in self.clusters]


def make_article(corpus, rng, n):
    """The n-th synthetic article, as a dict with news-please field names."""
    seed = rng.randrange(len(corpus.sentences))
    members = corpus.clusters[corpus.cluster_of[seed]]
    own = corpus.sentences[seed]
    # Length: the seed's own sentence count, give or take a quarter.
    length = max(3, int(len(own) * rng.uniform(0.75, 1.25)))
    k_own = min(len(own), max(1, round(length * SEED_SHARE)))
    picked = sorted(rng.sample(range(len(own)), k_own))
    body = [own[i] for i in picked]
    for _ in range(length - k_own):
        other = members[rng.randrange(len(members))] if len(members) > 1 else rng.randrange(len(corpus.sentences))
        sents = corpus.sentences[other]
        body.insert(rng.randrange(len(body) + 1), sents[rng.randrange(len(sents))])
    # Paragraphs of one to four sentences, as news-please's maintext has them.
    paras, i = [], 0
    while i < len(body):
        step = rng.randint(1, 4)
        paras.append(" ".join(body[i : i + step]))
        i += step

    title = corpus.titles[seed]
    cluster = corpus.cluster_of[seed]
    if not title:
        # No title on the seed (derstandard's txt files): another title of its cluster if there is
        # one, else its lead sentence cut at a word, as archiv derives a title.
        titled = corpus.titled[cluster]
        if titled:
            title = corpus.titles[titled[rng.randrange(len(titled))]]
        else:
            title = body[0] if len(body[0]) <= 100 else body[0][:100].rsplit(" ", 1)[0] + " …"
    colon = corpus.colon_titles[cluster]
    if ": " in title and colon and rng.random() < 0.5:
        # Recombine "Kursk: Erste Gefechte …" style titles: this head, another title's tail.
        donor = corpus.titles[colon[rng.randrange(len(colon))]]
        title = title.split(": ", 1)[0] + ": " + donor.split(": ", 1)[1]
    when = DATE_FIRST + datetime.timedelta(seconds=rng.randrange(DATE_SPAN_S))
    domain = corpus.domains[seed]
    return {
        "title": title,
        "maintext": "\n\n".join(paras),
        "date_publish": when.strftime("%Y-%m-%d %H:%M:%S"),
        # .invalid: never a real address (RFC 2606), yet unique per article
        "url": f"https://{domain or 'archiv-bench.invalid'}/synthetic/{n:07d}",
        "source_domain": domain,
        "language": "de",
        "authors": corpus.authors[seed],
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, required=True, help="how many articles (e.g. 10000, 100000, 1000000)")
    ap.add_argument("--out", required=True, help="output folder (created; existing part files are replaced)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--corpus",
        default=os.environ.get("ARCHIV_SHARED", os.path.join(here, "..", "..", "shared")) + "/corpus",
        help="real articles to grow from (default ../shared/corpus)",
    )
    args = ap.parse_args()
    if not os.path.isdir(args.corpus):
        sys.exit(f"gen.py: corpus folder {args.corpus} not found (set ARCHIV_SHARED or --corpus)")
    if args.articles < 1:
        sys.exit("gen.py: --articles must be at least 1")

    t0 = time.perf_counter()
    corpus = Corpus(args.corpus)
    n_sent = sum(len(s) for s in corpus.sentences)
    print(
        f"gen.py: {len(corpus.sentences)} real articles, {n_sent} sentences, {len(corpus.clusters)} clusters "
        f"read in {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )
    os.makedirs(args.out, exist_ok=True)
    for name in os.listdir(args.out):  # a smaller re-run must not leave stale parts behind
        if name.startswith("part-") and name.endswith(".jsonl"):
            os.remove(os.path.join(args.out, name))

    rng = random.Random(args.seed)
    written = 0
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    while written < args.articles:
        part = os.path.join(args.out, f"part-{written // PER_FILE:05d}.jsonl")
        upto = min(args.articles, written + PER_FILE)
        with open(part, "w", encoding="utf-8", newline="\n") as f:
            lines = []
            for n in range(written, upto):
                lines.append(dumps(make_article(corpus, rng, n)))
            f.write("\n".join(lines))
            f.write("\n")
        written = upto
    secs = time.perf_counter() - t0
    size = sum(os.path.getsize(os.path.join(args.out, p)) for p in os.listdir(args.out) if p.startswith("part-"))
    print(
        f"gen.py: {written} articles in {(written + PER_FILE - 1) // PER_FILE} files, "
        f"{size / 1e6:.1f} MB, {secs:.1f} s -> {args.out}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
