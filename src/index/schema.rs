//! Every index field is defined here and only here.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING,
    Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::preanalyzed::PRE_ANALYZED_NAME;
use crate::analysis::{ANALYZER_NAME, EXACT_FORMS_NAME};

/// Version of the index layout; bumped when fields change.
pub const FORMAT_VERSION: u32 = 8;

pub const ID: &str = "id";
pub const ADDRESS: &str = "address";
pub const FILE: &str = "file";
pub const FILE_STAMP: &str = "file_stamp";
pub const TITLE: &str = "title";
/// The title's words as written (`analysis::german::exact_form`), apart from
/// its terms so that they do not lengthen it for BM25.
pub const TITLE_EXACT: &str = "title_exact";
pub const TITLE_DERIVED: &str = "title_derived";
/// The body as indexed: ingest analyses it and hands over the tokens...
pub const BODY: &str = "body";
/// ...and as stored...
pub const BODY_TEXT: &str = "body_text";
/// ...with where its words begin (`analysis::word_marks`), for snippets. An
/// archive made before it has none: its snippets count words from the start.
pub const BODY_MARKS: &str = "body_marks";
pub const DATE: &str = "date";
pub const DATE_SOURCE: &str = "date_source";
pub const DATE_GRANULARITY: &str = "date_granularity";
pub const SOURCE: &str = "source";
pub const URL: &str = "url";
pub const LANGUAGE: &str = "language";
pub const AUTHORS: &str = "authors";
pub const COUNTRIES: &str = "countries";
pub const ACTORS: &str = "actors";
/// Countries and actors with mention counts, kinds and roles (JSON, stored only).
pub const ENTITIES: &str = "entities";
/// The article's fingerprint for telling near-copies apart (`signature`), read from a column
/// of numbers (`Signature::encode_words`).
pub const SIGNATURE: &str = "signature";
pub const SHAPE: &str = "shape";
pub const ENCODING: &str = "encoding";

/// The fields, resolved once.
#[derive(Clone)]
pub struct Fields {
    pub schema: Schema,
    pub id: Field,
    pub address: Field,
    pub file: Field,
    pub file_stamp: Field,
    pub title: Field,
    pub title_exact: Field,
    pub title_derived: Field,
    pub body: Field,
    pub body_text: Field,
    pub body_marks: Option<Field>,
    pub date: Field,
    pub date_source: Field,
    pub date_granularity: Field,
    pub source: Field,
    pub url: Field,
    pub language: Field,
    pub authors: Field,
    pub countries: Field,
    pub actors: Field,
    pub entities: Field,
    pub signature: Field,
    pub shape: Field,
    pub encoding: Field,
}

fn german_text(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

pub fn build_schema() -> Schema {
    let mut b = Schema::builder();
    b.add_text_field(ID, STRING | STORED);
    b.add_text_field(ADDRESS, STRING | STORED);
    // `file` is fast so that an incremental run reads every file's stamp
    // from columns instead of loading stored documents.
    b.add_text_field(FILE, STRING | FAST);
    b.add_u64_field(FILE_STAMP, FAST);
    b.add_text_field(TITLE, german_text(ANALYZER_NAME).set_stored());
    b.add_text_field(
        TITLE_EXACT,
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(EXACT_FORMS_NAME)
                .set_index_option(IndexRecordOption::WithFreqs),
        ),
    );
    b.add_bool_field(TITLE_DERIVED, STORED);
    b.add_text_field(BODY, german_text(PRE_ANALYZED_NAME));
    b.add_text_field(BODY_TEXT, STORED);
    b.add_bytes_field(BODY_MARKS, STORED);
    b.add_date_field(
        DATE,
        DateOptions::from(INDEXED | STORED | FAST).set_precision(DateTimePrecision::Seconds),
    );
    b.add_text_field(DATE_SOURCE, STRING | STORED);
    b.add_text_field(DATE_GRANULARITY, STORED);
    b.add_text_field(SOURCE, STRING | STORED | FAST);
    b.add_text_field(URL, STORED);
    b.add_text_field(LANGUAGE, STRING | STORED | FAST);
    b.add_text_field(AUTHORS, STRING | STORED);
    b.add_text_field(COUNTRIES, STRING | STORED | FAST);
    b.add_text_field(ACTORS, STRING | STORED | FAST);
    b.add_text_field(ENTITIES, STORED);
    b.add_u64_field(SIGNATURE, FAST);
    b.add_text_field(SHAPE, STRING | STORED);
    b.add_text_field(ENCODING, STORED);
    b.build()
}

impl Fields {
    pub fn new(schema: Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: f(ID)?,
            address: f(ADDRESS)?,
            file: f(FILE)?,
            file_stamp: f(FILE_STAMP)?,
            title: f(TITLE)?,
            title_exact: f(TITLE_EXACT)?,
            title_derived: f(TITLE_DERIVED)?,
            body: f(BODY)?,
            body_text: f(BODY_TEXT)?,
            body_marks: f(BODY_MARKS).ok(),
            date: f(DATE)?,
            date_source: f(DATE_SOURCE)?,
            date_granularity: f(DATE_GRANULARITY)?,
            source: f(SOURCE)?,
            url: f(URL)?,
            language: f(LANGUAGE)?,
            authors: f(AUTHORS)?,
            countries: f(COUNTRIES)?,
            actors: f(ACTORS)?,
            entities: f(ENTITIES)?,
            signature: f(SIGNATURE)?,
            shape: f(SHAPE)?,
            encoding: f(ENCODING)?,
            schema,
        })
    }
}
