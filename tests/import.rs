//! The importers on the shapes teams have (fixtures under `tests/fixtures/import/`, written for
//! these tests) and on the exporters' own output: export → import → export gives the same
//! Kubernetes and Compose files for every template, but for the differences listed here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use infracanvas::export::{self, ExportFile};
use infracanvas::import::{self, Imported, NoteKind, Source};
use infracanvas::model::*;
use infracanvas::templates;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

/// The files under a fixture path (a file, or a folder read recursively), in path order.
fn fixture(rel: &str) -> Vec<Source> {
    fn walk(path: &Path, out: &mut Vec<Source>) {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            entries.sort();
            for e in entries {
                walk(&e, out);
            }
        } else {
            let text = std::fs::read_to_string(path).unwrap();
            out.push(Source::new(path.to_string_lossy(), text));
        }
    }
    let mut out = Vec::new();
    walk(&fixtures().join(rel), &mut out);
    out
}

fn node<'a>(d: &'a Design, name: &str) -> &'a Node {
    d.nodes
        .iter()
        .find(|n| n.name == name)
        .unwrap_or_else(|| panic!("no node `{name}`"))
}

fn workload<'a>(d: &'a Design, name: &str) -> &'a WorkloadProps {
    node(d, name).spec.workload().unwrap()
}

/// Links as (from name, to name, edge kind).
fn links(d: &Design) -> BTreeSet<(String, String, EdgeKind)> {
    d.edges
        .iter()
        .map(|e| {
            (
                d.node(&e.from).unwrap().name.clone(),
                d.node(&e.to).unwrap().name.clone(),
                e.kind(),
            )
        })
        .collect()
}

fn link(from: &str, to: &str, kind: EdgeKind) -> (String, String, EdgeKind) {
    (from.into(), to.into(), kind)
}

/// The design file and the report together: where a secret value could leak.
fn everything_written(out: &Imported) -> String {
    let mut text = to_json_pretty(&out.design);
    text.push_str(&import::report::human(&out.notes));
    text.push_str(&import::report::json(&out.notes));
    text.push_str(&import::report::sarif(&out.notes));
    text
}

/// The imported design must load as a design file and come out of Tidy with a layout.
fn assert_loads(out: &Imported) {
    let json = to_json_pretty(&out.design);
    let loaded = load_design(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.nodes.len(), out.design.nodes.len());
    assert!(out
        .design
        .nodes
        .iter()
        .all(|n| out.design.layout.contains_key(&n.id)));
}

#[test]
fn demo_shop_imports_every_service_to_service_link() {
    let out = import::kubernetes::import(&fixture("k8s/demo-shop"), "shop-cluster").unwrap();
    let d = &out.design;
    use EdgeKind::{Access, Traffic};
    let expected: BTreeSet<_> = [
        ("frontend", "catalog", Traffic),
        ("frontend", "currency", Traffic),
        ("frontend", "cart", Traffic),
        ("frontend", "recommendation", Traffic),
        ("frontend", "shipping", Traffic),
        ("frontend", "checkout", Traffic),
        ("frontend", "ads", Traffic),
        ("frontend", "reviews", Traffic),
        ("checkout", "catalog", Traffic),
        ("checkout", "shipping", Traffic),
        ("checkout", "payment", Traffic),
        ("checkout", "email", Traffic),
        ("checkout", "currency", Traffic),
        ("checkout", "cart", Traffic),
        ("recommendation", "catalog", Traffic),
        ("loadgenerator", "frontend", Traffic),
        ("cart", "redis-cart", Access),
        ("reviews", "reviews-db", Access),
    ]
    .into_iter()
    .map(|(a, b, k)| link(a, b, k))
    .collect();
    assert_eq!(links(d), expected);
    // gRPC from the Service port names; the port the client dials (email's Service: 5000).
    let email = d
        .edges
        .iter()
        .find(|e| d.node(&e.to).unwrap().name == "email")
        .unwrap();
    assert_eq!(
        email.spec,
        EdgeSpec::Traffic(TrafficProps {
            protocol: Protocol::Grpc,
            port: Some(5000)
        })
    );
    assert!(
        out.notes.iter().all(|n| n.kind != NoteKind::Unresolved),
        "{:?}",
        out.notes
    );
    assert_loads(&out);
}

#[test]
fn demo_shop_kinds_containment_and_exposure() {
    let out = import::kubernetes::import(&fixture("k8s/demo-shop"), "shop-cluster").unwrap();
    let d = &out.design;
    let workloads = d
        .nodes
        .iter()
        .filter(|n| n.kind() == Kind::Workload)
        .count();
    assert_eq!(workloads, 12);
    let NodeSpec::Cache(redis) = &node(d, "redis-cart").spec else {
        panic!("redis-cart is {:?}", node(d, "redis-cart").kind())
    };
    assert_eq!(
        (redis.engine, redis.version.as_str(), redis.managed),
        (CacheEngine::Redis, "7.2", false)
    );
    let NodeSpec::Database(db) = &node(d, "reviews-db").spec else {
        panic!()
    };
    assert_eq!(
        (db.engine, db.version.as_str()),
        (DatabaseEngine::Postgresql, "16.4")
    );
    let frontend = workload(d, "frontend");
    assert_eq!(frontend.exposure, Exposure::External);
    assert_eq!(
        (
            frontend.image.as_str(),
            frontend.tag.as_str(),
            frontend.replicas
        ),
        ("ghcr.io/example-shop/frontend", "2.4.1", 3)
    );
    assert_eq!(
        frontend.readiness,
        Some(Probe {
            path: "/_healthz".into(),
            port: 8080
        })
    );
    assert_eq!(frontend.resources.memory_limit, "128Mi");
    assert_eq!(workload(d, "cart").exposure, Exposure::Internal);
    assert_eq!(workload(d, "cart").ports[0].protocol, Protocol::Grpc);
    // Namespace in the cluster, everything of the shop in the namespace.
    let ns = node(d, "shop");
    assert_eq!(ns.kind(), Kind::Namespace);
    assert_eq!(
        d.node(ns.parent.as_deref().unwrap()).unwrap().kind(),
        Kind::KubernetesCluster
    );
    assert_eq!(node(d, "cart").parent.as_deref(), Some(ns.id.as_str()));
    // The Secret the payment service reads is a secret store reference.
    let payment = workload(d, "payment");
    let store = node(d, "payment-keys");
    assert_eq!(store.kind(), Kind::SecretStore);
    assert!(payment.env.iter().any(|v| v.value
        == EnvValue::Secret {
            store: store.id.clone(),
            key: "stripe".into()
        }));
}

#[test]
fn no_secret_value_survives_a_kubernetes_import() {
    for rel in ["k8s/demo-shop", "k8s/payments-list.yaml"] {
        let out = import::kubernetes::import(&fixture(rel), "c").unwrap();
        let text = everything_written(&out);
        for secret in [
            "shop-db-super-secret",
            "c2hvcC1kYi1zdXBlci1zZWNyZXQ=",
            "sk_live_demo_shop_do_not_leak",
            "pa55-in-a-configmap",
        ] {
            assert!(
                !text.contains(secret),
                "{rel}: `{secret}` reached the output"
            );
        }
        assert!(
            out.notes.iter().any(|n| n.kind == NoteKind::SecretDropped),
            "{rel}"
        );
    }
}

#[test]
fn a_kubectl_list_gives_autoscaling_canary_ingress_and_policy_links() {
    let out = import::kubernetes::import(&fixture("k8s/payments-list.yaml"), "c").unwrap();
    let d = &out.design;
    let api = workload(d, "payments-api");
    assert_eq!(api.image, "registry.example.com:5000/acme/payments-api");
    assert_eq!(
        api.autoscaling,
        Some(Autoscaling {
            min: 2,
            max: 10,
            target_cpu: 70
        })
    );
    assert_eq!(
        api.strategy,
        Strategy::Canary {
            step_weight: 10,
            max_weight: 40
        }
    );
    assert_eq!(
        (
            api.analysis.interval_minutes,
            api.analysis.threshold,
            api.analysis.max_latency_ms
        ),
        (2, 3, 300)
    );
    assert_eq!(
        (api.exposure, api.host.as_str()),
        (Exposure::External, "pay.example.com")
    );
    assert_eq!(api.ports[0].protocol, Protocol::Https);
    assert_eq!(
        api.liveness,
        Some(Probe {
            path: "/livez".into(),
            port: 8443
        })
    );
    // The ConfigMap read through envFrom: plain values kept, the password only as a reference.
    assert!(api
        .env
        .iter()
        .any(|v| v.name == "LOG_LEVEL" && v.value == EnvValue::Plain("info".into())));
    assert!(api
        .env
        .iter()
        .any(|v| v.name == "DB_PASSWORD" && matches!(v.value, EnvValue::Secret { .. })));
    assert_eq!(workload(d, "ledger-worker").strategy, Strategy::Recreate);
    let NodeSpec::Queue(kafka) = &node(d, "kafka").spec else {
        panic!()
    };
    assert_eq!(
        (kafka.engine, kafka.version.as_str(), kafka.replicas),
        (QueueEngine::Kafka, "3.7.1", 2)
    );
    let NodeSpec::IngressController(ctl) = &node(d, "traefik ingress").spec else {
        panic!()
    };
    assert_eq!((ctl.class.as_str(), ctl.tls), ("traefik", true));
    use EdgeKind::{Access, Traffic};
    let expected: BTreeSet<_> = [
        ("traefik ingress", "payments-api", Traffic),
        ("ledger-worker", "payments-api", Traffic),
        ("payments-api", "kafka", Access),
        ("ledger-worker", "kafka", Access),
    ]
    .into_iter()
    .map(|(a, b, k)| link(a, b, k))
    .collect();
    assert_eq!(links(d), expected);
    // What was not mapped, with the line of the object.
    let has = |kind: NoteKind, words: &str, line: usize| {
        out.notes
            .iter()
            .any(|n| n.kind == kind && n.message.contains(words) && n.line == line)
    };
    assert!(
        has(NoteKind::Unresolved, "`mainframe-gw`", 45),
        "{:#?}",
        out.notes
    );
    assert!(
        has(NoteKind::NotMapped, "envoy-sidecar", 9),
        "{:#?}",
        out.notes
    );
    assert!(out
        .notes
        .iter()
        .any(|n| n.object == "ServiceAccount payments/payments-api" && n.line == 162));
    assert_loads(&out);
}

#[test]
fn compose_project_kinds_links_exposure_and_no_secret() {
    // As `docker compose` reads them: the base file, then the override.
    let mut sources = fixture("compose/webshop/compose.yaml");
    sources.extend(fixture("compose/webshop/compose.override.yaml"));
    let out = import::compose::import(&sources, "fallback").unwrap();
    let d = &out.design;
    assert_eq!(d.name, "webshop");
    let cluster = node(d, "webshop");
    assert_eq!(cluster.kind(), Kind::SwarmCluster);
    let NodeSpec::LoadBalancer(web) = &node(d, "web").spec else {
        panic!()
    };
    assert_eq!(
        (web.product.as_str(), web.public, web.tls),
        ("nginx", true, true)
    );
    let NodeSpec::Database(db) = &node(d, "db").spec else {
        panic!()
    };
    assert_eq!(
        (db.engine, db.version.as_str(), db.managed),
        (DatabaseEngine::Postgresql, "16", false)
    );
    let NodeSpec::Cache(cache) = &node(d, "cache").spec else {
        panic!()
    };
    assert_eq!(cache.version, "7.4");
    let NodeSpec::Queue(queue) = &node(d, "queue").spec else {
        panic!()
    };
    // Published on 127.0.0.1 only: not public.
    assert_eq!((queue.engine, queue.public), (QueueEngine::Rabbitmq, false));
    let app = workload(d, "app");
    // compose.override.yaml wins over compose.yaml.
    assert_eq!(app.replicas, 3);
    assert_eq!(
        (app.image.as_str(), app.tag.as_str()),
        ("registry.example.com/webshop/app", "2.3.0")
    );
    assert_eq!(
        app.readiness,
        Some(Probe {
            path: "/healthz".into(),
            port: 8000
        })
    );
    assert_eq!(app.resources.cpu_limit, "750m");
    assert_eq!(app.resources.memory_request, "256Mi");
    assert_eq!(app.exposure, Exposure::Internal);
    assert_eq!(workload(d, "adminer").exposure, Exposure::External);
    assert_eq!(workload(d, "mailhog").exposure, Exposure::External);
    use EdgeKind::{Access, Traffic};
    let expected: BTreeSet<_> = [
        ("web", "app", Traffic),
        ("app", "db", Access),
        ("app", "cache", Access),
        ("worker", "queue", Access),
        ("worker", "db", Access),
        ("adminer", "db", Access),
    ]
    .into_iter()
    .map(|(a, b, k)| link(a, b, k))
    .collect();
    assert_eq!(links(d), expected);
    let text = everything_written(&out);
    for secret in [
        "url-pass-9f8e7d",
        "django-insecure",
        "mail-pass-5c4b3a",
        "pg-pass-1a2b3c",
        "rabbit-pass-7d6c",
    ] {
        assert!(!text.contains(secret), "`{secret}` reached the output");
    }
    let store = node(d, "secrets");
    assert!(app.env.iter().any(|v| v.name == "SECRET_KEY"
        && v.value
            == EnvValue::Secret {
                store: store.id.clone(),
                key: "app-secret-key".into()
            }));
    // The report: secrets dropped and an unresolved name, with the service's line.
    let line_of_app = 23;
    assert!(out.notes.iter().any(|n| n.kind == NoteKind::SecretDropped
        && n.message.starts_with("SECRET_KEY")
        && n.line == line_of_app));
    assert!(out
        .notes
        .iter()
        .any(|n| n.kind == NoteKind::Unresolved && n.message.contains("`search`")));
    assert!(out
        .notes
        .iter()
        .any(|n| n.message.contains("profile(s) debug") && n.line == 90));
    assert_loads(&out);
}

#[test]
fn terraform_module_and_state_map_into_provider_region_zone_subnet() {
    let out = import::terraform::import(&fixture("terraform/eks-rds"), "eks-rds").unwrap();
    let d = &out.design;
    let region = node(d, "eu-west-1");
    assert_eq!(
        d.node(region.parent.as_deref().unwrap()).unwrap().spec,
        NodeSpec::Provider(ProviderProps { cloud: Cloud::Aws })
    );
    let cluster = node(d, "main");
    assert_eq!(
        cluster.spec,
        NodeSpec::KubernetesCluster(ClusterProps {
            version: "1.30".into(),
            ..Default::default()
        })
    );
    let subnet = node(d, "private-a");
    assert_eq!(
        d.node(subnet.parent.as_deref().unwrap()).unwrap().name,
        "eu-west-1a"
    );
    let NodeSpec::Database(db) = &node(d, "orders").spec else {
        panic!()
    };
    assert_eq!(
        (db.version.as_str(), db.multi_az, db.managed),
        ("16.3", true, true)
    );
    assert!(links(d).contains(&link("orders", "orders-replica", EdgeKind::Replication)));
    let text = everything_written(&out);
    assert!(
        !text.contains("tf-default-db-pass-31337") && !text.contains("tf-inline-secret-string-42")
    );
    assert_eq!(
        out.notes
            .iter()
            .filter(|n| n.kind == NoteKind::SecretDropped)
            .count(),
        2
    );

    let out = import::terraform::import(&fixture("terraform/state"), "state").unwrap();
    let d = &out.design;
    let NodeSpec::Cache(cache) = &node(d, "sessions").spec else {
        panic!()
    };
    assert_eq!((cache.version.as_str(), cache.replicas), ("7.1", 1));
    assert_eq!(
        d.node(node(d, "events").parent.as_deref().unwrap())
            .unwrap()
            .name,
        "eu-north-1"
    );
    assert!(!everything_written(&out).contains("state-auth-token-do-not-leak"));
}

/// The managed clusters and stores of a design, by kind.
fn managed(d: &Design) -> BTreeMap<Kind, usize> {
    let mut counts = BTreeMap::new();
    for n in &d.nodes {
        let managed = match &n.spec {
            NodeSpec::KubernetesCluster(c) => c.managed,
            NodeSpec::Database(p) => p.managed,
            NodeSpec::Cache(p) => p.managed,
            NodeSpec::Queue(p) => p.managed,
            NodeSpec::ObjectStorage(_) => true,
            _ => false,
        };
        if managed {
            *counts.entry(n.kind()).or_default() += 1;
        }
    }
    counts
}

#[test]
fn terraform_the_export_writes_imports_back() {
    for slug in ["aws-multiregion-dr", "multicloud-shop"] {
        let design = templates::template(slug).unwrap();
        let sources: Vec<Source> = export::terraform::export(&design)
            .iter()
            .filter(|f| f.path.ends_with(".tf"))
            .map(|f| Source::new(&f.path, &f.contents))
            .collect();
        let out = import::terraform::import(&sources, slug).unwrap();
        assert_eq!(managed(&out.design), managed(&design), "{slug}");
        let clouds: Vec<Cloud> = out
            .design
            .nodes
            .iter()
            .filter_map(|n| match &n.spec {
                NodeSpec::Provider(p) => Some(p.cloud),
                _ => None,
            })
            .collect();
        let expected: Vec<Cloud> = design
            .nodes
            .iter()
            .filter_map(|n| match &n.spec {
                NodeSpec::Provider(p) if matches!(p.cloud, Cloud::Aws | Cloud::Yandex) => {
                    Some(p.cloud)
                }
                _ => None,
            })
            .collect();
        for c in &expected {
            assert!(clouds.contains(c), "{slug}: {c:?}");
        }
        assert_loads(&out);
    }
}

/// A Kubernetes export's files by cluster folder: folder → (path, contents).
fn by_cluster(files: Vec<ExportFile>) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for f in files {
        let (cluster, _) = f.path.split_once('/').unwrap();
        out.entry(cluster.to_string())
            .or_default()
            .insert(f.path.clone(), f.contents);
    }
    out
}

/// Every (template, file) whose contents differ after export → import → export, or that one
/// side alone has.
fn kubernetes_round_trip() -> BTreeSet<(String, String)> {
    let mut differences = BTreeSet::new();
    for t in templates::TEMPLATES {
        let design = templates::template(t.slug).unwrap();
        for (cluster, before) in by_cluster(export::kubernetes::export(&design)) {
            let sources: Vec<Source> = before.iter().map(|(p, c)| Source::new(p, c)).collect();
            let imported = import::kubernetes::import(&sources, &cluster)
                .unwrap_or_else(|e| panic!("{}/{cluster}: {e}", t.slug));
            let after = by_cluster(export::kubernetes::export(&imported.design))
                .remove(&cluster)
                .unwrap_or_default();
            for path in before.keys().chain(after.keys()) {
                if before.get(path) != after.get(path) {
                    differences.insert((t.slug.to_string(), path.clone()));
                }
            }
        }
    }
    differences
}

/// Why a file may differ after the round trip. The first reasons are what the manifests do
/// not say; the later ones are parts of the Kubernetes export (issue 18) that the importer does
/// not read back into the drawing yet, each listed file by file.
const OUTSIDE_LINKS: &str =
    "links to what no manifest describes (monitoring, secret stores, object storage, VPN \
     address blocks) are not read back, so their egress and ingress rules are missing";
const OPERATIONS_ONLY: &str =
    "a namespace that holds only operations tools (monitoring, logging), for which the \
     export writes no object, comes back as an empty application namespace: default-deny \
     policies and restricted pod security are added";
const ZONES: &str = "the zones a cluster spans are not in the manifests \
     (topologySpreadConstraints name only the topology key), so the imported cluster spans no \
     zones and its pods carry no spread constraints";
const OUTSIDE_STORES: &str = "a store outside the cluster (an ExternalName Service) comes back \
     as a managed store, since the manifests do not say that it is self-hosted elsewhere; the \
     ConfigMap then carries its `<STORE>_AUTH` setting";
const ADDONS: &str = "an add-on drawn as a workload (Flagger, cert-manager) is installed from \
     its chart, not written as a Deployment; its namespace comes back empty, with default-deny \
     policies and restricted pod security";
const SECRET_STORES: &str = "not read back yet: a SecretStore's provider (Vault, AWS Secrets \
     Manager) into the drawn store's product; the stores come back as Kubernetes Secrets, so \
     no SecretStore, ExternalSecret or reader ServiceAccount is written";
const PROMETHEUS: &str = "not read back yet: PodMonitors into a Prometheus drawn in the \
     cluster, so none is written";
const MESH: &str = "not read back yet: Istio injection, PeerAuthentication and \
     DestinationRules into a service mesh node, so the meshed namespaces lose their mesh \
     objects, the Ingresses their `service-upstream` annotations, and Pod Security is \
     `restricted` instead of Istio's `baseline`";
const MESH_TRAFFIC: &str = "with the mesh not read back (see MESH), traffic the drawing \
     routed through it (API Gateway → Istio → PostgreSQL) is not allowed by the policies";
const LISTED_FILES: &str = "the kustomization lists the files the reasons above add or remove";
const README_FOLLOWS: &str = "the README describes the add-ons, stores and mesh above";

/// The intended differences of the Kubernetes round trip: (why, template, files).
const KUBERNETES_DIFFERENCES: &[(&str, &str, &[&str])] = &[
    (
        README_FOLLOWS,
        "aws-multiregion-dr",
        &["eks-cluster-dr/README.md", "eks-cluster/README.md"],
    ),
    (
        ZONES,
        "aws-multiregion-dr",
        &[
            "eks-cluster-dr/base/core/deployments.yaml",
            "eks-cluster-dr/base/frontend/deployments.yaml",
            "eks-cluster-dr/base/supporting/deployments.yaml",
            "eks-cluster/base/core/deployments.yaml",
            "eks-cluster/base/frontend/deployments.yaml",
            "eks-cluster/base/supporting/deployments.yaml",
        ],
    ),
    (
        SECRET_STORES,
        "aws-multiregion-dr",
        &[
            "eks-cluster-dr/base/core/external-secrets.yaml",
            "eks-cluster-dr/base/core/secret-stores.yaml",
            "eks-cluster-dr/base/core/service-accounts.yaml",
            "eks-cluster-dr/base/frontend/external-secrets.yaml",
            "eks-cluster-dr/base/frontend/secret-stores.yaml",
            "eks-cluster-dr/base/frontend/service-accounts.yaml",
            "eks-cluster/base/core/external-secrets.yaml",
            "eks-cluster/base/core/secret-stores.yaml",
            "eks-cluster/base/core/service-accounts.yaml",
            "eks-cluster/base/frontend/external-secrets.yaml",
            "eks-cluster/base/frontend/secret-stores.yaml",
            "eks-cluster/base/frontend/service-accounts.yaml",
        ],
    ),
    (
        LISTED_FILES,
        "aws-multiregion-dr",
        &[
            "eks-cluster-dr/base/core/kustomization.yaml",
            "eks-cluster-dr/base/frontend/kustomization.yaml",
            "eks-cluster/base/core/kustomization.yaml",
            "eks-cluster/base/frontend/kustomization.yaml",
            "eks-cluster/base/supporting/kustomization.yaml",
        ],
    ),
    (
        OUTSIDE_LINKS,
        "aws-multiregion-dr",
        &[
            "eks-cluster-dr/base/core/network-policies.yaml",
            "eks-cluster-dr/base/frontend/network-policies.yaml",
            "eks-cluster-dr/base/supporting/network-policies.yaml",
            "eks-cluster/base/core/network-policies.yaml",
            "eks-cluster/base/frontend/network-policies.yaml",
            "eks-cluster/base/supporting/network-policies.yaml",
        ],
    ),
    (
        PROMETHEUS,
        "aws-multiregion-dr",
        &[
            "eks-cluster/base/core/pod-monitors.yaml",
            "eks-cluster/base/frontend/pod-monitors.yaml",
            "eks-cluster/base/supporting/pod-monitors.yaml",
        ],
    ),
    (
        OPERATIONS_ONLY,
        "aws-multiregion-dr",
        &[
            "eks-cluster/base/observability/kustomization.yaml",
            "eks-cluster/base/observability/namespace.yaml",
            "eks-cluster/base/observability/network-policies.yaml",
        ],
    ),
    (
        README_FOLLOWS,
        "furniture-canary",
        &[
            "server-1/README.md",
            "server-2/README.md",
            "server-3/README.md",
        ],
    ),
    (
        ADDONS,
        "furniture-canary",
        &[
            "server-1/base/flagger-system/kustomization.yaml",
            "server-1/base/flagger-system/namespace.yaml",
            "server-1/base/flagger-system/network-policies.yaml",
            "server-2/base/flagger-system/kustomization.yaml",
            "server-2/base/flagger-system/namespace.yaml",
            "server-2/base/flagger-system/network-policies.yaml",
            "server-3/base/flagger-system/kustomization.yaml",
            "server-3/base/flagger-system/namespace.yaml",
            "server-3/base/flagger-system/network-policies.yaml",
        ],
    ),
    (
        OUTSIDE_STORES,
        "furniture-canary",
        &[
            "server-1/base/klienty/configmaps.yaml",
            "server-1/base/sluzhba-dostavki/configmaps.yaml",
            "server-2/base/klienty/configmaps.yaml",
            "server-2/base/sluzhba-dostavki/configmaps.yaml",
            "server-3/base/sotrudniki/configmaps.yaml",
        ],
    ),
    (
        OUTSIDE_LINKS,
        "furniture-canary",
        &[
            "server-1/base/klienty/network-policies.yaml",
            "server-1/base/sluzhba-dostavki/network-policies.yaml",
            "server-2/base/klienty/network-policies.yaml",
            "server-2/base/sluzhba-dostavki/network-policies.yaml",
            "server-3/base/sotrudniki/network-policies.yaml",
        ],
    ),
    (
        README_FOLLOWS,
        "microservices-platform",
        &["kubernetes-krupnaya-kompaniya/README.md"],
    ),
    (
        ZONES,
        "microservices-platform",
        &[
            "kubernetes-krupnaya-kompaniya/base/external/deployments.yaml",
            "kubernetes-krupnaya-kompaniya/base/internal/deployments.yaml",
            "kubernetes-krupnaya-kompaniya/base/internal/postgres-clusters.yaml",
        ],
    ),
    (
        LISTED_FILES,
        "microservices-platform",
        &[
            "kubernetes-krupnaya-kompaniya/base/external/kustomization.yaml",
            "kubernetes-krupnaya-kompaniya/base/internal/kustomization.yaml",
        ],
    ),
    (
        PROMETHEUS,
        "microservices-platform",
        &[
            "kubernetes-krupnaya-kompaniya/base/external/pod-monitors.yaml",
            "kubernetes-krupnaya-kompaniya/base/internal/pod-monitors.yaml",
        ],
    ),
    (
        OPERATIONS_ONLY,
        "microservices-platform",
        &[
            "kubernetes-krupnaya-kompaniya/base/monitoring/kustomization.yaml",
            "kubernetes-krupnaya-kompaniya/base/monitoring/namespace.yaml",
            "kubernetes-krupnaya-kompaniya/base/monitoring/network-policies.yaml",
        ],
    ),
    (
        ZONES,
        "multicloud-shop",
        &[
            "amazon-elastic-kubernetes-service/base/sosisochnaya/deployments.yaml",
            "yandex-managed-service-for-kubernetes/base/sosisochnaya/deployments.yaml",
        ],
    ),
    (
        OUTSIDE_LINKS,
        "multicloud-shop",
        &[
            "amazon-elastic-kubernetes-service/base/sosisochnaya/network-policies.yaml",
            "yandex-managed-service-for-kubernetes/base/sosisochnaya/network-policies.yaml",
        ],
    ),
    (
        README_FOLLOWS,
        "site-builder",
        &[
            "klaster-prodakshn/README.md",
            "klaster-razrabotki/README.md",
            "klaster-testirovaniya/README.md",
        ],
    ),
    (
        ZONES,
        "site-builder",
        &[
            "klaster-prodakshn/base/backend/deployments.yaml",
            "klaster-prodakshn/base/database/postgres-clusters.yaml",
            "klaster-prodakshn/base/database/statefulsets.yaml",
            "klaster-prodakshn/base/frontend/deployments.yaml",
            "klaster-testirovaniya/base/backend/deployments.yaml",
            "klaster-testirovaniya/base/database/postgres-clusters.yaml",
            "klaster-testirovaniya/base/frontend/deployments.yaml",
        ],
    ),
    (
        MESH,
        "site-builder",
        &[
            "klaster-prodakshn/base/backend/destination-rules.yaml",
            "klaster-prodakshn/base/backend/ingresses.yaml",
            "klaster-prodakshn/base/backend/namespace.yaml",
            "klaster-prodakshn/base/backend/peer-authentications.yaml",
            "klaster-prodakshn/base/frontend/destination-rules.yaml",
            "klaster-prodakshn/base/frontend/ingresses.yaml",
            "klaster-prodakshn/base/frontend/namespace.yaml",
            "klaster-prodakshn/base/frontend/peer-authentications.yaml",
        ],
    ),
    (
        SECRET_STORES,
        "site-builder",
        &[
            "klaster-prodakshn/base/backend/external-secrets.yaml",
            "klaster-prodakshn/base/backend/secret-stores.yaml",
            "klaster-prodakshn/base/backend/service-accounts.yaml",
            "klaster-razrabotki/base/backend/external-secrets.yaml",
            "klaster-razrabotki/base/backend/secret-stores.yaml",
            "klaster-razrabotki/base/backend/service-accounts.yaml",
            "klaster-testirovaniya/base/backend/external-secrets.yaml",
            "klaster-testirovaniya/base/backend/secret-stores.yaml",
            "klaster-testirovaniya/base/backend/service-accounts.yaml",
        ],
    ),
    (
        LISTED_FILES,
        "site-builder",
        &[
            "klaster-prodakshn/base/backend/kustomization.yaml",
            "klaster-prodakshn/base/frontend/kustomization.yaml",
            "klaster-razrabotki/base/backend/kustomization.yaml",
            "klaster-testirovaniya/base/backend/kustomization.yaml",
        ],
    ),
    (
        MESH_TRAFFIC,
        "site-builder",
        &[
            "klaster-prodakshn/base/backend/network-policies.yaml",
            "klaster-prodakshn/base/database/network-policies.yaml",
        ],
    ),
    (
        PROMETHEUS,
        "site-builder",
        &[
            "klaster-prodakshn/base/backend/pod-monitors.yaml",
            "klaster-prodakshn/base/frontend/pod-monitors.yaml",
        ],
    ),
    (
        ADDONS,
        "site-builder",
        &[
            "klaster-prodakshn/base/cert-manager/kustomization.yaml",
            "klaster-prodakshn/base/cert-manager/namespace.yaml",
            "klaster-prodakshn/base/cert-manager/network-policies.yaml",
        ],
    ),
    (
        OPERATIONS_ONLY,
        "site-builder",
        &[
            "klaster-prodakshn/base/logging/kustomization.yaml",
            "klaster-prodakshn/base/logging/namespace.yaml",
            "klaster-prodakshn/base/logging/network-policies.yaml",
            "klaster-prodakshn/base/monitoring/kustomization.yaml",
            "klaster-prodakshn/base/monitoring/namespace.yaml",
            "klaster-prodakshn/base/monitoring/network-policies.yaml",
        ],
    ),
    (
        OUTSIDE_LINKS,
        "site-builder",
        &[
            "klaster-razrabotki/base/backend/network-policies.yaml",
            "klaster-razrabotki/base/frontend/network-policies.yaml",
            "klaster-testirovaniya/base/backend/network-policies.yaml",
            "klaster-testirovaniya/base/database/network-policies.yaml",
            "klaster-testirovaniya/base/frontend/network-policies.yaml",
        ],
    ),
];

#[test]
fn kubernetes_round_trip_gives_the_same_files_but_the_listed_differences() {
    let found = kubernetes_round_trip();
    let listed: BTreeSet<(String, String)> = KUBERNETES_DIFFERENCES
        .iter()
        .flat_map(|(_, t, paths)| paths.iter().map(|p| (t.to_string(), p.to_string())))
        .collect();
    let unexpected: Vec<_> = found.difference(&listed).collect();
    let gone: Vec<_> = listed.difference(&found).collect();
    assert!(
        unexpected.is_empty() && gone.is_empty(),
        "differences not listed: {unexpected:#?}\nlisted but gone: {gone:#?}"
    );
}

/// The Compose stack of every cluster of every template (Swarm and Kubernetes alike), exported,
/// imported and exported again.
#[test]
fn compose_round_trip_gives_the_same_stack_but_the_listed_differences() {
    // (template, cluster, why)
    const DIFFERENCES: &[(&str, &str, &str)] = &[(
        "furniture-canary",
        "server-3",
        "a service fed by an entry point outside the stack (a VPN gateway) is on the `external` \
         network without publishing a port; the import cannot tell, so it stays internal",
    )];
    let mut found = BTreeSet::new();
    for t in templates::TEMPLATES {
        let design = templates::template(t.slug).unwrap();
        for n in design.nodes.iter().filter(|n| n.kind().is_cluster()) {
            let before = export::compose::export_cluster(&design, &n.id).unwrap();
            let name = before.path.split('/').next().unwrap().to_string();
            let imported =
                import::compose::import(&[Source::new(&before.path, &before.contents)], &name)
                    .unwrap_or_else(|e| panic!("{}/{name}: {e}", t.slug));
            let cluster = imported
                .design
                .nodes
                .iter()
                .find(|n| n.kind() == Kind::SwarmCluster)
                .unwrap();
            let after = export::compose::export_cluster(&imported.design, &cluster.id).unwrap();
            assert_eq!(after.path, before.path);
            if after.contents != before.contents {
                found.insert((t.slug.to_string(), name));
            }
        }
    }
    let listed: BTreeSet<(String, String)> = DIFFERENCES
        .iter()
        .map(|(t, c, _)| (t.to_string(), c.to_string()))
        .collect();
    assert_eq!(found, listed);
}

/// Runs the CLI with `stdin`; returns (exit code, stdout, stderr).
fn cli(args: &[&str], stdin: &str) -> (i32, String, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_infracanvas"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn cli_imports_a_kustomize_stream_from_stdin_and_reports_on_stderr() {
    // What `kubectl kustomize` prints: one multi-document stream.
    let stream = std::fs::read_dir(fixtures().join("k8s/demo-shop"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect::<Vec<_>>()
        .join("---\n");
    let (code, design, report) = cli(&["import", "k8s", "-", "--name", "shop"], &stream);
    assert_eq!(code, 0, "{report}");
    let design = load_design(&design).unwrap();
    assert_eq!(design.name, "shop");
    assert_eq!(design.edges.len(), 18);
    assert!(
        report.contains("<stdin>:") && report.contains("secret dropped"),
        "{report}"
    );
}

#[test]
fn cli_writes_the_design_and_a_sarif_report_to_files() {
    let dir = std::env::temp_dir().join(format!("ic-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (design, report) = (dir.join("d.json"), dir.join("r.sarif"));
    let compose = fixtures().join("compose/webshop/compose.yaml");
    let (code, out, err) = cli(
        &[
            "import",
            "compose",
            compose.to_str().unwrap(),
            "--format",
            "sarif",
            "-o",
            design.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
    let d = load_design(&std::fs::read_to_string(&design).unwrap()).unwrap();
    assert_eq!(d.name, "webshop");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "IC-IMP-003"
        && r["locations"][0]["physicalLocation"]["region"]["startLine"] == 23));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn cli_exits_2_with_a_clear_message_when_nothing_could_be_made() {
    let (code, out, err) = cli(
        &["import", "compose", "-"],
        "version: '3'\nnetworks: {a: {}}\n",
    );
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("infracanvas: no services found in the Compose files"),
        "{err}"
    );
    assert!(err.contains("not a Compose file (no `services`)"), "{err}");
    let (code, _, err) = cli(&["import", "k8s", "-", "--format", "json"], "a: [\n");
    assert_eq!(code, 2);
    assert!(err.contains("\"kind\": \"unreadable\""), "{err}");
    let (code, _, err) = cli(&["import", "terraform", "/nonexistent/dir"], "");
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent/dir"), "{err}");
}

#[test]
fn hostile_inputs_end_in_notes_or_designs_never_in_panics() {
    let hostile = [
        "[".repeat(50_000),
        "a: &a [x]\n".to_string() + &(1..30).map(|i| format!("b{i}: &b{i} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n", p = if i == 1 { "a".to_string() } else { format!("b{}", i - 1) })).collect::<String>(),
        "apiVersion: v1\nkind: List\nitems: [1, \"x\", null, {kind: Service}]\n".into(),
        "kind: Deployment\nmetadata: {name: \"a\\nb\\\"c — Корзина\", namespace: 7}\nspec: {replicas: -3, template: {spec: {containers: [{image: 5, ports: [{containerPort: 70000}]}]}}}\n".into(),
        "services: {\"web\\n\": {image: \"nginx\", ports: [\"99999:1\", {target: \"x\"}], deploy: {replicas: 1e99}}}\n".into(),
        "\u{0}\u{1}\u{7f}garbage: : :\n".into(),
        "services:\n  a:\n    depends_on: [a, b, c]\n    environment: [\"X=http://a:0\", \"Y=a:99999\"]\n".into(),
    ];
    for text in &hostile {
        let sources = [Source::new("hostile.yaml", text.as_str())];
        let results = [
            import::kubernetes::import(&sources, "c"),
            import::compose::import(&sources, "c"),
            import::terraform::import(&[Source::new("main.tf", text.as_str())], "t"),
            import::terraform::import(&[Source::new("terraform.tfstate", text.as_str())], "t"),
        ];
        for out in results.iter().flatten() {
            assert_loads(out);
        }
    }
}
