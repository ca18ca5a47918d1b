//! The query language: parsing user queries into a small syntax tree.
//!
//! * Plain text is a **literal**: adjacent bare words form one phrase, spaces
//!   included (Thai writes spaces between phrases, not words, so a space in a
//!   query is part of what is looked for). `"quoted phrases"` are literals too.
//! * `key:value` and `key:"quoted value"` are **filters** for the known keys
//!   (`order`, `number`, `docno`, `province`, `official`, `plan`, `type`,
//!   `date`, `fy`); any other `word:word` is plain text.
//! * Items side by side must all match (implicit `AND`); `OR` joins
//!   alternatives and binds tighter than `AND`; `-item` or `NOT item`
//!   excludes. Parentheses group only in queries that use an operator, so a
//!   literal such as `(พ.ศ. 2566-2570)` keeps its parentheses.

/// A filter key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterKey {
    /// Cited order number.
    Order,
    /// The document's own order number.
    Number,
    /// Letter number.
    Docno,
    /// Province.
    Province,
    /// Official's name.
    Official,
    /// Plan name (and edition).
    Plan,
    /// Document type.
    Type,
    /// Document date range.
    Date,
    /// Thai fiscal year.
    Fy,
}

impl FilterKey {
    fn parse(s: &str) -> Option<FilterKey> {
        Some(match s {
            "order" => FilterKey::Order,
            "number" => FilterKey::Number,
            "docno" => FilterKey::Docno,
            "province" => FilterKey::Province,
            "official" => FilterKey::Official,
            "plan" => FilterKey::Plan,
            "type" => FilterKey::Type,
            "date" => FilterKey::Date,
            "fy" => FilterKey::Fy,
            _ => return None,
        })
    }
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// Text that must occur (after normalization).
    Literal(String),
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
    Not,
    Open,
    Close,
}

/// Reads a quoted string starting after the opening quote; returns it and
/// the index after the closing quote (or the end when unclosed).
fn read_quoted(chars: &[char], mut i: usize, close: char) -> (String, usize) {
    let mut s = String::new();
    while i < chars.len() && chars[i] != close {
        s.push(chars[i]);
        i += 1;
    }
    (s, (i + 1).min(chars.len()))
}

fn closing_quote(c: char) -> Option<char> {
    match c {
        '"' => Some('"'),
        '“' => Some('”'),
        _ => None,
    }
}

fn lex(q: &str, grouping: bool) -> Vec<Tok> {
    let chars: Vec<char> = q.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if grouping && c == '(' {
            toks.push(Tok::Open);
            i += 1;
            continue;
        }
        if grouping && c == ')' {
            toks.push(Tok::Close);
            i += 1;
            continue;
        }
        if let Some(close) = closing_quote(c) {
            let (s, next) = read_quoted(&chars, i + 1, close);
            toks.push(Tok::Quoted(s));
            i = next;
            continue;
        }
        if c == '-'
            && chars
                .get(i + 1)
                .is_some_and(|n| !n.is_whitespace() && !n.is_ascii_digit())
        {
            toks.push(Tok::Not);
            i += 1;
            continue;
        }
        // a bare word up to whitespace (or a grouping parenthesis)
        let start = i;
        let mut filter = false;
        while i < chars.len()
            && !chars[i].is_whitespace()
            && !(grouping && (chars[i] == '(' || chars[i] == ')'))
        {
            if chars[i] == ':' {
                let key: String = chars[start..i].iter().collect();
                if let Some(k) = FilterKey::parse(&key) {
                    let after = i + 1;
                    if let Some(close) = chars.get(after).copied().and_then(closing_quote) {
                        let (v, next) = read_quoted(&chars, after + 1, close);
                        toks.push(Tok::Filter(k, v));
                        i = next;
                    } else {
                        let mut j = after;
                        while j < chars.len()
                            && !chars[j].is_whitespace()
                            && !(grouping && chars[j] == ')')
                        {
                            j += 1;
                        }
                        toks.push(Tok::Filter(k, chars[after..j].iter().collect()));
                        i = j;
                    }
                    filter = true;
                    break;
                }
            }
            i += 1;
        }
        if !filter && i > start {
            let w: String = chars[start..i].iter().collect();
            toks.push(match w.as_str() {
                "AND" => Tok::And,
                "OR" => Tok::Or,
                "NOT" => Tok::Not,
                _ => Tok::Word(w),
            });
        }
    }
    toks
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn parse_and(&mut self) -> Node {
        let mut items = Vec::new();
        while let Some(t) = self.peek() {
            match t {
                Tok::Close => break,
                Tok::And => {
                    self.pos += 1;
                }
                _ => {
                    if let Some(n) = self.parse_or() {
                        items.push(n);
                    }
                }
            }
        }
        if items.len() == 1 {
            items.pop().unwrap_or(Node::And(Vec::new()))
        } else {
            Node::And(items)
        }
    }

    fn parse_or(&mut self) -> Option<Node> {
        let first = self.parse_unary()?;
        let mut alts = vec![first];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            if let Some(n) = self.parse_unary() {
                alts.push(n);
            }
        }
        Some(if alts.len() == 1 {
            alts.remove(0)
        } else {
            Node::Or(alts)
        })
    }

    fn parse_unary(&mut self) -> Option<Node> {
        let t = self.peek()?.clone();
        self.pos += 1;
        match t {
            Tok::Not => self.parse_unary().map(|n| Node::Not(Box::new(n))),
            Tok::Open => {
                let n = self.parse_and();
                if self.peek() == Some(&Tok::Close) {
                    self.pos += 1;
                }
                Some(n)
            }
            Tok::Quoted(s) => Some(Node::Literal(s)),
            Tok::Filter(k, v) => Some(Node::Filter(k, v)),
            Tok::Word(w) => {
                // adjacent bare words are one phrase
                let mut phrase = w;
                while let Some(Tok::Word(next)) = self.peek() {
                    phrase.push(' ');
                    phrase.push_str(next);
                    self.pos += 1;
                }
                Some(Node::Literal(phrase))
            }
            Tok::And | Tok::Or | Tok::Close => None,
        }
    }
}

/// Parses a query string.
pub fn parse(q: &str) -> Node {
    let probe = lex(q, false);
    let grouping = probe
        .iter()
        .any(|t| matches!(t, Tok::And | Tok::Or | Tok::Not));
    let toks = if grouping { lex(q, true) } else { probe };
    let mut p = Parser { toks, pos: 0 };
    let mut items = Vec::new();
    while p.pos < p.toks.len() {
        match p.parse_and() {
            Node::And(v) => items.extend(v),
            n => items.push(n),
        }
        // stray closing parenthesis
        if p.peek() == Some(&Tok::Close) {
            p.pos += 1;
        }
    }
    if items.len() == 1 {
        items.pop().unwrap_or(Node::And(Vec::new()))
    } else {
        Node::And(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> Node {
        Node::Literal(s.to_string())
    }

    #[test]
    fn bare_words_form_one_phrase() {
        assert_eq!(parse("นายณรงค์ วุ่นซิ่ว"), lit("นายณรงค์ วุ่นซิ่ว"));
        assert_eq!(parse("พ.ศ. 2566"), lit("พ.ศ. 2566"));
        assert_eq!(parse("(พ.ศ. 2566-2570)"), lit("(พ.ศ. 2566-2570)"));
    }

    #[test]
    fn filters_and_words_combine() {
        assert_eq!(
            parse("date:2567 สิทธิมนุษยชน"),
            Node::And(vec![
                Node::Filter(FilterKey::Date, "2567".into()),
                lit("สิทธิมนุษยชน")
            ])
        );
        assert_eq!(
            parse("type:order order:2/2566"),
            Node::And(vec![
                Node::Filter(FilterKey::Type, "order".into()),
                Node::Filter(FilterKey::Order, "2/2566".into())
            ])
        );
        assert_eq!(
            parse("official:\"ณรงค์ วุ่นซิ่ว\""),
            Node::Filter(FilterKey::Official, "ณรงค์ วุ่นซิ่ว".into())
        );
    }

    #[test]
    fn operators() {
        assert_eq!(
            parse("ภูเก็ต OR สงขลา"),
            Node::Or(vec![lit("ภูเก็ต"), lit("สงขลา")])
        );
        assert_eq!(
            parse("สิทธิมนุษยชน -ภูเก็ต"),
            Node::And(vec![lit("สิทธิมนุษยชน"), Node::Not(Box::new(lit("ภูเก็ต")))])
        );
        assert_eq!(parse("\"ก\" \"ข\""), Node::And(vec![lit("ก"), lit("ข")]));
        assert_eq!(
            parse("(ภูเก็ต OR สงขลา) AND ผู้ว่าราชการ"),
            Node::And(vec![
                Node::Or(vec![lit("ภูเก็ต"), lit("สงขลา")]),
                lit("ผู้ว่าราชการ")
            ])
        );
        // a number range is not an exclusion
        assert_eq!(parse("2566 -2570"), lit("2566 -2570"));
    }

    #[test]
    fn unknown_keys_are_text() {
        assert_eq!(parse("http://example.org"), lit("http://example.org"));
    }
}
