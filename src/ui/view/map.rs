//! Map: the current results as dots over the 36 communes of the Hauts-de-Seine, the kiosk as a
//! cross, the selected result highlighted and named below. Commune centres and names come from
//! the reference data (`seeds/communes.csv`); we ship no outlines, so nothing on this map is
//! drawn that the data does not hold.
//!
//! Coordinates are projected to kilometres (equirectangular, fine at this scale) and the
//! bounds chosen so that a terminal cell, about twice as tall as wide, keeps distances true:
//! the 1 km and 2 km rings around the kiosk stay round.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::widgets::canvas::{Canvas, Circle, Points};

use super::map_labels::{self, Mark, Wanted, visible_marks};
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
    // Results per commune: names are shown only where there is something to find (or the map
    // becomes a wall of text), the busiest first.
    let mut per_commune: HashMap<&str, usize> = HashMap::new();
    for item in (0..app.result_count()).filter_map(|i| app.visit().rows.get(i).and_then(Option::as_ref)) {
        *per_commune.entry(item.commune.as_str()).or_default() += 1;
    }

    let (xb, yb) = bounds(app, map.width, map.height);
    let communes = &app.reference().communes;
    let commune_pts: Vec<(f64, f64)> = communes.iter().map(|c| km(Point { lat: c.lat, lon: c.lon })).collect();
    let origin = app.origin().map(km);
    let selected = app.visit().selected;
    let muted = p.style(Meaning::Muted);
    if !ascii {
        // Commune centres as fine dots, and rings of 1 and 2 km around the kiosk: background
        // that names and marks may cover.
        let canvas = Canvas::default().marker(Marker::Braille).x_bounds(xb).y_bounds(yb).paint(|ctx| {
            ctx.draw(&Points { coords: &commune_pts, color: muted.fg.unwrap_or_default() });
            if let Some((x, y)) = origin {
                for r in [1.0, 2.0] {
                    ctx.draw(&Circle { x, y, radius: r, color: muted.fg.unwrap_or_default() });
                }
            }
        });
        frame.render_widget(canvas, map);
    }

    // Cells, as ratatui's canvas maps coordinates to them (so marks sit on the braille).
    let cell = |(x, y): (f64, f64)| -> Option<(u16, u16)> {
        let inside = (xb[0]..=xb[1]).contains(&x) && (yb[0]..=yb[1]).contains(&y) && map.width > 1 && map.height > 1;
        inside.then(|| {
            let col = ((x - xb[0]) * f64::from(map.width - 1) / (xb[1] - xb[0])) as u16;
            let row = ((yb[1] - y) * f64::from(map.height - 1) / (yb[1] - yb[0])) as u16;
            (col, row)
        })
    };
    const CENTRE: u8 = 0;
    const RESULT: u8 = 1;
    const HERE: u8 = 2;
    const SELECTED: u8 = 3;
    let mut marks: Vec<Mark> = Vec::new();
    for (c, pt) in communes.iter().zip(&commune_pts) {
        if per_commune.contains_key(c.insee.as_str())
            && let Some((col, row)) = cell(*pt)
        {
            marks.push(Mark { col, row, rank: CENTRE });
        }
    }
    for (i, pt) in &placed {
        if let Some((col, row)) = cell(*pt) {
            marks.push(Mark { col, row, rank: if *i == selected { SELECTED } else { RESULT } });
        }
    }
    if let Some((col, row)) = origin.and_then(cell) {
        marks.push(Mark { col, row, rank: HERE });
    }
    let marks = visible_marks(&marks);

    // Names, most useful first: the selection's commune, the place distances are measured
    // from, then the communes with the most results.
    let selected_commune = app.selected_initiative().map(|i| i.commune.as_str());
    let here_commune = app.visit().near.as_ref().or(app.kiosk_commune()).map(|c| c.insee.as_str());
    let mut named: Vec<(&crate::catalogue::Commune, &(f64, f64))> =
        communes.iter().zip(&commune_pts).filter(|(c, _)| per_commune.contains_key(c.insee.as_str())).collect();
    named.sort_by_key(|(c, _)| {
        let insee = c.insee.as_str();
        (
            Some(insee) != selected_commune,
            Some(insee) != here_commune,
            std::cmp::Reverse(per_commune.get(insee).copied().unwrap_or(0)),
            c.name.clone(),
        )
    });
    let wanted: Vec<Wanted> = named
        .iter()
        .filter_map(|(c, pt)| cell(**pt).map(|(col, row)| Wanted { col, row, name: c.name.clone() }))
        .collect();
    let names = map_labels::place(map.width, map.height, &marks, &wanted, p.symbols.ellipsis);

    let buf = frame.buffer_mut();
    let width = map.width as usize;
    let mut taken = vec![false; width * map.height as usize];
    for n in &names {
        buf.set_string(map.x + n.col, map.y + n.row, &n.text, muted);
        let start = n.row as usize * width + n.col as usize;
        taken[start..start + n.text.chars().count()].fill(true);
    }
    for m in &marks {
        let (glyph, style) = match m.rank {
            CENTRE => (centre, muted),
            RESULT => (dot, p.style(Meaning::Badge)),
            HERE => (kiosk_mark, p.style(Meaning::Warning)),
            _ => (selected_dot, p.style(Meaning::Highlight)),
        };
        buf.set_string(map.x + m.col, map.y + m.row, glyph, style);
        taken[m.row as usize * width + m.col as usize] = true;
    }
    if ascii {
        // Bare centres (no result there) only in cells nothing else wants.
        for pt in &commune_pts {
            if let Some((col, row)) = cell(*pt)
                && !taken[row as usize * width + col as usize]
            {
                buf.set_string(map.x + col, map.y + row, centre, muted);
            }
        }
    }
    // The cursor sits on the selection, as on every list: screen readers and magnifiers follow it.
    if let Some(m) = marks.iter().find(|m| m.rank == SELECTED) {
        frame.set_cursor_position((map.x + m.col, map.y + m.row));
    }

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
