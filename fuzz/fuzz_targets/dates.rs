//! Fuzzes the Thai date layer: extraction, the document date, value ranges
//! and filter parsing must never panic, and every mention must be the exact
//! substring at its character offsets with a value inside the date grammar.
#![no_main]

use libfuzzer_sys::fuzz_target;
use saraban::normalize::date::{doc_date, extract_dates, parse_filter, value_range};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let found = extract_dates(text);
    let chars: Vec<char> = text.chars().collect();
    let mut prev_end = 0;
    for d in &found {
        assert!(d.start >= prev_end && d.start < d.end && d.end <= chars.len());
        let surface: String = chars[d.start..d.end].iter().collect();
        assert_eq!(surface, d.text);
        assert!(d.value.starts_with("PARTIAL:--") || value_range(&d.value).is_some());
        prev_end = d.end;
    }
    let _ = doc_date(text, &found);
    for field in ["date", "fy"] {
        if let Some((a, b)) = parse_filter(field, text) {
            assert!(a <= b);
        }
    }
});
