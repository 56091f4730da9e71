//! What turns one design into another, holding only what differs: the nodes and edges that
//! changed (as splices of the lists), the layout entries that changed, and the design's own
//! fields when one of them did. An undo step is one of these, so it costs what the edit
//! changed, not a copy of the design.
//!
//! Why patches rather than shared snapshots (`Arc` per node, a persistent map): a snapshot
//! keeps a pointer per node per step even when one name changed (5,000 nodes × 100 steps is
//! 4 MB of pointers, more than the design's names), and it would change the `Design` type that
//! every rule, export and the file format read. A patch keeps the model plain data and costs
//! nothing for what did not change; the price is one comparison pass over the design per
//! recorded edit, which validation already does after every edit anyway.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::model::design::{Design, Edge, Environment, Node, NodeId, Objectives, Rect};
use crate::model::policy::{Settings, Waiver};

/// An item of a list kept in a patch: its id, by which the diff follows it through inserts
/// and deletes.
trait Keyed {
    fn key(&self) -> &str;
}

impl Keyed for Node {
    fn key(&self) -> &str {
        &self.id
    }
}

impl Keyed for Edge {
    fn key(&self) -> &str {
        &self.id
    }
}

/// `remove` items of the list from position `at` give way to `insert`.
#[derive(Debug, Clone, PartialEq)]
struct Hunk<T> {
    at: usize,
    remove: usize,
    insert: Vec<T>,
}

/// The design's fields other than its nodes, edges and layout.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Head {
    version: u32,
    name: String,
    description: String,
    objectives: Objectives,
    environments: Vec<Environment>,
    settings: Settings,
    waivers: Vec<Waiver>,
}

/// Turns the design it was made from ([`Patch::between`]'s `from`) into the other one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Patch {
    head: Option<Head>,
    nodes: Vec<Hunk<Node>>,
    edges: Vec<Hunk<Edge>>,
    /// Each changed layout entry with its new box (`None`: removed).
    layout: Vec<(NodeId, Option<Rect>)>,
}

impl Patch {
    /// The patch that turns `from` into `to`.
    pub fn between(from: &Design, to: &Design) -> Patch {
        Patch {
            head: (!same_head(from, to)).then(|| head_of(to)),
            nodes: diff_list(&from.nodes, &to.nodes),
            edges: diff_list(&from.edges, &to.edges),
            layout: diff_layout(&from.layout, &to.layout),
        }
    }

    /// Nothing differs.
    pub fn is_empty(&self) -> bool {
        self.head.is_none()
            && self.nodes.is_empty()
            && self.edges.is_empty()
            && self.layout.is_empty()
    }

    /// Applies the patch to the design it was made from. Unchanged nodes and edges are moved,
    /// not copied. Applied to another design it gives a wrong design, never a panic.
    pub fn apply(self, design: &mut Design) {
        if let Some(h) = self.head {
            put_head(design, h);
        }
        design.nodes = apply_list(std::mem::take(&mut design.nodes), self.nodes);
        design.edges = apply_list(std::mem::take(&mut design.edges), self.edges);
        for (id, rect) in self.layout {
            match rect {
                Some(r) => design.layout.insert(id, r),
                None => design.layout.remove(&id),
            };
        }
    }

    /// About how many bytes the patch holds: the JSON size of what it keeps, which grows with
    /// its memory (names, properties, ids) and is cheap to count. For the history's bound.
    pub fn weight(&self) -> usize {
        /// Per kept item: its place in a vector, the hunk or layout entry around it.
        const OVERHEAD: usize = 32;
        let hunks = |n: usize| n * OVERHEAD;
        self.head.as_ref().map_or(0, json_len)
            + self
                .nodes
                .iter()
                .map(|h| hunks(1) + h.insert.iter().map(json_len).sum::<usize>())
                .sum::<usize>()
            + self
                .edges
                .iter()
                .map(|h| hunks(1) + h.insert.iter().map(json_len).sum::<usize>())
                .sum::<usize>()
            + self
                .layout
                .iter()
                .map(|(id, _)| id.len() + OVERHEAD)
                .sum::<usize>()
    }
}

/// The length of `v` as compact JSON. Written out rather than counted by a writer of our own:
/// a new writer type would compile a second copy of every serializer of the model into the
/// page's first-load wasm, where `to_json_compact`'s copy already is.
fn json_len<T: Serialize>(v: &T) -> usize {
    // Plain data with string keys: serialising cannot fail; a failure would count 0.
    serde_json::to_vec(v).map_or(0, |json| json.len())
}

// Every field is named (no `..`): a field added to `Design` fails to compile here until the
// history keeps it.
fn same_head(a: &Design, b: &Design) -> bool {
    let Design {
        version,
        name,
        description,
        objectives,
        environments,
        nodes: _,
        edges: _,
        layout: _,
        settings,
        waivers,
    } = a;
    *version == b.version
        && *name == b.name
        && *description == b.description
        && *objectives == b.objectives
        && *environments == b.environments
        && *settings == b.settings
        && *waivers == b.waivers
}

fn head_of(d: &Design) -> Head {
    let Design {
        version,
        name,
        description,
        objectives,
        environments,
        nodes: _,
        edges: _,
        layout: _,
        settings,
        waivers,
    } = d;
    Head {
        version: *version,
        name: name.clone(),
        description: description.clone(),
        objectives: objectives.clone(),
        environments: environments.clone(),
        settings: settings.clone(),
        waivers: waivers.clone(),
    }
}

fn put_head(d: &mut Design, h: Head) {
    d.version = h.version;
    d.name = h.name;
    d.description = h.description;
    d.objectives = h.objectives;
    d.environments = h.environments;
    d.settings = h.settings;
    d.waivers = h.waivers;
}

/// The hunks that turn `from` into `to`. Items are followed by id: equal items are kept,
/// an item whose id stays but whose content changed is replaced, ids only in `from` are
/// removed and ids only in `to` inserted, each where it stands. Should the common ids come in
/// another order, the rest of the list from there is one hunk: correct, just larger.
/// Correct for any lists (duplicate ids included): every item of `to` is either kept equal or
/// inserted, in order.
fn diff_list<T: Keyed + PartialEq + Clone>(from: &[T], to: &[T]) -> Vec<Hunk<T>> {
    let mut hunks = Vec::new();
    let mut open: Option<Hunk<T>> = None;
    // Built only when the lists stop matching item by item (an insert or a delete).
    let mut ids: Option<(HashSet<&str>, HashSet<&str>)> = None;
    let (mut i, mut j) = (0, 0);
    fn hunk<T>(open: &mut Option<Hunk<T>>, at: usize) -> &mut Hunk<T> {
        open.get_or_insert_with(|| Hunk {
            at,
            remove: 0,
            insert: Vec::new(),
        })
    }
    loop {
        match (from.get(i), to.get(j)) {
            (None, None) => break,
            (Some(a), Some(b)) if a.key() == b.key() => {
                if a == b {
                    hunks.extend(open.take());
                } else {
                    let h = hunk(&mut open, i);
                    h.remove += 1;
                    h.insert.push(b.clone());
                }
                i += 1;
                j += 1;
            }
            (a, b) => {
                let (in_from, in_to) = ids.get_or_insert_with(|| {
                    (
                        from.iter().map(Keyed::key).collect(),
                        to.iter().map(Keyed::key).collect(),
                    )
                });
                if a.is_some_and(|a| !in_to.contains(a.key())) {
                    hunk(&mut open, i).remove += 1;
                    i += 1;
                } else if let Some(b) = b.filter(|b| !in_from.contains(b.key())) {
                    hunk(&mut open, i).insert.push(b.clone());
                    j += 1;
                } else {
                    let h = hunk(&mut open, i);
                    h.remove += from.len() - i;
                    h.insert.extend(to[j..].iter().cloned());
                    i = from.len();
                    j = to.len();
                }
            }
        }
    }
    hunks.extend(open);
    hunks
}

/// `list` with the hunks made by [`diff_list`] from it applied; unchanged items are moved.
fn apply_list<T>(list: Vec<T>, hunks: Vec<Hunk<T>>) -> Vec<T> {
    let mut out = Vec::with_capacity(list.len());
    let mut rest = list.into_iter();
    let mut pos = 0;
    for h in hunks {
        out.extend(rest.by_ref().take(h.at.saturating_sub(pos)));
        rest.by_ref().take(h.remove).for_each(drop);
        out.extend(h.insert);
        pos = h.at.max(pos) + h.remove;
    }
    out.extend(rest);
    out
}

fn diff_layout(
    from: &BTreeMap<NodeId, Rect>,
    to: &BTreeMap<NodeId, Rect>,
) -> Vec<(NodeId, Option<Rect>)> {
    let changed = to
        .iter()
        .filter(|(id, r)| from.get(*id) != Some(r))
        .map(|(id, r)| (id.clone(), Some(*r)));
    let removed = from
        .keys()
        .filter(|id| !to.contains_key(*id))
        .map(|id| (id.clone(), None));
    changed.chain(removed).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EdgeSpec, NodeSpec};
    use crate::synth::design_of_size;
    use proptest::prelude::*;

    fn roundtrip(from: &Design, to: &Design) -> Patch {
        let p = Patch::between(from, to);
        let mut d = from.clone();
        p.clone().apply(&mut d);
        assert_eq!(&d, to);
        p
    }

    #[test]
    fn an_unchanged_design_gives_an_empty_patch() {
        let d = design_of_size(300);
        let p = Patch::between(&d, &d.clone());
        assert!(p.is_empty());
        assert_eq!(p.weight(), 0);
    }

    #[test]
    fn a_renamed_node_keeps_only_that_node() {
        let from = design_of_size(1_000);
        let mut to = from.clone();
        to.nodes[500].name = "web-frontend".into();
        let p = roundtrip(&from, &to);
        assert_eq!(p.nodes.len(), 1);
        assert_eq!(p.nodes[0].insert.len(), 1);
        assert!(p.head.is_none() && p.edges.is_empty() && p.layout.is_empty());
    }

    #[test]
    fn inserts_deletes_and_moves_keep_only_what_changed() {
        let from = design_of_size(1_000);
        let mut to = from.clone();
        to.nodes.remove(10);
        to.nodes.remove(700);
        to.nodes.push(Node::new(
            "fresh",
            "Fresh",
            NodeSpec::default_for(crate::model::Kind::Workload),
        ));
        to.nodes.insert(
            3,
            Node::new(
                "early",
                "Early",
                NodeSpec::default_for(crate::model::Kind::Cache),
            ),
        );
        to.edges.clear();
        let first = from.layout.keys().next().cloned().unwrap_or_default();
        to.layout.insert(first, Rect(1, 2, 3, 4));
        to.name = "Renamed".into();
        let p = roundtrip(&from, &to);
        let inserted: usize = p.nodes.iter().map(|h| h.insert.len()).sum();
        assert_eq!(inserted, 2, "only the two new nodes are kept");
        assert_eq!(p.layout.len(), 1);
        assert!(p.head.is_some());
        // And back.
        roundtrip(&to, &from);
    }

    #[test]
    fn reordered_lists_still_come_out_right() {
        let from = design_of_size(100);
        let mut to = from.clone();
        to.nodes.reverse();
        to.edges.rotate_left(3);
        roundtrip(&from, &to);
        roundtrip(&to, &from);
    }

    #[test]
    fn duplicate_ids_still_come_out_right() {
        let mut from = design_of_size(50);
        let dup = from.nodes[5].clone();
        from.nodes.push(dup.clone());
        let mut to = from.clone();
        to.nodes.insert(0, dup);
        to.nodes[7].name = "Changed".into();
        roundtrip(&from, &to);
        roundtrip(&to, &from);
    }

    fn node(id: u8, name: u8) -> Node {
        Node::new(
            format!("n{id}"),
            format!("v{name}"),
            NodeSpec::default_for(crate::model::Kind::Workload),
        )
    }

    fn edge(id: u8) -> Edge {
        Edge::new(
            format!("e{id}"),
            "a",
            "b",
            EdgeSpec::default_for(crate::model::EdgeKind::Traffic),
        )
    }

    proptest! {
        /// Any two designs (ids drawn from a small set, so lists share, lose, gain and
        /// reorder items): the patch from one to the other gives the other.
        #[test]
        fn any_patch_gives_the_target(
            a in prop::collection::vec((0u8..12, 0u8..3), 0..12),
            b in prop::collection::vec((0u8..12, 0u8..3), 0..12),
            ea in prop::collection::vec(0u8..6, 0..6),
            eb in prop::collection::vec(0u8..6, 0..6),
            la in prop::collection::btree_map(0u8..8, 0i32..3, 0..8),
            lb in prop::collection::btree_map(0u8..8, 0i32..3, 0..8),
            rename in any::<bool>(),
        ) {
            let make = |ns: &[(u8, u8)], es: &[u8], ls: &BTreeMap<u8, i32>, name: &str| {
                let mut d = Design::new(name);
                d.nodes = ns.iter().map(|&(i, v)| node(i, v)).collect();
                d.edges = es.iter().map(|&i| edge(i)).collect();
                d.layout = ls.iter().map(|(k, v)| (format!("n{k}"), Rect(*v, 0, 1, 1))).collect();
                d
            };
            let from = make(&a, &ea, &la, "x");
            let to = make(&b, &eb, &lb, if rename { "y" } else { "x" });
            let p = Patch::between(&from, &to);
            prop_assert_eq!(p.is_empty(), from == to);
            let mut d = from.clone();
            p.apply(&mut d);
            prop_assert_eq!(d, to);
        }
    }
}
