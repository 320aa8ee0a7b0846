#!/usr/bin/env bash
# The benchmark in one command: builds archiv (release), then measures
# ingest, re-index, search and scale against SQLite FTS5, Xapian and ripgrep on the
# texts in ../shared/corpus, and writes bench/RESULTS.md.
#
#   bench/run.sh [--runs N] [--scale none|10k|100k|1m] [--scale-runs N] [--seed N]
#                [--work DIR] [--no-build]
#
#   --runs N        runs per figure (default 5); each figure is the median with min–max
#   --scale S       synthetic sizes to measure: none, 10k, 10k+100k (default), or up to 1m
#                   (1m: ~3.5 GB of text, about an hour in all; off by default)
#   --xapian-at-1m  also index the 1m archive with Xapian (over two hours on 2 cores: its
#                   ingest of 100k articles takes ~13 minutes); left out by default
#   --scale-runs N  runs per figure at 10k and 100k (default: --runs, at most 3; 1m: 1)
#   --seed N        seed of bench/gen.py (default 1)
#   --work DIR      scratch folder for indexes and generated data (default $BENCH_WORK,
#                   else /tmp/archiv-bench); generated archives are kept there and reused
#   --no-build      measure target/release/archiv as it is (skip `cargo build --release`)
#
# Duration on 2 cores: about 4 minutes with --runs 1 --scale 10k; the default (5 runs,
# up to 100k) takes over an hour, most of it Xapian's ingest of 100k articles.
#
# Needs ../shared (or $ARCHIV_SHARED) and, from Debian: sqlite3, xapian-tools, python3-xapian,
# ripgrep, time; as root the missing ones are installed. Nothing is written into the
# repository except bench/RESULTS.md.
set -Eeuo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
command_line="bench/run.sh${*:+ $*}"

runs=5
scale=100k
scale_runs=
seed=1
work=${BENCH_WORK:-/tmp/archiv-bench}
build=1
xapian_at_1m=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    --scale) scale=${2:?--scale needs none, 10k, 100k or 1m}; shift 2 ;;
    --scale-runs) scale_runs=${2:?--scale-runs needs a number}; shift 2 ;;
    --seed) seed=${2:?--seed needs a number}; shift 2 ;;
    --work) work=${2:?--work needs a folder}; shift 2 ;;
    --no-build) build=0; shift ;;
    --xapian-at-1m) xapian_at_1m=1; shift ;;
    -h|--help) awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$runs" in ''|*[!0-9]*|0) echo "bench/run.sh: --runs must be a positive number" >&2; exit 2 ;; esac
[ -n "$scale_runs" ] || scale_runs=$(( runs < 3 ? runs : 3 ))
case "$scale" in
  none) sizes=() ;;
  10k) sizes=(10k) ;;
  100k) sizes=(10k 100k) ;;
  1m) sizes=(10k 100k 1m) ;;
  *) echo "bench/run.sh: --scale must be none, 10k, 100k or 1m" >&2; exit 2 ;;
esac

trap 'echo "bench/run.sh: FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR

# --- the data: fail loudly, a benchmark without it is meaningless
shared=${ARCHIV_SHARED:-$repo/../shared}
newsde=$shared/corpus/news-de
if [ ! -d "$newsde" ] || [ ! -d "$shared/corpus" ]; then
  echo "bench/run.sh: $newsde not found: the benchmark needs ../shared (set ARCHIV_SHARED to the shared data folder)" >&2
  exit 2
fi
newsde=$(cd "$newsde" && pwd)
shared=$(cd "$shared" && pwd)

# --- tools: install what is missing (Debian packages), as root only
missing=()
command -v sqlite3 >/dev/null || missing+=(sqlite3)
command -v quest >/dev/null || missing+=(xapian-tools)
/usr/bin/python3 -c 'import xapian' 2>/dev/null || missing+=(python3-xapian)
command -v rg >/dev/null || missing+=(ripgrep)
[ -x /usr/bin/time ] || missing+=(time)
source "$repo/bench/peers/packages.sh"
install_missing bench/run.sh
# The real interpreter behind `python3` (a pyenv shim would add a shell script's start-up
# to every call), for gen.py and the timing driver.
py=$(python3 -c 'import sys; print(sys.executable)')
# The FTS5 peer runs under Debian's /usr/bin/python3 when it has FTS5: its start-up is the
# plain interpreter's (~20 ms), where a pyenv/venv python3 may load site-packages hooks
# first (~80 ms here); its start-up is part of every search figure of fts5.py.
fts5_has() { "$1" -c 'import sqlite3; sqlite3.connect(":memory:").execute("create virtual table t using fts5(a)")' 2>/dev/null; }
if fts5_has /usr/bin/python3; then fts_py=/usr/bin/python3
elif fts5_has "$py"; then fts_py=$py
else
  fts_py=$py
  echo "bench/run.sh: note: Python's sqlite3 has no FTS5; fts5.py falls back to the sqlite3 CLI" >&2
fi

# --- archiv: build, then measure a copy so a concurrent rebuild cannot swap it mid-run
if [ "$build" -eq 1 ]; then
  echo "== cargo build --release"
  (cd "$repo" && cargo build --release)
fi
if [ ! -x "$repo/target/release/archiv" ]; then
  echo "bench/run.sh: $repo/target/release/archiv not found; run without --no-build" >&2
  exit 2
fi
mkdir -p "$work/bin" "$work/results"
work=$(cd "$work" && pwd)
rm -f "$work"/results/*.json
bin=$work/bin/archiv
cp "$repo/target/release/archiv" "$bin"
results=$work/results
t() { "$py" "$here/timing.py" "$@"; }
q() { printf '%q' "$1"; }

rev=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null)" ]; then rev="$rev-dirty"; fi
# Whether Xapian is measured at this size: at 1m only when asked (hours of ingest).
xapian_at() { [ "$1" != 1m ] || [ "$xapian_at_1m" -eq 1 ]; }

notes=()
[ "$build" -eq 1 ] || notes+=("Run with --no-build: the binary measured is target/release/archiv as found, which may not match the git revision.")
notes+=("Timing is our own driver (bench/timing.py: time.perf_counter around each process, peak RSS from /usr/bin/time); hyperfine is not used because it reports no memory and the query loops need per-query hit counts.")
case " ${sizes[*]:-} " in
  *" 1m "*) xapian_at 1m || notes+=("Xapian is left out at 1m (its ingest would take over two hours here; --xapian-at-1m measures it).") ;;
esac
notes+=("Scratch folder: $work (results/*.json hold every single measurement; the news-de indexes and the generated archives stay there, the scale indexes are removed after measuring).")
# Other processes' share of the CPU while the benchmark is idle (not the load
# average, which counts the build just done).
busy_start=$(t others-busy)
BENCH_META_BUSY_START=$busy_start \
BENCH_META_COMMAND=$command_line BENCH_META_RUNS=$runs BENCH_META_REV=$rev BENCH_META_SEED=$seed \
BENCH_META_SCALE="${sizes[*]:-}" BENCH_META_SCALE_RUNS=$scale_runs BENCH_META_BIN="$repo/target/release/archiv" \
BENCH_META_NOTES="$(printf '%s\n' "${notes[@]}")" BENCH_META_FTS_PY=$fts_py \
"$py" - "$results/meta.json" <<'PY'
import datetime, json, os, sqlite3, subprocess, sys, time
e = os.environ
def startup_ms(exe):
    """Median bare start-up of an interpreter: part of every fts5.py search figure."""
    ts = []
    for _ in range(11):
        t0 = time.perf_counter()
        subprocess.run([exe, "-c", "pass"])
        ts.append(time.perf_counter() - t0)
    return sorted(ts)[5] * 1000
try:
    xv = subprocess.run(["/usr/bin/python3", "-c", "import xapian; print(xapian.version_string())"],
                        capture_output=True, text=True).stdout.strip()
except OSError:
    xv = "?"
meta = {
    "command": e["BENCH_META_COMMAND"], "runs": int(e["BENCH_META_RUNS"]),
    "started": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
    "load_start": " ".join(open("/proc/loadavg").read().split()[:3]),
    "busy_start": e["BENCH_META_BUSY_START"],
    "archiv_rev": e["BENCH_META_REV"],
    "archiv_built": datetime.datetime.fromtimestamp(os.path.getmtime(e["BENCH_META_BIN"])).strftime("%Y-%m-%d %H:%M"),
    "py_sqlite": sqlite3.sqlite_version, "xapian": xv,
    "python": f"{sys.executable} {sys.version.split()[0]}",
    "fts_python": e["BENCH_META_FTS_PY"],
    "fts_python_startup_ms": startup_ms(e["BENCH_META_FTS_PY"]),
    "seed": int(e["BENCH_META_SEED"]), "scale_sizes": e["BENCH_META_SCALE"].split(),
    "scale_runs": int(e["BENCH_META_SCALE_RUNS"]),
    "notes": [n for n in e["BENCH_META_NOTES"].split("\n") if n],
}
json.dump(meta, open(sys.argv[1], "w"), indent=1)
PY
start=$SECONDS
step() { echo "== $* ($(( SECONDS - start )) s)"; }

# --- ingest: one folder, three input shapes, each system from scratch every run
# Run by run, each system in turn (`--append`): a machine that slows down for a while
# slows every system alike, and the ratios between them hold.
ingest() { # PREFIX DATA-DIR RUNS [SIZE]
  local prefix=$1 data=$2 n=$3 dir=$work/idx/$1 r
  rm -rf "$dir"; mkdir -p "$dir"
  rm -f "$results/$prefix"-{archiv,archiv-noentities,fts5,xapian}.json
  for r in $(seq "$n"); do
    t cmd --append --name "$prefix archiv" --runs 1 --out "$results/$prefix-archiv.json" --size "$dir/archiv" \
      --raw "$data" --prep "rm -rf $(q "$dir/archiv")" -- "$bin" --index "$dir/archiv" index "$data" --rebuild
    if [ "$prefix" = ingest ]; then
      # What entity recognition costs: the same run without it (a hidden flag for this).
      t cmd --append --name "$prefix archiv-noentities" --runs 1 --out "$results/$prefix-archiv-noentities.json" \
        --size "$dir/archiv-noentities" --raw "$data" --prep "rm -rf $(q "$dir/archiv-noentities")" \
        -- "$bin" --index "$dir/archiv-noentities" index "$data" --rebuild --no-entities
    fi
    t cmd --append --name "$prefix fts5" --runs 1 --out "$results/$prefix-fts5.json" --size "$dir/fts5.db" \
      --raw "$data" --prep "rm -f $(q "$dir/fts5.db")" -- "$fts_py" "$here/peers/fts5.py" index "$data" "$dir/fts5.db"
    xapian_at "${4:-}" || continue
    t cmd --append --name "$prefix xapian" --runs 1 --out "$results/$prefix-xapian.json" --size "$dir/xapian" \
      --raw "$data" --prep "rm -rf $(q "$dir/xapian")" -- /usr/bin/python3 "$here/peers/xapian_index.py" "$data" "$dir/xapian"
  done
}

# --- search: every query of bench/queries.txt through every system
search() { # PREFIX INDEX-PREFIX DATA-DIR RUNS SYSTEMS...
  local prefix=$1 dir=$work/idx/$2 data=$3 n=$4 s r
  shift 4
  for s in "$@"; do rm -f "$results/$prefix-$s.json"; done
  # Round by round, the systems taking turns query by query (see `ingest`): run a round
  # of one system after the other's, and whichever went first came out up to 10 % faster.
  local systems
  systems=$(IFS=,; echo "$*")
  for r in $(seq "$n"); do
    t queries --append --system "$systems" --runs 1 --queries "$here/queries.txt" \
      --out "$results/$prefix-{system}.json" --archiv "$bin" --index "$dir/archiv" \
      --xapian-db "$dir/xapian" --fts5-db "$dir/fts5.db" --dir "$data" --python "$fts_py"
  done
}

step "ingest: news-de ($newsde)"
ingest ingest "$newsde" "$runs"

step "re-index of the unchanged folder (archiv)"
t cmd --name "archiv re-index" --runs "$runs" --out "$results/reindex-archiv.json" \
  -- "$bin" --index "$work/idx/ingest/archiv" index "$newsde"

step "incremental re-index after 1 % of files changed (archiv)"
copy=$work/news-de-copy
rm -rf "$copy" "$work/idx/incremental"
cp -a "$newsde" "$copy"
"$bin" --index "$work/idx/incremental" index "$copy" --rebuild 2>/dev/null
t cmd --name "archiv incremental" --runs "$runs" --out "$results/incremental-archiv.json" \
  --prep "$(q "$py") $(q "$here/timing.py") touch $(q "$copy") --percent 1 --seed {run}" \
  -- "$bin" --index "$work/idx/incremental" index "$copy"
rm -rf "$copy" "$work/idx/incremental"

# the sqlite3 CLI row only where Debian's CLI was built with FTS5
cli=(sqlite3)
echo 'create virtual table t using fts5(a);' | sqlite3 :memory: 2>/dev/null || cli=()
[ ${#cli[@]} -gt 0 ] || echo "bench/run.sh: note: the sqlite3 CLI has no FTS5; its search row is left out" >&2

step "search: news-de"
search search ingest "$newsde" "$runs" archiv quest fts5 "${cli[@]}" rg-l rg-c

for size in "${sizes[@]}"; do
  case "$size" in 10k) n=10000 ;; 100k) n=100000 ;; 1m) n=1000000 ;; esac
  data=$work/synth-$size
  # generated once per (size, seed, gen.py), then reused: 1M articles take minutes
  stamp="$n $seed $(sha256sum "$here/gen.py" | cut -c1-16) $(du -sb "$shared/corpus" | cut -f1)"
  if [ "$(cat "$data/.gen-stamp" 2>/dev/null)" != "$stamp" ]; then
    step "scale $size: generating $n articles"
    rm -rf "$data"
    "$py" "$here/gen.py" --articles "$n" --seed "$seed" --out "$data" --corpus "$shared/corpus"
    echo "$stamp" > "$data/.gen-stamp"
  fi
  # 1M: one run per figure (Xapian alone takes hours per ingest there)
  n_runs=$scale_runs; [ "$size" != 1m ] || n_runs=1
  step "scale $size: ingest"
  ingest "scale-$size-ingest" "$data" "$n_runs" "$size"
  step "scale $size: search"
  # rg -c, not -l: a part file holds 10,000 articles, so -l would stop at the first match
  peers=(fts5 "${cli[@]}" rg-c)
  ! xapian_at "$size" || peers=(quest "${peers[@]}")
  search "scale-$size-search" "scale-$size-ingest" "$data" "$n_runs" archiv "${peers[@]}"
  rm -rf "$work/idx/scale-$size-ingest"  # the indexes of 1M articles take tens of GB
done

step "report"
t report --work "$work" --out "$here/RESULTS.md"
echo "bench/run.sh: done in $(( SECONDS - start )) s; wrote $here/RESULTS.md"
