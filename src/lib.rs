//! saraban: ingestion and search for Thai government records.
//!
//! The pipeline runs one way: **extract** (any format → text) → **normalize**
//! (Unicode repair, digits, dates) → **segment** (Thai words) → **tag**
//! (provinces, officials, orders, plans, dates, document type) → **index**
//! (tantivy) → **search / export**.

pub mod model;
pub mod normalize;
