#!/usr/bin/env python3
"""Lists the functions a search runs, for the linker to place side by side.

    bench/hot_functions.py [--bin target/release/archiv] [--index DIR]

A search is a process of a few milliseconds, and the kernel maps a program's
code into it page by page as it first runs, 16 pages around each miss. Spread
over the 8 MB of archiv's code, the few hundred functions a search needs cost
it ~95 such misses; placed together first, ~20 (news-de, "Nordkorea Soldaten
Kursk"). `.cargo/link-static` hands this list to the linker (lld's
--symbol-ordering-file) when it links archiv.

Runs archiv under valgrind's callgrind (Debian's `valgrind`) for every query of
bench/queries.txt, and writes the functions that ran to .cargo/hot-functions.txt:
those every query runs first, then those fewer queries run. A Rust symbol ends
in a hash (`17h…E`) that changes with the compiler and the dependencies'
versions; where a listed one is gone, the linker script takes every function
of the same name. Re-run it after large changes to the search path: a
function missing from the list still works, it is only placed among the rest.

Run it on the program `cargo build --release` made, not one left by `cargo
test --release`: that builds target/release/archiv again with the features the
tests' dependencies add, and most hashes in it differ (a list written from it
matched 480 of the 1,223 functions of the program users build; the code changes
of a session move a handful).

Needs an index of ../shared/corpus/news-de (--index; otherwise one is built in
a temporary folder).
"""

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import timing  # noqa: E402

# callgrind's name line for a function: `fn=(id) name`, the name on first use only.
FN_LINE = re.compile(r"c?fn=\(\d+\) (.+)")


def functions_run(binary, index, query):
    with tempfile.NamedTemporaryFile(suffix=".callgrind") as out:
        argv = [binary, "--index", index, "--color", "never", "search", query["query"], "-n", "10",
                *query["flags"]]
        subprocess.run(["valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={out.name}",
                        *argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        names = set()
        with open(out.name, encoding="utf-8", errors="replace") as f:
            for line in f:
                m = FN_LINE.match(line)
                if m:
                    # `name'2` is callgrind's mark for a recursive call.
                    name = m.group(1).strip().split("'")[0]
                    # Addresses without a name and callgrind's own entries are no symbols.
                    if not name.startswith(("0x", "(")):
                        names.add(name)
        return names


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(REPO, "target", "release", "archiv"))
    ap.add_argument("--index", help="an index of news-de (default: built in a temporary folder)")
    ap.add_argument("--shared", default=os.environ.get("ARCHIV_SHARED") or os.path.join(REPO, "..", "shared"))
    ap.add_argument("--out", default=os.path.join(REPO, ".cargo", "hot-functions.txt"))
    args = ap.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("hot_functions.py: valgrind not found (Debian: apt-get install valgrind)")
    if not os.access(args.bin, os.X_OK):
        sys.exit(f"hot_functions.py: {args.bin} not found; run cargo build --release")
    queries = timing.load_queries(os.path.join(HERE, "queries.txt"))
    with tempfile.TemporaryDirectory() as scratch:
        index = args.index
        if not index:
            corpus = os.path.join(args.shared, "corpus", "news-de")
            if not os.path.isdir(corpus):
                sys.exit(f"hot_functions.py: {corpus} not found; pass --index or set ARCHIV_SHARED")
            index = os.path.join(scratch, "index")
            subprocess.run([args.bin, "--index", index, "index", corpus], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        runs = collections.Counter()
        for n, q in enumerate(queries, 1):
            runs.update(functions_run(args.bin, index, q))
            if sys.stderr.isatty():
                print(f"\rhot_functions.py: {n}/{len(queries)} queries", end="", file=sys.stderr)
        if sys.stderr.isatty():
            print(file=sys.stderr)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("# Functions a search runs, most queries first: written by bench/hot_functions.py,\n"
                f"# read by .cargo/link-static. {len(queries)} queries of bench/queries.txt.\n")
        for name, _ in sorted(runs.items(), key=lambda t: (-t[1], t[0])):
            f.write(name + "\n")
    print(f"hot_functions.py: {len(runs)} functions written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
