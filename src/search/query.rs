//! From what a person typed to a tantivy query, the way the measurements of docs/SEARCH.md found best:
//! every word required; whole words as stemmed terms (ranked by BM25, the name boosted);
//! the last word also as a prefix on the folded copy of each field, because it is being typed;
//! typos tolerated only as a fallback, Meilisearch-style (none under 5 letters, 1 up to 8, 2
//! from 9). User text never reaches tantivy's query parser: `field:value`, quotes, `*` or 30
//! nested parentheses are just words here.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::query::{
    AutomatonWeight, BitSetDocSet, BooleanQuery, BoostQuery, ConstScorer, DfaWrapper, EnableScoring, Explanation,
    FuzzyTermQuery, Occur, Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, TantivyError, Term};

use super::analyzer::{self, tokens};
use super::schema::Fields;
use super::synonyms::Synonyms;

/// How strictly the words must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchMode {
    /// Every word, exactly (the last one as a prefix).
    Exact,
    /// Every word, with typos tolerated.
    Typo,
    /// Not every word could be matched: the best partial matches.
    Relaxed,
}

/// The query's words, analysed once.
#[derive(Debug, Clone, Default)]
pub struct Words {
    /// Folded, unstemmed, as typed (stop words included): also what the UI highlights.
    pub folded: Vec<String>,
    /// The stemmed form of each folded word (`None` for a stop word).
    pub stems: Vec<Option<String>>,
    /// Whether the text ended inside the last word (no trailing space): it is a prefix.
    pub last_is_prefix: bool,
}

/// Longest query we look at: a pasted novel becomes its first words.
const MAX_WORDS: usize = 12;

impl Words {
    pub fn analyse(text: &str, fold: &mut TextAnalyzer, stem: &mut TextAnalyzer) -> Words {
        let text: String = text.chars().take(400).collect();
        let mut folded = tokens(fold, &text);
        folded.truncate(MAX_WORDS);
        let stems = folded
            .iter()
            .map(|w| if analyzer::is_stop_word(w) { None } else { tokens(stem, w).into_iter().next() })
            .collect();
        let last_is_prefix = !text.ends_with(char::is_whitespace);
        Words { folded, stems, last_is_prefix }
    }

    pub fn is_empty(&self) -> bool {
        self.folded.is_empty()
    }
}

/// Builds the text part of the query, or `None` when there is nothing to search for
/// (empty text, or stop words only).
pub fn text_query(
    f: &Fields,
    words: &Words,
    mode: MatchMode,
    synonyms: &Synonyms,
    automata: &mut Automata,
) -> Option<Box<dyn Query>> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let last = words.folded.len().saturating_sub(1);
    for (i, (word, stem)) in words.folded.iter().zip(&words.stems).enumerate() {
        let is_last = i == last;
        let prefix = is_last && words.last_is_prefix;
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(stem) = stem {
            alternatives.extend(stem_terms(f, stem, 1.0));
        }
        for syn in synonyms.of(word) {
            if let Some(s) = &syn.stem {
                alternatives.extend(stem_terms(f, s, 0.8));
            }
        }
        let typos = if mode == MatchMode::Exact { 0 } else { typo_budget(word) };
        if prefix || typos > 0 {
            alternatives.extend(fold_terms(f, word, typos, prefix, automata));
        }
        if alternatives.is_empty() {
            continue; // a complete stop word
        }
        let occur = if mode == MatchMode::Relaxed || stem.is_none() { Occur::Should } else { Occur::Must };
        clauses.push((occur, Box::new(BooleanQuery::new(alternatives))));
    }
    if clauses.is_empty() {
        return None;
    }
    if clauses.iter().all(|(o, _)| *o == Occur::Should) && mode != MatchMode::Relaxed {
        // Only stop words being typed ("de"): let their prefixes decide.
        clauses = clauses.into_iter().map(|(_, q)| (Occur::Must, q)).collect();
    }
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// Meilisearch's rule: no typo under 5 letters, 1 up to 8, 2 from 9.
fn typo_budget(word: &str) -> u8 {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

fn stem_terms(f: &Fields, stem: &str, weight: f32) -> Vec<(Occur, Box<dyn Query>)> {
    [(f.name, 3.0), (f.keywords, 2.0), (f.body, 1.0)]
        .into_iter()
        .map(|(field, boost)| {
            let q = TermQuery::new(Term::from_field_text(field, stem), IndexRecordOption::WithFreqs);
            (Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost * weight)) as Box<dyn Query>)
        })
        .collect()
}

/// Prefix and/or typo-tolerant matches on the folded fields. They score flat, so the boost
/// is the score: a prefix of a word in the name outranks one in the description. The three
/// fields share one automaton.
fn fold_terms(
    f: &Fields,
    word: &str,
    typos: u8,
    prefix: bool,
    automata: &mut Automata,
) -> Vec<(Occur, Box<dyn Query>)> {
    let fields: [(Field, f32); 3] = [(f.name_fold, 2.0), (f.keywords_fold, 1.2), (f.body_fold, 0.5)];
    // tantivy refuses only more than 2 typos, which [`typo_budget`] never gives.
    let Some(automaton) = automata.get(word, typos, prefix) else { return Vec::new() };
    fields
        .into_iter()
        .map(|(field, boost)| {
            let q = AutomatonQuery { field, word: word.to_string(), automaton: automaton.clone() };
            (Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost)) as Box<dyn Query>)
        })
        .collect()
}

/// Levenshtein automata by (folded word, typos allowed, prefix or whole word), each with the
/// documents it matched per segment and field. Building one costs 4–40 µs (measured: 38 µs for
/// a 14-letter prefix at distance 2), and walking a term dictionary with it costs more; a word
/// being typed needs the same automaton on three fields, in two fallback modes (the Relaxed
/// one walks exactly what the Typo one walked), and again at the next keystroke while a later
/// word is typed: [`tantivy::query::FuzzyTermQuery`] would build and walk it each time. Kept by
/// the [`super::SearchIndex`] for the words of the current query only
/// ([`Automata::keep_only`]): an automaton holds 1 KB per state, up to a megabyte for a long
/// word at distance 2, so keeping those of past keystrokes cost the kiosk 11–16 MB of RSS.
#[derive(Default)]
pub struct Automata(HashMap<(String, u8, bool), Arc<SharedAutomaton>>);

impl Automata {
    /// A bound for safety: a query has at most [`MAX_WORDS`] words, three variants each.
    const MAX: usize = 64;

    /// Forgets the automata of words that are not in `words` (called once per search).
    pub fn keep_only(&mut self, words: &[String]) {
        self.0.retain(|(word, _, _), _| words.contains(word));
    }

    fn get(&mut self, word: &str, typos: u8, prefix: bool) -> Option<Arc<SharedAutomaton>> {
        let key = (word.to_string(), typos, prefix);
        if let Some(automaton) = self.0.get(&key) {
            return Some(automaton.clone());
        }
        // The automaton depends on the text only; the term's field is not used.
        let term = Term::from_field_text(Field::from_field_id(0), word);
        let query =
            if prefix { FuzzyTermQuery::new_prefix(term, typos, true) } else { FuzzyTermQuery::new(term, typos, true) };
        let automaton = Arc::new(SharedAutomaton { dfa: Arc::new(query.automaton().ok()?), matches: Mutex::default() });
        if self.0.len() >= Self::MAX {
            self.0.clear();
        }
        self.0.insert(key, automaton.clone());
        Some(automaton)
    }
}

/// One automaton, and the documents it matched per segment and field (segments never change,
/// so what it matched there stays true).
pub struct SharedAutomaton {
    dfa: Arc<DfaWrapper>,
    matches: Mutex<HashMap<(SegmentId, Field), Arc<BitSet>>>,
}

impl SharedAutomaton {
    /// The documents of `reader`'s segment with a term of `field` the automaton accepts.
    fn matches(&self, field: Field, reader: &SegmentReader) -> tantivy::Result<Arc<BitSet>> {
        let key = (reader.segment_id(), field);
        if let Some(found) = self.matches.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(found);
        }
        // The walk of tantivy's AutomatonWeight::scorer, kept.
        let terms = AutomatonWeight::<DfaWrapper>::new(field, self.dfa.clone()).get_match_term_infos(reader)?;
        let inverted_index = reader.inverted_index(field)?;
        let mut docs = BitSet::with_max_value(reader.max_doc());
        for info in &terms {
            let mut postings = inverted_index.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
            while !postings.docs().is_empty() {
                for &doc in postings.docs() {
                    docs.insert(doc);
                }
                postings.advance();
            }
        }
        let docs = Arc::new(docs);
        if let Ok(mut m) = self.matches.lock() {
            m.insert(key, docs.clone());
        }
        Ok(docs)
    }
}

/// What [`FuzzyTermQuery`] does (every document with a term of `field` the automaton accepts,
/// scored flat), with an automaton built and walked once for all fields and modes.
#[derive(Clone)]
struct AutomatonQuery {
    field: Field,
    /// For `Debug` only.
    word: String,
    automaton: Arc<SharedAutomaton>,
}

impl std::fmt::Debug for AutomatonQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AutomatonQuery").field("field", &self.field).field("word", &self.word).finish()
    }
}

impl Query for AutomatonQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(SharedAutomatonWeight { field: self.field, automaton: self.automaton.clone() }))
    }
}

struct SharedAutomatonWeight {
    field: Field,
    automaton: Arc<SharedAutomaton>,
}

impl Weight for SharedAutomatonWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let docs = self.automaton.matches(self.field, reader)?;
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(BitSet::clone(&docs)), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) == doc {
            Ok(Explanation::new("AutomatonScorer", 1.0))
        } else {
            Err(TantivyError::InvalidArgument("Document does not exist".to_string()))
        }
    }
}

/// A required exact value of a filter field.
pub fn must_equal(field: Field, value: &str) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic)))
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, IndexWriter, TantivyDocument};

    use super::*;

    /// The shared automaton matches and scores exactly as tantivy's own fuzzy query, on every
    /// field, and the cache hands out the same automaton for the same word.
    #[test]
    fn shared_automata_match_as_fuzzy_term_queries() {
        let mut schema = Schema::builder();
        let a = schema.add_text_field("a", TEXT);
        let b = schema.add_text_field("b", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer(15_000_000).expect("writer");
        for (x, y) in [
            ("surendettement conseil", "espace budget"),
            ("surendetement", "epicerie solidaire"),
            ("espaces verts", "surendettée"),
            ("epicerie", "espace"),
            ("conciergerie", "coeur"),
        ] {
            let mut doc = TantivyDocument::default();
            doc.add_text(a, x);
            doc.add_text(b, y);
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let mut automata = Automata::default();
        let run = |q: &dyn Query| searcher.search(q, &TopDocs::with_limit(10).order_by_score()).expect("search");
        let mut compared = 0;
        for (word, typos, prefix) in [
            ("surendettement", 2, true),
            ("surendet", 1, true),
            ("espace", 1, false),
            ("epic", 0, true),
            ("coeur", 1, false),
        ] {
            let automaton = automata.get(word, typos, prefix).expect("automaton");
            let again = automata.get(word, typos, prefix).expect("automaton");
            assert!(Arc::ptr_eq(&automaton, &again), "cached: {word}");
            for field in [a, b] {
                let ours = AutomatonQuery { field, word: word.to_string(), automaton: automaton.clone() };
                let term = Term::from_field_text(field, word);
                let theirs = if prefix {
                    FuzzyTermQuery::new_prefix(term, typos, true)
                } else {
                    FuzzyTermQuery::new(term, typos, true)
                };
                let (first, theirs) = (run(&ours), run(&theirs));
                assert_eq!(first, theirs, "{word} ~{typos} prefix={prefix} on {field:?}");
                // The second time, from the documents kept for this segment and field.
                assert_eq!(run(&ours), theirs, "{word} again on {field:?}");
                compared += first.len();
            }
        }
        assert!(compared >= 8, "the words match something: {compared}");
        let kept = automata.get("surendettement", 2, true).expect("automaton");
        let sets = 2 * searcher.segment_readers().len();
        assert_eq!(kept.matches.lock().expect("lock").len(), sets, "one set per segment and field");
        // Only the automata of the current query's words are kept.
        automata.keep_only(&["espace".to_string(), "coeur".to_string()]);
        let mut kept: Vec<&str> = automata.0.keys().map(|(w, _, _)| w.as_str()).collect();
        kept.sort();
        assert_eq!(kept, ["coeur", "espace"]);
    }
}
