//! OCR with tesseract (`-l tha+eng`): scanned images and PDF pages without
//! a usable text layer.
//!
//! Pages are decoded to 8-bit grayscale here (PNG, JPEG, single- and
//! multi-page TIFF; PDF pages arrive as PGM from `pdftoppm -gray`). A page
//! sprinkled with isolated specks — typical of fax and low-resolution scans —
//! goes through a 3×3 median filter first, which on such pages cuts the
//! character error rate several-fold. Each page is one tesseract run
//! (`OMP_THREAD_LIMIT=1`), pages run in parallel, and the text is tidied
//! like any other: spaces inside syllables closed, wrapped lines joined,
//! then Unicode repair.

use std::io::Cursor;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use rayon::prelude::*;

use super::layout::{close_ocr_gaps, unwrap_lines};
use super::tools::{ScratchDir, TESSERACT_INSTALL, run};
use super::{ExtractError, ExtractOptions, finish};
use crate::model::{Extracted, Format};

/// Time allowed for one page.
const PAGE_TIMEOUT: Duration = Duration::from_secs(180);
/// Images larger than this many pixels per page are refused.
const MAX_PIXELS: usize = 150_000_000;
/// Share of dark pixels standing alone above which a page is despeckled.
const SPECKLE_RATIO: f64 = 0.02;

/// An 8-bit grayscale page (0 black, 255 white).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Gray {
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
}

/// Reads tesseract's path or explains how to install it.
pub(crate) fn tesseract(opts: &ExtractOptions) -> Result<&Path, ExtractError> {
    opts.tools
        .tesseract
        .as_deref()
        .ok_or(ExtractError::ToolMissing {
            tool: "tesseract (with Thai: tesseract-ocr-tha)",
            install: TESSERACT_INSTALL,
        })
}

/// OCRs a scanned image (`.png .jpg .jpeg .tif .tiff`, all TIFF pages).
pub(crate) fn extract_image(
    bytes: &[u8],
    _path: Option<&Path>,
    opts: &ExtractOptions,
) -> Result<Extracted, ExtractError> {
    if !opts.ocr {
        return Err(ExtractError::Unsupported(
            "image needs OCR, which is turned off".into(),
        ));
    }
    let tess = tesseract(opts)?;
    let (pages, dpi) = decode_image(bytes)?;
    let dir = ScratchDir::new()?;
    let texts: Vec<Result<String, ExtractError>> = pages
        .par_iter()
        .enumerate()
        .map(|(i, g)| ocr_page(g, dpi, tess, dir.path(), i))
        .collect();
    let mut out = Vec::with_capacity(texts.len());
    for t in texts {
        out.push(t?);
    }
    let mut warnings = Vec::new();
    if pages.len() > 1 {
        warnings.push(format!("{} pages read by OCR", pages.len()));
    }
    Ok(finish(
        &out.join("\n\n"),
        Format::ImageOcr,
        "UTF-8",
        None,
        warnings,
    ))
}

/// OCRs one page: despeckle when needed, run tesseract, tidy the text.
pub(crate) fn ocr_page(
    g: &Gray,
    dpi: u32,
    tess: &Path,
    dir: &Path,
    idx: usize,
) -> Result<String, ExtractError> {
    let filtered;
    let page = if speckle_ratio(g) > SPECKLE_RATIO {
        filtered = median3(g);
        &filtered
    } else {
        g
    };
    let file = dir.join(format!("page-{idx}.pgm"));
    std::fs::write(&file, to_pgm(page))?;
    let mut cmd = Command::new(tess);
    cmd.arg(&file)
        .arg("stdout")
        .args(["-l", "tha+eng", "--dpi"])
        .arg(dpi.to_string())
        .env("OMP_THREAD_LIMIT", "1");
    let out = run(cmd, "tesseract", PAGE_TIMEOUT)?;
    let _ = std::fs::remove_file(&file);
    if !out.success {
        return Err(out.failure("tesseract"));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Ok(tidy_ocr(&text))
}

/// OCR text tidied: noise lines dropped, gaps inside syllables closed,
/// paragraphs unwrapped.
pub(crate) fn tidy_ocr(text: &str) -> String {
    let text = crate::normalize::repair(&text.replace('\x0C', "\n"));
    let kept: Vec<&str> = text.lines().filter(|l| !is_noise_line(l)).collect();
    unwrap_lines(&close_ocr_gaps(&kept.join("\n")))
}

/// What the recogniser reads into specks, rules and stamps: a line with no
/// Thai letter and at most three letters or digits (`a`, `AA y`, `=`).
fn is_noise_line(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && !t.chars().any(|c| ('\u{0E01}'..='\u{0E4E}').contains(&c))
        && t.chars().filter(|c| c.is_alphanumeric()).count() <= 3
}

/// Decodes an image file into grayscale pages, with its resolution (DPI)
/// when the file records one (else 300).
pub(crate) fn decode_image(bytes: &[u8]) -> Result<(Vec<Gray>, u32), ExtractError> {
    let decoded = std::panic::catch_unwind(|| {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            decode_png(bytes)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            decode_jpeg(bytes)
        } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
            decode_tiff(bytes)
        } else {
            Err("not a PNG, JPEG or TIFF image".to_string())
        }
    });
    match decoded {
        Ok(Ok((pages, dpi))) if !pages.is_empty() => Ok((
            pages,
            dpi.filter(|d| (70..=1200).contains(d)).unwrap_or(300),
        )),
        Ok(Ok(_)) => Err(ExtractError::Corrupt("image has no pages".into())),
        Ok(Err(e)) => Err(ExtractError::Corrupt(e)),
        Err(_) => Err(ExtractError::Corrupt("image decoder failed".into())),
    }
}

type Decoded = Result<(Vec<Gray>, Option<u32>), String>;

fn check_size(w: usize, h: usize) -> Result<(), String> {
    if w == 0 || h == 0 {
        return Err("empty image".into());
    }
    if w.saturating_mul(h) > MAX_PIXELS {
        return Err(format!("image of {w}×{h} pixels is too large"));
    }
    Ok(())
}

fn decode_png(bytes: &[u8]) -> Decoded {
    let mut dec = png::Decoder::new(Cursor::new(bytes));
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = dec.read_info().map_err(|e| format!("PNG: {e}"))?;
    let (w, h) = (reader.info().width as usize, reader.info().height as usize);
    check_size(w, h)?;
    let dpi = reader.info().pixel_dims.and_then(|d| match d.unit {
        png::Unit::Meter => Some((f64::from(d.xppu) * 0.0254).round() as u32),
        png::Unit::Unspecified => None,
    });
    let size = reader.output_buffer_size().ok_or("PNG: size overflow")?;
    let mut buf = vec![0; size];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("PNG: {e}"))?;
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return Err("PNG: palette not expanded".into()),
    };
    let px = to_luma(&buf, info.line_size, w, h, channels);
    Ok((vec![Gray { w, h, px }], dpi))
}

fn decode_jpeg(bytes: &[u8]) -> Decoded {
    use zune_core::colorspace::ColorSpace;
    use zune_core::options::DecoderOptions;
    let opts = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::Luma)
        .set_max_width(60_000)
        .set_max_height(60_000);
    let mut dec = zune_jpeg::JpegDecoder::new_with_options(Cursor::new(bytes), opts);
    dec.decode_headers().map_err(|e| format!("JPEG: {e:?}"))?;
    let (w, h) = dec.dimensions().ok_or("JPEG: no dimensions")?;
    check_size(w, h)?;
    let px = dec.decode().map_err(|e| format!("JPEG: {e:?}"))?;
    let channels = px.len() / (w * h).max(1);
    if channels == 0 {
        return Err("JPEG: short image data".into());
    }
    let px = if channels == 1 {
        px
    } else {
        to_luma(&px, w * channels, w, h, channels)
    };
    Ok((vec![Gray { w, h, px }], None))
}

fn decode_tiff(bytes: &[u8]) -> Decoded {
    use tiff::ColorType;
    use tiff::decoder::{Decoder, DecodingResult};
    let mut dec = Decoder::new(Cursor::new(bytes)).map_err(|e| format!("TIFF: {e}"))?;
    let mut pages = Vec::new();
    let mut dpi = None;
    loop {
        let (w, h) = dec.dimensions().map_err(|e| format!("TIFF: {e}"))?;
        let (w, h) = (w as usize, h as usize);
        check_size(w, h)?;
        if dpi.is_none() {
            let per_cm = dec.get_tag_u32(tiff::tags::Tag::ResolutionUnit).ok() == Some(3);
            dpi = match dec.find_tag(tiff::tags::Tag::XResolution) {
                Ok(Some(tiff::decoder::ifd::Value::Rational(n, d))) if n > 0 && d > 0 => {
                    let r = f64::from(n) / f64::from(d);
                    Some((if per_cm { r * 2.54 } else { r }).round() as u32)
                }
                _ => None,
            };
        }
        let color = dec.colortype().map_err(|e| format!("TIFF: {e}"))?;
        let data = dec.read_image().map_err(|e| format!("TIFF: {e}"))?;
        let px = match (color, data) {
            (ColorType::Gray(1), DecodingResult::U8(d)) => unpack_bits(&d, w, h),
            (ColorType::Gray(8), DecodingResult::U8(d)) => d,
            (ColorType::Gray(16), DecodingResult::U16(d)) => {
                d.iter().map(|v| (v >> 8) as u8).collect()
            }
            (ColorType::GrayA(8), DecodingResult::U8(d)) => to_luma(&d, w * 2, w, h, 2),
            (ColorType::RGB(8), DecodingResult::U8(d)) => to_luma(&d, w * 3, w, h, 3),
            (ColorType::RGBA(8), DecodingResult::U8(d)) => to_luma(&d, w * 4, w, h, 4),
            (c, _) => return Err(format!("TIFF: unsupported colour type {c:?}")),
        };
        if px.len() < w * h {
            return Err("TIFF: short image data".into());
        }
        pages.push(Gray { w, h, px });
        if !dec.more_images() {
            break;
        }
        dec.next_image().map_err(|e| format!("TIFF: {e}"))?;
    }
    Ok((pages, dpi))
}

/// 1-bit rows (padded to bytes, 1 = white after the decoder's photometric
/// handling) to 8-bit gray.
fn unpack_bits(d: &[u8], w: usize, h: usize) -> Vec<u8> {
    let stride = w.div_ceil(8);
    let mut px = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            let bit = d
                .get(y * stride + x / 8)
                .map_or(1, |b| (b >> (7 - x % 8)) & 1);
            px.push(if bit == 1 { 255 } else { 0 });
        }
    }
    px
}

/// Interleaved gray/colour rows to luma (alpha composited on white).
fn to_luma(buf: &[u8], stride: usize, w: usize, h: usize, channels: usize) -> Vec<u8> {
    let mut px = Vec::with_capacity(w * h);
    for y in 0..h {
        for x in 0..w {
            let i = y * stride + x * channels;
            let s = buf
                .get(i..i + channels)
                .unwrap_or(&[255, 255, 255, 255][..channels.min(4)]);
            let (v, a) = match channels {
                1 => (u32::from(s[0]), 255),
                2 => (u32::from(s[0]), u32::from(s[1])),
                3 => (
                    (u32::from(s[0]) * 299 + u32::from(s[1]) * 587 + u32::from(s[2]) * 114) / 1000,
                    255,
                ),
                _ => (
                    (u32::from(s[0]) * 299 + u32::from(s[1]) * 587 + u32::from(s[2]) * 114) / 1000,
                    u32::from(s[3]),
                ),
            };
            px.push(((v * a + 255 * (255 - a)) / 255) as u8);
        }
    }
    px
}

/// Parses a binary PGM (`P5`, 8-bit), as `pdftoppm -gray` writes.
pub(crate) fn parse_pgm(b: &[u8]) -> Option<Gray> {
    let mut fields = Vec::with_capacity(4);
    let mut i = 0;
    while fields.len() < 4 {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'#') {
            if b[i] == b'#' {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(std::str::from_utf8(b.get(start..i)?).ok()?);
    }
    if fields[0] != "P5" || fields[3] != "255" {
        return None;
    }
    let w: usize = fields[1].parse().ok()?;
    let h: usize = fields[2].parse().ok()?;
    let data = b.get(i + 1..)?;
    if w == 0 || h == 0 || w.checked_mul(h)? > MAX_PIXELS || data.len() < w * h {
        return None;
    }
    Some(Gray {
        w,
        h,
        px: data[..w * h].to_vec(),
    })
}

fn to_pgm(g: &Gray) -> Vec<u8> {
    let mut out = format!("P5\n{} {}\n255\n", g.w, g.h).into_bytes();
    out.extend_from_slice(&g.px);
    out
}

/// Share of dark pixels with no dark neighbour: near zero for clean text,
/// high for salt-and-pepper noise.
pub(crate) fn speckle_ratio(g: &Gray) -> f64 {
    let (w, h) = (g.w, g.h);
    if w < 3 || h < 3 {
        return 0.0;
    }
    let dark = |x: usize, y: usize| g.px[y * w + x] < 128;
    let (mut total, mut alone) = (0usize, 0usize);
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            if !dark(x, y) {
                continue;
            }
            total += 1;
            let neighbours = [
                (x - 1, y - 1),
                (x, y - 1),
                (x + 1, y - 1),
                (x - 1, y),
                (x + 1, y),
                (x - 1, y + 1),
                (x, y + 1),
                (x + 1, y + 1),
            ];
            if !neighbours.iter().any(|&(a, b)| dark(a, b)) {
                alone += 1;
            }
        }
    }
    if total == 0 {
        0.0
    } else {
        alone as f64 / total as f64
    }
}

/// 3×3 median filter (edges copied).
pub(crate) fn median3(g: &Gray) -> Gray {
    let (w, h) = (g.w, g.h);
    let mut px = g.px.clone();
    if w < 3 || h < 3 {
        return Gray { w, h, px };
    }
    let mut win = [0u8; 9];
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let mut k = 0;
            for dy in 0..3 {
                let row = (y + dy - 1) * w;
                win[k..k + 3].copy_from_slice(&g.px[row + x - 1..row + x + 2]);
                k += 3;
            }
            win.sort_unstable();
            px[y * w + x] = win[4];
        }
    }
    Gray { w, h, px }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(w: usize, h: usize) -> Gray {
        Gray {
            w,
            h,
            px: vec![255; w * h],
        }
    }

    #[test]
    fn noise_lines_are_dropped() {
        let raw = "ด่วนที่สุด\n\na\n\nAA y\n=\nที่ รย ๐๐๑๗.๒/ว ๕๕๑๒\nPage 12\n";
        assert_eq!(tidy_ocr(raw), "ด่วนที่สุด\n\n\nที่ รย ๐๐๑๗.๒/ว ๕๕๑๒\nPage 12");
    }

    #[test]
    fn pgm_round_trip_and_bad_headers() {
        let mut g = page(4, 3);
        g.px[5] = 0;
        let Some(back) = parse_pgm(&to_pgm(&g)) else {
            panic!("PGM must parse");
        };
        assert_eq!(back, g);
        assert!(parse_pgm(b"P6\n4 3\n255\n").is_none());
        assert!(parse_pgm(b"P5\n4 3\n255\nabc").is_none());
        assert!(parse_pgm(b"P5\n# c\n").is_none());
        assert!(parse_pgm(b"").is_none());
    }

    #[test]
    fn specks_are_found_and_removed() {
        let mut g = page(40, 40);
        // A solid stroke: not specks.
        for y in 5..35 {
            g.px[y * 40 + 20] = 0;
            g.px[y * 40 + 21] = 0;
        }
        assert!(speckle_ratio(&g) < SPECKLE_RATIO);
        // Scattered isolated dots.
        for k in 0..30 {
            let (x, y) = (2 + (k * 7) % 15, 2 + (k * 11) % 36);
            g.px[y * 40 + x] = 0;
        }
        assert!(speckle_ratio(&g) > SPECKLE_RATIO);
        let m = median3(&g);
        assert!(speckle_ratio(&m) < SPECKLE_RATIO);
        // The stroke survives the filter.
        assert_eq!(m.px[20 * 40 + 20], 0);
    }

    #[test]
    fn bits_and_colours_to_gray() {
        assert_eq!(unpack_bits(&[0b1010_0000], 3, 1), vec![255, 0, 255]);
        assert_eq!(
            to_luma(&[255, 0, 0, 255, 255, 255], 6, 2, 1, 3),
            vec![76, 255]
        );
        assert_eq!(to_luma(&[0, 0], 2, 1, 1, 2), vec![255]);
    }

    #[test]
    fn undecodable_images_are_corrupt() {
        for b in [
            &b"junk"[..],
            b"\x89PNG\r\n\x1a\nxx",
            b"\xFF\xD8\xFF\xE0",
            b"II*\0\x08\0\0\0",
        ] {
            assert!(matches!(decode_image(b), Err(ExtractError::Corrupt(_))));
        }
    }

    #[test]
    fn ocr_disabled_or_missing_tesseract() {
        let mut opts = ExtractOptions::with_tools(super::super::Tools::none());
        assert!(matches!(
            extract_image(b"x", None, &opts),
            Err(ExtractError::ToolMissing { .. })
        ));
        opts.ocr = false;
        assert!(matches!(
            extract_image(b"x", None, &opts),
            Err(ExtractError::Unsupported(_))
        ));
    }
}

#[cfg(test)]
mod fixture_tests {
    use super::*;
    use crate::extract::tests::{cer, fixture};
    use crate::extract::{Kind, Tools, extract_bytes};

    #[test]
    fn fixture_scans_decode_and_specks_are_told_apart() {
        let clean = decode_image(&fixture("corpus/fixtures/scan_letter_300dpi.png"));
        let Ok((pages, dpi)) = clean else {
            panic!("PNG must decode")
        };
        assert_eq!((pages.len(), dpi), (1, 300));
        let clean_ratio = speckle_ratio(&pages[0]);
        let Ok((pages, _)) = decode_image(&fixture("corpus/fixtures/scan_letter_noisy.jpg")) else {
            panic!("JPEG must decode")
        };
        let noisy_ratio = speckle_ratio(&pages[0]);
        let Ok((pages, dpi)) =
            decode_image(&fixture("corpus/fixtures/scan_letter_speckled_200dpi.png"))
        else {
            panic!("PNG must decode")
        };
        assert_eq!(dpi, 200);
        let speck_ratio = speckle_ratio(&pages[0]);
        eprintln!(
            "speckle ratios: clean {clean_ratio:.4} noisy {noisy_ratio:.4} speckled {speck_ratio:.4}"
        );
        assert!(clean_ratio < SPECKLE_RATIO / 4.0 && noisy_ratio < SPECKLE_RATIO / 2.0);
        assert!(speck_ratio > SPECKLE_RATIO * 2.0);
        let Ok((pages, dpi)) = decode_image(&fixture("corpus/fixtures/letter_2pages.tif")) else {
            panic!("TIFF must decode")
        };
        assert_eq!((pages.len(), dpi), (2, 200));
        // Group 4 bilevel pages come out as black text on white.
        let dark = pages[0].px.iter().filter(|p| **p < 128).count();
        assert!(dark > 0 && dark * 10 < pages[0].px.len());
    }

    /// OCR of the fixture scans against the text they were printed from.
    #[test]
    fn fixture_scans_read_by_ocr() {
        let tools = Tools::detect();
        if tools.tesseract.is_none() {
            eprintln!("skipped: tesseract with Thai is not installed ({TESSERACT_INSTALL})");
            return;
        }
        let opts = ExtractOptions::with_tools(tools);
        let truth =
            String::from_utf8_lossy(&fixture("corpus/fixtures/scan_letter.truth")).to_string();
        for (file, max_cer) in [
            ("scan_letter_300dpi.png", 0.08),
            ("scan_letter_noisy.jpg", 0.10),
            ("scan_letter_speckled_200dpi.png", 0.10),
        ] {
            let bytes = fixture(&format!("corpus/fixtures/{file}"));
            let ex = match extract_bytes(&bytes, Kind::Image, &opts) {
                Ok(ex) => ex,
                Err(e) => panic!("{file}: {e}"),
            };
            assert_eq!(ex.format, Format::ImageOcr);
            let c = cer(&truth, &ex.text);
            eprintln!("{file}: CER {:.2}%", c * 100.0);
            assert!(c < max_cer, "{file}: CER {c:.3}\n{}", ex.text);
            assert!(ex.text.contains("ศาลากลางจังหวัดระยอง"));
        }
        let letter =
            String::from_utf8_lossy(&fixture("corpus/seeds/003_42c590216e999c55.txt")).to_string();
        let Ok(ex) = extract_bytes(
            &fixture("corpus/fixtures/letter_2pages.tif"),
            Kind::Image,
            &opts,
        ) else {
            panic!("TIFF must OCR")
        };
        let c = cer(&letter, &ex.text);
        eprintln!("letter_2pages.tif: CER {:.2}%", c * 100.0);
        assert!(c < 0.12, "CER {c}");
        assert!(ex.text.contains("ขอแสดงความนับถือ"), "second page read");
        assert_eq!(ex.warnings, ["2 pages read by OCR"]);
    }
}
