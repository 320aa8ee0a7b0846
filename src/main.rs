//! The `archiv` command: parses flags, calls the library, maps errors to exit
//! codes (0 found, 1 nothing found, 2 error).

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use clap::Parser;

use archiv::cli::{
    Cli, ColorChoice, Command, DEFAULT_CORPUS, DEFAULT_INDEX, FilterArgs, HitListArgs, IndexArgs,
    SearchArgs, SimilarArgs,
};
use archiv::error::ArchivError;
use archiv::index::writer::{IndexOptions, IndexSummary, index_paths};
use archiv::index::{self, Archive};
use archiv::render::{self, Style};
use archiv::search::{self, SearchRequest, SortOrder, query};

#[global_allocator]
static ALLOCATOR: CommandAllocator = CommandAllocator;

/// Set before the first allocation (see `small_pages_and_allocator`) for
/// every command but `index`, and never changed after: each block is freed by
/// the allocator that gave it.
static SYSTEM_ALLOCATOR: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// mimalloc for `index`: its parsing threads allocate what the index writer's
/// threads free, which glibc's arenas serialise and mimalloc does not. glibc's
/// malloc for the rest: a search lives a few milliseconds, in which mimalloc's
/// set-up and fresh pages cost ~160 page faults (~0.2 ms) more.
struct CommandAllocator;

impl CommandAllocator {
    fn system() -> bool {
        SYSTEM_ALLOCATOR.load(std::sync::atomic::Ordering::Relaxed)
    }
}

// SAFETY: every call is passed on whole to one of two allocators, the same one
// for a block's whole life (the choice is made before the first allocation).
unsafe impl std::alloc::GlobalAlloc for CommandAllocator {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        unsafe {
            if Self::system() {
                std::alloc::System.alloc(layout)
            } else {
                mimalloc::MiMalloc.alloc(layout)
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        unsafe {
            if Self::system() {
                std::alloc::System.alloc_zeroed(layout)
            } else {
                mimalloc::MiMalloc.alloc_zeroed(layout)
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe {
            if Self::system() {
                std::alloc::System.dealloc(ptr, layout)
            } else {
                mimalloc::MiMalloc.dealloc(ptr, layout)
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        unsafe {
            if Self::system() {
                std::alloc::System.realloc(ptr, layout, new_size)
            } else {
                mimalloc::MiMalloc.realloc(ptr, layout, new_size)
            }
        }
    }
}

const SKIPS_SHOWN: usize = 5;
/// Countries and actors `search --facets` lists.
const FACETS_SHOWN: usize = 10;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            // A closed pipe (`archiv search … | head`) is not an error.
            if let Some(io_err) = err.downcast_ref::<io::Error>()
                && io_err.kind() == io::ErrorKind::BrokenPipe
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("archiv: {err}");
            ExitCode::from(2)
        }
    }
}

/// Before the first allocation: asks the kernel for small pages only, and
/// picks glibc's malloc for every command but `index` (see `CommandAllocator`).
/// mimalloc asks for huge pages, 2 MiB cleared on first touch, which cost a
/// search more than much of its searching and gained an ingest nothing
/// (news-de: 2.2 s with them, 2.05 s without; 100,000 and 1,000,000 articles:
/// the same time either way, 40-60 MB less memory without).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[used]
#[unsafe(link_section = ".init_array")]
static SMALL_PAGES_AND_ALLOCATOR: extern "C" fn(
    libc::c_int,
    *const *const libc::c_char,
    *const *const libc::c_char,
) = small_pages_and_allocator;

// mimalloc's process set-up (options, main heap, the hook that hands a
// finished thread's memory back), which its constructor would run in every
// process; `.cargo/config.toml` leaves the constructor out on this target.
#[cfg(all(target_arch = "x86_64", target_os = "linux", target_env = "gnu"))]
unsafe extern "C" {
    fn _mi_auto_process_init();
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
extern "C" fn small_pages_and_allocator(
    argc: libc::c_int,
    argv: *const *const libc::c_char,
    _env: *const *const libc::c_char,
) {
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    if argv.is_null() {
        return;
    }
    // The first word that is neither a flag nor a global flag's value names
    // the command. Reads only, allocates nothing: the allocator is not set up.
    let mut skip_value = false;
    for i in 1..usize::try_from(argc).unwrap_or(0) {
        // SAFETY: glibc passes `main`'s argc and argv, NUL-terminated strings,
        // to the functions of .init_array.
        let arg = unsafe { std::ffi::CStr::from_ptr(*argv.add(i)) }.to_bytes();
        if std::mem::take(&mut skip_value) {
            continue;
        }
        if arg == b"--index" || arg == b"--color" {
            skip_value = true;
            continue;
        }
        if arg.starts_with(b"-") {
            continue;
        }
        if arg == b"index" {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: mimalloc's process set-up, once, before its first allocation.
            unsafe {
                _mi_auto_process_init();
            }
        } else {
            SYSTEM_ALLOCATOR.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        return;
    }
}

fn style(choice: ColorChoice) -> Style {
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    Style { color }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let index_given = cli.index.is_some();
    let index_dir = cli
        .index
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX));
    let style = style(cli.color);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let code = match cli.command {
        Command::Index(args) => {
            let signals = StopSignals::register()?;
            let summary = run_index(&index_dir, &args, signals.stop.clone())?;
            print_summary(&mut io::stderr(), &summary, &index_dir, args.verbose)?;
            match signals.received() {
                Some(signal) if summary.interrupted => ExitCode::from(128 + signal),
                _ => ExitCode::SUCCESS,
            }
        }
        Command::Search(args) => {
            let mut archive = open_or_build(&index_dir, index_given)?;
            archive.until_exit = true;
            run_search(&archive, &args, style, &mut out)?
        }
        Command::Similar(args) => {
            let archive = open_or_build(&index_dir, index_given)?;
            run_similar(&archive, &args, style, &mut out)?
        }
        Command::Export(args) => {
            let archive = open_or_build(&index_dir, index_given)?;
            let req = search_request(&args.query, &args.filters, 0, 0)?;
            let code = archiv::export::run(&archive, &req, &args, &mut out)?;
            ExitCode::from(code)
        }
        Command::Show(args) => {
            let archive = open_or_build(&index_dir, index_given)?;
            match search::find_article(&archive, &args.article)? {
                Some(article) => {
                    render::write_article(&mut out, &article, args.format)?;
                    ExitCode::SUCCESS
                }
                None => {
                    out.flush()?;
                    eprintln!(
                        "archiv: no article with id or path `{}` in {}",
                        args.article,
                        index_dir.display()
                    );
                    ExitCode::from(1)
                }
            }
        }
        Command::Extract(args) => {
            let (items, skipped) = archiv::extract::extract(&args.file)?;
            for skip in &skipped {
                eprintln!("archiv: skipped {}: {}", skip.address, skip.reason);
            }
            render::entities::write_extracted(&mut out, &items, args.format)?;
            if items.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Stats(args) => {
            let archive = open_or_build(&index_dir, index_given)?;
            let stats = archiv::stats::stats(&archive)?;
            render::write_stats(&mut out, &stats, args.format)?;
            ExitCode::SUCCESS
        }
    };
    out.flush()?;
    Ok(code)
}

/// Ctrl-C (SIGINT) or SIGTERM during `archiv index`: the first asks the
/// indexer to stop and commit what it has done; a second one ends the
/// process at once, as the signal does by default (the last commit stays).
struct StopSignals {
    stop: Arc<AtomicBool>,
    last: Arc<AtomicUsize>,
}

impl StopSignals {
    fn register() -> io::Result<StopSignals> {
        use signal_hook::consts::{SIGINT, SIGTERM};
        use signal_hook::flag;
        let signals = StopSignals {
            stop: Arc::new(AtomicBool::new(false)),
            last: Arc::new(AtomicUsize::new(0)),
        };
        for signal in [SIGINT, SIGTERM] {
            // The default action first: it looks at the flag before it is set.
            flag::register_conditional_default(signal, signals.stop.clone())?;
            flag::register(signal, signals.stop.clone())?;
            flag::register_usize(signal, signals.last.clone(), signal as usize)?;
        }
        Ok(signals)
    }

    /// The number of the signal that stopped the run, if one did.
    fn received(&self) -> Option<u8> {
        match self.last.load(Ordering::SeqCst) {
            0 => None,
            n => u8::try_from(n).ok(),
        }
    }
}

fn run_index(
    index_dir: &Path,
    args: &IndexArgs,
    stop: Arc<AtomicBool>,
) -> Result<IndexSummary, ArchivError> {
    let roots = if args.paths.is_empty() {
        vec![PathBuf::from(DEFAULT_CORPUS)]
    } else {
        args.paths.clone()
    };
    archiv::ingest::set_max_article_bytes(
        usize::try_from(args.max_article_size.clamp(1, 1 << 20) << 20).unwrap_or(usize::MAX),
    );
    let opts = IndexOptions {
        roots,
        rebuild: args.rebuild,
        memory_budget: args.memory.clamp(16, 16_384) << 20,
        max_file_bytes: args.max_file_size.clamp(1, 1 << 40) << 20,
        threads: args
            .threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
        progress: io::stderr().is_terminal(),
        annotate: !args.no_entities,
        optimize: args.optimize,
        checkpoint: args.checkpoint,
        stop,
    };
    index_paths(index_dir, &opts)
}

fn print_summary(
    err: &mut dyn Write,
    s: &IndexSummary,
    dir: &Path,
    verbose: bool,
) -> io::Result<()> {
    let secs = s.elapsed.as_secs_f64();
    let mb_per_s = if secs > 0.0 {
        s.bytes_read as f64 / 1e6 / secs
    } else {
        0.0
    };
    writeln!(
        err,
        "archiv: {} indexed, {} updated, {} unchanged, {} removed, {} skipped; {} articles in {} ({:.2} s, {} files read, {:.1} MB/s)",
        s.indexed,
        s.updated,
        s.unchanged,
        s.removed,
        s.skipped.len(),
        s.total_articles,
        dir.display(),
        secs,
        s.files_read,
        mb_per_s
    )?;
    let shown = if verbose {
        s.skipped.len()
    } else {
        SKIPS_SHOWN
    };
    for skip in s.skipped.iter().take(shown) {
        writeln!(err, "  skipped {}: {}", skip.address, skip.reason)?;
    }
    if s.skipped.len() > shown {
        writeln!(
            err,
            "  … and {} more skipped (--verbose lists all)",
            s.skipped.len() - shown
        )?;
    }
    if s.interrupted && s.files_left > 0 {
        writeln!(
            err,
            "archiv: interrupted: what was read is committed; {} new or changed files are left for the next `archiv index`",
            s.files_left
        )?;
    } else if s.interrupted {
        writeln!(
            err,
            "archiv: interrupted, but every file was read and committed"
        )?;
    }
    Ok(())
}

/// Opens the index; on first use of the default location, builds it from
/// `./corpus` first.
fn open_or_build(index_dir: &Path, index_given: bool) -> Result<Archive, ArchivError> {
    if !index::exists(index_dir) && !index_given && Path::new(DEFAULT_CORPUS).is_dir() {
        eprintln!(
            "archiv: no index yet at {}; building it from {}/ first",
            index_dir.display(),
            DEFAULT_CORPUS
        );
        let args = IndexArgs {
            paths: vec![PathBuf::from(DEFAULT_CORPUS)],
            rebuild: false,
            verbose: false,
            memory: 256,
            max_file_size: 64,
            max_article_size: archiv::ingest::DEFAULT_MAX_ARTICLE_MIB,
            threads: None,
            optimize: false,
            no_entities: false,
            checkpoint: Duration::from_secs(60),
        };
        let summary = run_index(index_dir, &args, Arc::default())?;
        let _ = print_summary(&mut io::stderr(), &summary, index_dir, false);
    }
    Archive::open(index_dir)
}

fn parse_date_flag(
    flag: &str,
    value: &str,
) -> Result<(chrono::NaiveDate, chrono::NaiveDate), ArchivError> {
    query::parse_period(value).ok_or_else(|| {
        ArchivError::Other(format!(
            "--{flag} {value}: not a date; use 2024, 2024-10 or 2024-10-23"
        ))
    })
}

/// The search the flags ask for: query, filters, order and page.
fn search_request(
    query: &str,
    filters: &FilterArgs,
    limit: usize,
    offset: usize,
) -> Result<SearchRequest, ArchivError> {
    let from = filters
        .from
        .as_deref()
        .map(|v| parse_date_flag("from", v))
        .transpose()?
        .map(|p| p.0);
    let until = filters
        .to
        .as_deref()
        .map(|v| parse_date_flag("to", v))
        .transpose()?
        .map(|p| p.1);
    Ok(SearchRequest {
        query: query.to_string(),
        limit,
        offset,
        from,
        until,
        sources: filters.source.clone(),
        countries: filters.country.clone(),
        actors: filters.actor.clone(),
        // Without words every article ranks alike: newest first then, unless
        // another order is asked for.
        sort: match filters.sort {
            SortOrder::Relevance if query::asks_for_everything(query) => SortOrder::Newest,
            sort => sort,
        },
        snippet_chars: 220,
        collapse: false,
    })
}

/// The request of a `search` or `similar` run: its page, filters and folding.
fn hit_list_request(query: &str, hits: &HitListArgs) -> anyhow::Result<SearchRequest> {
    let mut req = search_request(query, &hits.filters, hits.limit, hits.offset)?;
    req.collapse = !hits.no_collapse;
    Ok(req)
}

/// Writes a page of hits in the format and columns asked for.
fn write_hit_list(
    out: &mut dyn Write,
    hits: &HitListArgs,
    style: Style,
    head: &render::Head,
    page: &[search::Hit],
) -> io::Result<()> {
    let opts = render::WriterOptions {
        style,
        fields: hits.fields.clone(),
        excel: false,
    };
    render::write_hits(out, hits.format, &opts, head, page)
}

fn run_search(
    archive: &Archive,
    args: &SearchArgs,
    style: Style,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    if (args.facets || args.timeline) && args.hits.format != render::HitFormat::Text {
        return Err(ArchivError::Other(
            "--facets and --timeline draw in the terminal (--format text); the html report of `archiv export` has both".into(),
        )
        .into());
    }
    let req = hit_list_request(&args.query, &args.hits)?;
    let (results, breakdown) = search::search_with_breakdown(
        archive,
        &req,
        (args.facets || args.timeline).then_some(search::facets::BreakdownCollector {
            top: if args.facets { FACETS_SHOWN } else { 0 },
            dates: args.timeline,
        }),
    )?;
    let head = render::Head::search(&args.query, &args.hits.filters, &results);
    write_hit_list(out, &args.hits, style, &head, &results.hits)?;
    if let Some(breakdown) = breakdown {
        if args.facets {
            writeln!(out)?;
            let country_label = |code: &str| match archiv::entities::countries::country_name(code) {
                Some(name) => format!("{code} {name}"),
                None => code.to_string(),
            };
            render::entities::write_counts(
                out,
                "countries",
                &breakdown.countries,
                FACETS_SHOWN,
                &country_label,
            )?;
            writeln!(out)?;
            render::entities::write_counts(
                out,
                "actors",
                &breakdown.actors,
                FACETS_SHOWN,
                &|a: &str| a.to_string(),
            )?;
        }
        if args.timeline {
            writeln!(out)?;
            let timeline = search::facets::timeline(&breakdown.dates, breakdown.undated);
            render::entities::write_timeline(out, &timeline)?;
        }
    }
    Ok(if results.total > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run_similar(
    archive: &Archive,
    args: &SimilarArgs,
    style: Style,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let mut req = hit_list_request("", &args.hits)?;
    // The articles like one are ranked by likeness; the empty query is not used.
    req.sort = args.hits.filters.sort;
    let Some(found) = search::similar::similar(archive, &args.article, &req)? else {
        return Err(ArchivError::Other(format!(
            "no article with id or path `{}` in {}",
            args.article,
            archive.dir.display()
        ))
        .into());
    };
    let mut head = render::Head::search(&args.article, &args.hits.filters, &found.results);
    let a = &found.article;
    head.like = Some(render::LikeInfo {
        id: a.id.clone(),
        title: a.title.clone(),
        date: a.date,
        source: a.source.clone(),
        terms: found.terms.iter().map(|t| t.term.clone()).collect(),
    });
    write_hit_list(out, &args.hits, style, &head, &found.results.hits)?;
    Ok(if found.results.total > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
