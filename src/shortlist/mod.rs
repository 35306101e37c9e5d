//! What staff hand to the person in front of them: a shortlist of initiatives as a plain-text
//! page, a printable HTML page or a narrow kiosk ticket, and the ways to get it out of the
//! terminal (a print command, a file, the staff member's own clipboard through OSC 52).
//!
//! Pure functions, no UI: the Shortlist screen (src/ui) calls them. Catalogue text is
//! untrusted, so every field goes through [`sanitize_line`] here, before it reaches a page, a
//! printer or a terminal; the HTML page is escaped on top of that. Nothing about the visitor
//! is ever written: only catalogue data and the date.
//!
//! One file per job: [`page`] (the text page and the ticket), [`html`], [`print`] (the
//! print command, with its timeout), [`clipboard`] (OSC 52) and [`file`] (writing a page).

mod clipboard;
mod file;
mod html;
mod page;
mod print;

use std::path::PathBuf;

pub use clipboard::{OSC52_MAX, base64, osc52};
pub use file::{MAX_NAME, NameError, checked_name, default_name, write_file};
pub use html::{html_escape, to_html};
pub use page::{date_in_words, ticket, to_text};
pub use print::{PRINT_TIMEOUT, print, print_with_timeout};
/// Width of the plain-text page: fits any terminal and an A4 page in a monospace font.
pub const PAGE_WIDTH: usize = 72;
/// Width of a kiosk ticket (58 mm thermal printers print 32–42 columns).
pub const TICKET_WIDTH: usize = 40;

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("cannot start the print command `{command}`: {source}")]
    Spawn { command: String, source: std::io::Error },
    #[error("the print command `{command}` failed ({status}): {stderr}")]
    Failed { command: String, status: String, stderr: String },
    #[error("the print command `{command}` did not finish within {seconds} s and was stopped")]
    TimedOut { command: String, seconds: u64 },
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{0}")]
    Name(NameError),
    #[error("the text is too long to copy through the terminal ({size} bytes, at most {OSC52_MAX})")]
    TooLarge { size: usize },
}

/// Which page [`write_file`] writes; it decides the default file name's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Strings;
    use crate::text::fit::wrap;
    use chrono::NaiveDate;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), enc);
        }
    }

    #[test]
    fn wrap_never_exceeds_the_width() {
        let text = "Une phrase assez longue avec https://www.exemple.fr/un/chemin/tres/long/qui/depasse et des mots.";
        for w in [10, 20, 40] {
            let lines = wrap(text, w);
            assert!(lines.iter().all(|l| l.width() <= w), "{lines:?}");
            assert_eq!(lines.join("").replace(' ', ""), text.replace(' ', ""));
        }
    }

    #[test]
    fn dates_in_words() {
        let (fr, en) = (Strings::load("fr"), Strings::load("en"));
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert_eq!(date_in_words(day(11, 29), &fr), "29 novembre 2026");
        assert_eq!(date_in_words(day(12, 1), &fr), "1er décembre 2026");
        assert_eq!(date_in_words(day(8, 15), &fr), "15 août 2026");
        assert_eq!(date_in_words(day(12, 1), &en), "1 December 2026");
        assert_eq!(date_in_words(day(1, 31), &en), "31 January 2026");
    }

    #[test]
    fn html_escapes_everything() {
        assert_eq!(html_escape("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
    }
}
