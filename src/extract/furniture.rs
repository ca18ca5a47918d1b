//! Page furniture removal for scraped text, and title guessing.
//!
//! Scraped pages carry more than the article: size pickers and share buttons,
//! view counters, login forms, copyright footers, menus, visitor counters,
//! bylines with empty fields, the headline repeated with the site's name.
//! Removal may take only what it can prove is furniture; everything else is
//! the document's text and stays. The rules work on whole lines and general
//! features, with a few word lists (interface words, copyright phrases) read
//! from `dictionaries/furniture.txt` (a user's `furniture.txt` in `--dict`
//! adds to them, [`extend_phrases`]):
//!
//! * every line gets a class: **good** (running Thai text of at least
//!   [`PROTECTED_THAI_CHARS`] characters, or a long Latin sentence),
//!   **strong** furniture (copyright, counters, lines made only of
//!   web-interface words, stylesheet code), **bad** (form fields with no
//!   value, metadata lines whose values are empty, link menus, the Unix-epoch
//!   placeholder date), **weak** (short Latin word lists in a Thai document),
//!   **symbols** (no letter or digit at all) or **neutral**;
//! * the headline repeated at the top collapses to one line (a copy of an
//!   earlier head line, long enough to be a headline, with only furniture or
//!   dates between the copies), and a site name glued before or after it is
//!   cut; any other repeated line — a date, a name, a signature block, a table
//!   cell — is the document's own text and stays;
//! * after the last paragraph, everything from the first strong line on is
//!   footer;
//! * elsewhere a neutral line goes only when furniture surrounds it on both
//!   sides, and a weak or symbol line goes when furniture is next to it on
//!   either side;
//! * a document never ends with less than its body: when removal would leave
//!   nothing, or only the title, every line is kept.
//!
//! A good line is never removed unless it repeats the headline, so every
//! sentence of the article survives.

use std::borrow::Cow;
use std::sync::OnceLock;

use once_cell::sync::Lazy;
use regex::Regex;

use crate::normalize::{is_digit, is_thai};
use crate::thai::is_word_char;

/// Lines with at least this many Thai letters in one run of text are
/// article text and are never removed (unless an exact repeat of the title).
pub const PROTECTED_THAI_CHARS: usize = 40;

/// A line this long ends the search for the footer: furniture after the
/// last such paragraph is the page's footer.
const PARAGRAPH_THAI_CHARS: usize = 100;

/// How many non-blank lines at the top may hold repeated headlines.
const HEAD_WINDOW: usize = 15;

/// A repeated line shorter than this (in characters) is never taken for a
/// repeated headline: short repeats are dates, names and labels.
const HEADLINE_CHARS: usize = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Blank,
    Symbol,
    Good,
    Neutral,
    Weak,
    Bad,
    Strong,
}

impl Class {
    fn is_furniture(self) -> bool {
        matches!(self, Class::Bad | Class::Strong)
    }
    fn is_anchor(self) -> bool {
        matches!(self, Class::Good | Class::Bad | Class::Strong)
    }
}

struct Line<'a> {
    text: Cow<'a, str>,
    class: Class,
    keep: bool,
}

/// Scraped text after cleaning, with the headline when one was repeated.
pub(crate) struct Cleaned {
    /// Text without furniture.
    pub text: String,
    /// The headline, when the page repeated it.
    pub headline: Option<String>,
}

/// Removes page furniture from scraped text (see the module documentation).
/// Lines are trimmed; runs of blank lines become one blank line.
pub fn remove_furniture(text: &str) -> String {
    clean(text).text
}

/// Removes furniture and reports the repeated headline.
pub(crate) fn clean(text: &str) -> Cleaned {
    let thai_doc = is_thai_document(text);
    let mut lines: Vec<Line> = text
        .lines()
        .map(|l| {
            let t = l.trim();
            Line {
                text: Cow::Borrowed(t),
                class: classify(t, thai_doc),
                keep: true,
            }
        })
        .collect();
    mark_key_value_blocks(&mut lines);
    let headline = collapse_repeats(&mut lines);
    cut_footer(&mut lines, thai_doc);
    drop_by_context(&mut lines);

    let mut out = join_lines(&lines, text.len(), false);
    // Never less than the body: when removal would leave nothing, or only
    // the title, of a document with content, keep every line.
    let content = |l: &&Line| l.class != Class::Blank && is_meaningful(&l.text);
    let had = lines.iter().filter(content).take(2).count();
    let left = lines
        .iter()
        .filter(|l| l.keep)
        .filter(content)
        .take(2)
        .count();
    if left < had {
        out = join_lines(&lines, text.len(), true);
    }
    Cleaned {
        text: out,
        headline,
    }
}

/// The kept lines (or all lines when `all`), trimmed, blank runs as one blank line.
fn join_lines(lines: &[Line], capacity: usize, all: bool) -> String {
    let mut out = String::with_capacity(capacity);
    let mut blank = false;
    for l in lines.iter().filter(|l| all || l.keep) {
        if l.class == Class::Blank {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if blank {
                out.push('\n');
            }
        }
        blank = false;
        out.push_str(&l.text);
    }
    out
}

/// Guesses a title from cleaned text: a headline repeated as the start of
/// the next line, a letter's `เรื่อง` line when the text opens with a short
/// heading, else the first line with letters that is not only a date.
pub fn title_of(text: &str) -> Option<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(40)
        .collect();
    // Headline followed by the lead that repeats and extends it.
    for pair in lines.windows(2).take(8) {
        if pair[0].chars().count() >= 15
            && is_meaningful(pair[0])
            && pair[1].len() > pair[0].len()
            && pair[1].starts_with(pair[0])
            && let Some(title) = as_title(pair[0])
        {
            return Some(title);
        }
    }
    let first = lines.iter().position(|l| is_meaningful(l))?;
    if let Some(t) = act_title(&lines[first..]).and_then(|t| as_title(&t)) {
        return Some(t);
    }
    let first_line = lines[first];
    if first_line.chars().count() < 25 {
        let subject = lines
            .iter()
            .skip(first + 1)
            .take(15)
            .find(|l| l.starts_with("เรื่อง") && l.chars().count() > 8);
        if let Some(title) = subject.and_then(|s| as_title(s)) {
            return Some(title);
        }
    }
    as_title(first_line)
}

/// The title of an Act, decree or ministerial regulation from its heading, when the text
/// opens with one.
pub(crate) fn act_title_of(text: &str) -> Option<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(8)
        .collect();
    let first = lines.iter().position(|l| is_meaningful(l))?;
    act_title(&lines[first..]).and_then(|t| as_title(&t))
}

/// Kinds of law whose heading runs over the lines down to its year.
const LAW_HEADS: &[&str] = &["พระราชบัญญัติ", "พระราชกำหนด", "พระราชกฤษฎีกา", "กฎกระทรวง"];

/// An Act's title from its heading lines: `พระราชบัญญัติ` ⏎ `ยกทัณฑ์…` ⏎ `พ.ศ. ๒๔๘๙` →
/// `พระราชบัญญัติยกทัณฑ์… พ.ศ. ๒๔๘๙`, never the King's name signed under it.
fn act_title(lines: &[&str]) -> Option<String> {
    let head = *lines.first()?;
    if !LAW_HEADS.iter().any(|h| head.starts_with(h)) || head.chars().count() > 80 {
        return None;
    }
    let strip_note = |l: &str| -> String {
        match l.rfind('[') {
            Some(i) if l.ends_with(']') => l[..i].trim_end().to_string(),
            _ => l.to_string(),
        }
    };
    let is_year = |l: &str| {
        ["พ.ศ.", "พุทธศักราช"].iter().any(|era| {
            l.strip_prefix(era)
                .is_some_and(|y| !y.trim().is_empty() && y.trim().chars().all(is_digit))
        })
    };
    let mut title = strip_note(head);
    for line in lines.iter().skip(1).take(4) {
        let line = strip_note(line);
        if is_year(&line) {
            title.push(' ');
            title.push_str(&line);
            return Some(title);
        }
        if line.chars().count() > 80 || LAW_HEADS.iter().any(|h| line == *h) {
            break;
        }
        // Thai words wrap without a space; a number keeps its own (ฉลอง ๒๕ พุทธศตวรรษ).
        if title.ends_with(is_digit) {
            title.push(' ');
        }
        title.push_str(&line);
    }
    None
}

/// A line as a title, whitespace folded; `None` when it is longer than a
/// title can be (a paragraph opening the text is not a title, and a cut
/// paragraph would be shown as one).
fn as_title(s: &str) -> Option<String> {
    const MAX: usize = 300;
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (s.chars().count() <= MAX).then_some(s)
}

/// A line worth a title: at least two letters and not just a date stamp.
fn is_meaningful(line: &str) -> bool {
    // Counting stops at two: a line may be a whole book.
    line.chars().filter(|c| c.is_alphabetic()).nth(1).is_some() && !DATE_ONLY.is_match(line)
}

static DATE_ONLY: Lazy<Regex> = Lazy::new(|| {
    Regex::new(concat!(
        r"^(?:วัน\S*ที่\s*)?[0-9๐-๙]{1,2}\s*",
        r"(?:ม\.?ค\.?|ก\.?พ\.?|มี\.?ค\.?|เม\.?ย\.?|พ\.?ค\.?|มิ\.?ย\.?|ก\.?ค\.?|ส\.?ค\.?|ก\.?ย\.?|ต\.?ค\.?|พ\.?ย\.?|ธ\.?ค\.?|",
        r"มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม)",
        r"\s*(?:พ\.ศ\.\s*)?[0-9๐-๙]{2,4}[\s0-9๐-๙:.น/-]*$"
    ))
    .expect("literal pattern")
});

/// Placeholder dates: the Unix epoch (1 January 1970, B.E. 2513) printed by
/// a CMS for an empty date field.
static EPOCH_DATE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(concat!(
        r"^(?:วัน\S*ที่\s*)?(?:0?1|๐?๑)\s*(?:มกราคม|ม\.ค\.)\s*(?:พ\.ศ\.\s*)?(?:2513|๒๕๑๓|1970)",
        r"|^(?:0?1|๐?๑)[/.-](?:0?1|๐?๑)[/.-](?:2513|๒๕๑๓|1970)",
        r"|^1970-01-01"
    ))
    .expect("literal pattern")
});

/// `key : 123` — a view or visit counter.
static COUNTER: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^([^:：]{1,30}?)\s*[:：]\s*[0-9๐-๙][0-9๐-๙,]*$").expect("literal pattern")
});

/// `key :` with nothing after it.
static EMPTY_KEY: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"^([^:：]{1,40}?)\s*[:：]$").expect("literal pattern"));

/// `key : value` (a form or metadata field).
static KEY_VALUE: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"^([^:：]{1,40}?)\s*[:：]").expect("literal pattern"));

/// Stylesheet or script text that leaked into the page text.
static CODE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^(?:[#.@]?[A-Za-z][\w.#:\- ,>]*\{[^{}]*:[^{}]*\}?|<!--.*|//\s*<!\[CDATA\[.*)$")
        .expect("literal pattern")
});

/// The furniture phrase lists (`dictionaries/furniture.txt`), parsed once.
struct Phrases {
    /// Web-interface words that are rarely anything else: a line made only
    /// of these and `filler` words, with at least one of these, is a button,
    /// link or form label.
    core: Vec<String>,
    /// Words seen in interface labels that are also ordinary words: they
    /// count only beside a `core` word.
    filler: Vec<String>,
    /// A line containing one of these (lowercased) is a copyright notice.
    copyright: Vec<String>,
}

const FURNITURE_TXT: &str = include_str!("../../dictionaries/furniture.txt");

/// The lists in use: the built-in file, plus the user's additions when
/// [`extend_phrases`] came first.
static PHRASES: OnceLock<(String, Phrases)> = OnceLock::new();

fn phrases() -> &'static Phrases {
    &PHRASES
        .get_or_init(|| (String::new(), parse_phrases(FURNITURE_TXT)))
        .1
}

/// Adds a user's furniture list (same format as `dictionaries/furniture.txt`)
/// to the built-in one, for the rest of the process. The lists are fixed
/// once a document has been cleaned: returns false when they are already in
/// use without exactly these additions.
pub fn extend_phrases(user: &str) -> bool {
    let (have, _) = PHRASES.get_or_init(|| {
        let both = format!("{FURNITURE_TXT}\n{user}");
        (user.to_string(), parse_phrases(&both))
    });
    have == user
}

/// Reads `PHRASE<TAB>KIND` lines; an unknown kind or a line without one is
/// skipped (the list is compiled in and checked by a test).
fn parse_phrases(text: &str) -> Phrases {
    let mut p = Phrases {
        core: Vec::new(),
        filler: Vec::new(),
        copyright: Vec::new(),
    };
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((phrase, kind)) = line.split_once('\t') else {
            continue;
        };
        let phrase = phrase.trim().to_lowercase();
        if phrase.is_empty() {
            continue;
        }
        match kind.trim() {
            "core" => p.core.push(phrase),
            "filler" => p.filler.push(phrase),
            "copyright" => p.copyright.push(phrase),
            _ => {}
        }
    }
    p
}

/// True when Thai letters make up at least 30% of the letters.
fn is_thai_document(text: &str) -> bool {
    let (mut thai, mut letters) = (0usize, 0usize);
    for c in text
        .chars()
        // Thai first: `is_alphabetic` is a slow table lookup outside ASCII.
        .filter(|c| is_word_char(*c) || c.is_alphabetic())
    {
        letters += 1;
        if is_word_char(c) {
            thai += 1;
        }
    }
    letters > 0 && thai * 10 >= letters * 3
}

/// Separators of link menus and breadcrumbs.
fn is_menu_separator(c: char) -> bool {
    matches!(c, '|' | '•' | '·' | '»' | '›' | '>' | '¦')
}

/// Thai letters in the longest run of the line between menu separators.
#[cfg(test)]
fn running_thai(line: &str) -> usize {
    line.split(is_menu_separator)
        .map(|seg| seg.chars().filter(|c| is_word_char(*c)).count())
        .max()
        .unwrap_or(0)
}

/// Whether some run of the line between menu separators holds at least `min`
/// Thai letters; stops reading as soon as one does (most lines are long prose).
fn has_running_thai(line: &str, min: usize) -> bool {
    let mut run = 0;
    for c in line.chars() {
        if is_menu_separator(c) {
            run = 0;
        } else if is_word_char(c) {
            run += 1;
            if run >= min {
                return true;
            }
        }
    }
    false
}

fn classify(line: &str, thai_doc: bool) -> Class {
    if line.is_empty() {
        return Class::Blank;
    }
    if !line.chars().any(|c| is_thai(c) || c.is_alphanumeric()) {
        return Class::Symbol;
    }
    if has_running_thai(line, PROTECTED_THAI_CHARS) {
        return Class::Good;
    }
    // A Latin sentence: running text in a Latin document, and the English
    // version of an article in a Thai one.
    if line.len() >= 50 && line.split_whitespace().nth(7).is_some() {
        let letters = line.chars().filter(|c| c.is_alphabetic()).nth(49).is_some();
        if letters && !is_copyright(line) && !CODE.is_match(line) {
            return Class::Good;
        }
    }
    if is_copyright(line) || is_counter(line) || is_ui_line(line) || CODE.is_match(line) {
        return Class::Strong;
    }
    if is_empty_metadata(line)
        || is_menu(line)
        || (line.chars().count() <= 40 && EPOCH_DATE.is_match(line))
    {
        return Class::Bad;
    }
    if thai_doc && is_latin_word_list(line) {
        return Class::Weak;
    }
    Class::Neutral
}

fn is_copyright(line: &str) -> bool {
    let phrases = &phrases().copyright;
    // Lowercasing is needed only for lines with Latin letters; most have none.
    if line.bytes().any(|b| b.is_ascii_alphabetic()) {
        let lower = line.to_lowercase();
        phrases.iter().any(|p| lower.contains(p.as_str()))
    } else {
        phrases.iter().any(|p| line.contains(p.as_str()))
    }
}

fn is_counter(line: &str) -> bool {
    COUNTER
        .captures(line)
        .and_then(|c| c.get(1))
        .is_some_and(|k| {
            let key = k.as_str();
            key.chars().any(char::is_alphabetic) && key.split_whitespace().count() <= 3
        })
}

/// A line made only of interface words, with at least one meaningful one.
fn is_ui_line(line: &str) -> bool {
    let core = |c: char| is_thai(c) || c.is_alphanumeric() || c == '-';
    let mut tokens: Vec<String> = Vec::new();
    for t in line.split_whitespace() {
        let t = t.trim_matches(|c: char| !core(c));
        if t.is_empty() {
            continue;
        }
        // More than ten words is never a UI line: stop before lowercasing the rest.
        if tokens.len() == 10 {
            return false;
        }
        tokens.push(t.to_lowercase());
    }
    if tokens.is_empty() {
        return false;
    }
    let mut core = false;
    for t in &tokens {
        match ui_cover(t) {
            Some(has_core) => core |= has_core,
            None => return false,
        }
    }
    core
}

/// Whether a token is a concatenation of interface words (Thai is written
/// without spaces); `Some(true)` when one of them is a core word (see
/// `dictionaries/furniture.txt`).
fn ui_cover(token: &str) -> Option<bool> {
    let n = token.len();
    // best[i]: token[..i] can be covered; the bool records a core word.
    let mut best: Vec<Option<bool>> = vec![None; n + 1];
    best[0] = Some(false);
    for i in 0..n {
        let Some(core_so_far) = best[i] else { continue };
        if !token.is_char_boundary(i) {
            continue;
        }
        let rest = &token[i..];
        let p = phrases();
        for (list, is_core) in [(&p.core, true), (&p.filler, false)] {
            for w in list.iter() {
                if rest.starts_with(w) {
                    let j = i + w.len();
                    let v = core_so_far || is_core;
                    if best[j] != Some(true) {
                        best[j] = Some(v);
                    }
                }
            }
        }
    }
    best[n]
}

/// Several `key:` fields on one line, at least one of them empty
/// (`เผยแพร่:   ปรับปรุง:   โดย: ...`).
fn is_empty_metadata(line: &str) -> bool {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let is_key = |t: &str| t.len() > 1 && (t.ends_with(':') || t.ends_with('：'));
    let mut keys = 0;
    let mut empty = 0;
    for (i, t) in tokens.iter().enumerate() {
        let key_here = is_key(t) || (*t == ":" && i > 0);
        if !key_here {
            continue;
        }
        keys += 1;
        match tokens.get(i + 1) {
            None => empty += 1,
            Some(next) if is_key(next) => empty += 1,
            Some(next) if i + 2 < tokens.len() && (tokens[i + 2] == ":") && !next.is_empty() => {
                // `a : b :` — b is the next key, so this value is empty.
                empty += 1;
            }
            _ => {}
        }
    }
    keys >= 2 && empty >= 1
}

/// A link menu or breadcrumb: two or more short items between separators.
fn is_menu(line: &str) -> bool {
    let items: Vec<&str> = line
        .split(is_menu_separator)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let separators = line.chars().filter(|c| is_menu_separator(*c)).count();
    separators >= 1
        && items.len() >= 2
        && items
            .iter()
            .all(|s| s.split_whitespace().count() <= 4 && s.chars().count() <= 40)
}

/// A few Latin words and nothing else (no digits, addresses or URLs).
fn is_latin_word_list(line: &str) -> bool {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    if tokens.is_empty()
        || tokens.len() > 8
        || line.chars().any(|c| is_thai(c) || c.is_ascii_digit())
    {
        return false;
    }
    if line.contains('@') || line.contains("://") || line.contains("www.") {
        return false;
    }
    tokens
        .iter()
        .any(|t| t.chars().any(|c| c.is_ascii_alphabetic()))
        && tokens.iter().all(|t| {
            t.chars().all(|c| {
                c.is_alphabetic() || matches!(c, '-' | '&' | '+' | '•' | '!' | ',' | '\'' | '.')
            })
        })
}

/// Marks `key :` lines with no value as furniture when they stand inside a
/// block of fields (the lines before and after are also `key : ...`).
fn mark_key_value_blocks(lines: &mut [Line]) {
    let n = lines.len();
    let is_kv = |l: &Line| {
        KEY_VALUE
            .captures(&l.text)
            .and_then(|c| c.get(1))
            .is_some_and(|k| k.as_str().split_whitespace().count() <= 4)
    };
    let mut marks = Vec::new();
    for i in 0..n {
        if lines[i].class != Class::Neutral && lines[i].class != Class::Weak {
            continue;
        }
        let Some(key) = EMPTY_KEY.captures(&lines[i].text).and_then(|c| c.get(1)) else {
            continue;
        };
        // A numbered heading (`๗. กรรมการผู้ทรงคุณวุฒิ :`) introduces a list.
        if key.as_str().split_whitespace().count() > 3 || key.as_str().chars().any(is_digit) {
            continue;
        }
        let prev = (0..i).rev().find(|&j| lines[j].class != Class::Blank);
        let next = (i + 1..n).find(|&j| lines[j].class != Class::Blank);
        if prev.is_some_and(|j| is_kv(&lines[j])) && next.is_some_and(|j| is_kv(&lines[j])) {
            marks.push(i);
        }
    }
    for i in marks {
        lines[i].class = Class::Bad;
    }
}

/// Collapses the repeated headline at the top of the page (cutting a site
/// name glued to one copy). Returns the headline when one was repeated.
fn collapse_repeats(lines: &mut [Line]) -> Option<String> {
    let head: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].class != Class::Blank && lines[i].class != Class::Symbol)
        .take(HEAD_WINDOW * 2)
        .collect();
    let mut headline = None;
    // A site name before or after a copy of the headline.
    for (a_pos, &a) in head.iter().enumerate().take(HEAD_WINDOW) {
        for &b in &head[a_pos + 1..] {
            let (ta, tb) = (&lines[a].text, &lines[b].text);
            if tb.chars().count() < 10 || ta == tb {
                continue;
            }
            if let Some(stripped) = strip_site_name(ta, tb) {
                lines[a].text = Cow::Owned(stripped);
                if lines[a].class != Class::Good {
                    lines[a].class = classify(&lines[a].text, true).max_neutral();
                }
                break;
            }
        }
    }
    // A headline repeated at the top of the page: a copy of an earlier head
    // line, long enough to be a headline, with nothing but furniture, dates
    // or other copies between the two. Any other repeat is the document's
    // own text (a date, a name, a signature block, a table cell) and stays.
    let head_set: Vec<usize> = head.iter().copied().take(HEAD_WINDOW).collect();
    let mut drop = Vec::new();
    for (k, &b) in head_set.iter().enumerate() {
        let t: &str = &lines[b].text;
        if !headline_like(t) {
            continue;
        }
        let Some(&a) = head_set[..k].iter().find(|&&a| *lines[a].text == *t) else {
            continue;
        };
        let only_furniture_between = (a + 1..b).all(|i| {
            let l = &lines[i];
            matches!(
                l.class,
                Class::Blank | Class::Symbol | Class::Weak | Class::Bad | Class::Strong
            ) || *l.text == *t
                || !l.text.chars().any(char::is_alphabetic)
                || DATE_ONLY.is_match(&l.text)
        });
        if only_furniture_between {
            drop.push(b);
            if headline.is_none() {
                headline = Some(t.to_string());
            }
        }
    }
    for i in drop {
        lines[i].keep = false;
    }
    headline
}

/// A line that may be a repeated headline: at least [`HEADLINE_CHARS`]
/// characters besides digits and spaces, and not a date (`พุทธศักราช ๒๔๘๓`
/// and `วันที่ ๓๐ กันยายน พ.ศ. ๒๕๖๐` repeat in a law as its own text).
fn headline_like(line: &str) -> bool {
    line.chars()
        .filter(|c| !is_digit(*c) && !c.is_whitespace())
        .nth(HEADLINE_CHARS - 1)
        .is_some()
        && line.chars().any(char::is_alphabetic)
        && !DATE_ONLY.is_match(line)
}

impl Class {
    /// After a site name is cut, the rest is a headline: keep it neutral
    /// unless it is article text.
    fn max_neutral(self) -> Class {
        match self {
            Class::Good => Class::Good,
            _ => Class::Neutral,
        }
    }
}

/// `SITE-headline` or `headline | SITE` where `headline` is another line:
/// returns the line without the site name.
pub(crate) fn strip_site_name(a: &str, b: &str) -> Option<String> {
    const SEPS: &[char] = &['-', '–', '—', '|', ':', '»', '›', '/'];
    if a.len() > b.len() && a.ends_with(b) {
        let prefix = a[..a.len() - b.len()].trim_end();
        if !prefix.is_empty() && prefix.chars().count() <= 60 && prefix.ends_with(SEPS) {
            return Some(b.to_string());
        }
    }
    if a.len() > b.len() && a.starts_with(b) {
        let suffix = a[b.len()..].trim_start();
        if !suffix.is_empty() && suffix.chars().count() <= 60 && suffix.starts_with(SEPS) {
            return Some(b.to_string());
        }
    }
    None
}

/// After the last paragraph, the first strong line starts the footer:
/// everything from there on goes except article text. A document without a
/// paragraph has no footer cut (its strong lines still go one by one).
fn cut_footer(lines: &mut [Line], thai_doc: bool) {
    let is_para = |l: &Line| {
        if thai_doc {
            has_running_thai(&l.text, PARAGRAPH_THAI_CHARS)
        } else {
            l.text
                .chars()
                .filter(|c| c.is_alphabetic())
                .nth(149)
                .is_some()
        }
    };
    // Without a paragraph the end of the body is unknown (a short item's
    // headline is followed by its print button, then its only line): no cut.
    let Some(start) = lines
        .iter()
        .rposition(|l| l.keep && is_para(l))
        .map(|p| p + 1)
    else {
        return;
    };
    let Some(s) = (start..lines.len()).find(|&i| lines[i].keep && lines[i].class == Class::Strong)
    else {
        return;
    };
    for l in &mut lines[s..] {
        if l.class != Class::Good {
            l.keep = false;
        }
    }
}

/// Drops furniture, symbol lines, neutral lines between furniture and weak
/// lines next to furniture.
fn drop_by_context(lines: &mut [Line]) {
    let n = lines.len();
    let anchors: Vec<usize> = (0..n)
        .filter(|&i| lines[i].keep && lines[i].class.is_anchor())
        .collect();
    let mut drop = vec![false; n];
    for i in 0..n {
        if !lines[i].keep {
            continue;
        }
        let class = lines[i].class;
        match class {
            Class::Bad | Class::Strong => drop[i] = true,
            Class::Neutral | Class::Weak | Class::Symbol => {
                let k = anchors.partition_point(|&a| a < i);
                let prev = k.checked_sub(1).map(|p| lines[anchors[p]].class);
                let next = anchors.get(k).map(|&a| lines[a].class);
                drop[i] = if class == Class::Neutral {
                    prev.is_some_and(Class::is_furniture) && next.is_some_and(Class::is_furniture)
                } else {
                    prev.is_some_and(Class::is_furniture) || next.is_some_and(Class::is_furniture)
                };
            }
            Class::Good | Class::Blank => {}
        }
    }
    for (l, d) in lines.iter_mut().zip(drop) {
        if d {
            l.keep = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::repair;

    fn read(rel: &str) -> String {
        let p = super::super::tests::repo_path(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    fn corpus_files(dir: &str) -> Vec<(String, String)> {
        let d = super::super::tests::repo_path(dir);
        let mut v: Vec<_> = std::fs::read_dir(&d)
            .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_else(|e| panic!("{}: {e}", d.display()));
        v.sort();
        v.into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .map(|p| {
                let s = std::fs::read(&p).unwrap_or_default();
                (
                    p.display().to_string(),
                    crate::extract::decode_text(&s).text,
                )
            })
            .collect()
    }

    #[test]
    fn patterns_compile() {
        for re in [
            &*DATE_ONLY,
            &*EPOCH_DATE,
            &*COUNTER,
            &*EMPTY_KEY,
            &*KEY_VALUE,
            &*CODE,
        ] {
            assert!(!re.as_str().is_empty());
        }
        assert!(DATE_ONLY.is_match("วันอังคารที่ 7 กุมภาพันธ์ 2566"));
        assert!(DATE_ONLY.is_match("๒๒ พฤศจิกายน ๒๕๖๒"));
        assert!(!DATE_ONLY.is_match("7 กุมภาพันธ์ 2566 ครม.เห็นชอบแผน"));
    }

    #[test]
    fn act_signing_year_repeating_the_title_year_is_kept() {
        // thai-law-667 27/302679: the year line of the signing date repeats the title's.
        let text = "พระราชบัญญัติ\nเครื่องแบบผู้พิพากษาสมทบ\nพ.ศ. ๒๕๒๓\n\nภูมิพลอดุลยเดช ป.ร.\nให้ไว้ ณ วันที่ ๒๑ มกราคม\nพ.ศ. ๒๕๒๓\nเป็นปีที่ ๓๕\n";
        let out = remove_furniture(text);
        assert!(out.contains("๒๑ มกราคม\nพ.ศ. ๒๕๒๓"), "{out}");
    }

    #[test]
    fn line_classes() {
        assert_eq!(classify("View : 25", true), Class::Strong);
        assert_eq!(classify("อ่าน : 188", true), Class::Strong);
        assert_eq!(
            classify("Sorry, your browser does not support JavaScript!", true),
            Class::Strong
        );
        assert_eq!(classify("LINE it!", true), Class::Strong);
        assert_eq!(classify("กำลังโหลดความคิดเห็น", true), Class::Strong);
        assert_eq!(classify("พิมพ์", true), Class::Strong);
        assert_eq!(
            classify(
                "© 2015 สำนักงานคณะกรรมการสิทธิมนุษยชนเเห่งชาติ. All Right Reserved.",
                true
            ),
            Class::Strong
        );
        assert_eq!(
            classify("span.s1 {font-kerning: none}", true),
            Class::Strong
        );
        assert_eq!(
            classify("เผยแพร่:   ปรับปรุง:   โดย: ทีมข่าวอาชญากรรม", true),
            Class::Bad
        );
        assert_eq!(
            classify("นโยบายเว็ปไซต์ | นโยบายการรักษาความมั่นคงปลอดภัยเว็บไซต์.", true),
            Class::Bad
        );
        assert_eq!(classify("1 มกราคม 2513", true), Class::Bad);
        assert_eq!(classify("A A A", true), Class::Weak);
        assert_eq!(classify("-", true), Class::Symbol);
        assert_eq!(classify("****************", true), Class::Symbol);
        // Content stays neutral or good.
        assert_eq!(classify("๘๓/๒๕๕๗", true), Class::Neutral);
        assert_eq!(classify("ๆ", true), Class::Neutral);
        assert_eq!(classify("ขอแสดงความนับถือ", true), Class::Neutral);
        assert_eq!(
            classify("E-mail : rayongoffice@gmail.com / www.rayong.go.th", true),
            Class::Neutral
        );
        assert_eq!(classify("อ่านเพิ่มเติม ราชกิจจานุเบกษา", true), Class::Neutral);
        assert_eq!(
            classify("ดาวน์โหลดแบบฟอร์มและแผนปฏิบัติการ", true),
            Class::Neutral
        );
        assert_eq!(classify("Gist", false), Class::Neutral);
        assert_eq!(
            classify("จัดทำและบริหารระบบ โดย ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร", true),
            Class::Good
        );
    }

    #[test]
    fn seed_000_header_byline_and_comments_go() {
        let out = remove_furniture(&read("corpus/seeds/000_34a1339aa7e8c079.txt"));
        assert!(out.starts_with("“คุ้มครองสิทธิฯ” ร่วม จ.ภูเก็ต ขับเคลื่อนงานสิทธิมนุษยชนระดับจังหวัด\n"));
        for gone in ["xsm", "\nlg\n", "เผยแพร่:", "กำลังโหลดความคิดเห็น"]
        {
            assert!(!out.contains(gone), "{gone:?} left in:\n{out}");
        }
        assert!(out.ends_with("บนพื้นฐานของการเคารพสิทธิมนุษยชน ต่อไป"));
    }

    #[test]
    fn seed_001_menus_counters_and_footer_go() {
        let out = remove_furniture(&read("corpus/seeds/001_540c5badf066de20.txt"));
        assert!(
            out.starts_with("กสม. สุชาติ เข้าพบเพื่อประสานความร่วมมือ"),
            "{out}"
        );
        for gone in [
            "JavaScript",
            "A A A",
            "youtube",
            "View",
            "ข่าว กสม.",
            "©",
            "นโยบายเว็ปไซต์",
            "ipv6",
            "จำนวนผู้เข้าชม",
            "5396611",
            "\nคน",
        ] {
            assert!(!out.contains(gone), "{gone:?} left in:\n{out}");
        }
        assert!(out.ends_with("“เมืองต้นแบบด้านสิทธิมนุษยชน” ต่อไป"));
    }

    #[test]
    fn seed_004_repeated_title_and_editor_form_go() {
        let raw = read("corpus/seeds/004_34ed204ab4317a86.txt");
        let c = clean(&raw);
        let title = "จังหวัดเชียงใหม่ เป็นเจ้าภาพจัดประชุมระดับทวิภาคี ไทยกับเมียนมา เพื่อแลกเปลี่ยนแนวทางการดำเนินงาน ในการคุ้มครองผู้เสียหายจากการค้ามนุษย์";
        assert_eq!(c.headline.as_deref(), Some(title));
        assert_eq!(c.text.matches(&format!("{title}\n")).count(), 1);
        assert!(c.text.contains("echo Out 30 สิงหาคม 2560 / 20:07:42"));
        assert!(c.text.contains("ข่าวโดย : ณัฏฐ์ สินันตา"));
        for gone in [
            "บรรณาธิการ :",
            "อ่าน : 188",
            "LINE it!",
            "Editor Login",
            "Name :",
            "Pass :",
            "โทร. 0-5328-3734",
        ] {
            assert!(!c.text.contains(gone), "{gone:?} left in:\n{}", c.text);
        }
        assert_eq!(title_of(&c.text).as_deref(), Some(title));
    }

    #[test]
    fn numbered_list_heading_stays() {
        let out = remove_furniture(&repair(&read(
            "corpus/real/039_gazette-education-council-2560.txt",
        )));
        assert!(out.contains("๗. กรรมการผู้ทรงคุณวุฒิ :\n๗.๑ ศาสตราจารย์ชุติมา สัจจานันท์ :"));
    }

    #[test]
    fn date_line_before_lead_is_not_the_title() {
        let text = "วันพฤหัสบดีที่ 23 กุมภาพันธ์ 2566\nวันพฤหัสบดีที่ 23 กุมภาพันธ์ 2566 เวลา 09.30 น. พลเอกประวิตร วงษ์สุวรรณ";
        assert_eq!(
            title_of(text).as_deref(),
            Some("วันพฤหัสบดีที่ 23 กุมภาพันธ์ 2566 เวลา 09.30 น. พลเอกประวิตร วงษ์สุวรรณ")
        );
    }

    #[test]
    fn seed_letter_is_untouched_but_trimmed() {
        let raw = read("corpus/seeds/003_42c590216e999c55.txt");
        let out = remove_furniture(&raw);
        let want: Vec<&str> = raw
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let got: Vec<&str> = out.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn thaigov_site_prefix_and_print_button_go() {
        let raw = read("corpus/real/000_rlpd-nhrp5-cabinet-approval.txt");
        let out = remove_furniture(&raw);
        let first = out.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("ครม.เห็นชอบแผนสิทธิมนุษยชนแห่งชาติ ฉบับที่ 5"),
            "{first}"
        );
        assert!(!out.contains("รัฐบาลไทย-ข่าวทำเนียบรัฐบาล-"));
        assert!(!out.lines().any(|l| l == "พิมพ์"));
        assert!(out.contains("วันอังคารที่ 7 กุมภาพันธ์ 2566\n07/02/2566\n"));
        assert!(out.ends_with("ที่มา : https://www.thaigov.go.th/news/contents/details/64636"));
    }

    /// Every line of running Thai text in the seeds and real documents
    /// survives, unless it repeats an earlier line at the top of the page.
    #[test]
    fn article_text_always_survives() {
        let mut docs = corpus_files("corpus/seeds");
        docs.extend(corpus_files("corpus/real"));
        assert!(docs.len() >= 59, "corpus missing: {}", docs.len());
        for (name, raw) in docs {
            let text = repair(&raw);
            let out = remove_furniture(&text);
            let kept: std::collections::HashSet<&str> = out.lines().collect();
            for line in text.lines().map(str::trim) {
                if running_thai(line) < PROTECTED_THAI_CHARS {
                    continue;
                }
                let survives =
                    kept.contains(line) || kept.iter().any(|k| strip_site_name(line, k).is_some());
                assert!(survives, "{name}: lost line {line:?}");
            }
        }
    }

    /// Lines of `text` with how often each occurs (trimmed, non-blank).
    fn line_counts(text: &str) -> std::collections::HashMap<&str, usize> {
        let mut m = std::collections::HashMap::new();
        for l in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            *m.entry(l).or_insert(0) += 1;
        }
        m
    }

    /// A law text repeats its year line (`พ.ศ. ๒๕๒๗` under the title and in
    /// the signing date), the king's name, table cells: every copy stays.
    #[test]
    fn in_body_repeats_stay_in_a_law_text() {
        let raw = read("tests/data/furniture/law-603728.txt");
        let text = repair(&raw);
        let out = remove_furniture(&text);
        assert!(
            out.contains("ให้ไว้ ณ วันที่ ๑๐ กันยายน\nพ.ศ. ๒๕๒๗\nเป็นปีที่ ๓๙"),
            "signing date lost:\n{}",
            &out[..out.len().min(600)]
        );
        let (before, after) = (line_counts(&text), line_counts(&out));
        for (line, n) in &before {
            assert_eq!(after.get(line), Some(n), "{line:?}");
        }
    }

    /// In the bundled documents, a line that occurs more than once keeps
    /// every copy, except a repeated headline at the top of a page.
    #[test]
    fn repeated_lines_of_real_documents_stay() {
        let mut docs = corpus_files("corpus/seeds");
        docs.extend(corpus_files("corpus/real"));
        for (name, raw) in docs {
            let text = repair(&raw);
            let c = clean(&text);
            let (before, after) = (line_counts(&text), line_counts(&c.text));
            // Short words of a footer counter (`จำนวนผู้เข้าชม 5396611 คน`) aside.
            for (line, n) in before
                .iter()
                .filter(|(l, n)| **n > 1 && l.chars().nth(3).is_some())
            {
                if c.headline.as_deref() == Some(*line) {
                    continue;
                }
                let kept = after.get(line).copied().unwrap_or(0);
                // Furniture repeated on the page (buttons, separators) may go.
                let furniture = matches!(
                    classify(line, true),
                    Class::Strong | Class::Bad | Class::Symbol | Class::Weak
                );
                assert!(
                    kept == *n || furniture,
                    "{name}: {line:?} kept {kept} of {n}"
                );
            }
        }
    }

    /// Very short news items keep their only content line; the site name,
    /// the print button and the repeated headline still go.
    #[test]
    fn short_items_keep_their_content() {
        for (file, content) in [
            ("thaigov-covid-9.txt", "มีวิธีการอย่างไรบ้างนะ"),
            ("thaigov-covid-15.txt", "มีวิธีการอย่างไรบ้างนะ ??"),
            ("thaigov-covid-16.txt", "มีวิธีการอย่างไรบ้างนะ ??"),
        ] {
            let raw = read(&format!("tests/data/furniture/{file}"));
            let c = clean(&repair(&raw));
            assert!(c.text.lines().any(|l| l == content), "{file}:\n{}", c.text);
            assert!(!c.text.lines().any(|l| l == "พิมพ์"), "{file}:\n{}", c.text);
            assert!(!c.text.contains("รัฐบาลไทย-ข่าวทำเนียบรัฐบาล-"), "{file}");
            let headline = c.headline.expect("the headline is repeated");
            assert_eq!(c.text.matches(headline.as_str()).count(), 1, "{file}");
        }
    }

    /// When removal would leave nothing, or only the title, every line stays.
    #[test]
    fn a_document_is_never_cut_to_its_title() {
        // Lines of the real seed 004 page: its headline and furniture only.
        let raw = read("corpus/seeds/004_34ed204ab4317a86.txt");
        let lines: Vec<&str> = raw.lines().map(str::trim).collect();
        let pick = |p: &str| {
            lines
                .iter()
                .copied()
                .find(|l| l.starts_with(p))
                .unwrap_or_else(|| panic!("{p} not in seed 004"))
        };
        let title = pick("จังหวัดเชียงใหม่ เป็นเจ้าภาพ");
        for text in [
            format!(
                "{title}\n{}\n{}\n{}",
                pick("อ่าน :"),
                pick("LINE it"),
                pick("Editor Login")
            ),
            format!("{}\n{}", pick("อ่าน :"), pick("LINE it")),
        ] {
            let out = remove_furniture(&text);
            assert_eq!(out, text, "removal would have left only the title");
        }
        // With a body line, the furniture goes as usual.
        let body = pick("เมื่อวันที่ 30 สิงหาคม 2560");
        let text = format!("{title}\n{body}\n{}\n{}", pick("อ่าน :"), pick("LINE it"));
        assert_eq!(remove_furniture(&text), format!("{title}\n{body}"));
    }

    #[test]
    fn phrase_list_is_read_from_the_dictionary() {
        let p = parse_phrases(FURNITURE_TXT);
        assert!(p.core.iter().any(|w| w == "login") && p.core.iter().any(|w| w == "พิมพ์"));
        assert!(p.filler.iter().any(|w| w == "กำลัง"));
        assert!(p.copyright.iter().any(|w| w == "all rights reserved"));
        // Every non-comment line has a known kind.
        let lines = FURNITURE_TXT
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count();
        assert_eq!(lines, p.core.len() + p.filler.len() + p.copyright.len());
        assert!(is_copyright("Copyright 2019 All Rights Reserved"));
        assert!(is_copyright("สงวนลิขสิทธิ์ 2562"));
        assert!(!is_copyright("สิทธิมนุษยชน"));
    }

    #[test]
    fn an_acts_title_runs_down_to_its_year() {
        // thai-law-667 27/309305 and 43/857329: the heading, never the King's name.
        let text = "พระราชบัญญัติ\n\nยกทัณฑ์ให้แก่ตำรวจที่ขาดหนีราชการ\nพ.ศ. ๒๔๘๙\n\nในพระปรมาภิไธยสมเด็จพระเจ้าอยู่หัวภูมิพลอดุลยเดช\n";
        assert_eq!(
            title_of(text).as_deref(),
            Some("พระราชบัญญัติยกทัณฑ์ให้แก่ตำรวจที่ขาดหนีราชการ พ.ศ. ๒๔๘๙")
        );
        let text = "พระราชกำหนด\nว่าด้วยการประชุมผ่านสื่ออิเล็กทรอนิกส์\nพ.ศ. ๒๕๖๓\n\nพระบาทสมเด็จพระปรเมนทรรามาธิบดีศรีสินทรมหาวชิราลงกรณ\nพระวชิรเกล้าเจ้าอยู่หัว\nให้ไว้ ณ วันที่\n";
        assert_eq!(
            title_of(text).as_deref(),
            Some("พระราชกำหนดว่าด้วยการประชุมผ่านสื่ออิเล็กทรอนิกส์ พ.ศ. ๒๕๖๓")
        );
        let text = "พระราชกำหนดชั้นยศ\n\nเสนอความชอบสำหรับพระราชทานเครื่องราชอิสริยาภรณ์\nช้างเผือกและมงกุฎสยาม\nพ.ศ. ๒๔๕๙[๑]\n";
        assert_eq!(
            title_of(text).as_deref(),
            Some(
                "พระราชกำหนดชั้นยศเสนอความชอบสำหรับพระราชทานเครื่องราชอิสริยาภรณ์ช้างเผือกและมงกุฎสยาม พ.ศ. ๒๔๕๙"
            )
        );
    }

    #[test]
    fn an_acts_heading_wins_over_a_repeated_kings_name() {
        let text = "พระราชบัญญัติ\nยุบเลิกบรรษัทตลาดรองสินเชื่อที่อยู่อาศัย\nพ.ศ. ๒๕๖๓\n\nพระบาทสมเด็จพระปรเมนทรรามาธิบดีศรีสินทรมหาวชิราลงกรณ\nพระวชิรเกล้าเจ้าอยู่หัว\nให้ไว้ ณ วันที่\n๒๑ กันยายน พ.ศ. ๒๕๖๓\n";
        assert_eq!(
            act_title_of(text).as_deref(),
            Some("พระราชบัญญัติยุบเลิกบรรษัทตลาดรองสินเชื่อที่อยู่อาศัย พ.ศ. ๒๕๖๓")
        );
        assert_eq!(act_title_of("ประกาศของคณะปฏิวัติ\nฉบับที่ ๔๔\n"), None);
        assert_eq!(act_title_of("พระราชบัญญัติ\nมาตรา ๑ ให้ใช้\n"), None);
    }

    #[test]
    fn titles() {
        assert_eq!(
            title_of("\n๒๒ พฤศจิกายน ๒๕๖๒\nประกาศคณะรักษาความสงบแห่งชาติ\nฉบับที่").as_deref(),
            Some("ประกาศคณะรักษาความสงบแห่งชาติ")
        );
        assert_eq!(title_of("  \n-\n"), None);
        // a paragraph is not a title, cut or whole
        let long = "ก".repeat(400);
        assert_eq!(title_of(&long), None);
        assert_eq!(title_of(&format!("{long}\nบรรทัดที่สอง")), None);
        let longest = "ก".repeat(300);
        assert_eq!(title_of(&longest), Some(longest));
    }

    #[test]
    fn ui_cover_handles_thai_and_latin() {
        assert_eq!(ui_cover("กำลังโหลดความคิดเห็น"), Some(true));
        assert_eq!(ui_cover("กำลัง"), Some(false));
        assert_eq!(ui_cover("กำลังพล"), None);
        assert_eq!(ui_cover("login"), Some(true));
        assert_eq!(ui_cover("loginx"), None);
        // Ordinary words alone are not interface labels (a wrapped law text
        // can leave `ติดตาม` alone on a line).
        assert_eq!(ui_cover("ติดตาม"), Some(false));
        assert!(!is_ui_line("ติดตาม"));
    }

    #[test]
    fn never_panics_on_odd_text() {
        for s in [
            "",
            "\n",
            ":",
            " : : ",
            "|",
            "ก|",
            "\u{0E48}\u{0E48}",
            "a\r\nb",
            "เรื่อง",
            "©",
        ] {
            let _ = remove_furniture(s);
            let _ = title_of(s);
        }
    }
}
