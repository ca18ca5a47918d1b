//! The `saraban` command line: parses arguments, calls the library, prints.
//!
//! One function per command; the work is in the library ([`saraban::archive`]
//! for the read commands, [`saraban::ingest`] for ingest).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use saraban::archive::{self, Archive, ArchiveError, DEFAULT_INDEX};
use saraban::export::{ExportFormat, ExportKind};
use saraban::extract::{self, ExtractOptions, Kind, Tools};
use saraban::index::analyzer::{DIGIT_EDGE, GramTokenizer, WordTokenizer, fold_for_match};
use saraban::index::{Analysis, IndexError, SarabanIndex, StoredDoc};
use saraban::ingest::{IngestOptions, Problem, Reporter, Severity};
use saraban::pipeline::{TagOutput, tag_extracted};

#[derive(Parser)]
#[command(
    name = "saraban",
    version,
    about = "Ingest and search Thai government records",
    long_about = "Ingest and search Thai government records: PDFs, scans, web pages, \
                  Word files and text in any Thai encoding. Thai and Arabic digits are \
                  equivalent everywhere; entities (provinces, officials, orders, plans, \
                  dates) are tagged, searchable and exportable."
)]
struct Cli {
    /// Index directory [default: ./index].
    #[arg(long, value_name = "DIR")]
    index: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract, tag and index files and folders (recursively).
    Ingest(IngestArgs),
    /// Search the index.
    #[command(after_help = query_help())]
    Search(SearchArgs),
    /// Show how the index analyzes a text.
    Analyze(AnalyzeArgs),
    /// Show one document.
    Show(ShowArgs),
    /// Extract and tag files (or standard input) without indexing.
    Tag(TagArgs),
    /// Export entity mentions.
    Export(ExportArgs),
    /// Times queries in-process for benchmark harnesses: one JSON line per
    /// query with every hit's source and the latency of each timed pass.
    #[command(hide = true)]
    BenchQueries(BenchArgs),
    /// Documents by type, year and province; index size.
    Stats(StatsArgs),
    /// Serve the index read-only over HTTP (JSON API).
    Serve(ServeArgs),
    /// Merge indexes built separately (shards, oldest first) into a new
    /// index at --index; a source in several shards is kept from the last.
    Merge(MergeArgs),
}

#[derive(Args)]
struct MergeArgs {
    #[command(flatten)]
    index: IndexArg,
    #[command(flatten)]
    dict: DictArg,
    #[command(flatten)]
    quiet: QuietArg,
    /// Indexes to merge, oldest first.
    #[arg(required = true)]
    shards: Vec<PathBuf>,
    /// Write every problem (duplicates) as a JSON line to this file.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    index: IndexArg,
    #[command(flatten)]
    dict: DictArg,
    /// Address to listen on (loopback unless told otherwise; port 0 = any free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// Memory for recent result sets and facets, in MB (0 = no cache); dropped when the index reloads.
    #[arg(long, value_name = "N", default_value_t = saraban::browse::DEFAULT_CACHE_MB)]
    cache_mb: usize,
    /// Searches run at once; later requests wait in line, first come first served (0 = no limit).
    #[arg(long, value_name = "N", default_value_t = saraban::serve::default_max_searches())]
    max_searches: usize,
}

/// `--dict`, for the commands that segment or tag text.
#[derive(Args)]
struct DictArg {
    /// Extra dictionaries: word lists (*.txt) and gazetteers named like the built-in ones.
    #[arg(long, value_name = "DIR", env = "SARABAN_DICT")]
    dict: Option<PathBuf>,
}

/// `--index`, for the commands that read or write an index (also taken
/// before the command's name); `tag` and `analyze` use none and do not
/// offer it ([`UnusedIndexArg`]).
#[derive(Args)]
struct IndexArg {
    /// Index directory [default: ./index].
    #[arg(long, value_name = "DIR")]
    index: Option<PathBuf>,
}

/// `--index` on a command that uses no index: every command takes it, so a
/// script that passes it everywhere keeps working, but help does not show
/// an option that changes nothing there.
#[derive(Args)]
struct UnusedIndexArg {
    #[arg(long, value_name = "DIR", hide = true)]
    #[allow(dead_code)]
    index: Option<PathBuf>,
}

/// `--quiet`, for the commands that may show progress.
#[derive(Args)]
struct QuietArg {
    /// No progress bar or summary on stderr.
    #[arg(long, short)]
    quiet: bool,
}

/// The query language, shown by `search --help`; the filter lines come
/// from the entity descriptors.
fn query_help() -> String {
    let filters: String = saraban::entity::filters()
        .iter()
        .map(|f| format!("  {}\n", f.usage))
        .collect();
    format!(
        "\
Query language:
  ภูเก็ต สงขลา              every word must occur, anywhere in the document
  \"คำสั่งที่ 2/2566\"          an exact phrase (Thai and Arabic digits are equal)
  A OR B, -A, NOT A, ( )    operators (AND is implied between words)

Filters (combine with words and with each other):
{filters}
Examples:
  saraban search 2/2566
  saraban search --limit 0 --json type:order order:2/2566
  saraban search 'province:ภูเก็ต date:2566 -type:news'"
    )
}

#[derive(Args)]
struct IngestArgs {
    #[command(flatten)]
    index: IndexArg,
    #[command(flatten)]
    dict: DictArg,
    #[command(flatten)]
    quiet: QuietArg,
    /// Memory to aim for, in MB (index writer, its queue, merges and commit
    /// batches; the default writer takes about 200 MB). For small machines.
    #[arg(long, value_name = "MB")]
    memory: Option<usize>,
    /// Files or folders.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Remove documents whose files no longer exist.
    #[arg(long)]
    prune: bool,
    /// Write every problem as a JSON line to this file.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Do not OCR scans or PDF pages without text.
    #[arg(long)]
    no_ocr: bool,
    /// Largest file accepted, in MiB.
    #[arg(long, default_value_t = 256)]
    max_file_mb: u64,
    /// Commit after this many documents (a killed run keeps what was committed).
    #[arg(long, default_value_t = 5000)]
    commit_every: usize,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
    /// The paths are prepared records (`tag --json --files-from`) to index
    /// without extracting again.
    #[arg(long)]
    prepared: bool,
}

#[derive(Args)]
struct SearchArgs {
    #[command(flatten)]
    index: IndexArg,
    #[command(flatten)]
    dict: DictArg,
    #[command(flatten)]
    quiet: QuietArg,
    /// The query (words, "phrases", filters such as order:2/2566 province:ภูเก็ต).
    #[arg(required_unless_present = "batch", conflicts_with = "batch", num_args = 1..)]
    query: Vec<String>,
    /// Count the hits of many queries: one per line of FILE (or a CSV
    /// whose first column is the query), - for standard input. Exit 2 when
    /// a line failed; the other lines still run.
    #[arg(long, value_name = "FILE")]
    batch: Option<PathBuf>,
    /// Number of hits (0 = all).
    #[arg(long, short = 'n', default_value_t = 10)]
    limit: usize,
    /// JSON Lines output.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct AnalyzeArgs {
    #[command(flatten)]
    dict: DictArg,
    #[command(flatten)]
    _index: UnusedIndexArg,
    /// Text, or - for standard input.
    text: Option<String>,
    /// JSON output.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct ShowArgs {
    #[command(flatten)]
    index: IndexArg,
    #[command(flatten)]
    quiet: QuietArg,
    /// Document id, or its source path (relative, ./ or absolute).
    id: String,
    /// JSON output.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct TagArgs {
    #[command(flatten)]
    dict: DictArg,
    #[command(flatten)]
    _index: UnusedIndexArg,
    /// Files, or - for standard input (the default).
    files: Vec<PathBuf>,
    /// JSON Lines output.
    #[arg(long)]
    json: bool,
    /// Do not OCR.
    #[arg(long)]
    no_ocr: bool,
    /// Read the paths of files and folders to tag from FILE (- for standard
    /// input), one per line, and print one prepared record per document
    /// (with --json): what `ingest --prepared` indexes without extracting.
    #[arg(long, value_name = "FILE", conflicts_with = "files")]
    files_from: Option<PathBuf>,
    /// Print the files `ingest` would read under the given paths, one JSON
    /// line each (`path`, `size`), and the problems of the walk.
    #[arg(long, conflicts_with = "files_from")]
    list_inputs: bool,
    /// With --list-inputs: leave out files this index already holds unchanged.
    #[arg(long, value_name = "DIR", requires = "list_inputs")]
    skip_indexed: Option<PathBuf>,
    /// Worker threads for --files-from (default: all cores).
    #[arg(long, default_value_t = 0)]
    threads: usize,
}

/// Export kinds as the command line offers them: the library's names and
/// help lines, so a kind added there is offered here.
fn export_kind_parser() -> impl clap::builder::TypedValueParser<Value = ExportKind> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(
        ExportKind::iter().map(|k| PossibleValue::new(k.as_str()).help(k.help())),
    )
    .try_map(|name| name.parse::<ExportKind>())
}

/// Export format.
#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    /// Comma-separated values (RFC 4180 quoting).
    Csv,
    /// One JSON object per line.
    Jsonl,
}

impl From<FormatArg> for ExportFormat {
    fn from(f: FormatArg) -> ExportFormat {
        match f {
            FormatArg::Csv => ExportFormat::Csv,
            FormatArg::Jsonl => ExportFormat::Jsonl,
        }
    }
}

#[derive(Args)]
struct ExportArgs {
    #[command(flatten)]
    index: IndexArg,
    #[command(flatten)]
    dict: DictArg,
    #[command(flatten)]
    quiet: QuietArg,
    /// What to export.
    #[arg(value_parser = export_kind_parser())]
    kind: ExportKind,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    format: FormatArg,
    /// Only documents matching this query.
    #[arg(long)]
    query: Option<String>,
    /// Start a CSV with a UTF-8 byte-order mark (for spreadsheet programs).
    #[arg(long)]
    bom: bool,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct BenchArgs {
    #[command(flatten)]
    index: IndexArg,
    #[command(flatten)]
    dict: DictArg,
    /// File with one query per line (`#` comments).
    file: PathBuf,
    /// Timed passes after one warm-up pass.
    #[arg(long, default_value_t = 5)]
    reps: usize,
    /// Time a first page of this many hits (ranked, with its total) instead
    /// of finding every hit (0).
    #[arg(long, default_value_t = 0)]
    limit: usize,
}

#[derive(Args)]
struct StatsArgs {
    #[command(flatten)]
    index: IndexArg,
    #[command(flatten)]
    quiet: QuietArg,
    /// JSON output.
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print to stdout and succeed; usage
            // errors exit 1 (2 means "some inputs failed").
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        // The reader went away (`saraban search ... | head -1`): stop quietly.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("saraban: error: {}", error_message(&e));
            ExitCode::from(1)
        }
    }
}

/// The error and its causes, each said once: a cause whose text the
/// message already contains is not repeated.
fn error_message(e: &anyhow::Error) -> String {
    let mut message = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !message.contains(&cause) {
            message.push_str(": ");
            message.push_str(&cause);
        }
    }
    message
}

/// True when writing failed because the reading end of a pipe was closed.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        let kind = if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            Some(io.kind())
        } else if let Some(json) = cause.downcast_ref::<serde_json::Error>() {
            json.io_error_kind()
        } else if let Some(a) = cause.downcast_ref::<ArchiveError>() {
            a.is_broken_pipe().then_some(std::io::ErrorKind::BrokenPipe)
        } else {
            None
        };
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// Options every command may take.
struct Global {
    index: Option<PathBuf>,
    dict: Option<PathBuf>,
    quiet: bool,
}

/// Where built dictionaries are kept between runs: `$SARABAN_CACHE`, else
/// `$XDG_CACHE_HOME/saraban`, else `~/.cache/saraban`.
fn cache_dir() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = var("SARABAN_CACHE") {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = var("XDG_CACHE_HOME") {
        return Some(PathBuf::from(dir).join("saraban"));
    }
    var("HOME").map(|home| PathBuf::from(home).join(".cache").join("saraban"))
}

impl Global {
    fn index_dir(&self) -> PathBuf {
        self.index
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX))
    }

    fn analysis(&self) -> Result<Analysis> {
        match cache_dir() {
            Some(cache) => Analysis::load_cached(self.dict.as_deref(), &cache),
            None => Analysis::load(self.dict.as_deref()),
        }
    }

    /// Opens the index read-only. The default `./index` is built from
    /// `./corpus` the first time a read command needs it (see
    /// [`archive::first_use_corpus`]); any other missing index is an error
    /// saying how to build it.
    fn archive(&self) -> Result<Archive> {
        let dir = self.index_dir();
        let analysis = self.analysis()?;
        if let Some(corpus) = archive::first_use_corpus(&dir) {
            eprintln!(
                "saraban: no index yet; building {} from {} (first use)",
                dir.display(),
                corpus.display()
            );
            let (summary, _) =
                archive::build(&dir, &[corpus], &analysis, &Progress::new(self.quiet))?;
            eprintln!(
                "saraban: indexed {} documents ({} skipped)",
                summary.added + summary.replaced,
                summary.failed
            );
        }
        match Archive::open(&dir, analysis) {
            Ok(a) => Ok(a),
            Err(ArchiveError::Index(IndexError::Missing { path })) => {
                let how = match &self.index {
                    Some(_) => format!("saraban --index {} ingest PATH...", path.display()),
                    None => "saraban ingest PATH...".to_string(),
                };
                anyhow::bail!("no index at {}; build one with `{how}`", path.display())
            }
            Err(e) => Err(e.into()),
        }
    }
}

/// Draws ingest progress on a terminal and prints problems to stderr.
struct Progress {
    bar: indicatif::ProgressBar,
}

impl Progress {
    /// A bar on stderr, hidden when `quiet` or when stderr is not a terminal.
    fn new(quiet: bool) -> Progress {
        let bar = if quiet || !std::io::stderr().is_terminal() {
            indicatif::ProgressBar::hidden()
        } else {
            let bar = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::stderr(),
            );
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {bar:30} {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        };
        Progress { bar }
    }
}

impl Reporter for Progress {
    fn start(&self, _files: usize, bytes: u64) {
        self.bar.set_length(bytes);
        self.bar
            .enable_steady_tick(std::time::Duration::from_millis(200));
    }
    fn advance(&self, bytes: u64) {
        self.bar.inc(bytes);
    }
    fn file_done(&self, done: usize, total: usize) {
        self.bar.set_message(format!("{done}/{total} files"));
    }
    fn problem(&self, problem: &Problem) {
        self.bar.suspend(|| eprintln!("saraban: {problem}"));
    }
    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    // `--index` after the command's name wins over one before it.
    let top = cli.index;
    let g = |index: &IndexArg, dict: &DictArg, quiet: bool| Global {
        index: index.index.clone().or_else(|| top.clone()),
        dict: dict.dict.clone(),
        quiet,
    };
    let (no_dict, no_index) = (DictArg { dict: None }, IndexArg { index: None });
    match cli.command {
        Command::Ingest(a) => ingest(&g(&a.index, &a.dict, a.quiet.quiet), a),
        Command::Search(a) => search(&g(&a.index, &a.dict, a.quiet.quiet), a),
        Command::Analyze(a) => analyze(&g(&no_index, &a.dict, false), a),
        Command::Show(a) => show(&g(&a.index, &no_dict, a.quiet.quiet), a),
        Command::Tag(a) => tag(&g(&no_index, &a.dict, false), a),
        Command::Export(a) => export(&g(&a.index, &a.dict, a.quiet.quiet), a),
        Command::BenchQueries(a) => bench_queries(&g(&a.index, &a.dict, true), a),
        Command::Stats(a) => stats(&g(&a.index, &no_dict, a.quiet.quiet), a),
        Command::Serve(a) => serve(&g(&a.index, &a.dict, false), a),
        Command::Merge(a) => merge(&g(&a.index, &a.dict, a.quiet.quiet), a),
    }
}

/// Ingest allocates large buffers on many threads; glibc's default of one
/// malloc arena per thread (up to 8 per core) then keeps freed memory
/// fragmented across arenas and the resident size drifts upwards with the
/// corpus. Two arenas keep it flat at no measurable cost in speed.
fn bound_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator settings; it is called before
    // this command starts its worker threads.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

fn ingest(g: &Global, a: IngestArgs) -> Result<ExitCode> {
    bound_malloc_arenas();
    let analysis = g.analysis()?;
    let idx = SarabanIndex::open(&g.index_dir(), &analysis, true)?;
    if let Some(mb) = a.memory {
        // Half for the index writer; the rest holds documents in flight,
        // the dictionaries and merges.
        idx.set_writer_memory(mb.saturating_mul(1_000_000) / 2);
        // Smaller background merges too (a merge's heap grows with them).
        idx.set_max_merged_docs(
            u32::try_from(mb.saturating_mul(20))
                .unwrap_or(u32::MAX)
                .clamp(1_000, saraban::index::merge_policy::DEFAULT_MAX_MERGED_DOCS),
        );
    }
    let opts = IngestOptions {
        prune: a.prune,
        report: a.report,
        threads: a.threads,
        extract: ExtractOptions {
            ocr: !a.no_ocr,
            max_file_bytes: a.max_file_mb.saturating_mul(1024 * 1024),
            ..ExtractOptions::default()
        },
        batch_docs: match a.memory {
            // Fewer documents between commits on a small budget.
            Some(mb) => a.commit_every.clamp(1, mb.saturating_mul(10).max(100)),
            None => a.commit_every.max(1),
        },
    };
    let progress = Progress::new(g.quiet);
    let (summary, problems) = if a.prepared {
        saraban::prepared::ingest_prepared(&idx, &analysis, &a.paths, &opts, &progress)?
    } else {
        saraban::ingest::ingest_with(&idx, &analysis, &a.paths, &opts, &progress)?
    };
    if a.json {
        writeln!(std::io::stdout(), "{}", serde_json::to_string(&summary)?)?;
    } else if !g.quiet || summary.failed > 0 {
        eprintln!(
            "saraban: {} files; {} added, {} replaced, {} unchanged, {} duplicates, {} failed, {} pruned",
            summary.files,
            summary.added,
            summary.replaced,
            summary.unchanged,
            summary.duplicates,
            summary.failed,
            summary.pruned
        );
    }
    let failed = problems.iter().any(|p| p.severity == Severity::Error);
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn search(g: &Global, a: SearchArgs) -> Result<ExitCode> {
    if let Some(file) = &a.batch {
        return search_batch(g, file, a.json);
    }
    let archive = g.archive()?;
    let mut out = std::io::stdout().lock();
    if a.limit == 0 {
        // Every hit: written as each is read, never all held at once.
        let ranked = archive.rank_all(&a.query.join(" "))?;
        if !a.json {
            print_total(&mut out, ranked.total(), true, ranked.total())?;
        }
        for (i, h) in ranked.hits(archive.index()).enumerate() {
            let h = h?;
            if a.json {
                serde_json::to_writer(&mut out, &h)?;
                out.write_all(b"\n")?;
            } else {
                print_hit(&mut out, i, &h)?;
            }
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let results = archive.search(&a.query.join(" "), a.limit)?;
    if a.json {
        for h in &results.hits {
            serde_json::to_writer(&mut out, h)?;
            out.write_all(b"\n")?;
        }
    } else {
        print_hits(&mut out, &results)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn search_batch(g: &Global, file: &Path, json: bool) -> Result<ExitCode> {
    let archive = g.archive()?;
    let text = if file == Path::new("-") {
        read_stdin()?
    } else {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8", file.display()))?
    };
    let lines = saraban::browse::batch(&archive, &text)?;
    let mut out = std::io::stdout().lock();
    if json {
        for l in &lines {
            serde_json::to_writer(&mut out, l)?;
            out.write_all(b"\n")?;
        }
    } else {
        writeln!(out, "{:>5}  {:>7}  query", "line", "total")?;
        for l in &lines {
            match (&l.total, &l.error) {
                (Some(t), _) => writeln!(out, "{:>5}  {:>7}  {}", l.line, t, l.query)?,
                (None, e) => writeln!(
                    out,
                    "{:>5}  {:>7}  {}  — error: {}",
                    l.line,
                    "-",
                    l.query,
                    e.as_deref().unwrap_or("")
                )?,
            }
        }
    }
    out.flush()?;
    Ok(if lines.iter().any(|l| l.error.is_some()) {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn analyze(g: &Global, a: AnalyzeArgs) -> Result<ExitCode> {
    let analysis = g.analysis()?;
    let text = match a.text.as_deref() {
        None | Some("-") => read_stdin()?,
        Some(t) => t.to_string(),
    };
    print_analysis(&analysis, &text, a.json)?;
    Ok(ExitCode::SUCCESS)
}

fn show(g: &Global, a: ShowArgs) -> Result<ExitCode> {
    let archive = g.archive()?;
    let doc = archive
        .document(&a.id)?
        .with_context(|| format!("no document with id or source {}", a.id))?;
    print_document(&doc, a.json)?;
    Ok(ExitCode::SUCCESS)
}

fn export(g: &Global, a: ExportArgs) -> Result<ExitCode> {
    let archive = g.archive()?;
    let selection = archive.select(a.query.as_deref())?;
    let (kind, format) = (a.kind, a.format.into());
    let rows = match &a.output {
        Some(path) => {
            let file = archive.create_output(path)?;
            archive.export(
                &selection,
                kind,
                format,
                a.bom,
                std::io::BufWriter::new(file),
            )?
        }
        None => archive.export(
            &selection,
            kind,
            format,
            a.bom,
            std::io::BufWriter::new(std::io::stdout().lock()),
        )?,
    };
    if a.output.is_some() && !g.quiet {
        eprintln!("saraban: {rows} rows written");
    }
    Ok(ExitCode::SUCCESS)
}

/// CPU time of the calling thread, in milliseconds (a query runs on one
/// thread: its CPU time does not depend on what else the machine runs).
fn thread_cpu_ms() -> f64 {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes the timespec it is given.
        if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0 {
            return ts.tv_sec as f64 * 1000.0 + ts.tv_nsec as f64 / 1e6;
        }
    }
    0.0
}

fn bench_queries(g: &Global, a: BenchArgs) -> Result<ExitCode> {
    let archive = g.archive()?;
    let text = std::fs::read_to_string(&a.file)
        .with_context(|| format!("cannot read {}", a.file.display()))?;
    let queries: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .collect();
    let mut out = std::io::stdout().lock();
    for q in queries {
        let mut lat = Vec::with_capacity(a.reps);
        let mut sources = Vec::new();
        if a.limit > 0 {
            let mut page = archive.search(q, a.limit)?;
            let mut cpu = Vec::with_capacity(a.reps);
            for _ in 0..a.reps {
                let (start, start_cpu) = (std::time::Instant::now(), thread_cpu_ms());
                page = archive.search(q, a.limit)?;
                lat.push(start.elapsed().as_secs_f64() * 1000.0);
                cpu.push(thread_cpu_ms() - start_cpu);
            }
            let ids: Vec<&str> = page.hits.iter().map(|h| h.source.as_str()).collect();
            let line = serde_json::json!({"q": q, "hits": ids, "total": page.total,
                "total_exact": page.total_exact, "lat_ms": lat, "cpu_ms": cpu});
            writeln!(out, "{line}")?;
            continue;
        }
        for rep in 0..=a.reps {
            let start = std::time::Instant::now();
            let (searcher, addrs) = archive.matching(q)?;
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            if rep == 0 {
                for addr in addrs {
                    sources.push(archive.stored(&searcher, addr)?.source);
                }
            } else {
                lat.push(ms);
            }
        }
        let line = serde_json::json!({"q": q, "hits": sources, "lat_ms": lat});
        writeln!(out, "{line}")?;
    }
    Ok(ExitCode::SUCCESS)
}

fn serve(g: &Global, a: ServeArgs) -> Result<ExitCode> {
    let archive = g.archive()?;
    let log: saraban::serve::AccessLog = std::sync::Arc::new(|e| eprintln!("{e}"));
    let options = saraban::serve::Options {
        cache_mb: a.cache_mb,
        max_searches: a.max_searches,
    };
    saraban::serve::run_with(a.addr, archive, log, options, |addr| {
        eprintln!("saraban: serving on http://{addr}/ (Ctrl-C to stop)");
    })?;
    Ok(ExitCode::SUCCESS)
}

fn stats(g: &Global, a: StatsArgs) -> Result<ExitCode> {
    let archive = g.archive()?;
    let stats = archive.stats()?;
    let mut out = std::io::stdout().lock();
    if a.json {
        writeln!(out, "{}", serde_json::to_string(&stats)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "documents: {}", stats.documents)?;
    writeln!(out, "index size: {:.1} MB", stats.index_bytes as f64 / 1e6)?;
    writeln!(out, "by type:")?;
    for (k, v) in &stats.by_type {
        writeln!(out, "  {k:<14} {v}")?;
    }
    writeln!(out, "by year:")?;
    for (k, v) in &stats.by_year {
        match k.parse::<i32>() {
            Ok(y) => writeln!(out, "  {k} (พ.ศ. {}) {v}", y + 543)?,
            Err(_) => writeln!(out, "  {k:<16} {v}")?,
        }
    }
    writeln!(out, "by province:")?;
    let mut provinces: Vec<_> = stats.by_province.iter().collect();
    provinces.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (k, v) in provinces {
        writeln!(out, "  {k:<20} {v}")?;
    }
    Ok(ExitCode::SUCCESS)
}

fn read_stdin() -> Result<String> {
    let bytes = extract::read_stream(std::io::stdin().lock(), extract::DEFAULT_MAX_FILE_BYTES)
        .context("cannot read standard input")?;
    Ok(extract::decode_text(&bytes).text)
}

fn print_hits(out: &mut impl Write, results: &saraban::search::Results) -> Result<()> {
    print_total(out, results.total, results.total_exact, results.hits.len())?;
    for (i, h) in results.hits.iter().enumerate() {
        print_hit(out, i, h)?;
    }
    Ok(())
}

/// The line above the hits: how many documents match, how many are shown.
fn print_total(out: &mut impl Write, total: usize, exact: bool, shown: usize) -> Result<()> {
    if !exact {
        writeln!(
            out,
            "at least {total} documents (showing the first {shown}; --limit 0 shows all)"
        )?;
    } else if shown < total {
        writeln!(
            out,
            "{total} documents (showing the first {shown}; --limit 0 shows all)"
        )?;
    } else {
        writeln!(out, "{total} documents")?;
    }
    Ok(())
}

/// One hit as `search` prints it (`i` counts from 0).
fn print_hit(out: &mut impl Write, i: usize, h: &saraban::search::Hit) -> Result<()> {
    let tty = std::io::stdout().is_terminal();
    let (bold, plain) = if tty {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    writeln!(out)?;
    writeln!(
        out,
        "{}. {bold}{}{plain}",
        i + 1,
        h.title.as_deref().unwrap_or("(untitled)")
    )?;
    writeln!(
        out,
        "   {} · {} · {} · {}{}",
        h.id,
        h.doc_type.as_str(),
        h.date.as_deref().unwrap_or("no date"),
        h.source,
        if h.provinces.is_empty() {
            String::new()
        } else {
            format!(" · {}", h.provinces.join(", "))
        }
    )?;
    let snippet = h
        .snippet
        .replace("<b>", bold)
        .replace("</b>", plain)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    writeln!(out, "   {snippet}")?;
    Ok(())
}

fn print_document(doc: &StoredDoc, json: bool) -> Result<()> {
    let tagged = doc.tagged();
    let mut out = std::io::stdout().lock();
    if json {
        #[derive(serde::Serialize)]
        struct ShowOutput<'a> {
            id: &'a str,
            #[serde(flatten)]
            tag: TagOutput<'a>,
        }
        let shown = ShowOutput {
            id: &doc.id,
            tag: TagOutput::from_parts(
                &doc.source,
                &doc.format,
                &doc.encoding,
                doc.title.as_deref(),
                &doc.text,
                &tagged,
            ),
        };
        writeln!(out, "{}", serde_json::to_string(&shown)?)?;
        return Ok(());
    }
    let t = &tagged;
    writeln!(out, "id:       {}", doc.id)?;
    writeln!(out, "source:   {}", doc.source)?;
    writeln!(out, "title:    {}", doc.title.as_deref().unwrap_or(""))?;
    writeln!(out, "type:     {}", doc.doc_type.as_str())?;
    writeln!(
        out,
        "date:     {}",
        doc.date.as_deref().unwrap_or("unknown")
    )?;
    writeln!(out, "format:   {} ({})", doc.format, doc.encoding)?;
    for e in saraban::entity::KINDS {
        let Some(label) = e.label else { continue };
        let items = (e.lines)(t);
        if !items.is_empty() {
            writeln!(out, "{label}:")?;
            for i in items {
                writeln!(out, "  {i}")?;
            }
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", doc.text)?;
    Ok(())
}

/// The tokens an analyzer makes of `text`, offsets in characters.
fn token_json<T: tantivy::tokenizer::Tokenizer>(
    mut tokenizer: T,
    text: &str,
) -> Vec<serde_json::Value> {
    use tantivy::tokenizer::TokenStream;
    let byte_to_char = |b: usize| text[..b.min(text.len())].chars().count();
    let mut stream = tokenizer.token_stream(text);
    let mut tokens = Vec::new();
    while stream.advance() {
        let t = stream.token();
        tokens.push(serde_json::json!({
            "text": t.text, "start": byte_to_char(t.offset_from),
            "end": byte_to_char(t.offset_to), "position": t.position,
        }));
    }
    tokens
}

fn print_analysis(analysis: &Analysis, text: &str, json: bool) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let repaired = saraban::normalize::repair(text);
    let outputs = [
        serde_json::json!({
            "field": "body", "analyzer": saraban::index::WORDS,
            "normalized": saraban::normalize::fold_digits(&repaired),
            "tokens": token_json(WordTokenizer::new(analysis.segmenter.clone()), &repaired),
        }),
        serde_json::json!({
            "field": "grams2", "analyzer": saraban::index::GRAMS,
            "normalized": fold_for_match(&repaired).as_string(),
            "tokens": token_json(GramTokenizer::with_offsets(), &repaired),
        }),
    ];
    if json {
        for o in outputs {
            writeln!(out, "{o}")?;
        }
        return Ok(());
    }
    for o in outputs {
        writeln!(
            out,
            "{} ({})",
            o["field"].as_str().unwrap_or(""),
            o["analyzer"].as_str().unwrap_or("")
        )?;
        let normalized = o["normalized"]
            .as_str()
            .unwrap_or("")
            .replace(DIGIT_EDGE, "·");
        writeln!(out, "  normalized: {normalized}")?;
        let toks: Vec<String> = o["tokens"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|t| {
                        t["text"]
                            .as_str()
                            .unwrap_or("")
                            .replace(DIGIT_EDGE, "·")
                            .replace('\u{2}', "$")
                    })
                    .collect()
            })
            .unwrap_or_default();
        writeln!(out, "  tokens: {}", toks.join(" | "))?;
    }
    Ok(())
}

fn merge(g: &Global, a: MergeArgs) -> Result<ExitCode> {
    bound_malloc_arenas();
    let analysis = g.analysis()?;
    let out = g.index_dir();
    let (summary, problems) = saraban::index::merge::merge(&out, &a.shards, &analysis)?;
    if let Some(path) = &a.report {
        let mut w = std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("report {}", path.display()))?,
        );
        for p in &problems {
            serde_json::to_writer(&mut w, p)?;
            w.write_all(b"\n")?;
        }
        w.flush()
            .with_context(|| format!("report {}", path.display()))?;
    }
    if !g.quiet {
        for p in &problems {
            eprintln!("saraban: {p}");
        }
    }
    if a.json {
        writeln!(std::io::stdout(), "{}", serde_json::to_string(&summary)?)?;
    } else if !g.quiet {
        eprintln!(
            "saraban: merged {} shards into {}: {} documents ({} older versions, {} duplicates dropped)",
            summary.shards,
            out.display(),
            summary.documents,
            summary.replaced,
            summary.duplicates
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `tag --files-from`: prepared records for every file listed.
fn tag_files_from(g: &Global, a: &TagArgs, from: &Path) -> Result<ExitCode> {
    anyhow::ensure!(a.json, "--files-from prints prepared records: add --json");
    let analysis = g.analysis()?;
    let paths = saraban::prepared::read_path_list(from)?;
    let opts = IngestOptions {
        prune: false,
        report: None,
        threads: a.threads,
        extract: ExtractOptions {
            ocr: !a.no_ocr,
            max_file_bytes: 256 * 1024 * 1024,
            ..ExtractOptions::default()
        },
        batch_docs: 64,
    };
    let out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout());
    let (_, problems) =
        saraban::prepared::prepare(&analysis, &paths, &opts, &Progress::new(true), out)?;
    let failed = problems.iter().any(|p| p.severity == Severity::Error);
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// `tag --list-inputs`: the files ingest would read, as JSON lines.
fn list_inputs(g: &Global, a: &TagArgs) -> Result<ExitCode> {
    let known = match &a.skip_indexed {
        Some(dir) => Some(SarabanIndex::open_read_only(dir, &g.analysis()?)?.known()?),
        None => None,
    };
    let (inputs, problems) = saraban::prepared::list_inputs(&a.files, known.as_ref());
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    saraban::prepared::write_inputs(&mut out, &inputs, &problems)?;
    Ok(ExitCode::SUCCESS)
}

fn tag(g: &Global, a: TagArgs) -> Result<ExitCode> {
    if let Some(from) = &a.files_from {
        return tag_files_from(g, &a, from);
    }
    if a.list_inputs {
        return list_inputs(g, &a);
    }
    let analysis = g.analysis()?;
    analysis.tagger.compile()?;
    let (files, json, no_ocr) = (&a.files, a.json, a.no_ocr);
    let mut opts = ExtractOptions::with_tools(Tools::detect());
    opts.ocr = !no_ocr;
    let stdin_only = files.is_empty() || (files.len() == 1 && files[0] == Path::new("-"));
    let mut failed = false;
    let mut out = std::io::stdout().lock();
    let mut emit = |source: &str, ex: &saraban::model::Extracted| -> Result<()> {
        let tagged = tag_extracted(&analysis.tagger, ex);
        let o = TagOutput::new(source, ex, &tagged);
        if json {
            serde_json::to_writer(&mut out, &o)?;
            out.write_all(b"\n")?;
        } else {
            writeln!(
                out,
                "{source}: {} · {} · {}",
                o.doc_type,
                o.doc_date.unwrap_or("no date"),
                o.title.unwrap_or("")
            )?;
            // The text's dates first, then every other kind in its order.
            let kinds = saraban::entity::KINDS;
            let dates = kinds
                .iter()
                .filter(|e| e.kind == saraban::entity::Kind::Date);
            let others = kinds
                .iter()
                .filter(|e| e.kind != saraban::entity::Kind::Date);
            for e in dates.chain(others) {
                for line in (e.brief)(&tagged) {
                    writeln!(out, "  {line}")?;
                }
            }
        }
        Ok(())
    };
    if stdin_only {
        let read = extract::read_stream(std::io::stdin().lock(), opts.max_file_bytes);
        match read.and_then(|bytes| extract::extract_bytes(&bytes, Kind::Text, &opts)) {
            Ok(ex) => emit("-", &ex)?,
            Err(e) => {
                eprintln!("saraban: error: -: {e}");
                failed = true;
            }
        }
    } else {
        for f in files {
            let source = f.to_string_lossy();
            match extract::kind_of(f) {
                Some(Kind::Jsonl | Kind::JsonlGz) => {
                    eprintln!(
                        "saraban: error: {source}: JSON Lines files are for `ingest`; tag their text with `-`"
                    );
                    failed = true;
                }
                _ => match extract::extract_file(f, &opts) {
                    Ok(ex) => {
                        for w in &ex.warnings {
                            eprintln!("saraban: warning: {source}: {w}");
                        }
                        emit(&source, &ex)?
                    }
                    Err(e) => {
                        eprintln!("saraban: error: {source}: {e}");
                        failed = true;
                    }
                },
            }
        }
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
