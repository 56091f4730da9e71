//! The traffic rules (`traffic.rs`), each shown firing and not firing on the templates, and the
//! NetworkPolicies they become, evaluated as a cluster would (a small evaluator of the policy
//! semantics below: a connection needs an egress allowance at its source and an ingress
//! allowance at its destination, each from a policy selecting the pod, or no policy of that
//! type selecting it). network-config-analyzer does the same on every built overlay in
//! `scripts/check-connectivity.sh`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::plan::{ClusterPlan, DesignPlan};
use super::traffic::{self, Flow, Peer, Reason, ANYWHERE};
use crate::export::test_support::parse_docs;
use crate::model::*;
use crate::templates::{template, TEMPLATES};

fn site_builder() -> Design {
    template("site-builder").expect("the site-builder template")
}

/// The flows of the cluster with node id `cluster`.
fn flows_of(design: &Design, cluster: &str) -> Vec<Flow> {
    let plan = DesignPlan::new(design);
    let idx = plan.g.index_of(cluster).expect("cluster id");
    let (_, name) = plan
        .clusters(Kind::KubernetesCluster)
        .into_iter()
        .find(|(i, _)| *i == idx)
        .expect("a Kubernetes cluster");
    let cp = ClusterPlan::new(&plan, idx, name);
    traffic::flows(&plan, &cp)
}

fn show(p: &Peer) -> String {
    match p {
        Peer::Unit { ns, name } => format!("{ns}/{name}"),
        Peer::Ours(ns) => format!("{ns}/*"),
        Peer::Addon { ns, name, .. } => format!("addon {ns}/{name}"),
        Peer::Cidr(c) => c.clone(),
    }
}

/// Flows as `from -> to port/why` lines, for assertions that print the whole list.
fn lines(flows: &[Flow]) -> Vec<String> {
    flows
        .iter()
        .map(|f| {
            let ports: Vec<String> = f
                .ports
                .iter()
                .map(|(p, t)| format!("{p}/{}", t.as_str()))
                .collect();
            format!(
                "{} -> {} {} ({})",
                show(&f.from),
                show(&f.to),
                ports.join(","),
                f.reason.as_str()
            )
        })
        .collect()
}

fn has(flows: &[Flow], from: &str, to: &str, port: u16, reason: Reason) -> bool {
    flows.iter().any(|f| {
        show(&f.from) == from
            && show(&f.to) == to
            && f.reason == reason
            && f.ports.iter().any(|(p, _)| *p == port)
    })
}

fn between<'f>(flows: &'f [Flow], from: &str, to: &str) -> Vec<&'f Flow> {
    flows
        .iter()
        .filter(|f| show(&f.from) == from && show(&f.to) == to)
        .collect()
}

fn drop_edges(design: &mut Design, from: &str, to: &str) {
    let before = design.edges.len();
    design.edges.retain(|e| !(e.from == from && e.to == to));
    assert!(design.edges.len() < before, "no edge {from} -> {to}");
}

#[test]
fn mesh_hop_becomes_traffic_between_the_real_endpoints() {
    let flows = flows_of(&site_builder(), "prod");
    let l = lines(&flows);
    // api → mesh:15001 → postgres:5432 is api → postgres:5432, on the last edge's port.
    for from in ["backend/api-gateway", "backend/auth-service"] {
        assert!(
            has(
                &flows,
                from,
                "database/postgresql",
                5432,
                Reason::ThroughHop
            ),
            "{l:#?}"
        );
        assert!(
            has(
                &flows,
                from,
                "addon monitoring/jaeger",
                4317,
                Reason::ThroughHop
            ),
            "{l:#?}"
        );
        // Not the mesh's own port: the mesh has no pods of ours.
        assert!(
            between(&flows, from, "database/postgresql")
                .iter()
                .all(|f| f.ports == vec![(5432, traffic::Transport::Tcp)]),
            "{l:#?}"
        );
    }
    // Other Services draws no edge into the mesh: it reaches neither.
    assert!(between(&flows, "backend/other-services", "database/postgresql").is_empty());
}

#[test]
fn mesh_hop_without_an_edge_out_of_the_mesh_allows_nothing() {
    let mut design = site_builder();
    drop_edges(&mut design, "mesh", "postgres");
    let flows = flows_of(&design, "prod");
    // Only PostgreSQL's own pods (replication) and its operator reach it.
    let into: Vec<String> = flows
        .iter()
        .filter(|f| show(&f.to) == "database/postgresql")
        .map(|f| show(&f.from))
        .collect();
    assert_eq!(
        into,
        [
            "database/postgresql",
            "addon cnpg-system/cnpg-controller-manager"
        ],
        "{:#?}",
        lines(&flows)
    );
    // The traces still go through.
    assert!(has(
        &flows,
        "backend/api-gateway",
        "addon monitoring/jaeger",
        4317,
        Reason::ThroughHop
    ));
}

#[test]
fn prometheus_scrapes_what_it_observes_and_nothing_else() {
    let design = site_builder();
    // Prometheus runs in prod and observes dev: the dev pods admit the subnet it runs in.
    let dev = flows_of(&design, "dev");
    for u in [
        "backend/api-gateway",
        "backend/auth-service",
        "frontend/frontend-app",
    ] {
        assert!(
            has(&dev, "10.0.16.0/20", u, 8080, Reason::Scrape),
            "{:#?}",
            lines(&dev)
        );
    }
    // A store without an exporter has nothing to scrape.
    assert!(between(&dev, "10.0.16.0/20", "database/postgresql").is_empty());
    // Prod is not observed: no scrape there.
    let prod = flows_of(&design, "prod");
    assert!(prod.iter().all(|f| f.reason != Reason::Scrape));

    // Prometheus observing the prod backend namespace from inside the cluster: its pods (by
    // the chart's label, in its namespace) reach the backend units only.
    let mut inside = design.clone();
    let mut e = inside
        .edges
        .iter()
        .find(|e| e.kind() == EdgeKind::Observes && e.from == "prometheus")
        .cloned()
        .unwrap();
    e.id = "observes-backend".into();
    e.to = "prod-ns-backend".into();
    inside.edges.push(e);
    let prod = flows_of(&inside, "prod");
    let scrapes: Vec<&Flow> = prod.iter().filter(|f| f.reason == Reason::Scrape).collect();
    assert_eq!(scrapes.len(), 3, "{:#?}", lines(&prod));
    for f in &scrapes {
        assert!(
            matches!(&f.from, Peer::Addon { ns, labels, by_labels: true, .. }
                if ns == "monitoring" && labels["app.kubernetes.io/name"] == "prometheus"),
            "{f:?}"
        );
        assert!(show(&f.to).starts_with("backend/"), "{f:?}");
    }

    // A monitoring product that does not scrape (Grafana) opens nothing.
    let mut grafana = design;
    for n in &mut grafana.nodes {
        if n.id == "prometheus" {
            if let NodeSpec::Monitoring(p) = &mut n.spec {
                p.product = "Grafana".into();
            }
        }
    }
    assert!(flows_of(&grafana, "dev")
        .iter()
        .all(|f| f.reason != Reason::Scrape));
}

#[test]
fn ingress_controller_reaches_exposed_workloads_only() {
    let design = site_builder();
    let flows = flows_of(&design, "prod");
    let ctl = "addon ingress/ingress-nginx-controller";
    assert!(has(
        &flows,
        ctl,
        "frontend/frontend-app",
        8080,
        Reason::Exposed
    ));
    assert!(has(&flows, ctl, "backend/api-gateway", 8080, Reason::Drawn));
    // The stores are neither exposed nor drawn behind the controller.
    assert!(between(&flows, ctl, "database/postgresql").is_empty());

    // An internal frontend with no drawn edge from the controller: no way in.
    let mut internal = design;
    for n in &mut internal.nodes {
        if n.id == "prod-frontend" {
            if let NodeSpec::Workload(w) = &mut n.spec {
                w.exposure = Exposure::Internal;
            }
        }
    }
    drop_edges(&mut internal, "prod-ingress", "prod-frontend");
    let flows = flows_of(&internal, "prod");
    assert!(
        flows.iter().all(|f| show(&f.to) != "frontend/frontend-app"),
        "{:#?}",
        lines(&flows)
    );
}

#[test]
fn cloudnative_pg_reaches_itself_and_admits_its_operator() {
    let prod = flows_of(&site_builder(), "prod");
    let l = lines(&prod);
    // PostgreSQL with 2 replicas is a CloudNativePG cluster: its pods, the operator, the API.
    assert!(
        has(
            &prod,
            "database/postgresql",
            "database/postgresql",
            5432,
            Reason::Replication
        ),
        "{l:#?}"
    );
    assert!(has(
        &prod,
        "addon cnpg-system/cnpg-controller-manager",
        "database/postgresql",
        8000,
        Reason::Operator
    ));
    assert!(has(
        &prod,
        "database/postgresql",
        ANYWHERE,
        6443,
        Reason::Operator
    ));
    // Redis runs one pod: no traffic to itself, no operator.
    assert!(
        between(&prod, "database/redis", "database/redis").is_empty(),
        "{l:#?}"
    );
    assert!(prod
        .iter()
        .all(|f| show(&f.to) != "database/redis" || f.reason == Reason::Drawn));
    // Staging's PostgreSQL has one replica beyond its primary: a two-instance cluster too.
    let staging = flows_of(&site_builder(), "staging");
    assert!(staging.iter().any(|f| f.reason == Reason::Replication));
    // Dev's has none: one pod, no replication, no operator.
    assert!(flows_of(&site_builder(), "dev")
        .iter()
        .all(|f| !matches!(f.reason, Reason::Replication | Reason::Operator)));
}

#[test]
fn flagger_rollouts_admit_the_load_tester_and_meshed_ones_flaggers_prometheus() {
    let design = crate::export::sample::design();
    let flows = flows_of(&design, "k8s");
    let l = lines(&flows);
    // Staff API: an A/B test in a meshed namespace.
    let api = "sotrudniki/staff-api";
    assert!(
        has(
            &flows,
            "addon flagger-loadtester/flagger-loadtester",
            api,
            8080,
            Reason::LoadTest
        ),
        "{l:#?}"
    );
    assert!(
        has(
            &flows,
            "addon flagger-system/flagger-prometheus",
            api,
            15020,
            Reason::Scrape
        ),
        "{l:#?}"
    );
    // Staff web rolls out by Recreate: no load test, no Flagger.
    assert!(flows.iter().all(|f| show(&f.to) != "sotrudniki/staff-web"
        || !matches!(f.reason, Reason::LoadTest | Reason::Scrape)));
    // A canary outside a mesh (furniture's customer app): the load tester, but Flagger reads
    // the ingress controller's metrics there, so no scrape of the pods.
    let furniture = template("furniture-canary").unwrap();
    let s1 = flows_of(&furniture, "s1");
    let app = s1
        .iter()
        .find(|f| f.reason == Reason::LoadTest)
        .map(|f| show(&f.to))
        .expect("a load test");
    assert!(s1.iter().all(|f| !(show(&f.to) == app
        && f.reason == Reason::Scrape
        && show(&f.from).starts_with("addon flagger-system"))));
}

#[test]
fn dns_for_namespaces_with_our_pods_and_mesh_control_for_injected_ones() {
    let prod = flows_of(&site_builder(), "prod");
    let dns: Vec<String> = prod
        .iter()
        .filter(|f| f.reason == Reason::Dns)
        .map(|f| show(&f.from))
        .collect();
    assert_eq!(dns, ["backend/*", "database/*", "frontend/*"]);
    // cert-manager is drawn as a workload, but it is an add-on installed from its chart: its
    // namespace holds no pod of ours, so no policy of ours either.
    // Monitoring, logging and ingress hold only add-ons: no DNS flow of ours there.
    let mesh: Vec<String> = prod
        .iter()
        .filter(|f| f.reason == Reason::MeshControl)
        .map(|f| show(&f.from))
        .collect();
    assert_eq!(mesh, ["backend/*", "frontend/*"]);
    assert!(flows_of(&site_builder(), "dev")
        .iter()
        .all(|f| f.reason != Reason::MeshControl));
}

/// A use path from `a` to `b` in the drawing, through any nodes.
fn drawn_path(g: &DesignGraph<'_>, a: usize, b: usize) -> bool {
    let mut seen = vec![a];
    let mut todo = vec![a];
    while let Some(n) = todo.pop() {
        for (e, t) in g.outgoing(n) {
            let k = g.edge(e).kind();
            if !(matches!(k, EdgeKind::Traffic | EdgeKind::Access | EdgeKind::GeoRoute)) {
                continue;
            }
            if t == b {
                return true;
            }
            if !seen.contains(&t) {
                seen.push(t);
                todo.push(t);
            }
        }
    }
    false
}

#[test]
fn nothing_undrawn_between_our_workloads() {
    for t in TEMPLATES {
        let design = template(t.slug).expect("template");
        let plan = DesignPlan::new(&design);
        for (idx, name) in plan.clusters(Kind::KubernetesCluster) {
            let cp = ClusterPlan::new(&plan, idx, name);
            let node_of = |p: &Peer| match p {
                Peer::Unit { ns, name } => cp
                    .namespaces
                    .iter()
                    .find(|n| &n.name == ns)
                    .and_then(|n| n.units.iter().find(|u| &u.name == name))
                    .map(|u| u.idx),
                _ => None,
            };
            for f in traffic::flows(&plan, &cp) {
                let (Some(a), Some(b)) = (node_of(&f.from), node_of(&f.to)) else {
                    continue;
                };
                match f.reason {
                    Reason::Drawn | Reason::ThroughHop => assert!(
                        drawn_path(&plan.g, a, b),
                        "{}: {} -> {} has no drawn path",
                        t.slug,
                        show(&f.from),
                        show(&f.to)
                    ),
                    Reason::Replication => assert_eq!(a, b),
                    other => panic!("{}: unit to unit for {other:?}", t.slug),
                }
            }
        }
    }
}

// ---------------------------------------------------------------- the policies, evaluated

struct Pod {
    ns: String,
    name: String,
    labels: BTreeMap<String, String>,
}

fn selects(sel: &Value, labels: &BTreeMap<String, String>) -> bool {
    if sel.is_null() {
        return true;
    }
    let by_labels = sel["matchLabels"]
        .as_object()
        .map(|m| {
            m.iter()
                .all(|(k, v)| labels.get(k).map(String::as_str) == v.as_str())
        })
        .unwrap_or(true);
    let by_expr = sel["matchExpressions"]
        .as_array()
        .map(|xs| {
            xs.iter().all(|x| match x["operator"].as_str() {
                Some("Exists") => labels.contains_key(x["key"].as_str().unwrap_or("")),
                other => panic!("operator {other:?} not evaluated here"),
            })
        })
        .unwrap_or(true);
    by_labels && by_expr
}

fn peer_matches(peer: &Value, policy_ns: &str, other: &Pod) -> bool {
    assert!(
        peer["ipBlock"].is_null(),
        "only pod peers are evaluated here"
    );
    let ns_ok = if peer["namespaceSelector"].is_null() {
        other.ns == policy_ns
    } else {
        let ns_labels =
            BTreeMap::from([("kubernetes.io/metadata.name".to_string(), other.ns.clone())]);
        selects(&peer["namespaceSelector"], &ns_labels)
    };
    ns_ok && selects(&peer["podSelector"], &other.labels)
}

fn port_matches(ports: &Value, port: u16) -> bool {
    match ports.as_array() {
        None => true,
        Some(ps) => ps
            .iter()
            .any(|p| p["port"].as_u64() == Some(port.into()) && p["protocol"] == "TCP"),
    }
}

/// Whether `pod`'s side lets the connection pass in direction `way` ("ingress"/"egress").
fn side_allows(policies: &[Value], pod: &Pod, other: &Pod, port: u16, way: &str) -> bool {
    let (kind, peers) = if way == "ingress" {
        ("Ingress", "from")
    } else {
        ("Egress", "to")
    };
    let selecting: Vec<&Value> = policies
        .iter()
        .filter(|p| {
            p["metadata"]["namespace"] == pod.ns.as_str()
                && selects(&p["spec"]["podSelector"], &pod.labels)
                && p["spec"]["policyTypes"]
                    .as_array()
                    .is_some_and(|t| t.iter().any(|t| t == kind))
        })
        .collect();
    selecting.is_empty()
        || selecting.iter().any(|p| {
            let ns = p["metadata"]["namespace"].as_str().unwrap_or("");
            p["spec"][way].as_array().is_some_and(|rules| {
                rules.iter().any(|r| {
                    port_matches(&r["ports"], port)
                        && r[peers].as_array().is_some_and(|ps| {
                            ps.iter()
                                .filter(|peer| peer["ipBlock"].is_null())
                                .any(|peer| peer_matches(peer, ns, other))
                        })
                })
            })
        })
}

/// The pods and policies of a cluster's base, as the overlays apply them.
fn cluster_objects(design: &Design, folder: &str) -> (Vec<Pod>, Vec<Value>) {
    let files = super::export(design);
    let mut pods = Vec::new();
    let mut policies = Vec::new();
    for f in files
        .iter()
        .filter(|f| f.path.starts_with(&format!("{folder}/base/")))
    {
        for d in parse_docs(f) {
            match d["kind"].as_str() {
                Some("Deployment" | "StatefulSet") => pods.push(Pod {
                    ns: d["metadata"]["namespace"].as_str().unwrap().into(),
                    name: d["metadata"]["name"].as_str().unwrap().into(),
                    labels: serde_json::from_value(
                        d["spec"]["template"]["metadata"]["labels"].clone(),
                    )
                    .unwrap(),
                }),
                // A CloudNativePG Cluster's pods carry the labels it passes on.
                Some("Cluster") => pods.push(Pod {
                    ns: d["metadata"]["namespace"].as_str().unwrap().into(),
                    name: d["metadata"]["name"].as_str().unwrap().into(),
                    labels: serde_json::from_value(
                        d["spec"]["inheritedMetadata"]["labels"].clone(),
                    )
                    .unwrap(),
                }),
                Some("NetworkPolicy") => policies.push(d),
                _ => {}
            }
        }
    }
    // The overlays patch no policy: what the base allows, every environment allows.
    for f in files
        .iter()
        .filter(|f| f.path.starts_with(&format!("{folder}/overlays/")))
    {
        assert!(!f.contents.contains("NetworkPolicy"), "{}", f.path);
    }
    (pods, policies)
}

fn allowed(pods: &[Pod], policies: &[Value], from: &str, to: &str, port: u16) -> bool {
    let find = |n: &str| {
        pods.iter()
            .find(|p| format!("{}/{}", p.ns, p.name) == n)
            .unwrap_or_else(|| panic!("no pod {n}"))
    };
    let (a, b) = (find(from), find(to));
    side_allows(policies, a, b, port, "egress") && side_allows(policies, b, a, port, "ingress")
}

#[test]
fn site_builder_prod_overlay_allows_the_backend_to_reach_postgresql() {
    let (pods, policies) = cluster_objects(&site_builder(), "klaster-prodakshn");
    for from in ["backend/api-gateway", "backend/auth-service"] {
        assert!(
            allowed(&pods, &policies, from, "database/postgresql", 5432),
            "{from}"
        );
        // Only on PostgreSQL's port.
        assert!(
            !allowed(&pods, &policies, from, "database/postgresql", 6379),
            "{from}"
        );
    }
    // Nothing undrawn: Other Services and the frontend have no way to the database.
    for from in ["backend/other-services", "frontend/frontend-app"] {
        assert!(
            !allowed(&pods, &policies, from, "database/postgresql", 5432),
            "{from}"
        );
    }
    assert!(allowed(
        &pods,
        &policies,
        "backend/api-gateway",
        "database/redis",
        6379
    ));
    assert!(!allowed(
        &pods,
        &policies,
        "backend/auth-service",
        "database/redis",
        6379
    ));
    // Pods of one replicated store reach each other (streaming replication).
    assert!(allowed(
        &pods,
        &policies,
        "database/postgresql",
        "database/postgresql",
        5432
    ));
    // The database never calls the backend.
    assert!(!allowed(
        &pods,
        &policies,
        "database/postgresql",
        "backend/api-gateway",
        8080
    ));
}

#[test]
fn policies_name_every_peer_and_addresses_only_by_ip_block() {
    for t in TEMPLATES {
        let design = template(t.slug).expect("template");
        for f in super::export(&design)
            .iter()
            .filter(|f| f.path.ends_with("network-policies.yaml"))
        {
            for p in parse_docs(f) {
                for (way, peers) in [("ingress", "from"), ("egress", "to")] {
                    for r in p["spec"][way].as_array().into_iter().flatten() {
                        let list = r[peers].as_array();
                        // An absent or empty peer list would admit every pod and address.
                        assert!(
                            list.is_some_and(|l| !l.is_empty()),
                            "{} {}: {way} rule without {peers}: {r}",
                            t.slug,
                            f.path
                        );
                        for peer in list.into_iter().flatten() {
                            assert!(
                                !peer["ipBlock"].is_null() || !peer["namespaceSelector"].is_null(),
                                "{} {}: {peer}",
                                t.slug,
                                f.path
                            );
                        }
                    }
                }
            }
        }
    }
}
