//! The index schema: which fields are searched, filtered, counted and stored.

use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use super::analyzer::{FOLD, STEM};

/// Field handles, resolved once per opened index.
#[derive(Debug, Clone)]
pub struct Fields {
    pub id: Field,
    /// The whole record as JSON, so that a result list comes from one generation only.
    pub record: Field,
    pub name: Field,
    pub name_fold: Field,
    pub keywords: Field,
    pub keywords_fold: Field,
    pub body: Field,
    pub body_fold: Field,
    pub theme: Field,
    pub theme_facet: Field,
    pub commune: Field,
    pub action: Field,
    pub access: Field,
    pub price: Field,
    /// One value per audience (`familles`, `jeunes`…): boosted by the hints of a query.
    pub audience: Field,
    pub online: Field,
    pub status: Field,
    /// Position in alphabetical order of names: the order of a browsed theme.
    pub name_rank: Field,
    /// [`crate::mark::hours_key`]: the opening hours as written ("off" for a temporarily closed
    /// initiative), a fast column so that the "ouvert" filter tests every match during the
    /// search without loading documents ([`super::open_only`]).
    pub hours: Field,
    /// Where the initiative is ([`crate::geo::locate`]), fast columns for the distance sort;
    /// absent for online services without a place.
    pub lat: Field,
    pub lon: Field,
}

/// Fast-column names (tantivy reads fast fields by name).
pub const HOURS: &str = "hours";
pub const LAT: &str = "lat";
pub const LON: &str = "lon";

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let stem = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(STEM).set_index_option(IndexRecordOption::WithFreqs),
    );
    // Prefix and typo matches score flat, so the folded copies need no frequencies.
    let fold = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(FOLD).set_index_option(IndexRecordOption::Basic),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        record: b.add_text_field("record", STORED),
        name: b.add_text_field("name", stem.clone()),
        name_fold: b.add_text_field("name_fold", fold.clone()),
        keywords: b.add_text_field("keywords", stem.clone()),
        keywords_fold: b.add_text_field("keywords_fold", fold.clone()),
        body: b.add_text_field("body", stem),
        body_fold: b.add_text_field("body_fold", fold),
        theme: b.add_text_field("theme", STRING),
        theme_facet: b.add_facet_field("theme_facet", FacetOptions::default()),
        commune: b.add_text_field("commune", STRING),
        action: b.add_text_field("action", STRING),
        access: b.add_text_field("access", STRING),
        price: b.add_text_field("price", STRING),
        audience: b.add_text_field("audience", STRING),
        online: b.add_text_field("online", STRING),
        status: b.add_text_field("status", STRING),
        name_rank: b.add_u64_field("name_rank", INDEXED | FAST),
        hours: b.add_text_field(HOURS, FAST),
        lat: b.add_f64_field(LAT, FAST),
        lon: b.add_f64_field(LON, FAST),
    };
    (b.build(), fields)
}

/// Field handles of an opened index, by name (fails on an index of another layout).
pub fn resolve(schema: &Schema) -> tantivy::Result<Fields> {
    let f = |name: &str| schema.get_field(name);
    Ok(Fields {
        id: f("id")?,
        record: f("record")?,
        name: f("name")?,
        name_fold: f("name_fold")?,
        keywords: f("keywords")?,
        keywords_fold: f("keywords_fold")?,
        body: f("body")?,
        body_fold: f("body_fold")?,
        theme: f("theme")?,
        theme_facet: f("theme_facet")?,
        commune: f("commune")?,
        action: f("action")?,
        access: f("access")?,
        price: f("price")?,
        audience: f("audience")?,
        online: f("online")?,
        status: f("status")?,
        name_rank: f("name_rank")?,
        hours: f(HOURS)?,
        lat: f(LAT)?,
        lon: f(LON)?,
    })
}
