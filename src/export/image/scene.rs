//! What a picture shows: the nodes (the whole design, or the selected nodes with everything
//! inside them), their boxes as the canvas draws them, the containment tree to nest them in,
//! the edges among them with their routes and captions, and the rectangle all of it covers.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::model::edit::{self, Point};
use crate::model::layout::fill_missing;
use crate::model::{Design, Edge, Node, NodeId, Rect};

/// One edge as drawn: its orthogonal route, and its caption (text and centre) if it has one.
pub struct DrawnEdge<'a> {
    pub edge: &'a Edge,
    pub route: Vec<Point>,
    pub caption: Option<(String, Point)>,
}

pub struct Scene<'a> {
    /// Every drawn node's box.
    pub rects: BTreeMap<NodeId, Rect>,
    /// Top-level drawn nodes, then each container's drawn children, in design order (as the
    /// canvas nests them).
    pub roots: Vec<&'a Node>,
    pub children: HashMap<&'a str, Vec<&'a Node>>,
    pub edges: Vec<DrawnEdge<'a>>,
    /// `(x0, y0, x1, y1)` covering every box, route and caption; `None` when nothing is drawn.
    pub bounds: Option<(f64, f64, f64, f64)>,
}

/// The scene of `design`, or of `selection` (node ids; unknown ones are ignored) with
/// everything inside the selected containers.
pub fn scene<'a>(design: &'a Design, selection: Option<&[NodeId]>) -> Scene<'a> {
    let rects = drawn_layout(design);
    let shown: HashSet<NodeId> = match selection {
        None => design.nodes.iter().map(|n| n.id.clone()).collect(),
        Some(ids) => edit::subtrees(design, ids.iter().map(String::as_str)),
    };
    let (roots, children) = tree(design, &shown);
    let edges = design
        .edges
        .iter()
        .filter(|e| shown.contains(&e.from) && shown.contains(&e.to))
        .filter_map(|e| {
            let (route, at) = edit::edge_route(*rects.get(&e.from)?, *rects.get(&e.to)?);
            let text = edit::edge_caption(e);
            let caption = (!text.is_empty()).then_some((text, at));
            Some(DrawnEdge {
                edge: e,
                route,
                caption,
            })
        })
        .collect();
    let mut scene = Scene {
        rects,
        roots,
        children,
        edges,
        bounds: None,
    };
    scene.bounds = bounds(&scene, &shown);
    scene
}

/// The boxes as the page shows them: the design's layout, and the model's auto layout for
/// nodes that have none (the page fills those in the same way when it opens a design).
fn drawn_layout(design: &Design) -> BTreeMap<NodeId, Rect> {
    if design
        .nodes
        .iter()
        .all(|n| design.layout.contains_key(&n.id))
    {
        return design.layout.clone();
    }
    let mut filled = design.clone();
    fill_missing(&mut filled);
    filled.layout
}

/// Drawn nodes by parent. A node whose parent is not drawn (not selected, or missing from a
/// broken file) is a root, as on the canvas.
fn tree<'a>(
    design: &'a Design,
    shown: &HashSet<NodeId>,
) -> (Vec<&'a Node>, HashMap<&'a str, Vec<&'a Node>>) {
    let mut roots = Vec::new();
    let mut children: HashMap<&str, Vec<&Node>> = HashMap::new();
    for n in design.nodes.iter().filter(|n| shown.contains(&n.id)) {
        match n.parent.as_deref() {
            Some(p) if shown.contains(p) && p != n.id => children.entry(p).or_default().push(n),
            _ => roots.push(n),
        }
    }
    (roots, children)
}

fn bounds(scene: &Scene, shown: &HashSet<NodeId>) -> Option<(f64, f64, f64, f64)> {
    let boxes = scene
        .rects
        .iter()
        .filter(|(id, _)| shown.contains(*id))
        .map(|(_, r)| {
            let (x, y) = (r.x() as f64, r.y() as f64);
            (x, y, x + r.w() as f64, y + r.h() as f64)
        });
    let routes = scene
        .edges
        .iter()
        .flat_map(|e| e.route.iter().map(|p| (p.x, p.y, p.x, p.y)));
    let captions = scene.edges.iter().filter_map(|e| {
        let (text, m) = e.caption.as_ref()?;
        let half = edit::caption_width(text) / 2.0;
        Some((m.x - half, m.y - 9.0, m.x + half, m.y + 9.0))
    });
    boxes
        .chain(routes)
        .chain(captions)
        .reduce(|a, b| (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)))
}
