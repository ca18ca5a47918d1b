//! A first page ranked without visiting every hit is the top of the full
//! ranking: the same documents in the same order, for common strings (alone
//! and beside filters) and strings cut from the corpus at random; the total it reports is a lower
//! bound that says so, and "all hits" still counts every one. Matches found
//! while counting rank as testing the string again would.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use saraban::extract::{ExtractOptions, Tools};
use saraban::index::analyzer::word_units;
use saraban::index::{Analysis, SarabanIndex};
use saraban::ingest::{IngestOptions, ingest};
use saraban::search::first_page::{
    Answer, Tuning, answer, common_words, proven_by_word, top_tuned,
};
use saraban::search::{QueryCompiler, search};
use tantivy::collector::{Count, TopDocs};

struct Fixture {
    _dir: tempfile::TempDir,
    idx: SarabanIndex,
    analysis: Analysis,
    texts: Vec<String>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let dir = tempfile::tempdir().expect("tempdir");
        let analysis = Analysis::load(None).expect("dictionaries");
        let idx = SarabanIndex::open(dir.path(), &analysis, true).expect("index");
        let opts = IngestOptions {
            prune: false,
            report: None,
            threads: 2,
            extract: ExtractOptions::with_tools(Tools::none()),
            // several segments, so candidates span them
            batch_docs: 16,
        };
        let (summary, problems) = ingest(
            &idx,
            &analysis,
            &[root.join("seeds"), root.join("real")],
            &opts,
        )
        .expect("ingest");
        assert_eq!(summary.failed, 0, "{problems:?}");
        let mut texts = Vec::new();
        idx.for_each_doc(|d| {
            texts.push(d.text);
            Ok(())
        })
        .expect("read back");
        // In a fixed order, so the queries cut from them are the same
        // whichever order parallel ingest wrote the documents in.
        texts.sort_unstable();
        Fixture {
            _dir: dir,
            idx,
            analysis,
            texts,
        }
    })
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

/// Common short strings, and short strings cut from the documents, quoted
/// so each is one literal.
fn queries() -> Vec<String> {
    let f = fixture();
    let mut out: Vec<String> = [
        "ปี",
        "นา",
        "ครม",
        "การ",
        "ที่",
        "2566",
        "๒๕๖๖",
        "สิทธิ",
        "จังหวัด",
        "ก",
        "า",
        "1",
        "ระ",
        "ประเทศ",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // The same strings beside filters (and excluded filters): ranked among
    // the documents that pass them.
    let filtered: Vec<String> = out
        .iter()
        .flat_map(|q| {
            [
                format!("type:order {q}"),
                format!("{q} -type:order"),
                format!("date:2566 {q} -type:news"),
            ]
        })
        .collect();
    out.extend(filtered);
    let mut next = pseudo_random(0x0f1a_57ba_9e00_0001);
    for text in &f.texts {
        let chars: Vec<char> = text.chars().collect();
        if chars.len() < 20 {
            continue;
        }
        for _ in 0..4 {
            let len = 1 + next() % 5;
            let start = next() % (chars.len() - len);
            let q: String = chars[start..start + len].iter().collect();
            let q = q.trim();
            if !q.is_empty() && !q.contains(['"', '“', '”', '\\']) {
                out.push(format!("\"{q}\""));
            }
        }
    }
    out
}

#[test]
fn first_page_is_the_top_of_the_full_ranking() {
    let f = fixture();
    let searcher = f.idx.reader.searcher();
    let mut early = 0;
    let mut early_filtered = 0;
    let mut proven = 0;
    let mut checked = 0;
    for q in queries() {
        let compiled = QueryCompiler::new(&f.idx, &f.analysis)
            .compile(&q)
            .expect("query");
        let count = searcher.search(&compiled.query, &Count).expect("count");
        for limit in [1, 3, 10] {
            for candidates in [1, 4, 64] {
                let tuning = Tuning {
                    count_cap: 2,
                    candidates,
                };
                let page = top_tuned(&f.idx, &f.analysis, &searcher, &q, limit, tuning)
                    .expect("first page");
                checked += 1;
                let Some(page) = page else { continue };
                early += 1;
                if q.contains("type:") {
                    early_filtered += 1;
                }
                let full = searcher
                    .search(
                        &compiled.query,
                        &TopDocs::with_limit(limit).order_by_score(),
                    )
                    .expect("full ranking");
                let got: Vec<_> = page.top.iter().map(|&(_, a)| a).collect();
                let want: Vec<_> = full.iter().map(|&(_, a)| a).collect();
                assert_eq!(got, want, "{q:?} limit {limit} candidates {candidates}");
                for ((a, _), (b, _)) in page.top.iter().zip(&full) {
                    assert_eq!(a, b, "{q:?}: scores differ");
                }
                assert!(!page.total_exact, "{q:?}");
                assert!(
                    page.total <= count && page.total >= limit.min(count),
                    "{q:?}: total {} of {count}",
                    page.total
                );
                // Above both the cap and the page: the word view proved it.
                proven += usize::from(page.total > limit.max(2));
            }
        }
    }
    eprintln!(
        "{early} of {checked} pages settled early, {early_filtered} beside filters, \
         {proven} with a total proven by the word view"
    );
    // The bound must settle most pages, or this test shows nothing.
    assert!(
        early * 2 > checked && early > 300,
        "{early} of {checked} pages settled early"
    );
    assert!(
        early_filtered > 100,
        "{early_filtered} pages beside filters settled early"
    );
    assert!(proven > 100, "{proven} totals proven by the word view");
}

#[test]
fn few_hits_and_all_hits_are_counted_exactly() {
    let f = fixture();
    let searcher = f.idx.reader.searcher();
    for q in ["ที่", "ปี", "สิทธิมนุษยชน"] {
        let compiled = QueryCompiler::new(&f.idx, &f.analysis)
            .compile(q)
            .expect("query");
        let count = searcher.search(&compiled.query, &Count).expect("count");
        assert!(count > 0, "{q}");
        // Below the default cap (1000), the count is exact.
        let page = search(&f.idx, &f.analysis, q, 3).expect("search");
        assert!(page.total_exact, "{q}");
        assert_eq!(page.total, count, "{q}");
        let all = search(&f.idx, &f.analysis, q, 0).expect("search");
        assert!(all.total_exact, "{q}");
        assert_eq!(all.hits.len(), count, "{q}");
        // The first page of "all hits" is the first page.
        let ids: Vec<_> = page.hits.iter().map(|h| &h.id).collect();
        let top: Vec<_> = all.hits.iter().take(3).map(|h| &h.id).collect();
        assert_eq!(ids, top, "{q}");
    }
}

/// When the count finds every match (few of them) or goes on to every match
/// because the bound cannot settle the page, the ordinary search ranks the
/// matches it was given: the same page, scores and total as testing the
/// string again.
#[test]
fn matches_found_while_counting_rank_as_the_full_search() {
    let f = fixture();
    let searcher = f.idx.reader.searcher();
    let mut solved_pages = 0;
    let mut resumed = 0;
    for q in queries() {
        let compiled = QueryCompiler::new(&f.idx, &f.analysis)
            .compile(&q)
            .expect("query");
        let count = searcher.search(&compiled.query, &Count).expect("count");
        for (count_cap, candidates) in [(2, 1), (2, 64), (1000, 64)] {
            for limit in [1, 3, 10] {
                let tuning = Tuning {
                    count_cap,
                    candidates,
                };
                let answer =
                    answer(&f.idx, &f.analysis, &searcher, &q, limit, tuning).expect("first page");
                let Answer::Solved(chars, solved) = answer else {
                    continue;
                };
                solved_pages += 1;
                let found: usize = solved.values().map(Vec::len).sum();
                if count_cap < found {
                    resumed += 1;
                }
                let given = QueryCompiler::new(&f.idx, &f.analysis)
                    .with_searcher(&searcher)
                    .solved(chars, Arc::new(solved))
                    .compile(&q)
                    .expect("query");
                let (n, got) = searcher
                    .search(
                        &given.query,
                        &(Count, TopDocs::with_limit(limit).order_by_score()),
                    )
                    .expect("given matches");
                let want = searcher
                    .search(
                        &compiled.query,
                        &TopDocs::with_limit(limit).order_by_score(),
                    )
                    .expect("full ranking");
                assert_eq!(n, count, "{q:?}: total");
                assert_eq!(got, want, "{q:?} limit {limit} cap {count_cap}");
            }
        }
    }
    assert!(
        solved_pages > 300,
        "{solved_pages} pages from counted matches"
    );
    assert!(
        resumed > 20,
        "{resumed} pages from a count gone on to every match"
    );
}

/// Phrases holding a common word (`ที่`, `การ`) beside rarer ones: their
/// candidates are ranked without the common word, whose highest score joins
/// the bound instead. A page settled that way is still the top of the full
/// ranking.
#[test]
fn pages_ranked_without_common_words_are_the_top_of_the_full_ranking() {
    let f = fixture();
    let searcher = f.idx.reader.searcher();
    let mut next = pseudo_random(0x0c0_4404_0000_0002);
    let mut phrases = Vec::new();
    for text in &f.texts {
        let chars: Vec<char> = text.chars().collect();
        if chars.len() < 40 {
            continue;
        }
        for _ in 0..6 {
            let len = 6 + next() % 12;
            let start = next() % (chars.len() - len);
            let q: String = chars[start..start + len].iter().collect();
            let q = q.trim().to_string();
            if q.is_empty() || q.contains(['"', '“', '”', '\\']) {
                continue;
            }
            let common = common_words(&f.idx, &f.analysis, &searcher, &q).expect("words");
            if !common.is_empty() {
                phrases.push(format!("\"{q}\""));
            }
        }
    }
    assert!(
        phrases.len() > 50,
        "{} phrases with a common word",
        phrases.len()
    );
    let mut early = 0;
    for q in &phrases {
        let compiled = QueryCompiler::new(&f.idx, &f.analysis)
            .compile(q)
            .expect("query");
        for limit in [1, 3, 10] {
            for candidates in [1, 64] {
                let tuning = Tuning {
                    count_cap: 1,
                    candidates,
                };
                let Some(page) = top_tuned(&f.idx, &f.analysis, &searcher, q, limit, tuning)
                    .expect("first page")
                else {
                    continue;
                };
                early += 1;
                let full = searcher
                    .search(
                        &compiled.query,
                        &TopDocs::with_limit(limit).order_by_score(),
                    )
                    .expect("full ranking");
                assert_eq!(
                    page.top, full,
                    "{q:?} limit {limit} candidates {candidates}"
                );
                assert!(!page.total_exact, "{q:?}");
            }
        }
    }
    assert!(
        early > 50,
        "{early} pages settled without their common words"
    );
}

/// A string the count expects to hold fewer matches than a first round's
/// candidates is counted to the end without trying the bound: the ordinary
/// search ranks its matches, with the same page, scores and total.
#[test]
fn strings_expected_to_be_rare_are_counted_to_the_end() {
    let f = fixture();
    let searcher = f.idx.reader.searcher();
    let mut solved_pages = 0;
    for q in queries() {
        let compiled = QueryCompiler::new(&f.idx, &f.analysis)
            .compile(&q)
            .expect("query");
        let count = searcher.search(&compiled.query, &Count).expect("count");
        // Caps above a first round's candidates (8 per hit), small enough
        // for this archive that the count stops early (after 4 documents
        // examined per match wanted) with a rate to expect from.
        for (count_cap, limit) in [(9, 1), (12, 1), (25, 3), (81, 10)] {
            let tuning = Tuning {
                count_cap,
                candidates: 64,
            };
            let found = answer(&f.idx, &f.analysis, &searcher, &q, limit, tuning).expect("page");
            let Answer::Solved(chars, solved) = found else {
                continue;
            };
            solved_pages += 1;
            let given = QueryCompiler::new(&f.idx, &f.analysis)
                .with_searcher(&searcher)
                .solved(chars, Arc::new(solved))
                .compile(&q)
                .expect("query");
            let (n, got) = searcher
                .search(
                    &given.query,
                    &(Count, TopDocs::with_limit(limit).order_by_score()),
                )
                .expect("given matches");
            let want = searcher
                .search(
                    &compiled.query,
                    &TopDocs::with_limit(limit).order_by_score(),
                )
                .expect("full ranking");
            assert_eq!(n, count, "{q:?}: total");
            assert_eq!(got, want, "{q:?} limit {limit} cap {count_cap}");
            let page = search(&f.idx, &f.analysis, &q, limit).expect("search");
            assert_eq!(page.hits.len(), want.len(), "{q:?}");
        }
    }
    assert!(
        solved_pages > 100,
        "{solved_pages} pages from counted matches"
    );
}

/// "All hits" ranks every match in one pass: the same hits with the same
/// scores, in the same order, as counting the matches first and ranking
/// exactly that many; and the literal's words, looked up only where its
/// string is, score as they do everywhere else.
#[test]
fn all_hits_in_one_pass_are_the_counted_ranking() {
    let f = fixture();
    let searcher = f.idx.reader.searcher();
    let mut ranked_hits = 0;
    for q in queries()
        .into_iter()
        .chain(["ที่", "การ", "type:news ประชุม"].map(String::from))
    {
        let compiled = QueryCompiler::new(&f.idx, &f.analysis)
            .compile(&q)
            .expect("query");
        let count = searcher.search(&compiled.query, &Count).expect("count");
        let all = search(&f.idx, &f.analysis, &q, 0).expect("search");
        assert!(all.total_exact, "{q}");
        assert_eq!(all.total, count, "{q}");
        assert_eq!(all.hits.len(), count, "{q}");
        if count == 0 {
            continue;
        }
        let ranked = searcher
            .search(
                &compiled.query,
                &TopDocs::with_limit(count).order_by_score(),
            )
            .expect("rank");
        let want: Vec<(u32, String)> = ranked
            .iter()
            .map(|&(score, addr)| {
                let doc: tantivy::TantivyDocument = searcher.doc(addr).expect("stored document");
                (score.to_bits(), f.idx.stored(&doc).id)
            })
            .collect();
        let got: Vec<(u32, String)> = all
            .hits
            .iter()
            .map(|h| (h.score.to_bits(), h.id.clone()))
            .collect();
        assert_eq!(got, want, "{q}");
        ranked_hits += count;
    }
    assert!(ranked_hits > 1000, "{ranked_hits}");
}

/// A literal that is one Thai word is in every document holding that word:
/// those documents are counted without testing the string, as a lower bound
/// of its matches; a literal of several words, digits or Latin letters
/// proves nothing that way.
#[test]
fn a_words_documents_are_a_lower_bound_of_its_matches() {
    let f = fixture();
    let searcher = f.idx.reader.searcher();
    let field = f.idx.fields.body;
    let mut proved = 0;
    for w in [
        "ที่",
        "การ",
        "ปี",
        "จังหวัด",
        "ประเทศ",
        "สิทธิ",
        "มนุษย์",
        "คุ้มครอง",
        "ขับเคลื่อน",
    ] {
        let proven = proven_by_word(&searcher, field, &f.analysis.segmenter, w, None)
            .expect("proof") as usize;
        // Counted independently: the documents whose word units hold it.
        let holding = f
            .texts
            .iter()
            .filter(|t| {
                word_units(&f.analysis.segmenter, t)
                    .iter()
                    .any(|u| u.text == w)
            })
            .count();
        assert_eq!(proven, holding, "{w}");
        let compiled = QueryCompiler::new(&f.idx, &f.analysis)
            .compile(w)
            .expect("query");
        let count = searcher.search(&compiled.query, &Count).expect("count");
        assert!(proven <= count, "{w}: {proven} proven of {count}");
        proved += usize::from(proven > 0);
    }
    assert!(proved >= 6, "{proved} words proven in some document");
    for literal in ["2566", "ที่ 2/2566", "สิทธิมนุษยชนแห่งชาติ", "MGR", "การ,", "การ-"]
    {
        let proven =
            proven_by_word(&searcher, field, &f.analysis.segmenter, literal, None).expect("proof");
        assert_eq!(proven, 0, "{literal:?}");
    }
}

/// A document replaced by a new version no longer holds the word: the
/// proof counts live documents only, not the deleted version still in the
/// word's postings.
#[test]
fn a_replaced_document_is_not_counted_as_proof() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).expect("docs dir");
    let text = "ข่าวประชาสัมพันธ์ จังหวัดภูเก็ต วันนี้ที่ภูเก็ต มีการประชุม";
    for i in 0..3 {
        std::fs::write(docs.join(format!("{i}.txt")), format!("{text} ฉบับที่ {i}\n")).expect("write");
    }
    let analysis = Analysis::load(None).expect("dictionaries");
    let idx = SarabanIndex::open(&dir.path().join("index"), &analysis, true).expect("index");
    let opts = || IngestOptions {
        prune: false,
        report: None,
        threads: 1,
        extract: ExtractOptions::with_tools(Tools::none()),
        batch_docs: 16,
    };
    let proven = |idx: &SarabanIndex| {
        idx.refresh().expect("refresh");
        let searcher = idx.reader.searcher();
        proven_by_word(
            &searcher,
            idx.fields.body,
            &analysis.segmenter,
            "ภูเก็ต",
            None,
        )
        .expect("proof")
    };
    let (summary, problems) =
        ingest(&idx, &analysis, std::slice::from_ref(&docs), &opts()).expect("ingest");
    assert_eq!(summary.failed, 0, "{problems:?}");
    assert_eq!(proven(&idx), 3);
    std::fs::write(docs.join("1.txt"), "ข่าวประชาสัมพันธ์ จังหวัดสงขลา วันนี้\n").expect("write");
    let (summary, problems) =
        ingest(&idx, &analysis, std::slice::from_ref(&docs), &opts()).expect("ingest");
    assert_eq!(summary.failed, 0, "{problems:?}");
    assert_eq!(proven(&idx), 2);
}
