//! The inspector: typed inputs for the selected node (name, properties of its kind, workload
//! environment variables and per-environment replicas) or the selected edge (kind, label and
//! the kind's properties). The form is rebuilt only when the selected id changes; its inputs
//! read and write the design directly, so typing does not lose focus.

use leptos::prelude::*;

use super::fields::{
    check_field, enum_from, enum_name, opts, parsed_field, select_field, text_field,
};
use super::icons::kind_icon;
use super::state::use_state;
use crate::model::input::{self, Quantity};
use crate::model::edit;
use crate::model::{
    Autoscaling, EdgeKind, EdgeSpec, EnvValue, EnvVar, Kind, NodeSpec, Port, Strategy,
    WorkloadOverride, WorkloadProps,
};

/// A (getter, setter) pair for one property of one node kind: `prop!(st, id, Variant, |p|
/// p.field.clone(), |p, v| p.field = v)`. The getter yields the type's default when the node
/// is gone or of another kind.
macro_rules! prop {
    ($st:expr, $id:expr, $variant:ident, |$p:ident| $get:expr, |$q:ident, $v:ident : $t:ty| $set:expr) => {{
        let st = $st;
        let id1 = $id.clone();
        let id2 = $id.clone();
        (
            move || {
                st.design.with(|d| match d.node(&id1).map(|n| &n.spec) {
                    Some(NodeSpec::$variant($p)) => $get,
                    _ => Default::default(),
                })
            },
            move |$v: $t| {
                st.edit(|d| {
                    if let Some(n) = d.node_mut(&id2) {
                        if let NodeSpec::$variant($q) = &mut n.spec {
                            $set;
                        }
                    }
                })
            },
        )
    }};
}

/// The same for an edge property.
macro_rules! eprop {
    ($st:expr, $id:expr, $variant:ident, |$p:ident| $get:expr, |$q:ident, $v:ident : $t:ty| $set:expr) => {{
        let st = $st;
        let id1 = $id.clone();
        let id2 = $id.clone();
        (
            move || {
                st.design.with(|d| match d.edge(&id1).map(|e| &e.spec) {
                    Some(EdgeSpec::$variant($p)) => $get,
                    _ => Default::default(),
                })
            },
            move |$v: $t| {
                st.edit(|d| {
                    if let Some(e) = d.edges.iter_mut().find(|e| e.id == id2) {
                        if let EdgeSpec::$variant($q) = &mut e.spec {
                            $set;
                        }
                    }
                })
            },
        )
    }};
}

mod environments_form;
mod rollout;

use rollout::strategy_details;

#[component]
pub fn Inspector() -> impl IntoView {
    let st = use_state();
    // What the form is about; changes only when the selection does.
    let subject = Memo::new(move |_| {
        st.selection.with(|s| match (s.nodes.len(), s.edges.len()) {
            (1, 0) => Subject::Node(s.nodes.iter().next().cloned().unwrap_or_default()),
            (0, 1) => Subject::Edge(s.edges.iter().next().cloned().unwrap_or_default()),
            (0, 0) => Subject::None,
            (n, e) => Subject::Many(n + e),
        })
    });
    view! {
        <section class="inspector" data-testid="inspector" aria-label="Inspector">
            <h2 class="panel-title">"Inspector"</h2>
            {move || match subject.get() {
                Subject::None => design_form().into_any(),
                Subject::Many(n) => view! {
                    <p class="muted">{format!("{n} items selected. Press Delete to remove them, or drag one to move them together.")}</p>
                }.into_any(),
                Subject::Node(id) => node_form(id).into_any(),
                Subject::Edge(id) => edge_form(id).into_any(),
            }}
        </section>
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Subject {
    None,
    Many(usize),
    Node(String),
    Edge(String),
}

fn node_form(id: String) -> impl IntoView {
    let st = use_state();
    let Some((kind, _)) = st.node_label(&id) else {
        return view! { <p class="muted">"This component no longer exists."</p> }.into_any();
    };
    let id_name = id.clone();
    let id_set = id.clone();
    // The rename-in-place rule (`edit::check_name`: not blank), but the text as typed: trimming
    // while typing would swallow the space before the next word.
    let name = parsed_field(
        "Name",
        "field-name".into(),
        move || {
            st.design
                .with(|d| d.node(&id_name).map(|n| n.name.clone()).unwrap_or_default())
        },
        |t| edit::check_name(t).map(|_| t.to_string()),
        move |v| {
            st.edit(|d| {
                if let Some(n) = d.node_mut(&id_set) {
                    n.name = v;
                }
            })
        },
        "Any name, any script",
    );
    let id_desc = id.clone();
    let id_desc2 = id.clone();
    let description = text_field(
        "Description",
        "field-description".into(),
        move || {
            st.design.with(|d| {
                d.node(&id_desc)
                    .map(|n| n.description.clone())
                    .unwrap_or_default()
            })
        },
        move |v| {
            st.edit(|d| {
                if let Some(n) = d.node_mut(&id_desc2) {
                    n.description = v;
                }
            })
        },
        "",
    );
    let id_parent = id.clone();
    let parent = move || {
        st.design.with(|d| {
            d.node(&id_parent)
                .and_then(|n| n.parent.as_deref())
                .and_then(|p| d.node(p))
                .map(|p| format!("in {} {}", edit::kind_phrase(p.kind()), p.name))
                .unwrap_or_else(|| "at the top level".into())
        })
    };
    let id_attr = id.clone();
    view! {
        <div class="form" data-node=id_attr>
            <header class="form-head">
                {kind_icon(kind, 22)}
                <div>
                    <div class="form-kind">{kind.label()}</div>
                    <div class="form-where">{parent}</div>
                </div>
            </header>
            {name}
            {description}
            {kind_fields(kind, id)}
        </div>
    }
    .into_any()
}

fn product_field(id: String) -> impl IntoView {
    let st = use_state();
    let id1 = id.clone();
    text_field(
        "Product",
        "field-product".into(),
        move || {
            st.design.with(|d| {
                d.node(&id1)
                    .map(|n| n.spec.product().to_string())
                    .unwrap_or_default()
            })
        },
        move |v| {
            st.edit(|d| {
                if let Some(n) = d.node_mut(&id) {
                    match &mut n.spec {
                        NodeSpec::ContainerRegistry(p)
                        | NodeSpec::Cdn(p)
                        | NodeSpec::Waf(p)
                        | NodeSpec::VpnGateway(p)
                        | NodeSpec::Monitoring(p)
                        | NodeSpec::Logging(p)
                        | NodeSpec::Tracing(p)
                        | NodeSpec::SecretStore(p)
                        | NodeSpec::ConfigStore(p)
                        | NodeSpec::SecurityService(p)
                        | NodeSpec::CiCd(p)
                        | NodeSpec::ExternalSystem(p) => p.product = v,
                        NodeSpec::ObjectStorage(p) => p.product = v,
                        NodeSpec::LoadBalancer(p) => p.product = v,
                        NodeSpec::ServiceMesh(p) => p.product = v,
                        NodeSpec::GeoRouter(p) => p.product = v,
                        _ => {}
                    }
                }
            })
        },
        "e.g. Prometheus, Vault, Amazon S3",
    )
}

/// The environments of the design as select options, with "every environment" first.
fn environment_options() -> Vec<(String, String)> {
    let st = use_state();
    let mut out = vec![(String::new(), "Every environment".to_string())];
    st.design.with_untracked(|d| {
        for e in &d.environments {
            let name = if e.name.is_empty() {
                e.id.clone()
            } else {
                e.name.clone()
            };
            out.push((
                e.id.clone(),
                if e.production {
                    format!("{name} (production)")
                } else {
                    name
                },
            ));
        }
    });
    out
}

fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The fields databases, caches and queues share.
macro_rules! store_fields {
    ($st:expr, $id:expr, $variant:ident) => {{
        let st = $st;
        let id = $id.clone();
        let (g1, s1) = prop!(st, id, $variant, |p| p.version.clone(), |p, v: String| p.version = v);
        let (g2, s2) = prop!(st, id, $variant, |p| p.managed, |p, v: bool| p.managed = v);
        let (g3, s3) = prop!(st, id, $variant, |p| p.multi_az, |p, v: bool| p.multi_az = v);
        let (g4, s4) = prop!(st, id, $variant, |p| p.backups, |p, v: bool| p.backups = v);
        let (g5, s5) = prop!(st, id, $variant, |p| p.replicas.to_string(), |p, v: u32| p.replicas = v);
        let (g6, s6) = prop!(st, id, $variant, |p| p.jurisdiction.clone(), |p, v: String| p.jurisdiction = v);
        let (g7, s7) = prop!(st, id, $variant, |p| p.personal_data, |p, v: bool| p.personal_data = v);
        let (g8, s8) = prop!(st, id, $variant, |p| p.public, |p, v: bool| p.public = v);
        view! {
            {text_field("Version", "field-version".into(), g1, s1, "16")}
            {check_field("Managed service", "field-managed".into(), g2, s2)}
            {check_field("Multi-AZ", "field-multi-az".into(), g3, s3)}
            {check_field("Backups", "field-backups".into(), g4, s4)}
            {parsed_field("Replicas beyond the primary", "field-store-replicas".into(), g5, |t| edit::parse_optional_count(t, 0, "Replicas").map(Option::unwrap_or_default), s5, "0")}
            {parsed_field("Data jurisdiction", "field-jurisdiction".into(), g6, input::parse_country, s6, "inherits the region's")}
            {check_field("Holds personal data", "field-personal-data".into(), g7, s7)}
            {check_field("Public endpoint", "field-public".into(), g8, s8)}
        }
    }};
}

fn kind_fields(kind: Kind, id: String) -> AnyView {
    let st = use_state();
    match kind {
        Kind::Provider => {
            let (g, s) =
                prop!(
                    st,
                    id,
                    Provider,
                    |p| enum_name(&p.cloud),
                    |p, v: String| if let Some(c) = enum_from(&v) {
                        p.cloud = c
                    }
                );
            let options = crate::model::Cloud::ALL
                .iter()
                .map(|c| (enum_name(c), c.label().to_string()))
                .collect();
            select_field("Cloud", "field-cloud".into(), options, g, s).into_any()
        }
        Kind::Region => {
            let (g1, s1) = prop!(st, id, Region, |p| p.code.clone(), |p, v: String| p.code =
                v);
            let (g2, s2) = prop!(
                st,
                id,
                Region,
                |p| p.jurisdiction.clone(),
                |p, v: String| p.jurisdiction = v
            );
            view! {
                {text_field("Region code", "field-code".into(), g1, s1, "eu-central-1")}
                {parsed_field("Data jurisdiction", "field-jurisdiction".into(), g2, input::parse_country, s2, "ISO country code or EU")}
            }
            .into_any()
        }
        Kind::Zone => {
            let (g, s) = prop!(st, id, Zone, |p| p.code.clone(), |p, v: String| p.code = v);
            text_field("Zone code", "field-code".into(), g, s, "eu-central-1a").into_any()
        }
        Kind::Subnet => {
            let (g1, s1) = prop!(
                st,
                id,
                Subnet,
                |p| enum_name(&p.visibility),
                |p, v: String| if let Some(x) = enum_from(&v) {
                    p.visibility = x
                }
            );
            let (g2, s2) = prop!(st, id, Subnet, |p| p.cidr.clone(), |p, v: String| p.cidr =
                v);
            view! {
                {select_field("Visibility", "field-visibility".into(), opts(&[("private", "Private"), ("public", "Public")]), g1, s1)}
                {parsed_field("CIDR", "field-cidr".into(), g2, input::parse_cidr, s2, "10.0.0.0/24")}
            }
            .into_any()
        }
        Kind::KubernetesCluster => {
            let (g1, s1) = prop!(
                st,
                id,
                KubernetesCluster,
                |p| p.environment.clone(),
                |p, v: String| p.environment = v
            );
            let (g2, s2) = prop!(
                st,
                id,
                KubernetesCluster,
                |p| p.zones.join(", "),
                |p, v: String| p.zones = split_list(&v)
            );
            let (g3, s3) = prop!(
                st,
                id,
                KubernetesCluster,
                |p| p.version.clone(),
                |p, v: String| p.version = v
            );
            let (g4, s4) = prop!(st, id, KubernetesCluster, |p| p.managed, |p, v: bool| p
                .managed =
                v);
            let (g5, s5) = prop!(
                st,
                id,
                KubernetesCluster,
                |p| p.network_policies,
                |p, v: bool| p.network_policies = v
            );
            view! {
                {select_field("Environment", "field-environment".into(), environment_options(), g1, s1)}
                {text_field("Zones (comma-separated)", "field-zones".into(), g2, s2, "eu-central-1a, eu-central-1b")}
                {text_field("Kubernetes version", "field-version".into(), g3, s3, "1.30")}
                {check_field("Managed control plane", "field-managed".into(), g4, s4)}
                {check_field("Default-deny network policies", "field-network-policies".into(), g5, s5)}
            }
            .into_any()
        }
        Kind::SwarmCluster => {
            let (g1, s1) = prop!(
                st,
                id,
                SwarmCluster,
                |p| p.environment.clone(),
                |p, v: String| p.environment = v
            );
            let (g2, s2) = prop!(
                st,
                id,
                SwarmCluster,
                |p| p.zones.join(", "),
                |p, v: String| p.zones = split_list(&v)
            );
            let (g3, s3) = prop!(
                st,
                id,
                SwarmCluster,
                |p| p.managers.to_string(),
                |p, v: u32| p.managers = v
            );
            let (g4, s4) = prop!(
                st,
                id,
                SwarmCluster,
                |p| p.workers.to_string(),
                |p, v: u32| p.workers = v
            );
            view! {
                {select_field("Environment", "field-environment".into(), environment_options(), g1, s1)}
                {text_field("Zones (comma-separated)", "field-zones".into(), g2, s2, "zone-a, zone-b")}
                {parsed_field("Managers", "field-managers".into(), g3, |t| edit::parse_optional_count(t, 1, "Managers").and_then(|v| v.ok_or_else(|| "Managers must be at least 1".to_string())), s3, "1")}
                {parsed_field("Workers", "field-workers".into(), g4, |t| edit::parse_optional_count(t, 0, "Workers").map(Option::unwrap_or_default), s4, "0")}
            }
            .into_any()
        }
        Kind::Namespace => {
            let (g, s) = prop!(st, id, Namespace, |p| p.mesh_injection, |p, v: bool| p
                .mesh_injection =
                v);
            check_field(
                "Mesh sidecar injection",
                "field-mesh-injection".into(),
                g,
                s,
            )
            .into_any()
        }
        Kind::Workload => workload_fields(id).into_any(),
        Kind::Database => {
            let (g, s) = prop!(
                st,
                id,
                Database,
                |p| enum_name(&p.engine),
                |p, v: String| if let Some(x) = enum_from(&v) {
                    p.engine = x
                }
            );
            let engine = select_field(
                "Engine",
                "field-engine".into(),
                opts(&[
                    ("postgresql", "PostgreSQL"),
                    ("mysql", "MySQL"),
                    ("mongodb", "MongoDB"),
                ]),
                g,
                s,
            );
            view! { {engine} {store_fields!(st, id, Database)} }.into_any()
        }
        Kind::Cache => {
            let (g, s) = prop!(
                st,
                id,
                Cache,
                |p| enum_name(&p.engine),
                |p, v: String| if let Some(x) = enum_from(&v) {
                    p.engine = x
                }
            );
            let engine = select_field(
                "Engine",
                "field-engine".into(),
                opts(&[("redis", "Redis"), ("memcached", "Memcached")]),
                g,
                s,
            );
            view! { {engine} {store_fields!(st, id, Cache)} }.into_any()
        }
        Kind::Queue => {
            let (g, s) = prop!(
                st,
                id,
                Queue,
                |p| enum_name(&p.engine),
                |p, v: String| if let Some(x) = enum_from(&v) {
                    p.engine = x
                }
            );
            let engine = select_field(
                "Engine",
                "field-engine".into(),
                opts(&[
                    ("kafka", "Kafka"),
                    ("rabbitmq", "RabbitMQ"),
                    ("nats", "NATS"),
                ]),
                g,
                s,
            );
            view! { {engine} {store_fields!(st, id, Queue)} }.into_any()
        }
        Kind::ObjectStorage => {
            let (g1, s1) = prop!(st, id, ObjectStorage, |p| p.public_read, |p, v: bool| p
                .public_read =
                v);
            let (g2, s2) = prop!(
                st,
                id,
                ObjectStorage,
                |p| p.jurisdiction.clone(),
                |p, v: String| p.jurisdiction = v
            );
            let (g3, s3) = prop!(st, id, ObjectStorage, |p| p.personal_data, |p, v: bool| p
                .personal_data =
                v);
            view! {
                {product_field(id.clone())}
                {check_field("Public read", "field-public-read".into(), g1, s1)}
                {parsed_field("Data jurisdiction", "field-jurisdiction".into(), g2, input::parse_country, s2, "inherits the region's")}
                {check_field("Holds personal data", "field-personal-data".into(), g3, s3)}
            }
            .into_any()
        }
        Kind::LoadBalancer => {
            let (g1, s1) = prop!(
                st,
                id,
                LoadBalancer,
                |p| enum_name(&p.layer),
                |p, v: String| if let Some(x) = enum_from(&v) {
                    p.layer = x
                }
            );
            let (g2, s2) = prop!(st, id, LoadBalancer, |p| p.public, |p, v: bool| p.public =
                v);
            let (g3, s3) = prop!(st, id, LoadBalancer, |p| p.tls, |p, v: bool| p.tls = v);
            let (g4, s4) = prop!(st, id, LoadBalancer, |p| p.client_side, |p, v: bool| p
                .client_side =
                v);
            view! {
                {product_field(id.clone())}
                {select_field("Layer", "field-layer".into(), opts(&[("l7", "L7 (HTTP)"), ("l4", "L4 (TCP/UDP)")]), g1, s1)}
                {check_field("Faces the internet", "field-public".into(), g2, s2)}
                {check_field("TLS", "field-tls".into(), g3, s3)}
                {check_field("Client-side balancer", "field-client-side".into(), g4, s4)}
            }
            .into_any()
        }
        Kind::IngressController => {
            let (g1, s1) = prop!(
                st,
                id,
                IngressController,
                |p| p.class.clone(),
                |p, v: String| p.class = v
            );
            let (g2, s2) = prop!(st, id, IngressController, |p| p.tls, |p, v: bool| p.tls = v);
            view! {
                {text_field("Ingress class", "field-class".into(), g1, s1, "nginx")}
                {check_field("TLS", "field-tls".into(), g2, s2)}
            }
            .into_any()
        }
        Kind::ServiceMesh => {
            let (g, s) = prop!(st, id, ServiceMesh, |p| p.mtls, |p, v: bool| p.mtls = v);
            view! { {product_field(id.clone())} {check_field("Mutual TLS", "field-mtls".into(), g, s)} }.into_any()
        }
        Kind::GeoRouter => {
            let (g1, s1) = prop!(
                st,
                id,
                GeoRouter,
                |p| enum_name(&p.policy),
                |p, v: String| if let Some(x) = enum_from(&v) {
                    p.policy = x
                }
            );
            let (g2, s2) = prop!(st, id, GeoRouter, |p| p.health_check, |p, v: bool| p
                .health_check =
                v);
            view! {
                {product_field(id.clone())}
                {select_field("Routing policy", "field-policy".into(), opts(&[("geo", "By country"), ("failover", "Failover"), ("weighted", "Weighted"), ("latency", "Latency")]), g1, s1)}
                {check_field("Health checks", "field-health-check".into(), g2, s2)}
            }
            .into_any()
        }
        Kind::UserGroup => {
            let (g1, s1) = prop!(st, id, UserGroup, |p| p.country.clone(), |p, v: String| p
                .country =
                v);
            let (g2, s2) = prop!(st, id, UserGroup, |p| p.personal_data, |p, v: bool| p
                .personal_data =
                v);
            let (g3, s3) = prop!(st, id, UserGroup, |p| p.staff, |p, v: bool| p.staff = v);
            view! {
                {parsed_field("Country", "field-country".into(), g1, input::parse_country, s1, "ISO code (DE, RU) or EU")}
                {check_field("Requests carry personal data", "field-personal-data".into(), g2, s2)}
                {check_field("Staff", "field-staff".into(), g3, s3)}
            }
            .into_any()
        }
        Kind::ContainerRegistry
        | Kind::Cdn
        | Kind::Waf
        | Kind::VpnGateway
        | Kind::Monitoring
        | Kind::Logging
        | Kind::Tracing
        | Kind::SecretStore
        | Kind::ConfigStore
        | Kind::SecurityService
        | Kind::CiCd
        | Kind::ExternalSystem => product_field(id).into_any(),
    }
}

fn workload_fields(id: String) -> impl IntoView {
    let st = use_state();
    let (g_type, s_type) = prop!(
        st,
        id,
        Workload,
        |p| enum_name(&p.workload_type),
        |p, v: String| if let Some(x) = enum_from(&v) {
            p.workload_type = x
        }
    );
    let (g_img, s_img) = prop!(st, id, Workload, |p| p.image.clone(), |p, v: String| p
        .image =
        v);
    let (g_tag, s_tag) = prop!(st, id, Workload, |p| p.tag.clone(), |p, v: String| p.tag =
        v);
    let (g_rep, s_rep) = prop!(st, id, Workload, |p| p.replicas.to_string(), |p, v: u32| {
        p.replicas = v
    });
    let (g_ports, s_ports) = prop!(st, id, Workload, |p| input::ports_text(&p.ports), |p, v: Vec<Port>| p.ports = v);
    let (g_exp, s_exp) = prop!(
        st,
        id,
        Workload,
        |p| enum_name(&p.exposure),
        |p, v: String| if let Some(x) = enum_from(&v) {
            p.exposure = x
        }
    );
    let (g_host, s_host) = prop!(st, id, Workload, |p| p.host.clone(), |p, v: String| p
        .host =
        v);
    let (g_str, s_str) = prop!(
        st,
        id,
        Workload,
        |p| strategy_name(&p.strategy).to_string(),
        |p, v: String| p.strategy = strategy_from(&v, &p.strategy)
    );
    let (g_live, s_live) = prop!(st, id, Workload, |p| p.liveness.as_ref().map(input::probe_text).unwrap_or_default(), |p, v: Option<crate::model::Probe>| p.liveness = v);
    let (g_ready, s_ready) = prop!(st, id, Workload, |p| p.readiness.as_ref().map(input::probe_text).unwrap_or_default(), |p, v: Option<crate::model::Probe>| p.readiness = v);
    let (g_pd, s_pd) = prop!(st, id, Workload, |p| p.personal_data, |p, v: bool| p
        .personal_data =
        v);
    let (g_as, s_as) = prop!(
        st,
        id,
        Workload,
        |p| p.autoscaling.is_some(),
        |p, v: bool| {
            p.autoscaling = v.then(|| Autoscaling {
                min: p.replicas.max(2),
                max: p.replicas.max(2) * 3,
                target_cpu: 70,
            })
        }
    );
    let (g_min, s_min) = prop!(
        st,
        id,
        Workload,
        |p| p
            .autoscaling
            .as_ref()
            .map(|a| a.min.to_string())
            .unwrap_or_default(),
        |p, v: u32| if let Some(a) = &mut p.autoscaling {
            a.min = v
        }
    );
    let (g_max, s_max) = prop!(
        st,
        id,
        Workload,
        |p| p
            .autoscaling
            .as_ref()
            .map(|a| a.max.to_string())
            .unwrap_or_default(),
        |p, v: u32| if let Some(a) = &mut p.autoscaling {
            a.max = v
        }
    );
    let (g_cpu, s_cpu) = prop!(
        st,
        id,
        Workload,
        |p| p
            .autoscaling
            .as_ref()
            .map(|a| a.target_cpu.to_string())
            .unwrap_or_default(),
        |p, v: u8| if let Some(a) = &mut p.autoscaling {
            a.target_cpu = v
        }
    );
    let (g_cr, s_cr) = prop!(
        st,
        id,
        Workload,
        |p| p.resources.cpu_request.clone(),
        |p, v: String| p.resources.cpu_request = v
    );
    let (g_cl, s_cl) = prop!(
        st,
        id,
        Workload,
        |p| p.resources.cpu_limit.clone(),
        |p, v: String| p.resources.cpu_limit = v
    );
    let (g_mr, s_mr) = prop!(
        st,
        id,
        Workload,
        |p| p.resources.memory_request.clone(),
        |p, v: String| p.resources.memory_request = v
    );
    let (g_ml, s_ml) = prop!(
        st,
        id,
        Workload,
        |p| p.resources.memory_limit.clone(),
        |p, v: String| p.resources.memory_limit = v
    );

    let id_as = id.clone();
    let has_autoscaling = Memo::new(move |_| {
        st.design.with(|d| {
            d.node(&id_as)
                .and_then(|n| n.spec.workload())
                .is_some_and(|w| w.autoscaling.is_some())
        })
    });
    let autoscaling = move || {
        has_autoscaling.get().then(|| {
            let (g_min, s_min, g_max, s_max, g_cpu, s_cpu) = (g_min.clone(), s_min.clone(), g_max.clone(), s_max.clone(), g_cpu.clone(), s_cpu.clone());
            view! {
                <div class="field-row">
                    {parsed_field("Min", "field-autoscaling-min".into(), g_min, edit::parse_replicas, s_min, "2")}
                    {parsed_field("Max", "field-autoscaling-max".into(), g_max, edit::parse_replicas, s_max, "6")}
                    {parsed_field("CPU %", "field-autoscaling-cpu".into(), g_cpu, |t| match t.trim().parse::<u8>() { Ok(n) if (1..=100).contains(&n) => Ok(n), _ => Err("A percentage from 1 to 100".to_string()) }, s_cpu, "70")}
                </div>
            }
        })
    };

    view! {
        {select_field("Type", "field-workload-type".into(), opts(&[("stateless", "Stateless service"), ("stateful", "Stateful set"), ("job", "Job")]), g_type, s_type)}
        <div class="field-row">
            {text_field("Image", "field-image".into(), g_img, s_img, "registry/app")}
            {parsed_field("Tag", "field-tag".into(), g_tag, input::parse_tag, s_tag, "1.0.0")}
        </div>
        {parsed_field("Replicas", "field-replicas".into(), g_rep, edit::parse_replicas, s_rep, "1")}
        {parsed_field("Ports (name:number/protocol)", "field-ports".into(), g_ports, input::parse_ports, s_ports, "http:8080, grpc:9090/grpc")}
        <div class="field-row">
            {select_field("Exposure", "field-exposure".into(), opts(&[("internal", "Internal"), ("external", "External")]), g_exp, s_exp)}
            {select_field("Strategy", "field-strategy".into(), opts(&[("rolling", "Rolling"), ("recreate", "Recreate"), ("blue_green", "Blue-green"), ("canary", "Canary"), ("ab_testing", "A/B testing")]), g_str, s_str)}
        </div>
        {strategy_details(id.clone())}
        {parsed_field("Public host", "field-host".into(), g_host, input::parse_host, s_host, "shop.example.com")}
        <div class="field-row">
            {parsed_field("Liveness probe", "field-liveness".into(), g_live, input::parse_probe, s_live, "8080/healthz")}
            {parsed_field("Readiness probe", "field-readiness".into(), g_ready, input::parse_probe, s_ready, "8080/ready")}
        </div>
        {check_field("Processes personal data", "field-personal-data".into(), g_pd, s_pd)}
        {check_field("Autoscaling", "field-autoscaling".into(), g_as, s_as)}
        {autoscaling}
        <details class="sub">
            <summary>"Resources"</summary>
            <div class="field-row">
                {parsed_field("CPU request", "field-cpu-request".into(), g_cr, |t| input::parse_quantity(t, Quantity::Cpu), s_cr, "250m")}
                {parsed_field("CPU limit", "field-cpu-limit".into(), g_cl, |t| input::parse_quantity(t, Quantity::Cpu), s_cl, "1")}
            </div>
            <div class="field-row">
                {parsed_field("Memory request", "field-memory-request".into(), g_mr, |t| input::parse_quantity(t, Quantity::Memory), s_mr, "256Mi")}
                {parsed_field("Memory limit", "field-memory-limit".into(), g_ml, |t| input::parse_quantity(t, Quantity::Memory), s_ml, "512Mi")}
            </div>
        </details>
        {env_list(id.clone())}
        {overrides(id)}
    }
}

fn strategy_name(s: &Strategy) -> &'static str {
    match s {
        Strategy::Rolling => "rolling",
        Strategy::Recreate => "recreate",
        Strategy::BlueGreen => "blue_green",
        Strategy::Canary { .. } => "canary",
        Strategy::AbTesting { .. } => "ab_testing",
    }
}

fn strategy_from(name: &str, current: &Strategy) -> Strategy {
    if strategy_name(current) == name {
        return current.clone();
    }
    match name {
        "recreate" => Strategy::Recreate,
        "blue_green" => Strategy::BlueGreen,
        "canary" => Strategy::Canary {
            step_weight: 10,
            max_weight: 50,
        },
        "ab_testing" => Strategy::AbTesting {
            flags: Vec::new(),
            headers: Vec::new(),
        },
        _ => Strategy::Rolling,
    }
}

/// Environment variables: plain values or references to a key in a secret store node.
fn env_list(id: String) -> impl IntoView {
    let st = use_state();
    let id_count = id.clone();
    let count = Memo::new(move |_| {
        st.design.with(|d| {
            d.node(&id_count)
                .and_then(|n| n.spec.workload())
                .map_or(0, |w| w.env.len())
        })
    });
    let id_add = id.clone();
    let add = move |_| {
        st.edit(|d| {
            if let Some(NodeSpec::Workload(w)) = d.node_mut(&id_add).map(|n| &mut n.spec) {
                w.env.push(EnvVar {
                    name: format!("VAR_{}", w.env.len() + 1),
                    value: EnvValue::Plain(String::new()),
                });
            }
        })
    };
    let rows = move || {
        (0..count.get())
            .map(|i| env_row(id.clone(), i))
            .collect_view()
    };
    view! {
        <fieldset class="env-list" data-testid="env-list">
            <legend>"Environment variables"</legend>
            {rows}
            <button type="button" class="small" data-testid="env-add" on:click=add>"+ Variable"</button>
        </fieldset>
    }
}

fn env_row(id: String, i: usize) -> impl IntoView {
    let st = use_state();
    let read = {
        let id = id.clone();
        move |f: fn(&EnvVar) -> String| {
            let id = id.clone();
            move || {
                st.design.with(|d| {
                    d.node(&id)
                        .and_then(|n| n.spec.workload())
                        .and_then(|w| w.env.get(i))
                        .map(f)
                        .unwrap_or_default()
                })
            }
        }
    };
    let write = {
        let id = id.clone();
        move |f: fn(&mut EnvVar, String)| {
            let id = id.clone();
            move |v: String| {
                st.edit(|d| {
                    if let Some(NodeSpec::Workload(w)) = d.node_mut(&id).map(|n| &mut n.spec) {
                        if let Some(var) = w.env.get_mut(i) {
                            f(var, v);
                        }
                    }
                })
            }
        }
    };
    let is_secret = Memo::new({
        let get = read(|v| matches!(v.value, EnvValue::Secret { .. }).to_string());
        move |_| get() == "true"
    });
    let stores = move || {
        st.design.with_untracked(|d| {
            let mut o: Vec<(String, String)> =
                vec![(String::new(), "Choose a secret store".into())];
            o.extend(
                d.nodes
                    .iter()
                    .filter(|n| n.kind() == Kind::SecretStore)
                    .map(|n| (n.id.clone(), n.name.clone())),
            );
            o
        })
    };
    let value_part = {
        let read = read.clone();
        let write = write.clone();
        move || {
            if is_secret.get() {
                view! {
                    <div class="field-row">
                        {select_field("Store", format!("env-store-{i}"), stores(), read(|v| match &v.value { EnvValue::Secret { store, .. } => store.clone(), _ => String::new() }), write(|v, s| if let EnvValue::Secret { store, .. } = &mut v.value { *store = s }))}
                        {text_field("Key", format!("env-key-{i}"), read(|v| match &v.value { EnvValue::Secret { key, .. } => key.clone(), _ => String::new() }), write(|v, s| if let EnvValue::Secret { key, .. } = &mut v.value { *key = s }), "db/password")}
                    </div>
                }
                .into_any()
            } else {
                text_field(
                    "Value",
                    format!("env-value-{i}"),
                    read(|v| match &v.value {
                        EnvValue::Plain(s) => s.clone(),
                        _ => String::new(),
                    }),
                    write(|v, s| v.value = EnvValue::Plain(s)),
                    "",
                )
                .into_any()
            }
        }
    };
    let id_rm = id.clone();
    let remove = move |_| {
        st.edit(|d| {
            if let Some(NodeSpec::Workload(w)) = d.node_mut(&id_rm).map(|n| &mut n.spec) {
                if i < w.env.len() {
                    w.env.remove(i);
                }
            }
        })
    };
    view! {
        <div class="env-row" data-testid="env-row">
            <div class="field-row">
                {text_field("Name", format!("env-name-{i}"), read(|v| v.name.clone()), write(|v, s| v.name = s), "DATABASE_URL")}
                {select_field("Value is", format!("env-type-{i}"), opts(&[("plain", "Plain"), ("secret", "Secret reference")]), read(|v| if matches!(v.value, EnvValue::Secret { .. }) { "secret".into() } else { "plain".into() }), write(|v, s| {
                    v.value = if s == "secret" { EnvValue::Secret { store: String::new(), key: String::new() } } else { EnvValue::Plain(String::new()) }
                }))}
                <button type="button" class="icon-button" title="Remove this variable" aria-label="Remove variable" on:click=remove>"×"</button>
            </div>
            {value_part}
        </div>
    }
}

/// One thing a workload may set per environment: label, test id, and how it reads and writes
/// the override (text in, text out; empty inherits the base value).
struct OverrideField {
    label: &'static str,
    testid: &'static str,
    placeholder: &'static str,
    get: fn(&WorkloadOverride) -> String,
    set: fn(&mut WorkloadOverride, &WorkloadProps, &str) -> Result<(), String>,
}

const OVERRIDES: [OverrideField; 5] = [
    OverrideField {
        label: "Replicas",
        testid: "replicas",
        placeholder: "inherit",
        get: |o| o.replicas.map(|r| r.to_string()).unwrap_or_default(),
        set: |o, _, t| {
            o.replicas = edit::parse_optional_count(t, 1, "Replicas")?;
            Ok(())
        },
    },
    OverrideField {
        label: "Autoscaling",
        testid: "autoscaling",
        placeholder: "inherit, e.g. 2-12 @ 60%",
        get: |o| o.autoscaling.as_ref().map(input::autoscaling_text).unwrap_or_default(),
        set: |o, w, t| {
            let cpu = w.autoscaling.as_ref().map_or(70, |a| a.target_cpu);
            o.autoscaling = input::parse_autoscaling(t, cpu)?;
            Ok(())
        },
    },
    OverrideField {
        label: "Resources (CPU, memory)",
        testid: "resources",
        placeholder: "inherit, e.g. 250m/1, 256Mi/512Mi",
        get: |o| o.resources.as_ref().map(input::resources_text).unwrap_or_default(),
        set: |o, _, t| {
            o.resources = input::parse_resources(t)?;
            Ok(())
        },
    },
    OverrideField {
        label: "Image tag",
        testid: "tag",
        placeholder: "inherit",
        get: |o| o.tag.clone().unwrap_or_default(),
        set: |o, _, t| {
            o.tag = Some(input::parse_tag(t)?).filter(|t| !t.is_empty());
            Ok(())
        },
    },
    OverrideField {
        label: "Public host",
        testid: "host",
        placeholder: "inherit",
        get: |o| o.host.clone().unwrap_or_default(),
        set: |o, _, t| {
            o.host = Some(input::parse_host(t)?).filter(|t| !t.is_empty());
            Ok(())
        },
    },
];

/// What differs per environment (replicas, autoscaling, resources, tag, host); empty inherits.
fn overrides(id: String) -> impl IntoView {
    let st = use_state();
    let envs = st.design.with_untracked(|d| d.environments.clone());
    if envs.is_empty() {
        return None;
    }
    let rows = envs
        .into_iter()
        .map(|env| {
            let fields = OVERRIDES
                .iter()
                .map(|f| {
                    let (id1, id2, e1, e2) = (id.clone(), id.clone(), env.id.clone(), env.id.clone());
                    let (get, set) = (f.get, f.set);
                    let value = move || {
                        st.design.with(|d| {
                            d.node(&id1)
                                .and_then(|n| n.spec.workload())
                                .and_then(|w| w.overrides.get(&e1))
                                .map(get)
                                .unwrap_or_default()
                        })
                    };
                    // try_edit commits only what parses: a refused entry changes nothing.
                    let apply = move |text: &str| {
                        st.try_edit(|d| {
                            let Some(NodeSpec::Workload(w)) = d.node_mut(&id2).map(|n| &mut n.spec) else {
                                return Ok(());
                            };
                            let base = w.clone();
                            let o = w.overrides.entry(e2.clone()).or_default();
                            set(o, &base, text)?;
                            if *o == WorkloadOverride::default() {
                                w.overrides.remove(&e2);
                            }
                            Ok(())
                        })
                    };
                    parsed_field(f.label, format!("field-override-{}-{}", f.testid, env.id), value, apply, |()| {}, f.placeholder)
                })
                .collect_view();
            let name = if env.name.is_empty() { env.id.clone() } else { env.name.clone() };
            let title = if env.production { format!("{name} (production)") } else { name };
            view! {
                <details class="sub override-env" data-testid=format!("override-{}", env.id)>
                    <summary title=env.id.clone()>{title}</summary>
                    <div class="field-grid">{fields}</div>
                </details>
            }
        })
        .collect_view();
    Some(view! {
        <fieldset class="overrides">
            <legend>"Per environment"</legend>
            {rows}
        </fieldset>
    })
}

fn edge_form(id: String) -> impl IntoView {
    let st = use_state();
    let Some((from, to)) = st
        .design
        .with_untracked(|d| d.edge(&id).map(|e| (e.from.clone(), e.to.clone())))
    else {
        return view! { <p class="muted">"This link no longer exists."</p> }.into_any();
    };
    let (fk, fname) = st
        .node_label(&from)
        .unwrap_or((Kind::ExternalSystem, from.clone()));
    let (tk, tname) = st
        .node_label(&to)
        .unwrap_or((Kind::ExternalSystem, to.clone()));
    let kinds: Vec<(String, String)> = fk
        .edge_kinds_to(tk)
        .into_iter()
        .map(|k| (k.as_str().to_string(), k.label().to_string()))
        .collect();
    let id_k = id.clone();
    let id_k2 = id.clone();
    let kind = Memo::new(move |_| st.design.with(|d| d.edge(&id_k).map(|e| e.kind())));
    let set_kind = move |v: String| {
        if let Some(k) = EdgeKind::ALL.into_iter().find(|k| k.as_str() == v) {
            if let Err(reason) = st.try_edit(|d| crate::model::edit::set_edge_kind(d, &id_k2, k)) {
                st.refuse(reason);
            }
        }
    };
    let id_l = id.clone();
    let id_l2 = id.clone();
    let label = text_field(
        "Label",
        "field-edge-label".into(),
        move || {
            st.design
                .with(|d| d.edge(&id_l).map(|e| e.label.clone()).unwrap_or_default())
        },
        move |v| {
            st.edit(|d| {
                if let Some(e) = d.edges.iter_mut().find(|e| e.id == id_l2) {
                    e.label = v
                }
            })
        },
        "shown on the canvas instead of the details",
    );
    let id_props = id.clone();
    let props = move || kind.get().map(|k| edge_props(k, id_props.clone()));
    view! {
        <div class="form" data-edge=id.clone()>
            <header class="form-head">
                <div>
                    <div class="form-kind">"Link"</div>
                    <div class="form-where">{format!("{fname} → {tname}")}</div>
                </div>
            </header>
            {select_field("Kind", "field-edge-kind".into(), kinds, move || kind.get().map(|k| k.as_str().to_string()).unwrap_or_default(), set_kind)}
            {label}
            {props}
        </div>
    }
    .into_any()
}

fn edge_props(kind: EdgeKind, id: String) -> AnyView {
    let st = use_state();
    match kind {
        EdgeKind::Traffic => {
            let (g1, s1) = eprop!(
                st,
                id,
                Traffic,
                |p| p.protocol.as_str().to_string(),
                |p, v: String| if let Some(x) = crate::model::Protocol::ALL
                    .into_iter()
                    .find(|x| x.as_str() == v)
                {
                    p.protocol = x
                }
            );
            let (g2, s2) = eprop!(
                st,
                id,
                Traffic,
                |p| p.port.map(|x| x.to_string()).unwrap_or_default(),
                |p, v: Option<u16>| p.port = v
            );
            view! {
                {select_field("Protocol", "field-protocol".into(), opts(&[("http", "HTTP"), ("https", "HTTPS"), ("grpc", "gRPC"), ("tcp", "TCP"), ("udp", "UDP")]), g1, s1)}
                {parsed_field("Port", "field-port".into(), g2, edit::parse_port, s2, "443")}
            }
            .into_any()
        }
        EdgeKind::Access => {
            let (g, s) = eprop!(
                st,
                id,
                Access,
                |p| enum_name(&p.mode),
                |p, v: String| if let Some(x) = enum_from(&v) {
                    p.mode = x
                }
            );
            select_field(
                "Access",
                "field-access-mode".into(),
                opts(&[
                    ("read_write", "Reads and writes"),
                    ("read", "Reads"),
                    ("write", "Writes"),
                ]),
                g,
                s,
            )
            .into_any()
        }
        EdgeKind::Replication => {
            let (g1, s1) = eprop!(
                st,
                id,
                Replication,
                |p| enum_name(&p.mode),
                |p, v: String| if let Some(x) = enum_from(&v) {
                    p.mode = x
                }
            );
            let (g2, s2) = eprop!(
                st,
                id,
                Replication,
                |p| p.rpo_minutes.map(|x| x.to_string()).unwrap_or_default(),
                |p, v: Option<u32>| p.rpo_minutes = v
            );
            view! {
                {select_field("Mode", "field-replication-mode".into(), opts(&[("async", "Asynchronous"), ("sync", "Synchronous")]), g1, s1)}
                {parsed_field("RPO (minutes)", "field-rpo".into(), g2, |t| edit::parse_optional_count(t, 0, "The RPO"), s2, "15")}
            }
            .into_any()
        }
        EdgeKind::Vpn => {
            let (g, s) = eprop!(st, id, Vpn, |p| p.product.clone(), |p, v: String| p
                .product =
                v);
            text_field("Product", "field-product".into(), g, s, "OpenVPN").into_any()
        }
        EdgeKind::GeoRoute => {
            let (g1, s1) = eprop!(
                st,
                id,
                GeoRoute,
                |p| p.countries.join(", "),
                |p, v: Vec<String>| p.countries = v
            );
            let (g2, s2) = eprop!(
                st,
                id,
                GeoRoute,
                |p| p.failover.map(|f| enum_name(&f)).unwrap_or_default(),
                |p, v: String| p.failover = enum_from(&v)
            );
            view! {
                {parsed_field("Countries (comma-separated)", "field-countries".into(), g1, input::parse_countries, s1, "RU, EU; empty: default route")}
                {select_field("Failover role", "field-failover".into(), opts(&[("", "None"), ("primary", "Primary"), ("standby", "Standby")]), g2, s2)}
            }
            .into_any()
        }
        EdgeKind::Observes | EdgeKind::DependsOn => ().into_any(),
    }
}

/// With nothing selected: the design's own settings, its name, description and the objectives
/// the rules check it against (for example RPO 15 min, RTO 1 h, SLO 99.9 %).
fn design_form() -> impl IntoView {
    let st = use_state();
    let get = move |f: fn(&crate::model::Design) -> String| move || st.design.with(f);
    view! {
        <div class="form" data-testid="design-form">
            <p class="muted">"Select a component or a link to edit it. Drag components from the left; drag from a node's round handle to another node to link them."</p>
            <div class="form-head"><span class="form-kind">"Design"</span></div>
            {text_field("Name", "field-design-name".into(), get(|d| d.name.clone()), move |v| st.edit(|d| d.name = v), "Untitled design")}
            {text_field("Description", "field-design-description".into(), get(|d| d.description.clone()), move |v| st.edit(|d| d.description = v), "What this deployment is for")}
            <fieldset>
                <legend>"Objectives"</legend>
                <div class="field-row">
                    {parsed_field("RPO (minutes)", "field-design-rpo".into(), get(|d| d.objectives.rpo_minutes.map(|x| x.to_string()).unwrap_or_default()), |t| edit::parse_optional_count(t, 0, "The RPO"), move |v| st.edit(|d| d.objectives.rpo_minutes = v), "15")}
                    {parsed_field("RTO (minutes)", "field-design-rto".into(), get(|d| d.objectives.rto_minutes.map(|x| x.to_string()).unwrap_or_default()), |t| edit::parse_optional_count(t, 0, "The RTO"), move |v| st.edit(|d| d.objectives.rto_minutes = v), "60")}
                    {parsed_field("SLO (%)", "field-design-slo".into(), get(|d| d.objectives.slo_percent.map(|x| x.to_string()).unwrap_or_default()), edit::parse_percent, move |v| st.edit(|d| d.objectives.slo_percent = v), "99.9")}
                </div>
                {parsed_field("Peak throughput (transactions a minute)", "field-design-throughput".into(), get(|d| d.objectives.throughput_per_minute.map(|x| x.to_string()).unwrap_or_default()), |t| edit::parse_optional_count(t, 1, "The throughput"), move |v| st.edit(|d| d.objectives.throughput_per_minute = v), "5000")}
            </fieldset>
            {environments_form::environments_editor()}
        </div>
    }
}
