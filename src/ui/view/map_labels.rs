//! Where the map's marks and commune names go, cell by cell, so that nothing overwrites
//! anything: marks (the selection, the kiosk, the results) keep their cells; names are placed
//! most important first, to the right of their commune's centre, else to its left, else
//! shortened, else left out (the dot stays). The map once drew `●Sai●t-Cloude-Billancourt`:
//! dots printed over names and names over each other.
//!
//! Pure arithmetic on cells; `map.rs` draws the result.

/// A mark that owns its cell (a result, the selection, the kiosk).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub col: u16,
    pub row: u16,
    /// Higher wins a shared cell.
    pub rank: u8,
}

/// A name wanted beside a commune's centre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub col: u16,
    pub row: u16,
    pub name: String,
}

/// A name placed: its first cell and the text (perhaps shortened).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub col: u16,
    pub row: u16,
    pub text: String,
}

/// Shortest name kept when shortening (before the ellipsis): fewer letters say nothing.
const MIN_LETTERS: usize = 4;

/// Which mark shows in each cell: where several share one, the highest rank.
pub fn visible_marks(marks: &[Mark]) -> Vec<Mark> {
    let mut by_cell: Vec<Mark> = Vec::new();
    for m in marks {
        match by_cell.iter_mut().find(|o| (o.col, o.row) == (m.col, m.row)) {
            Some(o) if o.rank < m.rank => *o = *m,
            Some(_) => {}
            None => by_cell.push(*m),
        }
    }
    by_cell
}

/// Places `wanted` names (most important first) in a `width` × `height` grid where `marks`
/// hold their cells. A name never covers a mark, never touches another name on its row (one
/// blank between), and never leaves the grid.
pub fn place(width: u16, height: u16, marks: &[Mark], wanted: &[Wanted], ellipsis: &str) -> Vec<Placed> {
    let (w, h) = (width as usize, height as usize);
    // 0: free, 1: a mark, 2: a name.
    let mut grid = vec![0u8; w * h];
    for m in marks {
        if (m.col as usize) < w && (m.row as usize) < h {
            grid[m.row as usize * w + m.col as usize] = 1;
        }
    }
    let fits = |grid: &[u8], row: usize, start: usize, len: usize| -> bool {
        if len == 0 || start + len > w {
            return false;
        }
        let cells_free = (start..start + len).all(|x| grid[row * w + x] == 0);
        // One blank between two names, so they read as two.
        let gap_before = start == 0 || grid[row * w + start - 1] != 2;
        let gap_after = start + len >= w || grid[row * w + start + len] != 2;
        cells_free && gap_before && gap_after
    };
    let mut placed = Vec::new();
    for want in wanted {
        let (col, row) = (want.col as usize, want.row as usize);
        if row >= h || col >= w {
            continue;
        }
        let letters: Vec<char> = want.name.chars().collect();
        // The whole name, then shorter ones, each tried right of the centre, then left of it.
        let mut texts = vec![want.name.clone()];
        for keep in (MIN_LETTERS..letters.len()).rev() {
            texts.push(format!("{}{ellipsis}", letters[..keep].iter().collect::<String>()));
        }
        let spot = texts.into_iter().find_map(|text| {
            let len = text.chars().count();
            let right = col + 1;
            if fits(&grid, row, right, len) {
                return Some((right, text));
            }
            let left = col.checked_sub(len)?;
            fits(&grid, row, left, len).then_some((left, text))
        });
        if let Some((start, text)) = spot {
            let len = text.chars().count();
            grid[row * w + start..row * w + start + len].fill(2);
            placed.push(Placed { col: start as u16, row: row as u16, text });
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn want(col: u16, row: u16, name: &str) -> Wanted {
        Wanted { col, row, name: name.into() }
    }

    fn covers(p: &Placed, col: u16, row: u16) -> bool {
        p.row == row && col >= p.col && col < p.col + p.text.chars().count() as u16
    }

    #[test]
    fn a_name_never_covers_a_mark() {
        // Saint-Cloud's name would run over a result dot three cells to the right.
        let marks = [Mark { col: 15, row: 5, rank: 1 }];
        let placed = place(40, 10, &marks, &[want(12, 5, "Saint-Cloud")], "…");
        assert_eq!(placed.len(), 1);
        assert!(!covers(&placed[0], 15, 5), "{placed:?}");
        assert_eq!(placed[0].text, "Saint-Cloud", "it fits whole on the left");
        assert_eq!(placed[0].col + 11, 12);
    }

    #[test]
    fn names_never_overlap_the_less_important_is_shortened_or_dropped() {
        let wanted = [want(5, 3, "Issy-les-Moulineaux"), want(12, 3, "Boulogne-Billancourt"), want(8, 3, "Vanves")];
        let placed = place(30, 6, &[], &wanted, "…");
        assert_eq!(placed[0].text, "Issy-les-Moulineaux", "the first wanted is placed whole");
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                if a.row == b.row {
                    let (a0, a1) = (a.col, a.col + a.text.chars().count() as u16);
                    let (b0, b1) = (b.col, b.col + b.text.chars().count() as u16);
                    assert!(a1 < b0 || b1 < a0, "one blank between {a:?} and {b:?}");
                }
            }
        }
        assert!(placed.len() < 3 || placed.iter().any(|p| p.text.ends_with('…')), "{placed:?}");
    }

    #[test]
    fn names_stay_inside_the_map() {
        let placed = place(20, 4, &[], &[want(15, 1, "Villeneuve-la-Garenne")], "...");
        for p in &placed {
            assert!(p.col as usize + p.text.chars().count() <= 20, "{p:?}");
        }
        assert!(!placed.is_empty(), "shortened rather than dropped: {placed:?}");
    }

    #[test]
    fn the_highest_mark_wins_a_shared_cell() {
        let marks =
            [Mark { col: 1, row: 1, rank: 1 }, Mark { col: 1, row: 1, rank: 3 }, Mark { col: 2, row: 1, rank: 1 }];
        let shown = visible_marks(&marks);
        assert_eq!(shown.len(), 2);
        assert!(shown.contains(&Mark { col: 1, row: 1, rank: 3 }));
    }
}
