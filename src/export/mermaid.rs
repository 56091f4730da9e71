//! Mermaid export (DESIGN.md §4): a `flowchart LR` whose nested subgraphs follow containment
//! (provider ⟶ region ⟶ zone ⟶ subnet ⟶ cluster ⟶ namespace) and whose edges carry their
//! meaning as labels (`HTTPS 443`, `async, RPO 15 min`, `RU, BY`).
//!
//! # Ids
//! Mermaid ids are derived from the node's position in `design.nodes`: `n0`, `n1`, … They never
//! depend on the model ids, so they are always valid Mermaid ids and never a keyword (`end`,
//! `graph`, `subgraph`, `style`, `class`, `click`, `default`…), whatever the design holds.
//!
//! # Shapes (leaf nodes)
//! | kind | shape | syntax |
//! | --- | --- | --- |
//! | database, cache, queue, object storage | cylinder | `[("…")]` |
//! | stateless workload | rectangle | `["…"]` |
//! | stateful workload | subroutine (double sides) | `[["…"]]` |
//! | job | parallelogram | `[/"…"/]` |
//! | container registry | trapezoid | `[/"…"\]` |
//! | load balancer, ingress, mesh, CDN, WAF, VPN gateway | hexagon | `{{"…"}}` |
//! | geo / DNS router | rhombus | `{"…"}` |
//! | monitoring, logging, tracing, secret/config store, security, CI/CD | rounded | `("…")` |
//! | user group (external actor) | stadium | `(["…"])` |
//! | external system | flag (asymmetric) | `>"…"]` |
//!
//! Every container kind (and any node that has children, even of a kind that should not) is a
//! `subgraph` titled with its name.
//!
//! # Edges
//! | kind | arrow | label |
//! | --- | --- | --- |
//! | traffic | `-->` | protocol and port, `HTTPS 443` |
//! | access | `-->` | `reads`, `writes`, `reads/writes` |
//! | geo route | `-->` | countries (`RU, BY`), `default route`, failover role |
//! | replication | `==>` (thick) | `async, RPO 15 min` |
//! | VPN tunnel | `<-.->` (dotted, both ways) | `VPN` and the product |
//! | observes | `-.->` (dotted) | `observes` |
//! | depends on | `-.->` (dotted) | `depends on` |
//!
//! The edge's own label, if any, follows after ` · `. Edges whose two ends both exist are drawn,
//! in design order; the others are left out (the rules report them).
//!
//! # Colours
//! One `classDef` per palette group for leaf nodes (`icNetwork`, `icCompute`, `icData`,
//! `icOperations`, `icExternal`) and one per container level for subgraphs (`icProvider`,
//! `icRegion`, `icZone`, `icSubnetPublic`, `icSubnetPrivate`, `icCluster`, `icNamespace`),
//! applied with `class id,id,… name`. Only the classes in use are written. Class names carry an
//! `ic` prefix so they never collide with Mermaid's own CSS classes (`cluster`, `node`, `edge`).
//!
//! # Text
//! Every label is double-quoted and escaped by [`sanitize_label`]; see there. Names longer than
//! [`MAX_NAME_CHARS`] are cut with `…` so one pathological name cannot swamp the drawing.
//!
//! # Limits of the renderer
//! Mermaid refuses diagrams over `maxTextSize` (50,000 characters by default) and with more than
//! `maxEdges` edges (500 by default). Both are "secure" settings that a diagram cannot raise for
//! itself; whoever renders a large design must raise them in `mermaid.initialize`.

use std::fmt::Write as _;

use crate::model::*;

/// Names (and user edge labels) are cut to this many characters, `…` included.
pub const MAX_NAME_CHARS: usize = 80;

/// Escapes `text` for use between the double quotes of a Mermaid label (`n1["…"]`,
/// `-->|"…"|`, `subgraph n2["…"]`).
///
/// Mermaid replaces `#name;` and `#123;` in the diagram text by HTML entities before rendering,
/// so everything that could mean something to Mermaid's lexer, to its Markdown, KaTeX or icon
/// handling, to the HTML label, or to a reader of the source file is written as an entity code:
///
/// - `"` → `#quot;`, `<` → `#lt;`, `>` → `#gt;`, `&` → `#amp;`;
/// - `` # ; | ` [ ] { } ( ) : % $ \ `` → `#<decimal>;` (`#` → `#35;`, `;` → `#59;`);
/// - `ﬂ` and `¶` → `#<decimal>;` too;
/// - a word joiner (U+2060, invisible, `#8288;`) inside `$$`, `:fa-`, `ﬂ°` and `¶ß`, which
///   Mermaid would otherwise still read, after decoding the entities, as KaTeX math, a Font
///   Awesome icon, or its own entity markers (see `defuse_after`);
/// - bidirectional controls (LRM, RLM, LRE…RLO, isolates) and other invisible format
///   characters → `#<decimal>;`, so they still act in the drawing but are visible in the source;
/// - line breaks (`\n`, `\r\n`, `\r`, U+0085, U+2028, U+2029) → `<br/>`, which Mermaid turns
///   into a line break with HTML labels on or off;
/// - tabs → a space; other control characters are dropped.
///
/// Letters of any script (Cyrillic included), digits, spaces and harmless punctuation
/// (`- _ . , / ! ? + * = ' ~ ^ @`) are kept as they are (they mean nothing inside a quoted,
/// non-Markdown Mermaid string). The result never contains `"`, a raw line break,
/// or any of the escaped characters, so it cannot end the string or start a directive, a
/// comment, a Markdown string or a tag.
pub fn sanitize_label(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let rest = &text[i + c.len_utf8()..];
        match c {
            '\r' => {
                if rest.starts_with('\n') {
                    chars.next();
                }
                out.push_str("<br/>");
            }
            '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push_str("<br/>"),
            '\t' => out.push(' '),
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' | ';' | '|' | '`' | '[' | ']' | '{' | '}' | '(' | ')' | ':' | '%' | '$' | '\\'
            | '\u{FB02}' | '\u{B6}' => {
                let _ = write!(out, "#{};", c as u32);
                if defuse_after(c, rest) {
                    out.push_str("#8288;");
                }
            }
            c if c.is_control() => {}
            c if is_invisible_format(c) => {
                let _ = write!(out, "#{};", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Whether a word joiner must follow `c` (followed by `rest`) to keep Mermaid from treating the
/// decoded text as markup of its own. Mermaid decodes entity codes *before* these passes:
/// - `$$…$$` is rendered as KaTeX math;
/// - `fa:fa-name` (and `fab:`, `fas:`…) becomes a Font Awesome icon, the text disappearing;
/// - `ﬂ°` and `¶ß` are Mermaid's internal entity markers, turned into `&`/`&#` and `;` once more
///   in the finished SVG (`ﬂ°°60¶ß` would show as `<`).
fn defuse_after(c: char, rest: &str) -> bool {
    match c {
        '$' => rest.starts_with('$'),
        ':' => rest.starts_with("fa-"),
        '\u{FB02}' => rest.starts_with('°'),
        '\u{B6}' => rest.starts_with('ß'),
        _ => false,
    }
}

/// Bidirectional controls and other zero-width format characters.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{AD}'
        | '\u{61C}'
        | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}')
}

/// `text` cut to at most `max` characters, the last one `…` when anything was cut.
fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((i, _)) if text[i..].chars().nth(1).is_some() => format!("{}…", &text[..i]),
        _ => text.to_string(),
    }
}

/// A name as shown: trimmed, cut, escaped; the kind's label when nothing visible is left.
fn shown_name(name: &str, kind: Kind) -> String {
    let escaped = sanitize_label(&truncate(name.trim(), MAX_NAME_CHARS));
    if escaped.trim().is_empty() {
        sanitize_label(kind.label())
    } else {
        escaped
    }
}

/// The Mermaid id of the node at position `i`.
/// The port of container `i`: where edges to or from the container end.
fn port_id(i: usize) -> String {
    format!("n{i}_port")
}

const PORT_STYLE: &str = "fill:#ffffff,stroke:#64748b,stroke-width:1px,font-size:8px";

fn node_id(i: usize) -> String {
    format!("n{i}")
}

/// A flowchart of the design: nested subgraphs for containment, shaped and coloured nodes,
/// labelled edges. Deterministic: the same design gives the same text, byte for byte.
pub fn flowchart(design: &Design) -> String {
    let graph = DesignGraph::new(design);
    let n = design.nodes.len();
    let mut out = String::with_capacity(64 + n * 48 + design.edges.len() * 40);
    out.push_str("flowchart LR\n");

    // Depth-first over the containment tree from the roots, then from any node left unvisited
    // (only possible when parents form a cycle, which the loader refuses).
    // Edges never end on a subgraph itself: Mermaid's layout of such edges breaks when other
    // edges also cross into that subgraph (seen with site-builder). A container that an edge
    // touches gets a small port node inside it, and the edge ends there.
    let mut has_port = vec![false; n];
    for e in 0..design.edges.len() {
        if let Some((from, to)) = graph.edge_ends(e) {
            has_port[from] = true;
            has_port[to] = true;
        }
    }
    let mut visited = vec![false; n];
    let mut ports: Vec<usize> = Vec::new();
    let mut classes: Vec<(&'static str, Vec<usize>)> = Vec::new();
    let starts: Vec<usize> = graph.roots().collect();
    for start in starts.into_iter().chain(0..n) {
        if visited[start] {
            continue;
        }
        // Stack of (node, depth, entering); a `false` entry closes the subgraph.
        let mut stack = vec![(start, 1usize, true)];
        while let Some((i, depth, entering)) = stack.pop() {
            let indent = "  ".repeat(depth.min(16));
            if !entering {
                let _ = writeln!(out, "{indent}end");
                continue;
            }
            if std::mem::replace(&mut visited[i], true) {
                continue;
            }
            let node = &design.nodes[i];
            let kind = node.kind();
            let children: Vec<usize> = graph
                .children(i)
                .iter()
                .copied()
                .filter(|&c| !visited[c])
                .collect();
            if kind.is_container() || !children.is_empty() {
                let _ = writeln!(
                    out,
                    "{indent}subgraph {}[\"{}\"]",
                    node_id(i),
                    subgraph_title(node)
                );
                add_class(&mut classes, container_class(node), i);
                if has_port[i] {
                    let _ = writeln!(out, "{indent}  {}((\"•\"))", port_id(i));
                    ports.push(i);
                }
                stack.push((i, depth, false));
                for &c in children.iter().rev() {
                    stack.push((c, depth + 1, true));
                }
            } else {
                let (open, close) = shape(node);
                let _ = writeln!(
                    out,
                    "{indent}{}{open}\"{}\"{close}",
                    node_id(i),
                    node_label(node)
                );
                add_class(&mut classes, leaf_class(kind), i);
            }
        }
    }

    ports.sort_unstable();
    let is_port = |i: usize| ports.binary_search(&i).is_ok();
    let end_id = |i: usize| if is_port(i) { port_id(i) } else { node_id(i) };
    for e in 0..design.edges.len() {
        let Some((from, to)) = graph.edge_ends(e) else {
            continue;
        };
        let edge = &design.edges[e];
        let _ = writeln!(
            out,
            "  {} {}|\"{}\"| {}",
            end_id(from),
            arrow(edge.kind()),
            edge_label(edge),
            end_id(to)
        );
    }
    if !ports.is_empty() {
        let ids: Vec<String> = ports.iter().map(|&i| port_id(i)).collect();
        let _ = writeln!(out, "  classDef icPort {PORT_STYLE}");
        let _ = writeln!(out, "  class {} icPort", ids.join(","));
    }

    for (name, style) in CLASS_STYLES {
        if classes.iter().any(|(c, _)| c == &name) {
            let _ = writeln!(out, "  classDef {name} {style}");
        }
    }
    for (name, _) in CLASS_STYLES {
        if let Some((_, members)) = classes.iter().find(|(c, _)| c == &name) {
            let ids: Vec<String> = members.iter().map(|&i| node_id(i)).collect();
            let _ = writeln!(out, "  class {} {name}", ids.join(","));
        }
    }
    out
}

fn add_class(classes: &mut Vec<(&'static str, Vec<usize>)>, class: &'static str, i: usize) {
    match classes.iter_mut().find(|(c, _)| *c == class) {
        Some((_, members)) => members.push(i),
        None => classes.push((class, vec![i])),
    }
}

/// Class names and styles, in the order they are written. No `;` anywhere: Mermaid strips a
/// trailing `;` from `classDef … #…;` lines by a text substitution before parsing.
const CLASS_STYLES: [(&str, &str); 12] = [
    (
        "icProvider",
        "fill:#fafafa,stroke:#546e7a,stroke-width:2px,color:#263238",
    ),
    ("icRegion", "fill:#f4f8fb,stroke:#78909c,color:#263238"),
    (
        "icZone",
        "fill:#f9fbe7,stroke:#9e9d24,stroke-dasharray:6 3,color:#33691e",
    ),
    (
        "icSubnetPublic",
        "fill:#fff8e1,stroke:#f9a825,color:#5d4037",
    ),
    (
        "icSubnetPrivate",
        "fill:#f1f8e9,stroke:#7cb342,color:#33691e",
    ),
    (
        "icCluster",
        "fill:#e0f2f1,stroke:#00897b,stroke-width:2px,color:#004d40",
    ),
    (
        "icNamespace",
        "fill:#ffffff,stroke:#4db6ac,stroke-dasharray:4 3,color:#004d40",
    ),
    ("icNetwork", "fill:#e3f2fd,stroke:#1565c0,color:#0d47a1"),
    ("icCompute", "fill:#e8f5e9,stroke:#2e7d32,color:#1b5e20"),
    ("icData", "fill:#fff3e0,stroke:#e65100,color:#bf360c"),
    ("icOperations", "fill:#f3e5f5,stroke:#6a1b9a,color:#4a148c"),
    ("icExternal", "fill:#eceff1,stroke:#455a64,color:#263238"),
];

fn leaf_class(kind: Kind) -> &'static str {
    match kind.group() {
        Group::Network => "icNetwork",
        Group::Compute | Group::Providers => "icCompute",
        Group::Data => "icData",
        Group::Operations => "icOperations",
        Group::External => "icExternal",
    }
}

fn container_class(node: &Node) -> &'static str {
    match &node.spec {
        NodeSpec::Provider(_) => "icProvider",
        NodeSpec::Region(_) => "icRegion",
        NodeSpec::Zone(_) => "icZone",
        NodeSpec::Subnet(s) if s.visibility == Visibility::Public => "icSubnetPublic",
        NodeSpec::Subnet(_) => "icSubnetPrivate",
        NodeSpec::KubernetesCluster(_) | NodeSpec::SwarmCluster(_) => "icCluster",
        NodeSpec::Namespace(_) => "icNamespace",
        // A leaf kind holding children (a design the rules will complain about).
        other => leaf_class(other.kind()),
    }
}

/// Opening and closing brackets of a leaf node's shape.
fn shape(node: &Node) -> (&'static str, &'static str) {
    match &node.spec {
        NodeSpec::Database(_)
        | NodeSpec::Cache(_)
        | NodeSpec::Queue(_)
        | NodeSpec::ObjectStorage(_) => ("[(", ")]"),
        NodeSpec::Workload(w) => match w.workload_type {
            WorkloadType::Stateless => ("[", "]"),
            WorkloadType::Stateful => ("[[", "]]"),
            WorkloadType::Job => ("[/", "/]"),
        },
        NodeSpec::ContainerRegistry(_) => ("[/", "\\]"),
        NodeSpec::GeoRouter(_) => ("{", "}"),
        NodeSpec::UserGroup(_) => ("([", "])"),
        NodeSpec::ExternalSystem(_) => (">", "]"),
        other => match other.kind().group() {
            Group::Network => ("{{", "}}"),
            Group::Operations => ("(", ")"),
            _ => ("[", "]"),
        },
    }
}

/// The node's name, then a line with what it is (`PostgreSQL 16`, `Service ×3`).
fn node_label(node: &Node) -> String {
    let name = shown_name(&node.name, node.kind());
    let detail = sanitize_label(&truncate(&node_detail(node), MAX_NAME_CHARS));
    if detail.is_empty() || detail.eq_ignore_ascii_case(&name) {
        name
    } else {
        format!("{name}<br/>{detail}")
    }
}

/// A subgraph's title on one line (`name · detail`): Mermaid does not make room for a title of
/// several lines, which would then overlap the subgraph's contents.
fn subgraph_title(node: &Node) -> String {
    let one_line: String = node
        .name
        .replace("\r\n", "\n")
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let name = shown_name(&one_line, node.kind());
    let detail = sanitize_label(&truncate(&container_detail(node), MAX_NAME_CHARS));
    if detail.is_empty() || detail.eq_ignore_ascii_case(&name) {
        name
    } else {
        format!("{name} · {detail}")
    }
}

fn container_detail(node: &Node) -> String {
    match &node.spec {
        NodeSpec::Provider(p) if p.cloud != Cloud::Other => p.cloud.label().to_string(),
        NodeSpec::Provider(_) => "provider".into(),
        NodeSpec::Region(r) if !r.code.is_empty() => r.code.clone(),
        NodeSpec::Region(_) => "region".into(),
        NodeSpec::Zone(z) if !z.code.is_empty() => z.code.clone(),
        NodeSpec::Zone(_) => "zone".into(),
        NodeSpec::Subnet(s) => {
            let word = match s.visibility {
                Visibility::Public => "public",
                Visibility::Private => "private",
            };
            // `public · subnet 10.0.0.0/24` rather than `public · public subnet 10.0.0.0/24`.
            let visibility = if node.name.to_lowercase().contains(word) {
                "subnet".to_string()
            } else {
                format!("{word} subnet")
            };
            if s.cidr.is_empty() {
                visibility
            } else {
                format!("{visibility} {}", s.cidr)
            }
        }
        NodeSpec::KubernetesCluster(c) if !c.environment.is_empty() => {
            format!("Kubernetes, {}", c.environment)
        }
        NodeSpec::KubernetesCluster(_) => "Kubernetes".into(),
        NodeSpec::SwarmCluster(c) if !c.environment.is_empty() => {
            format!("Swarm, {}", c.environment)
        }
        NodeSpec::SwarmCluster(_) => "Swarm".into(),
        NodeSpec::Namespace(_) => "namespace".into(),
        _ => node_detail(node),
    }
}

fn node_detail(node: &Node) -> String {
    let with_version = |engine: &str, version: &str| {
        if version.is_empty() {
            engine.to_string()
        } else {
            format!("{engine} {version}")
        }
    };
    match &node.spec {
        NodeSpec::Workload(w) => {
            let mut s = match w.workload_type {
                WorkloadType::Stateless => format!("Service ×{}", w.replicas),
                WorkloadType::Stateful => format!("Stateful set ×{}", w.replicas),
                WorkloadType::Job => "Job".to_string(),
            };
            if w.strategy != Strategy::Rolling {
                s.push_str(", ");
                s.push_str(w.strategy.label());
            }
            s
        }
        NodeSpec::Database(d) => with_version(
            match d.engine {
                DatabaseEngine::Postgresql => "PostgreSQL",
                DatabaseEngine::Mysql => "MySQL",
                DatabaseEngine::Mongodb => "MongoDB",
            },
            &d.version,
        ),
        NodeSpec::Cache(c) => with_version(
            match c.engine {
                CacheEngine::Redis => "Redis",
                CacheEngine::Memcached => "Memcached",
            },
            &c.version,
        ),
        NodeSpec::Queue(q) => with_version(
            match q.engine {
                QueueEngine::Kafka => "Kafka",
                QueueEngine::Rabbitmq => "RabbitMQ",
                QueueEngine::Nats => "NATS",
            },
            &q.version,
        ),
        NodeSpec::LoadBalancer(lb) if lb.product.is_empty() => match lb.layer {
            Layer::L4 => "L4 load balancer".into(),
            Layer::L7 => "L7 load balancer".into(),
        },
        NodeSpec::IngressController(i) if !i.class.is_empty() => format!("Ingress, {}", i.class),
        NodeSpec::GeoRouter(g) => {
            let policy = match g.policy {
                RoutingPolicy::Geo => "geo routing",
                RoutingPolicy::Failover => "failover routing",
                RoutingPolicy::Weighted => "weighted routing",
                RoutingPolicy::Latency => "latency routing",
            };
            if g.product.is_empty() || g.product.eq_ignore_ascii_case(&node.name) {
                policy.into()
            } else {
                format!("{}, {policy}", g.product)
            }
        }
        NodeSpec::UserGroup(u) => {
            let who = if u.staff { "Staff" } else { "Users" };
            if u.country.is_empty() {
                who.into()
            } else {
                format!("{who}, {}", u.country)
            }
        }
        spec => {
            let product = spec.product();
            if product.is_empty() || product.eq_ignore_ascii_case(node.name.trim()) {
                node.kind().label().into()
            } else {
                product.into()
            }
        }
    }
}

fn arrow(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Traffic | EdgeKind::Access | EdgeKind::GeoRoute => "-->",
        EdgeKind::Replication => "==>",
        EdgeKind::Vpn => "<-.->",
        EdgeKind::Observes | EdgeKind::DependsOn => "-.->",
    }
}

/// What the edge means (`HTTPS 443`), then the user's label after ` · `, escaped.
fn edge_label(edge: &Edge) -> String {
    let meaning = match &edge.spec {
        EdgeSpec::Traffic(t) => {
            let protocol = match t.protocol {
                Protocol::Http => "HTTP",
                Protocol::Https => "HTTPS",
                Protocol::Grpc => "gRPC",
                Protocol::Tcp => "TCP",
                Protocol::Udp => "UDP",
            };
            match t.port {
                Some(port) => format!("{protocol} {port}"),
                None => protocol.to_string(),
            }
        }
        EdgeSpec::Access(a) => match a.mode {
            AccessMode::Read => "reads",
            AccessMode::Write => "writes",
            AccessMode::ReadWrite => "reads/writes",
        }
        .to_string(),
        EdgeSpec::Replication(r) => {
            let mode = match r.mode {
                ReplicationMode::Sync => "sync",
                ReplicationMode::Async => "async",
            };
            match r.rpo_minutes {
                Some(rpo) => format!("{mode}, RPO {rpo} min"),
                None => format!("{mode} replication"),
            }
        }
        EdgeSpec::Vpn(p) if !p.product.is_empty() => {
            format!("VPN, {}", truncate(&p.product, MAX_NAME_CHARS))
        }
        EdgeSpec::Vpn(_) => "VPN".into(),
        EdgeSpec::GeoRoute(g) => {
            let mut s = if g.countries.is_empty() {
                "default route".to_string()
            } else {
                truncate(&g.countries.join(", "), MAX_NAME_CHARS)
            };
            match g.failover {
                Some(FailoverRole::Primary) => s.push_str(", primary"),
                Some(FailoverRole::Standby) => s.push_str(", standby"),
                None => {}
            }
            s
        }
        EdgeSpec::Observes(_) => "observes".into(),
        EdgeSpec::DependsOn(_) => "depends on".into(),
    };
    let mut label = sanitize_label(&meaning);
    let own = edge.label.trim();
    if !own.is_empty() {
        label.push_str(" · ");
        label.push_str(&sanitize_label(&truncate(own, MAX_NAME_CHARS)));
    }
    label
}

#[cfg(test)]
mod tests;
