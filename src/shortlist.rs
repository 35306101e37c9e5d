//! What staff hand to the person in front of them: a shortlist of initiatives as a plain-text
//! page, a printable HTML page or a narrow kiosk ticket, and the ways to get it out of the
//! terminal (a print command, a file, the staff member's own clipboard through OSC 52).
//!
//! Pure functions, no UI: the Shortlist screen (src/ui) calls them. Catalogue text is
//! untrusted, so every field goes through [`sanitize_line`] here, before it reaches a page, a
//! printer or a terminal; the HTML page is escaped on top of that. Nothing about the visitor
//! is ever written: only catalogue data and the date.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use unicode_width::UnicodeWidthStr;

use crate::catalogue::{Initiative, Reference};
use crate::hours;
use crate::i18n::Strings;
use crate::text::sanitize_line;
// A word longer than the line (a long URL) is cut by grapheme: a page is no wider than its paper.
use crate::text::fit::wrap;

/// Width of the plain-text page: fits any terminal and an A4 page in a monospace font.
pub const PAGE_WIDTH: usize = 72;
/// Width of a kiosk ticket (58 mm thermal printers print 32–42 columns).
pub const TICKET_WIDTH: usize = 40;
/// How long a print command may run before it is killed: a printer that hangs must not hang
/// the staff member's session.
pub const PRINT_TIMEOUT: Duration = Duration::from_secs(20);
/// The largest OSC 52 sequence sent: terminals drop (or choke on) longer ones; xterm's default
/// limit is about 100 kB.
pub const OSC52_MAX: usize = 100_000;
/// How much of a print command's standard error is kept for the message.
const STDERR_KEPT: usize = 2_000;

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
    #[error("the text is too long to copy through the terminal ({size} bytes, at most {OSC52_MAX})")]
    TooLarge { size: usize },
}

/// Which page [`write_file`] writes; it decides the default file name's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
}

const DAY_KEYS: [&str; 7] = ["days.mo", "days.tu", "days.we", "days.th", "days.fr", "days.sa", "days.su"];

/// "29 novembre 2026", "1er décembre 2026" (French writes the first of the month so),
/// "29 November 2026": the date in words, in the language of `strings`.
pub fn date_in_words(date: NaiveDate, strings: &Strings) -> String {
    let months: Vec<&str> = strings.get("page.months").split(',').map(str::trim).collect();
    let month = months.get(date.month0() as usize).copied().unwrap_or("");
    let day = if date.day() == 1 { strings.get("page.first_day").to_string() } else { date.day().to_string() };
    strings.fmt("page.date", &[("day", &day), ("month", month), ("year", &date.year().to_string())])
}

/// "Adresse : " — a label as a text page writes it.
fn label(strings: &Strings, key: &str) -> String {
    format!("{}{}", strings.get(key), strings.get("app.colon"))
}

/// One initiative, cleaned for display: every field sanitised once, here.
struct Card {
    name: String,
    summary: String,
    place: String,
    hours: Vec<String>,
    phone: String,
    website: String,
    email: String,
}

impl Card {
    fn new(item: &Initiative, reference: &Reference, date: NaiveDate, strings: &Strings) -> Card {
        Card {
            name: sanitize_line(&item.name),
            summary: sanitize_line(&item.summary),
            place: place(item, reference, strings),
            hours: hours_lines(&item.opening_hours, date, strings),
            phone: sanitize_line(&item.phone),
            website: sanitize_line(&item.website),
            email: sanitize_line(&item.email),
        }
    }
}

/// "13 place Charles-de-Gaulle, 92210 Saint-Cloud", "En ligne", "Tout le département".
fn place(item: &Initiative, reference: &Reference, strings: &Strings) -> String {
    let commune = reference.commune_by_code(&item.commune);
    let name = commune.map(|c| c.name.clone()).unwrap_or_else(|| item.commune.clone());
    let postcode = if item.postcode.is_empty() {
        commune.map(|c| c.postcode.clone()).unwrap_or_default()
    } else {
        item.postcode.clone()
    };
    let town = [postcode, name].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ");
    let line = [item.address.clone(), town].into_iter().filter(|s| !s.trim().is_empty()).collect::<Vec<_>>().join(", ");
    let line = sanitize_line(&line);
    match (line.is_empty(), item.online) {
        (true, true) => strings.get("page.online").to_string(),
        (true, false) => strings.get("page.everywhere").to_string(),
        (false, true) => format!("{line} {}", strings.get("page.also_online")),
        (false, false) => line,
    }
}

/// The next seven days from `date`, one line each ("Mardi    01/12  14:30–17:00"), when
/// the hours parse; else the raw text as written. A list is read in the days after it is
/// printed, so it shows those days (public holidays included), not an abstract week.
fn hours_lines(raw: &str, date: NaiveDate, strings: &Strings) -> Vec<String> {
    let raw_clean = sanitize_line(raw);
    if raw_clean.is_empty() {
        return Vec::new();
    }
    let (Some(this), Some(next)) =
        (hours::week_table(raw, date), hours::week_table(raw, date + chrono::Duration::days(7)))
    else {
        return vec![raw_clean];
    };
    let days: Vec<&str> = DAY_KEYS.iter().map(|k| strings.get(k)).collect();
    let pad = days.iter().map(|d| d.width()).max().unwrap_or(0);
    this.into_iter()
        .chain(next)
        .filter(|d| d.date >= date)
        .take(7)
        .map(|d| {
            let mut what: Vec<String> = d.open.iter().map(|(a, b)| format!("{a}–{b}")).collect();
            if d.unknown {
                what.push(strings.get("page.to_confirm").to_string());
            }
            let what = if what.is_empty() { strings.get("days.closed").to_string() } else { what.join(", ") };
            let day = days[d.weekday];
            let fill = " ".repeat(pad.saturating_sub(day.width()));
            format!("{day}{fill} {:02}/{:02}  {what}", d.date.day(), d.date.month())
        })
        .collect()
}

/// Appends `label` + `value` wrapped to `width`, continuation lines indented under the value.
fn field(out: &mut Vec<String>, indent: &str, label: &str, value: &str, width: usize) {
    if value.is_empty() {
        return;
    }
    let head = format!("{indent}{label}");
    let pad = " ".repeat(head.width());
    for (i, l) in wrap(value, width.saturating_sub(head.width()).max(10)).into_iter().enumerate() {
        out.push(if i == 0 { format!("{head}{l}") } else { format!("{pad}{l}") });
    }
}

/// The shortlist as a plain UTF-8 page, wrapped at [`PAGE_WIDTH`] columns, for a file, a
/// printer or the clipboard. `date` is the day it is prepared (shown, and the start of the
/// opening-hours days). Lines end with `\n`.
pub fn to_text(items: &[Initiative], reference: &Reference, date: NaiveDate, strings: &Strings) -> String {
    let w = PAGE_WIDTH;
    let s = strings;
    let prepared = s.fmt("page.prepared", &[("date", &date_in_words(date, s))]);
    let mut out = vec![s.get("page.title").to_string(), prepared, "=".repeat(w), String::new()];
    for (n, item) in items.iter().enumerate() {
        let c = Card::new(item, reference, date, s);
        let number = format!("{}. ", n + 1);
        let indent = " ".repeat(number.len());
        for (i, l) in wrap(&c.name, w - number.len()).into_iter().enumerate() {
            out.push(if i == 0 { format!("{number}{l}") } else { format!("{indent}{l}") });
        }
        for l in wrap(&c.summary, w - indent.len()) {
            out.push(format!("{indent}{l}"));
        }
        field(&mut out, &indent, &label(s, "page.address"), &c.place, w);
        if !c.hours.is_empty() {
            if c.hours.len() == 1 {
                field(&mut out, &indent, &label(s, "page.hours"), &c.hours[0], w);
            } else {
                out.push(format!("{indent}{}", label(s, "page.hours").trim_end()));
                for l in &c.hours {
                    out.push(format!("{indent}  {l}"));
                }
            }
        }
        field(&mut out, &indent, &label(s, "page.phone"), &c.phone, w);
        field(&mut out, &indent, &label(s, "page.email"), &c.email, w);
        field(&mut out, &indent, &label(s, "page.website"), &c.website, w);
        out.push(String::new());
    }
    if items.is_empty() {
        out.push(s.get("page.empty").to_string());
        out.push(String::new());
    }
    out.push("-".repeat(w));
    out.extend(wrap(s.get("page.footer"), w));
    out.join("\n") + "\n"
}

/// A ticket of [`TICKET_WIDTH`] columns for one initiative, printed at a kiosk for a visitor
/// to take away. Only catalogue data and the date: nothing about the visitor.
pub fn ticket(item: &Initiative, reference: &Reference, date: NaiveDate, strings: &Strings) -> String {
    let w = TICKET_WIDTH;
    let s = strings;
    let c = Card::new(item, reference, date, s);
    let mut out = vec!["-".repeat(w)];
    out.extend(wrap(&c.name, w));
    out.push(String::new());
    out.extend(wrap(&c.place, w));
    if !c.hours.is_empty() {
        out.push(label(s, "page.hours").trim_end().to_string());
        if c.hours.len() == 1 {
            out.extend(wrap(&c.hours[0], w));
        } else {
            // The day-name column is shortened so the times fit in 40 columns.
            out.extend(c.hours.iter().map(|l| l.chars().take(w).collect::<String>()));
        }
    }
    field(&mut out, "", &label(s, "page.phone_short"), &c.phone, w);
    if !c.website.is_empty() {
        out.extend(wrap(&c.website, w));
    }
    out.push(String::new());
    out.push(s.fmt("page.ticket_date", &[("date", &date_in_words(date, s))]));
    out.push("-".repeat(w));
    out.join("\n") + "\n"
}

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
        let c = Card::new(item, reference, date, s);
        h.push_str(&format!("<section>\n<h2>{}</h2>\n", html_escape(&c.name)));
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
        if !c.website.is_empty() {
            // A link only for http(s): a `javascript:` URL must never become clickable.
            if crate::catalogue::validate::valid_url(&c.website) {
                let w = html_escape(&c.website);
                h.push_str(&format!("{}<dd><a href=\"{w}\">{w}</a></dd>\n", dt("page.website")));
            } else {
                h.push_str(&format!("{}<dd>{}</dd>\n", dt("page.website"), html_escape(&c.website)));
            }
        }
        h.push_str("</dl>\n</section>\n");
    }
    h.push_str(&format!("<footer>{}</footer>\n</body>\n</html>\n", html_escape(s.get("page.footer"))));
    h
}

/// Runs `sh -c command` with `text` on its standard input (e.g. `lp -d accueil`). A non-zero
/// exit is an error carrying what the command wrote on standard error; a command still
/// running after [`PRINT_TIMEOUT`] is killed (with its process group) and reported.
pub fn print(command: &str, text: &str) -> Result<(), PrintError> {
    print_with_timeout(command, text, PRINT_TIMEOUT)
}

/// Kills the process group led by `leader` (the print command runs in its own group).
///
/// Calls kill(2) directly: procps-ng 4.0's `kill -KILL -PID` reads `-PID` as `-1` and, run as
/// root, kills every process on the machine (it took a CI runner down once).
fn kill_process_group(leader: u32) {
    match libc::pid_t::try_from(leader) {
        // A group id of 0 or 1 would mean "our own group" or "everyone": never.
        Ok(pgid) if pgid > 1 => {
            // SAFETY: kill(2) takes plain integers and has no memory effects.
            unsafe { libc::kill(-pgid, libc::SIGKILL) };
        }
        _ => {}
    }
}

/// [`print`] with a chosen timeout.
pub fn print_with_timeout(command: &str, text: &str, timeout: Duration) -> Result<(), PrintError> {
    use std::os::unix::process::CommandExt;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        // Its own process group, so a timeout kills the printer program too, not only `sh`.
        .process_group(0)
        .spawn()
        .map_err(|source| PrintError::Spawn { command: command.to_string(), source })?;
    // Writing and reading happen on threads: a command that does not read its input (or
    // fills its stderr) must not block us before the timeout can act.
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = text.as_bytes().to_vec();
    std::thread::spawn(move || {
        // A command that exits without reading (EPIPE) is judged by its exit status.
        let _ = stdin.write_all(&input);
    });
    let mut stderr = child.stderr.take().expect("piped stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        let _ = tx.send(buf);
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                kill_process_group(child.id());
                let _ = child.kill();
                let _ = child.wait();
                return Err(PrintError::TimedOut { command: command.to_string(), seconds: timeout.as_secs() });
            }
        }
    };
    if status.success() {
        return Ok(());
    }
    // A background grandchild may keep stderr open: wait for it only briefly.
    let err = rx.recv_timeout(Duration::from_secs(1)).unwrap_or_default();
    let mut stderr = sanitize_line(&String::from_utf8_lossy(&err));
    if stderr.len() > STDERR_KEPT {
        let mut cut = STDERR_KEPT;
        while !stderr.is_char_boundary(cut) {
            cut -= 1;
        }
        stderr.truncate(cut);
        stderr.push('…');
    }
    let status = match status.code() {
        Some(code) => format!("exit code {code}"),
        None => "killed by a signal".to_string(),
    };
    Err(PrintError::Failed { command: command.to_string(), status, stderr })
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 (RFC 4648, with `=` padding): a few lines, not worth a crate.
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(BASE64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The escape sequence that asks the staff member's terminal (over SSH too) to put `text` on
/// its clipboard: `ESC ] 52 ; c ; <base64> ESC \`. Write it to the terminal as is. Refused
/// above [`OSC52_MAX`] bytes, which terminals would drop silently.
pub fn osc52(text: &str) -> Result<String, ExportError> {
    let seq = format!("\x1b]52;c;{}\x1b\\", base64(text.as_bytes()));
    if seq.len() > OSC52_MAX {
        return Err(ExportError::TooLarge { size: seq.len() });
    }
    Ok(seq)
}

/// The default file name for a page prepared at `now`: `liste-2026-11-29-1030.txt` (`.html`).
pub fn default_name(now: NaiveDateTime, format: Format) -> String {
    let ext = match format {
        Format::Text => "txt",
        Format::Html => "html",
    };
    format!("liste-{:04}-{:02}-{:02}-{:02}{:02}.{ext}", now.year(), now.month(), now.day(), now.hour(), now.minute())
}

/// Writes `contents` to `target`: into it under [`default_name`] if it is a directory (never
/// overwriting: `-2`, `-3`… are added when two lists are written in the same minute), else
/// to that file. Returns the path written, for the screen to show.
pub fn write_file(target: &Path, contents: &str, format: Format, now: NaiveDateTime) -> Result<PathBuf, ExportError> {
    if !target.is_dir() {
        std::fs::write(target, contents).map_err(|source| ExportError::Io { path: target.to_path_buf(), source })?;
        return Ok(target.to_path_buf());
    }
    let name = default_name(now, format);
    let (stem, ext) = name.rsplit_once('.').expect("the default name has an extension");
    for n in 1..1000 {
        let path = if n == 1 { target.join(&name) } else { target.join(format!("{stem}-{n}.{ext}")) };
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut f) => {
                f.write_all(contents.as_bytes()).map_err(|source| ExportError::Io { path: path.clone(), source })?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(source) => return Err(ExportError::Io { path, source }),
        }
    }
    let path = target.join(name);
    Err(ExportError::Io { path, source: std::io::Error::other("too many lists with this name") })
}

#[cfg(test)]
mod tests {
    use super::*;

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
