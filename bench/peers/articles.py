"""Read a folder of articles the way the peer indexers see it: title + body + date.

Shared by fts5.py and xapian_index.py so that both peers index the same texts as
archiv (same files, same field mapping), with no dependency beyond the standard
library (xapian_index.py runs under Debian's /usr/bin/python3, fts5.py under any
python3). The parsing is deliberately simple -- what a person writing a quick
indexer would do -- not a copy of archiv's ingest:

* .json: an object, an array of them, or {"articles": [...]}; .jsonl/.ndjson: one a line;
  news-please field names and the common variants archiv also reads;
* .txt/.text/.md: first line is the title, the rest the body; date from a
  YYYY-MM-DD file name prefix;
* .html/.htm: every text node outside <script>/<style> (html.parser, boilerplate
  included), title from <title>, date from article:published_time or <time datetime>;
* UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252.
"""

import json
import os
import re
from html.parser import HTMLParser

TEXT_EXT = {"txt", "text", "md"}
JSON_EXT = {"json"}
JSONL_EXT = {"jsonl", "ndjson"}
HTML_EXT = {"html", "htm"}
TITLE_KEYS = ("title", "headline")
BODY_KEYS = ("maintext", "text", "body", "content", "articleBody")
DATE_KEYS = ("date_publish", "date", "published", "publishedAt", "datePublished", "pubDate")
SOURCE_KEYS = ("source_domain", "source", "publisher")
DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
FILE_DATE_RE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})")
CHARSET_RE = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", re.I)


def decode(data: bytes, html: bool = False) -> str:
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    if html:  # a declared meta charset wins, as a browser does it
        m = CHARSET_RE.search(data[:4096])
        if m and m.group(1).lower() not in (b"utf-8", b"utf8"):
            try:
                return data.decode(m.group(1).decode("ascii"), errors="replace")
            except LookupError:
                pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def iso_date(value) -> str:
    """'2024-10-23 08:00:00', '2024-10-23T…' -> '2024-10-23'; anything else -> ''."""
    if isinstance(value, str):
        m = DATE_RE.search(value)
        if m:
            return "-".join(m.groups())
    return ""


def _first(obj, keys):
    for k in keys:
        v = obj.get(k)
        if isinstance(v, str) and v.strip():
            return v
    return ""


def _from_obj(obj, path):
    body = _first(obj, BODY_KEYS)
    title = _first(obj, TITLE_KEYS)
    if not body and not title:
        return None
    source = _first(obj, SOURCE_KEYS)
    if source.startswith("www."):
        source = source[4:]
    return {"path": path, "title": title.strip(), "body": body, "date": iso_date(_first(obj, DATE_KEYS)), "source": source}


class _HtmlText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.title, self.date = [], "", ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style", "noscript"):
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta" and a.get("property") == "article:published_time" and not self.date:
            self.date = iso_date(a.get("content"))
        elif tag == "time" and not self.date:
            self.date = iso_date(a.get("datetime"))
        if tag in ("p", "div", "br", "h1", "h2", "h3", "li", "section", "article"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript") and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(data)


def read_file(path):
    """The articles in one file, as dicts with path, title, body, date, source."""
    ext = path.rsplit(".", 1)[-1].lower() if "." in os.path.basename(path) else ""
    if ext not in TEXT_EXT | JSON_EXT | JSONL_EXT | HTML_EXT:
        return []
    with open(path, "rb") as f:
        data = f.read()
    if ext in JSON_EXT:
        try:
            obj = json.loads(decode(data))
        except ValueError:
            return []
        if isinstance(obj, dict) and isinstance(obj.get("articles"), list):
            obj = obj["articles"]
        if isinstance(obj, list):
            arts = [_from_obj(o, f"{path}#{i}") for i, o in enumerate(obj) if isinstance(o, dict)]
        elif isinstance(obj, dict):
            arts = [_from_obj(obj, path)]
        else:
            arts = []
        return [a for a in arts if a]
    if ext in JSONL_EXT:
        out = []
        for n, line in enumerate(decode(data).splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict):
                a = _from_obj(obj, f"{path}#{n}")
                if a:
                    out.append(a)
        return out
    if ext in HTML_EXT:
        p = _HtmlText()
        p.feed(decode(data, html=True))
        p.close()
        body = re.sub(r"[ \t\r\f\v]+", " ", "".join(p.parts))
        body = re.sub(r"\s*\n\s*", "\n", body).strip()
        if not body:
            return []
        return [{"path": path, "title": p.title.strip(), "body": body, "date": p.date, "source": ""}]
    text = decode(data).strip()
    if not text:
        return []
    title, _, body = text.partition("\n")
    m = FILE_DATE_RE.match(os.path.basename(path))
    date = "-".join(m.groups()) if m else ""
    return [{"path": path, "title": title.strip(), "body": body.strip(), "date": date, "source": ""}]


def walk(roots):
    """Every article under the given folders (or files), in a stable order; hidden entries skipped."""
    for root in roots:
        if os.path.isfile(root):
            yield from read_file(root)
            continue
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if not name.startswith("."):
                    yield from read_file(os.path.join(dirpath, name))


def date_bounds(date_from, date_to):
    """archiv's --from/--to ('2024', '2024-10', '2024-10-23'; --to includes the whole period)
    as inclusive 'YYYY-MM-DD' strings, or None where not given."""
    lo = hi = None
    if date_from:
        lo = _pad(date_from, "01")
    if date_to:
        hi = _pad(date_to, None)
    return lo, hi


def _pad(d, fill):
    import calendar

    parts = d.split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"bad date {d!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    y = int(parts[0])
    m = int(parts[1]) if len(parts) > 1 else (1 if fill else 12)
    if len(parts) > 2:
        day = int(parts[2])
    else:
        day = 1 if fill else calendar.monthrange(y, m)[1]
    return f"{y:04d}-{m:02d}-{day:02d}"


def query_parts(query):
    """Split an archiv-style query into ('phrase', text) / ('word', text) / ('op', AND|OR|NOT)
    / ('field', name, value) parts, for peers that translate it into their own syntax.
    Handles what bench/queries.txt uses: words, "phrases" („…“ too), AND/OR/NOT, title:word."""
    parts = []
    for m in re.finditer(r'[„"“]([^"“”]*)["“”]|(\S+)', query):
        if m.group(1) is not None:
            parts.append(("phrase", m.group(1)))
            continue
        tok = m.group(2)
        if tok in ("AND", "OR", "NOT"):
            parts.append(("op", tok))
        elif ":" in tok.strip(":") and tok.split(":", 1)[0].lower() in ("title", "titel"):
            parts.append(("field", "title", tok.split(":", 1)[1]))
        else:
            parts.append(("word", tok.lstrip("+-")))
    return parts
