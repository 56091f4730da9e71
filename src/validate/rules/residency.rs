//! Data residency: personal data stays in its users' jurisdiction (seed 000).

use std::collections::{BTreeMap, VecDeque};

use crate::model::{DesignGraph, EdgeKind, EdgeSpec, NodeSpec, RoutingPolicy};
use crate::validate::{Diagnostic, Family, Rule, Severity};

use super::{eid, label, nid};

pub const PERSONAL_DATA_ABROAD: Rule = Rule {
    id: "IC-RES-001",
    family: Family::Residency,
    severity: Severity::Error,
    title: "Personal data of a user group is stored only in its jurisdiction",
    check: personal_data_abroad,
};

pub const REPLICATION_ABROAD: Rule = Rule {
    id: "IC-RES-002",
    family: Family::Residency,
    severity: Severity::Error,
    title: "Personal data is not replicated across jurisdictions",
    check: replication_abroad,
};

pub const UNKNOWN_JURISDICTION: Rule = Rule {
    id: "IC-RES-003",
    family: Family::Residency,
    severity: Severity::Warning,
    title: "Stores of personal data have a known jurisdiction",
    check: unknown_jurisdiction,
};

pub const GEO_ROUTER_PLAIN_LINKS: Rule = Rule {
    id: "IC-RES-004",
    family: Family::Residency,
    severity: Severity::Error,
    title: "A geo router's links are geo routes",
    check: geo_router_plain_links,
};

/// EU member states, whose data falls under one jurisdiction.
const EU_MEMBERS: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// The jurisdiction of a country code (`DE` → `EU`, `ru` → `RU`); empty stays empty.
pub(crate) fn jurisdiction(code: &str) -> String {
    let code = code.trim().to_ascii_uppercase();
    if EU_MEMBERS.contains(&code.as_str()) {
        "EU".to_string()
    } else {
        code
    }
}

fn personal_data(g: &DesignGraph, i: usize) -> bool {
    g.node(i)
        .spec
        .store_facts()
        .is_some_and(|f| f.personal_data)
}

/// The normalised jurisdiction of store `i`, empty when unknown.
fn store_jurisdiction(g: &DesignGraph, i: usize) -> String {
    jurisdiction(g.jurisdiction_of(i))
}

/// Nodes a request from users of `country` reaches: a BFS along traffic, geo-route and access
/// edges, from every source at once. A geo router with the Geo policy sends the users only along
/// routes naming their country (or its jurisdiction), else along its default routes; a plain
/// traffic link from it names no country, so every user may take it (IC-RES-004 flags it). Returns,
/// per node, the node it was reached from (`usize::MAX` where unreached or a source) and the
/// source it was reached from.
fn reach(
    g: &DesignGraph,
    sources: &[usize],
    country: &str,
    juris: &str,
) -> (Vec<usize>, Vec<usize>) {
    const NONE: usize = usize::MAX;
    let mut prev = vec![NONE; g.len()];
    let mut origin = vec![NONE; g.len()];
    let mut queue: VecDeque<usize> = VecDeque::new();
    for &s in sources {
        if origin[s] == NONE {
            origin[s] = s;
            queue.push_back(s);
        }
    }
    let mut next = Vec::new();
    while let Some(u) = queue.pop_front() {
        next.clear();
        match &g.node(u).spec {
            NodeSpec::GeoRouter(r) if r.policy == RoutingPolicy::Geo => {
                let mut defaults = Vec::new();
                for (e, t) in g.outgoing_of(u, EdgeKind::GeoRoute) {
                    let EdgeSpec::GeoRoute(route) = &g.edge(e).spec else {
                        continue;
                    };
                    if route.countries.is_empty() {
                        defaults.push(t);
                    } else if route.countries.iter().any(|c| {
                        let c = c.trim().to_ascii_uppercase();
                        c == country || c == juris
                    }) {
                        next.push(t);
                    }
                }
                if next.is_empty() {
                    next = defaults;
                }
                next.extend(g.outgoing_of(u, EdgeKind::Traffic).map(|(_, t)| t));
            }
            _ => next.extend(g.outgoing(u).filter_map(|(e, t)| {
                matches!(
                    g.edge(e).kind(),
                    EdgeKind::Traffic | EdgeKind::GeoRoute | EdgeKind::Access
                )
                .then_some(t)
            })),
        }
        // Visit in id order, so the path reported does not depend on the order of the file.
        next.sort_unstable_by(|&a, &b| g.node(a).id.cmp(&g.node(b).id));
        for &t in &next {
            if origin[t] == NONE {
                origin[t] = origin[u];
                prev[t] = u;
                queue.push_back(t);
            }
        }
    }
    (prev, origin)
}

fn personal_data_abroad(g: &DesignGraph) -> Vec<Diagnostic> {
    // One multi-source BFS per country: its result depends only on the users' country.
    let mut by_country: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for i in 0..g.len() {
        if let NodeSpec::UserGroup(u) = &g.node(i).spec {
            let country = u.country.trim().to_ascii_uppercase();
            if u.personal_data && !country.is_empty() {
                by_country.entry(country).or_default().push(i);
            }
        }
    }
    for groups in by_country.values_mut() {
        groups.sort_unstable_by(|&a, &b| g.node(a).id.cmp(&g.node(b).id));
    }
    let stores: Vec<usize> = (0..g.len()).filter(|&i| personal_data(g, i)).collect();
    let mut out = Vec::new();
    for (country, groups) in &by_country {
        let juris = jurisdiction(country);
        let (prev, origin) = reach(g, groups, country, &juris);
        for &s in &stores {
            let group = origin[s];
            if group == usize::MAX {
                continue;
            }
            let held = store_jurisdiction(g, s);
            if held.is_empty() || held == juris {
                continue;
            }
            let mut targets = vec![nid(g, s), nid(g, group)];
            let via = prev[s];
            let through = if via != usize::MAX && via != group {
                targets.push(nid(g, via));
                format!(" through {}", label(g, via))
            } else {
                String::new()
            };
            let whose = if *country == juris {
                country.clone()
            } else {
                format!("{country}, jurisdiction {juris}")
            };
            out.push(PERSONAL_DATA_ABROAD.diagnostic(
                format!(
                    "Personal data of {} ({whose}) reaches {}, held in {held}{through}",
                    label(g, group),
                    label(g, s)
                ),
                targets,
                format!(
                    "Route these users to a store in {juris} (a geo route by country), or keep their data out of {}.",
                    label(g, s)
                ),
            ));
        }
    }
    out
}

fn replication_abroad(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (e, edge) in g.design.edges.iter().enumerate() {
        if edge.kind() != EdgeKind::Replication {
            continue;
        }
        let Some((a, b)) = g.edge_ends(e) else {
            continue;
        };
        if !personal_data(g, a) && !personal_data(g, b) {
            continue;
        }
        let (ja, jb) = (store_jurisdiction(g, a), store_jurisdiction(g, b));
        if !ja.is_empty() && !jb.is_empty() && ja != jb {
            out.push(REPLICATION_ABROAD.diagnostic(
                format!(
                    "Personal data is replicated from {} ({ja}) to {} ({jb})",
                    label(g, a),
                    label(g, b)
                ),
                vec![eid(g, e), nid(g, a), nid(g, b)],
                format!("Keep the replica in {ja}, or replicate only data that is not personal."),
            ));
        }
    }
    out
}

fn unknown_jurisdiction(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        if personal_data(g, i) && g.jurisdiction_of(i).trim().is_empty() {
            out.push(UNKNOWN_JURISDICTION.diagnostic(
                format!(
                    "{} holds personal data but its jurisdiction is unknown",
                    label(g, i)
                ),
                vec![nid(g, i)],
                "Set the jurisdiction of its region, or of the store itself.",
            ));
        }
    }
    out
}

fn geo_router_plain_links(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        if g.kind(i) != crate::model::Kind::GeoRouter {
            continue;
        }
        for (e, to) in g.outgoing_of(i, EdgeKind::Traffic) {
            out.push(GEO_ROUTER_PLAIN_LINKS.diagnostic(
                format!(
                    "The geo router {} sends plain traffic to {}: a router decides by route (country, failover role), and this link states none, so the exports make no route of it and the residency rules cannot follow it",
                    label(g, i),
                    label(g, to)
                ),
                vec![eid(g, e), nid(g, i), nid(g, to)],
                "Change the link's kind to Geo route and give the countries it serves (empty: the default route), or the failover role.",
            ));
        }
    }
    out
}
