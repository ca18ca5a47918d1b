//! Extraction: turns one input file (text, HTML, PDF, scan, Word document)
//! into repaired text plus what is known about its origin.
//!
//! Each format has its own file: [`encoding`] decodes text files, [`furniture`]
//! strips page furniture from scraped text, [`html`], [`docx`] and [`pdf`] read
//! those formats, and [`ocr`] runs tesseract on pages and images. External
//! programs (poppler's `pdftotext`/`pdftoppm`, `tesseract`) are found once by
//! [`Tools::detect`] and run with time limits; text files never need them.
//!
//! Every path ends the same way: the text goes through
//! [`crate::normalize::repair`] (legacy glyphs, sara am, invisible characters),
//! and never panics on any bytes.

mod docx;
mod encoding;
mod furniture;
mod html;
mod layout;
mod ocr;
mod pdf;
mod tools;

use std::path::Path;

pub use encoding::{Decoded, decode_text};
pub use furniture::{extend_phrases, remove_furniture, title_of};
pub use tools::Tools;

use crate::model::{Extracted, Format};
use crate::normalize::repair;

/// Default limit on the size of one input file (256 MiB).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// How extraction may behave: which external tools it may call, how large a
/// file it accepts, and whether it may OCR.
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    /// External programs found on this machine.
    pub tools: Tools,
    /// Files larger than this are refused with [`ExtractError::TooLarge`].
    pub max_file_bytes: u64,
    /// Allow OCR of scans and of PDF pages without a usable text layer.
    pub ocr: bool,
}

impl ExtractOptions {
    /// Options with the given tools, the default size limit and OCR allowed.
    pub fn with_tools(tools: Tools) -> ExtractOptions {
        ExtractOptions {
            tools,
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            ocr: true,
        }
    }
}

impl Default for ExtractOptions {
    /// Detects the tools on `PATH` (this runs `tesseract --list-langs` once).
    fn default() -> Self {
        ExtractOptions::with_tools(Tools::detect())
    }
}

/// What kind of input a path is, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Plain text (`.txt`).
    Text,
    /// HTML page (`.html`, `.htm`).
    Html,
    /// PDF (`.pdf`).
    Pdf,
    /// Scanned image (`.png .jpg .jpeg .tif .tiff`).
    Image,
    /// Word document (`.docx`).
    Docx,
    /// JSON Lines (`.jsonl`): many documents, read by the caller.
    Jsonl,
    /// Gzip-compressed JSON Lines (`.jsonl.gz`).
    JsonlGz,
}

/// What kind of input a path is, from its extension (case-insensitive);
/// `None` for anything not ingested.
pub fn kind_of(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_string_lossy().to_lowercase();
    if name.ends_with(".jsonl.gz") {
        return Some(Kind::JsonlGz);
    }
    let ext = name.rsplit_once('.')?.1;
    Some(match ext {
        "txt" => Kind::Text,
        "html" | "htm" | "xhtml" => Kind::Html,
        "pdf" => Kind::Pdf,
        "png" | "jpg" | "jpeg" | "tif" | "tiff" => Kind::Image,
        "docx" => Kind::Docx,
        "jsonl" => Kind::Jsonl,
        _ => return None,
    })
}

/// Why a file could not be extracted. The caller adds the path.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// Nothing readable was found in the file.
    #[error("no text found")]
    Empty,
    /// The file is over the size limit.
    #[error("file is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Size of the file (or of its unpacked content).
        size: u64,
        /// The limit in force.
        limit: u64,
    },
    /// A stream (standard input) is longer than the size limit.
    #[error("input is over the limit of {limit} bytes")]
    StreamTooLarge {
        /// The limit in force.
        limit: u64,
    },
    /// The document is encrypted and needs a password.
    #[error("document is encrypted (password required)")]
    Encrypted,
    /// The file is damaged or not what its extension says.
    #[error("corrupt file: {0}")]
    Corrupt(String),
    /// An external program this file needs is not installed.
    #[error("{tool} is needed for this file but was not found (install it: {install})")]
    ToolMissing {
        /// The program's name.
        tool: &'static str,
        /// The command that installs it.
        install: &'static str,
    },
    /// An external program failed or ran out of time.
    #[error("{tool} failed: {reason}")]
    ToolFailed {
        /// The program's name.
        tool: &'static str,
        /// What went wrong.
        reason: String,
    },
    /// The path is a FIFO, socket, device or folder: never opened for reading.
    #[error("not a regular file ({0}); skipped")]
    NotAFile(&'static str),
    /// The kind is not a single document (JSON Lines are read line by line).
    #[error("not a single-document file: {0}")]
    Unsupported(String),
    /// Reading or writing a file failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Extracts one single-document file (not JSON Lines). The kind comes from
/// the extension; errors name the reason and the caller adds the path.
pub fn extract_file(path: &Path, opts: &ExtractOptions) -> Result<Extracted, ExtractError> {
    let kind = kind_of(path).ok_or_else(|| {
        ExtractError::Unsupported(format!(
            "unknown file type {:?}",
            path.extension().unwrap_or_default()
        ))
    })?;
    let bytes = read_file(path, opts.max_file_bytes)?;
    extract_inner(&bytes, kind, Some(path), opts)
}

/// What a file that is not regular is, in words.
pub fn special_kind(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "FIFO";
        }
        if ft.is_socket() {
            return "socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "device";
        }
    }
    if ft.is_dir() {
        "folder"
    } else {
        "special file"
    }
}

/// Opens a regular file for reading. FIFOs, sockets and devices are refused
/// without being opened (opening a FIFO blocks until a writer comes), and
/// the opened handle is checked again in case the path changed meanwhile.
pub fn open_regular(path: &Path) -> Result<std::fs::File, ExtractError> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(ExtractError::NotAFile(special_kind(&meta.file_type())));
    }
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ExtractError::NotAFile(special_kind(&meta.file_type())));
    }
    Ok(file)
}

/// Reads a stream (standard input) to its end, keeping at most `limit`
/// bytes: memory stays bounded whatever is piped in, and a longer stream is
/// [`ExtractError::StreamTooLarge`].
pub fn read_stream(reader: impl std::io::Read, limit: u64) -> Result<Vec<u8>, ExtractError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ExtractError::StreamTooLarge { limit });
    }
    Ok(bytes)
}

/// Reads a whole regular file of at most `limit` bytes (see
/// [`open_regular`]); never reads more than `limit + 1` bytes, even from a
/// file that grows while it is read.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, ExtractError> {
    use std::io::Read;
    let file = open_regular(path)?;
    let size = file.metadata()?.len();
    if size > limit {
        return Err(ExtractError::TooLarge { size, limit });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ExtractError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Extracts one document from bytes already read; the caller decides the kind.
pub fn extract_bytes(
    bytes: &[u8],
    kind: Kind,
    opts: &ExtractOptions,
) -> Result<Extracted, ExtractError> {
    extract_inner(bytes, kind, None, opts)
}

/// [`extract_bytes`] of bytes the caller gives up: a text file's bytes
/// become its text without a copy when they are UTF-8, and are gone before
/// the text is cleaned, so a long text is held at most twice at a time.
pub fn extract_owned(
    bytes: Vec<u8>,
    kind: Kind,
    opts: &ExtractOptions,
) -> Result<Extracted, ExtractError> {
    if kind != Kind::Text || bytes.is_empty() || bytes.len() as u64 > opts.max_file_bytes {
        return extract_inner(&bytes, kind, None, opts);
    }
    let out = text_from(encoding::decode_text_owned(bytes))?;
    if out.text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    Ok(out)
}

fn extract_inner(
    bytes: &[u8],
    kind: Kind,
    path: Option<&Path>,
    opts: &ExtractOptions,
) -> Result<Extracted, ExtractError> {
    if bytes.len() as u64 > opts.max_file_bytes {
        return Err(ExtractError::TooLarge {
            size: bytes.len() as u64,
            limit: opts.max_file_bytes,
        });
    }
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    let out = match kind {
        Kind::Text => extract_text(bytes),
        Kind::Html => html::extract(bytes),
        Kind::Docx => docx::extract(bytes, opts.max_file_bytes),
        Kind::Pdf => pdf::extract(bytes, path, opts),
        Kind::Image => ocr::extract_image(bytes, path, opts),
        Kind::Jsonl | Kind::JsonlGz => Err(ExtractError::Unsupported(
            "JSON Lines hold one document per line".into(),
        )),
    }?;
    if out.text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    Ok(out)
}

/// A plain text file: decode, repair, strip furniture, guess the title.
fn extract_text(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    text_from(decode_text(bytes))
}

/// A decoded text file: repair, strip furniture, guess the title.
fn text_from(decoded: encoding::Decoded) -> Result<Extracted, ExtractError> {
    if looks_binary(&decoded.text) {
        return Err(ExtractError::Corrupt("binary data, not text".into()));
    }
    let mut warnings = Vec::new();
    if decoded.lossy {
        warnings.push(format!(
            "invalid bytes replaced while decoding as {}",
            decoded.encoding
        ));
    }
    let encoding = decoded.encoding;
    // Each stage's input goes once the next has its output: a long text is
    // held twice at most, not four times.
    let repaired = repair(&decoded.text);
    drop(decoded);
    let cleaned = furniture::clean(&repaired);
    drop(repaired);
    // An Act's heading is its title, whatever line the page repeated (the King's name).
    let title = furniture::act_title_of(&cleaned.text)
        .or(cleaned.headline)
        .or_else(|| title_of(&cleaned.text));
    let text = cleaned.text;
    Ok(Extracted {
        text,
        format: Format::Txt,
        encoding: encoding.to_string(),
        title,
        warnings,
        ocr_digits: Vec::new(),
    })
}

/// More than 5% replacement or control characters: not a text file.
fn looks_binary(text: &str) -> bool {
    let (mut total, mut bad) = (0usize, 0usize);
    for c in text.chars().take(1 << 16) {
        total += 1;
        // C1 controls (U+0080..U+009F) are not counted: in real files they
        // are mojibake punctuation or double-encoded Thai, which is text.
        let c0 = c.is_control() && c < '\u{80}' && !matches!(c, '\t' | '\n' | '\r' | '\x0C');
        if c == '\u{FFFD}' || c0 {
            bad += 1;
        }
    }
    bad * 20 > total
}

/// Builds the result of a non-text format: repairs the text, trims blank
/// runs, and falls back to the first meaningful line for the title.
fn finish(
    raw: &str,
    format: Format,
    encoding: &str,
    title: Option<String>,
    warnings: Vec<String>,
) -> Extracted {
    let text = tidy_lines(&repair(raw));
    let title = title
        .map(|t| collapse_spaces(&repair(&t)))
        .filter(|t| !t.is_empty())
        .or_else(|| title_of(&text));
    Extracted {
        text,
        format,
        encoding: encoding.to_string(),
        title,
        warnings,
        ocr_digits: Vec::new(),
    }
}

/// Trims every line, keeps at most one blank line between paragraphs and
/// none at either end.
fn tidy_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            blank_run = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if blank_run {
                out.push('\n');
            }
        }
        blank_run = false;
        out.push_str(line);
    }
    out
}

/// Folds every whitespace run to one space and trims.
fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    pub(crate) fn repo_path(rel: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
    }

    /// A file of the repository (fixtures, seeds).
    pub(crate) fn fixture(rel: &str) -> Vec<u8> {
        let p = repo_path(rel);
        std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    #[test]
    fn text_given_up_is_extracted_as_text_lent() {
        let opts = ExtractOptions::with_tools(Tools::none());
        for rel in [
            "corpus/fixtures/cm_damaged_utf8.txt",
            "corpus/fixtures/letter_mojibake_utf8.txt",
            "corpus/fixtures/letter_tis620.txt",
            "corpus/fixtures/letter_utf16be_bom.txt",
            "corpus/fixtures/letter_utf16le_nobom.txt",
            "corpus/fixtures/news_utf8_bom.txt",
            "corpus/seeds/000_34a1339aa7e8c079.txt",
        ] {
            let bytes = fixture(rel);
            let lent = extract_bytes(&bytes, Kind::Text, &opts).expect(rel);
            let given = extract_owned(bytes, Kind::Text, &opts).expect(rel);
            assert_eq!(
                (given.text, given.encoding, given.title, given.warnings),
                (lent.text, lent.encoding, lent.title, lent.warnings),
                "{rel}"
            );
        }
    }

    /// Character error rate of `hyp` against `reference`, whitespace ignored
    /// (Levenshtein distance over the reference length).
    pub(crate) fn cer(reference: &str, hyp: &str) -> f64 {
        let r: Vec<char> = repair(reference)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let h: Vec<char> = repair(hyp).chars().filter(|c| !c.is_whitespace()).collect();
        let mut prev: Vec<usize> = (0..=h.len()).collect();
        for (i, rc) in r.iter().enumerate() {
            let mut cur = vec![i + 1; h.len() + 1];
            for (j, hc) in h.iter().enumerate() {
                cur[j + 1] = (prev[j + 1] + 1)
                    .min(cur[j] + 1)
                    .min(prev[j] + usize::from(rc != hc));
            }
            prev = cur;
        }
        prev[h.len()] as f64 / r.len().max(1) as f64
    }

    /// Arbitrary bytes through every in-process reader: errors, never panics.
    #[test]
    fn random_bytes_never_panic() {
        let opts = ExtractOptions::with_tools(Tools::none());
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let seeds: [&[u8]; 5] = [
            b"",
            b"%PDF-1.4\n",
            b"PK\x03\x04",
            b"<html><p>",
            "ข่าว ".as_bytes(),
        ];
        for round in 0..400 {
            let len = (round * 37) % 700;
            let mut b = seeds[round % seeds.len()].to_vec();
            b.extend((0..len).map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            }));
            for kind in [Kind::Text, Kind::Html, Kind::Docx, Kind::Pdf, Kind::Image] {
                let _ = extract_bytes(&b, kind, &opts);
            }
            let s = String::from_utf8_lossy(&b);
            let _ = remove_furniture(&s);
            let _ = title_of(&s);
            let _ = layout::unwrap_lines(&s);
            let _ = layout::close_ocr_gaps(&s);
        }
    }

    #[test]
    fn cer_counts_edits() {
        assert_eq!(cer("กขค", "กขค"), 0.0);
        assert!((cer("กขคง", "กขจ") - 0.5).abs() < 1e-9);
        assert_eq!(cer("ก ข", "กข"), 0.0);
    }

    #[test]
    fn text_fixtures_in_every_encoding() {
        let opts = ExtractOptions::with_tools(Tools::none());
        for (file, encoding, phrase, lossy) in [
            (
                "cm_windows874.txt",
                "windows-874",
                "นายนิรัตน์ พงษ์สิทธิถาวร ผู้ว่าราชการจังหวัดเชียงใหม่",
                false,
            ),
            (
                "letter_tis620.txt",
                "windows-874",
                "ที่ รย ๐๐๑๗.๒/ว ๕๕๑๒",
                false,
            ),
            (
                "letter_utf16le_nobom.txt",
                "UTF-16LE",
                "ที่ รย ๐๐๑๗.๒/ว ๕๕๑๒",
                false,
            ),
            (
                "letter_utf16be_bom.txt",
                "UTF-16BE",
                "ที่ รย ๐๐๑๗.๒/ว ๕๕๑๒",
                false,
            ),
            (
                "news_utf8_bom.txt",
                "UTF-8",
                "นายณรงค์ วุ่นซิ่ว ผู้ว่าราชการจังหวัดภูเก็ต",
                false,
            ),
            ("cm_damaged_utf8.txt", "UTF-8", "นายนิรัตน์ พงษ์สิทธิถาวร", true),
        ] {
            let path = repo_path(&format!("corpus/fixtures/{file}"));
            let ex = match extract_file(&path, &opts) {
                Ok(ex) => ex,
                Err(e) => panic!("{file}: {e}"),
            };
            assert_eq!(ex.encoding, encoding, "{file}");
            assert!(ex.text.contains(phrase), "{file}");
            assert!(!ex.text.starts_with('\u{FEFF}'));
            assert_eq!(!ex.warnings.is_empty(), lossy, "{file}: {:?}", ex.warnings);
        }
    }

    #[test]
    fn bad_fixtures_fail_cleanly() {
        let opts = ExtractOptions::default();
        for (file, want) in [
            ("empty.txt", "Empty"),
            ("empty.pdf", "Empty"),
            ("junk.txt", "Corrupt"),
            ("junk.pdf", "Corrupt"),
            ("junk.png", "Corrupt"),
            ("junk.docx", "Corrupt"),
            ("truncated.docx", "Corrupt"),
            ("zipbomb.docx", "Corrupt"),
            ("corrupt.pdf", "Corrupt"),
            ("encrypted.pdf", "Encrypted"),
        ] {
            let path = repo_path(&format!("tests/fixtures/bad/{file}"));
            let got = match extract_file(&path, &opts) {
                Ok(_) => "Ok",
                Err(ExtractError::Empty) => "Empty",
                Err(ExtractError::Corrupt(_)) => "Corrupt",
                Err(ExtractError::Encrypted) => "Encrypted",
                Err(ExtractError::ToolMissing { .. }) if file.ends_with(".png") => "Corrupt",
                Err(e) => panic!("{file}: unexpected {e}"),
            };
            assert_eq!(got, want, "{file}");
        }
    }

    #[test]
    fn kinds_from_extensions() {
        assert_eq!(kind_of(Path::new("a/b.TXT")), Some(Kind::Text));
        assert_eq!(kind_of(Path::new("x.jsonl.gz")), Some(Kind::JsonlGz));
        assert_eq!(kind_of(Path::new("x.jsonl")), Some(Kind::Jsonl));
        assert_eq!(kind_of(Path::new("scan.TIFF")), Some(Kind::Image));
        assert_eq!(kind_of(Path::new("x.htm")), Some(Kind::Html));
        assert_eq!(kind_of(Path::new("x.gz")), None);
        assert_eq!(kind_of(Path::new("README")), None);
    }

    #[test]
    fn tidy_keeps_one_blank_line() {
        assert_eq!(tidy_lines("\n\n ก \n\n\n ข\nค \n\n"), "ก\n\nข\nค");
    }

    #[test]
    fn empty_and_blank_inputs_are_errors() {
        let opts = ExtractOptions::with_tools(Tools::none());
        assert!(matches!(
            extract_bytes(b"", Kind::Text, &opts),
            Err(ExtractError::Empty)
        ));
        assert!(matches!(
            extract_bytes(b" \n\t\n", Kind::Text, &opts),
            Err(ExtractError::Empty)
        ));
        assert!(matches!(
            extract_bytes(b"{}", Kind::Jsonl, &opts),
            Err(ExtractError::Unsupported(_))
        ));
    }

    #[test]
    fn an_endless_stream_is_read_only_to_its_limit() {
        let endless = std::io::repeat(b'a');
        assert!(matches!(
            read_stream(endless, 1 << 20),
            Err(ExtractError::StreamTooLarge { limit }) if limit == 1 << 20
        ));
        let Ok(short) = read_stream("ข่าว".as_bytes(), 12) else {
            panic!("a stream at the limit is read");
        };
        assert_eq!(short, "ข่าว".as_bytes());
        assert!(read_stream("ข่าวสาร".as_bytes(), 12).is_err());
    }

    #[test]
    fn size_limit_is_enforced() {
        let mut opts = ExtractOptions::with_tools(Tools::none());
        opts.max_file_bytes = 4;
        assert!(matches!(
            extract_bytes("ข่าวสาร".as_bytes(), Kind::Text, &opts),
            Err(ExtractError::TooLarge { .. })
        ));
    }

    #[test]
    fn seed_letter_extracts_with_subject_title() {
        let opts = ExtractOptions::with_tools(Tools::none());
        let path = repo_path("corpus/seeds/003_42c590216e999c55.txt");
        let Ok(ex) = extract_file(&path, &opts) else {
            panic!("seed 003 must extract");
        };
        assert_eq!(ex.format, Format::Txt);
        assert_eq!(ex.encoding, "UTF-8");
        assert!(ex.text.starts_with("ด่วนที่สุด\n\nที่ รย ๐๐๑๗.๒/ว ๕๕๑๒"));
        assert!(ex.text.contains("ขอแสดงความนับถือ"));
        assert!(ex.text.ends_with("www.rayong.go.th"));
        let title = ex.title.unwrap_or_default();
        assert!(title.starts_with("เรื่อง ติดตามรายงานผลการปฏิบัติตามวาระแห่งชาติ"));
        assert!(ex.warnings.is_empty());
    }

    #[test]
    fn mojibake_with_c1_controls_is_text_not_binary() {
        // a page of the bulk law corpus: UTF-8 Thai read as Windows-874 and
        // written back, full of C1 controls, plus an English sentence
        let text = "\n\u{0E40}\u{0E19}\u{84}\u{0E40}\u{0E18}\u{0E01}\u{0E40}\u{0E19}\u{88}\u{0E40}\u{0E18}\u{9E}\
                    \u{0E40}\u{0E18}\u{9A}\u{0E40}\u{0E19}\u{80}\nThe document that you would like to see is not found.\n";
        assert!(!looks_binary(text));
        assert!(extract_text(text.as_bytes()).is_ok());
    }
}
