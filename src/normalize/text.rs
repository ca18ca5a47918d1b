//! Unicode repair and digit folding for Thai text.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// Maps a Thai digit (`๐`..`๙`) to its ASCII digit; other characters pass through.
#[inline]
pub fn fold_digit(c: char) -> char {
    if ('\u{0E50}'..='\u{0E59}').contains(&c) {
        char::from(b'0' + (c as u32 - 0x0E50) as u8)
    } else {
        c
    }
}

/// Replaces every Thai digit with the ASCII digit of the same value.
pub fn fold_digits(s: &str) -> String {
    s.chars().map(fold_digit).collect()
}

/// True for ASCII and Thai digits.
#[inline]
pub fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('\u{0E50}'..='\u{0E59}').contains(&c)
}

/// Thai combining marks (see [`crate::thai::is_mark`]).
pub use crate::thai::is_mark as is_thai_mark;
pub use crate::thai::is_thai;

/// Characters dropped entirely: BOM, zero-width characters, soft hyphen.
#[inline]
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{00AD}' | '\u{180E}'
    )
}

/// Characters that are only spacing and become an ASCII space.
#[inline]
pub fn is_space_like(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// Legacy private-use Thai glyphs (U+F700..U+F71F, the positional variants
/// older Windows and Mac Thai fonts emit) mapped to the standard character.
fn legacy_pua(c: char) -> Option<char> {
    let mapped = match c {
        '\u{F700}' => 'ฐ',
        '\u{F701}' => '\u{0E34}',
        '\u{F702}' => '\u{0E35}',
        '\u{F703}' => '\u{0E36}',
        '\u{F704}' => '\u{0E37}',
        '\u{F705}' | '\u{F70A}' | '\u{F713}' => '\u{0E48}',
        '\u{F706}' | '\u{F70B}' | '\u{F714}' => '\u{0E49}',
        '\u{F707}' | '\u{F70C}' | '\u{F715}' => '\u{0E4A}',
        '\u{F708}' | '\u{F70D}' | '\u{F716}' => '\u{0E4B}',
        '\u{F709}' | '\u{F70E}' | '\u{F717}' => '\u{0E4C}',
        '\u{F70F}' => 'ญ',
        '\u{F710}' => '\u{0E31}',
        '\u{F711}' => '\u{0E4D}',
        '\u{F712}' => '\u{0E47}',
        '\u{F718}' => '\u{0E38}',
        '\u{F719}' => '\u{0E39}',
        '\u{F71A}' => '\u{0E3A}',
        _ => return None,
    };
    Some(mapped)
}

/// C1 control characters that are really Windows-1252 punctuation decoded
/// as Latin-1 (seen as "stray quotes" in scraped legal texts).
fn c1_punctuation(c: char) -> Option<Option<char>> {
    if !('\u{0080}'..='\u{009F}').contains(&c) {
        return None;
    }
    Some(match c {
        '\u{0085}' => Some('…'),
        '\u{0091}' => Some('‘'),
        '\u{0092}' => Some('’'),
        '\u{0093}' => Some('“'),
        '\u{0094}' => Some('”'),
        '\u{0095}' => Some('•'),
        '\u{0096}' => Some('–'),
        '\u{0097}' => Some('—'),
        _ => None,
    })
}

/// The Windows-1252 byte a character decodes from, for bytes 0x80 and up
/// (the C1 controls stand for the five bytes Windows-1252 leaves undefined,
/// and for every byte when the text went through Latin-1 instead).
fn cp1252_byte(c: char) -> Option<u8> {
    Some(match c {
        '\u{0080}'..='\u{00FF}' => c as u8,
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    })
}

/// Undoes Thai that was UTF-8, read as Windows-1252 (or Latin-1) and written
/// out as UTF-8 again (`à¸à¸£à¸¡` for `กรม`): every run of characters that
/// stand for bytes 0x80 and up becomes those bytes again, and each stretch of
/// them that is valid UTF-8 holding Thai is decoded. Everything else (real
/// accented Latin, stray bytes) stays as written.
fn undo_double_utf8(text: &str) -> Cow<'_, str> {
    // Every Thai character starts `E0 B8` or `E0 B9`: `à¸` or `à¹`.
    if !(text.contains("à¸") || text.contains("à¹")) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut run_chars: Vec<char> = Vec::new();
    let mut run_bytes: Vec<u8> = Vec::new();
    let flush = |out: &mut String, chars: &mut Vec<char>, bytes: &mut Vec<u8>| {
        // One byte per character: byte offsets in the run are character offsets.
        let mut at = 0;
        for chunk in bytes.utf8_chunks() {
            let valid = chunk.valid();
            if valid.chars().any(is_thai) {
                out.push_str(valid);
            } else {
                out.extend(&chars[at..at + valid.len()]);
            }
            at += valid.len();
            let bad = chunk.invalid().len();
            out.extend(&chars[at..at + bad]);
            at += bad;
        }
        chars.clear();
        bytes.clear();
    };
    for c in text.chars() {
        match cp1252_byte(c) {
            Some(b) => {
                run_chars.push(c);
                run_bytes.push(b);
            }
            None => {
                flush(&mut out, &mut run_chars, &mut run_bytes);
                out.push(c);
            }
        }
    }
    flush(&mut out, &mut run_chars, &mut run_bytes);
    Cow::Owned(out)
}

/// Repairs extracted text: doubly encoded UTF-8 Thai, legacy glyphs, sara
/// am, invisible characters, spacing characters, line endings, stray
/// controls, then NFC.
///
/// The result says exactly what the source says; only its encoding of the
/// same letters changes. A long text is repaired in pieces of about
/// [`REPAIR_PIECE`] bytes, each cut just after a line break, space or tab:
/// no rule looks back across spacing, and a piece is held as characters
/// (four bytes each) where the whole text would be.
pub fn repair(text: &str) -> String {
    if text.len() <= REPAIR_PIECE {
        return repair_piece(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let cut = piece_end(rest);
        out.push_str(&repair_piece(&rest[..cut]));
        rest = &rest[cut..];
    }
    out
}

/// Bytes of text [`repair`] works on at a time (more when no spacing comes).
pub const REPAIR_PIECE: usize = 1 << 20;

/// Where the first piece of a long text ends: just after the first line
/// break, space or tab from [`REPAIR_PIECE`] bytes on (a carriage return is
/// never a cut: it may start a CRLF).
fn piece_end(text: &str) -> usize {
    if text.len() <= REPAIR_PIECE {
        return text.len();
    }
    let at = crate::thai::floor_char(text, REPAIR_PIECE);
    text[at..]
        .find(['\n', ' ', '\t'])
        .map_or(text.len(), |i| at + i + 1)
}

/// [`repair`] of one piece.
fn repair_piece(text: &str) -> String {
    let text = undo_double_utf8(text);
    let mut out: Vec<char> = Vec::with_capacity(text.len() / 2);
    let mut chars = text.chars().peekable();
    while let Some(mut c) = chars.next() {
        if let Some(m) = legacy_pua(c) {
            c = m;
        }
        if let Some(p) = c1_punctuation(c) {
            match p {
                Some(q) => c = q,
                None => continue,
            }
        }
        if is_invisible(c) {
            continue;
        }
        if is_space_like(c) {
            c = ' ';
        }
        match c {
            '\r' => {
                // CRLF and lone CR both end a line.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
                continue;
            }
            '\n' | '\t' => {
                out.push(c);
                continue;
            }
            c if c.is_control() => continue,
            _ => {}
        }
        // Sara am written as nikhahit + sara aa (optionally around a tone mark).
        if c == '\u{0E32}' {
            if out.last() == Some(&'\u{0E4D}') {
                out.pop();
                out.push('\u{0E33}');
                continue;
            }
            let n = out.len();
            if n >= 2 && out[n - 2] == '\u{0E4D}' && ('\u{0E48}'..='\u{0E4B}').contains(&out[n - 1])
            {
                let tone = out[n - 1];
                out.truncate(n - 2);
                out.push(tone);
                out.push('\u{0E33}');
                continue;
            }
            // A sara aa doubled after sara am is an extraction artefact.
            if out.last() == Some(&'\u{0E33}') {
                continue;
            }
        }
        out.push(c);
    }
    if out.iter().all(|c| nfc_trivial(*c)) {
        reorder_thai_marks(&mut out);
        return out.into_iter().collect();
    }
    let s: String = out.into_iter().collect();
    s.nfc().collect()
}

/// Characters whose NFC form is themselves and that never compose with a
/// neighbour: everything below the combining diacritics, the Thai block and
/// general punctuation past its spacing characters. Text made only of these
/// (nearly every Thai document) needs nothing from NFC but the canonical
/// order of Thai marks, which [`reorder_thai_marks`] applies without the
/// cost of a full normalizer.
fn nfc_trivial(c: char) -> bool {
    c < '\u{0300}' || is_thai(c) || ('\u{2010}'..='\u{205F}').contains(&c)
}

/// Canonical combining class of the Thai marks that have one.
fn thai_ccc(c: char) -> u8 {
    match c {
        '\u{0E38}' | '\u{0E39}' => 103,
        '\u{0E3A}' => 9,
        '\u{0E48}'..='\u{0E4B}' => 107,
        _ => 0,
    }
}

/// Canonical ordering (as NFC does it) for runs of Thai marks: a stable
/// sort by combining class within each run of non-zero classes.
fn reorder_thai_marks(chars: &mut [char]) {
    let mut i = 0;
    while i < chars.len() {
        if thai_ccc(chars[i]) == 0 {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && thai_ccc(chars[i]) != 0 {
            i += 1;
        }
        if i - start > 1 {
            chars[start..i].sort_by_key(|c| thai_ccc(*c));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a program that read UTF-8 as Windows-1252 wrote.
    fn mojibake(s: &str) -> String {
        encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(s.as_bytes())
            .0
            .into_owned()
    }

    #[test]
    fn doubly_encoded_thai_is_decoded_again() {
        assert_eq!(mojibake("กรม"), "à¸\u{81}à¸£à¸¡");
        assert_eq!(repair(&mojibake("กรม")), "กรม");
        // mixed with text that was never damaged
        let damaged = format!("ที่ ๒/๒๕๖๖ {} (MGR Online)", mojibake("จังหวัดภูเก็ต “ข่าว”"));
        assert_eq!(repair(&damaged), "ที่ ๒/๒๕๖๖ จังหวัดภูเก็ต “ข่าว” (MGR Online)");
        // a whole real document, every Thai byte through Windows-1252
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/seeds/003_42c590216e999c55.txt"
        );
        let real = std::fs::read_to_string(path).expect("seed");
        assert_eq!(repair(&mojibake(&real)), repair(&real));
    }

    #[test]
    fn a_long_text_is_repaired_in_pieces_as_it_would_be_whole() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/seeds/003_42c590216e999c55.txt"
        );
        let real = std::fs::read_to_string(path).expect("seed");
        // Sara am written in two, CRLF line ends and an invisible character
        // in every copy, some at piece ends.
        let damaged = real
            .replace('\n', "\r\n")
            .replace("ำ", "\u{0E4D}\u{0E32}\u{200B}");
        let mut long = String::new();
        while long.len() <= 3 * REPAIR_PIECE {
            long.push_str(&damaged);
        }
        let whole = repair_piece(&long);
        assert!(long.len() > REPAIR_PIECE && whole.len() < long.len());
        assert_eq!(repair(&long), whole);
    }

    #[test]
    fn accented_latin_is_not_mojibake() {
        for s in ["à la carte", "café Ã©", "Ãà¸ ok", "€100 – ‘quoted’"] {
            assert_eq!(undo_double_utf8(s), s);
        }
    }

    #[test]
    fn folds_thai_digits() {
        assert_eq!(fold_digits("๒/๒๕๖๖"), "2/2566");
        assert_eq!(fold_digits("ที่ ๗๖ / ๒๕๖๓"), "ที่ 76 / 2563");
    }

    #[test]
    fn repairs_sara_am_forms() {
        // nikhahit + sara aa
        assert_eq!(repair("ทํางาน"), "ทำงาน");
        // nikhahit + tone + sara aa → tone + sara am
        assert_eq!(repair("น\u{0E4D}\u{0E49}\u{0E32}"), "น้ำ");
        // doubled sara aa after sara am
        assert_eq!(repair("ดำาเนิน"), "ดำเนิน");
    }

    #[test]
    fn drops_invisibles_and_maps_spaces() {
        assert_eq!(
            repair("\u{FEFF}ก\u{200B}ข\u{00A0}ค\u{00AD}ง\r\nจ"),
            "กข คง\nจ"
        );
    }

    #[test]
    fn maps_legacy_glyphs_and_c1_quotes() {
        assert_eq!(repair("ที\u{F70B}"), "ที้");
        assert_eq!(repair("\u{0093}ก\u{0094}"), "“ก”");
    }

    #[test]
    fn thai_fast_path_orders_marks_as_nfc_does() {
        for s in [
            "ก\u{0E48}\u{0E38}",
            "ที\u{0E48}\u{0E39}\u{0E3A}x",
            "ป\u{0E49}\u{0E38}\u{0E48}",
            "ผู้ว่าราชการ “ภูเก็ต” ๒๕๖๖ – 2566",
        ] {
            let nfc: String = s.nfc().collect();
            assert_eq!(repair(s), nfc, "{s:?}");
        }
        // outside the fast path, full NFC still composes
        assert_eq!(repair("e\u{0301} ก"), "é ก");
    }

    #[test]
    fn keeps_marks_and_digits() {
        let s = "ผู้ว่าราชการจังหวัด ๒๕๖๖ กรรมการ";
        assert_eq!(repair(s), s);
    }
}
