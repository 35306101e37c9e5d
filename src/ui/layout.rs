//! Screen geometry that drawing and mouse hit-testing share: where the result list starts,
//! how many rows a page holds, where Home's theme tiles sit. One home, so that a row drawn
//! with the number 3 is the row a click or the key `3` opens.

use ratatui::layout::Rect;

/// The smallest layout we draw; below it, a "please enlarge" message.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 18;

/// The largest area ever drawn: a bigger window (a 10000x10000 resize once took 7.8 GB for
/// the frame buffers and froze the kiosk) gets a frame of this size, centred.
pub const MAX_WIDTH: u16 = 500;
pub const MAX_HEIGHT: u16 = 200;

/// The area drawn in a window of `width` × `height`: all of it up to [`MAX_WIDTH`] ×
/// [`MAX_HEIGHT`], else that much, centred.
pub fn drawn_area(width: u16, height: u16) -> Rect {
    let (w, h) = (width.min(MAX_WIDTH), height.min(MAX_HEIGHT));
    Rect::new((width - w) / 2, (height - h) / 2, w, h)
}

/// First screen row of the result list (title, search, filters, counts above it).
pub const LIST_TOP: u16 = 4;
/// From this width, a preview pane shows the selected initiative beside the list.
pub const PREVIEW_MIN_WIDTH: u16 = 110;

/// Rows of the result list that fit in a window `height` rows high (two lines a result, the
/// footer below).
pub fn page_rows(height: u16) -> usize {
    let list_height = height.saturating_sub(LIST_TOP + 1) as usize;
    (list_height / 2).max(1)
}

/// Which row of the visible page (0 = the first) covers screen row `row`, if any.
pub fn result_row_at(row: u16) -> Option<usize> {
    (row >= LIST_TOP).then(|| ((row - LIST_TOP) / 2) as usize)
}

/// Columns and rows of Home's tile grid for `count` themes in a window `width` wide.
pub fn home_grid(count: usize, width: u16) -> (usize, usize) {
    let columns = if width >= 100 && count > 6 { 3 } else { 2 };
    (columns, count.div_ceil(columns))
}

/// The tile an arrow key moves to from tile `from` (tiles fill the first column, then the
/// second): ↑↓ within a column, ←→ to the same row of the next column, staying put at edges.
pub fn home_move(count: usize, width: u16, from: usize, dx: isize, dy: isize) -> usize {
    let (columns, rows) = home_grid(count, width);
    let (col, row) = ((from / rows.max(1)) as isize, (from % rows.max(1)) as isize);
    let (col, row) = ((col + dx).clamp(0, columns as isize - 1), (row + dy).clamp(0, rows as isize - 1));
    let to = (col * rows as isize + row) as usize;
    if to < count { to } else { from }
}

/// Where each theme's tile sits in `area`, in the order of `keys` (one per theme): filled
/// down the first column, then the second, so that reading order is 1…5, 6…0.
pub fn home_tiles(count: usize, area: Rect) -> Vec<Rect> {
    if count == 0 {
        return Vec::new();
    }
    let top = area.y + 6;
    let bottom = area.y + area.height.saturating_sub(2);
    let (columns, rows) = home_grid(count, area.width);
    let (columns, rows) = (columns as u16, rows as u16);
    let available = bottom.saturating_sub(top);
    let tile_h = (available / rows.max(1)).clamp(1, 3);
    let tile_w = area.width / columns;
    (0..count as u16)
        .map(|i| {
            let col = i / rows;
            let row = i % rows;
            Rect { x: area.x + col * tile_w, y: top + row * tile_h, width: tile_w, height: tile_h }
        })
        .filter(|r| r.y + r.height <= bottom)
        .collect()
}

/// The key of the theme whose tile covers the cell (`col`, `row`) of a window of `size`.
pub fn home_tile_at(keys: &[String], size: (u16, u16), col: u16, row: u16) -> Option<String> {
    let area = Rect { x: 0, y: 0, width: size.0, height: size.1 };
    home_tiles(keys.len(), area)
        .into_iter()
        .zip(keys)
        .find(|(r, _)| row >= r.y && row < r.y + r.height && col >= r.x && col < r.x + r.width)
        .map(|(_, k)| k.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_click_opens_the_tile_under_it_in_either_column() {
        let keys: Vec<String> = "1234567890".chars().map(String::from).collect();
        let tiles = home_tiles(10, Rect { x: 0, y: 0, width: 80, height: 24 });
        assert_eq!(tiles.len(), 10);
        let right = tiles[7];
        assert_eq!(home_tile_at(&keys, (80, 24), right.x + 1, right.y).as_deref(), Some("8"));
        let left = tiles[2];
        assert_eq!(home_tile_at(&keys, (80, 24), left.x + 1, left.y).as_deref(), Some("3"));
        assert_eq!(home_tile_at(&keys, (80, 24), 0, 0), None);
    }

    #[test]
    fn arrows_move_between_tiles_in_reading_order() {
        // 10 themes at 80 columns: two columns of five (1…5, 6…0).
        assert_eq!(home_move(10, 80, 0, 0, 1), 1);
        assert_eq!(home_move(10, 80, 0, 1, 0), 5);
        assert_eq!(home_move(10, 80, 5, -1, 0), 0);
        assert_eq!(home_move(10, 80, 4, 0, 1), 4, "the bottom stays put");
        assert_eq!(home_move(10, 80, 0, -1, 0), 0, "the left edge stays put");
        // At 120 columns, three columns of four: the third holds 8…0.
        assert_eq!(home_move(10, 120, 4, 1, 0), 8);
        assert_eq!(home_move(10, 120, 9, 0, 1), 9);
    }

    #[test]
    fn a_huge_window_gets_a_capped_centred_frame() {
        assert_eq!(drawn_area(80, 24), Rect::new(0, 0, 80, 24));
        assert_eq!(drawn_area(10_000, 10_000), Rect::new(4750, 4900, 500, 200));
        assert_eq!(drawn_area(600, 100), Rect::new(50, 0, 500, 100));
    }

    #[test]
    fn the_page_holds_two_lines_a_row() {
        assert_eq!(page_rows(24), 9);
        assert_eq!(page_rows(18), 6);
        assert_eq!(page_rows(3), 1);
        assert_eq!(result_row_at(LIST_TOP + 5), Some(2));
        assert_eq!(result_row_at(LIST_TOP - 1), None);
    }
}
