//! The French analyzer, defined once for indexing and for queries.
//!
//! Two pipelines (docs/SEARCH.md): `fr_stem` for ranked whole-word matches, and `fr_fold` (folded,
//! unstemmed, no stop words) for the as-you-type prefix and typo matches. Accents are folded
//! *before* stemming so that "activités" and "activites" share a stem. Words the stemmer would
//! confuse ("français" and "France" both become "franc") are protected: listed in
//! `assets/search.toml`, they are indexed and searched as written (`FrenchStem`).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, StopWordFilter, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

pub const STEM: &str = "fr_stem";
pub const FOLD: &str = "fr_fold";

/// French stop words, already folded (tantivy's own list is accented, so it would miss
/// the folded tokens our pipeline produces).
const STOP_WORDS: &[&str] = &[
    "a", "au", "aux", "avec", "ce", "ces", "d", "dans", "de", "des", "du", "elle", "en", "et", "eux", "il", "j", "je",
    "l", "la", "le", "les", "leur", "lui", "m", "ma", "mais", "me", "meme", "mes", "moi", "mon", "n", "ne", "nos",
    "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "s", "sa", "se", "ses", "son", "sur", "t",
    "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "y", "est", "sont",
];

pub fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(STOP_WORDS.iter().map(|s| s.to_string())))
        .filter(FrenchStem { protected: PROTECTED.clone() })
        .build()
}

pub fn fold_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Protected form (folded) → the token it is indexed as, from `assets/search.toml`.
static PROTECTED: LazyLock<Arc<HashMap<String, String>>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    let mut fold = fold_analyzer();
    for (key, forms) in super::vocabulary::SearchWords::embedded().protected {
        let Some(canonical) = tokens(&mut fold, &key).into_iter().next() else { continue };
        for form in forms.iter().chain(std::iter::once(&key)) {
            if let Some(f) = tokens(&mut fold, form).into_iter().next() {
                map.insert(f, canonical.clone());
            }
        }
    }
    Arc::new(map)
});

/// Whether `folded` is a protected word (indexed as written, not stemmed).
pub fn is_protected(folded: &str) -> bool {
    PROTECTED.contains_key(folded)
}

/// The French stemmer, after two steps of ours:
/// - a protected word (`assets/search.toml`) becomes its listed form and is not stemmed, so
///   that "français" and "France", "café" and "CAF" stay apart;
/// - the plural `s` or `x` that Snowball keeps after a vowel is dropped, so that "vélos" finds
///   "vélo" and "jeux" finds "jeu" (Snowball leaves "velos" and "jeux" alone). Words of 3
///   letters or fewer and "-ss" endings are kept ("bus"; "cours" is fine either way).
///
/// Unprotected words get exactly the stems of tantivy's `Stemmer` (same Snowball crate).
#[derive(Clone)]
pub struct FrenchStem {
    protected: Arc<HashMap<String, String>>,
}

impl TokenFilter for FrenchStem {
    type Tokenizer<T: Tokenizer> = FrenchStemFilter<T>;
    fn transform<T: Tokenizer>(self, tokenizer: T) -> FrenchStemFilter<T> {
        FrenchStemFilter { inner: tokenizer, protected: self.protected }
    }
}

#[derive(Clone)]
pub struct FrenchStemFilter<T> {
    inner: T,
    protected: Arc<HashMap<String, String>>,
}

impl<T: Tokenizer> Tokenizer for FrenchStemFilter<T> {
    type TokenStream<'a> = FrenchStemStream<'a, T::TokenStream<'a>>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FrenchStemStream {
            tail: self.inner.token_stream(text),
            protected: &self.protected,
            stemmer: frostem::Stemmer::new(frostem::Algorithm::French),
        }
    }
}

pub struct FrenchStemStream<'a, T> {
    tail: T,
    protected: &'a HashMap<String, String>,
    stemmer: frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for FrenchStemStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let text = &mut self.tail.token_mut().text;
        if let Some(kept) = self.protected.get(text.as_str()) {
            text.clone_from(kept);
            return true;
        }
        if text.len() > 3 && (text.ends_with('s') && !text.ends_with("ss") || text.ends_with("ux")) {
            text.pop();
        }
        let stemmed = match self.stemmer.stem(text) {
            std::borrow::Cow::Owned(s) => Some(s),
            std::borrow::Cow::Borrowed(s) if s != text.as_str() => Some(s.to_string()),
            std::borrow::Cow::Borrowed(_) => None,
        };
        if let Some(stemmed) = stemmed {
            *text = stemmed;
        }
        true
    }
    fn token(&self) -> &Token {
        self.tail.token()
    }
    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Tokenizers are not stored in an index: this must run every time one is opened.
pub fn register(manager: &TokenizerManager) {
    manager.register(STEM, stem_analyzer());
    manager.register(FOLD, fold_analyzer());
}

/// The tokens `analyzer` makes of `text`.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

pub fn is_stop_word(folded: &str) -> bool {
    STOP_WORDS.contains(&folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_before_stemming() {
        let mut a = stem_analyzer();
        assert_eq!(tokens(&mut a, "activités"), tokens(&mut a, "activites"));
        assert_eq!(tokens(&mut a, "Vélos"), tokens(&mut a, "velo"));
        assert_eq!(tokens(&mut a, "jeux"), tokens(&mut a, "jeu"));
        assert_eq!(tokens(&mut a, "jardins partagés"), tokens(&mut a, "jardin partagé"));
        assert!(tokens(&mut a, "les des aux").is_empty());
    }

    #[test]
    fn protected_words_are_not_stemmed() {
        let mut a = stem_analyzer();
        let one = |a: &mut TextAnalyzer, w: &str| tokens(a, w).join(" ");
        assert_ne!(one(&mut a, "français"), one(&mut a, "France"));
        assert_eq!(one(&mut a, "français"), one(&mut a, "françaises"));
        assert_ne!(one(&mut a, "café"), one(&mut a, "CAF"));
        assert_eq!(one(&mut a, "cafés"), one(&mut a, "Café"));
        // Everything else as tantivy's own stemmer does it.
        assert_eq!(one(&mut a, "logements"), "log");
        assert_eq!(one(&mut a, "115 92000"), "115 92000");
    }

    #[test]
    fn fold_keeps_words_whole() {
        let mut a = fold_analyzer();
        assert_eq!(tokens(&mut a, "L'Épicerie du Cœur"), vec!["l", "epicerie", "du", "coeur"]);
    }
}
