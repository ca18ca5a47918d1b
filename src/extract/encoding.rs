//! Character-encoding detection for text files.
//!
//! The order is fixed by the contract: a byte-order mark wins; then valid
//! UTF-8; then UTF-16 without a BOM, recognised by its byte pattern (chardetng
//! does not look for it); then `chardetng` told the text is probably Thai,
//! which tells TIS-620 / Windows-874 from the Latin code pages; and last, lossy
//! UTF-8 (invalid bytes replaced, flagged `lossy`).

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// Decoded text and how it was decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, BOM removed.
    pub text: String,
    /// Encoding name as encoding_rs spells it (`UTF-8`, `windows-874`, `UTF-16LE`...).
    pub encoding: &'static str,
    /// True when invalid bytes were replaced with U+FFFD.
    pub lossy: bool,
}

/// Decodes a text file's bytes following the contract's order.
pub fn decode_text(bytes: &[u8]) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return decode_with(enc, &bytes[bom_len..]);
    }
    if let Ok(s) = std::str::from_utf8(bytes)
        && plausible_text(s)
    {
        return Decoded {
            text: s.to_string(),
            encoding: UTF_8.name(),
            lossy: false,
        };
    }
    if let Some(enc) = utf16_by_pattern(bytes) {
        let d = decode_with(enc, bytes);
        if !d.lossy {
            return d;
        }
    }
    if mostly_utf8(bytes) {
        return decode_with(UTF_8, bytes);
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let guess = det.guess(Some(b"th"), chardetng::Utf8Detection::Allow);
    let d = decode_with(guess, bytes);
    if !d.lossy {
        return d;
    }
    decode_with(UTF_8, bytes)
}

/// [`decode_text`] of bytes the caller gives up: valid UTF-8 (the common
/// case) becomes the text without a copy, so a long file is not held twice.
pub fn decode_text_owned(bytes: Vec<u8>) -> Decoded {
    let plain = Encoding::for_bom(&bytes).is_none()
        && std::str::from_utf8(&bytes).is_ok_and(plausible_text);
    if !plain {
        return decode_text(&bytes);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            text,
            encoding: UTF_8.name(),
            lossy: false,
        },
        Err(e) => decode_text(e.as_bytes()),
    }
}

fn decode_with(enc: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: enc.name(),
        lossy: had_errors,
    }
}

/// Valid UTF-8 can still be UTF-16 in disguise: Thai and ASCII in UTF-16 are
/// all bytes below 0x80 (`ก` is `01 0E`). Real text has almost no NULs or
/// C0 controls other than tab, newline, carriage return and form feed.
fn plausible_text(s: &str) -> bool {
    let mut total = 0usize;
    let mut controls = 0usize;
    for c in s.chars().take(1 << 16) {
        total += 1;
        if c == '\0' || (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0C')) {
            controls += 1;
        }
    }
    controls * 100 <= total
}

/// UTF-16 without a BOM: one byte of each pair is nearly always `00` (Latin)
/// or `0E` (Thai), the other varies. Returns the byte order that fits.
fn utf16_by_pattern(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 {
        return None;
    }
    let pairs = bytes.len().min(1 << 16) / 2;
    let (mut hi_even, mut hi_odd, mut zero_even, mut zero_odd) = (0usize, 0, 0, 0);
    for pair in bytes.chunks_exact(2).take(pairs) {
        if matches!(pair[0], 0x00 | 0x0E | 0x20) {
            hi_even += 1;
        }
        if matches!(pair[1], 0x00 | 0x0E | 0x20) {
            hi_odd += 1;
        }
        zero_even += usize::from(pair[0] == 0);
        zero_odd += usize::from(pair[1] == 0);
    }
    // Little-endian: high bytes at odd offsets.
    if hi_odd * 10 >= pairs * 9 && zero_even * 10 < pairs {
        return Some(UTF_16LE);
    }
    if hi_even * 10 >= pairs * 9 && zero_odd * 10 < pairs {
        return Some(UTF_16BE);
    }
    None
}

/// True when the bytes are UTF-8 with a few damaged sequences: at least 95%
/// of the non-ASCII bytes sit in valid multi-byte characters. Such a file is
/// decoded as UTF-8 with replacements rather than guessed as a code page.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut valid_non_ascii = 0usize;
    let mut invalid = 0usize;
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid_non_ascii += s.len() - s.bytes().filter(u8::is_ascii).count();
                break;
            }
            Err(e) => {
                let (good, after) = rest.split_at(e.valid_up_to());
                valid_non_ascii += good.iter().filter(|b| !b.is_ascii()).count();
                let bad = e.error_len().unwrap_or(after.len()).max(1);
                invalid += bad;
                rest = after.get(bad..).unwrap_or_default();
            }
        }
    }
    valid_non_ascii >= 30 && invalid * 20 <= valid_non_ascii + invalid
}

#[cfg(test)]
mod tests {
    use super::*;

    const THAI: &str = "คณะกรรมการขับเคลื่อนงานสิทธิมนุษยชนระดับจังหวัดภูเก็ต ที่ ๒/๒๕๖๖";

    #[test]
    fn utf8_plain_and_with_bom() {
        let d = decode_text(THAI.as_bytes());
        assert_eq!(
            (d.text.as_str(), d.encoding, d.lossy),
            (THAI, "UTF-8", false)
        );
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice(THAI.as_bytes());
        let d = decode_text(&b);
        assert_eq!((d.text.as_str(), d.encoding), (THAI, "UTF-8"));
    }

    #[test]
    fn windows_874_and_tis_620() {
        let (bytes, _, _) = encoding_rs::WINDOWS_874.encode(THAI);
        let d = decode_text(&bytes);
        assert_eq!(d.encoding, "windows-874");
        assert_eq!(d.text, THAI);
        assert!(!d.lossy);
    }

    #[test]
    fn utf16_without_bom_both_orders() {
        let le: Vec<u8> = THAI.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let d = decode_text(&le);
        assert_eq!((d.text.as_str(), d.encoding), (THAI, "UTF-16LE"));
        let be: Vec<u8> = THAI.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let d = decode_text(&be);
        assert_eq!((d.text.as_str(), d.encoding), (THAI, "UTF-16BE"));
        // Latin text in UTF-16 too.
        let le: Vec<u8> = "Order 2/2566 of the committee"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(decode_text(&le).encoding, "UTF-16LE");
    }

    #[test]
    fn utf16_with_bom() {
        let mut b = vec![0xFF, 0xFE];
        b.extend(THAI.encode_utf16().flat_map(|u| u.to_le_bytes()));
        let d = decode_text(&b);
        assert_eq!((d.text.as_str(), d.encoding), (THAI, "UTF-16LE"));
    }

    #[test]
    fn damaged_utf8_is_lossy_utf8() {
        let mut b = THAI.as_bytes().to_vec();
        b.insert(10, 0xFF);
        let d = decode_text(&b);
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.lossy);
        assert!(d.text.contains('\u{FFFD}'));
        assert!(d.text.contains("ขับเคลื่อนงานสิทธิมนุษยชน"));
    }

    #[test]
    fn ascii_is_utf8() {
        let d = decode_text(b"plain ASCII text\r\n");
        assert_eq!((d.encoding, d.lossy), ("UTF-8", false));
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut x: u32 = 12345;
        for len in 0..300 {
            let b: Vec<u8> = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    (x >> 16) as u8
                })
                .collect();
            let d = decode_text(&b);
            assert!(!d.encoding.is_empty());
        }
    }
}
