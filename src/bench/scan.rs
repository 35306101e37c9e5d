//! Baseline 2: no index at all. Every document's text folded once ([`crate::text::fold`]),
//! then each query checks every document: all words must occur (the last one may be
//! incomplete, which substring matching covers), filters first, a crude score (words found in
//! the name count triple), top `limit`. This is what "do we need a search engine for 600
//! services?" compares against.

use super::document_text;
use super::queries::{BenchQuery, folded_words};
use crate::catalogue::{Initiative, Reference};
use crate::text::fold;

struct Doc {
    id: String,
    name: String,
    text: String,
    themes: Vec<String>,
    commune: String,
    online: bool,
    free: bool,
}

pub struct Scan {
    docs: Vec<Doc>,
}

impl Scan {
    pub fn build(items: &[Initiative], reference: &Reference) -> Scan {
        let docs = items
            .iter()
            .filter(|i| i.is_listed())
            .map(|i| {
                let (name, keywords, body) = document_text(i, reference);
                Doc {
                    id: i.id.clone(),
                    name: fold(&name),
                    text: fold(&format!("{name}\n{keywords}\n{body}")),
                    themes: i.themes.clone(),
                    commune: i.commune.clone(),
                    online: i.online,
                    free: i.price == "gratuit",
                }
            })
            .collect();
        Scan { docs }
    }

    /// The ids of the best `limit` matches, best first.
    pub fn search(&self, q: &BenchQuery, limit: usize) -> Vec<&str> {
        let (words, _) = folded_words(&q.text);
        if words.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(usize, usize)> = Vec::new();
        for (n, d) in self.docs.iter().enumerate() {
            if q.theme.as_ref().is_some_and(|t| !d.themes.contains(t))
                || q.commune.as_ref().is_some_and(|c| &d.commune != c)
                || (q.online && !d.online)
                || (q.free && !d.free)
            {
                continue;
            }
            let mut score = 0;
            let mut all = true;
            for w in &words {
                if d.name.contains(w.as_str()) {
                    score += 3;
                } else if d.text.contains(w.as_str()) {
                    score += 1;
                } else {
                    all = false;
                    break;
                }
            }
            if all {
                hits.push((score, n));
            }
        }
        hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        hits.into_iter().take(limit).map(|(_, n)| self.docs[n].id.as_str()).collect()
    }
}
