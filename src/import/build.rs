//! Builds the imported design: nodes with valid unique ids, links of the kind the model allows
//! between their ends (no duplicates), the report, and Tidy's layout at the end.

use std::collections::{BTreeSet, HashSet};

use super::{ImportError, Imported, Note, NoteKind};
use crate::model::*;

pub(crate) struct Builder {
    pub design: Design,
    pub notes: Vec<Note>,
    ids: HashSet<NodeId>,
    links: BTreeSet<(NodeId, NodeId)>,
}

/// A node id from any text: `[A-Za-z0-9_.-]{1,64}`, other characters become `-`.
pub(crate) fn node_id(text: &str) -> String {
    let mut id: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    id.truncate(56);
    let id = id.trim_matches('-').to_string();
    if id.is_empty() {
        "node".into()
    } else {
        id
    }
}

impl Builder {
    pub fn new(name: &str) -> Self {
        Builder {
            design: Design::new(name),
            notes: Vec::new(),
            ids: HashSet::new(),
            links: BTreeSet::new(),
        }
    }

    /// Adds a node under `parent`; the id is `preferred` made valid and unique.
    pub fn node(
        &mut self,
        preferred: &str,
        name: &str,
        parent: Option<&str>,
        spec: NodeSpec,
    ) -> NodeId {
        let base = node_id(preferred);
        let mut id = base.clone();
        let mut n = 2;
        while self.ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.ids.insert(id.clone());
        let mut node = Node::new(id.clone(), name, spec);
        node.parent = parent.map(str::to_string);
        self.design.nodes.push(node);
        id
    }

    pub fn spec_mut(&mut self, id: &str) -> Option<&mut NodeSpec> {
        self.design.node_mut(id).map(|n| &mut n.spec)
    }

    pub fn workload_mut(&mut self, id: &str) -> Option<&mut WorkloadProps> {
        match self.spec_mut(id) {
            Some(NodeSpec::Workload(w)) => Some(w),
            _ => None,
        }
    }

    pub fn kind(&self, id: &str) -> Option<Kind> {
        self.design.node(id).map(Node::kind)
    }

    /// Links `from` to `to` with the edge the model allows: access to a data store or a
    /// secret/config store, traffic to anything that receives it, else a dependency. One link
    /// a pair; a later, more precise port fills in an earlier link's missing one.
    pub fn link(&mut self, from: &str, to: &str, port: Option<u16>, protocol: Option<Protocol>) {
        if from == to {
            return;
        }
        let (Some(fk), Some(tk)) = (self.kind(from), self.kind(to)) else {
            return;
        };
        if !self.links.insert((from.to_string(), to.to_string())) {
            if let Some(port) = port {
                if let Some(edge) = self
                    .design
                    .edges
                    .iter_mut()
                    .find(|e| e.from == from && e.to == to)
                {
                    if let EdgeSpec::Traffic(t) = &mut edge.spec {
                        if t.port.is_none() {
                            t.port = Some(port);
                        }
                    }
                }
            }
            return;
        }
        let spec = if fk.accepts_edge(EdgeKind::Access, tk) && tk != Kind::ExternalSystem {
            EdgeSpec::Access(AccessProps::default())
        } else if fk.accepts_edge(EdgeKind::Traffic, tk) {
            EdgeSpec::Traffic(TrafficProps {
                protocol: protocol.unwrap_or_else(|| self.protocol_at(to, port)),
                port,
            })
        } else {
            EdgeSpec::DependsOn(NoProps {})
        };
        let id = format!("e{}", self.design.edges.len() + 1);
        self.design.edges.push(Edge::new(id, from, to, spec));
    }

    /// The protocol a workload serves on `port` (its first port's when none is given).
    fn protocol_at(&self, id: &str, port: Option<u16>) -> Protocol {
        match self.design.node(id).map(|n| &n.spec) {
            // A Service may listen on another port than the container's: the first port's
            // protocol then.
            Some(NodeSpec::Workload(w)) => w
                .ports
                .iter()
                .find(|p| port.is_none_or(|n| p.port == n))
                .or(w.ports.first())
                .map_or(Protocol::Http, |p| p.protocol),
            Some(spec) if spec.kind().is_data_store() => Protocol::Tcp,
            _ => Protocol::Http,
        }
    }

    pub fn note(
        &mut self,
        kind: NoteKind,
        file: &str,
        line: usize,
        object: &str,
        message: impl Into<String>,
    ) {
        self.notes.push(Note {
            kind,
            file: file.to_string(),
            line,
            object: object.to_string(),
            message: message.into(),
        });
    }

    /// The design laid out by Tidy, or an error when nothing but containers was found.
    pub fn finish(mut self, nothing: &str) -> Result<Imported, ImportError> {
        self.notes
            .sort_by(|a, b| (&a.file, a.line, a.kind).cmp(&(&b.file, b.line, b.kind)));
        self.notes.dedup();
        let components = self
            .design
            .nodes
            .iter()
            .filter(|n| !n.kind().is_container() && n.kind() != Kind::SecretStore)
            .count();
        if components == 0 {
            return Err(ImportError {
                message: nothing.to_string(),
                notes: self.notes,
            });
        }
        let design = match within_limits(self.design, &mut self.notes) {
            Ok(design) => design,
            Err(message) => {
                return Err(ImportError {
                    message,
                    notes: self.notes,
                })
            }
        };
        let design = tidy::tidied(design);
        Ok(Imported {
            design,
            notes: self.notes,
        })
    }
}

/// The design held to the design file's limits (texts, lists, nodes, links), so that what an
/// import writes always loads: longer texts and lists are shortened and the report says so.
fn within_limits(mut design: Design, notes: &mut Vec<Note>) -> Result<Design, String> {
    use crate::model::limits::{MAX_EDGES, MAX_LIST_ITEMS, MAX_NODES, MAX_TEXT_CHARS};
    if design.nodes.len() > MAX_NODES {
        return Err(format!(
            "{} components; a design holds at most {MAX_NODES}",
            design.nodes.len()
        ));
    }
    let mut shortened = 0;
    if design.edges.len() > MAX_EDGES {
        shortened += design.edges.len() - MAX_EDGES;
        design.edges.truncate(MAX_EDGES);
    }
    fn clip(v: &mut serde_json::Value, nested: bool, shortened: &mut usize) {
        match v {
            serde_json::Value::String(s) if s.chars().count() > MAX_TEXT_CHARS => {
                *s = s.chars().take(MAX_TEXT_CHARS).collect();
                *shortened += 1;
            }
            serde_json::Value::Array(items) => {
                if nested && items.len() > MAX_LIST_ITEMS {
                    items.truncate(MAX_LIST_ITEMS);
                    *shortened += 1;
                }
                for item in items {
                    clip(item, true, shortened);
                }
            }
            serde_json::Value::Object(map) => {
                if nested && map.len() > MAX_LIST_ITEMS {
                    let keep: BTreeSet<String> = map.keys().take(MAX_LIST_ITEMS).cloned().collect();
                    map.retain(|k, _| keep.contains(k));
                    *shortened += 1;
                }
                for item in map.values_mut() {
                    clip(item, true, shortened);
                }
            }
            _ => {}
        }
    }
    let mut value = serde_json::to_value(&design).map_err(|e| e.to_string())?;
    if let serde_json::Value::Object(top) = &mut value {
        for (key, v) in top.iter_mut() {
            // `nodes` and `edges` are limited above; what is inside them is nested.
            match v {
                serde_json::Value::Array(list) if key == "nodes" || key == "edges" => {
                    for item in list {
                        clip(item, false, &mut shortened);
                    }
                }
                v => clip(v, key == "environments", &mut shortened),
            }
        }
    }
    if shortened > 0 {
        notes.push(Note {
            kind: NoteKind::NotMapped,
            file: String::new(),
            line: 0,
            object: String::new(),
            message: format!(
                "{shortened} text(s), list(s) or link(s) longer than a design holds were shortened"
            ),
        });
    }
    crate::model::load_design(&value.to_string())
        .map_err(|e| format!("the design made is not valid: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_valid_and_unique() {
        let mut b = Builder::new("t");
        let a = b.node(
            "shop/cart service",
            "cart",
            None,
            NodeSpec::default_for(Kind::Workload),
        );
        let c = b.node(
            "shop/cart service",
            "cart",
            None,
            NodeSpec::default_for(Kind::Workload),
        );
        let d = b.node(
            "Корзина",
            "Корзина",
            None,
            NodeSpec::default_for(Kind::Workload),
        );
        assert_eq!(
            (a.as_str(), c.as_str()),
            ("shop-cart-service", "shop-cart-service-2")
        );
        assert_eq!(d, "node");
    }

    #[test]
    fn links_take_the_kind_the_model_allows_once_a_pair() {
        let mut b = Builder::new("t");
        let w = b.node("w", "w", None, NodeSpec::default_for(Kind::Workload));
        let v = b.node("v", "v", None, NodeSpec::default_for(Kind::Workload));
        let db = b.node("db", "db", None, NodeSpec::default_for(Kind::Database));
        b.link(&w, &db, Some(5432), None);
        b.link(&w, &v, None, None);
        b.link(&w, &v, Some(8080), None);
        b.link(&w, &w, None, None);
        let kinds: Vec<EdgeKind> = b.design.edges.iter().map(Edge::kind).collect();
        assert_eq!(kinds, [EdgeKind::Access, EdgeKind::Traffic]);
        let EdgeSpec::Traffic(t) = &b.design.edges[1].spec else {
            panic!()
        };
        assert_eq!(t.port, Some(8080));
    }

    #[test]
    fn texts_and_lists_longer_than_a_design_holds_are_shortened() {
        use crate::model::limits::{MAX_LIST_ITEMS, MAX_TEXT_CHARS};
        let mut b = Builder::new("t");
        let w = b.node(
            "w",
            &"n".repeat(MAX_TEXT_CHARS + 5),
            None,
            NodeSpec::default_for(Kind::Workload),
        );
        let props = b.workload_mut(&w).unwrap();
        props.image = "i".repeat(MAX_TEXT_CHARS * 2);
        props.env = (0..MAX_LIST_ITEMS + 3)
            .map(|i| EnvVar {
                name: format!("V{i}"),
                value: EnvValue::Plain(String::new()),
            })
            .collect();
        let out = b.finish("nothing").unwrap();
        let n = &out.design.nodes[0];
        assert_eq!(n.name.chars().count(), MAX_TEXT_CHARS);
        assert_eq!(n.spec.workload().unwrap().env.len(), MAX_LIST_ITEMS);
        assert_eq!(out.notes.len(), 1);
    }

    #[test]
    fn nothing_but_containers_is_an_error() {
        let mut b = Builder::new("t");
        b.node("c", "c", None, NodeSpec::default_for(Kind::SwarmCluster));
        assert!(b.finish("nothing").is_err());
    }
}
