//! archiv: a searchable full-text archive of German-language news.
//!
//! The flow: `ingest` turns files into `Article`s, `index` stores them with
//! the German analyzer from `analysis`, `search` answers queries and `render`
//! prints hits. The command line in `main.rs` only wires these together.

pub mod analysis;
pub mod article;
pub mod cli;
pub mod entities;
pub mod error;
pub mod export;
pub mod extract;
pub mod index;
pub mod ingest;
pub mod render;
pub mod search;
pub mod stats;

pub use article::Article;
pub use error::ArchivError;
pub use index::Archive;
