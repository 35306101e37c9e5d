//! Writing the catalogue back out in the canonical formats, so that `import ∘ export` is the
//! identity: the canonical CSV administrators edit, and JSON with the same field names.

use std::io::Write;

use super::model::{FIELDS, Initiative};
use super::reference::Reference;

/// A record as exchanged: the commune by its official name rather than its INSEE code.
pub fn to_exchange(item: &Initiative, reference: &Reference) -> Initiative {
    let mut out = item.clone();
    if let Some(c) = reference.commune_by_code(&item.commune) {
        out.commune = c.name.clone();
    }
    out
}

/// The canonical CSV: header in [`FIELDS`] order, `\n` line ends, minimal quoting, lists
/// joined with `|`, booleans as `true`/`false`, rows in the order given (the store's: by id).
pub fn write_csv<W: Write>(out: W, items: &[Initiative], reference: &Reference) -> std::io::Result<()> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out);
    w.write_record(FIELDS)?;
    for item in items {
        w.write_record(csv_row(&to_exchange(item, reference)))?;
    }
    w.flush()
}

/// One initiative as the cells of a canonical CSV row, in [`FIELDS`] order.
pub fn csv_row(i: &Initiative) -> [String; FIELDS.len()] {
    let num = |n: Option<f64>| n.map(|n| n.to_string()).unwrap_or_default();
    [
        i.id.clone(),
        i.name.clone(),
        i.summary.clone(),
        i.summary_en.clone(),
        i.summary_es.clone(),
        i.summary_pt.clone(),
        i.summary_uk.clone(),
        i.summary_ro.clone(),
        i.summary_ar.clone(),
        i.description.clone(),
        i.themes.join("|"),
        i.actions.join("|"),
        i.tags.join("|"),
        i.kind.clone(),
        i.access.clone(),
        i.price.clone(),
        i.audience.join("|"),
        i.online.to_string(),
        i.commune.clone(),
        i.address.clone(),
        i.postcode.clone(),
        num(i.latitude),
        num(i.longitude),
        i.phone.clone(),
        i.email.clone(),
        i.website.clone(),
        i.opening_hours.clone(),
        i.languages.join("|"),
        i.accessibility.join("|"),
        i.status.clone(),
        i.reopens.clone(),
        i.updated.clone(),
        i.source.clone(),
        i.sources.join("|"),
    ]
}

/// Canonical JSON: an array of objects, pretty-printed (diffs of exports stay readable).
pub fn write_json<W: Write>(mut out: W, items: &[Initiative], reference: &Reference) -> std::io::Result<()> {
    let exchanged: Vec<Initiative> = items.iter().map(|i| to_exchange(i, reference)).collect();
    serde_json::to_writer_pretty(&mut out, &exchanged)?;
    out.write_all(b"\n")?;
    out.flush()
}
