//! The words dates are built from: Thai month names in their full, informal,
//! abbreviated and misspelled forms, era markers, fiscal-year words and
//! digits, compiled into one automaton that both finds anchors in a document
//! and matches a word at a given position.

use aho_corasick::{
    AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Anchored, Input, MatchKind, StartKind,
};
use once_cell::sync::Lazy;

/// How a month is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `มีนาคม` (and common misspellings such as `กรกฏาคม`).
    Full,
    /// Spoken short form: `มีนา`, `ตุลา`.
    Informal,
    /// Abbreviation with a dot between its letters: `มี.ค.`, `มี.ค`.
    Dotted,
    /// Abbreviation without inner dot: `มีค`, `มค.`.
    Bare,
    /// English name or abbreviation: `November`, `Nov.`, `NOV`.
    English,
}

/// Era of a year marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Era {
    /// พ.ศ. / พุทธศักราช: Buddhist Era (CE + 543).
    Be,
    /// ค.ศ. / คริสต์ศักราช: Common Era.
    Ce,
    /// ร.ศ.: Rattanakosin Era (CE − 1781).
    Rs,
}

/// What a matched word means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kw {
    /// A month (1..=12) and how it is written.
    Month(u8, Form),
    /// An era marker; `true` when written without dots (needs word boundaries).
    Era(Era, bool),
    /// ปีงบประมาณ, ปีงบ, ปีงบฯ.
    Fiscal,
    /// Latin `FY`.
    Fy,
    /// One ASCII or Thai digit.
    Digit,
}

const FULL: &[(u8, &[&str])] = &[
    (1, &["มกราคม", "มกรคม"]),
    (2, &["กุมภาพันธ์", "กุมภาพันธ", "กุมภาพันธุ์", "กุมภาพัน", "กุมพาพันธ์"]),
    (3, &["มีนาคม", "มีนาคน"]),
    (4, &["เมษายน", "เมษายม", "เมษาย"]),
    (5, &["พฤษภาคม", "พฤศภาคม", "พฤษาคม", "พฤาภาคม"]),
    (6, &["มิถุนายน", "มิถุนายม", "มิถุยายน"]),
    (7, &["กรกฎาคม", "กรกฏาคม", "กรกฎคม", "กรฎาคม"]),
    (8, &["สิงหาคม", "สิงหคม"]),
    (9, &["กันยายน", "กันยายม", "กันนยายน"]),
    (10, &["ตุลาคม", "ตุลาคาม"]),
    (
        11,
        &["พฤศจิกายน", "พฤษจิกายน", "พฤศจิกายม", "พฤสจิกายน", "พฤศจิการยน"],
    ),
    (12, &["ธันวาคม", "ธันวาคน"]),
];

const INFORMAL: &[(u8, &[&str])] = &[
    (1, &["มกรา"]),
    (2, &["กุมภา", "กุมพา"]),
    (3, &["มีนา"]),
    (4, &["เมษา"]),
    (5, &["พฤษภา", "พฤศภา"]),
    (6, &["มิถุนา"]),
    (7, &["กรกฎา", "กรกฏา"]),
    (8, &["สิงหา"]),
    (9, &["กันยา"]),
    (10, &["ตุลา"]),
    (11, &["พฤศจิกา", "พฤษจิกา"]),
    (12, &["ธันวา"]),
];

const ENGLISH: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Abbreviations as (first syllable, final consonant).
const ABBR: &[(u8, &str, &str)] = &[
    (1, "ม", "ค"),
    (2, "ก", "พ"),
    (3, "มี", "ค"),
    (4, "เม", "ย"),
    (5, "พ", "ค"),
    (6, "มิ", "ย"),
    (7, "ก", "ค"),
    (8, "ส", "ค"),
    (9, "ก", "ย"),
    (10, "ต", "ค"),
    (11, "พ", "ย"),
    (12, "ธ", "ค"),
];

const ERAS: &[(Era, bool, &[&str])] = &[
    (
        Era::Be,
        false,
        &[
            "พ.ศ.",
            "พ.ศ",
            "พ. ศ.",
            "พ.ศ .",
            "พศ.",
            "พุทธศักราช",
            "พระพุทธศักราช",
            "B.E.",
            "B.E",
        ],
    ),
    (Era::Be, true, &["พศ"]),
    (
        Era::Ce,
        false,
        &[
            "ค.ศ.",
            "ค.ศ",
            "ค. ศ.",
            "คศ.",
            "คริสต์ศักราช",
            "คริสตศักราช",
            "A.D.",
            "C.E.",
        ],
    ),
    (Era::Ce, true, &["คศ"]),
    (Era::Rs, false, &["ร.ศ."]),
];

/// The compiled word list.
pub struct Lexicon {
    ac: AhoCorasick,
    kinds: Vec<Kw>,
}

/// The one shared lexicon.
pub static LEXICON: Lazy<Lexicon> = Lazy::new(Lexicon::build);

impl Lexicon {
    fn build() -> Lexicon {
        let mut pats: Vec<String> = Vec::new();
        let mut kinds: Vec<Kw> = Vec::new();
        let mut add = |p: String, k: Kw| {
            pats.push(p);
            kinds.push(k);
        };
        for &(m, names) in FULL {
            for n in names {
                add((*n).to_string(), Kw::Month(m, Form::Full));
            }
        }
        for &(m, names) in INFORMAL {
            for n in names {
                add((*n).to_string(), Kw::Month(m, Form::Informal));
            }
        }
        for &(m, a, b) in ABBR {
            for p in [
                format!("{a}.{b}."),
                format!("{a}.{b}"),
                format!("{a}. {b}."),
                format!("{a}. {b}"),
            ] {
                add(p, Kw::Month(m, Form::Dotted));
            }
            for p in [format!("{a}{b}."), format!("{a}{b}")] {
                add(p, Kw::Month(m, Form::Bare));
            }
        }
        for (i, name) in ENGLISH.iter().enumerate() {
            let m = i as u8 + 1;
            let mut forms = vec![name.to_string(), name.to_uppercase()];
            let short: String = name.chars().take(3).collect();
            if short.len() < name.len() {
                forms.push(format!("{short}."));
                forms.push(short.clone());
                forms.push(short.to_uppercase());
            }
            if m == 9 {
                forms.push("Sept.".to_string());
                forms.push("Sept".to_string());
            }
            for f in forms {
                add(f, Kw::Month(m, Form::English));
            }
        }
        for &(era, bare, names) in ERAS {
            for n in names {
                add((*n).to_string(), Kw::Era(era, bare));
            }
        }
        for n in ["ปีงบประมาณ", "ปีงบฯ", "ปีงบ"] {
            add(n.to_string(), Kw::Fiscal);
        }
        add("FY".to_string(), Kw::Fy);
        for d in '0'..='9' {
            add(d.to_string(), Kw::Digit);
        }
        for d in '๐'..='๙' {
            add(d.to_string(), Kw::Digit);
        }
        // The pattern set is fixed and small; building it cannot fail.
        #[allow(clippy::expect_used)]
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Both)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&pats)
            .expect("date lexicon compiles");
        Lexicon { ac, kinds }
    }

    /// Every word of the lexicon in `text`, leftmost-longest, as (byte start, byte end, kind).
    pub fn scan<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (usize, usize, Kw)> + 'a {
        self.ac
            .find_iter(text)
            .map(|m| (m.start(), m.end(), self.kinds[m.pattern().as_usize()]))
    }

    /// The longest word of the lexicon starting exactly at byte `pos` of `text`.
    pub fn at(&self, text: &str, pos: usize) -> Option<(usize, Kw)> {
        if pos >= text.len() {
            return None;
        }
        let input = Input::new(text)
            .span(pos..text.len())
            .anchored(Anchored::Yes);
        self.ac
            .find(input)
            .map(|m| (m.end(), self.kinds[m.pattern().as_usize()]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_each_written_form_at_a_position() {
        let lx = &*LEXICON;
        let cases: &[(&str, Kw)] = &[
            ("พฤศจิกายน ๒๕๖๒", Kw::Month(11, Form::Full)),
            ("กรกฏาคม", Kw::Month(7, Form::Full)),
            ("มี.ค.)", Kw::Month(3, Form::Dotted)),
            ("มค 2567", Kw::Month(1, Form::Bare)),
            ("ตุลา", Kw::Month(10, Form::Informal)),
            ("พ.ศ.๒๕๖๑", Kw::Era(Era::Be, false)),
            ("ค.ศ. 2024", Kw::Era(Era::Ce, false)),
            ("ปีงบประมาณ", Kw::Fiscal),
            ("๒", Kw::Digit),
        ];
        for (text, kind) in cases {
            let (_, k) = lx.at(text, 0).unwrap_or((0, Kw::Fy));
            assert_eq!(k, *kind, "{text}");
        }
        // Longest match: the full month, not its informal prefix.
        let (end, _) = lx.at("มีนาคม 2566", 0).unwrap_or((0, Kw::Fy));
        assert_eq!(&"มีนาคม 2566"[..end], "มีนาคม");
        assert_eq!(lx.at("นาย", 0), None);
    }

    #[test]
    fn scan_reports_words_in_order() {
        let text = "วันนี้ (24 มี.ค.) ปีงบ 67";
        let kinds: Vec<Kw> = LEXICON.scan(text).map(|(_, _, k)| k).collect();
        assert_eq!(
            kinds,
            vec![
                Kw::Digit,
                Kw::Digit,
                Kw::Month(3, Form::Dotted),
                Kw::Fiscal,
                Kw::Digit,
                Kw::Digit
            ]
        );
    }
}
