//! The printable HTML page: the same cards as the text page, escaped on top of sanitised.

use chrono::NaiveDate;

use super::page::{Card, date_in_words};
use crate::catalogue::{Initiative, Reference};
use crate::i18n::Strings;

/// Escapes text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const PRINT_CSS: &str =
    "body{font-family:system-ui,sans-serif;max-width:42em;margin:2em auto;line-height:1.4;color:#000}
h1{font-size:1.3em;margin-bottom:0}
p.date{margin-top:.2em;color:#333}
section{border-top:1px solid #888;padding:.4em 0;break-inside:avoid;page-break-inside:avoid}
h2{font-size:1.1em;margin:.3em 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;margin:.3em 0}
dt{font-weight:bold}dd{margin:0}
ul.hours{list-style:none;padding:0;margin:0}
footer{border-top:1px solid #888;font-size:.9em;margin-top:1em}
@media print{body{margin:0;max-width:none;font-size:11pt}a{color:#000;text-decoration:none}@page{margin:15mm}}";

/// The shortlist as a standalone printable HTML page (no scripts, no external resources,
/// a print style sheet). Every value is sanitised, then HTML-escaped.
pub fn to_html(items: &[Initiative], reference: &Reference, date: NaiveDate, strings: &Strings) -> String {
    let s = strings;
    let mut h = String::new();
    let title = s.fmt("page.prepared", &[("date", &date_in_words(date, s))]);
    let lang = html_escape(&s.lang);
    h.push_str(&format!("<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n"));
    h.push_str(&format!("<title>{}</title>\n<style>\n{PRINT_CSS}\n</style>\n</head>\n<body>\n", html_escape(&title)));
    h.push_str(&format!(
        "<h1>{}</h1>\n<p class=\"date\">{}</p>\n",
        html_escape(s.get("page.title")),
        html_escape(&title)
    ));
    for item in items {
        // A browser draws every sign: the Unicode ones, whatever the session's terminal.
        let c = Card::new(item, reference, date, s, crate::pictogram::Signs::Unicode);
        h.push_str(&format!("<section>\n<h2>{}</h2>\n", html_escape(&c.name)));
        if !c.themes.is_empty() {
            h.push_str(&format!("<p class=\"themes\">{}</p>\n", html_escape(&c.themes)));
        }
        if !c.summary.is_empty() {
            h.push_str(&format!("<p>{}</p>\n", html_escape(&c.summary)));
        }
        h.push_str("<dl>\n");
        let dt = |key: &str| format!("<dt>{}</dt>", html_escape(s.get(key)));
        h.push_str(&format!("{}<dd>{}</dd>\n", dt("page.address"), html_escape(&c.place)));
        if c.hours.len() > 1 {
            h.push_str(&format!("{}<dd><ul class=\"hours\">", dt("page.hours")));
            for l in &c.hours {
                h.push_str(&format!("<li>{}</li>", html_escape(l)));
            }
            h.push_str("</ul></dd>\n");
        } else if let Some(l) = c.hours.first() {
            h.push_str(&format!("{}<dd>{}</dd>\n", dt("page.hours"), html_escape(l)));
        }
        if !c.phone.is_empty() {
            h.push_str(&format!("{}<dd>{}</dd>\n", dt("page.phone"), html_escape(&c.phone)));
        }
        if !c.email.is_empty() {
            h.push_str(&format!("{}<dd>{}</dd>\n", dt("page.email"), html_escape(&c.email)));
        }
        // The card holds only a checked http(s) address (no `javascript:`, no quote to leave
        // the attribute), and it is escaped all the same.
        if !c.website.is_empty() {
            let w = html_escape(&c.website);
            h.push_str(&format!("{}<dd><a href=\"{w}\">{w}</a></dd>\n", dt("page.website")));
        }
        h.push_str("</dl>\n</section>\n");
    }
    h.push_str(&format!("<footer>{}</footer>\n</body>\n</html>\n", html_escape(s.get("page.footer"))));
    h
}
