#!/usr/bin/env bash
# Issue #4: exports every hit for "Ukraine" over ../shared/corpus in each
# format, parses each file back (CSV and JSON with python3's csv and json,
# the HTML report in headless Chromium), checks that its rows equal the total
# of `archiv search Ukraine --format json` and are the same hits in the same
# order, and prints the wall time and peak memory (RSS) of each export.
# The report's screenshot is kept in target/eval-export/ to look at.
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${ARCHIV_SHARED:-../shared}"
corpus="$shared/corpus"
if [ ! -d "$corpus/news-de" ]; then
  echo "eval/export.sh: $corpus/news-de not found; set ARCHIV_SHARED to the shared data folder" >&2
  exit 2
fi
# CI machines start fresh: fetch the browser and GNU time from Debian.
command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
[ -x /usr/bin/time ] || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time)

cargo build --release --quiet
bin=target/release/archiv
query="Ukraine"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
keep=target/eval-export
mkdir -p "$keep"

echo "== indexing $corpus"
$bin --index "$work/index" index "$corpus" 2>&1 | tail -n 1

$bin --index "$work/index" search "$query" --format json --limit 1 > "$work/search1.json"
total=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"])' "$work/search1.json")
echo "== archiv search $query: total $total"
# Every hit, for comparing ids and order (an export never folds near-copies).
$bin --index "$work/index" search "$query" --format ndjson --limit "$total" --no-collapse > "$work/search.ndjson"

# name | extra export flags | file
runs=(
  "csv|--format csv|ukraine.csv"
  "csv --excel|--excel|ukraine-excel.csv"
  "json|--format json|ukraine.json"
  "ndjson|--format ndjson|ukraine.ndjson"
  "markdown|--format markdown|ukraine.md"
  "html|--format html|ukraine.html"
  "csv, first 100|--format csv --limit 100|first100.csv"
)
for run in "${runs[@]}"; do
  IFS='|' read -r name flags file <<< "$run"
  # shellcheck disable=SC2086
  /usr/bin/time -v -o "$work/$file.time" \
    $bin --index "$work/index" export "$query" $flags -o "$work/$file" 2> "$work/$file.log" \
    || { cat "$work/$file.log" "$work/$file.time"; echo "export $name failed" >&2; exit 1; }
done

echo "== opening the report in headless Chromium"
chrome=(chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --disable-dev-shm-usage --hide-scrollbars --user-data-dir="$(mktemp -d -p "$work")")
timeout 180 "${chrome[@]}" --window-size=1280,2000 --screenshot="$keep/report.png" \
  "file://$(realpath "$work/ukraine.html")" 2> "$work/chromium.log" || { cat "$work/chromium.log"; exit 1; }
timeout 180 "${chrome[@]}" --dump-dom "file://$(realpath "$work/ukraine.html")" \
  > "$work/dom.html" 2>> "$work/chromium.log" || { cat "$work/chromium.log"; exit 1; }
cp "$work/ukraine.html" "$keep/ukraine.html"
head -c 2000000 "$work/ukraine.md" > "$keep/ukraine.md"

python3 - "$work" "$total" "$keep/report.png" <<'PY'
import csv, json, os, re, struct, sys, zlib
work, total, png = sys.argv[1], int(sys.argv[2]), sys.argv[3]
want = [json.loads(line)["id"] for line in open(os.path.join(work, "search.ndjson"), encoding="utf-8")]
assert len(want) == total, f"search listed {len(want)} of {total}"

def read_csv(name, delimiter=","):
    raw = open(os.path.join(work, name), "rb").read()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    rows = list(csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter, strict=True))
    return rows, bom

rows = {}
csv_rows, bom = read_csv("ukraine.csv")
assert not bom
rows["csv"] = [r["id"] for r in csv_rows]
assert [int(r["rank"]) for r in csv_rows] == list(range(1, len(csv_rows) + 1))
excel_rows, bom = read_csv("ukraine-excel.csv", ";")
assert bom, "--excel starts with a byte-order mark"
rows["csv --excel"] = [r["id"] for r in excel_rows]
assert all("." not in r["score"] for r in excel_rows), "decimal comma"
doc = json.load(open(os.path.join(work, "ukraine.json"), encoding="utf-8"))
assert doc["query"] == "Ukraine" and doc["total"] == total, (doc["query"], doc["total"])
rows["json"] = [h["id"] for h in doc["hits"]]
rows["ndjson"] = [json.loads(l)["id"] for l in open(os.path.join(work, "ukraine.ndjson"), encoding="utf-8")]
md = open(os.path.join(work, "ukraine.md"), encoding="utf-8").read()
rows["markdown"] = re.findall(r"^\d+\. .*$", md, re.M)
html = open(os.path.join(work, "ukraine.html"), encoding="utf-8").read()
for asset in ("<script src", "<link rel", 'src="http', "url(http", "@import"):
    assert asset not in html, f"external asset {asset!r} in the report"
dom = open(os.path.join(work, "dom.html"), encoding="utf-8").read()
rows["html"] = re.findall(r'<li class="hit"', dom)
assert "<svg" in dom and 'class="bar"' in dom, "timeline chart rendered"
m = re.search(r'id="hit-count" data-total="(\d+)"', dom)
assert m and int(m[1]) == total, "hit count in the rendered page"
rows["csv, first 100"] = read_csv("first100.csv")[0]

# The screenshot: a PNG of the window size, not one flat colour.
data = open(png, "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "screenshot is a PNG"
width, height = struct.unpack(">II", data[16:24])
assert (width, height) == (1280, 2000), (width, height)
assert len(data) > 20_000, f"screenshot only {len(data)} bytes: blank?"

def time_figures(name):
    text = open(os.path.join(work, name + ".time")).read()
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", text)
    secs = int(wall[1] or 0) * 3600 + int(wall[2]) * 60 + float(wall[3])
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)[1])
    return secs, rss / 1024

files = {"csv": "ukraine.csv", "csv --excel": "ukraine-excel.csv", "json": "ukraine.json",
         "ndjson": "ukraine.ndjson", "markdown": "ukraine.md", "html": "ukraine.html",
         "csv, first 100": "first100.csv"}
print(f"\n{'format':<16} {'rows':>7} {'search total':>13} {'wall s':>7} {'peak RSS MiB':>13} {'file MB':>8}")
failed = []
for name, file in files.items():
    n = len(rows[name])
    secs, rss = time_figures(file)
    size = os.path.getsize(os.path.join(work, file)) / 1e6
    expected = min(total, 100) if "100" in name else total
    ok = n == expected
    if name in ("csv", "csv --excel", "json", "ndjson") and rows[name] != want[:expected]:
        ok = False
    flag = "" if ok else "   <-- MISMATCH"
    print(f"{name:<16} {n:>7} {expected:>13} {secs:>7.2f} {rss:>13.1f} {size:>8.2f}{flag}")
    if not ok:
        failed.append(name)
print(f"\nscreenshot: {png} ({width}x{height}, {len(data) // 1024} KiB)")
assert not failed, f"row counts or order differ from search: {failed}"
print("OK: every format parses and holds exactly the hits of `archiv search`, in order")
PY
echo "eval/export.sh: all checks passed"
