//! *Tidy*: a layered layout that understands nesting. Inside every container (and at the top
//! of the design) the children are laid out left to right by traffic: each edge is lifted to
//! the two siblings that hold its ends, siblings are ranked into columns by the longest path
//! over those lifted edges, ordered within a column by barycentre sweeps (fewer crossings),
//! and placed so that links run straight where they can. Containers are sized bottom-up around
//! what they hold, so a container's inside is final before its parent arranges it.
//!
//! The columns leave lanes between them for the vertical legs of the links that
//! [`super::edit::edge_route`] draws sideways. Which of several reasonable choices works best
//! depends on the design, so small and medium designs are laid out several ways ([`Options`])
//! and the drawing with the fewest crossings ([`super::layout_metrics`]) is kept, then improved
//! by swapping neighbours in their columns (see [`tidy`]).
//!
//! Pure and deterministic: the same design always gets the same layout. The page runs it in
//! the export worker (`export::job`), so the editor's own wasm does not carry it.

use std::collections::BTreeMap;

use super::design::{Design, NodeId, Rect};
use super::edit::{edge_route, Point};
use super::graph::DesignGraph;
use super::layout::{GAP, HEADER, LEAF_HEIGHT, LEAF_WIDTH, PADDING};
use super::layout_metrics::route_crossings;

/// Room between two columns: twice [`super::edit::TURN_BEFORE`], so the vertical legs of links
/// between neighbouring columns stand in the lane, not in a box.
pub const COLUMN_GAP: i32 = 72;
/// Room between two boxes of one column.
pub const ROW_GAP: i32 = 32;
/// Barycentre sweeps (one left-to-right and one right-to-left pass each).
const SWEEPS: usize = 6;
/// Above this many lifted edges in one container, the sweeps keep their last order instead of
/// counting crossings to keep the best (the count is quadratic).
const MAX_COUNTED_EDGES: usize = 1500;

/// Choices of the layout that trade one kind of straightness for another; which is best
/// depends on the design, so [`tidy`] tries each and keeps the layout with the fewest
/// crossings as drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Move a source right, next to the nearest box it feeds (shorter links), rather than
    /// leave every source in the first column.
    pub pull_sources: bool,
    /// Place boxes at the heights their links ask for, rather than stack each column from
    /// the top.
    pub fit_heights: bool,
    /// Among column orders with as few crossings (as straight lines), keep the last sweep's
    /// rather than the first.
    pub later_ties: bool,
    /// Order columns by the crossings of the links as drawn, rather than as straight lines.
    pub drawn_order: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            pull_sources: true,
            fit_heights: true,
            later_ties: false,
            drawn_order: true,
        }
    }
}

impl Options {
    /// Every combination, the default first.
    pub fn candidates() -> impl Iterator<Item = Options> {
        (0..16u8).map(|bits| Options {
            pull_sources: bits & 1 == 0,
            fit_heights: bits & 2 == 0,
            later_ties: bits & 4 != 0,
            drawn_order: bits & 8 == 0,
        })
    }
}

/// Above this many links [`tidy`] lays the design out once, with the default options: the
/// crossings count that picks among the candidates grows with the square of the links.
const MAX_COMPARED_EDGES: usize = 800;

/// Up to this many nodes, [`tidy`] then tries swapping each pair of neighbours in every column
/// and keeps a swap when the drawing has fewer crossings (then fewer routes through boxes): a
/// full layout and count per try.
const MAX_SEARCHED_NODES: usize = 150;
/// Rounds of that search (it stops early when a round keeps no swap).
const SEARCH_ROUNDS: usize = 2;

/// A box for every node, by id.
type Layout = BTreeMap<NodeId, Rect>;

/// Columns of boxes, left to right, each from top to bottom (positions among siblings).
type Columns = Vec<Vec<usize>>;

/// Column orders of every container, by container (`n`, past the last node, for the top),
/// in positions among the container's children.
type Orders = BTreeMap<usize, Columns>;

/// The whole design laid out by the rules above, every node placed: the candidate layouts
/// (see [`Options`]) compared by crossings, then routes through boxes, the first kept on a tie;
/// small designs then get the neighbour-swap search.
pub fn tidy(design: &Design) -> BTreeMap<NodeId, Rect> {
    if design.edges.len() > MAX_COMPARED_EDGES {
        return tidy_with(design, Options::default());
    }
    let score = |layout: &BTreeMap<NodeId, Rect>| {
        let m = super::layout_metrics::measure_layout(design, layout);
        (m.crossings, m.through_boxes)
    };
    // (score, options, layout, column orders) of the best candidate so far.
    type Best = ((usize, usize), Options, Layout, Orders);
    let mut best: Option<Best> = None;
    for options in Options::candidates() {
        let (layout, orders) = layout_with(design, options, &Orders::new());
        let s = score(&layout);
        if best.as_ref().is_none_or(|b| s < b.0) {
            best = Some((s, options, layout, orders));
        }
    }
    let Some((mut best_score, options, mut layout, mut orders)) = best else {
        return Layout::new();
    };
    if design.nodes.len() > MAX_SEARCHED_NODES {
        return layout;
    }
    for _ in 0..SEARCH_ROUNDS {
        let mut improved = false;
        let places: Vec<(usize, usize, usize)> = orders
            .iter()
            .flat_map(|(&key, cols)| {
                cols.iter()
                    .enumerate()
                    .flat_map(move |(c, col)| (1..col.len()).map(move |i| (key, c, i)))
            })
            .collect();
        for (key, c, i) in places {
            let mut trial = orders.clone();
            if let Some(col) = trial.get_mut(&key).and_then(|cols| cols.get_mut(c)) {
                col.swap(i - 1, i);
            }
            let (candidate, _) = layout_with(design, options, &trial);
            let s = score(&candidate);
            if s < best_score {
                (best_score, layout, orders) = (s, candidate, trial);
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
    layout
}

/// The layout with the given options.
pub fn tidy_with(design: &Design, options: Options) -> BTreeMap<NodeId, Rect> {
    layout_with(design, options, &Orders::new()).0
}

/// The layout with the given options, each container's columns in the order `fixed` gives
/// (when it has one for that container); also every container's column order.
fn layout_with(
    design: &Design,
    options: Options,
    fixed: &Orders,
) -> (BTreeMap<NodeId, Rect>, Orders) {
    let graph = DesignGraph::new(design);
    let tree = Tree::new(&graph);
    let lifted = lift_edges(&graph, &tree);
    let n = tree.parent.len();
    let mut orders = Orders::new();
    // Boxes relative to the parent's top-left corner, filled bottom-up.
    let mut local = vec![Rect(0, 0, LEAF_WIDTH, LEAF_HEIGHT); n];
    for &c in tree.pre_order.iter().rev() {
        let kids = &tree.children[c];
        if kids.is_empty() {
            if graph.kind(c).is_container() {
                local[c] = Rect(0, 0, LEAF_WIDTH + 2 * PADDING, LEAF_HEIGHT + HEADER);
            }
            continue;
        }
        let (content, columns) =
            arrange_container(kids, &lifted[c], &tree, &mut local, options, fixed.get(&c));
        orders.insert(c, columns);
        for &k in kids {
            let r = local[k];
            local[k] = Rect(r.x() + PADDING, r.y() + HEADER, r.w(), r.h());
        }
        local[c] = Rect(
            0,
            0,
            (content.0 + 2 * PADDING).max(LEAF_WIDTH + 2 * PADDING),
            (content.1 + HEADER + PADDING).max(LEAF_HEIGHT + HEADER),
        );
    }
    let roots = &tree.roots;
    let (_, columns) =
        arrange_container(roots, &lifted[n], &tree, &mut local, options, fixed.get(&n));
    orders.insert(n, columns);
    for &r in roots {
        let b = local[r];
        local[r] = Rect(b.x() + GAP, b.y() + GAP, b.w(), b.h());
    }
    // Absolute positions, top-down.
    let mut abs = local.clone();
    for &i in &tree.pre_order {
        if let Some(p) = tree.parent[i] {
            let (pr, l) = (abs[p], local[i]);
            abs[i] = Rect(pr.x() + l.x(), pr.y() + l.y(), l.w(), l.h());
        }
    }
    let layout = design
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| (node.id.clone(), abs[i]))
        .collect();
    (layout, orders)
}

/// The design with [`tidy`]'s layout.
pub fn tidied(mut design: Design) -> Design {
    design.layout = tidy(&design);
    design
}

/// The containment tree as the layout sees it: a node whose parent is missing, or which sits
/// on a parent cycle (a broken file), is at the top, as the canvas shows it.
struct Tree {
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    roots: Vec<usize>,
    depth: Vec<usize>,
    /// Parents before children; every node once.
    pre_order: Vec<usize>,
}

impl Tree {
    fn new(graph: &DesignGraph) -> Self {
        let n = graph.len();
        let mut parent: Vec<Option<usize>> = (0..n).map(|i| graph.parent(i)).collect();
        let mut pre_order = Vec::with_capacity(n);
        let mut depth = vec![0; n];
        let mut seen = vec![false; n];
        let mut roots = Vec::new();
        // Real roots first, in design order, then whatever a parent cycle left unreached.
        let starts: Vec<usize> = (0..n)
            .filter(|&i| parent[i].is_none())
            .chain(0..n)
            .collect();
        for s in starts {
            if seen[s] {
                continue;
            }
            parent[s] = None;
            roots.push(s);
            let mut stack = vec![(s, 0)];
            while let Some((i, d)) = stack.pop() {
                if std::mem::replace(&mut seen[i], true) {
                    continue;
                }
                depth[i] = d;
                pre_order.push(i);
                for &c in graph.children(i).iter().rev() {
                    if !seen[c] {
                        stack.push((c, d + 1));
                    }
                }
            }
        }
        // Children from the parents kept (a start lost its parent), in design order.
        let mut children = vec![Vec::new(); n];
        for (i, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                children[*p].push(i);
            }
        }
        roots.sort_unstable();
        Tree {
            parent,
            children,
            roots,
            depth,
            pre_order,
        }
    }
}

/// An edge lifted into one container: between its children `from` and `to` (different), whose
/// subtrees hold the edge's real ends `end_from` and `end_to`.
#[derive(Debug, Clone, Copy)]
struct Lifted {
    from: usize,
    to: usize,
    end_from: usize,
    end_to: usize,
}

/// Every edge lifted to the container holding both ends (index `n` is the top of the design).
/// Edges between a node and its own container, and loops, are left out: no order follows
/// from them.
fn lift_edges(graph: &DesignGraph, tree: &Tree) -> Vec<Vec<Lifted>> {
    let n = tree.parent.len();
    let mut out = vec![Vec::new(); n + 1];
    for e in 0..graph.design.edges.len() {
        let Some((a, b)) = graph.edge_ends(e) else {
            continue;
        };
        let (mut x, mut y) = (a, b);
        while tree.depth[x] > tree.depth[y] {
            x = tree.parent[x].unwrap_or(x);
        }
        while tree.depth[y] > tree.depth[x] {
            y = tree.parent[y].unwrap_or(y);
        }
        if x == y {
            continue;
        }
        while tree.parent[x] != tree.parent[y] {
            match (tree.parent[x], tree.parent[y]) {
                (Some(px), Some(py)) => (x, y) = (px, py),
                _ => break,
            }
        }
        let slot = tree.parent[x].unwrap_or(n);
        out[slot].push(Lifted {
            from: x,
            to: y,
            end_from: a,
            end_to: b,
        });
    }
    out
}

/// The box of `end` relative to the top-left corner of its ancestor `top` (or `top` itself).
fn relative_box(end: usize, top: usize, tree: &Tree, local: &[Rect]) -> Rect {
    let (mut x, mut y) = (0, 0);
    let mut i = end;
    while i != top {
        x += local[i].x();
        y += local[i].y();
        match tree.parent[i] {
            Some(p) => i = p,
            None => break,
        }
    }
    Rect(x, y, local[end].w(), local[end].h())
}

/// Lays out `kids` (sizes in `local`) by [`arrange`]; writes their positions relative to the
/// content's top-left corner into `local` and returns the content's size.
fn arrange_container(
    kids: &[usize],
    lifted: &[Lifted],
    tree: &Tree,
    local: &mut [Rect],
    options: Options,
    fixed: Option<&Columns>,
) -> ((i32, i32), Columns) {
    let index: BTreeMap<usize, usize> = kids.iter().enumerate().map(|(k, &i)| (i, k)).collect();
    let links: Vec<Link> = lifted
        .iter()
        .filter_map(|l| {
            Some(Link {
                from: *index.get(&l.from)?,
                to: *index.get(&l.to)?,
                end_from: relative_box(l.end_from, l.from, tree, local),
                end_to: relative_box(l.end_to, l.to, tree, local),
            })
        })
        .collect();
    let sizes: Vec<(i32, i32)> = kids.iter().map(|&i| (local[i].w(), local[i].h())).collect();
    let (pos, size, columns) = arrange(&sizes, &links, options, fixed);
    for (k, &i) in kids.iter().enumerate() {
        local[i] = Rect(pos[k].0, pos[k].1, sizes[k].0, sizes[k].1);
    }
    (size, columns)
}

/// A link between two boxes of one container, with where its real ends sit in each box.
#[derive(Debug, Clone, Copy)]
pub struct Link {
    pub from: usize,
    pub to: usize,
    /// The real end's box relative to box `from`'s top-left corner.
    pub end_from: Rect,
    pub end_to: Rect,
}

/// Places boxes of the given sizes in columns by traffic (or in the columns `fixed` gives, a
/// permutation of the boxes); returns each box's top-left corner (from (0, 0)), the size of
/// the whole and the columns.
pub fn arrange(
    sizes: &[(i32, i32)],
    links: &[Link],
    options: Options,
    fixed: Option<&Columns>,
) -> (Vec<(i32, i32)>, (i32, i32), Columns) {
    if sizes.is_empty() {
        return (Vec::new(), (0, 0), Vec::new());
    }
    let columns = match fixed {
        Some(columns) => columns.clone(),
        None => {
            let ranks = rank(sizes.len(), links, options.pull_sources);
            let mut columns = columns_from_ranks(&ranks, sizes);
            order_columns(&mut columns, sizes, links, options);
            columns
        }
    };
    let tops = if options.fit_heights {
        place_vertically(&columns, sizes, links)
    } else {
        stacked_tops(&columns, sizes)
    };
    let lefts = column_lefts(&columns, sizes);
    let mut pos = vec![(0, 0); sizes.len()];
    let mut extent = (0, 0);
    for (c, col) in columns.iter().enumerate() {
        let width = column_width(col, sizes);
        for &v in col {
            let x = lefts[c] + (width - sizes[v].0) / 2;
            pos[v] = (x, tops[v]);
            extent.0 = extent.0.max(x + sizes[v].0);
            extent.1 = extent.1.max(tops[v] + sizes[v].1);
        }
    }
    (pos, extent, columns)
}

/// Column of each box: the longest path from a source over the links, once the links that
/// close a cycle are set aside (found by a depth-first search from the sources, in order, so
/// the choice is deterministic). A source then moves right up to its nearest successor, so
/// that an entry point stands next to what it feeds. Boxes without links get `None`.
fn rank(count: usize, links: &[Link], pull_sources: bool) -> Vec<Option<usize>> {
    let mut out_edges = vec![Vec::new(); count];
    let mut linked = vec![false; count];
    let mut has_in = vec![false; count];
    for l in links.iter().filter(|l| l.from != l.to) {
        out_edges[l.from].push(l.to);
        linked[l.from] = true;
        linked[l.to] = true;
        has_in[l.to] = true;
    }
    // Depth-first search: 0 unseen, 1 on the stack, 2 done. Post-order gives a reverse
    // topological order of the links that are kept.
    let mut state = vec![0u8; count];
    let mut post = Vec::with_capacity(count);
    let mut kept: Vec<Vec<usize>> = vec![Vec::new(); count];
    let starts = (0..count).filter(|&v| !has_in[v]).chain(0..count);
    for s in starts {
        if state[s] != 0 {
            continue;
        }
        state[s] = 1;
        let mut stack = vec![(s, 0usize)];
        while let Some(&(v, next)) = stack.last() {
            if let Some(&w) = out_edges[v].get(next) {
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                match state[w] {
                    0 => {
                        kept[v].push(w);
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    2 => kept[v].push(w),
                    _ => {} // closes a cycle: set aside
                }
            } else {
                state[v] = 2;
                post.push(v);
                stack.pop();
            }
        }
    }
    let mut rank = vec![0usize; count];
    for &v in post.iter().rev() {
        for &w in &kept[v] {
            rank[w] = rank[w].max(rank[v] + 1);
        }
    }
    let mut has_kept_in = vec![false; count];
    for ws in &kept {
        for &w in ws {
            has_kept_in[w] = true;
        }
    }
    // Sources next to their nearest successor (successors are final: sources have no inputs).
    for v in (0..count).filter(|_| pull_sources) {
        if !has_kept_in[v] {
            if let Some(nearest) = kept[v].iter().map(|&w| rank[w]).min() {
                rank[v] = nearest.saturating_sub(1);
            }
        }
    }
    (0..count).map(|v| linked[v].then_some(rank[v])).collect()
}

/// Columns of box indices, in index order within each. Boxes without links go into the
/// shortest column (or, when nothing is linked, into columns about as tall as the whole is
/// wide).
fn columns_from_ranks(ranks: &[Option<usize>], sizes: &[(i32, i32)]) -> Vec<Vec<usize>> {
    let depth = ranks.iter().flatten().max().map_or(0, |m| m + 1);
    let mut columns: Vec<Vec<usize>> = vec![Vec::new(); depth];
    for (v, r) in ranks.iter().enumerate() {
        if let Some(r) = r {
            columns[*r].push(v);
        }
    }
    let loose: Vec<usize> = (0..ranks.len()).filter(|&v| ranks[v].is_none()).collect();
    if columns.is_empty() {
        // Nothing linked: a block of columns, about square.
        let area: i64 = loose
            .iter()
            .map(|&v| {
                (sizes[v].0 as i64 + COLUMN_GAP as i64) * (sizes[v].1 as i64 + ROW_GAP as i64)
            })
            .sum();
        let target = (area as f64).sqrt() as i32;
        let mut col = Vec::new();
        let mut height = 0;
        for v in loose {
            if !col.is_empty() && height + sizes[v].1 > target {
                columns.push(std::mem::take(&mut col));
                height = 0;
            }
            height += sizes[v].1 + ROW_GAP;
            col.push(v);
        }
        columns.push(col);
        return columns;
    }
    let mut heights: Vec<i32> = columns.iter().map(|c| column_height(c, sizes)).collect();
    for v in loose {
        let (c, _) = heights
            .iter()
            .enumerate()
            .min_by_key(|&(c, h)| (*h, c))
            .unwrap_or((0, &0));
        columns[c].push(v);
        heights[c] += sizes[v].1 + ROW_GAP;
    }
    columns
}

fn column_height(col: &[usize], sizes: &[(i32, i32)]) -> i32 {
    col.iter().map(|&v| sizes[v].1 + ROW_GAP).sum::<i32>() - ROW_GAP
}

fn column_width(col: &[usize], sizes: &[(i32, i32)]) -> i32 {
    col.iter().map(|&v| sizes[v].0).max().unwrap_or(0)
}

/// Tops of the boxes of each column stacked from 0, in column order.
fn stacked_tops(columns: &[Vec<usize>], sizes: &[(i32, i32)]) -> Vec<i32> {
    let mut tops = vec![0; sizes.len()];
    for col in columns {
        let mut y = 0;
        for &v in col {
            tops[v] = y;
            y += sizes[v].1 + ROW_GAP;
        }
    }
    tops
}

/// The vertical centre of a link's end in box `v`, given the box's top.
fn end_centre(l: &Link, v: usize, top: i32) -> f64 {
    let r = if l.from == v { l.end_from } else { l.end_to };
    top as f64 + r.y() as f64 + r.h() as f64 / 2.0
}

/// Orders each column by barycentre sweeps: a box moves to the mean height its links'
/// other ends ask for, left to right and then right to left, keeping the order with the
/// fewest crossings of the links as drawn.
fn order_columns(
    columns: &mut [Vec<usize>],
    sizes: &[(i32, i32)],
    links: &[Link],
    options: Options,
) {
    if columns.len() < 2 || links.is_empty() {
        return;
    }
    let column_of = column_index(columns, sizes.len());
    let incident = incident(sizes.len(), links);
    let count = links.len() <= MAX_COUNTED_EDGES;
    let measure =
        |columns: &[Vec<usize>], sizes: &[(i32, i32)], links: &[Link], column_of: &[usize]| {
            column_crossings(columns, sizes, links, column_of, options.drawn_order)
        };
    let mut best = columns.to_vec();
    let mut best_crossings = if count {
        measure(columns, sizes, links, &column_of)
    } else {
        usize::MAX
    };
    for sweep in 0..SWEEPS * 2 {
        let forward = sweep % 2 == 0;
        let order: Vec<usize> = if forward {
            (1..columns.len()).collect()
        } else {
            (0..columns.len() - 1).rev().collect()
        };
        for c in order {
            let tops = stacked_tops(columns, sizes);
            let wanted = |v: usize| {
                let mut sum = 0.0;
                let mut k = 0.0;
                for l in incident[v].iter().map(|&e| &links[e]) {
                    let u = if l.from == v { l.to } else { l.from };
                    let cu = column_of[u];
                    if (forward && cu < c) || (!forward && cu > c) {
                        sum += end_centre(l, u, tops[u])
                            - (end_centre(l, v, tops[v]) - tops[v] as f64);
                        k += 1.0;
                    }
                }
                if k > 0.0 {
                    sum / k
                } else {
                    tops[v] as f64
                }
            };
            let mut keyed: Vec<(f64, usize)> = columns[c].iter().map(|&v| (wanted(v), v)).collect();
            // Stable: ties keep the current order.
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            columns[c] = keyed.into_iter().map(|(_, v)| v).collect();
        }
        if count {
            let crossings = measure(columns, sizes, links, &column_of);
            if crossings < best_crossings || (options.later_ties && crossings == best_crossings) {
                best_crossings = crossings;
                best = columns.to_vec();
            }
        } else {
            best = columns.to_vec();
        }
    }
    columns.clone_from_slice(&best);
}

/// The links at each box (by position in `links`); a link from a box to itself is left out.
fn incident(count: usize, links: &[Link]) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); count];
    for (e, l) in links.iter().enumerate().filter(|(_, l)| l.from != l.to) {
        out[l.from].push(e);
        out[l.to].push(e);
    }
    out
}

fn column_index(columns: &[Vec<usize>], count: usize) -> Vec<usize> {
    let mut column_of = vec![0; count];
    for (c, col) in columns.iter().enumerate() {
        for &v in col {
            column_of[v] = c;
        }
    }
    column_of
}

/// Crossings of the links with the boxes stacked in their columns: the measure the sweeps
/// minimise. `drawn`: as [`edge_route`] would draw them between their real ends; otherwise as
/// straight lines from (column, end height) to (column, end height), a coarser measure.
fn column_crossings(
    columns: &[Vec<usize>],
    sizes: &[(i32, i32)],
    links: &[Link],
    column_of: &[usize],
    drawn: bool,
) -> usize {
    let tops = stacked_tops(columns, sizes);
    let lefts = column_lefts(columns, sizes);
    let widths: Vec<i32> = columns.iter().map(|c| column_width(c, sizes)).collect();
    let end_box = |v: usize, end: Rect| {
        let c = column_of[v];
        let x = lefts[c] + (widths[c] - sizes[v].0) / 2;
        Rect(x + end.x(), tops[v] + end.y(), end.w(), end.h())
    };
    let routes: Vec<(Vec<Point>, (usize, usize))> = links
        .iter()
        .map(|l| {
            let (a, b) = (l.from, l.to);
            let route = if drawn {
                edge_route(end_box(a, l.end_from), end_box(b, l.end_to)).0
            } else {
                vec![
                    Point::new(column_of[a] as f64, end_centre(l, a, tops[a])),
                    Point::new(column_of[b] as f64, end_centre(l, b, tops[b])),
                ]
            };
            (route, (a, b))
        })
        .collect();
    route_crossings(&routes)
}

/// Tops of the boxes: each column's boxes, in their order, as close as they can be to the
/// heights their links ask for (least squares under the order and the row gap), first from
/// the left, then again with the links of both sides; finally shifted so the highest is at 0.
fn place_vertically(columns: &[Vec<usize>], sizes: &[(i32, i32)], links: &[Link]) -> Vec<i32> {
    let mut tops: Vec<f64> = stacked_tops(columns, sizes)
        .into_iter()
        .map(f64::from)
        .collect();
    let column_of = column_index(columns, sizes.len());
    let incident = incident(sizes.len(), links);
    let mut placed = vec![false; sizes.len()];
    for v in &columns[0] {
        placed[*v] = true;
    }
    let passes: Vec<usize> = (1..columns.len()).chain((0..columns.len()).rev()).collect();
    for c in passes {
        let col = &columns[c];
        let wanted: Vec<(f64, f64)> = col
            .iter()
            .map(|&v| {
                let mut sum = 0.0;
                let mut k = 0.0;
                for l in incident[v].iter().map(|&e| &links[e]) {
                    let u = if l.from == v { l.to } else { l.from };
                    if placed[u] && column_of[u] != c {
                        let here = end_centre(l, v, 0);
                        sum += end_centre(l, u, 0) + tops[u] - here;
                        k += 1.0;
                    }
                }
                if k > 0.0 {
                    (sum / k, k)
                } else {
                    // Free: follows its neighbours in the column.
                    (tops[v], 1e-3)
                }
            })
            .collect();
        let fitted = ordered_fit(col, &wanted, sizes);
        for (i, &v) in col.iter().enumerate() {
            tops[v] = fitted[i];
            placed[v] = true;
        }
    }
    let min = tops.iter().copied().fold(f64::INFINITY, f64::min);
    tops.iter().map(|t| (t - min).round() as i32).collect()
}

/// Weighted least-squares tops for a column's boxes in this order, each at least the previous
/// one's bottom plus the row gap (isotonic regression by pooling adjacent violators, after
/// taking the fixed spacing out).
fn ordered_fit(col: &[usize], wanted: &[(f64, f64)], sizes: &[(i32, i32)]) -> Vec<f64> {
    let mut offset = Vec::with_capacity(col.len());
    let mut acc = 0.0;
    for &v in col {
        offset.push(acc);
        acc += f64::from(sizes[v].1 + ROW_GAP);
    }
    // Blocks of (weighted sum, weight, length).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for (i, &(want, weight)) in wanted.iter().enumerate() {
        blocks.push(((want - offset[i]) * weight, weight, 1));
        while blocks.len() > 1 {
            let (s1, w1, n1) = blocks[blocks.len() - 1];
            let (s0, w0, n0) = blocks[blocks.len() - 2];
            if s0 / w0 <= s1 / w1 {
                break;
            }
            blocks.pop();
            let last = blocks.len() - 1;
            blocks[last] = (s0 + s1, w0 + w1, n0 + n1);
        }
    }
    let mut out = Vec::with_capacity(col.len());
    for (s, w, len) in blocks {
        for _ in 0..len {
            out.push(s / w + offset[out.len()]);
        }
    }
    out
}

/// Left edge of each column: the columns side by side, [`COLUMN_GAP`] apart. Links between
/// neighbouring columns turn in that lane ([`super::edit::TURN_BEFORE`] short of the box they
/// enter), so it needs no widening for them.
fn column_lefts(columns: &[Vec<usize>], sizes: &[(i32, i32)]) -> Vec<i32> {
    let mut lefts = Vec::with_capacity(columns.len());
    let mut x = 0;
    for col in columns {
        lefts.push(x);
        x += column_width(col, sizes) + COLUMN_GAP;
    }
    lefts
}

#[cfg(test)]
mod tests;
