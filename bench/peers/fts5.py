#!/usr/bin/env python3
"""SQLite FTS5 peer for the archiv benchmark.

    fts5.py index DIR... DB                     build DB from the articles under DIR
    fts5.py search DB QUERY [--from D] [--to D] [-n 10]   top hits, bm25, with snippet()
    fts5.py sql QUERY [--from D] [--to D] [-n 10]         the SQL that `search` runs, for the
                                                            sqlite3 CLI (timed without Python)

One table: fts5(title, body, date UNINDEXED, path UNINDEXED, source UNINDEXED) with
tokenize="unicode61 remove_diacritics 2": Unicode word splitting, lower case, diacritics
folded, and no stemming, no stop words, no compound handling -- what FTS5 offers for German
out of the box. Ranking is bm25 with the title weighted 2.5 as archiv weighs it.

The query is translated from archiv's syntax: words are ORed (archiv finds any word and
ranks those with all first; FTS5's implicit AND would find fewer), "phrases", AND/OR/NOT
and title:word are kept. --from/--to filter on the date column (YYYY[-MM[-DD]], --to
inclusive). archiv's --country/--actor/--facets/--timeline have no counterpart here.

Uses Python's sqlite3 module when its SQLite has FTS5, else the sqlite3 CLI (Debian's
package `sqlite3`) for both indexing and searching.
"""

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import articles  # noqa: E402

SCHEMA = (
    "CREATE VIRTUAL TABLE docs USING fts5(title, body, date UNINDEXED, path UNINDEXED, "
    "source UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')"
)


def has_fts5() -> bool:
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(a)")
        return True
    except sqlite3.OperationalError:
        return False


def sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def fts_quote(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def match_expr(query: str) -> str:
    """archiv query -> FTS5 MATCH expression (see the module doc)."""
    out, need_op = [], False
    for p in articles.query_parts(query):
        if p[0] == "op":
            out.append(p[1])
            need_op = False
            continue
        if need_op:
            out.append("OR")
        if p[0] == "field":
            out.append(f"title : {fts_quote(p[2])}")
        else:
            out.append(fts_quote(p[1]))
        need_op = True
    if not out:
        raise SystemExit("fts5.py: empty query")
    return " ".join(out)


def search_sql(query, date_from=None, date_to=None, limit=10, literal=False):
    """The two statements of a search (total, then top hits) and their parameters.
    literal=True inlines the parameters, for the sqlite3 CLI."""
    lo, hi = articles.date_bounds(date_from, date_to)
    params = [match_expr(query)]
    where = "docs MATCH ?"
    if lo:
        where += " AND date >= ?"
        params.append(lo)
    if hi:
        where += " AND date <> '' AND date <= ?"
        params.append(hi)
    count = f"SELECT count(*) FROM docs WHERE {where}"
    top = (
        "SELECT date, title, path, snippet(docs, -1, '[', ']', '…', 24) FROM docs "
        f"WHERE {where} ORDER BY bm25(docs, 2.5, 1.0) LIMIT {int(limit)}"
    )
    if literal:
        for p in params:
            count = count.replace("?", sql_str(p), 1)
            top = top.replace("?", sql_str(p), 1)
        return count, top, []
    return count, top, params


def cmd_index(args):
    if os.path.exists(args.db):
        os.remove(args.db)
    rows = ((a["title"], a["body"], a["date"], a["path"], a["source"]) for a in articles.walk(args.dirs))
    n = 0
    if has_fts5():
        con = sqlite3.connect(args.db)
        con.execute(SCHEMA)
        with con:  # one transaction: what anyone loading a batch does
            for n, row in enumerate(rows, 1):
                con.execute("INSERT INTO docs VALUES (?, ?, ?, ?, ?)", row)
        # merge the b-trees into one, the state a finished index should be searched in
        con.execute("INSERT INTO docs(docs) VALUES ('optimize')")
        con.commit()
        con.close()
    else:
        cli = shutil.which("sqlite3") or sys.exit("fts5.py: no FTS5 in Python's sqlite3 and no sqlite3 CLI")
        proc = subprocess.Popen([cli, args.db], stdin=subprocess.PIPE, text=True, encoding="utf-8")
        proc.stdin.write(SCHEMA + ";\nBEGIN;\n")
        for n, row in enumerate(rows, 1):
            proc.stdin.write("INSERT INTO docs VALUES (" + ", ".join(sql_str(v) for v in row) + ");\n")
        proc.stdin.write("COMMIT;\nINSERT INTO docs(docs) VALUES ('optimize');\n")
        proc.stdin.close()
        if proc.wait() != 0:
            sys.exit("fts5.py: sqlite3 CLI failed")
    print(f"fts5.py: {n} articles indexed into {args.db}", file=sys.stderr)


def cmd_search(args):
    if not os.path.exists(args.db):
        sys.exit(f"fts5.py: no database at {args.db}")
    if has_fts5():
        con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
        count, top, params = search_sql(args.query, args.date_from, args.date_to, args.limit)
        try:
            total = con.execute(count, params).fetchone()[0]
            rows = con.execute(top, params).fetchall()
        except sqlite3.OperationalError as e:
            print(f"fts5.py: {e}", file=sys.stderr)
            return 2
    else:
        count, top, _ = search_sql(args.query, args.date_from, args.date_to, args.limit, literal=True)
        res = subprocess.run(
            ["sqlite3", "-readonly", "-separator", "\x1f", args.db, count + ";", top + ";"],
            capture_output=True, text=True, encoding="utf-8",
        )
        if res.returncode != 0:
            print(res.stderr, file=sys.stderr, end="")
            return 2
        lines = res.stdout.split("\n")
        total = int(lines[0])
        rows = [l.split("\x1f") for l in lines[1:] if l]
    w = sys.stdout.write
    w(f'{total} hit{"" if total == 1 else "s"} for "{args.query}"\n\n')
    for rank, (date, title, path, snip) in enumerate(rows, 1):
        w(f"  {rank}. {date or '-'}\n     {title}\n     {path}\n     {snip}\n\n")
    return 0 if total else 1


def main():
    ap = argparse.ArgumentParser(description="SQLite FTS5 peer for the archiv benchmark")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("index")
    p.add_argument("paths", nargs="+", metavar="DIR... DB")
    for name in ("search", "sql"):
        p = sub.add_parser(name)
        if name == "search":
            p.add_argument("db")
        p.add_argument("query")
        p.add_argument("--from", dest="date_from")
        p.add_argument("--to", dest="date_to")
        p.add_argument("-n", "--limit", type=int, default=10)
    args = ap.parse_args()
    if args.cmd == "index":
        if len(args.paths) < 2:
            ap.error("index needs at least one DIR and the DB")
        args.dirs, args.db = args.paths[:-1], args.paths[-1]
        cmd_index(args)
        return 0
    if args.cmd == "sql":
        count, top, _ = search_sql(args.query, args.date_from, args.date_to, args.limit, literal=True)
        print(count + ";\n" + top + ";")
        return 0
    return cmd_search(args)


if __name__ == "__main__":
    sys.exit(main())
