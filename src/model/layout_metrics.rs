//! How readable a layout is, counted on the routes as the canvas and the SVG export draw them
//! ([`edge_route`]): link crossings, sibling boxes that overlap, route legs that pass through a
//! box that is neither an end of the link nor holds one, and children outside their parent.
//! Used to compare layouts (`infracanvas tidy --stats`, the tidy tests), not by the page.

use std::collections::{BTreeMap, HashMap};

use super::design::{Design, NodeId, Rect};
use super::edit::{edge_route, rect_within, Point};
use super::graph::DesignGraph;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LayoutMetrics {
    /// Pairs of route legs of two different links that cross (a proper crossing: touching
    /// ends do not count), or that run along each other when the links share no end.
    pub crossings: usize,
    /// Pairs of sibling boxes (same parent, or both at the top) whose insides overlap.
    pub overlaps: usize,
    /// (Route leg, box) pairs where the leg passes through the inside of a box that is not an
    /// end of its link nor an ancestor of one.
    pub through_boxes: usize,
    /// Nodes whose box is not within their parent's box.
    pub outside_parent: usize,
    /// Nodes without a box (not counted in the figures above).
    pub unplaced: usize,
}

/// Every figure of [`LayoutMetrics`] for the design's own layout.
pub fn measure(design: &Design) -> LayoutMetrics {
    measure_layout(design, &design.layout)
}

/// Every figure of [`LayoutMetrics`] for the design drawn with `layout`.
pub fn measure_layout(design: &Design, layout: &BTreeMap<NodeId, Rect>) -> LayoutMetrics {
    let graph = DesignGraph::new(design);
    let boxes: Vec<Option<Rect>> = design
        .nodes
        .iter()
        .map(|n| layout.get(&n.id).copied())
        .collect();
    let legs = route_legs(&graph, &boxes);
    LayoutMetrics {
        crossings: crossings(&legs),
        overlaps: sibling_overlaps(&graph, &boxes),
        through_boxes: legs_through_boxes(&graph, &boxes, &legs),
        outside_parent: (0..graph.len())
            .filter(|&i| {
                let parent = graph.parent(i).filter(|&p| p != i).and_then(|p| boxes[p]);
                matches!((boxes[i], parent), (Some(b), Some(p)) if !rect_within(b, p))
            })
            .count(),
        unplaced: boxes.iter().filter(|b| b.is_none()).count(),
    }
}

/// One straight leg of a drawn route, belonging to the link at `edge` between nodes `ends`.
#[derive(Debug, Clone, Copy)]
struct Leg {
    edge: usize,
    ends: (usize, usize),
    a: Point,
    b: Point,
}

impl Leg {
    fn min_x(&self) -> f64 {
        self.a.x.min(self.b.x)
    }
    fn max_x(&self) -> f64 {
        self.a.x.max(self.b.x)
    }
}

fn route_legs(graph: &DesignGraph, boxes: &[Option<Rect>]) -> Vec<Leg> {
    let mut legs = Vec::new();
    for e in 0..graph.design.edges.len() {
        let Some((f, t)) = graph.edge_ends(e) else {
            continue;
        };
        let (Some(from), Some(to)) = (boxes[f], boxes[t]) else {
            continue;
        };
        let (points, _) = edge_route(from, to);
        for w in points.windows(2) {
            legs.push(Leg {
                edge: e,
                ends: (f, t),
                a: w[0],
                b: w[1],
            });
        }
    }
    legs
}

/// Whether segments `p1`–`p2` and `q1`–`q2` cross at one point inside both.
pub fn segments_cross(p1: (f64, f64), p2: (f64, f64), q1: (f64, f64), q2: (f64, f64)) -> bool {
    let orient = |a: (f64, f64), b: (f64, f64), c: (f64, f64)| {
        let v = (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0);
        if v > 1e-9 {
            1
        } else if v < -1e-9 {
            -1
        } else {
            0
        }
    };
    let (d1, d2) = (orient(q1, q2, p1), orient(q1, q2, p2));
    let (d3, d4) = (orient(p1, p2, q1), orient(p1, p2, q2));
    d1 * d2 < 0 && d3 * d4 < 0
}

/// Crossing pairs of legs of different routes (each a polyline, with the two nodes it links:
/// legs of links with a common end may share a stretch).
pub fn route_crossings(routes: &[(Vec<Point>, (usize, usize))]) -> usize {
    let legs: Vec<Leg> = routes
        .iter()
        .enumerate()
        .flat_map(|(e, (points, ends))| {
            points.windows(2).map(move |w| Leg {
                edge: e,
                ends: *ends,
                a: w[0],
                b: w[1],
            })
        })
        .collect();
    crossings(&legs)
}

/// Whether two legs run along the same line for more than a unit: drawn on top of each other,
/// two links that have no end in common can no longer be told apart, which is worse than a
/// crossing, so it counts as one.
fn legs_share_stretch(s: &Leg, t: &Leg) -> bool {
    let along = |s0: f64, s1: f64, t0: f64, t1: f64| {
        s0.max(s1).min(t0.max(t1)) - s0.min(s1).max(t0.min(t1)) > 1.0
    };
    let horizontal = |l: &Leg| (l.a.y - l.b.y).abs() < 0.5;
    let vertical = |l: &Leg| (l.a.x - l.b.x).abs() < 0.5;
    if horizontal(s) && horizontal(t) && (s.a.y - t.a.y).abs() < 0.5 {
        return along(s.a.x, s.b.x, t.a.x, t.b.x);
    }
    if vertical(s) && vertical(t) && (s.a.x - t.a.x).abs() < 0.5 {
        return along(s.a.y, s.b.y, t.a.y, t.b.y);
    }
    false
}

/// Crossing pairs of legs of different links (and stretches shared by links without a common
/// end, see [`legs_share_stretch`]); legs sorted by their left end, each compared only with
/// those that start before it ends.
fn crossings(legs: &[Leg]) -> usize {
    let mut sorted: Vec<&Leg> = legs.iter().collect();
    sorted.sort_by(|a, b| a.min_x().total_cmp(&b.min_x()));
    let mut count = 0;
    for (i, s) in sorted.iter().enumerate() {
        for t in &sorted[i + 1..] {
            if t.min_x() > s.max_x() {
                break;
            }
            if s.edge == t.edge {
                continue;
            }
            let common_end = s.ends.0 == t.ends.0
                || s.ends.0 == t.ends.1
                || s.ends.1 == t.ends.0
                || s.ends.1 == t.ends.1;
            if segments_cross(
                (s.a.x, s.a.y),
                (s.b.x, s.b.y),
                (t.a.x, t.a.y),
                (t.b.x, t.b.y),
            ) || (!common_end && legs_share_stretch(s, t))
            {
                count += 1;
            }
        }
    }
    count
}

/// Whether two boxes share inside area (touching sides do not count).
pub fn insides_overlap(a: Rect, b: Rect) -> bool {
    a.x() < b.x() + b.w() && b.x() < a.x() + a.w() && a.y() < b.y() + b.h() && b.y() < a.y() + a.h()
}

fn sibling_overlaps(graph: &DesignGraph, boxes: &[Option<Rect>]) -> usize {
    let mut groups: HashMap<Option<usize>, Vec<Rect>> = HashMap::new();
    for (i, b) in boxes.iter().enumerate() {
        if let Some(b) = b {
            let parent = graph.parent(i).filter(|&p| p != i);
            groups.entry(parent).or_default().push(*b);
        }
    }
    let mut count = 0;
    for mut rects in groups.into_values() {
        rects.sort_by_key(|r| r.x());
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                if b.x() >= a.x() + a.w() {
                    break;
                }
                if insides_overlap(*a, *b) {
                    count += 1;
                }
            }
        }
    }
    count
}

/// Whether the segment `a`–`b` passes through the inside of `r` (Liang–Barsky clipping against
/// the box shrunk by half a unit, so legs along a side or ending on it do not count).
pub fn segment_through_box(a: Point, b: Point, r: Rect) -> bool {
    let (x0, y0) = (r.x() as f64 + 0.5, r.y() as f64 + 0.5);
    let (x1, y1) = ((r.x() + r.w()) as f64 - 0.5, (r.y() + r.h()) as f64 - 0.5);
    if x0 >= x1 || y0 >= y1 {
        return false;
    }
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.x - x0),
        (dx, x1 - a.x),
        (-dy, a.y - y0),
        (dy, y1 - a.y),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t0 < t1
}

fn legs_through_boxes(graph: &DesignGraph, boxes: &[Option<Rect>], legs: &[Leg]) -> usize {
    // Boxes sorted by left side; a leg is checked against those starting before it ends.
    let mut placed: Vec<(usize, Rect)> = boxes
        .iter()
        .enumerate()
        .filter_map(|(i, b)| b.map(|b| (i, b)))
        .collect();
    placed.sort_by_key(|(_, r)| r.x());
    let lefts: Vec<f64> = placed.iter().map(|(_, r)| r.x() as f64).collect();
    let allowed = |i: usize, ends: (usize, usize)| {
        let holds = |mut n: usize| {
            for _ in 0..=graph.len() {
                if n == i {
                    return true;
                }
                match graph.parent(n) {
                    Some(p) if p != n => n = p,
                    _ => return false,
                }
            }
            false
        };
        holds(ends.0) || holds(ends.1)
    };
    let mut count = 0;
    for leg in legs {
        let end = lefts.partition_point(|&x| x < leg.max_x());
        for &(i, r) in &placed[..end] {
            if ((r.x() + r.w()) as f64) <= leg.min_x() {
                continue;
            }
            if segment_through_box(leg.a, leg.b, r) && !allowed(i, leg.ends) {
                count += 1;
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Edge, EdgeKind, EdgeSpec, Kind, Node, NodeSpec};

    fn leaf(d: &mut Design, id: &str, r: Rect) {
        d.nodes
            .push(Node::new(id, id, NodeSpec::default_for(Kind::Database)));
        d.layout.insert(id.into(), r);
    }

    fn link(d: &mut Design, from: &str, to: &str) {
        let id = format!("{from}-{to}");
        d.edges.push(Edge::new(
            id,
            from,
            to,
            EdgeSpec::default_for(EdgeKind::DependsOn),
        ));
    }

    #[test]
    fn crossing_legs_are_counted_once_and_touching_ones_not_at_all() {
        assert!(segments_cross(
            (0.0, 0.0),
            (10.0, 0.0),
            (5.0, -5.0),
            (5.0, 5.0)
        ));
        assert!(!segments_cross(
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, -5.0),
            (10.0, 5.0)
        ));
        assert!(!segments_cross(
            (0.0, 0.0),
            (10.0, 0.0),
            (2.0, 0.0),
            (8.0, 0.0)
        ));
        // Two links drawn as an X: a above-left to below-right, b below-left to above-right.
        let mut d = Design::new("x");
        leaf(&mut d, "a", Rect(0, 0, 100, 50));
        leaf(&mut d, "b", Rect(0, 200, 100, 50));
        leaf(&mut d, "c", Rect(400, 0, 100, 50));
        leaf(&mut d, "e", Rect(400, 200, 100, 50));
        link(&mut d, "a", "e");
        link(&mut d, "b", "c");
        let m = measure(&d);
        assert_eq!(m.crossings, 1, "{m:?}");
        assert_eq!(m.overlaps, 0);
        assert_eq!(m.through_boxes, 0);
    }

    #[test]
    fn a_route_through_a_stranger_counts_but_not_through_its_own_container() {
        let mut d = Design::new("t");
        d.nodes
            .push(Node::new("vpc", "VPC", NodeSpec::default_for(Kind::Region)));
        d.layout.insert("vpc".into(), Rect(0, 0, 900, 200));
        leaf(&mut d, "a", Rect(20, 50, 100, 50));
        leaf(&mut d, "mid", Rect(300, 40, 100, 80));
        leaf(&mut d, "b", Rect(600, 50, 100, 50));
        for id in ["a", "mid", "b"] {
            d.node_mut(id).unwrap().parent = Some("vpc".into());
        }
        link(&mut d, "a", "b");
        let m = measure(&d);
        assert_eq!(m.through_boxes, 1, "{m:?}");
        assert_eq!(m.outside_parent, 0);
        leaf(&mut d, "out", Rect(850, 150, 100, 100));
        d.node_mut("out").unwrap().parent = Some("vpc".into());
        let m = measure(&d);
        assert_eq!((m.outside_parent, m.overlaps), (1, 0), "{m:?}");
        d.layout.insert("out".into(), Rect(650, 60, 100, 100));
        assert_eq!(measure(&d).overlaps, 1);
    }
}
