//! The analyzers that turn text into index terms.
//!
//! Two views of every text are indexed:
//!
//! * **Match view** ([`fold_for_match`], [`GramTokenizer`]): the text folded
//!   the way the literal-matching rules of the query language say (Thai digits
//!   → Arabic, a single line break between two Thai word characters — a
//!   wrapped line, see [`is_thai_word_char`] — removed, every other
//!   whitespace run → one space, no spaces around `/`; letters stay as
//!   written), with an invisible edge mark around every digit run,
//!   then cut into character bigrams, one at every other character, with
//!   positions. Matching a query's grams at consecutive positions, in both
//!   alignments, with the edge characters checked against any gram that
//!   starts or ends with them ([`gram_plans`]), is an exact substring test: a
//!   query string is found in every document that contains it, whatever a
//!   word segmenter would have done, and the digit edge marks keep `2/2566`
//!   from matching inside `12/2566`. (Every other character instead of every
//!   character halves the tokens the index writes, and their postings.)
//! * **Word view** ([`WordTokenizer`]): a rule-based pre-tokenizer keeps
//!   numbers (`2/2566`, `0017.2/ว`), abbreviations (`พ.ศ.`, `มี.ค.`) and Latin
//!   words as units and hands Thai runs to the dictionary segmenter (a run
//!   continued on the next line of a wrapped paragraph is segmented as one
//!   run). Words feed BM25 ranking.

use std::ops::Range;
use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::normalize::{fold_digit, is_digit, is_invisible, is_thai};
use crate::segment::Segmenter;
use crate::thai::is_run_char;

/// Marks the edges of a digit run in the match view.
pub const DIGIT_EDGE: char = '\u{1}';
/// Second character of the last bigram of a value with an odd number of characters.
pub const GRAM_END: char = '\u{2}';

/// Text folded for literal matching, with a map back to the source.
#[derive(Debug, Default, Clone)]
pub struct Folded {
    /// Folded characters (including [`DIGIT_EDGE`] marks).
    pub chars: Vec<char>,
    /// For each folded character, the byte offset in the source of the
    /// character it came from (marks point at the neighbouring digit).
    pub src: Vec<usize>,
}

impl Folded {
    /// The folded characters as a string.
    pub fn as_string(&self) -> String {
        self.chars.iter().collect()
    }
}

fn fold_char(c: char) -> char {
    let c = fold_digit(c);
    if c.is_uppercase() {
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) => l,
            _ => c,
        }
    } else {
        c
    }
}

/// Folds text for literal matching (see the module docs).
pub fn fold_for_match(text: &str) -> Folded {
    let mut out = Folded {
        chars: Vec::with_capacity(text.len() / 2),
        src: Vec::with_capacity(text.len() / 2),
    };
    fold_into(text, &mut out, true);
    out
}

pub use crate::thai::is_word_char as is_thai_word_char;

/// How many line breaks a whitespace character makes: `\n`, a `\r` not
/// followed by `\n`, NEL and U+2028 are one; a form feed (page break),
/// vertical tab or paragraph separator always separates (counted as two);
/// other whitespace (spaces, tabs, NBSP) none.
#[inline]
fn line_breaks(c: char, next: Option<char>) -> u8 {
    match c {
        '\n' | '\u{85}' | '\u{2028}' => 1,
        '\r' => u8::from(next != Some('\n')),
        '\u{0B}' | '\u{0C}' | '\u{2029}' => 2,
        _ => 0,
    }
}

/// Whether the whitespace run at the start of `rest` (which starts right
/// after `prev`) is a wrapped line inside a paragraph between two Thai
/// characters: exactly one line break, any spaces or tabs around it, and a
/// Thai word character on both sides. Returns the byte length of the run.
pub fn wrapped_break_len(prev: Option<char>, rest: &str) -> Option<usize> {
    if !prev.is_some_and(is_thai_word_char) {
        return None;
    }
    let mut breaks = 0u8;
    let mut it = rest.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if is_invisible(c) {
            continue;
        }
        if !c.is_whitespace() {
            return (breaks == 1 && is_thai_word_char(c)).then_some(i);
        }
        breaks = breaks.saturating_add(line_breaks(c, it.peek().map(|p| p.1)));
        if breaks > 1 {
            return None;
        }
    }
    None
}

/// Folds `text` into `out` (cleared first); source offsets are recorded only
/// when `with_src` is set (indexing needs the characters alone).
fn fold_into(text: &str, out: &mut Folded, with_src: bool) {
    out.chars.clear();
    out.src.clear();
    let mut fold = Fold::new(with_src);
    let mut it = text.char_indices().peekable();
    while let Some((byte, raw)) = it.next() {
        fold.feed(out, byte, raw, it.peek().map(|p| p.1));
    }
    fold.finish(out);
}

/// The folding state between two characters of a text, so a text can be
/// folded in pieces ([`GramStream`]) with the same result as in one go.
#[derive(Debug, Clone, Default)]
struct Fold {
    with_src: bool,
    pending_space: bool,
    /// Line breaks in the current whitespace run (saturating).
    breaks: u8,
    prev_digit: bool,
    /// The last visible character before the current whitespace run.
    prev_char: Option<char>,
    last_byte: usize,
    /// The last folded character written.
    last_out: Option<char>,
}

impl Fold {
    fn new(with_src: bool) -> Fold {
        Fold {
            with_src,
            ..Fold::default()
        }
    }

    fn push(&mut self, out: &mut Folded, c: char, byte: usize) {
        out.chars.push(c);
        if self.with_src {
            out.src.push(byte);
        }
        self.last_out = Some(c);
    }

    /// Folds the character `raw` at `byte`; `next` is the character after it.
    fn feed(&mut self, out: &mut Folded, byte: usize, raw: char, next: Option<char>) {
        if is_invisible(raw) {
            return;
        }
        if raw.is_whitespace() {
            if self.prev_digit {
                self.push(out, DIGIT_EDGE, self.last_byte);
                self.prev_digit = false;
            }
            if !self.pending_space {
                self.breaks = 0;
            }
            self.breaks = self.breaks.saturating_add(line_breaks(raw, next));
            self.pending_space = true;
            return;
        }
        let c = fold_digit(raw);
        if self.pending_space {
            let after_slash = self.last_out == Some('/');
            // A wrapped Thai line: the break is not a space.
            let wrapped = self.breaks == 1
                && self.prev_char.is_some_and(is_thai_word_char)
                && is_thai_word_char(raw);
            if self.last_out.is_some() && c != '/' && !after_slash && !wrapped {
                self.push(out, ' ', byte);
            }
            self.pending_space = false;
        }
        let digit = c.is_ascii_digit();
        if digit != self.prev_digit {
            let at = if digit { byte } else { self.last_byte };
            self.push(out, DIGIT_EDGE, at);
        }
        self.push(out, c, byte);
        self.prev_digit = digit;
        self.prev_char = Some(raw);
        self.last_byte = byte;
    }

    /// Ends the text.
    fn finish(&mut self, out: &mut Folded) {
        if self.prev_digit {
            self.push(out, DIGIT_EDGE, self.last_byte);
            self.prev_digit = false;
        }
    }
}

/// What a query needs at one gram position of the match view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GramSlot {
    /// Exactly this gram.
    Exact(String),
    /// Any gram whose second character is this one (the query starts on the
    /// second half of a gram).
    EndsWith(char),
    /// Any gram whose first character is this one (the query ends on the
    /// first half of a gram).
    StartsWith(char),
}

/// The two ways a folded query can lie on the match view's grams.
///
/// Grams start at every other character, so an occurrence starting at an even
/// character is cut `q0q1 q2q3 …` and one starting at an odd character
/// `?q0 q1q2 …`. Each plan lists, by gram position relative to the first gram
/// the occurrence touches, what the gram there must be; a document contains
/// the query exactly when one plan is satisfied at some position.
pub fn gram_plans(q: &[char]) -> [Vec<(u32, GramSlot)>; 2] {
    let cut = |first: usize, mut rel: u32, plan: &mut Vec<(u32, GramSlot)>| {
        let mut i = first;
        while i < q.len() {
            let slot = match q.get(i + 1) {
                Some(&next) => GramSlot::Exact([q[i], next].iter().collect()),
                None => GramSlot::StartsWith(q[i]),
            };
            plan.push((rel, slot));
            i += 2;
            rel += 1;
        }
    };
    let mut even = Vec::new();
    cut(0, 0, &mut even);
    let mut odd = Vec::new();
    if let Some(&first) = q.first() {
        odd.push((0, GramSlot::EndsWith(first)));
        cut(1, 1, &mut odd);
    }
    [even, odd]
}

/// How a folded query lies on a dense match view's grams
/// ([`GramTokenizer::dense`], one gram at every character): the grams of its
/// characters in turn, at consecutive positions; a query of one character is
/// any gram starting with it. The grams of a string of two or more
/// characters are all whole, so no edge is ever checked.
pub fn dense_plan(q: &[char]) -> Vec<(u32, GramSlot)> {
    match q {
        [] => Vec::new(),
        [c] => vec![(0, GramSlot::StartsWith(*c))],
        _ => q
            .windows(2)
            .zip(0u32..)
            .map(|(w, rel)| (rel, GramSlot::Exact(w.iter().collect())))
            .collect(),
    }
}

/// Source characters a gram stream folds at a time: the stream folds the next
/// piece of its text when it has handed out the grams of this one, so a
/// document of any size costs a buffer of about this many characters.
const FOLD_BATCH: usize = 1 << 14;

/// Tokenizer of the match view: character bigrams of the folded text, one
/// starting at every other character (positions count grams), so each
/// character is in exactly one gram; [`gram_plans`] says how a query is
/// found on them.
///
/// The default tokenizer (the one indexing uses) gives no character offsets, since
/// the index keeps positions only; [`GramTokenizer::with_offsets`] gives them, for
/// showing tokens against their source.
#[derive(Clone, Default)]
pub struct GramTokenizer {
    offsets: bool,
    dense: bool,
    folded: Folded,
}

impl GramTokenizer {
    /// A tokenizer whose tokens carry byte offsets into the source text.
    pub fn with_offsets() -> Self {
        GramTokenizer {
            offsets: true,
            ..GramTokenizer::default()
        }
    }

    /// The dense match view of short texts (titles): one gram starting at
    /// every character, so a query is found by whole grams alone
    /// ([`dense_plan`]); twice the grams of the default view.
    pub fn dense() -> Self {
        GramTokenizer {
            dense: true,
            ..GramTokenizer::default()
        }
    }
}

/// Token stream of [`GramTokenizer`]: the text is folded [`FOLD_BATCH`]
/// characters at a time as the grams are read.
pub struct GramStream<'a> {
    text: &'a str,
    /// Byte position of the next source character to fold.
    pos: usize,
    fold: Fold,
    /// True once the whole text is folded.
    done: bool,
    /// Folded characters not yet handed out (the start of a gram first).
    folded: &'a mut Folded,
    /// Next character of `folded` that starts a gram.
    next: usize,
    /// Position of the next gram.
    position: usize,
    offsets: bool,
    /// Characters from one gram's start to the next's: 1 (dense) or 2.
    step: usize,
    token: Token,
}

impl Tokenizer for GramTokenizer {
    type TokenStream<'a> = GramStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> GramStream<'a> {
        self.folded.chars.clear();
        self.folded.src.clear();
        GramStream {
            text,
            pos: 0,
            fold: Fold::new(self.offsets),
            done: false,
            folded: &mut self.folded,
            next: 0,
            position: 0,
            offsets: self.offsets,
            step: if self.dense { 1 } else { 2 },
            token: Token::default(),
        }
    }
}

impl GramStream<'_> {
    /// Makes sure the next gram, and the character after it, are folded (or
    /// the text is done): drops what was handed out and folds the next piece.
    fn fill(&mut self) {
        if self.done || self.next + 3 <= self.folded.chars.len() {
            return;
        }
        self.folded.chars.drain(..self.next);
        if self.offsets {
            self.folded.src.drain(..self.next);
        }
        self.next = 0;
        while !self.done && self.folded.chars.len() < 3 {
            let rest = &self.text[self.pos..];
            let mut it = rest.char_indices().peekable();
            let mut fed = 0;
            while let Some((i, raw)) = it.next() {
                let next = it.peek().map(|p| p.1);
                self.fold.feed(self.folded, self.pos + i, raw, next);
                fed += 1;
                if fed == FOLD_BATCH {
                    self.pos += i + raw.len_utf8();
                    break;
                }
            }
            if fed < FOLD_BATCH || self.pos >= self.text.len() {
                self.pos = self.text.len();
                self.fold.finish(self.folded);
                self.done = true;
            }
        }
    }
}

impl TokenStream for GramStream<'_> {
    fn advance(&mut self) -> bool {
        self.fill();
        let i = self.next;
        let chars = &self.folded.chars;
        if i >= chars.len() {
            return false;
        }
        self.next += self.step;
        let second = chars.get(i + 1).copied().unwrap_or(GRAM_END);
        self.token.text.clear();
        self.token.text.push(chars[i]);
        self.token.text.push(second);
        self.token.position = self.position;
        self.position += 1;
        if self.offsets {
            let src = &self.folded.src;
            self.token.offset_from = src[i];
            self.token.offset_to = src.get(i + 2).copied().unwrap_or(self.text.len());
        }
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// A unit found by the pre-tokenizer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Normalized term text.
    pub text: String,
    /// Byte offset of the unit in the source.
    pub start: usize,
    /// Byte offset of the end of the unit in the source.
    pub end: usize,
}

/// Length in bytes of a Thai abbreviation (`พ.ศ.`, `มี.ค.`, `จ.`, `อบจ.`,
/// `พล.ต.อ.`) starting at `s`, if one does.
fn abbreviation_len(s: &str) -> Option<usize> {
    let mut end = 0;
    let mut rest = s;
    let mut segments = 0;
    loop {
        let mut chars = rest.char_indices();
        let mut seg_chars = 0;
        let mut dot_at = None;
        match chars.next() {
            Some((_, c)) if crate::thai::is_consonant(c) => seg_chars += 1,
            _ => break,
        }
        for (i, c) in chars {
            if c == '.' {
                dot_at = Some(i);
                break;
            }
            if !is_run_char(c) || seg_chars >= 3 {
                break;
            }
            seg_chars += 1;
        }
        match dot_at {
            Some(i) => {
                end += i + 1;
                rest = &rest[i + 1..];
                segments += 1;
            }
            None => break,
        }
    }
    (segments > 0).then_some(end)
}

/// Length in bytes of a number unit (`2566`, `2/2566`, `2739 / 2566`,
/// `0017.2/ว`, `10.00`) starting at `s` (which starts with a digit).
fn number_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    let digit_at = |i: usize| {
        s.get(i..)
            .and_then(|r| r.chars().next())
            .filter(|c| is_digit(*c))
    };
    while let Some(c) = digit_at(i) {
        i += c.len_utf8();
    }
    loop {
        // separator: . , : directly between digits, or / with optional spaces
        let mut j = i;
        let sep = b.get(j).copied();
        match sep {
            Some(b'.') | Some(b',') | Some(b':') => j += 1,
            Some(b' ') | Some(b'/') => {
                while b.get(j) == Some(&b' ') {
                    j += 1;
                }
                if b.get(j) != Some(&b'/') {
                    break;
                }
                j += 1;
                while b.get(j) == Some(&b' ') {
                    j += 1;
                }
            }
            _ => break,
        }
        if digit_at(j).is_none() {
            // `0017.2/ว`: a circular mark glued to the number
            if sep == Some(b'/') && s[j..].starts_with('ว') && j == i + 1 {
                let after = j + 'ว'.len_utf8();
                let next = s[after..].chars().next();
                if !next.is_some_and(is_run_char) {
                    return after;
                }
            }
            break;
        }
        i = j;
        while let Some(c) = digit_at(i) {
            i += c.len_utf8();
        }
    }
    i
}

/// How a unit's term text is made from its source span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnitKind {
    /// The span as written (Thai words, abbreviations).
    Verbatim,
    /// A number: Thai digits folded, spaces dropped.
    Number,
    /// A Latin (or other script) word: lowercased.
    Latin,
    /// A Thai word written across a wrapped line: the break left out.
    Joined,
}

/// A unit as a span of the source, without its term text.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    kind: UnitKind,
}

impl Span {
    /// Writes the unit's term text into `out` (cleared first).
    fn term(&self, text: &str, out: &mut String) {
        out.clear();
        let src = &text[self.start..self.end];
        match self.kind {
            UnitKind::Verbatim => out.push_str(src),
            UnitKind::Number => out.extend(src.chars().filter(|c| *c != ' ').map(fold_digit)),
            UnitKind::Latin => out.extend(src.chars().map(fold_char)),
            UnitKind::Joined => out.extend(
                src.chars()
                    .filter(|c| !c.is_whitespace() && !is_invisible(*c)),
            ),
        }
    }
}

/// Finds the word units of `text` as spans (see [`word_units`]), appending to `out`.
fn unit_spans(seg: &Segmenter, text: &str, out: &mut Vec<Span>) {
    let mut scan = UnitScan::default();
    while scan.step(seg, text, out) {}
}

/// Spans buffered at a time by [`WordStream`]: the stream finds the next units
/// when it has handed out these, so a document of any size costs a buffer of
/// this many spans (plus the longest Thai run), not one span per word.
const SPAN_BATCH: usize = 4096;

/// The word-unit scanner, resumable between units: [`UnitScan::step`] reads
/// one unit (or one skipped character) at its position and moves past it,
/// so scanning a text in any number of calls finds the same units as
/// scanning it in one.
#[derive(Default)]
struct UnitScan {
    /// Byte position of the next unit.
    i: usize,
    words: Vec<Range<usize>>,
    pieces: Vec<(usize, usize)>,
}

impl UnitScan {
    /// Reads the next unit of `text` into `out`; `false` at the end of the text.
    fn step(&mut self, seg: &Segmenter, text: &str, out: &mut Vec<Span>) -> bool {
        let (words, pieces) = (&mut self.words, &mut self.pieces);
        let i = self.i;
        let len = text.len();
        if i >= len {
            return false;
        }
        let Some(c) = text[i..].chars().next() else {
            return false;
        };
        if is_digit(c) {
            let n = number_len(&text[i..]).max(c.len_utf8());
            out.push(Span {
                start: i,
                end: i + n,
                kind: UnitKind::Number,
            });
            self.i = i + n;
        } else if is_run_char(c) {
            if let Some(n) = abbreviation_len(&text[i..]) {
                out.push(Span {
                    start: i,
                    end: i + n,
                    kind: UnitKind::Verbatim,
                });
                self.i = i + n;
                return true;
            }
            let thai_run_end = |from: usize| {
                from + text[from..]
                    .find(|ch: char| !is_run_char(ch))
                    .unwrap_or(text.len() - from)
            };
            let mut j = thai_run_end(i);
            // A run continued on the next line of a wrapped paragraph.
            pieces.clear();
            let mut piece_start = i;
            while let Some(n) = wrapped_break_len(text[..j].chars().next_back(), &text[j..]) {
                pieces.push((piece_start, j));
                piece_start = j + n;
                j = thai_run_end(piece_start);
            }
            if !pieces.is_empty() {
                pieces.push((piece_start, j));
            }
            // A run ending in an abbreviation-looking tail is cut before it by
            // the segmenter anyway; segment the whole run.
            words.clear();
            if pieces.is_empty() {
                seg.segment_append(&text[i..j], words);
                for r in words.iter() {
                    let w = &text[i + r.start..i + r.end];
                    if w.chars().any(is_run_char) {
                        out.push(Span {
                            start: i + r.start,
                            end: i + r.end,
                            kind: UnitKind::Verbatim,
                        });
                    }
                }
            } else {
                joined_words(seg, text, pieces, words, out);
            }
            self.i = j;
        } else if c.is_alphanumeric() {
            let mut j = i;
            for ch in text[i..].chars() {
                if !ch.is_alphanumeric() || is_thai(ch) {
                    break;
                }
                j += ch.len_utf8();
            }
            out.push(Span {
                start: i,
                end: j,
                kind: UnitKind::Latin,
            });
            self.i = j;
        } else {
            self.i = i + c.len_utf8();
        }
        true
    }
}

/// Segments a Thai run written over several wrapped lines as one run (the
/// line breaks are not spaces): `pieces` are the byte ranges of its parts, in
/// order; words are mapped back to the source
/// and a word that spans a break keeps the break out of its term.
fn joined_words(
    seg: &Segmenter,
    text: &str,
    pieces: &[(usize, usize)],
    words: &mut Vec<Range<usize>>,
    out: &mut Vec<Span>,
) {
    let mut joined = String::new();
    // (byte in `joined`, byte in `text`) at the start of every piece.
    let mut starts: Vec<(usize, usize)> = Vec::with_capacity(pieces.len());
    for &(s, e) in pieces.iter() {
        starts.push((joined.len(), s));
        joined.push_str(&text[s..e]);
    }
    let to_src = |b: usize, is_end: bool| {
        // An end at a piece boundary belongs to the piece before it.
        let k = if is_end {
            starts.partition_point(|&(j, _)| j < b)
        } else {
            starts.partition_point(|&(j, _)| j <= b)
        };
        let (j, s) = starts[k.saturating_sub(1)];
        s + (b - j)
    };
    seg.segment_append(&joined, words);
    for r in words.iter() {
        if !joined[r.clone()].chars().any(is_run_char) {
            continue;
        }
        let (start, end) = (to_src(r.start, false), to_src(r.end, true));
        let kind = if text[start..end].chars().all(is_run_char) {
            UnitKind::Verbatim
        } else {
            UnitKind::Joined
        };
        out.push(Span { start, end, kind });
    }
}

/// Splits text into word units: Thai runs segmented by `seg`, numbers,
/// abbreviations and Latin words as units; spaces and punctuation dropped.
pub fn word_units(seg: &Segmenter, text: &str) -> Vec<Unit> {
    let mut spans = Vec::new();
    unit_spans(seg, text, &mut spans);
    spans
        .iter()
        .map(|s| {
            let mut t = String::new();
            s.term(text, &mut t);
            Unit {
                text: t,
                start: s.start,
                end: s.end,
            }
        })
        .collect()
}

/// Tokenizer of the word view.
#[derive(Clone)]
pub struct WordTokenizer {
    seg: Arc<Segmenter>,
    spans: Vec<Span>,
}

impl WordTokenizer {
    /// A word tokenizer over the given segmenter.
    pub fn new(seg: Arc<Segmenter>) -> Self {
        WordTokenizer {
            seg,
            spans: Vec::new(),
        }
    }
}

/// Token stream of [`WordTokenizer`]: term texts are written into one reused
/// buffer, so a document costs no allocation per word, and units are found
/// [`SPAN_BATCH`] at a time as the stream is read, so a huge document does not
/// hold a span for every one of its words.
pub struct WordStream<'a> {
    text: &'a str,
    seg: &'a Segmenter,
    scan: UnitScan,
    spans: &'a mut Vec<Span>,
    /// Next span of `spans` to hand out.
    next: usize,
    /// Position of the next token.
    position: usize,
    token: Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.spans.clear();
        WordStream {
            text,
            seg: &self.seg,
            scan: UnitScan::default(),
            spans: &mut self.spans,
            next: 0,
            position: 0,
            token: Token::default(),
        }
    }
}

impl WordStream<'_> {
    /// Refills the span buffer with the next units; `false` at the end of the text.
    fn refill(&mut self) -> bool {
        self.spans.clear();
        self.next = 0;
        while self.spans.len() < SPAN_BATCH && self.scan.step(self.seg, self.text, self.spans) {}
        !self.spans.is_empty()
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next >= self.spans.len() && !self.refill() {
            return false;
        }
        let span = self.spans[self.next];
        span.term(self.text, &mut self.token.text);
        self.token.offset_from = span.start;
        self.token.offset_to = span.end;
        self.token.position = self.position;
        self.next += 1;
        self.position += 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(s: &str) -> String {
        fold_for_match(s).as_string().replace(DIGIT_EDGE, "#")
    }

    #[test]
    fn folds_digits_spaces_and_slashes() {
        assert_eq!(folded("๒/๒๕๖๖"), "#2#/#2566#");
        assert_eq!(folded("2739 / 2566"), "#2739#/#2566#");
        assert_eq!(folded("ที่  ๗๖ /๒๕๖๓\n"), "ที่ #76#/#2563#");
        assert_eq!(folded("พ.ศ.\u{00A0}2566"), "พ.ศ. #2566#");
        assert_eq!(folded("MGR\nOnline"), "MGR Online");
    }

    #[test]
    fn a_wrapped_thai_line_is_joined() {
        // Thai–Thai: the break is not a space, also after a tone mark, before
        // a leading vowel, with trailing spaces or CRLF.
        assert_eq!(folded("การขับเคลื่อน\nงานสิทธิมนุษยชน"), "การขับเคลื่อนงานสิทธิมนุษยชน");
        assert_eq!(folded("ที่\nนี่"), "ที่นี่");
        assert_eq!(folded("การ\nเดินทาง"), "การเดินทาง");
        assert_eq!(folded("การ  \n งาน"), "การงาน");
        assert_eq!(folded("การ\r\nงาน"), "การงาน");
        assert_eq!(folded("การ\rงาน"), "การงาน");
        assert_eq!(folded("การ\u{2028}งาน"), "การงาน");
        assert_eq!(folded("การ\u{200B}\nงาน"), "การงาน");
        // Blank lines, page breaks and two breaks stay separators.
        assert_eq!(folded("การ\n\nงาน"), "การ งาน");
        assert_eq!(folded("การ\r\n\r\nงาน"), "การ งาน");
        assert_eq!(folded("การ\n \t\nงาน"), "การ งาน");
        assert_eq!(folded("การ\r\rงาน"), "การ งาน");
        assert_eq!(folded("การ\u{0C}งาน"), "การ งาน");
        // Next to digits, Latin letters, signs: one space.
        assert_eq!(folded("ฉบับที่\n๕"), "ฉบับที่ #5#");
        assert_eq!(folded("๒๕๖๖\nเรื่อง"), "#2566# เรื่อง");
        assert_eq!(folded("ข่าว\nMGR"), "ข่าว MGR");
        assert_eq!(folded("MGR\nข่าว"), "MGR ข่าว");
        assert_eq!(folded("ต่างๆ\nที่"), "ต่างๆ ที่");
        assert_eq!(folded("กรุงเทพฯ\nและ"), "กรุงเทพฯ และ");
        assert_eq!(folded("(ร่าง)\nแผน"), "(ร่าง) แผน");
        // A space (not a break) between Thai words stays.
        assert_eq!(folded("การ งาน"), "การ งาน");
        assert_eq!(folded("การ\tงาน"), "การ งาน");
    }

    #[test]
    fn joined_offsets_point_into_the_source() {
        let src = "ใน\r\nการขับเคลื่อน\nงาน ๒๕๖๖";
        let f = fold_for_match(src);
        assert_eq!(f.chars.len(), f.src.len());
        let s: String = f.chars.iter().collect();
        assert!(s.starts_with("ในการขับเคลื่อนงาน "), "{s:?}");
        // Every folded letter comes from the same letter of the source.
        for (c, &b) in f.chars.iter().zip(&f.src) {
            if is_thai_word_char(*c) {
                assert_eq!(src[b..].chars().next(), Some(*c));
            }
        }
    }

    #[test]
    fn words_streamed_in_batches_are_the_words_of_the_whole_text() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/real");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("corpus/real")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        // Real documents, one after another: many batches of units, wrapped lines,
        // numbers and Latin words falling on every side of a batch's end.
        let text: String = files
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect::<Vec<_>>()
            .join("\n");
        let seg = Arc::new(Segmenter::with_words(Vec::<String>::new()));
        let want = word_units(&seg, &text);
        assert!(want.len() > 3 * SPAN_BATCH, "{} units", want.len());
        let mut tok = WordTokenizer::new(seg);
        let mut stream = tok.token_stream(&text);
        let mut got = Vec::new();
        while stream.advance() {
            let t = stream.token();
            got.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        let want: Vec<_> = want
            .into_iter()
            .enumerate()
            .map(|(i, u)| (u.text, u.start, u.end, i))
            .collect();
        assert_eq!(got.len(), want.len());
        assert!(got == want, "streamed words differ from the whole text's");
        // The buffer holds one batch, not the document.
        assert!(tok.spans.capacity() < 2 * SPAN_BATCH + 1024);
    }

    /// The grams of `text` read from its whole folded form.
    fn grams_of_whole(text: &str) -> Vec<(String, usize, usize, usize)> {
        let f = fold_for_match(text);
        (0..f.chars.len())
            .step_by(2)
            .map(|i| {
                let second = f.chars.get(i + 1).copied().unwrap_or(GRAM_END);
                let end = f.src.get(i + 2).copied().unwrap_or(text.len());
                ([f.chars[i], second].iter().collect(), f.src[i], end, i / 2)
            })
            .collect()
    }

    fn streamed_grams(tok: &mut GramTokenizer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = tok.token_stream(text);
        let mut got = Vec::new();
        while stream.advance() {
            let t = stream.token();
            got.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        got
    }

    #[test]
    fn grams_folded_in_pieces_are_the_grams_of_the_whole_text() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/real");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("corpus/real")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        let mut texts: Vec<String> = vec![
            files
                .iter()
                .filter_map(|p| std::fs::read_to_string(p).ok())
                .collect::<Vec<_>>()
                .join("\n"),
        ];
        assert!(texts[0].chars().count() > 4 * FOLD_BATCH);
        // A digit run, a wrapped Thai line, a slash and a CRLF on every side of
        // the end of a piece.
        for k in 0..8 {
            let mut t = "ก".repeat(FOLD_BATCH - k);
            t.push_str("๑๒\nการ\r\nงาน  /  ๓ ฉบับ\n\nที่ 5");
            texts.push(t);
        }
        texts.push(String::new());
        texts.push("ก".to_string());
        for text in &texts {
            let want = grams_of_whole(text);
            let mut with = GramTokenizer::with_offsets();
            assert!(streamed_grams(&mut with, text) == want, "grams differ");
            let mut plain = GramTokenizer::default();
            let got: Vec<_> = streamed_grams(&mut plain, text)
                .into_iter()
                .map(|(g, _, _, p)| (g, p))
                .collect();
            let want: Vec<_> = want.into_iter().map(|(g, _, _, p)| (g, p)).collect();
            assert!(got == want, "grams differ without offsets");
            assert!(plain.folded.chars.capacity() < 4 * FOLD_BATCH);
        }
    }

    #[test]
    fn wrapped_break_lengths() {
        assert_eq!(wrapped_break_len(Some('ร'), "\nงาน"), Some(1));
        assert_eq!(wrapped_break_len(Some('ร'), " \r\n งาน"), Some(4));
        assert_eq!(wrapped_break_len(Some('ร'), "\n\nงาน"), None);
        assert_eq!(wrapped_break_len(Some('ร'), " งาน"), None);
        assert_eq!(wrapped_break_len(Some('5'), "\nงาน"), None);
        assert_eq!(wrapped_break_len(Some('ร'), "\n5"), None);
        assert_eq!(wrapped_break_len(Some('ร'), "\n"), None);
        assert_eq!(wrapped_break_len(None, "\nก"), None);
    }

    #[test]
    fn words_are_segmented_across_a_wrapped_line() {
        let seg = Segmenter::builtin();
        let terms =
            |s: &str| -> Vec<String> { word_units(seg, s).into_iter().map(|u| u.text).collect() };
        let joined = "การขับเคลื่อนงานสิทธิมนุษยชน";
        // Broken inside a word, and between words.
        for wrapped in [
            "การขับเค\nลื่อนงานสิทธิมนุษยชน",
            "การขับเคลื่อน\r\nงานสิทธิมนุษยชน",
            "การขับ\nเคลื่อน\nงานสิทธิ\nมนุษยชน",
        ] {
            assert_eq!(terms(wrapped), terms(joined), "{wrapped:?}");
            // Spans cut the source: a word across the break covers it.
            for u in word_units(seg, wrapped) {
                let cut: String = wrapped[u.start..u.end]
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                assert_eq!(cut, u.text);
            }
        }
        assert!(terms("การขับเค\nลื่อน").contains(&"ขับเคลื่อน".to_string()));
        // Blank lines and digits still separate runs.
        assert_eq!(
            terms("การขับเค\n\nลื่อน"),
            [terms("การขับเค"), terms("ลื่อน")].concat()
        );
        assert_eq!(
            terms("ฉบับที่\n๕"),
            vec!["ฉบับ".to_string(), "ที่".to_string(), "5".to_string()]
        );
    }

    #[test]
    fn gram_streams_with_and_without_offsets_agree() {
        let text = "ที่ ๒/๒๕๖๖  เรื่อง\u{200B} MGR Online";
        let grams = |tok: &mut GramTokenizer| {
            let mut s = tok.token_stream(text);
            let mut out = Vec::new();
            while s.advance() {
                let t = s.token();
                out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
            }
            out
        };
        let mut plain = GramTokenizer::default();
        let mut located = GramTokenizer::with_offsets();
        let (a, b) = (grams(&mut plain), grams(&mut located));
        // Reusing the tokenizer gives the same stream again.
        assert_eq!(grams(&mut plain), a);
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!((&x.0, x.1), (&y.0, y.1));
        }
        // Offsets cut each gram's source out of the text: `ที่` starts at 0.
        assert_eq!(b[0].2, 0);
        // One gram at every other character, numbered 0, 1, 2, …: together
        // they spell the folded text once.
        assert!(a.iter().enumerate().all(|(i, g)| g.1 == i));
        let spelled: String = a.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(
            spelled.trim_end_matches(GRAM_END),
            fold_for_match(text).as_string()
        );
    }

    #[test]
    fn digit_edges_forbid_partial_numbers() {
        let q = folded("2/2566");
        assert!(folded("ที่ 2/2566 เรื่อง").contains(&q));
        assert!(!folded("ที่ 12/2566").contains(&q));
        assert!(!folded("ที่ 2/25661").contains(&q));
    }

    #[test]
    fn gram_plans_cover_every_character_in_both_alignments() {
        let exact = |s: &str| GramSlot::Exact(s.to_string());
        let q = fold_for_match("สิทธิ").chars;
        let [even, odd] = gram_plans(&q);
        assert_eq!(
            even,
            vec![
                (0, exact("สิ")),
                (1, exact("ทธ")),
                (2, GramSlot::StartsWith('ิ'))
            ]
        );
        assert_eq!(
            odd,
            vec![
                (0, GramSlot::EndsWith('ส')),
                (1, exact("ิท")),
                (2, exact("ธิ"))
            ]
        );
        let [even, odd] = gram_plans(&fold_for_match("ก").chars);
        assert_eq!(even, vec![(0, GramSlot::StartsWith('ก'))]);
        assert_eq!(odd, vec![(0, GramSlot::EndsWith('ก'))]);
        let [even, odd] = gram_plans(&[]);
        assert!(even.is_empty() && odd.is_empty());
    }

    #[test]
    fn every_occurrence_satisfies_one_plan() {
        // Cut a text into grams as the index does and check, at every start,
        // that the plan of that alignment holds exactly where the query occurs.
        let src = "ที่ ๒/๒๕๖๖ สิทธิมนุษยชน 12/2566 สิทธิ";
        let text = fold_for_match(src).chars;
        let mut tok = GramTokenizer::default();
        let mut stream = tok.token_stream(src);
        let mut grams = Vec::new();
        while stream.advance() {
            grams.push(stream.token().text.clone());
        }
        let holds = |slot: &GramSlot, gram: Option<&String>| {
            let Some(g) = gram else { return false };
            let mut cs = g.chars();
            let (a, b) = (cs.next(), cs.next());
            match slot {
                GramSlot::Exact(e) => e == g,
                GramSlot::EndsWith(c) => b == Some(*c),
                GramSlot::StartsWith(c) => a == Some(*c),
            }
        };
        for q in ["2/2566", "สิทธิ", "ิทธิม", "ท", " ", "ที่ 2"] {
            let qc = fold_for_match(q).chars;
            let plans = gram_plans(&qc);
            for s in 0..text.len() {
                let occurs = text[s..].starts_with(&qc);
                let plan = &plans[s % 2];
                let found = plan
                    .iter()
                    .all(|(rel, slot)| holds(slot, grams.get(s / 2 + *rel as usize)));
                assert_eq!(found, occurs, "{q:?} at {s}");
            }
        }
    }

    #[test]
    fn dense_grams_find_every_occurrence_by_whole_grams() {
        // A gram at every character: the dense plan holds at a start exactly
        // where the query occurs, for one character as for many.
        let src = "ที่ ๒/๒๕๖๖ สิทธิมนุษยชน 12/2566 สิทธิ";
        let text = fold_for_match(src).chars;
        let mut tok = GramTokenizer::dense();
        let mut stream = tok.token_stream(src);
        let mut grams = Vec::new();
        while stream.advance() {
            assert_eq!(stream.token().position, grams.len());
            grams.push(stream.token().text.clone());
        }
        assert_eq!(grams.len(), text.len());
        for q in ["2/2566", "สิทธิ", "ิทธิม", "ท", "ิ", " ", "ที่ 2", "ชน"]
        {
            let qc = fold_for_match(q).chars;
            let plan = dense_plan(&qc);
            assert!(
                plan.iter().all(|(_, s)| matches!(s, GramSlot::Exact(_))) || qc.len() == 1,
                "{q:?}: no edge for two characters or more"
            );
            let mut found_any = false;
            for s in 0..text.len() {
                let occurs = text[s..].starts_with(&qc);
                let found = plan.iter().all(|(rel, slot)| {
                    let Some(g) = grams.get(s + *rel as usize) else {
                        return false;
                    };
                    match slot {
                        GramSlot::Exact(e) => e == g,
                        GramSlot::StartsWith(c) => g.starts_with(*c),
                        GramSlot::EndsWith(c) => g.chars().nth(1) == Some(*c),
                    }
                });
                assert_eq!(found, occurs, "{q:?} at {s}");
                found_any |= found;
            }
            assert!(found_any, "{q:?} occurs in the text");
        }
        assert!(dense_plan(&[]).is_empty());
    }

    #[test]
    fn numbers_and_abbreviations_are_units() {
        assert_eq!(number_len("2739 / 2566 เรื่อง"), "2739 / 2566".len());
        assert_eq!(number_len("๐๐๑๗.๒/ว ๕๕๑๒"), "๐๐๑๗.๒/ว".len());
        assert_eq!(number_len("10.00 น."), "10.00".len());
        assert_eq!(number_len("2566 ก"), 4);
        assert_eq!(abbreviation_len("พ.ศ. 2566"), Some("พ.ศ.".len()));
        assert_eq!(abbreviation_len("มี.ค.)"), Some("มี.ค.".len()));
        assert_eq!(abbreviation_len("จ.ภูเก็ต"), Some("จ.".len()));
        assert_eq!(abbreviation_len("ภูเก็ต"), None);
        assert_eq!(abbreviation_len("ผู้ว่าราชการ."), None);
    }

    #[test]
    fn word_stream_gives_the_same_terms_as_word_units() {
        let seg = Arc::new(Segmenter::with_words(Vec::<String>::new()));
        let text = "ที่ ๒๗๓๙ / ๒๕๖๖ ผู้ว่าราชการจังหวัดเชียงใหม่ พ.ศ. 2566 Thailand 4.0 นะคะ";
        let want: Vec<(String, usize, usize)> = word_units(&seg, text)
            .into_iter()
            .map(|u| (u.text, u.start, u.end))
            .collect();
        let mut tok = WordTokenizer::new(seg);
        // Twice through one tokenizer: its reused buffers must not leak between texts.
        for _ in 0..2 {
            let mut stream = tok.token_stream(text);
            let mut got = Vec::new();
            while stream.advance() {
                let t = stream.token();
                assert_eq!(t.position, got.len());
                got.push((t.text.clone(), t.offset_from, t.offset_to));
            }
            assert_eq!(got, want);
        }
        assert!(want.iter().any(|w| w.0 == "2739/2566"), "{want:?}");
    }

    #[test]
    fn word_units_keep_units_and_fold_digits() {
        let seg = Segmenter::builtin();
        let units: Vec<String> = word_units(seg, "ที่ ๒๗๓๙ / ๒๕๖๖ พ.ศ. 2566 Thailand 4.0")
            .into_iter()
            .map(|u| u.text)
            .collect();
        assert!(units.contains(&"2739/2566".to_string()), "{units:?}");
        assert!(units.contains(&"พ.ศ.".to_string()), "{units:?}");
        assert!(units.contains(&"thailand".to_string()), "{units:?}");
        assert!(units.contains(&"4.0".to_string()), "{units:?}");
    }
}
