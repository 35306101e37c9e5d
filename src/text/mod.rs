//! Text helpers shared by the importers, the search layer, the commands and the UI.
//!
//! Catalogue text is untrusted: it comes from spreadsheets and open-data files that anyone may
//! have edited. Everything that reaches a terminal goes through [`sanitize`] first, and
//! everything that is compared for search goes through [`fold`].

pub mod fit;
mod fold;
mod sanitize;

pub use fold::{fold, name_key, slugify};
pub use sanitize::{decode_lossy, is_unsafe_char, sanitize_line, sanitize_text, terminal_safe};
