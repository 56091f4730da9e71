//! Copy and paste of a part of a design: the selected nodes with everything inside them, the
//! edges between them, and their layout. Pasting gives every item a new id, keeps the links
//! inside the copied part (edges, parents, secret references) pointing at the copies, and
//! leaves links to the rest of the design as they were.
//!
//! A clip travels through the system clipboard as JSON, so it may come from another tab, an
//! older build or a hostile page: [`Clip::parse`] checks its size first and [`paste`] checks the
//! result with the loader's invariants before it is accepted.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::edit::{check_placement, grow_around, subtrees};
use super::load::check_design;
use super::{limits, Design, Edge, EdgeId, EnvValue, Node, NodeId, NodeSpec, Rect};

/// Marks clipboard text as ours, so pasting ordinary text is ignored rather than an error.
pub const CLIP_FORMAT: &str = "infracanvas-clip";
pub const CLIP_VERSION: u32 = 1;

/// Where successive pastes of the same clip land, relative to the previous copy.
pub const PASTE_STEP: i32 = 24;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clip {
    pub format: String,
    pub version: u32,
    pub nodes: Vec<Node>,
    #[serde(default)]
    pub edges: Vec<Edge>,
    #[serde(default)]
    pub layout: BTreeMap<NodeId, Rect>,
}

impl Clip {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// `Ok(None)` for text that is not a clip at all (someone pasted a sentence); an error for
    /// text that claims to be a clip but is damaged, too large or from a newer build.
    pub fn parse(text: &str) -> Result<Option<Clip>, String> {
        if !text.trim_start().starts_with('{') || !text.contains(CLIP_FORMAT) {
            return Ok(None);
        }
        if text.len() > limits::MAX_DESIGN_BYTES {
            return Err(format!(
                "The clipboard holds {} bytes; at most {} can be pasted",
                text.len(),
                limits::MAX_DESIGN_BYTES
            ));
        }
        let clip: Clip = serde_json::from_str(text)
            .map_err(|e| format!("The clipboard's components could not be read: {e}"))?;
        if clip.format != CLIP_FORMAT {
            return Ok(None);
        }
        if clip.version > CLIP_VERSION {
            return Err(
                "The components were copied from a newer Infracanvas; please update".into(),
            );
        }
        Ok(Some(clip))
    }
}

/// The selected nodes with their descendants, the edges among them (selected or not) and their
/// layout; `None` when no node is selected.
pub fn copy(design: &Design, nodes: &BTreeSet<NodeId>) -> Option<Clip> {
    let ids = subtrees(design, nodes.iter().map(String::as_str));
    if ids.is_empty() {
        return None;
    }
    // Design order keeps parents before children where the file had them so.
    let nodes: Vec<Node> = design
        .nodes
        .iter()
        .filter(|n| ids.contains(&n.id))
        .cloned()
        .collect();
    let edges = design
        .edges
        .iter()
        .filter(|e| ids.contains(&e.from) && ids.contains(&e.to))
        .cloned()
        .collect();
    let layout = design
        .layout
        .iter()
        .filter(|(id, _)| ids.contains(*id))
        .map(|(id, r)| (id.clone(), *r))
        .collect();
    Some(Clip {
        format: CLIP_FORMAT.into(),
        version: CLIP_VERSION,
        nodes,
        edges,
        layout,
    })
}

/// What a paste added.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pasted {
    /// The copies of the clip's top nodes (those whose parent was not copied).
    pub roots: Vec<NodeId>,
    pub nodes: Vec<NodeId>,
    pub edges: Vec<EdgeId>,
}

/// Adds copies of the clip's nodes and edges with fresh ids, moved by `(dx, dy)`. A top node
/// keeps its parent when that parent exists here and takes it; otherwise it goes to the top
/// level if its kind may stand there, else the paste is refused. Nothing changes on `Err`.
pub fn paste(design: &mut Design, clip: &Clip, dx: i32, dy: i32) -> Result<Pasted, String> {
    if clip.nodes.is_empty() {
        return Err("Nothing to paste".into());
    }
    if design.nodes.len() + clip.nodes.len() > limits::MAX_NODES {
        return Err(format!(
            "A design holds at most {} components",
            limits::MAX_NODES
        ));
    }
    let mut next = design.clone();
    let ids = fresh_ids(&next, clip);
    let copied: BTreeSet<&str> = clip.nodes.iter().map(|n| n.id.as_str()).collect();
    let mut pasted = Pasted::default();
    for node in &clip.nodes {
        let mut copy = node.clone();
        copy.id = ids[&node.id].clone();
        copy.parent = match node.parent.as_deref() {
            Some(p) if copied.contains(p) => Some(ids[p].clone()),
            outside => {
                let parent = outside
                    .and_then(|p| next.node(p))
                    .filter(|p| check_placement(node.kind(), Some(p.kind())).is_ok())
                    .map(|p| p.id.clone());
                if parent.is_none() {
                    check_placement(node.kind(), None)
                        .map_err(|why| format!("Can't paste “{}” here: {why}", node.name))?;
                }
                pasted.roots.push(copy.id.clone());
                // Names are unique among siblings (IC-STR-005): a copy next to its original
                // is numbered.
                copy.name = unique_sibling_name(&next, parent.as_deref(), &node.name);
                parent
            }
        };
        remap_references(&mut copy.spec, &ids);
        if let Some(r) = clip.layout.get(&node.id) {
            next.layout
                .insert(copy.id.clone(), Rect(r.x() + dx, r.y() + dy, r.w(), r.h()));
        }
        pasted.nodes.push(copy.id.clone());
        next.nodes.push(copy);
    }
    for edge in &clip.edges {
        let (Some(from), Some(to)) = (ids.get(&edge.from), ids.get(&edge.to)) else {
            continue; // An edge to something not copied has nothing to attach to.
        };
        let mut copy = edge.clone();
        copy.id = next.fresh_edge_id("edge-");
        copy.from = from.clone();
        copy.to = to.clone();
        pasted.edges.push(copy.id.clone());
        next.edges.push(copy);
    }
    check_design(&next).map_err(|e| format!("Can't paste: {e}"))?;
    super::layout::fill_missing(&mut next);
    grow_around(&mut next, &pasted.roots);
    *design = next;
    Ok(pasted)
}

/// A new id for every clip node: the old id's stem with the lowest free number, so a copy of
/// `api-3` becomes `api-4` (or the next free one).
fn fresh_ids(design: &Design, clip: &Clip) -> HashMap<NodeId, NodeId> {
    let mut taken: BTreeSet<String> = design.nodes.iter().map(|n| n.id.clone()).collect();
    let mut ids = HashMap::with_capacity(clip.nodes.len());
    for node in &clip.nodes {
        let stem = node.id.trim_end_matches(|c: char| c.is_ascii_digit());
        let stem = if stem.is_empty() { "node-" } else { stem };
        // A stem at the length limit falls back to a short generic one.
        let stem = if stem.len() + 6 > limits::MAX_ID_LEN {
            "node-"
        } else {
            stem
        };
        let id = (1u64..)
            .map(|n| format!("{stem}{n}"))
            .find(|c| !taken.contains(c))
            .unwrap_or_default();
        taken.insert(id.clone());
        ids.insert(node.id.clone(), id);
    }
    ids
}

/// `name`, or `name 2`, `name 3`, … if a node under `parent` already has it.
fn unique_sibling_name(design: &Design, parent: Option<&str>, name: &str) -> String {
    let taken = |candidate: &str| {
        design
            .nodes
            .iter()
            .any(|n| n.parent.as_deref() == parent && n.name == candidate)
    };
    if !taken(name) {
        return name.to_string();
    }
    (2u64..)
        .map(|n| format!("{name} {n}"))
        .find(|c| !taken(c))
        .unwrap_or_else(|| name.to_string())
}

/// Secret references to a copied secret store point at the store's copy.
fn remap_references(spec: &mut NodeSpec, ids: &HashMap<NodeId, NodeId>) {
    if let NodeSpec::Workload(w) = spec {
        for var in &mut w.env {
            if let EnvValue::Secret { store, .. } = &mut var.value {
                if let Some(new) = ids.get(store.as_str()) {
                    *store = new.clone();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::edit::connect;
    use crate::templates::template;

    fn shop() -> Design {
        template("microservices-platform").expect("template exists")
    }

    fn set(ids: &[&str]) -> BTreeSet<NodeId> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    /// A namespace of the template and what is inside it.
    fn some_namespace(d: &Design) -> NodeId {
        d.nodes
            .iter()
            .find(|n| n.kind() == crate::model::Kind::Namespace)
            .expect("the template has a namespace")
            .id
            .clone()
    }

    #[test]
    fn copy_takes_descendants_and_inner_edges_only() {
        let d = shop();
        let ns = some_namespace(&d);
        let clip = copy(&d, &set(&[&ns])).unwrap();
        let inside = subtrees(&d, [ns.as_str()]);
        assert_eq!(clip.nodes.len(), inside.len());
        assert!(clip
            .edges
            .iter()
            .all(|e| inside.contains(&e.from) && inside.contains(&e.to)));
        let inner_edges = d
            .edges
            .iter()
            .filter(|e| inside.contains(&e.from) && inside.contains(&e.to))
            .count();
        assert_eq!(clip.edges.len(), inner_edges);
        assert_eq!(copy(&d, &BTreeSet::new()), None);
    }

    #[test]
    fn paste_adds_copies_with_new_ids_inside_the_same_parent() {
        let mut d = shop();
        let ns = some_namespace(&d);
        let before = d.clone();
        let clip = copy(&d, &set(&[&ns])).unwrap();
        let pasted = paste(&mut d, &clip, PASTE_STEP, PASTE_STEP).unwrap();
        assert_eq!(d.nodes.len(), before.nodes.len() + clip.nodes.len());
        assert_eq!(d.edges.len(), before.edges.len() + clip.edges.len());
        assert_eq!(pasted.roots.len(), 1);
        let root = d.node(&pasted.roots[0]).unwrap();
        assert_eq!(
            root.parent,
            before.node(&ns).unwrap().parent,
            "same cluster"
        );
        for id in &pasted.nodes {
            assert!(before.node(id).is_none(), "{id} is new");
        }
        // Copied edges join copies, never originals.
        let new: BTreeSet<&str> = pasted.nodes.iter().map(String::as_str).collect();
        for id in &pasted.edges {
            let e = d.edge(id).unwrap();
            assert!(new.contains(e.from.as_str()) && new.contains(e.to.as_str()));
        }
        // Moved by the step.
        let (o, c) = (before.layout[&ns], d.layout[&pasted.roots[0]]);
        assert_eq!((c.x(), c.y()), (o.x() + PASTE_STEP, o.y() + PASTE_STEP));
        // The originals are untouched.
        for n in &before.nodes {
            assert_eq!(d.node(&n.id), Some(n));
        }
        check_design(&d).unwrap();
    }

    #[test]
    fn secret_references_follow_a_copied_store_and_stay_otherwise() {
        let mut d = Design::new("t");
        let mut add = |kind, parent: Option<&str>| {
            let at = crate::model::edit::Point { x: 0.0, y: 0.0 };
            crate::model::edit::add_node(&mut d, kind, parent, at).unwrap()
        };
        use crate::model::Kind;
        let provider = add(Kind::Provider, None);
        let store = add(Kind::SecretStore, Some(&provider));
        let cluster = add(Kind::KubernetesCluster, Some(&provider));
        let ns = add(Kind::Namespace, Some(&cluster));
        let svc = add(Kind::Workload, Some(&ns));
        if let NodeSpec::Workload(w) = &mut d.node_mut(&svc).unwrap().spec {
            w.env.push(crate::model::EnvVar {
                name: "DB_PASSWORD".into(),
                value: EnvValue::Secret {
                    store: store.clone(),
                    key: "db".into(),
                },
            });
        }
        let store_of = |d: &Design, id: &str| match &d.node(id).unwrap().spec {
            NodeSpec::Workload(w) => match &w.env[0].value {
                EnvValue::Secret { store, .. } => store.clone(),
                _ => unreachable!(),
            },
            _ => unreachable!(),
        };
        // Service alone: the reference still names the original store.
        let alone = copy(&d, &set(&[&svc])).unwrap();
        let p = paste(&mut d.clone(), &alone, 10, 10).unwrap();
        let mut d1 = d.clone();
        let p1 = paste(&mut d1, &alone, 10, 10).unwrap();
        assert_eq!(p.nodes.len(), 1);
        assert_eq!(store_of(&d1, &p1.nodes[0]), store);
        // Store and service together: the copy references the copied store.
        let both = copy(&d, &set(&[&svc, &store])).unwrap();
        let mut d2 = d.clone();
        let p2 = paste(&mut d2, &both, 10, 10).unwrap();
        let new_store = p2
            .nodes
            .iter()
            .find(|id| d2.node(id).unwrap().kind() == crate::model::Kind::SecretStore)
            .unwrap();
        let new_svc = p2
            .nodes
            .iter()
            .find(|id| d2.node(id).unwrap().kind() == crate::model::Kind::Workload)
            .unwrap();
        assert_eq!(&store_of(&d2, new_svc), new_store);
        assert_ne!(new_store, &store);
    }

    #[test]
    fn a_workload_without_its_namespace_is_refused_in_another_design() {
        let d = shop();
        let svc = d
            .nodes
            .iter()
            .find(|n| n.kind() == crate::model::Kind::Workload)
            .unwrap()
            .id
            .clone();
        let clip = copy(&d, &set(&[&svc])).unwrap();
        let mut empty = Design::new("empty");
        let err = paste(&mut empty, &clip, 0, 0).unwrap_err();
        assert!(err.contains("Can't paste"), "{err}");
        assert!(empty.nodes.is_empty(), "nothing changed");
    }

    #[test]
    fn edges_of_pasted_copies_connect_like_new_ones() {
        let mut d = shop();
        let ns = some_namespace(&d);
        let clip = copy(&d, &set(&[&ns])).unwrap();
        let p = paste(&mut d, &clip, 0, 0).unwrap();
        // The copies are ordinary nodes: a new edge to one of them is accepted or refused by the
        // usual rules, never by a stale id.
        let leaf = p.nodes.last().unwrap().clone();
        let _ = connect(&mut d, &p.roots[0], &leaf);
        check_design(&d).unwrap();
    }

    #[test]
    fn clipboard_text_round_trips_and_foreign_text_is_ignored() {
        let d = shop();
        let clip = copy(&d, &set(&[&some_namespace(&d)])).unwrap();
        assert_eq!(Clip::parse(&clip.to_json()).unwrap(), Some(clip.clone()));
        assert_eq!(Clip::parse("hello").unwrap(), None);
        assert_eq!(Clip::parse("{\"a\":1}").unwrap(), None);
        let newer = clip.to_json().replace("\"version\":1", "\"version\":99");
        assert!(Clip::parse(&newer).unwrap_err().contains("newer"));
        let damaged = &clip.to_json()[..40];
        assert!(Clip::parse(damaged).is_err());
    }

    #[test]
    fn hostile_clip_ids_are_refused_by_the_loader_invariants() {
        let mut d = shop();
        let mut clip = copy(&d, &set(&[&some_namespace(&d)])).unwrap();
        // Two copied nodes with one parent that is the other: a cycle once remapped.
        let (a, b) = (clip.nodes[0].id.clone(), clip.nodes[1].id.clone());
        clip.nodes[0].parent = Some(b);
        clip.nodes[1].parent = Some(a);
        let before = d.clone();
        assert!(paste(&mut d, &clip, 0, 0).is_err());
        assert_eq!(d, before);
    }

    #[test]
    fn a_copy_beside_its_original_is_numbered_and_passes_the_name_rule() {
        let mut d = shop();
        let ns = some_namespace(&d);
        let name = d.node(&ns).unwrap().name.clone();
        let clip = copy(&d, &set(&[&ns])).unwrap();
        let first = paste(&mut d, &clip, 10, 10).unwrap();
        let second = paste(&mut d, &clip, 20, 20).unwrap();
        assert_eq!(d.node(&first.roots[0]).unwrap().name, format!("{name} 2"));
        assert_eq!(d.node(&second.roots[0]).unwrap().name, format!("{name} 3"));
        let dupes: Vec<_> = crate::validate::validate(&d)
            .into_iter()
            .filter(|x| x.rule == "IC-STR-005")
            .collect();
        assert!(dupes.is_empty(), "{dupes:?}");
        // Where no sibling has the name (the original was cut), the name stays.
        let mut cut = shop();
        crate::model::edit::delete(&mut cut, &set(&[&ns]), &BTreeSet::new());
        let p = paste(&mut cut, &clip, 0, 0).unwrap();
        assert_eq!(cut.node(&p.roots[0]).unwrap().name, name);
    }

    #[test]
    fn fresh_ids_continue_the_stem() {
        let mut d = Design::new("t");
        d.nodes.push(Node::new(
            "api-1",
            "API",
            NodeSpec::default_for(crate::model::Kind::Provider),
        ));
        let clip = copy(&d, &set(&["api-1"])).unwrap();
        let p = paste(&mut d, &clip, 0, 0).unwrap();
        assert_eq!(p.nodes, vec!["api-2".to_string()]);
    }
}
