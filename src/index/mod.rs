//! The archive on disk: opening, version checks, documents in and out.

pub mod common_slots;
pub mod directory;
pub mod schema;
pub mod signature;
pub mod writer;

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use tantivy::directory::error::OpenDirectoryError;
use tantivy::schema::Field;
use tantivy::schema::document::{
    ArrayAccess, DeserializeError, DocumentDeserialize, DocumentDeserializer, ObjectAccess,
    ValueDeserialize, ValueDeserializer, ValueVisitor,
};
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{DateTime, Index, IndexReader, ReloadPolicy, TantivyDocument};

use crate::analysis;
use crate::article::{Article, DateSource, Granularity};
use crate::error::ArchivError;
pub use schema::Fields;

/// What the index records about the code that wrote it, in each commit.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct IndexStamp {
    pub format: u32,
    pub analyzer: String,
    /// Version of entity recognition and its data (`entities::version`).
    #[serde(default)]
    pub entities: String,
    pub archiv: String,
}

impl IndexStamp {
    pub fn current() -> IndexStamp {
        IndexStamp {
            format: schema::FORMAT_VERSION,
            analyzer: analysis::ANALYZER_VERSION.to_string(),
            entities: crate::entities::version(),
            archiv: env!("CARGO_PKG_VERSION").to_string(),
        }
    }

    fn compatible(&self, other: &IndexStamp) -> bool {
        self.format == other.format
            && self.analyzer == other.analyzer
            && self.entities == other.entities
    }
}

/// An opened archive.
pub struct Archive {
    pub dir: PathBuf,
    pub index: Index,
    pub fields: Fields,
    /// Set by a command that searches once and exits: what a search opened
    /// (the index files' maps, the readers' caches) is left for the process's
    /// exit to take back in one sweep, instead of being unmapped and freed
    /// piece by piece first (news-de: 0.2 ms of a 4 ms search).
    pub until_exit: bool,
}

/// True when `dir` holds an index (made by any version).
pub fn exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// How this version of archiv makes an archive's index.
fn index_settings() -> tantivy::IndexSettings {
    // zstd keeps the stored text in 30 % less space than tantivy's default
    // lz4, for 0.05 ms more per hit read back. A hit decompresses the whole
    // block it is in: blocks of 8 KiB instead of the default 16 make a
    // search of news-de 4 % faster for a store 5 % larger (4 KiB: no faster
    // again, 10 % larger). On blocks this small zstd's level 1 compresses
    // nearly as well as its default 3: news-de's store is 2 % larger, its
    // ingest takes 2.5 % fewer instructions and the 63 bench queries 4.5 %
    // fewer (cachegrind).
    tantivy::IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(1),
        }),
        docstore_blocksize: 8192,
        ..Default::default()
    }
}

impl Archive {
    /// Opens an existing archive, checking it was made by a compatible version.
    pub fn open(dir: &Path) -> Result<Archive, ArchivError> {
        let archive = Archive::open_unchecked(dir)?;
        archive.check_version()?;
        Ok(archive)
    }

    /// Opens an existing archive without checking its version (the writer
    /// takes its lock first, so that a running indexer is reported as such).
    pub fn open_unchecked(dir: &Path) -> Result<Archive, ArchivError> {
        Archive::open_unchecked_in(dir, directory::IndexDirectory::open)
    }

    /// As `open_unchecked`, for an indexing run (`IndexDirectory::open_for_indexing`).
    pub fn open_for_indexing(dir: &Path) -> Result<Archive, ArchivError> {
        Archive::open_unchecked_in(dir, directory::IndexDirectory::open_for_indexing)
    }

    fn open_unchecked_in(
        dir: &Path,
        open_directory: fn(&Path) -> Result<directory::IndexDirectory, OpenDirectoryError>,
    ) -> Result<Archive, ArchivError> {
        if !exists(dir) {
            return Err(ArchivError::NoIndex(dir.to_path_buf()));
        }
        let directory = open_directory(dir)
            .map_err(|e| ArchivError::open(dir, tantivy::TantivyError::from(e)))?;
        let index = Index::open(directory).map_err(|e| ArchivError::open(dir, e))?;
        let fields = Fields::new(index.schema()).map_err(|_| ArchivError::Version {
            dir: dir.to_path_buf(),
            found: "another version of archiv (its fields differ)".into(),
        })?;
        analysis::register(&index);
        Ok(Archive {
            dir: dir.to_path_buf(),
            index,
            fields,
            until_exit: false,
        })
    }

    /// Whether the archive has the fields and settings this version gives a
    /// new one (an older one may lack optional fields, such as word marks).
    pub fn made_as_now(&self) -> bool {
        self.index.schema() == schema::build_schema() && *self.index.settings() == index_settings()
    }

    /// Fails unless the last commit was made by a compatible version.
    pub fn check_version(&self) -> Result<(), ArchivError> {
        // Only the stamp and whether there are segments: reading the whole
        // meta file builds the schema again, a good part of a search's start.
        #[derive(Deserialize)]
        struct Stamped {
            payload: Option<String>,
            segments: Vec<serde::de::IgnoredAny>,
        }
        use tantivy::Directory;
        let bytes = self
            .index
            .directory()
            .atomic_read(std::path::Path::new("meta.json"))
            .map_err(|e| ArchivError::open(&self.dir, tantivy::TantivyError::from(e)))?;
        let metas: Stamped = serde_json::from_slice(&bytes).map_err(|e| {
            ArchivError::open(
                &self.dir,
                tantivy::TantivyError::InvalidArgument(format!("meta.json: {e}")),
            )
        })?;
        let stamp: Option<IndexStamp> = metas
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok());
        // An indexer stopped between creating the index and stamping it
        // leaves an empty index without a stamp: nothing in it can be stale.
        if metas.payload.is_none() && metas.segments.is_empty() {
            return Ok(());
        }
        match stamp {
            Some(found) if found.compatible(&IndexStamp::current()) => Ok(()),
            found => Err(ArchivError::Version {
                dir: self.dir.to_path_buf(),
                found: found.map_or_else(
                    || "an unknown version".to_string(),
                    |s| {
                        format!(
                            "archiv {} (format {}, analyzer {}, entities {})",
                            s.archiv, s.format, s.analyzer, s.entities
                        )
                    },
                ),
            }),
        }
    }

    /// Creates a new, empty archive in `dir` (which may exist but must hold no
    /// index), for an indexing run.
    pub fn create(dir: &Path) -> Result<Archive, ArchivError> {
        std::fs::create_dir_all(dir).map_err(|e| ArchivError::Io {
            path: dir.to_path_buf(),
            source: e,
        })?;
        let settings = index_settings();
        let directory = directory::IndexDirectory::open_for_indexing(dir)
            .map_err(|e| ArchivError::write(dir, &tantivy::TantivyError::from(e), String::new()))?;
        if exists(dir) {
            return Err(ArchivError::write(
                dir,
                &tantivy::TantivyError::IndexAlreadyExists,
                String::new(),
            ));
        }
        let index = Index::create(directory, schema::build_schema(), settings)
            .map_err(|e| ArchivError::write(dir, &e, String::new()))?;
        analysis::register(&index);
        let fields = Fields::new(index.schema()).map_err(|e| ArchivError::open(dir, e))?;
        Ok(Archive {
            dir: dir.to_path_buf(),
            index,
            fields,
            until_exit: false,
        })
    }

    pub fn reader(&self) -> Result<IndexReader, ArchivError> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            // No cache of decompressed blocks: a search reads each hit's
            // block once, and a block let go leaves its memory to the next
            // one instead of fresh pages (news-de: 316 -> 284 page faults a
            // search, 63 queries p50 -3 %; an export of every article as fast).
            .doc_store_cache_num_blocks(0)
            .try_into()
            .map_err(|e| ArchivError::open(&self.dir, e))
    }

    /// Size of the index folder on disk, in bytes.
    pub fn size_bytes(&self) -> u64 {
        walkdir::WalkDir::new(&self.dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter_map(|e| e.metadata().ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum()
    }

    /// The tantivy document for an article.
    /// The document for an article; takes the body's analysis when ingest made it.
    pub fn to_document(&self, article: &mut Article, stamp: u64) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &article.id);
        doc.add_text(f.address, &article.address);
        doc.add_text(f.file, &article.file);
        doc.add_u64(f.file_stamp, stamp);
        if let Some(title) = &article.title {
            doc.add_text(f.title, title);
            doc.add_text(f.title_exact, title);
        }
        // A text without a headline: its first sentence stands beside a title
        // taken from the file name, as it stood for the title before.
        if article.title_derived
            && let Some(lead) = crate::ingest::text::first_sentence(&article.body)
            && article.title.as_deref() != Some(lead.as_str())
        {
            doc.add_text(f.title, &lead);
            doc.add_text(f.title_exact, &lead);
        }
        doc.add_bool(f.title_derived, article.title_derived);
        let analyzed = article
            .analyzed_body
            .take()
            .unwrap_or_else(|| crate::analysis::preanalyzed::AnalyzedBody::of_text(&article.body));
        doc.add_text(f.body, analyzed.tokens);
        doc.add_text(f.body_text, &article.body);
        // An archive made before the marks has no field for them.
        if let Some(marks_field) = f.body_marks
            && !analyzed.marks.is_empty()
        {
            doc.add_bytes(marks_field, &analyzed.marks);
        }
        let signature = article.signature.take().unwrap_or_else(|| {
            signature::Signature::of_text(article.title.as_deref(), &article.body)
        });
        for word in signature.encode_words() {
            doc.add_u64(f.signature, word);
        }
        match &article.date {
            Some(d) => {
                doc.add_date(f.date, date_value(d.date));
                doc.add_text(f.date_source, d.source.as_str());
                doc.add_text(f.date_granularity, d.granularity.as_str());
            }
            None => doc.add_text(f.date_source, DateSource::None.as_str()),
        }
        if let Some(source) = &article.source {
            doc.add_text(f.source, source);
        }
        if let Some(url) = &article.url {
            doc.add_text(f.url, url);
        }
        if let Some(lang) = &article.language {
            doc.add_text(f.language, lang);
        }
        for author in &article.authors {
            doc.add_text(f.authors, author);
        }
        for country in &article.countries {
            doc.add_text(f.countries, country);
        }
        for actor in &article.actors {
            doc.add_text(f.actors, actor);
        }
        if let Some(findings) = &article.findings {
            doc.add_text(
                f.entities,
                serde_json::to_string(findings).expect("findings serialise"),
            );
        }
        doc.add_text(f.shape, article.shape.as_str());
        doc.add_text(f.encoding, article.encoding);
        doc
    }
}

/// A date as the index stores it: midnight UTC of that day.
pub fn date_value(date: NaiveDate) -> DateTime {
    DateTime::from_timestamp_secs(date.and_time(NaiveTime::MIN).and_utc().timestamp())
}

pub fn date_from_value(value: DateTime) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp(value.into_timestamp_secs(), 0).map(|d| d.date_naive())
}

/// An article as stored in the index, for display and export.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StoredArticle {
    pub id: String,
    pub path: String,
    pub title: Option<String>,
    pub title_derived: bool,
    pub date: Option<NaiveDate>,
    pub date_source: DateSource,
    pub date_granularity: Option<Granularity>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
    pub authors: Vec<String>,
    pub countries: Vec<String>,
    pub actors: Vec<String>,
    /// Countries and actors with their counts, as entity recognition found them.
    pub entities: Option<crate::entities::Findings>,
    pub shape: Option<String>,
    pub encoding: Option<String>,
    pub body: String,
}

/// A stored document read straight into its values. tantivy's own document
/// copies every text twice more on the way (into its compact form, and out
/// of it), the body of a live blog among them, for each hit of a page.
pub struct StoredFields(Vec<(Field, StoredValue)>);

impl StoredFields {
    /// The bytes stored in `field` (the first value), taken out.
    pub fn take_bytes(&mut self, field: Field) -> Option<Vec<u8>> {
        self.0.iter_mut().find_map(|(f, value)| match value {
            StoredValue::Bytes(bytes) if *f == field => Some(std::mem::take(bytes)),
            _ => None,
        })
    }

    /// The bytes stored in `field` (the first value).
    pub fn bytes(&self, field: Field) -> Option<&[u8]> {
        self.0.iter().find_map(|(f, value)| match value {
            StoredValue::Bytes(bytes) if *f == field => Some(bytes.as_slice()),
            _ => None,
        })
    }

    /// The first text stored in each of two fields.
    pub fn texts(&self, a: Field, b: Field) -> (Option<&str>, Option<&str>) {
        let text = |field: Field| {
            self.0.iter().find_map(|(f, value)| match value {
                StoredValue::Text(text) if *f == field => Some(text.as_str()),
                _ => None,
            })
        };
        (text(a), text(b))
    }
}

/// A stored value as an article has them: texts, bytes, flags and dates; any other
/// kind is read past.
enum StoredValue {
    Text(String),
    Bytes(Vec<u8>),
    Bool(bool),
    Date(DateTime),
    Other,
}

struct StoredValueVisitor;

impl ValueVisitor for StoredValueVisitor {
    type Value = StoredValue;

    fn visit_null(&self) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }
    fn visit_string(&self, text: String) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Text(text))
    }
    fn visit_u64(&self, _: u64) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }
    fn visit_i64(&self, _: i64) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }
    fn visit_f64(&self, _: f64) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }
    fn visit_bool(&self, flag: bool) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Bool(flag))
    }
    fn visit_datetime(&self, date: DateTime) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Date(date))
    }
    fn visit_ip_address(&self, _: std::net::Ipv6Addr) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }
    fn visit_facet(&self, _: tantivy::schema::Facet) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }
    fn visit_bytes(&self, bytes: Vec<u8>) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Bytes(bytes))
    }
    fn visit_pre_tokenized_string(
        &self,
        _: tantivy::tokenizer::PreTokenizedString,
    ) -> Result<StoredValue, DeserializeError> {
        Ok(StoredValue::Other)
    }
    fn visit_array<'de, A>(&self, mut access: A) -> Result<StoredValue, DeserializeError>
    where
        A: ArrayAccess<'de>,
    {
        while access.next_element::<StoredValue>()?.is_some() {}
        Ok(StoredValue::Other)
    }
    fn visit_object<'de, A>(&self, mut access: A) -> Result<StoredValue, DeserializeError>
    where
        A: ObjectAccess<'de>,
    {
        while access.next_entry::<StoredValue>()?.is_some() {}
        Ok(StoredValue::Other)
    }
}

impl ValueDeserialize for StoredValue {
    fn deserialize<'de, D>(deserializer: D) -> Result<StoredValue, DeserializeError>
    where
        D: ValueDeserializer<'de>,
    {
        deserializer.deserialize_any(StoredValueVisitor)
    }
}

impl DocumentDeserialize for StoredFields {
    fn deserialize<'de, D>(mut deserializer: D) -> Result<StoredFields, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        let mut values = Vec::with_capacity(deserializer.size_hint());
        while let Some(value) = deserializer.next_field()? {
            values.push(value);
        }
        Ok(StoredFields(values))
    }
}

impl StoredArticle {
    /// The article without its entity findings, which only `show` prints
    /// (`with_findings`): a page of hits need not parse ten JSON objects.
    /// The values as read are moved into it.
    pub fn from_stored(stored: StoredFields, f: &Fields) -> StoredArticle {
        StoredArticle::read(stored, f, false)
    }

    /// The whole article, entity findings included.
    pub fn with_findings(stored: StoredFields, f: &Fields) -> StoredArticle {
        StoredArticle::read(stored, f, true)
    }

    fn read(stored: StoredFields, f: &Fields, findings: bool) -> StoredArticle {
        let mut article = StoredArticle::default();
        let (mut id, mut path, mut body) = (None, None, None);
        let (mut date_source, mut title_derived) = (None, None);
        for (field, value) in stored.0 {
            match value {
                StoredValue::Text(text) => {
                    let first = |slot: &mut Option<String>, text: String| {
                        slot.get_or_insert(text);
                    };
                    match field {
                        _ if field == f.id => first(&mut id, text),
                        _ if field == f.address => first(&mut path, text),
                        _ if field == f.title => first(&mut article.title, text),
                        _ if field == f.body_text => first(&mut body, text),
                        _ if field == f.date_source => first(&mut date_source, text),
                        _ if field == f.date_granularity && article.date_granularity.is_none() => {
                            article.date_granularity = Some(Granularity::parse(&text));
                        }
                        _ if field == f.source => first(&mut article.source, text),
                        _ if field == f.url => first(&mut article.url, text),
                        _ if field == f.language => first(&mut article.language, text),
                        _ if field == f.shape => first(&mut article.shape, text),
                        _ if field == f.encoding => first(&mut article.encoding, text),
                        _ if field == f.authors => article.authors.push(text),
                        _ if field == f.countries => article.countries.push(text),
                        _ if field == f.actors => article.actors.push(text),
                        _ if field == f.entities && findings && article.entities.is_none() => {
                            article.entities = serde_json::from_str(&text).ok();
                        }
                        _ => {}
                    }
                }
                StoredValue::Bool(flag) if field == f.title_derived => {
                    title_derived.get_or_insert(flag);
                }
                StoredValue::Date(date) if field == f.date && article.date.is_none() => {
                    article.date = date_from_value(date);
                }
                _ => {}
            }
        }
        StoredArticle {
            id: id.unwrap_or_default(),
            path: path.unwrap_or_default(),
            title_derived: title_derived.unwrap_or(false),
            date_source: date_source.map_or(DateSource::None, |s| DateSource::parse(&s)),
            body: body.unwrap_or_default(),
            ..article
        }
    }
}

/// An empty archive as archiv made them before the word marks: without
/// their field, its store compressed at zstd's level 3.
#[cfg(test)]
pub(crate) fn create_as_before_word_marks(dir: &Path) {
    let mut builder = tantivy::schema::Schema::builder();
    for (_, entry) in schema::build_schema().fields() {
        if entry.name() != schema::BODY_MARKS {
            builder.add_field(entry.clone());
        }
    }
    let settings = tantivy::IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(3),
        }),
        ..index_settings()
    };
    let directory = directory::IndexDirectory::open_for_indexing(dir).unwrap();
    let index = Index::create(directory, builder.build(), settings).unwrap();
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
    let mut prepared = writer.prepare_commit().unwrap();
    prepared.set_payload(&serde_json::to_string(&IndexStamp::current()).unwrap());
    prepared.commit().unwrap();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{PubDate, Shape};

    #[test]
    fn an_archive_opened_again_is_made_as_now_and_one_with_other_settings_is_not() {
        let dir = tempfile::tempdir().unwrap();
        Archive::create(dir.path()).unwrap();
        assert!(Archive::open_unchecked(dir.path()).unwrap().made_as_now());
        let old = tempfile::tempdir().unwrap();
        create_as_before_word_marks(old.path());
        let opened = Archive::open_unchecked(old.path()).unwrap();
        assert!(opened.fields.body_marks.is_none());
        assert!(!opened.made_as_now());
    }

    /// An article reads back from the index as it was written, every stored
    /// field in its place; its entity findings only when asked for.
    #[test]
    fn a_stored_article_reads_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::create(dir.path()).unwrap();
        let mut article = Article::new("/news/a.json#2".into(), Shape::Jsonl, "windows-1252");
        article.id = "a1b2".into();
        article.file = "/news/a.json".into();
        article.title = Some("Nordkoreas Soldaten in Kursk".into());
        article.body = "Nach Angaben Südkoreas sind Soldaten aus Nordkorea in Russland.".into();
        article.date = Some(PubDate {
            date: NaiveDate::from_ymd_opt(2024, 11, 4).unwrap(),
            granularity: Granularity::Day,
            source: DateSource::Metadata,
        });
        article.source = Some("example.org".into());
        article.url = Some("https://example.org/a".into());
        article.language = Some("de".into());
        article.authors = vec!["Erika Muster".into(), "Max Beispiel".into()];
        article.countries = vec!["KP".into(), "RU".into(), "KR".into()];
        article.actors = vec!["Kim Jong Un".into()];
        let findings = crate::entities::find(&article);
        assert!(!findings.countries.is_empty());
        article.findings = Some(findings.clone());
        let mut writer: tantivy::IndexWriter = archive.index.writer(15_000_000).unwrap();
        writer
            .add_document(archive.to_document(&mut article, 7))
            .unwrap();
        writer.commit().unwrap();
        let searcher = archive.reader().unwrap().searcher();
        let address = tantivy::DocAddress::new(0, 0);
        let read = StoredArticle::from_stored(searcher.doc(address).unwrap(), &archive.fields);
        assert_eq!(read.id, "a1b2");
        assert_eq!(read.path, "/news/a.json#2");
        assert_eq!(read.title.as_deref(), Some("Nordkoreas Soldaten in Kursk"));
        assert!(!read.title_derived);
        assert_eq!(read.body, article.body);
        assert_eq!(read.date, NaiveDate::from_ymd_opt(2024, 11, 4));
        assert_eq!(read.date_source, DateSource::Metadata);
        assert_eq!(read.date_granularity, Some(Granularity::Day));
        assert_eq!(read.source.as_deref(), Some("example.org"));
        assert_eq!(read.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(read.language.as_deref(), Some("de"));
        assert_eq!(read.authors, ["Erika Muster", "Max Beispiel"]);
        assert_eq!(read.countries, ["KP", "RU", "KR"]);
        assert_eq!(read.actors, ["Kim Jong Un"]);
        assert_eq!(read.shape.as_deref(), Some("jsonl"));
        assert_eq!(read.encoding.as_deref(), Some("windows-1252"));
        assert!(read.entities.is_none());
        let whole = StoredArticle::with_findings(searcher.doc(address).unwrap(), &archive.fields);
        assert_eq!(
            serde_json::to_value(whole.entities).unwrap(),
            serde_json::to_value(findings).unwrap()
        );
    }
}
