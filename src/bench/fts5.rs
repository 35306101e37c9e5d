//! Baseline 1: SQLite FTS5, the search engine we already ship inside rusqlite. If tantivy is
//! not clearly faster than this on our queries, it is not worth its weight (docs/SEARCH.md).
//!
//! Set up as well as FTS5 allows for as-you-type search: `unicode61 remove_diacritics 2`
//! (accents folded, except "œ"), prefix indexes for 2, 3 and 4 letters, every word required,
//! the last one as a prefix (`word*`), BM25 with the name weighted as in our index, filters
//! as columns, the same searchable text as our index (name; theme labels, tags, commune,
//! actions; summary and description). An in-memory database: the page cache would hold a
//! file-backed one anyway, and it is what makes FTS5 fastest.

use rusqlite::{Connection, params};

use super::document_text;
use super::queries::{BenchQuery, folded_words};
use crate::catalogue::{Initiative, Reference};

pub struct Fts5 {
    conn: Connection,
}

const SCHEMA: &str = "CREATE VIRTUAL TABLE docs USING fts5(
    name, keywords, body,
    id UNINDEXED, themes UNINDEXED, commune UNINDEXED, online UNINDEXED, price UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');";

const QUERY: &str = "SELECT id FROM docs WHERE docs MATCH ?1
    AND (?2 IS NULL OR instr(themes, ?2) > 0)
    AND (?3 IS NULL OR commune = ?3)
    AND (?4 = 0 OR online = 1)
    AND (?5 = 0 OR price = 'gratuit')
    ORDER BY bm25(docs, 3.0, 2.0, 1.0) LIMIT ?6";

impl Fts5 {
    /// Indexes the listed initiatives (as our index does).
    pub fn build(items: &[Initiative], reference: &Reference) -> rusqlite::Result<Fts5> {
        let mut conn = Connection::open_in_memory()?;
        conn.execute_batch(SCHEMA)?;
        let tx = conn.transaction()?;
        {
            let mut put = tx.prepare(
                "INSERT INTO docs (name, keywords, body, id, themes, commune, online, price) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
            )?;
            for item in items.iter().filter(|i| i.is_listed()) {
                let (name, keywords, body) = document_text(item, reference);
                let themes = format!("|{}|", item.themes.join("|"));
                put.execute(params![
                    name,
                    keywords,
                    body,
                    item.id,
                    themes,
                    item.commune,
                    item.online as i64,
                    item.price
                ])?;
            }
        }
        tx.commit()?;
        conn.execute_batch("INSERT INTO docs(docs) VALUES ('optimize');")?;
        Ok(Fts5 { conn })
    }

    /// The ids of the best `limit` matches, best first.
    pub fn search(&self, q: &BenchQuery, limit: usize) -> rusqlite::Result<Vec<String>> {
        let Some(expr) = match_expression(&q.text) else { return Ok(Vec::new()) };
        let mut stmt = self.conn.prepare_cached(QUERY)?;
        let theme = q.theme.as_ref().map(|t| format!("|{t}|"));
        let rows = stmt
            .query_map(params![expr, theme, q.commune, q.online as i64, q.free as i64, limit as i64], |r| {
                r.get::<_, String>(0)
            })?;
        rows.collect()
    }
}

/// `"velo" "repar"*`: every word required, each quoted (so nothing typed is FTS5 syntax), the
/// last one as a prefix while it is being typed.
fn match_expression(text: &str) -> Option<String> {
    let (words, last_is_prefix) = folded_words(text);
    if words.is_empty() {
        return None;
    }
    let n = words.len();
    let parts: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| if i + 1 == n && last_is_prefix { format!("\"{w}\"*") } else { format!("\"{w}\"") })
        .collect();
    Some(parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions() {
        assert_eq!(match_expression("vélo répar").as_deref(), Some("\"velo\" \"repar\"*"));
        assert_eq!(match_expression("vélo ").as_deref(), Some("\"velo\""));
        assert_eq!(match_expression("\"a\" OR b*").as_deref(), Some("\"a\" \"or\" \"b\"*"));
        assert_eq!(match_expression("  "), None);
    }
}
