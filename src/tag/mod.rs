//! Entity tagging: provinces, officials, orders and cabinet resolutions, letter
//! numbers, plans and the document type of one normalized document.
//!
//! [`Tagger`] holds the gazetteers (`dictionaries/*`, built in with `include_str!`,
//! optionally extended by a user's own files; their matchers are compiled on first use,
//! see `lazy`, so a command that never tags does not pay for them) and tags a document in a
//! few linear passes: aho-corasick for provinces and titles, literal keyword search for
//! orders, letter numbers and plans, each hit then parsed forward from where it was
//! found. All offsets in the result are character offsets into the text.
//!
//! One file per concern: `provinces` (gazetteer and boundary rules), `officials` (titles,
//! names, positions), `orders` (orders, announcements, resolutions, letter numbers),
//! `plans`, `doctype`; `scan` holds the shared text helpers and `words` reads the
//! sectioned word lists (`official_words.txt`, `province_words.txt`), so the official and
//! province rules read every Thai word they look for from `dictionaries/`.

mod doctype;
mod lazy;
mod officials;
mod orders;
mod plans;
mod provinces;
mod scan;
mod words;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::model::{
    DateMention, DocNumberMention, OfficialMention, OrderMention, PlanMention, ProvinceMention,
    Tagged,
};

pub use orders::normalize_order_number;

use officials::Officials;
use orders::DateSpan;
use plans::Plans;
use provinces::Provinces;
use scan::CharIndex;

/// A gazetteer that cannot be read or parsed.
#[derive(Debug, thiserror::Error)]
pub enum TagError {
    /// A user dictionary file could not be read.
    #[error("cannot read dictionary {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A line of a dictionary file is malformed.
    #[error("{file}:{line}: {message}")]
    Parse {
        /// The file name.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The matchers could not be built from the lists.
    #[error("cannot build matcher: {0}")]
    Build(String),
}

const PROVINCES_TSV: &str = include_str!("../../dictionaries/provinces.tsv");
const TITLES_TXT: &str = include_str!("../../dictionaries/titles.txt");
const POSITIONS_TXT: &str = include_str!("../../dictionaries/positions.txt");
const AGENCIES_TXT: &str = include_str!("../../dictionaries/agencies.txt");
const PLANS_TXT: &str = include_str!("../../dictionaries/plans.txt");
const COUNCILS_TXT: &str = include_str!("../../dictionaries/councils.txt");
const OFFICIAL_WORDS_TXT: &str = include_str!("../../dictionaries/official_words.txt");
const PROVINCE_WORDS_TXT: &str = include_str!("../../dictionaries/province_words.txt");

/// The entity tagger: compiled gazetteers, reusable across documents and threads.
pub struct Tagger {
    provinces: Provinces,
    officials: Officials,
    plans: Plans,
    /// Letter-number codes of agencies and provinces (มท, นร, รย).
    letter_codes: HashSet<String>,
    /// Agency names, for the lexicon.
    agency_names: Vec<String>,
    /// Names and abbreviations of the councils that issue numbered announcements.
    councils: Vec<String>,
}

impl Tagger {
    /// Gazetteers compiled in (include_str! of dictionaries/*), parsed once.
    pub fn builtin() -> Result<Tagger, TagError> {
        Tagger::with_dict_dir(None)
    }

    /// Built-in lists extended by same-named files in `dir` (a user's own additions),
    /// if given. Files that do not exist in `dir` are simply not added.
    pub fn with_dict_dir(dir: Option<&Path>) -> Result<Tagger, TagError> {
        let extra = |name: &str| -> Result<Option<String>, TagError> {
            let Some(dir) = dir else { return Ok(None) };
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(s) => Ok(Some(s)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(source) => Err(TagError::Io { path, source }),
            }
        };
        // (file name, content) pairs: the built-in list first, then the user's file.
        let load = |name: &str, builtin: &str| -> Result<Vec<(String, String)>, TagError> {
            let mut v = vec![(name.to_string(), builtin.to_string())];
            if let (Some(x), Some(d)) = (extra(name)?, dir) {
                v.push((d.join(name).display().to_string(), x));
            }
            Ok(v)
        };
        let provinces = load("provinces.tsv", PROVINCES_TSV)?;
        let titles = load("titles.txt", TITLES_TXT)?;
        let positions = load("positions.txt", POSITIONS_TXT)?;
        let agencies = load("agencies.txt", AGENCIES_TXT)?;
        let plans = load("plans.txt", PLANS_TXT)?;
        let councils = load("councils.txt", COUNCILS_TXT)?;
        let official_words = load("official_words.txt", OFFICIAL_WORDS_TXT)?;
        let province_words = load("province_words.txt", PROVINCE_WORDS_TXT)?;
        fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
            v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
        }
        let provinces = Provinces::parse(&pairs(&provinces), &pairs(&province_words))?;
        let mut letter_codes: HashSet<String> = provinces.codes().map(str::to_string).collect();
        let mut agency_names = Vec::new();
        for (_, content) in &agencies {
            for line in content
                .lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            {
                let mut cols = line.split('\t');
                if let Some(code) = cols
                    .next()
                    .map(str::trim)
                    .filter(|c| *c != "-" && !c.is_empty())
                {
                    letter_codes.insert(code.to_string());
                }
                if let Some(name) = cols.next().map(str::trim).filter(|n| !n.is_empty()) {
                    agency_names.push(name.to_string());
                }
            }
        }
        let councils = parse_councils(&councils)?;
        Ok(Tagger {
            provinces,
            officials: Officials::parse(
                &pairs(&titles),
                &pairs(&positions),
                &pairs(&agencies),
                &pairs(&official_words),
            )?,
            plans: Plans::parse(&pairs(&plans))?,
            letter_codes,
            agency_names,
            councils,
        })
    }

    /// Compiles every matcher now. The matchers are otherwise compiled the first time
    /// a document is tagged, so a command that never tags (a search) never pays for
    /// them; a command about to tag calls this first, so a list that cannot be
    /// compiled is an error before any work rather than missed mentions.
    pub fn compile(&self) -> Result<(), TagError> {
        self.provinces.build()?;
        self.officials.build()?;
        self.plans.build()
    }

    /// Tags one document. `dates` are its date mentions (already extracted; copied into
    /// the result and used for cabinet-resolution and order dates). Leaves `doc_date`
    /// as None.
    pub fn tag(&self, text: &str, dates: &[DateMention]) -> Tagged {
        let idx = CharIndex::new(text);
        let mut spans: Vec<DateSpan> = dates
            .iter()
            .filter(|d| d.start <= d.end)
            .map(|d| DateSpan {
                start: idx.byte_at(d.start),
                end: idx.byte_at(d.end),
                value: d.value.clone(),
            })
            .collect();
        spans.sort_by_key(|d| d.start);

        let officials = self.officials.find(text, &self.provinces);
        // Names sorted by start, with the furthest end so far: a province
        // overlaps a name iff some name starting before its end reaches past
        // its start (one binary search, not a scan of every name).
        let mut names: Vec<(usize, usize)> = officials
            .iter()
            .map(|o| (o.name_start, o.name_end))
            .collect();
        names.sort_unstable();
        let mut reach = 0;
        let names: Vec<(usize, usize)> = names
            .into_iter()
            .map(|(s, e)| {
                reach = reach.max(e);
                (s, reach)
            })
            .collect();
        let provinces: Vec<_> = self
            .provinces
            .find(text)
            .into_iter()
            // A province inside a person's name is not a place (นางบุญภาดา พึ่งบุญ ณ อยุธยา).
            .filter(|p| {
                let before_end = names.partition_point(|&(s, _)| s < p.end);
                before_end == 0 || names[before_end - 1].1 <= p.start
            })
            .collect();
        let doc_numbers = orders::find_doc_numbers(text, &self.letter_codes);
        let mut orders = orders::find_orders(text, &spans);
        for o in orders::find_numbered(text, &self.councils, &spans) {
            if !orders.iter().any(|x| x.start < o.end && o.start < x.end) {
                orders.push(o);
            }
        }
        orders.sort_by_key(|o| o.start);
        let plans = self.plans.find(text);
        let (doc_type, own) = doctype::classify(text, &orders, &doc_numbers);
        if let Some(own) = own {
            for o in orders.iter_mut() {
                if o.number.as_deref() == Some(own.as_str()) {
                    o.is_self = true;
                }
            }
        }

        let c = |b: usize| idx.char_at(b);
        Tagged {
            doc_type,
            doc_date: None,
            dates: dates.to_vec(),
            provinces: provinces
                .into_iter()
                .map(|p| ProvinceMention {
                    text: text[p.start..p.end].to_string(),
                    name: self.provinces.list[p.province].name.clone(),
                    start: c(p.start),
                    end: c(p.end),
                    ocr: false,
                })
                .collect(),
            officials: officials
                .into_iter()
                .map(|o| OfficialMention {
                    text: text[o.start..o.end].to_string(),
                    title: Some(o.title),
                    name: o.name,
                    position: o.position,
                    start: c(o.start),
                    end: c(o.end),
                    ocr: false,
                })
                .collect(),
            orders: orders
                .into_iter()
                .map(|o| OrderMention {
                    text: text[o.start..o.end].to_string(),
                    kind: o.kind,
                    number: o.number,
                    issuer: o.issuer,
                    subject: o.subject,
                    date: o.date,
                    is_self: o.is_self,
                    start: c(o.start),
                    end: c(o.end),
                    ocr: false,
                    ocr_confidence: None,
                })
                .collect(),
            doc_numbers: doc_numbers
                .into_iter()
                .map(|d| DocNumberMention {
                    text: text[d.start..d.end].to_string(),
                    number: d.number,
                    start: c(d.start),
                    end: c(d.end),
                    ocr: false,
                    ocr_confidence: None,
                })
                .collect(),
            plans: plans
                .into_iter()
                .map(|p| PlanMention {
                    text: text[p.start..p.end].to_string(),
                    name: p.name,
                    edition: p.edition,
                    period: p.period,
                    start: c(p.start),
                    end: c(p.end),
                    ocr: false,
                })
                .collect(),
        }
    }

    /// Canonical province name for a filter value (`จ.เชียงใหม่`, `จังหวัดเชียงใหม่`,
    /// `กทม.`); `None` when it names no province.
    pub fn canonical_province(&self, s: &str) -> Option<&str> {
        self.provinces.canonical(s)
    }

    /// An official's name without the titles written before it, as
    /// `official:` filters compare it (`พันตำรวจเอก ทวี สอดส่อง` → `ทวี สอดส่อง`).
    pub fn strip_titles<'a>(&self, name: &'a str) -> &'a str {
        self.officials.strip_titles(name)
    }

    /// Words the segmenter should know (province names, titles, positions, agencies).
    pub fn lexicon(&self) -> Vec<String> {
        let mut words: Vec<String> = self
            .provinces
            .surfaces()
            .chain(self.officials.words())
            .chain(self.plans.names())
            .filter(|w| !w.contains('.') && !w.ends_with('ฯ'))
            .chain(self.agency_names.iter().map(String::as_str))
            .filter(|w| !w.contains(' '))
            .map(str::to_string)
            .collect();
        words.sort();
        words.dedup();
        words
    }
}

/// `councils.txt`: names and their abbreviations, longest first.
fn parse_councils(src: &[(String, String)]) -> Result<Vec<String>, TagError> {
    let mut out = Vec::new();
    for (file, content) in src {
        for (n, line) in content.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t');
            let name = cols.next().map(str::trim).unwrap_or("");
            if name.is_empty() {
                return Err(TagError::Parse {
                    file: file.clone(),
                    line: n + 1,
                    message: "expected NAME<TAB>ABBREVIATIONS".into(),
                });
            }
            out.push(name.to_string());
            for a in cols.flat_map(|c| c.split(',')).map(str::trim) {
                if !a.is_empty() {
                    out.push(a.to_string());
                }
            }
        }
    }
    out.sort_by_key(|c| std::cmp::Reverse(c.len()));
    out.dedup();
    Ok(out)
}

/// Completes the document's own order or announcement once its date is known: the
/// first own mention takes the signing date (`สั่ง ณ วันที่ …`, `signed`) when it has
/// none, and an own number written without its year (`ฉบับที่ ๔๔`) takes the B.E. year
/// of `doc_date`.
pub fn complete_own_orders(tagged: &mut Tagged, signed: Option<&str>) {
    let be_year = tagged
        .doc_date
        .as_deref()
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse::<i32>().ok())
        .map(|y| y + 543);
    let mut first = true;
    for o in tagged.orders.iter_mut().filter(|o| o.is_self) {
        if first && o.date.is_none() {
            o.date = signed.map(str::to_string);
        }
        first = false;
        if let (Some(n), Some(y)) = (o.number.as_mut(), be_year)
            && !n.contains('/')
        {
            *n = format!("{n}/{y}");
        }
    }
}

/// Marks every mention of `tagged` as read from OCR text (`"ocr": true`).
pub fn mark_ocr(tagged: &mut Tagged) {
    tagged.dates.iter_mut().for_each(|m| m.ocr = true);
    tagged.provinces.iter_mut().for_each(|m| m.ocr = true);
    tagged.officials.iter_mut().for_each(|m| m.ocr = true);
    tagged.orders.iter_mut().for_each(|m| m.ocr = true);
    tagged.doc_numbers.iter_mut().for_each(|m| m.ocr = true);
    tagged.plans.iter_mut().for_each(|m| m.ocr = true);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocType, OrderKind};
    use crate::normalize::repair;

    /// Tags `text` the way the pipeline does: dates, entities, document date, own order.
    fn full(text: &str) -> Tagged {
        let dates = crate::normalize::date::extract_dates(text);
        let mut t = tagger().tag(text, &dates);
        t.doc_date = crate::normalize::date::doc_date(text, &t.dates);
        let signed = crate::normalize::date::signed_date(text, &t.dates);
        complete_own_orders(&mut t, signed.as_deref());
        t
    }

    #[test]
    fn own_announcement_takes_its_year_and_signing_date() {
        // thai-law-667 34/311485: a Revolutionary Council announcement numbered without
        // its year, signed at the foot.
        let text = "ประกาศของคณะปฏิวัติ\n\nฉบับที่ ๔๔[๑]\n\nโดยที่ปรากฏว่าได้มีบุคคลที่เห็นประโยชน์ตนโดยเฉพาะ\nหัวหน้าคณะปฏิวัติจึงมีคำสั่งดังต่อไปนี้\nข้อ ๑ ประกาศนี้ให้ใช้บังคับในเขตจังหวัดพระนครและจังหวัดธนบุรี\nประกาศ ณ วันที่ ๑๑\nมกราคม พ.ศ. ๒๕๐๒\nจอมพล สฤษดิ์  ธนะรัชต์\nหัวหน้าคณะปฏิวัติ\n";
        let t = full(text);
        assert_eq!(t.doc_type, DocType::Announcement);
        assert_eq!(t.doc_date.as_deref(), Some("1959-01-11"));
        assert_eq!(t.orders.len(), 1, "{:?}", t.orders);
        let o = &t.orders[0];
        assert_eq!(o.kind, OrderKind::Announcement);
        assert_eq!(o.number.as_deref(), Some("44/2502"));
        assert_eq!(o.issuer.as_deref(), Some("คณะปฏิวัติ"));
        assert_eq!(o.date.as_deref(), Some("1959-01-11"));
        assert!(o.is_self);
        assert_eq!(t.officials[0].name, "สฤษดิ์ ธนะรัชต์");
        assert_eq!(t.officials[0].position.as_deref(), Some("หัวหน้าคณะปฏิวัติ"));
        // A cited announcement without its year keeps its bare number.
        let t = full("ตามประกาศของคณะปฏิวัติ ฉบับที่ 12 ลงวันที่ 1 ธันวาคม 2514 ให้ยกเลิก");
        assert_eq!(t.orders[0].number.as_deref(), Some("12"));
        assert!(!t.orders[0].is_self);
    }

    #[test]
    fn own_order_takes_its_signing_date() {
        let text = "คำสั่งหัวหน้าคณะรักษาความสงบแห่งชาติ\nที่ ๗/๒๕๖๒\nเรื่อง การแต่งตั้งเจ้าหน้าที่\n\nโดยที่เป็นการสมควรแต่งตั้งเจ้าหน้าที่\nสั่ง ณ วันที่ ๑๒ มีนาคม พ.ศ. ๒๕๖๒\n";
        let t = full(text);
        assert_eq!(t.doc_type, DocType::Order);
        assert_eq!(t.orders[0].number.as_deref(), Some("7/2562"));
        assert_eq!(t.orders[0].date.as_deref(), Some("2019-03-12"));
        assert!(t.orders[0].is_self);
    }

    #[test]
    fn news_dateline_wins_over_a_dated_headline() {
        let text = "สรุปข่าวการประชุมคณะรัฐมนตรี 17 สิงหาคม 2559\n\nวันอังคารที่ 23 สิงหาคม 2559\nวันนี้ (17 สิงหาคม 2559) เวลา 09.00 น. ณ ห้องประชุม 501 ตึกบัญชาการ 1 ทำเนียบรัฐบาล\n";
        let t = full(text);
        assert_eq!(t.doc_date.as_deref(), Some("2016-08-23"));
        assert_eq!(t.doc_type, DocType::News);
    }

    /// True when every matcher of `t` has been compiled.
    fn all_compiled(t: &Tagger) -> bool {
        t.provinces.compiled() && t.officials.compiled() && t.plans.compiled()
    }

    #[test]
    fn what_a_search_asks_of_the_tagger_compiles_no_matcher() {
        let t = Tagger::builtin().expect("built-in dictionaries load");
        assert!(!t.lexicon().is_empty());
        assert_eq!(t.canonical_province("จ.เชียงใหม่"), Some("เชียงใหม่"));
        assert!(!t.provinces.compiled() && !t.plans.compiled());
        assert!(!t.officials.compiled());
        t.compile().expect("built-in lists compile");
        assert!(all_compiled(&t));
    }

    #[test]
    fn matchers_compiled_on_first_use_tag_real_documents_as_compiled_ones() {
        let eager = Tagger::builtin().expect("built-in dictionaries load");
        eager.compile().expect("built-in lists compile");
        let lazy = Tagger::builtin().expect("built-in dictionaries load");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/real");
        let mut texts: Vec<String> = std::fs::read_dir(&dir)
            .expect("corpus/real")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .map(|raw| repair(&raw))
            .collect();
        texts.sort();
        assert!(texts.len() >= 20, "corpus/real holds the real documents");
        // Several threads ask the uncompiled tagger at once: each matcher is compiled
        // once and every thread gets the same answers as the compiled tagger's.
        let tag_all = |t: &Tagger, part: usize| -> Vec<Tagged> {
            texts
                .iter()
                .skip(part)
                .step_by(2)
                .map(|text| t.tag(text, &crate::normalize::date::extract_dates(text)))
                .collect()
        };
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(|| tag_all(&lazy, 0));
            let b = s.spawn(|| tag_all(&lazy, 1));
            (a.join().expect("thread"), b.join().expect("thread"))
        });
        assert!(all_compiled(&lazy));
        assert_eq!(a, tag_all(&eager, 0));
        assert_eq!(b, tag_all(&eager, 1));
        let found: usize = a
            .iter()
            .chain(&b)
            .map(|t| t.provinces.len() + t.officials.len())
            .sum();
        assert!(
            found > 100,
            "real documents name provinces and officials: {found}"
        );
    }

    fn tagger() -> &'static Tagger {
        static TAGGER: std::sync::OnceLock<Tagger> = std::sync::OnceLock::new();
        TAGGER.get_or_init(|| Tagger::builtin().expect("built-in dictionaries load"))
    }

    /// Tags `raw` after Unicode repair, with the given (date text, value) pairs located
    /// in the text as date mentions; checks every mention's offsets.
    fn tag_doc(raw: &str, dates: &[(&str, &str)]) -> (String, Tagged) {
        let text = repair(raw);
        let chars: Vec<char> = text.chars().collect();
        let mut mentions = Vec::new();
        for (d, v) in dates {
            let mut from = 0;
            while let Some(i) = text[from..].find(d) {
                let b = from + i;
                let start = text[..b].chars().count();
                mentions.push(DateMention {
                    text: d.to_string(),
                    value: v.to_string(),
                    start,
                    end: start + d.chars().count(),
                    ocr: false,
                    ocr_confidence: None,
                });
                from = b + d.len();
            }
        }
        mentions.sort_by_key(|m| m.start);
        let t = tagger().tag(&text, &mentions);
        let check = |s: usize, e: usize, tx: &str| {
            let sub: String = chars[s..e].iter().collect();
            assert_eq!(sub, tx, "offsets {s}..{e}");
        };
        t.provinces
            .iter()
            .for_each(|m| check(m.start, m.end, &m.text));
        t.officials
            .iter()
            .for_each(|m| check(m.start, m.end, &m.text));
        t.orders.iter().for_each(|m| check(m.start, m.end, &m.text));
        t.doc_numbers
            .iter()
            .for_each(|m| check(m.start, m.end, &m.text));
        t.plans.iter().for_each(|m| check(m.start, m.end, &m.text));
        (text, t)
    }

    fn official<'a>(t: &'a Tagged, name: &str) -> &'a OfficialMention {
        t.officials
            .iter()
            .find(|o| o.name == name)
            .unwrap_or_else(|| panic!("official {name} not found in {:?}", t.officials))
    }

    const SEED_000: &str = include_str!("../../corpus/seeds/000_34a1339aa7e8c079.txt");
    const SEED_001: &str = include_str!("../../corpus/seeds/001_540c5badf066de20.txt");
    const SEED_002: &str = include_str!("../../corpus/seeds/002_94a5e7a9c55b254b.txt");
    const SEED_003: &str = include_str!("../../corpus/seeds/003_42c590216e999c55.txt");
    const SEED_004: &str = include_str!("../../corpus/seeds/004_34ed204ab4317a86.txt");

    #[test]
    fn seed_orders_and_plans() {
        for seed in [SEED_000, SEED_002] {
            let (_, t) = tag_doc(seed, &[]);
            let o: Vec<_> = t
                .orders
                .iter()
                .filter(|o| o.kind == OrderKind::Order)
                .collect();
            assert_eq!(o.len(), 1, "{:?}", t.orders);
            assert_eq!(o[0].number.as_deref(), Some("2/2566"));
            assert_eq!(
                o[0].issuer.as_deref(),
                Some("คณะกรรมการขับเคลื่อนงานสิทธิมนุษยชนของประเทศไทย")
            );
            assert!(!o[0].is_self);
            let p = &t.plans[0];
            assert_eq!(p.name, "แผนสิทธิมนุษยชนแห่งชาติ");
            assert_eq!(p.edition.as_deref(), Some("5"));
            assert_eq!(p.period.as_deref(), Some("2566-2570"));
            // Generic plan phrases are not plans.
            assert!(t.plans.iter().all(|p| !p.text.contains("ระดับจังหวัด")));
            assert!(t.plans.iter().all(|p| !p.text.starts_with("แผนงาน")));
        }
    }

    #[test]
    fn seed_governors_with_positions() {
        let (_, t) = tag_doc(SEED_000, &[]);
        let o = official(&t, "ณรงค์ วุ่นซิ่ว");
        assert_eq!(o.title.as_deref(), Some("นาย"));
        assert_eq!(o.position.as_deref(), Some("ผู้ว่าราชการจังหวัดภูเก็ต"));
        assert_eq!(
            official(&t, "สุจิตรา แก้วไกร").position.as_deref(),
            Some("รองอธิบดีกรมคุ้มครองสิทธิและเสรีภาพ")
        );
        let (_, t) = tag_doc(SEED_002, &[]);
        assert_eq!(
            official(&t, "นิรัตน์ พงษ์สิทธิถาวร").position.as_deref(),
            Some("ผู้ว่าราชการจังหวัดเชียงใหม่")
        );
        let (_, t) = tag_doc(SEED_001, &[]);
        assert_eq!(
            official(&t, "สมนึก พรหมเขียว").position.as_deref(),
            Some("ผู้ว่าราชการจังหวัดสงขลา")
        );
        let o = official(&t, "สุชาติ เศรษฐมาลินี");
        assert_eq!(o.title.as_deref(), Some("ผู้ช่วยศาสตราจารย์"));
        assert_eq!(
            o.text,
            "ผู้ช่วยศาสตราจารย์สุชาติ  เศรษฐมาลินี กรรมการสิทธิมนุษยชนแห่งชาติ"
        );
        assert!(t.officials.iter().any(|o| o.name == "รุ่งโรจน์ และสุบ"));
    }

    #[test]
    fn seed_letter_numbers_resolution_and_signature() {
        let (_, t) = tag_doc(
            SEED_003,
            &[
                ("๒๒ พฤศจิกายน ๒๕๖๒", "2019-11-22"),
                ("๒๑ พฤศจิกายน ๒๕๖๐", "2017-11-21"),
            ],
        );
        let nums: Vec<&str> = t.doc_numbers.iter().map(|d| d.number.as_str()).collect();
        assert_eq!(nums, vec!["รย 0017.2/ว 5512", "มท 0211.4/ว 7160"]);
        assert_eq!(t.doc_numbers[0].text, "ที่ รย ๐๐๑๗.๒/ว ๕๕๑๒");
        let r: Vec<_> = t
            .orders
            .iter()
            .filter(|o| o.kind == OrderKind::CabinetResolution)
            .collect();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].date.as_deref(), Some("2017-11-21"));
        assert_eq!(r[0].text, "คณะรัฐมนตรีได้มีมติ เมื่อวันที่ ๒๑ พฤศจิกายน ๒๕๖๐");
        assert_eq!(
            official(&t, "ยุทธพล งามอาจอิทธิชัย").position.as_deref(),
            Some("รองผู้ว่าราชการจังหวัดระยอง")
        );
        assert!(
            t.plans
                .iter()
                .any(|p| p.name.starts_with("วาระแห่งชาติ \"สิทธิมนุษยชน"))
        );
        // The postal abbreviation in the address is not a letter number.
        assert!(t.doc_numbers.iter().all(|d| !d.number.contains("21150")));
    }

    #[test]
    fn seed_document_types() {
        let types: Vec<DocType> = [SEED_000, SEED_001, SEED_002, SEED_003, SEED_004]
            .iter()
            .map(|s| tag_doc(s, &[]).1.doc_type)
            .collect();
        assert_eq!(
            types,
            vec![
                DocType::News,
                DocType::News,
                DocType::News,
                DocType::Circular,
                DocType::News
            ]
        );
    }

    #[test]
    fn seed_provinces_and_traps() {
        let (_, t) = tag_doc(SEED_000, &[]);
        assert!(
            t.provinces
                .iter()
                .all(|p| p.name == "ภูเก็ต" || p.name == "กรุงเทพมหานคร")
        );
        assert_eq!(t.provinces[0].text, "จ.ภูเก็ต");
        // `เผยแพร่:` in the page header is not แพร่.
        assert!(t.provinces.iter().all(|p| p.name != "แพร่"));
        let (_, t) = tag_doc(SEED_001, &[]);
        assert!(t.provinces.iter().any(|p| p.text == "อบจ. สงขลา"));
        let (_, t) = tag_doc(SEED_004, &[]);
        let names: Vec<&str> = t.provinces.iter().map(|p| p.name.as_str()).collect();
        for n in ["เชียงใหม่", "เชียงราย", "ตาก", "ระนอง"]
        {
            assert!(names.contains(&n), "{n} in {names:?}");
        }
        // จำเลย in a law's title is not the province เลย.
        let (_, t) = tag_doc(
            include_str!("../../corpus/real/017_phichit-nakhonsawan-moj-visit.txt"),
            &[],
        );
        assert!(t.provinces.iter().all(|p| p.name != "เลย"));
        assert!(t.provinces.iter().any(|p| p.text == "จ.สมุทรสาคร"));
    }

    #[test]
    fn crime_news_suspects_are_not_officials() {
        let (_, t) = tag_doc(
            include_str!("../../corpus/real/013_krabi-drug-arrest.txt"),
            &[],
        );
        assert!(t.officials.iter().all(|o| !o.name.starts_with("สมบัติ")));
        assert_eq!(
            official(&t, "สมชาย หาญภักดีปฏิมา").position.as_deref(),
            Some("ผู้ว่าราชการจังหวัดกระบี่")
        );
        let (_, t) = tag_doc(
            include_str!("../../corpus/real/012_narathiwat-child-trafficking.txt"),
            &[],
        );
        for o in &t.officials {
            assert!(o.position.is_some(), "{o:?}");
            assert!(
                !["นัสรี", "มูฮัมหมัด", "อาลิษา", "เอ"]
                    .iter()
                    .any(|n| o.name.starts_with(n))
            );
        }
        assert_eq!(
            official(&t, "ตระกูล โทธรรม").title.as_deref(),
            Some("ว่าที่ร้อยตรี")
        );
        let (_, t) = tag_doc(
            include_str!("../../corpus/real/023_ncpo-order-22-2558-chiangrai.txt"),
            &[],
        );
        assert!(t.officials.iter().all(|o| o.name != "เอกชัย ปันแปง"));
        let (_, t) = tag_doc(
            include_str!("../../corpus/real/011_nakhonphanom-drug-crackdown.txt"),
            &[],
        );
        assert!(t.officials.iter().all(|o| o.position.is_some()));
        let (_, t) = tag_doc(
            include_str!("../../corpus/real/014_trat-callcenter-returnees.txt"),
            &[],
        );
        assert!(t.officials.iter().all(|o| o.name == "ชำนาญวิทย์ เตรัตน์"));
    }

    fn order_numbers(t: &Tagged) -> Vec<(String, Option<String>)> {
        t.orders
            .iter()
            .filter(|o| o.kind == OrderKind::Order)
            .map(|o| (o.number.clone().unwrap_or_default(), o.issuer.clone()))
            .collect()
    }

    #[test]
    fn real_orders() {
        let cases: [(&str, &str, Option<&str>); 9] = [
            (
                include_str!("../../corpus/real/019_water-committee-order-4-2566.txt"),
                "4/2566",
                Some("คณะกรรมการทรัพยากรน้ำแห่งชาติ"),
            ),
            (
                include_str!("../../corpus/real/020_pm-office-order-313-2566.txt"),
                "313/2566",
                Some("สำนักนายกรัฐมนตรี"),
            ),
            (
                include_str!("../../corpus/real/021_interior-order-2145-2566.txt"),
                "2145/2566",
                Some("กระทรวงมหาดไทย"),
            ),
            (
                include_str!("../../corpus/real/022_interior-order-2739-2566.txt"),
                "2739/2566",
                Some("กระทรวงมหาดไทย"),
            ),
            (
                include_str!("../../corpus/real/023_ncpo-order-22-2558-chiangrai.txt"),
                "22/2558",
                Some("คสช."),
            ),
            (
                include_str!("../../corpus/real/024_labour-inspector-order-353-2566.txt"),
                "353/2566",
                Some("พนักงานตรวจแรงงาน"),
            ),
            (
                include_str!("../../corpus/real/026_marine-dept-order-620-2563.txt"),
                "620/2563",
                Some("กรมเจ้าท่า"),
            ),
            (
                include_str!("../../corpus/real/027_moj-subcommittee-order-6-2563.txt"),
                "6/2563",
                None,
            ),
            (
                include_str!("../../corpus/real/032_pm-office-order-76-2563.txt"),
                "76/2563",
                Some("สำนักนายกรัฐมนตรี"),
            ),
        ];
        for (doc, number, issuer) in cases {
            let (_, t) = tag_doc(doc, &[]);
            let got = order_numbers(&t);
            assert!(
                got.contains(&(number.to_string(), issuer.map(String::from))),
                "{number}: {got:?}"
            );
        }
        // Meeting numbers (ครั้งที่ 1/2566) and numberless orders are not orders.
        let (_, t) = tag_doc(
            include_str!("../../corpus/real/025_land-reform-admin-orders-2566.txt"),
            &[],
        );
        assert!(order_numbers(&t).is_empty(), "{:?}", t.orders);
        let (_, t) = tag_doc(
            include_str!("../../corpus/real/019_water-committee-order-4-2566.txt"),
            &[("25 มกราคม 2566", "2023-01-25")],
        );
        assert_eq!(order_numbers(&t).len(), 1);
        assert_eq!(t.orders[0].date.as_deref(), Some("2023-01-25"));
        let (_, t) = tag_doc(
            include_str!("../../corpus/real/021_interior-order-2145-2566.txt"),
            &[],
        );
        assert!(
            order_numbers(&t).contains(&("3/2566".to_string(), Some("มหาเถรสมาคม".to_string())))
        );
        assert!(
            order_numbers(&t)
                .contains(&("2146/2566".to_string(), Some("กระทรวงมหาดไทย".to_string())))
        );
    }

    #[test]
    fn an_order_page_is_an_order_with_its_own_number() {
        let (_, t) = tag_doc(
            include_str!("../../corpus/real/032_pm-office-order-76-2563.txt"),
            &[],
        );
        assert_eq!(t.doc_type, DocType::Order);
        assert!(t.orders.iter().all(|o| o.is_self));
        assert!(t.orders.iter().any(|o| {
            o.subject
                .as_deref()
                .is_some_and(|s| s.starts_with("จัดตั้งศูนย์บริหารสถานการณ์"))
        }));
        // A news release citing an order cites it.
        let (_, t) = tag_doc(
            include_str!("../../corpus/real/022_interior-order-2739-2566.txt"),
            &[],
        );
        assert_eq!(t.doc_type, DocType::News);
        assert!(t.orders.iter().all(|o| !o.is_self));
    }

    fn plan_triples(t: &Tagged) -> Vec<(String, Option<String>, Option<String>)> {
        t.plans
            .iter()
            .map(|p| (p.name.clone(), p.edition.clone(), p.period.clone()))
            .collect()
    }

    #[test]
    fn real_plans() {
        let s = |x: &str| Some(x.to_string());
        let cases = [
            (
                include_str!("../../corpus/real/040_justice-master-plan-4.txt"),
                "แผนแม่บทการบริหารงานยุติธรรมแห่งชาติ",
                s("4"),
                s("2566-2569"),
            ),
            (
                include_str!("../../corpus/real/041_anticorruption-plan-phase2.txt"),
                "แผนปฏิบัติการด้านการต่อต้านการทุจริตและประพฤติมิชอบ",
                s("2"),
                s("2566-2570"),
            ),
            (
                include_str!("../../corpus/real/042_dugong-plan-phase2.txt"),
                "แผนอนุรักษ์พะยูนแห่งชาติ",
                s("1"),
                s("2563-2565"),
            ),
            (
                include_str!("../../corpus/real/043_sports-plan-7-district-stadiums.txt"),
                "แผนการก่อสร้างสนามกีฬาอำเภอ",
                s("2"),
                s("2567-2576"),
            ),
            (
                include_str!("../../corpus/real/044_tiger-conservation-plan-2.txt"),
                "แผนปฏิบัติการแห่งชาติเพื่ออนุรักษ์เสือโคร่ง",
                s("2"),
                s("2565-2577"),
            ),
            (
                include_str!("../../corpus/real/001_rlpd-nap-bhr-phase2-launch.txt"),
                "แผนปฏิบัติการระดับชาติว่าด้วยธุรกิจกับสิทธิมนุษยชน",
                s("2"),
                s("2566-2570"),
            ),
        ];
        for (doc, name, edition, period) in cases {
            let (_, t) = tag_doc(doc, &[]);
            let got = plan_triples(&t);
            assert!(
                got.contains(&(name.to_string(), edition, period)),
                "{name}: {got:?}"
            );
        }
        // A later short mention inherits the edition and period.
        let (_, t) = tag_doc(
            include_str!("../../corpus/real/040_justice-master-plan-4.txt"),
            &[],
        );
        let short: Vec<_> = t.plans.iter().filter(|p| p.text == "แผนแม่บทฯ").collect();
        assert!(!short.is_empty());
        for p in short {
            assert_eq!(p.name, "แผนแม่บทการบริหารงานยุติธรรมแห่งชาติ");
            assert_eq!(
                (p.edition.as_deref(), p.period.as_deref()),
                (Some("4"), Some("2566-2569"))
            );
        }
    }

    #[test]
    fn user_dictionary_extends_builtin_lists() {
        let dir = std::env::temp_dir().join(format!("saraban-tag-dict-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::fs::write(dir.join("plans.txt"), "แผนพัฒนาชุมชนตัวอย่าง\n").expect("write");
        std::fs::write(dir.join("titles.txt"), "บาทหลวง\thonorific\n").expect("write");
        let t = Tagger::with_dict_dir(Some(&dir)).expect("loads");
        let text = "บาทหลวงสมชาย ใจดี ประธานชมรม กล่าวถึงแผนพัฒนาชุมชนตัวอย่าง ต่อไป";
        let r = t.tag(text, &[]);
        assert_eq!(r.officials.len(), 1);
        assert_eq!(r.plans[0].name, "แผนพัฒนาชุมชนตัวอย่าง");
        // The word lists the rules read with are extended the same way: a word that
        // marks a suspect, a building a province names, a council.
        let text = "ตำรวจควบคุมนายสมชาย ใจดี ไว้ ที่อาคารพักชลบุรี ตามประกาศสภาทดลอง ฉบับที่ 3/2566";
        let r = t.tag(text, &[]);
        assert_eq!(r.officials.len(), 1);
        assert_eq!(r.provinces.len(), 1);
        assert!(r.orders.is_empty());
        std::fs::write(dir.join("official_words.txt"), "[private_left]\nควบคุม\n").expect("write");
        std::fs::write(dir.join("province_words.txt"), "[exclude_left]\nอาคารพัก\n").expect("write");
        std::fs::write(dir.join("councils.txt"), "สภาทดลอง\t\n").expect("write");
        let t = Tagger::with_dict_dir(Some(&dir)).expect("loads");
        let r = t.tag(text, &[]);
        assert!(r.officials.is_empty(), "{:?}", r.officials);
        assert!(r.provinces.is_empty(), "{:?}", r.provinces);
        assert_eq!(r.orders[0].number.as_deref(), Some("3/2566"));
        assert_eq!(r.orders[0].kind, OrderKind::Announcement);
        std::fs::write(dir.join("official_words.txt"), "[no_such_list]\nคำ\n").expect("write");
        assert!(Tagger::with_dict_dir(Some(&dir)).is_err());
        std::fs::remove_file(dir.join("official_words.txt")).expect("remove");
        std::fs::write(dir.join("titles.txt"), "บาทหลวง\tsaint\n").expect("write");
        match Tagger::with_dict_dir(Some(&dir)) {
            Err(TagError::Parse { line, .. }) => assert_eq!(line, 1),
            other => panic!("expected a parse error, got {:?}", other.err()),
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn tagger_is_shared_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Tagger>();
    }

    #[test]
    fn filter_helpers() {
        let t = tagger();
        assert_eq!(t.canonical_province("จ.เชียงใหม่"), Some("เชียงใหม่"));
        assert_eq!(t.canonical_province("กทม."), Some("กรุงเทพมหานคร"));
        assert_eq!(
            normalize_order_number("๒ / ๒๕๖๖").as_deref(),
            Some("2/2566")
        );
        let lex = t.lexicon();
        for w in ["เชียงใหม่", "ผู้ว่าราชการ", "นางสาว", "กระทรวงมหาดไทย"]
        {
            assert!(lex.iter().any(|x| x == w), "{w}");
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        let t = tagger();
        for s in [
            "",
            "ที่",
            "คำสั่ง",
            "คำสั่งที่ ๑/",
            "นาย",
            "นาย ",
            "(นาย",
            "แผน ฉบับที่",
            "วาระแห่งชาติ “",
            "มติคณะรัฐมนตรี (",
            "ที่ มท ๐๒๑๑./ว",
            "จ.",
            "\u{0E48}\u{0E49}นาย\u{0E31}",
        ] {
            let _ = t.tag(s, &[]);
        }
        // Date mentions with offsets beyond the text or reversed are tolerated.
        for (start, end) in [(50, 60), (14, 3), (14, 60)] {
            let bogus = DateMention {
                text: "x".into(),
                value: "2020".into(),
                start,
                end,
                ocr: false,
                ocr_confidence: None,
            };
            let _ = t.tag("มติคณะรัฐมนตรีเมื่อวันที่ ๑", &[bogus]);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Any mix of Thai letters, marks, digits, keywords and punctuation tags
        /// without panicking, with offsets that slice the text.
        #[test]
        fn tags_arbitrary_text(s in "(นาย|นาง|ผศ\\.ดร\\.|ว่าที่ |ร\\.ต\\.|คำสั่ง|ที่ |มท |๐๒๑๑\\.๔|/ว |๒๕๖๖|/|แผน|ฉบับที่ |ระยะที่|\\(พ\\.ศ\\. |\\)|วาระแห่งชาติ|“|”|ฯ|จ\\.|จังหวัด|เลย|ตาก|ภูเก็ต|มติคณะรัฐมนตรี|เมื่อวันที่ |ผู้ว่าราชการ|[ก-ฮ]|[\\u0E31-\\u0E3A\\u0E47-\\u0E4E]|[0-9๐-๙]| |\\n|\\.|\\(){0,60}") {
            let text = s;
            let t = tagger().tag(&text, &[]);
            let n = text.chars().count();
            for (a, b, x) in t.officials.iter().map(|m| (m.start, m.end, &m.text))
                .chain(t.provinces.iter().map(|m| (m.start, m.end, &m.text)))
                .chain(t.orders.iter().map(|m| (m.start, m.end, &m.text)))
                .chain(t.doc_numbers.iter().map(|m| (m.start, m.end, &m.text)))
                .chain(t.plans.iter().map(|m| (m.start, m.end, &m.text)))
            {
                proptest::prop_assert!(a <= b && b <= n);
                let sub: String = text.chars().skip(a).take(b - a).collect();
                proptest::prop_assert_eq!(&sub, x);
            }
        }
    }
}
