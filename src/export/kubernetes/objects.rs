//! The typed Kubernetes objects of one namespace: workloads, services, config, ingress,
//! autoscalers, disruption budgets.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment, StatefulSet,
    StatefulSetSpec,
};
use k8s_openapi::api::autoscaling::v2::{
    CrossVersionObjectReference, HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec, MetricSpec,
    MetricTarget, ResourceMetricSource,
};
use k8s_openapi::api::batch::v1::{Job, JobSpec};
use k8s_openapi::api::core::v1::{
    Capabilities, ConfigMap, ConfigMapEnvSource, Container, ContainerPort, EmptyDirVolumeSource,
    EnvFromSource, EnvVar, EnvVarSource, HTTPGetAction, Namespace, PersistentVolumeClaim,
    PersistentVolumeClaimSpec, PodSecurityContext, PodSpec, PodTemplateSpec, Probe as KProbe,
    ResourceRequirements, SeccompProfile, SecretKeySelector, SecurityContext, Service, ServicePort,
    ServiceSpec, TCPSocketAction, TopologySpreadConstraint, Volume, VolumeMount,
    VolumeResourceRequirements,
};
use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule,
    IngressServiceBackend, IngressSpec, IngressTLS, ServiceBackendPort,
};
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::plan::{Body, ClusterPlan, DesignPlan, External, NsPlan, Unit};
use super::{mesh, postgres};
use crate::export::engines::{self, env_key, env_prefix, secret_key, split_image};
use crate::model::*;

pub(crate) const NAME: &str = "app.kubernetes.io/name";
pub(crate) const PART_OF: &str = "app.kubernetes.io/part-of";
pub(crate) const MANAGED_BY: &str = "app.kubernetes.io/managed-by";
/// Pod label that network policies and disruption budgets select on. Flagger rewrites the
/// `app.kubernetes.io/name` selector label of the primary pods it makes, but copies this one.
pub(crate) const WORKLOAD: &str = "infracanvas.io/workload";
/// Annotation naming the Secrets (by the secret store they mirror) a workload expects to exist.
pub(crate) const REQUIRED_SECRETS: &str = "infracanvas.io/required-secrets";
/// The numeric user our own workload images run as. Numeric, because the kubelet cannot check
/// `runAsNonRoot` against an image whose `USER` is a name, and refuses to start it.
pub(crate) const WORKLOAD_UID: i64 = 10001;

pub(crate) fn labels(name: &str, part_of: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (NAME.to_string(), name.to_string()),
        (PART_OF.to_string(), part_of.to_string()),
        (MANAGED_BY.to_string(), "infracanvas".to_string()),
    ])
}

pub(crate) fn meta(name: &str, namespace: &str, labels: BTreeMap<String, String>) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_string()),
        namespace: (!namespace.is_empty()).then(|| namespace.to_string()),
        labels: Some(labels),
        ..Default::default()
    }
}

fn with_annotations(mut m: ObjectMeta, a: BTreeMap<String, String>) -> ObjectMeta {
    if !a.is_empty() {
        m.annotations = Some(a);
    }
    m
}

pub(crate) fn match_labels(key: &str, value: &str) -> LabelSelector {
    LabelSelector {
        match_labels: Some(BTreeMap::from([(key.to_string(), value.to_string())])),
        ..Default::default()
    }
}

pub(crate) fn namespace(plan: &DesignPlan<'_>, cp: &ClusterPlan<'_>, ns: &NsPlan<'_>) -> Namespace {
    let mut l = labels(&ns.name, &plan.part_of);
    let mut a = BTreeMap::new();
    // Pod Security Admission: our own pods meet the restricted profile. A namespace with Istio
    // sidecars enforces baseline (Istio's documented setting, with its CNI plugin) and still
    // warns and audits against restricted; see `mesh::pod_security_level`.
    if !ns.infra {
        for (mode, level) in mesh::pod_security_levels(cp, ns) {
            l.insert(format!("pod-security.kubernetes.io/{mode}"), level.into());
        }
    }
    if ns.mesh_injection {
        match cp.mesh.as_deref() {
            Some(m) if m.contains("linkerd") => {
                a.insert("linkerd.io/inject".to_string(), "enabled".to_string());
            }
            _ => {
                l.insert("istio-injection".into(), "enabled".into());
            }
        }
    }
    a.insert(
        "infracanvas.io/node-id".into(),
        plan.g.node(ns.idx).id.clone(),
    );
    Namespace {
        metadata: with_annotations(meta(&ns.name, "", l), a),
        ..Default::default()
    }
}

fn node_annotations(node: &Node) -> BTreeMap<String, String> {
    BTreeMap::from([("infracanvas.io/node-id".to_string(), node.id.clone())])
}

/// The ConfigMap of a workload: its plain variables and the connection settings of the stores
/// it uses. `None` when there is nothing to put in it.
pub(crate) fn config_map(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    ns: &NsPlan<'_>,
    u: &Unit<'_>,
) -> Option<ConfigMap> {
    let data = config_data(plan, cp, ns, u);
    if data.is_empty() {
        return None;
    }
    Some(ConfigMap {
        metadata: meta(&config_name(u), &ns.name, labels(&u.name, &plan.part_of)),
        data: Some(data),
        ..Default::default()
    })
}

pub(crate) fn config_name(u: &Unit<'_>) -> String {
    // `-config` may not fit after a 63-character name; ConfigMap names may be 253 long.
    format!("{}-config", u.name)
}

fn config_data(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    ns: &NsPlan<'_>,
    u: &Unit<'_>,
) -> BTreeMap<String, String> {
    let mut data = BTreeMap::new();
    let Body::Workload(w) = &u.body else {
        return data;
    };
    let g = &plan.g;
    // Connection settings first, so the user's own variables win on a clash.
    for (e, t) in g.outgoing(u.idx) {
        if !super::plan::is_use(g.edge(e).kind()) {
            continue;
        }
        let Some(store) = engines::store(&g.node(t).spec) else {
            continue;
        };
        let (service, host) = if let Some(x) = ns.externals.iter().find(|x| x.idx == t) {
            (x.name.clone(), x.name.clone())
        } else if let Some((tns, tu)) = cp.unit(t) {
            // A CloudNativePG cluster is reached through the read-write Service it makes.
            let svc = postgres::service_name(tu);
            let host = if tns.idx == ns.idx {
                svc
            } else {
                format!("{svc}.{}.svc.cluster.local", tns.name)
            };
            (tu.name.clone(), host)
        } else {
            continue;
        };
        let prefix = env_prefix(&service);
        data.insert(format!("{prefix}_HOST"), host);
        let client = engines::client(g, t, &store);
        data.insert(format!("{prefix}_PORT"), client.port.to_string());
        data.insert(format!("{prefix}_ENGINE"), store.engine.name.to_string());
        if store.managed {
            data.insert(format!("{prefix}_AUTH"), client.auth.as_str().to_string());
        }
    }
    for v in &w.env {
        if let EnvValue::Plain(value) = &v.value {
            data.insert(env_key(&v.name), value.clone());
        }
    }
    // A variable that is also a secret reference must come from the Secret only.
    for v in &w.env {
        if matches!(v.value, EnvValue::Secret { .. }) {
            data.remove(&env_key(&v.name));
        }
    }
    data
}

/// Secret references as `secretKeyRef` variables, and the Secret names they expect.
fn secret_env(plan: &DesignPlan<'_>, w: &WorkloadProps) -> (Vec<EnvVar>, Vec<String>) {
    let mut vars: Vec<EnvVar> = Vec::new();
    let mut secrets: Vec<String> = Vec::new();
    for v in &w.env {
        let EnvValue::Secret { store, key } = &v.value else {
            continue;
        };
        let name = env_key(&v.name);
        if vars.iter().any(|e| e.name == name) {
            continue;
        }
        let secret = plan.secret_name(store);
        vars.push(secret_var(&name, &secret, &secret_key(key)));
        if !secrets.contains(&secret) {
            secrets.push(secret);
        }
    }
    secrets.sort();
    (vars, secrets)
}

fn secret_var(name: &str, secret: &str, key: &str) -> EnvVar {
    EnvVar {
        name: name.to_string(),
        value_from: Some(EnvVarSource {
            secret_key_ref: Some(SecretKeySelector {
                name: secret.to_string(),
                key: key.to_string(),
                optional: None,
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn quantities(cpu: &str, memory: &str) -> Option<BTreeMap<String, Quantity>> {
    let mut m = BTreeMap::new();
    if !cpu.trim().is_empty() {
        m.insert("cpu".to_string(), Quantity(cpu.trim().to_string()));
    }
    if !memory.trim().is_empty() {
        m.insert("memory".to_string(), Quantity(memory.trim().to_string()));
    }
    (!m.is_empty()).then_some(m)
}

pub(crate) fn resources(r: &Resources) -> Option<ResourceRequirements> {
    let requests = quantities(&r.cpu_request, &r.memory_request);
    let limits = quantities(&r.cpu_limit, &r.memory_limit);
    (requests.is_some() || limits.is_some()).then(|| ResourceRequirements {
        requests,
        limits,
        ..Default::default()
    })
}

fn probe(p: &Probe, ports: &[(u16, Protocol, String)]) -> Option<KProbe> {
    let port = if p.port != 0 {
        p.port
    } else {
        ports.first()?.0
    };
    let https = ports
        .iter()
        .any(|(q, pr, _)| *q == port && *pr == Protocol::Https);
    let mut k = KProbe {
        period_seconds: Some(10),
        ..Default::default()
    };
    if p.path.trim().is_empty() {
        k.tcp_socket = Some(TCPSocketAction {
            port: IntOrString::Int(port.into()),
            ..Default::default()
        });
    } else {
        let path = if p.path.starts_with('/') {
            p.path.clone()
        } else {
            format!("/{}", p.path)
        };
        k.http_get = Some(HTTPGetAction {
            path: Some(path),
            port: IntOrString::Int(port.into()),
            scheme: https.then(|| "HTTPS".to_string()),
            ..Default::default()
        });
    }
    Some(k)
}

fn container_security(read_only_root: bool) -> SecurityContext {
    SecurityContext {
        run_as_non_root: Some(true),
        allow_privilege_escalation: Some(false),
        read_only_root_filesystem: Some(read_only_root),
        capabilities: Some(Capabilities {
            drop: Some(vec!["ALL".into()]),
            ..Default::default()
        }),
        seccomp_profile: Some(SeccompProfile {
            type_: "RuntimeDefault".into(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn pod_security(uid: Option<i64>) -> PodSecurityContext {
    PodSecurityContext {
        run_as_non_root: Some(true),
        run_as_user: uid,
        run_as_group: uid,
        fs_group: uid,
        seccomp_profile: Some(SeccompProfile {
            type_: "RuntimeDefault".into(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn empty_dir(name: &str) -> Volume {
    Volume {
        name: name.to_string(),
        empty_dir: Some(EmptyDirVolumeSource::default()),
        ..Default::default()
    }
}

fn mount(name: &str, path: &str) -> VolumeMount {
    VolumeMount {
        name: name.to_string(),
        mount_path: path.to_string(),
        ..Default::default()
    }
}

fn claim(name: &str, size: &str, part_of: &str, owner: &str) -> PersistentVolumeClaim {
    PersistentVolumeClaim {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            labels: Some(labels(owner, part_of)),
            ..Default::default()
        },
        spec: Some(PersistentVolumeClaimSpec {
            access_modes: Some(vec!["ReadWriteOnce".into()]),
            resources: Some(VolumeResourceRequirements {
                requests: Some(BTreeMap::from([(
                    "storage".to_string(),
                    Quantity(size.to_string()),
                )])),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn container_ports(u: &Unit<'_>) -> Option<Vec<ContainerPort>> {
    let ports: Vec<ContainerPort> = u
        .ports()
        .into_iter()
        .map(|(port, protocol, name)| ContainerPort {
            name: Some(name),
            container_port: port.into(),
            protocol: Some(kube_protocol(protocol).to_string()),
            ..Default::default()
        })
        .collect();
    (!ports.is_empty()).then_some(ports)
}

pub(crate) fn kube_protocol(p: Protocol) -> &'static str {
    if p == Protocol::Udp {
        "UDP"
    } else {
        "TCP"
    }
}

/// The pod template of a unit, with its volume claim templates for a StatefulSet.
fn pod_template(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    ns: &NsPlan<'_>,
    u: &Unit<'_>,
) -> (
    PodTemplateSpec,
    Option<Vec<PersistentVolumeClaim>>,
    BTreeMap<String, String>,
) {
    let part_of = &plan.part_of;
    let mut pod_labels = labels(&u.name, part_of);
    pod_labels.insert(WORKLOAD.into(), u.name.clone());
    let mut annotations = node_annotations(u.node);
    let ports = u.ports();
    let mut volumes = vec![empty_dir("tmp")];
    let mut mounts = vec![mount("tmp", "/tmp")];
    let mut claims = None;
    let mut c = Container {
        name: u.name.clone(),
        ports: container_ports(u),
        ..Default::default()
    };
    let (uid, read_only) = match &u.body {
        Body::Workload(w) => {
            c.image = Some(split_image(&w.image, &w.tag, &u.name).2);
            c.image_pull_policy = Some("IfNotPresent".into());
            c.resources = resources(&w.resources);
            c.liveness_probe = w.liveness.as_ref().and_then(|p| probe(p, &ports));
            c.readiness_probe = w.readiness.as_ref().and_then(|p| probe(p, &ports));
            if !config_data(plan, cp, ns, u).is_empty() {
                c.env_from = Some(vec![EnvFromSource {
                    config_map_ref: Some(ConfigMapEnvSource {
                        name: config_name(u),
                        optional: None,
                    }),
                    ..Default::default()
                }]);
            }
            let (vars, secrets) = secret_env(plan, w);
            if !vars.is_empty() {
                c.env = Some(vars);
                annotations.insert(REQUIRED_SECRETS.into(), secrets.join(","));
            }
            if w.workload_type == WorkloadType::Stateful {
                mounts.push(mount("data", "/data"));
                claims = Some(vec![claim("data", "1Gi", part_of, &u.name)]);
            }
            (Some(WORKLOAD_UID), true)
        }
        Body::Store(s) => {
            // A full version: a floating `postgres:16` pulls another build on every restart.
            c.image = Some(format!(
                "{}:{}",
                s.engine.image,
                engines::pinned_version(&s.engine, s.version)
            ));
            c.image_pull_policy = Some("IfNotPresent".into());
            // The model has no sizes for self-hosted stores; modest defaults, tuned in overlays.
            c.resources = resources(&Resources {
                cpu_request: "250m".into(),
                cpu_limit: "1".into(),
                memory_request: "512Mi".into(),
                memory_limit: "1Gi".into(),
            });
            let tcp = Probe {
                path: String::new(),
                port: s.engine.port,
            };
            c.readiness_probe = probe(&tcp, &ports);
            c.liveness_probe = probe(&tcp, &ports);
            let mut env = Vec::new();
            if let Some(var) = s.engine.password_env {
                let secret = credentials_secret(u);
                env.push(secret_var(var, &secret, "password"));
                annotations.insert(REQUIRED_SECRETS.into(), secret);
            }
            if !env.is_empty() {
                c.env = Some(env);
            }
            mounts.push(mount("data", data_mount(&s.engine)));
            for (i, path) in s.engine.writable.iter().enumerate() {
                let name = format!("run-{i}");
                volumes.push(empty_dir(&name));
                mounts.push(mount(&name, path));
            }
            claims = Some(vec![claim("data", "10Gi", part_of, &u.name)]);
            (Some(s.engine.uid), s.engine.read_only_root)
        }
    };
    c.security_context = Some(container_security(read_only));
    c.volume_mounts = Some(mounts);
    let spec = PodSpec {
        automount_service_account_token: Some(false),
        security_context: Some(pod_security(uid)),
        containers: vec![c],
        volumes: Some(volumes),
        restart_policy: u.is_job().then(|| "OnFailure".to_string()),
        topology_spread_constraints: (!u.is_job())
            .then(|| spread(plan, cp, &u.name, !u.is_stateful()))
            .flatten(),
        ..Default::default()
    };
    let template = PodTemplateSpec {
        metadata: Some(ObjectMeta {
            labels: Some(pod_labels),
            ..Default::default()
        }),
        spec: Some(spec),
    };
    (template, claims, annotations)
}

/// The Secret holding a self-hosted store's admin password (made by `secrets::credentials`).
pub(crate) fn credentials_secret(u: &Unit<'_>) -> String {
    format!("{}-credentials", u.name)
}

/// Where a store's volume is mounted. A fresh volume holds `lost+found`, and initdb refuses a
/// non-empty directory: PostgreSQL's volume goes on the parent of the image's PGDATA
/// (`/var/lib/postgresql`, as the image's documentation says), so the data lives in a
/// subdirectory of the mount.
pub(crate) fn data_mount(engine: &engines::Engine) -> &'static str {
    if engine.name == "postgresql" {
        engine
            .data_path
            .rsplit_once('/')
            .map_or(engine.data_path, |(parent, _)| parent)
    } else {
        engine.data_path
    }
}

/// The zones the cluster is drawn across.
pub(crate) fn zone_count(plan: &DesignPlan<'_>, cp: &ClusterPlan<'_>) -> usize {
    match &plan.g.node(cp.idx).spec {
        NodeSpec::KubernetesCluster(c) => {
            let mut z: Vec<&str> = c
                .zones
                .iter()
                .map(|z| z.trim())
                .filter(|z| !z.is_empty())
                .collect();
            z.sort_unstable();
            z.dedup();
            z.len()
        }
        _ => 0,
    }
}

/// Spread a unit's pods over zones (strictly) and nodes (best effort) when the cluster spans
/// more than one zone; `None` otherwise. `revisions` keeps a rollout's new pods from counting
/// the old ones (Deployments carry `pod-template-hash`).
pub(crate) fn spread(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    name: &str,
    revisions: bool,
) -> Option<Vec<TopologySpreadConstraint>> {
    if zone_count(plan, cp) < 2 {
        return None;
    }
    let one = |key: &str, when: &str| TopologySpreadConstraint {
        max_skew: 1,
        topology_key: key.to_string(),
        when_unsatisfiable: when.to_string(),
        label_selector: Some(match_labels(WORKLOAD, name)),
        match_label_keys: revisions.then(|| vec!["pod-template-hash".to_string()]),
        ..Default::default()
    };
    Some(vec![
        one("topology.kubernetes.io/zone", "DoNotSchedule"),
        one("kubernetes.io/hostname", "ScheduleAnyway"),
    ])
}

fn selector(u: &Unit<'_>) -> LabelSelector {
    match_labels(NAME, &u.name)
}

/// Replicas in the base: none when an autoscaler owns the count. A self-hosted store runs one
/// pod whatever is drawn: copies of a single-primary engine behind one Service would be
/// independent primaries splitting the data (a replicated PostgreSQL is a CloudNativePG
/// `Cluster` instead, and a validation rule warns about the others).
fn base_replicas(u: &Unit<'_>) -> Option<i32> {
    match &u.body {
        Body::Workload(w) if w.autoscaling.is_some() => None,
        Body::Workload(w) => Some(clamp(w.replicas)),
        Body::Store(_) => Some(1),
    }
}

pub(crate) fn clamp(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

pub(crate) fn deployment(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    ns: &NsPlan<'_>,
    u: &Unit<'_>,
    w: &WorkloadProps,
) -> Deployment {
    let (template, _, mut annotations) = pod_template(plan, cp, ns, u);
    annotations.insert(
        "infracanvas.io/strategy".into(),
        w.strategy.label().to_string(),
    );
    let strategy = match w.strategy {
        Strategy::Recreate => DeploymentStrategy {
            type_: Some("Recreate".into()),
            ..Default::default()
        },
        _ => DeploymentStrategy {
            type_: Some("RollingUpdate".into()),
            rolling_update: Some(RollingUpdateDeployment {
                max_surge: Some(IntOrString::String("25%".into())),
                max_unavailable: Some(IntOrString::Int(0)),
            }),
        },
    };
    Deployment {
        metadata: with_annotations(
            meta(&u.name, &ns.name, labels(&u.name, &plan.part_of)),
            annotations,
        ),
        spec: DeploymentSpec {
            replicas: base_replicas(u),
            revision_history_limit: Some(5),
            selector: selector(u),
            strategy: Some(strategy),
            template,
            ..Default::default()
        },
        ..Default::default()
    }
}

pub(crate) fn stateful_set(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    ns: &NsPlan<'_>,
    u: &Unit<'_>,
) -> StatefulSet {
    let (template, claims, annotations) = pod_template(plan, cp, ns, u);
    StatefulSet {
        metadata: with_annotations(
            meta(&u.name, &ns.name, labels(&u.name, &plan.part_of)),
            annotations,
        ),
        spec: StatefulSetSpec {
            replicas: base_replicas(u),
            selector: selector(u),
            service_name: Some(u.name.clone()),
            template,
            volume_claim_templates: claims,
            ..Default::default()
        },
        ..Default::default()
    }
}

pub(crate) fn job(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    ns: &NsPlan<'_>,
    u: &Unit<'_>,
    w: &WorkloadProps,
) -> Job {
    let (template, _, annotations) = pod_template(plan, cp, ns, u);
    let n = clamp(w.replicas.max(1));
    Job {
        metadata: with_annotations(
            meta(&u.name, &ns.name, labels(&u.name, &plan.part_of)),
            annotations,
        ),
        spec: Some(JobSpec {
            backoff_limit: Some(3),
            completions: Some(n),
            parallelism: Some(n),
            template,
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The Service of a unit: ClusterIP for workloads, headless for StatefulSets. `None` for jobs,
/// units without ports, and Flagger targets (Flagger makes their Services from the Canary).
pub(crate) fn service(plan: &DesignPlan<'_>, ns: &NsPlan<'_>, u: &Unit<'_>) -> Option<Service> {
    if u.is_job() || u.progressive() || postgres::instances(u).is_some() {
        return None;
    }
    let ports = service_ports(u)?;
    Some(Service {
        metadata: meta(&u.name, &ns.name, labels(&u.name, &plan.part_of)),
        spec: Some(ServiceSpec {
            type_: Some("ClusterIP".into()),
            cluster_ip: u.is_stateful().then(|| "None".to_string()),
            selector: Some(BTreeMap::from([(NAME.to_string(), u.name.clone())])),
            ports: Some(ports),
            ..Default::default()
        }),
        ..Default::default()
    })
}

fn service_ports(u: &Unit<'_>) -> Option<Vec<ServicePort>> {
    let ports: Vec<ServicePort> = u
        .ports()
        .into_iter()
        .map(|(port, protocol, name)| ServicePort {
            name: Some(name.clone()),
            port: port.into(),
            target_port: Some(IntOrString::String(name)),
            protocol: Some(kube_protocol(protocol).to_string()),
            app_protocol: match protocol {
                Protocol::Http => Some("http".into()),
                Protocol::Https => Some("https".into()),
                Protocol::Grpc => Some("grpc".into()),
                _ => None,
            },
            ..Default::default()
        })
        .collect();
    (!ports.is_empty()).then_some(ports)
}

/// A stable in-cluster name for a store outside the cluster.
pub(crate) fn external_service(plan: &DesignPlan<'_>, ns: &NsPlan<'_>, x: &External) -> Service {
    let mut a = node_annotations(plan.g.node(x.idx));
    a.insert("infracanvas.io/engine".into(), x.store.engine.name.into());
    Service {
        metadata: with_annotations(meta(&x.name, &ns.name, labels(&x.name, &plan.part_of)), a),
        spec: Some(ServiceSpec {
            type_: Some("ExternalName".into()),
            external_name: Some(x.host.clone()),
            ports: Some(vec![ServicePort {
                name: Some(x.store.engine.name.chars().take(15).collect()),
                port: engines::client(&plan.g, x.idx, &x.store).port.into(),
                protocol: Some("TCP".into()),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// An Ingress with TLS for an external workload with at least one port.
pub(crate) fn ingress(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    ns: &NsPlan<'_>,
    u: &Unit<'_>,
) -> Option<Ingress> {
    let w = u.workload()?;
    if w.exposure != Exposure::External || u.is_job() {
        return None;
    }
    let (port, _, _) = u.ports().into_iter().next()?;
    let host = w.host.trim();
    let host = (!host.is_empty()).then(|| host.to_string());
    let class = cp.ingress_for(&plan.g, u.idx).map(|c| c.class.clone());
    let mut annotations = BTreeMap::new();
    if mesh::istio_injected(cp, ns) {
        // The controller joins the mesh (see the README) and must send requests to the Service
        // with its own host, so that the sidecar applies mTLS instead of reaching pod IPs.
        annotations.insert(
            "nginx.ingress.kubernetes.io/service-upstream".to_string(),
            "true".to_string(),
        );
        annotations.insert(
            "nginx.ingress.kubernetes.io/upstream-vhost".to_string(),
            format!("{}.{}.svc.cluster.local", u.name, ns.name),
        );
    }
    Some(Ingress {
        metadata: with_annotations(
            meta(&u.name, &ns.name, labels(&u.name, &plan.part_of)),
            annotations,
        ),
        spec: Some(IngressSpec {
            ingress_class_name: class,
            tls: Some(vec![IngressTLS {
                hosts: host.clone().map(|h| vec![h]),
                secret_name: Some(format!("{}-tls", u.name)),
            }]),
            rules: Some(vec![IngressRule {
                host,
                http: Some(HTTPIngressRuleValue {
                    paths: vec![HTTPIngressPath {
                        path: Some("/".into()),
                        path_type: "Prefix".into(),
                        backend: IngressBackend {
                            service: Some(IngressServiceBackend {
                                name: u.name.clone(),
                                port: Some(ServiceBackendPort {
                                    number: Some(port.into()),
                                    ..Default::default()
                                }),
                            }),
                            ..Default::default()
                        },
                    }],
                }),
            }]),
            ..Default::default()
        }),
        ..Default::default()
    })
}

pub(crate) fn target_kind(u: &Unit<'_>) -> &'static str {
    if u.is_stateful() {
        "StatefulSet"
    } else {
        "Deployment"
    }
}

pub(crate) fn autoscaler(
    plan: &DesignPlan<'_>,
    ns: &NsPlan<'_>,
    u: &Unit<'_>,
    a: &Autoscaling,
) -> HorizontalPodAutoscaler {
    HorizontalPodAutoscaler {
        metadata: meta(&u.name, &ns.name, labels(&u.name, &plan.part_of)),
        spec: hpa_spec(u, a),
        ..Default::default()
    }
}

pub(crate) fn hpa_spec(u: &Unit<'_>, a: &Autoscaling) -> HorizontalPodAutoscalerSpec {
    let min = a.min.max(1);
    let target = if a.target_cpu == 0 {
        80
    } else {
        a.target_cpu.min(100)
    };
    HorizontalPodAutoscalerSpec {
        min_replicas: Some(clamp(min)),
        max_replicas: clamp(a.max.max(min)),
        scale_target_ref: CrossVersionObjectReference {
            api_version: Some("apps/v1".into()),
            kind: target_kind(u).into(),
            name: u.name.clone(),
        },
        metrics: Some(vec![MetricSpec {
            type_: "Resource".into(),
            resource: Some(ResourceMetricSource {
                name: "cpu".into(),
                target: MetricTarget {
                    type_: "Utilization".into(),
                    average_utilization: Some(target.into()),
                    ..Default::default()
                },
            }),
            ..Default::default()
        }]),
        ..Default::default()
    }
}

/// A disruption budget allowing one pod down at a time. Emitted when the unit runs more than
/// one replica in any environment; `maxUnavailable: 1` stays harmless where it runs one.
pub(crate) fn disruption_budget(
    plan: &DesignPlan<'_>,
    ns: &NsPlan<'_>,
    u: &Unit<'_>,
    envs: &[(String, String)],
) -> Option<PodDisruptionBudget> {
    let many = match &u.body {
        Body::Workload(w) if w.workload_type == WorkloadType::Job => false,
        Body::Workload(w) => envs.iter().any(|(env, _)| {
            w.replicas_in(env) > 1
                || w.autoscaling_in(env)
                    .is_some_and(|a| a.min > 1 || a.max > 1)
        }),
        // One pod (CloudNativePG makes its own budget for a replicated PostgreSQL; two budgets
        // over one pod would block every eviction).
        Body::Store(_) => false,
    };
    many.then(|| PodDisruptionBudget {
        metadata: meta(&u.name, &ns.name, labels(&u.name, &plan.part_of)),
        spec: Some(PodDisruptionBudgetSpec {
            max_unavailable: Some(IntOrString::Int(1)),
            selector: Some(match_labels(WORKLOAD, &u.name)),
            ..Default::default()
        }),
        ..Default::default()
    })
}
