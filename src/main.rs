//! The `saraban` command line: parses arguments, calls the library, prints.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use tantivy::TantivyDocument;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;

use saraban::export::{ExportFormat, ExportKind, Exporter};
use saraban::extract::{self, ExtractOptions, Kind, Tools};
use saraban::index::analyzer::{DIGIT_EDGE, GramTokenizer, WordTokenizer, fold_for_match};
use saraban::index::{Analysis, SarabanIndex, StoredDoc};
use saraban::ingest::{IngestOptions, Severity};
use saraban::pipeline::{TagOutput, tag_extracted};

const DEFAULT_INDEX: &str = "index";

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
    /// Index directory.
    #[arg(long, global = true, value_name = "DIR")]
    index: Option<PathBuf>,
    /// Extra dictionaries: word lists (*.txt) and gazetteers named like the built-in ones.
    #[arg(long, global = true, value_name = "DIR", env = "SARABAN_DICT")]
    dict: Option<PathBuf>,
    /// No progress bar.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract, tag and index files and folders (recursively).
    Ingest {
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
    },
    /// Search the index.
    Search {
        /// The query (words, "phrases", filters such as order:2/2566 province:ภูเก็ต).
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// Number of hits (0 = all).
        #[arg(long, short = 'n', default_value_t = 10)]
        limit: usize,
        /// JSON Lines output.
        #[arg(long)]
        json: bool,
    },
    /// Show how the index analyzes a text.
    Analyze {
        /// Text, or - for standard input.
        text: Option<String>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Show one document.
    Show {
        /// Document id (or its source path).
        id: String,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Extract and tag files (or standard input) without indexing.
    Tag {
        /// Files, or - for standard input (the default).
        files: Vec<PathBuf>,
        /// JSON Lines output.
        #[arg(long)]
        json: bool,
        /// Do not OCR.
        #[arg(long)]
        no_ocr: bool,
    },
    /// Export entity mentions.
    Export {
        /// What to export.
        #[arg(value_enum)]
        kind: ExportKind,
        /// Output format.
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormat,
        /// Only documents matching this query.
        #[arg(long)]
        query: Option<String>,
        /// Start a CSV with a UTF-8 byte-order mark (for spreadsheet programs).
        #[arg(long)]
        bom: bool,
        /// Write to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Times queries in-process for benchmark harnesses: one JSON line per
    /// query with every hit's source and the latency of each timed pass.
    #[command(hide = true)]
    BenchQueries {
        /// File with one query per line (`#` comments).
        file: PathBuf,
        /// Timed passes after one warm-up pass.
        #[arg(long, default_value_t = 5)]
        reps: usize,
    },
    /// Documents by type, year and province; index size.
    Stats {
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("saraban: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// The bundled corpus: `./corpus`, else the one beside the sources.
fn default_corpus() -> Option<PathBuf> {
    let here = PathBuf::from("corpus");
    if here.is_dir() {
        return Some(here);
    }
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    built.is_dir().then_some(built)
}

fn ingest_options(quiet: bool) -> IngestOptions {
    IngestOptions {
        prune: false,
        quiet,
        report: None,
        threads: 0,
        extract: ExtractOptions::default(),
        batch_docs: 5000,
    }
}

/// Opens the index for reading; the default index is built from the
/// bundled corpus on first use.
fn open_for_reading(
    cli_index: &Option<PathBuf>,
    analysis: &Analysis,
    quiet: bool,
) -> Result<SarabanIndex> {
    let dir = cli_index
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX));
    if cli_index.is_none() && !saraban::index::exists(&dir) {
        let corpus =
            default_corpus().context("no index yet and no corpus/ folder to build it from")?;
        eprintln!(
            "saraban: no index yet; building {} from {} (first use)",
            dir.display(),
            corpus.display()
        );
        let idx = SarabanIndex::open(&dir, analysis, true)?;
        let (summary, _) =
            saraban::ingest::ingest(&idx, analysis, &[corpus], &ingest_options(quiet))?;
        eprintln!(
            "saraban: indexed {} documents ({} skipped)",
            summary.added + summary.replaced,
            summary.failed
        );
    }
    let idx = SarabanIndex::open(&dir, analysis, false)?;
    idx.reader.reload()?;
    Ok(idx)
}

fn run(cli: Cli) -> Result<ExitCode> {
    let analysis = Analysis::load(cli.dict.as_deref())?;
    let quiet = cli.quiet;
    match cli.command {
        Command::Ingest {
            paths,
            prune,
            report,
            threads,
            no_ocr,
            max_file_mb,
            commit_every,
            json,
        } => {
            let dir = cli
                .index
                .clone()
                .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX));
            let idx = SarabanIndex::open(&dir, &analysis, true)?;
            let mut opts = ingest_options(quiet);
            opts.prune = prune;
            opts.report = report;
            opts.threads = threads;
            opts.extract.ocr = !no_ocr;
            opts.extract.max_file_bytes = max_file_mb.saturating_mul(1024 * 1024);
            opts.batch_docs = commit_every.max(1);
            let (summary, problems) = saraban::ingest::ingest(&idx, &analysis, &paths, &opts)?;
            if json {
                println!("{}", serde_json::to_string(&summary)?);
            } else if !quiet || summary.failed > 0 {
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
        Command::Search { query, limit, json } => {
            let idx = open_for_reading(&cli.index, &analysis, quiet)?;
            let q = query.join(" ");
            let results = saraban::search::search(&idx, &analysis, &q, limit)?;
            let mut out = std::io::stdout().lock();
            if json {
                for h in &results.hits {
                    serde_json::to_writer(&mut out, h)?;
                    out.write_all(b"\n")?;
                }
            } else {
                print_hits(&mut out, &results)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Analyze { text, json } => {
            let text = match text.as_deref() {
                None | Some("-") => read_stdin()?,
                Some(t) => t.to_string(),
            };
            analyze(&analysis, &text, json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { id, json } => {
            let idx = open_for_reading(&cli.index, &analysis, quiet)?;
            let doc = find_doc(&idx, &id)?
                .with_context(|| format!("no document with id or source {id}"))?;
            show(&doc, json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Tag {
            files,
            json,
            no_ocr,
        } => tag(&analysis, &files, json, no_ocr),
        Command::Export {
            kind,
            format,
            query,
            bom,
            output,
        } => {
            let idx = open_for_reading(&cli.index, &analysis, quiet)?;
            let out: Box<dyn Write> = match &output {
                Some(p) => Box::new(std::io::BufWriter::new(
                    std::fs::File::create(p)
                        .with_context(|| format!("cannot write {}", p.display()))?,
                )),
                None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            };
            let mut exporter = Exporter::new(out, kind, format, bom)?;
            match query {
                Some(q) => {
                    let searcher = idx.reader.searcher();
                    for addr in saraban::search::matching(&idx, &analysis, &q)? {
                        let doc: TantivyDocument = searcher.doc(addr)?;
                        exporter.document(&idx.stored(&doc))?;
                    }
                }
                None => idx.for_each_doc(|d| exporter.document(&d))?,
            }
            let n = exporter.finish()?;
            if output.is_some() && !quiet {
                eprintln!("saraban: {n} rows written");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::BenchQueries { file, reps } => {
            let idx = open_for_reading(&cli.index, &analysis, quiet)?;
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let queries: Vec<&str> = text
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .collect();
            let searcher = idx.reader.searcher();
            let mut out = std::io::stdout().lock();
            for q in queries {
                let mut lat = Vec::with_capacity(reps);
                let mut sources = Vec::new();
                for rep in 0..=reps {
                    let start = std::time::Instant::now();
                    let addrs = saraban::search::matching(&idx, &analysis, q)?;
                    let ms = start.elapsed().as_secs_f64() * 1000.0;
                    if rep == 0 {
                        for a in addrs {
                            let doc: TantivyDocument = searcher.doc(a)?;
                            sources.push(idx.stored(&doc).source);
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
        Command::Stats { json } => {
            let idx = open_for_reading(&cli.index, &analysis, quiet)?;
            let stats = idx.stats()?;
            if json {
                println!("{}", serde_json::to_string(&stats)?);
            } else {
                println!("documents: {}", stats.documents);
                println!("index size: {:.1} MB", stats.index_bytes as f64 / 1e6);
                println!("by type:");
                for (k, v) in &stats.by_type {
                    println!("  {k:<14} {v}");
                }
                println!("by year:");
                for (k, v) in &stats.by_year {
                    match k.parse::<i32>() {
                        Ok(y) => println!("  {k} (พ.ศ. {}) {v}", y + 543),
                        Err(_) => println!("  {k:<16} {v}"),
                    }
                }
                println!("by province:");
                let mut provinces: Vec<_> = stats.by_province.iter().collect();
                provinces.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
                for (k, v) in provinces {
                    println!("  {k:<20} {v}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn read_stdin() -> Result<String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .context("cannot read standard input")?;
    Ok(extract::decode_text(&bytes).text)
}

fn print_hits(out: &mut impl Write, results: &saraban::search::Results) -> Result<()> {
    let tty = std::io::stdout().is_terminal();
    let (bold, plain) = if tty {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    writeln!(out, "{} documents", results.total)?;
    for (i, h) in results.hits.iter().enumerate() {
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
    }
    Ok(())
}

fn find_doc(idx: &SarabanIndex, id: &str) -> Result<Option<StoredDoc>> {
    let searcher = idx.reader.searcher();
    for field in [idx.fields.id, idx.fields.source] {
        let q = TermQuery::new(
            tantivy::Term::from_field_text(field, id),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(
            &q,
            &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
        )?;
        if let Some((_, addr)) = top.first() {
            let doc: TantivyDocument = searcher.doc(*addr)?;
            return Ok(Some(idx.stored(&doc)));
        }
    }
    Ok(None)
}

fn show(doc: &StoredDoc, json: bool) -> Result<()> {
    let tagged = doc.tagged();
    if json {
        #[derive(serde::Serialize)]
        struct ShowOutput<'a> {
            id: &'a str,
            #[serde(flatten)]
            tag: TagOutput<'a>,
        }
        let out = ShowOutput {
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
        println!("{}", serde_json::to_string(&out)?);
        return Ok(());
    }
    let t = &tagged;
    println!("id:       {}", doc.id);
    println!("source:   {}", doc.source);
    println!("title:    {}", doc.title.as_deref().unwrap_or(""));
    println!("type:     {}", doc.doc_type.as_str());
    println!("date:     {}", doc.date.as_deref().unwrap_or("unknown"));
    println!("format:   {} ({})", doc.format, doc.encoding);
    let list = |name: &str, items: Vec<String>| {
        if !items.is_empty() {
            println!("{name}:");
            for i in items {
                println!("  {i}");
            }
        }
    };
    list("provinces", {
        let mut v: Vec<String> = t.provinces.iter().map(|p| p.name.clone()).collect();
        v.dedup();
        v
    });
    list(
        "officials",
        t.officials
            .iter()
            .map(|o| {
                format!(
                    "{}{}{}",
                    o.title.as_deref().unwrap_or(""),
                    o.name,
                    o.position
                        .as_deref()
                        .map(|p| format!(" — {p}"))
                        .unwrap_or_default()
                )
            })
            .collect(),
    );
    list(
        "orders",
        t.orders
            .iter()
            .map(|o| {
                format!(
                    "{}{} {}",
                    o.number.as_deref().or(o.date.as_deref()).unwrap_or(""),
                    if o.is_self { " (own number)" } else { "" },
                    o.issuer.as_deref().unwrap_or("")
                )
            })
            .collect(),
    );
    list(
        "letter numbers",
        t.doc_numbers.iter().map(|d| d.number.clone()).collect(),
    );
    list(
        "plans",
        t.plans
            .iter()
            .map(|p| {
                format!(
                    "{}{}{}",
                    p.name,
                    p.edition
                        .as_deref()
                        .map(|e| format!(" ฉบับ/ระยะที่ {e}"))
                        .unwrap_or_default(),
                    p.period
                        .as_deref()
                        .map(|e| format!(" ({e})"))
                        .unwrap_or_default()
                )
            })
            .collect(),
    );
    list(
        "dates",
        t.dates
            .iter()
            .map(|d| format!("{} → {}", d.text, d.value))
            .collect(),
    );
    println!();
    println!("{}", doc.text);
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

fn analyze(analysis: &Analysis, text: &str, json: bool) -> Result<()> {
    let repaired = saraban::normalize::repair(text);
    let outputs = [
        serde_json::json!({
            "field": "body", "analyzer": saraban::index::WORDS,
            "normalized": saraban::normalize::fold_digits(&repaired),
            "tokens": token_json(WordTokenizer::new(analysis.segmenter.clone()), &repaired),
        }),
        serde_json::json!({
            "field": "grams3", "analyzer": saraban::index::GRAMS,
            "normalized": fold_for_match(&repaired).as_string(),
            "tokens": token_json(GramTokenizer::with_offsets(), &repaired),
        }),
    ];
    if json {
        for o in outputs {
            println!("{o}");
        }
        return Ok(());
    }
    for o in outputs {
        println!(
            "{} ({})",
            o["field"].as_str().unwrap_or(""),
            o["analyzer"].as_str().unwrap_or("")
        );
        let normalized = o["normalized"]
            .as_str()
            .unwrap_or("")
            .replace(DIGIT_EDGE, "·");
        println!("  normalized: {normalized}");
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
        println!("  tokens: {}", toks.join(" | "));
    }
    Ok(())
}

fn tag(analysis: &Analysis, files: &[PathBuf], json: bool, no_ocr: bool) -> Result<ExitCode> {
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
            for d in o.dates {
                writeln!(out, "  date      {} → {}", d.text, d.value)?;
            }
            for p in o.provinces {
                writeln!(out, "  province  {} → {}", p.text, p.name)?;
            }
            for p in o.officials {
                writeln!(
                    out,
                    "  official  {} | {} | {}",
                    p.title.as_deref().unwrap_or(""),
                    p.name,
                    p.position.as_deref().unwrap_or("")
                )?;
            }
            for p in o.orders {
                writeln!(
                    out,
                    "  order     {} | {} | self={}",
                    p.number.as_deref().or(p.date.as_deref()).unwrap_or(""),
                    p.issuer.as_deref().unwrap_or(""),
                    p.is_self
                )?;
            }
            for p in o.doc_numbers {
                writeln!(out, "  docno     {}", p.number)?;
            }
            for p in o.plans {
                writeln!(
                    out,
                    "  plan      {} | {} | {}",
                    p.name,
                    p.edition.as_deref().unwrap_or(""),
                    p.period.as_deref().unwrap_or("")
                )?;
            }
        }
        Ok(())
    };
    if stdin_only {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
        match extract::extract_bytes(&bytes, Kind::Text, &opts) {
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
