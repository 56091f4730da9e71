//! Every template is a complete, valid design, faithful to its seed document.

use std::collections::{BTreeMap, HashSet};

use super::*;
use crate::model::load::is_valid_id;
use crate::model::{load_design, to_json_pretty, DesignGraph, EnvValue, Kind, NodeSpec, Rect};

fn all() -> Vec<(&'static str, Design)> {
    TEMPLATES
        .iter()
        .map(|t| (t.slug, template(t.slug).expect("listed slug builds")))
        .collect()
}

#[test]
fn slugs_are_the_contract() {
    let slugs: Vec<&str> = TEMPLATES.iter().map(|t| t.slug).collect();
    assert_eq!(
        slugs,
        [
            "multicloud-shop",
            "site-builder",
            "furniture-canary",
            "aws-multiregion-dr",
            "microservices-platform"
        ]
    );
    assert!(template("no-such-template").is_none());
    for t in TEMPLATES {
        assert!(!t.title.is_empty() && !t.summary.is_empty(), "{}", t.slug);
    }
}

#[test]
fn templates_round_trip_through_the_file_format() {
    for (slug, d) in all() {
        let text = to_json_pretty(&d);
        let loaded = load_design(&text).unwrap_or_else(|e| panic!("{slug}: {e}"));
        assert_eq!(loaded, d, "{slug}");
        assert!(!d.description.is_empty(), "{slug}");
        assert!(!d.environments.is_empty(), "{slug}");
        assert!(d.environments.iter().any(|e| e.production), "{slug}");
    }
}

#[test]
fn ids_are_unique_valid_and_resolve() {
    for (slug, d) in all() {
        let mut ids = HashSet::new();
        for n in &d.nodes {
            assert!(is_valid_id(&n.id), "{slug}: bad node id {}", n.id);
            assert!(
                n.id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{slug}: node id {} is not [a-z0-9-]",
                n.id
            );
            assert!(
                ids.insert(n.id.as_str()),
                "{slug}: duplicate node id {}",
                n.id
            );
            if let Some(p) = &n.parent {
                assert!(
                    d.node(p).is_some(),
                    "{slug}: {} has missing parent {p}",
                    n.id
                );
            }
        }
        let mut edge_ids = HashSet::new();
        for (i, e) in d.edges.iter().enumerate() {
            assert_eq!(e.id, format!("e{}", i + 1), "{slug}");
            assert!(
                edge_ids.insert(e.id.as_str()),
                "{slug}: duplicate edge id {}",
                e.id
            );
            assert!(
                d.node(&e.from).is_some(),
                "{slug}: {} from {}",
                e.id,
                e.from
            );
            assert!(d.node(&e.to).is_some(), "{slug}: {} to {}", e.id, e.to);
            assert_ne!(e.from, e.to, "{slug}: {} is a loop", e.id);
        }
        for n in &d.nodes {
            if let NodeSpec::Workload(w) = &n.spec {
                for var in &w.env {
                    if let EnvValue::Secret { store, .. } = &var.value {
                        let s = d
                            .node(store)
                            .unwrap_or_else(|| panic!("{slug}: {} names {store}", n.id));
                        assert_eq!(s.kind(), Kind::SecretStore, "{slug}: {}", n.id);
                    }
                }
                for env in w.overrides.keys() {
                    assert!(
                        d.environment(env).is_some(),
                        "{slug}: {} overrides {env}",
                        n.id
                    );
                }
            }
            if let Some((env, _)) = n.spec.cluster_placement() {
                assert!(
                    env.is_empty() || d.environment(env).is_some(),
                    "{slug}: {}",
                    n.id
                );
            }
        }
    }
}

#[test]
fn parents_and_edges_are_allowed() {
    for (slug, d) in all() {
        for n in &d.nodes {
            let parent = n
                .parent
                .as_deref()
                .and_then(|p| d.node(p))
                .map(|p| p.kind());
            assert!(
                n.kind().may_have_parent(parent),
                "{slug}: {} ({:?}) under {parent:?}",
                n.id,
                n.kind()
            );
        }
        for e in &d.edges {
            let (a, b) = (
                d.node(&e.from).unwrap().kind(),
                d.node(&e.to).unwrap().kind(),
            );
            assert!(
                a.accepts_edge(e.kind(), b),
                "{slug}: {} {:?} {a:?} -> {b:?}",
                e.id,
                e.kind()
            );
        }
    }
}

#[test]
fn sibling_names_are_unique_and_containers_are_not_empty() {
    for (slug, d) in all() {
        let mut seen = HashSet::new();
        for n in &d.nodes {
            let key = (n.parent.clone(), n.name.trim().to_lowercase());
            assert!(!n.name.trim().is_empty(), "{slug}: {} has no name", n.id);
            assert!(
                seen.insert(key),
                "{slug}: two nodes named {} in one scope",
                n.name
            );
        }
        let g = DesignGraph::new(&d);
        for i in 0..g.len() {
            let k = g.kind(i);
            if matches!(
                k,
                Kind::KubernetesCluster | Kind::SwarmCluster | Kind::Namespace
            ) {
                assert!(
                    !g.children(i).is_empty(),
                    "{slug}: {} is empty",
                    g.node(i).id
                );
            }
        }
    }
}

fn inside(outer: Rect, inner: Rect) -> bool {
    inner.x() >= outer.x()
        && inner.y() >= outer.y()
        && inner.x() + inner.w() <= outer.x() + outer.w()
        && inner.y() + inner.h() <= outer.y() + outer.h()
}

#[test]
fn every_node_is_placed_inside_its_parent() {
    for (slug, d) in all() {
        assert_eq!(d.layout.len(), d.nodes.len(), "{slug}");
        for n in &d.nodes {
            let r = d
                .layout
                .get(&n.id)
                .unwrap_or_else(|| panic!("{slug}: {} unplaced", n.id));
            assert!(r.w() > 0 && r.h() > 0, "{slug}: {}", n.id);
            if let Some(p) = &n.parent {
                assert!(inside(d.layout[p], *r), "{slug}: {} outside {p}", n.id);
            }
        }
        // The builder's own layout is the one `template` returns.
        let built = builder(slug).unwrap()();
        assert_eq!(built.layout, d.layout, "{slug}");
    }
}

#[test]
fn workloads_are_production_ready() {
    for (slug, d) in all() {
        for n in &d.nodes {
            let NodeSpec::Workload(w) = &n.spec else {
                continue;
            };
            let at = format!("{slug}: {}", n.id);
            assert!(!w.image.is_empty() && !w.image.contains(':'), "{at}");
            assert!(!w.tag.is_empty() && w.tag != "latest", "{at}");
            assert!(!w.ports.is_empty(), "{at}");
            assert!(w.replicas >= 2, "{at}");
            assert!(w.resources.has_limits(), "{at}");
            assert!(w.liveness.is_some() && w.readiness.is_some(), "{at}");
            if let Some(a) = &w.autoscaling {
                assert!(a.min >= 1 && a.min <= a.max && a.target_cpu > 0, "{at}");
            }
            for o in w.overrides.values() {
                if let Some(a) = &o.autoscaling {
                    assert!(a.min >= 1 && a.min <= a.max, "{at}");
                }
            }
        }
    }
}

/// A component the seed names: its name, kind, and the names of its provider and region.
type Required = (
    &'static str,
    Kind,
    Option<&'static str>,
    Option<&'static str>,
);

fn required() -> BTreeMap<&'static str, Vec<Required>> {
    use Kind::*;
    let yc = (Some("Yandex Cloud"), Some("ru-central1"));
    let aws = (Some("AWS"), Some("eu-central-1"));
    let multicloud = vec![
        (
            "Балансировщик-роутер",
            GeoRouter,
            Some("Yandex Cloud"),
            None,
        ),
        ("Пользователи из РФ", UserGroup, None, None),
        ("Пользователи из ЕС", UserGroup, None, None),
        ("Yandex Container Registry", ContainerRegistry, yc.0, yc.1),
        (
            "Yandex Managed Service for Kubernetes",
            KubernetesCluster,
            yc.0,
            yc.1,
        ),
        (
            "Yandex Managed Service for PostgreSQL",
            Database,
            yc.0,
            yc.1,
        ),
        ("Yandex Managed Service for MongoDB", Database, yc.0, yc.1),
        ("Yandex Object Storage", ObjectStorage, yc.0, yc.1),
        ("Yandex Monitoring", Monitoring, yc.0, yc.1),
        ("ВМ OpenVPN (Yandex Cloud)", VpnGateway, yc.0, yc.1),
        (
            "Amazon Elastic Container Registry",
            ContainerRegistry,
            aws.0,
            aws.1,
        ),
        (
            "Amazon Elastic Kubernetes Service",
            KubernetesCluster,
            aws.0,
            aws.1,
        ),
        ("Amazon RDS for PostgreSQL", Database, aws.0, aws.1),
        ("Amazon S3", ObjectStorage, aws.0, aws.1),
        ("Amazon CloudWatch", Monitoring, aws.0, aws.1),
        ("ВМ OpenVPN (AWS)", VpnGateway, aws.0, aws.1),
        ("frontend", Workload, yc.0, yc.1),
        ("backend", Workload, yc.0, yc.1),
        ("frontend", Workload, aws.0, aws.1),
        ("backend", Workload, aws.0, aws.1),
    ];
    let site = (Some("AWS"), Some("eu-central-1"));
    let mut site_builder: Vec<Required> = [
        ("Кластер разработки", KubernetesCluster),
        ("Кластер тестирования", KubernetesCluster),
        ("Кластер продакшн", KubernetesCluster),
        ("frontend", Namespace),
        ("backend", Namespace),
        ("database", Namespace),
        ("monitoring", Namespace),
        ("logging", Namespace),
        ("ingress", Namespace),
        ("cert-manager", Namespace),
        ("Load Balancer", LoadBalancer),
        ("Nginx Ingress Controller", IngressController),
        ("Istio Service Mesh", ServiceMesh),
        ("API Gateway", Workload),
        ("Auth Service", Workload),
        ("Frontend App", Workload),
        ("Other Services", Workload),
        ("PostgreSQL", Database),
        ("Redis", Cache),
        ("Object Storage", ObjectStorage),
        ("Prometheus", Monitoring),
        ("Grafana", Monitoring),
        ("Alertmanager", Monitoring),
        ("Elasticsearch", Logging),
        ("Logstash", Logging),
        ("Kibana", Logging),
        ("Filebeat", Logging),
        ("Jaeger", Tracing),
        ("Vault", SecretStore),
        ("Kubernetes Secrets", SecretStore),
        ("WAF", Waf),
        ("Container Registry", ContainerRegistry),
    ]
    .into_iter()
    .map(|(n, k)| (n, k, site.0, site.1))
    .collect();
    site_builder.push(("CDN", Cdn, Some("AWS"), None));
    site_builder.push(("Terraform", CiCd, None, None));
    let dc = (Some("Мебельная фабрика"), Some("ЦОД"));
    let furniture = vec![
        ("Гео-балансировщик", GeoRouter, dc.0, None),
        ("Клиенты", UserGroup, None, None),
        ("Сотрудники службы доставки", UserGroup, None, None),
        ("Сотрудники", UserGroup, None, None),
        ("Сервер 1", KubernetesCluster, dc.0, dc.1),
        ("Сервер 2", KubernetesCluster, dc.0, dc.1),
        ("Сервер 3", KubernetesCluster, dc.0, dc.1),
        ("БД клиентов и заказов", Database, dc.0, dc.1),
        ("БД ассортимента мебели", Database, dc.0, dc.1),
        ("БД внутренних сервисов", Database, dc.0, dc.1),
        ("Active Directory", ExternalSystem, None, None),
        ("NFS", ExternalSystem, None, None),
        ("Клиентский балансировщик", LoadBalancer, dc.0, dc.1),
        ("Flagger", Workload, dc.0, dc.1),
        ("Приложение клиентов", Workload, dc.0, dc.1),
        ("Приложение службы доставки", Workload, dc.0, dc.1),
        ("Web-приложения сотрудников", Workload, dc.0, dc.1),
        ("Бизнес-логика", Workload, dc.0, dc.1),
        ("NGINX Ingress", IngressController, dc.0, dc.1),
    ];
    let (r1, r2) = (Some("Region 1 (Primary)"), Some("Region 2 (DR)"));
    let a = Some("AWS");
    let mut dr: Vec<Required> = vec![
        ("Route 53", GeoRouter, a, None),
        ("Certificate Manager (ACM)", SecurityService, a, None),
        ("IAM Roles & Policies", SecurityService, a, None),
        ("CloudWatch", Monitoring, a, None),
        ("Security Hub", SecurityService, a, None),
        ("GuardDuty", SecurityService, a, None),
        ("Shield", SecurityService, a, None),
        ("Systems Manager", SecurityService, a, None),
        ("CloudFront CDN", Cdn, a, None),
        ("AWS Backup", ObjectStorage, a, None),
        ("Application Load Balancer (ALB)", LoadBalancer, a, r1),
        ("WAF & Shield", Waf, a, r1),
        ("EKS Cluster", KubernetesCluster, a, r1),
        ("AWS RDS", Database, a, r1),
        ("AWS ElastiCache", Cache, a, r1),
        ("AWS MSK", Queue, a, r1),
        ("Security Groups & Network ACLs", SecurityService, a, r1),
        ("Consul", ConfigStore, a, r1),
        ("HashiCorp Vault", SecretStore, a, r1),
        ("Prometheus", Monitoring, a, r1),
        ("Grafana", Monitoring, a, r1),
        ("Jaeger", Tracing, a, r1),
        ("Fluent Bit", Logging, a, r1),
        ("Alert Manager", Monitoring, a, r1),
        ("EKS Cluster (DR)", KubernetesCluster, a, r2),
        ("Application Load Balancer (DR)", LoadBalancer, a, r2),
        ("Database Replica", Database, a, r2),
        ("Message Queue Replica", Queue, a, r2),
        ("Security Groups & Network ACLs", SecurityService, a, r2),
        ("GitLab CI/CD", CiCd, None, None),
        ("Terraform", CiCd, None, None),
        ("Ansible", CiCd, None, None),
    ];
    for name in [
        "Web UI",
        "Mobile UI",
        "BFF",
        "Order Service",
        "Payment Service",
        "Inventory Service",
        "User Service",
        "Notification Service",
        "Recommendation Service",
    ] {
        dr.push((name, Workload, a, r1));
        dr.push((name, Workload, a, r2));
    }
    let c = (Some("Облако"), Some("region-1"));
    let mut platform: Vec<Required> = vec![
        ("Docker Swarm (маленькая компания)", SwarmCluster, c.0, c.1),
        ("Kubernetes (крупная компания)", KubernetesCluster, c.0, c.1),
        ("Kubernetes Secrets", SecretStore, c.0, c.1),
        ("Docker secrets", SecretStore, c.0, c.1),
        ("Ingress NGINX", IngressController, c.0, c.1),
        ("Traefik", LoadBalancer, c.0, c.1),
        ("external", Namespace, c.0, c.1),
        ("internal", Namespace, c.0, c.1),
        ("Helm", CiCd, None, None),
        ("Terraform", CiCd, None, None),
    ];
    for name in ["frontend", "api-gateway", "users-service", "orders-service"] {
        platform.push((name, Workload, c.0, c.1));
    }
    BTreeMap::from([
        ("multicloud-shop", multicloud),
        ("site-builder", site_builder),
        ("furniture-canary", furniture),
        ("aws-multiregion-dr", dr),
        ("microservices-platform", platform),
    ])
}

#[test]
fn the_components_of_each_seed_are_present_where_the_seed_puts_them() {
    let required = required();
    for (slug, d) in all() {
        let g = DesignGraph::new(&d);
        let name_of = |i: Option<usize>| i.map(|i| g.node(i).name.as_str());
        for (name, kind, provider, region) in &required[slug] {
            let found = (0..g.len()).any(|i| {
                let s = g.scope(i);
                g.node(i).name == *name
                    && g.kind(i) == *kind
                    && name_of(s.provider) == *provider
                    && name_of(s.region) == *region
            });
            assert!(
                found,
                "{slug}: no {kind:?} `{name}` in {provider:?} / {region:?}"
            );
        }
    }
}

#[test]
fn seed_specific_facts() {
    use crate::model::{EdgeSpec, FailoverRole, RoutingPolicy, Strategy};
    let find = |d: &Design, id: &str| d.node(id).unwrap_or_else(|| panic!("{id}")).clone();

    let shop = template("multicloud-shop").unwrap();
    let NodeSpec::GeoRouter(r) = find(&shop, "router").spec else {
        panic!()
    };
    assert_eq!(
        (r.product.as_str(), r.policy),
        ("Yandex Network Load Balancer", RoutingPolicy::Geo)
    );
    let routes: Vec<Vec<String>> = shop
        .edges
        .iter()
        .filter_map(|e| match &e.spec {
            EdgeSpec::GeoRoute(g) => Some(g.countries.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(routes, [vec!["RU".to_string()], vec!["EU".to_string()]]);
    let NodeSpec::Database(mongo) = find(&shop, "yc-mongo").spec else {
        panic!()
    };
    assert!(mongo.personal_data);
    assert!(shop
        .edges
        .iter()
        .any(|e| e.from == "aws-backend" && e.to == "yc-mongo"));
    assert!(shop
        .edges
        .iter()
        .any(|e| matches!(e.spec, EdgeSpec::Vpn(_))));

    // In AWS the OpenVPN VM and the ingress's balancer need a subnet routed to the internet.
    let aws_vpn = find(&shop, "aws-vpn");
    let NodeSpec::Subnet(net) = find(&shop, aws_vpn.parent.as_deref().unwrap()).spec else {
        panic!()
    };
    assert_eq!(net.visibility, crate::model::Visibility::Public);

    let dr = template("aws-multiregion-dr").unwrap();
    assert_eq!(dr.objectives.rpo_minutes, Some(15));
    assert_eq!(dr.objectives.rto_minutes, Some(60));
    assert_eq!(dr.objectives.slo_percent, Some(99.9));
    assert_eq!(dr.objectives.throughput_per_minute, Some(5_000));
    let roles: Vec<(String, Option<FailoverRole>)> = dr
        .edges
        .iter()
        .filter_map(|e| match &e.spec {
            EdgeSpec::GeoRoute(g) => Some((e.to.clone(), g.failover)),
            _ => None,
        })
        .collect();
    assert_eq!(
        roles,
        [
            ("r1-alb".to_string(), Some(FailoverRole::Primary)),
            ("r2-alb".to_string(), Some(FailoverRole::Standby))
        ]
    );
    let replications: Vec<_> = dr
        .edges
        .iter()
        .filter_map(|e| match &e.spec {
            EdgeSpec::Replication(r) => Some((e.from.as_str(), e.to.as_str(), r.rpo_minutes)),
            _ => None,
        })
        .collect();
    assert_eq!(
        replications,
        [("rds", "r2-db", Some(15)), ("msk", "r2-msk", Some(15))]
    );
    let strategies: Vec<&str> = dr
        .nodes
        .iter()
        .filter_map(|n| n.spec.workload().map(|w| w.strategy.label()))
        .collect();
    assert!(strategies.contains(&"canary") && strategies.contains(&"blue-green"));
    assert!(dr.nodes.iter().any(|n| n.description.contains("5,000")));

    let furniture = template("furniture-canary").unwrap();
    let ids: Vec<&str> = furniture
        .environments
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(ids, ["ift", "hotfix", "load", "preprod", "prod"]);
    let w = |id: &str| {
        find(&furniture, id)
            .spec
            .workload()
            .unwrap()
            .strategy
            .clone()
    };
    assert!(matches!(w("s1-customer-app"), Strategy::Canary { .. }));
    assert!(matches!(w("s2-courier-app"), Strategy::Canary { .. }));
    assert!(matches!(w("staff-web"), Strategy::AbTesting { ref flags, .. } if !flags.is_empty()));
    assert_eq!(w("business-logic"), Strategy::Recreate);
    let NodeSpec::LoadBalancer(lb) = find(&furniture, "staff-lb").spec else {
        panic!()
    };
    assert!(lb.client_side);

    let site = template("site-builder").unwrap();
    let NodeSpec::Database(pg) = find(&site, "postgres").spec else {
        panic!()
    };
    assert!(!pg.managed && pg.replicas >= 1);
    // Redis has no operator here: one instance, as exported.
    let NodeSpec::Cache(redis) = find(&site, "redis").spec else {
        panic!()
    };
    assert_eq!((redis.managed, redis.replicas), (false, 0));
    let api = find(&site, "dev-api");
    assert_eq!(api.spec.workload().unwrap().replicas_in("dev"), 1);
    let NodeSpec::KubernetesCluster(prod) = find(&site, "prod").spec else {
        panic!()
    };
    assert!(prod.zones.len() >= 2 && prod.environment == "prod");

    let platform = template("microservices-platform").unwrap();
    assert!(platform
        .nodes
        .iter()
        .any(|n| n.kind() == Kind::SwarmCluster));
    assert!(platform
        .nodes
        .iter()
        .any(|n| n.kind() == Kind::KubernetesCluster));
}

#[test]
fn no_structure_problems_and_the_seeds_own_findings_show() {
    use crate::validate::{validate, Severity};
    for (slug, d) in all() {
        let found = validate(&d);
        let structural: Vec<_> = found
            .iter()
            .filter(|x| x.rule.starts_with("IC-STR-") && x.severity != Severity::Info)
            .collect();
        assert!(structural.is_empty(), "{slug}: {structural:#?}");
        // The only errors are the ones the seed's own choices cause (see each description).
        let errors: Vec<(&str, &str)> = found
            .iter()
            .filter(|x| x.severity == Severity::Error)
            .map(|x| (x.rule, x.targets.first().map_or("", String::as_str)))
            .collect();
        let expected: &[(&str, &str)] = match slug {
            // EU reports written to the Yandex MongoDB in Russia.
            "multicloud-shop" => &[("IC-RES-001", "yc-mongo")],
            // The staff A/B by feature toggles on a server with no header router.
            "furniture-canary" => &[("IC-OPS-007", "staff-web")],
            _ => &[],
        };
        assert_eq!(errors, expected, "{slug}: {found:#?}");
        // Each of them is the seed's choice, accepted by the template's own waiver.
        let policy = crate::validate::Policy {
            today: "2026-01-01".into(),
            ..Default::default()
        };
        assert!(
            !crate::validate::has_errors(&crate::validate::validate_with(&d, &policy)),
            "{slug}"
        );
        // Warnings too are deliberate: each is named here with the reason the seed gives.
        let mut warnings: Vec<(&str, &str)> = found
            .iter()
            .filter(|x| x.severity == Severity::Warning)
            .map(|x| (x.rule, x.targets.first().map_or("", String::as_str)))
            .collect();
        warnings.dedup();
        let expected: &[(&str, &str)] = match slug {
            // Each server is one machine.
            "furniture-canary" => &[
                ("IC-AVL-001", "s1"),
                ("IC-AVL-001", "s2"),
                ("IC-AVL-001", "s3"),
            ],
            // Seed 004 names no WAF before the Swarm's public Traefik.
            "microservices-platform" => &[("IC-SEC-004", "swarm-traefik")],
            _ => &[],
        };
        assert_eq!(warnings, expected, "{slug}: {found:#?}");
        if slug == "furniture-canary" {
            // Each server is one machine.
            for cluster in ["s1", "s2", "s3"] {
                assert!(
                    found
                        .iter()
                        .any(|x| x.rule == "IC-AVL-001" && x.targets[0] == cluster),
                    "{slug}: {found:#?}"
                );
            }
        }
    }
}
