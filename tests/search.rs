//! Search over the bundled corpus: literal queries return exactly the
//! documents that contain the query after normalization (checked against an
//! independent brute-force scan), digits are interchangeable, and ranking,
//! filters and snippets behave as documented.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use saraban::extract::{ExtractOptions, Tools};
use saraban::index::{Analysis, SarabanIndex};
use saraban::ingest::{IngestOptions, ingest};

struct Fixture {
    _dir: tempfile::TempDir,
    idx: SarabanIndex,
    analysis: Analysis,
    /// (source, text as stored)
    docs: Vec<(String, String)>,
    /// (source, document date) of every document
    dates: Vec<(String, Option<String>)>,
    /// (source, names of the officials tagged in it)
    officials: Vec<(String, Vec<String>)>,
}

fn corpus() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    vec![root.join("seeds"), root.join("real")]
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let analysis = Analysis::load(None).expect("dictionaries");
        let idx = SarabanIndex::open(dir.path(), &analysis, true).expect("index");
        let opts = IngestOptions {
            prune: false,
            report: None,
            threads: 2,
            extract: ExtractOptions::with_tools(Tools::none()),
            batch_docs: 1000,
        };
        let (summary, problems) = ingest(&idx, &analysis, &corpus(), &opts).expect("ingest");
        assert_eq!(summary.failed, 0, "{problems:?}");
        assert!(summary.added >= 59, "{summary:?}");
        let mut docs = Vec::new();
        let mut dates = Vec::new();
        let mut officials = Vec::new();
        idx.for_each_doc(|d| {
            let names = d.tagged().officials.into_iter().map(|o| o.name).collect();
            officials.push((d.source.clone(), names));
            dates.push((d.source.clone(), d.date));
            docs.push((d.source, d.text));
            Ok(())
        })
        .expect("read back");
        Fixture {
            _dir: dir,
            idx,
            analysis,
            docs,
            dates,
            officials,
        }
    })
}

/// Letters, vowels and marks of Thai words (not digits, `ฯ`, `ๆ`, `฿`, …).
fn thai_word_char(c: char) -> bool {
    let u = c as u32;
    (0x0E01..=0x0E2E).contains(&u)
        || (0x0E30..=0x0E3A).contains(&u)
        || (0x0E40..=0x0E45).contains(&u)
        || (0x0E47..=0x0E4E).contains(&u)
}

/// The literal-matching rules, written independently of the analyzer:
/// Thai digits → Arabic, invisible characters dropped, a whitespace run with
/// one line break between two Thai word characters (a wrapped line) dropped,
/// other whitespace runs → one space, no spaces around `/`; letter case must
/// agree.
fn norm(s: &str) -> String {
    let mut spaced = String::new();
    let mut in_space = false;
    let mut run = String::new();
    for c in s.chars() {
        let c = match c {
            '๐'..='๙' => char::from(b'0' + (c as u32 - '๐' as u32) as u8),
            '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{00AD}' => continue,
            c => c,
        };
        if c.is_whitespace() {
            in_space = true;
            run.push(c);
            continue;
        }
        let one_break = run
            .replace("\r\n", "\n")
            .matches(['\n', '\r', '\u{85}', '\u{2028}'])
            .count()
            == 1
            && !run.contains(['\u{0B}', '\u{0C}', '\u{2029}']);
        let wrapped = one_break
            && spaced.chars().next_back().is_some_and(thai_word_char)
            && thai_word_char(c);
        if in_space && !spaced.is_empty() && !wrapped {
            spaced.push(' ');
        }
        in_space = false;
        run.clear();
        spaced.push(c);
    }
    spaced.replace(" /", "/").replace("/ ", "/")
}

/// Documents whose normalized text contains the normalized query, with no
/// digit glued before a leading digit or after a trailing one.
fn truth(docs: &[(String, String)], q: &str) -> BTreeSet<String> {
    let nq = norm(q);
    let starts_digit = nq.starts_with(|c: char| c.is_ascii_digit());
    let ends_digit = nq.ends_with(|c: char| c.is_ascii_digit());
    docs.iter()
        .filter(|(_, text)| {
            let nt = norm(text);
            nt.match_indices(&nq).any(|(i, m)| {
                let before = nt[..i].chars().next_back();
                let after = nt[i + m.len()..].chars().next();
                let glued_before = starts_digit && before.is_some_and(|c| c.is_ascii_digit());
                let glued_after = ends_digit && after.is_some_and(|c| c.is_ascii_digit());
                !glued_before && !glued_after
            })
        })
        .map(|(s, _)| s.clone())
        .collect()
}

fn hits(q: &str) -> BTreeSet<String> {
    let f = fixture();
    match saraban::search::search(&f.idx, &f.analysis, q, 0) {
        Ok(r) => r.hits.into_iter().map(|h| h.source).collect(),
        Err(e) => panic!("{q:?}: {e}"),
    }
}

/// The error a query gives.
fn error(q: &str) -> String {
    let f = fixture();
    match saraban::search::search(&f.idx, &f.analysis, q, 0) {
        Ok(r) => panic!("{q:?} answered {} hits", r.total),
        Err(e) => e.to_string(),
    }
}

/// Documents that contain every one of the words (each by the literal rules).
fn truth_all(docs: &[(String, String)], words: &[&str]) -> BTreeSet<String> {
    let mut sets = words.iter().map(|w| truth(docs, w));
    let first = sets.next().unwrap_or_default();
    sets.fold(first, |acc, s| acc.intersection(&s).cloned().collect())
}

/// True when `q` typed without quotes is plain words (no operator, filter,
/// parenthesis or quote), so it means "all of these words".
fn plain_words(q: &str) -> bool {
    !q.contains(['(', ')', '"', '“', '”', ':'])
        && q.split_whitespace()
            .all(|w| !w.starts_with('-') && !matches!(w, "AND" | "OR" | "NOT"))
}

fn quote(q: &str) -> String {
    format!("\"{q}\"")
}

/// Checks a set of literal queries; returns (queries, false negatives, false positives).
fn check(queries: &[String]) -> (usize, Vec<String>, Vec<String>) {
    let f = fixture();
    let mut missed = Vec::new();
    let mut extra = Vec::new();
    for q in queries {
        if norm(q).is_empty() {
            continue;
        }
        let want = truth(&f.docs, q);
        let got = hits(&quote(q));
        for d in want.difference(&got) {
            missed.push(format!("{q:?} misses {d}"));
        }
        for d in got.difference(&want) {
            extra.push(format!("{q:?} wrongly finds {d}"));
        }
    }
    (queries.len(), missed, extra)
}

/// Checks the same queries typed without quotes: every word must occur.
/// Returns (queries checked, false negatives, false positives).
fn check_unquoted(queries: &[String]) -> (usize, Vec<String>, Vec<String>) {
    let f = fixture();
    let mut missed = Vec::new();
    let mut extra = Vec::new();
    let mut n = 0;
    for q in queries {
        if norm(q).is_empty() || !plain_words(q) {
            continue;
        }
        n += 1;
        let words: Vec<&str> = q.split_whitespace().collect();
        let want = truth_all(&f.docs, &words);
        let got = hits(q);
        for d in want.difference(&got) {
            missed.push(format!("{q:?} misses {d}"));
        }
        for d in got.difference(&want) {
            extra.push(format!("{q:?} wrongly finds {d}"));
        }
    }
    (n, missed, extra)
}

#[test]
fn bench_queries_match_exactly_the_documents_that_contain_them() {
    let text = include_str!("data/bench_queries.txt");
    let queries: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    let (n, missed, extra) = check(&queries);
    assert!(n > 40);
    assert!(missed.is_empty(), "{missed:#?}");
    assert!(extra.is_empty(), "{extra:#?}");
}

#[test]
fn bench_queries_without_quotes_find_exactly_the_documents_with_every_word() {
    let text = include_str!("data/bench_queries.txt");
    let queries: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    let (n, missed, extra) = check_unquoted(&queries);
    assert!(n > 30, "only {n} queries");
    assert!(missed.is_empty(), "{missed:#?}");
    assert!(extra.is_empty(), "{extra:#?}");
}

/// A fixed sequence of pseudo-random numbers (a linear congruential
/// generator), so sampled queries are the same on every run.
fn pseudo_random(seed: u64) -> impl FnMut() -> usize {
    let mut state = seed;
    move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    }
}

/// Substrings cut from the documents at pseudo-random places (a fixed
/// seed), in both digit sets: words, parts of words, phrases across spaces
/// and lines, numbers.
#[test]
fn sampled_substrings_have_perfect_recall_and_precision() {
    let f = fixture();
    let mut next = pseudo_random(0x5eed_1234_abcd_0001);
    let mut queries = Vec::new();
    for (_, text) in &f.docs {
        let chars: Vec<char> = text.chars().collect();
        if chars.len() < 40 {
            continue;
        }
        for _ in 0..12 {
            let len = 2 + next() % 24;
            let start = next() % (chars.len() - len);
            let q: String = chars[start..start + len].iter().collect();
            let q = q.trim().to_string();
            // quotes delimit phrases in the query language
            if q.chars().count() >= 2 && !q.contains(['"', '“', '”']) {
                queries.push(q);
            }
        }
    }
    // Thai-digit forms of every query with digits, and Arabic forms of Thai ones.
    let swapped: Vec<String> = queries
        .iter()
        .filter(|q| {
            q.chars()
                .any(|c| c.is_ascii_digit() || ('๐'..='๙').contains(&c))
        })
        .map(|q| {
            q.chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32('๐' as u32 + (c as u32 - '0' as u32)).unwrap_or(c),
                    '๐'..='๙' => char::from(b'0' + (c as u32 - '๐' as u32) as u8),
                    c => c,
                })
                .collect()
        })
        .collect();
    queries.extend(swapped);
    let (n, missed, extra) = check(&queries);
    assert!(n > 600, "only {n} queries");
    assert!(missed.is_empty(), "{} of {n}: {missed:#?}", missed.len());
    assert!(extra.is_empty(), "{} of {n}: {extra:#?}", extra.len());
    let (n, missed, extra) = check_unquoted(&queries);
    assert!(n > 400, "only {n} unquoted queries");
    assert!(missed.is_empty(), "{} of {n}: {missed:#?}", missed.len());
    assert!(extra.is_empty(), "{} of {n}: {extra:#?}", extra.len());
}

/// One-, two- and three-character strings: the ones that lean most on the
/// grams at their edges (the match view has a gram at every other
/// character, so an edge character may share its gram with a neighbour).
#[test]
fn short_strings_are_exact_at_either_alignment() {
    let f = fixture();
    let mut queries: BTreeSet<String> = BTreeSet::new();
    let mut next = pseudo_random(0x0dd_ba11_cafe_0002);
    for (_, text) in &f.docs {
        let chars: Vec<char> = text
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '“' | '”'))
            .collect();
        if chars.len() < 10 {
            continue;
        }
        // every distinct character, and a few pairs and triples
        queries.extend(chars.iter().map(|c| c.to_string()));
        for _ in 0..6 {
            let len = 2 + next() % 2;
            let start = next() % (chars.len() - len);
            queries.insert(chars[start..start + len].iter().collect());
        }
    }
    let queries: Vec<String> = queries.into_iter().collect();
    let (n, missed, extra) = check(&queries);
    assert!(n > 200, "only {n} queries");
    assert!(missed.is_empty(), "{} of {n}: {missed:#?}", missed.len());
    assert!(extra.is_empty(), "{} of {n}: {extra:#?}", extra.len());
}

#[test]
fn names_provinces_orders_and_plans_are_found_in_either_digit_set() {
    let queries: Vec<String> = [
        "นายณรงค์ วุ่นซิ่ว",
        "นายณรงค์  วุ่นซิ่ว",
        "ผู้ช่วยศาสตราจารย์สุชาติ เศรษฐมาลินี",
        "นายสมนึก พรหมเขียว",
        "คณะอนุกรรมการขับเคลื่อนงานสิทธิมนุษยชน",
        "ขับเคลื่อนงานสิทธิมนุษยชน",
        "เชียงใหม่",
        "จังหวัดภูเก็ต",
        "สงขลา",
        "แพร่",
        "คำสั่งกระทรวงมหาดไทย ที่ 2739/2566",
        "2739/2566",
        "๒๗๓๙ / ๒๕๖๖",
        "ที่ ๗๖/๒๕๖๓",
        "22/2558",
        "แผนสิทธิมนุษยชนแห่งชาติ ฉบับที่ 5",
        "แผนสิทธิมนุษยชนแห่งชาติ ฉบับที่ ๕",
        "(พ.ศ. 2566-2570)",
        "พ.ศ. ๒๕๖๖ - ๒๕๗๐",
        "0017.2/ว 5512",
        "นร 1011/ว 4",
        "Thailand 4.0",
        "thailand",
        "ก",
        "๕",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let (_, missed, extra) = check(&queries);
    assert!(missed.is_empty(), "{missed:#?}");
    assert!(extra.is_empty(), "{extra:#?}");
    let (n, missed, extra) = check_unquoted(&queries);
    assert!(n > 15, "only {n} unquoted queries");
    assert!(missed.is_empty(), "{missed:#?}");
    assert!(extra.is_empty(), "{extra:#?}");
}

#[test]
fn order_2_2566_in_either_digit_set_finds_both_seeds() {
    let arabic = hits("2/2566");
    let thai = hits("๒/๒๕๖๖");
    assert_eq!(arabic, thai);
    for seed in ["000_34a1339aa7e8c079", "002_94a5e7a9c55b254b"] {
        assert!(
            arabic.iter().any(|s| s.contains(seed)),
            "{seed} not in {arabic:?}"
        );
    }
    // never inside a longer number
    let f = fixture();
    for (source, text) in &f.docs {
        if arabic.contains(source) {
            assert!(norm(text).contains("2/2566"));
        }
    }
    assert!(!hits("2/2566").iter().any(|s| s.contains("036_spokesman")));
}

#[test]
fn in_a_phrase_spacing_must_agree_except_around_slashes() {
    let with_space = hits("\"พ.ศ. 2566\"");
    let without = hits("\"พ.ศ.2566\"");
    let f = fixture();
    assert_eq!(with_space, truth(&f.docs, "พ.ศ. 2566"));
    assert_eq!(without, truth(&f.docs, "พ.ศ.2566"));
    assert_ne!(with_space, without);
    assert_eq!(hits("\"2739 / 2566\""), hits("2739/2566"));
    assert!(!hits("2739/2566").is_empty());
}

#[test]
fn operators_combine_literals() {
    let a = hits("สิทธิมนุษยชน");
    let b = hits("เชียงใหม่");
    let both = hits("\"สิทธิมนุษยชน\" \"เชียงใหม่\"");
    let either = hits("สิทธิมนุษยชน OR เชียงใหม่");
    let only_a = hits("สิทธิมนุษยชน -เชียงใหม่");
    assert_eq!(both, a.intersection(&b).cloned().collect());
    assert_eq!(either, a.union(&b).cloned().collect());
    assert_eq!(only_a, a.difference(&b).cloned().collect());
    assert!(!both.is_empty() && !only_a.is_empty());
}

#[test]
fn title_matches_rank_first() {
    let f = fixture();
    // A phrase from one document's title that other documents also contain.
    let q = "คุ้มครองสิทธิ";
    let results = saraban::search::search(&f.idx, &f.analysis, q, 0).expect("search");
    assert!(results.total > 3);
    let first = &results.hits[0];
    assert!(
        first.title.as_deref().is_some_and(|t| t.contains(q)),
        "first hit {:?} has no {q} in its title",
        first.title
    );
    let scores: Vec<f32> = results.hits.iter().map(|h| h.score).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn snippets_show_the_documents_own_digits() {
    let f = fixture();
    let results = saraban::search::search(&f.idx, &f.analysis, "2566-2570", 0).expect("search");
    let thai = results
        .hits
        .iter()
        .find(|h| h.snippet.contains("<b>๒๕๖๖"))
        .expect("a Thai-digit document highlights its own digits");
    assert!(thai.snippet.contains("</b>"));
    let arabic = results
        .hits
        .iter()
        .find(|h| h.snippet.contains("<b>2566"))
        .expect("an Arabic-digit document too");
    assert!(!arabic.snippet.contains("<b><b>"));
}

#[test]
fn words_separated_by_a_space_must_all_occur_anywhere() {
    let f = fixture();
    let got = hits("กระทรวง ยุติธรรม");
    assert_eq!(got, truth_all(&f.docs, &["กระทรวง", "ยุติธรรม"]));
    // more than the documents where they stand side by side
    assert!(
        got.len() > truth(&f.docs, "กระทรวง ยุติธรรม").len(),
        "{got:?}"
    );
}

#[test]
fn and_is_an_operator_not_a_word() {
    assert_eq!(hits("กระทรวง AND ยุติธรรม"), hits("กระทรวง ยุติธรรม"));
    assert!(!hits("กระทรวง AND ยุติธรรม").is_empty());
}

#[test]
fn a_quoted_phrase_must_occur_as_written() {
    let f = fixture();
    let q = "ผู้ว่าราชการจังหวัด ภูเก็ต";
    let got = hits(&quote(q));
    assert_eq!(got, truth(&f.docs, q));
    assert!(got.len() < hits(q).len());
}

#[test]
fn a_name_with_a_space_is_found_unquoted_and_quoted() {
    let f = fixture();
    let q = "นายณรงค์ วุ่นซิ่ว";
    let phrase = truth(&f.docs, q);
    assert!(!phrase.is_empty());
    assert!(hits(q).is_superset(&phrase));
    assert_eq!(hits(&quote(q)), phrase);
}

#[test]
fn documents_where_the_words_stand_together_rank_first() {
    let f = fixture();
    let q = "แผนสิทธิมนุษยชนแห่งชาติ ฉบับที่";
    let together = truth(&f.docs, q);
    let results = saraban::search::search(&f.idx, &f.analysis, q, 0).expect("search");
    assert!(!together.is_empty() && results.hits.len() > together.len());
    let (first, rest) = results.hits.split_at(together.len());
    assert!(
        first.iter().all(|h| together.contains(&h.source)),
        "{first:#?}"
    );
    assert!(rest.iter().all(|h| !together.contains(&h.source)));
}

#[test]
fn unknown_filter_is_an_error_not_text() {
    assert!(error("provice:ภูเก็ต").contains("did you mean `province:`?"));
}

#[test]
fn empty_filter_value_is_an_error_not_every_document() {
    assert!(error("official:").starts_with("filter `official:` at character 1 has no value"));
}

#[test]
fn unbalanced_parenthesis_is_an_error() {
    assert_eq!(
        error("ภูเก็ต)"),
        "unbalanced `)` at character 7: no `(` opens it"
    );
}

/// (source, date) of every dated document whose date is in `lo..=hi`.
fn dated_between(lo: &str, hi: &str) -> BTreeSet<String> {
    fixture()
        .dates
        .iter()
        .filter(|(_, d)| d.as_deref().is_some_and(|d| lo <= d && d <= hi))
        .map(|(s, _)| s.clone())
        .collect()
}

#[test]
fn open_date_range_upwards_finds_every_later_document() {
    let want = dated_between("2016-01-01", "9999-12-31");
    assert!(want.len() > 10);
    assert_eq!(hits("date:2016-01-01.."), want);
}

#[test]
fn date_range_to_the_year_9999_finds_every_later_document() {
    assert_eq!(
        hits("date:2016-01-01..9999-12-31"),
        dated_between("2016-01-01", "9999-12-31")
    );
}

#[test]
fn open_date_range_downwards_finds_every_earlier_document() {
    let want = dated_between("0000", "2030-12-31");
    assert_eq!(hits("date:..2030-12-31"), want);
    assert!(want.len() > 10);
}

#[test]
fn be_year_range_with_a_hyphen_is_both_years() {
    let want = dated_between("2023-01-01", "2024-12-31");
    assert!(!want.is_empty());
    assert_eq!(hits("date:2566-2567"), want);
}

#[test]
fn ce_year_range_with_a_hyphen_is_both_years() {
    assert_eq!(
        hits("date:2023-2024"),
        dated_between("2023-01-01", "2024-12-31")
    );
}

#[test]
fn bad_date_is_an_error_naming_it() {
    assert!(error("date:2566-13-45").starts_with("filter `date:2566-13-45`: not a date"));
}

/// Documents with an official whose name has these whole parts in order.
fn with_official(parts: &str) -> BTreeSet<String> {
    let parts: Vec<&str> = parts.split(' ').collect();
    fixture()
        .officials
        .iter()
        .filter(|(_, names)| {
            names.iter().any(|n| {
                let words: Vec<&str> = n.split_whitespace().collect();
                words.windows(parts.len()).any(|w| w == parts.as_slice())
            })
        })
        .map(|(s, _)| s.clone())
        .collect()
}

#[test]
fn official_filter_accepts_a_glued_title() {
    let want = with_official("ณรงค์ วุ่นซิ่ว");
    assert!(!want.is_empty());
    assert_eq!(hits("official:\"นายณรงค์ วุ่นซิ่ว\""), want);
}

#[test]
fn official_filter_accepts_a_rank_before_the_name() {
    let want = with_official("ทวี สอดส่อง");
    assert!(!want.is_empty());
    assert_eq!(hits("official:\"พันตำรวจเอก ทวี สอดส่อง\""), want);
}

#[test]
fn official_filter_matches_whole_name_parts_only() {
    let f = fixture();
    // ทวีสิน is tagged, and contains ทวี
    assert!(
        f.officials
            .iter()
            .any(|(_, ns)| ns.iter().any(|n| n.contains("ทวีสิน")))
    );
    assert_eq!(hits("official:ทวี"), with_official("ทวี"));
    assert_eq!(hits("official:ทวีสิน"), with_official("ทวีสิน"));
}

#[test]
fn a_huge_limit_answers_every_hit_without_allocating_for_it() {
    let f = fixture();
    let all = saraban::search::search(&f.idx, &f.analysis, "สิทธิ", 0).expect("search");
    let huge = saraban::search::search(&f.idx, &f.analysis, "สิทธิ", usize::MAX).expect("search");
    assert_eq!(all.total, huge.total);
    assert_eq!(huge.hits.len(), huge.total);
}

#[test]
fn the_most_alternatives_allowed_are_all_answered() {
    let f = fixture();
    let words: Vec<String> = f
        .docs
        .iter()
        .flat_map(|(_, t)| t.split_whitespace().take(3).map(String::from))
        .filter(|w| !w.contains(['"', '“', '”']))
        .take(saraban::search::query::MAX_TERMS)
        .collect();
    assert_eq!(words.len(), saraban::search::query::MAX_TERMS);
    let q = words
        .iter()
        .map(|w| quote(w))
        .collect::<Vec<_>>()
        .join(" OR ");
    let got = hits(&q);
    let want: BTreeSet<String> = words.iter().flat_map(|w| truth(&f.docs, w)).collect();
    assert_eq!(got, want);
}

/// A real document hard-wrapped (lines of about 30 characters, cut between
/// grapheme clusters, CRLF line ends) is found by phrases that cross its line
/// breaks, and its snippet shows the text as written.
#[test]
fn a_hard_wrapped_document_is_found_across_its_line_breaks() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let original =
        std::fs::read_to_string(root.join("corpus/real/005_moj-rights-committee-1-2561.txt"))
            .expect("corpus document");
    let phrase = "การขับเคลื่อนงานสิทธิมนุษยชน";
    assert!(original.contains(phrase));
    let original = original.replacen(phrase, "การขับเคลื่อน\nงานสิทธิมนุษยชน", 1);
    let is_mark = |c: char| matches!(c as u32, 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E);
    let mut wrapped: Vec<String> = Vec::new();
    // (last characters before a break, first ones after it) for Thai–Thai breaks
    let mut joins: Vec<(String, String)> = Vec::new();
    let mut spaced: Vec<(String, String)> = Vec::new();
    for line in original.lines() {
        let chars: Vec<char> = line.trim().chars().collect();
        let mut start = 0;
        // No line is cut within 8 characters of its end.
        while chars.len() - start > 38 {
            let mut cut = start + 30;
            while cut > start + 1
                && (is_mark(chars[cut])
                    || chars[cut].is_whitespace()
                    || chars[cut - 1].is_whitespace())
            {
                cut -= 1;
            }
            let before: String = chars[cut.saturating_sub(6).max(start)..cut]
                .iter()
                .collect();
            let after: String = chars[cut..(cut + 6).min(chars.len())].iter().collect();
            if !before.contains(char::is_whitespace) && !after.contains(char::is_whitespace) {
                if thai_word_char(chars[cut - 1]) && thai_word_char(chars[cut]) {
                    joins.push((before, after));
                } else {
                    spaced.push((before, after));
                }
            }
            wrapped.push(chars[start..cut].iter().collect());
            start = cut;
        }
        wrapped.push(chars[start..].iter().collect());
    }
    assert!(joins.len() >= 20, "{} Thai–Thai breaks", joins.len());
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("mkdir");
    std::fs::write(docs.join("wrapped.txt"), wrapped.join("\r\n")).expect("write");
    let analysis = Analysis::load(None).expect("dictionaries");
    let idx = SarabanIndex::open(&dir.path().join("index"), &analysis, true).expect("index");
    let opts = IngestOptions {
        prune: false,
        report: None,
        threads: 1,
        extract: ExtractOptions::with_tools(Tools::none()),
        batch_docs: 1000,
    };
    let (summary, problems) = ingest(&idx, &analysis, &[docs], &opts).expect("ingest");
    assert_eq!(summary.added, 1, "{problems:?}");
    // (Reading it back also reloads the reader.) The text is stored as written, the break kept.
    let mut stored = String::new();
    idx.for_each_doc(|d| {
        stored = d.text;
        Ok(())
    })
    .expect("read back");
    assert!(stored.contains("การขับเคลื่อน\nงานสิทธิมนุษยชน"));
    let found = |q: &str| {
        saraban::search::search(&idx, &analysis, q, 0)
            .expect("search")
            .hits
    };
    // The phrase of the issue, quoted and as plain words.
    for q in [quote(phrase), phrase.to_string()] {
        let hits = found(&q);
        assert_eq!(hits.len(), 1, "{q}");
        let snip = &hits[0].snippet;
        assert!(snip.contains("<b>การขับเคลื่อน งานสิทธิมนุษยชน</b>"), "{snip}");
    }
    // Every Thai–Thai break joins; every other break is a space.
    for (before, after) in &joins {
        let q = format!("{before}{after}");
        assert_eq!(found(&quote(&q)).len(), 1, "{q:?} across a wrapped line");
        let q = format!("{before} {after}");
        assert!(
            found(&quote(&q)).is_empty(),
            "{q:?} should not match a wrapped line"
        );
    }
    for (before, after) in &spaced {
        let q = format!("{before} {after}");
        assert_eq!(found(&quote(&q)).len(), 1, "{q:?} across a kept break");
    }
}

#[test]
fn narrowed_queries_rank_exactly_as_the_plain_ones() {
    use saraban::search::QueryCompiler;
    use tantivy::collector::TopDocs;
    let f = fixture();
    let searcher = f.idx.reader.searcher();
    let mut with_hits = 0;
    // Strings tested only where selective filters pass, or only where the
    // rarest of several words occurs (its counts reused): a short string
    // at either alignment, one character, digits in both scripts.
    for q in [
        "จังหวัด province:ภูเก็ต",
        "ที่ type:circular",
        "จังหวัด -type:news -type:circular",
        "\"ผู้ว่าราชการจังหวัด\" province:ภูเก็ต",
        "5 type:circular",
        "กร -type:news -type:circular",
        "จังหวัด ภูเก็ต",
        "คำสั่ง ๒/๒๕๖๖",
        "ฉบับที่ 5",
        "ผู้ว่าราชการ จังหวัด",
        "ที่ 2/2566 -type:news",
        // Words beside filters: the rarest matched among the filtered.
        "จังหวัด ภูเก็ต -type:news -type:circular",
        "คำสั่ง ๒/๒๕๖๖ province:ภูเก็ต",
    ] {
        let plain = QueryCompiler::new(&f.idx, &f.analysis)
            .compile(q)
            .expect("compile");
        let narrowed = QueryCompiler::new(&f.idx, &f.analysis)
            .with_searcher(&searcher)
            .compile(q)
            .expect("compile");
        let all = TopDocs::with_limit(10_000).order_by_score();
        let a = searcher.search(&plain.query, &all).expect("search");
        let b = searcher.search(&narrowed.query, &all).expect("search");
        assert_eq!(a, b, "{q}: hits or scores differ");
        with_hits += usize::from(!a.is_empty());
    }
    assert!(with_hits >= 8, "too few queries with hits: {with_hits}");
}
