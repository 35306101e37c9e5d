//! Fitting untrusted text into cells: display width, truncation and wrapping by grapheme
//! (never splitting "é" or an emoji), and highlighting of the words a visitor typed.

use ratatui::style::Style;
use ratatui::text::Span;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::text::fold;

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// The longest prefix of `s` that fits in `max` columns, with `ellipsis` when cut.
pub fn truncate(s: &str, max: usize, ellipsis: &str) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let room = max.saturating_sub(width(ellipsis));
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = width(g);
        if used + w > room {
            break;
        }
        used += w;
        out.push_str(g);
    }
    if width(ellipsis) <= max {
        out.push_str(ellipsis);
    }
    out
}

/// The end of `s` in at most `max` columns, `ellipsis` in front when the start was cut: a
/// field being typed into keeps its last letters (and the cursor after them) in view.
pub fn tail(s: &str, max: usize, ellipsis: &str) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let room = max.saturating_sub(width(ellipsis));
    let mut kept: Vec<&str> = Vec::new();
    let mut used = 0;
    for g in s.graphemes(true).rev() {
        let w = width(g);
        if used + w > room {
            break;
        }
        used += w;
        kept.push(g);
    }
    let mut out = if width(ellipsis) <= max { ellipsis.to_string() } else { String::new() };
    out.extend(kept.into_iter().rev());
    out
}

/// Word-wraps `s` into lines of at most `max` columns; words longer than a line are cut by
/// grapheme. Paragraph breaks (`\n`) are kept as empty lines.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for (n, paragraph) in s.split('\n').enumerate() {
        if n > 0 && paragraph.is_empty() {
            lines.push(String::new());
            continue;
        }
        let mut line = String::new();
        for word in words(paragraph) {
            let needed = if line.is_empty() { width(word) } else { width(&line) + 1 + width(word) };
            if needed <= max {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line: cut it by grapheme.
            for g in word.graphemes(true) {
                if width(g) > max {
                    continue; // wider than the whole line (an emoji in one column): not drawable
                }
                if width(&line) + width(g) > max && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                line.push_str(g);
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

/// The words of a paragraph: split at spaces that are graphemes of their own. A space that
/// carries a mark (" ꢴ": a spacing mark after a space is one grapheme) is part of a word, so
/// that wrapping never leaves the mark alone on the next line.
fn words(paragraph: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut cuts = paragraph
        .grapheme_indices(true)
        .filter(|&(_, g)| g == " ")
        .map(|(i, _)| i)
        .chain(std::iter::once(paragraph.len()));
    std::iter::from_fn(move || {
        for cut in cuts.by_ref() {
            let word = &paragraph[start..cut];
            start = (cut + 1).min(paragraph.len());
            if !word.is_empty() {
                return Some(word);
            }
        }
        None
    })
}

/// Replaces the arrows and typographic symbols a Linux console font may lack by ASCII
/// (used for key names and hints in ASCII mode, as gitui's `keys/symbols.rs` does).
pub fn ascii_symbols(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '↑' => out.push('^'),
            '↓' => out.push('v'),
            '←' => out.push('<'),
            '→' | '›' | '▶' => out.push('>'),
            '…' => out.push_str("..."),
            '—' | '–' => out.push('-'),
            '•' => out.push('*'),
            '·' => out.push('|'),
            c => out.push(c),
        }
    }
    out
}

/// Splits `s` into spans, with `hit` style on every word that starts with one of the folded
/// query `words` (so prefixes typed so far light up too).
pub fn highlight<'a>(s: &'a str, words: &[String], base: Style, hit: Style) -> Vec<Span<'a>> {
    if words.is_empty() {
        return vec![Span::styled(s, base)];
    }
    let mut spans = Vec::new();
    let mut plain_start = 0;
    for (start, word) in s.split_word_bound_indices() {
        let folded = fold(word);
        let is_word = word.chars().any(char::is_alphanumeric);
        if is_word && words.iter().any(|w| !w.is_empty() && folded.starts_with(w.as_str())) {
            if plain_start < start {
                spans.push(Span::styled(&s[plain_start..start], base));
            }
            spans.push(Span::styled(&s[start..start + word.len()], hit));
            plain_start = start + word.len();
        }
    }
    if plain_start < s.len() {
        spans.push(Span::styled(&s[plain_start..], base));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_keeps_the_last_letters_in_view() {
        assert_eq!(tail("velo", 10, "…"), "velo");
        assert_eq!(tail("je cherche un vélo", 8, "…"), "…un vélo");
        assert_eq!(tail("ab🌞", 2, ""), "🌞");
        assert!(width(&tail(&"x".repeat(500), 40, "…")) <= 40);
    }

    #[test]
    fn truncates_by_grapheme() {
        assert_eq!(truncate("épicerie", 5, "…"), "épic…");
        assert_eq!(truncate("a🌞b", 2, ""), "a");
        assert_eq!(truncate("court", 10, "…"), "court");
        assert_eq!(truncate("abc", 0, "…"), "");
    }

    #[test]
    fn wraps_without_splitting_graphemes() {
        assert_eq!(wrap("a🌞b", 2), vec!["a", "🌞", "b"]);
        assert_eq!(wrap("un deux trois", 7), vec!["un deux", "trois"]);
        assert_eq!(wrap("p1\n\np2", 10), vec!["p1", "", "p2"]);
        for line in wrap("anticonstitutionnellement", 4) {
            assert!(width(&line) <= 4);
        }
        // Found by proptest: " ꢴ" (space + spacing mark) is one grapheme, not a word break.
        assert_eq!(wrap("ab \u{a8b4}c", 2), vec!["ab", " \u{a8b4}", "c"]);
        assert_eq!(wrap("  un   deux ", 20), vec!["un deux"]);
    }

    #[test]
    fn highlights_prefixes_accent_blind() {
        let base = Style::default();
        let hit = Style::default().add_modifier(ratatui::style::Modifier::BOLD);
        let spans = highlight("Épicerie solidaire", &["epic".to_string()], base, hit);
        assert_eq!(spans[0].content, "Épicerie");
        assert_eq!(spans[0].style, hit);
        assert_eq!(spans[1].content, " solidaire");
    }
}
