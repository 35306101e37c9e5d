//! Our own interchange formats: the canonical CSV that administrators edit in a spreadsheet,
//! and JSON (an array of objects, or JSON Lines) with the same field names.

use std::path::Path;

use super::{Parsed, file_problem};
use crate::catalogue::model::is_list_field;
use crate::catalogue::validate::{Problem, RawRecord, RawValue};
use crate::text::decode_lossy;

/// Reads a canonical CSV file: UTF-8 (a BOM is accepted; invalid bytes are replaced and then
/// removed by sanitising, so one bad byte does not lose a row), a header row of field names
/// in any order, list fields separated by `|`, empty cell = no value. `sources` is a list
/// field too: `phone=https://…|address=https://…`.
pub fn read_csv(path: &Path) -> Result<Parsed, Vec<Problem>> {
    let bytes = std::fs::read(path).map_err(|e| vec![file_problem(path, 1, "file", format!("cannot read: {e}"))])?;
    parse_csv(path, &bytes)
}

pub fn parse_csv(path: &Path, bytes: &[u8]) -> Result<Parsed, Vec<Problem>> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header: Vec<String> = match reader.byte_headers() {
        Ok(h) => h.iter().map(|f| decode_lossy(f).trim().to_lowercase()).collect(),
        Err(e) => return Err(vec![file_problem(path, 1, "header", format!("unreadable CSV: {e}"))]),
    };
    let mut problems = Vec::new();
    for required in ["id", "name", "themes"] {
        if !header.iter().any(|h| h == required) {
            problems.push(file_problem(path, 1, required, "required column missing from the header"));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for h in &header {
        if !seen.insert(h) {
            problems.push(file_problem(path, 1, h, "column appears twice in the header"));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut parsed = Parsed::default();
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
                if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                    continue; // a blank line, as spreadsheets leave at the end
                }
                if record.len() != header.len() {
                    problems.push(Problem {
                        file: path.display().to_string(),
                        line,
                        field: "row".into(),
                        reason: format!("has {} cells, the header has {}", record.len(), header.len()),
                        value: String::new(),
                    });
                    continue;
                }
                let mut raw = RawRecord::new(line);
                for (name, cell) in header.iter().zip(record.iter()) {
                    let cell = decode_lossy(cell);
                    if is_list_field(name) {
                        raw.list(
                            name,
                            cell.split('|').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
                        );
                    } else {
                        raw.text(name, cell);
                    }
                }
                parsed.records.push(raw);
            }
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                problems.push(file_problem(path, line, "row", format!("unreadable CSV: {e}")));
                break;
            }
        }
    }
    if problems.is_empty() { Ok(parsed) } else { Err(problems) }
}

/// Reads canonical JSON: one array of objects, or one object per line (JSON Lines).
/// `sources` is an array of `field=url` strings (as exported), or an object `{field: url}`.
pub fn read_json(path: &Path) -> Result<Parsed, Vec<Problem>> {
    let bytes = std::fs::read(path).map_err(|e| vec![file_problem(path, 1, "file", format!("cannot read: {e}"))])?;
    let values = json_values(path, &bytes)?;
    let mut parsed = Parsed::default();
    let mut problems = Vec::new();
    for (line, value) in values {
        match value {
            serde_json::Value::Object(map) => {
                let mut raw = RawRecord::new(line);
                for (k, v) in map {
                    let v = match v {
                        // `sources` may also be written as an object: {"phone": "https://…"}.
                        serde_json::Value::Object(o) if k == "sources" => RawValue::List(
                            o.into_iter()
                                .map(|(field, url)| match url {
                                    serde_json::Value::String(u) => format!("{field}={u}"),
                                    other => format!("{field}={other}"),
                                })
                                .collect(),
                        ),
                        v => json_to_raw(v),
                    };
                    raw.set(&k, v);
                }
                parsed.records.push(raw);
            }
            other => problems.push(Problem {
                file: path.display().to_string(),
                line,
                field: "record".into(),
                reason: "expected an object".into(),
                value: other.to_string(),
            }),
        }
    }
    if problems.is_empty() { Ok(parsed) } else { Err(problems) }
}

/// Converts one JSON value to a raw value: arrays become lists of their elements as text.
pub fn json_to_raw(v: serde_json::Value) -> RawValue {
    use serde_json::Value;
    match v {
        Value::Null => RawValue::Null,
        Value::Bool(b) => RawValue::Bool(b),
        Value::Number(n) => RawValue::Number(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => RawValue::Text(s),
        Value::Array(items) => RawValue::List(
            items
                .into_iter()
                .map(|i| match i {
                    Value::String(s) => s,
                    other => other.to_string(),
                })
                .collect(),
        ),
        Value::Object(_) => RawValue::Text(v.to_string()),
    }
}

/// The top-level values of a JSON file with the line each starts on: the elements of a
/// top-level array, or each value of a JSON Lines file. Syntax errors name their line.
pub fn json_values(path: &Path, bytes: &[u8]) -> Result<Vec<(usize, serde_json::Value)>, Vec<Problem>> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        vec![file_problem(path, line, "file", "not valid UTF-8")]
    })?;
    let line_at = |offset: usize| text.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
    let syntax = |offset: usize, e: serde_json::Error| {
        vec![file_problem(path, line_at(offset) + e.line().saturating_sub(1), "json", format!("invalid JSON: {e}"))]
    };
    let start = text.len() - text.trim_start().len();
    let mut out = Vec::new();
    if text[start..].starts_with('[') {
        let mut pos = start + 1;
        loop {
            // Skip white space and the commas between elements.
            while pos < text.len() && (text.as_bytes()[pos].is_ascii_whitespace() || text.as_bytes()[pos] == b',') {
                pos += 1;
            }
            if pos >= text.len() {
                return Err(vec![file_problem(
                    path,
                    line_at(text.len()),
                    "json",
                    "invalid JSON: the array is not closed",
                )]);
            }
            if text.as_bytes()[pos] == b']' {
                break;
            }
            let mut stream = serde_json::Deserializer::from_str(&text[pos..]).into_iter::<serde_json::Value>();
            match stream.next() {
                Some(Ok(v)) => {
                    out.push((line_at(pos), v));
                    pos += stream.byte_offset();
                }
                Some(Err(e)) => return Err(syntax(pos, e)),
                None => break,
            }
        }
    } else {
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<serde_json::Value>();
        loop {
            let before = stream.byte_offset();
            match stream.next() {
                Some(Ok(v)) => {
                    let at = before + (text[before..].len() - text[before..].trim_start().len());
                    out.push((line_at(at), v));
                }
                Some(Err(e)) => return Err(syntax(0, e)),
                None => break,
            }
        }
    }
    Ok(out)
}
