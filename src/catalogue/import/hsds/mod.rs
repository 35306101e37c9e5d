//! Open Referral HSDS 3.0: JSON objects as its API serves them, and the tabular CSV package.
//!
//! HSDS describes human services anywhere in the world; each *service* is what we call an
//! initiative (an organization without services stands for itself). Its data come in many
//! shapes: one service with everything nested, an organization with its services, a
//! service-at-location, paginated lists (`contents`), the CSV package joined by ids, or the
//! same tables as one JSON object (`tabular.json`). All of them are first brought to the
//! nested shape of `service_full.json`, so one mapping serves them all.
//!
//! Published HSDS files are full of placeholders and places outside France; an import must
//! not fail because of them. So values our validator would refuse for reasons that are not
//! the catalogue's business (a UK phone number in quotes, latitude 100, a schedule we cannot
//! express) are dropped here and reported in [`Parsed::unmapped`], with everything else HSDS
//! says and we have no field for.
//!
//! The importer is split by job: [`mapping`] turns one nested service (or organization) into
//! a record, [`schedules`] turns HSDS schedules into `opening_hours`, [`package`] reads the
//! CSV package and `tabular.json` and nests their rows, [`lines`] finds the line of each
//! nested object for the report.

mod lines;
mod mapping;
mod package;
mod schedules;

use std::path::Path;

use serde_json::{Map, Value};

use super::canonical::json_values;
use super::common::{Notes, embedded_reference, file_label, text};
use super::{Parsed, file_problem};
use crate::catalogue::reference::Reference;
use crate::catalogue::validate::{Problem, RawRecord};
use lines::{Loc, ObjectLines};
use package::{read_package, tables_from_json};

type Obj = Map<String, Value>;

/// Reads an HSDS JSON file, or a CSV package given as its directory or its `datapackage.json`.
pub fn read(path: &Path) -> Result<Parsed, Vec<Problem>> {
    let mut importer = Importer {
        reference: embedded_reference(path)?,
        notes: Notes::new(file_label(path)),
        file: file_label(path),
        records: Vec::new(),
    };
    if path.is_dir() || path.file_name().is_some_and(|n| n == "datapackage.json") {
        let dir = if path.is_dir() { path } else { path.parent().unwrap_or(Path::new(".")) };
        let tables = read_package(dir)?;
        importer.tables(&tables);
    } else {
        importer.json(path)?;
    }
    if importer.records.is_empty() {
        return Err(vec![file_problem(path, 1, "file", "no HSDS service or organization found")]);
    }
    Ok(Parsed { records: importer.records, unmapped: importer.notes.finish(), ..Default::default() })
}

struct Importer {
    reference: Reference,
    notes: Notes,
    /// The file the records being mapped come from (a table of a package), for the report.
    file: String,
    records: Vec<RawRecord>,
}

// ---------------------------------------------------------------------------------------
// JSON shapes.
// ---------------------------------------------------------------------------------------

/// What an HSDS JSON object is, from its keys (the schemas' required and typical fields).
#[derive(Debug, PartialEq)]
enum Shape {
    Page,
    Tabular,
    ServiceAtLocation,
    Organization,
    Service,
    Other,
}

fn shape(obj: &Obj) -> Shape {
    let has = |k: &str| obj.contains_key(k);
    if matches!(obj.get("contents"), Some(Value::Array(_))) {
        Shape::Page
    } else if obj.keys().any(|k| k.ends_with(".csv")) {
        Shape::Tabular
    } else if matches!(obj.get("service"), Some(Value::Object(_))) {
        Shape::ServiceAtLocation
    } else if has("services")
        || (["website", "legal_status", "tax_status", "year_incorporated", "organization_identifiers"]
            .iter()
            .any(|k| has(k))
            && !has("status"))
    {
        Shape::Organization
    } else if ["status", "organization", "organization_id", "service_at_locations", "program"].iter().any(|k| has(k)) {
        Shape::Service
    } else {
        Shape::Other
    }
}

impl Importer {
    fn json(&mut self, path: &Path) -> Result<(), Vec<Problem>> {
        let bytes =
            std::fs::read(path).map_err(|e| vec![file_problem(path, 1, "file", format!("cannot read: {e}"))])?;
        let values = json_values(path, &bytes)?;
        // json_values checked the encoding; lossy is only a formality here.
        let text = String::from_utf8_lossy(&bytes);
        let lines = ObjectLines::scan(&text);
        let top_array = text.trim_start_matches('\u{feff}').trim_start().starts_with('[');
        for (i, (line, value)) in values.into_iter().enumerate() {
            let at = if top_array { Loc { doc: 0, ptr: format!("/{i}") } } else { Loc { doc: i, ptr: String::new() } };
            self.walk(&value, &at, line, &lines);
        }
        Ok(())
    }

    fn walk(&mut self, value: &Value, at: &Loc, line: usize, lines: &ObjectLines) {
        let Value::Object(obj) = value else {
            self.note(line, "a value that is not an object: skipped");
            return;
        };
        match shape(obj) {
            Shape::Page => {
                for (i, item) in obj.get("contents").and_then(Value::as_array).into_iter().flatten().enumerate() {
                    let child = at.child(&format!("contents/{i}"));
                    self.walk(item, &child, lines.line(&child, line), lines);
                }
            }
            Shape::Tabular => {
                let tables = tables_from_json(obj, &self.file, at, lines);
                self.tables(&tables);
            }
            Shape::ServiceAtLocation => self.service_at_location(obj, line),
            Shape::Organization => self.organization_with_services(obj, at, line, lines),
            Shape::Service => self.service(obj, None, line),
            Shape::Other => self.note(line, "an HSDS object that is neither a service nor an organization: skipped"),
        }
    }

    /// A service-at-location is its service, seen at that one place.
    fn service_at_location(&mut self, obj: &Obj, line: usize) {
        let Some(Value::Object(service)) = obj.get("service") else {
            return;
        };
        let mut service = service.clone();
        if !service.contains_key("service_at_locations") {
            let mut at = obj.clone();
            at.remove("service");
            service.insert("service_at_locations".into(), Value::Array(vec![Value::Object(at)]));
        }
        self.service(&service, None, line);
    }

    fn organization_with_services(&mut self, obj: &Obj, at: &Loc, line: usize, lines: &ObjectLines) {
        let services: Vec<&Obj> =
            obj.get("services").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_object).collect();
        if services.is_empty() {
            self.organization(obj, line);
            return;
        }
        let mut org = obj.clone();
        org.remove("services");
        let org_locations: Vec<&Obj> = list_of(obj, "locations");
        for (i, service) in services.into_iter().enumerate() {
            let child = at.child(&format!("services/{i}"));
            let service = with_locations_resolved(service, &org_locations);
            self.service(&service, Some(&org), lines.line(&child, line));
        }
    }

    fn note(&mut self, line: usize, what: impl Into<String>) {
        self.notes.note(line, what);
    }

    /// Records and notes that follow come from this file (a table of a package).
    fn set_file(&mut self, file: &str) {
        self.file = file.to_string();
        self.notes.set_file(file);
    }
}

/// Nested services may name their locations by `location_id` only, the organization holding
/// the locations themselves.
fn with_locations_resolved(service: &Obj, org_locations: &[&Obj]) -> Obj {
    let mut service = service.clone();
    if let Some(Value::Array(sals)) = service.get_mut("service_at_locations") {
        for sal in sals.iter_mut().filter_map(Value::as_object_mut) {
            if sal.contains_key("location") {
                continue;
            }
            let id = text(sal, "location_id");
            if let Some(location) = org_locations.iter().find(|l| text(l, "id") == id && id.is_some()) {
                sal.insert("location".into(), Value::Object((*location).clone()));
            }
        }
    }
    service
}

fn list_of<'a>(obj: &'a Obj, key: &str) -> Vec<&'a Obj> {
    obj.get(key).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_object).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(v: Value) -> Obj {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn shapes_are_told_apart() {
        assert_eq!(shape(&obj(serde_json::json!({"id": "1", "name": "a", "status": "active"}))), Shape::Service);
        assert_eq!(
            shape(&obj(serde_json::json!({"id": "1", "name": "a", "website": "http://a.b"}))),
            Shape::Organization
        );
        assert_eq!(shape(&obj(serde_json::json!({"id": "1", "service": {}}))), Shape::ServiceAtLocation);
        assert_eq!(shape(&obj(serde_json::json!({"contents": []}))), Shape::Page);
        assert_eq!(shape(&obj(serde_json::json!({"id": "1", "location_type": "physical"}))), Shape::Other);
    }
}
