//! The "ouvert" filter inside the search: a collector wrapper that lets through only the
//! documents whose hours key ([`crate::mark::hours_key`], a fast column) passes a test.
//!
//! Why inside: filtering the hits *after* the search could only examine a bounded number of
//! them (the first thousands by relevance), so on a national-sized catalogue a broad query
//! lost open initiatives beyond that bound, in the list and in the counts. Here every match is
//! tested as tantivy visits it, at the cost of one column read and one table lookup per match;
//! the opening hours themselves are evaluated once per distinct key, not per document.

use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::schema;

/// For one searcher, per segment (by ordinal): the hours column and, per term ordinal of that
/// column, whether a document with that key passes. Computed per search, from each segment's
/// dictionary of distinct keys.
pub struct Passes(Vec<Option<SegmentPasses>>);

/// One segment's part of [`Passes`].
#[derive(Clone)]
struct SegmentPasses {
    /// Per document, the term ordinal of its hours key.
    ords: Column<u64>,
    /// Per term ordinal, whether the key passes.
    table: Arc<[bool]>,
}

impl Passes {
    /// Asks `test` once about each distinct hours key of each segment of `searcher`.
    pub fn evaluate(searcher: &Searcher, test: &mut dyn FnMut(&str) -> bool) -> tantivy::Result<Passes> {
        let mut segments = Vec::with_capacity(searcher.segment_readers().len());
        for reader in searcher.segment_readers() {
            let Some(column) = reader.fast_fields().str(schema::HOURS)? else {
                segments.push(None);
                continue;
            };
            let mut passes = vec![false; column.num_terms()];
            let mut terms = column.dictionary().stream()?;
            while terms.advance() {
                let pass = std::str::from_utf8(terms.key()).is_ok_and(&mut *test);
                if let Some(slot) = usize::try_from(terms.term_ord()).ok().and_then(|o| passes.get_mut(o)) {
                    *slot = pass;
                }
            }
            segments.push(Some(SegmentPasses { ords: column.ords().clone(), table: passes.into() }));
        }
        Ok(Passes(segments))
    }
}

/// Wraps `inner` so that it only sees the documents that pass (all of them when `passes` is
/// `None`: no filter).
pub struct OpenOnly<'a, C> {
    inner: C,
    passes: Option<&'a Passes>,
}

impl<'a, C> OpenOnly<'a, C> {
    pub fn new(inner: C, passes: Option<&'a Passes>) -> Self {
        OpenOnly { inner, passes }
    }
}

impl<C: Collector> Collector for OpenOnly<'_, C> {
    type Fruit = C::Fruit;
    type Child = OpenOnlySegment<C::Child>;

    fn check_schema(&self, schema: &tantivy::schema::Schema) -> tantivy::Result<()> {
        self.inner.check_schema(schema)
    }

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<Self::Child> {
        let gate = match self.passes {
            None => Gate::All,
            Some(passes) => match passes.0.get(segment as usize) {
                Some(Some(segment)) => Gate::Table(segment.clone()),
                // A segment without hours keys: nothing in it can be said to be open.
                _ => Gate::Nothing,
            },
        };
        Ok(OpenOnlySegment { inner: self.inner.for_segment(segment, reader)?, gate })
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(&self, fruits: Vec<<Self::Child as SegmentCollector>::Fruit>) -> tantivy::Result<Self::Fruit> {
        self.inner.merge_fruits(fruits)
    }
}

enum Gate {
    All,
    Nothing,
    Table(SegmentPasses),
}

impl Gate {
    fn passes(&self, doc: DocId) -> bool {
        match self {
            Gate::All => true,
            Gate::Nothing => false,
            Gate::Table(s) => {
                s.ords.first(doc).and_then(|o| usize::try_from(o).ok()).and_then(|o| s.table.get(o).copied())
                    == Some(true)
            }
        }
    }
}

pub struct OpenOnlySegment<S> {
    inner: S,
    gate: Gate,
}

impl<S: SegmentCollector> SegmentCollector for OpenOnlySegment<S> {
    type Fruit = S::Fruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.gate.passes(doc) {
            self.inner.collect(doc, score);
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        match self.gate {
            Gate::All => self.inner.collect_block(docs),
            _ => {
                for &doc in docs {
                    self.collect(doc, 0.0);
                }
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.inner.harvest()
    }
}
