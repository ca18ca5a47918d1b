//! saraban: ingestion and search for Thai government records.
//!
//! The pipeline runs one way: **extract** (any format → text) → **normalize**
//! (Unicode repair, digits, dates) → **segment** (Thai words) → **tag**
//! (provinces, officials, orders, plans, dates, document type) → **index**
//! (tantivy) → **search / export**.
//!
//! * [`extract`] reads files of every supported format into [`model::Extracted`].
//! * [`normalize`] repairs Unicode, folds digits and reads Thai dates.
//! * [`segment`] cuts Thai text into words.
//! * [`tag`] finds entities; [`pipeline`] runs dates and tags together.
//! * [`entity`] describes each entity kind once: tags, index fields,
//!   filters, export columns, display.
//! * [`index`] defines the tantivy schema and analyzers; [`ingest`] fills it.
//! * [`search`] compiles the query language; [`export`] writes entity lists.
//! * [`thai`] defines the Thai character classes every stage shares.
//! * [`prepared`] splits ingest in two (extract and tag here, index there)
//!   for distributed runs; [`index::merge`] joins indexes built apart.
//! * [`archive`] is the read side every front end uses: open an index
//!   read-only, search, look up a document, export, count. The library never
//!   prints and never parses command-line arguments.

pub mod archive;
pub mod browse;
pub mod cache;
pub mod entity;
pub mod export;
pub mod extract;
pub mod index;
pub mod ingest;
pub mod model;
pub mod normalize;
pub mod parts;
pub mod pipeline;
pub mod prepared;
pub mod search;
pub mod segment;
pub mod serve;
pub mod tag;
pub mod thai;
