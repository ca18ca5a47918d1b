//! Text normalization: Unicode repair of extracted text and digit folding.
//!
//! [`repair`] is applied to every document before anything else sees it: it
//! turns the many ways Thai text reaches us (legacy font glyphs, decomposed
//! sara am, byte-order marks, zero-width characters, mojibake quotes) into one
//! clean NFC form *without* changing what the document says — Thai digits stay
//! Thai digits and every combining mark survives. Digit equivalence is applied
//! later, by the analyzers and the normalized entity values.

pub mod date;
mod text;

pub use text::*;
