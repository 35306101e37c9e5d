//! Tables: the HSDS CSV package, or the same tables as one JSON object (`tabular.json`),
//! joined by ids into the nested shape the mapping reads.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::lines::{Loc, ObjectLines};
use super::{Importer, Obj};
use crate::catalogue::import::common::{file_label, is_blank, text};
use crate::catalogue::import::file_problem;
use crate::catalogue::validate::Problem;

/// One table: the file its rows were read from (for the report) and its rows with their
/// lines, each row as a JSON object so tables and nested JSON are mapped alike.
pub(super) struct Table {
    file: String,
    rows: Vec<(usize, Obj)>,
}

/// Tables by name without `.csv` (`services`, `service_at_location`…).
pub(super) type Tables = HashMap<String, Table>;

/// The tables our mapping reads; any other table with rows is reported as not mapped.
const USED_TABLES: [&str; 12] = [
    "services",
    "organizations",
    "locations",
    "addresses",
    "phones",
    "schedules",
    "service_at_location",
    "taxonomy_terms",
    "attributes",
    "languages",
    "cost_options",
    "accessibility",
];

pub(super) fn read_package(dir: &Path) -> Result<Tables, Vec<Problem>> {
    let mut tables = Tables::new();
    let mut problems = Vec::new();
    for path in package_files(dir) {
        let Some(stem) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
            continue;
        };
        match read_table(&path) {
            Ok(table) => {
                tables.insert(stem, table);
            }
            Err(mut p) => problems.append(&mut p),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if !tables.contains_key("services") && !tables.contains_key("organizations") {
        let at = dir.join("services.csv");
        return Err(vec![file_problem(&at, 1, "file", "an HSDS package needs services.csv or organizations.csv")]);
    }
    Ok(tables)
}

/// The CSV files of a package: the resources its `datapackage.json` lists (only plain file
/// names inside the directory: a package must not make us read elsewhere), or else every
/// `.csv` file of the directory.
fn package_files(dir: &Path) -> Vec<PathBuf> {
    let listed: Option<Vec<PathBuf>> = std::fs::read(dir.join("datapackage.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .and_then(|v| v.get("resources").and_then(Value::as_array).cloned())
        .map(|resources| {
            resources
                .iter()
                .filter_map(|r| r.get("path").and_then(Value::as_str))
                .filter(|p| p.ends_with(".csv") && !p.contains(['/', '\\']) && !p.starts_with('.'))
                .map(|p| dir.join(p))
                .filter(|p| p.is_file())
                .collect()
        });
    match listed {
        Some(files) if !files.is_empty() => files,
        _ => {
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                .map(|entries| {
                    entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "csv")).collect()
                })
                .unwrap_or_default();
            files.sort();
            files
        }
    }
}

/// One CSV table; empty cells and the literal `null` some publishers write are absent values.
fn read_table(path: &Path) -> Result<Table, Vec<Problem>> {
    let bytes = std::fs::read(path).map_err(|e| vec![file_problem(path, 1, "file", format!("cannot read: {e}"))])?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|f| f.trim().to_lowercase()).collect(),
        Err(e) => {
            return Err(vec![file_problem(path, 1, "header", format!("unreadable CSV: {e}"))]);
        }
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| line_of(bytes, p.byte())).unwrap_or(0);
            vec![file_problem(path, line, "row", format!("unreadable CSV: {e}"))]
        })?;
        let line = record.position().map(|p| line_of(bytes, p.byte())).unwrap_or(0);
        let row: Obj = header
            .iter()
            .zip(record.iter())
            .filter(|(_, cell)| !cell.trim().is_empty() && cell.trim() != "null")
            .map(|(name, cell)| (name.clone(), Value::String(cell.trim().to_string())))
            .collect();
        if !row.is_empty() {
            rows.push((line, row));
        }
    }
    Ok(Table { file: file_label(path), rows })
}

/// The line a record starts on, from its byte offset: the csv crate counts the line of a
/// record that follows a CRLF one short (the offset points at the `\n`), and Open
/// Referral's files use CRLF.
fn line_of(bytes: &[u8], offset: u64) -> usize {
    let mut start = usize::try_from(offset).unwrap_or(usize::MAX).min(bytes.len());
    while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
        start += 1;
    }
    bytes[..start].iter().filter(|&&b| b == b'\n').count() + 1
}

/// `tabular.json`: the package's tables as arrays keyed by file name.
pub(super) fn tables_from_json(obj: &Obj, file: &str, at: &Loc, lines: &ObjectLines) -> Tables {
    let mut tables = Tables::new();
    for (key, value) in obj {
        let Some(name) = key.strip_suffix(".csv") else {
            continue;
        };
        let rows = value
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
            .filter_map(|(i, row)| {
                let row = row.as_object()?;
                let line = lines.line(&at.child(&format!("{key}/{i}")), 1);
                Some((line, row.iter().filter(|(_, v)| !is_blank(v)).map(|(k, v)| (k.clone(), v.clone())).collect()))
            })
            .collect();
        tables.insert(name.to_string(), Table { file: file.to_string(), rows });
    }
    tables
}

/// Rows of `table` grouped by the value of `column`.
fn index<'t>(tables: &'t Tables, table: &str, column: &str) -> HashMap<String, Vec<&'t Obj>> {
    let mut out: HashMap<String, Vec<&Obj>> = HashMap::new();
    for (_, row) in tables.get(table).map(|t| t.rows.as_slice()).unwrap_or_default() {
        if let Some(key) = text(row, column) {
            out.entry(key).or_default().push(row);
        }
    }
    out
}

/// The indexes a package needs to nest its tables.
struct Joins<'t> {
    organizations: HashMap<String, Vec<&'t Obj>>,
    locations: HashMap<String, Vec<&'t Obj>>,
    terms: HashMap<String, Vec<&'t Obj>>,
    by_service: HashMap<&'static str, HashMap<String, Vec<&'t Obj>>>,
    by_location: HashMap<&'static str, HashMap<String, Vec<&'t Obj>>>,
    by_sal: HashMap<&'static str, HashMap<String, Vec<&'t Obj>>>,
    attributes: HashMap<String, Vec<&'t Obj>>,
}

impl<'t> Joins<'t> {
    fn new(t: &'t Tables) -> Self {
        let per = |column: &str, names: &[&'static str]| names.iter().map(|n| (*n, index(t, n, column))).collect();
        Joins {
            organizations: index(t, "organizations", "id"),
            locations: index(t, "locations", "id"),
            terms: index(t, "taxonomy_terms", "id"),
            by_service: per("service_id", &["phones", "schedules", "languages", "cost_options", "service_at_location"]),
            by_location: per("location_id", &["addresses", "accessibility", "languages", "phones", "schedules"]),
            by_sal: per("service_at_location_id", &["phones", "schedules"]),
            attributes: index(t, "attributes", "link_id"),
        }
    }

    fn rows(map: &HashMap<&'static str, HashMap<String, Vec<&'t Obj>>>, table: &str, id: &str) -> Value {
        let rows = map.get(table).and_then(|m| m.get(id)).map(Vec::as_slice).unwrap_or_default();
        Value::Array(rows.iter().map(|r| Value::Object((*r).clone())).collect())
    }

    /// A service row with its related rows nested as in `service_full.json`.
    fn service(&self, row: &Obj) -> Obj {
        let id = text(row, "id").unwrap_or_default();
        let mut s = row.clone();
        for table in ["phones", "schedules", "languages", "cost_options"] {
            s.insert(table.into(), Self::rows(&self.by_service, table, &id));
        }
        let attributes = self.attributes.get(&id).map(Vec::as_slice).unwrap_or_default();
        let attributes = attributes
            .iter()
            .filter_map(|a| {
                let term = self.terms.get(&text(a, "taxonomy_term_id")?)?.first()?;
                let mut a = (*a).clone();
                a.insert("taxonomy_term".into(), Value::Object((*term).clone()));
                Some(Value::Object(a))
            })
            .collect();
        s.insert("attributes".into(), Value::Array(attributes));
        let sals =
            self.by_service.get("service_at_location").and_then(|m| m.get(&id)).map(Vec::as_slice).unwrap_or_default();
        let sals = sals.iter().map(|sal| Value::Object(self.service_at_location(sal))).collect();
        s.insert("service_at_locations".into(), Value::Array(sals));
        s
    }

    fn service_at_location(&self, row: &Obj) -> Obj {
        let id = text(row, "id").unwrap_or_default();
        let mut sal = row.clone();
        for table in ["phones", "schedules"] {
            sal.insert(table.into(), Self::rows(&self.by_sal, table, &id));
        }
        if let Some(location) = text(row, "location_id").and_then(|l| self.locations.get(&l)).and_then(|l| l.first()) {
            sal.insert("location".into(), Value::Object(self.location(location)));
        }
        sal
    }

    fn location(&self, row: &Obj) -> Obj {
        let id = text(row, "id").unwrap_or_default();
        let mut location = row.clone();
        for table in ["addresses", "accessibility", "languages", "phones", "schedules"] {
            location.insert(table.into(), Self::rows(&self.by_location, table, &id));
        }
        location
    }

    fn organization(&self, id: Option<String>) -> Option<&'t Obj> {
        self.organizations.get(&id?)?.first().copied()
    }
}

impl Importer {
    pub(super) fn tables(&mut self, t: &Tables) {
        let joins = Joins::new(t);
        let package_file = self.file.clone();
        let mut organizations_with_services = Vec::new();
        if let Some(services) = t.get("services") {
            self.set_file(&services.file);
            for (line, row) in &services.rows {
                let org = joins.organization(text(row, "organization_id"));
                organizations_with_services.extend(text(row, "organization_id"));
                self.service(&joins.service(row), org, *line);
            }
        }
        if let Some(organizations) = t.get("organizations") {
            self.set_file(&organizations.file);
            let locations = index(t, "locations", "organization_id");
            for (line, row) in &organizations.rows {
                let id = text(row, "id").unwrap_or_default();
                if organizations_with_services.contains(&id) {
                    continue;
                }
                let mut org = row.clone();
                let own = locations.get(&id).map(Vec::as_slice).unwrap_or_default();
                org.insert(
                    "locations".into(),
                    Value::Array(own.iter().map(|l| Value::Object(joins.location(l))).collect()),
                );
                self.organization(&org, *line);
            }
        }
        self.set_file(&package_file);
        let mut unused: Vec<(&String, &Table)> =
            t.iter().filter(|(name, table)| !USED_TABLES.contains(&name.as_str()) && !table.rows.is_empty()).collect();
        unused.sort_by_key(|(name, _)| name.as_str());
        for (name, table) in unused {
            let line = table.rows.first().map(|(l, _)| *l).unwrap_or(1);
            let rows = table.rows.len();
            self.notes.note_in(&table.file, line, format!("table {name}.csv: not mapped ({rows} rows)"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_lines_count_crlf_records() {
        let bytes = b"a,b\r\n1,2\r\n3,4\r\n";
        assert_eq!(line_of(bytes, 4), 2, "offset of the LF ending the header");
        assert_eq!(line_of(bytes, 9), 3);
        assert_eq!(line_of(b"a,b\n1,2\n", 4), 2);
    }
}
