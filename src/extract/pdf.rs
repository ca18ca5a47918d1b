//! PDF: the text layer page by page, OCR for pages without a usable one.
//!
//! poppler's `pdftotext -raw` reads Thai best (it keeps marks on their base
//! and honours `/ActualText`); the built-in `pdf-extract` reader is the
//! fallback when poppler is not installed (its panics are caught). Each page's
//! text is then judged: too few characters, private-use glyphs, replacement
//! characters, letters spaced one by one, or marks with no base letter mean
//! the layer is unusable. Legacy Thai fonts that map TIS-620 codes onto
//! Latin-1 letters are decoded back to Thai instead. Unusable pages are
//! rasterized (`pdftoppm -r 300 -gray`) and OCR'd in parallel; a document
//! with any OCR'd page is [`Format::PdfOcr`].

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use rayon::prelude::*;

use super::layout::unwrap_lines;
use super::ocr::{ocr_page, parse_pgm, tesseract};
use super::tools::{POPPLER_INSTALL, ScratchDir, run};
use super::{ExtractError, ExtractOptions, finish};
use crate::model::{Extracted, Format};
use crate::normalize::{is_thai, is_thai_mark, repair};

/// Rasterizing resolution for OCR.
const OCR_DPI: u32 = 300;
/// A page with fewer visible characters than this has no real text layer.
const MIN_PAGE_CHARS: usize = 20;

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
        Some(p) => p.to_path_buf(),
        None => {
            let f = dir.path().join("input.pdf");
            std::fs::write(&f, bytes)?;
            f
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
    let mut ocr_error = None;
    if !missing.is_empty() {
        let tools = (opts.ocr, opts.tools.pdftoppm.as_deref(), tesseract(opts));
        match tools {
            (true, Some(raster), Ok(tess)) => {
                let done: Vec<(usize, Result<String, ExtractError>)> = missing
                    .par_iter()
                    .map(|&i| (i, ocr_pdf_page(raster, tess, &file, i + 1, dir.path())))
                    .collect();
                for (i, r) in done {
                    match r {
                        Ok(t) if !t.trim().is_empty() => {
                            texts[i] = Some(t);
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
    Ok(finish(&body.join("\n\n"), format, "UTF-8", None, warnings))
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
    cmd.args(["-raw", "-enc", "UTF-8"]).arg(file).arg("-");
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

/// Rasterizes one page to gray and OCRs it.
fn ocr_pdf_page(
    raster: &Path,
    tess: &Path,
    file: &Path,
    page: usize,
    dir: &Path,
) -> Result<String, ExtractError> {
    let mut cmd = Command::new(raster);
    cmd.args([
        "-r",
        &OCR_DPI.to_string(),
        "-gray",
        "-f",
        &page.to_string(),
        "-l",
        &page.to_string(),
    ])
    .arg(file);
    let out = run(cmd, "pdftoppm", Duration::from_secs(120))?;
    if !out.success {
        return Err(out.failure("pdftoppm"));
    }
    let gray = parse_pgm(&out.stdout).ok_or(ExtractError::ToolFailed {
        tool: "pdftoppm",
        reason: "no image produced".into(),
    })?;
    ocr_page(&gray, OCR_DPI, tess, dir, page)
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
