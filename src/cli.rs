//! Command-line definitions: one struct per subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::render::Format;
use crate::search::SortOrder;

/// Default index location, relative to the working directory.
pub const DEFAULT_INDEX: &str = "index";
/// Default folder to index, relative to the working directory.
pub const DEFAULT_CORPUS: &str = "corpus";

#[derive(Debug, Parser)]
#[command(
    name = "archiv",
    version,
    about = "A searchable full-text archive of German-language news",
    after_help = "Exit codes: 0 found / done, 1 nothing found, 2 error."
)]
pub struct Cli {
    /// Index folder [default: ./index]
    #[arg(long, global = true, env = "ARCHIV_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,

    /// When to colour the output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index folders of articles (.txt .md .json .jsonl .html); only new and changed files are read
    Index(IndexArgs),
    /// Search the archive, ranked, with snippets
    Search(SearchArgs),
    /// Print one stored article with its metadata
    Show(ShowArgs),
    /// Print figures about the archive: articles, dates, sources, size
    Stats(StatsArgs),
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Files or folders to index [default: ./corpus]
    pub paths: Vec<PathBuf>,
    /// Throw the index away and build it anew
    #[arg(long)]
    pub rebuild: bool,
    /// List every skipped file with its reason
    #[arg(long, short)]
    pub verbose: bool,
    /// Memory budget of the index writer, in MiB
    #[arg(long, default_value_t = 256, value_name = "MIB")]
    pub memory: usize,
    /// Skip files larger than this, in MiB
    #[arg(long, default_value_t = 64, value_name = "MIB")]
    pub max_file_size: u64,
    /// Indexing threads [default: number of cores]
    #[arg(long)]
    pub threads: Option<usize>,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words (any may match; all rank first), "phrases", AND OR NOT + -,
    /// title:/source:/date: fields
    pub query: String,
    /// Number of hits to show
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Skip this many hits first
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Only articles from this date on: 2024, 2024-10 or 2024-10-23
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only articles up to this date (inclusive): 2024, 2024-10 or 2024-10-23
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only articles from this source (domain or publisher); repeatable
    #[arg(long, value_name = "DOMAIN")]
    pub source: Vec<String>,
    /// Order of hits
    #[arg(long, value_enum, default_value_t = SortOrder::Relevance)]
    pub sort: SortOrder,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// An article id (from search output) or a file path (path#N for the N-th article of a file)
    pub article: String,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}
