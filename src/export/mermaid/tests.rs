use std::collections::{BTreeMap, HashMap};

use super::*;
use crate::synth;

/// A hand-made design with one of each edge kind and most shapes, for the golden file.
fn small_design() -> Design {
    let mut d = Design::new("Small shop");
    let mut add = |id: &str, name: &str, parent: Option<&str>, spec: NodeSpec| {
        let mut node = Node::new(id, name, spec);
        node.parent = parent.map(str::to_string);
        d.nodes.push(node);
    };
    add(
        "users",
        "Покупатели",
        None,
        NodeSpec::UserGroup(UserGroupProps {
            country: "RU".into(),
            ..Default::default()
        }),
    );
    add(
        "dns",
        "Route 53",
        None,
        NodeSpec::GeoRouter(GeoRouterProps {
            product: "Route 53".into(),
            policy: RoutingPolicy::Failover,
            health_check: true,
        }),
    );
    add(
        "aws",
        "AWS",
        None,
        NodeSpec::Provider(ProviderProps { cloud: Cloud::Aws }),
    );
    add(
        "eu",
        "Frankfurt",
        Some("aws"),
        NodeSpec::Region(RegionProps {
            code: "eu-central-1".into(),
            jurisdiction: "EU".into(),
        }),
    );
    add(
        "pub",
        "public",
        Some("eu"),
        NodeSpec::Subnet(SubnetProps {
            visibility: Visibility::Public,
            cidr: "10.0.0.0/24".into(),
        }),
    );
    add(
        "alb",
        "ALB",
        Some("pub"),
        NodeSpec::default_for(Kind::LoadBalancer),
    );
    add(
        "vpn1",
        "vpn-eu",
        Some("eu"),
        NodeSpec::VpnGateway(ProductProps {
            product: "OpenVPN".into(),
        }),
    );
    add(
        "priv",
        "private",
        Some("eu"),
        NodeSpec::Subnet(SubnetProps::default()),
    );
    add(
        "eks",
        "shop-eks",
        Some("priv"),
        NodeSpec::KubernetesCluster(ClusterProps {
            environment: "prod".into(),
            ..Default::default()
        }),
    );
    add(
        "ns",
        "shop",
        Some("eks"),
        NodeSpec::default_for(Kind::Namespace),
    );
    add(
        "web",
        "web \"storefront\"",
        Some("ns"),
        NodeSpec::Workload(WorkloadProps {
            replicas: 3,
            ..Default::default()
        }),
    );
    add(
        "orders",
        "orders",
        Some("ns"),
        NodeSpec::Workload(WorkloadProps {
            workload_type: WorkloadType::Stateful,
            ..Default::default()
        }),
    );
    add(
        "db",
        "orders-db",
        Some("priv"),
        NodeSpec::Database(DatabaseProps {
            version: "16".into(),
            ..Default::default()
        }),
    );
    add(
        "reg",
        "registry",
        Some("aws"),
        NodeSpec::default_for(Kind::ContainerRegistry),
    );
    add(
        "prom",
        "Prometheus",
        Some("eu"),
        NodeSpec::Monitoring(ProductProps {
            product: "Prometheus".into(),
        }),
    );
    add(
        "yc",
        "Яндекс",
        None,
        NodeSpec::Provider(ProviderProps {
            cloud: Cloud::Yandex,
        }),
    );
    add(
        "ru",
        "ru-central1",
        Some("yc"),
        NodeSpec::default_for(Kind::Region),
    );
    add(
        "vpn2",
        "vpn-ru",
        Some("ru"),
        NodeSpec::default_for(Kind::VpnGateway),
    );
    add(
        "db2",
        "orders-dr",
        Some("ru"),
        NodeSpec::default_for(Kind::Database),
    );
    add(
        "ad",
        "Active Directory",
        None,
        NodeSpec::default_for(Kind::ExternalSystem),
    );
    let mut edge = |id: &str, from: &str, to: &str, spec: EdgeSpec, label: &str| {
        let mut e = Edge::new(id, from, to, spec);
        e.label = label.into();
        d.edges.push(e);
    };
    edge(
        "e1",
        "users",
        "dns",
        EdgeSpec::Traffic(TrafficProps {
            protocol: Protocol::Https,
            port: Some(443),
        }),
        "",
    );
    edge(
        "e2",
        "dns",
        "alb",
        EdgeSpec::GeoRoute(GeoRouteProps {
            countries: vec!["RU".into(), "BY".into()],
            failover: Some(FailoverRole::Primary),
        }),
        "",
    );
    edge(
        "e3",
        "alb",
        "web",
        EdgeSpec::Traffic(TrafficProps {
            protocol: Protocol::Http,
            port: Some(8080),
        }),
        "",
    );
    edge(
        "e4",
        "web",
        "orders",
        EdgeSpec::Traffic(TrafficProps {
            protocol: Protocol::Grpc,
            port: Some(9090),
        }),
        "checkout",
    );
    edge(
        "e5",
        "orders",
        "db",
        EdgeSpec::Access(AccessProps {
            mode: AccessMode::ReadWrite,
        }),
        "",
    );
    edge(
        "e6",
        "db",
        "db2",
        EdgeSpec::Replication(ReplicationProps {
            mode: ReplicationMode::Async,
            rpo_minutes: Some(15),
        }),
        "",
    );
    edge(
        "e7",
        "vpn1",
        "vpn2",
        EdgeSpec::Vpn(ProductProps {
            product: "OpenVPN".into(),
        }),
        "",
    );
    edge("e8", "prom", "eks", EdgeSpec::Observes(NoProps {}), "");
    edge(
        "e9",
        "orders",
        "ad",
        EdgeSpec::DependsOn(NoProps {}),
        "LDAP",
    );
    edge("e10", "web", "gone", EdgeSpec::DependsOn(NoProps {}), "");
    d
}

const RESERVED: &[&str] = &[
    "end",
    "graph",
    "flowchart",
    "subgraph",
    "style",
    "linkStyle",
    "classDef",
    "class",
    "click",
    "default",
    "call",
    "href",
    "direction",
    "interpolate",
    "accTitle",
    "accDescr",
];

fn is_valid_mermaid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(id))
}

/// What a flowchart says, read back from its text: each node's enclosing subgraph, the
/// subgraphs, the edges (as id pairs) and every quoted label.
#[derive(Default, Debug)]
struct Parsed {
    parent: BTreeMap<String, Option<String>>,
    subgraphs: Vec<String>,
    edges: Vec<(String, String)>,
    labels: Vec<String>,
    /// Containers that have a port node (an edge ends on them).
    ports: Vec<String>,
}

fn parse(text: &str) -> Parsed {
    let mut p = Parsed::default();
    let mut stack: Vec<String> = Vec::new();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("flowchart LR"));
    for line in lines {
        let line = line.trim_start();
        // Labels are the only quoted parts and hold no `"` themselves.
        let quoted: Vec<&str> = line.split('"').collect();
        assert!(
            quoted.len() == 1 || quoted.len() == 3,
            "one quoted label at most: {line}"
        );
        if quoted.len() == 3 {
            p.labels.push(quoted[1].to_string());
        }
        let head = quoted[0];
        if line == "end" {
            stack.pop().expect("balanced subgraphs");
        } else if let Some(rest) = head.strip_prefix("subgraph ") {
            let id = rest.trim_end_matches('[').to_string();
            p.parent.insert(id.clone(), stack.last().cloned());
            p.subgraphs.push(id.clone());
            stack.push(id);
        } else if head.starts_with("classDef ") || head.starts_with("class ") {
        } else if quoted.len() == 3 && quoted[0].contains(' ') {
            let mut words = quoted[0].split(' ');
            // An edge to a container ends at the container's port; compare by the container.
            let unport = |id: &str| id.trim_end_matches("_port").to_string();
            let from = unport(words.next().unwrap());
            let to = unport(quoted[2].trim_start_matches('|').trim());
            p.edges.push((from, to));
        } else {
            let id: String = head
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            assert!(!id.is_empty(), "a node line starts with an id: {line}");
            if let Some(container) = id.strip_suffix("_port") {
                // A port sits directly inside its own container's subgraph.
                assert_eq!(stack.last().map(String::as_str), Some(container), "{line}");
                p.ports.push(container.to_string());
            } else {
                p.parent.insert(id, stack.last().cloned());
            }
        }
    }
    assert!(stack.is_empty(), "every subgraph is closed");
    p
}

fn check_structure(design: &Design) -> (String, Parsed) {
    let text = flowchart(design);
    let parsed = parse(&text);
    let graph = DesignGraph::new(design);
    // One entry per node, nested like the containment tree.
    assert_eq!(parsed.parent.len(), design.nodes.len());
    for i in 0..design.nodes.len() {
        let expected = graph.parent(i).map(node_id);
        assert_eq!(parsed.parent[&node_id(i)], expected, "parent of node {i}");
        if design.nodes[i].kind().is_container() {
            assert!(
                parsed.subgraphs.contains(&node_id(i)),
                "container {i} is a subgraph"
            );
        }
    }
    let drawable: Vec<(String, String)> = (0..design.edges.len())
        .filter_map(|e| graph.edge_ends(e))
        .map(|(a, b)| (node_id(a), node_id(b)))
        .collect();
    assert_eq!(parsed.edges, drawable);
    // Exactly the containers an edge touches have a port, and edges to them end there.
    let mut touched: Vec<String> = (0..design.edges.len())
        .filter_map(|e| graph.edge_ends(e))
        .flat_map(|(a, b)| [a, b])
        .filter(|&i| parsed.subgraphs.contains(&node_id(i)))
        .map(node_id)
        .collect();
    touched.sort();
    touched.dedup();
    let mut ports = parsed.ports.clone();
    ports.sort();
    assert_eq!(ports, touched);
    for id in parsed.parent.keys() {
        assert!(is_valid_mermaid_id(id), "{id}");
    }
    // Every `class` line names only existing ids and valid class names.
    for line in text
        .lines()
        .filter(|l| l.trim_start().starts_with("class "))
    {
        let mut parts = line.split_whitespace().skip(1);
        for id in parts.next().unwrap().split(',') {
            let known = match id.strip_suffix("_port") {
                Some(container) => parsed.ports.iter().any(|p| p == container),
                None => parsed.parent.contains_key(id),
            };
            assert!(known, "{id}");
        }
        assert!(is_valid_mermaid_id(parts.next().unwrap()));
    }
    (text, parsed)
}

#[test]
fn subgraphs_follow_containment_and_edges_with_both_ends_are_drawn() {
    for design in [
        small_design(),
        synth::design_of_size(100),
        synth::design_of_size(300),
        synth::hostile_design(),
    ] {
        check_structure(&design);
    }
}

#[test]
fn ids_do_not_depend_on_model_ids() {
    let (text, parsed) = check_structure(&synth::hostile_design());
    // The hostile design's model ids (`end`, `graph`, `w 7 "x"`…) never reach the output
    // outside of labels.
    for line in text.lines() {
        let outside: String = line.split('"').step_by(2).collect();
        for word in outside.split(|c: char| !c.is_ascii_alphanumeric()) {
            assert!(
                !["graph", "style", "click", "default"].contains(&word),
                "{line}"
            );
        }
    }
    assert!(parsed.subgraphs.len() >= 7);
}

#[test]
fn output_is_deterministic() {
    let d = synth::design_of_size(300);
    assert_eq!(flowchart(&d), flowchart(&d.clone()));
}

#[test]
fn labels_hold_no_raw_awkward_character() {
    let (_, parsed) = check_structure(&synth::hostile_design());
    for label in &parsed.labels {
        let without_br = label.replace("<br/>", "");
        for bad in [
            '"', '<', '>', '`', '[', ']', '{', '}', '(', ')', '|', ':', '%', '$', '\\', '\n', '\r',
            '\t', '\0', '\u{202E}', '\u{200F}', '\u{FB02}', '\u{B6}',
        ] {
            assert!(!without_br.contains(bad), "{bad:?} in {label}");
        }
        // `#` and `;` appear only as parts of entity codes `#name;` / `#123;`.
        let mut rest = without_br.as_str();
        while let Some(at) = rest.find(['#', ';']) {
            assert!(rest[at..].starts_with('#'), "stray `;` in {label}");
            let end = rest[at + 1..].find(';').expect("entity closed") + at + 1;
            let code = &rest[at + 1..end];
            assert!(
                !code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric()),
                "{label}"
            );
            rest = &rest[end + 1..];
        }
        assert!(
            label.chars().count() < 1000,
            "long names are cut: {}",
            label.len()
        );
    }
}

#[test]
fn sanitize_label_escapes_each_awkward_character() {
    let cases: &[(&str, &str)] = &[
        (
            "plain name-1_x.y, ok/!?+*='~^@",
            "plain name-1_x.y, ok/!?+*='~^@",
        ),
        ("Сосисочная", "Сосисочная"),
        ("say \"hi\"", "say #quot;hi#quot;"),
        ("a<b>c", "a#lt;b#gt;c"),
        ("</script>", "#lt;/script#gt;"),
        ("<svg onload=alert(1)>", "#lt;svg onload=alert#40;1#41;#gt;"),
        ("R&D", "R#amp;D"),
        ("#1", "#35;1"),
        ("a;b", "a#59;b"),
        ("a|b", "a#124;b"),
        ("`md`", "#96;md#96;"),
        ("[x]", "#91;x#93;"),
        ("{{ y }}", "#123;#123; y #125;#125;"),
        ("${z}", "#36;#123;z#125;"),
        ("(p)", "#40;p#41;"),
        ("k: v", "k#58; v"),
        ("%%{init}%%", "#37;#37;#123;init#125;#37;#37;"),
        ("C:\\dir", "C#58;#92;dir"),
        ("#quot;", "#35;quot#59;"),
        ("ﬂ°°60¶ß", "#64258;#8288;°°60#182;#8288;ß"),
        ("ﬂ ¶ ß°", "#64258; #182; ß°"),
        ("$$x^2$$ $5", "#36;#8288;#36;x^2#36;#8288;#36; #36;5"),
        (
            "fa:fa-car fab:fa-x a:b",
            "fa#58;#8288;fa-car fab#58;#8288;fa-x a#58;b",
        ),
        ("literal <br/> tag", "literal #lt;br/#gt; tag"),
        ("one\ntwo", "one<br/>two"),
        ("one\r\ntwo\rthree", "one<br/>two<br/>three"),
        ("u\u{2028}v\u{2029}w\u{85}x", "u<br/>v<br/>w<br/>x"),
        ("tab\there", "tab here"),
        ("nul\u{0}bell\u{7}del\u{7f}", "nulbelldel"),
        ("\u{200F}שלום\u{202E}", "#8207;שלום#8238;"),
        ("zero\u{200B}width\u{FEFF}", "zero#8203;width#65279;"),
        ("end", "end"),
        ("", ""),
    ];
    for (input, expected) in cases {
        assert_eq!(sanitize_label(input), *expected, "input {input:?}");
    }
}

#[test]
fn long_and_empty_names() {
    let long: String = "ж".repeat(10_000);
    let cut = truncate(&long, MAX_NAME_CHARS);
    assert_eq!(cut.chars().count(), MAX_NAME_CHARS);
    assert!(cut.ends_with('…'));
    assert_eq!(truncate("short", MAX_NAME_CHARS), "short");
    assert_eq!(
        truncate(&"x".repeat(MAX_NAME_CHARS), MAX_NAME_CHARS),
        "x".repeat(MAX_NAME_CHARS)
    );
    assert_eq!(shown_name("  \t ", Kind::Cache), "Cache");
    assert_eq!(shown_name("\u{0}", Kind::Database), "Database");
}

#[test]
fn shapes_and_edge_labels() {
    let text = flowchart(&small_design());
    for expected in [
        "n0([\"Покупатели<br/>Users, RU\"])",
        "n1{\"Route 53<br/>failover routing\"}",
        "subgraph n2[\"AWS\"]",
        "subgraph n4[\"public · subnet 10.0.0.0/24\"]",
        "n5{{\"ALB<br/>L7 load balancer\"}}",
        "n10[\"web #quot;storefront#quot;<br/>Service ×3\"]",
        "n11[[\"orders<br/>Stateful set ×1\"]]",
        "n12[(\"orders-db<br/>PostgreSQL 16\")]",
        "n13[/\"registry<br/>Container registry\"\\]",
        "n14(\"Prometheus<br/>Monitoring\")",
        "n19>\"Active Directory<br/>External system\"]",
        "n0 -->|\"HTTPS 443\"| n1",
        "n1 -->|\"RU, BY, primary\"| n5",
        "n10 -->|\"gRPC 9090 · checkout\"| n11",
        "n11 -->|\"reads/writes\"| n12",
        "n12 ==>|\"async, RPO 15 min\"| n18",
        "n6 <-.->|\"VPN, OpenVPN\"| n17",
        "n14 -.->|\"observes\"| n8",
        "n11 -.->|\"depends on · LDAP\"| n19",
        "class n0,n19 icExternal",
    ] {
        assert!(text.contains(expected), "missing {expected}\n{text}");
    }
}

#[test]
fn golden_small_design() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/mermaid_small.mmd");
    let text = flowchart(&small_design());
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let golden = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    assert_eq!(
        text, golden,
        "flowchart changed; review and run with UPDATE_GOLDEN=1"
    );
}

#[test]
fn parent_cycles_and_missing_parents_do_not_lose_nodes() {
    let mut d = Design::new("cycle");
    let mut a = Node::new("a", "A", NodeSpec::default_for(Kind::Region));
    a.parent = Some("b".into());
    let mut b = Node::new("b", "B", NodeSpec::default_for(Kind::Zone));
    b.parent = Some("a".into());
    let mut c = Node::new("c", "C", NodeSpec::default_for(Kind::Cache));
    c.parent = Some("nowhere".into());
    d.nodes = vec![a, b, c];
    let text = flowchart(&d);
    let parsed = parse(&text);
    assert_eq!(parsed.parent.len(), 3);
    let count: HashMap<&str, usize> = text
        .lines()
        .map(str::trim_start)
        .filter_map(|l| l.split(['[', '(', '{']).next())
        .fold(HashMap::new(), |mut m, id| {
            *m.entry(id).or_default() += 1;
            m
        });
    for id in ["subgraph n0", "subgraph n1", "n2"] {
        assert_eq!(count.get(id), Some(&1), "{id} once\n{text}");
    }
}

#[test]
fn subgraph_titles_stay_on_one_line() {
    let text = flowchart(&synth::hostile_design());
    let titles: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("subgraph "))
        .collect();
    assert!(
        titles
            .iter()
            .any(|l| l.contains("line one line two line three · zone")),
        "{titles:?}"
    );
    assert!(titles.iter().all(|l| !l.contains("<br/>")), "{titles:?}");
}

#[test]
fn empty_design() {
    assert_eq!(flowchart(&Design::new("empty")), "flowchart LR\n");
}
