//! Editing operations and canvas geometry for the page, as plain functions of a [`Design`].
//!
//! The editor (`src/app`, wasm only) calls these; keeping them here lets `cargo test` check
//! them natively: hit-testing ("which container is under this point"), placement rules with a
//! human reason, edge defaults, moves that carry children along, resizes that keep children
//! inside, deletion that takes descendants and dangling edges with it.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::design::{Design, Edge, EdgeId, EdgeSpec, Node, NodeId, NodeSpec, Rect};
use super::kind::{EdgeKind, Kind};
use super::layout::{GAP, HEADER, LEAF_HEIGHT, LEAF_WIDTH, PADDING};
use super::limits::MAX_TEXT_CHARS;
use super::props::{DatabaseEngine, Protocol};

/// A point in canvas (world) coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }
}

/// Farthest a route turns before the box it enters: links into one box from far away share
/// the last stretch, rather than each turning half-way and crossing the others.
pub const TURN_BEFORE: f64 = 36.0;

/// Default size of a container dropped from the palette.
pub const CONTAINER_WIDTH: i32 = 320;
pub const CONTAINER_HEIGHT: i32 = 200;
/// Smallest size a container can be resized to.
pub const MIN_CONTAINER_WIDTH: i32 = 120;
pub const MIN_CONTAINER_HEIGHT: i32 = 60;

/// Canvas viewport: a world point `p` shows at `p * zoom + (x, y)` in the SVG.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub x: f64,
    pub y: f64,
    pub zoom: f64,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport {
            x: 0.0,
            y: 0.0,
            zoom: 1.0,
        }
    }
}

/// Zoom limits of the canvas.
pub const MIN_ZOOM: f64 = 0.05;
pub const MAX_ZOOM: f64 = 4.0;

impl Viewport {
    pub fn to_world(self, sx: f64, sy: f64) -> Point {
        Point::new((sx - self.x) / self.zoom, (sy - self.y) / self.zoom)
    }

    /// The part of the world worth drawing for a canvas of `width` × `height` pixels: what is
    /// on screen plus a margin of one cell, snapped to a grid of cells a quarter to half a
    /// screen wide, so that it changes only when a pan crosses a cell (drawing and dropping
    /// nodes every frame would cost more than it saves) and draws at most about three screens'
    /// worth (every drawn element costs paint time in every frame of a drag). The cell size
    /// is a power of two in world units, so zooming changes it only once per doubling of the
    /// zoom, not at every wheel step.
    pub fn cull_rect(self, width: f64, height: f64) -> Rect {
        let quarter = (width.max(height) / self.zoom / 4.0).max(1.0);
        let cell = 2f64.powi(quarter.log2().ceil().clamp(0.0, 40.0) as i32);
        let top_left = self.to_world(0.0, 0.0);
        let bottom_right = self.to_world(width, height);
        let snap_down = |v: f64| (v / cell).floor() * cell - cell;
        let snap_up = |v: f64| (v / cell).ceil() * cell + cell;
        let (x0, y0) = (snap_down(top_left.x), snap_down(top_left.y));
        let (x1, y1) = (snap_up(bottom_right.x), snap_up(bottom_right.y));
        let clamp = |v: f64| v.clamp(i32::MIN as f64 / 4.0, i32::MAX as f64 / 4.0) as i32;
        Rect(clamp(x0), clamp(y0), clamp(x1 - x0), clamp(y1 - y0))
    }

    /// Zooms by `factor` keeping the screen point `(sx, sy)` fixed.
    pub fn zoom_at(self, factor: f64, sx: f64, sy: f64) -> Viewport {
        let zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let w = self.to_world(sx, sy);
        Viewport {
            x: sx - w.x * zoom,
            y: sy - w.y * zoom,
            zoom,
        }
    }

    /// Shows `r` whole and centred in a `width` × `height` screen, zooming in no further than
    /// `max_zoom`.
    pub fn fit(r: Rect, width: f64, height: f64, max_zoom: f64) -> Viewport {
        let margin = 32.0;
        let bw = (r.w() as f64).max(1.0);
        let bh = (r.h() as f64).max(1.0);
        let zoom = ((width - 2.0 * margin) / bw)
            .min((height - 2.0 * margin) / bh)
            .clamp(MIN_ZOOM, max_zoom);
        Viewport {
            x: (width - bw * zoom) / 2.0 - r.x() as f64 * zoom,
            y: (height - bh * zoom) / 2.0 - r.y() as f64 * zoom,
            zoom,
        }
    }
}

pub fn rect_contains(r: Rect, p: Point) -> bool {
    p.x >= r.x() as f64
        && p.y >= r.y() as f64
        && p.x <= (r.x() + r.w()) as f64
        && p.y <= (r.y() + r.h()) as f64
}

/// Whether two rectangles share any point (touching edges count).
pub fn rects_overlap(a: Rect, b: Rect) -> bool {
    a.x() <= b.x() + b.w()
        && b.x() <= a.x() + a.w()
        && a.y() <= b.y() + b.h()
        && b.y() <= a.y() + a.h()
}

/// The smallest rectangle holding both.
pub fn bounding_rect(a: Rect, b: Rect) -> Rect {
    let (x0, y0) = (a.x().min(b.x()), a.y().min(b.y()));
    let (x1, y1) = (
        (a.x() + a.w()).max(b.x() + b.w()),
        (a.y() + a.h()).max(b.y() + b.h()),
    );
    Rect(x0, y0, x1 - x0, y1 - y0)
}

/// `inner` lies entirely within `outer`.
pub fn rect_within(inner: Rect, outer: Rect) -> bool {
    inner.x() >= outer.x()
        && inner.y() >= outer.y()
        && inner.x() + inner.w() <= outer.x() + outer.w()
        && inner.y() + inner.h() <= outer.y() + outer.h()
}

pub fn rect_center(r: Rect) -> Point {
    Point::new(
        r.x() as f64 + r.w() as f64 / 2.0,
        r.y() as f64 + r.h() as f64 / 2.0,
    )
}

/// The rectangle spanned by two corners, in either order.
pub fn rect_from_corners(a: Point, b: Point) -> Rect {
    let x0 = a.x.min(b.x).floor() as i32;
    let y0 = a.y.min(b.y).floor() as i32;
    let x1 = a.x.max(b.x).ceil() as i32;
    let y1 = a.y.max(b.y).ceil() as i32;
    Rect(x0, y0, x1 - x0, y1 - y0)
}

/// Where the segment from the centre of `r` towards `toward` leaves the border of `r`.
pub fn border_point(r: Rect, toward: Point) -> Point {
    let c = rect_center(r);
    let dx = toward.x - c.x;
    let dy = toward.y - c.y;
    if dx.abs() < f64::EPSILON && dy.abs() < f64::EPSILON {
        return c;
    }
    let hw = r.w() as f64 / 2.0;
    let hh = r.h() as f64 / 2.0;
    let tx = if dx.abs() > f64::EPSILON {
        hw / dx.abs()
    } else {
        f64::INFINITY
    };
    let ty = if dy.abs() > f64::EPSILON {
        hh / dy.abs()
    } else {
        f64::INFINITY
    };
    let t = tx.min(ty).min(1.0);
    Point::new(c.x + dx * t, c.y + dy * t)
}

/// The straight segment between the borders of two boxes (centre to centre, clipped).
pub fn edge_segment(from: Rect, to: Rect) -> (Point, Point) {
    let a = border_point(from, rect_center(to));
    let b = border_point(to, rect_center(from));
    (a, b)
}

/// An orthogonal route between two boxes: it leaves `from` through the side facing `to`, turns
/// once (two bends) half-way, or [`TURN_BEFORE`] short of `to` when the boxes are farther apart,
/// and enters `to` through the facing side. Boxes that overlap (a
/// node and its own container) get the straight segment. Returns the points of the polyline and
/// where its caption goes (the middle of the middle leg).
pub fn edge_route(from: Rect, to: Rect) -> (Vec<Point>, Point) {
    let (fx0, fy0, fx1, fy1) = (
        from.x() as f64,
        from.y() as f64,
        (from.x() + from.w()) as f64,
        (from.y() + from.h()) as f64,
    );
    let (tx0, ty0, tx1, ty1) = (
        to.x() as f64,
        to.y() as f64,
        (to.x() + to.w()) as f64,
        (to.y() + to.h()) as f64,
    );
    // Free space between the boxes along each axis (negative when they overlap on it).
    let gap_x = (tx0 - fx1).max(fx0 - tx1);
    let gap_y = (ty0 - fy1).max(fy0 - ty1);
    if gap_x <= 0.0 && gap_y <= 0.0 {
        let (a, b) = edge_segment(from, to);
        return (vec![a, b], Point::new((a.x + b.x) / 2.0, (a.y + b.y) / 2.0));
    }
    let (fc, tc) = (rect_center(from), rect_center(to));
    if gap_x >= gap_y {
        let (ax, bx) = if tc.x >= fc.x { (fx1, tx0) } else { (fx0, tx1) };
        let mx = bx - (bx - ax).signum() * ((bx - ax).abs() / 2.0).min(TURN_BEFORE);
        let points = vec![
            Point::new(ax, fc.y),
            Point::new(mx, fc.y),
            Point::new(mx, tc.y),
            Point::new(bx, tc.y),
        ];
        (points, Point::new(mx, (fc.y + tc.y) / 2.0))
    } else {
        let (ay, by) = if tc.y >= fc.y { (fy1, ty0) } else { (fy0, ty1) };
        let my = by - (by - ay).signum() * ((by - ay).abs() / 2.0).min(TURN_BEFORE);
        let points = vec![
            Point::new(fc.x, ay),
            Point::new(fc.x, my),
            Point::new(tc.x, my),
            Point::new(tc.x, by),
        ];
        (points, Point::new((fc.x + tc.x) / 2.0, my))
    }
}

/// An SVG path through `points`.
pub fn polyline_path(points: &[Point]) -> String {
    let mut d = String::with_capacity(points.len() * 16);
    for (i, p) in points.iter().enumerate() {
        d.push_str(if i == 0 { "M " } else { " L " });
        d.push_str(&format!("{:.1} {:.1}", p.x, p.y));
    }
    d
}

/// Rough width of a label character at the canvas font size (13px), to shorten long names.
pub const LABEL_CHAR_WIDTH: f64 = 7.2;

/// `text` shortened with an ellipsis to fit about `room` units at the canvas font size (at
/// least three characters are kept), by a fixed width per character: the image export's way.
/// The canvas fits names with [`crate::model::label`] (proportional, up to two lines).
pub fn clip_label(text: &str, room: f64) -> String {
    let max = (room / LABEL_CHAR_WIDTH).floor().max(3.0) as usize;
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// Width of an edge caption's background at the caption font size (10.5px).
pub fn caption_width(text: &str) -> f64 {
    text.chars().count() as f64 * 6.4 + 10.0
}

/// The smallest rectangle holding every placed node, if any.
pub fn content_bounds(design: &Design) -> Option<Rect> {
    let mut it = design.layout.values();
    let first = *it.next()?;
    let (mut x0, mut y0) = (first.x(), first.y());
    let (mut x1, mut y1) = (first.x() + first.w(), first.y() + first.h());
    for r in it {
        x0 = x0.min(r.x());
        y0 = y0.min(r.y());
        x1 = x1.max(r.x() + r.w());
        y1 = y1.max(r.y() + r.h());
    }
    Some(Rect(x0, y0, x1 - x0, y1 - y0))
}

/// Parent links by id, for walking the containment tree.
pub fn parent_map(design: &Design) -> HashMap<&str, Option<&str>> {
    design
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.parent.as_deref()))
        .collect()
}

/// Depth in the containment tree (top-level nodes are 0). Cycles are cut off.
fn depth(parents: &HashMap<&str, Option<&str>>, id: &str) -> usize {
    let mut d = 0;
    let mut cur = parents.get(id).copied().flatten();
    while let Some(p) = cur {
        d += 1;
        if d > parents.len() {
            break;
        }
        cur = parents.get(p).copied().flatten();
    }
    d
}

/// Every node under `id` (not `id` itself), depth first.
pub fn descendants(design: &Design, id: &str) -> Vec<NodeId> {
    let mut out: Vec<NodeId> = subtrees(design, std::iter::once(id)).into_iter().collect();
    out.retain(|n| n != id);
    out
}

/// `ids` and everything under them, in one pass over the design (a selection of thousands
/// costs the same as one node).
pub fn subtrees<'a>(design: &Design, ids: impl IntoIterator<Item = &'a str>) -> HashSet<NodeId> {
    let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
    for n in &design.nodes {
        if let Some(p) = n.parent.as_deref() {
            children.entry(p).or_default().push(n.id.as_str());
        }
    }
    let mut out: HashSet<NodeId> = HashSet::new();
    let mut stack: Vec<&str> = ids.into_iter().collect();
    while let Some(n) = stack.pop() {
        if !out.insert(n.to_string()) {
            continue;
        }
        if let Some(k) = children.get(n) {
            stack.extend(k.iter().copied());
        }
    }
    out
}

/// Whether `ancestor` is `id` or encloses it.
pub fn is_ancestor_or_self(design: &Design, ancestor: &str, id: &str) -> bool {
    let parents = parent_map(design);
    let mut cur = Some(id);
    let mut steps = 0;
    while let Some(c) = cur {
        if c == ancestor {
            return true;
        }
        steps += 1;
        if steps > parents.len() {
            return false;
        }
        cur = parents.get(c).copied().flatten();
    }
    false
}

/// Of a selection, the nodes none of whose ancestors is also selected: moving these moves
/// everything selected exactly once.
pub fn selection_roots(design: &Design, selected: &BTreeSet<NodeId>) -> Vec<NodeId> {
    let parents = parent_map(design);
    selected
        .iter()
        .filter(|id| parents.contains_key(id.as_str()))
        .filter(|id| {
            let mut cur = parents.get(id.as_str()).copied().flatten();
            let mut steps = 0;
            while let Some(p) = cur {
                if selected.contains(p) {
                    return false;
                }
                steps += 1;
                if steps > parents.len() {
                    break;
                }
                cur = parents.get(p).copied().flatten();
            }
            true
        })
        .cloned()
        .collect()
}

/// The innermost node whose box contains `p`, skipping `exclude`; containers only when
/// `containers_only`. Deeper nodes win; among equally deep ones the smaller box.
fn innermost_at(
    design: &Design,
    p: Point,
    exclude: &HashSet<NodeId>,
    containers_only: bool,
) -> Option<NodeId> {
    let parents = parent_map(design);
    design
        .nodes
        .iter()
        .filter(|n| !exclude.contains(&n.id))
        .filter(|n| !containers_only || n.kind().is_container())
        .filter_map(|n| {
            let r = design.layout.get(&n.id)?;
            rect_contains(*r, p).then(|| {
                let area = r.w() as i64 * r.h() as i64;
                (
                    depth(&parents, &n.id),
                    std::cmp::Reverse(area),
                    n.id.clone(),
                )
            })
        })
        .max()
        .map(|(_, _, id)| id)
}

/// The innermost container under `p`, ignoring `exclude` (the nodes being dragged).
pub fn container_at(design: &Design, p: Point, exclude: &HashSet<NodeId>) -> Option<NodeId> {
    innermost_at(design, p, exclude, true)
}

/// The innermost node of any kind under `p`.
pub fn node_at(design: &Design, p: Point, exclude: &HashSet<NodeId>) -> Option<NodeId> {
    innermost_at(design, p, exclude, false)
}

/// Nodes whose boxes lie entirely inside `band` (rubber-band selection).
pub fn nodes_in_band(design: &Design, band: Rect) -> Vec<NodeId> {
    design
        .nodes
        .iter()
        .filter(|n| {
            design
                .layout
                .get(&n.id)
                .is_some_and(|r| rect_within(*r, band))
        })
        .map(|n| n.id.clone())
        .collect()
}

/// A kind's label as it reads inside a sentence: "region", but "Kubernetes cluster".
pub fn kind_phrase(kind: Kind) -> String {
    let label = kind.label();
    let mut chars = label.chars();
    let proper = ["Kubernetes", "Swarm", "CDN", "WAF", "VPN", "CI/CD", "Geo"];
    if proper.iter().any(|p| label.starts_with(p)) {
        return label.to_string();
    }
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn article(word: &str) -> &'static str {
    match word.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "An",
        _ => "A",
    }
}

fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Whether a node of `kind` may sit in `parent` (`None`: the top of the design); the error
/// says why not and where it may go instead.
pub fn check_placement(kind: Kind, parent: Option<Kind>) -> Result<(), String> {
    if kind.may_have_parent(parent) {
        return Ok(());
    }
    let label = kind.label();
    let here = match parent {
        Some(p) => {
            let phrase = kind_phrase(p);
            format!("inside {} {phrase}", article(&phrase).to_lowercase())
        }
        None => "at the top level".to_string(),
    };
    let places: Vec<String> = kind
        .allowed_parents()
        .iter()
        .map(|p| match p {
            Some(k) => {
                let phrase = kind_phrase(*k);
                format!("{} {phrase}", article(&phrase).to_lowercase())
            }
            None => "the top level".to_string(),
        })
        .collect();
    // "place it in a region, a zone or a subnet" reads better with one article up front.
    let places = if places
        .iter()
        .all(|p| p.starts_with("a ") || p.starts_with("an "))
        && places.len() > 1
    {
        let first = places[0].clone();
        let rest: Vec<String> = places[1..]
            .iter()
            .map(|p| p.split_once(' ').map_or(p.as_str(), |x| x.1).to_string())
            .collect();
        let mut all = vec![first];
        all.extend(rest);
        or_list(&all)
    } else {
        or_list(&places)
    };
    Err(format!(
        "{} {label} can't go {here}: place it in {places}",
        article(label)
    ))
}

/// A readable default name for a new node of `kind`: "Database 2".
pub fn default_name(design: &Design, kind: Kind) -> String {
    let base = match kind {
        Kind::Database => match DatabaseEngine::default() {
            DatabaseEngine::Postgresql => "PostgreSQL",
            DatabaseEngine::Mysql => "MySQL",
            DatabaseEngine::Mongodb => "MongoDB",
        },
        _ => kind.label(),
    };
    let taken: HashSet<&str> = design.nodes.iter().map(|n| n.name.as_str()).collect();
    if !taken.contains(base) {
        return base.to_string();
    }
    (2..)
        .map(|i| format!("{base} {i}"))
        .find(|n| !taken.contains(n.as_str()))
        .unwrap_or_else(|| base.to_string())
}

/// Adds a node of `kind` under `parent`, centred on `at`; grows the enclosing containers to
/// hold it. Returns the new id, or the reason it may not go there. See [`add_node_in_view`].
pub fn add_node(
    design: &mut Design,
    kind: Kind,
    parent: Option<&str>,
    at: Point,
) -> Result<NodeId, String> {
    add_node_in_view(design, kind, parent, at, None)
}

/// Room kept between a dropped box and the edge of the view.
pub const VIEW_MARGIN: i32 = 16;

/// [`add_node`] as a drop on the canvas does it: the new box is moved into `view` (the world
/// area on screen) when it would stick out of it (a container dropped near the edge), and off
/// any sibling it would cover (a second drop at the same spot, a drop onto a child), right or
/// down, whichever is shorter, before its containers grow to hold it.
pub fn add_node_in_view(
    design: &mut Design,
    kind: Kind,
    parent: Option<&str>,
    at: Point,
    view: Option<Rect>,
) -> Result<NodeId, String> {
    let parent_kind = match parent {
        Some(p) => Some(
            design
                .node(p)
                .map(Node::kind)
                .ok_or_else(|| format!("No node `{p}` to place it in"))?,
        ),
        None => None,
    };
    check_placement(kind, parent_kind)?;
    let id = design.fresh_node_id(&format!("{}-", kind.as_str().replace('_', "-")));
    let name = default_name(design, kind);
    let (w, h) = if kind.is_container() {
        (CONTAINER_WIDTH, CONTAINER_HEIGHT)
    } else {
        (LEAF_WIDTH, LEAF_HEIGHT)
    };
    let mut rect = Rect(
        (at.x - w as f64 / 2.0).round() as i32,
        (at.y - h as f64 / 2.0).round() as i32,
        w,
        h,
    );
    if let Some(v) = view {
        rect = keep_within(rect, v, VIEW_MARGIN);
    }
    // Keep a new child below its container's title.
    if let Some(pr) = parent.and_then(|p| design.layout.get(p)) {
        let min_x = pr.x() + PADDING;
        let min_y = pr.y() + HEADER;
        rect = Rect(rect.x().max(min_x), rect.y().max(min_y), w, h);
    }
    let mut node = Node::new(id.clone(), name, NodeSpec::default_for(kind));
    node.parent = parent.map(str::to_string);
    design.nodes.push(node);
    design.layout.insert(id.clone(), rect);
    clear_siblings(design, &id, view);
    grow_ancestors(design, &id);
    Ok(id)
}

/// `r` moved (not resized) so that it lies inside `view` with `margin` to spare, as far as it
/// fits; a box larger than the view keeps its top-left corner in it.
pub fn keep_within(r: Rect, view: Rect, margin: i32) -> Rect {
    let fit = |pos: i32, size: i32, lo: i32, room: i32| {
        let (lo, hi) = (lo + margin, lo + room - margin);
        if size > hi - lo {
            pos.clamp(lo, hi.max(lo))
        } else {
            pos.clamp(lo, hi - size)
        }
    };
    Rect(
        fit(r.x(), r.w(), view.x(), view.w()),
        fit(r.y(), r.h(), view.y(), view.h()),
        r.w(),
        r.h(),
    )
}

/// Moves `id` (with what it holds) off every sibling box it covers: past the sibling by the
/// shortest way (right, down, left or up, with a gap) that keeps it inside `view` when one is
/// given, until it covers none. The siblings stay where they are: this is for a box just
/// placed (a drop), which should land beside what is there.
pub fn clear_siblings(design: &mut Design, id: &str, view: Option<Rect>) {
    let Some(parent) = design.node(id).map(|n| n.parent.clone()) else {
        return;
    };
    let siblings: Vec<Rect> = design
        .nodes
        .iter()
        .filter(|n| n.parent == parent && n.id != id)
        .filter_map(|n| design.layout.get(&n.id).copied())
        .collect();
    let Some(start) = design.layout.get(id).copied() else {
        return;
    };
    let free = |r: Rect| siblings.iter().all(|s| !boxes_overlap(*s, r));
    if free(start) {
        return;
    }
    let inside = |r: Rect| {
        view.is_none_or(|v| {
            r.x() >= v.x()
                && r.y() >= v.y()
                && r.x() + r.w() <= v.x() + v.w()
                && r.y() + r.h() <= v.y() + v.h()
        })
    };
    // The places beside each sibling, nearest first (on a tie: right, down, left, up): the
    // first free one (in view) wins. Inside a container only right and down, so that the box
    // never goes above its container's title.
    let (w, h) = (start.w(), start.h());
    let ways = if parent.is_some() { 2 } else { 4 };
    let mut spots: Vec<Rect> = siblings
        .iter()
        .flat_map(|s| {
            [
                Rect(s.x() + s.w() + PUSH_GAP, start.y(), w, h),
                Rect(start.x(), s.y() + s.h() + PUSH_GAP, w, h),
                Rect(s.x() - PUSH_GAP - w, start.y(), w, h),
                Rect(start.x(), s.y() - PUSH_GAP - h, w, h),
            ]
            .into_iter()
            .take(ways)
        })
        .collect();
    let dist = |r: &Rect| (r.x() - start.x()).abs() + (r.y() - start.y()).abs();
    spots.sort_by_key(dist);
    let to = spots
        .iter()
        .copied()
        .find(|r| free(*r) && inside(*r))
        .or_else(|| spots.iter().copied().find(|r| free(*r)));
    if let Some(to) = to {
        shift_subtree(design, id, to.x() - start.x(), to.y() - start.y());
    }
}

/// Grows every container above `id` so that it holds its children with padding.
pub fn grow_ancestors(design: &mut Design, id: &str) {
    grow_around(design, &[id.to_string()]);
}

/// The box that holds the children of `id` with padding and room for the title.
fn children_extent(design: &Design, id: &str) -> Option<(i32, i32, i32, i32)> {
    let mut ext: Option<(i32, i32, i32, i32)> = None;
    for n in design
        .nodes
        .iter()
        .filter(|n| n.parent.as_deref() == Some(id))
    {
        if let Some(r) = design.layout.get(&n.id) {
            let e = (r.x(), r.y(), r.x() + r.w(), r.y() + r.h());
            ext = Some(match ext {
                None => e,
                Some(a) => (a.0.min(e.0), a.1.min(e.1), a.2.max(e.2), a.3.max(e.3)),
            });
        }
    }
    ext.map(|(x0, y0, x1, y1)| (x0 - PADDING, y0 - HEADER, x1 + PADDING, y1 + PADDING))
}

/// Grows container `id` (never shrinks it) to hold its children.
pub fn grow_to_fit(design: &mut Design, id: &str) {
    let Some(r) = design.layout.get(id).copied() else {
        return;
    };
    let Some((x0, y0, x1, y1)) = children_extent(design, id) else {
        return;
    };
    let nx0 = r.x().min(x0);
    let ny0 = r.y().min(y0);
    let nx1 = (r.x() + r.w()).max(x1);
    let ny1 = (r.y() + r.h()).max(y1);
    design
        .layout
        .insert(id.to_string(), Rect(nx0, ny0, nx1 - nx0, ny1 - ny0));
}

/// Moves `ids` (each together with everything inside it) by `(dx, dy)`, then grows the
/// containers around them.
pub fn move_nodes(design: &mut Design, ids: &[NodeId], dx: i32, dy: i32) {
    let all = subtrees(design, ids.iter().map(String::as_str));
    for id in &all {
        if let Some(r) = design.layout.get_mut(id) {
            *r = Rect(r.x() + dx, r.y() + dy, r.w(), r.h());
        }
    }
    grow_around(design, ids);
}

/// Grows every container above `ids`, each once, innermost first.
pub fn grow_around(design: &mut Design, ids: &[NodeId]) {
    let parents = parent_map(design);
    let mut ancestors: Vec<(usize, String)> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for id in ids {
        let mut cur = parents.get(id.as_str()).copied().flatten();
        let mut steps = 0;
        while let Some(p) = cur {
            if !seen.insert(p.to_string()) || steps > parents.len() {
                break;
            }
            ancestors.push((depth(&parents, p), p.to_string()));
            steps += 1;
            cur = parents.get(p).copied().flatten();
        }
    }
    ancestors.sort_by_key(|a| std::cmp::Reverse(a.0));
    for (_, p) in ancestors {
        grow_to_fit(design, &p);
    }
}

/// Puts `id` under `parent` (`None`: the top), if its kind allows it and no cycle results.
/// Positions are left alone: move the node (or call [`grow_ancestors`]) afterwards.
pub fn reparent(design: &mut Design, id: &str, parent: Option<&str>) -> Result<(), String> {
    let kind = design.node(id).map(Node::kind).ok_or("No such node")?;
    let parent_kind = match parent {
        Some(p) => {
            if is_ancestor_or_self(design, id, p) {
                return Err("A container can't go inside itself".into());
            }
            Some(design.node(p).map(Node::kind).ok_or("No such container")?)
        }
        None => None,
    };
    check_placement(kind, parent_kind)?;
    if let Some(n) = design.node_mut(id) {
        n.parent = parent.map(str::to_string);
    }
    Ok(())
}

/// The smallest size container `id` can take without cutting its children off.
pub fn min_size(design: &Design, id: &str) -> (i32, i32) {
    let kind = design.node(id).map(Node::kind);
    let base = if kind.is_some_and(Kind::is_container) {
        (MIN_CONTAINER_WIDTH, MIN_CONTAINER_HEIGHT)
    } else {
        (LEAF_WIDTH / 2, LEAF_HEIGHT)
    };
    match (design.layout.get(id), children_extent(design, id)) {
        (Some(r), Some((_, _, x1, y1))) => (base.0.max(x1 - r.x()), base.1.max(y1 - r.y())),
        _ => base,
    }
}

/// Resizes `id` to `w` × `h` from its top-left corner, clamped so its children stay inside.
pub fn resize(design: &mut Design, id: &str, w: i32, h: i32) {
    let (mw, mh) = min_size(design, id);
    if let Some(r) = design.layout.get(id).copied() {
        design
            .layout
            .insert(id.to_string(), Rect(r.x(), r.y(), w.max(mw), h.max(mh)));
        grow_ancestors(design, id);
    }
}

/// The name to store for a node the user renamed to `text` (trimmed), or why not: any script,
/// quotes and line breaks are fine; a blank name and one longer than the design file allows
/// ([`MAX_TEXT_CHARS`], which the loader checks) are refused.
pub fn check_name(text: &str) -> Result<String, String> {
    let name = text.trim();
    if name.is_empty() {
        return Err("A name can't be empty: type one, or press Escape to keep the old one".into());
    }
    let chars = name.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(format!(
            "A name is at most {MAX_TEXT_CHARS} characters; this one has {chars}"
        ));
    }
    Ok(name.to_string())
}

/// Renames node `id` to `text`, checked by [`check_name`].
pub fn rename(design: &mut Design, id: &str, text: &str) -> Result<(), String> {
    let name = check_name(text)?;
    let node = design.node_mut(id).ok_or("No such node")?;
    node.name = name;
    Ok(())
}

/// Room left between a box and the sibling it pushed aside.
pub const PUSH_GAP: i32 = PADDING;

/// Whether two boxes overlap by more than a shared edge.
pub fn boxes_overlap(a: Rect, b: Rect) -> bool {
    a.x() < b.x() + b.w() && b.x() < a.x() + a.w() && a.y() < b.y() + b.h() && b.y() < a.y() + a.h()
}

/// Moves `id` and everything inside it by `(dx, dy)`; no container grows.
fn shift_subtree(design: &mut Design, id: &str, dx: i32, dy: i32) {
    for n in subtrees(design, [id]) {
        if let Some(r) = design.layout.get_mut(&n) {
            *r = Rect(r.x() + dx, r.y() + dy, r.w(), r.h());
        }
    }
}

/// Pushes `mover` right or down (whichever is shorter) until it clears `fixed`, with a gap.
fn push_clear(design: &mut Design, fixed: Rect, mover: &str) {
    let Some(r) = design.layout.get(mover).copied() else {
        return;
    };
    let dx = fixed.x() + fixed.w() + PUSH_GAP - r.x();
    let dy = fixed.y() + fixed.h() + PUSH_GAP - r.y();
    if dx <= dy {
        shift_subtree(design, mover, dx, 0);
    } else {
        shift_subtree(design, mover, 0, dy);
    }
}

/// Makes room around box `id`, which stays where it is: every sibling it overlaps is pushed
/// right or down (with what it holds) by the overlap and a gap, and pushes the siblings it
/// then overlaps in turn. The parent then grows to hold what moved and makes room among its
/// own siblings the same way, up to the top. Refuses (changing nothing worth keeping: the
/// caller drops the design) when the pushes do not settle.
pub fn push_aside(design: &mut Design, id: &str) -> Result<(), String> {
    let mut origin = id.to_string();
    loop {
        push_siblings(design, &origin)?;
        let Some(parent) = design.node(&origin).and_then(|n| n.parent.clone()) else {
            return Ok(());
        };
        let before = design.layout.get(&parent).copied();
        grow_to_fit(design, &parent);
        if design.layout.get(&parent).copied() == before {
            return Ok(());
        }
        origin = parent;
    }
}

/// [`push_aside`] among the siblings of `origin` only.
fn push_siblings(design: &mut Design, origin: &str) -> Result<(), String> {
    let Some(parent) = design.node(origin).map(|n| n.parent.clone()) else {
        return Ok(());
    };
    let siblings: Vec<NodeId> = design
        .nodes
        .iter()
        .filter(|n| n.parent == parent && design.layout.contains_key(&n.id))
        .map(|n| n.id.clone())
        .collect();
    // Every push moves a box right or down for good, so the pushes settle; the bound only
    // guards against a layout that would make them run away.
    let limit = (siblings.len() + 4) * 64;
    let mut steps = 0;
    let mut queue = std::collections::VecDeque::from([origin.to_string()]);
    while let Some(a) = queue.pop_front() {
        for b in &siblings {
            let (Some(ra), Some(rb)) = (
                design.layout.get(&a).copied(),
                design.layout.get(b).copied(),
            ) else {
                continue;
            };
            if *b == a || !boxes_overlap(ra, rb) {
                continue;
            }
            // The box that made room stays put: whatever runs into it moves on.
            let (fixed, mover) = if b == origin {
                (rb, a.clone())
            } else {
                (ra, b.clone())
            };
            steps += 1;
            if steps > limit {
                let name = design.node(origin).map_or("it", |n| n.name.as_str());
                return Err(format!(
                    "No room around {name}: its neighbours can't be pushed aside without overlapping; make room first"
                ));
            }
            push_clear(design, fixed, &mover);
            queue.push_back(mover.clone());
            if mover == a {
                // `a` moved: look at its neighbours again from where it is now.
                break;
            }
        }
    }
    Ok(())
}

/// After an edit that may have grown containers (`before`: the layout before it), makes room
/// around every container that grew ([`push_aside`]), innermost first, so that no two sibling
/// boxes overlap because of it.
pub fn make_room(design: &mut Design, before: &BTreeMap<NodeId, Rect>) -> Result<(), String> {
    let parents = parent_map(design);
    let grown: Vec<(usize, NodeId)> = design
        .nodes
        .iter()
        .filter(|n| n.kind().is_container())
        .filter(|n| match (before.get(&n.id), design.layout.get(&n.id)) {
            (Some(b), Some(a)) => a.w() > b.w() || a.h() > b.h(),
            _ => false,
        })
        .map(|n| (depth(&parents, &n.id), n.id.clone()))
        .collect();
    // Deepest first, by depth (a handful), not by a sort.
    let deepest = grown.iter().map(|g| g.0).max().unwrap_or(0);
    for level in (0..=deepest).rev() {
        for (_, id) in grown.iter().filter(|g| g.0 == level) {
            push_aside(design, id)?;
        }
    }
    Ok(())
}

/// The containers node `id` may be moved into (its kind's placement rules, never itself or
/// what it holds, not its present parent), in design order.
pub fn containers_for(design: &Design, id: &str) -> Vec<NodeId> {
    let Some(node) = design.node(id) else {
        return Vec::new();
    };
    let kind = node.kind();
    let inside = subtrees(design, [id]);
    design
        .nodes
        .iter()
        .filter(|c| c.kind().is_container() && !inside.contains(&c.id))
        .filter(|c| node.parent.as_deref() != Some(c.id.as_str()))
        .filter(|c| kind.may_have_parent(Some(c.kind())))
        .map(|c| c.id.clone())
        .collect()
}

/// Where node `id` may go when taken out of its container: the container's own parent (`Some`
/// of it, or `Some(None)` for the top level) if its kind allows it there.
pub fn move_out_target(design: &Design, id: &str) -> Option<Option<NodeId>> {
    let node = design.node(id)?;
    let parent = design.node(node.parent.as_deref()?)?;
    node.kind()
        .may_have_parent(
            parent
                .parent
                .as_deref()
                .and_then(|g| design.node(g))
                .map(Node::kind),
        )
        .then(|| parent.parent.clone())
}

/// Moves node `id` (with what it holds) into container `target` (`None`: the top level) as
/// one edit: re-parented by the placement rules, placed inside the target below its other
/// children (or, moving out, just right of the container it leaves), the target grown to
/// hold it and the neighbours of whatever grew pushed aside.
pub fn move_into(design: &mut Design, id: &str, target: Option<&str>) -> Result<(), String> {
    let before = design.layout.clone();
    // Moving out: the container `id` leaves that sits directly in the target; `id` goes
    // beside it.
    let beside = {
        let parents = parent_map(design);
        let mut cur = parents.get(id).copied().flatten();
        let mut steps = 0;
        while let Some(p) = cur {
            let up = parents.get(p).copied().flatten();
            if up == target || steps > parents.len() {
                break;
            }
            cur = up;
            steps += 1;
        }
        cur.and_then(|p| design.layout.get(p).copied())
    };
    reparent(design, id, target)?;
    let r = design.layout.get(id).copied().ok_or("No such node")?;
    let inside = subtrees(design, [id]);
    let (x, y) = match (beside, target) {
        (Some(b), _) => (b.x() + b.w() + GAP, b.y()),
        (None, Some(t)) => {
            let tr = design.layout.get(t).copied().ok_or("No such container")?;
            let bottom = design
                .nodes
                .iter()
                .filter(|n| n.parent.as_deref() == Some(t) && !inside.contains(&n.id))
                .filter_map(|n| design.layout.get(&n.id))
                .map(|c| c.y() + c.h())
                .max();
            match bottom {
                Some(b) => (tr.x() + PADDING, b + GAP),
                None => (tr.x() + PADDING, tr.y() + HEADER),
            }
        }
        (None, None) => (r.x(), r.y()),
    };
    shift_subtree(design, id, x - r.x(), y - r.y());
    grow_ancestors(design, id);
    push_aside(design, id)?;
    make_room(design, &before)
}

/// Removes nodes (with everything inside them) and edges, and every edge left dangling.
pub fn delete(design: &mut Design, nodes: &BTreeSet<NodeId>, edges: &BTreeSet<EdgeId>) {
    let gone = subtrees(design, nodes.iter().map(String::as_str));
    design.nodes.retain(|n| !gone.contains(&n.id));
    design.layout.retain(|id, _| !gone.contains(id));
    design
        .edges
        .retain(|e| !edges.contains(&e.id) && !gone.contains(&e.from) && !gone.contains(&e.to));
}

/// The edge kind a new edge from `from` to `to` gets: the first allowed kind, `DependsOn`
/// only when nothing more specific fits. A geo router's links are geo routes: what it sends
/// on is a routing decision (by country, failover role), which the residency rules and the
/// DNS exports read only from geo-route links.
pub fn default_edge_kind(from: Kind, to: Kind) -> Option<EdgeKind> {
    let kinds = from.edge_kinds_to(to);
    if from == Kind::GeoRouter && kinds.contains(&EdgeKind::GeoRoute) {
        return Some(EdgeKind::GeoRoute);
    }
    kinds
        .iter()
        .copied()
        .find(|k| *k != EdgeKind::DependsOn)
        .or_else(|| kinds.first().copied())
}

/// Connects `from` to `to` with the default edge kind. Refuses loops, duplicates and pairs
/// no edge kind allows, with the reason.
pub fn connect(design: &mut Design, from: &str, to: &str) -> Result<EdgeId, String> {
    if from == to {
        return Err("An edge needs two different nodes".into());
    }
    let fk = design
        .node(from)
        .map(Node::kind)
        .ok_or("No such source node")?;
    let tk = design
        .node(to)
        .map(Node::kind)
        .ok_or("No such target node")?;
    let kind = default_edge_kind(fk, tk).ok_or_else(|| {
        format!(
            "{} {} can't connect to {} {}",
            article(fk.label()),
            fk.label(),
            article(tk.label()).to_lowercase(),
            kind_phrase(tk)
        )
    })?;
    if design
        .edges
        .iter()
        .any(|e| e.from == from && e.to == to && e.kind() == kind)
    {
        return Err(format!(
            "These two are already connected ({})",
            kind.label().to_lowercase()
        ));
    }
    let id = design.fresh_edge_id("e-");
    let mut spec = EdgeSpec::default_for(kind);
    // Traffic to a data store speaks its protocol: TCP on the engine's port.
    if let (EdgeSpec::Traffic(t), true) = (&mut spec, tk.is_data_store()) {
        t.protocol = Protocol::Tcp;
    }
    design.edges.push(Edge::new(id.clone(), from, to, spec));
    Ok(id)
}

/// Changes the kind of edge `id`, if the kinds of its ends allow the new one.
pub fn set_edge_kind(design: &mut Design, id: &str, kind: EdgeKind) -> Result<(), String> {
    let (from, to) = {
        let e = design.edge(id).ok_or("No such edge")?;
        (e.from.clone(), e.to.clone())
    };
    let fk = design
        .node(&from)
        .map(Node::kind)
        .ok_or("No such source node")?;
    let tk = design
        .node(&to)
        .map(Node::kind)
        .ok_or("No such target node")?;
    if !fk.accepts_edge(kind, tk) {
        return Err(format!(
            "{} is not allowed from {} to {}",
            kind.label(),
            fk.label(),
            tk.label()
        ));
    }
    if let Some(e) = design.edges.iter_mut().find(|e| e.id == id) {
        if e.kind() != kind {
            e.spec = EdgeSpec::default_for(kind);
        }
    }
    Ok(())
}

/// The short text drawn on an edge: its label if set, else what its kind carries.
pub fn edge_caption(edge: &Edge) -> String {
    if !edge.label.trim().is_empty() {
        return edge.label.clone();
    }
    match &edge.spec {
        EdgeSpec::Traffic(t) => match t.port {
            Some(p) => format!("{} :{p}", t.protocol.as_str()),
            None => t.protocol.as_str().to_string(),
        },
        EdgeSpec::Access(a) => match a.mode {
            super::AccessMode::Read => "reads".into(),
            super::AccessMode::Write => "writes".into(),
            super::AccessMode::ReadWrite => "reads/writes".into(),
        },
        EdgeSpec::Replication(r) => {
            let mode = match r.mode {
                super::ReplicationMode::Sync => "sync",
                super::ReplicationMode::Async => "async",
            };
            match r.rpo_minutes {
                Some(m) => format!("{mode} · RPO {m} min"),
                None => mode.to_string(),
            }
        }
        EdgeSpec::Vpn(p) if !p.product.is_empty() => format!("VPN · {}", p.product),
        EdgeSpec::Vpn(_) => "VPN".into(),
        EdgeSpec::GeoRoute(g) => {
            let mut parts = Vec::new();
            if !g.countries.is_empty() {
                parts.push(g.countries.join(", "));
            }
            if let Some(f) = g.failover {
                parts.push(match f {
                    super::FailoverRole::Primary => "primary".into(),
                    super::FailoverRole::Standby => "standby".into(),
                });
            }
            if parts.is_empty() {
                "default route".into()
            } else {
                parts.join(" · ")
            }
        }
        EdgeSpec::Observes(_) => "observes".into(),
        EdgeSpec::DependsOn(_) => "depends on".into(),
    }
}

/// Reads a replica count typed by the user: a whole number of at least 1.
pub fn parse_replicas(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        Ok(_) => Err("Replicas must be at least 1".into()),
        Err(_) => Err("Replicas must be a whole number (1, 2, 3…)".into()),
    }
}

/// Reads an optional count (empty: unset) of at least `min`.
pub fn parse_optional_count(text: &str, min: u32, what: &str) -> Result<Option<u32>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<u32>() {
        Ok(n) if n >= min => Ok(Some(n)),
        _ => Err(format!("{what} must be a whole number of at least {min}")),
    }
}

/// Reads an availability objective in percent (`99.9`, `99,95`), above 0 and at most 100,
/// with at most four decimals; empty is unset.
pub fn parse_percent(text: &str) -> Result<Option<f64>, String> {
    let t = text.trim().replace(',', ".");
    if t.is_empty() {
        return Ok(None);
    }
    let decimals = t.split_once('.').map_or(0, |(_, d)| d.len());
    match t.parse::<f64>() {
        Ok(p)
            if p > 0.0
                && p <= 100.0
                && decimals <= 4
                && t.bytes().all(|b| b.is_ascii_digit() || b == b'.') =>
        {
            Ok(Some(p))
        }
        _ => Err("The SLO is a percentage above 0 and at most 100, e.g. 99.9".into()),
    }
}

/// Reads a TCP/UDP port: 1–65535, or empty for none.
pub fn parse_port(text: &str) -> Result<Option<u16>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<u16>() {
        Ok(p) if p >= 1 => Ok(Some(p)),
        _ => Err("A port is a whole number from 1 to 65535".into()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn slo_percentages_are_checked_before_they_reach_the_design() {
        use super::parse_percent;
        assert_eq!(parse_percent(""), Ok(None));
        assert_eq!(parse_percent(" 99.9 "), Ok(Some(99.9)));
        assert_eq!(parse_percent("99,95"), Ok(Some(99.95)));
        assert_eq!(parse_percent("100"), Ok(Some(100.0)));
        for bad in [
            "0", "100.01", "-5", "abc", "99.99999", "1e2", "NaN", "inf", "99.9%",
        ] {
            assert!(parse_percent(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn routes_are_orthogonal_and_leave_by_the_facing_sides() {
        // Side by side: out of the right side, in at the left side, two bends.
        let (points, label) = edge_route(Rect(0, 0, 100, 50), Rect(300, 200, 100, 50));
        assert_eq!(points.len(), 4);
        assert_eq!((points[0].x, points[0].y), (100.0, 25.0));
        assert_eq!((points[3].x, points[3].y), (300.0, 225.0));
        for w in points.windows(2) {
            assert!(
                w[0].x == w[1].x || w[0].y == w[1].y,
                "every leg is horizontal or vertical"
            );
        }
        // The vertical leg stands TURN_BEFORE short of the box it enters, not half-way.
        assert_eq!((label.x, label.y), (300.0 - TURN_BEFORE, 125.0));
        // Close boxes: half-way.
        let (_, label) = edge_route(Rect(0, 0, 100, 50), Rect(140, 200, 100, 50));
        assert_eq!(label.x, 120.0);
        // Stacked: out of the bottom, in at the top.
        let (points, _) = edge_route(Rect(0, 0, 100, 50), Rect(20, 300, 100, 50));
        assert_eq!((points[0].x, points[0].y), (50.0, 50.0));
        assert_eq!((points[3].x, points[3].y), (70.0, 300.0));
        // Right to left and bottom to top too.
        let (points, _) = edge_route(Rect(300, 0, 100, 50), Rect(0, 0, 100, 50));
        assert_eq!((points[0].x, points[3].x), (300.0, 100.0));
        // A node inside its container: the straight clipped segment.
        let (points, _) = edge_route(Rect(0, 0, 400, 400), Rect(100, 100, 50, 50));
        assert_eq!(points.len(), 2);
        assert_eq!(
            polyline_path(&[Point::new(1.0, 2.0), Point::new(3.0, 4.5)]),
            "M 1.0 2.0 L 3.0 4.5"
        );
    }

    use super::*;
    use crate::templates::template;

    fn sample() -> Design {
        let mut d = Design::new("t");
        let mut add = |id: &str, kind: Kind, parent: Option<&str>, r: Rect| {
            let mut n = Node::new(id, id, NodeSpec::default_for(kind));
            n.parent = parent.map(str::to_string);
            d.nodes.push(n);
            d.layout.insert(id.into(), r);
        };
        add("p", Kind::Provider, None, Rect(0, 0, 1000, 800));
        add("r", Kind::Region, Some("p"), Rect(20, 40, 900, 700));
        add("s", Kind::Subnet, Some("r"), Rect(40, 80, 400, 300));
        add(
            "k",
            Kind::KubernetesCluster,
            Some("r"),
            Rect(480, 80, 400, 500),
        );
        add("ns", Kind::Namespace, Some("k"), Rect(500, 120, 300, 200));
        add("w", Kind::Workload, Some("ns"), Rect(520, 160, 160, 56));
        add("u", Kind::UserGroup, None, Rect(1200, 0, 160, 56));
        d
    }

    #[test]
    fn innermost_container_under_a_point() {
        let d = sample();
        let none = HashSet::new();
        assert_eq!(
            container_at(&d, Point::new(100.0, 100.0), &none).as_deref(),
            Some("s")
        );
        assert_eq!(
            container_at(&d, Point::new(600.0, 200.0), &none).as_deref(),
            Some("ns")
        );
        assert_eq!(
            container_at(&d, Point::new(600.0, 500.0), &none).as_deref(),
            Some("k")
        );
        assert_eq!(
            container_at(&d, Point::new(950.0, 20.0), &none).as_deref(),
            Some("p")
        );
        assert_eq!(container_at(&d, Point::new(1100.0, 20.0), &none), None);
        // The workload is not a container; node_at finds it.
        assert_eq!(
            node_at(&d, Point::new(530.0, 170.0), &none).as_deref(),
            Some("w")
        );
        // Dragged nodes are ignored.
        let ex: HashSet<NodeId> = ["ns".to_string()].into();
        assert_eq!(
            container_at(&d, Point::new(600.0, 200.0), &ex).as_deref(),
            Some("k")
        );
    }

    #[test]
    fn placement_reasons_name_the_allowed_places() {
        assert!(check_placement(Kind::Database, Some(Kind::Subnet)).is_ok());
        let err = check_placement(Kind::Database, Some(Kind::KubernetesCluster)).unwrap_err();
        assert_eq!(
            err,
            "A Database can't go inside a Kubernetes cluster: place it in a region, availability zone, subnet, namespace or Swarm cluster"
        );
        let top = check_placement(Kind::Workload, None).unwrap_err();
        assert!(
            top.starts_with("A Workload can't go at the top level"),
            "{top}"
        );
        let zone = check_placement(Kind::Zone, Some(Kind::Provider)).unwrap_err();
        assert!(
            zone.starts_with("An Availability zone can't go inside a cloud provider"),
            "{zone}"
        );
    }

    #[test]
    fn add_node_places_and_grows_containers() {
        let mut d = sample();
        let id = add_node(&mut d, Kind::Database, Some("s"), Point::new(420.0, 360.0)).unwrap();
        assert_eq!(d.node(&id).unwrap().parent.as_deref(), Some("s"));
        assert_eq!(d.node(&id).unwrap().name, "PostgreSQL");
        let r = d.layout[&id];
        assert!(rect_within(r, d.layout["s"]), "subnet grew to hold it");
        assert!(rect_within(d.layout["s"], d.layout["r"]));
        assert!(add_node(&mut d, Kind::Database, Some("k"), Point::new(500.0, 500.0)).is_err());
        let id2 = add_node(&mut d, Kind::Database, Some("s"), Point::new(100.0, 200.0)).unwrap();
        assert_ne!(id, id2);
        assert_eq!(d.node(&id2).unwrap().name, "PostgreSQL 2");
        assert!(crate::model::load::check_design(&d).is_ok());
    }

    #[test]
    fn a_second_drop_at_the_same_spot_lands_beside_the_first() {
        let mut d = sample();
        let at = Point::new(1500.0, 400.0);
        let a = add_node(&mut d, Kind::UserGroup, None, at).unwrap();
        let b = add_node(&mut d, Kind::UserGroup, None, at).unwrap();
        let (ra, rb) = (d.layout[&a], d.layout[&b]);
        assert!(!boxes_overlap(ra, rb), "{ra:?} {rb:?}");
        // Offset, not thrown far away: just past the first, right or down.
        let (dx, dy) = (rb.x() - ra.x(), rb.y() - ra.y());
        assert!(
            (dx == 0 && dy == ra.h() + PUSH_GAP) || (dy == 0 && dx == ra.w() + PUSH_GAP),
            "{dx} {dy}"
        );
        // A third one lands clear of both.
        let c = add_node(&mut d, Kind::UserGroup, None, at).unwrap();
        assert!([&a, &b]
            .iter()
            .all(|o| !boxes_overlap(d.layout[*o], d.layout[&c])));
    }

    #[test]
    fn a_drop_onto_a_child_lands_next_to_it_inside_the_container() {
        let mut d = sample();
        // Onto workload `w` (520,160 160×56) inside namespace `ns`.
        let id = add_node(&mut d, Kind::Workload, Some("ns"), Point::new(600.0, 188.0)).unwrap();
        let (r, w) = (d.layout[&id], d.layout["w"]);
        assert!(!boxes_overlap(r, w), "{r:?} on {w:?}");
        assert_eq!(
            d.layout["w"],
            Rect(520, 160, 160, 56),
            "the child stays put"
        );
        assert!(
            rect_within(r, d.layout["ns"]),
            "the namespace grew to hold it"
        );
        assert!(crate::model::load::check_design(&d).is_ok());
    }

    #[test]
    fn a_container_dropped_near_the_edge_of_the_view_lands_inside_it() {
        let mut d = sample();
        let view = Rect(1100, 100, 800, 600);
        // The pointer 10 px from the view's right edge: a 320-wide region centred there would
        // stick out by 150.
        let at = Point::new(1890.0, 120.0);
        let id = add_node_in_view(&mut d, Kind::Provider, None, at, Some(view)).unwrap();
        let r = d.layout[&id];
        let inner = Rect(
            view.x() + VIEW_MARGIN,
            view.y() + VIEW_MARGIN,
            view.w() - 2 * VIEW_MARGIN,
            view.h() - 2 * VIEW_MARGIN,
        );
        assert!(rect_within(r, inner), "{r:?} outside {inner:?}");
        assert!(!boxes_overlap(r, d.layout["u"]));
        // Near the corner where a box already sits: beside it, still in view.
        let mut n = Node::new("u2", "u2", NodeSpec::default_for(Kind::UserGroup));
        n.parent = None;
        d.nodes.push(n);
        d.layout.insert("u2".into(), Rect(1700, 600, 160, 56));
        let id3 = add_node_in_view(
            &mut d,
            Kind::Provider,
            None,
            Point::new(1890.0, 690.0),
            Some(view),
        )
        .unwrap();
        let r3 = d.layout[&id3];
        assert!(rect_within(r3, view), "{r3:?} outside {view:?}");
        assert!(
            !boxes_overlap(r3, d.layout["u2"]) && !boxes_overlap(r3, r),
            "{r3:?}"
        );
        // Without a view (paste, a script), the box goes where it was asked.
        let id2 = add_node(&mut d, Kind::Provider, None, Point::new(5000.0, 5000.0)).unwrap();
        assert_eq!(
            d.layout[&id2],
            Rect(4840, 4900, CONTAINER_WIDTH, CONTAINER_HEIGHT)
        );
    }

    #[test]
    fn keep_within_moves_a_box_into_the_view_as_far_as_it_fits() {
        let view = Rect(0, 0, 1000, 500);
        assert_eq!(
            keep_within(Rect(900, -40, 200, 100), view, 10),
            Rect(790, 10, 200, 100)
        );
        assert_eq!(
            keep_within(Rect(100, 100, 200, 100), view, 10),
            Rect(100, 100, 200, 100)
        );
        // Taller than the view: its top shows.
        assert_eq!(
            keep_within(Rect(100, -300, 200, 900), view, 10),
            Rect(100, 10, 200, 900)
        );
    }

    #[test]
    fn moving_a_container_moves_its_children() {
        let mut d = sample();
        let before = d.layout["w"];
        move_nodes(&mut d, &["k".to_string()], 10, -5);
        assert_eq!(subtrees(&d, ["k"]).len(), 3);
        assert_eq!(
            d.layout["w"],
            Rect(before.x() + 10, before.y() - 5, 160, 56)
        );
        assert_eq!(d.layout["k"].x(), 490);
        let sel: BTreeSet<NodeId> = ["k".to_string(), "w".to_string(), "u".to_string()].into();
        let mut roots = selection_roots(&d, &sel);
        roots.sort();
        assert_eq!(roots, vec!["k".to_string(), "u".to_string()]);
    }

    #[test]
    fn reparent_checks_kind_and_cycles() {
        let mut d = sample();
        assert!(reparent(&mut d, "k", Some("ns")).is_err(), "no cycles");
        assert!(
            reparent(&mut d, "w", Some("s")).is_err(),
            "workloads need a namespace"
        );
        assert!(reparent(&mut d, "k", Some("s")).is_ok());
        assert_eq!(d.node("k").unwrap().parent.as_deref(), Some("s"));
        grow_ancestors(&mut d, "k");
        assert!(rect_within(d.layout["k"], d.layout["s"]));
    }

    #[test]
    fn resize_keeps_children_inside() {
        let mut d = sample();
        resize(&mut d, "ns", 10, 10);
        assert!(rect_within(d.layout["w"], d.layout["ns"]));
        resize(&mut d, "ns", 600, 400);
        assert_eq!(d.layout["ns"].w(), 600);
    }

    #[test]
    fn delete_takes_descendants_and_edges() {
        let mut d = sample();
        connect(&mut d, "u", "w").unwrap();
        delete(&mut d, &["k".to_string()].into(), &BTreeSet::new());
        assert!(d.node("w").is_none() && d.node("ns").is_none());
        assert!(d.edges.is_empty());
        assert!(!d.layout.contains_key("w"));
    }

    #[test]
    fn edge_defaults_skip_depends_on() {
        assert_eq!(
            default_edge_kind(Kind::Workload, Kind::Database),
            Some(EdgeKind::Traffic)
        );
        assert_eq!(
            default_edge_kind(Kind::Database, Kind::Workload),
            Some(EdgeKind::DependsOn)
        );
        assert_eq!(
            default_edge_kind(Kind::VpnGateway, Kind::VpnGateway),
            Some(EdgeKind::Vpn)
        );
        // A geo router routes; plain traffic from it would hide the route from the rules.
        assert_eq!(
            default_edge_kind(Kind::GeoRouter, Kind::LoadBalancer),
            Some(EdgeKind::GeoRoute)
        );
        assert_eq!(
            default_edge_kind(Kind::GeoRouter, Kind::IngressController),
            Some(EdgeKind::GeoRoute)
        );
        // A balancer may take geo routes too, but its links stay plain traffic by default.
        assert_eq!(
            default_edge_kind(Kind::LoadBalancer, Kind::Workload),
            Some(EdgeKind::Traffic)
        );
        let mut d = sample();
        let e = connect(&mut d, "u", "w").unwrap();
        assert_eq!(d.edge(&e).unwrap().kind(), EdgeKind::Traffic);
        assert!(connect(&mut d, "u", "w").is_err(), "no duplicates");
        assert!(connect(&mut d, "u", "u").is_err(), "no loops");
        assert!(set_edge_kind(&mut d, &e, EdgeKind::DependsOn).is_ok());
        assert!(set_edge_kind(&mut d, &e, EdgeKind::Vpn).is_err());
    }

    #[test]
    fn geometry() {
        let a = Rect(0, 0, 100, 50);
        let p = border_point(a, Point::new(500.0, 25.0));
        assert_eq!(p, Point::new(100.0, 25.0));
        let q = border_point(a, Point::new(50.0, -500.0));
        assert_eq!(q, Point::new(50.0, 0.0));
        assert_eq!(
            rect_from_corners(Point::new(10.0, 20.0), Point::new(0.0, 5.0)),
            Rect(0, 5, 10, 15)
        );
        let d = sample();
        let mut band = nodes_in_band(&d, Rect(470, 70, 500, 600));
        band.sort();
        assert_eq!(
            band,
            vec!["k".to_string(), "ns".to_string(), "w".to_string()]
        );
        assert_eq!(content_bounds(&d), Some(Rect(0, 0, 1360, 800)));
    }

    #[test]
    fn viewport_zooms_about_a_point_and_fits() {
        let v = Viewport {
            x: 10.0,
            y: 20.0,
            zoom: 1.0,
        };
        let w = v.to_world(110.0, 70.0);
        assert_eq!(w, Point::new(100.0, 50.0));
        let z = v.zoom_at(2.0, 110.0, 70.0);
        assert_eq!(z.zoom, 2.0);
        // The point under the cursor stays put.
        assert_eq!(z.to_world(110.0, 70.0), w);
        assert_eq!(v.zoom_at(1e9, 0.0, 0.0).zoom, MAX_ZOOM);
        let f = Viewport::fit(Rect(100, 100, 1000, 500), 800.0, 600.0, 1.0);
        assert!(f.zoom < 1.0);
        let tl = f.to_world(32.0, 0.0);
        assert!(
            (tl.x - 100.0).abs() < 1e-6,
            "left edge at the margin: {tl:?}"
        );
        let c = f.to_world(400.0, 300.0);
        assert!(
            (c.x - 600.0).abs() < 1e-6 && (c.y - 350.0).abs() < 1e-6,
            "centred: {c:?}"
        );
    }

    #[test]
    fn inputs_are_checked_before_they_reach_the_model() {
        assert_eq!(parse_replicas("3"), Ok(3));
        assert!(parse_replicas("0").is_err());
        assert!(parse_replicas("abc").is_err());
        assert!(parse_replicas("-1").is_err());
        assert_eq!(parse_port(""), Ok(None));
        assert!(parse_port("70000").is_err());
        assert_eq!(parse_optional_count("", 1, "x"), Ok(None));
    }

    #[test]
    fn templates_are_laid_out_with_children_inside_parents() {
        for t in crate::templates::TEMPLATES {
            let d = template(t.slug).unwrap();
            for n in &d.nodes {
                if let Some(p) = &n.parent {
                    assert!(
                        rect_within(d.layout[&n.id], d.layout[p]),
                        "{} {}",
                        t.slug,
                        n.id
                    );
                }
            }
        }
    }

    #[test]
    fn cull_rect_covers_the_screen_with_a_margin_and_moves_in_steps() {
        let v = Viewport {
            x: -1000.0,
            y: -500.0,
            zoom: 0.5,
        };
        let r = v.cull_rect(800.0, 600.0);
        // On screen: world x 2000..3600, y 1000..2200.
        let screen = Rect(2000, 1000, 1600, 1200);
        assert!(rect_within(screen, r), "{r:?}");
        assert!(!rects_overlap(r, Rect(-10_000, -10_000, 100, 100)));
        // A small pan keeps the same rectangle: nothing is redrawn for it.
        let panned = Viewport {
            x: -1010.0,
            y: -505.0,
            zoom: 0.5,
        };
        assert_eq!(panned.cull_rect(800.0, 600.0), r);
        // A pan of several screens moves it.
        let far = Viewport {
            x: -9000.0,
            y: -500.0,
            zoom: 0.5,
        };
        assert_ne!(far.cull_rect(800.0, 600.0), r);
        // Wheel steps of 2 % change it only now and then, not at every step.
        let mut zoomed = v;
        let mut rects = vec![r];
        for _ in 0..20 {
            zoomed = zoomed.zoom_at(1.02, 400.0, 300.0);
            rects.push(zoomed.cull_rect(800.0, 600.0));
        }
        rects.dedup();
        assert!(rects.len() <= 6, "{} rectangles in 21 steps", rects.len());
        // Zooming far out grows it.
        let out = v.zoom_at(0.2, 400.0, 300.0);
        assert!(rect_within(r, out.cull_rect(800.0, 600.0)));
    }

    #[test]
    fn bounding_rect_holds_both() {
        let (a, b) = (Rect(0, 10, 10, 10), Rect(30, -5, 5, 5));
        let r = bounding_rect(a, b);
        assert_eq!(r, Rect(0, -5, 35, 25));
        assert!(rect_within(a, r) && rect_within(b, r));
        assert_eq!(bounding_rect(a, a), a);
    }

    #[test]
    fn overlap_is_symmetric_and_counts_touching() {
        let a = Rect(0, 0, 10, 10);
        assert!(rects_overlap(a, Rect(10, 10, 5, 5)));
        assert!(rects_overlap(Rect(10, 10, 5, 5), a));
        assert!(!rects_overlap(a, Rect(11, 0, 5, 5)));
        assert!(rects_overlap(a, Rect(2, 2, 1, 1)), "inside");
    }

    fn no_sibling_overlaps(d: &Design) -> bool {
        d.nodes.iter().all(|a| {
            d.nodes.iter().all(|b| {
                a.id == b.id
                    || a.parent != b.parent
                    || !boxes_overlap(d.layout[&a.id], d.layout[&b.id])
            })
        })
    }

    #[test]
    fn a_grown_container_pushes_its_neighbour_aside_with_what_it_holds() {
        let mut d = sample();
        let before = d.layout.clone();
        // The subnet grows 40 into the cluster beside it.
        resize(&mut d, "s", 480, 300);
        make_room(&mut d, &before).unwrap();
        assert_eq!(d.layout["s"], Rect(40, 80, 480, 300));
        // Pushed right (the shorter way) by the overlap and the gap, children along.
        assert_eq!(d.layout["k"], Rect(536, 80, 400, 500));
        assert_eq!(d.layout["w"].x(), 576);
        assert_eq!(d.layout["ns"].x(), 556);
        // The region grew to hold the cluster; the provider did not need to.
        assert_eq!(d.layout["r"].x() + d.layout["r"].w(), 936 + PADDING);
        assert_eq!(d.layout["p"], before["p"]);
        assert!(no_sibling_overlaps(&d));
    }

    #[test]
    fn growing_into_free_room_pushes_nothing() {
        let mut d = sample();
        let before = d.layout.clone();
        resize(&mut d, "s", 420, 320);
        make_room(&mut d, &before).unwrap();
        for id in ["k", "ns", "w", "r", "p", "u"] {
            assert_eq!(d.layout[id], before[id], "{id}");
        }
        // A container that moved without growing pushes nothing either.
        let mut d = sample();
        let before = d.layout.clone();
        move_nodes(&mut d, &["s".to_string()], 60, 0);
        make_room(&mut d, &before).unwrap();
        assert_eq!(d.layout["k"], before["k"]);
    }

    #[test]
    fn pushes_chain_along_a_row_and_up_the_tree() {
        // Three boxes in a row at the top: the first grows, the second pushes the third.
        let mut d = Design::new("row");
        for (i, id) in ["a", "b", "c"].into_iter().enumerate() {
            d.nodes
                .push(Node::new(id, id, NodeSpec::default_for(Kind::Provider)));
            d.layout
                .insert(id.into(), Rect(i as i32 * 220, 0, 200, 200));
        }
        let before = d.layout.clone();
        resize(&mut d, "a", 250, 200);
        make_room(&mut d, &before).unwrap();
        assert_eq!(d.layout["b"].x(), 250 + PUSH_GAP);
        assert_eq!(d.layout["c"].x(), 250 + PUSH_GAP + 200 + PUSH_GAP);
        assert!(no_sibling_overlaps(&d));

        // Up the tree: the subnet pushes the cluster out of the region, the region and the
        // provider grow, and the provider pushes the user group beside it.
        let mut d = sample();
        d.layout.insert("u".into(), Rect(1010, 0, 160, 56));
        let before = d.layout.clone();
        resize(&mut d, "s", 560, 300);
        make_room(&mut d, &before).unwrap();
        assert_eq!(d.layout["k"].x(), 40 + 560 + PUSH_GAP);
        let p = d.layout["p"];
        assert!(p.w() > 1000);
        assert_eq!(d.layout["u"].x(), p.x() + p.w() + PUSH_GAP);
        assert_eq!(d.layout["u"].y(), 0);
        assert!(no_sibling_overlaps(&d));
    }

    #[test]
    fn names_are_checked_and_any_script_is_kept() {
        assert_eq!(
            check_name("  Платформа \"prod\"\nвторая строка \n").unwrap(),
            "Платформа \"prod\"\nвторая строка"
        );
        assert!(check_name("").is_err());
        assert!(check_name(" \n\t").is_err());
        assert!(check_name(&"x".repeat(MAX_TEXT_CHARS + 1)).is_err());
        let mut d = sample();
        rename(&mut d, "w", "«api» o'brien").unwrap();
        assert_eq!(d.node("w").unwrap().name, "«api» o'brien");
        assert!(rename(&mut d, "w", "  ").is_err());
        assert_eq!(d.node("w").unwrap().name, "«api» o'brien");
    }

    #[test]
    fn moving_into_and_out_of_containers_follows_the_rules() {
        let mut d = sample();
        let mut db = Node::new("db", "db", NodeSpec::default_for(Kind::Database));
        db.parent = Some("s".into());
        d.nodes.push(db);
        d.layout.insert("db".into(), Rect(60, 120, 160, 56));
        let into = containers_for(&d, "db");
        assert!(into.contains(&"ns".to_string()) && into.contains(&"r".to_string()));
        assert!(!into.contains(&"s".to_string()), "not where it is");
        assert!(
            !into.contains(&"k".to_string()),
            "a cluster holds no database"
        );
        // A container is never offered itself or what it holds.
        let k_into = containers_for(&d, "k");
        assert!(!k_into.contains(&"k".to_string()) && !k_into.contains(&"ns".to_string()));

        // Into the namespace: below the workload there, the namespace grown to hold it.
        move_into(&mut d, "db", Some("ns")).unwrap();
        assert_eq!(d.node("db").unwrap().parent.as_deref(), Some("ns"));
        let (db, ns) = (d.layout["db"], d.layout["ns"]);
        assert_eq!((db.x(), db.y()), (500 + PADDING, 160 + 56 + GAP));
        assert!(rect_within(db, ns));
        assert!(no_sibling_overlaps(&d));

        // Out: to the cluster's parent is not allowed (a cluster holds no database), so out
        // of the namespace it can't go; from the subnet it goes to the region.
        assert_eq!(move_out_target(&d, "db"), None);
        assert!(move_into(&mut d, "db", Some("k")).is_err());
        move_into(&mut d, "db", Some("s")).unwrap();
        assert_eq!(move_out_target(&d, "db"), Some(Some("r".to_string())));
        move_into(&mut d, "db", Some("r")).unwrap();
        assert_eq!(d.node("db").unwrap().parent.as_deref(), Some("r"));
        // Beside the subnet it left, the neighbours pushed aside.
        assert_eq!(
            d.layout["db"].x(),
            d.layout["s"].x() + d.layout["s"].w() + GAP
        );
        assert!(rect_within(d.layout["db"], d.layout["r"]));
        assert!(no_sibling_overlaps(&d));
        // The top level takes no database.
        assert!(move_into(&mut d, "db", None).is_err());
    }
}
