//! Results: the search field, filters, counts per theme, the list (two lines a result, the
//! typed words highlighted) and, on wide screens, a preview of the selected initiative.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::{footer, guidance, title_bar};
use crate::catalogue::Initiative;
use crate::hours::OpenStatus;
use crate::mark::{self, Mark};
use crate::search::MatchMode;
use crate::text::fit::{highlight, tail, truncate, width};
use crate::ui::action::Action;
use crate::ui::app::{App, Focus, OpenFilter, Place, PromptKind, Sort};
use crate::ui::keys;
use crate::ui::palette::Meaning;

use crate::ui::layout::{LIST_TOP, PREVIEW_MIN_WIDTH};

pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    title_bar(frame, app, area);
    let line = |y: u16| Rect { y: area.y + y, height: 1, ..area };
    filter_line(frame, app, line(2));
    let list_area = Rect { y: area.y + LIST_TOP, height: area.height.saturating_sub(LIST_TOP + 1), ..area };
    if let Some(picker) = &app.visit().picker {
        super::picker::field(frame, app, picker, line(1));
        super::picker::header(frame, app, picker, line(3));
        super::picker::list(frame, app, picker, list_area);
        super::picker::hints(frame, app, line(area.height.saturating_sub(1)));
        return;
    }
    match &app.visit().prompt {
        Some(prompt) => prompt_line(frame, app, prompt, line(1)),
        None => search_line(frame, app, line(1)),
    }
    let counts = line(3);
    counts_line(frame, app, counts);
    let list_w = if area.width >= PREVIEW_MIN_WIDTH { area.width * 55 / 100 } else { area.width };
    above_list(frame, app, counts, Rect { width: list_w, ..list_area });
    if area.width >= PREVIEW_MIN_WIDTH {
        let list_w = area.width * 55 / 100;
        let list = Rect { width: list_w, ..list_area };
        let preview = Rect { x: area.x + list_w + 2, width: area.width - list_w - 2, ..list_area };
        render_list(frame, app, list);
        if let Some(item) = app.selected_initiative() {
            // A rule between the list and the preview, so neither reads as the other's.
            let rule = if app.palette().symbols.ascii { "|" } else { "│" };
            let rule_lines: Vec<Line> = (0..list_area.height).map(|_| Line::from(rule)).collect();
            let rule_area = Rect { x: area.x + list_w, width: 1, ..list_area };
            frame.render_widget(Paragraph::new(rule_lines).style(app.palette().style(Meaning::Muted)), rule_area);
            super::detail::render_preview(frame, app, item, preview);
        }
    } else {
        render_list(frame, app, list_area);
    }
    footer(frame, app, area);
}

fn search_line(frame: &mut Frame, app: &App, rect: Rect) {
    let s = &app.strings();
    let p = &app.palette();
    let label = format!("{}{}", s.get("search.label"), s.get("app.colon"));
    let count = match &app.visit().results {
        Some(r) => s.fmt("search.results", &[("n", &r.total.to_string())]),
        None => String::new(),
    };
    let room = (rect.width as usize).saturating_sub(width(&label) + width(&count) + 2);
    // A long query scrolls: its last letters and the cursor stay in view.
    let query = tail(&app.visit().query, room, p.symbols.ellipsis);
    let pad = (rect.width as usize).saturating_sub(width(&label) + width(&query) + width(&count));
    let line = Line::from(vec![
        Span::styled(label.clone(), p.style(Meaning::Title)),
        Span::styled(query.clone(), p.style(Meaning::Input)),
        Span::raw(" ".repeat(pad)),
        Span::styled(count, p.style(Meaning::Muted)),
    ]);
    frame.render_widget(Paragraph::new(line), rect);
    if app.focus() == Focus::Query {
        frame.set_cursor_position((rect.x + (width(&label) + width(&query)) as u16, rect.y));
    }
}

/// A one-line question (staff: which commune to measure from), in place of the search line.
pub fn prompt_line(frame: &mut Frame, app: &App, prompt: &crate::ui::app::Prompt, rect: Rect) {
    let s = &app.strings();
    let p = &app.palette();
    let dir = app.setup().export_dir.display().to_string();
    let question = match prompt.kind {
        PromptKind::ExportText => s.fmt("shortlist.prompt_text", &[("dir", &dir)]),
        PromptKind::ExportHtml => s.fmt("shortlist.prompt_html", &[("dir", &dir)]),
    };
    let label = match &prompt.error {
        Some(e) => format!("{e} "),
        None => format!("{question} "),
    };
    // The label gives way to the field, never the reverse: the field keeps what is typed
    // and at least half the line (or all it needs).
    let field_room = (width(&prompt.text) + 1).clamp(20, (rect.width as usize / 2).max(20));
    let label = truncate(&label, (rect.width as usize).saturating_sub(field_room), p.symbols.ellipsis);
    let style = if prompt.error.is_some() { p.style(Meaning::Warning) } else { p.style(Meaning::Title) };
    let text = tail(&prompt.text, (rect.width as usize).saturating_sub(width(&label) + 1), p.symbols.ellipsis);
    let line =
        Line::from(vec![Span::styled(label.clone(), style), Span::styled(text.clone(), p.style(Meaning::Input))]);
    frame.render_widget(Paragraph::new(line), rect);
    frame.set_cursor_position((rect.x + (width(&label) + width(&text)) as u16, rect.y));
}

fn filter_line(frame: &mut Frame, app: &App, rect: Rect) {
    let s = &app.strings();
    let p = &app.palette();
    let f = &app.visit().filters;
    let all = s.get("filter.all");
    let theme = f.theme.as_ref().and_then(|t| app.reference().theme(t)).map(|t| super::theme_title(app, t));
    let theme = theme.as_deref().unwrap_or(all);
    let commune = f.commune.as_ref().and_then(|c| app.reference().commune_by_code(c)).map_or(all, |c| c.name.as_str());
    let place = match f.place {
        Place::All => s.get("filter.place_all"),
        Place::OnSite => s.get("filter.place_on_site"),
        Place::Online => s.get("filter.place_online"),
    };
    let free = if f.free { s.get("detail.yes") } else { s.get("detail.no") };
    let open = match f.open {
        OpenFilter::Any => all,
        OpenFilter::Now => s.get("filter.open_now"),
        OpenFilter::Today => s.get("filter.open_today"),
    };
    let from;
    let sort = match (&app.visit().sort, &app.visit().near) {
        (Sort::Distance, Some(c)) => {
            from = s.fmt("filter.sort_from", &[("commune", &c.name)]);
            from.as_str()
        }
        (Sort::Distance, None) => s.get("filter.sort_distance"),
        (Sort::Relevance, _) => "",
    };
    // The keys come from the key table: the line can't name a key that does something else.
    let key = |action: fn() -> Action| keys::key_for(app, action);
    let filters = [
        (key(|| Action::FilterTheme), s.get("filter.theme"), theme, f.theme.is_some()),
        (key(|| Action::FilterCommune), s.get("filter.commune"), commune, f.commune.is_some()),
        (key(|| Action::FilterPlace), s.get("filter.place"), place, f.place != Place::All),
        (key(|| Action::FilterFree), s.get("filter.free"), free, f.free),
        (key(|| Action::FilterOpen), s.get("filter.open"), open, f.open != OpenFilter::Any),
        (key(|| Action::ToggleSort), s.get("filter.sort"), sort, app.visit().sort == Sort::Distance),
    ];
    // A filter that is off shows only its key and name ("F4 Commune"); one that is on, its
    // value too, highlighted — so the line reads as the list of what narrows the results.
    let mut groups: Vec<(bool, Vec<Span>)> = filters
        .into_iter()
        .map(|(key, label, value, active)| {
            let mut g = vec![Span::styled(key.to_string(), p.style(Meaning::Key))];
            if active {
                g.push(Span::raw(format!(" {label}: ")));
                g.push(Span::styled(value.to_string(), p.style(Meaning::Highlight)));
            } else {
                g.push(Span::styled(format!(" {label}"), p.style(Meaning::Muted)));
            }
            g.push(Span::raw("  "));
            (active, g)
        })
        .collect();
    // Too wide: drop filters that are off, from the right, before cutting anything (F1 lists
    // them all); what narrows the results always shows.
    let group_width = |g: &[Span]| g.iter().map(|sp| width(&sp.content)).sum::<usize>();
    while groups.iter().map(|(_, g)| group_width(g)).sum::<usize>() > rect.width as usize + 2 {
        match groups.iter().rposition(|(active, _)| !active) {
            Some(i) => {
                groups.remove(i);
            }
            None => break,
        }
    }
    let spans: Vec<Span> = groups.into_iter().flat_map(|(_, g)| g).collect();
    frame.render_widget(Paragraph::new(Line::from(spans)), rect);
}

/// The line above the list gives way to what matters more (issue #12): where close matches
/// begin when they begin at the top of the page, else the orientation card in one line when
/// the list leaves no room for it below.
fn above_list(frame: &mut Frame, app: &App, rect: Rect, list: Rect) {
    let n = app.result_count();
    if n == 0 || app.visit().search_pending {
        return;
    }
    let scroll = app.visit().scroll;
    let line = match app.near_from() {
        Some(0) if scroll == 0 => Some(guidance::near_only_line(app, rect.width as usize)),
        Some(k) if k == scroll => Some(guidance::near_heading(app, rect.width as usize)),
        _ => None,
    };
    if let Some(line) = line {
        frame.render_widget(Clear, rect);
        frame.render_widget(Paragraph::new(line), rect);
        return;
    }
    let used = (n - scroll.min(n)).min(app.page_rows()) as u16 * 2;
    let card = guidance::card_lines(app, list.width as usize).len();
    if card > 0 && !guidance::card_fits(card, list, used) {
        guidance::render_card_line(frame, app, rect);
    }
}

/// Counts per theme, or what kind of matches these are (typos, relaxed).
fn counts_line(frame: &mut Frame, app: &App, rect: Rect) {
    let s = &app.strings();
    let p = &app.palette();
    let Some(results) = &app.visit().results else { return };
    let line = match results.mode {
        MatchMode::Relaxed => Line::from(Span::styled(s.get("search.relaxed").to_string(), p.style(Meaning::Warning))),
        MatchMode::Typo => Line::from(Span::styled(s.get("search.typo").to_string(), p.style(Meaning::Muted))),
        MatchMode::Exact => {
            let mut spans = Vec::new();
            let mut used = 0;
            // The counts follow what is shown: with a theme open, its own count (the number of
            // results above), not the other themes' counts for the query without it (which,
            // for a theme opened from Home, were the whole catalogue's).
            let active = app.visit().filters.theme.as_deref();
            let shown;
            let mut counts: Vec<&(String, u64)> = match active {
                Some(theme) => {
                    shown = (theme.to_string(), results.total as u64);
                    vec![&shown]
                }
                None => results.theme_counts.iter().filter(|(_, n)| *n > 0).collect(),
            };
            counts.sort_by_key(|(slug, _)| Some(slug.as_str()) != active);
            let texts: Vec<(String, Option<String>)> = counts
                .into_iter()
                .filter_map(|(slug, n)| {
                    let theme = app.reference().theme(slug)?;
                    let short = crate::pictogram::sign(slug, app.signs()).map(|sign| format!("{sign} {n}"));
                    Some((format!("{} {}", super::theme_title(app, theme), n), short))
                })
                .collect();
            // Where the names don't all fit, the signs alone ("⇄ 13") keep every theme on the
            // line: that is what the signs are for.
            let full: usize = texts.iter().map(|(t, _)| width(t) + width(p.symbols.separator)).sum();
            let signs_only = full > rect.width as usize + width(p.symbols.separator);
            for (long, short) in texts {
                let text = if signs_only { short.unwrap_or(long) } else { long };
                let sep = if spans.is_empty() { "" } else { p.symbols.separator };
                if used + width(sep) + width(&text) > rect.width as usize {
                    break;
                }
                used += width(sep) + width(&text);
                spans.push(Span::styled(sep.to_string(), p.style(Meaning::Muted)));
                spans.push(Span::styled(text, p.style(Meaning::Badge)));
            }
            Line::from(spans)
        }
    };
    frame.render_widget(Paragraph::new(line), rect);
}

fn render_list(frame: &mut Frame, app: &App, rect: Rect) {
    let s = &app.strings();
    let p = &app.palette();
    if let Some(error) = app.visit().error.as_deref().or(app.index_error()) {
        let lines = vec![
            Line::from(Span::styled(s.get("search.unavailable").to_string(), p.style(Meaning::Warning))),
            Line::from(s.get("search.unavailable_hint").to_string()),
            Line::from(Span::styled(error.to_string(), p.style(Meaning::Muted))),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), rect);
        return;
    }
    if app.result_count() == 0 {
        if app.visit().search_pending || app.visit().results.is_none() {
            return;
        }
        guidance::render_none(frame, app, rect);
        return;
    }
    let words = app.visit().results.as_ref().map(|r| r.words.folded.clone()).unwrap_or_default();
    let rows = (rect.height / 2) as usize;
    let w = rect.width as usize;
    for (n, i) in (app.visit().scroll..app.result_count()).take(rows).enumerate() {
        let y = rect.y + (n as u16) * 2;
        // Enter opens the selected row even while typing, so the selection always shows.
        let selected = i == app.visit().selected;
        let Some(item) = app.visit().rows.get(i).and_then(Option::as_ref) else { continue };
        let marker = if selected { p.symbols.marker } else { "  " };
        let number = if n < 9 { format!("{} ", n + 1) } else { "  ".to_string() };
        let sign = row_sign(app, item);
        let place = place_of(app, item);
        let tail = row_tail(app, item, app.mark(i));
        let tail_width: usize = tail.iter().map(|sp| width(&sp.content)).sum();
        let head_room =
            w.saturating_sub(width(marker) + width(&number) + width(&sign) + width(&place) + tail_width + 3);
        // Staff see which rows are already on the shortlist.
        let listed = !app.is_kiosk() && app.in_shortlist(&item.id);
        let tick = if !listed {
            ""
        } else if p.symbols.ascii {
            "+ "
        } else {
            "✓ "
        };
        let name = format!("{tick}{}", truncate(&item.name, head_room.saturating_sub(width(tick)), p.symbols.ellipsis));
        let base = if selected { p.style(Meaning::Selected) } else { p.style(Meaning::Title) };
        let hit = if selected { p.style(Meaning::Selected) } else { p.style(Meaning::Highlight) };
        let mut head: Vec<Span> =
            vec![Span::styled(marker.to_string(), base), Span::styled(number, p.style(Meaning::Key))];
        head.push(Span::styled(sign, base));
        head.extend(
            highlight(&name, &words, base, hit).into_iter().map(|sp| Span::styled(sp.content.into_owned(), sp.style)),
        );
        head.push(Span::styled(format!(" — {place}"), if selected { base } else { p.style(Meaning::Muted) }));
        let used: usize = head.iter().map(|sp| width(&sp.content)).sum();
        head.push(Span::raw(" ".repeat(w.saturating_sub(used + tail_width))));
        head.extend(tail);
        frame.render_widget(Paragraph::new(Line::from(head)), Rect { x: rect.x, y, width: rect.width, height: 1 });
        // In the visitor's language when the entry has that translation, marked as one; the
        // mark is kept whole and the summary cut before it, so it never falls off the row.
        let (summary, translated) = item.summary_for(&s.lang);
        let summary = if summary.is_empty() { item.description.lines().next().unwrap_or("") } else { summary };
        let note = if translated { format!(" {}", s.get("search.translated")) } else { String::new() };
        let summary = truncate(summary, w.saturating_sub(5 + width(&note)), p.symbols.ellipsis);
        let mut line: Vec<Span> = vec![Span::raw("     ")];
        line.extend(
            highlight(&summary, &words, p.style(Meaning::Text), p.style(Meaning::Highlight))
                .into_iter()
                .map(|sp| Span::styled(sp.content.into_owned(), sp.style)),
        );
        if translated {
            line.push(Span::styled(note, p.style(Meaning::Muted)));
        }
        if y + 1 < rect.y + rect.height {
            // Where close matches begin, the row above gives its summary line to the heading.
            let line = if app.near_from() == Some(i + 1) && i + 1 < app.result_count() {
                guidance::near_heading(app, w)
            } else {
                Line::from(line)
            };
            frame.render_widget(Paragraph::new(line), Rect { x: rect.x, y: y + 1, width: rect.width, height: 1 });
        }
        if selected && app.focus() == Focus::List {
            // The real cursor follows the selection, for screen readers and braille displays.
            frame.set_cursor_position((rect.x, y));
        }
    }
    // Words that name a need the catalogue does not cover: the orientation card under a short
    // list (a long one gets it in one line above the list, `above_list`).
    let shown = (app.result_count() - app.visit().scroll.min(app.result_count())).min(rows) as u16;
    guidance::render_card_below(frame, app, rect, shown * 2);
}

/// The end of a result's first line: open or closed (in words, never colour alone), the
/// distance, and for staff a "to check" mark on entries not verified for a year.
fn row_tail(app: &App, item: &Initiative, mark: Option<&Mark>) -> Vec<Span<'static>> {
    let s = &app.strings();
    let p = &app.palette();
    let mut parts: Vec<Span<'static>> = Vec::new();
    if mark::closed_for_now(item, app.now()) {
        parts.push(Span::styled(s.get("search.closed_temporarily").to_string(), p.style(Meaning::Warning)));
    } else if let Some(m) = mark {
        // "ouvert, sur rendez-vous": a short comment of the rule in force goes with the word.
        let with_comment = |word: &str| match m.status.comment() {
            Some(c) if c.chars().count() <= 24 => format!("{word}, {c}"),
            _ => word.to_string(),
        };
        match m.status {
            OpenStatus::Open { .. } => {
                parts.push(Span::styled(with_comment(s.get("status.open")), p.style(Meaning::Badge)))
            }
            OpenStatus::Closed { .. } => {
                parts.push(Span::styled(with_comment(s.get("status.closed")), p.style(Meaning::Muted)))
            }
            OpenStatus::ToConfirm { .. } => {
                parts.push(Span::styled(with_comment(s.get("status.to_confirm")), p.style(Meaning::Muted)))
            }
            OpenStatus::Unknown => {}
        }
    }
    if let Some(d) = mark.and_then(|m| m.distance) {
        parts.push(Span::styled(crate::geo::describe_distance(d.metres, d.approx), p.style(Meaning::Muted)));
    }
    // Staff see how old an entry is, in words ("vérifiée en 2019", "jamais vérifiée"), where
    // it is past the 12-month rule: something they can weigh, and later act on in the review
    // queue.
    if !app.is_kiosk() && mark::stale(&item.updated, app.today()) {
        use chrono::Datelike;
        let age = match crate::day::parse(&item.updated) {
            Some(d) => s.fmt("status.stale", &[("year", &d.year().to_string())]),
            None => s.get("status.never_short").to_string(),
        };
        parts.push(Span::styled(age, p.style(Meaning::Warning)));
    }
    let mut out = Vec::new();
    for (n, part) in parts.into_iter().enumerate() {
        out.push(Span::styled(
            if n == 0 { " ".to_string() } else { p.symbols.separator.to_string() },
            p.style(Meaning::Muted),
        ));
        out.push(part);
    }
    out
}

/// The sign of a row's theme and a space ("♨ "): the theme the list is filtered on when the
/// initiative has it, else its first; nothing for a theme without a sign.
fn row_sign(app: &App, item: &Initiative) -> String {
    let filtered = app.visit().filters.theme.as_ref().filter(|t| item.themes.contains(t));
    let signs = app.signs();
    filtered
        .into_iter()
        .chain(&item.themes)
        .find_map(|slug| crate::pictogram::sign(slug, signs))
        .map_or(String::new(), |sign| format!("{sign} "))
}

/// "Nanterre", "en ligne" or "tout le département".
pub fn place_of(app: &App, item: &Initiative) -> String {
    match app.reference().commune_by_code(&item.commune) {
        Some(c) => c.name.clone(),
        None if item.online => app.strings().get("search.online").to_string(),
        None => app.strings().get("search.everywhere").to_string(),
    }
}
