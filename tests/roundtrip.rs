//! Property tests: any generated design survives the design file and the share link unchanged,
//! and malformed files are refused with the JSON path of the problem.

use infracanvas::model::{self as m, *};
use infracanvas::share;
use proptest::prelude::*;
use proptest::strategy::Strategy;

/// Names of any Unicode, with the characters that break naive exporters well represented.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,24}",
        "[a-zA-Zа-яА-ЯёЁ0-9 _.\\-]{1,20}",
        Just("\"quoted\" name".to_string()),
        Just("line\nbreak; #1 [x] {y}".to_string()),
        Just("Сосисочная".to_string()),
        Just("\u{202e}rtl\u{200f}".to_string()),
    ]
}

fn id() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9_.-]{1,12}"
}

#[derive(Debug, Clone)]
struct NodeSeed {
    kind: usize,
    name: String,
    parent: Option<prop::sample::Index>,
    number: u32,
    flag: bool,
    text: String,
    rect: (i32, i32, i32, i32),
}

fn node_seed() -> impl Strategy<Value = NodeSeed> {
    (
        0..Kind::ALL.len(),
        name(),
        proptest::option::of(any::<prop::sample::Index>()),
        0u32..20,
        any::<bool>(),
        name(),
        (-5000i32..5000, -5000i32..5000, 1i32..2000, 1i32..2000),
    )
        .prop_map(|(kind, name, parent, number, flag, text, rect)| NodeSeed {
            kind,
            name,
            parent,
            number,
            flag,
            text,
            rect,
        })
}

/// Sets the properties that matter for each kind from the seed's values.
fn spec_for(kind: Kind, s: &NodeSeed) -> NodeSpec {
    let mut spec = NodeSpec::default_for(kind);
    match &mut spec {
        NodeSpec::Workload(w) => {
            w.image = s.text.clone();
            w.tag = format!("{}.0", s.number);
            w.replicas = s.number;
            w.ports = vec![Port {
                name: "http".into(),
                port: 8000 + s.number as u16,
                protocol: Protocol::Grpc,
            }];
            w.env = vec![
                EnvVar {
                    name: "PLAIN".into(),
                    value: EnvValue::Plain(s.text.clone()),
                },
                EnvVar {
                    name: "TOKEN".into(),
                    value: EnvValue::Secret {
                        store: "vault".into(),
                        key: s.name.clone(),
                    },
                },
            ];
            w.strategy = if s.flag {
                m::Strategy::Canary {
                    step_weight: 10,
                    max_weight: 50,
                }
            } else {
                m::Strategy::AbTesting {
                    flags: vec![s.text.clone()],
                    headers: vec![m::HeaderMatch {
                        header: s.text.clone(),
                        value: s.text.clone(),
                    }],
                }
            };
            w.autoscaling = s.flag.then_some(Autoscaling {
                min: 1,
                max: s.number + 1,
                target_cpu: 70,
            });
            w.liveness = Some(Probe {
                path: "/h".into(),
                port: 1,
            });
            w.exposure = if s.flag {
                Exposure::External
            } else {
                Exposure::Internal
            };
            w.overrides.insert(
                "prod".into(),
                WorkloadOverride {
                    replicas: Some(s.number + 2),
                    tag: Some(s.text.clone()),
                    ..Default::default()
                },
            );
        }
        NodeSpec::Database(p) => {
            p.engine = DatabaseEngine::Mongodb;
            p.personal_data = s.flag;
            p.jurisdiction = s.text.clone();
            p.replicas = s.number;
            p.managed = !s.flag;
        }
        NodeSpec::Region(r) => {
            r.code = s.text.clone();
            r.jurisdiction = "EU".into();
        }
        NodeSpec::KubernetesCluster(c) => {
            c.zones = vec!["a".into(), s.text.clone()];
            c.network_policies = s.flag;
        }
        NodeSpec::UserGroup(u) => {
            u.country = "RU".into();
            u.personal_data = s.flag;
        }
        NodeSpec::LoadBalancer(l) => {
            l.layer = Layer::L4;
            l.tls = s.flag;
        }
        NodeSpec::Monitoring(p) | NodeSpec::SecretStore(p) => p.product = s.text.clone(),
        _ => {}
    }
    spec
}

fn edge_spec(kind: usize, n: u32, text: &str) -> EdgeSpec {
    match kind % 5 {
        0 => EdgeSpec::Traffic(TrafficProps {
            protocol: Protocol::Https,
            port: Some(n as u16),
        }),
        1 => EdgeSpec::Replication(ReplicationProps {
            mode: ReplicationMode::Async,
            rpo_minutes: Some(n),
        }),
        2 => EdgeSpec::GeoRoute(GeoRouteProps {
            countries: vec![text.to_string()],
            failover: Some(FailoverRole::Standby),
        }),
        3 => EdgeSpec::Access(AccessProps {
            mode: AccessMode::Read,
        }),
        _ => EdgeSpec::DependsOn(NoProps {}),
    }
}

prop_compose! {
    fn design()(
        name in name(),
        description in name(),
        seeds in prop::collection::vec(node_seed(), 0..40),
        edges in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0usize..5, 0u32..100, name()), 0..40),
        rpo in proptest::option::of(1u32..1000),
        slo in proptest::option::of(90.0f64..100.0),
        env_ids in prop::collection::btree_set(id(), 0..4),
    ) -> Design {
        let mut d = Design::new(name);
        d.description = description;
        d.objectives = Objectives { rpo_minutes: rpo, rto_minutes: rpo.map(|r| r * 4), slo_percent: slo, throughput_per_minute: rpo.map(|r| r * 100) };
        d.environments = env_ids.into_iter().enumerate()
            .map(|(i, id)| Environment { name: format!("Env {id}"), id, production: i == 0 })
            .collect();
        for (i, s) in seeds.iter().enumerate() {
            let kind = Kind::ALL[s.kind];
            let mut node = Node::new(format!("n{i}"), s.name.clone(), spec_for(kind, s));
            // Parents only point backwards, so containment is always a tree.
            node.parent = s.parent.filter(|_| i > 0).map(|p| format!("n{}", p.index(i)));
            node.description = s.text.clone();
            d.layout.insert(node.id.clone(), Rect(s.rect.0, s.rect.1, s.rect.2, s.rect.3));
            d.nodes.push(node);
        }
        if !d.nodes.is_empty() {
            for (i, (a, b, kind, n, text)) in edges.into_iter().enumerate() {
                let from = d.nodes[a.index(d.nodes.len())].id.clone();
                let to = d.nodes[b.index(d.nodes.len())].id.clone();
                let mut e = Edge::new(format!("e{i}"), from, to, edge_spec(kind, n, &text));
                e.label = text;
                d.edges.push(e);
            }
        }
        d
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn design_file_round_trip_is_exact(d in design()) {
        let pretty = to_json_pretty(&d);
        prop_assert_eq!(&load_design(&pretty).unwrap(), &d);
        prop_assert_eq!(&load_design(&to_json_compact(&d)).unwrap(), &d);
    }

    #[test]
    fn share_link_round_trip_is_exact(d in design()) {
        let link = share::link("https://example.test/", &d);
        prop_assert_eq!(share::decode(&link).unwrap(), d);
    }

    #[test]
    fn any_bytes_give_a_result_not_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        // The page's loader accepts exactly what the full one accepts.
        prop_assert_eq!(load_design_bytes(&bytes).ok(), load_design_brief(&bytes).ok());
        let text = String::from_utf8_lossy(&bytes);
        let _ = share::decode(&text);
        prop_assert_eq!(share::decode(&text).ok(), share::decode_brief(&text).ok());
    }

    #[test]
    fn reindented_compact_json_is_the_pretty_design_file(d in design()) {
        prop_assert_eq!(reindent(&to_json_compact(&d)), to_json_pretty(&d));
    }

    #[test]
    fn the_brief_loader_agrees_on_generated_designs(d in design()) {
        let text = to_json_compact(&d);
        prop_assert_eq!(load_design_brief(text.as_bytes()).unwrap(), load_design(&text).unwrap());
    }

    #[test]
    fn any_mutation_of_a_link_is_refused_or_decodes(d in design(), at in any::<prop::sample::Index>(), c in "[A-Za-z0-9_-]") {
        let payload = share::encode(&d);
        let i = 2 + at.index(payload.len() - 2);
        let mut bytes = payload.into_bytes();
        bytes[i] = c.as_bytes()[0];
        let _ = share::decode(std::str::from_utf8(&bytes).unwrap());
    }
}

fn invalid_path(text: &str) -> String {
    match load_design(text) {
        Err(LoadError::Invalid { path, .. }) => path,
        other => panic!("expected an invalid-design error, got {other:?}"),
    }
}

#[test]
fn the_brief_loader_refuses_the_same_files_saying_where_by_line_and_column() {
    let cases = [
        (
            r#"{"version":1,"name":"x","nodes":[{"id":"a","name":"A","kind":"workload","props":{"replicas":"three"}}]}"#,
            "props: invalid type: string \"three\", expected u32 at line 1 column",
        ),
        (
            r#"{"version":1,"name":"x","nodes":[{"id":"a","name":"A","kind":"spaceship"}]}"#,
            "kind: unknown node kind `spaceship` at line 1 column",
        ),
        (
            r#"{"version":1,"name":"x","surprise":1}"#,
            "unknown field `surprise`",
        ),
        (
            r#"{"version":1,"name":"x","waivers":[{"rule":"IC-RES-001","targets":["a"],"reason":" "}]}"#,
            "waivers[0].reason: a waiver needs a reason",
        ),
        (
            r#"{"version":1,"name":"x","nodes":[{"id":"a b","name":"A","kind":"region"}]}"#,
            "nodes[0].id: ids are",
        ),
    ];
    for (text, expected) in cases {
        assert!(load_design(text).is_err(), "{text}");
        let brief = load_design_brief(text.as_bytes()).unwrap_err().to_string();
        assert!(brief.contains(expected), "{text}: {brief}");
    }
    let long = format!(
        r#"{{"version":1,"name":"x","nodes":[{{"id":"a","name":"A","kind":"region","description":"{}"}}]}}"#,
        "x".repeat(limits::MAX_TEXT_CHARS + 1)
    );
    let brief = load_design_brief(long.as_bytes()).unwrap_err().to_string();
    assert!(
        brief.contains("characters; the limit is 10000 at line 1 column"),
        "{brief}"
    );
}

#[test]
fn errors_name_the_json_path() {
    let base = r#"{"version":1,"name":"x","nodes":[{"id":"a","name":"A","kind":"workload","props":{"replicas":"three"}}]}"#;
    assert_eq!(invalid_path(base), "nodes[0].props.replicas");
    let unknown_kind =
        r#"{"version":1,"name":"x","nodes":[{"id":"a","name":"A","kind":"spaceship"}]}"#;
    assert_eq!(invalid_path(unknown_kind), "nodes[0].kind");
    let unknown_field = r#"{"version":1,"name":"x","nodes":[{"id":"a","name":"A","kind":"database","props":{"enigne":"mysql"}}]}"#;
    assert_eq!(invalid_path(unknown_field), "nodes[0].props.enigne");
    let bad_edge = r#"{"version":1,"name":"x","edges":[{"id":"e","from":"a","to":"b","kind":"replication","props":{"mode":"sometimes"}}]}"#;
    assert_eq!(invalid_path(bad_edge), "edges[0].props.mode");
    let bad_env = r#"{"version":1,"name":"x","nodes":[{"id":"a","name":"A","kind":"workload","props":{"env":[{"name":"A","value":{"literal":"x"}}]}}]}"#;
    assert!(invalid_path(bad_env).starts_with("nodes[0].props.env[0]"));
}

#[test]
fn structural_invariants_are_enforced_at_load() {
    let dup = r#"{"version":1,"name":"x","nodes":[{"id":"a","name":"A","kind":"provider"},{"id":"a","name":"B","kind":"provider"}]}"#;
    assert_eq!(invalid_path(dup), "nodes[1].id");
    let cycle = r#"{"version":1,"name":"x","nodes":[{"id":"a","name":"A","kind":"region","parent":"b"},{"id":"b","name":"B","kind":"region","parent":"a"}]}"#;
    assert_eq!(invalid_path(cycle), "nodes[0].parent");
    let self_parent =
        r#"{"version":1,"name":"x","nodes":[{"id":"a","name":"A","kind":"region","parent":"a"}]}"#;
    assert_eq!(invalid_path(self_parent), "nodes[0].parent");
    let bad_id = r#"{"version":1,"name":"x","nodes":[{"id":"a b","name":"A","kind":"region"}]}"#;
    assert_eq!(invalid_path(bad_id), "nodes[0].id");
    let long_name = format!(
        r#"{{"version":1,"name":"{}"}}"#,
        "x".repeat(limits::MAX_TEXT_CHARS + 1)
    );
    assert_eq!(invalid_path(&long_name), "name");
    // A chain deeper than the limit.
    let mut nodes = Vec::new();
    for i in 0..=limits::MAX_DEPTH + 1 {
        let parent = if i == 0 {
            String::new()
        } else {
            format!(r#","parent":"n{}""#, i - 1)
        };
        nodes.push(format!(
            r#"{{"id":"n{i}","name":"N","kind":"region"{parent}}}"#
        ));
    }
    let deep = format!(
        r#"{{"version":1,"name":"x","nodes":[{}]}}"#,
        nodes.join(",")
    );
    assert!(invalid_path(&deep).ends_with(".parent"));
    // A missing parent is not a load error: the rules report it and the node shows at the top.
    let orphan = r#"{"version":1,"name":"x","nodes":[{"id":"a","name":"A","kind":"region","parent":"ghost"}]}"#;
    assert!(load_design(orphan).is_ok());
}

#[test]
fn versions_and_syntax() {
    assert!(matches!(
        load_design("{\"name\":\"x\"}"),
        Err(LoadError::MissingVersion)
    ));
    assert!(matches!(
        load_design("{\"version\":7,\"name\":\"x\"}"),
        Err(LoadError::NewerVersion {
            found: 7,
            supported: FORMAT_VERSION
        })
    ));
    match load_design("{\n \"version\": 1,\n \"name\": \"x\",,\n}") {
        Err(LoadError::Syntax { line, .. }) => assert_eq!(line, 3),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        load_design("[1,2]"),
        Err(LoadError::Invalid { .. })
    ));
    let huge = " ".repeat(limits::MAX_DESIGN_BYTES + 1);
    assert!(matches!(
        load_design(&huge),
        Err(LoadError::TooLarge { .. })
    ));
    let message = load_design("{\"version\":7,\"name\":\"x\"}")
        .unwrap_err()
        .to_string();
    assert!(message.contains("newer Infracanvas"), "{message}");
}

#[test]
fn version_0_files_migrate_forward() {
    let v0 = r#"{"version":0,"name":"Old","nodes":[
        {"id":"p","name":"AWS","type":"provider","props":{"cloud":"aws"},"position":{"x":40,"y":80}},
        {"id":"r","name":"eu","type":"region","parent":"p"}]}"#;
    let d = load_design(v0).unwrap();
    assert_eq!(d.version, FORMAT_VERSION);
    assert_eq!(d.nodes[0].kind(), Kind::Provider);
    assert_eq!(d.nodes[1].kind(), Kind::Region);
    assert_eq!(d.layout["p"], Rect(40, 80, 160, 64));
    assert!(!d.layout.contains_key("r"));
    // The migrated design writes as the current version and reads back the same.
    assert_eq!(load_design(&to_json_pretty(&d)).unwrap(), d);
}

#[test]
fn reindent_matches_the_pretty_writer_on_templates_and_generated_designs() {
    let mut designs: Vec<Design> = infracanvas::templates::TEMPLATES
        .iter()
        .filter_map(|t| infracanvas::templates::template(t.slug))
        .collect();
    designs.push(infracanvas::synth::design_of_size(300));
    let mut odd = Design::new("\"quotes\" \\ \u{1} \u{2028} ёлка </script>");
    odd.objectives.slo_percent = Some(99.95);
    odd.objectives.rpo_minutes = Some(u32::MAX);
    designs.push(odd);
    for d in designs {
        assert_eq!(
            reindent(&to_json_compact(&d)),
            to_json_pretty(&d),
            "{}",
            d.name
        );
    }
    assert_eq!(reindent("not json"), "not json");
}
