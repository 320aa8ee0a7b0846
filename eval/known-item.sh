#!/usr/bin/env bash
# Known-item search over ../shared/corpus/news-de: archiv against Xapian and
# SQLite FTS5 on the same generated queries; writes eval/known-item-results.md.
# Arguments go to eval/known_item.py (see its --help), e.g. --min-mrr-archiv 0.5;
# the floor can also come from ARCHIV_KNOWN_ITEM_MIN_MRR. Peer indexes are cached
# in ARCHIV_KNOWN_ITEM_WORK (default /tmp/archiv-known-item).
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${ARCHIV_SHARED:-../shared}"
if [ ! -d "$shared/corpus/news-de" ]; then
  echo "eval/known-item.sh: $shared/corpus/news-de not found; set ARCHIV_SHARED to the shared data folder" >&2
  exit 2
fi

# The peers, from Debian as bench/run.sh installs them (as root only).
missing=()
command -v sqlite3 >/dev/null || missing+=(sqlite3)
command -v quest >/dev/null || missing+=(xapian-tools)
/usr/bin/python3 -c 'import xapian' 2>/dev/null || missing+=(python3-xapian)
source bench/peers/packages.sh
install_missing eval/known-item.sh

cargo build --release --quiet
# Debian's interpreter has python3-xapian and FTS5: no second process for the peers.
ARCHIV_SHARED="$shared" exec /usr/bin/python3 eval/known_item.py "$@"
