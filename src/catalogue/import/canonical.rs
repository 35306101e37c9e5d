//! Our own interchange formats: the canonical CSV that administrators edit in a spreadsheet,
//! and JSON (an array of objects, or JSON Lines) with the same field names.

use std::path::Path;

use std::collections::HashMap;

use super::{Parsed, decode, file_problem, spreadsheet};
use crate::catalogue::model::{ACCESS, ACTIONS, AUDIENCES, FIELDS, KINDS, PRICES, STATUSES, is_list_field};
use crate::catalogue::reference::Reference;
use crate::catalogue::validate::{Problem, RawRecord, RawValue};
use crate::text::slugify;

/// Reads a canonical CSV file, or an `.xlsx`/`.ods` spreadsheet with the same columns.
/// CSV: UTF-8 (a BOM is accepted) or Windows-1252 (converted, and said in the report), a byte
/// that fits neither is an error naming its line and column; the separator is `,`, `;` or a
/// tab, found on the header line. A header row of field names in any order (ours, or the
/// French words a spreadsheet's author would write: `Nom`, `Thèmes`, `Code postal`…), list
/// fields separated by `|`, empty cell = no value. `sources` is a list field too:
/// `phone=https://…|address=https://…`. Themes may be written as the screen shows them
/// (`Se nourrir`) and closed vocabularies with accents or capitals (`Prix libre`).
pub fn read_csv(path: &Path) -> Result<Parsed, Vec<Problem>> {
    let bytes = std::fs::read(path).map_err(|e| vec![file_problem(path, 1, "file", format!("cannot read: {e}"))])?;
    if spreadsheet::is_spreadsheet(path, &bytes) {
        let (sheet, rows) = spreadsheet::rows(path, bytes).map_err(|p| vec![p])?;
        let mut rows = rows.into_iter();
        let Some((_, header)) = rows.next() else {
            return Err(vec![file_problem(path, 1, "header", "the first sheet is empty")]);
        };
        let mut parsed = parse_rows(path, &header, rows)?;
        parsed.notes.push(format!("{}: first sheet ({sheet}) of a spreadsheet, read as CSV", label(path)));
        return Ok(parsed);
    }
    parse_csv(path, &bytes)
}

fn label(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

pub fn parse_csv(path: &Path, bytes: &[u8]) -> Result<Parsed, Vec<Problem>> {
    let decoded = decode::decode(path, bytes).map_err(|p| vec![p])?;
    let delimiter = decode::delimiter(&decoded.text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(decoded.text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
                rows.push((line, record.iter().map(String::from).collect::<Vec<_>>()));
            }
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                let what = if rows.is_empty() { "header" } else { "row" };
                return Err(vec![file_problem(path, line.max(1), what, format!("unreadable CSV: {e}"))]);
            }
        }
    }
    let mut rows = rows.into_iter();
    let header = rows.next().map(|(_, h)| h).unwrap_or_default();
    let mut parsed = parse_rows(path, &header, rows)?;
    let mut note = format!("{}: read as CSV, separator {}", label(path), decode::delimiter_name(delimiter));
    if let Some(from) = decoded.converted_from {
        note.push_str(&format!(", converted from {from}"));
    }
    parsed.notes.push(note);
    Ok(parsed)
}

/// The records of a header row and the rows below it (CSV or spreadsheet), each with the line
/// (or sheet row) it came from.
fn parse_rows(
    path: &Path,
    header: &[String],
    rows: impl Iterator<Item = (usize, Vec<String>)>,
) -> Result<Parsed, Vec<Problem>> {
    let header: Vec<String> = header.iter().map(|h| field_of_header(h)).collect();
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
    let vocabulary = Vocabulary::new(path)?;
    let mut parsed = Parsed::default();
    for (line, mut cells) in rows {
        if cells.iter().all(|f| f.trim().is_empty()) {
            continue; // a blank line, as spreadsheets leave at the end
        }
        // Spreadsheets drop empty cells at the end of a row.
        while cells.len() > header.len() && cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
        }
        if cells.len() != header.len() {
            problems.push(Problem {
                file: path.display().to_string(),
                line,
                field: "row".into(),
                reason: format!("has {} cells, the header has {}", cells.len(), header.len()),
                value: String::new(),
            });
            continue;
        }
        let mut raw = RawRecord::new(line);
        for (name, cell) in header.iter().zip(cells) {
            if is_list_field(name) {
                raw.list(
                    name,
                    cell.split('|').map(|s| vocabulary.slug(name, s.trim())).filter(|s| !s.is_empty()).collect(),
                );
            } else {
                let cell = if matches!(name.as_str(), "kind" | "access" | "price" | "status") {
                    vocabulary.slug(name, cell.trim())
                } else {
                    cell
                };
                raw.text(name, cell);
            }
        }
        parsed.records.push(raw);
    }
    if problems.is_empty() { Ok(parsed) } else { Err(problems) }
}

/// The catalogue field a header cell names: our own name (any case), or the French words an
/// administrator writes (`Nom`, `Thèmes`, `Code postal`, `Téléphone`, `Courriel`, `Site web`,
/// `Mis à jour`…; accents and case optional). Anything else is kept, lower-cased, for the
/// validator to report as an unknown field.
pub fn field_of_header(header: &str) -> String {
    let slug = slugify(header);
    let field = match slug.as_str() {
        "identifiant" => "id",
        "nom" => "name",
        "resume" => "summary",
        "resume-anglais" => "summary_en",
        "resume-espagnol" => "summary_es",
        "resume-portugais" => "summary_pt",
        "resume-ukrainien" => "summary_uk",
        "resume-roumain" => "summary_ro",
        "resume-arabe" => "summary_ar",
        "theme" | "themes" => "themes",
        "action" | "actions" | "types-d-action" | "type-d-action" => "actions",
        "mots-cles" | "etiquettes" | "tag" => "tags",
        "nature" | "type-de-structure" => "kind",
        "acces" => "access",
        "prix" | "tarif" | "tarifs" => "price",
        "public" | "publics" => "audience",
        "en-ligne" => "online",
        "adresse" => "address",
        "code-postal" | "cp" => "postcode",
        "commune" | "ville" => "commune",
        "telephone" | "tel" => "phone",
        "courriel" | "e-mail" | "mail" | "adresse-e-mail" => "email",
        "site" | "site-web" | "site-internet" => "website",
        "horaires" | "horaires-d-ouverture" => "opening_hours",
        "langues" | "langues-parlees" => "languages",
        "accessibilite" => "accessibility",
        "statut" => "status",
        "reouverture" | "rouvre-le" => "reopens",
        "mis-a-jour" | "mise-a-jour" | "date-de-mise-a-jour" | "verifie-le" => "updated",
        other => match FIELDS.iter().find(|f| f.replace('_', "-") == other) {
            Some(f) => f,
            None => return header.trim().to_lowercase(),
        },
    };
    field.to_string()
}

/// Values of closed vocabularies written as a person would: theme labels as the screen shows
/// them (`Se nourrir`, `S'habiller`, `Food`), and any slug with accents, capitals or spaces
/// (`Prix libre`). A value that matches nothing is passed on unchanged, for the validator to
/// refuse with the nearest accepted value.
struct Vocabulary {
    themes: HashMap<String, String>,
}

impl Vocabulary {
    fn new(path: &Path) -> Result<Self, Vec<Problem>> {
        let reference =
            Reference::embedded().map_err(|e| vec![file_problem(path, 1, "file", format!("reference data: {e}"))])?;
        let mut themes = HashMap::new();
        for t in &reference.themes {
            for name in [&t.slug, &t.label_fr, &t.label_en] {
                themes.insert(slugify(name), t.slug.clone());
            }
        }
        Ok(Vocabulary { themes })
    }

    fn slug(&self, field: &str, value: &str) -> String {
        let allowed: &[&str] = match field {
            "themes" => return self.themes.get(&slugify(value)).cloned().unwrap_or_else(|| value.to_string()),
            "actions" => &ACTIONS,
            "kind" => &KINDS,
            "access" => &ACCESS,
            "price" => &PRICES,
            "audience" => &AUDIENCES,
            "status" => &STATUSES,
            _ => return value.to_string(),
        };
        let slug = slugify(value);
        match allowed.iter().find(|a| **a == slug) {
            Some(a) => a.to_string(),
            None => value.to_string(),
        }
    }
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
