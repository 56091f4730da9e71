//! The add-ons a cluster's export relies on (ingress-nginx, cert-manager, external-secrets,
//! CloudNativePG, Istio, Prometheus, Flagger and its load tester) are installed from their
//! upstream charts or manifests, pinned, never hand-written as Deployments: a bare Deployment
//! of a controller has no CRDs, RBAC, webhooks or the probes its image serves, and crash-loops.
//! A workload drawn with an add-on's image is recognised (`drawn`) and left to its chart.
//!
//! Each cluster's export starts with a `README.md` that gives the exact commands, in order, and
//! what an operator must still do by hand before `kubectl apply -k overlays/<env>`.

use std::collections::BTreeSet;
use std::fmt::Write;

use super::plan::{ClusterPlan, DesignPlan};
use crate::model::*;

pub(crate) const CERT_MANAGER: &str = "v1.16.3";
pub(crate) const EXTERNAL_SECRETS: &str = "0.19.2";
pub(crate) const CLOUDNATIVE_PG: &str = "1.25.1";
pub(crate) const ISTIO: &str = "1.24.3";
pub(crate) const INGRESS_NGINX: &str = "4.11.3";
pub(crate) const KUBE_PROMETHEUS_STACK: &str = "69.4.1";
pub(crate) const FLAGGER: &str = "1.37.0";
pub(crate) const FLAGGER_LOADTESTER: &str = "0.28.1";
/// Where Flagger and its Prometheus run.
pub(crate) const FLAGGER_NAMESPACE: &str = "flagger-system";
/// Where Flagger's load tester runs: a namespace of its own, which joins the Istio mesh when
/// the cluster has one (its requests must carry mTLS to reach STRICT namespaces).
pub(crate) const LOADTESTER_NAMESPACE: &str = "flagger-loadtester";

/// An add-on, in installation order (the ones that bring CRDs before those that use them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Addon {
    Prometheus,
    CertManager,
    ExternalSecrets,
    CloudNativePg,
    Istio,
    IngressNginx,
    Flagger,
}

/// The add-on a drawn workload's image is, if any.
pub(crate) fn drawn(w: &WorkloadProps) -> Option<Addon> {
    let image = w.image.to_lowercase();
    let has = |s: &str| image.contains(s);
    Some(if has("jetstack/cert-manager") {
        Addon::CertManager
    } else if has("fluxcd/flagger") || has("flagger-loadtester") {
        Addon::Flagger
    } else if has("ingress-nginx/controller") {
        Addon::IngressNginx
    } else if has("istio/pilot") || has("istio/proxyv2") {
        Addon::Istio
    } else if has("external-secrets/external-secrets") {
        Addon::ExternalSecrets
    } else if has("cloudnative-pg") {
        Addon::CloudNativePg
    } else if has("prometheus/prometheus") || has("prometheus-operator") {
        Addon::Prometheus
    } else {
        return None;
    })
}

/// The Service of an ingress-nginx release for IngressClass `class`.
pub(crate) fn ingress_controller_service(class: &str) -> String {
    format!("{}-controller", ingress_release(class))
}

fn ingress_release(class: &str) -> String {
    if class == "nginx" {
        "ingress-nginx".into()
    } else {
        let mut r = format!("ingress-{class}");
        r.truncate(42);
        r.trim_end_matches('-').to_string()
    }
}

/// What the objects of one cluster's export use, gathered while they are built.
#[derive(Debug, Default)]
pub(crate) struct Uses {
    pub certificates: usize,
    /// `ns/name` of Ingresses without a host (no certificate can be issued).
    pub hostless: Vec<String>,
    pub external_secrets: usize,
    pub postgres_clusters: usize,
    pub peer_authentications: usize,
    pub destination_rules: usize,
    /// Providers of the Canaries.
    pub canary_providers: BTreeSet<String>,
    /// Strategies a provider cannot honour (README notes).
    pub degraded: Vec<String>,
    /// Public hosts per overlay folder.
    pub hosts: Vec<(String, Vec<String>)>,
    /// Managed stores reached through ExternalName Services: (ns/name, placeholder host).
    pub external_names: Vec<(String, String)>,
}

/// The namespace a drawn monitoring node named Prometheus lives in, if the cluster has one.
pub(crate) fn drawn_prometheus(plan: &DesignPlan<'_>, cp: &ClusterPlan<'_>) -> Option<String> {
    let g = &plan.g;
    g.descendants(cp.idx).into_iter().find_map(|i| {
        let n = g.node(i);
        (n.kind() == Kind::Monitoring && n.spec.product().to_lowercase().contains("prometheus"))
            .then(|| {
                g.scope(i)
                    .namespace
                    .and_then(|ns| {
                        cp.namespaces
                            .iter()
                            .find(|p| p.idx == ns)
                            .map(|p| p.name.clone())
                    })
                    .unwrap_or_else(|| "monitoring".into())
            })
    })
}

/// Workloads drawn with an add-on's image: (name, image).
fn drawn_addons(plan: &DesignPlan<'_>, cp: &ClusterPlan<'_>) -> Vec<(String, String)> {
    let g = &plan.g;
    let mut out: Vec<(String, String)> = g
        .descendants(cp.idx)
        .into_iter()
        .filter_map(|i| match &g.node(i).spec {
            NodeSpec::Workload(w) if drawn(w).is_some() => Some((
                g.node(i).name.clone(),
                crate::export::engines::split_image(&w.image, &w.tag, "").2,
            )),
            _ => None,
        })
        .collect();
    out.sort();
    out
}

/// Markdown code text: no backticks or line breaks from the design leak into it.
fn code(s: &str) -> String {
    s.chars()
        .map(|c| if c == '`' || c.is_control() { ' ' } else { c })
        .collect()
}

/// The README.md at the top of a cluster's export.
pub(crate) fn readme(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    envs: &[(String, String)],
    uses: &Uses,
) -> String {
    let node = plan.g.node(cp.idx);
    let istio = super::mesh::is_istio(cp);
    let istio_ingress = istio
        && cp.namespaces.iter().any(|ns| {
            ns.mesh_injection
                && ns.units.iter().any(|u| {
                    u.workload()
                        .is_some_and(|w| w.exposure == Exposure::External)
                })
        });
    let prometheus = drawn_prometheus(plan, cp);
    let flagger = !uses.canary_providers.is_empty();
    let mut s = String::new();
    let _ = writeln!(s, "# {} — Kubernetes export", code(&node.name));
    let _ = writeln!(
        s,
        "\nKustomize tree: `base/` (one folder per namespace) and one overlay per environment \
         ({}). Apply it only after the add-ons below: their CRDs and controllers must exist \
         first.\n",
        envs.iter()
            .map(|(_, f)| format!("`overlays/{f}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(s, "## 1. Install the add-ons, in this order\n");
    let mut step = 0;
    let mut section = |s: &mut String, title: &str, why: &str, cmds: &[String]| {
        step += 1;
        let _ = writeln!(s, "### 1.{step} {title}\n\n{why}\n\n```sh");
        for c in cmds {
            let _ = writeln!(s, "{c}");
        }
        let _ = writeln!(s, "```\n");
    };
    if let Some(ns) = &prometheus {
        section(
            &mut s,
            &format!("Prometheus (kube-prometheus-stack {KUBE_PROMETHEUS_STACK})"),
            "The design draws Prometheus in this cluster. A `PodMonitor` per workload (`pod-monitors.yaml`) has it scrape `/metrics` on the workload's first port; a workload that serves none there shows as down.",
            &[
                "helm repo add prometheus-community https://prometheus-community.github.io/helm-charts --force-update".into(),
                format!("helm upgrade --install kube-prometheus-stack prometheus-community/kube-prometheus-stack --namespace {ns} --create-namespace --version {KUBE_PROMETHEUS_STACK} --wait"),
            ],
        );
    }
    if uses.certificates > 0 {
        section(
            &mut s,
            &format!("cert-manager {CERT_MANAGER}"),
            &format!("Issues the {} Ingress certificate(s) (`Issuer` + `Certificate` per namespace).", uses.certificates),
            &[
                "helm repo add jetstack https://charts.jetstack.io --force-update".into(),
                format!("helm upgrade --install cert-manager jetstack/cert-manager --namespace cert-manager --create-namespace --version {CERT_MANAGER} --set crds.enabled=true --wait"),
            ],
        );
    }
    if uses.external_secrets > 0 {
        section(
            &mut s,
            &format!("external-secrets {EXTERNAL_SECRETS}"),
            &format!("Makes the {} Secret(s) the pods read, from the drawn secret stores (`SecretStore` + `ExternalSecret`) or generated (`Password`).", uses.external_secrets),
            &[
                "helm repo add external-secrets https://charts.external-secrets.io --force-update".into(),
                format!("helm upgrade --install external-secrets external-secrets/external-secrets --namespace external-secrets --create-namespace --version {EXTERNAL_SECRETS} --wait"),
            ],
        );
    }
    if uses.postgres_clusters > 0 {
        let minor = CLOUDNATIVE_PG
            .rsplit_once('.')
            .map_or(CLOUDNATIVE_PG, |(m, _)| m);
        section(
            &mut s,
            &format!("CloudNativePG {CLOUDNATIVE_PG}"),
            &format!("Runs the {} replicated PostgreSQL cluster(s) (`postgres-clusters.yaml`).", uses.postgres_clusters),
            &[
                format!("kubectl apply --server-side -f https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/release-{minor}/releases/cnpg-{CLOUDNATIVE_PG}.yaml"),
                "kubectl rollout status deployment -n cnpg-system cnpg-controller-manager".into(),
            ],
        );
    }
    if istio {
        section(
            &mut s,
            &format!("Istio {ISTIO} with the CNI plugin"),
            "The design puts namespaces in an Istio mesh. The CNI plugin replaces the sidecar's privileged init container, so injected namespaces can enforce Pod Security `baseline` (and warn on `restricted`, which our containers meet): Istio's documented setting. Its node agent needs `privileged` in `istio-system`. On GKE add `--set global.platform=gke` to the cni chart.",
            &[
                "helm repo add istio https://istio-release.storage.googleapis.com/charts --force-update".into(),
                "kubectl create namespace istio-system --dry-run=client -o yaml | kubectl apply -f -".into(),
                "kubectl label --overwrite namespace istio-system pod-security.kubernetes.io/enforce=privileged".into(),
                format!("helm upgrade --install istio-base istio/base --namespace istio-system --version {ISTIO} --wait"),
                format!("helm upgrade --install istio-cni istio/cni --namespace istio-system --version {ISTIO} --wait"),
                format!("helm upgrade --install istiod istio/istiod --namespace istio-system --version {ISTIO} --set pilot.cni.enabled=true --wait"),
            ],
        );
    }
    for ctl in &cp.ingress {
        if !ctl.class.contains("nginx") {
            continue;
        }
        let mut cmd = format!(
            "helm upgrade --install {} ingress-nginx/ingress-nginx --namespace {} --create-namespace --version {INGRESS_NGINX} --set controller.ingressClassResource.name={c} --set controller.ingressClass={c} --set controller.ingressClassResource.controllerValue=k8s.io/{r} --set controller.metrics.enabled=true --set-string controller.podAnnotations.prometheus\\.io/scrape=true --set-string controller.podAnnotations.prometheus\\.io/port=10254",
            ingress_release(&ctl.class),
            ctl.namespace,
            c = ctl.class,
            r = ingress_release(&ctl.class),
        );
        if istio_ingress {
            // The controller joins the mesh to reach STRICT-mTLS pods; only its outbound
            // traffic goes through the sidecar.
            cmd.push_str(" --set-string controller.podLabels.sidecar\\.istio\\.io/inject=true --set-string controller.podAnnotations.traffic\\.sidecar\\.istio\\.io/includeInboundPorts=");
        }
        cmd.push_str(" --wait");
        section(
            &mut s,
            &format!("ingress-nginx (chart {INGRESS_NGINX}) for class `{}`", ctl.class),
            &format!(
                "Serves the Ingresses of class `{}`.{}{}",
                ctl.class,
                if flagger {
                    " Its metrics feed Flagger's analyses."
                } else {
                    ""
                },
                if istio_ingress {
                    " It runs with an Istio sidecar so that it can reach the STRICT-mTLS namespaces (the Ingresses there carry `service-upstream` and `upstream-vhost`)."
                } else {
                    ""
                }
            ),
            &[
                "helm repo add ingress-nginx https://kubernetes.github.io/ingress-nginx --force-update".into(),
                cmd,
            ],
        );
    }
    if flagger {
        let default = uses
            .canary_providers
            .iter()
            .next()
            .cloned()
            .unwrap_or_else(|| "kubernetes".into());
        let mut cmds = vec![
            "helm repo add flagger https://flagger.app --force-update".to_string(),
            format!("helm upgrade --install flagger flagger/flagger --namespace {FLAGGER_NAMESPACE} --create-namespace --version {FLAGGER} --set prometheus.install=true --set meshProvider={default} --wait"),
            format!("kubectl create namespace {LOADTESTER_NAMESPACE} --dry-run=client -o yaml | kubectl apply -f -"),
        ];
        if istio {
            cmds.push(format!("kubectl label --overwrite namespace {LOADTESTER_NAMESPACE} istio-injection=enabled pod-security.kubernetes.io/enforce=baseline"));
        }
        cmds.push(format!("helm upgrade --install flagger-loadtester flagger/loadtester --namespace {LOADTESTER_NAMESPACE} --version {FLAGGER_LOADTESTER} --wait"));
        section(
            &mut s,
            &format!("Flagger {FLAGGER} and its load tester {FLAGGER_LOADTESTER}"),
            &format!(
                "Runs the Canaries (providers: {}). `prometheus.install=true` adds the Prometheus every Canary names as `metricsServer` ({}); the load tester sends traffic during each analysis.",
                uses.canary_providers.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", "),
                super::flagger::metrics_server(),
            ),
            &cmds,
        );
    }
    if step == 0 {
        let _ = writeln!(s, "None: this cluster's objects are all built-in kinds.\n");
    }
    let drawn = drawn_addons(plan, cp);
    if !drawn.is_empty() {
        let _ = writeln!(
            s,
            "Drawn as workloads and installed by the commands above instead (not exported as Deployments): {}.\n",
            drawn
                .iter()
                .map(|(n, i)| format!("{} (`{}`)", code(n), code(i)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }

    let _ = writeln!(s, "## 2. Before `kubectl apply`, by hand\n");
    let mut todo: Vec<String> = Vec::new();
    for (folder, hosts) in &uses.hosts {
        if !hosts.is_empty() {
            todo.push(format!(
                "DNS for `{folder}`: point {} at the ingress controller's load balancer (cert-manager's HTTP-01 challenge needs them to resolve).",
                hosts.iter().map(|h| format!("`{}`", code(h))).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    for h in &uses.hostless {
        todo.push(format!(
            "Ingress `{}` has no host: no certificate can be issued for it; give the workload a host.",
            code(h)
        ));
    }
    todo.extend(super::secrets::store_setup(plan, cp));
    for (secret, product, keys) in super::secrets::by_hand(plan, cp) {
        todo.push(format!(
            "Create Secret `{}` (store `{}` has no external-secrets provider) with the keys {}.",
            code(&secret),
            code(&product),
            keys.iter()
                .map(|k| format!("`{}`", code(k)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    // Passwords made in the cluster: the applications' own copies must agree with them.
    for ns in &cp.namespaces {
        for u in &ns.units {
            let super::plan::Body::Store(st) = &u.body else {
                continue;
            };
            if super::postgres::instances(u).is_some() {
                todo.push(format!(
                    "CloudNativePG creates database `app` (owner `app`) in `{}/{}` and its password in Secret `{}/{}-app`: put that password where the clients read theirs, or bootstrap from your own Secret (`spec.bootstrap.initdb.secret`).",
                    ns.name, u.name, ns.name, u.name
                ));
            } else if st.engine.password_env.is_some() {
                todo.push(format!(
                    "`{}/{}` gets a generated admin password in Secret `{}/{}`: put it where the clients read theirs.",
                    ns.name,
                    u.name,
                    ns.name,
                    super::objects::credentials_secret(u)
                ));
            }
        }
    }
    for (svc, host) in &uses.external_names {
        todo.push(format!(
            "Service `{}` is an ExternalName for a store outside this cluster: replace the placeholder `{}` with its real endpoint.",
            code(svc),
            code(host)
        ));
    }
    for c in &cp.ingress {
        if !c.class.contains("nginx") {
            todo.push(format!(
                "Install an ingress controller that serves IngressClass `{}` (only ingress-nginx is installed by this README).",
                code(&c.class)
            ));
        }
    }
    if cp.mesh.as_deref().is_some_and(|m| !m.contains("istio")) {
        todo.push(format!(
            "Install the `{}` service mesh; only Istio is installed by this README.",
            code(cp.mesh.as_deref().unwrap_or_default())
        ));
    }
    if uses.canary_providers.contains("kubernetes") {
        todo.push("Blue-green Canaries on the `kubernetes` provider read `http_request_duration_seconds` from the workload itself: expose it and annotate the pods for scraping (`prometheus.io/scrape`).".into());
    }
    if todo.is_empty() {
        let _ = writeln!(s, "Nothing.\n");
    }
    for t in &todo {
        let _ = writeln!(s, "- {t}");
    }
    if !uses.degraded.is_empty() {
        let _ = writeln!(s, "\n## Rollouts that cannot run as drawn\n");
        for d in &uses.degraded {
            let _ = writeln!(s, "- {d}");
        }
    }
    let _ = writeln!(s, "\n## 3. Apply\n\n```sh");
    for (_, folder) in envs {
        let _ = writeln!(s, "kubectl apply -k overlays/{folder}   # {folder}");
    }
    let _ = writeln!(s, "```");
    s
}
