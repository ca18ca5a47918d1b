//! PDF: the text layer page by page, OCR for pages without a usable one.
//!
//! poppler's `pdftotext -raw` reads Thai best (it keeps marks on their base
//! and honours `/ActualText`); the built-in `pdf-extract` reader is the
//! fallback when poppler is not installed (its panics are caught). Each page's
//! text is then judged: too few characters, private-use glyphs, replacement
//! characters, letters spaced one by one, or marks with no base letter mean
//! the layer is unusable. Legacy Thai fonts that map TIS-620 codes onto
//! Latin-1 letters are decoded back to Thai instead. Unusable pages are
//! rasterized (`pdftoppm -r 300 -gray`, a few pages per call) and OCR'd in
//! parallel; a document with any OCR'd page is [`Format::PdfOcr`].
//!
//! Bounds: at most [`MAX_OCR_PAGES`] pages are OCR'd, and a page is rendered
//! at a resolution that keeps it under [`MAX_RENDER_PIXELS`] (its size comes
//! from `pdfinfo`); a page too large to read at a useful resolution is
//! skipped with a warning. Blank pages never reach tesseract.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use rayon::prelude::*;

use super::layout::unwrap_lines;
use super::ocr::{OcrPage, ocr_page, parse_pgm, tesseract};
use super::tools::{POPPLER_INSTALL, ScratchDir, path_arg, run, write_scratch};
use super::{ExtractError, ExtractOptions, finish};
use crate::model::{Extracted, Format};
use crate::normalize::{is_thai, is_thai_mark, repair};

/// Rasterizing resolution for OCR.
const OCR_DPI: u32 = 300;
/// A page with fewer visible characters than this has no real text layer.
const MIN_PAGE_CHARS: usize = 20;
/// Pages of one PDF read by OCR; the rest are skipped with a warning.
pub(crate) const MAX_OCR_PAGES: usize = 100;
/// Pixels of one rendered page (A4 at 300 dpi is 8.7 million).
const MAX_RENDER_PIXELS: f64 = 35_000_000.0;
/// Below this resolution a page's text is too small to read: not OCR'd.
const MIN_OCR_DPI: u32 = 50;
/// Pages rendered by one `pdftoppm` call.
const MAX_BATCH: usize = 8;

/// Extracts a PDF (from `path` when the bytes came from a file).
pub(crate) fn extract(
    bytes: &[u8],
    path: Option<&Path>,
    opts: &ExtractOptions,
) -> Result<Extracted, ExtractError> {
    let head = &bytes[..bytes.len().min(1024)];
    if memchr::memmem::find(head, b"%PDF-").is_none() {
        return Err(ExtractError::Corrupt("not a PDF (no %PDF header)".into()));
    }
    let dir = ScratchDir::new()?;
    let file: PathBuf = match path {
        Some(p) => path_arg(p),
        None => {
            let f = dir.path().join("input.pdf");
            write_scratch(&f, bytes)?;
            path_arg(&f)
        }
    };
    let mut warnings = Vec::new();
    let pages = match &opts.tools.pdftotext {
        Some(exe) => match poppler_pages(exe, &file, bytes.len()) {
            Ok(p) => p,
            Err(ExtractError::Encrypted) => return Err(ExtractError::Encrypted),
            Err(e) => match builtin_pages(bytes) {
                Ok(p) => {
                    warnings.push(format!(
                        "pdftotext failed ({e}); read with the built-in reader"
                    ));
                    p
                }
                Err(ExtractError::Encrypted) => return Err(ExtractError::Encrypted),
                Err(_) => return Err(e),
            },
        },
        None => builtin_pages(bytes)?,
    };
    if pages.is_empty() {
        return Err(ExtractError::Empty);
    }

    let mut texts: Vec<Option<String>> = pages.iter().map(|p| usable_text(p)).collect();
    let missing: Vec<usize> = (0..texts.len()).filter(|&i| texts[i].is_none()).collect();
    let mut ocr_pages = Vec::new();
    let mut digit_runs = Vec::new();
    let mut ocr_error = None;
    if !missing.is_empty() {
        let tools = (opts.ocr, opts.tools.pdftoppm.as_deref(), tesseract(opts));
        match tools {
            (true, Some(raster), Ok(tess)) => {
                let (todo, rest) = missing.split_at(missing.len().min(MAX_OCR_PAGES));
                if !rest.is_empty() {
                    warnings.push(format!(
                        "{} not read by OCR (limit of {MAX_OCR_PAGES} pages)",
                        page_list(rest)
                    ));
                }
                let sizes = opts
                    .tools
                    .pdfinfo
                    .as_deref()
                    .map(|exe| page_sizes(exe, &file, todo.last().map_or(1, |l| l + 1)))
                    .unwrap_or_default();
                let mut batches = Vec::new();
                let mut current: Vec<(usize, Option<u32>)> = Vec::new();
                let per_batch = todo
                    .len()
                    .div_ceil(rayon::current_num_threads().max(1))
                    .clamp(1, MAX_BATCH);
                for &i in todo {
                    let dpi = match sizes.get(&(i + 1)) {
                        Some(&(w, h)) => match render_dpi(w, h) {
                            Some(d) => Some(d),
                            None => {
                                let msg =
                                    format!("page {} is {w:.0}×{h:.0} pt, too large to OCR", i + 1);
                                warnings.push(msg.clone());
                                ocr_error = Some(ExtractError::Unsupported(msg));
                                continue;
                            }
                        },
                        None => None,
                    };
                    let joins = current.last().is_some_and(|&(j, d)| j + 1 == i && d == dpi);
                    if (!joins || current.len() == per_batch) && !current.is_empty() {
                        batches.push(std::mem::take(&mut current));
                    }
                    current.push((i, dpi));
                }
                if !current.is_empty() {
                    batches.push(current);
                }
                let done: Vec<(usize, Result<OcrPage, ExtractError>)> = batches
                    .par_iter()
                    .flat_map_iter(|b| ocr_pdf_pages(raster, tess, &file, b, dir.path()))
                    .collect();
                for (i, r) in done {
                    match r {
                        Ok(t) if !t.text.trim().is_empty() => {
                            texts[i] = Some(t.text);
                            digit_runs.extend(t.digits);
                            ocr_pages.push(i);
                        }
                        Ok(_) => {}
                        Err(e) => {
                            warnings.push(format!("page {}: OCR failed: {e}", i + 1));
                            ocr_error = Some(e);
                        }
                    }
                }
            }
            (false, _, _) => {
                warnings.push(format!(
                    "{} without a usable text layer skipped (OCR is off)",
                    page_list(&missing)
                ));
            }
            (true, raster, tess) => {
                let err = match (raster, tess) {
                    (None, _) => ExtractError::ToolMissing {
                        tool: "pdftoppm",
                        install: POPPLER_INSTALL,
                    },
                    (_, Err(e)) => e,
                    (Some(_), Ok(_)) => ExtractError::Empty,
                };
                if missing.len() == texts.len() {
                    return Err(err);
                }
                warnings.push(format!(
                    "{} without a usable text layer skipped: {err}",
                    page_list(&missing)
                ));
            }
        }
    }
    if !ocr_pages.is_empty() {
        ocr_pages.sort_unstable();
        warnings.push(format!("{} read by OCR", page_list(&ocr_pages)));
    }
    let body: Vec<String> = texts
        .into_iter()
        .flatten()
        .filter(|t| !t.trim().is_empty())
        .collect();
    if body.is_empty() {
        return Err(ocr_error.unwrap_or(ExtractError::Empty));
    }
    let format = if ocr_pages.is_empty() {
        Format::Pdf
    } else {
        Format::PdfOcr
    };
    let mut ex = finish(&body.join("\n\n"), format, "UTF-8", None, warnings);
    ex.ocr_digits = digit_runs;
    Ok(ex)
}

/// "page 3" / "pages 1, 4" from zero-based indices.
fn page_list(idx: &[usize]) -> String {
    let nums: Vec<String> = idx.iter().map(|i| (i + 1).to_string()).collect();
    if nums.len() == 1 {
        format!("page {}", nums[0])
    } else {
        format!("pages {}", nums.join(", "))
    }
}

/// Pages of text from `pdftotext -raw` (form feeds separate pages).
fn poppler_pages(exe: &Path, file: &Path, size: usize) -> Result<Vec<String>, ExtractError> {
    let mut cmd = Command::new(exe);
    cmd.args(["-raw", "-enc", "UTF-8"])
        .arg(path_arg(file))
        .arg("-");
    let timeout = Duration::from_secs(60 + (size / 100_000) as u64);
    let out = run(cmd, "pdftotext", timeout)?;
    if !out.success {
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        let lower = err.to_lowercase();
        if lower.contains("password") || lower.contains("encrypt") {
            return Err(ExtractError::Encrypted);
        }
        let mut first_lines: Vec<&str> = Vec::new();
        for l in err.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if !first_lines.contains(&l) && first_lines.len() < 3 {
                first_lines.push(l);
            }
        }
        let reason = if first_lines.is_empty() {
            "cannot read the PDF".to_string()
        } else {
            first_lines.join("; ")
        };
        return Err(ExtractError::Corrupt(reason));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut pages: Vec<String> = text.split('\x0C').map(str::to_string).collect();
    // Every page ends with a form feed: the piece after the last is empty.
    if pages.len() > 1 && pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    Ok(pages)
}

/// Without the built-in reader, a PDF needs poppler.
#[cfg(not(feature = "pdf-extract"))]
fn builtin_pages(_bytes: &[u8]) -> Result<Vec<String>, ExtractError> {
    Err(ExtractError::ToolMissing {
        tool: "pdftotext",
        install: POPPLER_INSTALL,
    })
}

/// Pages of text from the built-in reader, panics caught.
#[cfg(feature = "pdf-extract")]
fn builtin_pages(bytes: &[u8]) -> Result<Vec<String>, ExtractError> {
    let result = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem_by_pages(bytes));
    match result {
        // Its blank lines fall between every line, not between paragraphs.
        Ok(Ok(pages)) => Ok(pages
            .into_iter()
            .map(|p| {
                p.lines()
                    .filter(|l| !l.trim().is_empty())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect()),
        Ok(Err(e)) => {
            let msg = e.to_string();
            if msg.to_lowercase().contains("decrypt") || msg.to_lowercase().contains("encrypt") {
                Err(ExtractError::Encrypted)
            } else {
                Err(ExtractError::Corrupt(format!("cannot read the PDF: {msg}")))
            }
        }
        Err(_) => Err(ExtractError::Corrupt(
            "the PDF reader failed on this file".into(),
        )),
    }
}

/// A page's text when its layer is usable (legacy Thai encoding decoded),
/// `None` when the page needs OCR.
fn usable_text(page: &str) -> Option<String> {
    let mut text = repair(page);
    if is_latin1_thai(&text) {
        text = latin1_to_thai(&text);
    }
    let visible: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    if visible.len() < MIN_PAGE_CHARS {
        return None;
    }
    let n = visible.len();
    let odd = visible
        .iter()
        .filter(|c| matches!(**c, '\u{E000}'..='\u{F8FF}' | '\u{FFFD}') || c.is_control())
        .count();
    if odd * 20 > n {
        return None;
    }
    // Marks with no letter before them: a broken font mapping.
    let chars: Vec<char> = text.chars().collect();
    let marks = chars.iter().filter(|c| is_thai_mark(**c)).count();
    let orphan = chars
        .windows(2)
        .filter(|w| is_thai_mark(w[1]) && !mark_has_base(w[0], w[1]))
        .count();
    if marks >= 10 && orphan * 10 > marks {
        return None;
    }
    // Letters spaced one by one (`ก า ร ป ร ะ ชุ ม`).
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let singles = tokens
        .iter()
        .filter(|t| t.chars().filter(|c| !is_thai_mark(*c)).count() == 1)
        .count();
    if tokens.len() >= 20 && singles * 2 > tokens.len() {
        return None;
    }
    Some(unwrap_lines(&text))
}

/// Whether a combining mark can follow `prev`: a consonant, or for tone
/// marks and thanthakhat also an above/below vowel.
fn mark_has_base(prev: char, mark: char) -> bool {
    let consonant = ('\u{0E01}'..='\u{0E2E}').contains(&prev);
    let vowel = matches!(prev, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}');
    consonant || (('\u{0E48}'..='\u{0E4E}').contains(&mark) && vowel)
}

/// Text written in a legacy Thai font whose codes are TIS-620 bytes shown
/// as Latin-1 letters (`¡ÒÃ»ÃÐªØÁ` for `การประชุม`).
fn is_latin1_thai(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let latin1 = text
        .chars()
        .filter(|c| ('\u{A1}'..='\u{FB}').contains(c))
        .count();
    let thai = text.chars().filter(|c| is_thai(*c)).count();
    letters >= 20 && thai == 0 && latin1 * 2 > letters
}

fn latin1_to_thai(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{A1}'..='\u{FB}' => char::from_u32(c as u32 - 0xA1 + 0x0E01).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Page sizes in points, by page number, from `pdfinfo` (empty when it
/// fails: pages are then rendered with their longer side bounded).
fn page_sizes(
    exe: &Path,
    file: &Path,
    last: usize,
) -> std::collections::HashMap<usize, (f64, f64)> {
    let mut cmd = Command::new(exe);
    cmd.args(["-f", "1", "-l", &last.to_string()])
        .arg(path_arg(file));
    let Ok(out) = run(cmd, "pdfinfo", Duration::from_secs(60)) else {
        return Default::default();
    };
    parse_page_sizes(&String::from_utf8_lossy(&out.stdout))
}

/// `Page    1 size: 595.276 x 841.89 pts (A4)` lines.
fn parse_page_sizes(info: &str) -> std::collections::HashMap<usize, (f64, f64)> {
    let mut sizes = std::collections::HashMap::new();
    for line in info.lines() {
        let Some(rest) = line.strip_prefix("Page") else {
            continue;
        };
        let Some((num, size)) = rest.split_once("size:") else {
            continue;
        };
        let mut parts = size.split_whitespace();
        let (Ok(page), Some(w), Some("x"), Some(h)) = (
            num.trim().parse::<usize>(),
            parts.next().and_then(|w| w.parse::<f64>().ok()),
            parts.next(),
            parts.next().and_then(|h| h.parse::<f64>().ok()),
        ) else {
            continue;
        };
        if w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0 {
            sizes.insert(page, (w, h));
        }
    }
    sizes
}

/// Resolution that keeps a `w`×`h` pt page under [`MAX_RENDER_PIXELS`]
/// (at most [`OCR_DPI`]); `None` when that would be too coarse to read.
fn render_dpi(w: f64, h: f64) -> Option<u32> {
    let inches = (w / 72.0) * (h / 72.0);
    let fit = (MAX_RENDER_PIXELS / inches).sqrt().floor();
    let dpi = fit.min(f64::from(OCR_DPI));
    (dpi >= f64::from(MIN_OCR_DPI)).then_some(dpi as u32)
}

/// Rasterizes a run of consecutive pages (one `pdftoppm` call) and OCRs
/// them; results by zero-based page index.
fn ocr_pdf_pages(
    raster: &Path,
    tess: &Path,
    file: &Path,
    batch: &[(usize, Option<u32>)],
    dir: &Path,
) -> Vec<(usize, Result<OcrPage, ExtractError>)> {
    let (Some(&(first, dpi)), Some(&(last, _))) = (batch.first(), batch.last()) else {
        return Vec::new();
    };
    let fail = |e: &ExtractError| {
        batch
            .iter()
            .map(|&(i, _)| {
                (
                    i,
                    Err(ExtractError::ToolFailed {
                        tool: "pdftoppm",
                        reason: e.to_string(),
                    }),
                )
            })
            .collect()
    };
    let prefix = dir.join(format!("p{}", first + 1));
    let mut cmd = Command::new(raster);
    match dpi {
        Some(d) => cmd.args(["-r", &d.to_string()]),
        // Size unknown: the longer side as A4's at 300 dpi.
        None => cmd.args(["-r", &OCR_DPI.to_string(), "-scale-to", "3508"]),
    };
    cmd.args([
        "-gray",
        "-f",
        &(first + 1).to_string(),
        "-l",
        &(last + 1).to_string(),
    ])
    .arg(path_arg(file))
    .arg(path_arg(&prefix));
    let timeout = Duration::from_secs(60 + 60 * batch.len() as u64);
    let out = match run(cmd, "pdftoppm", timeout) {
        Ok(o) => o,
        Err(e) => return fail(&e),
    };
    if !out.success {
        return fail(&out.failure("pdftoppm"));
    }
    let dpi = dpi.unwrap_or(OCR_DPI);
    // pdftoppm names pages `PREFIX-N.pgm`, N zero-padded to the page count's width.
    let mut rendered = std::collections::HashMap::new();
    let stem = format!("p{}-", first + 1);
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            let num = name
                .strip_prefix(&stem)
                .and_then(|r| r.strip_suffix(".pgm"))
                .and_then(|n| n.parse::<usize>().ok());
            if let Some(n) = num {
                rendered.insert(n, e.path());
            }
        }
    }
    batch
        .iter()
        .map(|&(i, _)| {
            let r = match rendered.get(&(i + 1)) {
                Some(p) => {
                    let bytes = std::fs::read(p);
                    let _ = std::fs::remove_file(p);
                    match bytes.ok().and_then(|b| parse_pgm(&b)) {
                        Some(gray) => ocr_page(&gray, dpi, tess, dir, i + 1),
                        None => Err(ExtractError::ToolFailed {
                            tool: "pdftoppm",
                            reason: "unreadable page image".into(),
                        }),
                    }
                }
                None => Err(ExtractError::ToolFailed {
                    tool: "pdftoppm",
                    reason: "no image produced".into(),
                }),
            };
            (i, r)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judges_text_layers() {
        let good = "คณะกรรมการขับเคลื่อนงานสิทธิมนุษยชนระดับจังหวัดภูเก็ต ประชุมครั้งที่ ๑/๒๕๖๖";
        assert!(usable_text(good).is_some());
        assert!(usable_text("หน้า ๒").is_none());
        assert!(usable_text(&"\u{E001}\u{E002}กขค ".repeat(10)).is_none());
        assert!(usable_text(&"ก า ร ป ร ะ ชุ ม ".repeat(5)).is_none());
        assert!(usable_text(&"\u{0E48}\u{0E49} ก".repeat(12)).is_none());
    }

    #[test]
    fn decodes_latin1_thai_fonts() {
        let mojibake = "¡ÒÃ»ÃÐªØÁ¤³Ð¡ÃÃÁ¡ÒÃ ¨Ñ§ËÇÑ´ÀÙà¡çµ";
        assert!(is_latin1_thai(mojibake));
        let Some(t) = usable_text(mojibake) else {
            panic!("legacy font text must be decoded");
        };
        assert_eq!(t, "การประชุมคณะกรรมการ จังหวัดภูเก็ต");
        assert!(!is_latin1_thai(
            "Ministry of Justice, Thailand — résumé of the meeting"
        ));
    }

    #[test]
    fn not_a_pdf_is_corrupt() {
        let opts = ExtractOptions::with_tools(super::super::Tools::none());
        assert!(matches!(
            extract(b"hello", None, &opts),
            Err(ExtractError::Corrupt(_))
        ));
        assert!(matches!(
            extract(b"%PDF-1.4\n garbage", None, &opts),
            Err(ExtractError::Corrupt(_))
        ));
    }

    #[test]
    fn page_sizes_bound_the_raster() {
        let info = "Pages:          3\nPage    1 size: 595.276 x 841.89 pts (A4)\n\
Page    2 size: 14400 x 14400 pts\nPage    3 size: 2384 x 3370 pts (A0)\nPage    x size: 1 x 1 pts\n";
        let sizes = parse_page_sizes(info);
        assert_eq!(sizes.len(), 3);
        assert_eq!(sizes.get(&1), Some(&(595.276, 841.89)));
        // A4 renders at the full 300 dpi.
        assert_eq!(render_dpi(595.276, 841.89), Some(OCR_DPI));
        // A0 at a lower resolution, inside the pixel cap.
        let Some(d) = render_dpi(2384.0, 3370.0) else {
            panic!("A0 is readable");
        };
        let px = (2384.0 / 72.0 * f64::from(d)) * (3370.0 / 72.0 * f64::from(d));
        assert!(d < OCR_DPI && px <= MAX_RENDER_PIXELS, "{d} dpi, {px} px");
        // A 200-inch square page is not rendered at all.
        assert_eq!(render_dpi(14400.0, 14400.0), None);
    }

    #[test]
    fn page_lists_read_well() {
        assert_eq!(page_list(&[2]), "page 3");
        assert_eq!(page_list(&[0, 3]), "pages 1, 4");
    }
}

#[cfg(test)]
mod fixture_tests {
    use super::*;
    use crate::extract::tests::{cer, fixture};
    use crate::extract::{Kind, Tools, extract_bytes};

    fn seed(name: &str) -> String {
        String::from_utf8_lossy(&fixture(&format!("corpus/seeds/{name}"))).to_string()
    }

    /// Both readers on the LibreOffice (Sarabun-style Laksaman font) and
    /// cairo (Norasi) PDFs.
    #[test]
    fn text_layer_pdfs() {
        let letter = seed("003_42c590216e999c55.txt");
        let mut tool_sets = vec![("built-in", Tools::none())];
        let detected = Tools::detect();
        if detected.pdftotext.is_some() {
            tool_sets.push(("pdftotext", detected));
        } else {
            eprintln!("pdftotext part skipped: poppler is not installed ({POPPLER_INSTALL})");
        }
        for (name, tools) in tool_sets {
            let opts = ExtractOptions::with_tools(tools);
            let Ok(ex) = extract_bytes(
                &fixture("corpus/fixtures/letter_libreoffice.pdf"),
                Kind::Pdf,
                &opts,
            ) else {
                panic!("{name}: LibreOffice PDF must extract")
            };
            assert_eq!(ex.format, Format::Pdf);
            let c = cer(&letter, &ex.text);
            eprintln!("{name}: LibreOffice PDF CER {:.2}%", c * 100.0);
            assert!(c < 0.02, "{name}: CER {c}");
            assert!(ex.text.contains("ที่ รย ๐๐๑๗.๒/ว ๕๕๑๒\n"), "{name}");
            let Ok(ex) =
                extract_bytes(&fixture("corpus/fixtures/news_cairo.pdf"), Kind::Pdf, &opts)
            else {
                panic!("{name}: cairo PDF must extract")
            };
            assert!(
                ex.text.starts_with("วันนี้ (31 มี.ค.) ณ ห้องประชุม 5 ชั้น 5"),
                "{name}"
            );
            if name == "pdftotext" {
                // Wrapped lines joined without splitting words.
                assert!(
                    ex.text
                        .contains("ศาลากลางจังหวัดเชียงใหม่ นายนิรัตน์ พงษ์สิทธิถาวร ผู้ว่าราชการจังหวัดเชียงใหม่")
                );
                assert!(
                    ex.text
                        .contains("ในฐานะประธานคณะอนุกรรมการขับเคลื่อนงานสิทธิมนุษยชนจังหวัดเชียงใหม่")
                );
                assert!(
                    cer(
                        &letter,
                        &extract_bytes(
                            &fixture("corpus/fixtures/letter_libreoffice.pdf"),
                            Kind::Pdf,
                            &opts
                        )
                        .map(|e| e.text)
                        .unwrap_or_default()
                    ) < 0.001
                );
            }
        }
    }

    /// A PDF of `n` empty pages of `w`×`h` points, with a correct xref.
    fn blank_pdf(n: usize, w: u32, h: u32) -> Vec<u8> {
        let mut objs = vec![
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            format!(
                "<< /Type /Pages /Kids [{}] /Count {n} >>",
                (0..n)
                    .map(|i| format!("{} 0 R", i + 3))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        ];
        for _ in 0..n {
            objs.push(format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w} {h}] >>"
            ));
        }
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objs.iter().enumerate() {
            offsets.push(out.len());
            out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
        }
        let xref = out.len();
        out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).bytes());
        for off in offsets {
            out.extend(format!("{off:010} 00000 n \n").bytes());
        }
        out.extend(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objs.len() + 1
            )
            .bytes(),
        );
        out
    }

    /// Tools whose poppler programs log each start to `log` before running.
    #[cfg(unix)]
    fn counting_tools(dir: &Path, log: &Path) -> Option<Tools> {
        use std::os::unix::fs::PermissionsExt;
        let real = Tools::detect();
        let mut t = real.clone();
        for (name, slot) in [
            ("pdftoppm", &mut t.pdftoppm),
            ("pdfinfo", &mut t.pdfinfo),
            ("tesseract", &mut t.tesseract),
        ] {
            let exe = slot.clone()?;
            let shim = dir.join(name);
            let script = format!(
                "#!/bin/sh\necho {name} >> '{}'\nexec '{}' \"$@\"\n",
                log.display(),
                exe.display()
            );
            std::fs::write(&shim, script).ok()?;
            std::fs::set_permissions(&shim, std::fs::Permissions::from_mode(0o755)).ok()?;
            *slot = Some(shim);
        }
        Some(t)
    }

    #[cfg(unix)]
    #[test]
    fn many_blank_pages_start_few_programs() {
        let Ok(dir) = tempfile::tempdir() else {
            panic!("temp dir");
        };
        let log = dir.path().join("log");
        let Some(tools) = counting_tools(dir.path(), &log) else {
            eprintln!("skipped: needs poppler and tesseract with Thai");
            return;
        };
        let opts = ExtractOptions::with_tools(tools);
        let t0 = std::time::Instant::now();
        let r = extract_bytes(&blank_pdf(300, 595, 842), Kind::Pdf, &opts);
        assert!(matches!(r, Err(ExtractError::Empty)), "{r:?}");
        let starts = std::fs::read_to_string(&log).unwrap_or_default();
        let n = starts.lines().count();
        eprintln!(
            "300 blank pages: {n} programs started in {:?}",
            t0.elapsed()
        );
        assert!(
            !starts.contains("tesseract"),
            "blank pages never reach tesseract"
        );
        assert!(
            n <= MAX_OCR_PAGES / MAX_BATCH + 3,
            "{n} programs:\n{starts}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_huge_page_is_not_rendered_and_says_why() {
        let Ok(dir) = tempfile::tempdir() else {
            panic!("temp dir");
        };
        let log = dir.path().join("log");
        let Some(tools) = counting_tools(dir.path(), &log) else {
            eprintln!("skipped: needs poppler and tesseract with Thai");
            return;
        };
        let opts = ExtractOptions::with_tools(tools);
        let pdf = blank_pdf(1, 14400, 14400);
        let r = extract_bytes(&pdf, Kind::Pdf, &opts);
        let Err(e) = r else {
            panic!("a blank giant page has no text");
        };
        assert_eq!(
            e.to_string(),
            "not a single-document file: page 1 is 14400×14400 pt, too large to OCR"
        );
        let starts = std::fs::read_to_string(&log).unwrap_or_default();
        assert!(!starts.contains("pdftoppm"), "{starts}");
        // A large page that can be read is rendered within the pixel cap.
        let r = extract_bytes(&blank_pdf(1, 3000, 3000), Kind::Pdf, &opts);
        assert!(matches!(r, Err(ExtractError::Empty)), "{r:?}");
    }

    #[test]
    fn image_only_pdf_is_ocred() {
        let tools = Tools::detect();
        if tools.pdftoppm.is_none() || tools.tesseract.is_none() {
            eprintln!("skipped: needs pdftoppm and tesseract with Thai");
            let opts = ExtractOptions::with_tools(Tools::none());
            let r = extract_bytes(
                &fixture("corpus/fixtures/letter_image_only.pdf"),
                Kind::Pdf,
                &opts,
            );
            assert!(matches!(r, Err(ExtractError::ToolMissing { .. })));
            return;
        }
        let opts = ExtractOptions::with_tools(tools);
        let Ok(ex) = extract_bytes(
            &fixture("corpus/fixtures/letter_image_only.pdf"),
            Kind::Pdf,
            &opts,
        ) else {
            panic!("image-only PDF must be OCR'd")
        };
        assert_eq!(ex.format, Format::PdfOcr);
        assert_eq!(ex.warnings, ["page 1 read by OCR"]);
        let truth =
            String::from_utf8_lossy(&fixture("corpus/fixtures/scan_letter.truth")).to_string();
        let c = cer(&truth, &ex.text);
        eprintln!("letter_image_only.pdf: CER {:.2}%", c * 100.0);
        assert!(c < 0.10, "CER {c}");
        // OCR turned off: the page is skipped and nothing is left.
        let mut off = opts.clone();
        off.ocr = false;
        assert!(matches!(
            extract_bytes(
                &fixture("corpus/fixtures/letter_image_only.pdf"),
                Kind::Pdf,
                &off
            ),
            Err(ExtractError::Empty)
        ));
    }
}
