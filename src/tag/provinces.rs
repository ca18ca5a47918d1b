//! Province mentions: `จ.ภูเก็ต`, `จังหวัดภูเก็ต`, `อบจ. สงขลา`, bare names and aliases
//! (`กทม.`, `กรุงเทพฯ`), and romanized names in English text.
//!
//! One aho-corasick pass finds every surface form; each hit is then judged by its
//! context. A name after `จังหวัด`/`จ.`/`อบจ.` always counts (the prefix is part of the
//! mention's text). A bare name counts according to its `bare` rule in
//! `provinces.tsv`: `free` names are distinctive enough to count anywhere except glued
//! to a building's or person's name (`มหาวิทยาลัยเชียงใหม่`, `ถนนเพชรบุรี`,
//! `นายสุรินทร์`); `bounded` names (`ตาก`, `น่าน`, `ตรัง`) are also parts of ordinary
//! words and count only at a word boundary; `prefixed` names (`เลย`, `แพร่`) are
//! ordinary words and count only with a prefix or inside a list of provinces
//! (`จังหวัดน่าน แพร่ และพะเยา`).

use std::collections::HashMap;

use aho_corasick::{AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::TagError;
use super::lazy::LazyAc;
use super::scan::{is_hspace, next_char, prev_char};
use super::words::{Sections, ends_with_any, starts_with_any};
use crate::thai::is_word_char;

/// When a bare name (no `จังหวัด` before it) counts as a mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bare {
    /// Anywhere, unless glued to a building's or person's name.
    Free,
    /// Only at a word boundary on both sides.
    Bounded,
    /// Only after a prefix, or inside a list of provinces.
    Prefixed,
}

impl Bare {
    fn parse(s: &str) -> Option<Bare> {
        match s {
            "free" => Some(Bare::Free),
            "bounded" => Some(Bare::Bounded),
            "prefixed" => Some(Bare::Prefixed),
            _ => None,
        }
    }
}

/// One province as listed in `provinces.tsv`.
#[derive(Debug, Clone)]
pub(crate) struct Province {
    /// Canonical Thai name.
    pub(crate) name: String,
    /// ISO 3166-2:TH code.
    #[allow(dead_code)]
    pub(crate) iso: String,
    /// Region key (north, northeast, central, east, west, south).
    #[allow(dead_code)]
    pub(crate) region: String,
    /// Two-letter letter-number code (รย).
    pub(crate) code: String,
}

/// A surface form and the province it names.
#[derive(Debug, Clone)]
struct Form {
    province: usize,
    bare: Bare,
}

/// A province hit in byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawProvince {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) province: usize,
}

/// The province gazetteer, compiled for matching.
pub(crate) struct Provinces {
    pub(crate) list: Vec<Province>,
    forms: Vec<Form>,
    surfaces: Vec<String>,
    ac: LazyAc,
    english: Vec<(String, usize)>,
    en_ac: LazyAc,
    lookup: HashMap<String, usize>,
    words: Words,
}

/// Sections of `province_words.txt`.
pub(crate) const SECTIONS: &[&str] = &[
    "prefixes",
    "context",
    "left_words",
    "right_words",
    "exclude_left",
    "exclude_right",
    "exclude_en_right",
    "list_glue",
    "districts",
];

/// The context words of `province_words.txt`.
pub(crate) struct Words {
    /// Prefixes that make the following name a province mention (`จังหวัด`, `จ.`).
    prefixes: Vec<String>,
    /// Words after which a bare name is read as a province (`ผวจ.`).
    context: Vec<String>,
    /// Words a bare name may be glued after and still start a word.
    left_words: Vec<String>,
    /// Words a bare name may be glued before and still end a word.
    right_words: Vec<String>,
    /// Words glued before a bare name that make it part of a building's or person's name.
    exclude_left: Vec<String>,
    /// Text right after a name that makes it part of a longer proper name.
    exclude_right: Vec<String>,
    /// English words after a romanized name that make it a building's or club's name.
    exclude_en_right: Vec<String>,
    /// Separators between the members of a list of provinces.
    list_glue: Vec<String>,
    /// Words before a district's name (`เขต`, `อำเภอ`): a prefixed-rule name after one is
    /// the district, not a province in a list.
    districts: Vec<String>,
}

impl Words {
    /// Reads the sections of `province_words.txt` sources.
    pub(crate) fn parse(sources: &[(&str, &str)]) -> Result<Words, TagError> {
        let mut s = Sections::parse(sources, SECTIONS)?;
        Ok(Words {
            prefixes: s.take("prefixes"),
            context: s.take("context"),
            left_words: s.take("left_words"),
            right_words: s.take("right_words"),
            exclude_left: s.take("exclude_left"),
            exclude_right: s.take("exclude_right"),
            exclude_en_right: s.take("exclude_en_right"),
            list_glue: s.take("list_glue"),
            districts: s.take("districts"),
        })
    }
}

impl Provinces {
    /// Parses `provinces.tsv` content and the `province_words.txt` context words
    /// (built-in plus any extra files, in order).
    pub(crate) fn parse(
        sources: &[(&str, &str)],
        words: &[(&str, &str)],
    ) -> Result<Provinces, TagError> {
        let words = Words::parse(words)?;
        let mut list: Vec<Province> = Vec::new();
        let mut by_name: HashMap<String, usize> = HashMap::new();
        let mut surfaces: Vec<String> = Vec::new();
        let mut forms: Vec<Form> = Vec::new();
        let mut english: Vec<(String, usize)> = Vec::new();
        for (file, content) in sources {
            for (n, line) in content.lines().enumerate() {
                let line = line.trim_end_matches('\r');
                if line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                let cols: Vec<&str> = line.split('\t').collect();
                let err = |message: String| TagError::Parse {
                    file: file.to_string(),
                    line: n + 1,
                    message,
                };
                if cols.len() < 5 {
                    return Err(err(format!(
                        "expected at least 5 tab-separated columns, found {}",
                        cols.len()
                    )));
                }
                let name = cols[0].trim().to_string();
                if name.is_empty() {
                    return Err(err("empty province name".into()));
                }
                let bare = Bare::parse(cols[4].trim())
                    .ok_or_else(|| err(format!("unknown bare rule {:?}", cols[4])))?;
                let idx = match by_name.get(&name) {
                    Some(&i) => i,
                    None => {
                        list.push(Province {
                            name: name.clone(),
                            iso: cols[1].trim().to_string(),
                            region: cols[2].trim().to_string(),
                            code: cols[3].trim().to_string(),
                        });
                        by_name.insert(name.clone(), list.len() - 1);
                        surfaces.push(name.clone());
                        forms.push(Form {
                            province: list.len() - 1,
                            bare,
                        });
                        list.len() - 1
                    }
                };
                if let Some(aliases) = cols.get(5) {
                    for alias in aliases.split(',').map(str::trim).filter(|a| !a.is_empty()) {
                        let (surface, rule) = match alias.rsplit_once(':') {
                            Some((s, r)) => (
                                s.trim(),
                                Bare::parse(r.trim())
                                    .ok_or_else(|| err(format!("unknown alias rule {r:?}")))?,
                            ),
                            None => (alias, Bare::Free),
                        };
                        surfaces.push(surface.to_string());
                        forms.push(Form {
                            province: idx,
                            bare: rule,
                        });
                    }
                }
                if let Some(en) = cols.get(6) {
                    for e in en.split(',').map(str::trim).filter(|e| !e.is_empty()) {
                        english.push((e.to_string(), idx));
                    }
                }
            }
        }
        // A DFA: Thai names all start with the same UTF-8 lead byte, so prefilters do
        // not help and a full DFA is the fastest scan.
        let mut b = AhoCorasickBuilder::new();
        b.match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA));
        let ac = LazyAc::new(b, surfaces.iter().map(String::as_str), "province");
        let mut b = AhoCorasickBuilder::new();
        b.match_kind(MatchKind::LeftmostLongest);
        let en_ac = LazyAc::new(b, english.iter().map(|(s, _)| s.as_str()), "province");
        let mut lookup = HashMap::new();
        for (s, f) in surfaces.iter().zip(&forms) {
            lookup.insert(s.clone(), f.province);
            if let Some(stripped) = s.strip_suffix('ฯ') {
                lookup.entry(stripped.to_string()).or_insert(f.province);
            }
        }
        for (e, i) in &english {
            lookup.insert(e.to_lowercase(), *i);
        }
        Ok(Provinces {
            list,
            forms,
            surfaces,
            ac,
            english,
            en_ac,
            lookup,
            words,
        })
    }

    /// True once every matcher has been compiled.
    #[cfg(test)]
    pub(crate) fn compiled(&self) -> bool {
        self.ac.is_built() && self.en_ac.is_built()
    }

    /// Compiles both matchers now (they are otherwise compiled on first use).
    pub(crate) fn build(&self) -> Result<(), TagError> {
        self.ac.build()?;
        self.en_ac.build()
    }

    /// Canonical name for a filter value: `จ.เชียงใหม่`, `จังหวัดเชียงใหม่`, `กทม.`,
    /// `Chiang Mai`.
    pub(crate) fn canonical(&self, s: &str) -> Option<&str> {
        let mut t = s.trim();
        for p in &self.words.prefixes {
            if let Some(rest) = t.strip_prefix(p.as_str()) {
                t = rest.trim_start();
                break;
            }
        }
        let t = t.trim();
        if t.is_empty() {
            return None;
        }
        let i = self
            .lookup
            .get(t)
            .or_else(|| self.lookup.get(&t.to_lowercase()))
            .or_else(|| {
                let en = t.to_lowercase();
                en.strip_suffix(" province")
                    .and_then(|x| self.lookup.get(x.trim()))
            })?;
        Some(self.list[*i].name.as_str())
    }

    /// Index of the province whose name or alias is exactly `s`.
    pub(crate) fn exact(&self, s: &str) -> Option<usize> {
        self.lookup.get(s).copied()
    }

    /// The provinces' two-letter letter-number codes (รย, มท is an agency's).
    pub(crate) fn codes(&self) -> impl Iterator<Item = &str> {
        self.list
            .iter()
            .map(|p| p.code.as_str())
            .filter(|c| !c.is_empty())
    }

    /// Every Thai surface form (names and aliases), for the segmenter's lexicon.
    pub(crate) fn surfaces(&self) -> impl Iterator<Item = &str> {
        self.surfaces.iter().map(String::as_str)
    }

    /// Finds province mentions in `text` (byte offsets, in text order).
    pub(crate) fn find(&self, text: &str) -> Vec<RawProvince> {
        let mut out: Vec<RawProvince> = Vec::new();
        // Prefixed-rule names found bare, kept until the list check.
        let mut pending: Vec<RawProvince> = Vec::new();
        for m in self.ac.find_iter(text) {
            let form = &self.forms[m.pattern().as_usize()];
            let (s, e) = (m.start(), m.end());
            // A name never ends before a vowel or mark, nor starts after a leading vowel
            // (ประชุมพร้อม holds ชุมพร only as letters).
            if !syllable_edges(text, s, e) || starts_with_any(&text[e..], &self.words.exclude_right)
            {
                continue;
            }
            if let Some(ps) = prefix_start(text, s, &self.words.prefixes) {
                out.push(RawProvince {
                    start: ps,
                    end: e,
                    province: form.province,
                });
                continue;
            }
            let before = &text[..s];
            if ends_with_any(before, &self.words.exclude_left) {
                continue;
            }
            // `ณ อยุธยา` closes many family names (พึ่งบุญ ณ อยุธยา).
            if self.list[form.province].name == "พระนครศรีอยุธยา" && before.ends_with("ณ ")
            {
                continue;
            }
            let context = ends_with_any(before, &self.words.context);
            let bare = if context { Bare::Free } else { form.bare };
            let hit = RawProvince {
                start: s,
                end: e,
                province: form.province,
            };
            match bare {
                Bare::Free => out.push(hit),
                Bare::Bounded => {
                    if left_boundary(text, s, &self.words.left_words)
                        && right_boundary(text, e, &self.words.right_words)
                    {
                        out.push(hit);
                    }
                }
                Bare::Prefixed => {
                    // A district of the same name (เขตธนบุรี, อำเภอหลังสวน) is no province.
                    let district = ends_with_any(before.trim_end(), &self.words.districts);
                    if !district
                        && left_boundary(text, s, &self.words.left_words)
                        && right_boundary(text, e, &self.words.right_words)
                    {
                        pending.push(hit);
                    }
                }
            }
        }
        // A prefixed-rule name counts inside a list of provinces.
        if !pending.is_empty() {
            let mut accepted: Vec<RawProvince> = Vec::new();
            for p in &pending {
                // A neighbour that is itself a sure mention anchors the list
                // (`out` is in text order and its members do not overlap).
                let i = out.partition_point(|o| o.start < p.start);
                let before = i.checked_sub(1).and_then(|j| out.get(j)).is_some_and(|o| {
                    o.end <= p.start && is_list_gap(&text[o.end..p.start], &self.words.list_glue)
                });
                let after = out.get(i).is_some_and(|o| {
                    p.end <= o.start && is_list_gap(&text[p.end..o.start], &self.words.list_glue)
                });
                let anchored = before || after;
                if anchored {
                    accepted.push(p.clone());
                }
            }
            out.extend(accepted);
            out.sort_by_key(|r| r.start);
        }
        self.find_english(text, &mut out);
        out
    }

    fn find_english(&self, text: &str, out: &mut Vec<RawProvince>) {
        if !text.bytes().any(|b| b.is_ascii_uppercase()) {
            return;
        }
        let mut added = false;
        for m in self.en_ac.find_iter(text) {
            let (s, e) = (m.start(), m.end());
            let before_ok = prev_char(text, s).is_none_or(|c| !c.is_alphanumeric());
            let after_ok = text[e..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            if !before_ok || !after_ok {
                continue;
            }
            if starts_with_any(&text[e..], &self.words.exclude_en_right) {
                continue;
            }
            out.push(RawProvince {
                start: s,
                end: e,
                province: self.english[m.pattern().as_usize()].1,
            });
            added = true;
        }
        if added {
            out.sort_by_key(|r| r.start);
        }
    }
}

/// Start of a `จังหวัด`/`จ.`/`อบจ.` prefix written right before `pos` (one space allowed).
fn prefix_start(text: &str, pos: usize, prefixes: &[String]) -> Option<usize> {
    let before = &text[..pos];
    let trimmed = match before.strip_suffix(' ') {
        Some(t) => t,
        None => before,
    };
    for p in prefixes {
        if trimmed.ends_with(p.as_str()) {
            let start = trimmed.len() - p.len();
            // `จ.` must not be the tail of another abbreviation (`ป.ป.จ.`) or word.
            if p == "จ." && prev_char(text, start).is_some_and(|c| is_word_char(c) || c == '.') {
                continue;
            }
            return Some(start);
        }
    }
    None
}

/// True when `[s, e)` starts and ends on Thai syllable edges.
pub(crate) fn syllable_edges(text: &str, s: usize, e: usize) -> bool {
    let bad_next = next_char(text, e).is_some_and(
        |c| matches!(c, '\u{0E30}'..='\u{0E3A}' | '\u{0E45}' | '\u{0E47}'..='\u{0E4E}'),
    );
    let bad_prev = prev_char(text, s).is_some_and(|c| matches!(c, '\u{0E40}'..='\u{0E44}'));
    !bad_next && !bad_prev
}

fn left_boundary(text: &str, pos: usize, left_words: &[String]) -> bool {
    match prev_char(text, pos) {
        None => true,
        Some(c) if !is_word_char(c) => true,
        Some(_) => ends_with_any(&text[..pos], left_words),
    }
}

fn right_boundary(text: &str, pos: usize, right_words: &[String]) -> bool {
    match text[pos..].chars().next() {
        None => true,
        Some(c) if !is_word_char(c) => true,
        Some(_) => starts_with_any(&text[pos..], right_words),
    }
}

/// True when `gap` only separates two members of a list (`" "`, `", "`, `" และ"`).
fn is_list_gap(gap: &str, glue: &[String]) -> bool {
    if gap.chars().count() > 12 || gap.contains('\n') {
        return false;
    }
    let mut rest = gap.trim_matches(|c: char| is_hspace(c));
    loop {
        let before = rest;
        for w in glue {
            if let Some(r) = rest.strip_prefix(w.as_str()) {
                rest = r.trim_start_matches(|c: char| is_hspace(c));
            }
        }
        if rest == before {
            break;
        }
    }
    rest.is_empty() && !gap.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gaz() -> Provinces {
        Provinces::parse(
            &[(
                "provinces.tsv",
                include_str!("../../dictionaries/provinces.tsv"),
            )],
            &[(
                "province_words.txt",
                include_str!("../../dictionaries/province_words.txt"),
            )],
        )
        .expect("built-in gazetteer parses")
    }

    fn names(p: &Provinces, text: &str) -> Vec<(String, String)> {
        p.find(text)
            .into_iter()
            .map(|r| {
                (
                    text[r.start..r.end].to_string(),
                    p.list[r.province].name.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn short_and_historic_names() {
        let p = gaz();
        // thai-law-667 34/311485 (1959): the two provinces that became Bangkok.
        assert_eq!(
            names(
                &p,
                "ประกาศนี้ให้ใช้บังคับในเขตจังหวัดพระนครและจังหวัดธนบุรีและสำหรับจังหวัดอื่น"
            ),
            vec![
                ("จังหวัดพระนคร".to_string(), "กรุงเทพมหานคร".to_string()),
                ("จังหวัดธนบุรี".to_string(), "กรุงเทพมหานคร".to_string()),
            ]
        );
        // Districts of today's Bangkok and Ayutthaya itself are not the historic provinces.
        assert!(names(&p, "ณ สำนักงานเขตพระนคร ถนนดินสอ").is_empty());
        assert_eq!(
            names(&p, "จังหวัดพระนครศรีอยุธยา"),
            vec![(
                "จังหวัดพระนครศรีอยุธยา".to_string(),
                "พระนครศรีอยุธยา".to_string()
            )]
        );
        assert_eq!(
            names(&p, "ถนนแจ้งวัฒนะ กรุงเทพฯ เมื่อวันที่ 26 เมษายน 2560"),
            vec![("กรุงเทพฯ".to_string(), "กรุงเทพมหานคร".to_string())]
        );
        assert_eq!(
            names(&p, "ลงพื้นที่ อยุธยา และอ่างทอง"),
            vec![
                ("อยุธยา".to_string(), "พระนครศรีอยุธยา".to_string()),
                ("อ่างทอง".to_string(), "อ่างทอง".to_string()),
            ]
        );
        assert_eq!(
            names(&p, "ราษฎรในจังหวัดขุขันธ์"),
            vec![("จังหวัดขุขันธ์".to_string(), "ศรีสะเกษ".to_string())]
        );
    }

    #[test]
    fn districts_named_like_historic_provinces() {
        let p = gaz();
        // thaigov news: a Bangkok district before the city's abbreviation.
        assert!(
            names(&p, "ณ ศูนย์พักพิงชั่วคราววัดสันติธรรมาราม เขตธนบุรี กทม. นายจุติ")
                .iter()
                .all(|(t, _)| t != "ธนบุรี")
        );
        assert_eq!(
            names(&p, "จังหวัดพระนคร ธนบุรี และนนทบุรี"),
            vec![
                ("จังหวัดพระนคร".to_string(), "กรุงเทพมหานคร".to_string()),
                ("ธนบุรี".to_string(), "กรุงเทพมหานคร".to_string()),
                ("นนทบุรี".to_string(), "นนทบุรี".to_string()),
            ]
        );
    }

    #[test]
    fn gazetteer_has_all_77_provinces() {
        let p = gaz();
        assert_eq!(p.list.len(), 77);
        let mut isos: Vec<&str> = p.list.iter().map(|x| x.iso.as_str()).collect();
        isos.sort();
        isos.dedup();
        assert_eq!(isos.len(), 77);
        assert!(p.list.iter().all(|x| x.code.chars().count() == 2));
    }

    #[test]
    fn prefixed_and_bare_mentions() {
        let p = gaz();
        let text = "“คุ้มครองสิทธิฯ” ร่วม จ.ภูเก็ต ขับเคลื่อน ศาลากลางจังหวัดภูเก็ต อบจ. สงขลา";
        assert_eq!(
            names(&p, text),
            vec![
                ("จ.ภูเก็ต".to_string(), "ภูเก็ต".to_string()),
                ("จังหวัดภูเก็ต".into(), "ภูเก็ต".into()),
                ("อบจ. สงขลา".into(), "สงขลา".into()),
            ]
        );
    }

    #[test]
    fn substring_traps_are_not_provinces() {
        let p = gaz();
        for t in [
            "เผยแพร่:   ปรับปรุง:",
            "การแพร่ระบาดของโรค",
            "ค่าใช้จ่ายแก่จำเลยในคดีอาญา",
            "ไม่ละเลยต่อหน้าที่",
            "ผ่านเลยไป",
            "นำผ้าไปตากแดด",
            "อำเภอตากใบ",
            "รักษาน่านน้ำไทย",
            "สามร้อยเอ็ดคน",
            "อัตราดอกเบี้ยสูง",
            "ประชุมพร้อมกัน",
            "ห้องประชุมชัยนาทนเรนทร",
            "ด้วยความเมตตากรุณา",
            "พระเจ้าตากสินมหาราช",
            "วอลเลย์บอล",
        ] {
            assert!(names(&p, t).is_empty(), "{t}: {:?}", names(&p, t));
        }
    }

    #[test]
    fn buildings_and_people_named_after_provinces() {
        let p = gaz();
        assert!(names(&p, "ที่มหาวิทยาลัยเชียงใหม่").is_empty());
        assert!(names(&p, "สาขาถนนเพชรบุรี").is_empty());
        assert!(names(&p, "นายสุรินทร์ พิศสุวรรณ").is_empty());
        assert!(names(&p, "นางบุญภาดา พึ่งบุญ ณ อยุธยา").is_empty());
        // A hotel's province written after it is a place.
        assert_eq!(names(&p, "ที่โรงแรมดุสิต ปริ๊นซ์เซส จังหวัดเชียงใหม่")[0].1, "เชียงใหม่");
    }

    #[test]
    fn prefixed_rule_names_count_with_prefix_or_in_lists() {
        let p = gaz();
        assert_eq!(names(&p, "ในจังหวัดเลย")[0].1, "เลย");
        let listed = names(&p, "จังหวัดน่าน แพร่ และพะเยา");
        let got: Vec<&str> = listed.iter().map(|x| x.1.as_str()).collect();
        assert_eq!(got, vec!["น่าน", "แพร่", "พะเยา"]);
        assert!(names(&p, "แพร่ ระบาด").is_empty());
    }

    #[test]
    fn province_lists_from_real_news() {
        let p = gaz();
        let text = "จากจังหวัดบึงกาฬ นครพนม กาฬสินธุ์ ขอนแก่น ลพบุรี สุรินทร์ ร้อยเอ็ด และจังหวัดศรีสะเกษ ร่วมประชุม";
        let got: Vec<String> = names(&p, text).into_iter().map(|x| x.1).collect();
        assert_eq!(
            got,
            vec![
                "บึงกาฬ",
                "นครพนม",
                "กาฬสินธุ์",
                "ขอนแก่น",
                "ลพบุรี",
                "สุรินทร์",
                "ร้อยเอ็ด",
                "ศรีสะเกษ"
            ]
        );
    }

    #[test]
    fn bangkok_forms_and_committee_titles() {
        let p = gaz();
        let text = "คณะอนุกรรมการขับเคลื่อนงานสิทธิมนุษยชนระดับจังหวัดและกรุงเทพมหานคร ผู้ว่าฯ กทม. ในกรุงเทพฯ";
        let got: Vec<String> = names(&p, text).into_iter().map(|x| x.1).collect();
        assert_eq!(got, vec!["กรุงเทพมหานคร"; 3]);
        assert!(names(&p, "ธนาคารกรุงเทพ").is_empty());
    }

    #[test]
    fn english_names() {
        let p = gaz();
        let text = "land in Trang province’s Kantang district for Trang Airport, Prachuab Kirikhan province";
        let got: Vec<String> = names(&p, text).into_iter().map(|x| x.1).collect();
        assert_eq!(got, vec!["ตรัง", "ประจวบคีรีขันธ์"]);
    }

    #[test]
    fn canonical_filter_values() {
        let p = gaz();
        assert_eq!(p.canonical("จ.เชียงใหม่"), Some("เชียงใหม่"));
        assert_eq!(p.canonical("จังหวัด เชียงใหม่"), Some("เชียงใหม่"));
        assert_eq!(p.canonical("กทม."), Some("กรุงเทพมหานคร"));
        assert_eq!(p.canonical("กรุงเทพ"), Some("กรุงเทพมหานคร"));
        assert_eq!(p.canonical("chiang mai"), Some("เชียงใหม่"));
        assert_eq!(p.canonical("เชียง"), None);
    }
}
