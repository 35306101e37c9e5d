//! A read-only handle on the live index generation: answers searches, and moves to a new
//! generation when an administrator rebuilds (checked by [`SearchIndex::refresh`], which the
//! UI calls on its idle tick, never on the keystroke path).

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};

use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query};
use tantivy::schema::Value;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Index, IndexReader, Order, ReloadPolicy, TantivyDocument};

use super::analyzer;
use super::generation::{self, GenerationMeta, IndexError};
use super::open_only::{OpenOnly, Passes};
use super::query::{self, MatchMode, Words};
use super::schema::{self, Fields};
use super::synonyms::{SYNONYMS_TXT, Synonyms};
use super::vocabulary::{Hint, Reading, Vocabulary};
use crate::catalogue::{Initiative, Reference};
use crate::geo::Point;

/// Below this many exact matches, typo-tolerant matching is tried as well.
const FEW_RESULTS: usize = 3;

/// Below this many matches of all the words, the best partial matches follow them (the near
/// block, "Résultats proches"), when the query has at least two meaningful words.
pub const NEAR_BELOW: usize = 5;

/// Whether a row matched all the meaningful words, or only some (docs/SEARCH.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Match {
    Exact,
    Near,
}

/// What to search for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchRequest {
    pub text: String,
    pub theme: Option<String>,
    /// INSEE code.
    pub commune: Option<String>,
    /// `Some(true)`: online services only; `Some(false)`: places to go only.
    pub online: Option<bool>,
    pub free_only: bool,
    pub limit: usize,
}

/// One page of results, tied to the generation that answered (so loading a row later never
/// mixes generations).
#[derive(Clone)]
pub struct SearchResults {
    pub hits: Vec<(f32, DocAddress)>,
    pub total: usize,
    /// Matches per theme slug, for the query without its theme filter; catalogue order.
    pub theme_counts: Vec<(String, u64)>,
    pub mode: MatchMode,
    pub words: Words,
    /// `hits[..near_start]` matched every meaningful word; the rest (the near block, ranked by
    /// how many they match) only some: the UI draws its "Résultats proches" heading here.
    /// Equal to `hits.len()` when there is no near block; 0 when nothing matched every word.
    pub near_start: usize,
    /// What the vocabulary made of the words (units, expansions, hints).
    pub reading: Reading,
    /// Themes the words' expansions point to ("pantalon" → s-habiller), in the words' order.
    pub suggested_themes: Vec<String>,
    /// Orientation cards (slugs of `assets/orientation.toml`) the words lead to ("médecin" → sante).
    pub orientation: Vec<String>,
    searcher: tantivy::Searcher,
    record_field: tantivy::schema::Field,
}

/// Two answers are equal when they list the same documents in the same order with the same
/// counts (the searcher behind them is not compared: tests compare what was answered).
impl PartialEq for SearchResults {
    fn eq(&self, other: &Self) -> bool {
        self.hits == other.hits
            && self.total == other.total
            && self.theme_counts == other.theme_counts
            && self.mode == other.mode
            && self.near_start == other.near_start
    }
}

impl std::fmt::Debug for SearchResults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchResults").field("total", &self.total).field("mode", &self.mode).finish()
    }
}

impl SearchResults {
    /// Whether hit `i` matched every meaningful word or belongs to the near block.
    pub fn match_of(&self, i: usize) -> Match {
        if i < self.near_start { Match::Exact } else { Match::Near }
    }

    /// The hints of the query ("pas cher", "enfant", "près de chez moi"), in the words' order.
    pub fn hints(&self) -> impl Iterator<Item = &Hint> {
        self.reading.hints()
    }

    /// The query asks for what is near ("près de chez moi", "à côté"): sort by distance when
    /// the place is known.
    pub fn wants_near(&self) -> bool {
        self.hints().any(|h| *h == Hint::Near)
    }

    /// The initiative of hit `i`.
    pub fn load(&self, i: usize) -> Result<Initiative, IndexError> {
        let Some(&(_, addr)) = self.hits.get(i) else {
            return Err(IndexError::Corrupt { path: PathBuf::new(), reason: format!("no hit {i}") });
        };
        let doc: TantivyDocument =
            self.searcher.doc(addr).map_err(|source| IndexError::Tantivy { path: PathBuf::new(), source })?;
        let json = doc.get_first(self.record_field).and_then(|v| v.as_str()).unwrap_or("");
        serde_json::from_str(json).map_err(|e| IndexError::Corrupt { path: PathBuf::new(), reason: e.to_string() })
    }

    /// Where each hit is ([`crate::geo::locate`]; `None` for online services without a place),
    /// in hit order, read from fast columns: no document is loaded, so that the distance sort
    /// can examine thousands of matches per keystroke.
    pub fn places(&self) -> Result<Vec<Option<Point>>, IndexError> {
        let tantivy_err = |source| IndexError::Tantivy { path: PathBuf::new(), source };
        let mut columns: HashMap<u32, (Column<f64>, Column<f64>)> = HashMap::new();
        let mut places = Vec::with_capacity(self.hits.len());
        for &(_, addr) in &self.hits {
            let (lat, lon) = match columns.entry(addr.segment_ord) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => {
                    let ff = self.searcher.segment_reader(addr.segment_ord).fast_fields();
                    e.insert((ff.f64(schema::LAT).map_err(tantivy_err)?, ff.f64(schema::LON).map_err(tantivy_err)?))
                }
            };
            places.push(match (lat.first(addr.doc_id), lon.first(addr.doc_id)) {
                (Some(lat), Some(lon)) => Some(Point { lat, lon }),
                _ => None,
            });
        }
        Ok(places)
    }

    /// Orders the hits by distance from `origin`, nearest first, online services keeping the
    /// slot relevance gave them ([`crate::geo::sort_by_distance`]), and keeps the first `keep`.
    /// Reads places from fast columns: only the hits kept are ever loaded.
    /// The exact block and the near block are sorted each on its own: near rows stay after.
    pub fn sort_by_distance(&mut self, origin: Point, keep: usize) -> Result<(), IndexError> {
        let places = self.places()?;
        let mut rows: Vec<((f32, DocAddress), Option<f64>)> = self
            .hits
            .iter()
            .zip(places)
            .map(|(&hit, place)| (hit, place.map(|p| crate::geo::distance_m(origin, p))))
            .collect();
        let split = self.near_start.min(rows.len());
        let (exact, near) = rows.split_at_mut(split);
        crate::geo::sort_by_distance(exact, |r| r.1);
        crate::geo::sort_by_distance(near, |r| r.1);
        rows.truncate(keep);
        self.near_start = split.min(rows.len());
        self.hits = rows.into_iter().map(|r| r.0).collect();
        Ok(())
    }

    /// All hits, loaded (for the command line and exports).
    pub fn load_all(&self) -> Result<Vec<(f32, Initiative)>, IndexError> {
        (0..self.hits.len()).map(|i| Ok((self.hits[i].0, self.load(i)?))).collect()
    }
}

pub struct SearchIndex {
    search_dir: PathBuf,
    name: String,
    meta: GenerationMeta,
    reference: Reference,
    reader: IndexReader,
    fields: Fields,
    fold: TextAnalyzer,
    stem: TextAnalyzer,
    synonyms: Synonyms,
    vocabulary: Vocabulary,
    /// Postcode or INSEE code → INSEE codes of the communes it names (from the generation).
    communes: HashMap<String, Vec<String>>,
    /// Built once per typed word, reused across fields, fallback modes and keystrokes.
    automata: query::Automata,
}

impl SearchIndex {
    /// Opens the live generation of `search_dir` (`<data>/search`).
    pub fn open(search_dir: &Path) -> Result<SearchIndex, IndexError> {
        let name =
            generation::current_name(search_dir)?.ok_or_else(|| IndexError::Missing(search_dir.to_path_buf()))?;
        Self::open_generation(search_dir, &name)
    }

    fn open_generation(search_dir: &Path, name: &str) -> Result<SearchIndex, IndexError> {
        let dir = search_dir.join(name);
        if !dir.is_dir() {
            return Err(IndexError::Corrupt {
                path: dir,
                reason: "CURRENT names a generation that does not exist".into(),
            });
        }
        let meta = generation::read_meta(&dir)?;
        let corrupt = |e: tantivy::TantivyError| IndexError::Corrupt { path: dir.clone(), reason: e.to_string() };
        let index = super::sealed_dir::SealedDir::open(&dir).and_then(Index::open).map_err(corrupt)?;
        analyzer::register(index.tokenizers());
        let fields = schema::resolve(&index.schema()).map_err(corrupt)?;
        // Manual: the default policy starts a polling thread per reader; generations never
        // change once written, so there is nothing to poll.
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(corrupt)?;
        let mut fold = analyzer::fold_analyzer();
        let mut stem = analyzer::stem_analyzer();
        let synonyms = Synonyms::parse(SYNONYMS_TXT, &mut fold, &mut stem);
        let vocabulary = Vocabulary::embedded(&mut fold, &mut stem);
        let mut communes: HashMap<String, Vec<String>> = HashMap::new();
        for c in &meta.communes {
            for code in [&c.postcode, &c.insee] {
                let codes = communes.entry(code.trim().to_string()).or_default();
                if !code.trim().is_empty() && !codes.contains(&c.insee) {
                    codes.push(c.insee.clone());
                }
            }
        }
        communes.retain(|code, _| !code.is_empty());
        let searcher = reader.searcher();
        // Touch every segment's store once so damage shows now, not in front of a visitor.
        for segment in searcher.segment_readers() {
            segment
                .get_store_reader(1)
                .map_err(|e| IndexError::Corrupt { path: dir.clone(), reason: e.to_string() })?;
        }
        Ok(SearchIndex {
            search_dir: search_dir.to_path_buf(),
            name: name.to_string(),
            reference: meta.reference(),
            meta,
            reader,
            fields,
            fold,
            stem,
            synonyms,
            vocabulary,
            communes,
            automata: query::Automata::default(),
        })
    }

    /// Moves to a newer generation if `CURRENT` changed. Returns whether it did. A new
    /// generation that fails to open is reported and the current one kept.
    pub fn refresh(&mut self) -> Result<bool, IndexError> {
        match generation::current_name(&self.search_dir)? {
            Some(name) if name != self.name => {
                *self = Self::open_generation(&self.search_dir, &name)?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    pub fn meta(&self) -> &GenerationMeta {
        &self.meta
    }

    pub fn generation(&self) -> &str {
        &self.name
    }

    /// Themes and communes as the live generation knows them.
    pub fn reference(&self) -> &Reference {
        &self.reference
    }

    /// Analyses a query's words the way [`SearchIndex::search`] does (for highlighting).
    pub fn words(&mut self, text: &str) -> Words {
        Words::analyse(text, &mut self.fold, &mut self.stem)
    }

    /// The visitor vocabulary, filler words and hints this index searches with.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// What the vocabulary makes of `text`: units, expansions, hints.
    pub fn read(&mut self, text: &str) -> Reading {
        let words = self.words(text);
        self.vocabulary.read(&words)
    }

    /// The orientation cards (slugs of `assets/orientation.toml`) the words of `text` lead to,
    /// for the screen shown when nothing (or little) is found. Also in every [`SearchResults`].
    pub fn orientation(&mut self, text: &str) -> Vec<String> {
        let reading = self.read(text);
        self.vocabulary.orientation(&reading)
    }

    /// The themes the words of `text` point to through the vocabulary ("pantalon" →
    /// s-habiller). Also in every [`SearchResults`].
    pub fn suggested_themes(&mut self, text: &str) -> Vec<String> {
        let reading = self.read(text);
        self.vocabulary.suggested_themes(&reading)
    }

    pub fn search(&mut self, req: &SearchRequest) -> Result<SearchResults, IndexError> {
        self.search_where(req, None)
    }

    /// [`Self::search`], keeping only the initiatives whose hours key
    /// ([`crate::mark::hours_key`]) passes `open` (asked once per distinct key): the "ouvert"
    /// filter, exact over every match, counts per theme and total included.
    pub fn search_open(
        &mut self,
        req: &SearchRequest,
        open: &mut dyn FnMut(&str) -> bool,
    ) -> Result<SearchResults, IndexError> {
        self.search_where(req, Some(open))
    }

    fn search_where(
        &mut self,
        req: &SearchRequest,
        open: Option<&mut dyn FnMut(&str) -> bool>,
    ) -> Result<SearchResults, IndexError> {
        let words = self.words(&req.text);
        let reading = self.vocabulary.read(&words);
        let suggested_themes = self.vocabulary.suggested_themes(&reading);
        let orientation = self.vocabulary.orientation(&reading);
        let searcher = self.reader.searcher();
        let f = &self.fields;
        let err = |source| IndexError::Tantivy { path: self.search_dir.clone(), source };
        let passes = open.map(|test| Passes::evaluate(&searcher, test)).transpose().map_err(err)?;
        let gate = passes.as_ref();

        let mut filters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(c) = &req.commune {
            filters.push(query::must_equal(f.commune, c));
        }
        if let Some(online) = req.online {
            filters.push(query::must_equal(f.online, if online { "1" } else { "0" }));
        }
        if req.free_only {
            filters.push(query::must_equal(f.price, "gratuit"));
        }
        let theme_filter = req.theme.as_ref().map(|t| query::must_equal(f.theme, t));
        let limit = req.limit.max(1);

        let build = |text: Option<Box<dyn Query>>, with_theme: bool| -> Box<dyn Query> {
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = filters.iter().map(|(o, q)| (*o, q.box_clone())).collect();
            if with_theme && let Some((o, q)) = &theme_filter {
                clauses.push((*o, q.box_clone()));
            }
            clauses.push((Occur::Must, text.unwrap_or_else(|| Box::new(AllQuery))));
            Box::new(BooleanQuery::new(clauses))
        };
        let facets = || {
            let mut c = FacetCollector::for_field("theme_facet");
            c.add_facet("/");
            c
        };

        // Browsing (no words): everything that passes the filters, in alphabetical order.
        self.automata.keep_only(&words.folded);
        let automata = &mut self.automata;
        let cx = query::Context { synonyms: &self.synonyms, vocabulary: &self.vocabulary, communes: &self.communes };
        let mut text_for = |mode, count| query::text_query(f, &words, &reading, mode, &cx, automata, count);
        let Some(_) = text_for(MatchMode::Exact, false) else {
            let q = build(None, true);
            let (top, total, counts) = searcher
                .search(
                    &q,
                    &OpenOnly::new(
                        (TopDocs::with_limit(limit).order_by_u64_field("name_rank", Order::Asc), Count, facets()),
                        gate,
                    ),
                )
                .map_err(err)?;
            let counts = if theme_filter.is_some() {
                searcher.search(&build(None, false), &OpenOnly::new(facets(), gate)).map_err(err)?
            } else {
                counts
            };
            let hits: Vec<(f32, DocAddress)> = top.into_iter().map(|(_, a)| (0.0, a)).collect();
            return Ok(SearchResults {
                near_start: hits.len(),
                hits,
                total,
                theme_counts: self.ordered_counts(&counts),
                mode: MatchMode::Exact,
                words,
                reading,
                suggested_themes,
                orientation,
                searcher,
                record_field: f.record,
            });
        };

        // All the words: exactly, else with typos.
        let mut outcome = None;
        for mode in [MatchMode::Exact, MatchMode::Typo] {
            let q = build(text_for(mode, false), true);
            let (top, total, counts) = searcher
                .search(&q, &OpenOnly::new((TopDocs::with_limit(limit).order_by_score(), Count, facets()), gate))
                .map_err(err)?;
            let enough = match mode {
                MatchMode::Exact => total >= FEW_RESULTS,
                _ => total > 0,
            };
            let better = outcome.as_ref().is_none_or(|(_, t, _, _): &(_, usize, _, _)| total > *t);
            if better {
                outcome = Some((top, total, counts, mode));
            }
            if enough {
                break;
            }
        }
        let (mut hits, mut total, mut counts, mut mode) = outcome.expect("the loop runs at least once");
        let mut near_start = hits.len();
        // Few or none: the best partial matches follow, ranked by how many meaningful words
        // they match (the Relaxed query counts them), then by relevance.
        let near_wanted = total == 0 || (total < NEAR_BELOW && reading.meaningful() >= 2);
        let mut counted = false;
        if near_wanted && let Some(text) = text_for(MatchMode::Relaxed, true) {
            let q = build(Some(text), true);
            let (top, near_total, near_counts) = searcher
                .search(
                    &q,
                    &OpenOnly::new((TopDocs::with_limit(limit + hits.len()).order_by_score(), Count, facets()), gate),
                )
                .map_err(err)?;
            if near_total > total {
                let exact: std::collections::HashSet<DocAddress> = hits.iter().map(|h| h.1).collect();
                let room = limit.saturating_sub(hits.len());
                hits.extend(
                    top.into_iter()
                        .filter(|(_, a)| !exact.contains(a))
                        // Scores as relevance only: the count of words matched set the order.
                        .map(|(score, a)| (score % query::WORD_MATCHED, a))
                        .take(room),
                );
                if near_start == 0 {
                    mode = MatchMode::Relaxed;
                }
                total = near_total;
                counts = near_counts;
                counted = true;
            }
        }
        if hits.len() <= near_start {
            near_start = hits.len();
        }
        let counts = if theme_filter.is_some() {
            let text = if counted { text_for(MatchMode::Relaxed, true) } else { text_for(mode, false) };
            searcher.search(&build(text, false), &OpenOnly::new(facets(), gate)).map_err(err)?
        } else {
            counts
        };
        Ok(SearchResults {
            hits,
            total,
            theme_counts: self.ordered_counts(&counts),
            mode,
            words,
            near_start,
            reading,
            suggested_themes,
            orientation,
            searcher,
            record_field: f.record,
        })
    }

    /// Facet counts in the catalogue's theme order (tantivy returns them in byte order).
    fn ordered_counts(&self, counts: &tantivy::collector::FacetCounts) -> Vec<(String, u64)> {
        let found: std::collections::HashMap<String, u64> = counts
            .get("/")
            .map(|(facet, n)| (facet.to_path().last().map(|s| s.to_string()).unwrap_or_default(), n))
            .collect();
        self.reference.themes.iter().map(|t| (t.slug.clone(), found.get(&t.slug).copied().unwrap_or(0))).collect()
    }
}
