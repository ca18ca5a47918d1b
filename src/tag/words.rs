//! Sectioned word lists (`official_words.txt`, `province_words.txt`): a `[section]`
//! line, then one entry per line. Lines starting with `#` are comments; an entry with
//! spaces at either end is written in double quotes. Later sources (a user's file of
//! the same name) add entries to the sections of the built-in list.

use std::collections::HashMap;

use super::TagError;

/// Entries by section name.
pub(crate) struct Sections {
    map: HashMap<String, Vec<String>>,
}

impl Sections {
    /// Parses `(file name, content)` pairs; every section must be one of `known`.
    pub(crate) fn parse(sources: &[(&str, &str)], known: &[&str]) -> Result<Sections, TagError> {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for (file, content) in sources {
            let mut section: Option<String> = None;
            for (n, raw) in content.lines().enumerate() {
                let line = raw.trim_end_matches('\r');
                let t = line.trim();
                if t.is_empty() || t.starts_with('#') {
                    continue;
                }
                let err = |message: String| TagError::Parse {
                    file: file.to_string(),
                    line: n + 1,
                    message,
                };
                if let Some(name) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
                    if !known.contains(&name) {
                        return Err(err(format!("unknown section [{name}]")));
                    }
                    section = Some(name.to_string());
                    continue;
                }
                let Some(sec) = &section else {
                    return Err(err("entry before any [section]".into()));
                };
                let entry = match t.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
                    Some(quoted) if t.len() >= 2 => quoted.to_string(),
                    _ => t.to_string(),
                };
                if entry.is_empty() {
                    return Err(err("empty entry".into()));
                }
                map.entry(sec.clone()).or_default().push(entry);
            }
        }
        Ok(Sections { map })
    }

    /// The entries of `section` (empty when it has none).
    pub(crate) fn take(&mut self, section: &str) -> Vec<String> {
        self.map.remove(section).unwrap_or_default()
    }
}

/// True when `s` ends with one of `words`.
pub(crate) fn ends_with_any(s: &str, words: &[String]) -> bool {
    words.iter().any(|w| s.ends_with(w.as_str()))
}

/// True when `s` starts with one of `words`.
pub(crate) fn starts_with_any(s: &str, words: &[String]) -> bool {
    words.iter().any(|w| s.starts_with(w.as_str()))
}

/// True when `s` contains one of `words`.
pub(crate) fn contains_any(s: &str, words: &[String]) -> bool {
    words.iter().any(|w| s.contains(w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_quotes_and_user_additions() {
        let builtin = "# comment\n[a]\nหนึ่ง\n\"ผู้ว่าฯ \"\n[b]\nสอง\n";
        let user = "[a]\nสาม\n";
        let mut s = Sections::parse(&[("x.txt", builtin), ("user/x.txt", user)], &["a", "b"])
            .expect("parses");
        assert_eq!(s.take("a"), vec!["หนึ่ง", "ผู้ว่าฯ ", "สาม"]);
        assert_eq!(s.take("b"), vec!["สอง"]);
        assert!(s.take("c").is_empty());
        assert!(Sections::parse(&[("x.txt", "หนึ่ง\n")], &["a"]).is_err());
        assert!(Sections::parse(&[("x.txt", "[z]\nหนึ่ง\n")], &["a"]).is_err());
    }
}
