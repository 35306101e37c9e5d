//! The French analyzer, defined once for indexing and for queries.
//!
//! Two pipelines (SEARCH.md): `fr_stem` for ranked whole-word matches, and `fr_fold` (folded,
//! unstemmed, no stop words) for the as-you-type prefix and typo matches. Accents are folded
//! *before* stemming so that "activités" and "activites" share a stem.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
    TokenStream, TokenizerManager,
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
        assert!(tokens(&mut a, "les des aux").is_empty());
    }

    #[test]
    fn fold_keeps_words_whole() {
        let mut a = fold_analyzer();
        assert_eq!(tokens(&mut a, "L'Épicerie du Cœur"), vec!["l", "epicerie", "du", "coeur"]);
    }
}
