//! The query language refuses what it cannot read as one question: each
//! test is one behaviour, with the message users see.

use saraban::search::query::{
    FilterKey, MAX_DEPTH, MAX_QUERY_CHARS, MAX_TERMS, Node, QueryError, parse,
};

fn err(q: &str) -> QueryError {
    match parse(q) {
        Ok(n) => panic!("{q:?} parsed as {n:?}"),
        Err(e) => e,
    }
}

fn msg(q: &str) -> String {
    err(q).to_string()
}

// ---- unknown and mis-cased filters ----

#[test]
fn unknown_filter_is_an_error_naming_it() {
    let e = err("foo:bar");
    assert_eq!(e.filter(), Some("foo"));
    assert_eq!(e.column(), Some(1));
    assert!(msg("foo:bar").starts_with("unknown filter `foo:` at character 1;"));
}

#[test]
fn mis_cased_filter_suggests_the_right_case() {
    assert!(
        msg("Type:order").contains("did you mean `type:`?"),
        "{}",
        msg("Type:order")
    );
}

#[test]
fn misspelt_filter_suggests_the_nearest_name() {
    assert!(
        msg("provice:ภูเก็ต")
            .starts_with("unknown filter `provice:` at character 1: did you mean `province:`?")
    );
}

#[test]
fn unknown_filter_after_words_reports_its_column() {
    assert_eq!(err("ภูเก็ต Date:2566").column(), Some(8));
}

#[test]
fn unknown_filter_message_says_how_to_search_the_text() {
    assert!(msg("foo:bar").contains("quote it: \"foo:…\""));
}

#[test]
fn a_time_is_text_not_a_filter() {
    assert_eq!(parse("10:30"), Ok(Node::Literal("10:30".into())));
}

#[test]
fn a_url_is_text_not_a_filter() {
    assert_eq!(
        parse("https://www.moj.go.th"),
        Ok(Node::Literal("https://www.moj.go.th".into()))
    );
}

#[test]
fn a_colon_inside_quotes_is_text() {
    assert_eq!(parse("\"foo:bar\""), Ok(Node::Literal("foo:bar".into())));
}

#[test]
fn a_colon_after_thai_is_text() {
    assert_eq!(parse("หมายเหตุ:"), Ok(Node::Literal("หมายเหตุ:".into())));
}

// ---- empty values and empty queries ----

#[test]
fn empty_order_value_is_an_error() {
    assert_eq!(
        msg("order:"),
        "filter `order:` at character 1 has no value (e.g. order:2/2566)"
    );
}

#[test]
fn empty_official_value_is_an_error() {
    assert_eq!(err("ภูเก็ต official:").filter(), Some("official"));
    assert_eq!(err("ภูเก็ต official:").column(), Some(8));
}

#[test]
fn empty_quoted_filter_value_is_an_error() {
    assert_eq!(err("plan:\"  \"").filter(), Some("plan"));
}

#[test]
fn empty_query_is_an_error() {
    assert_eq!(err(""), QueryError::Empty);
}

#[test]
fn whitespace_query_is_an_error() {
    assert_eq!(err(" \t\u{3000} "), QueryError::Empty);
}

#[test]
fn invisible_characters_alone_are_an_empty_query() {
    assert_eq!(err("\u{200B}\u{FEFF}"), QueryError::Empty);
}

#[test]
fn or_alone_is_an_error() {
    assert!(msg("OR").starts_with("`OR` at character 1 is an operator"));
}

#[test]
fn not_alone_is_an_error() {
    assert!(msg("NOT").starts_with("`NOT` at character 1 is an operator"));
}

#[test]
fn dash_alone_is_an_error() {
    assert!(msg("-").starts_with("`-` at character 1 must stand right before"));
}

#[test]
fn and_alone_is_an_error() {
    assert_eq!(err("  AND").column(), Some(3));
}

#[test]
fn empty_phrase_is_an_error() {
    assert_eq!(msg("ภูเก็ต \"\""), "empty phrase at character 8");
}

#[test]
fn or_without_a_right_side_is_an_error() {
    assert_eq!(
        msg("ภูเก็ต OR"),
        "`OR` at character 8 needs something on each side"
    );
}

#[test]
fn or_without_a_left_side_is_an_error() {
    assert_eq!(err("OR ภูเก็ต").column(), Some(1));
}

#[test]
fn not_without_an_operand_is_an_error() {
    assert_eq!(
        msg("ภูเก็ต NOT"),
        "`NOT` at character 8 needs something to exclude right after it"
    );
}

#[test]
fn a_dash_followed_by_a_space_is_an_error() {
    assert_eq!(err("2566 - 2570").column(), Some(6));
}

#[test]
fn doubled_and_is_an_error() {
    assert_eq!(err("ภูเก็ต AND AND สงขลา").column(), Some(8));
}

// ---- unbalanced parentheses and quotes ----

#[test]
fn unclosed_parenthesis_is_an_error_with_its_position() {
    assert_eq!(
        msg("(ภูเก็ต"),
        "unbalanced `(` at character 1: it is never closed"
    );
}

#[test]
fn unopened_parenthesis_is_an_error_with_its_position() {
    assert_eq!(
        msg("ภูเก็ต)"),
        "unbalanced `)` at character 7: no `(` opens it"
    );
}

#[test]
fn inner_unclosed_parenthesis_points_at_the_right_one() {
    assert_eq!(err("(ก OR (ข)").column(), Some(1));
    assert_eq!(err("(ก) (ข").column(), Some(5));
}

#[test]
fn empty_parentheses_are_an_error() {
    assert_eq!(msg("ภูเก็ต ()"), "empty parentheses at character 8");
}

#[test]
fn unclosed_quote_is_an_error_with_its_position() {
    assert_eq!(
        msg("ภูเก็ต \"สงขลา"),
        "unbalanced quote `\"` at character 8: it is never closed"
    );
}

#[test]
fn unclosed_curly_quote_is_an_error() {
    assert_eq!(err("“สงขลา").column(), Some(1));
}

#[test]
fn closing_curly_quote_alone_is_an_error() {
    assert_eq!(
        msg("สงขลา”"),
        "unbalanced quote `”` at character 6: no quote opens it"
    );
}

#[test]
fn unclosed_quoted_filter_value_is_an_error() {
    assert_eq!(err("official:\"ณรงค์").column(), Some(10));
}

// ---- dates ----

#[test]
fn open_date_range_upwards_is_accepted() {
    assert_eq!(
        parse("date:2016-01-01.."),
        Ok(Node::Filter(FilterKey::DATE, "2016-01-01..".into()))
    );
}

#[test]
fn be_year_range_with_a_hyphen_is_accepted() {
    assert!(parse("date:2566-2567").is_ok());
    assert!(parse("date:๒๕๖๖-๒๕๖๗").is_ok());
}

#[test]
fn ce_year_range_with_a_hyphen_is_accepted() {
    assert!(parse("date:2023-2024").is_ok());
}

#[test]
fn bad_date_is_an_error_naming_it() {
    let e = err("date:garbage");
    assert_eq!(e.filter(), Some("date"));
    assert!(msg("date:garbage").starts_with("filter `date:garbage`: not a date"));
}

#[test]
fn backward_year_range_is_an_error() {
    assert_eq!(err("date:2567-2566").filter(), Some("date"));
}

#[test]
fn bad_type_is_an_error_naming_it() {
    assert!(msg("type:memo").starts_with("filter `type:memo`: unknown type"));
}

// ---- limits ----

#[test]
fn a_thousand_chained_dashes_are_refused_not_a_crash() {
    let q = format!("{}ภูเก็ต", "-".repeat(1000));
    assert_eq!(
        err(&q),
        QueryError::TooDeep {
            column: MAX_DEPTH + 1
        }
    );
}

#[test]
fn five_thousand_nots_are_refused_not_a_crash() {
    let q = format!("{}ภูเก็ต", "NOT ".repeat(5000));
    assert!(matches!(err(&q), QueryError::TooLong { .. }));
    let q = format!("{}ภูเก็ต", "NOT ".repeat(500));
    assert_eq!(err(&q).column(), Some(MAX_DEPTH * 4 + 1));
}

#[test]
fn twenty_thousand_parentheses_are_refused_not_a_crash() {
    let q = format!("{}ภูเก็ต{}", "(".repeat(20_000), ")".repeat(20_000));
    assert!(matches!(err(&q), QueryError::TooLong { .. }));
    let q = format!("{}ภูเก็ต{}", "(".repeat(1000), ")".repeat(1000));
    assert_eq!(
        err(&q),
        QueryError::TooDeep {
            column: MAX_DEPTH + 1
        }
    );
}

#[test]
fn nesting_up_to_the_limit_is_accepted() {
    let q = format!("{}ภูเก็ต{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert_eq!(parse(&q), Ok(Node::Literal("ภูเก็ต".into())));
}

#[test]
fn too_many_terms_are_refused_with_the_position() {
    let q = vec!["ก"; MAX_TERMS + 1].join(" OR ");
    assert_eq!(
        err(&q),
        QueryError::TooManyTerms {
            column: MAX_TERMS * 5 + 1
        }
    );
    let q = vec!["ก"; MAX_TERMS].join(" OR ");
    assert!(parse(&q).is_ok());
}

#[test]
fn ten_thousand_or_terms_are_refused_as_too_long() {
    let q = vec!["ภูเก็ต"; 10_000].join(" OR ");
    assert!(matches!(err(&q), QueryError::TooLong { .. }));
}

#[test]
fn too_long_query_is_refused() {
    let q = "ก".repeat(MAX_QUERY_CHARS + 1);
    assert_eq!(
        msg(&q),
        format!(
            "query too long at character {}: at most {MAX_QUERY_CHARS} characters",
            MAX_QUERY_CHARS + 1
        )
    );
}

// ---- filter list ----

#[test]
fn the_filter_list_describes_every_filter() {
    let names: Vec<&str> = saraban::search::FILTERS.iter().map(|f| f.0).collect();
    assert_eq!(
        names,
        [
            "order", "number", "docno", "province", "official", "plan", "type", "date", "fy"
        ]
    );
    for (name, desc) in saraban::search::FILTERS.iter() {
        assert!(parse(&format!("{name}:")).is_err());
        assert!(!desc.is_empty() && !desc.contains('\n'), "{name}");
    }
}
