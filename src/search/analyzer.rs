//! The French analyzer, defined once for indexing and for queries.
//!
//! Two pipelines (docs/SEARCH.md): `fr_stem` for ranked whole-word matches, and `fr_fold` (folded,
//! unstemmed, no stop words) for the as-you-type prefix and typo matches. Accents are folded
//! *before* stemming so that "activités" and "activites" share a stem.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer, TokenizerManager,
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
        .filter(Singular)
        .filter(Stemmer::new(Language::French))
        .build()
}

pub fn fold_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Drops the plural `s` or `x` that Snowball's French stemmer keeps after a vowel, so that
/// "vélos" finds "vélo" and "jeux" finds "jeu" (Snowball leaves "velos" and "jeux" alone).
/// Words of 3 letters or fewer and "-ss" endings are kept ("bus", "cours" is fine either way).
#[derive(Clone)]
pub struct Singular;

impl TokenFilter for Singular {
    type Tokenizer<T: Tokenizer> = SingularFilter<T>;
    fn transform<T: Tokenizer>(self, tokenizer: T) -> SingularFilter<T> {
        SingularFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
pub struct SingularFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for SingularFilter<T> {
    type TokenStream<'a> = SingularStream<T::TokenStream<'a>>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        SingularStream { tail: self.inner.token_stream(text) }
    }
}

pub struct SingularStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for SingularStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let text = &mut self.tail.token_mut().text;
        if text.len() > 3 && (text.ends_with('s') && !text.ends_with("ss") || text.ends_with("ux")) {
            text.pop();
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
    fn fold_keeps_words_whole() {
        let mut a = fold_analyzer();
        assert_eq!(tokens(&mut a, "L'Épicerie du Cœur"), vec!["l", "epicerie", "du", "coeur"]);
    }
}
