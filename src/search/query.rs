//! From what a person typed to a tantivy query, the way the measurements of docs/SEARCH.md found best:
//! every word required; whole words as stemmed terms (ranked by BM25, the name boosted);
//! the last word also as a prefix on the folded copy of each field, because it is being typed;
//! typos tolerated only as a fallback, Meilisearch-style (none under 5 letters, 1 up to 8, 2
//! from 9). User text never reaches tantivy's query parser: `field:value`, quotes, `*` or 30
//! nested parentheses are just words here. The visitor vocabulary adds, per word, what the word
//! means in the catalogue's terms, ranked below the word itself (`super::vocabulary`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::query::{
    AutomatonWeight, BitSetDocSet, BooleanQuery, BoostQuery, ConstScoreQuery, ConstScorer, DfaWrapper,
    DisjunctionMaxQuery, EnableScoring, Explanation, FuzzyTermQuery, Occur, Query, Scorer, TermQuery, TermSetQuery,
    Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, TantivyError, Term};

use super::analyzer::{self, tokens};
use super::schema::Fields;
use super::synonyms::Synonyms;
use super::vocabulary::{Expansion, Hint, Reading, UnitKind, Vocabulary};

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

/// Weights of the visitor vocabulary (docs/SEARCH.md, "Visitor vocabulary"). An expansion scores
/// flat, never more than [`EXPANSION_NAME`]; a direct match of a word that has an expansion gets
/// [`DIRECT_BONUS`] on top of its usual score, so it always ranks above an expansion match.
pub const DIRECT_BONUS: f32 = 1.0;
const EXPANSION_NAME: f32 = 0.6;
const EXPANSION_KEYWORDS: f32 = 0.5;
const EXPANSION_BODY: f32 = 0.3;
const EXPANSION_THEME: f32 = 0.25;
const EXPANSION_ACTION: f32 = 0.2;
/// A hint's field (price, audience) matched: a nudge, comparable to a prefix in the body.
const HINT_BOOST: f32 = 0.5;
/// Prices the price hint ("pas cher", "gratuit") puts first.
const CHEAP: [&str; 3] = ["gratuit", "prix-libre", "solidaire"];
/// In the near block, each meaningful word matched adds this much, so that rows are ranked by
/// how many words they match first, by relevance second (scores stay far below it).
pub const WORD_MATCHED: f32 = 1000.0;

/// What the query builder needs besides the words: loaded once per index.
pub struct Context<'a> {
    pub synonyms: &'a Synonyms,
    pub vocabulary: &'a Vocabulary,
    /// Postcode or INSEE code (as typed) → the INSEE codes of the communes it names.
    pub communes: &'a HashMap<String, Vec<String>>,
}

/// Builds the text part of the query, or `None` when there is nothing to search for (empty
/// text, stop or filler words only). `count_words` (the near block) adds [`WORD_MATCHED`] per
/// meaningful unit matched.
pub fn text_query(
    f: &Fields,
    words: &Words,
    reading: &Reading,
    mode: MatchMode,
    cx: &Context<'_>,
    automata: &mut Automata,
    count_words: bool,
) -> Option<Box<dyn Query>> {
    let mut required: Vec<Box<dyn Query>> = Vec::new();
    let mut optional: Vec<Box<dyn Query>> = Vec::new();
    for unit in &reading.units {
        if unit.hint == Some(Hint::Near) {
            continue; // how to sort, not what to find
        }
        let direct = if unit.len == 1 {
            let alternatives = word_alternatives(f, words, unit.start, mode, cx, automata);
            let filler_typed = unit.kind != UnitKind::Filler || is_typed(words, unit.start);
            (!alternatives.is_empty() && filler_typed)
                .then(|| Box::new(BooleanQuery::new(alternatives)) as Box<dyn Query>)
        } else {
            // A phrase key: its words, all of them (stop words aside), or its expansion.
            let parts: Vec<(Occur, Box<dyn Query>)> = (unit.start..unit.start + unit.len)
                .filter(|&i| words.stems[i].is_some())
                .map(|i| word_alternatives(f, words, i, mode, cx, automata))
                .filter(|a| !a.is_empty())
                .map(|a| (Occur::Must, Box::new(BooleanQuery::new(a)) as Box<dyn Query>))
                .collect();
            (!parts.is_empty()).then(|| Box::new(BooleanQuery::new(parts)) as Box<dyn Query>)
        };
        let expansion = unit.expansion.and_then(|x| expansion_query(f, cx.vocabulary.expansion(x)));
        let mut clause = match (direct, expansion) {
            (Some(d), Some(x)) => {
                let bonus = Box::new(ConstScoreQuery::new(d.box_clone(), DIRECT_BONUS)) as Box<dyn Query>;
                let d = Box::new(BooleanQuery::new(vec![(Occur::Should, bonus), (Occur::Should, d)]));
                Box::new(BooleanQuery::new(vec![(Occur::Should, d as Box<dyn Query>), (Occur::Should, x)]))
                    as Box<dyn Query>
            }
            (Some(d), None) => d,
            (None, Some(x)) => x,
            (None, None) => continue,
        };
        match unit.kind {
            UnitKind::Word => {
                if let Some(field) = hint_query(f, unit.hint.as_ref()) {
                    // "étudiant": said in the text, or the audience the initiative is for.
                    clause = Box::new(BooleanQuery::new(vec![(Occur::Should, clause), (Occur::Should, field)]));
                }
                if count_words {
                    let counted = Box::new(ConstScoreQuery::new(clause.box_clone(), WORD_MATCHED)) as Box<dyn Query>;
                    clause = Box::new(BooleanQuery::new(vec![(Occur::Should, counted), (Occur::Should, clause)]));
                }
                required.push(clause);
            }
            UnitKind::Hint => {
                let mut alternatives = vec![(Occur::Should, clause)];
                alternatives.extend(hint_query(f, unit.hint.as_ref()).map(|q| (Occur::Should, q)));
                optional.push(Box::new(BooleanQuery::new(alternatives)));
            }
            UnitKind::Stop | UnitKind::Filler => optional.push(clause),
        }
    }
    let optional = optional.into_iter().map(|q| (Occur::Should, q));
    if !required.is_empty() {
        let occur = if mode == MatchMode::Relaxed { Occur::Should } else { Occur::Must };
        let words_part = Box::new(BooleanQuery::new(required.into_iter().map(|q| (occur, q)).collect()));
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, words_part)];
        clauses.extend(optional);
        return Some(Box::new(BooleanQuery::new(clauses)));
    }
    let optional: Vec<(Occur, Box<dyn Query>)> = optional.collect();
    if optional.is_empty() {
        return None;
    }
    let kinds = || reading.units.iter().map(|u| u.kind);
    if kinds().any(|k| k == UnitKind::Hint) {
        // Hints only ("gratuit"): whatever fits any of them.
        return Some(Box::new(BooleanQuery::new(optional)));
    }
    if kinds().all(|k| k == UnitKind::Stop) && mode != MatchMode::Relaxed {
        // Only stop words being typed ("de"): let their prefixes decide.
        return Some(Box::new(BooleanQuery::new(optional.into_iter().map(|(_, q)| (Occur::Must, q)).collect())));
    }
    // A sentence of filler words ("je cherche"): nothing to narrow the list down with.
    None
}

/// Whether word `i` is the last one and still being typed.
fn is_typed(words: &Words, i: usize) -> bool {
    words.last_is_prefix && i + 1 == words.folded.len()
}

/// The ways word `i` itself may match: its stem, its synonyms, the commune of a postcode, and a
/// prefix (being typed) or typos (per the mode) on the folded fields.
fn word_alternatives(
    f: &Fields,
    words: &Words,
    i: usize,
    mode: MatchMode,
    cx: &Context<'_>,
    automata: &mut Automata,
) -> Vec<(Occur, Box<dyn Query>)> {
    let word = &words.folded[i];
    let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if let Some(stem) = &words.stems[i] {
        alternatives.extend(stem_terms(f, stem, 1.0));
    }
    for syn in cx.synonyms.of(word) {
        if let Some(s) = &syn.stem {
            alternatives.extend(stem_terms(f, s, 0.8));
        }
    }
    // A postcode or INSEE code ("92000"): the initiatives of that commune, as if by name.
    for insee in cx.communes.get(word).into_iter().flatten() {
        let q = TermQuery::new(Term::from_field_text(f.commune, insee), IndexRecordOption::Basic);
        alternatives.push((Occur::Should, Box::new(ConstScoreQuery::new(Box::new(q), 2.0))));
    }
    let typos = if mode == MatchMode::Exact { 0 } else { typo_budget(word) };
    let prefix = is_typed(words, i);
    if prefix || typos > 0 {
        alternatives.extend(fold_terms(f, word, typos, prefix, automata));
    }
    alternatives
}

/// What a vocabulary key expands to, scored flat so that it stays below a direct match. Each
/// value (a word, tag, theme or action, in the order written) scores the best of its fields
/// (name 0.6, keywords 0.5, body 0.3, theme 0.25, action 0.2); values are weighted 1, 1/2,
/// 1/4… and the sum divided by the sum of the weights, so the first value counts most, a row
/// matching more of them ranks higher, and the total never exceeds 0.6 (< [`DIRECT_BONUS`]).
/// `None` for a key that only leads to an orientation card.
fn expansion_query(f: &Fields, x: &Expansion) -> Option<Box<dyn Query>> {
    let all_of = |field: Field, stems: &[String]| -> Box<dyn Query> {
        let mut terms: Vec<(Occur, Box<dyn Query>)> = stems
            .iter()
            .map(|s| {
                let q = TermQuery::new(Term::from_field_text(field, s), IndexRecordOption::Basic);
                (Occur::Must, Box::new(q) as Box<dyn Query>)
            })
            .collect();
        if terms.len() == 1 { terms.remove(0).1 } else { Box::new(BooleanQuery::new(terms)) }
    };
    let flat = |q: Box<dyn Query>, score: f32| Box::new(ConstScoreQuery::new(q, score)) as Box<dyn Query>;
    // One list of field alternatives per value, in the order of the values.
    let mut values: Vec<Vec<Box<dyn Query>>> = Vec::new();
    for stems in &x.words {
        values.push(vec![
            flat(all_of(f.name, stems), EXPANSION_NAME),
            flat(all_of(f.keywords, stems), EXPANSION_KEYWORDS),
            flat(all_of(f.body, stems), EXPANSION_BODY),
        ]);
    }
    for stems in &x.tags {
        values.push(vec![flat(all_of(f.keywords, stems), EXPANSION_KEYWORDS)]);
    }
    for t in &x.themes {
        values.push(vec![flat(all_of(f.theme, std::slice::from_ref(t)), EXPANSION_THEME)]);
    }
    for a in &x.actions {
        values.push(vec![flat(all_of(f.action, std::slice::from_ref(a)), EXPANSION_ACTION)]);
    }
    if values.is_empty() {
        return None;
    }
    let total: f32 = (0..values.len()).map(|k| 0.5f32.powi(k as i32)).sum();
    let weighted: Vec<(Occur, Box<dyn Query>)> = values
        .into_iter()
        .enumerate()
        .map(|(k, fields)| {
            let best = Box::new(DisjunctionMaxQuery::new(fields)) as Box<dyn Query>;
            (Occur::Should, Box::new(BoostQuery::new(best, 0.5f32.powi(k as i32) / total)) as Box<dyn Query>)
        })
        .collect();
    Some(Box::new(BooleanQuery::new(weighted)))
}

/// The field a hint favours: price for "pas cher", audience for "enfant".
fn hint_query(f: &Fields, hint: Option<&Hint>) -> Option<Box<dyn Query>> {
    let terms: Vec<Term> = match hint? {
        Hint::Price => CHEAP.iter().map(|p| Term::from_field_text(f.price, p)).collect(),
        Hint::Audience(a) => vec![Term::from_field_text(f.audience, a)],
        Hint::Near => return None,
    };
    Some(Box::new(ConstScoreQuery::new(Box::new(TermSetQuery::new(terms)), HINT_BOOST)))
}

/// Meilisearch's rule: no typo under 5 letters, 1 up to 8, 2 from 9.
/// Numbers (postcodes, "115") are never corrected.
fn typo_budget(word: &str) -> u8 {
    if word.bytes().any(|b| b.is_ascii_digit()) {
        return 0;
    }
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
