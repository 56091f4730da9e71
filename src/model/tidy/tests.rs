use proptest::prelude::*;

use super::*;
use crate::model::layout_metrics::{insides_overlap, measure};
use crate::model::{Edge, EdgeKind, EdgeSpec, Kind, Node, NodeSpec};
use crate::synth::design_of_size;
use crate::templates::{template, TEMPLATES};

/// Every child strictly inside its parent, below the title and clear of the padding, and no
/// two siblings overlapping; the first broken rule, if any.
fn nesting_problem(design: &Design) -> Option<String> {
    let layout = &design.layout;
    for n in &design.nodes {
        let Some(r) = layout.get(&n.id) else {
            return Some(format!("{} unplaced", n.id));
        };
        if let Some(p) = n.parent.as_deref().and_then(|p| layout.get(p)) {
            let inside = r.x() >= p.x() + PADDING
                && r.y() >= p.y() + HEADER
                && r.x() + r.w() <= p.x() + p.w() - PADDING
                && r.y() + r.h() <= p.y() + p.h() - PADDING;
            if !inside {
                return Some(format!("{} {r:?} not inside its parent {p:?}", n.id));
            }
        }
    }
    let m = measure(design);
    (m.overlaps > 0).then(|| format!("{} sibling overlaps", m.overlaps))
}

fn leaf(id: &str, parent: Option<&str>) -> Node {
    let node = Node::new(id, id, NodeSpec::default_for(Kind::Workload));
    match parent {
        Some(p) => node.with_parent(p),
        None => node,
    }
}

fn link(d: &mut Design, from: &str, to: &str) {
    let id = format!("{from}>{to}");
    d.edges.push(Edge::new(
        id,
        from,
        to,
        EdgeSpec::default_for(EdgeKind::DependsOn),
    ));
}

/// The five templates and a generated design of 300 nodes, as they come (auto layout).
fn measured_designs() -> Vec<(String, Design)> {
    let mut designs: Vec<(String, Design)> = TEMPLATES
        .iter()
        .map(|t| (t.slug.to_string(), template(t.slug).unwrap()))
        .collect();
    designs.push(("synth-300".into(), design_of_size(300)));
    designs
}

#[test]
fn tidy_reduces_crossings_on_every_template_and_on_a_generated_design() {
    let designs = measured_designs();
    for (name, before) in designs {
        let after = tidied(before.clone());
        if let Some(problem) = nesting_problem(&after) {
            panic!("{name}: {problem}");
        }
        let (b, a) = (measure(&before), measure(&after));
        assert_eq!(a.overlaps, 0, "{name}");
        assert_eq!(a.outside_parent, 0, "{name}");
        // Both drawn with today's routes (`edit::edge_route`).
        assert!(a.crossings < b.crossings, "{name}: {b:?} → {a:?}");
    }
}

#[test]
fn tidy_is_deterministic() {
    for d in [template("aws-multiregion-dr").unwrap(), design_of_size(300)] {
        assert_eq!(tidy(&d), tidy(&d.clone()));
    }
}

#[test]
fn an_empty_design_has_an_empty_layout() {
    assert!(tidy(&Design::new("empty")).is_empty());
}

#[test]
fn links_run_left_to_right_and_cycles_are_broken() {
    let mut d = Design::new("chain");
    for id in ["a", "b", "c", "d"] {
        d.nodes.push(leaf(id, None));
    }
    link(&mut d, "a", "b");
    link(&mut d, "b", "c");
    link(&mut d, "c", "a"); // closes a cycle
    link(&mut d, "c", "d");
    link(&mut d, "d", "d"); // a loop
    let layout = tidy(&d);
    let x = |id: &str| layout[id].x();
    assert!(
        x("a") < x("b") && x("b") < x("c") && x("c") < x("d"),
        "{layout:?}"
    );
    d.layout = layout;
    assert_eq!(nesting_problem(&d), None);
}

#[test]
fn a_parent_cycle_or_missing_parent_is_laid_out_at_the_top() {
    let mut d = Design::new("broken");
    d.nodes.push(leaf("a", Some("b")));
    d.nodes.push(leaf("b", Some("a")));
    d.nodes.push(leaf("c", Some("nowhere")));
    let layout = tidy(&d);
    assert_eq!(layout.len(), 3);
}

#[test]
fn children_are_ordered_by_traffic_inside_their_containers() {
    let mut d = Design::new("nested");
    d.nodes
        .push(Node::new("vpc", "VPC", NodeSpec::default_for(Kind::Region)));
    for id in ["db", "api", "lb"] {
        d.nodes.push(leaf(id, Some("vpc")));
    }
    d.nodes.push(leaf("users", None));
    link(&mut d, "users", "lb");
    link(&mut d, "lb", "api");
    link(&mut d, "api", "db");
    let layout = tidy(&d);
    let x = |id: &str| layout[id].x();
    assert!(x("users") < x("vpc"));
    assert!(x("lb") < x("api") && x("api") < x("db"), "{layout:?}");
    d.layout = layout;
    assert_eq!(nesting_problem(&d), None);
    let m = measure(&d);
    assert_eq!((m.crossings, m.through_boxes), (0, 0), "{m:?}");
}

#[test]
fn a_huge_design_is_laid_out() {
    let d = tidied(design_of_size(5_000));
    assert_eq!(d.layout.len(), 5_000);
    assert_eq!(nesting_problem(&d), None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    #[test]
    fn generated_designs_keep_children_inside_and_siblings_apart(size in 1usize..320) {
        let d = tidied(design_of_size(size));
        prop_assert_eq!(nesting_problem(&d), None);
    }

    #[test]
    fn random_links_keep_the_rules(links in prop::collection::vec((0usize..30, 0usize..30), 0..60)) {
        let mut d = design_of_size(30);
        d.edges.clear();
        let ids: Vec<String> = d.nodes.iter().map(|n| n.id.clone()).collect();
        for (a, b) in links {
            link(&mut d, &ids[a % ids.len()], &ids[b % ids.len()]);
        }
        let d = tidied(d);
        prop_assert_eq!(nesting_problem(&d), None);
        // Never two siblings on top of each other, checked directly too.
        for a in &d.nodes {
            for b in &d.nodes {
                if a.id < b.id && a.parent == b.parent {
                    prop_assert!(!insides_overlap(d.layout[&a.id], d.layout[&b.id]));
                }
            }
        }
    }
}

/// The before/after table of the closing note: `cargo test --lib tidy_table -- --ignored --nocapture`.
#[test]
#[ignore]
fn tidy_table() {
    let designs = measured_designs();
    println!("| design | nodes | links | crossings | overlaps | through boxes | tidy ms |");
    for (name, before) in designs {
        let start = std::time::Instant::now();
        let after = tidied(before.clone());
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        let (b, a) = (measure(&before), measure(&after));
        println!(
            "| {name} | {} | {} | {} → {} | {} → {} | {} → {} | {ms:.2} |",
            before.nodes.len(),
            before.edges.len(),
            b.crossings,
            a.crossings,
            b.overlaps,
            a.overlaps,
            b.through_boxes,
            a.through_boxes
        );
    }
}
