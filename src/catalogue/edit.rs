//! A moderator's form for one initiative: every catalogue field as editable text, checked by
//! the very validation an import uses (the form is read as a one-row canonical CSV), so a
//! value refused in a file is refused in the form with the same words, beside its field.
//!
//! The form remembers the version it was opened on; saving goes through
//! [`super::Store::write_entry`], which refuses it if someone saved in between.

use std::path::Path;

use super::export::{csv_row, to_exchange};
use super::history::Via;
use super::import::canonical;
use super::model::{FIELDS, Initiative};
use super::reference::Reference;
use super::validate::{Problem, Validator};

/// The form's name in problems (`FILE:LINE: field …`) and in the history's origin.
pub const ORIGIN: &str = "terminal";

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Form {
    /// Each field of [`FIELDS`] as text (lists joined with `|`, the commune by its name).
    pub values: Vec<String>,
    /// The version the form was opened on; 0 for a new entry.
    pub base: i64,
    /// The field the cursor is on (an index of [`FIELDS`]).
    pub field: usize,
}

/// What a save does besides writing the fields.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Intent {
    /// Save the fields as typed (a new entry when the form's base is 0).
    Save,
    /// "vérifié aujourd'hui": `updated` becomes `today`.
    Check,
    /// "fermé temporairement jusqu'au …": status `ferme-temporairement`, `reopens` as typed
    /// in its field (required).
    CloseUntil,
    /// "retirer": status `inactif`; the entry is kept.
    Retire,
}

impl Form {
    pub fn open(item: &Initiative, version: i64, reference: &Reference) -> Form {
        Form { values: csv_row(&to_exchange(item, reference)).to_vec(), base: version, field: 0 }
    }

    /// An empty form for a new entry: active, dated today.
    pub fn new_entry(today: &str) -> Form {
        let mut values = vec![String::new(); FIELDS.len()];
        values[index("status")] = "actif".into();
        values[index("updated")] = today.into();
        values[index("online")] = "false".into();
        Form { values, base: 0, field: 0 }
    }

    pub fn value(&self, field: &str) -> &str {
        &self.values[index(field)]
    }

    pub fn set(&mut self, field: &str, value: impl Into<String>) {
        let i = index(field);
        self.values[i] = value.into();
    }

    /// The form with `intent` applied to its fields (what will be saved).
    pub fn with_intent(&self, intent: &Intent, today: &str) -> Form {
        let mut f = self.clone();
        match intent {
            Intent::Save => {}
            Intent::Check => f.set("updated", today),
            Intent::CloseUntil => f.set("status", "ferme-temporairement"),
            Intent::Retire => f.set("status", "inactif"),
        }
        f
    }

    /// Validates the form as an import would: the initiative, or every problem (each names
    /// its field).
    pub fn validate(&self, reference: &Reference) -> Result<Initiative, Vec<Problem>> {
        let mut csv = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
        let cells: Vec<String> = self.values.iter().map(|v| v.replace(['\r', '\n'], " ")).collect();
        let written = csv.write_record(FIELDS).and_then(|()| csv.write_record(&cells));
        let bytes = match written.map_err(|e| e.to_string()).and_then(|()| csv.into_inner().map_err(|e| e.to_string()))
        {
            Ok(b) => b,
            Err(e) => return Err(vec![problem("row", &e)]),
        };
        let parsed = canonical::parse_csv(Path::new(ORIGIN), &bytes)?;
        let Some(record) = parsed.records.first() else {
            return Err(vec![problem("id", "required")]);
        };
        let validator = Validator { reference, file: ORIGIN.into(), ignore_unknown: false, fix_hours: false };
        validator.validate(record)
    }

    /// Validates the form with `intent` applied, adding what the intent itself requires.
    pub fn prepare(&self, intent: &Intent, today: &str, reference: &Reference) -> Result<Initiative, Vec<Problem>> {
        let form = self.with_intent(intent, today);
        let mut problems = Vec::new();
        if *intent == Intent::CloseUntil && form.value("reopens").trim().is_empty() {
            problems.push(problem("reopens", "a reopening date is required (YYYY-MM-DD)"));
        }
        match form.validate(reference) {
            Ok(item) if problems.is_empty() => Ok(item),
            Ok(_) => Err(problems),
            Err(mut p) => {
                problems.append(&mut p);
                Err(problems)
            }
        }
    }
}

impl Intent {
    /// How the change is recorded in the history.
    pub fn via(&self, creating: bool) -> Via {
        match self {
            Intent::Save if creating => Via::Create,
            Intent::Save => Via::Edit,
            Intent::Check => Via::Check,
            Intent::CloseUntil => Via::Close,
            Intent::Retire => Via::Retire,
        }
    }
}

/// The index of `field` in [`FIELDS`]. Panics on a name that is not a field: callers pass
/// literals, and a typo must fail the first test that reaches it.
pub fn index(field: &str) -> usize {
    FIELDS.iter().position(|f| *f == field).unwrap_or_else(|| panic!("{field} is not a catalogue field"))
}

fn problem(field: &str, reason: &str) -> Problem {
    Problem { file: ORIGIN.into(), line: 2, field: field.into(), reason: reason.into(), value: String::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Initiative {
        Initiative {
            id: "repair-cafe-test".into(),
            name: "Repair café".into(),
            summary: "On répare ensemble".into(),
            themes: vec!["s-equiper".into()],
            commune: "92050".into(),
            status: "actif".into(),
            updated: "2026-01-10".into(),
            source: "https://exemple.fr".into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_unchanged_form_validates_to_the_same_entry() {
        let reference = Reference::embedded().unwrap();
        let item = sample();
        let item = Validator { reference: &reference, file: "x".into(), ignore_unknown: false, fix_hours: false }
            .validate(&{
                let mut r = crate::catalogue::RawRecord::new(2);
                for (f, v) in FIELDS.iter().zip(csv_row(&item)) {
                    if crate::catalogue::model::is_list_field(f) {
                        r.list(f, v.split('|').filter(|s| !s.is_empty()).map(String::from).collect());
                    } else {
                        r.text(f, v);
                    }
                }
                r
            })
            .unwrap();
        let form = Form::open(&item, 3, &reference);
        assert_eq!(form.value("commune"), "Nanterre", "the commune is shown by its name");
        assert_eq!(form.validate(&reference).unwrap(), item);
    }

    #[test]
    fn a_bad_value_is_refused_beside_its_field() {
        let reference = Reference::embedded().unwrap();
        let mut form = Form::open(&sample(), 1, &reference);
        form.set("opening_hours", "lundi matin");
        form.set("email", "pas-une-adresse");
        let problems = form.validate(&reference).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert!(fields.contains(&"opening_hours") && fields.contains(&"email"), "{problems:?}");
    }

    #[test]
    fn intents_set_what_they_say() {
        let reference = Reference::embedded().unwrap();
        let form = Form::open(&sample(), 1, &reference);
        assert_eq!(form.prepare(&Intent::Check, "2026-12-02", &reference).unwrap().updated, "2026-12-02");
        assert_eq!(form.prepare(&Intent::Retire, "2026-12-02", &reference).unwrap().status, "inactif");
        let refused = form.prepare(&Intent::CloseUntil, "2026-12-02", &reference).unwrap_err();
        assert_eq!(refused[0].field, "reopens");
        let mut dated = form.clone();
        dated.set("reopens", "2027-01-05");
        let closed = dated.prepare(&Intent::CloseUntil, "2026-12-02", &reference).unwrap();
        assert_eq!((closed.status.as_str(), closed.reopens.as_str()), ("ferme-temporairement", "2027-01-05"));
        assert_eq!(Intent::Save.via(true), Via::Create);
    }
}
