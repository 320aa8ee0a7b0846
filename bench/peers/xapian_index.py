#!/usr/bin/python3
"""Xapian peer for the archiv benchmark: builds the index; `quest` searches it.

    /usr/bin/python3 xapian_index.py DIR... DB

Runs under Debian's /usr/bin/python3, which is where python3-xapian installs its module
(a pyenv or venv python3 on PATH does not see it).

Each article is one document:
* terms: the title under prefix S (so `quest -p title:S` gives title:word), the title again
  unprefixed with wdf 2 (a title match weighs about twice a body match; archiv weighs 2.5,
  TermGenerator takes whole numbers), then the body; TermGenerator with Stem("german2") and
  STEM_SOME (unstemmed terms with positions for phrases, Z-prefixed stems for words), no
  stop words (quest has no option to apply a stopper to queries);
* value slot 0: the date as YYYYMMDD, for API users' range filters;
* boolean terms XD<year>, XD<yearmonth>, XD<yearmonthday>: quest has no range option,
  but several boolean filters of one prefix are ORed by the QueryParser, so
  `quest -b date:XD ... 'Ukraine date:202410 date:202411 date:202412'` is a date range
  (bench/timing.py expands --from/--to into such a cover);
* document data: title, date, path and the first 200 characters of the body, which quest
  prints for each hit in place of a snippet (quest has no snippet generator).
"""

import os
import sys
import time

try:
    import xapian
except ImportError:
    sys.exit(
        "xapian_index.py: no xapian module; install Debian's python3-xapian and run this with /usr/bin/python3"
    )

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import articles  # noqa: E402

DATE_SLOT = 0


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: xapian_index.py DIR... DB")
    dirs, dbpath = sys.argv[1:-1], sys.argv[-1]
    t0 = time.perf_counter()
    db = xapian.WritableDatabase(dbpath, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("german2"))
    tg.set_stemming_strategy(xapian.TermGenerator.STEM_SOME)
    n = 0
    for a in articles.walk(dirs):
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(a["title"], 1, "S")
        tg.index_text(a["title"], 2)
        tg.increase_termpos()
        tg.index_text(a["body"])
        if a["date"]:
            ymd = a["date"].replace("-", "")
            doc.add_value(DATE_SLOT, ymd)
            for t in (ymd[:4], ymd[:6], ymd):
                doc.add_boolean_term("XD" + t)
        doc.set_data(f"{a['title']}\n{a['date'] or '-'}\n{a['path']}\n{a['body'][:200]}")
        db.add_document(doc)
        n += 1
    db.commit()  # Xapian also flushes by itself every 10,000 documents (XAPIAN_FLUSH_THRESHOLD)
    db.close()
    print(f"xapian_index.py: {n} articles indexed into {dbpath} in {time.perf_counter() - t0:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
