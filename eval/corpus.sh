#!/usr/bin/env bash
# Indexes all of ../shared/corpus through the real binary and checks what
# ingest promises: nothing that is a real article is skipped, every shape
# and encoding is read, and "Nordkorea Soldaten Kursk" over news-de ranks
# the two articles about North Korean soldiers at Kursk first.
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${ARCHIV_SHARED:-../shared}"
corpus="$shared/corpus"
if [ ! -d "$corpus/news-de" ]; then
  echo "eval/corpus.sh: $corpus/news-de not found; set ARCHIV_SHARED to the shared data folder" >&2
  exit 2
fi
cargo build --release --quiet
bin=target/release/archiv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== indexing $corpus (all three folders)"
bytes=$(du -sb "$corpus" | cut -f1)
start=$(date +%s.%N)
$bin --index "$work/all" index "$corpus" --verbose 2> "$work/all.log"
end=$(date +%s.%N)
cat "$work/all.log"
python3 - "$work/all.log" "$bytes" "$start" "$end" <<'PY'
import re, sys
log = open(sys.argv[1]).read()
m = re.search(r"(\d+) indexed, (\d+) updated, (\d+) unchanged, (\d+) removed, (\d+) skipped; (\d+) articles", log)
indexed, skipped, total = int(m[1]), int(m[5]), int(m[6])
secs = float(sys.argv[4]) - float(sys.argv[3])
mb = int(sys.argv[2]) / 1e6
print(f"indexed {indexed} articles, skipped {skipped}, {secs:.2f} s wall, {mb:.1f} MB raw, {mb/secs:.1f} MB/s, {indexed/secs:.0f} articles/s")
# news-de 6,506 + derstandard 1,028 + chinderzytig 1,193
expected = 6506 + 1028 + 1193
assert skipped == 0, f"{skipped} files skipped"
assert indexed == expected == total, f"expected {expected} articles, indexed {indexed}, index holds {total}"
PY

echo "== shapes and encodings"
$bin --index "$work/all" search "" --limit 100000 --no-collapse --format ndjson > "$work/all.ndjson"
python3 - "$work/all.ndjson" <<'PY'
import json, sys, collections
hits = [json.loads(l) for l in open(sys.argv[1])]
shapes = collections.Counter()
for h in hits:
    p = h["path"]
    shapes["jsonl" if ".jsonl#" in p else p.rsplit(".", 1)[-1].split("#")[0]] += 1
print("articles by shape:", dict(shapes))
assert shapes["txt"] == 1820 + 1028 and shapes["json"] == 3933 and shapes["html"] == 753 and shapes["jsonl"] == 1193, shapes
dated = sum(1 for h in hits if h["date"])
print(f"dated: {dated} of {len(hits)}")
news = [h for h in hits if "/news-de/" in h["path"]]
undated_news = [h["path"] for h in news if not h["date"]]
assert not undated_news, f"news-de articles without a date: {undated_news[:5]}"
titled = sum(1 for h in news if h["title"] and not h["title_derived"])
print(f"news-de: {titled} of {len(news)} with a given title, {len(news) - titled} derived")
PY
# A Windows-1252 file decodes to umlauts, not replacement characters.
n=$(python3 -c '
import pathlib, sys
for p in sorted(pathlib.Path(sys.argv[1]).iterdir()):
    try:
        p.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        print(p); break' "$corpus/news-de/txt")
echo "a Windows-1252 file: $n"
$bin --index "$work/all" show "$n" --format json | python3 -c '
import json,sys; a=json.load(sys.stdin); print("  read as", a["encoding"]); assert a["encoding"]=="windows-1252"; assert "\ufffd" not in a["body"]'

echo "== Nordkorea Soldaten Kursk over news-de"
$bin --index "$work/news" index "$corpus/news-de" 2>/dev/null
$bin --index "$work/news" search "Nordkorea Soldaten Kursk" --limit 5 --color never
$bin --index "$work/news" search "Nordkorea Soldaten Kursk" --limit 5 --format json > "$work/q.json"
python3 - "$work/q.json" <<'PY'
import json, sys
hits = json.load(open(sys.argv[1]))["hits"]
top2 = {h["path"].rsplit("/", 1)[-1] for h in hits[:2]}
want = {"ukrainekrieg-nordkoreanischer-soldat-in-ukrainischer-01422.html",
        "2024-11-18-ukraine-news-biden-erlaubt-kiew-angriffe-mit-us-02219.txt"}
assert top2 == want, f"top 2 are {top2}, expected {want}"
print("OK: the two articles about North Korean soldiers at Kursk rank first")
PY
echo "eval/corpus.sh: all checks passed"
