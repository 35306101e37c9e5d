//! The detail page's QR code scans (#13, item 7): the page is rendered into a buffer as the
//! kiosk draws it, the code's cells are turned back into pixels the way a terminal would
//! light them (glyph halves, colours, reverse video), and a QR decoder (`rqrr`) must read the
//! initiative's website from them — in colour, in monochrome, and on the Linux console
//! (ASCII everywhere but the block glyphs its font has), plus `##` modules where even those
//! are missing.

mod ui_common;

use std::time::Instant;

use ratatui::buffer::{Buffer, Cell};
use ratatui::style::{Color, Modifier};
use ui_common::*;
use wic::ui::action::Action;
use wic::ui::app::Mode;
use wic::ui::palette::{Capability, Palette, Symbols};
use wic::ui::runtime::Runtime;

const ID: &str = "bicycode-fub";

/// Opens the detail of [`ID`] in a staff session drawn with `palette`.
fn detail_in(palette: Palette, t: Instant) -> Runtime {
    let mut app = app_with(Mode::Staff, palette, t);
    type_str(&mut app, "bicycode", t);
    for _ in 0..app.result_count() {
        if selected_id(&app).as_deref() == Some(ID) {
            break;
        }
        act(&mut app, Action::Down, t);
    }
    act(&mut app, Action::Open, t);
    assert_eq!(app.visit().detail.as_ref().map(|i| i.id.as_str()), Some(ID));
    app
}

/// Whether a cell belongs to the code: the style the detail page gives it (dark on light,
/// or reverse video without bold where there is no colour).
fn is_code(cell: &Cell, palette: &Palette) -> bool {
    match palette.capability {
        Capability::Mono | Capability::HighContrast => {
            cell.modifier.contains(Modifier::REVERSED) && !cell.modifier.contains(Modifier::BOLD)
        }
        _ => cell.fg == Color::Black && cell.bg == Color::White,
    }
}

/// The Linux console's defaults: light grey on black.
const DEFAULT_FG: u8 = 170;
const DEFAULT_BG: u8 = 0;

/// Grey level of a colour as a terminal with the console's defaults (light grey text on
/// black) shows it.
fn grey(color: Color, default: u8) -> u8 {
    match color {
        Color::Reset => default,
        Color::Black => 0,
        Color::White => 255,
        other => panic!("unexpected colour in the code: {other:?}"),
    }
}

/// The code's cells as a greyscale image: each cell 2 pixels wide and 4 high (a terminal
/// cell is about twice as tall as wide), its upper and lower halves lit by the glyph's
/// shape, then scaled up and framed with the terminal's own dark background — what a phone
/// sees: only the code's 2-module quiet zone is light.
fn rasterise(buf: &Buffer, palette: &Palette) -> (usize, usize, Vec<u8>) {
    let cells: Vec<(u16, u16)> = (0..buf.area.height)
        .flat_map(|y| (0..buf.area.width).map(move |x| (x, y)))
        .filter(|&(x, y)| is_code(&buf[(x, y)], palette))
        .collect();
    assert!(cells.len() > 100, "a code is drawn:\n{}", buffer_text(buf));
    let (x0, x1) = (cells.iter().map(|c| c.0).min().unwrap(), cells.iter().map(|c| c.0).max().unwrap());
    let (y0, y1) = (cells.iter().map(|c| c.1).min().unwrap(), cells.iter().map(|c| c.1).max().unwrap());
    const SCALE: usize = 4;
    const MARGIN: usize = 40;
    let (cw, ch) = ((x1 - x0 + 1) as usize, (y1 - y0 + 1) as usize);
    let (w, h) = (cw * 2 * SCALE + 2 * MARGIN, ch * 4 * SCALE + 2 * MARGIN);
    let mut pixels = vec![grey(Color::Reset, DEFAULT_BG); w * h];
    for cy in 0..ch {
        for cx in 0..cw {
            let cell = &buf[(x0 + cx as u16, y0 + cy as u16)];
            let (mut fg, mut bg) = (grey(cell.fg, DEFAULT_FG), grey(cell.bg, DEFAULT_BG));
            if cell.modifier.contains(Modifier::REVERSED) {
                std::mem::swap(&mut fg, &mut bg);
            }
            let (top, bottom) = match cell.symbol() {
                "█" | "#" => (true, true),
                "▀" => (true, false),
                "▄" => (false, true),
                " " => (false, false),
                other => panic!("unexpected glyph {other:?} in the code"),
            };
            for py in 0..4 * SCALE {
                let lit = if py < 2 * SCALE { top } else { bottom };
                for px in 0..2 * SCALE {
                    let (x, y) = (MARGIN + cx * 2 * SCALE + px, MARGIN + cy * 4 * SCALE + py);
                    pixels[y * w + x] = if lit { fg } else { bg };
                }
            }
        }
    }
    (w, h, pixels)
}

fn decode(buf: &Buffer, palette: &Palette, mode: &str) -> String {
    let (w, h, pixels) = rasterise(buf, palette);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "{mode}: one code found");
    let (_, content) =
        grids[0].decode().unwrap_or_else(|e| panic!("{mode}: the code decodes: {e:?}\n{}", buffer_text(buf)));
    content
}

#[test]
fn the_detail_pages_code_scans_in_colour_monochrome_and_on_the_console() {
    let t = Instant::now();
    let console = |capability| Palette { capability, symbols: Symbols::console() };
    for (mode, palette, (w, h)) in [
        ("colour", Palette::new(Capability::Full, false), (80, 24)),
        ("monochrome", Palette::new(Capability::Mono, false), (80, 24)),
        ("console (TERM=linux)", console(Capability::Ansi16), (80, 24)),
        ("console, NO_COLOR", console(Capability::Mono), (80, 24)),
        // `##` modules take twice the room: beside the text from 120 columns.
        ("ASCII (vt100, dumb)", Palette::new(Capability::Mono, true), (120, 40)),
    ] {
        let mut app = detail_in(palette, t);
        let buf = render(&mut app, w, h, t);
        let website = app.visit().detail.as_ref().map(|i| i.website.clone()).unwrap_or_default();
        assert!(website.starts_with("http"), "{ID} has a website");
        assert!(screen_has(&buf, "Scannez"), "{mode}: the code is introduced:\n{}", buffer_text(&buf));
        assert_eq!(decode(&buf, &palette, mode), website, "{mode}");
    }
}

/// The console's palette is what `TERM=linux` gets: ASCII arrows and borders, but the blocks.
#[test]
fn term_linux_gets_the_block_glyphs() {
    let env = wic::terminal_env::TermEnv { term: "linux".into(), ..Default::default() };
    let p = Palette::for_terminal(&env, "auto", false);
    assert!(p.symbols.ascii && p.symbols.blocks);
    let env = wic::terminal_env::TermEnv { term: "vt100".into(), ..Default::default() };
    assert!(!Palette::for_terminal(&env, "auto", false).symbols.blocks);
}
