#!/usr/bin/env python3
"""Timing driver for bench/run.sh. Standard library only.

    timing.py cmd     --name N --runs R --out F.json [--append] [--prep SH] [--size P] [--raw P] -- CMD...
    timing.py touch   DIR --percent 1 --seed S
    timing.py queries --system S[,S...] --runs R --queries Q --out F.json [--append] (--index/--db/--dir ...)
    timing.py report  --work DIR --out RESULTS.md
    timing.py others-busy [--seconds 3]

`cmd` runs CMD R times under /usr/bin/time (wall clock from time.perf_counter, peak RSS
from GNU time's %M), after an untimed --prep shell snippet each run ({run} is replaced by
the run number), and records the size of --size (an index) and --raw (its input).

`queries` runs every query of bench/queries.txt through each system end to end (process
start to exit, output to /dev/null): once untimed to count hits, then R timed rounds, in
which every timed run follows an untimed run of the same query (its time kept as
`first_times`: the page cache as the host left it). Filters a system cannot express are
dropped and listed. With several systems (`--system archiv,quest,...`, `--out` naming `{system}`), they take turns
query by query, the first of each turn moving on by one system every query and round.

With --append, `cmd` and `queries` add their runs to those already in F.json (`queries`
then skips the warm-up: the first call made it). bench/run.sh calls them one run at a
time, `cmd` system after system and `queries` with every system taking turns, so that a
machine that slows down for a while (other work, a busy host) slows every system alike
and the ratios between them hold.

`report` turns the JSON files of one run into RESULTS.md: every figure is the median
over the runs, with min-max.

`others-busy` prints the share of the CPU that other processes (and the host, as steal
time) took during a few idle seconds of the benchmark, from /proc/stat. bench/run.sh
samples it before the first measurement and `report` after the last. The load average
would count the benchmark's own build and runs.
"""

import argparse
import datetime
import json
import os
import platform
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "peers"))
import articles  # noqa: E402  (bench/peers/articles.py: query and date helpers shared with the peers)

GNU_TIME = "/usr/bin/time"


# ---------------------------------------------------------------- helpers


def tree_bytes(path):
    """Apparent size of a file or of every file under a folder."""
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for dp, _, fs in os.walk(path):
        for f in fs:
            fp = os.path.join(dp, f)
            if not os.path.islink(fp):
                total += os.path.getsize(fp)
    return total


def tree_files(path):
    return sum(len(fs) for _, _, fs in os.walk(path))


def percentile(values, p):
    """Linear interpolation between closest ranks (numpy's default)."""
    v = sorted(values)
    if not v:
        return float("nan")
    k = (len(v) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def die(msg):
    print(f"timing.py: {msg}", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------- cmd


def cmd_cmd(a):
    if not os.path.exists(GNU_TIME):
        die(f"{GNU_TIME} not found (Debian package `time`)")
    argv = a.command[1:] if a.command and a.command[0] == "--" else a.command
    if not argv:
        die("cmd: no command given after --")
    runs = previous(a.out)["runs"] if a.append else []
    done = len(runs)
    log = ""
    for r in range(done + 1, done + a.runs + 1):
        if a.prep:
            subprocess.run(["bash", "-c", a.prep.replace("{run}", str(r))], check=True)
        with tempfile.NamedTemporaryFile("r", suffix=".time") as tf, tempfile.TemporaryFile("w+") as out:
            t0 = time.perf_counter()
            res = subprocess.run([GNU_TIME, "-f", "%e %M", "-o", tf.name, *argv], stdout=out, stderr=out)
            wall = time.perf_counter() - t0
            out.seek(0)
            log = out.read()
            if res.returncode != 0:
                die(f"{a.name}: run {r} failed with exit code {res.returncode}: {shlex.join(argv)}\n{log[-3000:]}")
            fields = tf.read().split()
        rss_kb = int(fields[-1]) if fields else 0
        runs.append({"wall_s": wall, "rss_kb": rss_kb})
        print(f"  {a.name} run {r}: {wall:.2f} s, {rss_kb / 1024:.0f} MB peak RSS", file=sys.stderr)
    result = {"name": a.name, "cmd": display_join(argv), "prep": a.prep, "runs": runs, "log": log.strip()[-2000:]}
    m = re.search(r"(\d+) articles", log)
    if m:
        result["articles"] = int(m.group(1))
    m = re.search(r"(\d+) indexed, (\d+) updated, (\d+) unchanged, (\d+) removed, (\d+) skipped", log)
    if m:
        result["archiv_summary"] = dict(zip(("indexed", "updated", "unchanged", "removed", "skipped"), map(int, m.groups())))
    if a.size:
        result["size_bytes"] = tree_bytes(a.size)
    if a.raw:
        result["raw_bytes"] = tree_bytes(a.raw)
        result["raw_files"] = tree_files(a.raw) if os.path.isdir(a.raw) else 1
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)


def previous(path):
    """What an earlier call wrote to path, for --append (nothing yet on the first)."""
    if not os.path.exists(path):
        return {"runs": [], "times": []}
    with open(path) as f:
        return json.load(f)


# ---------------------------------------------------------------- touch


def cmd_touch(a):
    """Change `percent` % of the article files under DIR, keeping each file readable in its
    shape, so that an incremental `archiv index` has to re-read them. Deterministic per seed."""
    files = []
    for dp, dns, fs in os.walk(a.dir):
        dns.sort()
        files += [os.path.join(dp, f) for f in sorted(fs) if f.rsplit(".", 1)[-1] in ("json", "txt", "html", "htm")]
    files.sort()
    k = max(1, round(len(files) * a.percent / 100))
    line = f"Aktualisiert im Benchmark-Lauf {a.seed}."
    for path in random.Random(a.seed).sample(files, k):
        ext = path.rsplit(".", 1)[-1]
        with open(path, "rb") as f:
            data = f.read()
        if ext == "json":
            obj = json.loads(articles.decode(data))
            target = obj if isinstance(obj, dict) else obj[0]
            target["maintext"] = (target.get("maintext") or "") + "\n" + line
            data = json.dumps(obj, ensure_ascii=False).encode("utf-8")
        elif ext in ("html", "htm"):
            # ASCII only, so a Windows-1252 page stays valid in its own encoding
            i = data.rfind(b"</body>")
            i = len(data) if i < 0 else i
            data = data[:i] + f"<p>{line}</p>\n".encode("ascii") + data[i:]
        else:
            data = data.rstrip(b"\r\n") + f"\n\n{line}\n".encode("ascii")
        with open(path, "wb") as f:
            f.write(data)
    print(f"timing.py touch: changed {k} of {len(files)} files under {a.dir} (seed {a.seed})", file=sys.stderr)


# ---------------------------------------------------------------- queries


def load_queries(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if "\t" not in line:
                die(f"{path}:{n}: expected SHAPE<TAB>QUERY")
            shape, rest = line.split("\t", 1)
            i = rest.find(" --")
            query, flags = (rest[:i], shlex.split(rest[i:])) if i >= 0 else (rest, [])
            out.append({"shape": shape.strip(), "query": query.strip(), "flags": flags, "line": rest})
    return out


def parse_flags(flags):
    f = {"from": None, "to": None, "country": [], "actor": [], "source": [], "facets": False, "timeline": False}
    it = iter(flags)
    for x in it:
        if x in ("--facets", "--timeline"):
            f[x[2:]] = True
        elif x in ("--from", "--to"):
            f[x[2:]] = next(it)
        elif x in ("--country", "--actor", "--source"):
            f[x[2:]].append(next(it))
        else:
            die(f"unknown flag in queries file: {x}")
    return f


def quest_date_terms(lo, hi):
    """A cover of [lo, hi] (YYYY-MM-DD) by as few XD year/month/day terms as possible,
    as `date:` boolean filters (ORed by Xapian's QueryParser since they share a prefix)."""
    d = datetime.date.fromisoformat(lo or "2000-01-01")
    end = datetime.date.fromisoformat(hi or "2030-12-31")
    terms = []
    while d <= end:
        if d.month == 1 and d.day == 1 and datetime.date(d.year, 12, 31) <= end:
            terms.append(f"date:{d.year:04d}")
            d = datetime.date(d.year + 1, 1, 1)
            continue
        nxt = datetime.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
        if d.day == 1 and nxt - datetime.timedelta(days=1) <= end:
            terms.append(f"date:{d.year:04d}{d.month:02d}")
            d = nxt
            continue
        terms.append(f"date:{d:%Y%m%d}")
        d += datetime.timedelta(days=1)
    return terms


def build(system, q, a):
    """argv for one query on one system, and what of the query it could not express."""
    f = parse_flags(q["flags"])
    dropped = [k for k in ("country", "actor", "source") if f[k]] + [k for k in ("facets", "timeline") if f[k]]
    if system == "archiv":
        return [a.archiv, "--index", a.index, "--color", "never", "search", q["query"], "-n", "10", *q["flags"]], []
    if system == "quest":
        # Lower-case the words: with STEM_SOME, Xapian's QueryParser does not stem a capitalised
        # word, i.e. any German noun; lower case lets german2 stem it as TermGenerator did.
        words = []
        for p in articles.query_parts(q["query"]):
            if p[0] == "op":
                words.append(p[1])
            elif p[0] == "phrase":
                words.append('"' + p[1].lower() + '"')
            elif p[0] == "field":
                words.append(f"title:{p[2].lower()}")
            else:
                words.append(p[1].lower())
        if f["from"] or f["to"]:
            words += quest_date_terms(*articles.date_bounds(f["from"], f["to"]))
        return ["quest", "-d", a.db, "-s", "german2", "-m", "10", "-p", "title:S", "-b", "date:XD", " ".join(words)], dropped
    if system in ("fts5", "sqlite3"):
        if system == "fts5":
            argv = [a.python, os.path.join(HERE, "peers", "fts5.py"), "search", a.db, q["query"], "-n", "10"]
            for k in ("from", "to"):
                if f[k]:
                    argv += [f"--{k}", f[k]]
            return argv, dropped
        import fts5  # bench/peers/fts5.py

        count, top, _ = fts5.search_sql(q["query"], f["from"], f["to"], 10, literal=True)
        return ["sqlite3", "-readonly", a.db, f"{count}; {top};"], dropped
    if system in ("rg-l", "rg-c"):
        # what a user types without an index: any of the words (or the phrase), case-insensitive,
        # fixed strings; no AND across lines, no field, no date, nothing else
        pats = []
        for p in articles.query_parts(q["query"]):
            if p[0] in ("word", "phrase"):
                pats += ["-e", p[1]]
            elif p[0] == "field":
                pats += ["-e", p[2]]
        extra = ["AND"] if " AND " in q["query"] else []
        extra += ["title:"] if "title:" in q["query"] else []
        extra += ["date"] if f["from"] or f["to"] else []
        return ["rg", "-i", "-F", "-l" if system == "rg-l" else "-c", *pats, a.dir], extra + dropped
    die(f"unknown system {system}")


SYSTEMS = ("archiv", "quest", "fts5", "sqlite3", "rg-l", "rg-c")

# the query whose command line RESULTS.md shows for each system
SAMPLE = {"shape": "date", "query": "Nordkorea Soldaten", "flags": ["--from", "2024-10", "--to", "2024-12"],
          "line": "Nordkorea Soldaten --from 2024-10 --to 2024-12"}


def display_join(argv):
    """Like shlex.join, but an argument with single quotes (SQL) goes in double quotes."""
    out = []
    for x in argv:
        q = shlex.quote(x)
        if "'" in x and q != x:
            q = '"' + re.sub(r'(["\\$`])', r"\\\1", x) + '"'
        out.append(q)
    return " ".join(out)


HITS_RE = {
    "archiv": re.compile(r"^(\d+) hits? for", re.M),
    "fts5": re.compile(r"^(\d+) hits? for", re.M),
    # "Exactly 12 matches", "About 80 matches", "Between 68 and 88 matches, best estimate is 80"
    "quest": re.compile(r"^(?:Exactly|About) (\d+) match|best estimate is (\d+)", re.M),
}


def count_hits(system, out):
    if system in HITS_RE:
        m = HITS_RE[system].search(out)
        return int(next(g for g in m.groups() if g is not None)) if m else 0
    if system == "sqlite3":
        first = out.split("\n", 1)[0].strip()
        return int(first) if first.isdigit() else 0
    lines = [line for line in out.splitlines() if line.strip()]
    if system == "rg-c":  # "path:count" per file (a bare count for a single file): matching lines
        return sum(int(line.rsplit(":", 1)[-1]) for line in lines)
    return len(lines)  # rg -l: files with a match


def warm_up(system, queries, built):
    """One untimed pass: counts each query's hits, and fails loudly on a broken command
    (rg exits 1 on no match, archiv and fts5.py too: not errors)."""
    hits = []
    for q, (argv, _) in zip(queries, built):
        if system == "quest":
            # quest prints an estimate of the matches; -c makes it count them all (untimed pass only)
            argv = argv[:1] + ["-c", "100000000"] + argv[1:]
        res = subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", errors="replace")
        if res.returncode not in (0, 1):
            die(f"{system}: exit code {res.returncode} for {q['line']!r}: {shlex.join(argv)}\n{res.stderr[-2000:]}")
        hits.append(count_hits(system, res.stdout))
    return hits


def cmd_queries(a):
    """Every query through every system of --system (comma-separated), the systems taking
    turns query by query, in an order that turns by one system from query to query and
    from round to round: whatever runs first or after another (a warm cache, a core
    just woken) falls on every system alike."""
    queries = load_queries(a.queries)
    systems = a.system.split(",")
    for s in systems:
        if s not in SYSTEMS:
            die(f"unknown system {s} (one of {', '.join(SYSTEMS)})")
    if len(systems) > 1 and "{system}" not in a.out:
        die("--out needs {system} when several systems take turns")
    runs = {}
    for s in systems:
        sa = argparse.Namespace(**vars(a))
        sa.db = {"quest": a.xapian_db, "fts5": a.fts5_db, "sqlite3": a.fts5_db}.get(s) or a.db
        out = a.out.replace("{system}", s)
        earlier = previous(out) if a.append else {"times": []}
        built = [build(s, q, sa) for q in queries]
        # Appended rounds take the hits the first call counted.
        if earlier["times"]:
            hits = [q["hits"] for q in earlier["queries"]]
        else:
            hits = warm_up(s, queries, built)
        runs[s] = {
            "args": sa,
            "out": out,
            "built": built,
            "hits": hits,
            "times": earlier["times"],
            "first_times": earlier.get("first_times", []),
        }
    done = min(len(r["times"]) for r in runs.values())
    for r in range(done, done + a.runs):
        rows = {s: [0.0] * len(queries) for s in systems}
        first_rows = {s: [0.0] * len(queries) for s in systems}
        for i in range(len(queries)):
            turn = (r + i) % len(systems)
            for s in systems[turn:] + systems[:turn]:
                # Once untimed right before the timed run, as `hyperfine --warmup`: the warm-up
                # pass above can be minutes old at 1M articles, and a host that pages out
                # memory untouched for a minute (this VM's DAMON) had let the index go again.
                # That first run's time is kept as the cache the host left.
                for timed in (False, True):
                    t0 = time.perf_counter()
                    subprocess.run(runs[s]["built"][i][0], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    (rows if timed else first_rows)[s][i] = time.perf_counter() - t0
        for s in systems:
            runs[s]["times"].append(rows[s])
            runs[s]["first_times"].append(first_rows[s])
            print(
                f"  {s} round {r + 1}: p50 {percentile(rows[s], 50) * 1000:.1f} ms, "
                f"p95 {percentile(rows[s], 95) * 1000:.1f} ms over {len(rows[s])} queries",
                file=sys.stderr,
            )
    for s in systems:
        run = runs[s]
        template = build(s, SAMPLE, run["args"])[0]
        with open(run["out"], "w") as f:
            json.dump(
                {
                    "system": s,
                    "cmd": display_join(template),
                    "cmd_for": SAMPLE["line"],
                    "queries": [
                        {"shape": q["shape"], "line": q["line"], "argv": argv, "dropped": d, "hits": h}
                        for q, (argv, d), h in zip(queries, run["built"], run["hits"])
                    ],
                    "times": run["times"],
                    "first_times": run["first_times"],
                },
                f,
                indent=1,
            )


# ---------------------------------------------------------------- report


def med_range(values, fmt="{:.2f}", scale=1.0):
    v = [x * scale for x in values]
    m = fmt.format(statistics.median(v))
    if len(v) < 2:
        return m
    return f"{m} ({fmt.format(min(v))}–{fmt.format(max(v))})"


def ratio(a, b):
    return f"{a / b:.2f}×" if b else "–"


def mb(x):
    return x / 1e6


def sh(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "(not available)"


def load(work, name):
    p = os.path.join(work, "results", name + ".json")
    if not os.path.exists(p):
        return None
    with open(p) as f:
        return json.load(f)


def query_stats(res):
    """Per run: p50 and p95 over the queries; per query: the median over the runs."""
    p50 = [percentile(row, 50) for row in res["times"]]
    p95 = [percentile(row, 95) for row in res["times"]]
    per_q = [statistics.median(col) for col in zip(*res["times"])]
    return p50, p95, per_q


def cmd_report(a):
    work = a.work
    meta = json.load(open(os.path.join(work, "results", "meta.json")))
    L = []
    w = L.append
    runs = meta["runs"]
    w("# Benchmark results")
    w("")
    w(
        f"Written by `{meta['command']}` on {meta['started']} (finished {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}). "
        f"Every figure is the **median over {runs} run{'s' if runs != 1 else ''}**"
        + (", with the spread (min–max) in brackets." if runs > 1 else "; with one run there is no spread.")
        + " Times are wall clock, end to end (process start to exit). The systems take turns run by"
        " run (search: query by query, the first of each turn moving on every query), so that a slower"
        " spell of the machine, or a first place, weighs on all alike."
    )
    w("")

    # --- machine and versions
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    load_end = open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else ["?"]
    busy_end = others_busy()
    busy_end = "?" if busy_end is None else f"{busy_end:.0f}"
    busy_start = meta.get("busy_start", "?")
    busy = max((float(b) for b in (busy_start, busy_end) if b != "?"), default=0.0)
    if busy >= 25:
        w(
            f"> **The machine was busy**: other processes (or the host) took {busy:.0f} % of the CPU in an idle "
            "moment of the benchmark, at its start or end, so these figures are noisier and slower than on an "
            "idle machine. Re-run when it is idle before comparing."
        )
        w("")
    w("## Machine and versions")
    w("")
    w("| | |")
    w("|---|---|")
    w(f"| cores | {os.cpu_count()} ({cpu}) |")
    w(f"| memory | {mem} |")
    w(f"| kernel | {platform.release()} |")
    w(f"| CPU taken by other processes in an idle moment, at start / end | {busy_start} % / {busy_end} % |")
    w(f"| load average (1/5/15 min) at start / end, the benchmark's own work included | {meta['load_start']} / {' '.join(load_end)} |")
    w(f"| archiv | git {meta['archiv_rev']}, binary built {meta['archiv_built']} |")
    w(f"| SQLite | CLI {sh(['sqlite3', '--version']).split(' ')[0]}, Python module {meta['py_sqlite']} |")
    w(f"| Xapian | python3-xapian {meta['xapian']}, {sh(['quest', '--version']).splitlines()[0] if shutil.which('quest') else '-'} |")
    w(f"| ripgrep | {sh(['rg', '--version']).splitlines()[0] if shutil.which('rg') else '-'} |")
    debian_py = sh(["/usr/bin/python3", "-c", "import platform; print(platform.python_version())"])
    w(
        f"| Python | fts5.py: {meta['fts_python']} (bare start-up {meta['fts_python_startup_ms']:.0f} ms); "
        f"xapian_index.py: /usr/bin/python3 {debian_py}; gen.py and timing.py: {meta['python']} |"
    )
    w("")

    # --- ingest
    systems = [
        ("archiv", "archiv `index --rebuild`"),
        ("archiv-noentities", "archiv `index --rebuild --no-entities` (no entity recognition)"),
        ("fts5", "SQLite FTS5 (fts5.py)"),
        ("xapian", "Xapian (xapian_index.py)"),
    ]

    def ingest_table(prefix):
        rows = [(s, lab, load(work, f"{prefix}-{s}")) for s, lab in systems]
        rows = [r for r in rows if r[2]]
        if not rows:
            return None
        base = rows[0][2] if rows[0][0] == "archiv" else None
        w("| system | wall s | MB/s | articles/s | peak RSS MB | index MB | index ÷ raw | archiv ÷ system (wall; > 1: archiv slower) |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|")
        for s, lab, r in rows:
            walls = [x["wall_s"] for x in r["runs"]]
            rawb = r.get("raw_bytes", 0)
            arts = r.get("articles", 0)
            w(
                f"| {lab} | {med_range(walls)} | {med_range([mb(rawb) / x for x in walls], '{:.1f}')} | "
                f"{med_range([arts / x for x in walls], '{:.0f}')} | "
                f"{med_range([x['rss_kb'] / 1024 for x in r['runs']], '{:.0f}')} | {mb(r.get('size_bytes', 0)):.1f} | "
                f"{r.get('size_bytes', 0) / rawb:.2f} | "
                + (ratio(statistics.median([x['wall_s'] for x in base['runs']]), statistics.median(walls)) if base else "–")
                + " |"
            )
        return rows[0][2]

    w("## Ingest: ../shared/corpus/news-de")
    w("")
    first = load(work, "ingest-archiv")
    if first:
        w(
            f"Input: {first['raw_files']} files (json, txt, html; ~8 % of txt and ~15 % of html in Windows-1252), "
            f"{mb(first['raw_bytes']):.1f} MB raw, {first.get('articles', '?')} articles. MB/s is raw bytes ÷ wall time; "
            "index size is on disk after the last run; peak RSS is GNU time's maximum resident set size."
        )
        w("")
    ingest_table("ingest")
    w("")
    with_entities, without = load(work, "ingest-archiv"), load(work, "ingest-archiv-noentities")
    if with_entities and without:
        wall_with = statistics.median([x["wall_s"] for x in with_entities["runs"]])
        wall_without = statistics.median([x["wall_s"] for x in without["runs"]])
        cost = 1 - wall_without / wall_with
        w(
            f"Entity recognition (countries, actors) costs **{cost * 100:.0f} %** of ingest throughput "
            f"(median wall {wall_with:.2f} s with it, {wall_without:.2f} s without; the target is at most 33 %)."
        )
        w("")
    w(
        "The peers' parsing is simpler than archiv's (no readability boilerplate removal, no date/entity extraction, "
        "first txt line always the title): archiv does more work per article. FTS5 runs one transaction and `optimize`; "
        "Xapian flushes every 10,000 documents and is not compacted."
    )
    w("")

    # --- re-index
    re1, inc = load(work, "reindex-archiv"), load(work, "incremental-archiv")
    if re1 or inc:
        w("## Re-index (archiv only)")
        w("")
        w("| run | wall s | peak RSS MB | archiv's summary |")
        w("|---|---:|---:|---|")
        for lab, r in (("unchanged folder (`archiv index` again)", re1), ("after 1 % of files changed", inc)):
            if not r:
                continue
            s = r.get("archiv_summary", {})
            summ = ", ".join(f"{v} {k}" for k, v in s.items() if v) or "-"
            w(f"| {lab} | {med_range([x['wall_s'] for x in r['runs']], '{:.3f}')} | {med_range([x['rss_kb'] / 1024 for x in r['runs']], '{:.0f}')} | {summ} (last run) |")
        w("")
        w(
            "The incremental run works on a copy of news-de in the scratch folder: before each run, `timing.py touch` "
            "changes a different 1 % of the files (seeded by the run number; json: a sentence appended to maintext, "
            "txt/html: a line appended, encoding kept), untimed. FTS5 and Xapian have no incremental mode over a "
            "folder: a caller has to track changed files itself, so their only figure is the full ingest above."
        )
        w("")

    # --- search
    qsys = [
        ("archiv", "archiv `search`"),
        ("quest", "Xapian `quest`"),
        ("fts5", "FTS5 `fts5.py search` (Python)"),
        ("sqlite3", "FTS5 via `sqlite3` CLI"),
        ("rg-l", "`rg -i -F -l` (no index)"),
        ("rg-c", "`rg -i -F -c` (no index)"),
    ]

    def search_section(prefix, title):
        res = [(s, lab, load(work, f"{prefix}-{s}")) for s, lab in qsys]
        res = [x for x in res if x[2]]
        if not res:
            return
        w(title)
        w("")
        nq = len(res[0][2]["queries"])
        w(f"{nq} queries from `bench/queries.txt`, top 10 with snippets where the system has them, output to /dev/null. p50/p95 are over the queries within a run.")
        w("")
        stats = {s: query_stats(r) for s, _, r in res}
        arch = stats.get("archiv")
        w(
            "| system | p50 ms | p95 ms | archiv ÷ system (p50; > 1: archiv slower) | archiv ÷ system (p95) "
            "| first run p50 ms | queries with 0 hits |"
        )
        w("|---|---:|---:|---:|---:|---:|---:|")
        for s, lab, r in res:
            p50, p95, _ = stats[s]
            zero = sum(1 for q in r["queries"] if not q["hits"])
            rat = (
                (ratio(statistics.median(arch[0]), statistics.median(p50)), ratio(statistics.median(arch[1]), statistics.median(p95)))
                if arch and s != "archiv"
                else ("–", "–")
            )
            first = [percentile(row, 50) for row in r.get("first_times", [])]
            first = med_range(first, "{:.1f}", 1000) if first else "–"
            w(f"| {lab} | {med_range(p50, '{:.1f}', 1000)} | {med_range(p95, '{:.1f}', 1000)} | {rat[0]} | {rat[1]} | {first} | {zero} |")
        w("")
        w(
            "Each timed run of a query follows an untimed run of the same query by the same system "
            "(as `hyperfine --warmup 1`); *first run* is that untimed run: the page cache as the "
            "host left it, which on this VM pages out memory left untouched for a minute."
        )
        w("")
        # archiv with --facets (and --timeline) against quest on the same words
        if arch and "quest" in stats:
            ar = next(r for s, _, r in res if s == "archiv")
            for shape in ("facets", "timeline"):
                idx = [i for i, q in enumerate(ar["queries"]) if q["shape"] == shape]
                if idx:
                    am = statistics.median(arch[2][i] for i in idx)
                    qm = statistics.median(stats["quest"][2][i] for i in idx)
                    w(
                        f"- archiv `--{shape}` ÷ quest (same words, quest without {shape}): "
                        f"{am * 1000:.1f} ms ÷ {qm * 1000:.1f} ms = **{ratio(am, qm)}** (median over the {len(idx)} `{shape}` queries)"
                    )
            w("")
        # per shape
        shapes = []
        for q in res[0][2]["queries"]:
            if q["shape"] not in shapes:
                shapes.append(q["shape"])
        w("Median time per query shape, ms (each query's median over the runs, then the median over the shape's queries):")
        w("")
        w("| shape | n | " + " | ".join(s for s, _, _ in res) + " |")
        w("|---|---:|" + "---:|" * len(res))
        for shape in shapes:
            idx = [i for i, q in enumerate(res[0][2]["queries"]) if q["shape"] == shape]
            cells = [f"{statistics.median(stats[s][2][i] for i in idx) * 1000:.1f}" for s, _, _ in res]
            w(f"| {shape} | {len(idx)} | " + " | ".join(cells) + " |")
        w("")
        # dropped filters
        notes = []
        for s, lab, r in res:
            d = {}
            for q in r["queries"]:
                for k in q["dropped"]:
                    d[k] = d.get(k, 0) + 1
            if d:
                notes.append(f"- {s}: " + ", ".join(f"`{k}` dropped in {n} quer{'y' if n == 1 else 'ies'}" for k, n in d.items()))
        if notes:
            w("What each peer could not express (the rest of the query was run without it):")
            w("")
            L.extend(notes)
            w("")
        # per query detail
        w("<details><summary>Per query: median ms over the runs / hits</summary>")
        w("")
        w("| shape | query | " + " | ".join(s for s, _, _ in res) + " |")
        w("|---|---|" + "---:|" * len(res))
        for i, q in enumerate(res[0][2]["queries"]):
            cells = []
            for s, _, r in res:
                h = r["queries"][i]["hits"]
                cells.append(f"{stats[s][2][i] * 1000:.1f} / {h}")
            w(f"| {q['shape']} | `{q['line']}` | " + " | ".join(cells) + " |")
        w("")
        w(
            "Hits: every match counted (quest with `-c` in the untimed pass; its timed runs print Xapian's estimate, "
            "as quest does by default); for rg `-l` the files with a match, for rg `-c` the matching lines "
            "(in JSON lines, one line is one article)."
        )
        w("</details>")
        w("")

    search_section("search", "## Search: ../shared/corpus/news-de")

    # --- scale
    sizes = meta.get("scale_sizes", [])
    if sizes:
        w("## Scale: synthetic archives from bench/gen.py")
        w("")
        w(
            f"`bench/gen.py --seed {meta.get('seed', 1)}` recombines real sentences of ../shared/corpus into N articles "
            "(JSON lines, 10,000 a file, dates over 2016–2025). Runs per figure here: "
            f"{meta.get('scale_runs', runs)}."
        )
        w("")
        w("| articles | raw MB | system | ingest s | MB/s | peak RSS MB | index MB | index ÷ raw | query p50 ms | query p95 ms |")
        w("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
        for size in sizes:
            for s, lab in systems:
                r = load(work, f"scale-{size}-ingest-{s}")
                if not r:
                    continue
                qs = load(work, f"scale-{size}-search-{'quest' if s == 'xapian' else s}")
                walls = [x["wall_s"] for x in r["runs"]]
                p50 = p95 = "–"
                if qs:
                    a50, a95, _ = query_stats(qs)
                    p50, p95 = med_range(a50, "{:.1f}", 1000), med_range(a95, "{:.1f}", 1000)
                w(
                    f"| {r.get('articles', size)} | {mb(r['raw_bytes']):.0f} | {lab} | {med_range(walls, '{:.1f}')} | "
                    f"{med_range([mb(r['raw_bytes']) / x for x in walls], '{:.1f}')} | "
                    f"{med_range([x['rss_kb'] / 1024 for x in r['runs']], '{:.0f}')} | {mb(r['size_bytes']):.0f} | "
                    f"{r['size_bytes'] / r['raw_bytes']:.2f} | {p50} | {p95} |"
                )
        w("")
        w("Queries at scale (same query set; xapian's row shows quest):")
        w("")
        for size in sizes:
            search_section(f"scale-{size}-search", f"### Search at {size}")

    # --- commands
    w("## Commands")
    w("")
    w("```sh")
    seen = set()
    names = [n[:-5] for n in os.listdir(os.path.join(work, "results")) if n.endswith(".json") and n != "meta.json"]
    order = ("ingest-", "reindex-", "incremental-", "search-", "scale-")
    names.sort(key=lambda n: (next((i for i, p in enumerate(order) if n.startswith(p)), 9), n))
    for name in names:
        r = load(work, name)
        line = r["cmd"]
        if r.get("prep"):
            line = f"# before each run: {r['prep']}\n{line}"
        key = re.sub(r"\d+[km]?", "#", line)  # one line per command shape, not per size
        if key in seen:
            continue
        seen.add(key)
        w(f"# {name}" + (f"  (shown for the query `{r['cmd_for']}`)" if r.get("cmd_for") else ""))
        w(line)
    w("```")
    w("")

    # --- notes
    w("## Notes")
    w("")
    for n in meta.get("notes", []):
        w(f"- {n}")
    w(
        "- archiv ranks by how many of the words match, then BM25 with German stemming, umlaut and compound handling; "
        "quest ORs the words with BM25 and Xapian's german2 stemmer (words lower-cased so the QueryParser stems "
        "them); FTS5 ORs the words with bm25 and no stemming (`Soldat` does not find `Soldaten`); rg matches the "
        "bytes literally (it does not decode Windows-1252, so a word with an umlaut misses those files)."
    )
    w(
        "- Snippets: archiv and FTS5 (`snippet()`) build query-dependent snippets; quest has no snippet generator "
        "and prints the stored document data (title, date, path, first 200 characters of the body) per hit."
    )
    w(
        f"- The FTS5 script's times include Python's start-up ({meta['fts_python_startup_ms']:.0f} ms for a bare "
        "`python3 -c pass`, more with the imports); the `sqlite3` CLI row runs the same two statements (count, then "
        "top 10 with snippet) without Python."
    )
    w(
        "- Date filters: FTS5 compares a date column; quest has no range option, so `--from/--to` become boolean "
        "`date:` filter terms (year, month and day terms covering the range, ORed). Country, actor, facets and "
        "timeline have no counterpart in the peers and are dropped there (counted above)."
    )
    w("")
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\n".join(L))
    print(f"timing.py: wrote {a.out}", file=sys.stderr)


# ---------------------------------------------------------------- idle check


def others_busy(seconds=3.0):
    """Percent of all cores' time that was not idle over `seconds` in which the
    benchmark itself does nothing: other processes, and steal time (a busy host).
    None where /proc/stat is missing."""
    def sample():
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        # user nice system idle iowait irq softirq steal (guest counted in user)
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        return sum(fields[:8]), idle
    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):
        return None
    total = total1 - total0
    return 100.0 * (total - (idle1 - idle0)) / total if total > 0 else None


def cmd_others_busy(a):
    busy = others_busy(a.seconds)
    print("?" if busy is None else f"{busy:.0f}")


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description="timing driver for bench/run.sh")
    sub = ap.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("cmd")
    p.add_argument("--name", required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--out", required=True)
    p.add_argument("--prep", help="untimed shell snippet before each run; {run} = run number")
    p.add_argument("--append", action="store_true", help="add the runs to those in --out")
    p.add_argument("--size", help="path whose size (index on disk) to record after the runs")
    p.add_argument("--raw", help="input path whose size to record")
    p.add_argument("command", nargs=argparse.REMAINDER)

    p = sub.add_parser("touch")
    p.add_argument("dir")
    p.add_argument("--percent", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=1)

    p = sub.add_parser("queries")
    p.add_argument("--system", required=True,
                   help="one of " + ", ".join(SYSTEMS) + ", or several, comma-separated, to take turns query by query")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--queries", default=os.path.join(HERE, "queries.txt"))
    p.add_argument("--out", required=True)
    p.add_argument("--archiv", help="archiv binary")
    p.add_argument("--index", help="archiv index folder")
    p.add_argument("--db", help="FTS5 database or Xapian database folder")
    p.add_argument("--xapian-db", help="Xapian database folder for quest (else --db)")
    p.add_argument("--fts5-db", help="FTS5 database for fts5 and sqlite3 (else --db)")
    p.add_argument("--dir", help="raw folder for rg")
    p.add_argument("--python", default=sys.executable, help="interpreter for fts5.py")
    p.add_argument("--append", action="store_true", help="add the rounds to those in --out")

    p = sub.add_parser("report")
    p.add_argument("--work", required=True)
    p.add_argument("--out", required=True)

    p = sub.add_parser("others-busy")
    p.add_argument("--seconds", type=float, default=3.0)

    a = ap.parse_args()
    {"cmd": cmd_cmd, "touch": cmd_touch, "queries": cmd_queries, "report": cmd_report,
     "others-busy": cmd_others_busy}[a.cmd](a)


if __name__ == "__main__":
    main()
