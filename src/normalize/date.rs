//! Thai date grammar (filled in by the date module).
