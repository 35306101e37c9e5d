//! Never a dead end (issue #12, item 6), as drawn: the answer without rows (what was not
//! found, the orientation card, the themes to choose instead), the orientation card under a
//! short list, and the "Résultats proches" heading where close matches begin. All plain
//! lines — no box, no colour needed — so they read the same in monochrome and on a Linux
//! console.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::orientation::Orientation;
use crate::text::fit::{truncate, width, wrap};
use crate::ui::app::App;
use crate::ui::palette::Meaning;

/// The query as quoted on screen: cut to what fits beside the sentence.
fn quoted(app: &App, room: usize) -> String {
    truncate(app.visit().query.trim(), room.clamp(8, 40), app.palette().symbols.ellipsis)
}

/// The orientation card's lines at `w` columns: which needs, the office's sentence, then the
/// free numbers that apply (each once). Empty when no card applies.
pub fn card_lines(app: &App, w: usize) -> Vec<Line<'static>> {
    let cards = app.orientation_cards();
    if cards.is_empty() {
        return Vec::new();
    }
    let s = app.strings();
    let p = app.palette();
    let ell = p.symbols.ellipsis;
    let rule = if p.symbols.ascii { "| " } else { "│ " };
    let room = w.saturating_sub(width(rule));
    let titles: Vec<&str> = cards.iter().map(|(_, c)| c.title(&s.lang)).collect();
    let bar = || Span::styled(rule.to_string(), p.style(Meaning::Warning));
    let mut lines = vec![
        Line::from(vec![
            bar(),
            Span::styled(
                truncate(&s.fmt("orientation.intro", &[("cards", &titles.join(" / "))]), room, ell),
                p.style(Meaning::Title),
            ),
        ]),
        Line::from(vec![bar(), Span::styled(truncate(app.orientation_text(), room, ell), p.style(Meaning::Text))]),
    ];
    let orientation = Orientation::embedded();
    let mut shown: Vec<&str> = Vec::new();
    for (_, card) in &cards {
        for (number, info) in orientation.numbers_of(card) {
            if shown.contains(&number) {
                continue;
            }
            shown.push(number);
            // The labels of assets/orientation.toml say themselves that the call is free.
            let key = format!("{number:<5} ");
            let label = truncate(info.label(&s.lang), room.saturating_sub(width(&key)), ell);
            lines.push(Line::from(vec![
                bar(),
                Span::styled(key, p.style(Meaning::Key)),
                Span::styled(label, p.style(Meaning::Text)),
            ]));
        }
    }
    lines
}

/// An answer without rows: "Aucun résultat pour « … »", why (a filter) or what to try, the
/// orientation card when the words name a need the catalogue does not cover, then the themes
/// — those the words suggest first — by number, the one chosen with the arrows marked.
pub fn render_none(frame: &mut Frame, app: &App, rect: Rect) {
    let s = app.strings();
    let p = app.palette();
    let w = rect.width as usize;
    let ell = p.symbols.ellipsis;
    let mut lines: Vec<Line> = Vec::new();
    let none = s.fmt("search.none_for", &[("query", &quoted(app, w.saturating_sub(24)))]);
    lines.push(Line::styled(truncate(&none, w, ell), p.style(Meaning::Title)));
    let card = card_lines(app, w);
    // With filters on, they are the likelier cause ("ouvert maintenant" on a Sunday); with a
    // card, the card says what to do.
    let hint = if !app.visit().filters.is_empty() {
        Some("search.none_filtered")
    } else {
        card.is_empty().then_some("search.none_hint")
    };
    if let Some(hint) = hint {
        // Two lines at most: the advice is read whole, not cut mid-word.
        let wrapped = wrap(s.get(hint), w);
        let more = wrapped.len() > 2;
        for (i, line) in wrapped.into_iter().take(2).enumerate() {
            let line = if more && i == 1 { truncate(&format!("{line} …"), w, ell) } else { line };
            lines.push(Line::from(line));
        }
    }
    let roomy = |extra: usize, lines: &Vec<Line>| lines.len() + extra < rect.height as usize;
    if !card.is_empty() {
        if roomy(card.len() + 8, &lines) {
            lines.push(Line::from(""));
        }
        lines.extend(card);
    }
    let offered = app.offered_themes();
    let suggested = app.suggested_themes().len();
    let chosen = app.visit().theme_choice;
    let item = |i: usize, room: usize| -> Vec<Span<'static>> {
        let Some(theme) = offered.get(i).and_then(|slug| app.reference().theme(slug)) else { return Vec::new() };
        let here = chosen == Some(i);
        let marker = if here { p.symbols.marker.to_string() } else { "  ".to_string() };
        let label =
            truncate(&super::theme_title(app, theme), room.saturating_sub(width(&marker) + width(&theme.key) + 1), ell);
        let style = if here { p.style(Meaning::Selected) } else { p.style(Meaning::Tile) };
        vec![
            Span::styled(marker, style),
            Span::styled(format!("{} ", theme.key), p.style(Meaning::Key)),
            Span::styled(label, style),
        ]
    };
    if roomy(7, &lines) {
        lines.push(Line::from(""));
    }
    if suggested > 0 {
        let label = s.get("search.suggested").to_string();
        let mut spans = vec![Span::styled(label.clone(), p.style(Meaning::Title))];
        let mut used = width(&label);
        for i in 0..suggested {
            let room = w.saturating_sub(used + 1).min(30);
            let mut one = item(i, room);
            one.insert(0, Span::raw(" "));
            used += one.iter().map(|sp| width(&sp.content)).sum::<usize>();
            spans.extend(one);
        }
        lines.push(Line::from(spans));
    }
    let heading = if suggested > 0 { "search.other_themes" } else { "search.all_themes" };
    lines.push(Line::styled(truncate(&app.symbol_text(s.get(heading)), w, ell), p.style(Meaning::Title)));
    // The rest in columns filled downwards, as on Home (1…5, then 6…0).
    let rest: Vec<usize> = (suggested..offered.len()).collect();
    let columns = if w >= 50 { 2 } else { 1 };
    let rows = rest.len().div_ceil(columns);
    let col_w = w / columns;
    for r in 0..rows {
        let mut spans = Vec::new();
        for c in 0..columns {
            let Some(&i) = rest.get(c * rows + r) else { continue };
            let one = item(i, col_w.saturating_sub(1));
            let used: usize = one.iter().map(|sp| width(&sp.content)).sum();
            spans.extend(one);
            if c + 1 < columns {
                spans.push(Span::raw(" ".repeat(col_w.saturating_sub(used))));
            }
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), rect);
}

/// The orientation card under a short list, when it fits in the lines left below the `used`
/// ones (a blank line above it); else it is condensed on the line above the list
/// ([`render_card_line`]). Returns whether it fits here.
pub fn render_card_below(frame: &mut Frame, app: &App, rect: Rect, used: u16) -> bool {
    let card = card_lines(app, rect.width as usize);
    if !card_fits(card.len(), rect, used) {
        return false;
    }
    let area = Rect { y: rect.y + used + 1, height: card.len() as u16, ..rect };
    frame.render_widget(Paragraph::new(card), area);
    true
}

/// Whether a card of `lines` fits below `used` lines of `rect`, a blank line between.
pub fn card_fits(lines: usize, rect: Rect, used: u16) -> bool {
    lines as u16 <= rect.height.saturating_sub(used + 1)
}

/// The card in one line (the needs, the office's sentence, the numbers) over the line above
/// the list, for a list too long to leave room for the whole card.
pub fn render_card_line(frame: &mut Frame, app: &App, rect: Rect) {
    let s = app.strings();
    let p = app.palette();
    let cards = app.orientation_cards();
    let orientation = Orientation::embedded();
    let mut numbers: Vec<&str> = Vec::new();
    for (_, card) in &cards {
        for n in &card.numbers {
            if orientation.numbers.contains_key(n) && !numbers.contains(&n.as_str()) {
                numbers.push(n);
            }
        }
    }
    let titles: Vec<&str> = cards.iter().map(|(_, c)| c.title(&s.lang)).collect();
    // The numbers first: the office's sentence may be long, and a cut number is no number.
    let mut text = format!("{}{}", titles.join(" / "), s.get("app.colon"));
    if !numbers.is_empty() {
        text.push_str(&format!("{} ({}){}", numbers.join(", "), s.get("orientation.free"), p.symbols.separator));
    }
    text.push_str(app.orientation_text());
    frame.render_widget(Clear, rect);
    let text = truncate(&text, rect.width as usize, p.symbols.ellipsis);
    frame.render_widget(Paragraph::new(Line::styled(text, p.style(Meaning::Warning))), rect);
}

/// The heading where close matches begin, filling `rect`'s one line: "Résultats proches"
/// and a rule to the right edge.
pub fn near_heading(app: &App, w: usize) -> Line<'static> {
    let p = app.palette();
    let label = app.strings().get("search.near").to_string();
    let rule = if p.symbols.ascii { "-" } else { "─" };
    let lead = format!("{rule}{rule} ");
    let fill = w.saturating_sub(width(&lead) + width(&label) + 1);
    Line::from(vec![
        Span::styled(lead, p.style(Meaning::Muted)),
        Span::styled(label, p.style(Meaning::Title)),
        Span::styled(format!(" {}", rule.repeat(fill)), p.style(Meaning::Muted)),
    ])
}

/// The line above the list when the answer starts with close matches: nothing contained the
/// words, and what follows only resembles them.
pub fn near_only_line(app: &App, w: usize) -> Line<'static> {
    let p = app.palette();
    let text = app.strings().fmt("search.near_only", &[("query", &quoted(app, w.saturating_sub(40)))]);
    Line::styled(truncate(&text, w, p.symbols.ellipsis), p.style(Meaning::Warning))
}
