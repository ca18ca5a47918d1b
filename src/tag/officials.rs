//! Officials: a title (honorific, rank, academic; stacked as in `ผศ.ดร.`), a given name
//! and a surname, and the position written right after them.
//!
//! Titles are found with one aho-corasick pass. From each title the parser reads
//! forward: more stacked titles, the given name (glued to the title or after a space),
//! the surname (one token, or two when a position follows them, plus `ณ <name>`), then
//! the position: a token starting with a word of `positions.txt`, extended by the agency
//! that follows it (`รองนายก อบจ. สงขลา`). In a signature block the position is looked
//! for on the lines under `(นาย... ...)`.
//!
//! Not officials: a name without a surname (`นายสมบัติ อายุ 47 ปี`), a name followed by
//! an age, or named as a victim or suspect (`(เหยื่อ)`, after `จับกุม`) with no position.

use aho_corasick::{
    AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Anchored, Input, MatchKind, StartKind,
};

use super::TagError;
use super::provinces::Provinces;
use super::scan::{
    fold_ws, is_hspace, is_thai_consonant, is_thai_letter, next_char, prev_char, skip_hspace,
    thai_run_end, token_end,
};

/// Kind of a title-list entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TitleKind {
    /// นาย, นาง, นางสาว...
    Honorific,
    /// Military and police ranks.
    Rank,
    /// Academic and professional titles.
    Academic,
    /// ว่าที่: only before a rank.
    Prefix,
    /// Only after another title (เกียรติคุณ).
    Stack,
    /// A word that begins like a title but is not one.
    Not,
    /// Like `Not`, but only when no Thai letter follows.
    NotWord,
}

impl TitleKind {
    fn parse(s: &str) -> Option<TitleKind> {
        Some(match s {
            "honorific" => TitleKind::Honorific,
            "rank" => TitleKind::Rank,
            "academic" => TitleKind::Academic,
            "prefix" => TitleKind::Prefix,
            "stack" => TitleKind::Stack,
            "not" => TitleKind::Not,
            "not-word" => TitleKind::NotWord,
            _ => return None,
        })
    }
}

/// An official found in the text, byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawOfficial {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) title: String,
    pub(crate) name: String,
    pub(crate) position: Option<String>,
    /// Span of the given name and surname (provinces inside it are not places).
    pub(crate) name_start: usize,
    pub(crate) name_end: usize,
}

/// Compiled title and position lists.
pub(crate) struct Officials {
    titles: Vec<(String, TitleKind)>,
    title_ac: AhoCorasick,
    nots: Vec<(String, TitleKind)>,
    not_ac: AhoCorasick,
    positions: Vec<String>,
    pos_ac: AhoCorasick,
    long_pos_ac: AhoCorasick,
    /// Agency abbreviations (`ป.ป.ส.`, `กสม.`) that may continue a position.
    agency_abbrevs: Vec<String>,
}

/// Words that end a name: a given name or surname is never one of these.
const STOP_WORDS: &[&str] = &[
    "และ",
    "หรือ",
    "กับ",
    "ที่",
    "ซึ่ง",
    "โดย",
    "ใน",
    "ของ",
    "จาก",
    "ให้",
    "จะ",
    "ว่า",
    "ไป",
    "มา",
    "ได้",
    "เป็น",
    "ยัง",
    "พร้อม",
    "ร่วม",
    "ด้วย",
    "นั้น",
    "นี้",
    "ตาม",
    "เพื่อ",
    "แต่",
    "ก็",
    "คือ",
    "อายุ",
    "เมื่อ",
    "แล้ว",
    "ต่อ",
    "ถึง",
    "อีก",
    "ทั้ง",
    "เข้า",
    "ออก",
    "จึง",
    "ทั้งนี้",
    "ได้แก่",
    "ประกอบด้วย",
    "อาทิ",
    "เช่น",
    "เป็นต้น",
    "รวมถึง",
    "รวมทั้ง",
    "ท่าน",
    "ตน",
    "เขา",
    "เธอ",
    "ผม",
    "ดิฉัน",
    "นำ",
    "ณ",
    "เวลา",
    "วันที่",
    "หมายเลข",
    "โทร",
    "โทรศัพท์",
    "ฝ่าย",
    "ประธาน",
    "ผู้",
    "คน",
    "ราย",
    "ทาง",
    "ตำแหน่ง",
    "หรือไม่",
    "บ้าน",
    "หมู่",
    "ตำบล",
    "อำเภอ",
    "จังหวัด",
    "กรม",
    "กระทรวง",
    "สำนักงาน",
];

/// Word beginnings that end a name (verbs and phrases that follow a name in news).
const STOP_PREFIXES: &[&str] = &[
    "กล่าว",
    "เปิดเผย",
    "ได้รับ",
    "ได้เดินทาง",
    "ได้ให้",
    "ได้มี",
    "ได้นำ",
    "ได้ร่วม",
    "เป็นประธาน",
    "ในฐานะ",
    "พร้อมด้วย",
    "พร้อมกับ",
    "ให้การ",
    "ให้สัมภาษณ์",
    "เดินทาง",
    "ชี้แจง",
    "มอบหมาย",
    "เน้นย้ำ",
    "ระบุ",
    "แถลง",
    "เข้าร่วม",
    "ร่วมกับ",
    "ร่วมประชุม",
    "ลงพื้นที่",
    "สั่งการ",
    "ซึ่ง",
    "ที่ได้",
    "และได้",
    "ใน",
    "ใช้",
    "ประธานใน",
    "อายุ",
    "ตำแหน่ง",
    "ได้",
    "จะ",
    "ให้",
];

/// Word pieces never found inside a Thai name: a token holding one is a phrase.
const NOT_IN_NAMES: &[&str] = &[
    "ผู้",
    "ของ",
    "ได้",
    "ให้",
    "จาก",
    "ว่า",
    "การแสดง",
    "ที่จะ",
    "มหาวิทยาลัย",
    "สังกัด",
    "สาขา",
    "แห่ง",
    "ประเทศ",
    "วิชา",
    "กระทรวง",
    "สำนักงาน",
];

/// Words right after a name that make the person a private one (a victim's mother,
/// an employee, a student).
const PRIVATE_NEXT: &[&str] = &[
    "มารดา",
    "บิดา",
    "ภรรยา",
    "สามี",
    "บุตร",
    "ลูกจ้าง",
    "ชาวบ้าน",
    "ผู้ต้องหา",
    "ผู้เสียหาย",
    "ผู้ป่วย",
    "ผู้ประสบภัย",
    "เกษตรกร",
    "พิการ",
    "นักเรียน",
    "นักศึกษา",
    "ผู้ต้องขัง",
    "ผู้ตาย",
    "ผู้เสียชีวิต",
    "ผู้บาดเจ็บ",
    "ราษฎร",
    "ญาติ",
    "เจ้าของ",
    "ผู้ถูก",
];

/// Words glued right before a title that make the person a private one (บ้านนาย...).
const PRIVATE_GLUED: &[&str] = &[
    "บ้าน",
    "ศพ",
    "ญาติ",
    "ครอบครัว",
    "บุตร",
    "ภรรยา",
    "สามี",
    "มารดา",
    "บิดา",
];

/// Words glued before a title that make it part of another word (เจ้านาย, ทำนาย,
/// สมเด็จพระนางเจ้า).
const LEFT_BLOCK: &[&str] = &["พระ", "เจ้า", "ทำ", "ขุน", "สมเด็จ", "ลูก", "ท"];

/// Words inside a position token where the sentence goes on (`...มหาดไทยได้สำเร็จ`).
const POSITION_CUTS: &[&str] = &["ได้", "จะ", "ซึ่ง", "กล่าว", "เปิดเผย", "เป็นประธาน", "ให้การ"];

/// Words before a name (same line) that make the person a victim or suspect.
const PRIVATE_LEFT: &[&str] = &[
    "ผู้ต้องหา",
    "จับกุม",
    "จับตัว",
    "ผู้เสียหาย",
    "เหยื่อ",
    "คนร้าย",
    "ผู้ตาย",
    "ผู้เสียชีวิต",
    "ศพ",
    "จำเลย",
    "ผู้ต้องสงสัย",
    "ผู้กระทำผิด",
    "ผู้กระทำความผิด",
    "ผู้ก่อเหตุ",
    "ผู้ถูกกล่าวหา",
    "ผู้บาดเจ็บ",
    "ผู้ต้องขัง",
    "ได้พบ",
    "ควบคุมตัว",
    "ข้อกล่าวหา",
    "หลบหนี",
    "ผู้ป่วย",
    "กรณี",
    "สูญหาย",
    "ทำร้าย",
];

/// Parenthesised notes after a name that make the person a victim or suspect.
const PRIVATE_NOTES: &[&str] = &[
    "(เหยื่อ",
    "(ผู้ต้องหา",
    "(ผู้เสียหาย",
    "(ผู้ตาย",
    "(ผู้เสียชีวิต",
    "(ผู้ต้องสงสัย",
];

/// Word beginnings that continue a position with its agency (`... กรมที่ดิน`).
const ORG_WORDS: &[&str] = &[
    "กรม",
    "กระทรวง",
    "สำนักงาน",
    "สำนัก",
    "กอง",
    "ศูนย์",
    "สถาบัน",
    "มหาวิทยาลัย",
    "จังหวัด",
    "อำเภอ",
    "ตำบล",
    "เทศบาล",
    "องค์การ",
    "ภาค",
    "เขต",
    "สถานี",
    "ตำรวจ",
    "ประจำ",
    "ฝ่าย",
];

/// Words inside a token that show it is a clause, not an agency's name.
const CLAUSE_MARKS: &[&str] = &["ได้", "จะ", "ให้", "ว่า", "แล้ว", "เป็น"];

/// Characters that end a title, name or position token.
const TOKEN_STOPS: &[char] = &[',', '(', ')', '"', '“', '”', ';', ':', '\'', '‘', '’'];

impl Officials {
    /// Builds the matcher from the title, position and agency lists
    /// (`(file name, content)` pairs, built-in first).
    pub(crate) fn parse(
        titles_src: &[(&str, &str)],
        positions_src: &[(&str, &str)],
        agencies_src: &[(&str, &str)],
    ) -> Result<Officials, TagError> {
        let mut titles: Vec<(String, TitleKind)> = Vec::new();
        let mut nots: Vec<(String, TitleKind)> = Vec::new();
        for (file, content) in titles_src {
            for (n, line) in content.lines().enumerate() {
                let line = line.trim_end_matches('\r');
                if line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                let (word, kind) = line.split_once('\t').ok_or_else(|| TagError::Parse {
                    file: file.to_string(),
                    line: n + 1,
                    message: "expected TITLE<TAB>KIND".into(),
                })?;
                let kind = TitleKind::parse(kind.trim()).ok_or_else(|| TagError::Parse {
                    file: file.to_string(),
                    line: n + 1,
                    message: format!("unknown title kind {:?}", kind.trim()),
                })?;
                let word = word.trim().to_string();
                match kind {
                    TitleKind::Not | TitleKind::NotWord => nots.push((word, kind)),
                    _ => titles.push((word, kind)),
                }
            }
        }
        let mut positions: Vec<String> = Vec::new();
        for (_, content) in positions_src {
            for line in content.lines() {
                let line = line.trim();
                if !line.is_empty() && !line.starts_with('#') {
                    positions.push(line.to_string());
                }
            }
        }
        let mut agency_abbrevs: Vec<String> = Vec::new();
        for (file, content) in agencies_src {
            for (n, line) in content.lines().enumerate() {
                let line = line.trim_end_matches('\r');
                if line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                let cols: Vec<&str> = line.split('\t').collect();
                if cols.len() < 2 {
                    return Err(TagError::Parse {
                        file: file.to_string(),
                        line: n + 1,
                        message: "expected CODE<TAB>NAME[<TAB>ABBREVIATIONS]".into(),
                    });
                }
                if let Some(abbr) = cols.get(2) {
                    for a in abbr.split(',').map(str::trim).filter(|a| !a.is_empty()) {
                        agency_abbrevs.push(a.to_string());
                    }
                }
            }
        }
        let build = |pats: Vec<&str>, what: &str| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Both)
                .kind(Some(AhoCorasickKind::DFA))
                .build(pats)
                .map_err(|e| TagError::Build(format!("{what} matcher: {e}")))
        };
        let title_ac = build(titles.iter().map(|t| t.0.as_str()).collect(), "title")?;
        let not_ac = build(nots.iter().map(|t| t.0.as_str()).collect(), "title")?;
        let pos_ac = build(positions.iter().map(String::as_str).collect(), "position")?;
        let long_pos_ac = build(
            positions
                .iter()
                .filter(|p| p.chars().count() >= 6 && !p.contains('.'))
                .map(String::as_str)
                .collect(),
            "position",
        )?;
        Ok(Officials {
            titles,
            title_ac,
            nots,
            not_ac,
            positions,
            pos_ac,
            long_pos_ac,
            agency_abbrevs,
        })
    }

    /// Title words and positions without abbreviations, for the segmenter's lexicon.
    pub(crate) fn words(&self) -> impl Iterator<Item = &str> {
        self.titles
            .iter()
            .map(|t| t.0.as_str())
            .chain(self.positions.iter().map(String::as_str))
            .filter(|w| !w.contains('.'))
    }

    /// The title entry matching at `pos` (anchored), if any.
    fn title_at(&self, text: &str, pos: usize) -> Option<(usize, TitleKind)> {
        let m = self
            .title_ac
            .find(Input::new(text).range(pos..).anchored(Anchored::Yes))?;
        Some((m.end(), self.titles[m.pattern().as_usize()].1))
    }

    /// True when a not-a-title word (นายกรัฐมนตรี) starts at `pos`.
    fn not_title_at(&self, text: &str, pos: usize) -> bool {
        let Some(m) = self
            .not_ac
            .find(Input::new(text).range(pos..).anchored(Anchored::Yes))
        else {
            return false;
        };
        match self.nots[m.pattern().as_usize()].1 {
            TitleKind::NotWord => next_char(text, m.end()).is_none_or(|c| !is_thai_letter(c)),
            _ => true,
        }
    }

    /// True when a position word starts at `pos`.
    fn position_at(&self, text: &str, pos: usize) -> bool {
        self.pos_ac
            .find(Input::new(text).range(pos..).anchored(Anchored::Yes))
            .is_some()
    }

    /// True when a title that can open a name starts at `pos`.
    fn opens_name(&self, text: &str, pos: usize) -> bool {
        !self.not_title_at(text, pos) && self.title_at(text, pos).is_some()
    }

    /// Finds officials in `text`, in text order.
    pub(crate) fn find(&self, text: &str, provinces: &Provinces) -> Vec<RawOfficial> {
        let mut out = Vec::new();
        let mut consumed = 0usize;
        for m in self.title_ac.find_iter(text) {
            let s = m.start();
            if s < consumed {
                continue;
            }
            if let Some(o) = self.parse_at(text, s, provinces) {
                consumed = o.name_end;
                out.push(o);
            }
        }
        out
    }

    /// Reads one official starting at the title at `s`.
    fn parse_at(&self, text: &str, s: usize, provinces: &Provinces) -> Option<RawOfficial> {
        if self.not_title_at(text, s) {
            return None;
        }
        let (first_end, kind) = self.title_at(text, s)?;
        if kind == TitleKind::Stack {
            return None;
        }
        let first = &text[s..first_end];
        let before = &text[..s];
        if LEFT_BLOCK.iter().any(|w| before.ends_with(w)) {
            return None;
        }
        if first.contains('.') {
            match prev_char(text, s) {
                Some('.') => return None,
                Some(c)
                    if is_thai_letter(c) && first.chars().filter(|&c| c != '.').count() == 1 =>
                {
                    return None;
                }
                _ => {}
            }
        }
        // Stacked titles: ผศ.ดร., ศาสตราจารย์ ดร., ว่าที่ ร.ต.
        let mut title_end = first_end;
        let mut need_rank = kind == TitleKind::Prefix;
        for _ in 0..3 {
            let p = skip_hspace(text, title_end, 1);
            if self.not_title_at(text, p) {
                break;
            }
            match self.title_at(text, p) {
                Some((e, k)) if k != TitleKind::Prefix && (!need_rank || k == TitleKind::Rank) => {
                    // A bare honorific after an academic title is the name's own title
                    // only when glued (ดร.นาย is rare); keep stacking ranks/academics.
                    if k == TitleKind::Honorific && p != title_end {
                        break;
                    }
                    title_end = e;
                    need_rank = false;
                }
                _ => break,
            }
        }
        if need_rank {
            return None;
        }
        let title = fold_ws(&text[s..title_end]);

        // Given name.
        let g = skip_hspace(text, title_end, 2);
        let g_end = thai_run_end(text, g);
        if !self.name_token_ok(text, g, g_end, 2, 24) {
            return None;
        }
        if !next_char(text, g_end).is_some_and(is_hspace) {
            return None; // ฯ, '.', ',' or end: a short reference or an initial
        }
        // Surname.
        let sn = skip_hspace(text, g_end, 3);
        let mut sn_end = thai_run_end(text, sn);
        let mut glued_position: Option<usize> = None;
        if let Some(m) = self
            .long_pos_ac
            .find(Input::new(text).range(sn..sn_end))
            .filter(|m| text[sn..m.start()].chars().count() >= 2)
        {
            glued_position = Some(m.start());
            sn_end = m.start();
        }
        if !self.name_token_ok(text, sn, sn_end, 2, 22) {
            return None;
        }
        if starts_with_conjunction_title(self, text, sn, sn_end) {
            return None;
        }
        let mut surname = text[sn..sn_end].to_string();
        let mut name_end = sn_end;
        if glued_position.is_none() {
            // ณ อยุธยา closes a family name.
            let p = skip_hspace(text, name_end, 2);
            if p > name_end && text[p..].starts_with("ณ ") {
                let q = skip_hspace(text, p + "ณ".len(), 2);
                let q_end = thai_run_end(text, q);
                if q_end > q && q_end - q >= 6 {
                    surname.push_str(" ณ ");
                    surname.push_str(&text[q..q_end]);
                    name_end = q_end;
                }
            }
        }
        let name_start = g;
        let name = format!("{} {}", &text[g..g_end], surname);

        // What follows the name.
        let mut position: Option<(usize, usize)> = None;
        if let Some(ps) = glued_position {
            position = Some((ps, self.position_end(text, ps, provinces)));
        } else {
            let mut p = skip_hspace(text, name_end, 3);
            if text[p..].starts_with("อายุ") {
                return None;
            }
            if PRIVATE_NOTES.iter().any(|n| text[p..].starts_with(n))
                || (p > name_end && PRIVATE_NEXT.iter().any(|n| text[p..].starts_with(n)))
                || PRIVATE_GLUED.iter().any(|w| text[..s].ends_with(w))
            {
                return None;
            }
            // A second surname word before the position (อานุภาพ รอดขวัญ ยอดระบำ).
            if p > name_end && !self.position_at(text, p) {
                let n_end = thai_run_end(text, p);
                let after = skip_hspace(text, n_end, 3);
                if n_end > p
                    && after > n_end
                    && self.name_token_ok(text, p, n_end, 2, 25)
                    && !self.opens_name(text, p)
                    && self.position_at(text, after)
                {
                    let full = format!("{name} {}", &text[p..n_end]);
                    return self.finish(
                        text,
                        s,
                        title,
                        full,
                        name_start,
                        n_end,
                        Some((after, self.position_end(text, after, provinces))),
                    );
                }
            }
            // An alias in parentheses before the position: (คุณหลีทวีกิจ).
            if text[p..].starts_with('(')
                && let Some(close) = text[p..].find(')')
            {
                let inner = &text[p..p + close];
                let q = skip_hspace(text, p + close + 1, 3);
                if inner.chars().count() <= 40 && !inner.contains('\n') && self.position_at(text, q)
                {
                    p = q;
                }
            }
            // ตำแหน่งครู: the word after ตำแหน่ง is the position.
            if p > name_end && text[p..].starts_with("ตำแหน่ง") {
                let q = skip_hspace(text, p + "ตำแหน่ง".len(), 2);
                if thai_run_end(text, q) > q {
                    p = q;
                    position = Some((p, self.position_end(text, p, provinces)));
                }
            }
            if position.is_some() {
                // found after ตำแหน่ง
            } else if p > name_end && self.position_at(text, p) {
                position = Some((p, self.position_end(text, p, provinces)));
            } else if text[p..].starts_with(')')
                || (line_starts_at(text, s) && text[p..].starts_with('\n'))
            {
                // Signature block: (นายยุทธพล งามอาจอิทธิชัย), or the name alone on its
                // line, with the position on the lines below.
                let from = if text[p..].starts_with(')') { p + 1 } else { p };
                if let Some(pos) = self.signature_position(text, from, provinces) {
                    // The position sits on later lines: the mention itself ends
                    // with the name.
                    let mut o =
                        self.finish(text, s, title, name, name_start, name_end, Some(pos))?;
                    o.end = name_end;
                    return Some(o);
                }
            }
        }
        if position.is_none() {
            // Look back 90 bytes at most: on one long line, searching for the
            // line start from every mention would be quadratic.
            let near = floor_char(text, s.saturating_sub(90));
            let line_start = text[near..s].rfind('\n').map_or(0, |i| near + i + 1);
            let window_start = floor_char(text, s.saturating_sub(90).max(line_start));
            let window = &text[window_start..s];
            if PRIVATE_LEFT.iter().any(|w| window.contains(w)) {
                return None;
            }
        }
        self.finish(text, s, title, name, name_start, name_end, position)
    }

    #[allow(clippy::too_many_arguments)]
    fn finish(
        &self,
        text: &str,
        start: usize,
        title: String,
        name: String,
        name_start: usize,
        name_end: usize,
        position: Option<(usize, usize)>,
    ) -> Option<RawOfficial> {
        let (end, position) = match position {
            Some((ps, pe)) if pe > ps => (pe, Some(fold_ws(&text[ps..pe]))),
            _ => (name_end, None),
        };
        if title.is_empty() {
            return None;
        }
        Some(RawOfficial {
            start,
            end,
            title,
            name: fold_ws(&name),
            position,
            name_start,
            name_end,
        })
    }

    /// A given name or surname token: Thai letters, sensible first letter and length,
    /// not a function word, verb or position.
    fn name_token_ok(&self, text: &str, s: usize, e: usize, min: usize, max: usize) -> bool {
        if e <= s {
            return false;
        }
        let tok = &text[s..e];
        let n = tok.chars().count();
        if n < min || n > max || tok.contains('ฯ') {
            return false;
        }
        let first = tok.chars().next().unwrap_or(' ');
        if !(is_thai_consonant(first) || matches!(first, 'เ' | 'แ' | 'โ' | 'ใ' | 'ไ')) {
            return false;
        }
        if STOP_WORDS.contains(&tok)
            || STOP_PREFIXES.iter().any(|p| tok.starts_with(p))
            || NOT_IN_NAMES.iter().any(|p| tok.contains(p))
        {
            return false;
        }
        // A position word (≥ 4 letters) where a name should be: ผู้ว่าราชการ, อธิบดี.
        if let Some(m) = self
            .pos_ac
            .find(Input::new(text).range(s..e).anchored(Anchored::Yes))
            && text[m.start()..m.end()].chars().count() >= 4
        {
            return false;
        }
        true
    }

    /// End of the position starting at `p`: its first token plus the agency that follows.
    fn position_end(&self, text: &str, p: usize, provinces: &Provinces) -> usize {
        let mut end = token_end(text, p, TOKEN_STOPS);
        // The first word may run on into the sentence: cut where it does.
        if let Some(cut) = POSITION_CUTS
            .iter()
            .filter_map(|w| text[p..end].find(w))
            .filter(|&i| i >= 9)
            .min()
        {
            return p + cut;
        }
        for i in 0..3 {
            let q = skip_hspace(text, end, 2);
            if q == end {
                break;
            }
            let q_end = token_end(text, q, TOKEN_STOPS);
            if q_end == q {
                break;
            }
            let tok = &text[q..q_end];
            let abbrev = tok.contains('.')
                && tok.chars().count() <= 14
                && tok.chars().all(|c| is_thai_letter(c) || c == '.');
            let known_abbrev = self.agency_abbrevs.iter().any(|a| a == tok);
            let org = ORG_WORDS.iter().any(|w| tok.starts_with(w))
                && tok.chars().count() <= 45
                && !CLAUSE_MARKS.iter().any(|w| tok.contains(w))
                && !(tok.starts_with("จังหวัด") && text[p..end].contains("จังหวัด"));
            let province = provinces.exact(tok).is_some();
            // A bare position word (เลขานุการ, นายกรัฐมนตรีและ) takes the office after it:
            // เลขานุการ รมว.มหาดไทยและโฆษกกระทรวงมหาดไทย.
            let first = &text[p..end];
            let bare = i == 0
                && (self.positions.iter().any(|x| x == first) || first.ends_with("และ"))
                && (self.position_at(text, q)
                    || tok
                        .split('.')
                        .next()
                        .is_some_and(|h| tok.contains('.') && h.chars().count() <= 5))
                && !CLAUSE_MARKS.iter().any(|w| tok.contains(w));
            if abbrev || known_abbrev || org || province || bare {
                end = q_end;
            } else {
                break;
            }
        }
        // A numbered unit: เขตตรวจราชการที่ ๖, ภาค 5.
        let last = &text[p..end];
        if last.ends_with("ที่") || last.ends_with("ภาค") || last.ends_with("เขต")
        {
            let q = skip_hspace(text, end, 2);
            if q > end
                && let Some((_, n_end)) = super::scan::read_digits(text, q)
            {
                end = n_end;
            }
        }
        end
    }

    /// The position on the lines under a signature, if one starts a line there.
    fn signature_position(
        &self,
        text: &str,
        from: usize,
        provinces: &Provinces,
    ) -> Option<(usize, usize)> {
        // The rest of the first line must be blank: stop at its first other
        // character rather than finding the end of a long line.
        for c in text[from..].chars() {
            if c == '\n' {
                break;
            }
            if !c.is_whitespace() {
                return None;
            }
        }
        let rest = text[from..].split_inclusive('\n');
        let mut offset = from;
        let mut seen = 0;
        for (i, line) in rest.enumerate() {
            let line_start = offset;
            offset += line.len();
            if i == 0 {
                if !line.trim().is_empty() {
                    return None; // more text after the closing parenthesis
                }
                continue;
            }
            let content = line.trim();
            if content.is_empty() {
                continue;
            }
            seen += 1;
            if seen > 4 || content.starts_with('(') {
                return None;
            }
            let p = line_start + (line.len() - line.trim_start().len());
            if self.position_at(text, p) && !self.opens_name(text, p) {
                return Some((p, self.position_end(text, p, provinces)));
            }
        }
        None
    }
}

/// `และนายมูฮัมหมัด`: a conjunction glued to the next person's title is not a surname.
fn starts_with_conjunction_title(o: &Officials, text: &str, s: usize, e: usize) -> bool {
    for c in ["และ", "หรือ", "กับ"] {
        if text[s..e].starts_with(c) && o.opens_name(text, s + c.len()) {
            return true;
        }
    }
    false
}

/// True when only spacing or `(` precedes `pos` on its line.
fn line_starts_at(text: &str, pos: usize) -> bool {
    // Backwards from `pos`, stopping at the first other character: linear
    // in the gap, not in the length of a long line.
    for c in text[..pos].chars().rev() {
        if c == '\n' {
            return true;
        }
        if !(c.is_whitespace() || c == '(') {
            return false;
        }
    }
    true
}

/// Largest char boundary <= `i`.
fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Officials, Provinces) {
        let o = Officials::parse(
            &[("titles.txt", include_str!("../../dictionaries/titles.txt"))],
            &[(
                "positions.txt",
                include_str!("../../dictionaries/positions.txt"),
            )],
            &[(
                "agencies.txt",
                include_str!("../../dictionaries/agencies.txt"),
            )],
        )
        .expect("built-in lists parse");
        let p = Provinces::parse(&[(
            "provinces.tsv",
            include_str!("../../dictionaries/provinces.tsv"),
        )])
        .expect("built-in gazetteer parses");
        (o, p)
    }

    fn find(text: &str) -> Vec<(String, String, Option<String>)> {
        let (o, p) = setup();
        o.find(text, &p)
            .into_iter()
            .map(|r| (r.title, r.name, r.position))
            .collect()
    }

    fn one(title: &str, name: &str, position: Option<&str>) -> (String, String, Option<String>) {
        (title.into(), name.into(), position.map(String::from))
    }

    #[test]
    fn governor_with_glued_title() {
        let got = find(
            "วันนี้ (24 มี.ค.) ณ ห้องประชุมชั้น 4 ศาลากลางจังหวัดภูเก็ต นายณรงค์ วุ่นซิ่ว ผู้ว่าราชการจังหวัดภูเก็ต ในฐานะประธาน",
        );
        assert_eq!(
            got,
            vec![one("นาย", "ณรงค์ วุ่นซิ่ว", Some("ผู้ว่าราชการจังหวัดภูเก็ต"))]
        );
    }

    #[test]
    fn double_spaces_academic_title_and_two_word_surname() {
        let got = find(
            "ผู้ช่วยศาสตราจารย์สุชาติ  เศรษฐมาลินี กรรมการสิทธิมนุษยชนแห่งชาติ พร้อมด้วยนางสาวรตญา  กอบศิริกาญจน์ รองเลขาธิการคณะกรรมการสิทธิมนุษยชนแห่งชาติ",
        );
        assert_eq!(
            got,
            vec![
                one(
                    "ผู้ช่วยศาสตราจารย์",
                    "สุชาติ เศรษฐมาลินี",
                    Some("กรรมการสิทธิมนุษยชนแห่งชาติ")
                ),
                one(
                    "นางสาว",
                    "รตญา กอบศิริกาญจน์",
                    Some("รองเลขาธิการคณะกรรมการสิทธิมนุษยชนแห่งชาติ")
                ),
            ]
        );
        let got = find(
            "ยุติธรรมจังหวัดสงขลา และนายรุ่งโรจน์ และสุบ ผู้อำนวยการกลุ่มงานศูนย์ดำรงธรรมจังหวัดสงขลา เพื่อหารือ",
        );
        assert_eq!(
            got,
            vec![one(
                "นาย",
                "รุ่งโรจน์ และสุบ",
                Some("ผู้อำนวยการกลุ่มงานศูนย์ดำรงธรรมจังหวัดสงขลา")
            )]
        );
    }

    #[test]
    fn stacked_and_spaced_ranks() {
        let got = find("วันนี้ (10 ม.ค. 67) ว่าที่ร้อยตรี ตระกูล โทธรรม ผู้ว่าราชการจังหวัดนราธิวาส เปิดเผยว่า");
        assert_eq!(
            got,
            vec![one(
                "ว่าที่ร้อยตรี",
                "ตระกูล โทธรรม",
                Some("ผู้ว่าราชการจังหวัดนราธิวาส")
            )]
        );
        let got = find(
            "ว่าที่ ร.ต.ธนกฤต จิตรอารีย์รัตน์ เลขานุการรัฐมนตรีว่าการกระทรวงยุติธรรม นายมานะ ศิริพิทยาวัฒน์ รองเลขาธิการ ป.ป.ส. หัวหน้าส่วนราชการ",
        );
        assert_eq!(
            got,
            vec![
                one(
                    "ว่าที่ ร.ต.",
                    "ธนกฤต จิตรอารีย์รัตน์",
                    Some("เลขานุการรัฐมนตรีว่าการกระทรวงยุติธรรม")
                ),
                one("นาย", "มานะ ศิริพิทยาวัฒน์", Some("รองเลขาธิการ ป.ป.ส.")),
            ]
        );
        let got = find(
            "โดยมี รศ.ดร. ศรีสมบัติ โชคประจักษ์ชัด และ ศาสตราจารย์ ดร.ธรรมศักดิ์ สมมาตย์ พงศ์พิชญามาตย์ เลขาธิการพุทธสมาคมแห่งประเทศไทย",
        );
        assert_eq!(
            got,
            vec![
                one("รศ.ดร.", "ศรีสมบัติ โชคประจักษ์ชัด", None),
                one(
                    "ศาสตราจารย์ ดร.",
                    "ธรรมศักดิ์ สมมาตย์ พงศ์พิชญามาตย์",
                    Some("เลขาธิการพุทธสมาคมแห่งประเทศไทย")
                ),
            ]
        );
    }

    #[test]
    fn position_keeps_its_agency() {
        let got = find("เพื่อเข้าพบนายอับดลรอหมาน  กาเหย็ม รองนายก อบจ. สงขลา เพื่อหารือ");
        assert_eq!(
            got,
            vec![one("นาย", "อับดลรอหมาน กาเหย็ม", Some("รองนายก อบจ. สงขลา"))]
        );
    }

    #[test]
    fn signature_block_position_on_later_lines() {
        let text = "ขอแสดงความนับถือ\n\n(นายยุทธพล งามอาจอิทธิชัย)\n\nสำนักงานจังหวัด\n\nรองผู้ว่าราชการจังหวัดระยอง รักษาราชการแทน\n";
        assert_eq!(
            find(text),
            vec![one(
                "นาย",
                "ยุทธพล งามอาจอิทธิชัย",
                Some("รองผู้ว่าราชการจังหวัดระยอง")
            )]
        );
    }

    #[test]
    fn not_titles_and_short_references() {
        assert!(find("นายกรัฐมนตรีได้แถลงนโยบายต่อรัฐสภา").is_empty());
        assert!(find("กรณีนายทุนเงินกู้นอกระบบ และนายจ้างจ่ายค่าจ้าง").is_empty());
        assert!(find("นายวันชัยฯ กล่าวเน้นย้ำ โดยนายสมศักดิ์ กล่าวว่า").is_empty());
        assert!(find("อุทธรณ์ของนาย บ. ไว้พิจารณา").is_empty());
        assert!(find("ปีงบประมาณ พ.ศ. ๒๕๖๑").is_empty());
        // นายก is not a title, but นายกฤษณ์ is นาย + กฤษณ์.
        assert_eq!(
            find("โดยมีนายกฤษณ์ ธนาวณิช รองผู้ว่าราชการจังหวัดเชียงใหม่ ให้กล่าวต้อนรับ"),
            vec![one("นาย", "กฤษณ์ ธนาวณิช", Some("รองผู้ว่าราชการจังหวัดเชียงใหม่"))]
        );
        assert_eq!(
            find("นายเรืองศักดิ์ สุวารี  อธิบดีกรมคุ้มครองสิทธิและเสรีภาพ")[0].1,
            "เรืองศักดิ์ สุวารี"
        );
    }

    #[test]
    fn suspects_and_victims_are_not_officials() {
        // From a crime-news release (corpus/real/013, 012, 023).
        assert!(find("สามารถจับกุม นายสมบัติ อายุ 47 ปี พร้อมของกลาง").is_empty());
        assert!(find("ได้รับแจ้งจากสายลับว่า นางสาวเอ (เหยื่อ) อายุ 17 ปี").is_empty());
        assert!(find("บริเวณใกล้เคียงยังได้พบนายนัสรี และนายมูฮัมหมัด จึงได้ทำการตรวจค้น").is_empty());
        assert!(find("“ต่อมา นายเอกชัย ปันแปง อายุ 42 ปี ผู้ช่วยผู้ใหญ่บ้านหมู่ที่ 13").is_empty());
    }

    #[test]
    fn family_name_with_na() {
        let got = find("นางบุญภาดา พึ่งบุญ ณ อยุธยา ผู้อำนวยการกองกฎหมาย");
        assert_eq!(
            got,
            vec![one(
                "นาง",
                "บุญภาดา พึ่งบุญ ณ อยุธยา",
                Some("ผู้อำนวยการกองกฎหมาย")
            )]
        );
    }

    #[test]
    fn list_of_names_sharing_a_position() {
        let got = find("มี นายชัยวัฒน์ ชื่นโกสุม นายพรพจน์ เพ็ญพาส รองปลัดกระทรวงมหาดไทย");
        assert_eq!(
            got,
            vec![
                one("นาย", "ชัยวัฒน์ ชื่นโกสุม", None),
                one("นาย", "พรพจน์ เพ็ญพาส", Some("รองปลัดกระทรวงมหาดไทย")),
            ]
        );
    }
}
