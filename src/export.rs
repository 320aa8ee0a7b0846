//! `archiv export`: every hit of a query, with the filters of `search`, in
//! one of the hit formats, streamed to a file or stdout.
//!
//! The query is ranked first (a few bytes a hit: score and address, through
//! the same [`search::rank`] as `search`, so order and ranks are the same);
//! then each hit is read, rendered and written before the next, so memory
//! does not grow with the number of hits. A file is written under a
//! temporary name next to it and renamed at the end: an interrupted export
//! never leaves half a file, and an existing file is only replaced with
//! `--force`.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use serde_json::json;

use crate::cli::ExportArgs;
use crate::index::Archive;
use crate::render::stream::filter_map;
use crate::render::{ExportInfo, Head, HitFormat, Style, WriterOptions, hit_writer};
use crate::search::{self, HitMaker, Ranked, SearchRequest};

/// What an export wrote.
#[derive(Debug, Clone, Copy)]
pub struct Written {
    pub hits: usize,
    pub total: usize,
}

/// The format asked for: `--format`, else the extension of `-o FILE`, else
/// CSV (which `--excel` needs).
pub fn format_for(args: &ExportArgs, target: Option<&Path>) -> anyhow::Result<HitFormat> {
    let format = args
        .format
        .or_else(|| target.and_then(HitFormat::from_extension))
        .unwrap_or(HitFormat::Csv);
    if args.excel && format != HitFormat::Csv {
        bail!("--excel applies to CSV only, not to --format {format:?}");
    }
    Ok(format)
}

/// The output file, or `None` for stdout (`-o -` or no `-o`).
fn target(args: &ExportArgs) -> Option<PathBuf> {
    args.output
        .as_ref()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
}

/// Runs `archiv export` and returns the exit code: 0 hits written, 1 none
/// (a valid empty file is still written).
pub fn run(
    archive: &Archive,
    req: &SearchRequest,
    args: &ExportArgs,
    stdout: &mut dyn Write,
) -> anyhow::Result<u8> {
    let started = Instant::now();
    let target = target(args);
    let format = format_for(args, target.as_deref())?;
    if let Some(path) = &target
        && !args.force
        && path.exists()
    {
        bail!("{} exists; add --force to replace it", path.display());
    }
    let mut ranked = search::rank(archive, req, args.limit)?;
    if let Some(limit) = args.limit {
        ranked.docs.truncate(limit);
    }
    let mut filters = filter_map(&args.filters);
    if let Some(limit) = args.limit {
        filters.insert("limit".into(), json!(limit));
    }
    let head = Head {
        query: req.query.clone(),
        filters,
        total: ranked.total,
        offset: 0,
        count: ranked.docs.len(),
        took_ms: None,
        export: Some(ExportInfo {
            index_path: archive.dir.display().to_string(),
            index_articles: ranked.searcher.num_docs(),
            exported_at: chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        }),
        collapse: None,
        like: None,
    };
    let opts = WriterOptions {
        style: Style { color: false },
        fields: args.fields.clone(),
        excel: args.excel,
    };
    let written = match &target {
        None => stream(archive, &ranked, &head, format, &opts, stdout)?,
        Some(path) => {
            let written = write_file(path, args.force, |out| {
                stream(archive, &ranked, &head, format, &opts, out)
            })?;
            eprintln!(
                "archiv: {} {} of {} written to {} ({:.2} s)",
                written.hits,
                if written.hits == 1 { "hit" } else { "hits" },
                written.total,
                path.display(),
                started.elapsed().as_secs_f64()
            );
            written
        }
    };
    Ok(if written.hits > 0 { 0 } else { 1 })
}

/// Reads, renders and writes the ranked hits one at a time.
fn stream(
    archive: &Archive,
    ranked: &Ranked,
    head: &Head,
    format: HitFormat,
    opts: &WriterOptions,
    out: &mut dyn Write,
) -> anyhow::Result<Written> {
    let maker = HitMaker::new(ranked, &archive.fields, 220);
    let mut writer = hit_writer(format, out, opts);
    writer.begin(head)?;
    for (i, &(score, address)) in ranked.docs.iter().enumerate() {
        let hit = maker.hit(i + 1, score, address)?;
        writer.hit(&hit)?;
    }
    writer.end()?;
    Ok(Written {
        hits: ranked.docs.len(),
        total: ranked.total,
    })
}

/// Writes `path` through `fill` atomically: into a temporary file in the
/// same folder, renamed over `path` only when `fill` succeeded. Without
/// `force` an existing `path` is never replaced, even one that appeared
/// while writing.
pub fn write_file<T>(
    path: &Path,
    force: bool,
    fill: impl FnOnce(&mut dyn Write) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".part");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // As any new file: read-write for all, less the umask.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let tmp = builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    let value = {
        let mut out = BufWriter::with_capacity(1 << 16, tmp.as_file());
        let value = fill(&mut out)?;
        out.flush()
            .with_context(|| format!("writing {}", tmp.path().display()))?;
        value
    };
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("writing {}", tmp.path().display()))?;
    let persisted = if force {
        tmp.persist(path)
    } else {
        tmp.persist_noclobber(path)
    };
    persisted.map_err(|e| {
        if e.error.kind() == io::ErrorKind::AlreadyExists {
            anyhow::anyhow!("{} exists; add --force to replace it", path.display())
        } else {
            anyhow::anyhow!("cannot write {}: {}", path.display(), e.error)
        }
    })?;
    Ok(value)
}
