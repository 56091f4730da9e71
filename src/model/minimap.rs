//! The minimap's picture of a design: a few path strings whatever the design's size, so the
//! page draws a 20,000-node design in the corner with three SVG elements. Large containers
//! are outlines; everything else is filled into a grid of small cells, merged along rows.

use super::design::{Design, Rect};
use super::edit::content_bounds;

/// Grid cell of the filled part, in minimap pixels.
const CELL: f64 = 2.0;
/// Containers drawn as outlines at most (the largest); smaller ones are filled cells.
const MAX_OUTLINES: usize = 400;
/// A container is outlined when at least this many minimap pixels wide and high.
const MIN_OUTLINE: f64 = 6.0;
/// Room around the design inside the minimap, in minimap pixels.
const MARGIN: f64 = 4.0;

/// How the design maps onto a `width` × `height` minimap, and what to draw.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Minimap {
    pub width: f64,
    pub height: f64,
    /// Minimap pixels per world unit.
    pub scale: f64,
    /// The world point drawn at the minimap's origin.
    pub origin: (f64, f64),
    /// Outlines of the large containers (one path).
    pub outlines: String,
    /// Everything else, as merged cells (one path).
    pub fill: String,
}

impl Minimap {
    /// A world point in minimap pixels.
    pub fn to_mini(&self, x: f64, y: f64) -> (f64, f64) {
        (
            (x - self.origin.0) * self.scale,
            (y - self.origin.1) * self.scale,
        )
    }

    /// A minimap point in world coordinates.
    pub fn to_world(&self, mx: f64, my: f64) -> (f64, f64) {
        (
            self.origin.0 + mx / self.scale,
            self.origin.1 + my / self.scale,
        )
    }
}

/// The minimap of `design` in `width` × `height` pixels; `None` for an empty design.
pub fn minimap(design: &Design, width: f64, height: f64) -> Option<Minimap> {
    let b = content_bounds(design)?;
    let (bw, bh) = (b.w().max(1) as f64, b.h().max(1) as f64);
    let scale = ((width - 2.0 * MARGIN) / bw).min((height - 2.0 * MARGIN) / bh);
    if !(scale.is_finite() && scale > 0.0) {
        return None;
    }
    // Centred: the unused room is shared on both sides.
    let origin = (
        b.x() as f64 - (width - bw * scale) / 2.0 / scale,
        b.y() as f64 - (height - bh * scale) / 2.0 / scale,
    );
    let mut map = Minimap {
        width,
        height,
        scale,
        origin,
        ..Minimap::default()
    };
    let mini = |r: &Rect| {
        let (x, y) = map.to_mini(r.x() as f64, r.y() as f64);
        (x, y, r.w() as f64 * scale, r.h() as f64 * scale)
    };
    let mut big: Vec<(f64, f64, f64, f64)> = Vec::new();
    let (cols, rows) = (
        (width / CELL).ceil() as usize,
        (height / CELL).ceil() as usize,
    );
    let mut cells = vec![false; cols * rows];
    for n in &design.nodes {
        let Some(r) = design.layout.get(&n.id) else {
            continue;
        };
        let m = mini(r);
        if n.kind().is_container() && m.2 >= MIN_OUTLINE && m.3 >= MIN_OUTLINE {
            big.push(m);
            continue;
        }
        if n.kind().is_container() {
            continue;
        }
        let c0 = (m.0 / CELL).floor().clamp(0.0, cols as f64 - 1.0) as usize;
        let c1 = ((m.0 + m.2) / CELL).floor().clamp(0.0, cols as f64 - 1.0) as usize;
        let r0 = (m.1 / CELL).floor().clamp(0.0, rows as f64 - 1.0) as usize;
        let r1 = ((m.1 + m.3) / CELL).floor().clamp(0.0, rows as f64 - 1.0) as usize;
        for row in r0..=r1 {
            cells[row * cols + c0..=row * cols + c1].fill(true);
        }
    }
    // Too many: only the larger ones (no sort: the page's bundle has no room for another).
    let mut least = MIN_OUTLINE;
    while big.len() > MAX_OUTLINES {
        least *= 1.5;
        big.retain(|b| b.2 >= least && b.3 >= least);
    }
    use std::fmt::Write;
    for (x, y, w, h) in big {
        let _ = write!(map.outlines, "M{x:.1} {y:.1}h{w:.1}v{h:.1}h{:.1}Z", -w);
    }
    for row in 0..rows {
        let mut col = 0;
        while col < cols {
            if !cells[row * cols + col] {
                col += 1;
                continue;
            }
            let start = col;
            while col < cols && cells[row * cols + col] {
                col += 1;
            }
            let _ = write!(
                map.fill,
                "M{} {}h{}v{CELL}h-{}Z",
                start as f64 * CELL,
                row as f64 * CELL,
                (col - start) as f64 * CELL,
                (col - start) as f64 * CELL
            );
        }
    }
    Some(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Node, NodeSpec};

    fn design(n: usize) -> Design {
        let mut d = Design::new("big");
        let mut region = Node::new("r", "r", NodeSpec::default_for(Kind::Region));
        region.parent = None;
        d.nodes.push(region);
        let side = (n as f64).sqrt().ceil() as i32;
        d.layout
            .insert("r".into(), Rect(0, 0, side * 200 + 40, side * 80 + 60));
        for i in 0..n {
            let id = format!("w{i}");
            let mut node = Node::new(
                id.clone(),
                id.clone(),
                NodeSpec::default_for(Kind::Database),
            );
            node.parent = Some("r".into());
            d.nodes.push(node);
            let (c, r) = (i as i32 % side, i as i32 / side);
            d.layout
                .insert(id, Rect(20 + c * 200, 40 + r * 80, 160, 56));
        }
        d
    }

    #[test]
    fn a_small_design_is_centred_and_outlined() {
        let d = design(4);
        let m = minimap(&d, 200.0, 140.0).unwrap();
        // The region outline, and the four leaves filled.
        assert_eq!(m.outlines.matches('M').count(), 1);
        assert!(!m.fill.is_empty());
        let (x, y) = m.to_mini(0.0, 0.0);
        let (bx, by) = m.to_mini(440.0, 220.0);
        assert!(x >= 0.0 && y >= 0.0 && bx <= 200.0 && by <= 140.0);
        assert!((x - (200.0 - bx)).abs() < 1e-6 || (y - (140.0 - by)).abs() < 1e-6);
        // A minimap point and back.
        let (wx, wy) = m.to_world(m.to_mini(123.0, 45.0).0, m.to_mini(123.0, 45.0).1);
        assert!((wx - 123.0).abs() < 1e-6 && (wy - 45.0).abs() < 1e-6);
        assert!(minimap(&Design::new("empty"), 200.0, 140.0).is_none());
    }

    #[test]
    fn twenty_thousand_nodes_make_a_bounded_picture() {
        let d = design(20_000);
        let m = minimap(&d, 200.0, 140.0).unwrap();
        // At most one run per cell row and column pair: far fewer than the nodes.
        assert!(m.fill.matches('M').count() <= 100 * 70);
        assert!(m.fill.len() < 200_000, "{}", m.fill.len());
        assert!(m.outlines.matches('M').count() <= MAX_OUTLINES);
    }
}
