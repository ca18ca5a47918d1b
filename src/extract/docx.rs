//! Word documents (`.docx`): the text of `word/document.xml`, read as a
//! stream of XML events.
//!
//! Text lives in `w:t` runs; `w:tab` is a tab, `w:br`/`w:cr` a line break,
//! and every paragraph (`w:p`, table cells included) ends a line, so words of
//! neighbouring paragraphs or cells never run together. Deleted revisions,
//! field codes and the legacy copy of text boxes (`mc:Fallback`) are
//! skipped. The archive is guarded against zip bombs: each member is read
//! through a size cap and a compression-ratio cap. The title is `dc:title`
//! from `docProps/core.xml`, else the first paragraph.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{ExtractError, finish};
use crate::model::{Extracted, Format};

/// Never unpack more than this from one member.
const MAX_MEMBER_BYTES: u64 = 256 * 1024 * 1024;
/// Members that unpack to more than this many times their packed size (plus
/// a small allowance) are treated as zip bombs.
const MAX_RATIO: u64 = 100;
const RATIO_ALLOWANCE: u64 = 1024 * 1024;

/// Extracts a `.docx` file; `max_bytes` caps what may be unpacked.
pub(crate) fn extract(bytes: &[u8], max_bytes: u64) -> Result<Extracted, ExtractError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        // An OLE compound file: either an encrypted OOXML package or a
        // legacy binary .doc under the wrong extension.
        let marker: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        if memchr::memmem::find(bytes, &marker).is_some() {
            return Err(ExtractError::Encrypted);
        }
        return Err(ExtractError::Corrupt(
            "legacy Word (.doc) file, not .docx".into(),
        ));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ExtractError::Corrupt(format!("not a .docx (zip) archive: {e}")))?;
    let limit = max_bytes.min(MAX_MEMBER_BYTES);
    let xml = read_member(&mut zip, "word/document.xml", limit)?
        .ok_or_else(|| ExtractError::Corrupt("no word/document.xml in the archive".into()))?;
    let text = document_text(&xml)?;
    let title = read_member(&mut zip, "docProps/core.xml", limit)
        .ok()
        .flatten()
        .and_then(|core| core_title(&core));
    Ok(finish(&text, Format::Docx, "UTF-8", title, Vec::new()))
}

/// Reads one member as text, within the size and ratio caps; `None` when absent.
fn read_member(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limit: u64,
) -> Result<Option<String>, ExtractError> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(ExtractError::Corrupt(format!("{name}: {e}"))),
    };
    let packed = file.compressed_size();
    let ratio_cap = packed
        .saturating_mul(MAX_RATIO)
        .saturating_add(RATIO_ALLOWANCE);
    let cap = limit.min(ratio_cap);
    let over = |size: u64| {
        if size > ratio_cap {
            ExtractError::Corrupt(format!(
                "{name} unpacks to {size} bytes from {packed} (zip bomb?)"
            ))
        } else {
            ExtractError::TooLarge { size, limit }
        }
    };
    if file.size() > cap {
        return Err(over(file.size()));
    }
    let mut buf = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut buf)
        .map_err(|e| ExtractError::Corrupt(format!("{name}: {e}")))?;
    if buf.len() as u64 > cap {
        return Err(over(buf.len() as u64));
    }
    Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
}

/// The text of `word/document.xml`.
fn document_text(xml: &str) -> Result<String, ExtractError> {
    let mut reader = Reader::from_str(xml);
    let cfg = reader.config_mut();
    cfg.check_end_names = false;
    cfg.allow_unmatched_ends = true;
    cfg.allow_dangling_amp = true;
    let mut out = String::with_capacity(xml.len() / 4);
    // Depth inside w:t (text) and inside skipped elements.
    let mut in_text = false;
    let mut skip = 0usize;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| ExtractError::Corrupt(format!("word/document.xml: {e}")))?;
        match ev {
            Event::Start(e) => match e.local_name().as_ref() {
                "t" => in_text = true,
                "delText" | "instrText" | "delInstrText" | "Fallback" => skip += 1,
                "tab" if skip == 0 => out.push('\t'),
                "br" | "cr" if skip == 0 => out.push('\n'),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" if skip == 0 => out.push('\t'),
                "br" | "cr" if skip == 0 => out.push('\n'),
                "noBreakHyphen" if skip == 0 => out.push('-'),
                "p" => out.push('\n'),
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "delText" | "instrText" | "delInstrText" | "Fallback" => {
                    skip = skip.saturating_sub(1)
                }
                "p" | "tc" => out.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text && skip == 0 => out.push_str(&t.xml10_content()),
            Event::CData(t) if in_text && skip == 0 => {
                out.push_str(&t.into_inner());
            }
            Event::GeneralRef(r) if in_text && skip == 0 => push_reference(&mut out, &r),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// Appends the character an entity or character reference stands for.
fn push_reference(out: &mut String, r: &quick_xml::events::BytesRef<'_>) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(r) {
        out.push_str(s);
    }
}

/// `dc:title` from `docProps/core.xml`, when not blank.
fn core_title(xml: &str) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    let mut in_title = false;
    let mut title = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "title" => in_title = true,
            Event::End(e) if e.local_name().as_ref() == "title" => break,
            Event::Text(t) if in_title => title.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_title => push_reference(&mut title, &r),
            Event::Eof => break,
            _ => {}
        }
    }
    let title = title.trim().to_string();
    (!title.is_empty()).then_some(title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// Builds a minimal .docx in memory.
    fn make_docx(document: &str, core: Option<&str>) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default();
            let _ = w.start_file("word/document.xml", opts);
            let _ = w.write_all(document.as_bytes());
            if let Some(c) = core {
                let _ = w.start_file("docProps/core.xml", opts);
                let _ = w.write_all(c.as_bytes());
            }
            let _ = w.finish();
        }
        buf.into_inner()
    }

    const W: &str = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#;

    #[test]
    fn paragraphs_tabs_breaks_entities_and_tables() {
        let doc = format!(
            "{W}<w:p><w:r><w:t>คำสั่งคณะกรรมการ</w:t></w:r><w:r><w:t xml:space=\"preserve\"> ที่ ๒/๒๕๖๖</w:t></w:r></w:p>\
             <w:p><w:r><w:t>สิทธิ</w:t><w:tab/><w:t>เสรีภาพ &amp; หน้าที่</w:t><w:br/><w:t>&#3585;&#x0E02;</w:t></w:r></w:p>\
             <w:tbl><w:tr><w:tc><w:p><w:r><w:t>จังหวัดภูเก็ต</w:t></w:r></w:p></w:tc>\
             <w:tc><w:p><w:r><w:t>จังหวัดเชียงใหม่</w:t></w:r></w:p></w:tc></w:tr></w:tbl>\
             <w:p><mc:AlternateContent><mc:Choice><w:r><w:t>กล่อง</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>กล่อง</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>\
             <w:p><w:r><w:delText>ลบแล้ว</w:delText><w:instrText>PAGE</w:instrText><w:t>จบ</w:t></w:r></w:p></w:body></w:document>"
        );
        let bytes = make_docx(&doc, None);
        let Ok(ex) = extract(&bytes, u64::MAX) else {
            panic!("docx must extract");
        };
        assert_eq!(
            ex.text,
            "คำสั่งคณะกรรมการ ที่ ๒/๒๕๖๖\nสิทธิ\tเสรีภาพ & หน้าที่\nกข\nจังหวัดภูเก็ต\n\nจังหวัดเชียงใหม่\n\nกล่อง\nจบ"
        );
        assert_eq!(ex.format, Format::Docx);
        assert_eq!(ex.title.as_deref(), Some("คำสั่งคณะกรรมการ ที่ ๒/๒๕๖๖"));
    }

    #[test]
    fn title_from_core_properties() {
        let core = r#"<cp:coreProperties xmlns:cp="x" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>แผนสิทธิมนุษยชนแห่งชาติ ฉบับที่ 5</dc:title></cp:coreProperties>"#;
        let doc = format!("{W}<w:p><w:r><w:t>เนื้อหา</w:t></w:r></w:p></w:body></w:document>");
        let Ok(ex) = extract(&make_docx(&doc, Some(core)), u64::MAX) else {
            panic!("docx must extract");
        };
        assert_eq!(ex.title.as_deref(), Some("แผนสิทธิมนุษยชนแห่งชาติ ฉบับที่ 5"));
    }

    #[test]
    fn bad_archives_are_errors() {
        assert!(matches!(
            extract(b"PK\x03\x04junk", u64::MAX),
            Err(ExtractError::Corrupt(_))
        ));
        assert!(matches!(
            extract(b"not a zip", u64::MAX),
            Err(ExtractError::Corrupt(_))
        ));
        let no_doc = make_docx("", None);
        let mut c = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut c);
            let _ = w.start_file("other.xml", zip::write::SimpleFileOptions::default());
            let _ = w.write_all(b"<a/>");
            let _ = w.finish();
        }
        assert!(matches!(
            extract(&c.into_inner(), u64::MAX),
            Err(ExtractError::Corrupt(_))
        ));
        assert!(!no_doc.is_empty());
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert!(matches!(
            extract(&ole, u64::MAX),
            Err(ExtractError::Encrypted)
        ));
    }

    #[test]
    fn zip_bomb_is_refused() {
        let big = format!(
            "{W}<w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body></w:document>",
            "ก".repeat(4_000_000)
        );
        let bytes = make_docx(&big, None);
        assert!(bytes.len() < 200_000, "compresses well: {}", bytes.len());
        assert!(
            matches!(extract(&bytes, u64::MAX), Err(ExtractError::Corrupt(m)) if m.contains("zip bomb"))
        );
        // The caller's limit applies too.
        let small = format!("{W}<w:p><w:r><w:t>ข่าว</w:t></w:r></w:p></w:body></w:document>");
        assert!(matches!(
            extract(&make_docx(&small, None), 10),
            Err(ExtractError::TooLarge { .. })
        ));
    }

    #[test]
    fn truncated_archive_is_an_error_not_a_panic() {
        let doc = format!("{W}<w:p><w:r><w:t>ข่าวสาร</w:t></w:r></w:p></w:body></w:document>");
        let bytes = make_docx(&doc, None);
        for cut in [10, bytes.len() / 2, bytes.len() - 10] {
            assert!(extract(&bytes[..cut], u64::MAX).is_err());
        }
    }
}

#[cfg(test)]
mod fixture_tests {
    use super::*;
    use crate::extract::tests::fixture;

    #[test]
    fn libreoffice_docx_with_table() {
        let Ok(ex) = extract(&fixture("corpus/fixtures/committee_table.docx"), u64::MAX) else {
            panic!("docx must extract")
        };
        assert_eq!(
            ex.title.as_deref(),
            Some("“คุ้มครองสิทธิฯ” ร่วม จ.ภูเก็ต ขับเคลื่อนงานสิทธิมนุษยชนระดับจังหวัด")
        );
        assert!(
            ex.text.contains("\nนายณรงค์ วุ่นซิ่ว\n\nผู้ว่าราชการจังหวัดภูเก็ต\n"),
            "{}",
            ex.text
        );
        assert!(
            ex.text
                .contains("นายพยุงศักดิ์ กาฬมิค\n\nผู้อำนวยการสำนักงานยุติธรรมจังหวัดภูเก็ต")
        );
        assert!(
            ex.text.contains(
                "ผู้ว่าราชการจังหวัดภูเก็ต ในฐานะประธานคณะอนุกรรมการขับเคลื่อนงานสิทธิมนุษยชนจังหวัดภูเก็ต"
            )
        );
        assert_eq!(ex.text.matches("“คุ้มครองสิทธิฯ”").count(), 1);
    }
}
