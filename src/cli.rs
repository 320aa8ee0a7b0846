//! Command-line definitions: one struct per subcommand.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use serde::Serialize;

use crate::render::columns::Column;
use crate::render::{Format, HitFormat};
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

/// The subcommands; their names and help are in `SUBCOMMANDS`.
#[derive(Debug)]
pub enum Command {
    Index(IndexArgs),
    Search(SearchArgs),
    Similar(SimilarArgs),
    Export(ExportArgs),
    Show(ShowArgs),
    Extract(ExtractArgs),
    Stats(StatsArgs),
}

/// Each subcommand's name, help line, text after its help, and the function
/// adding its arguments (called only for the subcommand run).
type SubcommandDef = (
    &'static str,
    &'static str,
    Option<&'static str>,
    fn(clap::Command) -> clap::Command,
);

const SUBCOMMANDS: [SubcommandDef; 7] = [
    (
        "index",
        "Index folders of articles (.txt .md .json .jsonl .html); only new and changed files are read",
        Some(
            "Ctrl-C stops after the files being read, commits what is done and exits with 130 (SIGTERM: 143); a second Ctrl-C ends it at once, keeping the last commit.",
        ),
        arguments::<IndexArgs, 0>,
    ),
    (
        "search",
        "Search the archive, ranked, with snippets",
        None,
        arguments::<SearchArgs, 1>,
    ),
    (
        "similar",
        "List the articles most like one article (by its id or path)",
        None,
        arguments::<SimilarArgs, 2>,
    ),
    (
        "export",
        "Write every hit of a query to a file: csv, json, ndjson, markdown or an html report",
        None,
        arguments::<ExportArgs, 3>,
    ),
    (
        "show",
        "Print one stored article with its metadata",
        None,
        arguments::<ShowArgs, 4>,
    ),
    (
        "extract",
        "Show what ingest and entity recognition see in one file (or - for stdin), without indexing",
        None,
        arguments::<ExtractArgs, 5>,
    ),
    (
        "stats",
        "Print figures about the archive: articles, dates, sources, size",
        None,
        arguments::<StatsArgs, 6>,
    ),
];

/// A subcommand's arguments, its help line over the one a flattened group's
/// doc comment gives it.
fn arguments<A: Args, const AT: usize>(cmd: clap::Command) -> clap::Command {
    let (_, about, after_help, _) = SUBCOMMANDS[AT];
    let cmd = A::augment_args(cmd).about(about).long_about(None);
    match after_help {
        Some(text) => cmd.after_help(text),
        None => cmd,
    }
}

/// Written out rather than derived so that a run defines the arguments of
/// its own subcommand only: the derived definition built all seven
/// subcommands' arguments on every run, a tenth of what `search -n 0` took.
impl Subcommand for Command {
    fn augment_subcommands(cmd: clap::Command) -> clap::Command {
        SUBCOMMANDS
            .iter()
            .fold(cmd, |cmd, &(name, about, _, arguments)| {
                cmd.subcommand(clap::Command::new(name).about(about).defer(arguments))
            })
    }

    fn augment_subcommands_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_subcommands(cmd)
    }

    fn has_subcommand(name: &str) -> bool {
        SUBCOMMANDS.iter().any(|(known, ..)| *known == name)
    }
}

impl clap::FromArgMatches for Command {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        Self::from_arg_matches_mut(&mut matches.clone())
    }

    fn from_arg_matches_mut(matches: &mut clap::ArgMatches) -> Result<Self, clap::Error> {
        let Some((name, mut sub)) = matches.remove_subcommand() else {
            return Err(clap::Error::new(clap::error::ErrorKind::MissingSubcommand));
        };
        let sub = &mut sub;
        Ok(match name.as_str() {
            "index" => Command::Index(IndexArgs::from_arg_matches_mut(sub)?),
            "search" => Command::Search(SearchArgs::from_arg_matches_mut(sub)?),
            "similar" => Command::Similar(SimilarArgs::from_arg_matches_mut(sub)?),
            "export" => Command::Export(ExportArgs::from_arg_matches_mut(sub)?),
            "show" => Command::Show(ShowArgs::from_arg_matches_mut(sub)?),
            "extract" => Command::Extract(ExtractArgs::from_arg_matches_mut(sub)?),
            "stats" => Command::Stats(StatsArgs::from_arg_matches_mut(sub)?),
            _ => {
                return Err(clap::Error::raw(
                    clap::error::ErrorKind::InvalidSubcommand,
                    format!("unknown subcommand `{name}`"),
                ));
            }
        })
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
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
    /// Skip articles with more text than this, in MiB (HTML pages: four times this in markup)
    #[arg(long, default_value_t = crate::ingest::DEFAULT_MAX_ARTICLE_MIB, value_name = "MIB")]
    pub max_article_size: u64,
    /// Indexing threads [default: number of cores]
    #[arg(long)]
    pub threads: Option<usize>,
    /// Commit every SECONDS while indexing (0: after every 256 files or 32 MiB), so that
    /// a crash or kill loses at most that much work; the next run goes on from there
    #[arg(long, default_value = "60", value_name = "SECONDS", value_parser = parse_seconds)]
    pub checkpoint: Duration,
    /// After indexing, merge the archive into one segment: the run takes longer,
    /// searches answer sooner (for an archive that is searched more than it grows)
    #[arg(long)]
    pub optimize: bool,
    /// Skip entity recognition (only to measure its cost: the index then has
    /// no countries or actors, and a normal run asks for --rebuild)
    #[arg(long, hide = true)]
    pub no_entities: bool,
}

/// A number of seconds, such as `60` or `0.5`.
fn parse_seconds(value: &str) -> Result<Duration, String> {
    value
        .parse::<f64>()
        .ok()
        .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
        .ok_or_else(|| format!("`{value}` is not a number of seconds (such as 60 or 0.5)"))
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words (any may match; all rank first), "phrases", AND OR NOT + -,
    /// title:/source:/date: fields
    pub query: String,
    #[command(flatten)]
    pub hits: HitListArgs,
    /// Also count the top countries and actors over all hits
    #[arg(long)]
    pub facets: bool,
    /// Also draw hits per day, week or month over all hits
    #[arg(long)]
    pub timeline: bool,
}

#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// The article: its id (from search output) or its file path (path#N for the N-th article of a file)
    pub article: String,
    #[command(flatten)]
    pub hits: HitListArgs,
}

/// Which hits `search` and `similar` list, and how they write them.
#[derive(Debug, Args)]
pub struct HitListArgs {
    /// Number of hits to show
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Skip this many hits first
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = HitFormat::Text)]
    pub format: HitFormat,
    /// Columns of csv, json, ndjson and markdown (as a table) output, in this order
    #[arg(long, value_enum, value_delimiter = ',', value_name = "FIELD,...")]
    pub fields: Vec<Column>,
    /// Show every hit: do not fold near-copies of one story into one hit
    #[arg(long)]
    pub no_collapse: bool,
}

/// Which articles a query may find and in which order; shared by `search`
/// and `export`, and recorded in exports (hence `Serialize`).
#[derive(Debug, Clone, Default, Args, Serialize)]
pub struct FilterArgs {
    /// Only articles from this date on: 2024, 2024-10 or 2024-10-23
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only articles up to this date (inclusive): 2024, 2024-10 or 2024-10-23
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only articles from this source (domain or publisher); repeatable
    #[arg(long, value_name = "DOMAIN")]
    pub source: Vec<String>,
    /// Only articles involving this country: ISO code (KP) or German name (Nordkorea); repeatable, all must hold
    #[arg(long, value_name = "COUNTRY")]
    pub country: Vec<String>,
    /// Only articles with this actor: full name or surname; repeatable, all must hold
    #[arg(long, value_name = "NAME")]
    pub actor: Vec<String>,
    /// Order of hits
    #[arg(long, value_enum, default_value_t = SortOrder::Relevance)]
    pub sort: SortOrder,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The query, as for `search`
    pub query: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Output format [default: from the extension of FILE, else csv]
    #[arg(long, value_enum)]
    pub format: Option<HitFormat>,
    /// Output file; `-` or none for stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Export at most N hits [default: all]
    #[arg(long, short = 'n', value_name = "N")]
    pub limit: Option<usize>,
    /// Columns (csv, json, ndjson; markdown as a table), in this order
    /// [default: all]
    #[arg(long, value_enum, value_delimiter = ',', value_name = "FIELD,...")]
    pub fields: Vec<Column>,
    /// CSV that German Excel opens on double-click: byte-order mark, `;`, decimal comma
    #[arg(long)]
    pub excel: bool,
    /// Replace FILE if it exists
    #[arg(long, short = 'f')]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// An article id (from search output) or a file path (path#N for the N-th article of a file)
    pub article: String,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The article file (.txt .md .json .jsonl .html), or - to read plain text from stdin
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_holds_together() {
        // clap's own checks, over every subcommand's arguments.
        Cli::command().debug_assert();
    }

    #[test]
    fn each_subcommand_parses_into_its_own_arguments() {
        let parse = |args: &[&str]| Cli::try_parse_from([&["archiv"], args].concat());
        let cli = parse(&["--index", "x", "search", "Kursk", "--facets"]).expect("search");
        assert!(matches!(cli.command, Command::Search(ref a) if a.query == "Kursk" && a.facets));
        assert!(matches!(
            parse(&["index", "--threads", "1"]).expect("index").command,
            Command::Index(ref a) if a.threads == Some(1)
        ));
        for name in ["similar", "export", "show", "extract"] {
            let cli = parse(&[name, "x"]).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(
                format!("{:?}", cli.command)
                    .to_lowercase()
                    .split('(')
                    .next(),
                Some(name)
            );
        }
        assert!(matches!(
            parse(&["stats"]).expect("stats").command,
            Command::Stats(_)
        ));
        assert!(parse(&["search", "x", "--threads", "1"]).is_err());
        assert!(parse(&[]).is_err());
    }
}
