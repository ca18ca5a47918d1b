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

use aho_corasick::{AhoCorasickBuilder, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};

use super::TagError;
use super::lazy::LazyAc;
use super::provinces::Provinces;
use super::scan::{fold_ws, is_hspace, next_char, prev_char, skip_hspace, thai_run_end, token_end};
use super::words::{Sections, contains_any, ends_with_any, starts_with_any};
use crate::thai::{floor_char, is_consonant, is_word_char};

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
    /// A noble title (พระยา, หลวง): the conferred name is glued to it, no surname.
    Noble,
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
            "noble" => TitleKind::Noble,
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
    title_ac: LazyAc,
    nots: Vec<(String, TitleKind)>,
    not_ac: LazyAc,
    positions: Vec<String>,
    pos_ac: LazyAc,
    long_pos_ac: LazyAc,
    /// Agency abbreviations (`ป.ป.ส.`, `กสม.`) that may continue a position.
    agency_abbrevs: Vec<String>,
    /// `official_words.txt`.
    w: Words,
}

/// Characters that end a title, name or position token.
const TOKEN_STOPS: &[char] = &[',', '(', ')', '"', '“', '”', ';', ':', '\'', '‘', '’'];

/// Sections of `official_words.txt`.
pub(crate) const SECTIONS: &[&str] = &[
    "stop_words",
    "stop_prefixes",
    "not_in_names",
    "private_next",
    "private_glued",
    "left_block",
    "position_cuts",
    "private_left",
    "private_notes",
    "org_words",
    "clause_marks",
    "signed_marks",
];

/// The word lists of `official_words.txt` (see the file for what each one is).
struct Words {
    stop_words: Vec<String>,
    stop_prefixes: Vec<String>,
    not_in_names: Vec<String>,
    private_next: Vec<String>,
    private_glued: Vec<String>,
    left_block: Vec<String>,
    position_cuts: Vec<String>,
    private_left: Vec<String>,
    private_notes: Vec<String>,
    org_words: Vec<String>,
    clause_marks: Vec<String>,
    signed_marks: Vec<String>,
}

impl Words {
    fn parse(sources: &[(&str, &str)]) -> Result<Words, TagError> {
        let mut s = Sections::parse(sources, SECTIONS)?;
        Ok(Words {
            stop_words: s.take("stop_words"),
            stop_prefixes: s.take("stop_prefixes"),
            not_in_names: s.take("not_in_names"),
            private_next: s.take("private_next"),
            private_glued: s.take("private_glued"),
            left_block: s.take("left_block"),
            position_cuts: s.take("position_cuts"),
            private_left: s.take("private_left"),
            private_notes: s.take("private_notes"),
            org_words: s.take("org_words"),
            clause_marks: s.take("clause_marks"),
            signed_marks: s.take("signed_marks"),
        })
    }
}

impl Officials {
    /// Builds the matcher from the title, position and agency lists
    /// (`(file name, content)` pairs, built-in first).
    pub(crate) fn parse(
        titles_src: &[(&str, &str)],
        positions_src: &[(&str, &str)],
        agencies_src: &[(&str, &str)],
        words_src: &[(&str, &str)],
    ) -> Result<Officials, TagError> {
        let w = Words::parse(words_src)?;
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
        let mut b = AhoCorasickBuilder::new();
        b.match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Both)
            .kind(Some(AhoCorasickKind::DFA));
        let title_ac = LazyAc::new(b.clone(), titles.iter().map(|t| t.0.as_str()), "title");
        let not_ac = LazyAc::new(b.clone(), nots.iter().map(|t| t.0.as_str()), "title");
        let pos_ac = LazyAc::new(b.clone(), positions.iter().map(String::as_str), "position");
        let long_pos_ac = LazyAc::new(
            b,
            positions
                .iter()
                .filter(|p| p.chars().count() >= 6 && !p.contains('.'))
                .map(String::as_str),
            "position",
        );
        Ok(Officials {
            titles,
            title_ac,
            nots,
            not_ac,
            positions,
            pos_ac,
            long_pos_ac,
            agency_abbrevs,
            w,
        })
    }

    /// True once every matcher has been compiled.
    #[cfg(test)]
    pub(crate) fn compiled(&self) -> bool {
        self.title_ac.is_built()
            && self.not_ac.is_built()
            && self.pos_ac.is_built()
            && self.long_pos_ac.is_built()
    }

    /// Compiles every matcher now (they are otherwise compiled on first use).
    pub(crate) fn build(&self) -> Result<(), TagError> {
        for ac in [
            &self.title_ac,
            &self.not_ac,
            &self.pos_ac,
            &self.long_pos_ac,
        ] {
            ac.build()?;
        }
        Ok(())
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
        // A longer title wins over a shorter non-title (นายร้อยเอก is a rank, นายร้อย not).
        if self.title_at(text, pos).is_some_and(|(e, _)| e > m.end()) {
            return false;
        }
        match self.nots[m.pattern().as_usize()].1 {
            TitleKind::NotWord => next_char(text, m.end()).is_none_or(|c| !is_word_char(c)),
            _ => true,
        }
    }

    /// True when a position word starts at `pos`.
    fn position_at(&self, text: &str, pos: usize) -> bool {
        self.pos_ac
            .find(Input::new(text).range(pos..).anchored(Anchored::Yes))
            .is_some()
    }

    /// `name` without the titles written before it (`พันตำรวจเอก ทวี สอดส่อง`,
    /// `นายณรงค์ วุ่นซิ่ว`), for matching a name as the tagger stores it; the
    /// whole of `name` when nothing would be left.
    pub(crate) fn strip_titles<'a>(&self, name: &'a str) -> &'a str {
        let mut rest = name.trim_start();
        for _ in 0..4 {
            if self.not_title_at(rest, 0) {
                break;
            }
            match self.title_at(rest, 0) {
                Some((end, _)) if !rest[end..].trim().is_empty() => {
                    rest = rest[end..].trim_start();
                }
                _ => break,
            }
        }
        rest
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
        if kind == TitleKind::Noble {
            return self.parse_noble(text, s, first_end, provinces);
        }
        if ends_with_any(before, &self.w.left_block) {
            return None;
        }
        if first.contains('.') {
            match prev_char(text, s) {
                Some('.') => return None,
                Some(c) if is_word_char(c) && first.chars().filter(|&c| c != '.').count() == 1 => {
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
                // A rank before a noble title: นายพันเอก พระยาพหลพลพยุหเสนา.
                Some((e, TitleKind::Noble)) if !need_rank => {
                    return self.parse_noble(text, s, e, provinces);
                }
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

        // Given name: on the title's line, or on the next line when the title stands
        // alone at the start of its line (a signature block: `พลเอก` ⏎ `ประยุทธ์ ...`).
        let mut g = skip_hspace(text, title_end, 2);
        if text[g..].starts_with('\n') && line_starts_at(text, s, &self.w.signed_marks) {
            g = skip_hspace(text, g + 1, 8);
        }
        let mut g_end = thai_run_end(text, g);
        // An initial as the given name: จอมพล ป. พิบูลสงคราม. After a bare honorific only
        // on a signature line (`นาย บ.` in running text is an anonymised party).
        let initial = (kind != TitleKind::Honorific
            || line_starts_at(text, s, &self.w.signed_marks))
            && text[g..g_end].chars().count() == 1
            && next_char(text, g).is_some_and(is_consonant)
            && text[g_end..].starts_with('.');
        if initial {
            g_end += 1;
        } else if !self.name_token_ok(text, g, g_end, 2, 24) {
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
            if starts_with_any(&text[p..], &self.w.private_notes)
                || (p > name_end && starts_with_any(&text[p..], &self.w.private_next))
                || ends_with_any(&text[..s], &self.w.private_glued)
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
                || (line_starts_at(text, s, &self.w.signed_marks) && text[p..].starts_with('\n'))
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
            if contains_any(window, &self.w.private_left) {
                return None;
            }
        }
        self.finish(text, s, title, name, name_start, name_end, position)
    }

    /// A noble title with its conferred name glued on (`พระยามานวราชเสวี`): a mention
    /// only where a word starts, and only when a position follows or the name closes a
    /// signature line.
    fn parse_noble(
        &self,
        text: &str,
        s: usize,
        title_end: usize,
        provinces: &Provinces,
    ) -> Option<RawOfficial> {
        if prev_char(text, s).is_some_and(|c| !c.is_whitespace() && c != '(') {
            return None;
        }
        let n_end = thai_run_end(text, title_end);
        let n = text[title_end..n_end].chars().count();
        if !(3..=30).contains(&n) || !self.name_token_ok(text, title_end, n_end, 3, 30) {
            return None;
        }
        if self.opens_name(text, title_end) {
            return None;
        }
        let title = fold_ws(&text[s..title_end]);
        let name = text[title_end..n_end].to_string();
        let p = skip_hspace(text, n_end, 3);
        if p > n_end && self.position_at(text, p) {
            let pos = (p, self.position_end(text, p, provinces));
            return self.finish(text, s, title, name, title_end, n_end, Some(pos));
        }
        let line_end = text[n_end..].find('\n').map_or(text.len(), |i| n_end + i);
        if line_starts_at(text, s, &self.w.signed_marks) && text[n_end..line_end].trim().is_empty()
        {
            let pos = self.signature_position(text, n_end, provinces);
            let mut o = self.finish(text, s, title, name, title_end, n_end, pos)?;
            o.end = n_end;
            return Some(o);
        }
        None
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
        if !(is_consonant(first) || matches!(first, 'เ' | 'แ' | 'โ' | 'ใ' | 'ไ')) {
            return false;
        }
        if self.w.stop_words.iter().any(|w| w == tok)
            || starts_with_any(tok, &self.w.stop_prefixes)
            || contains_any(tok, &self.w.not_in_names)
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
        if let Some(cut) = self
            .w
            .position_cuts
            .iter()
            .filter_map(|w| text[p..end].find(w.as_str()))
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
                && tok.chars().all(|c| is_word_char(c) || c == '.');
            let known_abbrev = self.agency_abbrevs.iter().any(|a| a == tok);
            let org = starts_with_any(tok, &self.w.org_words)
                && tok.chars().count() <= 45
                && !contains_any(tok, &self.w.clause_marks)
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
                && !contains_any(tok, &self.w.clause_marks);
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

/// True when only spacing, `(` or a signature mark (`(ลงชื่อ)`, from `signed_marks`)
/// precedes `pos` on its line. Looks back a bounded window, so the test costs
/// the same on a long line: a lead longer than the window is text, not spacing.
fn line_starts_at(text: &str, pos: usize, signed_marks: &[String]) -> bool {
    const WINDOW: usize = 256;
    let from = floor_char(text, pos.saturating_sub(WINDOW));
    let line_start = match text[from..pos].rfind('\n') {
        Some(i) => from + i + 1,
        None if from == 0 => 0,
        None => return false,
    };
    let mut lead = text[line_start..pos].trim_start();
    if let Some(m) = signed_marks.iter().find(|m| lead.starts_with(m.as_str())) {
        lead = &lead[m.len()..];
    }
    lead.chars().all(|c| c.is_whitespace() || c == '(')
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
            &[(
                "official_words.txt",
                include_str!("../../dictionaries/official_words.txt"),
            )],
        )
        .expect("built-in lists parse");
        let p = Provinces::parse(
            &[(
                "provinces.tsv",
                include_str!("../../dictionaries/provinces.tsv"),
            )],
            &[(
                "province_words.txt",
                include_str!("../../dictionaries/province_words.txt"),
            )],
        )
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
    fn signature_block_over_three_lines() {
        // thai-law-667 (Acts countersigned by the Prime Minister).
        let text = "ผู้รับสนองพระบรมราชโองการ\nพลเอก\nประยุทธ์  จันทร์โอชา\nนายกรัฐมนตรี\n";
        let got = find(text);
        assert_eq!(
            got,
            vec![one("พลเอก", "ประยุทธ์ จันทร์โอชา", Some("นายกรัฐมนตรี"))]
        );
        let text = "(ลงชื่อ) พลเอก\nสมชาย ใจดี\nผู้บัญชาการทหารบก\n";
        assert_eq!(
            find(text),
            vec![one("พลเอก", "สมชาย ใจดี", Some("ผู้บัญชาการทหารบก"))]
        );
    }

    #[test]
    fn historic_ranks_and_initials() {
        let text = "ผู้รับสนองพระบรมราชโองการ\nจอมพล ป.  พิบูลสงคราม\nนายกรัฐมนตรี\n";
        assert_eq!(
            find(text),
            vec![one("จอมพล", "ป. พิบูลสงคราม", Some("นายกรัฐมนตรี"))]
        );
        let text = "ผู้รับสนองพระบรมราชโองการ\nพลเรือตรี ถ.  ธำรงนาวาสวัสดิ์\nนายกรัฐมนตรี\n";
        assert_eq!(
            find(text),
            vec![one("พลเรือตรี", "ถ. ธำรงนาวาสวัสดิ์", Some("นายกรัฐมนตรี"))]
        );
        let got = find("โดย พลเรือโท สมศักดิ์ ทองดี ผู้บัญชาการกองเรือยุทธการ เป็นประธาน");
        assert_eq!(
            got,
            vec![one("พลเรือโท", "สมศักดิ์ ทองดี", Some("ผู้บัญชาการกองเรือยุทธการ"))]
        );
    }

    #[test]
    fn noble_titles_and_emeritus() {
        let text =
            "คณะผู้สำเร็จราชการแทนพระองค์\nรังสิต  กรมขุนชัยนาทนเรนทร\nพระยามานวราชเสวี\nให้ไว้ ณ วันที่ ๖\n";
        assert_eq!(find(text), vec![one("พระยา", "มานวราชเสวี", None)]);
        // Not nobles: glued inside words, or words that begin with a noble title.
        assert!(find("สั่งการให้กรมฝนหลวงและการบินเกษตร").is_empty());
        assert!(find("หลวงพ่อคูณ ปริสุทโธ\n").is_empty());
        assert!(find("ขุนนางในราชสำนัก\n").is_empty());
        let got = find("ทำเนียบรัฐบาล ศาสตราจารย์กิตติคุณ ดร.วิษณุ เครืองาม รองนายกรัฐมนตรี เป็นประธาน");
        assert_eq!(
            got,
            vec![one(
                "ศาสตราจารย์กิตติคุณ ดร.",
                "วิษณุ เครืองาม",
                Some("รองนายกรัฐมนตรี")
            )]
        );
        let got =
            find("โดย รองศาสตราจารย์ ดร.สมชาย ใจดี คณบดีคณะนิติศาสตร์ และ ผศ.พญ.สมศรี ใจงาม อาจารย์แพทย์");
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0, "รองศาสตราจารย์ ดร.");
        assert_eq!(got[1].0, "ผศ.พญ.");
        assert_eq!(got[1].1, "สมศรี ใจงาม");
    }

    #[test]
    fn historic_ranks_female_ranks_and_athletes() {
        // thai-law-667 27/303574 (1933): a rank of the time before a noble title.
        let text = "ผู้รับสนองพระบรมราชโองการ\nนายพันเอก พระยาพหลพลพยุหเสนา\nนายกรัฐมนตรี\n";
        assert_eq!(
            find(text),
            vec![one("นายพันเอก พระยา", "พหลพลพยุหเสนา", Some("นายกรัฐมนตรี"))]
        );
        assert_eq!(
            find("โดยมี นายร้อยเอก สมชาย ใจดี ผู้บังคับกองร้อย เป็นประธาน"),
            vec![one("นายร้อยเอก", "สมชาย ใจดี", Some("ผู้บังคับกองร้อย"))]
        );
        assert!(find("นักเรียนนายร้อย ชั้นปีที่ 1").is_empty());
        // A woman's rank: จ.ต.หญิง.
        let got = find("โดย ร.ต.อ.หญิง สมศรี ใจงาม รองสารวัตรสอบสวน เปิดเผยว่า");
        assert_eq!(
            got,
            vec![one("ร.ต.อ.หญิง", "สมศรี ใจงาม", Some("รองสารวัตรสอบสวน"))]
        );
        // Athletes are private persons.
        let text = "เหรียญทองได้จากทีมวิ่งผลัด 4x100เมตรชาย  นักกรีฑาประกอบด้วย นายณฐวรรธ เอี่ยมอุดม(ไม้1), นายสรอรรถ ดาบบัง(ไม้2), นายชยุตม์ คงประสิทธิ์(ไม้3) และนายภูริพล บุญสอน (ไม้ 4) ส่วนเหรียญเงิน ผลงานของนายสุทธิศักดิ์ สิงห์ขรณ์ และ จ.ต.หญิง ศุภานิช พูลเกิด(ไม้2)";
        assert!(find(text).is_empty(), "{:?}", find(text));
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
