//! HTML pages: decoding, then the article found by readability
//! (`dom_smoothie`) in formatted-text mode, so paragraphs stay on their own
//! lines (Thai has no spaces between words, and paragraphs glued together
//! would merge words across them).
//!
//! The character set comes from a byte-order mark, else from `<meta charset>`
//! (or `http-equiv` content type), else from the same detection as text
//! files. The title is readability's article title, else `<title>`. When
//! readability finds nothing, a plain tag stripper reads the whole page.
//!
//! Readability keeps one container of the page; real paragraphs in a sibling
//! container would be lost. So every block of the page that readability
//! dropped is put back, in page order, unless it is provably furniture: its
//! text sits inside a navigation, header, footer, aside, form, menu, button
//! or select element, or an element whose class or id names page furniture
//! (nav, menu, footer, share, related, breadcrumb, comment, sidebar,
//! widget), or at least 80% of it is link text (menus, related-news lists).
//! The text then goes through the same furniture rules as any other.

use dom_smoothie::{Config, Readability, TextMode};
use encoding_rs::Encoding;
use once_cell::sync::Lazy;
use regex::Regex;

use super::{ExtractError, collapse_spaces, decode_text, finish, furniture};
use crate::model::{Extracted, Format};
use crate::normalize::repair;

/// Pages with more elements than this are read by the tag stripper only.
const MAX_ELEMENTS: usize = 200_000;

/// Pages nested deeper than this are read by the tag stripper only:
/// readability walks the tree recursively (time grows with the square of the
/// depth, and 100k levels overflow the stack). Real pages stay far below.
const MAX_DEPTH: usize = 400;

/// Extracts the article of an HTML page.
pub(crate) fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let (html, encoding, lossy) = decode_html(bytes);
    let mut warnings = Vec::new();
    if lossy {
        warnings.push(format!(
            "invalid bytes replaced while decoding as {encoding}"
        ));
    }
    let page_title = page_title(&html);
    let tree = if nesting_depth(html.as_bytes()) > MAX_DEPTH {
        None
    } else {
        readable(&html)
    };
    let (body, title) = match tree {
        Some((text, title)) if !text.trim().is_empty() => {
            (with_dropped_blocks(&html, text), title.or(page_title))
        }
        _ => (strip_tags(&html), page_title),
    };
    let cleaned = furniture::remove_furniture(&repair(&body));
    let title = title
        .map(|t| collapse_spaces(&repair(&t)))
        .filter(|t| !t.is_empty())
        .map(|t| without_site_name(t, &cleaned));
    let text = match &title {
        Some(t) if !starts_with_title(&cleaned, t) => format!("{t}\n\n{cleaned}"),
        _ => cleaned,
    };
    Ok(finish(&text, Format::Html, encoding, title, warnings))
}

/// The title without a site name glued to it (`headline - Site`) when the
/// bare headline is a line of the article.
fn without_site_name(title: String, text: &str) -> String {
    let early: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(12)
        .collect();
    if let Some(bare) = early
        .iter()
        .find_map(|l| furniture::strip_site_name(&title, l))
    {
        return bare;
    }
    // `Short headline | Site` where the article's heading is the full one.
    for sep in [" | ", " - ", " – ", " :: "] {
        if let Some((head, _)) = title.rsplit_once(sep) {
            let head = head.trim();
            if head.chars().count() >= 10
                && let Some(line) = early
                    .iter()
                    .find(|l| l.starts_with(head) || l.contains(head))
            {
                return (*line).to_string();
            }
        }
    }
    // `Long headline - Short site name`.
    for sep in [" | ", " - ", " – ", " :: "] {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            let (h, t) = (head.trim().chars().count(), tail.trim().chars().count());
            if t > 0 && t <= 30 && h >= 20 && h >= 2 * t {
                return head.trim().to_string();
            }
        }
    }
    title
}

/// True when the title already opens the text (possibly split over lines).
fn starts_with_title(text: &str, title: &str) -> bool {
    let head: String = text.chars().take(title.chars().count() * 2 + 50).collect();
    collapse_spaces(&head).contains(title)
}

/// Decodes the page: BOM, then the declared charset, then detection.
fn decode_html(bytes: &[u8]) -> (String, &'static str, bool) {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let (s, lossy) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (s.into_owned(), enc.name(), lossy);
    }
    if let Some(enc) = declared_charset(bytes) {
        // A page declaring a single-byte charset but written in UTF-8 is
        // common; trust valid UTF-8 over such a label.
        if enc != encoding_rs::UTF_8
            && !bytes.is_ascii()
            && let Ok(s) = std::str::from_utf8(bytes)
        {
            return (s.to_string(), encoding_rs::UTF_8.name(), false);
        }
        let (s, lossy) = enc.decode_without_bom_handling(bytes);
        if !lossy || enc == encoding_rs::UTF_8 {
            return (s.into_owned(), enc.name(), lossy);
        }
    }
    let d = decode_text(bytes);
    (d.text, d.encoding, d.lossy)
}

static META_CHARSET: Lazy<regex::bytes::Regex> = Lazy::new(|| {
    regex::bytes::Regex::new(r#"(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)"#)
        .expect("literal pattern")
});

/// The charset named by a `<meta>` tag in the first 4 KiB.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let label = META_CHARSET.captures(head)?.get(1)?;
    let enc = Encoding::for_label(label.as_bytes())?;
    // A UTF-16 label on a page that parsed as ASCII-compatible is wrong.
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        return Some(encoding_rs::UTF_8);
    }
    Some(enc)
}

static TITLE: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(?is)<title[^>]*>(.*?)</title>").expect("literal pattern"));

/// The `<title>` element's text.
fn page_title(html: &str) -> Option<String> {
    let raw = TITLE.captures(html)?.get(1)?.as_str();
    let t = collapse_spaces(&decode_entities(raw));
    (!t.is_empty()).then_some(t)
}

/// How deep the page's elements nest, over-estimated in linear time:
/// opening tags count one level and closing tags take one off; void
/// elements and those whose end tag may be left out are not counted.
fn nesting_depth(html: &[u8]) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &html[i..]) {
        i += off + 1;
        match html.get(i) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let end = html[i..]
                    .iter()
                    .position(|c| !c.is_ascii_alphanumeric())
                    .map_or(html.len(), |n| i + n);
                let name = html[i..end].to_ascii_lowercase();
                i = end;
                if !unnested(&name) {
                    depth += 1;
                    max = max.max(depth);
                }
            }
            _ => {}
        }
    }
    max
}

/// Elements that never hold others, or whose end tag is usually left out.
fn unnested(name: &[u8]) -> bool {
    matches!(
        name,
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"param"
            | b"source"
            | b"track"
            | b"wbr"
            | b"p"
            | b"li"
            | b"dt"
            | b"dd"
            | b"tr"
            | b"td"
            | b"th"
            | b"option"
            | b"optgroup"
            | b"thead"
            | b"tbody"
            | b"tfoot"
            | b"colgroup"
            | b"rb"
            | b"rt"
            | b"rp"
    )
}

/// Readability's article text and title.
fn readable(html: &str) -> Option<(String, Option<String>)> {
    let cfg = Config {
        text_mode: TextMode::Formatted,
        max_elements_to_parse: MAX_ELEMENTS,
        ..Config::default()
    };
    let mut r = Readability::new(html, None, Some(cfg)).ok()?;
    let article = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| r.parse()))
        .ok()?
        .ok()?;
    let title = Some(collapse_spaces(&article.title)).filter(|t| !t.is_empty());
    Some((article.text_content.to_string(), title))
}

/// A block of the page (text between block-level tags) outside furniture
/// elements.
#[derive(Debug, Default)]
struct Block {
    /// The block's text, spaces collapsed.
    text: String,
    /// Non-space characters of the block.
    chars: usize,
    /// Non-space characters inside links.
    link_chars: usize,
}

impl Block {
    /// Mostly link text: a menu entry or a list of links to other pages.
    fn is_links(&self) -> bool {
        self.link_chars * 5 >= self.chars * 4
    }
}

/// How far back a closing tag looks for the element it closes.
const MAX_CLOSE_LOOKBACK: usize = 64;

/// Elements whose text is page furniture, never an article's.
fn is_furniture_element(name: &str) -> bool {
    matches!(
        name,
        "nav" | "header" | "footer" | "aside" | "form" | "menu" | "button" | "select"
    )
}

/// True when a start tag's class or id names page furniture.
fn has_furniture_name(tag: &str) -> bool {
    static CLASS_ID: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r#"(?i)\s(?:class|id)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"#)
            .expect("literal pattern")
    });
    const WORDS: &[&str] = &[
        "nav",
        "menu",
        "footer",
        "share",
        "related",
        "breadcrumb",
        "comment",
        "sidebar",
        "widget",
    ];
    CLASS_ID.captures_iter(tag).any(|c| {
        let value = c
            .get(1)
            .or_else(|| c.get(2))
            .or_else(|| c.get(3))
            .map_or("", |m| m.as_str())
            .to_ascii_lowercase();
        value
            .split(|ch: char| !ch.is_ascii_alphanumeric())
            .any(|token| WORDS.iter().any(|w| token.starts_with(w)))
    })
}

/// The page's blocks in order, text inside furniture elements left out.
fn page_blocks(html: &str) -> Vec<Block> {
    let without = SKIP.replace_all(html, " ");
    // Open elements: (name, furniture).
    let mut open: Vec<(String, bool)> = Vec::new();
    let (mut furniture, mut links) = (0usize, 0usize);
    let mut blocks = Vec::new();
    let mut block = Block::default();
    let add_text = |block: &mut Block, raw: &str, furniture: usize, links: usize| {
        if furniture > 0 {
            return;
        }
        let text = decode_entities(raw);
        let n = text.chars().filter(|c| !c.is_whitespace()).count();
        if n == 0 {
            if !block.text.is_empty() && !text.is_empty() {
                block.text.push(' ');
            }
            return;
        }
        block.text.push_str(&text);
        block.chars += n;
        if links > 0 {
            block.link_chars += n;
        }
    };
    let mut last = 0;
    for m in TAG.captures_iter(&without) {
        let Some(whole) = m.get(0) else { continue };
        add_text(&mut block, &without[last..whole.start()], furniture, links);
        last = whole.end();
        let Some(name) = m.get(2).map(|n| n.as_str().to_ascii_lowercase()) else {
            continue;
        };
        if is_block(&name) && block.chars > 0 {
            block.text = squeeze(&block.text);
            blocks.push(std::mem::take(&mut block));
        }
        let closing = m.get(1).is_some_and(|c| !c.as_str().is_empty());
        let mut pop_to = |open: &mut Vec<(String, bool)>, at: usize| {
            for (n, f) in open.drain(at..) {
                furniture -= usize::from(f);
                links -= usize::from(n == "a");
            }
        };
        if closing {
            let floor = open.len().saturating_sub(MAX_CLOSE_LOOKBACK);
            if let Some(at) = open[floor..].iter().rposition(|(n, _)| *n == name) {
                pop_to(&mut open, floor + at);
            }
        } else if !is_void(&name) && !whole.as_str().ends_with("/>") {
            // A new paragraph or list item ends an unclosed one.
            if matches!(name.as_str(), "p" | "li") && open.last().is_some_and(|(n, _)| *n == name) {
                let at = open.len() - 1;
                pop_to(&mut open, at);
            }
            let f = is_furniture_element(&name) || has_furniture_name(whole.as_str());
            furniture += usize::from(f);
            links += usize::from(name == "a");
            open.push((name, f));
        }
    }
    add_text(&mut block, &without[last..], furniture, links);
    if block.chars > 0 {
        block.text = squeeze(&block.text);
        blocks.push(block);
    }
    blocks
}

/// Elements that never have content.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Spaces collapsed to single ones, ends trimmed.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Readability's text with the page's blocks it dropped put back, each
/// after the last line of readability's text that came before it on the
/// page. Furniture blocks (see the module comment) stay out.
fn with_dropped_blocks(html: &str, text: String) -> String {
    let lines: Vec<&str> = text.lines().collect();
    // Readability's text, squeezed, and where each line ends in it.
    let mut all = String::new();
    let mut ends = Vec::with_capacity(lines.len());
    for line in &lines {
        let s = squeeze(line);
        if !s.is_empty() {
            if !all.is_empty() {
                all.push(' ');
            }
            all.push_str(&s);
        }
        ends.push(all.len());
    }
    let blocks: Vec<Block> = page_blocks(html)
        .into_iter()
        .filter(|b| !b.is_links())
        .collect();
    let Some(found) = occurrences(&all, &blocks) else {
        return text;
    };
    // extra[i]: blocks to put after line i - 1 (extra[0]: before the first).
    let mut extra: Vec<Vec<String>> = vec![Vec::new(); lines.len() + 1];
    let (mut cursor, mut slot, mut added) = (0usize, 0usize, false);
    for (block, starts) in blocks.into_iter().zip(found) {
        if let Some(&at) = starts.iter().find(|&&at| at >= cursor) {
            cursor = at;
            let end = cursor + block.text.len();
            slot = ends.partition_point(|&e| e < end) + 1;
        } else if starts.is_empty()
            && let Some(blocks) = extra.get_mut(slot.min(lines.len()))
        {
            blocks.push(block.text);
            added = true;
        }
    }
    if !added {
        return text;
    }
    let mut out = String::with_capacity(text.len() * 2);
    for (i, blocks) in extra.iter().enumerate() {
        if i > 0 {
            out.push_str(lines[i - 1]);
            out.push('\n');
        }
        for b in blocks {
            out.push('\n');
            out.push_str(b);
            out.push_str("\n\n");
        }
    }
    out
}

/// Places a block's text is kept in at most (enough to follow the page's
/// order; a text found this often is not lost).
const MAX_PLACES: usize = 64;

/// Matches looked at in readability's text at most: past that, a page of
/// many tiny blocks is left as readability read it.
const MAX_MATCHES: usize = 1 << 20;

/// For each block, where its text starts in `all` (ascending, at most
/// [`MAX_PLACES`]), found in one pass over `all`; `None` when the page is
/// too costly to compare.
fn occurrences(all: &str, blocks: &[Block]) -> Option<Vec<Vec<usize>>> {
    let mut ids: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut patterns: Vec<&str> = Vec::new();
    let of: Vec<usize> = blocks
        .iter()
        .map(|b| {
            *ids.entry(b.text.as_str()).or_insert_with(|| {
                patterns.push(b.text.as_str());
                patterns.len() - 1
            })
        })
        .collect();
    let ac = aho_corasick::AhoCorasick::new(&patterns).ok()?;
    let mut starts: Vec<Vec<usize>> = vec![Vec::new(); patterns.len()];
    for (n, m) in ac.find_overlapping_iter(all).enumerate() {
        if n >= MAX_MATCHES {
            return None;
        }
        if let Some(s) = starts.get_mut(m.pattern().as_usize())
            && s.len() < MAX_PLACES
        {
            s.push(m.start());
        }
    }
    Some(of.into_iter().map(|i| starts[i].clone()).collect())
}

static SKIP: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?is)<!--.*?-->|<(script|style|noscript|template|svg|head)\b[^>]*>.*?</(?:script|style|noscript|template|svg|head)\s*>")
        .expect("literal pattern")
});

static TAG: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?s)<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)[^>]*>|<[!?/][^>]*>")
        .expect("literal pattern")
});

/// Whole-page text: scripts, styles and comments dropped, block elements
/// on their own lines, entities decoded.
fn strip_tags(html: &str) -> String {
    let without = SKIP.replace_all(html, " ");
    let mut out = String::with_capacity(without.len() / 2);
    let mut last = 0;
    for m in TAG.captures_iter(&without) {
        let Some(whole) = m.get(0) else { continue };
        out.push_str(&decode_entities(&without[last..whole.start()]));
        last = whole.end();
        let name = m
            .get(2)
            .map(|n| n.as_str().to_ascii_lowercase())
            .unwrap_or_default();
        if is_block(&name) {
            out.push('\n');
        }
    }
    out.push_str(&decode_entities(&without[last..]));
    out
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "ul"
            | "ol"
            | "tr"
            | "td"
            | "th"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "blockquote"
            | "pre"
            | "hr"
            | "title"
            | "dt"
            | "dd"
            | "main"
            | "form"
            | "figure"
            | "figcaption"
            | "caption"
            | "address"
    )
}

/// Decodes character references and the common named entities.
fn decode_entities(s: &str) -> String {
    static ENTITY: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});").expect("literal pattern")
    });
    ENTITY
        .replace_all(s, |c: &regex::Captures<'_>| {
            let name = c.get(1).map_or("", |m| m.as_str());
            let ch = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
            {
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.parse::<u32>().ok().and_then(char::from_u32)
            } else {
                match name {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "nbsp" => Some('\u{A0}'),
                    "ndash" => Some('–'),
                    "mdash" => Some('—'),
                    "hellip" => Some('…'),
                    "laquo" => Some('«'),
                    "raquo" => Some('»'),
                    "ldquo" => Some('“'),
                    "rdquo" => Some('”'),
                    "lsquo" => Some('‘'),
                    "rsquo" => Some('’'),
                    "copy" => Some('©'),
                    "bull" => Some('•'),
                    _ => None,
                }
            };
            ch.map_or_else(|| c[0].to_string(), String::from)
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = r#"<html><head><meta charset="utf-8"><title>“คุ้มครองสิทธิฯ” ร่วม จ.ภูเก็ต | MGR Online</title></head>
<body><nav><ul><li><a href="/">หน้าแรก</a></li><li><a href="/news">ข่าว</a></li><li><a href="/sport">กีฬา</a></li></ul></nav>
<article><h1>“คุ้มครองสิทธิฯ” ร่วม จ.ภูเก็ต ขับเคลื่อนงานสิทธิมนุษยชนระดับจังหวัด</h1>
<p>กรมคุ้มครองสิทธิและเสรีภาพร่วมกับ จังหวัดภูเก็ต จัดประชุมคณะอนุกรรมการขับเคลื่อนงานสิทธิมนุษยชนระดับจังหวัด เป็นจังหวัดแรกของประเทศไทย</p>
<p>วันนี้ (24 มี.ค.) ณ ห้องประชุมชั้น 4 ศาลากลางจังหวัดภูเก็ต นายณรงค์ วุ่นซิ่ว ผู้ว่าราชการจังหวัดภูเก็ต ในฐานะประธานคณะอนุกรรมการขับเคลื่อนงานสิทธิมนุษยชนจังหวัดภูเก็ต พร้อมด้วย นายอานุภาพ รอดขวัญ ยอดระบำ รองผู้ว่าราชการจังหวัดภูเก็ต</p>
<p>ทั้งนี้ ภายหลังจากที่มีคำสั่งคณะกรรมการขับเคลื่อนงานสิทธิมนุษยชนของประเทศไทยที่ 2/2566 เรื่องแต่งตั้งคณะอนุกรรมการขับเคลื่อนงานสิทธิมนุษยชนระดับจังหวัด &amp; กรุงเทพมหานคร</p>
</article><footer>© 2023 MGR Online สงวนลิขสิทธิ์</footer><script>var x = "สคริปต์";</script></body></html>"#;

    #[test]
    fn article_paragraphs_stay_apart() {
        let Ok(ex) = extract(ARTICLE.as_bytes()) else {
            panic!("html must extract");
        };
        assert_eq!(ex.format, Format::Html);
        assert_eq!(ex.encoding, "UTF-8");
        assert!(ex.text.contains("เป็นจังหวัดแรกของประเทศไทย\n"), "{}", ex.text);
        assert!(ex.text.contains("\nวันนี้ (24 มี.ค.) ณ ห้องประชุมชั้น 4"));
        assert!(ex.text.contains("ระดับจังหวัด & กรุงเทพมหานคร"));
        for gone in ["หน้าแรก", "กีฬา", "สงวนลิขสิทธิ์", "สคริปต์"]
        {
            assert!(!ex.text.contains(gone), "{gone} in {}", ex.text);
        }
        // The site name after the headline in <title> is cut.
        let title = ex.title.unwrap_or_default();
        assert_eq!(
            title,
            "“คุ้มครองสิทธิฯ” ร่วม จ.ภูเก็ต ขับเคลื่อนงานสิทธิมนุษยชนระดับจังหวัด"
        );
        assert!(ex.text.starts_with(&title));
    }

    #[test]
    fn paragraphs_of_sibling_containers_are_all_kept_in_order() {
        let first = [
            "ศาลากลางจังหวัดภูเก็ต จัดประชุมคณะอนุกรรมการขับเคลื่อนงานสิทธิมนุษยชนระดับจังหวัด เป็นจังหวัดแรกของประเทศไทย",
            "ผู้ว่าราชการจังหวัดภูเก็ต ในฐานะประธานคณะอนุกรรมการ มอบหมายให้ส่วนราชการจัดทำแผนสิทธิมนุษยชนของจังหวัด",
            "ที่ประชุมพิจารณาแนวทางการยกร่างแผน เพื่อให้การดำเนินการด้านสิทธิมนุษยชนมีประสิทธิภาพ",
        ];
        let second = [
            "ทั้งนี้ ภายหลังจากที่มีคำสั่งคณะกรรมการขับเคลื่อนงานสิทธิมนุษยชนของประเทศไทยที่ 2/2566",
            "สำหรับการประชุมครั้งต่อไป คณะอนุกรรมการจะติดตามผลการดำเนินงานของหน่วยงานในจังหวัด",
        ];
        let ps = |ps: &[&str]| ps.iter().map(|p| format!("<p>{p}</p>")).collect::<String>();
        let page = format!(
            "<html><head><meta charset=\"utf-8\"><title>ประชุม</title></head><body>\
             <nav><a href=\"/\">หน้าแรก</a> <a href=\"/n\">ข่าว</a></nav>\
             <section>{}</section><div>{}</div>\
             <ul><li><a href=\"/n/1\">ผู้ว่าฯ ลงพื้นที่ตรวจเยี่ยมประชาชนในอำเภอเมือง</a></li></ul>\
             <div class=\"share-buttons\">แชร์ไปยังเครือข่ายสังคม</div>\
             <footer>สงวนลิขสิทธิ์ 2566</footer></body></html>",
            ps(&first),
            ps(&second)
        );
        let Ok(ex) = extract(page.as_bytes()) else {
            panic!("html must extract");
        };
        let mut from = 0;
        for p in first.iter().chain(&second) {
            let Some(at) = ex.text[from..].find(p) else {
                panic!("{p} missing or out of order in:\n{}", ex.text);
            };
            from += at + p.len();
        }
        for gone in ["หน้าแรก", "ลงพื้นที่ตรวจเยี่ยม", "แชร์", "สงวนลิขสิทธิ์"]
        {
            assert!(!ex.text.contains(gone), "{gone} in:\n{}", ex.text);
        }
    }

    #[test]
    fn declared_windows_874_is_used() {
        let page = ARTICLE.replace("utf-8", "windows-874");
        let (bytes, _, _) = encoding_rs::WINDOWS_874.encode(&page);
        let Ok(ex) = extract(&bytes) else {
            panic!("html must extract");
        };
        assert_eq!(ex.encoding, "windows-874");
        assert!(ex.text.contains("นายณรงค์ วุ่นซิ่ว ผู้ว่าราชการจังหวัดภูเก็ต"));
    }

    #[test]
    fn undeclared_tis_620_is_detected() {
        let page = ARTICLE.replace(r#"<meta charset="utf-8">"#, "");
        let (bytes, _, _) = encoding_rs::WINDOWS_874.encode(&page);
        let Ok(ex) = extract(&bytes) else {
            panic!("html must extract");
        };
        assert_eq!(ex.encoding, "windows-874");
        assert!(
            ex.text
                .contains("คำสั่งคณะกรรมการขับเคลื่อนงานสิทธิมนุษยชนของประเทศไทยที่ 2/2566")
        );
    }

    #[test]
    fn stripper_keeps_blocks_apart_and_decodes() {
        let s = strip_tags(
            "<head><title>x</title></head><div>ก<span>ข</span></div><p>ค&nbsp;ง &#3592; &#x0E08;</p><!-- c --><style>p{}</style>",
        );
        assert!(s.contains("ค\u{A0}ง"));
        assert_eq!(
            s.split_whitespace().collect::<Vec<_>>(),
            ["กข", "ค", "ง", "จ", "จ"]
        );
    }

    #[test]
    fn deeply_nested_pages_are_read_without_overflowing_the_stack() {
        for depth in [20_000, 100_000] {
            let mut page = String::from("<html><body>");
            page.push_str(&"<div>".repeat(depth));
            page.push_str("<p>ประกาศจังหวัดภูเก็ต เรื่อง การประชุม</p>");
            page.push_str(&"</div>".repeat(depth));
            page.push_str("</body></html>");
            let Ok(ex) = extract(page.as_bytes()) else {
                panic!("nested page must extract");
            };
            assert!(ex.text.contains("ประกาศจังหวัดภูเก็ต"), "{}", ex.text);
        }
        assert_eq!(nesting_depth(b"<div><p>a<p>b<br><div></div></div>"), 2);
        assert_eq!(nesting_depth(b"</a></b><"), 0);
    }

    #[test]
    fn tiny_and_odd_pages_do_not_panic() {
        for page in [
            "<",
            "<html>",
            "<p>ข่าว</p>",
            "<title></title>",
            "&#99999999;",
            "<meta charset=\"bogus\">ก",
        ] {
            let _ = extract(page.as_bytes());
        }
        let Ok(ex) = extract("<p>ประกาศ</p>".as_bytes()) else {
            panic!("short page must extract");
        };
        assert!(ex.text.contains("ประกาศ"));
    }
}

#[cfg(test)]
mod fixture_tests {
    use super::*;
    use crate::extract::tests::fixture;

    #[test]
    fn boilerplate_pages() {
        let Ok(ex) = extract(&fixture("corpus/fixtures/news_boilerplate.html")) else {
            panic!("page must extract")
        };
        assert_eq!(
            ex.title.as_deref(),
            Some("“คุ้มครองสิทธิฯ” ร่วม จ.ภูเก็ต ขับเคลื่อนงานสิทธิมนุษยชนระดับจังหวัด")
        );
        assert!(
            ex.text
                .contains("\nวันนี้ (24 มี.ค.) ณ ห้องประชุมชั้น 4 ศาลากลางจังหวัดภูเก็ต")
        );
        for gone in [
            "ข่าวที่เกี่ยวข้อง",
            "บันเทิง",
            "สงวนลิขสิทธิ์",
            "ไม่ใช่เนื้อหา",
            "5396611",
            "A A A",
        ] {
            assert!(!ex.text.contains(gone), "{gone} in:\n{}", ex.text);
        }
        let Ok(ex) = extract(&fixture("corpus/fixtures/nhrc_tis620.html")) else {
            panic!("TIS-620 page must extract")
        };
        assert_eq!(ex.encoding, "windows-874");
        assert!(
            ex.text
                .contains("ผู้ช่วยศาสตราจารย์สุชาติ เศรษฐมาลินี กรรมการสิทธิมนุษยชนแห่งชาติ")
        );
        assert!(ex.text.contains("\"เมืองต้นแบบด้านสิทธิมนุษยชน\" ต่อไป"));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of HTML, well-formed or not, Thai text and entities included.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("<div>".to_string()),
            Just("</div>".to_string()),
            Just("<p>".to_string()),
            Just("</p>".to_string()),
            Just("<br>".to_string()),
            Just("<span class=\"x\">".to_string()),
            Just("</span>".to_string()),
            Just("<table><tr><td>".to_string()),
            Just("<script>var a = 1 < 2;</script>".to_string()),
            Just("<script>".to_string()),
            Just("<!-- ".to_string()),
            Just("-->".to_string()),
            Just("<title>".to_string()),
            Just("</title>".to_string()),
            Just("<meta charset=\"windows-874\">".to_string()),
            Just("<a href='".to_string()),
            Just("&amp;".to_string()),
            Just("&#3588;".to_string()),
            Just("&#x".to_string()),
            Just("&nbsp".to_string()),
            Just("<".to_string()),
            Just(">".to_string()),
            Just("\"".to_string()),
            Just("\n".to_string()),
            Just("ประกาศจังหวัดภูเก็ต เรื่อง การประชุม ".to_string()),
            Just("นายณรงค์ วุ่นซิ่ว ".to_string()),
            "[a-zA-Z0-9 ]{0,12}",
            "[\u{0E01}-\u{0E5B}]{0,12}",
            any::<String>(),
        ]
    }

    /// A page: random pieces, optionally inside a run of nested elements.
    fn page() -> impl Strategy<Value = (Vec<String>, usize, bool)> {
        (
            proptest::collection::vec(piece(), 0..120),
            0usize..3000,
            any::<bool>(),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 200,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x7a65_6e64),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Any page is read without a panic, in bounded time; text found is
        /// never only whitespace.
        #[test]
        fn any_page_is_read_without_panic((pieces, depth, closed) in page()) {
            let mut html = "<div>".repeat(depth);
            html.push_str(&pieces.concat());
            if closed {
                html.push_str(&"</div>".repeat(depth));
            }
            let opts = crate::extract::ExtractOptions::with_tools(crate::extract::Tools::none());
            let got = crate::extract::extract_bytes(html.as_bytes(), crate::extract::Kind::Html, &opts);
            if let Ok(ex) = got {
                prop_assert!(!ex.text.trim().is_empty());
            }
        }

        /// Raw bytes (any encoding, any junk) never panic either.
        #[test]
        fn any_bytes_are_read_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let _ = extract(&bytes);
        }
    }

    /// Words of the generated paragraphs (no markup characters in them).
    const WORDS: &[&str] = &[
        "ประกาศ",
        "จังหวัด",
        "ภูเก็ต",
        "เรื่อง",
        "การประชุม",
        "คณะกรรมการ",
        "ผู้ว่าราชการ",
        "ได้",
        "มอบหมาย",
        "ให้",
        "ดำเนินการ",
        "ตาม",
        "มติ",
        "ที่ประชุม",
        "โครงการ",
        "พัฒนา",
        "ชุมชน",
        "ในพื้นที่",
        "อำเภอ",
        "เมือง",
        "และ",
        "ประชาชน",
        "เข้าร่วม",
        "จำนวน",
        "๑๒๐",
        "คน",
        "2566",
        " ",
    ];

    /// Block elements the body may sit in: (open, close).
    const BLOCKS: &[(&str, &str)] = &[
        ("<div>", "</div>"),
        ("<div class=\"content\" id=\"c1\">", "</div>"),
        ("<section>", "</section>"),
        ("<article>", "</article>"),
        ("<main>", "</main>"),
        ("<blockquote>", "</blockquote>"),
    ];

    /// Inline elements a paragraph's text may sit in: (open, close).
    const INLINES: &[(&str, &str)] = &[
        ("<span class=\"x\">", "</span>"),
        ("<b>", "</b>"),
        ("<em>", "</em>"),
        ("<strong>", "</strong>"),
    ];

    /// A paragraph: a Thai sentence of pool words, trimmed.
    fn paragraph() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(WORDS), 8..24)
            .prop_map(|w| w.concat().trim().to_string())
            .prop_filter("not blank", |p| p.chars().count() >= 20)
    }

    fn wrapped(text: &str, wraps: &[(&str, &str)]) -> String {
        let mut s: String = wraps.iter().map(|w| w.0).collect();
        s.push_str(text);
        s.extend(wraps.iter().rev().map(|w| w.1));
        s
    }

    /// Sibling containers the paragraphs are spread over.
    const CONTAINERS: &[(&str, &str)] = &[
        ("<section>", "</section>"),
        ("<div>", "</div>"),
        ("<article>", "</article>"),
        ("<div class=\"content\">", "</div>"),
    ];

    /// One container: its element and its paragraphs, each with the inline
    /// elements around its text and whether its first word is a link.
    type Container = (
        (&'static str, &'static str),
        Vec<(Vec<(&'static str, &'static str)>, bool, String)>,
    );

    fn container() -> impl Strategy<Value = Container> {
        (
            proptest::sample::select(CONTAINERS),
            proptest::collection::vec(
                (
                    proptest::collection::vec(proptest::sample::select(INLINES), 0..3),
                    any::<bool>(),
                    paragraph(),
                ),
                1..6,
            ),
        )
    }

    /// A simple well-formed page: distinct paragraphs spread over one to
    /// four sibling containers inside a few block elements. A paragraph's
    /// text sits inside a few inline elements, and may open with a link
    /// (a paragraph that is all link text is a menu entry, not prose).
    /// Returns the page and its paragraphs in order.
    fn simple_page() -> impl Strategy<Value = (String, Vec<String>)> {
        (
            proptest::collection::vec(proptest::sample::select(BLOCKS), 0..4),
            proptest::collection::vec(container(), 1..5),
        )
            .prop_map(|(blocks, containers)| {
                let mut body = String::new();
                let mut texts = Vec::new();
                for (element, paragraphs) in containers {
                    let mut inner = String::new();
                    for (inlines, link, text) in paragraphs {
                        // Paragraphs differ (a page's repeated lines are furniture).
                        let text = format!("{text} ครั้งที่ {}", texts.len() + 1);
                        let html = if link {
                            format!("<a href=\"/news/2\">ประกาศ</a>{}", wrapped(&text, &inlines))
                        } else {
                            wrapped(&text, &inlines)
                        };
                        inner.push_str(&wrapped(&html, &[("<p>", "</p>")]));
                        texts.push(if link { format!("ประกาศ{text}") } else { text });
                    }
                    body.push_str(&wrapped(&inner, &[element]));
                }
                let html = format!(
                    "<html><head><meta charset=\"utf-8\"><title>หน้าทดสอบ</title></head><body>{}</body></html>",
                    wrapped(&body, &blocks)
                );
                (html, texts)
            })
    }

    /// Spaces collapsed, so a paragraph is found whatever spacing the
    /// reader keeps around its words.
    fn squeeze(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// True when every needle occurs in `hay`, one after another.
    fn in_order(hay: &str, needles: &[String]) -> Result<(), String> {
        let mut from = 0;
        for n in needles {
            match hay[from..].find(n.as_str()) {
                Some(i) => from += i + n.len(),
                None => return Err(format!("{n:?} missing (or out of order) in {hay:?}")),
            }
        }
        Ok(())
    }

    proptest! {
        // A fixed seed: the same pages on every run.
        #![proptest_config(ProptestConfig {
            cases: 96,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x4854_4d4c),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// The tag stripper keeps every text node of a page, in order, and
        /// leaves no tag behind.
        #[test]
        fn the_tag_stripper_keeps_every_text_node_and_no_tag((html, texts) in simple_page()) {
            let text = squeeze(&strip_tags(&html));
            let want: Vec<String> = texts.iter().map(|t| squeeze(t)).collect();
            prop_assert!(!text.contains('<') && !text.contains('>'), "{}", text);
            if let Err(e) = in_order(&text, &want) {
                return Err(TestCaseError::fail(e));
            }
        }

        /// The reader (readability, or the stripper when it finds nothing)
        /// keeps every paragraph of a simple page and leaves no tag behind.
        #[test]
        fn the_reader_keeps_every_paragraph_and_no_tag((html, texts) in simple_page()) {
            let ex = extract(html.as_bytes()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let text = squeeze(&ex.text);
            let want: Vec<String> = texts.iter().map(|t| squeeze(t)).collect();
            prop_assert!(!text.contains('<') && !text.contains('>'), "{}", text);
            if let Err(e) = in_order(&text, &want) {
                return Err(TestCaseError::fail(e));
            }
        }
    }
}
