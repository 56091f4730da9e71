//! Orthogonal link routes that go around the boxes they do not connect.
//!
//! A link is drawn from the side of its first box to the side of its second, in horizontal and
//! vertical legs, and never through the inside of a box that is neither one of its ends nor a
//! container of one (a link may leave its own cluster, but not cut through a neighbour's).
//!
//! Most links in a laid-out design have a clear straight or two-bend route, so the cheap shapes
//! are tried first ([`edge_route`], then the other orientation and the two L shapes). Only when
//! each of those hits a box does the router search: A* (the `pathfinding` crate) over a sparse
//! orthogonal visibility grid whose lines run a [`CLEARANCE`] outside the boxes near the link,
//! with a bend cost so that routes keep few bends. The search starts in a window around the two
//! ends and widens until it finds a way or covers every box; a link with no way at all keeps the
//! simple route, drawn through (the caller's metrics count it).
//!
//! Boxes are found through a uniform grid of buckets ([`Obstacles`]), so a route costs what is
//! near it, not the size of the design.

use std::collections::HashMap;

use pathfinding::prelude::astar;

mod captions;
pub use captions::{place_captions, CAPTION_HEIGHT};

use std::collections::BTreeMap;

use super::design::{Design, NodeId, Rect};
use super::edit::{edge_route, Point};
use super::graph::DesignGraph;

/// Distance a searched route keeps from the boxes it passes.
pub const CLEARANCE: f64 = 12.0;

/// What a bend costs in the search, in canvas units of length: a detour shorter than this is
/// preferred to one more bend.
const BEND_COST: u32 = 60;

/// Side of a bucket in the obstacle index.
const BUCKET: f64 = 160.0;

/// A box in floating-point canvas units.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Area {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Area {
    fn of(r: Rect) -> Self {
        Area {
            x0: r.x() as f64,
            y0: r.y() as f64,
            x1: (r.x() + r.w()) as f64,
            y1: (r.y() + r.h()) as f64,
        }
    }

    fn centre(&self) -> Point {
        Point::new((self.x0 + self.x1) / 2.0, (self.y0 + self.y1) / 2.0)
    }

    /// Whether `p` lies strictly inside (a point on the border is outside).
    fn holds_inside(&self, p: Point) -> bool {
        self.x0 < p.x && p.x < self.x1 && self.y0 < p.y && p.y < self.y1
    }

    /// Whether `p` lies inside or on the border.
    fn holds(&self, p: Point) -> bool {
        self.x0 <= p.x && p.x <= self.x1 && self.y0 <= p.y && p.y <= self.y1
    }

    /// Whether the axis-parallel segment `a`–`b` passes through the inside. Running along the
    /// border or touching a corner does not count.
    fn cut_by(&self, a: Point, b: Point) -> bool {
        if a.y == b.y {
            let (lo, hi) = (a.x.min(b.x), a.x.max(b.x));
            self.y0 < a.y && a.y < self.y1 && lo.max(self.x0) < hi.min(self.x1)
        } else if a.x == b.x {
            let (lo, hi) = (a.y.min(b.y), a.y.max(b.y));
            self.x0 < a.x && a.x < self.x1 && lo.max(self.y0) < hi.min(self.y1)
        } else {
            // Routes are orthogonal; a slanted segment is tested by its bounding box.
            let (lx, hx) = (a.x.min(b.x), a.x.max(b.x));
            let (ly, hy) = (a.y.min(b.y), a.y.max(b.y));
            lx.max(self.x0) < hx.min(self.x1) && ly.max(self.y0) < hy.min(self.y1)
        }
    }
}

/// The boxes of a design, indexed by position.
#[derive(Debug, Clone)]
pub struct Obstacles {
    areas: Vec<Area>,
    buckets: HashMap<(i32, i32), Vec<u32>>,
    bounds: Option<Area>,
}

fn bucket_of(v: f64) -> i32 {
    (v / BUCKET).floor().clamp(i32::MIN as f64, i32::MAX as f64) as i32
}

impl Obstacles {
    /// Index `boxes`; a link names its ends and passable boxes by their position in this list.
    pub fn new(boxes: &[Rect]) -> Self {
        let areas: Vec<Area> = boxes.iter().map(|&r| Area::of(r)).collect();
        let mut buckets: HashMap<(i32, i32), Vec<u32>> = HashMap::new();
        for (i, a) in areas.iter().enumerate() {
            for bx in bucket_of(a.x0)..=bucket_of(a.x1) {
                for by in bucket_of(a.y0)..=bucket_of(a.y1) {
                    buckets.entry((bx, by)).or_default().push(i as u32);
                }
            }
        }
        let bounds = areas.iter().copied().reduce(|u, a| Area {
            x0: u.x0.min(a.x0),
            y0: u.y0.min(a.y0),
            x1: u.x1.max(a.x1),
            y1: u.y1.max(a.y1),
        });
        Obstacles {
            areas,
            buckets,
            bounds,
        }
    }

    /// The boxes whose buckets meet `window`, each once, in index order.
    fn near(&self, window: Area) -> Vec<u32> {
        let mut found = Vec::new();
        for bx in bucket_of(window.x0)..=bucket_of(window.x1) {
            for by in bucket_of(window.y0)..=bucket_of(window.y1) {
                if let Some(ids) = self.buckets.get(&(bx, by)) {
                    found.extend_from_slice(ids);
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// The first box (by index) that `a`–`b` cuts and `passable` does not allow.
    fn blocker(&self, a: Point, b: Point, passable: &dyn Fn(usize) -> bool) -> Option<usize> {
        let window = Area {
            x0: a.x.min(b.x),
            y0: a.y.min(b.y),
            x1: a.x.max(b.x),
            y1: a.y.max(b.y),
        };
        self.near(window)
            .into_iter()
            .map(|i| i as usize)
            .find(|&i| !passable(i) && self.areas[i].cut_by(a, b))
    }
}

/// One link to route: the positions of its two end boxes in the [`Obstacles`] list, and of the
/// boxes it may cross (containers of either end; the ends themselves always may).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Link {
    pub from: usize,
    pub to: usize,
    pub passable: Vec<usize>,
}

impl Link {
    fn may_cross(&self, i: usize) -> bool {
        i == self.from || i == self.to || self.passable.contains(&i)
    }
}

/// A drawn route: its polyline from the border of the first box to the border of the second,
/// and where its caption goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub points: Vec<Point>,
    pub caption: Point,
    /// Whether the route goes around every box it must (false only when no way was found).
    pub clear: bool,
}

/// The route of one link.
pub fn route(obstacles: &Obstacles, link: &Link) -> Route {
    let (Some(&from), Some(&to)) = (obstacles.areas.get(link.from), obstacles.areas.get(link.to))
    else {
        return Route {
            points: Vec::new(),
            caption: Point::new(0.0, 0.0),
            clear: false,
        };
    };
    let passable = |i: usize| link.may_cross(i);
    let is_clear = |points: &[Point]| {
        points
            .windows(2)
            .all(|w| obstacles.blocker(w[0], w[1], &passable).is_none())
    };
    let (points, caption) = edge_route(rect_of(from), rect_of(to));
    let points = simplified(points);
    if is_clear(&points) {
        return Route {
            points,
            caption,
            clear: true,
        };
    }
    for candidate in simple_shapes(from, to) {
        if is_clear(&candidate) {
            return finished(candidate, true);
        }
    }
    match search(obstacles, link, from, to) {
        Some(path) => finished(path, true),
        None => Route {
            points,
            caption,
            clear: false,
        },
    }
}

/// The routes of every link, in order.
pub fn route_all(obstacles: &Obstacles, links: &[Link]) -> Vec<Route> {
    links.iter().map(|l| route(obstacles, l)).collect()
}

/// The route of every link of `design` drawn with `layout`, in the design's edge order (`None`
/// for a link whose ends are not both placed). Every placed box is an obstacle except the link's
/// ends and the containers of either end.
pub fn design_routes(design: &Design, layout: &BTreeMap<NodeId, Rect>) -> Vec<Option<Route>> {
    let graph = DesignGraph::new(design);
    // Obstacle slots for the placed nodes, by node index.
    let mut slot = vec![None; graph.len()];
    let mut boxes = Vec::new();
    for (i, node) in design.nodes.iter().enumerate() {
        if let Some(&r) = layout.get(&node.id) {
            slot[i] = Some(boxes.len());
            boxes.push(r);
        }
    }
    let obstacles = Obstacles::new(&boxes);
    let containers = |mut n: usize| {
        let mut found = Vec::new();
        // Bounded by the node count, so a damaged parent chain cannot loop.
        for _ in 0..graph.len() {
            match graph.parent(n) {
                Some(p) if p != n => {
                    found.extend(slot[p]);
                    n = p;
                }
                _ => break,
            }
        }
        found
    };
    (0..design.edges.len())
        .map(|e| {
            let (f, t) = graph.edge_ends(e)?;
            let (from, to) = (slot[f]?, slot[t]?);
            let mut passable = containers(f);
            passable.extend(containers(t));
            passable.sort_unstable();
            passable.dedup();
            Some(route(&obstacles, &Link { from, to, passable }))
        })
        .collect()
}

fn rect_of(a: Area) -> Rect {
    Rect(
        a.x0 as i32,
        a.y0 as i32,
        (a.x1 - a.x0) as i32,
        (a.y1 - a.y0) as i32,
    )
}

/// The other cheap shapes: two bends in the other orientation, and the two one-bend L shapes,
/// each from a side of `from` to a side of `to`.
fn simple_shapes(from: Area, to: Area) -> Vec<Vec<Point>> {
    let (fc, tc) = (from.centre(), to.centre());
    let mut shapes = Vec::with_capacity(4);
    // Across first, then along: leave by a left/right side, enter by top/bottom.
    let ax = if tc.x >= fc.x { from.x1 } else { from.x0 };
    let by = if tc.y >= fc.y { to.y0 } else { to.y1 };
    if !(from.x0..=from.x1).contains(&tc.x) && !(to.y0..=to.y1).contains(&fc.y) {
        shapes.push(vec![
            Point::new(ax, fc.y),
            Point::new(tc.x, fc.y),
            Point::new(tc.x, by),
        ]);
    }
    // Down first, then across.
    let ay = if tc.y >= fc.y { from.y1 } else { from.y0 };
    let bx = if tc.x >= fc.x { to.x0 } else { to.x1 };
    if !(from.y0..=from.y1).contains(&tc.y) && !(to.x0..=to.x1).contains(&fc.x) {
        shapes.push(vec![
            Point::new(fc.x, ay),
            Point::new(fc.x, tc.y),
            Point::new(bx, tc.y),
        ]);
    }
    // Two bends with the middle leg vertical (horizontal exits) or horizontal (vertical exits).
    if to.x0 > from.x1 || from.x0 > to.x1 {
        let (ax, bx) = if tc.x >= fc.x {
            (from.x1, to.x0)
        } else {
            (from.x0, to.x1)
        };
        let mx = (ax + bx) / 2.0;
        shapes.push(vec![
            Point::new(ax, fc.y),
            Point::new(mx, fc.y),
            Point::new(mx, tc.y),
            Point::new(bx, tc.y),
        ]);
    }
    if to.y0 > from.y1 || from.y0 > to.y1 {
        let (ay, by) = if tc.y >= fc.y {
            (from.y1, to.y0)
        } else {
            (from.y0, to.y1)
        };
        let my = (ay + by) / 2.0;
        shapes.push(vec![
            Point::new(fc.x, ay),
            Point::new(fc.x, my),
            Point::new(tc.x, my),
            Point::new(tc.x, by),
        ]);
    }
    shapes
}

/// A route found by the caller's search or shapes, with collinear points merged and the caption
/// on the middle of its longest leg.
fn finished(points: Vec<Point>, clear: bool) -> Route {
    let points = simplified(points);
    let caption = points
        .windows(2)
        .max_by(|a, b| {
            let la = (a[1].x - a[0].x).abs() + (a[1].y - a[0].y).abs();
            let lb = (b[1].x - b[0].x).abs() + (b[1].y - b[0].y).abs();
            la.total_cmp(&lb)
        })
        .map(|w| Point::new((w[0].x + w[1].x) / 2.0, (w[0].y + w[1].y) / 2.0))
        .unwrap_or(Point::new(0.0, 0.0));
    Route {
        points,
        caption,
        clear,
    }
}

/// `points` without repeated points and without points in the middle of a straight run.
fn simplified(points: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for p in points {
        if out.last() == Some(&p) {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let straight = (a.x == b.x && b.x == p.x) || (a.y == b.y && b.y == p.y);
            if straight {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

/// Heading of the last leg in the search, so that a turn can be charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Heading {
    Start,
    Horizontal,
    Vertical,
}

/// A* over the orthogonal visibility grid of the boxes near the link, widening the window until a
/// way is found or the window holds every box. Returns the polyline from border to border.
fn search(obstacles: &Obstacles, link: &Link, from: Area, to: Area) -> Option<Vec<Point>> {
    let bounds = obstacles.bounds?;
    let span =
        (from.x1.max(to.x1) - from.x0.min(to.x0)).max(from.y1.max(to.y1) - from.y0.min(to.y0));
    let mut pad = span.max(BUCKET) / 2.0;
    loop {
        let window = Area {
            x0: from.x0.min(to.x0) - pad,
            y0: from.y0.min(to.y0) - pad,
            x1: from.x1.max(to.x1) + pad,
            y1: from.y1.max(to.y1) + pad,
        };
        for ends in [Ends::Centres, Ends::Borders] {
            if let Some(path) = search_in(obstacles, link, from, to, window, ends) {
                return Some(clipped(path, from, to));
            }
        }
        let covers = window.x0 <= bounds.x0 - 2.0 * CLEARANCE
            && window.y0 <= bounds.y0 - 2.0 * CLEARANCE
            && window.x1 >= bounds.x1 + 2.0 * CLEARANCE
            && window.y1 >= bounds.y1 + 2.0 * CLEARANCE;
        if covers {
            return None;
        }
        pad *= 3.0;
    }
}

/// Where a search starts and ends: at the centres of the two boxes (a leaf's route may leave by
/// any side), or, for a container whose centre sits among its children, anywhere on its border.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ends {
    Centres,
    Borders,
}

/// A grid position in the search, and the heading it was reached with. `None` is the virtual
/// start that steps onto any border point of the first box at no cost.
type State = (Option<(usize, usize)>, Heading);

fn search_in(
    obstacles: &Obstacles,
    link: &Link,
    from: Area,
    to: Area,
    window: Area,
    ends: Ends,
) -> Option<Vec<Point>> {
    let strangers: Vec<Area> = obstacles
        .near(window)
        .into_iter()
        .map(|i| i as usize)
        .filter(|&i| !link.may_cross(i))
        .map(|i| obstacles.areas[i])
        .collect();
    let (fc, tc) = (from.centre(), to.centre());
    let mut xs = vec![fc.x, tc.x, window.x0, window.x1];
    let mut ys = vec![fc.y, tc.y, window.y0, window.y1];
    for a in strangers.iter().chain([&from, &to]) {
        xs.extend([a.x0 - CLEARANCE, a.x1 + CLEARANCE]);
        ys.extend([a.y0 - CLEARANCE, a.y1 + CLEARANCE]);
    }
    // A route keeps half the clearance from the boxes it passes, so it never runs along one.
    let margin = CLEARANCE / 2.0;
    let mut blocking: Vec<Area> = strangers
        .iter()
        .map(|a| Area {
            x0: a.x0 - margin,
            y0: a.y0 - margin,
            x1: a.x1 + margin,
            y1: a.y1 + margin,
        })
        .collect();
    if ends == Ends::Borders {
        // The route reaches the ends' borders (so their sides are lines of the grid) and never
        // runs through them.
        blocking.extend([from, to]);
        for a in [from, to] {
            xs.extend([a.x0, a.x1]);
            ys.extend([a.y0, a.y1]);
        }
    }
    let tidy = |v: &mut Vec<f64>, lo: f64, hi: f64| {
        v.retain(|c| (lo..=hi).contains(c));
        v.sort_by(f64::total_cmp);
        v.dedup();
    };
    tidy(&mut xs, window.x0, window.x1);
    tidy(&mut ys, window.y0, window.y1);
    let index = |v: &[f64], c: f64| v.iter().position(|&x| x == c);
    let point = |(i, j): (usize, usize)| Point::new(xs[i], ys[j]);
    let on_border = |a: Area, p: Point| a.holds(p) && !a.holds_inside(p);
    let grid = Grid::new(&xs, &ys, &blocking);
    let open = |(i, j): (usize, usize)| !grid.node_blocked[grid.at(i, j)];
    let (start, goal) = match ends {
        Ends::Centres => (
            Some((index(&xs, fc.x)?, index(&ys, fc.y)?)),
            Some((index(&xs, tc.x)?, index(&ys, tc.y)?)),
        ),
        Ends::Borders => (None, None),
    };
    let is_goal = |at: (usize, usize)| match goal {
        Some(g) => at == g,
        None => on_border(to, point(at)),
    };
    let successors = |&(at, heading): &State| -> Vec<(State, u32)> {
        let Some((i, j)) = at else {
            // The virtual start: every open point on the first box's border.
            let mut next = Vec::new();
            for (i, &x) in xs.iter().enumerate() {
                for (j, &y) in ys.iter().enumerate() {
                    if on_border(from, Point::new(x, y)) && open((i, j)) {
                        next.push(((Some((i, j)), Heading::Start), 0));
                    }
                }
            }
            return next;
        };
        let here = point((i, j));
        let mut next = Vec::with_capacity(4);
        let steps: [(isize, isize, Heading); 4] = [
            (1, 0, Heading::Horizontal),
            (-1, 0, Heading::Horizontal),
            (0, 1, Heading::Vertical),
            (0, -1, Heading::Vertical),
        ];
        for (di, dj, h) in steps {
            let (Some(ni), Some(nj)) = (i.checked_add_signed(di), j.checked_add_signed(dj)) else {
                continue;
            };
            if ni >= xs.len() || nj >= ys.len() {
                continue;
            }
            let there = point((ni, nj));
            let leg_blocked = if di != 0 {
                grid.across_blocked[grid.at(i.min(ni), j)]
            } else {
                grid.down_blocked[grid.at(i, j.min(nj))]
            };
            if leg_blocked || !(is_goal((ni, nj)) || open((ni, nj))) {
                continue;
            }
            let length = ((there.x - here.x).abs() + (there.y - here.y).abs()).round() as u32;
            let bend = if heading != Heading::Start && heading != h {
                BEND_COST
            } else {
                0
            };
            next.push(((Some((ni, nj)), h), length.max(1) + bend));
        }
        next
    };
    // Manhattan distance to the second box (to its centre when that is the goal): never more
    // than what is left, so A* stays exact.
    let heuristic = |&(at, _): &State| {
        let Some(at) = at else { return 0 };
        let p = point(at);
        let (dx, dy) = match ends {
            Ends::Centres => ((p.x - tc.x).abs(), (p.y - tc.y).abs()),
            Ends::Borders => (
                (to.x0 - p.x).max(p.x - to.x1).max(0.0),
                (to.y0 - p.y).max(p.y - to.y1).max(0.0),
            ),
        };
        (dx + dy) as u32
    };
    let (path, _) = astar(
        &(start, Heading::Start),
        successors,
        heuristic,
        |&(at, _)| at.is_some_and(is_goal),
    )?;
    Some(
        path.into_iter()
            .filter_map(|(at, _)| at)
            .map(point)
            .collect(),
    )
}

/// Which points and legs of a search grid the blocking boxes close, each worked out once from
/// the boxes' index ranges (what a box covers), not by testing every box at every step.
struct Grid {
    rows: usize,
    /// The point (i, j) lies inside a box.
    node_blocked: Vec<bool>,
    /// The leg from (i, j) to (i + 1, j) passes through a box.
    across_blocked: Vec<bool>,
    /// The leg from (i, j) to (i, j + 1) passes through a box.
    down_blocked: Vec<bool>,
}

impl Grid {
    fn new(xs: &[f64], ys: &[f64], blocking: &[Area]) -> Self {
        let (columns, rows) = (xs.len(), ys.len());
        let mut grid = Grid {
            rows,
            node_blocked: vec![false; columns * rows],
            across_blocked: vec![false; columns * rows],
            down_blocked: vec![false; columns * rows],
        };
        // Indices of the lines strictly inside (lo, hi).
        let inside = |v: &[f64], lo: f64, hi: f64| {
            v.partition_point(|&c| c <= lo)..v.partition_point(|&c| c < hi)
        };
        // Indices k of the gaps (v[k], v[k + 1]) that overlap (lo, hi).
        let gaps = |v: &[f64], lo: f64, hi: f64| {
            let first = v.partition_point(|&c| c <= lo).saturating_sub(1);
            let last = v.partition_point(|&c| c < hi);
            first..last.min(v.len().saturating_sub(1))
        };
        for a in blocking {
            let (cols_in, rows_in) = (inside(xs, a.x0, a.x1), inside(ys, a.y0, a.y1));
            for i in cols_in.clone() {
                for j in rows_in.clone() {
                    grid.node_blocked[i * rows + j] = true;
                }
            }
            for i in gaps(xs, a.x0, a.x1) {
                for j in rows_in.clone() {
                    grid.across_blocked[i * rows + j] = true;
                }
            }
            for i in cols_in.clone() {
                for j in gaps(ys, a.y0, a.y1) {
                    grid.down_blocked[i * rows + j] = true;
                }
            }
        }
        grid
    }

    fn at(&self, i: usize, j: usize) -> usize {
        i * self.rows + j
    }
}

/// A centre-to-centre polyline cut to start where it last leaves `from` and end where it first
/// enters `to`.
fn clipped(points: Vec<Point>, from: Area, to: Area) -> Vec<Point> {
    let points = simplified(points);
    // The last point still within `from`, and the leg out of it.
    let out = points.iter().rposition(|&p| from.holds(p)).unwrap_or(0);
    let inn = points
        .iter()
        .skip(out)
        .position(|&p| to.holds(p))
        .map(|k| k + out)
        .unwrap_or(points.len() - 1);
    if inn <= out {
        return points;
    }
    let mut path: Vec<Point> = points[out..=inn].to_vec();
    let first = border_crossing(path[0], path[1], from);
    let n = path.len();
    let last = border_crossing(path[n - 1], path[n - 2], to);
    path[0] = first;
    path[n - 1] = last;
    path
}

/// Where the axis-parallel leg from `inside` (within `area`) towards `outside` meets the border.
fn border_crossing(inside: Point, outside: Point, area: Area) -> Point {
    if inside.y == outside.y {
        let x = if outside.x > inside.x {
            area.x1
        } else {
            area.x0
        };
        Point::new(
            x.clamp(inside.x.min(outside.x), inside.x.max(outside.x)),
            inside.y,
        )
    } else {
        let y = if outside.y > inside.y {
            area.y1
        } else {
            area.y0
        };
        Point::new(
            inside.x,
            y.clamp(inside.y.min(outside.y), inside.y.max(outside.y)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn legs_cut(obstacles: &Obstacles, link: &Link, route: &Route) -> Vec<usize> {
        route
            .points
            .windows(2)
            .filter_map(|w| obstacles.blocker(w[0], w[1], &|i| link.may_cross(i)))
            .collect()
    }

    fn orthogonal(points: &[Point]) -> bool {
        points
            .windows(2)
            .all(|w| w[0].x == w[1].x || w[0].y == w[1].y)
    }

    /// The route of the link `from` → `to` among `boxes`, with the index and the link.
    fn routed(
        boxes: &[Rect],
        from: usize,
        to: usize,
        passable: &[usize],
    ) -> (Obstacles, Link, Route) {
        let obstacles = Obstacles::new(boxes);
        let link = Link {
            from,
            to,
            passable: passable.to_vec(),
        };
        let r = route(&obstacles, &link);
        (obstacles, link, r)
    }

    #[test]
    fn a_clear_line_is_kept_as_the_simple_route() {
        let boxes = [Rect(0, 0, 100, 60), Rect(300, 0, 100, 60)];
        let (_, _, r) = routed(&boxes, 0, 1, &[]);
        assert!(r.clear);
        assert_eq!(r.points, simplified(edge_route(boxes[0], boxes[1]).0));
    }

    #[test]
    fn a_box_in_between_is_gone_around() {
        // Three boxes in a row: the middle one sits on the straight line.
        let boxes = [
            Rect(0, 0, 100, 60),
            Rect(200, 0, 100, 60),
            Rect(400, 0, 100, 60),
        ];
        let obstacles = Obstacles::new(&boxes);
        let link = Link {
            from: 0,
            to: 2,
            passable: vec![],
        };
        let simple = edge_route(boxes[0], boxes[2]).0;
        assert!(obstacles
            .blocker(simple[0], simple[1], &|i| i != 1)
            .is_some());
        let r = route(&obstacles, &link);
        assert!(r.clear);
        assert!(legs_cut(&obstacles, &link, &r).is_empty(), "{:?}", r.points);
        assert!(orthogonal(&r.points), "{:?}", r.points);
        // It starts on the border of the first box and ends on the border of the last.
        let (a, b) = (r.points[0], *r.points.last().unwrap());
        assert!(Area::of(boxes[0]).holds(a) && !Area::of(boxes[0]).holds_inside(a));
        assert!(Area::of(boxes[2]).holds(b) && !Area::of(boxes[2]).holds_inside(b));
        // Around, not far away: above or below the middle box within the clearance.
        assert!(r
            .points
            .iter()
            .any(|p| p.y == -CLEARANCE || p.y == 60.0 + CLEARANCE));
        assert!(r.points.len() <= 6, "few bends: {:?}", r.points);
    }

    #[test]
    fn a_container_of_an_end_may_be_crossed_and_a_neighbour_container_may_not() {
        // A cluster (0) holding a service (1); a database (2) to its right; a second cluster (3)
        // standing between them.
        let boxes = [
            Rect(0, 0, 300, 300),
            Rect(100, 120, 100, 60),
            Rect(800, 120, 100, 60),
            Rect(400, 50, 200, 200),
        ];
        let (obstacles, link, r) = routed(&boxes, 1, 2, &[0]);
        assert!(r.clear);
        assert!(legs_cut(&obstacles, &link, &r).is_empty(), "{:?}", r.points);
        // Without leave to cross its own cluster, the service is walled in.
        let walled = Link {
            from: 1,
            to: 2,
            passable: vec![],
        };
        assert!(!route(&obstacles, &walled).clear);
    }

    #[test]
    fn a_link_with_no_way_keeps_the_simple_route_and_says_so() {
        // The target sits inside a box the link may not cross.
        let boxes = [
            Rect(0, 0, 100, 60),
            Rect(300, -100, 300, 300),
            Rect(400, 0, 100, 60),
        ];
        let (_, _, r) = routed(&boxes, 0, 2, &[]);
        assert!(!r.clear);
        assert_eq!(r.points, simplified(edge_route(boxes[0], boxes[2]).0));
    }

    #[test]
    fn a_link_to_a_container_ends_on_its_border_around_its_children() {
        // A monitoring box linked to a cluster whose centre is covered by a child, with a
        // stranger in between: the way goes around the stranger and stops at the cluster's side.
        let boxes = [
            Rect(0, 100, 100, 60),
            Rect(400, 0, 400, 260),
            Rect(500, 80, 200, 100),
            Rect(200, 90, 100, 80),
        ];
        let (obstacles, link, r) = routed(&boxes, 0, 1, &[]);
        assert!(r.clear, "{:?}", r.points);
        assert!(legs_cut(&obstacles, &link, &r).is_empty(), "{:?}", r.points);
        let end = *r.points.last().unwrap();
        let cluster = Area::of(boxes[1]);
        assert!(cluster.holds(end) && !cluster.holds_inside(end), "{end:?}");
        assert!(!r.points.iter().any(|&p| Area::of(boxes[2]).holds(p)));
    }

    #[test]
    fn a_link_to_an_unknown_box_is_empty() {
        let obstacles = Obstacles::new(&[Rect(0, 0, 10, 10)]);
        let r = route(
            &obstacles,
            &Link {
                from: 0,
                to: 5,
                passable: vec![],
            },
        );
        assert!(r.points.is_empty() && !r.clear);
    }

    #[test]
    fn a_wall_of_boxes_is_gone_around_at_its_end() {
        // A column of boxes between the ends, with no gap: the way is around the column.
        let mut boxes = vec![Rect(0, 200, 100, 60), Rect(600, 200, 100, 60)];
        for k in 0..8 {
            boxes.push(Rect(300, k * 60, 100, 60));
        }
        let (obstacles, link, r) = routed(&boxes, 0, 1, &[]);
        assert!(r.clear, "{:?}", r.points);
        assert!(legs_cut(&obstacles, &link, &r).is_empty());
        assert!(orthogonal(&r.points));
        assert!(r
            .points
            .iter()
            .any(|p| p.y == -CLEARANCE || p.y == 480.0 + CLEARANCE));
    }

    /// After Tidy, every link of every template finds a way around the boxes it does not connect,
    /// and each route is orthogonal and ends on its boxes' borders.
    #[test]
    fn every_template_link_goes_around_after_tidy() {
        for t in crate::templates::TEMPLATES {
            let design = crate::templates::template(t.slug).unwrap();
            let layout = crate::model::tidy::tidy(&design);
            let routes = design_routes(&design, &layout);
            assert_eq!(routes.len(), design.edges.len());
            for (edge, r) in design.edges.iter().zip(&routes) {
                let r = r.as_ref().expect("both ends placed by Tidy");
                assert!(r.clear, "{}: {} has no way around", t.slug, edge.id);
                assert!(orthogonal(&r.points), "{}: {}", t.slug, edge.id);
                let from = Area::of(layout[&edge.from]);
                let to = Area::of(layout[&edge.to]);
                let (a, b) = (r.points[0], *r.points.last().unwrap());
                assert!(
                    from.holds(a) && to.holds(b),
                    "{}: {} {:?}",
                    t.slug,
                    edge.id,
                    r.points
                );
            }
        }
    }

    /// After Tidy, the captions of every template sit on their routes and overlap no box (but
    /// the containers they lie wholly inside) and no other caption; the test prints how many
    /// found no free spot (shown on hover).
    #[test]
    fn template_captions_overlap_nothing_after_tidy() {
        for t in crate::templates::TEMPLATES {
            let design = crate::templates::template(t.slug).unwrap();
            let layout = crate::model::tidy::tidy(&design);
            let routes: Vec<Route> = design_routes(&design, &layout)
                .into_iter()
                .flatten()
                .collect();
            let widths: Vec<f64> = design
                .edges
                .iter()
                .map(|e| crate::model::edit::edge_caption(e))
                .map(|text| {
                    if text.is_empty() {
                        0.0
                    } else {
                        crate::model::edit::caption_width(&text)
                    }
                })
                .collect();
            assert_eq!(routes.len(), widths.len());
            let boxes: Vec<Area> = layout.values().map(|&r| Area::of(r)).collect();
            let obstacles = Obstacles::new(&layout.values().copied().collect::<Vec<_>>());
            let spots = place_captions(&obstacles, &routes, &widths);
            let mut drawn: Vec<Area> = Vec::new();
            for ((spot, &w), r) in spots.iter().zip(&widths).zip(&routes) {
                let Some(p) = spot else { continue };
                // On its route or leaning on it: the caption box, grown by a few units,
                // meets a leg.
                let reach = 3.0 * 2.0;
                let on_route = r.points.windows(2).any(|l| {
                    let leg = Area {
                        x0: l[0].x.min(l[1].x),
                        y0: l[0].y.min(l[1].y),
                        x1: l[0].x.max(l[1].x),
                        y1: l[0].y.max(l[1].y),
                    };
                    leg.x0 <= p.x + w / 2.0 + reach
                        && p.x - w / 2.0 - reach <= leg.x1
                        && leg.y0 <= p.y + CAPTION_HEIGHT / 2.0 + reach
                        && p.y - CAPTION_HEIGHT / 2.0 - reach <= leg.y1
                });
                assert!(on_route, "{}: {p:?} away from its route", t.slug);
                let c = Area {
                    x0: p.x - w / 2.0,
                    y0: p.y - CAPTION_HEIGHT / 2.0,
                    x1: p.x + w / 2.0,
                    y1: p.y + CAPTION_HEIGHT / 2.0,
                };
                let meets = |b: &Area| c.x0 < b.x1 && b.x0 < c.x1 && c.y0 < b.y1 && b.y0 < c.y1;
                let inside =
                    |b: &Area| b.x0 <= c.x0 && c.x1 <= b.x1 && b.y0 <= c.y0 && c.y1 <= b.y1;
                assert!(
                    boxes.iter().all(|b| !meets(b) || inside(b)),
                    "{}: caption at {p:?} on a box",
                    t.slug
                );
                assert!(
                    !drawn.iter().any(|d| meets(d)),
                    "{}: captions overlap at {p:?}",
                    t.slug
                );
                drawn.push(c);
            }
            let wanted = widths.iter().filter(|&&w| w > 0.0).count();
            // How many find a spot depends on the room Tidy leaves between boxes (the figure
            // for the layout work); that none overlaps is what this test holds.
            println!("{}: {} of {wanted} captions placed", t.slug, drawn.len());
        }
    }

    #[test]
    fn collinear_points_are_merged() {
        let p = |x, y| Point::new(x, y);
        assert_eq!(
            simplified(vec![
                p(0.0, 0.0),
                p(5.0, 0.0),
                p(5.0, 0.0),
                p(9.0, 0.0),
                p(9.0, 4.0)
            ]),
            vec![p(0.0, 0.0), p(9.0, 0.0), p(9.0, 4.0)]
        );
    }
}
