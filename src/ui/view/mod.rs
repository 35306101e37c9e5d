//! Rendering: a pure function of `&App`, one module per screen. Nothing here changes state.

pub mod detail;
pub mod edit;
pub mod guidance;
pub mod help;
pub mod home;
pub mod map;
pub mod map_labels;
pub mod picker;
mod reasons;
pub mod results;
pub mod review;
pub mod shortlist;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::app::{App, Screen};
use super::keys;
use super::layout::{MIN_HEIGHT, MIN_WIDTH};
use super::palette::Meaning;
use crate::text::fit::{truncate, width};

/// Draws the whole screen for `app`. `countdown` is the idle warning's seconds left, if shown.
pub fn render(frame: &mut Frame, app: &App, countdown: Option<u64>) {
    let area = frame.area();
    if app.too_small() {
        too_small(frame, app, area);
        // The reset still happens in a small window: the visitor must still be warned.
        if let Some(n) = countdown {
            idle_warning(frame, app, area, n);
        }
        return;
    }
    match app.screen() {
        Screen::Home => home::render(frame, app, area),
        Screen::Results => results::render(frame, app, area),
        Screen::Detail => detail::render(frame, app, area),
        Screen::Help => help::render_help(frame, app, area),
        Screen::About => help::render_about(frame, app, area),
        Screen::Map => map::render(frame, app, area),
        Screen::Shortlist => shortlist::render(frame, app, area),
        Screen::Review => review::render(frame, app, area),
        Screen::Edit => edit::render(frame, app, area),
    }
    if app.screen() == Screen::Detail
        && let Some(selected) = app.visit().report_menu
    {
        report_menu(frame, app, area, selected);
    }
    if matches!(app.screen(), Screen::Detail | Screen::Results | Screen::Home | Screen::Map | Screen::Edit)
        && let Some((message, failed)) = &app.visit().message
    {
        // A printed ticket, or a key that can't do its job here, says so where the visitor
        // is looking.
        let style = app.palette().style(if *failed { Meaning::Warning } else { Meaning::Badge });
        let rect = Rect { y: area.y + area.height.saturating_sub(2), height: 1.min(area.height), ..area };
        frame.render_widget(Clear, rect);
        let text = truncate(message, area.width as usize, app.palette().symbols.ellipsis);
        frame.render_widget(Paragraph::new(Line::styled(text, style)), rect);
    }
    if let Some(question) = app.visit().confirm {
        // A question that guards the shortlist, on whatever screen it was asked.
        let n = app.visit().shortlist.len().to_string();
        let key = match question {
            crate::ui::app::Confirm::Quit => "shortlist.confirm_quit",
            crate::ui::app::Confirm::ClearList => "shortlist.confirm_clear",
        };
        let text = app.strings().fmt(key, &[("n", &n)]);
        let rect = Rect { y: area.y + area.height.saturating_sub(3), height: 2.min(area.height), ..area };
        frame.render_widget(Clear, rect);
        let style = app.palette().style(Meaning::Warning);
        frame.render_widget(Paragraph::new(text).style(style).wrap(Wrap { trim: true }), rect);
    }
    if let Some(n) = countdown {
        idle_warning(frame, app, area, n);
    }
}

/// "Signaler une erreur": the reasons, numbered, in a box over the detail page. No free
/// text: nothing personal is ever typed on a public kiosk.
fn report_menu(frame: &mut Frame, app: &App, area: Rect, selected: usize) {
    let s = app.strings();
    let p = app.palette();
    let reasons = crate::ui::app::REASONS;
    let height = (reasons.len() as u16 + 4).min(area.height);
    let width_ = area.width.saturating_sub(4).min(56);
    let rect = Rect {
        x: area.x + (area.width - width_) / 2,
        y: area.y + area.height.saturating_sub(height) / 2,
        width: width_,
        height,
    };
    frame.render_widget(Clear, rect);
    let mut lines = vec![Line::styled(s.get("report.title").to_string(), p.style(Meaning::Title))];
    for (i, reason) in reasons.iter().enumerate() {
        let marker = if i == selected { p.symbols.marker } else { "  " };
        let style = if i == selected { p.style(Meaning::Selected) } else { p.style(Meaning::Text) };
        lines.push(Line::styled(format!("{marker}{}. {}", i + 1, s.get(reason.label_key())), style));
    }
    lines.push(Line::styled(s.get("report.hint").to_string(), p.style(Meaning::Muted)));
    let block = ratatui::widgets::Block::bordered()
        .border_set(if p.symbols.ascii { ASCII_BORDER } else { ratatui::symbols::border::PLAIN })
        .border_style(p.style(Meaning::Border));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }).block(block), rect);
}

/// Borders a terminal without box drawing can show.
const ASCII_BORDER: ratatui::symbols::border::Set = ratatui::symbols::border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

fn too_small(frame: &mut Frame, app: &App, area: Rect) {
    let w = MIN_WIDTH.to_string();
    let h = MIN_HEIGHT.to_string();
    let text = app.strings().fmt("small.message", &[("w", &w), ("h", &h)]);
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

fn idle_warning(frame: &mut Frame, app: &App, area: Rect, n: u64) {
    let text = app.strings().fmt("idle.warning", &[("n", &n.to_string())]);
    let height = 3.min(area.height);
    let rect = Rect { x: area.x, y: area.y + area.height.saturating_sub(height + 1), width: area.width, height };
    frame.render_widget(Clear, rect);
    let style = app.palette().style(Meaning::Warning);
    frame.render_widget(Paragraph::new(text).style(style).wrap(Wrap { trim: true }), rect);
}

/// The title bar: product name on the left, the kiosk's commune and the time on the right.
pub fn title_bar(frame: &mut Frame, app: &App, area: Rect) {
    let s = &app.strings();
    let mut right = String::new();
    if let Some(c) = &app.kiosk_commune() {
        right.push_str(&s.fmt("app.kiosk_at", &[("commune", &c.name)]));
    }
    if !app.clock().is_empty() {
        if !right.is_empty() {
            right.push_str("  ");
        }
        right.push_str(app.clock());
    }
    let room = (area.width as usize).saturating_sub(width(&right) + 1);
    let title = if width(s.get("app.title")) <= room { s.get("app.title") } else { s.get("app.short_title") };
    let title = truncate(title, room, app.palette().symbols.ellipsis);
    let pad = (area.width as usize).saturating_sub(width(&title) + width(&right));
    let line = Line::from(vec![
        Span::styled(title, app.palette().style(Meaning::Title)),
        Span::raw(" ".repeat(pad)),
        Span::styled(right, app.palette().style(Meaning::Muted)),
    ]);
    frame.render_widget(Paragraph::new(line), Rect { height: 1, ..area });
}

/// The key bar: the table's bindings for this screen, as many as fit, the most important
/// first (the table's footer priority), shown in the table's order.
pub fn footer(frame: &mut Frame, app: &App, area: Rect) {
    let rect = Rect { y: area.y + area.height.saturating_sub(1), height: 1.min(area.height), ..area };
    let moving = |b: &keys::Binding| matches!(b.desc, "keys.move_desc" | "keys.open_desc");
    let shown: Vec<&keys::Binding> = keys::applicable(app)
        .filter(|b| b.footer.contains(&app.screen()))
        // Moving and opening mean nothing in an empty list. An answer without rows offers
        // themes: ↑↓ choose one, and only then does Entrée open something.
        .filter(|b| {
            let themes = app.offers_themes() && (b.desc == "keys.move_desc" || app.visit().theme_choice.is_some());
            app.result_count() > 0 || themes || !moving(b)
        })
        .filter(|b| {
            !app.visit().shortlist.is_empty() || app.screen() != Screen::Shortlist || b.desc == "keys.back_desc"
        })
        .collect();
    let hint = |b: &keys::Binding| (app.symbol_text(b.key_name(app)), app.symbol_text(&b.desc_text(app)));
    let cost = |b: &keys::Binding| {
        let (key, desc) = hint(b);
        width(&key) + width(&desc) + 5
    };
    // Fill the line by priority; what fits is then drawn in the table's order.
    let mut keep = vec![false; shown.len()];
    let mut budget = area.width as usize;
    let mut by_priority: Vec<usize> = (0..shown.len()).collect();
    by_priority.sort_by_key(|&i| shown[i].priority);
    for i in by_priority {
        // Priority 0 (help, language) always stays: a visitor lost in another language needs
        // them most.
        if shown[i].priority == 0 || cost(shown[i]) <= budget {
            budget = budget.saturating_sub(cost(shown[i]));
            keep[i] = true;
        }
    }
    let mut spans: Vec<Span> = Vec::new();
    for (b, _) in shown.iter().zip(&keep).filter(|(_, k)| **k) {
        let (key, desc) = hint(b);
        spans.push(Span::styled(format!(" {key} "), app.palette().style(Meaning::Key)));
        spans.push(Span::raw(format!(" {desc}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), rect);
}

/// A theme's name on screen: the screen language's translation (`themes.<slug>.label` in its
/// i18n file) where there is one, else the reference data's French or English
/// (`seeds/themes.csv`, which administrators may edit).
pub fn theme_label<'a>(app: &'a App, theme: &'a crate::catalogue::Theme) -> &'a str {
    let s = app.strings();
    s.own(&format!("themes.{}.label", theme.slug)).unwrap_or_else(|| theme.label(&s.lang))
}

/// A theme's name with its sign in front ("♨ Se nourrir", "[N] Se nourrir" in ASCII): how
/// every screen names a theme, so a visitor who reads little finds it by its picture.
pub fn theme_title(app: &App, theme: &crate::catalogue::Theme) -> String {
    let signs = app.signs();
    crate::pictogram::labelled(&theme.slug, theme_label(app, theme), signs)
}

/// A theme's examples on Home, found as [`theme_label`] finds its name.
pub fn theme_hint<'a>(app: &'a App, theme: &'a crate::catalogue::Theme) -> &'a str {
    let s = app.strings();
    s.own(&format!("themes.{}.hint", theme.slug)).unwrap_or_else(|| theme.hint(&s.lang))
}

/// A line of label + value pairs, for filters and counts.
pub fn styled(text: impl Into<String>, style: Style) -> Span<'static> {
    Span::styled(text.into(), style)
}
