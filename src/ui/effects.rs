//! The kiosk's few ways out to the world — a file, a printer, the staff member's clipboard —
//! carried out for the [`Effect`]s that `App::update` asks for (on the worker thread, but for
//! the copy, which is a terminal write). Each returns the message
//! to show and, when it worked, what to count in the usage figures.

use std::io::Write;

use chrono::NaiveDateTime;

use super::command::Effect;
use crate::catalogue::Reference;
use crate::i18n::Strings;
use crate::shortlist::{self, Format};
use crate::usage;

/// What the effects need from the configuration and the moment.
pub struct Context<'a> {
    pub print_command: Option<&'a str>,
    pub reference: &'a Reference,
    pub strings: &'a Strings,
    pub now: NaiveDateTime,
    /// How theme signs are written on pages and tickets: as the session's screen shows them.
    pub signs: crate::pictogram::Signs,
}

/// Runs one effect. `terminal` receives the OSC 52 sequence of a copy (the real terminal in
/// the loop; a buffer in tests).
pub fn run(effect: &Effect, cx: &Context, terminal: &mut dyn Write) -> (Result<String, String>, Option<usage::Event>) {
    let s = cx.strings;
    let date = cx.now.date();
    let failed = |e: &dyn std::fmt::Display| Err(s.fmt("shortlist.failed", &[("error", &e.to_string())]));
    match effect {
        Effect::Export { html, dir, name, items } => {
            let (format, contents) = if *html {
                (Format::Html, shortlist::to_html(items, cx.reference, date, s))
            } else {
                (Format::Text, shortlist::to_text(items, cx.reference, date, s, cx.signs))
            };
            match shortlist::write_file(dir, name, &contents, format) {
                Ok(written) => (
                    Ok(s.fmt("shortlist.saved", &[("path", &written.display().to_string())])),
                    Some(usage::Event::ShortlistExported),
                ),
                Err(e) => (failed(&e), None),
            }
        }
        Effect::PrintList(items) => match cx.print_command {
            Some(cmd) => match shortlist::print(cmd, &shortlist::to_text(items, cx.reference, date, s, cx.signs)) {
                Ok(()) => (Ok(s.get("shortlist.printed").to_string()), Some(usage::Event::ShortlistExported)),
                Err(e) => (failed(&e), None),
            },
            None => (Err(s.get("shortlist.no_printer").to_string()), None),
        },
        Effect::PrintTicket(item) => match cx.print_command {
            Some(cmd) => match shortlist::print(cmd, &shortlist::ticket(item, cx.reference, date, s, cx.signs)) {
                Ok(()) => (Ok(s.get("shortlist.ticket_printed").to_string()), Some(usage::Event::TicketPrinted)),
                Err(e) => (failed(&e), None),
            },
            None => (Err(s.get("shortlist.no_printer").to_string()), None),
        },
        Effect::Copy(items) => {
            let text = shortlist::to_text(items, cx.reference, date, s, cx.signs);
            match shortlist::osc52(&text).map_err(|e| e.to_string()).and_then(|seq| {
                terminal.write_all(seq.as_bytes()).and_then(|_| terminal.flush()).map_err(|e| e.to_string())
            }) {
                Ok(()) => (Ok(s.get("shortlist.copied").to_string()), Some(usage::Event::ShortlistExported)),
                Err(e) => (failed(&e), None),
            }
        }
    }
}
