//! Automatic layout: containers sized around their children, children in rows. Used for
//! templates, generated designs and imported designs that carry no positions.

use std::collections::BTreeMap;

use super::design::{Design, NodeId, Rect};
use super::graph::DesignGraph;

pub const LEAF_WIDTH: i32 = 160;
pub const LEAF_HEIGHT: i32 = 56;
/// Room for a container's title above its children.
pub const HEADER: i32 = 30;
pub const PADDING: i32 = 16;
pub const GAP: i32 = 24;

/// A complete layout for `design`, every node placed.
pub fn auto_layout(design: &Design) -> BTreeMap<NodeId, Rect> {
    let graph = DesignGraph::new(design);
    let n = design.nodes.len();
    // Sizes bottom-up: children before parents (reverse of a pre-order walk).
    let order = pre_order(&graph);
    let mut size = vec![(LEAF_WIDTH, LEAF_HEIGHT); n];
    for &i in order.iter().rev() {
        let kids = graph.children(i);
        if kids.is_empty() && !graph.kind(i).is_container() {
            continue;
        }
        let (w, h) = rows_extent(kids, &size);
        size[i] = (
            (w + 2 * PADDING).max(LEAF_WIDTH + 2 * PADDING),
            (h + HEADER + PADDING).max(LEAF_HEIGHT + HEADER),
        );
    }
    // Positions top-down.
    let mut pos = vec![(0, 0); n];
    let roots: Vec<usize> = graph.roots().collect();
    place_rows(&roots, (GAP, GAP), &size, &mut pos);
    for &i in &order {
        let (x, y) = pos[i];
        place_rows(
            graph.children(i),
            (x + PADDING, y + HEADER),
            &size,
            &mut pos,
        );
    }
    design
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            (
                node.id.clone(),
                Rect(pos[i].0, pos[i].1, size[i].0, size[i].1),
            )
        })
        .collect()
}

/// Fills in positions for nodes the layout does not have, keeping the others where they are.
pub fn fill_missing(design: &mut Design) {
    if design
        .nodes
        .iter()
        .all(|n| design.layout.contains_key(&n.id))
    {
        return;
    }
    let full = auto_layout(design);
    for (id, rect) in full {
        design.layout.entry(id).or_insert(rect);
    }
}

fn pre_order(graph: &DesignGraph) -> Vec<usize> {
    let mut order = Vec::with_capacity(graph.len());
    let mut stack: Vec<usize> = graph.roots().collect();
    stack.reverse();
    let mut seen = vec![false; graph.len()];
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        order.push(i);
        stack.extend(graph.children(i).iter().rev().copied());
    }
    order
}

fn columns(count: usize) -> usize {
    ((count as f64).sqrt().ceil() as usize).max(1)
}

fn rows_extent(items: &[usize], size: &[(i32, i32)]) -> (i32, i32) {
    let cols = columns(items.len());
    let mut width = 0;
    let mut height = 0;
    for row in items.chunks(cols) {
        let w: i32 = row.iter().map(|&i| size[i].0).sum::<i32>() + GAP * (row.len() as i32 - 1);
        let h = row.iter().map(|&i| size[i].1).max().unwrap_or(0);
        width = width.max(w);
        height += h + GAP;
    }
    (width, (height - GAP).max(0))
}

fn place_rows(items: &[usize], origin: (i32, i32), size: &[(i32, i32)], pos: &mut [(i32, i32)]) {
    let cols = columns(items.len());
    let mut y = origin.1;
    for row in items.chunks(cols) {
        let mut x = origin.0;
        for &i in row {
            pos[i] = (x, y);
            x += size[i].0 + GAP;
        }
        y += row.iter().map(|&i| size[i].1).max().unwrap_or(0) + GAP;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Node, NodeSpec};

    fn contains(outer: Rect, inner: Rect) -> bool {
        inner.x() >= outer.x()
            && inner.y() >= outer.y()
            && inner.x() + inner.w() <= outer.x() + outer.w()
            && inner.y() + inner.h() <= outer.y() + outer.h()
    }

    #[test]
    fn containers_hold_their_children_and_siblings_do_not_overlap() {
        let mut d = Design::new("t");
        d.nodes
            .push(Node::new("p", "P", NodeSpec::default_for(Kind::Provider)));
        d.nodes
            .push(Node::new("r", "R", NodeSpec::default_for(Kind::Region)).with_parent("p"));
        for i in 0..5 {
            d.nodes.push(
                Node::new(format!("w{i}"), "W", NodeSpec::default_for(Kind::Database))
                    .with_parent("r"),
            );
        }
        d.nodes
            .push(Node::new("u", "U", NodeSpec::default_for(Kind::UserGroup)));
        let layout = auto_layout(&d);
        assert!(contains(layout["p"], layout["r"]));
        for i in 0..5 {
            assert!(contains(layout["r"], layout[&format!("w{i}")]));
        }
        let overlaps = |a: Rect, b: Rect| {
            a.x() < b.x() + b.w()
                && b.x() < a.x() + a.w()
                && a.y() < b.y() + b.h()
                && b.y() < a.y() + a.h()
        };
        assert!(!overlaps(layout["p"], layout["u"]));
        assert!(!overlaps(layout["w0"], layout["w1"]));
    }

    #[test]
    fn fill_missing_keeps_existing_positions() {
        let mut d = Design::new("t");
        d.nodes
            .push(Node::new("a", "A", NodeSpec::default_for(Kind::UserGroup)));
        d.nodes
            .push(Node::new("b", "B", NodeSpec::default_for(Kind::UserGroup)));
        d.layout.insert("a".into(), Rect(500, 500, 160, 56));
        fill_missing(&mut d);
        assert_eq!(d.layout["a"], Rect(500, 500, 160, 56));
        assert!(d.layout.contains_key("b"));
    }
}
