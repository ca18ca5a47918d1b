//! Named plans (`แผนสิทธิมนุษยชนแห่งชาติ ฉบับที่ 5 (พ.ศ. 2566-2570)`) and national
//! agendas (`วาระแห่งชาติ "..."`), with edition and period.
//!
//! A phrase starting with `แผน` is a named plan when an edition (`ฉบับที่`, `ระยะที่`) or
//! a period follows it, when it starts with a name from `plans.txt` or one already seen
//! in the document, or when it is a `...แห่งชาติ` name. Generic heads (`แผนงาน`,
//! `แผนระดับจังหวัด`, see the `!` lines of `plans.txt`) never count alone. Short forms
//! (`แผนสิทธิมนุษยชนฯ`, `แผนฯ ฉบับที่ 13`, `วาระแห่งชาติฯ`) are resolved to the plan
//! named earlier in the document and take its name, edition and period.

use std::collections::HashSet;

use aho_corasick::{AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};
use memchr::memmem;

use crate::normalize::fold_digit;
use crate::thai::is_word_char;

use super::TagError;
use super::lazy::LazyAc;
use super::scan::{fold_ws, is_hspace, read_digits, skip_hspace, skip_space_lines};

/// A plan mention in byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawPlan {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) name: String,
    pub(crate) edition: Option<String>,
    pub(crate) period: Option<String>,
}

/// Known plan names and generic heads.
pub(crate) struct Plans {
    known: Vec<String>,
    known_ac: LazyAc,
    generic: HashSet<String>,
}

const PLAN: &str = "แผน";
const AGENDA: &str = "วาระแห่งชาติ";
const NATIONAL: &str = "แห่งชาติ";
const MARKERS: &[&str] = &["ฉบับที่", "ระยะที่"];
/// How many of the latest plan mentions a short mention is resolved against.
const RECENT: usize = 64;

impl Plans {
    /// Parses `plans.txt` content (built-in first, then any user additions).
    pub(crate) fn parse(sources: &[(&str, &str)]) -> Result<Plans, TagError> {
        let mut known = Vec::new();
        let mut generic = HashSet::new();
        for (_, content) in sources {
            for line in content.lines() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                if let Some(g) = line.strip_prefix('!') {
                    generic.insert(g.trim().to_string());
                } else {
                    known.push(line.to_string());
                }
            }
        }
        let mut b = AhoCorasickBuilder::new();
        b.match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored);
        let known_ac = LazyAc::new(b, known.iter().map(String::as_str), "plan");
        Ok(Plans {
            known,
            known_ac,
            generic,
        })
    }

    /// True once every matcher has been compiled.
    #[cfg(test)]
    pub(crate) fn compiled(&self) -> bool {
        self.known_ac.is_built()
    }

    /// Compiles the matcher now (it is otherwise compiled on first use).
    pub(crate) fn build(&self) -> Result<(), TagError> {
        self.known_ac.build()
    }

    /// Known plan names, for the segmenter's lexicon.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.known.iter().map(String::as_str)
    }

    fn is_generic(&self, name: &str) -> bool {
        let base = name.trim_end_matches('ฯ').trim_end();
        self.generic.contains(name) || self.generic.contains(base)
    }

    /// Longest known name that `text[pos..]` starts with.
    fn known_at(&self, text: &str, pos: usize, limit: usize) -> Option<usize> {
        let m = self
            .known_ac
            .find(Input::new(text).range(pos..limit).anchored(Anchored::Yes))?;
        Some(m.end())
    }

    /// Finds plan and agenda mentions, in text order.
    pub(crate) fn find(&self, text: &str) -> Vec<RawPlan> {
        let mut starts: Vec<(usize, bool)> = memmem::find_iter(text.as_bytes(), PLAN.as_bytes())
            .map(|p| (p, false))
            .chain(memmem::find_iter(text.as_bytes(), AGENDA.as_bytes()).map(|p| (p, true)))
            .collect();
        starts.sort_unstable();
        let mut out: Vec<RawPlan> = Vec::new();
        let mut consumed = 0usize;
        for (p, agenda) in starts {
            if p < consumed {
                continue;
            }
            // Short mentions look back over the latest plans only (bounded work).
            let recent = &out[out.len().saturating_sub(RECENT)..];
            let found = if agenda {
                agenda_at(text, p, recent)
            } else {
                self.plan_at(text, p, recent)
            };
            if let Some(plan) = found {
                consumed = plan.end;
                out.push(plan);
            }
        }
        out
    }

    fn plan_at(&self, text: &str, p: usize, seen: &[RawPlan]) -> Option<RawPlan> {
        // Inside a word (`ทำแผนที่`) only when glued to letters that are not a word end;
        // Thai glues words, so only maps and departments are ruled out here.
        let tok_end = plan_token_end(text, p);
        let tok = &text[p..tok_end];
        if tok.starts_with("แผนที่") || (tok.starts_with("แผนก") && !tok.starts_with("แผนการ"))
        {
            return None;
        }
        if tok.contains(AGENDA) {
            return None; // the agenda inside names the plan; tagged on its own
        }
        // 1. A known name (built-in or seen earlier in this document) starts the phrase.
        let mut k_end = self.known_at(text, p, tok_end);
        for s in seen {
            if s.name.starts_with(PLAN) && tok.starts_with(s.name.as_str()) {
                let e = p + s.name.len();
                if k_end.is_none_or(|k| e > k) {
                    k_end = Some(e);
                }
            }
        }
        if let Some(k) = k_end {
            let name = text[p..k].to_string();
            let (edition, period, end) = edition_and_period(text, k, k == tok_end);
            return Some(inherit(p, end, name, edition, period, seen));
        }
        // 2. An edition or period marks a named plan.
        let (name_end, marker) = match MARKERS.iter().filter_map(|m| tok.find(m)).min() {
            Some(i) if i > PLAN.len() => (p + i, true),
            _ => (tok_end, false),
        };
        let mut raw_name = text[p..name_end].trim_end();
        // `แผนปฏิบัติการปี พ.ศ. 2562 - 2564`: the year words belong to the period.
        for tail in ["ประจำปีงบประมาณ", "ปีงบประมาณ", "ประจำปี", "ปี"]
        {
            if let Some(r) = raw_name.strip_suffix(tail)
                && r.chars().count() > 3
            {
                raw_name = r;
                break;
            }
        }
        // A phrase running into another plan's name: let the inner name be read.
        if let Some(i) = raw_name[PLAN.len()..].find(PLAN) {
            let between = &raw_name[PLAN.len()..PLAN.len() + i];
            if !between.ends_with("ภายใต้") {
                return None;
            }
        }
        if raw_name.chars().count() > 90 {
            return None;
        }
        let (edition, period, end) =
            edition_and_period(text, name_end, marker || name_end == tok_end);
        let has_marker = edition.is_some() || period.is_some();
        let short = raw_name.ends_with('ฯ');
        let base = raw_name.trim_end_matches('ฯ').trim_end();
        if self.is_generic(base) && !short && !has_marker {
            return None; // `ระยะครึ่งแผน`, `แผนงาน`: not a name
        }
        if short || self.is_generic(base) {
            // 3. A short or generic form refers to a plan named earlier.
            let found: RawPlan = match resolve(seen, base, edition.as_deref()) {
                Some(f) => f.clone(),
                None if has_marker && !self.is_generic(base) => RawPlan {
                    start: p,
                    end,
                    name: self.unique_known(base)?.to_string(),
                    edition: None,
                    period: None,
                },
                None => return None,
            };
            let same_edition = edition.is_none() || edition == found.edition;
            let end = if has_marker { end } else { name_end };
            return Some(RawPlan {
                start: p,
                end,
                name: found.name.clone(),
                period: period.or_else(|| {
                    if same_edition {
                        found.period.clone()
                    } else {
                        None
                    }
                }),
                edition: edition.or_else(|| found.edition.clone()),
            });
        }
        if has_marker {
            // A shortened name of a plan seen earlier (แผนสิทธิมนุษยชน ฉบับที่ ๕).
            let name = seen
                .iter()
                .rev()
                .find(|s| {
                    s.name.starts_with(base)
                        && s.name.len() > base.len()
                        && (edition.is_none() || s.edition == edition)
                })
                .map(|s| s.name.clone())
                .or_else(|| self.unique_known(base).map(str::to_string))
                .unwrap_or_else(|| fold_ws(base));
            return Some(inherit(p, end, name, edition, period, seen));
        }
        // 4. ...แห่งชาติ names a plan of the nation.
        if let Some(i) = tok.find(NATIONAL) {
            let name = &tok[..i + NATIONAL.len()];
            if name.chars().count() >= 10 && !self.is_generic(name) {
                return Some(inherit(
                    p,
                    p + name.len(),
                    name.to_string(),
                    None,
                    None,
                    seen,
                ));
            }
        }
        None
    }

    /// The single known name starting with `base`, if exactly one does.
    fn unique_known(&self, base: &str) -> Option<&str> {
        let mut it = self.known.iter().filter(|k| k.starts_with(base));
        let first = it.next()?;
        if it.next().is_some() {
            None
        } else {
            Some(first.as_str())
        }
    }
}

/// Mention of `name`, taking edition and period from its latest earlier mention when
/// not written here (the period only for the same edition).
fn inherit(
    start: usize,
    end: usize,
    name: String,
    edition: Option<String>,
    period: Option<String>,
    seen: &[RawPlan],
) -> RawPlan {
    let prev = seen
        .iter()
        .rev()
        .find(|s| s.name == name && (edition.is_none() || s.edition == edition));
    let (edition, period) = match prev {
        Some(prev) => (
            edition.or_else(|| prev.edition.clone()),
            period.or_else(|| prev.period.clone()),
        ),
        None => (edition, period),
    };
    RawPlan {
        start,
        end,
        name,
        edition,
        period,
    }
}

/// The latest plan named earlier whose name starts with `base` (any plan for `แผน`),
/// preferring one with the same edition.
fn resolve<'a>(seen: &'a [RawPlan], base: &str, edition: Option<&str>) -> Option<&'a RawPlan> {
    let matches = |s: &&RawPlan| s.name.starts_with(base) && s.name.starts_with(PLAN);
    if let Some(e) = edition {
        if let Some(s) = seen
            .iter()
            .rev()
            .filter(matches)
            .find(|s| s.edition.as_deref() == Some(e))
        {
            return Some(s);
        }
        if base == PLAN {
            return None; // `แผน ฉบับที่ 5` names no plan unless edition 5 was seen
        }
    }
    seen.iter().rev().find(matches)
}

/// End of a plan phrase token: Thai letters and `ฯ`.
fn plan_token_end(text: &str, pos: usize) -> usize {
    let mut p = pos;
    for c in text[pos..].chars() {
        if !(is_word_char(c) || c == 'ฯ') {
            break;
        }
        p += c.len_utf8();
    }
    p
}

/// Edition (after ฉบับที่/ระยะที่) and period written at `pos`: (edition, period, end).
/// With `spaced`, the marker may follow after whitespace.
fn edition_and_period(
    text: &str,
    pos: usize,
    spaced: bool,
) -> (Option<String>, Option<String>, usize) {
    let mut end = pos;
    let mut edition = None;
    let p = if spaced {
        skip_hspace(text, pos, 2)
    } else {
        pos
    };
    if let Some(m) = MARKERS.iter().find(|m| text[p..].starts_with(**m)) {
        let q = skip_hspace(text, p + m.len(), 2);
        if let Some((n, n_end)) = read_digits(text, q) {
            let n = n.trim_start_matches('0');
            if !n.is_empty() && n.len() <= 3 {
                edition = Some(n.to_string());
                end = n_end;
            }
        }
    }
    let mut period = None;
    if edition.is_some() || spaced {
        // The period may stand on the next line: `แผน…ฉบับที่ 3` ⏎ `พ.ศ. 2565 – 2569`.
        let q = if edition.is_some() {
            skip_space_lines(text, end, 1)
        } else {
            skip_hspace(text, end, 2)
        };
        if let Some((per, per_end)) = period_at(text, q) {
            period = Some(per);
            end = per_end;
        } else if text[q..].starts_with('(') {
            // An abbreviation in parentheses before the period: (ววน.) พ.ศ. 2563-2565.
            if let Some(close) = text[q..].find(')') {
                let inner = &text[q + 1..q + close];
                if inner.chars().count() <= 12 && inner.chars().all(|c| is_word_char(c) || c == '.')
                {
                    let r = skip_hspace(text, q + close + 1, 2);
                    if let Some((per, per_end)) = period_at(text, r) {
                        period = Some(per);
                        end = per_end;
                    }
                }
            }
        }
    }
    (edition, period, end)
}

/// A period `(พ.ศ. 2566-2570)`, `พ.ศ. ๒๕๖๒ – ๒๕๖๖`, `(ค.ศ. 2023-2027)` at `pos`:
/// ("YYYY-YYYY" in B.E., end).
fn period_at(text: &str, pos: usize) -> Option<(String, usize)> {
    let mut p = pos;
    let paren = text[p..].starts_with('(');
    if paren {
        p = skip_hspace(text, p + 1, 2);
    }
    let mut ce = false;
    let mut era = false;
    // `(ปี 2566 - 2570)`, `(ปี พ.ศ. 2566-2570)`: years of the Buddhist Era.
    if text[p..].starts_with("ปี") && !text[p..].starts_with("ปีงบ") {
        p = skip_hspace(text, p + "ปี".len(), 2);
        era = true;
    }
    for (k, is_ce) in [
        ("พ.ศ.", false),
        ("พ.ศ", false),
        ("ค.ศ.", true),
        ("ค.ศ", true),
    ] {
        if text[p..].starts_with(k) {
            p = skip_hspace(text, p + k.len(), 2);
            ce = is_ce;
            era = true;
            break;
        }
    }
    let (y1, e1) = read_digits(text, p)?;
    if y1.len() != 4 {
        return None;
    }
    let q = skip_hspace(text, e1, 2);
    let dash = ['-', '–', '—', '‐', '−']
        .into_iter()
        .find(|d| text[q..].starts_with(*d))?;
    let mut r = skip_hspace(text, q + dash.len_utf8(), 2);
    for k in ["พ.ศ.", "ค.ศ."] {
        if text[r..].starts_with(k) {
            r = skip_hspace(text, r + k.len(), 2);
        }
    }
    let (y2, e2) = read_digits(text, r)?;
    let y2 = match y2.len() {
        4 => y2,
        2 => format!("{}{y2}", &y1[..2]),
        _ => return None,
    };
    let (mut a, mut b): (u32, u32) = (y1.parse().ok()?, y2.parse().ok()?);
    if ce {
        a += 543;
        b += 543;
    }
    if !(2400..=2800).contains(&a) || b < a || b - a > 40 {
        return None;
    }
    if !era && !paren {
        return None; // bare `2566-2570` after a name is too weak alone
    }
    let mut end = e2;
    if paren {
        let c = skip_hspace(text, e2, 2);
        if !text[c..].starts_with(')') {
            return None;
        }
        end = c + 1;
    }
    Some((format!("{a}-{b}"), end))
}

/// `วาระแห่งชาติ “...”`, or a later short mention of an agenda seen earlier.
fn agenda_at(text: &str, a: usize, seen: &[RawPlan]) -> Option<RawPlan> {
    let after = a + AGENDA.len();
    if text[after..].starts_with('ฯ') {
        let prev = seen.iter().rev().find(|s| s.name.starts_with(AGENDA))?;
        return Some(RawPlan {
            start: a,
            end: after + 'ฯ'.len_utf8(),
            name: prev.name.clone(),
            edition: None,
            period: None,
        });
    }
    let q = skip_hspace(text, after, 2);
    let open = text[q..].chars().next()?;
    let close = match open {
        '“' => Some('”'),
        '"' => Some('"'),
        '«' => Some('»'),
        '‘' => Some('’'),
        _ => None,
    };
    if let Some(close) = close {
        let inner_start = q + open.len_utf8();
        // An inner text over 150 characters is refused below: look for the
        // line end and the closing quote no further (a long line made this
        // quadratic).
        let mut horizon = (inner_start + 4 * 152).min(text.len());
        while !text.is_char_boundary(horizon) {
            horizon -= 1;
        }
        let line_end = text[inner_start..horizon]
            .find('\n')
            .map_or(horizon, |i| inner_start + i);
        let rel = text[inner_start..line_end].find(close)?;
        let inner = &text[inner_start..inner_start + rel];
        if inner.trim().is_empty() || inner.chars().count() > 150 {
            return None;
        }
        return Some(RawPlan {
            start: a,
            end: inner_start + rel + close.len_utf8(),
            name: agenda_name(inner),
            edition: None,
            period: None,
        });
    }
    // Unquoted: the title of an agenda named earlier, written after วาระแห่งชาติ.
    for s in seen.iter().rev() {
        let Some(title) = s
            .name
            .strip_prefix(AGENDA)
            .map(|t| t.trim().trim_matches('"'))
        else {
            continue;
        };
        if let Some(end) = folded_prefix_end(text, q, title) {
            return Some(RawPlan {
                start: a,
                end,
                name: s.name.clone(),
                edition: None,
                period: None,
            });
        }
    }
    None
}

/// `วาระแห่งชาติ "<title>"` with digits folded and whitespace collapsed.
fn agenda_name(inner: &str) -> String {
    let folded: String = inner.chars().map(fold_digit).collect();
    format!("{AGENDA} \"{}\"", fold_ws(&folded))
}

/// End byte of `title` written at `pos` with any digits and spacing (None if absent).
fn folded_prefix_end(text: &str, pos: usize, title: &str) -> Option<usize> {
    let mut want = title.chars().filter(|c| !c.is_whitespace()).peekable();
    let mut p = pos;
    for c in text[pos..].chars() {
        if want.peek().is_none() {
            break;
        }
        if is_hspace(c) {
            p += c.len_utf8();
            continue;
        }
        if Some(&fold_digit(c)) != want.peek() {
            return None;
        }
        want.next();
        p += c.len_utf8();
    }
    if want.peek().is_none() { Some(p) } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plans() -> Plans {
        Plans::parse(&[("plans.txt", include_str!("../../dictionaries/plans.txt"))])
            .expect("built-in plan list parses")
    }

    fn find(text: &str) -> Vec<(String, Option<String>, Option<String>, String)> {
        plans()
            .find(text)
            .into_iter()
            .map(|p| {
                (
                    p.name,
                    p.edition,
                    p.period,
                    text[p.start..p.end].to_string(),
                )
            })
            .collect()
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn period_on_the_next_line_or_after_pi() {
        let got = find("ตามแผนสิทธิมนุษยชนแห่งชาติ ฉบับที่ 5\nพ.ศ. 2566 – 2570\nกำหนดให้");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].1, s("5"));
        assert_eq!(got[0].2, s("2566-2570"));
        let got = find("แผนสิทธิมนุษยชนแห่งชาติ ฉบับที่ 5 (ปี 2566 - 2570) ได้กำหนด");
        assert_eq!(got[0].2, s("2566-2570"));
        // A bare line of years after a plan without an edition is not its period.
        let got = find("แผนสิทธิมนุษยชนแห่งชาติ\n2566 – 2570 คน");
        assert_eq!(got[0].2, None);
    }

    #[test]
    fn edition_and_period_forms() {
        let got = find(
            "ผ่านกลไกแผนสิทธิมนุษยชนแห่งชาติฉบับที่ 5 (พ.ศ. 2566-2570) และแผนธุรกิจกับสิทธิมนุษยชน ระยะที่ 2 (พ.ศ. 2566-2570) โครงการ",
        );
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0],
            (
                "แผนสิทธิมนุษยชนแห่งชาติ".into(),
                s("5"),
                s("2566-2570"),
                "แผนสิทธิมนุษยชนแห่งชาติฉบับที่ 5 (พ.ศ. 2566-2570)".into()
            )
        );
        assert_eq!(got[1].0, "แผนธุรกิจกับสิทธิมนุษยชน");
        assert_eq!(
            (got[1].1.clone(), got[1].2.clone()),
            (s("2"), s("2566-2570"))
        );

        let got = find("แผนปฏิบัติการระดับชาติว่าด้วยธุรกิจกับสิทธิมนุษยชน ระยะที่ ๒ (พ.ศ. ๒๕๖๖ – ๒๕๗๐)");
        assert_eq!(
            (got[0].0.as_str(), got[0].1.clone(), got[0].2.clone()),
            (
                "แผนปฏิบัติการระดับชาติว่าด้วยธุรกิจกับสิทธิมนุษยชน",
                s("2"),
                s("2566-2570")
            )
        );
        let got = find("ตามแผนสิทธิมนุษยชนแห่งชาติฉบับที่ ๔ พ.ศ. ๒๕๖๒ – ๒๕๖๖");
        assert_eq!(
            (got[0].1.clone(), got[0].2.clone()),
            (s("4"), s("2562-2566"))
        );
        let got = find("แผนอนุรักษ์พะยูนแห่งชาติ ระยะที่1 (พ.ศ.2563-2565) และ");
        assert_eq!(
            (got[0].1.clone(), got[0].2.clone()),
            (s("1"), s("2563-2565"))
        );
        let got = find("แผนด้านวิทยาศาสตร์วิจัยและนวัตกรรม (ววน.) พ.ศ. 2563-2565 พบว่า");
        assert_eq!(
            (got[0].0.as_str(), got[0].2.clone()),
            ("แผนด้านวิทยาศาสตร์วิจัยและนวัตกรรม", s("2563-2565"))
        );
    }

    #[test]
    fn later_short_mentions_inherit() {
        let text = "เห็นชอบ (ร่าง) แผนสิทธิมนุษยชนแห่งชาติ ฉบับที่ 5 (พ.ศ. 2566-2570) ตามที่เสนอ ทั้งนี้ แผนสิทธิมนุษยชนแห่งชาติ ฉบับที่ 5 จำแนก และแผนสิทธิมนุษยชนฯ โดยมีตัวชี้วัด ต่อมา แผนสิทธิมนุษยชนแห่งชาติ เป็นเครื่องมือ";
        let got = find(text);
        assert_eq!(got.len(), 4);
        for g in &got {
            assert_eq!(g.0, "แผนสิทธิมนุษยชนแห่งชาติ");
            assert_eq!((g.1.clone(), g.2.clone()), (s("5"), s("2566-2570")));
        }
        assert_eq!(got[2].3, "แผนสิทธิมนุษยชนฯ");
        let got = find(
            "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ ฉบับที่ 13 (พ.ศ. 2566-2570) ดำเนินการ ตามแผนพัฒนาฯ ฉบับที่ 13 ในหมุดหมาย",
        );
        assert_eq!(got[1].0, "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ");
        assert_eq!(got[1].2, s("2566-2570"));
    }

    #[test]
    fn generic_phrases_are_not_plans() {
        for t in [
            "แนวทางการจัดทำแผนระดับจังหวัด ผ่านกลไก",
            "การขับเคลื่อนนโยบายและแผนงานด้านสิทธิมนุษยชนให้สอดคล้อง",
            "จัดทำแผนปฏิบัติการให้สอดคล้องกับมาตรการ",
            "แผนที่แนวเขตที่ดินของรัฐแบบบูรณาการ มาตราส่วน 1 : 4000",
            "ศาลฎีกาแผนกคดีอาญาของผู้ดำรงตำแหน่งทางการเมือง",
            "ประชุมคณะอนุกรรมการแผนการบริหารจัดการทรัพยากรทางทะเลและชายฝั่งทะเล ครั้งที่ 1/2566",
        ] {
            assert!(find(t).is_empty(), "{t}: {:?}", find(t));
        }
    }

    #[test]
    fn national_agendas() {
        let text = "เรื่อง ติดตามรายงานผลการปฏิบัติตามวาระแห่งชาติ “สิทธิมนุษยชนร่วมขับเคลื่อน Thailand ๔.๐ เพื่อการพัฒนาที่ยั่งยืน” ประจำปี และนำวาระแห่งชาติฯ ไปสู่การปฏิบัติ";
        let got = find(text);
        assert_eq!(got.len(), 2);
        let name = "วาระแห่งชาติ \"สิทธิมนุษยชนร่วมขับเคลื่อน Thailand 4.0 เพื่อการพัฒนาที่ยั่งยืน\"";
        assert_eq!(got[0].0, name);
        assert_eq!(got[1].0, name);
        assert_eq!(got[1].3, "วาระแห่งชาติฯ");
        assert!(find("ถือเป็นวาระแห่งชาติ ในการมุ่งมั่นแก้ไขปัญหา").is_empty());
    }

    #[test]
    fn nested_and_national_names() {
        let got = find("อนุมัติหลักการแผนการก่อสร้างสนามกีฬาอำเภอ ระยะที่ 2 (พ.ศ. 2567 - 2576) และ");
        assert_eq!(
            got[0],
            (
                "แผนการก่อสร้างสนามกีฬาอำเภอ".into(),
                s("2"),
                s("2567-2576"),
                "แผนการก่อสร้างสนามกีฬาอำเภอ ระยะที่ 2 (พ.ศ. 2567 - 2576)".into()
            )
        );
        let got = find("แผนปฏิบัติการภายใต้แผนพัฒนาการกีฬาแห่งชาติ ฉบับที่ 7 (พ.ศ. 2566 - 2570)");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, s("7"));
        let got = find("การขับเคลื่อนแผนปฏิบัติการแห่งชาติเพื่ออนุรักษ์เสือโคร่ง จนทำให้");
        assert_eq!(got[0].0, "แผนปฏิบัติการแห่งชาติเพื่ออนุรักษ์เสือโคร่ง");
        assert!(find("แผนปฏิบัติการแห่งชาติประกอบด้วยแผนนิติบัญญัติ").len() <= 1);
    }
}
