//! A read-only, indexed view of a design for the rules and exports: a petgraph of the edges,
//! the containment tree, and each node's enclosing provider, region, subnet, cluster and
//! namespace, all computed once in linear time.

use std::collections::HashMap;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;

use super::design::{Design, Edge, Node, NodeSpec};
use super::kind::{EdgeKind, Kind};
use super::props::Visibility;

/// Nodes are addressed by their position in `design.nodes`; petgraph's `NodeIndex(i)` is the
/// same position, so no translation table is needed.
pub struct DesignGraph<'a> {
    pub design: &'a Design,
    /// One graph node per design node; one graph edge per edge whose two ends exist, weighted
    /// by the edge's position in `design.edges`.
    pub graph: DiGraph<(), usize>,
    index: HashMap<&'a str, usize>,
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    scope: Vec<Scope>,
    /// The ends of each edge, `None` where an end names no node.
    edge_ends: Vec<Option<(usize, usize)>>,
    /// Production environments of nodes outside any environment-bound cluster.
    production_unbound: Vec<&'a str>,
    /// Production environments of nodes in a cluster bound to one environment, by cluster.
    production_bound: HashMap<usize, Vec<&'a str>>,
}

/// The enclosing containers of a node (the node itself counts when it is of that kind).
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope {
    pub provider: Option<usize>,
    pub region: Option<usize>,
    pub zone: Option<usize>,
    pub subnet: Option<usize>,
    pub cluster: Option<usize>,
    pub namespace: Option<usize>,
}

impl<'a> DesignGraph<'a> {
    pub fn new(design: &'a Design) -> Self {
        let n = design.nodes.len();
        let mut index = HashMap::with_capacity(n);
        for (i, node) in design.nodes.iter().enumerate() {
            index.entry(node.id.as_str()).or_insert(i);
        }
        let mut graph = DiGraph::with_capacity(n, design.edges.len());
        for _ in 0..n {
            graph.add_node(());
        }
        let mut edge_ends = Vec::with_capacity(design.edges.len());
        for (i, edge) in design.edges.iter().enumerate() {
            let ends = index
                .get(edge.from.as_str())
                .zip(index.get(edge.to.as_str()))
                .map(|(&a, &b)| (a, b));
            if let Some((a, b)) = ends {
                graph.add_edge(NodeIndex::new(a), NodeIndex::new(b), i);
            }
            edge_ends.push(ends);
        }
        let parent: Vec<Option<usize>> = design
            .nodes
            .iter()
            .map(|node| node.parent.as_deref().and_then(|p| index.get(p).copied()))
            .collect();
        let mut children = vec![Vec::new(); n];
        for (i, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                children[*p].push(i);
            }
        }
        let scope = compute_scopes(design, &parent, &children);
        let (production_unbound, production_bound) = production_environments(design);
        DesignGraph {
            design,
            graph,
            index,
            parent,
            children,
            scope,
            edge_ends,
            production_unbound,
            production_bound,
        }
    }

    pub fn len(&self) -> usize {
        self.design.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.design.nodes.is_empty()
    }

    pub fn node(&self, i: usize) -> &'a Node {
        &self.design.nodes[i]
    }

    pub fn kind(&self, i: usize) -> Kind {
        self.design.nodes[i].kind()
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub fn parent(&self, i: usize) -> Option<usize> {
        self.parent[i]
    }

    pub fn children(&self, i: usize) -> &[usize] {
        &self.children[i]
    }

    /// Nodes at the top of the design (no parent, or a parent id that names no node).
    pub fn roots(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len()).filter(|&i| self.parent[i].is_none())
    }

    /// All nodes inside `i`, depth first, not including `i`.
    pub fn descendants(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<usize> = self.children[i].iter().rev().copied().collect();
        while let Some(j) = stack.pop() {
            out.push(j);
            stack.extend(self.children[j].iter().rev().copied());
        }
        out
    }

    pub fn scope(&self, i: usize) -> Scope {
        self.scope[i]
    }

    /// The ends of edge `e` (its position in `design.edges`), if both exist.
    pub fn edge_ends(&self, e: usize) -> Option<(usize, usize)> {
        self.edge_ends[e]
    }

    pub fn edge(&self, e: usize) -> &'a Edge {
        &self.design.edges[e]
    }

    /// Edges leaving node `i`, as (edge position, target node).
    pub fn outgoing(&self, i: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.graph
            .edges_directed(NodeIndex::new(i), Direction::Outgoing)
            .map(|e| (*e.weight(), petgraph::visit::EdgeRef::target(&e).index()))
    }

    /// Edges arriving at node `i`, as (edge position, source node).
    pub fn incoming(&self, i: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.graph
            .edges_directed(NodeIndex::new(i), Direction::Incoming)
            .map(|e| (*e.weight(), petgraph::visit::EdgeRef::source(&e).index()))
    }

    /// Edges of kind `kind` leaving `i`.
    pub fn outgoing_of(
        &self,
        i: usize,
        kind: EdgeKind,
    ) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.outgoing(i)
            .filter(move |(e, _)| self.design.edges[*e].kind() == kind)
    }

    pub fn incoming_of(
        &self,
        i: usize,
        kind: EdgeKind,
    ) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.incoming(i)
            .filter(move |(e, _)| self.design.edges[*e].kind() == kind)
    }

    /// The provider a node belongs to, if any.
    pub fn provider_of(&self, i: usize) -> Option<usize> {
        self.scope[i].provider
    }

    /// The jurisdiction data in node `i` falls under: its own setting for stores, otherwise
    /// the enclosing region's; empty when unknown.
    pub fn jurisdiction_of(&self, i: usize) -> &'a str {
        if let Some(facts) = self.design.nodes[i].spec.store_facts() {
            if !facts.jurisdiction.is_empty() {
                return facts.jurisdiction;
            }
        }
        match self.scope[i].region.map(|r| &self.design.nodes[r].spec) {
            Some(NodeSpec::Region(r)) => &r.jurisdiction,
            _ => "",
        }
    }

    /// Whether node `i` sits in a subnet marked public.
    pub fn in_public_subnet(&self, i: usize) -> bool {
        matches!(
            self.scope[i].subnet.map(|s| &self.design.nodes[s].spec),
            Some(NodeSpec::Subnet(s)) if s.visibility == Visibility::Public
        )
    }

    pub fn in_private_subnet(&self, i: usize) -> bool {
        matches!(
            self.scope[i].subnet.map(|s| &self.design.nodes[s].spec),
            Some(NodeSpec::Subnet(s)) if s.visibility == Visibility::Private
        )
    }

    /// The environments a node is deployed to: its cluster's environment when the cluster
    /// names one, otherwise every environment of the design.
    pub fn environments_of(&self, i: usize) -> Vec<&'a str> {
        let bound = self.scope[i]
            .cluster
            .and_then(|c| self.design.nodes[c].spec.cluster_placement())
            .map(|(env, _)| env)
            .filter(|env| !env.is_empty());
        match bound {
            Some(env) => vec![env],
            None => self
                .design
                .environments
                .iter()
                .map(|e| e.id.as_str())
                .collect(),
        }
    }

    /// The production environments node `i` is deployed to. A design without environments is
    /// treated as a single production environment with id `""`, since that is what gets deployed.
    /// Worked out once per cluster when the graph is built, so rules may ask for every node.
    pub fn production_environments_of(&self, i: usize) -> &[&'a str] {
        self.scope[i]
            .cluster
            .and_then(|c| self.production_bound.get(&c))
            .unwrap_or(&self.production_unbound)
    }

    pub fn is_production(&self, i: usize) -> bool {
        !self.production_environments_of(i).is_empty()
    }
}

/// The production environments of nodes in no bound cluster, and of each cluster bound to one
/// environment (an unknown environment counts as not production).
fn production_environments(design: &Design) -> (Vec<&str>, HashMap<usize, Vec<&str>>) {
    if design.environments.is_empty() {
        return (vec![""], HashMap::new());
    }
    let is_production = |id: &str| design.environment(id).is_some_and(|e| e.production);
    let unbound = design
        .environments
        .iter()
        .filter(|e| e.production)
        .map(|e| e.id.as_str())
        .collect();
    let bound = design
        .nodes
        .iter()
        .enumerate()
        .filter_map(|(c, node)| {
            let (env, _) = node.spec.cluster_placement()?;
            if env.is_empty() {
                return None;
            }
            let envs = if is_production(env) {
                vec![env]
            } else {
                Vec::new()
            };
            Some((c, envs))
        })
        .collect();
    (unbound, bound)
}

/// Walks the tree from the roots down, so each node inherits its parent's scope.
fn compute_scopes(
    design: &Design,
    parent: &[Option<usize>],
    children: &[Vec<usize>],
) -> Vec<Scope> {
    let mut scope = vec![Scope::default(); design.nodes.len()];
    let mut stack: Vec<usize> = (0..design.nodes.len())
        .filter(|&i| parent[i].is_none())
        .collect();
    let mut seen = vec![false; design.nodes.len()];
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue; // unreachable for a loaded design (the loader refuses cycles)
        }
        let mut s = parent[i].map(|p| scope[p]).unwrap_or_default();
        match design.nodes[i].kind() {
            Kind::Provider => s.provider = Some(i),
            Kind::Region => s.region = Some(i),
            Kind::Zone => s.zone = Some(i),
            Kind::Subnet => s.subnet = Some(i),
            Kind::KubernetesCluster | Kind::SwarmCluster => s.cluster = Some(i),
            Kind::Namespace => s.namespace = Some(i),
            _ => {}
        }
        scope[i] = s;
        stack.extend(children[i].iter().copied());
    }
    scope
}
