//! Removal of everything in untrusted text that could act on a terminal or fool a reader.
//!
//! We strip, rather than escape: a visitor must never see `\x1b[31m`, and a catalogue entry
//! must never be able to retitle the window, write to the clipboard (OSC 52), reorder text
//! (bidi overrides, as in "Trojan Source") or hide words (zero-width characters). Modelled on
//! fd's `sanitize.rs`, with two additions: escape *sequences* are removed whole (not only their
//! ESC byte, which would leave `[31m` behind), and runs of combining marks are capped so that a
//! "Zalgo" flood cannot smear over neighbouring cells.

/// How many combining marks one base character may carry. Real French needs one (é written
/// as e + U+0301); Vietnamese needs two. Four leaves room and stops floods.
const MAX_COMBINING: usize = 4;

/// Cleans a multi-line text (a description): paragraph breaks are kept as `\n\n`, single
/// line breaks inside a paragraph become spaces, and each line is cleaned as by
/// [`sanitize_line`].
pub fn sanitize_text(input: &str) -> String {
    let stripped = strip(input, true);
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in stripped.split('\n') {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(squeeze(&current.join(" ")));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(squeeze(&current.join(" ")));
    }
    paragraphs.join("\n\n")
}

/// Cleans a one-line value (a name, a summary, an address): no line breaks, no controls,
/// runs of white space folded to one space, trimmed.
pub fn sanitize_line(input: &str) -> String {
    squeeze(&strip(input, false))
}

/// Makes any string safe to print to a terminal *without* changing its layout: used for CLI
/// output and error messages that may quote hostile input (a file name, a bad cell). Escape
/// sequences and controls are removed; newlines are kept only if `keep_newlines`.
pub fn terminal_safe(input: &str) -> String {
    strip(input, true)
}

/// Decodes bytes that should be UTF-8 without losing a row to one bad byte: invalid sequences
/// become U+FFFD (removed by sanitising), except a lone byte 0x80–0x9F, which becomes the C1
/// control of the same number — what an 8-bit terminal would take it for — so that sanitising
/// removes a raw 8-bit escape sequence (`0x9D … 0x9C`) whole, payload included.
pub fn decode_lossy(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        let invalid = chunk.invalid();
        if let [b @ 0x80..=0x9f] = invalid {
            out.push(char::from(*b));
        } else if !invalid.is_empty() {
            out.push('\u{fffd}');
        }
    }
    out
}

/// Whether `c` must never reach a terminal on its own: a control character, or one of the
/// invisible or reordering characters [`sanitize_line`] removes. For input that arrives one
/// character at a time (keys, pastes into the search line).
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control() || is_removed(c)
}

fn squeeze(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// The core pass. `keep_newlines` keeps `\n` (and turns `\r\n`/`\r` into `\n`); every other
/// control character is dropped, tabs become spaces.
fn strip(input: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    let mut combining = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => while skip_escape(&mut chars) {},
            // C1 CSI, OSC, DCS, SOS, PM, APC: 8-bit forms of the same sequences.
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => {
                if skip_string(&mut chars) {
                    while skip_escape(&mut chars) {}
                }
            }
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push(if keep_newlines { '\n' } else { ' ' });
                }
                combining = 0;
            }
            '\n' => {
                out.push(if keep_newlines { '\n' } else { ' ' });
                combining = 0;
            }
            '\t' => {
                out.push(' ');
                combining = 0;
            }
            c if is_removed(c) => {}
            c if is_combining(c) => {
                // A mark with nothing to sit on (start of text, or white space, which
                // squeezing may remove later) is dropped too: sanitising twice equals once.
                if combining < MAX_COMBINING && !out.is_empty() && !out.ends_with(char::is_whitespace) {
                    out.push(c);
                }
                combining += 1;
            }
            c => {
                out.push(c);
                combining = 0;
            }
        }
    }
    out
}

/// Characters that are never kept: C0/C1 controls (but the white space handled above), DEL,
/// bidi embeddings/overrides/isolates and marks, zero-width characters, BOM, the interlinear
/// annotation controls, and the replacement character left by invalid UTF-8.
fn is_removed(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{200b}'..='\u{200f}'   // zero-width space/joiners, LRM, RLM
        | '\u{202a}'..='\u{202e}'   // LRE, RLE, PDF, LRO, RLO
        | '\u{2060}'..='\u{2064}'   // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}'   // LRI, RLI, FSI, PDI
        | '\u{206a}'..='\u{206f}'   // deprecated format characters
        | '\u{061c}'                // Arabic letter mark
        | '\u{feff}'                // BOM / zero-width no-break space
        | '\u{fff9}'..='\u{fffb}'   // interlinear annotations
        | '\u{fffd}'                // replacement character
        | '\u{00ad}'                // soft hyphen: invisible, splits words for search
    )
}

/// Combining marks (the blocks real text uses; enough to bound floods).
fn is_combining(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036f}'
        | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}'
        | '\u{20d0}'..='\u{20ff}'
        | '\u{fe20}'..='\u{fe2f}'
    )
}

/// After ESC: CSI (`[`), OSC (`]`) and the other string sequences, or a two-byte escape.
/// Returns true when another escape sequence begins right after (see [`skip_string`]).
fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> bool {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            return skip_string(chars);
        }
        Some(c) if ('\u{20}'..='\u{7e}').contains(c) => {
            // Two-character escape (ESC c, ESC 7, ESC ( B …): intermediates then a final byte.
            // Anything outside printable ASCII ends it *unconsumed*, as in a terminal: a
            // second ESC starts a new sequence, which the caller must see to remove it whole
            // (`ESC SP ESC ]0;title BEL` would otherwise leave `]0;title` behind).
            while let Some(&c) = chars.peek() {
                if !('\u{20}'..='\u{7e}').contains(&c) {
                    break;
                }
                chars.next();
                if !('\u{20}'..='\u{2f}').contains(&c) {
                    break;
                }
            }
        }
        _ => {}
    }
    false
}

/// A CSI sequence: parameter and intermediate bytes up to a final byte in `@`..`~`. A
/// character outside printable ASCII cuts it short and is left for the caller (an ESC there
/// starts the next sequence, a control is dropped, other text is kept).
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(&c) = chars.peek() {
        if !('\u{20}'..='\u{7e}').contains(&c) {
            break;
        }
        chars.next();
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
    }
}

/// A string sequence (OSC, DCS…): up to BEL, ST (ESC \) or C1 ST. An unterminated one eats
/// the rest of the line, which is what a terminal would have done with it. Returns true when
/// it was cut short by an ESC that begins another sequence (already consumed), so that the
/// caller skips that one too — in a loop, not by recursion, so no input can overflow the stack.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> bool {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' | '\n' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                    return false;
                }
                // ESC not followed by `\` aborts the string and begins a new sequence.
                return true;
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_escape_sequences_whole() {
        assert_eq!(sanitize_line("a\x1b[31mrouge\x1b[0m b"), "arouge b");
        assert_eq!(sanitize_line("x\x1b]0;pwned\x07y"), "xy");
        assert_eq!(sanitize_line("x\x1b]52;c;ZWNobw==\x1b\\y"), "xy");
        assert_eq!(sanitize_line("x\u{9b}2Jy"), "xy");
        assert_eq!(sanitize_line("x\u{9d}0;t\u{9c}y"), "xy");
        assert_eq!(sanitize_line("\x1bcreset"), "reset");
    }

    #[test]
    fn an_escape_inside_a_sequence_starts_the_next_one() {
        // Found by proptest in CI: the first sequence swallowed the second one's ESC.
        assert_eq!(sanitize_line("a\x1b \x1b]0;PWNED\x07b"), "ab");
        assert_eq!(sanitize_line("a\x1b[1\x1b]0;PWNED\x07b"), "ab");
        assert_eq!(sanitize_line("a\x1b]0;x\x1b]0;PWNED\x07b"), "ab");
        assert_eq!(sanitize_line("a\x1b[1\x1b[31mb"), "ab");
        assert_eq!(sanitize_line("a\x1b[1é"), "aé");
        // A long chain of aborted strings is skipped in a loop: no stack overflow.
        let chain = format!("a{}b", "\x1b]0;x".repeat(200_000));
        assert_eq!(sanitize_line(&chain), "a");
        assert_eq!(sanitize_line("a\u{9d}0;x\x1b]0;y\x07b"), "ab");
    }

    #[test]
    fn removes_controls_bidi_and_invisibles() {
        assert_eq!(sanitize_line("a\0b\x07c\x7fd"), "abcd");
        assert_eq!(sanitize_line("abc\u{202e}fed"), "abcfed");
        assert_eq!(sanitize_line("zé\u{200b}ro\u{feff}"), "zéro");
        assert_eq!(sanitize_line("tab\there"), "tab here");
    }

    #[test]
    fn caps_combining_floods_but_keeps_real_accents() {
        let e_acute = "e\u{301}";
        assert_eq!(sanitize_line(e_acute), e_acute);
        let flood = format!("a{}b", "\u{301}".repeat(500));
        let clean = sanitize_line(&flood);
        assert_eq!(clean.chars().count(), 2 + MAX_COMBINING);
        assert!(clean.ends_with('b'));
    }

    #[test]
    fn text_keeps_paragraphs_only() {
        let raw = "Première ligne\r\nsuite.\r\n\r\n\r\nSecond   paragraphe.\n";
        assert_eq!(sanitize_text(raw), "Première ligne suite.\n\nSecond paragraphe.");
    }

    #[test]
    fn raw_c1_bytes_are_controls() {
        let raw = b"a\x9d0;PWNED\x9cb caf\xe9 \xff";
        assert_eq!(sanitize_line(&decode_lossy(raw)), "ab caf");
        assert_eq!(decode_lossy("é🌞".as_bytes()), "é🌞");
    }

    #[test]
    fn sanitising_twice_equals_once() {
        for s in ["a\x1b[1mb", "é\u{301}\u{301}\u{301}\u{301}\u{301}x", "\u{9b}\u{9d}", "a\r\rb", " \u{301}\u{301}x"] {
            let once = sanitize_text(s);
            assert_eq!(sanitize_text(&once), once);
            let line = sanitize_line(s);
            assert_eq!(sanitize_line(&line), line);
        }
    }
}
