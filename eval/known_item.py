#!/usr/bin/env python3
"""Known-item search over news-de: archiv against Xapian and SQLite FTS5 on the same queries.

    eval/known_item.py [--shared DIR] [--work DIR] [--bin PATH] [--sample N] [--seed N]
                       [--min-mrr-archiv X] [--out FILE] [--show-failures N]

A known-item query is what a reader types to find again one article they have read:
a few words they remember, not always in the form the article used. The harness samples
articles from news-de, makes such queries from each at run time (none is stored), runs
every query through the three engines and scores the rank of the sampled article.

Sample: --sample articles (default 300), drawn with random.Random(--seed) from the
articles that are long enough (>= 150 words of body) and unambiguous (no other article
with the same title or the same body start: a duplicate would compete for the same query).

Words: tokens of letters only. A content word has >= 4 letters, is not a stop word
(data/stopwords-de.txt, the list archiv drops) and occurs in at most 2 % of the
articles (document frequency over all of news-de, counted on the lower-cased word with
umlauts folded): distinctive enough that the known item is findable in principle.
A word's salience in its article is (3 x title count + body count) x log(N / df); the
most salient words are the ones a reader remembers. A noun (or name) is a word that stands
capitalised in the article and never in lower case there, and is capitalised in more
articles of news-de than it is in lower case (which leaves out sentence-initial verbs). Each query has 3 or 4 words (drawn per
article from the seed); an article is left out of a query type it cannot fill.

Query types (each a row of the report):
* exact-title: the title's content words of lowest df, verbatim, in title order (titles
  over 160 characters are a first paragraph, not a title, and are skipped; a trailing
  "| site" is cut off);
* lowercase: the most salient nouns, lower-cased;
* inflected: the most salient nouns in another form, lower-cased, by the first rule below
  that gives a form which is a noun of news-de (so a real German word, not a made-up
  one) and occurs nowhere in this article (so only analysis can bridge the two):
    -ungen <-> -ung, -heiten/-keiten/-schaften <-> -heit/-keit/-schaft, -innen <-> -in,
    weak masculine -isten/-enten/-anten/-aten/-oten <-> -ist/-ent/-ant/-at/-ot,
    genitive -es/-s -> stem, -e <-> -en, -en/-n -> stem, stem -> +s/+e/+en/+n/+er
  (umlaut plurals such as Stadt/Städte are not made; names take the genitive rules too;
  words with letters outside a-z, ä, ö, ü, ß are left alone);
* umlaut-spelled: the most salient words with ä/ö/ü/ß, written ae/oe/ue/ss (Ä as Ae),
  case kept; articles with fewer than 3 such words are skipped;
* compound-part: the head of a compound, as a reader recalls "Minister" from
  "Verteidigungsminister". A compound is a noun of >= 9 letters that ends in a head of
  >= 4 letters after a modifier of >= 4 letters, where the head is a noun standing alone
  in >= 5 articles of news-de (or one of COMMON_HEADS) and the modifier, less a linking
  -s/-es/-n/-en/-e, is a word of news-de (so names such as Griez-mann are not split);
  the longest such head wins. Only heads that never stand alone in the article count:
  the article can then be found through the head only by splitting the compound. Two heads
  (from the two most salient compounds) plus the most salient other content words,
  verbatim, up to the query length; articles with fewer than two heads are skipped.

Engines (top 10 each; a hit is the known item when its path is the sampled file):
* archiv: `archiv --index IDX search QUERY --format json --limit 10 --fields path --no-collapse`, one
  process per query, the words as typed (archiv finds any word and ranks all first);
* Xapian: python3-xapian on the bench/peers/xapian_index.py index; QueryParser with
  Stem("german2"), STEM_ALL_Z (every query word stemmed to the Z-terms TermGenerator
  indexed, whatever its case), default operator OR, FLAG_DEFAULT, no stopper (the index
  has none), BM25Weight() with Xapian's defaults (k1=1, k2=0, k3=1, b=0.5, min_normlen=0.5);
* FTS5: the bench/peers/fts5.py index and query (`fts5.search_sql`): the words ORed,
  each quoted, ranked by bm25(docs, 2.5, 1.0) -- OR because a reader's words need not all
  be in the text as typed, and FTS5 does no stemming to make them so.
Indexes are built from the news-de folder by bench/peers and archiv itself and cached
under --work, keyed by the corpus file list (and the archiv binary for its index).

Scores: MRR@10 (1/rank of the known item, 0 outside the top 10), success@1, success@10,
per query type and over all queries. Output: a table on stdout and in --out (figures only).
Exit status: 2 on setup failures, 1 when archiv's overall MRR@10 is below --min-mrr-archiv
(or $ARCHIV_KNOWN_ITEM_MIN_MRR; default 0, no floor), else 0.
"""

import argparse
import collections
import hashlib
import json
import math
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "bench", "peers"))
import articles  # noqa: E402
import fts5  # noqa: E402

TYPES = ("exact-title", "inflected", "lowercase", "umlaut-spelled", "compound-part")
ENGINES = ("archiv", "xapian", "fts5")
ENGINE_NAMES = {"archiv": "archiv", "xapian": "Xapian", "fts5": "FTS5"}
MIN_BODY_WORDS = 150
MAX_DF_SHARE = 0.02
MAX_TITLE_CHARS = 160
# Heads that make a compound even where they rarely stand alone in news-de.
COMMON_HEADS = {
    "minister", "ministerin", "präsident", "präsidentin", "regierung", "partei", "krieg",
    "soldat", "soldaten", "wahl", "wahlen", "gesetz", "politik", "polizei", "angriff",
    "angriffe", "verband", "spiel", "trainer", "mannschaft", "unternehmen", "markt",
    "preis", "preise", "gericht", "streit", "haushalt", "kampf", "chef", "chefin", "verein",
    "konflikt", "gipfel", "kosten", "stadt", "zentrum", "behörde", "amt", "schutz",
}
WORD_RE = re.compile(r"[^\W\d_]+")
GERMAN_RE = re.compile("[a-zäöüß]+")
UMLAUT_SPELL = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
UMLAUT_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
QUERY_OPERATORS = {"AND", "OR", "NOT"}


def fold(word):
    return word.lower().translate(UMLAUT_FOLD)


def load_stop_words():
    out = set()
    with open(os.path.join(REPO, "data", "stopwords-de.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                out.add(fold(line))
    return out


# --- the corpus as the peers read it, with the word statistics queries are made from


class Doc:
    __slots__ = ("path", "title", "title_words", "body_words", "lower", "caps", "low", "tf")

    def __init__(self, art):
        self.path = os.path.realpath(art["path"])
        self.title = art["title"]
        self.title_words = WORD_RE.findall(self.title)
        self.body_words = WORD_RE.findall(art["body"])
        words = self.title_words + self.body_words
        self.lower = {w.lower() for w in words}
        self.caps = {w for w in words if w[0].isupper()}
        self.low = {w for w in words if w[0].islower()}
        self.tf = collections.Counter(fold(w) for w in self.body_words)
        for w in self.title_words:
            self.tf[fold(w)] += 3


class Corpus:
    def __init__(self, root, stop):
        self.docs = [Doc(a) for a in articles.walk([root])]
        self.stop = stop
        self.df = collections.Counter()
        self.cap_df = collections.Counter()  # articles where the word stands capitalised
        self.low_df = collections.Counter()  # articles where it stands in lower case
        self.vocab = set()  # every lower-cased word of news-de
        for d in self.docs:
            self.df.update(d.tf.keys())
            self.cap_df.update({w.lower() for w in d.caps})
            self.low_df.update(d.low)
            self.vocab |= d.lower
        self.max_df = max(2, int(MAX_DF_SHARE * len(self.docs)))

    def noun(self, word):
        """Capitalised in more articles than in lower case: a noun or a name, not a
        sentence-initial verb or adjective."""
        w = word.lower()
        return self.cap_df[w] > self.low_df[w]

    def nouns(self, doc):
        return sorted(w for w in doc.caps if w.lower() not in doc.low and self.noun(w))

    def idf(self, word):
        return math.log(len(self.docs) / max(1, self.df[fold(word)]))

    def content(self, word):
        f = fold(word)
        return (
            len(word) >= 4 and f not in self.stop and self.df[f] <= self.max_df
            and word not in QUERY_OPERATORS
        )

    def salient(self, doc, pool):
        """Distinct content words of pool (one spelling each), most salient first."""
        seen, out = set(), []
        for w in pool:
            f = fold(w)
            if f not in seen and self.content(w):
                seen.add(f)
                out.append(w)
        out.sort(key=lambda w: (-doc.tf[fold(w)] * self.idf(w), fold(w)))
        return out


# --- query generation, one function per type; each returns the words or None


def q_exact_title(c, doc, n):
    title = re.sub(r"\s+\|[^|]*$", "", doc.title)
    if len(title) > MAX_TITLE_CHARS:
        return None
    words, seen = [], set()
    for w in WORD_RE.findall(title):
        if c.content(w) and fold(w) not in seen:
            seen.add(fold(w))
            words.append(w)
    if len(words) < 3:
        return None
    pick = set(sorted(words, key=lambda w: (c.df[fold(w)], words.index(w)))[:n])
    return [w for w in words if w in pick]


def q_lowercase(c, doc, n):
    words = c.salient(doc, c.nouns(doc))
    return [w.lower() for w in words[:n]] if len(words) >= 3 else None


def inflections(w):
    """Other forms of a lower-cased noun, in rule order (see the module doc)."""
    out = []

    def swap(a, b, min_stem=3):
        if w.endswith(a) and len(w) - len(a) >= min_stem:
            out.append(w[: len(w) - len(a)] + b)

    swap("ungen", "ung"); swap("ung", "ungen")
    for s in ("heit", "keit", "schaft"):
        swap(s + "en", s); swap(s, s + "en")
    swap("innen", "in"); swap("in", "innen", 4)
    for s in ("ist", "ent", "ant", "at", "ot"):
        swap(s + "en", s, 4); swap(s, s + "en", 4)
    swap("es", "", 4)
    if not w.endswith("ss"):
        swap("s", "", 4)
    swap("e", "en", 4); swap("en", "e", 4)
    swap("en", "", 4); swap("n", "", 4)
    for s in ("s", "e", "en", "n", "er"):
        if len(w) >= 4:
            out.append(w + s)
    return [f for f in dict.fromkeys(out) if f != w]


def q_inflected(c, doc, n):
    out = []
    for w in c.salient(doc, c.nouns(doc)):
        if not GERMAN_RE.fullmatch(w.lower()):  # Aimé -> Aimée is another name, not a form
            continue
        for f in inflections(w.lower()):
            if c.noun(f) and f not in doc.lower and fold(f) not in c.stop:
                out.append(f)
                break
        if len(out) == n:
            break
    return out if len(out) >= 3 else None


def q_umlaut(c, doc, n):
    pool = {w for w in doc.title_words + doc.body_words if re.search("[äöüÄÖÜß]", w)}
    words = c.salient(doc, sorted(pool))
    return [w.translate(UMLAUT_SPELL) for w in words[:n]] if len(words) >= 3 else None


LINKS = ("", "s", "es", "n", "en", "e")


def compound_head(c, word):
    """The head of a compound (capitalised), or None; see the module doc."""
    if len(word) < 9 or not word[1:].islower():
        return None
    w = word.lower()
    for i in range(4, len(w) - 3):
        head, mod = w[i:], w[:i]
        if fold(head) in c.stop or not (c.cap_df[head] >= 5 and c.noun(head) or head in COMMON_HEADS):
            continue
        if any(len(mod) - len(s) >= 3 and mod.endswith(s) and mod[: len(mod) - len(s)] in c.vocab for s in LINKS):
            return head[0].upper() + head[1:]
    return None


def q_compound(c, doc, n):
    heads, used = [], set()
    for w in c.salient(doc, c.nouns(doc)):
        h = compound_head(c, w)
        if h and h.lower() not in doc.lower and h.lower() not in used:
            heads.append(h)
            used.add(h.lower())
            used.add(fold(w))
        if len(heads) == 2:
            break
    if len(heads) < 2:
        return None
    rest = [w for w in c.salient(doc, doc.title_words + doc.body_words) if fold(w) not in used]
    words = heads + rest[: n - len(heads)]
    return words if len(words) >= 3 else None


GENERATORS = {
    "exact-title": q_exact_title, "inflected": q_inflected, "lowercase": q_lowercase,
    "umlaut-spelled": q_umlaut, "compound-part": q_compound,
}


def sample(c, size, seed):
    titles = collections.Counter(re.sub(r"\W+", " ", d.title).strip().lower() for d in c.docs)
    starts = collections.Counter(" ".join(d.body_words[:40]).lower() for d in c.docs)
    ok = [
        d for d in c.docs
        if len(d.body_words) >= MIN_BODY_WORDS
        and titles[re.sub(r"\W+", " ", d.title).strip().lower()] == 1
        and starts[" ".join(d.body_words[:40]).lower()] == 1
    ]
    ok.sort(key=lambda d: d.path)
    rng = random.Random(seed)
    picked = rng.sample(ok, min(size, len(ok)))
    return picked, len(ok), rng


def make_queries(c, docs, rng):
    queries = []
    for d in docs:
        n = rng.choice((3, 4))
        for t in TYPES:
            words = GENERATORS[t](c, d, n)
            if words:
                queries.append({"type": t, "path": d.path, "text": " ".join(words)})
    return queries


# --- engines


def run_archiv(binary, index, queries):
    out = []
    for q in queries:
        res = subprocess.run(
            # The peers list every match: so does archiv here, near-copies not folded.
            [binary, "--index", index, "search", q["text"], "--format", "json", "--limit", "10",
             "--fields", "path", "--no-collapse"],
            capture_output=True, text=True,
        )
        if res.returncode not in (0, 1):  # 1: no hits
            raise SetupError(f"archiv search failed ({res.returncode}) for a query: {res.stderr.strip()}")
        hits = json.loads(res.stdout)["hits"] if res.stdout.strip() else []
        out.append([os.path.realpath(h["path"]) for h in hits])
    return out


def search_peers(xapian_db, fts5_db, texts):
    """Top-10 paths of each query from Xapian and FTS5 (needs xapian and FTS5 here)."""
    import xapian

    db = xapian.Database(xapian_db)
    qp = xapian.QueryParser()
    qp.set_stemmer(xapian.Stem("german2"))
    qp.set_stemming_strategy(xapian.QueryParser.STEM_ALL_Z)
    qp.set_default_op(xapian.Query.OP_OR)
    qp.set_database(db)
    enq = xapian.Enquire(db)
    enq.set_weighting_scheme(xapian.BM25Weight())
    xa = []
    for t in texts:
        enq.set_query(qp.parse_query(t, xapian.QueryParser.FLAG_DEFAULT))
        xa.append([m.document.get_data().decode("utf-8").split("\n")[2] for m in enq.get_mset(0, 10)])
    con = sqlite3.connect(f"file:{fts5_db}?mode=ro", uri=True)
    fa = []
    for t in texts:
        _, top, params = fts5.search_sql(t, limit=10)
        fa.append([row[2] for row in con.execute(top, params)])
    return {"xapian": xa, "fts5": fa}


def peers_here():
    try:
        import xapian  # noqa: F401
    except ImportError:
        return False
    return fts5.has_fts5()


def run_peers(xapian_db, fts5_db, queries):
    texts = [q["text"] for q in queries]
    if peers_here():
        res = search_peers(xapian_db, fts5_db, texts)
    else:  # python3-xapian lives in Debian's interpreter only
        proc = subprocess.run(
            ["/usr/bin/python3", os.path.abspath(__file__), "--peer-worker", xapian_db, fts5_db],
            input=json.dumps(texts), capture_output=True, text=True,
        )
        if proc.returncode != 0:
            raise SetupError(f"peer search under /usr/bin/python3 failed: {proc.stderr.strip()}")
        res = json.loads(proc.stdout)
    return {k: [[os.path.realpath(p) for p in hits] for hits in v] for k, v in res.items()}


# --- indexes, cached by corpus file list


class SetupError(Exception):
    pass


def corpus_key(root):
    h = hashlib.sha1()
    for dirpath, dirnames, files in os.walk(root):
        dirnames.sort()
        for f in sorted(files):
            st = os.stat(os.path.join(dirpath, f))
            h.update(f"{os.path.relpath(os.path.join(dirpath, f), root)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def file_key(path):
    h = hashlib.sha1()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:12]


def cached(path, build, log):
    """Runs build(tmp) unless path exists; the result appears at path only when complete."""
    if os.path.exists(path):
        log(f"cached: {path}")
        return
    tmp = path + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    if os.path.isfile(tmp):
        os.remove(tmp)
    t0 = time.perf_counter()
    build(tmp)
    os.rename(tmp, path)
    log(f"built {path} in {time.perf_counter() - t0:.1f} s")


def check(cmd, what):
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise SetupError(f"{what} failed ({res.returncode}): {res.stderr.strip()[-2000:]}")


def fts5_python():
    for exe in ("/usr/bin/python3", sys.executable):
        ok = subprocess.run([exe, "-c", "import sqlite3; sqlite3.connect(':memory:').execute("
                             "'create virtual table t using fts5(a)')"], capture_output=True)
        if ok.returncode == 0:
            return exe
    raise SetupError("no Python with SQLite FTS5 (install Debian's python3 / sqlite3)")


def build_indexes(args, root, log):
    key = corpus_key(root)
    work = os.path.join(args.work, f"news-de-{key}")
    os.makedirs(work, exist_ok=True)
    peers = os.path.join(REPO, "bench", "peers")
    xdb, fdb = os.path.join(work, "xapian"), os.path.join(work, "fts5.db")
    cached(xdb, lambda tmp: check(["/usr/bin/python3", os.path.join(peers, "xapian_index.py"), root, tmp],
                                  "Xapian indexing"), log)
    fpy = fts5_python()
    cached(fdb, lambda tmp: check([fpy, os.path.join(peers, "fts5.py"), "index", root, tmp], "FTS5 indexing"), log)
    bkey = file_key(args.bin)
    adb = os.path.join(work, f"archiv-{bkey}")
    for old in os.listdir(work):  # indexes of earlier builds of archiv
        if old.startswith("archiv-") and old != f"archiv-{bkey}":
            shutil.rmtree(os.path.join(work, old), ignore_errors=True)
    cached(adb, lambda tmp: check([args.bin, "--index", tmp, "index", root, "--rebuild"], "archiv indexing"), log)
    return {"archiv": adb, "xapian": xdb, "fts5": fdb, "key": key, "fts_python": fpy}


# --- scoring and the report


def score(queries, results):
    """{type or 'all': {engine: (mrr, s1, s10, n)}}"""
    rows = {}
    for t in TYPES + ("all",):
        idx = [i for i, q in enumerate(queries) if t == "all" or q["type"] == t]
        rows[t] = {}
        for e in ENGINES:
            ranks = [rank_of(queries[i]["path"], results[e][i]) for i in idx]
            n = len(ranks)
            rows[t][e] = (
                sum(1 / r for r in ranks if r) / n if n else 0.0,
                sum(1 for r in ranks if r == 1) / n if n else 0.0,
                sum(1 for r in ranks if r) / n if n else 0.0,
                n,
            )
    return rows


def rank_of(path, hits):
    for r, h in enumerate(hits, 1):
        if h == path:
            return r
    return 0


def table(rows):
    head = ["query type", "queries"] + [f"{ENGINE_NAMES[e]} {m}" for m in ("MRR@10", "S@1", "S@10") for e in ENGINES]
    lines = ["| " + " | ".join(head) + " |", "| --- | " + " | ".join(["---:"] * (len(head) - 1)) + " |"]
    for t in TYPES + ("all",):
        r = rows[t]
        n = r["archiv"][3]
        cells = [f"**{t}**" if t == "all" else t, str(n)]
        for m in range(3):
            best = max(r[e][m] for e in ENGINES)
            for e in ENGINES:
                v = f"{r[e][m]:.3f}"
                cells.append(f"**{v}**" if n and r[e][m] == best else v)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def git_rev():
    try:
        rev = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True).stdout.strip() or "unknown"
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return rev + ("-dirty" if dirty else "")
    except OSError:
        return "unknown"


def report(args, info, rows, counts, timings):
    xv = subprocess.run(["/usr/bin/python3", "-c", "import xapian; print(xapian.version_string())"],
                        capture_output=True, text=True).stdout.strip() or "?"
    sv = subprocess.run([info["fts_python"], "-c", "import sqlite3; print(sqlite3.sqlite_version)"],
                        capture_output=True, text=True).stdout.strip() or "?"
    cmd = "eval/known_item.py" + "".join(f" {a}" for a in sys.argv[1:])
    per_type = ", ".join(f"{t} {rows[t]['archiv'][3]}" for t in TYPES)
    return "\n".join([
        "# Known-item search: archiv, Xapian, SQLite FTS5",
        "",
        f"Command: `eval/known-item.sh` (runs `{cmd}`); archiv {git_rev()}, Xapian {xv} (python3-xapian), "
        f"SQLite {sv}.",
        "",
        f"Corpus: news-de, {counts['docs']} articles ({counts['eligible']} long and unambiguous enough to sample); "
        f"{counts['sampled']} sampled with seed {args.seed}; {counts['queries']} queries ({per_type}). "
        "Queries are made from the articles at run time (eval/known_item.py describes how) and are not stored.",
        "",
        "MRR@10: mean of 1/rank of the sampled article within the top 10 (0 outside); S@1, S@10: share of "
        "queries with the article first, in the top 10. Best of each metric in bold.",
        "",
        table(rows),
        "",
        "Engines: archiv `search QUERY --format json --limit 10 --no-collapse` (any word may match, all rank first); "
        "Xapian QueryParser with Stem(\"german2\"), STEM_ALL_Z, default OP_OR, BM25Weight() defaults, over the "
        "bench/peers/xapian_index.py index; FTS5 words ORed, bm25(docs, 2.5, 1.0), over the bench/peers/fts5.py "
        "index (unicode61 remove_diacritics 2, no stemming).",
        "",
        "Time: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()) + ".",
        "",
    ])


def show_failures(queries, results, per_type):
    """Queries a peer ranks better than archiv, to stderr (corpus text: never written to a file)."""
    for t in TYPES:
        shown = 0
        for i, q in enumerate(queries):
            if q["type"] != t or shown >= per_type:
                continue
            ra = rank_of(q["path"], results["archiv"][i])
            rx, rf = rank_of(q["path"], results["xapian"][i]), rank_of(q["path"], results["fts5"][i])
            if (rx and (not ra or rx < ra)) or (rf and (not ra or rf < ra)):
                shown += 1
                print(f"  [{t}] archiv {ra or '-'} xapian {rx or '-'} fts5 {rf or '-'}: {q['text']!r}"
                      f"  <- {os.path.basename(q['path'])}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description="known-item search: archiv vs Xapian vs SQLite FTS5 over news-de")
    ap.add_argument("--shared", default=os.environ.get("ARCHIV_SHARED") or os.path.join(REPO, "..", "shared"))
    ap.add_argument("--work", default=os.environ.get("ARCHIV_KNOWN_ITEM_WORK", "/tmp/archiv-known-item"))
    ap.add_argument("--bin", default=os.path.join(REPO, "target", "release", "archiv"))
    ap.add_argument("--sample", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--min-mrr-archiv", type=float,
                    default=float(os.environ.get("ARCHIV_KNOWN_ITEM_MIN_MRR", "0") or 0))
    ap.add_argument("--out", default=os.path.join(REPO, "eval", "known-item-results.md"))
    ap.add_argument("--show-failures", type=int, default=0, metavar="N",
                    help="print up to N queries per type that a peer ranks better than archiv (stderr)")
    ap.add_argument("--peer-worker", nargs=2, metavar=("XAPIAN_DB", "FTS5_DB"), help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.peer_worker:
        json.dump(search_peers(*args.peer_worker, json.load(sys.stdin)), sys.stdout)
        return 0

    def log(msg):
        print(f"known_item: {msg}", file=sys.stderr, flush=True)

    t_start = time.perf_counter()
    timings = {}
    root = os.path.join(args.shared, "corpus", "news-de")
    try:
        if not os.path.isdir(root):
            raise SetupError(f"{root} not found; set ARCHIV_SHARED to the shared data folder")
        if not os.access(args.bin, os.X_OK):
            raise SetupError(f"{args.bin} not found; run cargo build --release")
        root = os.path.realpath(root)
        t0 = time.perf_counter()
        info = build_indexes(args, root, log)
        timings["indexes (cached or built)"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        c = Corpus(root, load_stop_words())
        docs, eligible, rng = sample(c, args.sample, args.seed)
        queries = make_queries(c, docs, rng)
        timings["reading news-de and making queries"] = time.perf_counter() - t0
        log(f"{len(docs)} articles sampled, {len(queries)} queries")
        if not queries:
            raise SetupError("no queries could be made")

        results = {}
        t0 = time.perf_counter()
        results["archiv"] = run_archiv(args.bin, info["archiv"], queries)
        timings["archiv queries"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        results.update(run_peers(info["xapian"], info["fts5"], queries))
        timings["Xapian and FTS5 queries"] = time.perf_counter() - t0
    except SetupError as e:
        print(f"eval/known_item.py: {e}", file=sys.stderr)
        return 2

    rows = score(queries, results)
    timings["total"] = time.perf_counter() - t_start
    counts = {"docs": len(c.docs), "eligible": eligible, "sampled": len(docs), "queries": len(queries)}
    md = report(args, info, rows, counts, timings)
    print(md)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(md)
    if args.show_failures:
        show_failures(queries, results, args.show_failures)
    mrr = rows["all"]["archiv"][0]
    if mrr < args.min_mrr_archiv:
        print(f"eval/known_item.py: archiv's MRR@10 {mrr:.3f} is below the floor {args.min_mrr_archiv:.3f}",
              file=sys.stderr)
        return 1
    log(f"archiv MRR@10 {mrr:.3f} (floor {args.min_mrr_archiv:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
