//! Results: the search field, filters, counts per theme, the list (two lines a result, the
//! typed words highlighted) and, on wide screens, a preview of the selected initiative.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{footer, title_bar};
use crate::catalogue::Initiative;
use crate::search::MatchMode;
use crate::ui::app::{App, Focus, Place};
use crate::ui::palette::Meaning;
use crate::ui::textfit::{highlight, truncate, width};

/// First screen row of the list (title, search, filters, counts above it).
pub const LIST_TOP: u16 = 4;
/// From this width, a preview pane shows the selected initiative beside the list.
pub const PREVIEW_MIN_WIDTH: u16 = 110;

pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    title_bar(frame, app, area);
    search_line(frame, app, Rect { y: area.y + 1, height: 1, ..area });
    filter_line(frame, app, Rect { y: area.y + 2, height: 1, ..area });
    counts_line(frame, app, Rect { y: area.y + 3, height: 1, ..area });
    let list_area = Rect { y: area.y + LIST_TOP, height: area.height.saturating_sub(LIST_TOP + 1), ..area };
    if area.width >= PREVIEW_MIN_WIDTH {
        let list_w = area.width * 55 / 100;
        let list = Rect { width: list_w, ..list_area };
        let preview = Rect { x: area.x + list_w + 1, width: area.width - list_w - 1, ..list_area };
        render_list(frame, app, list);
        if let Some(item) = app.selected_initiative() {
            super::detail::render_preview(frame, app, item, preview);
        }
    } else {
        render_list(frame, app, list_area);
    }
    footer(frame, app, area);
}

fn search_line(frame: &mut Frame, app: &App, rect: Rect) {
    let s = &app.strings;
    let p = &app.palette;
    let label = format!("{} : ", s.get("search.label"));
    let count = match &app.visit.results {
        Some(r) => s.fmt("search.results", &[("n", &r.total.to_string())]),
        None => String::new(),
    };
    let room = (rect.width as usize).saturating_sub(width(&label) + width(&count) + 2);
    let query = truncate(&app.visit.query, room, "");
    let pad = (rect.width as usize).saturating_sub(width(&label) + width(&query) + width(&count));
    let line = Line::from(vec![
        Span::styled(label.clone(), p.style(Meaning::Title)),
        Span::styled(query.clone(), p.style(Meaning::Input)),
        Span::raw(" ".repeat(pad)),
        Span::styled(count, p.style(Meaning::Muted)),
    ]);
    frame.render_widget(Paragraph::new(line), rect);
    if app.focus == Focus::Query {
        frame.set_cursor_position((rect.x + (width(&label) + width(&query)) as u16, rect.y));
    }
}

fn filter_line(frame: &mut Frame, app: &App, rect: Rect) {
    let s = &app.strings;
    let p = &app.palette;
    let f = &app.visit.filters;
    let all = s.get("filter.all");
    let theme = f.theme.as_ref().and_then(|t| app.reference.theme(t)).map_or(all, |t| t.label(&s.lang));
    let commune = f.commune.as_ref().and_then(|c| app.reference.commune_by_code(c)).map_or(all, |c| c.name.as_str());
    let place = match f.place {
        Place::All => s.get("filter.place_all"),
        Place::OnSite => s.get("filter.place_on_site"),
        Place::Online => s.get("filter.place_online"),
    };
    let free = if f.free { s.get("detail.yes") } else { s.get("detail.no") };
    let filters = [
        ("F3", s.get("filter.theme"), theme, f.theme.is_some()),
        ("F4", s.get("filter.commune"), commune, f.commune.is_some()),
        ("F5", s.get("filter.place"), place, f.place != Place::All),
        ("F6", s.get("filter.free"), free, f.free),
    ];
    let full: usize = filters.iter().map(|(k, l, v, _)| width(k) + width(l) + width(v) + 5).sum();
    // On narrow screens, filters that are off lose their label ("F4: tous").
    let compact = full > rect.width as usize;
    let mut spans = Vec::new();
    for (key, label, value, active) in filters {
        spans.push(Span::styled(key.to_string(), p.style(Meaning::Key)));
        if compact && !active {
            spans.push(Span::raw(": "));
        } else {
            spans.push(Span::raw(format!(" {label}: ")));
        }
        let style = if active { p.style(Meaning::Highlight) } else { p.style(Meaning::Text) };
        spans.push(Span::styled(value.to_string(), style));
        spans.push(Span::raw("  "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), rect);
}

/// Counts per theme, or what kind of matches these are (typos, relaxed).
fn counts_line(frame: &mut Frame, app: &App, rect: Rect) {
    let s = &app.strings;
    let p = &app.palette;
    let Some(results) = &app.visit.results else { return };
    let line = match results.mode {
        MatchMode::Relaxed => Line::from(Span::styled(s.get("search.relaxed").to_string(), p.style(Meaning::Warning))),
        MatchMode::Typo => Line::from(Span::styled(s.get("search.typo").to_string(), p.style(Meaning::Muted))),
        MatchMode::Exact => {
            let mut spans = Vec::new();
            let mut used = 0;
            // The open theme first, so its count is never the one cut off.
            let active = app.visit.filters.theme.as_deref();
            let mut counts: Vec<&(String, u64)> = results.theme_counts.iter().filter(|(_, n)| *n > 0).collect();
            counts.sort_by_key(|(slug, _)| Some(slug.as_str()) != active);
            for (slug, n) in counts {
                let Some(theme) = app.reference.theme(slug) else { continue };
                let text = format!("{} {}", theme.label(&s.lang), n);
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
    let s = &app.strings;
    let p = &app.palette;
    if let Some(error) = app.visit.error.as_ref().or(app.index_error.as_ref()) {
        let lines = vec![
            Line::from(Span::styled(s.get("search.unavailable").to_string(), p.style(Meaning::Warning))),
            Line::from(s.get("search.unavailable_hint").to_string()),
            Line::from(Span::styled(error.clone(), p.style(Meaning::Muted))),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), rect);
        return;
    }
    if app.result_count() == 0 {
        if app.visit.search_pending || app.visit.results.is_none() {
            return;
        }
        let themes: Vec<String> =
            app.reference.themes.iter().map(|t| format!("{} {}", t.key, t.label(&s.lang))).collect();
        let lines = vec![
            Line::from(Span::styled(s.get("search.none").to_string(), p.style(Meaning::Title))),
            Line::from(s.get("search.none_hint").to_string()),
            Line::from(""),
            Line::from(Span::styled(
                s.fmt("search.suggestions", &[("words", &themes.join(", "))]),
                p.style(Meaning::Muted),
            )),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), rect);
        return;
    }
    let words = app.visit.results.as_ref().map(|r| r.words.folded.clone()).unwrap_or_default();
    let rows = (rect.height / 2) as usize;
    let w = rect.width as usize;
    for (n, i) in (app.visit.scroll..app.result_count()).take(rows).enumerate() {
        let y = rect.y + (n as u16) * 2;
        // Enter opens the selected row even while typing, so the selection always shows.
        let selected = i == app.visit.selected;
        let Some(item) = app.visit.rows.get(i).and_then(Option::as_ref) else { continue };
        let marker = if selected { p.symbols.marker } else { "  " };
        let number = if n < 9 { format!("{} ", n + 1) } else { "  ".to_string() };
        let place = place_of(app, item);
        let badge = if item.status == "ferme-temporairement" {
            format!(" [{}]", s.get("search.closed_temporarily"))
        } else {
            String::new()
        };
        let head_room = w.saturating_sub(width(marker) + width(&number) + width(&place) + width(&badge) + 3);
        let name = truncate(&item.name, head_room, p.symbols.ellipsis);
        let base = if selected { p.style(Meaning::Selected) } else { p.style(Meaning::Title) };
        let hit = if selected { p.style(Meaning::Selected) } else { p.style(Meaning::Highlight) };
        let mut head: Vec<Span> =
            vec![Span::styled(marker.to_string(), base), Span::styled(number, p.style(Meaning::Key))];
        head.extend(
            highlight(&name, &words, base, hit).into_iter().map(|sp| Span::styled(sp.content.into_owned(), sp.style)),
        );
        head.push(Span::styled(format!(" — {place}"), if selected { base } else { p.style(Meaning::Muted) }));
        head.push(Span::styled(badge, p.style(Meaning::Warning)));
        frame.render_widget(Paragraph::new(Line::from(head)), Rect { x: rect.x, y, width: rect.width, height: 1 });
        let summary =
            if item.summary.is_empty() { item.description.lines().next().unwrap_or("") } else { item.summary.as_str() };
        let summary = truncate(summary, w.saturating_sub(5), p.symbols.ellipsis);
        let mut line: Vec<Span> = vec![Span::raw("     ")];
        line.extend(
            highlight(&summary, &words, p.style(Meaning::Text), p.style(Meaning::Highlight))
                .into_iter()
                .map(|sp| Span::styled(sp.content.into_owned(), sp.style)),
        );
        if y + 1 < rect.y + rect.height {
            frame.render_widget(
                Paragraph::new(Line::from(line)),
                Rect { x: rect.x, y: y + 1, width: rect.width, height: 1 },
            );
        }
        if selected && app.focus == Focus::List {
            // The real cursor follows the selection, for screen readers and braille displays.
            frame.set_cursor_position((rect.x, y));
        }
    }
}

/// "Nanterre", "en ligne" or "tout le département".
pub fn place_of(app: &App, item: &Initiative) -> String {
    match app.reference.commune_by_code(&item.commune) {
        Some(c) => c.name.clone(),
        None if item.online => app.strings.get("search.online").to_string(),
        None => app.strings.get("search.everywhere").to_string(),
    }
}
