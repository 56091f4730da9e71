//! Snapping while dragging: the dragged box's left, centre and right (top, middle, bottom)
//! lines come to rest on those of the boxes around it when they pass close by, and the
//! lines they meet on are drawn as guides. Pure geometry; the canvas calls [`snap`] on each
//! pointer move.

use super::design::Rect;

/// A guide line where the dragged box lines up with others, in world coordinates: vertical
/// (`x == at`, from `y = from` to `to`) or horizontal (`y == at`, from `x = from` to `to`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Guide {
    pub vertical: bool,
    pub at: f64,
    pub from: f64,
    pub to: f64,
}

/// The drag offset after snapping, and the guides to draw.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapped {
    pub dx: f64,
    pub dy: f64,
    pub guides: Vec<Guide>,
}

/// The three lines of a box along one axis: start, centre, end.
fn lines(start: f64, size: f64) -> [f64; 3] {
    [start, start + size / 2.0, start + size]
}

/// Along one axis: the correction that brings one of `mine` onto the nearest line of an
/// other box, if one is within `threshold`.
fn nearest(mine: [f64; 3], others: &[[f64; 3]], threshold: f64) -> Option<f64> {
    let mut best: Option<f64> = None;
    for theirs in others {
        for m in mine {
            for t in theirs {
                let d = t - m;
                if d.abs() <= threshold && best.is_none_or(|b| d.abs() < b.abs()) {
                    best = Some(d);
                }
            }
        }
    }
    best
}

/// A box's three lines along one axis (x for vertical guides) and its extent across it.
fn axis(r: &Rect, vertical: bool) -> ([f64; 3], (f64, f64)) {
    let (x, y, w, h) = (r.x() as f64, r.y() as f64, r.w() as f64, r.h() as f64);
    if vertical {
        (lines(x, w), (y, y + h))
    } else {
        (lines(y, h), (x, x + w))
    }
}

/// A guide through each of `mine` that some other box shares, spanning the snapped box
/// (`span`) and every box on it.
fn add_guides(
    guides: &mut Vec<Guide>,
    vertical: bool,
    mine: [f64; 3],
    span: (f64, f64),
    others: &[Rect],
) {
    for m in mine {
        let mut run: Option<(f64, f64)> = None;
        for r in others {
            let (theirs, (a, b)) = axis(r, vertical);
            if theirs.iter().any(|t| (t - m).abs() < 0.5) {
                let (lo, hi) = run.unwrap_or(span);
                run = Some((lo.min(a), hi.max(b)));
            }
        }
        if let Some((from, to)) = run {
            guides.push(Guide {
                vertical,
                at: m,
                from,
                to,
            });
        }
    }
}

/// Snaps `moving` dragged by `(dx, dy)` to `others` (its visible neighbours): along each
/// axis independently, the nearest pair of lines closer than `threshold` (world units) meet.
/// The guides run through every line the snapped box shares with another box, across both.
pub fn snap(moving: Rect, dx: f64, dy: f64, others: &[Rect], threshold: f64) -> Snapped {
    let xs: Vec<[f64; 3]> = others
        .iter()
        .map(|r| lines(r.x() as f64, r.w() as f64))
        .collect();
    let ys: Vec<[f64; 3]> = others
        .iter()
        .map(|r| lines(r.y() as f64, r.h() as f64))
        .collect();
    let (x, y) = (moving.x() as f64 + dx, moving.y() as f64 + dy);
    let (w, h) = (moving.w() as f64, moving.h() as f64);
    let cx = nearest(lines(x, w), &xs, threshold);
    let cy = nearest(lines(y, h), &ys, threshold);
    let (dx, dy) = (dx + cx.unwrap_or(0.0), dy + cy.unwrap_or(0.0));
    let (x, y) = (moving.x() as f64 + dx, moving.y() as f64 + dy);
    let mut guides = Vec::new();
    if cx.is_some() {
        add_guides(&mut guides, true, lines(x, w), (y, y + h), others);
    }
    if cy.is_some() {
        add_guides(&mut guides, false, lines(y, h), (x, x + w), others);
    }
    Snapped { dx, dy, guides }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snaps_left_edges_within_the_threshold_and_draws_a_guide() {
        // A box 4 units right of another's left edge, far below it: snaps left.
        let other = Rect(100, 0, 160, 56);
        let s = snap(Rect(0, 300, 160, 56), 104.0, 0.0, &[other], 6.0);
        assert_eq!((s.dx, s.dy), (100.0, 0.0));
        // Left and right edges (and the centres) all line up: three vertical guides from the
        // other box down through the dragged one.
        assert_eq!(s.guides.len(), 3);
        assert!(s
            .guides
            .iter()
            .all(|g| g.vertical && g.from == 0.0 && g.to == 356.0));
        assert_eq!(s.guides[0].at, 100.0);
    }

    #[test]
    fn snaps_centres_of_boxes_of_different_sizes() {
        let other = Rect(0, 0, 320, 200); // centre y = 100
                                          // A leaf (56 high) whose middle is at 103 after the drag: snaps up by 3.
        let s = snap(Rect(400, 0, 160, 56), 0.0, 75.0, &[other], 6.0);
        assert_eq!((s.dx, s.dy), (0.0, 72.0));
        assert_eq!(s.guides.len(), 1);
        let g = s.guides[0];
        assert!(!g.vertical);
        assert_eq!((g.at, g.from, g.to), (100.0, 0.0, 560.0));
    }

    #[test]
    fn does_not_snap_beyond_the_threshold() {
        let other = Rect(100, 0, 160, 56);
        let s = snap(Rect(0, 300, 160, 56), 110.0, 33.0, &[other], 6.0);
        assert_eq!((s.dx, s.dy), (110.0, 33.0));
        assert!(s.guides.is_empty());
        // Nothing around: nothing to snap to.
        let s = snap(Rect(0, 0, 160, 56), 1.5, 2.5, &[], 6.0);
        assert_eq!((s.dx, s.dy, s.guides.len()), (1.5, 2.5, 0));
    }

    #[test]
    fn the_nearest_line_wins_on_each_axis() {
        let a = Rect(100, 0, 160, 56);
        let b = Rect(97, 500, 160, 56);
        // Left edge at 98: 1 from b (97), 2 from a (100); snaps to b.
        let s = snap(Rect(0, 200, 160, 56), 98.0, 0.0, &[a, b], 6.0);
        assert_eq!(s.dx, 97.0);
        assert!(s.guides.iter().all(|g| g.from == 200.0 && g.to == 556.0));
    }
}
