//! The query language: parsing user queries into a small syntax tree.
//!
//! * A bare **word** (text up to a space, parenthesis or quote) must occur
//!   somewhere in the document; words side by side must all occur
//!   ([`Node::Words`]), and documents where they stand together, as written,
//!   rank first.
//! * `"quoted phrase"` (or `“…”`) must occur exactly as written.
//! * `AND`, `OR`, `NOT`, `-` (glued to what it excludes) and `( )` are
//!   operators. `OR` binds tighter than `AND` (which is also what a space
//!   means); `NOT`/`-` binds tightest. Lower-case `and`/`or`/`not` are words.
//! * `name:value` and `name:"quoted value"` are **filters** ([`FILTERS`]).
//!   A word that starts with ASCII letters and a colon is always read as a
//!   filter, so an unknown or mis-cased name is an error (with the nearest
//!   known name), never searched as text. A colon is text when the word
//!   starts otherwise (`10:30`, `เวลา:`), when `//` follows it (`https://…`)
//!   and inside quotes (`"ISO:9001"`).
//! * A `-` followed by a digit is text (`2566 -2570`); a `-` followed by a
//!   space or nothing is an error (quote it to search a dash).
//!
//! Anything that cannot mean one thing is a [`QueryError`] naming where (a
//! 1-based character column) or which filter: empty queries, filters without
//! a value, operators without operands, unbalanced quotes or parentheses,
//! bad filter values, and queries beyond the size limits
//! ([`MAX_DEPTH`], [`MAX_TERMS`], [`MAX_QUERY_CHARS`]).

use crate::index::analyzer::fold_for_match;
use crate::normalize::{is_invisible, repair};

/// The filters, each with a one-line description (for `--help` and user
/// interfaces), from the entity descriptors ([`crate::entity`]).
pub static FILTERS: std::sync::LazyLock<Vec<(&'static str, &'static str)>> =
    std::sync::LazyLock::new(|| {
        crate::entity::filters()
            .into_iter()
            .map(|f| (f.name, f.help))
            .collect()
    });

/// Deepest nesting of parentheses and `NOT`/`-` a query may use.
pub const MAX_DEPTH: usize = 32;

/// Most words, phrases and filters one query may hold.
pub const MAX_TERMS: usize = 100;

/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 4096;

/// A filter key: one filter of the entity descriptors ([`crate::entity`]),
/// found there by name. The filters the search module matches by its own
/// code (not by one exact term) have a constant here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilterKey(&'static str);

impl FilterKey {
    /// Province (by canonical name).
    pub const PROVINCE: FilterKey = FilterKey("province");
    /// Official's name (whole name parts).
    pub const OFFICIAL: FilterKey = FilterKey("official");
    /// Plan name (and edition).
    pub const PLAN: FilterKey = FilterKey("plan");
    /// Document type.
    pub const TYPE: FilterKey = FilterKey("type");
    /// Document date range.
    pub const DATE: FilterKey = FilterKey("date");
    /// Thai fiscal year.
    pub const FY: FilterKey = FilterKey("fy");

    /// The key named exactly `s` (names are lower case).
    pub fn parse(s: &str) -> Option<FilterKey> {
        crate::entity::filter(s).map(|f| FilterKey(f.name))
    }

    /// The name users type.
    pub fn name(self) -> &'static str {
        self.0
    }
}

/// Why a query was refused. Every error names a character column (1-based)
/// or a filter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// Nothing to search for.
    #[error(
        "empty query at character 1: type words, a \"quoted phrase\" or a filter such as province:ภูเก็ต"
    )]
    Empty,
    /// `name:` where no filter has that name.
    #[error("unknown filter `{name}:` at character {column}{}; the filters are {}; to search for the text itself, quote it: \"{name}:…\"",
        suggestion.map(|s| format!(": did you mean `{s}:`?")).unwrap_or_default(),
        filter_names())]
    UnknownFilter {
        /// 1-based character column of the name.
        column: usize,
        /// The name as typed.
        name: String,
        /// The nearest filter name, if one is close.
        suggestion: Option<&'static str>,
    },
    /// `name:` with nothing after it.
    #[error("filter `{name}:` at character {column} has no value (e.g. {example})")]
    EmptyValue {
        /// 1-based character column of the filter.
        column: usize,
        /// The filter's name.
        name: &'static str,
        /// An example of a value.
        example: &'static str,
    },
    /// A filter value that cannot mean anything.
    #[error("filter `{name}:{value}`: {reason}")]
    BadValue {
        /// The filter's name.
        name: &'static str,
        /// The value as typed.
        value: String,
        /// What is wrong and what would be right.
        reason: String,
    },
    /// A quote that is never closed, or a closing quote never opened.
    #[error("unbalanced quote `{quote}` at character {column}{}",
        if *opening { ": it is never closed" } else { ": no quote opens it" })]
    UnbalancedQuote {
        /// 1-based character column of the quote.
        column: usize,
        /// The quote character.
        quote: char,
        /// True for an opening quote without its closing one.
        opening: bool,
    },
    /// `(` never closed.
    #[error("unbalanced `(` at character {column}: it is never closed")]
    UnclosedParen {
        /// 1-based character column.
        column: usize,
    },
    /// `)` never opened.
    #[error("unbalanced `)` at character {column}: no `(` opens it")]
    UnopenedParen {
        /// 1-based character column.
        column: usize,
    },
    /// `()` with nothing inside.
    #[error("empty parentheses at character {column}")]
    EmptyGroup {
        /// 1-based character column of `(`.
        column: usize,
    },
    /// An operator without what it applies to.
    #[error("`{op}` at character {column} {need}")]
    MissingOperand {
        /// 1-based character column of the operator.
        column: usize,
        /// The operator as typed.
        op: String,
        /// What it lacks.
        need: &'static str,
    },
    /// A phrase with nothing searchable in it (`""`).
    #[error("empty phrase at character {column}")]
    EmptyPhrase {
        /// 1-based character column of the opening quote.
        column: usize,
    },
    /// Nested deeper than [`MAX_DEPTH`].
    #[error(
        "query nests too deeply at character {column}: at most {MAX_DEPTH} levels of parentheses and NOT/-"
    )]
    TooDeep {
        /// 1-based character column where the limit is passed.
        column: usize,
    },
    /// More than [`MAX_TERMS`] words, phrases and filters.
    #[error(
        "too many terms at character {column}: a query holds at most {MAX_TERMS} words, phrases and filters"
    )]
    TooManyTerms {
        /// 1-based character column of the first term past the limit.
        column: usize,
    },
    /// Longer than [`MAX_QUERY_CHARS`].
    #[error("query too long at character {column}: at most {MAX_QUERY_CHARS} characters")]
    TooLong {
        /// 1-based character column past the limit.
        column: usize,
    },
}

impl QueryError {
    /// The 1-based character column the error points at, if any.
    pub fn column(&self) -> Option<usize> {
        match self {
            QueryError::Empty => Some(1),
            QueryError::BadValue { .. } => None,
            QueryError::UnknownFilter { column, .. }
            | QueryError::EmptyValue { column, .. }
            | QueryError::UnbalancedQuote { column, .. }
            | QueryError::UnclosedParen { column }
            | QueryError::UnopenedParen { column }
            | QueryError::EmptyGroup { column }
            | QueryError::MissingOperand { column, .. }
            | QueryError::EmptyPhrase { column }
            | QueryError::TooDeep { column }
            | QueryError::TooManyTerms { column }
            | QueryError::TooLong { column } => Some(*column),
        }
    }

    /// The filter the error is about, if any (as typed for unknown ones).
    pub fn filter(&self) -> Option<&str> {
        match self {
            QueryError::UnknownFilter { name, .. } => Some(name),
            QueryError::EmptyValue { name, .. } | QueryError::BadValue { name, .. } => Some(name),
            _ => None,
        }
    }
}

fn filter_names() -> String {
    FILTERS
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

fn example(key: FilterKey) -> &'static str {
    crate::entity::filter_of(key).map_or("", |f| f.example)
}

/// Edit distance with adjacent transpositions (optimal string alignment).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// The filter name nearest to an unknown one: same letters in another case,
/// or within one edit per three letters (at least one).
pub fn suggest_filter(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    if let Some(k) = FilterKey::parse(&lower) {
        return Some(k.name());
    }
    let allowed = (lower.chars().count() / 3).max(1);
    FILTERS
        .iter()
        .map(|(n, _)| (edit_distance(&lower, n), *n))
        .filter(|(d, _)| *d <= allowed)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A quoted phrase or a single word: text that must occur (after
    /// normalization).
    Literal(String),
    /// Bare words side by side: each must occur; where they stand together
    /// (one space apart, in this order) the document ranks first.
    Words(Vec<String>),
    /// A field filter.
    Filter(FilterKey, String),
    /// Everything but.
    Not(Box<Node>),
    /// All must match.
    And(Vec<Node>),
    /// Any may match.
    Or(Vec<Node>),
}

impl Node {
    /// Visits the literal strings and filter values (for highlighting).
    pub fn positive_parts<'a>(&'a self, out: &mut Vec<(Option<FilterKey>, &'a str)>) {
        match self {
            Node::Literal(s) => out.push((None, s)),
            Node::Words(w) => out.extend(w.iter().map(|s| (None, s.as_str()))),
            Node::Filter(k, v) => out.push((Some(*k), v)),
            Node::Not(_) => {}
            Node::And(v) | Node::Or(v) => v.iter().for_each(|n| n.positive_parts(out)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word(String),
    Quoted(String),
    Filter(FilterKey, String),
    And,
    Or,
    /// `NOT` or `-` (the text, for messages).
    Not(&'static str),
    Open,
    Close,
}

/// A token and its 0-based character index.
type Spanned = (Tok, usize);

fn closing_quote(c: char) -> Option<char> {
    match c {
        '"' => Some('"'),
        '“' => Some('”'),
        _ => None,
    }
}

/// Characters that end a bare word.
fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"' | '“' | '”')
}

/// True when `s` has something to search for once it is folded for
/// matching (spacing and invisible characters gone).
fn has_text(s: &str) -> bool {
    s.chars().any(|c| !c.is_whitespace() && !is_invisible(c))
        && !fold_for_match(&repair(s)).chars.is_empty()
}

/// Reads a quoted string whose opening quote is at `open`; returns it and
/// the index after the closing quote.
fn read_quoted(chars: &[char], open: usize) -> Result<(String, usize), QueryError> {
    let quote = chars[open];
    let close = closing_quote(quote).unwrap_or(quote);
    let start = open + 1;
    match chars[start..].iter().position(|&c| c == close) {
        Some(len) => Ok((chars[start..start + len].iter().collect(), start + len + 1)),
        None => Err(QueryError::UnbalancedQuote {
            column: open + 1,
            quote,
            opening: true,
        }),
    }
}

/// The length of a filter name at `i` (ASCII letters followed by `:` that
/// is not the start of `://`), if one is there.
fn filter_name_len(chars: &[char], i: usize) -> Option<usize> {
    let len = chars[i..]
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    if len == 0 || chars.get(i + len) != Some(&':') {
        return None;
    }
    let url = chars.get(i + len + 1) == Some(&'/') && chars.get(i + len + 2) == Some(&'/');
    (!url).then_some(len)
}

fn lex(chars: &[char]) -> Result<Vec<Spanned>, QueryError> {
    let mut toks = Vec::new();
    let mut terms = 0usize;
    let mut count_term = |at: usize| {
        terms += 1;
        if terms > MAX_TERMS {
            Err(QueryError::TooManyTerms { column: at + 1 })
        } else {
            Ok(())
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match c {
            '(' => {
                toks.push((Tok::Open, at));
                i += 1;
                continue;
            }
            ')' => {
                toks.push((Tok::Close, at));
                i += 1;
                continue;
            }
            '”' => {
                return Err(QueryError::UnbalancedQuote {
                    column: at + 1,
                    quote: c,
                    opening: false,
                });
            }
            '"' | '“' => {
                let (s, next) = read_quoted(chars, at)?;
                if !has_text(&s) {
                    return Err(QueryError::EmptyPhrase { column: at + 1 });
                }
                count_term(at)?;
                toks.push((Tok::Quoted(s), at));
                i = next;
                continue;
            }
            '-' => {
                match chars.get(i + 1) {
                    Some(n) if n.is_ascii_digit() => {} // text: `-2570`
                    Some(n) if !n.is_whitespace() && *n != ')' => {
                        toks.push((Tok::Not("-"), at));
                        i += 1;
                        continue;
                    }
                    _ => {
                        return Err(QueryError::MissingOperand {
                            column: at + 1,
                            op: "-".into(),
                            need: "must stand right before what it excludes, with no space (to search for a dash, quote it: \"2566 - 2570\")",
                        });
                    }
                }
            }
            _ => {}
        }
        if let Some(len) = filter_name_len(chars, i) {
            let name: String = chars[i..i + len].iter().collect();
            let Some(key) = FilterKey::parse(&name) else {
                return Err(QueryError::UnknownFilter {
                    column: at + 1,
                    suggestion: suggest_filter(&name),
                    name,
                });
            };
            let after = i + len + 1;
            let (value, next) = match chars.get(after) {
                Some(&q) if closing_quote(q).is_some() => read_quoted(chars, after)?,
                _ => {
                    let end = chars[after..]
                        .iter()
                        .position(|&c| ends_word(c))
                        .map_or(chars.len(), |n| after + n);
                    (chars[after..end].iter().collect(), end)
                }
            };
            if !has_text(&value) {
                return Err(QueryError::EmptyValue {
                    column: at + 1,
                    name: key.name(),
                    example: example(key),
                });
            }
            check_value(key, &value)?;
            count_term(at)?;
            toks.push((Tok::Filter(key, value), at));
            i = next;
            continue;
        }
        let end = chars[i..]
            .iter()
            .position(|&c| ends_word(c))
            .map_or(chars.len(), |n| i + n);
        let w: String = chars[i..end].iter().collect();
        i = end;
        let tok = match w.as_str() {
            "AND" => Tok::And,
            "OR" => Tok::Or,
            "NOT" => Tok::Not("NOT"),
            _ => {
                if !has_text(&w) {
                    // only invisible characters: nothing to look for
                    continue;
                }
                count_term(at)?;
                Tok::Word(w)
            }
        };
        toks.push((tok, at));
    }
    Ok(toks)
}

/// Checks the values that need no index to judge.
fn check_value(key: FilterKey, value: &str) -> Result<(), QueryError> {
    let bad = |reason: String| QueryError::BadValue {
        name: key.name(),
        value: value.to_string(),
        reason,
    };
    match key {
        FilterKey::TYPE if crate::model::DocType::parse(&value.trim().to_lowercase()).is_none() => {
            Err(bad(
                "unknown type (order, circular, letter, announcement, news, other)".into(),
            ))
        }
        FilterKey::DATE if date_range(key, value).is_none() => Err(bad(
            "not a date (e.g. date:2566, date:2023-03, date:2023-01-01..2023-12-31, date:2016-01-01.., date:..2030-12-31, date:2566-2567)".into(),
        )),
        FilterKey::FY if date_range(key, value).is_none() => Err(bad(
            "not a fiscal year (e.g. fy:2566, fy:2023, fy:2565..2566)".into(),
        )),
        _ => Ok(()),
    }
}

/// The inclusive CE day range of a `date:` or `fy:` value. Beyond
/// [`crate::normalize::date::parse_filter`], a range of two 4-digit years
/// written with a hyphen, as Thai writers do (`2566-2567`, `2023-2024`).
pub fn date_range(
    key: FilterKey,
    value: &str,
) -> Option<(crate::normalize::date::Ymd, crate::normalize::date::Ymd)> {
    let field = match key {
        FilterKey::DATE => "date",
        FilterKey::FY => "fy",
        _ => return None,
    };
    let folded = crate::normalize::fold_digits(value.trim());
    let years = folded.split_once('-').filter(|(a, b)| {
        a.len() == 4
            && b.len() == 4
            && a.bytes().all(|c| c.is_ascii_digit())
            && b.bytes().all(|c| c.is_ascii_digit())
    });
    match years {
        Some((a, b)) => crate::normalize::date::parse_filter(field, &format!("{a}..{b}")),
        None => crate::normalize::date::parse_filter(field, &folded),
    }
}

struct Parser {
    toks: Vec<Spanned>,
    pos: usize,
    /// Index of the query's end (for messages about what is missing there).
    end: usize,
}

/// What a sequence ends at.
enum Until {
    End,
    /// The `)` of the `(` at this index.
    Close(usize),
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn at(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end, |(_, a)| *a)
    }

    /// True when the next token can start an operand.
    fn operand_next(&self) -> bool {
        matches!(
            self.peek(),
            Some(Tok::Word(_) | Tok::Quoted(_) | Tok::Filter(..) | Tok::Not(_) | Tok::Open)
        )
    }

    /// Items up to the end or the closing parenthesis, side by side.
    fn parse_seq(&mut self, depth: usize, until: Until) -> Result<Node, QueryError> {
        // (node, bare word)
        let mut items: Vec<(Node, bool)> = Vec::new();
        loop {
            match self.peek() {
                None => {
                    if let Until::Close(open) = until {
                        return Err(QueryError::UnclosedParen { column: open + 1 });
                    }
                    break;
                }
                Some(Tok::Close) => {
                    let at = self.at();
                    if let Until::Close(open) = until {
                        self.pos += 1;
                        if items.is_empty() {
                            return Err(QueryError::EmptyGroup { column: open + 1 });
                        }
                        break;
                    }
                    return Err(QueryError::UnopenedParen { column: at + 1 });
                }
                Some(Tok::And) => {
                    let at = self.at();
                    self.pos += 1;
                    if items.is_empty() || !self.operand_next() {
                        return Err(QueryError::MissingOperand {
                            column: at + 1,
                            op: "AND".into(),
                            need: "needs something on each side",
                        });
                    }
                }
                Some(Tok::Or) => {
                    return Err(QueryError::MissingOperand {
                        column: self.at() + 1,
                        op: "OR".into(),
                        need: "needs something on each side",
                    });
                }
                Some(_) => {
                    let item = self.parse_or(depth)?;
                    items.push(item);
                }
            }
        }
        let mut out: Vec<Node> = Vec::new();
        let mut run: Vec<String> = Vec::new();
        let flush = |run: &mut Vec<String>, out: &mut Vec<Node>| match run.len() {
            0 => {}
            1 => out.extend(run.drain(..).map(Node::Literal)),
            _ => out.push(Node::Words(std::mem::take(run))),
        };
        for (node, bare) in items {
            match node {
                Node::Literal(w) if bare => run.push(w),
                n => {
                    flush(&mut run, &mut out);
                    out.push(n);
                }
            }
        }
        flush(&mut run, &mut out);
        Ok(match out.len() {
            1 => out.pop().unwrap_or(Node::And(Vec::new())),
            _ => Node::And(out),
        })
    }

    /// Alternatives joined by `OR`; the flag is set for a lone bare word.
    fn parse_or(&mut self, depth: usize) -> Result<(Node, bool), QueryError> {
        let (first, bare) = self.parse_unary(depth)?;
        if self.peek() != Some(&Tok::Or) {
            return Ok((first, bare));
        }
        let mut alts = vec![first];
        while self.peek() == Some(&Tok::Or) {
            let at = self.at();
            self.pos += 1;
            if !self.operand_next() {
                return Err(QueryError::MissingOperand {
                    column: at + 1,
                    op: "OR".into(),
                    need: "needs something on each side",
                });
            }
            alts.push(self.parse_unary(depth)?.0);
        }
        Ok((Node::Or(alts), false))
    }

    fn parse_unary(&mut self, depth: usize) -> Result<(Node, bool), QueryError> {
        let at = self.at();
        let Some((tok, _)) = self.toks.get(self.pos).cloned() else {
            return Err(QueryError::Empty);
        };
        self.pos += 1;
        Ok(match tok {
            Tok::Not(op) => {
                if depth >= MAX_DEPTH {
                    return Err(QueryError::TooDeep { column: at + 1 });
                }
                if !self.operand_next() {
                    return Err(QueryError::MissingOperand {
                        column: at + 1,
                        op: op.into(),
                        need: "needs something to exclude right after it",
                    });
                }
                let (inner, _) = self.parse_unary(depth + 1)?;
                (Node::Not(Box::new(inner)), false)
            }
            Tok::Open => {
                if depth >= MAX_DEPTH {
                    return Err(QueryError::TooDeep { column: at + 1 });
                }
                (self.parse_seq(depth + 1, Until::Close(at))?, false)
            }
            Tok::Quoted(s) => (Node::Literal(s), false),
            Tok::Filter(k, v) => (Node::Filter(k, v), false),
            Tok::Word(w) => (Node::Literal(w), true),
            Tok::And | Tok::Or | Tok::Close => {
                return Err(QueryError::MissingOperand {
                    column: at + 1,
                    op: match tok {
                        Tok::And => "AND",
                        Tok::Or => "OR",
                        _ => ")",
                    }
                    .into(),
                    need: "cannot stand here",
                });
            }
        })
    }
}

/// Parses a query string.
pub fn parse(q: &str) -> Result<Node, QueryError> {
    let chars: Vec<char> = q.chars().take(MAX_QUERY_CHARS + 1).collect();
    if chars.len() > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong {
            column: MAX_QUERY_CHARS + 1,
        });
    }
    let toks = lex(&chars)?;
    if !toks
        .iter()
        .any(|(t, _)| matches!(t, Tok::Word(_) | Tok::Quoted(_) | Tok::Filter(..)))
    {
        // only operators, or nothing at all
        return Err(match toks.first() {
            None => QueryError::Empty,
            Some((t, at)) => match t {
                Tok::Open => {
                    // `()` or `(`: say what is wrong with the parentheses
                    let mut p = Parser {
                        toks,
                        pos: 0,
                        end: chars.len(),
                    };
                    return p.parse_seq(0, Until::End).and(Err(QueryError::Empty));
                }
                Tok::Close => QueryError::UnopenedParen { column: at + 1 },
                Tok::And => operator_alone(*at, "AND"),
                Tok::Or => operator_alone(*at, "OR"),
                Tok::Not(op) => operator_alone(*at, op),
                _ => QueryError::Empty,
            },
        });
    }
    let mut p = Parser {
        toks,
        pos: 0,
        end: chars.len(),
    };
    p.parse_seq(0, Until::End)
}

fn operator_alone(at: usize, op: &str) -> QueryError {
    QueryError::MissingOperand {
        column: at + 1,
        op: op.into(),
        need: "is an operator: the query has nothing to search for (to search for the word, quote it)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> Node {
        Node::Literal(s.to_string())
    }

    fn words(w: &[&str]) -> Node {
        Node::Words(w.iter().map(|s| s.to_string()).collect())
    }

    fn ok(q: &str) -> Node {
        match parse(q) {
            Ok(n) => n,
            Err(e) => panic!("{q:?}: {e}"),
        }
    }

    #[test]
    fn bare_words_side_by_side_must_all_occur() {
        assert_eq!(ok("นายณรงค์ วุ่นซิ่ว"), words(&["นายณรงค์", "วุ่นซิ่ว"]));
    }

    #[test]
    fn a_quoted_phrase_is_one_literal() {
        assert_eq!(ok("\"นายณรงค์ วุ่นซิ่ว\""), lit("นายณรงค์ วุ่นซิ่ว"));
        assert_eq!(ok("“พ.ศ. 2566”"), lit("พ.ศ. 2566"));
    }

    #[test]
    fn filters_and_words_combine() {
        assert_eq!(
            ok("date:2567 สิทธิมนุษยชน"),
            Node::And(vec![
                Node::Filter(FilterKey::DATE, "2567".into()),
                lit("สิทธิมนุษยชน")
            ])
        );
        assert_eq!(
            ok("official:\"ณรงค์ วุ่นซิ่ว\""),
            Node::Filter(FilterKey::OFFICIAL, "ณรงค์ วุ่นซิ่ว".into())
        );
    }

    #[test]
    fn or_binds_tighter_than_a_space() {
        assert_eq!(
            ok("ภูเก็ต สงขลา OR ตรัง"),
            Node::And(vec![lit("ภูเก็ต"), Node::Or(vec![lit("สงขลา"), lit("ตรัง")])])
        );
    }

    #[test]
    fn and_is_an_operator_not_a_word() {
        assert_eq!(
            ok("(ภูเก็ต OR สงขลา) AND ผู้ว่าราชการ"),
            Node::And(vec![
                Node::Or(vec![lit("ภูเก็ต"), lit("สงขลา")]),
                lit("ผู้ว่าราชการ")
            ])
        );
        assert_eq!(ok("ภูเก็ต AND สงขลา"), words(&["ภูเก็ต", "สงขลา"]));
    }

    #[test]
    fn a_dash_before_a_digit_is_text() {
        assert_eq!(ok("2566 -2570"), words(&["2566", "-2570"]));
        assert_eq!(
            ok("สิทธิ -ภูเก็ต"),
            Node::And(vec![lit("สิทธิ"), Node::Not(Box::new(lit("ภูเก็ต")))])
        );
    }

    #[test]
    fn urls_and_times_are_text() {
        assert_eq!(ok("https://example.org"), lit("https://example.org"));
        assert_eq!(ok("10:30"), lit("10:30"));
        assert_eq!(ok("\"ISO:9001\""), lit("ISO:9001"));
    }

    #[test]
    fn suggestions_are_near_names() {
        assert_eq!(suggest_filter("Type"), Some("type"));
        assert_eq!(suggest_filter("provice"), Some("province"));
        assert_eq!(suggest_filter("tpye"), Some("type"));
        assert_eq!(suggest_filter("foo"), None);
        assert_eq!(suggest_filter("https"), None);
    }

    #[test]
    fn every_filter_is_listed_once() {
        for (name, desc) in FILTERS.iter() {
            let key = FilterKey::parse(name).map(FilterKey::name);
            assert_eq!(key, Some(*name));
            assert!(!desc.is_empty());
        }
        assert_eq!(FILTERS.len(), 9);
    }
}
