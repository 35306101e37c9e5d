//! Full-text search over the catalogue with tantivy: the French analyzer, the schema, query
//! building (as-you-type prefixes, typo tolerance, synonyms, the visitor vocabulary, filters), facet counts, and index
//! generations that are switched atomically while kiosks keep answering.

pub mod analyzer;
pub mod generation;
pub mod need_order;
mod open_only;
pub mod query;
pub mod schema;
mod sealed_dir;
pub mod searcher;
pub mod synonyms;
pub mod vocabulary;

pub use generation::{GenerationMeta, IndexError};
pub use query::MatchMode;
pub use searcher::{Match, SearchIndex, SearchRequest, SearchResults};
pub use vocabulary::{Hint, Vocabulary};
