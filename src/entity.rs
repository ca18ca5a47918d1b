//! One descriptor per entity kind: what the kind is called in tags, in the
//! index, in the query language, in exports and on screen.
//!
//! [`KINDS`] is the single table the rest of the crate consults: the index
//! writer asks each kind for its terms, the query parser finds filters here,
//! export takes its columns and rows from here, and `show` its headings and
//! lines; the index schema takes each kind's fields from here and the
//! search answer its facets.
//!
//! A new kind touches three places:
//! * `model.rs`: its mention type and its list in [`Tagged`];
//! * its tagger under `tag/`, called from `Tagger::tag`;
//! * this file: a [`Kind`], its entry in [`KINDS`] (index fields with a
//!   free slot, filters, facets, export columns, `show` label) and its
//!   terms, rows, lines and brief functions; a column no other kind has
//!   goes in [`ALL_COLUMNS`] too.
//!
//! Only a filter that is not one exact term of its field needs code of its
//! own (in the search module), and a facet a Thai heading on the web page
//! (without one it is listed under its name). The tests below fail for a
//! kind that is only half described.

use std::collections::BTreeSet;

use crate::export::Row;
use crate::index::keys::{docno_key, entity_key, order_key};
use crate::model::{OrderKind, Tagged};
use crate::search::query::FilterKey;

/// The entity kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Provinces named as places.
    Province,
    /// Officials named with a title.
    Official,
    /// Orders, announcements and cabinet resolutions.
    Order,
    /// Letter numbers written after `ที่`.
    DocNumber,
    /// Named plans.
    Plan,
    /// Dates written in the text (and the document's own date).
    Date,
    /// The document's type.
    DocType,
}

/// A query filter (`name:value`).
#[derive(Debug, Clone, Copy)]
pub struct Filter {
    /// The name users type (lower case); the parser's key
    /// ([`FilterKey`]) is this name.
    pub name: &'static str,
    /// One line for `--help` and user interfaces.
    pub help: &'static str,
    /// A well-formed use, shown in error messages.
    pub example: &'static str,
    /// Position in the list shown to users.
    pub rank: u8,
    /// Its line in `search --help`: a use and what it finds.
    pub usage: &'static str,
    /// When the filter is one exact index term: that term. `None`: the
    /// search module builds its query (names, ranges, patterns).
    pub term: Option<ExactTerm>,
}

/// A filter that finds documents by one exact term of an index field; its
/// value is highlighted as typed.
#[derive(Debug, Clone, Copy)]
pub struct ExactTerm {
    /// The index field (one of its kind's `index_fields`).
    pub field: &'static str,
    /// The term a (trimmed) value stands for.
    pub key: fn(&str) -> String,
}

/// How an index field holds a kind's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Exact terms, indexed only: found by filters, counted from the
    /// postings.
    Term,
    /// Exact terms, also stored and a column: listed with hits and counted
    /// fast.
    Listed,
    /// A date: indexed, stored and a column, to the second.
    Date,
}

/// One index field of a kind; the index schema is made from these.
#[derive(Debug, Clone, Copy)]
pub struct IndexField {
    /// The field's name in the schema.
    pub name: &'static str,
    /// How it holds values.
    pub kind: FieldKind,
    /// Its place among the kinds' fields in the schema. An index keeps its
    /// fields' numbers, so a new field takes the next free slot.
    pub slot: u8,
}

/// How a facet counts the values of its index field over a result set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FacetCount {
    /// The values of a string fast field (a column).
    Column,
    /// The terms of an indexed (not fast) field.
    Terms,
    /// CE years of a date field, each with its Buddhist Era year.
    Year,
    /// Thai fiscal years (BE) of a date field.
    FiscalYear,
    /// CE months of a date field (`2023-05`), in time order.
    Month,
}

/// One facet of a result set: a key of the `facets` object of a search
/// answer, with its values and how many documents have each.
#[derive(Debug, Clone, Copy)]
pub struct Facet {
    /// Its key in the answer.
    pub name: &'static str,
    /// The index field counted (one of its kind's `index_fields`).
    pub field: &'static str,
    /// How the field's values are counted.
    pub count: FacetCount,
    /// Most values listed (the most frequent); `None`: all.
    pub top: Option<usize>,
    /// Position in the answer.
    pub rank: u8,
    /// What it lists, for the API's description.
    pub help: &'static str,
}

/// Everything the crate needs to know about one entity kind.
#[derive(Debug, Clone, Copy)]
pub struct Entity {
    /// The kind.
    pub kind: Kind,
    /// Mention type name: the `entity` column of an `all` export.
    pub mention: &'static str,
    /// The key of its mentions in the tags (`tag --json`, stored tags).
    pub tagged: &'static str,
    /// Export kind name (`export KIND`), `None` when not exported.
    pub export: Option<&'static str>,
    /// What its export holds, as `export --help` lists it (empty when not
    /// exported).
    pub export_help: &'static str,
    /// Export columns: CSV header and JSON Lines keys alike. A column no
    /// field of [`Row`] holds is filled from the rows' `extra` values (and
    /// listed in [`ALL_COLUMNS`]).
    pub columns: &'static [&'static str],
    /// Heading of its list in `show`, `None` when `show` prints no list.
    pub label: Option<&'static str>,
    /// Index fields holding its exact terms.
    pub index_fields: &'static [IndexField],
    /// Query filters over it.
    pub filters: &'static [Filter],
    /// Facets over it, counted for every search answer.
    pub facets: &'static [Facet],
    /// Exact index terms of a document: `(field, term)`, each field's terms
    /// in order and once.
    pub terms: fn(&Tagged) -> Vec<(&'static str, String)>,
    /// Export rows (without document id and source), in text order.
    pub rows: fn(&Tagged) -> Vec<Row>,
    /// The lines `show` lists under its label.
    pub lines: fn(&Tagged) -> Vec<String>,
    /// One line per mention for `tag`'s text output, led by the kind's name.
    pub brief: fn(&Tagged) -> Vec<String>,
}

impl Entity {
    /// True when `name` is one of its index fields.
    pub fn has_field(&self, name: &str) -> bool {
        self.index_fields.iter().any(|f| f.name == name)
    }

    /// The descriptor of `kind`.
    pub fn of(kind: Kind) -> &'static Entity {
        KINDS.iter().find(|e| e.kind == kind).unwrap_or(&KINDS[0])
    }
}

/// Every kind, in the order they are listed to users (`show`, `export all`).
pub const KINDS: &[Entity] = &[
    Entity {
        kind: Kind::Province,
        mention: "province",
        tagged: "provinces",
        export: Some("provinces"),
        export_help: "Province mentions",
        columns: &["id", "source", "text", "name", "start", "end", "ocr"],
        label: Some("provinces"),
        index_fields: &[IndexField {
            name: "province",
            kind: FieldKind::Listed,
            slot: 2,
        }],
        filters: &[Filter {
            name: "province",
            help: "documents tagged with a province: province:เชียงใหม่ (จ./จังหวัด prefixes accepted)",
            example: "province:ภูเก็ต",
            rank: 3,
            usage: "province:ภูเก็ต             documents tagged with that province",
            term: None,
        }],
        facets: &[Facet {
            name: "province",
            field: "province",
            count: FacetCount::Column,
            top: None,
            rank: 1,
            help: "Provinces named.",
        }],
        terms: province_terms,
        rows: province_rows,
        lines: province_lines,
        brief: province_brief,
    },
    Entity {
        kind: Kind::Official,
        mention: "official",
        tagged: "officials",
        export: Some("officials"),
        export_help: "Officials",
        columns: &[
            "id", "source", "text", "title", "name", "position", "start", "end", "ocr",
        ],
        label: Some("officials"),
        index_fields: &[IndexField {
            name: "official",
            kind: FieldKind::Term,
            slot: 6,
        }],
        filters: &[Filter {
            name: "official",
            help: "documents naming an official, whole name parts, title optional: official:\"ณรงค์ วุ่นซิ่ว\"",
            example: "official:\"ณรงค์ วุ่นซิ่ว\"",
            rank: 4,
            usage: "official:\"ณรงค์ วุ่นซิ่ว\"     documents naming that official",
            term: None,
        }],
        facets: &[Facet {
            name: "official",
            field: "official",
            count: FacetCount::Terms,
            top: Some(FACET_TOP),
            rank: 6,
            help: "Officials named (top [`FACET_TOP`]).",
        }],
        terms: official_terms,
        rows: official_rows,
        lines: official_lines,
        brief: official_brief,
    },
    Entity {
        kind: Kind::Order,
        mention: "order",
        tagged: "orders",
        export: Some("orders"),
        export_help: "Orders and cabinet resolutions",
        columns: &[
            "id", "source", "text", "type", "number", "issuer", "subject", "date", "self", "start",
            "end", "ocr",
        ],
        label: Some("orders"),
        index_fields: &[
            IndexField {
                name: "order",
                kind: FieldKind::Term,
                slot: 3,
            },
            IndexField {
                name: "number",
                kind: FieldKind::Term,
                slot: 4,
            },
        ],
        filters: &[
            Filter {
                name: "order",
                help: "documents that cite an order: order:2/2566 (a document's own number is not a citation)",
                example: "order:2/2566",
                rank: 0,
                usage: "order:2/2566              documents citing order 2/2566",
                term: Some(ExactTerm {
                    field: "order",
                    key: order_key,
                }),
            },
            Filter {
                name: "number",
                help: "the document that is that order itself: number:2/2566",
                example: "order:2/2566",
                rank: 1,
                usage: "number:2/2566             the document that is order 2/2566 itself",
                term: Some(ExactTerm {
                    field: "number",
                    key: order_key,
                }),
            },
        ],
        facets: &[Facet {
            name: "order",
            field: "order",
            count: FacetCount::Terms,
            top: Some(FACET_TOP),
            rank: 5,
            help: "Orders cited (top [`FACET_TOP`]).",
        }],
        terms: order_terms,
        rows: order_rows,
        lines: order_lines,
        brief: order_brief,
    },
    Entity {
        kind: Kind::DocNumber,
        mention: "doc_number",
        tagged: "doc_numbers",
        export: Some("doc-numbers"),
        export_help: "Letter numbers (`ที่ ...`)",
        columns: &["id", "source", "text", "number", "start", "end", "ocr"],
        label: Some("letter numbers"),
        index_fields: &[IndexField {
            name: "docno",
            kind: FieldKind::Term,
            slot: 5,
        }],
        filters: &[Filter {
            name: "docno",
            help: "letter numbers written after ที่, any spacing: docno:\"มท 0211.4/ว 7160\"",
            example: "docno:\"นร 1011/ว 4\"",
            rank: 2,
            usage: "docno:\"รย 0017.2/ว 5512\"  the letter with that number",
            term: Some(ExactTerm {
                field: "docno",
                key: docno_key,
            }),
        }],
        facets: &[],
        terms: docno_terms,
        rows: docno_rows,
        lines: docno_lines,
        brief: docno_brief,
    },
    Entity {
        kind: Kind::Plan,
        mention: "plan",
        tagged: "plans",
        export: Some("plans"),
        export_help: "Plans",
        columns: &[
            "id", "source", "text", "name", "edition", "period", "start", "end", "ocr",
        ],
        label: Some("plans"),
        index_fields: &[IndexField {
            name: "plan",
            kind: FieldKind::Term,
            slot: 7,
        }],
        filters: &[Filter {
            name: "plan",
            help: "documents referring to a plan (and edition): plan:\"แผนสิทธิมนุษยชนแห่งชาติ ฉบับที่ 5\"",
            example: "plan:\"แผนสิทธิมนุษยชนแห่งชาติ\"",
            rank: 5,
            usage: "plan:\"แผนสิทธิมนุษยชนแห่งชาติ\"  documents referring to that plan",
            term: None,
        }],
        facets: &[],
        terms: plan_terms,
        rows: plan_rows,
        lines: plan_lines,
        brief: plan_brief,
    },
    Entity {
        kind: Kind::Date,
        mention: "date",
        tagged: "dates",
        export: Some("dates"),
        export_help: "Dates",
        columns: &["id", "source", "text", "value", "start", "end", "ocr"],
        label: Some("dates"),
        // The document date is a date field, written by the index writer.
        index_fields: &[IndexField {
            name: "date",
            kind: FieldKind::Date,
            slot: 1,
        }],
        filters: &[
            Filter {
                name: "date",
                help: "document date: date:2566 (BE year), date:2023-03, date:2023-01-01..2023-12-31, date:2016-01-01.., date:2566-2567",
                example: "date:2566",
                rank: 7,
                usage: "date:2023-01-01..2023-12-31  document date in a range (CE); date:2566 = a BE year",
                term: None,
            },
            Filter {
                name: "fy",
                help: "Thai fiscal year, October to September: fy:2566",
                example: "fy:2566",
                rank: 8,
                usage: "fy:2566                   Thai fiscal year (1 Oct 2565 - 30 Sep 2566)",
                term: None,
            },
        ],
        facets: &[
            Facet {
                name: "year",
                field: "date",
                count: FacetCount::Year,
                top: None,
                rank: 2,
                help: "CE years of the document dates (with the BE year); undated documents\nare not counted.",
            },
            Facet {
                name: "fy",
                field: "date",
                count: FacetCount::FiscalYear,
                top: None,
                rank: 3,
                help: "Thai fiscal years (BE) of the document dates.",
            },
            Facet {
                name: "month",
                field: "date",
                count: FacetCount::Month,
                top: None,
                rank: 4,
                help: "CE months of the document dates (`2023-05`), in time order (oldest\nfirst), for a histogram; undated documents are not counted.",
            },
        ],
        terms: no_terms,
        rows: date_rows,
        lines: date_lines,
        brief: date_brief,
    },
    Entity {
        kind: Kind::DocType,
        mention: "type",
        tagged: "type",
        export: None,
        export_help: "",
        columns: &[],
        label: None,
        index_fields: &[IndexField {
            name: "type",
            kind: FieldKind::Listed,
            slot: 0,
        }],
        filters: &[Filter {
            name: "type",
            help: "document type: order, circular, letter, announcement, news, other",
            example: "type:order",
            rank: 6,
            usage: "type:order                order, circular, letter, announcement, news or other",
            term: None,
        }],
        facets: &[Facet {
            name: "type",
            field: "type",
            count: FacetCount::Column,
            top: None,
            rank: 0,
            help: "Document types.",
        }],
        terms: type_terms,
        rows: no_rows,
        lines: no_lines,
        brief: no_lines,
    },
];

/// Columns of an `all` export: every kind's rows in one table, with an
/// `entity` column.
pub const ALL_COLUMNS: &[&str] = &[
    "id", "source", "entity", "text", "value", "title", "position", "type", "issuer", "subject",
    "date", "self", "edition", "period", "start", "end", "ocr",
];

/// Every filter, in the order they are listed to users.
pub fn filters() -> Vec<&'static Filter> {
    let mut all: Vec<&'static Filter> = KINDS.iter().flat_map(|e| e.filters.iter()).collect();
    all.sort_by_key(|f| f.rank);
    all
}

/// Most values a facet lists for `order` and `official`.
pub const FACET_TOP: usize = 50;

/// Every kind's index fields, in their schema slots.
pub fn index_fields() -> Vec<&'static IndexField> {
    let mut all: Vec<&'static IndexField> =
        KINDS.iter().flat_map(|e| e.index_fields.iter()).collect();
    all.sort_by_key(|f| f.slot);
    all
}

/// Every facet, in the order of the answer.
pub fn facets() -> Vec<&'static Facet> {
    let mut all: Vec<&'static Facet> = KINDS.iter().flat_map(|e| e.facets.iter()).collect();
    all.sort_by_key(|f| f.rank);
    all
}

/// The filter named exactly `name`.
pub fn filter(name: &str) -> Option<&'static Filter> {
    KINDS
        .iter()
        .flat_map(|e| e.filters.iter())
        .find(|f| f.name == name)
}

/// The filter of a parser key.
pub fn filter_of(key: FilterKey) -> Option<&'static Filter> {
    filter(key.name())
}

/// The kind exported as `name` (`provinces`, `doc-numbers`, ...).
pub fn exported(name: &str) -> Option<&'static Entity> {
    KINDS.iter().find(|e| e.export == Some(name))
}

fn row(entity: &'static str, text: &str, value: &str, start: usize, end: usize, ocr: bool) -> Row {
    Row {
        entity,
        text: text.to_string(),
        value: value.to_string(),
        start,
        end,
        ocr,
        ..Row::default()
    }
}

fn no_terms(_: &Tagged) -> Vec<(&'static str, String)> {
    Vec::new()
}

fn no_rows(_: &Tagged) -> Vec<Row> {
    Vec::new()
}

fn no_lines(_: &Tagged) -> Vec<String> {
    Vec::new()
}

fn terms_of(field: &'static str, set: BTreeSet<String>) -> Vec<(&'static str, String)> {
    set.into_iter().map(|t| (field, t)).collect()
}

fn type_terms(t: &Tagged) -> Vec<(&'static str, String)> {
    vec![("type", t.doc_type.as_str().to_string())]
}

fn province_terms(t: &Tagged) -> Vec<(&'static str, String)> {
    terms_of(
        "province",
        t.provinces.iter().map(|p| p.name.clone()).collect(),
    )
}

fn province_rows(t: &Tagged) -> Vec<Row> {
    t.provinces
        .iter()
        .map(|m| row("province", &m.text, &m.name, m.start, m.end, m.ocr))
        .collect()
}

/// Each province once, in the order the text first names it.
fn province_lines(t: &Tagged) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    t.provinces
        .iter()
        .filter(|p| seen.insert(p.name.as_str()))
        .map(|p| p.name.clone())
        .collect()
}

fn official_terms(t: &Tagged) -> Vec<(&'static str, String)> {
    terms_of(
        "official",
        t.officials.iter().map(|o| entity_key(&o.name)).collect(),
    )
}

fn official_rows(t: &Tagged) -> Vec<Row> {
    t.officials
        .iter()
        .map(|m| {
            let mut r = row("official", &m.text, &m.name, m.start, m.end, m.ocr);
            r.title = m.title.clone();
            r.position = m.position.clone();
            r
        })
        .collect()
}

fn official_lines(t: &Tagged) -> Vec<String> {
    t.officials
        .iter()
        .map(|o| {
            format!(
                "{}{}{}",
                o.title.as_deref().unwrap_or(""),
                o.name,
                o.position
                    .as_deref()
                    .map(|p| format!(" — {p}"))
                    .unwrap_or_default()
            )
        })
        .collect()
}

/// Cited numbers go to `order`, the document's own to `number`; cabinet
/// resolutions have no number to index.
fn order_terms(t: &Tagged) -> Vec<(&'static str, String)> {
    let mut cited = BTreeSet::new();
    let mut own = BTreeSet::new();
    for o in t
        .orders
        .iter()
        .filter(|o| o.kind != OrderKind::CabinetResolution)
    {
        if let Some(n) = &o.number {
            if o.is_self {
                own.insert(n.clone());
            } else {
                cited.insert(n.clone());
            }
        }
    }
    let mut out = terms_of("order", cited);
    out.extend(terms_of("number", own));
    out
}

fn order_rows(t: &Tagged) -> Vec<Row> {
    t.orders
        .iter()
        .map(|m| {
            let value = m
                .number
                .clone()
                .or_else(|| m.date.clone())
                .unwrap_or_default();
            let mut r = row("order", &m.text, &value, m.start, m.end, m.ocr);
            r.order_type = Some(match m.kind {
                OrderKind::Order => "order",
                OrderKind::CabinetResolution => "cabinet_resolution",
                OrderKind::Announcement => "announcement",
            });
            r.issuer = m.issuer.clone();
            r.subject = m.subject.clone();
            r.date = m.date.clone();
            r.is_self = Some(m.is_self);
            r
        })
        .collect()
}

fn order_lines(t: &Tagged) -> Vec<String> {
    t.orders
        .iter()
        .map(|o| {
            format!(
                "{}{} {}",
                o.number.as_deref().or(o.date.as_deref()).unwrap_or(""),
                if o.is_self { " (own number)" } else { "" },
                o.issuer.as_deref().unwrap_or("")
            )
        })
        .collect()
}

fn docno_terms(t: &Tagged) -> Vec<(&'static str, String)> {
    terms_of(
        "docno",
        t.doc_numbers.iter().map(|n| docno_key(&n.number)).collect(),
    )
}

fn docno_rows(t: &Tagged) -> Vec<Row> {
    t.doc_numbers
        .iter()
        .map(|m| row("doc_number", &m.text, &m.number, m.start, m.end, m.ocr))
        .collect()
}

fn docno_lines(t: &Tagged) -> Vec<String> {
    t.doc_numbers.iter().map(|d| d.number.clone()).collect()
}

/// A plan is found by its name, and by `name|edition` when written.
fn plan_terms(t: &Tagged) -> Vec<(&'static str, String)> {
    let mut plans = BTreeSet::new();
    for p in &t.plans {
        let name = entity_key(&p.name);
        if let Some(e) = &p.edition {
            plans.insert(format!("{name}|{e}"));
        }
        plans.insert(name);
    }
    terms_of("plan", plans)
}

fn plan_rows(t: &Tagged) -> Vec<Row> {
    t.plans
        .iter()
        .map(|m| {
            let mut r = row("plan", &m.text, &m.name, m.start, m.end, m.ocr);
            r.edition = m.edition.clone();
            r.period = m.period.clone();
            r
        })
        .collect()
}

fn plan_lines(t: &Tagged) -> Vec<String> {
    t.plans
        .iter()
        .map(|p| {
            format!(
                "{}{}{}",
                p.name,
                p.edition
                    .as_deref()
                    .map(|e| format!(" ฉบับ/ระยะที่ {e}"))
                    .unwrap_or_default(),
                p.period
                    .as_deref()
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default()
            )
        })
        .collect()
}

fn date_rows(t: &Tagged) -> Vec<Row> {
    t.dates
        .iter()
        .map(|m| row("date", &m.text, &m.value, m.start, m.end, m.ocr))
        .collect()
}

fn date_lines(t: &Tagged) -> Vec<String> {
    t.dates
        .iter()
        .map(|d| format!("{} → {}", d.text, d.value))
        .collect()
}

fn province_brief(t: &Tagged) -> Vec<String> {
    t.provinces
        .iter()
        .map(|p| format!("province  {} → {}", p.text, p.name))
        .collect()
}

fn official_brief(t: &Tagged) -> Vec<String> {
    t.officials
        .iter()
        .map(|p| {
            format!(
                "official  {} | {} | {}",
                p.title.as_deref().unwrap_or(""),
                p.name,
                p.position.as_deref().unwrap_or("")
            )
        })
        .collect()
}

fn order_brief(t: &Tagged) -> Vec<String> {
    t.orders
        .iter()
        .map(|p| {
            format!(
                "order     {} | {} | self={}",
                p.number.as_deref().or(p.date.as_deref()).unwrap_or(""),
                p.issuer.as_deref().unwrap_or(""),
                p.is_self
            )
        })
        .collect()
}

fn docno_brief(t: &Tagged) -> Vec<String> {
    t.doc_numbers
        .iter()
        .map(|p| format!("docno     {}", p.number))
        .collect()
}

fn plan_brief(t: &Tagged) -> Vec<String> {
    t.plans
        .iter()
        .map(|p| {
            format!(
                "plan      {} | {} | {}",
                p.name,
                p.edition.as_deref().unwrap_or(""),
                p.period.as_deref().unwrap_or("")
            )
        })
        .collect()
}

fn date_brief(t: &Tagged) -> Vec<String> {
    t.dates
        .iter()
        .map(|d| format!("date      {} → {}", d.text, d.value))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        DateMention, DocNumberMention, OfficialMention, OrderMention, PlanMention, ProvinceMention,
    };

    /// One mention of every kind, with every optional value written.
    fn full() -> Tagged {
        Tagged {
            doc_date: Some("2023-01-05".into()),
            dates: vec![DateMention {
                text: "5 ม.ค. 2566".into(),
                value: "2023-01-05".into(),
                ..Default::default()
            }],
            provinces: vec![ProvinceMention {
                text: "จ.ภูเก็ต".into(),
                name: "ภูเก็ต".into(),
                ..Default::default()
            }],
            officials: vec![OfficialMention {
                text: "นายณรงค์ วุ่นซิ่ว ผู้ว่าราชการจังหวัด".into(),
                title: Some("นาย".into()),
                name: "ณรงค์ วุ่นซิ่ว".into(),
                position: Some("ผู้ว่าราชการจังหวัด".into()),
                ..Default::default()
            }],
            orders: vec![
                OrderMention {
                    text: "คำสั่งที่ 2/2566".into(),
                    number: Some("2/2566".into()),
                    issuer: Some("จังหวัดภูเก็ต".into()),
                    subject: Some("แต่งตั้ง".into()),
                    date: Some("2023-01-05".into()),
                    ..Default::default()
                },
                OrderMention {
                    number: Some("1/2566".into()),
                    is_self: true,
                    ..Default::default()
                },
            ],
            doc_numbers: vec![DocNumberMention {
                text: "ที่ ภก 0017/ว 1".into(),
                number: "ภก 0017/ว 1".into(),
                ..Default::default()
            }],
            plans: vec![PlanMention {
                text: "แผนสิทธิมนุษยชนแห่งชาติ ฉบับที่ 5".into(),
                name: "แผนสิทธิมนุษยชนแห่งชาติ".into(),
                edition: Some("5".into()),
                period: Some("2566-2570".into()),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn every_filter_is_accepted_by_the_query_parser() {
        for e in KINDS {
            for f in e.filters {
                let key = FilterKey::parse(f.name);
                assert_eq!(key.map(FilterKey::name), Some(f.name));
                assert!(f.usage.starts_with(&format!("{}:", f.name)), "{}", f.usage);
                let q = crate::search::query::parse(f.example)
                    .unwrap_or_else(|err| panic!("{}: {err}", f.example));
                assert!(
                    format!("{q:?}").contains("Filter"),
                    "{} parses as {q:?}",
                    f.example
                );
            }
        }
        let names: Vec<&str> = filters().iter().map(|f| f.name).collect();
        let distinct: BTreeSet<&str> = names.iter().copied().collect();
        assert_eq!(names.len(), distinct.len(), "a filter name is used twice");
        // The keys the search module matches by its own code are in the table.
        for key in [
            FilterKey::PROVINCE,
            FilterKey::OFFICIAL,
            FilterKey::PLAN,
            FilterKey::TYPE,
            FilterKey::DATE,
            FilterKey::FY,
        ] {
            assert_eq!(FilterKey::parse(key.name()), Some(key));
            assert!(filter_of(key).is_some_and(|f| f.term.is_none()), "{key:?}");
        }
    }

    #[test]
    fn every_index_field_is_in_the_schema_and_takes_the_kind_terms() {
        let (schema, fields) = crate::index::schema();
        let t = full();
        for e in KINDS {
            for f in e.index_fields {
                let Ok(field) = schema.get_field(f.name) else {
                    panic!("no field {}", f.name);
                };
                assert_eq!(fields.entity_field(f.name), Some(field), "{}", f.name);
                let entry = schema.get_field_entry(field);
                let (stored, fast, date) = (
                    entry.is_stored(),
                    entry.is_fast(),
                    matches!(entry.field_type(), tantivy::schema::FieldType::Date(_)),
                );
                assert!(entry.is_indexed(), "{}", f.name);
                let want = match f.kind {
                    FieldKind::Term => (false, false, false),
                    FieldKind::Listed => (true, true, false),
                    FieldKind::Date => (true, true, true),
                };
                assert_eq!((stored, fast, date), want, "{}", f.name);
            }
            for t in e.filters.iter().filter_map(|f| f.term) {
                assert!(e.has_field(t.field), "{}", t.field);
                assert!(fields.entity_field(t.field).is_some(), "{}", t.field);
            }
            for (field, _) in (e.terms)(&t) {
                assert!(e.has_field(field), "{}: {field}", e.mention);
                assert!(fields.entity_field(field).is_some(), "{field}");
            }
        }
        let slots: BTreeSet<u8> = index_fields().iter().map(|f| f.slot).collect();
        assert_eq!(slots.len(), index_fields().len(), "two fields share a slot");
        // Every exact-term field gets a term from a document naming everything.
        for e in KINDS {
            for name in e
                .index_fields
                .iter()
                .filter(|f| f.kind != FieldKind::Date)
                .map(|f| f.name)
            {
                assert!(
                    (e.terms)(&t).iter().any(|(f, _)| *f == name),
                    "{name} gets no term"
                );
            }
        }
    }

    #[test]
    fn every_facet_counts_an_index_field_of_its_kind() {
        use tantivy::schema::FieldType;
        let (schema, fields) = crate::index::schema();
        let names: Vec<&str> = facets().iter().map(|f| f.name).collect();
        let distinct: BTreeSet<&str> = names.iter().copied().collect();
        assert_eq!(names.len(), distinct.len(), "a facet name is used twice");
        let ranks: BTreeSet<u8> = facets().iter().map(|f| f.rank).collect();
        assert_eq!(ranks.len(), names.len(), "two facets share a rank");
        for e in KINDS {
            for f in e.facets {
                assert!(e.has_field(f.field), "{}: {}", f.name, f.field);
                let field = schema
                    .get_field(f.field)
                    .unwrap_or_else(|_| panic!("facet {}: no field {}", f.name, f.field));
                let entry = schema.get_field_entry(field);
                match f.count {
                    FacetCount::Column => {
                        assert!(
                            matches!(entry.field_type(), FieldType::Str(_)),
                            "{}",
                            f.name
                        );
                        assert!(entry.is_fast(), "{}: {} is not a column", f.name, f.field);
                    }
                    FacetCount::Terms => {
                        assert!(entry.is_indexed(), "{}: {} is not indexed", f.name, f.field);
                        assert_eq!(fields.entity_field(f.field), Some(field), "{}", f.name);
                    }
                    FacetCount::Year | FacetCount::FiscalYear | FacetCount::Month => {
                        assert!(
                            matches!(entry.field_type(), FieldType::Date(_)),
                            "{}",
                            f.name
                        );
                        assert!(entry.is_fast(), "{}: {} is not a column", f.name, f.field);
                    }
                }
                // A value of a facet of strings is clicked as `name:value`.
                if matches!(f.count, FacetCount::Column | FacetCount::Terms) {
                    assert!(filter(f.name).is_some(), "facet {} has no filter", f.name);
                }
            }
        }
        // The API's description of the answer lists every facet.
        let described =
            serde_json::to_value(<crate::browse::Facets as utoipa::PartialSchema>::schema())
                .expect("schema as JSON");
        let required: Vec<&str> = described["required"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        assert_eq!(required, names);
        for f in facets() {
            assert_eq!(described["properties"][f.name]["description"], f.help);
        }
    }

    #[test]
    fn every_filter_without_an_exact_term_is_answered_by_the_search_module() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let analysis = crate::index::Analysis::load(None).expect("dictionaries");
        let idx = crate::index::SarabanIndex::open(tmp.path(), &analysis, true).expect("index");
        let compiler = crate::search::QueryCompiler::new(&idx, &analysis);
        for f in filters() {
            if let Err(e) = compiler.compile(f.example) {
                panic!("{}: {e}", f.example);
            }
        }
    }

    #[test]
    fn every_export_column_is_produced() {
        let t = full();
        let tagged = serde_json::to_value(&t).expect("tags as JSON");
        let out = crate::pipeline::TagOutput::from_parts("s", "txt", "UTF-8", None, "text", &t);
        let printed = serde_json::to_value(&out).expect("tag output as JSON");
        for e in KINDS {
            assert!(tagged.get(e.tagged).is_some(), "tags lack {}", e.tagged);
            assert!(
                printed.get(e.tagged).is_some(),
                "tag --json lacks {}",
                e.tagged
            );
            let Some(name) = e.export else {
                assert!(e.columns.is_empty());
                continue;
            };
            let kind: crate::export::ExportKind = name.parse().expect("export kind");
            assert_eq!(kind.as_str(), name);
            assert!(!kind.help().is_empty(), "{name} has no help line");
            assert!(exported(name).is_some_and(|x| x.kind == e.kind));
            let rows = (e.rows)(&t);
            assert!(!rows.is_empty(), "{name}: no rows");
            for col in e.columns {
                assert!(
                    rows.iter()
                        .any(|r| !crate::export::cell(r, col).is_null() || *col == "id"),
                    "{name}: column {col} is never produced"
                );
                assert!(ALL_COLUMNS.contains(col) || *col == "name" || *col == "number");
            }
            assert!(rows.iter().all(|r| r.entity == e.mention));
            assert!(e.label.is_some(), "{name} has no heading in show");
            assert!(!(e.lines)(&t).is_empty(), "{name}: show lists nothing");
        }
    }
}
