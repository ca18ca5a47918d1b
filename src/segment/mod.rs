//! Thai word segmentation: splits text into words with a dictionary lattice.
//!
//! Thai is written without spaces between words. [`Segmenter`] finds every
//! dictionary word that starts at each character-cluster boundary of a Thai run
//! (`cluster`: a word never ends between a consonant and its vowels or marks), and
//! picks the cheapest path through that lattice (Viterbi), where a word's cost is
//! its negative log frequency in the Thai National Corpus (`lexicon`). Stretches no
//! dictionary word covers are grouped cluster by cluster into one unknown word
//! rather than shattered into letters. Text that is not Thai (spaces, digits, Latin
//! words, punctuation) is split by character class first ([`segment_sentence`]).
//!
//! Conventions worth knowing when reading tokens:
//! - words are fairly short: common compounds are split into their dictionary
//!   parts (`ผู้|ว่า|ราชการ|จังหวัด`) unless the caller adds the compound with
//!   [`Segmenter::with_words`], which then wins over its parts;
//! - abbreviations keep their full stops (`พ.ศ.`, `มี.ค.`, `ครม.`); spelled-out
//!   acronyms are one word (`เอสเอ็มอี`); a drawn-out last letter stays with its word
//!   (`มากกกก`); `ๆ` and `ฯ` are tokens of their own;
//! - digit runs keep inner `,` and `.` (`1,000.50`), runs of one punctuation sign
//!   are one token (`...`).
//!
//! Quality and speed are measured by `examples/segment_eval.rs` against gold
//! segmentations (character-boundary F1, as PyThaiNLP computes it).

mod cluster;
mod lexicon;
mod trie;

use std::cell::RefCell;
use std::ops::Range;
use std::path::{Path, PathBuf};

use once_cell::sync::Lazy;

use lexicon::Lexicon;
use trie::Trie;

use crate::thai::is_run_char;

/// Why a segmenter could not be built from user word lists.
#[derive(Debug, thiserror::Error)]
pub enum SegmentError {
    /// A word list (or the folder holding them) could not be read.
    #[error("cannot read word list {path}: {source}")]
    Read {
        /// The file or folder that failed.
        path: PathBuf,
        /// The underlying error (missing, permissions, not UTF-8, ...).
        #[source]
        source: std::io::Error,
    },
}

/// A Thai word segmenter: a word lattice over a compiled dictionary.
pub struct Segmenter {
    trie: Trie,
    unknown_start: f32,
    unknown_cluster: f32,
}

/// First bytes of a cached segmenter file.
const CACHE_MAGIC: &[u8] = b"saraban segmenter 1\n";

static BUILTIN: Lazy<Segmenter> = Lazy::new(|| Segmenter::from_lexicon(Lexicon::builtin()));

impl Segmenter {
    /// The compiled-in segmenter (word lists embedded in the binary), built once, lazily.
    pub fn builtin() -> &'static Segmenter {
        &BUILTIN
    }

    /// A fresh segmenter with the built-in words plus `extra` words (domain terms:
    /// provinces, agencies, positions). Extra words are preferred over splitting
    /// them into shorter dictionary words; empty entries are ignored.
    pub fn with_words<I, S>(extra: I) -> Segmenter
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut lex = Lexicon::builtin();
        for w in extra {
            add_user_word(&mut lex, w.as_ref());
        }
        Segmenter::from_lexicon(lex)
    }

    /// [`Segmenter::with_words`], kept in `cache_dir` once built: a later call
    /// with the same words (and the same built-in dictionary and program)
    /// reads the frozen trie back instead of building it (milliseconds instead
    /// of a tenth of a second). A cache that cannot be read or written is
    /// passed over: the segmenter is then built as usual.
    pub fn with_words_cached<S: AsRef<str>>(extra: &[S], cache_dir: &Path) -> Segmenter {
        let mut h = blake3::Hasher::new();
        lexicon::fingerprint(&mut h);
        for w in extra {
            h.update(w.as_ref().as_bytes());
            h.update(b"\n");
        }
        let key = h.finalize().to_hex();
        let path = cache_dir.join(format!("segmenter-{}.bin", &key[..32]));
        if let Some(seg) = Segmenter::map_cache(&path).or_else(|| {
            std::fs::read(&path)
                .ok()
                .and_then(|bytes| Segmenter::from_cache(&bytes))
        }) {
            return seg;
        }
        let seg = Segmenter::with_words(extra.iter().map(AsRef::as_ref));
        // Written whole under another name, then renamed: a reader never
        // sees half a file.
        let tmp = cache_dir.join(format!(
            ".segmenter-{}.{}.tmp",
            &key[..32],
            std::process::id()
        ));
        let written = std::fs::create_dir_all(cache_dir)
            .and_then(|()| std::fs::write(&tmp, seg.to_cache()))
            .and_then(|()| std::fs::rename(&tmp, &path));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        seg
    }

    fn to_cache(&self) -> Vec<u8> {
        let mut out = CACHE_MAGIC.to_vec();
        out.extend_from_slice(&self.unknown_start.to_le_bytes());
        out.extend_from_slice(&self.unknown_cluster.to_le_bytes());
        out.extend_from_slice(&self.trie.to_bytes());
        out
    }

    /// The cached segmenter in `path`, its trie read in place from a read-only
    /// map (a search touches a few pages of it instead of copying 3 MB).
    fn map_cache(path: &Path) -> Option<Segmenter> {
        let file = std::fs::File::open(path).ok()?;
        // SAFETY: cache files are written whole under another name and renamed
        // into place, never changed in place, so the mapped bytes do not change
        // while mapped (a file replaced meanwhile keeps its old inode).
        let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
        let rest = map.strip_prefix(CACHE_MAGIC)?;
        let (start, rest) = rest.split_first_chunk::<4>()?;
        let (cluster, _) = rest.split_first_chunk::<4>()?;
        let (start, cluster) = (f32::from_le_bytes(*start), f32::from_le_bytes(*cluster));
        Some(Segmenter {
            trie: Trie::mapped(map, CACHE_MAGIC.len() + 8)?,
            unknown_start: start,
            unknown_cluster: cluster,
        })
    }

    fn from_cache(bytes: &[u8]) -> Option<Segmenter> {
        let rest = bytes.strip_prefix(CACHE_MAGIC)?;
        let (start, rest) = rest.split_first_chunk::<4>()?;
        let (cluster, rest) = rest.split_first_chunk::<4>()?;
        Some(Segmenter {
            trie: Trie::from_bytes(rest)?,
            unknown_start: f32::from_le_bytes(*start),
            unknown_cluster: f32::from_le_bytes(*cluster),
        })
    }

    /// Built-in words plus every `*.txt` word list in `dir` (one word per line,
    /// `#` starts a comment line). Files are read in name order.
    pub fn with_user_dir(dir: &Path) -> Result<Segmenter, SegmentError> {
        let read_err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| SegmentError::Read { path, source }
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(read_err(dir))? {
            let path = entry.map_err(read_err(dir))?.path();
            if path.extension().is_some_and(|e| e == "txt") && path.is_file() {
                files.push(path);
            }
        }
        files.sort();
        let mut lex = Lexicon::builtin();
        for path in files {
            let text = std::fs::read_to_string(&path).map_err(read_err(&path))?;
            for line in lexicon::lines(&text) {
                add_user_word(&mut lex, line);
            }
        }
        Ok(Segmenter::from_lexicon(lex))
    }

    fn from_lexicon(lex: Lexicon) -> Segmenter {
        let p = lex.params();
        Segmenter {
            trie: lex.into_trie(),
            unknown_start: p.unknown_start,
            unknown_cluster: p.unknown_cluster,
        }
    }

    /// Splits `text` into words. Returns byte ranges into `text` that cover it
    /// contiguously, in order. Thai runs are segmented into words; other text is
    /// split by character class as [`segment_sentence`] describes. Never panics.
    pub fn segment(&self, text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::with_capacity(text.len() / 9 + 1);
        self.segment_append(text, &mut out);
        out
    }

    /// Like [`Segmenter::segment`], appending the word ranges to `out`, so a caller
    /// segmenting many runs reuses one buffer.
    pub fn segment_append(&self, text: &str, out: &mut Vec<Range<usize>>) {
        WORK.with(|cell| match cell.try_borrow_mut() {
            Ok(mut w) => {
                self.segment_into(text, &mut w, out);
                if w.chars.capacity() > KEEP_BUFFERS_UP_TO || w.runs.capacity() > KEEP_BUFFERS_UP_TO
                {
                    *w = Work::default();
                }
            }
            Err(_) => self.segment_into(text, &mut Work::default(), out),
        });
    }

    fn segment_into(&self, text: &str, w: &mut Work, out: &mut Vec<Range<usize>>) {
        let mut runs = std::mem::take(&mut w.runs);
        split_runs(text, &mut runs);
        for (class, range) in runs.drain(..) {
            if class == Class::Thai {
                self.segment_thai(text, range, w, out);
            } else {
                out.push(range);
            }
        }
        w.runs = runs;
    }

    /// The cost of the cheapest path through `word` when it is read as one Thai
    /// run, or `None` when it holds anything a Thai run cannot.
    pub(crate) fn split_cost(&self, word: &str) -> Option<f32> {
        let thai = |c: char| is_run_char(c) || c == '.';
        if word.is_empty() || !word.chars().all(thai) {
            return None;
        }
        let mut w = Work::default();
        let n = self.lattice(word, 0..word.len(), &mut w);
        Some(w.known[n])
    }

    /// Whether `word` is a word of the dictionary.
    pub(crate) fn is_word(&self, word: &str) -> bool {
        self.trie.get(word).is_some()
    }

    /// Segments one run of Thai letters (`text[range]`), appending word ranges.
    fn segment_thai(
        &self,
        text: &str,
        range: Range<usize>,
        w: &mut Work,
        out: &mut Vec<Range<usize>>,
    ) {
        let n = self.lattice(text, range, w);
        // Walk back from the end, collecting tokens in reverse.
        w.path.clear();
        let mut j = n;
        while j > 0 {
            let (i, e) = w.back_known[j];
            if e != Edge::EndUnknown {
                w.path.push((i as usize, j));
                j = i as usize;
                continue;
            }
            let end = j;
            let mut at = j;
            loop {
                let (i, from_unknown) = w.back_unknown[at];
                at = i as usize;
                if !from_unknown || at == 0 {
                    break;
                }
            }
            w.path.push((at, end));
            j = at;
        }
        let first = out.len();
        out.extend(w.path.iter().rev().map(|&(i, j)| w.offs[i]..w.offs[j]));
        join_spelled_letters(text, out, first);
    }

    /// Fills the lattice for the Thai run `text[range]` and returns its length in
    /// characters; `w.known[n]` is then the cost of the best path.
    ///
    /// Viterbi over two states per cluster boundary: `known` (a word ends here) and
    /// `unknown` (an unknown word has run up to here and may go on). Dictionary words
    /// lead from `known` to `known`; an unknown word starts from `known`, grows one
    /// cluster at a time, and ends into `known` at no cost.
    fn lattice(&self, text: &str, range: Range<usize>, w: &mut Work) -> usize {
        let run = &text[range.clone()];
        w.chars.clear();
        w.offs.clear();
        w.syms.clear();
        for (i, c) in run.char_indices() {
            w.chars.push(c);
            w.offs.push(range.start + i);
            w.syms.push(trie::code(c).unwrap_or(trie::DOT));
        }
        w.offs.push(range.end);
        let n = w.chars.len();
        cluster::boundaries(&w.chars, &mut w.valid);

        // next[i]: the first boundary after position i.
        w.next.clear();
        w.next.resize(n + 1, n as u32);
        let mut nxt = n as u32;
        for i in (0..n).rev() {
            w.next[i] = nxt;
            if w.valid[i] {
                nxt = i as u32;
            }
        }

        // repeat_end[i]: end of the run of copies of chars[i] that starts at i.
        w.repeat_end.clear();
        w.repeat_end.resize(n, n as u32);
        for i in (0..n.saturating_sub(1)).rev() {
            if w.chars[i + 1] != w.chars[i] {
                w.repeat_end[i] = i as u32 + 1;
            } else {
                w.repeat_end[i] = w.repeat_end[i + 1];
            }
        }

        w.known.clear();
        w.known.resize(n + 1, f32::INFINITY);
        w.unknown.clear();
        w.unknown.resize(n + 1, f32::INFINITY);
        w.back_known.clear();
        w.back_known.resize(n + 1, (0, Edge::Word));
        w.back_unknown.clear();
        w.back_unknown.resize(n + 1, (0, false));
        w.known[0] = 0.0;
        let (start, grow) = (self.unknown_start, self.unknown_cluster);
        for i in 0..n {
            if !w.valid[i] {
                continue;
            }
            // An unknown word may end here.
            if w.unknown[i] < w.known[i] {
                w.known[i] = w.unknown[i];
                w.back_known[i] = (i as u32, Edge::EndUnknown);
            }
            let k = w.next[i] as usize;
            let alone = k == i + 1 && is_standalone(w.chars[i]);
            let base = w.known[i];
            if base.is_finite() {
                let (known, back, valid, repeat_end) =
                    (&mut w.known, &mut w.back_known, &w.valid, &w.repeat_end);
                self.trie.prefixes(&w.syms[i..], |len, cost| {
                    let mut j = i + len;
                    // A word whose last letter is drawn out (`มากกกก`, `นะะะ`) keeps
                    // the repeats: three or more of the same letter in a row.
                    let r = repeat_end[j - 1] as usize;
                    if r >= j + 2 {
                        j = r;
                    }
                    if valid[j] {
                        let c = base + cost;
                        if c < known[j] {
                            known[j] = c;
                            back[j] = (i as u32, Edge::Word);
                        }
                    }
                });
                let c = base + start + grow;
                if alone {
                    // `.`, `ๆ`, `ฯ` stand alone, never inside an unknown word.
                    if c < w.known[k] {
                        w.known[k] = c;
                        w.back_known[k] = (i as u32, Edge::Alone);
                    }
                } else if c < w.unknown[k] {
                    w.unknown[k] = c;
                    w.back_unknown[k] = (i as u32, false);
                }
            }
            let c = w.unknown[i] + grow;
            if !alone && c < w.unknown[k] {
                w.unknown[k] = c;
                w.back_unknown[k] = (i as u32, true);
            }
        }
        if w.unknown[n] < w.known[n] {
            w.known[n] = w.unknown[n];
            w.back_known[n] = (n as u32, Edge::EndUnknown);
        }
        n
    }
}

/// Adds a caller's word to `lex`, priced just below the cheapest way the built-in
/// dictionary would split it, so that it comes out whole wherever it occurs.
fn add_user_word(lex: &mut Lexicon, raw: &str) {
    let Some(word) = lexicon::clean_user_word(raw) else {
        return;
    };
    let split = Segmenter::builtin().split_cost(&word);
    lex.add_user_word(&word, split);
}

/// True for the Thai spelling of a Latin letter's name (`บี`, `ซี`, `เอ็ม`, ...).
fn is_letter_name(s: &str) -> bool {
    matches!(
        s,
        "เอ" | "บี"
            | "ซี"
            | "ดี"
            | "อี"
            | "เอฟ"
            | "เอ็ฟ"
            | "จี"
            | "เอช"
            | "ไอ"
            | "เจ"
            | "เค"
            | "แอล"
            | "เอ็ม"
            | "เอ็น"
            | "โอ"
            | "พี"
            | "คิว"
            | "อาร์"
            | "เอส"
            | "ที"
            | "ยู"
            | "วี"
            | "ดับเบิลยู"
            | "ดับบลิว"
            | "เอ็กซ์"
            | "วาย"
            | "แซด"
    )
}

/// Joins two or more letter names in a row into one word: acronyms written out in
/// Thai (`บีบีซี` BBC, `ยูเอ็น` UN) are one word, not a string of letters.
fn join_spelled_letters(text: &str, out: &mut Vec<Range<usize>>, first: usize) {
    if out.len() - first < 2 {
        return;
    }
    let mut w = first;
    let mut r = first;
    while r < out.len() {
        let mut end = r + 1;
        if is_letter_name(&text[out[r].clone()]) {
            while end < out.len() && is_letter_name(&text[out[end].clone()]) {
                end += 1;
            }
        }
        out[w] = out[r].start..out[end - 1].end;
        w += 1;
        r = end;
    }
    out.truncate(w);
}

/// Characters that form a token of their own when no word covers them.
fn is_standalone(c: char) -> bool {
    matches!(c, '.' | 'ๆ' | 'ฯ')
}

/// How the lattice reached a word boundary.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Edge {
    /// A dictionary word.
    Word,
    /// The end of an unknown word.
    EndUnknown,
    /// A sign that stands alone (`.`, `ๆ`, `ฯ`).
    Alone,
}

/// Longest Thai run (in characters) whose buffers a thread keeps between calls.
const KEEP_BUFFERS_UP_TO: usize = 1 << 16;

thread_local! {
    /// Buffers reused by [`Segmenter::segment`] on this thread.
    static WORK: RefCell<Work> = RefCell::new(Work::default());
}

/// Reusable buffers for [`Segmenter::segment`].
#[derive(Default)]
struct Work {
    runs: Vec<(Class, Range<usize>)>,
    chars: Vec<char>,
    offs: Vec<usize>,
    syms: Vec<u8>,
    valid: Vec<bool>,
    next: Vec<u32>,
    repeat_end: Vec<u32>,
    known: Vec<f32>,
    unknown: Vec<f32>,
    back_known: Vec<(u32, Edge)>,
    back_unknown: Vec<(u32, bool)>,
    path: Vec<(usize, usize)>,
}

/// Splits mixed text the way a search analyzer sees it: runs of whitespace, Thai
/// runs (segmented into words), digit runs (`1,000.50`, `๒๕๖๖`), runs of other
/// letters (Latin words), and every other character (punctuation, symbols) alone.
/// Byte ranges cover `s` contiguously. The same as [`Segmenter::segment`].
pub fn segment_sentence(seg: &Segmenter, s: &str) -> Vec<Range<usize>> {
    seg.segment(s)
}

/// Character classes that [`split_runs`] groups.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Space,
    Thai,
    Digit,
    Letter,
    Other,
}

/// Splits `text` into maximal runs of one class (into `out`, cleared first); `Other`
/// characters come one by one, except runs of one repeated sign.
fn split_runs(text: &str, out: &mut Vec<(Class, Range<usize>)>) {
    out.clear();
    let mut iter = text.char_indices().peekable();
    let mut prev: Option<char> = None;
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|&(_, n)| n);
        let end = i + c.len_utf8();
        let class = if c.is_whitespace() {
            Class::Space
        } else if is_run_char(c) {
            Class::Thai
        } else if crate::normalize::is_digit(c) {
            Class::Digit
        } else if c == '.' && prev.is_some_and(is_run_char) && next != Some('.') {
            // Abbreviations: `พ.ศ.`, `ก.พ.`, `จ.` (but not an ellipsis after a word).
            Class::Thai
        } else if (c == '.' || c == ',')
            && prev.is_some_and(crate::normalize::is_digit)
            && next.is_some_and(crate::normalize::is_digit)
        {
            Class::Digit
        } else if c.is_alphanumeric()
            || (('\u{0300}'..='\u{036F}').contains(&c) && prev.is_some_and(char::is_alphanumeric))
        {
            // Letters of other scripts, with any combining accents they carry.
            Class::Letter
        } else {
            Class::Other
        };
        let prev_other = prev.filter(|_| out.last().is_some_and(|(k, _)| *k == Class::Other));
        prev = Some(c);
        match out.last_mut() {
            Some((last, r)) if *last == class && class != Class::Other => r.end = end,
            // A run of one punctuation sign (`...`, `--`, `!!!`) is one token.
            Some((Class::Other, r)) if class == Class::Other && prev_other == Some(c) => {
                r.end = end
            }
            Some((Class::Letter, r)) if class == Class::Digit && c.is_ascii_digit() => r.end = end,
            _ => out.push((class, i..end)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cached_segmenter_cuts_as_the_built_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let words = ["ผู้ว่าราชการจังหวัด", "ศาลากลางจังหวัด"];
        let text = "ผู้ว่าราชการจังหวัดภูเก็ตเดินทางไปศาลากลางจังหวัดเมื่อวันที่ 5 มี.ค. 2566";
        let built = Segmenter::with_words(words);
        let first = Segmenter::with_words_cached(&words, dir.path());
        let cached = std::fs::read_dir(dir.path()).expect("cache dir").count();
        assert_eq!(cached, 1, "one frozen trie is kept");
        let again = Segmenter::with_words_cached(&words, dir.path());
        assert_eq!(first.segment(text), built.segment(text));
        assert_eq!(again.segment(text), built.segment(text));
        // Other words are another entry, not the first one read back.
        let other = Segmenter::with_words_cached(&["ภูเก็ตเดินทาง"], dir.path());
        assert_ne!(other.segment(text), built.segment(text));
        // A damaged file is passed over.
        for entry in std::fs::read_dir(dir.path()).expect("cache dir") {
            std::fs::write(entry.expect("entry").path(), b"saraban segmenter 1\n12")
                .expect("write");
        }
        let rebuilt = Segmenter::with_words_cached(&words, dir.path());
        assert_eq!(rebuilt.segment(text), built.segment(text));
    }

    fn words<'a>(seg: &Segmenter, s: &'a str) -> Vec<&'a str> {
        seg.segment(s).into_iter().map(|r| &s[r]).collect()
    }

    fn covers(s: &str, ranges: &[Range<usize>]) -> bool {
        let mut at = 0;
        for r in ranges {
            if r.start != at || r.end <= r.start || !s.is_char_boundary(r.end) {
                return false;
            }
            at = r.end;
        }
        at == s.len()
    }

    #[test]
    fn government_text_splits_into_dictionary_words() {
        let seg = Segmenter::builtin();
        let s = "ครม.เห็นชอบแผนสิทธิมนุษยชนแห่งชาติ ฉบับที่ 5 คุ้มครองสิทธิ 11 กลุ่ม";
        let got = words(seg, s);
        for w in ["ครม.", "เห็นชอบ", "แผน", "สิทธิมนุษยชน", "คุ้มครอง", "สิทธิ", "กลุ่ม"]
        {
            assert!(got.contains(&w), "{w} missing from {got:?}");
        }
        assert!(got.contains(&"5") && got.contains(&"11"), "{got:?}");
        assert!(covers(s, &seg.segment(s)));
    }

    #[test]
    fn unknown_names_stay_whole() {
        let seg = Segmenter::builtin();
        let s = "น.ส.ทิพานัน ศิริชนะ รองโฆษกประจำสำนักนายกรัฐมนตรี";
        let got = words(seg, s);
        assert!(got.contains(&"ทิพานัน"), "{got:?}");
        assert!(got.contains(&"นายกรัฐมนตรี"), "{got:?}");
        assert!(
            !got.iter().any(|w| w.chars().count() == 1 && *w != " "),
            "{got:?}"
        );
    }

    #[test]
    fn abbreviations_dates_and_thai_digits() {
        let seg = Segmenter::builtin();
        let s = "วันนี้ (24 มี.ค.) ณ ห้องประชุม";
        assert!(words(seg, s).contains(&"มี.ค."), "{:?}", words(seg, s));
        let s = "สั่ง ณ วันที่ ๒๑ มีนาคม พุทธศักราช ๒๕๖๐";
        let got = words(seg, s);
        assert!(got.contains(&"๒๑") && got.contains(&"๒๕๖๐"), "{got:?}");
        assert!(
            got.contains(&"มีนาคม") && got.contains(&"พุทธศักราช"),
            "{got:?}"
        );
        let s = "ขับเคลื่อนงาน...";
        assert_eq!(words(seg, s).last(), Some(&"..."));
    }

    #[test]
    fn spelled_out_acronyms_are_one_word() {
        let seg = Segmenter::builtin();
        let s = "ธุรกิจเอสเอ็มอีจากสถานการณ์";
        assert_eq!(words(seg, s), ["ธุรกิจ", "เอสเอ็มอี", "จาก", "สถานการณ์"]);
    }

    #[test]
    fn drawn_out_letters_stay_with_their_word() {
        let seg = Segmenter::builtin();
        let got = words(seg, "ประชุมดีมากกกกครับ");
        assert!(got.contains(&"มากกกก"), "{got:?}");
    }

    #[test]
    fn extra_words_win_over_their_parts() {
        let s = "นายณรงค์ วุ่นซิ่ว ผู้ว่าราชการจังหวัดภูเก็ต";
        let plain = words(Segmenter::builtin(), s);
        assert!(!plain.contains(&"ผู้ว่าราชการจังหวัด"), "{plain:?}");
        let seg = Segmenter::with_words(["ผู้ว่าราชการจังหวัด", "", "วุ่นซิ่ว"]);
        let got = words(&seg, s);
        assert!(got.ends_with(&["ผู้ว่าราชการจังหวัด", "ภูเก็ต"]), "{got:?}");
        assert!(got.contains(&"วุ่นซิ่ว"), "{got:?}");
    }

    #[test]
    fn extra_words_made_of_common_words_still_win() {
        let s = "ณ ห้องประชุมชั้น 4 ศาลากลางจังหวัดภูเก็ต";
        let plain = words(Segmenter::builtin(), s);
        assert!(!plain.contains(&"ศาลากลางจังหวัด"), "{plain:?}");
        let seg = Segmenter::with_words(["ศาลากลางจังหวัด", "ห้องประชุม"]);
        let got = words(&seg, s);
        assert!(got.ends_with(&["ศาลากลางจังหวัด", "ภูเก็ต"]), "{got:?}");
        assert!(got.contains(&"ห้องประชุม"), "{got:?}");
    }

    #[test]
    fn user_dir_reads_txt_lists_and_names_failures() {
        let dir = tempfile::tempdir().map_err(|e| e.to_string());
        let Ok(dir) = dir else { return };
        let list = "# agencies\nกรมคุ้มครองสิทธิและเสรีภาพ\n";
        assert!(std::fs::write(dir.path().join("agencies.txt"), list).is_ok());
        assert!(std::fs::write(dir.path().join("notes.md"), "ร่วมกับจังหวัด\n").is_ok());
        let seg = match Segmenter::with_user_dir(dir.path()) {
            Ok(seg) => seg,
            Err(e) => panic!("user dir failed: {e}"),
        };
        let s = "กรมคุ้มครองสิทธิและเสรีภาพร่วมกับจังหวัดภูเก็ต";
        let got = words(&seg, s);
        assert_eq!(got[0], "กรมคุ้มครองสิทธิและเสรีภาพ");
        assert!(!got.contains(&"ร่วมกับจังหวัด"), "{got:?}");

        let missing = dir.path().join("no-such-folder");
        match Segmenter::with_user_dir(&missing) {
            Err(e) => assert!(e.to_string().contains("no-such-folder"), "{e}"),
            Ok(_) => panic!("a missing folder must fail"),
        }
    }

    #[test]
    fn any_string_is_covered_without_panicking() {
        let seg = Segmenter::builtin();
        let pool: Vec<char> = "กขเแโใไะาำิีึืุู็่้๊๋์ัๆฯ.๑2a é\u{200B}\u{0E4E}!".chars().collect();
        let mut state = 0x2545_f491_u64;
        for len in 0..400 {
            let mut s = String::new();
            for _ in 0..len % 40 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                s.push(pool[(state >> 33) as usize % pool.len()]);
            }
            let ranges = seg.segment(&s);
            assert!(covers(&s, &ranges), "{s:?} -> {ranges:?}");
        }
        assert!(seg.segment("").is_empty());
        // Long runs without a space stay linear: one letter repeated, one word repeated.
        let long = "ก".repeat(200_000) + &"สิทธิมนุษยชน".repeat(20_000);
        assert!(covers(&long, &seg.segment(&long)));
    }

    #[test]
    fn runs_split_by_class() {
        let s = "ณ วันที่ 1,000.50 COVID19 ๒๕๖๖!!";
        let mut runs = Vec::new();
        split_runs(s, &mut runs);
        let got: Vec<(Class, &str)> = runs.into_iter().map(|(c, r)| (c, &s[r])).collect();
        assert_eq!(
            got,
            vec![
                (Class::Thai, "ณ"),
                (Class::Space, " "),
                (Class::Thai, "วันที่"),
                (Class::Space, " "),
                (Class::Digit, "1,000.50"),
                (Class::Space, " "),
                (Class::Letter, "COVID19"),
                (Class::Space, " "),
                (Class::Digit, "๒๕๖๖"),
                (Class::Other, "!!"),
            ]
        );
    }
}
