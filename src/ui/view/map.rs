//! Map: the current results as dots over the 36 communes of the Hauts-de-Seine, the kiosk as a
//! cross, the selected result highlighted and named below. Commune centres and names come from
//! the reference data (`seeds/communes.csv`); we ship no outlines, so nothing on this map is
//! drawn that the data does not hold.
//!
//! Coordinates are projected to kilometres (equirectangular, fine at this scale) and the
//! bounds chosen so that a terminal cell, about twice as tall as wide, keeps distances true:
//! the 1 km and 2 km rings around the kiosk stay round.

use std::collections::HashSet;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::widgets::canvas::{Canvas, Circle, Points};

use super::{footer, title_bar};
use crate::geo::{self, Point};
use crate::text::fit::truncate;
use crate::ui::app::App;
use crate::ui::palette::Meaning;

/// Kilometres per degree: latitude everywhere, longitude at the département's latitude.
const KM_PER_LAT: f64 = 111.2;
const KM_PER_LON: f64 = 73.2;

/// Where a point lands on the canvas, in kilometres from an arbitrary origin.
fn km(p: Point) -> (f64, f64) {
    (p.lon * KM_PER_LON, p.lat * KM_PER_LAT)
}

/// Canvas bounds that hold every commune with a margin, keeping kilometres square on screen.
fn bounds(app: &App, cols: u16, rows: u16) -> ([f64; 2], [f64; 2]) {
    let pts: Vec<(f64, f64)> = app.reference().communes.iter().map(|c| km(Point { lat: c.lat, lon: c.lon })).collect();
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (x, y) in pts.iter().copied().chain(app.origin().map(km)) {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    if x0 > x1 {
        return ([0.0, 1.0], [0.0, 1.0]);
    }
    let margin = 1.0;
    let (w, h) = (x1 - x0 + 2.0 * margin, y1 - y0 + 2.0 * margin);
    let scale = (w / cols.max(1) as f64).max(h / (rows.max(1) as f64 * 2.0));
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let (half_w, half_h) = (scale * cols as f64 / 2.0, scale * rows as f64);
    ([cx - half_w, cx + half_w], [cy - half_h, cy + half_h])
}

pub fn render(frame: &mut Frame, app: &App, area: Rect) {
    title_bar(frame, app, area);
    let s = &app.strings();
    let p = &app.palette();
    let ascii = p.symbols.ascii;
    let (dot, selected_dot, kiosk_mark, centre) =
        if ascii { ("o", "@", "X", ".") } else { ("●", "◉", "✚", "·") };

    // Legend line.
    let count = s.fmt("search.results", &[("n", &app.result_count().to_string())]);
    let mut legend = vec![
        Span::styled(format!("{}  ", s.get("map.title")), p.style(Meaning::Title)),
        Span::styled(format!("{count}   "), p.style(Meaning::Muted)),
        Span::styled(format!("{dot} "), p.style(Meaning::Badge)),
        Span::raw(format!("{}  ", s.get("map.legend_results"))),
        Span::styled(format!("{selected_dot} "), p.style(Meaning::Highlight)),
        Span::raw(format!("{}  ", s.get("map.legend_selected"))),
    ];
    // The legend tells the truth: "vous êtes ici" only where the kiosk's place is known;
    // after F9 (staff) the mark is the person's commune.
    let here = match &app.visit().near {
        Some(c) => Some(s.fmt("map.legend_person", &[("commune", &c.name)])),
        None => app.kiosk_point().map(|_| s.get("map.legend_kiosk").to_string()),
    };
    if let Some(here) = here {
        legend.push(Span::styled(format!("{kiosk_mark} "), p.style(Meaning::Warning)));
        legend.push(Span::raw(here));
    }
    let legend = Line::from(legend);
    frame.render_widget(Paragraph::new(legend), Rect { y: area.y + 1, height: 1, ..area });

    let map = Rect { y: area.y + 2, height: area.height.saturating_sub(5), ..area };
    let info = Rect { y: map.y + map.height, height: 2.min(area.height), ..area };

    // Which results have a place, and where.
    let mut placed: Vec<(usize, (f64, f64))> = Vec::new();
    let mut unplaced = 0;
    for i in 0..app.result_count() {
        let located =
            app.visit().rows.get(i).and_then(Option::as_ref).and_then(|item| geo::locate(item, app.reference()));
        match located {
            Some(l) => placed.push((i, km(l.point))),
            None if app.visit().rows.get(i).is_some_and(Option::is_some) => unplaced += 1,
            None => {}
        }
    }
    let communes_with_results: HashSet<&str> = (0..app.result_count())
        .filter_map(|i| app.visit().rows.get(i).and_then(Option::as_ref))
        .map(|item| item.commune.as_str())
        .collect();

    let (xb, yb) = bounds(app, map.width, map.height);
    let commune_pts: Vec<(f64, f64)> =
        app.reference().communes.iter().map(|c| km(Point { lat: c.lat, lon: c.lon })).collect();
    let origin = app.origin().map(km);
    let selected = app.visit().selected;
    let muted = p.style(Meaning::Muted);
    let canvas = Canvas::default()
        .marker(if ascii { Marker::Dot } else { Marker::Braille })
        .x_bounds(xb)
        .y_bounds(yb)
        .paint(|ctx| {
            if !ascii {
                // Commune centres as fine dots, and rings of 1 and 2 km around the kiosk.
                ctx.draw(&Points { coords: &commune_pts, color: muted.fg.unwrap_or_default() });
                if let Some((x, y)) = origin {
                    for r in [1.0, 2.0] {
                        ctx.draw(&Circle { x, y, radius: r, color: muted.fg.unwrap_or_default() });
                    }
                }
                ctx.layer();
            }
            // Names only where there is something to find, or the map becomes a wall of text;
            // bare centres first, so that no dot ever lands inside a name.
            let with_results = |c: &&crate::catalogue::Commune| communes_with_results.contains(c.insee.as_str());
            if ascii {
                for (_, (x, y)) in app.reference().communes.iter().zip(&commune_pts).filter(|(c, _)| !with_results(c)) {
                    ctx.print(*x, *y, Line::styled(centre, muted));
                }
            }
            // A name that would run into another is left out (its dot stays): Malakoff and
            // Montrouge are a few cells apart at 80 columns.
            let mut taken: Vec<(i64, i64, i64)> = Vec::new();
            for (c, (x, y)) in app.reference().communes.iter().zip(&commune_pts).filter(|(c, _)| with_results(c)) {
                let col = ((x - xb[0]) / (xb[1] - xb[0]) * map.width as f64) as i64;
                let row = ((yb[1] - y) / (yb[1] - yb[0]) * map.height as f64) as i64;
                let end = col + 1 + c.name.chars().count() as i64;
                let free = taken.iter().all(|&(r, a, b)| r != row || end < a || col > b);
                if free {
                    taken.push((row, col, end));
                    ctx.print(*x, *y, Line::styled(format!("{centre}{}", c.name), muted));
                } else {
                    ctx.print(*x, *y, Line::styled(centre, muted));
                }
            }
            for (i, (x, y)) in &placed {
                if *i != selected {
                    ctx.print(*x, *y, Line::styled(dot, p.style(Meaning::Badge)));
                }
            }
            if let Some((x, y)) = origin {
                ctx.print(x, y, Line::styled(kiosk_mark, p.style(Meaning::Warning)));
            }
            // The selection last, so it is never hidden under another dot.
            if let Some((_, (x, y))) = placed.iter().find(|(i, _)| *i == selected) {
                ctx.print(*x, *y, Line::styled(selected_dot, p.style(Meaning::Highlight)));
            }
        });
    frame.render_widget(canvas, map);

    // What is selected, in words (the map alone is not enough for everyone).
    let mut lines: Vec<Line> = Vec::new();
    if placed.is_empty() {
        lines.push(Line::styled(s.get("map.none").to_string(), p.style(Meaning::Muted)));
    } else if let Some(item) = app.selected_initiative() {
        let mut text = format!("{}{} — {}", p.symbols.marker, item.name, super::results::place_of(app, item));
        if let Some(d) = app.mark(selected).and_then(|m| m.distance) {
            text.push_str(p.symbols.separator);
            text.push_str(&geo::describe_distance(d.metres, d.approx));
        }
        let room = area.width as usize;
        lines.push(Line::styled(truncate(&text, room, p.symbols.ellipsis), p.style(Meaning::Title)));
    }
    if unplaced > 0 {
        lines.push(Line::styled(s.fmt("map.online", &[("n", &unplaced.to_string())]), Style::default()));
    }
    frame.render_widget(Paragraph::new(lines), info);
    footer(frame, app, area);
}
