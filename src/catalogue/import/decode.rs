//! What a spreadsheet did to a CSV file before it reached us: its encoding (UTF-8 with or
//! without a BOM, or the Windows-1252 that French Excel writes) and its separator (`,`, `;`
//! as French Excel's "CSV (séparateur : point-virgule)", or a tab). Nothing is guessed
//! silently: the import report says what was found, and a byte that fits no encoding is an
//! error naming its line and column, never dropped.

use std::path::Path;

use super::file_problem;
use crate::catalogue::validate::Problem;

/// The bytes Windows-1252 leaves undefined (encoding_rs maps them to C1 controls, as the
/// WHATWG standard does for web pages; in a spreadsheet's file they are corruption).
const CP1252_UNDEFINED: [u8; 5] = [0x81, 0x8D, 0x8F, 0x90, 0x9D];

/// A CSV file's text, with what was done to obtain it.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    /// `None` for UTF-8; `Some("Windows-1252")` when converted.
    pub converted_from: Option<&'static str>,
}

/// UTF-8 (the BOM removed) when the bytes are valid UTF-8; otherwise Windows-1252 when no
/// byte is undefined there; otherwise an error at the first such byte.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<Decoded, Problem> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded { text: text.to_string(), converted_from: None });
    }
    if let Some(at) = bytes.iter().position(|b| CP1252_UNDEFINED.contains(b)) {
        let line_start = bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        // One byte is one character in Windows-1252, so the column counts characters.
        let column = at - line_start + 1;
        return Err(file_problem(
            path,
            line,
            "",
            format!("column {column}: byte 0x{:02X} is not Windows-1252 (nor UTF-8)", bytes[at]),
        ));
    }
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
    Ok(Decoded { text: text.into_owned(), converted_from: Some("Windows-1252") })
}

/// The separator of a CSV text: the most frequent of `,` `;` and tab on the header line
/// (outside quotes); a comma when there is none or a tie with it.
pub fn delimiter(text: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
                    c.1 += 1;
                }
            }
            _ => {}
        }
    }
    let best = counts.iter().max_by_key(|(_, n)| *n).copied().unwrap_or((b',', 0));
    if best.1 == 0 || counts[0].1 == best.1 { b',' } else { best.0 }
}

/// How the report names a separator.
pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b';' => "';'",
        b'\t' => "tab",
        _ => "','",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_and_windows_1252() {
        let p = Path::new("t.csv");
        assert_eq!(decode(p, "\u{feff}é".as_bytes()).unwrap().text, "é");
        let d = decode(p, b"caf\xe9 \x9c").unwrap();
        assert_eq!((d.text.as_str(), d.converted_from), ("café œ", Some("Windows-1252")));
        let e = decode(p, b"id\nab\xe9\x81").unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(e.reason, "column 4: byte 0x81 is not Windows-1252 (nor UTF-8)");
    }

    #[test]
    fn separators_from_the_header_outside_quotes() {
        assert_eq!(delimiter("id;name;themes\na,b;c"), b';');
        assert_eq!(delimiter("id\tname\n"), b'\t');
        assert_eq!(delimiter("\"a;b;c\",d\n"), b',');
        assert_eq!(delimiter("id"), b',');
    }
}
