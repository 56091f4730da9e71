//! Security: secrets by reference, TLS and WAF on public entry points, mTLS, network policies.

use crate::model::{DesignGraph, EdgeKind, EnvValue, Exposure, Kind, Layer, NodeSpec};
use crate::validate::{Diagnostic, Family, Rule, Severity};

use super::{label, nid};

pub const PLAIN_SECRET: Rule = Rule {
    id: "IC-SEC-001",
    family: Family::Security,
    severity: Severity::Error,
    title: "Secrets are referenced from a secret store, never written as plain values",
    check: plain_secret,
};

pub const BAD_SECRET_STORE: Rule = Rule {
    id: "IC-SEC-002",
    family: Family::Security,
    severity: Severity::Error,
    title: "Secret references name a secret store of the design",
    check: bad_secret_store,
};

pub const NO_TLS: Rule = Rule {
    id: "IC-SEC-003",
    family: Family::Security,
    severity: Severity::Warning,
    title: "Public entry points terminate TLS",
    check: no_tls,
};

pub const NO_WAF: Rule = Rule {
    id: "IC-SEC-004",
    family: Family::Security,
    severity: Severity::Warning,
    title: "Production public L7 balancers sit behind a WAF",
    check: no_waf,
};

pub const MESH_WITHOUT_MTLS: Rule = Rule {
    id: "IC-SEC-005",
    family: Family::Security,
    severity: Severity::Warning,
    title: "Service meshes enforce mutual TLS",
    check: mesh_without_mtls,
};

pub const NO_NETWORK_POLICIES: Rule = Rule {
    id: "IC-SEC-006",
    family: Family::Security,
    severity: Severity::Warning,
    title: "Kubernetes clusters export network policies",
    check: no_network_policies,
};

pub const PUBLIC_PERSONAL_BUCKET: Rule = Rule {
    id: "IC-SEC-007",
    family: Family::Security,
    severity: Severity::Error,
    title: "Buckets holding personal data are not readable by the public",
    check: public_personal_bucket,
};

/// Parts of a variable name that mark a secret.
const SECRET_MARKERS: [&str; 9] = [
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIAL",
];

/// Whether an environment variable's name marks a secret: it contains one of
/// [`SECRET_MARKERS`], ignoring case and reading `-` and `.` as `_`. No allocation.
pub(crate) fn looks_secret(name: &str) -> bool {
    fn fold(b: u8) -> u8 {
        match b {
            b'-' | b'.' => b'_',
            _ => b.to_ascii_uppercase(),
        }
    }
    let name = name.as_bytes();
    SECRET_MARKERS.iter().any(|marker| {
        let marker = marker.as_bytes();
        name.windows(marker.len())
            .any(|w| w.iter().zip(marker).all(|(&a, &b)| fold(a) == b))
    })
}

fn plain_secret(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        let Some(w) = g.node(i).spec.workload() else {
            continue;
        };
        for var in &w.env {
            // The value is never quoted: it may be the secret itself.
            if matches!(var.value, EnvValue::Plain(_)) && looks_secret(&var.name) {
                out.push(PLAIN_SECRET.diagnostic(
                    format!(
                        "{} sets `{}` as a plain value; it looks like a secret",
                        label(g, i),
                        var.name
                    ),
                    vec![nid(g, i)],
                    "Put the value in a secret store and reference it (store and key) instead.",
                ));
            }
        }
    }
    out
}

fn bad_secret_store(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut last: Option<(&str, Option<usize>)> = None;
    for i in 0..g.len() {
        let Some(w) = g.node(i).spec.workload() else {
            continue;
        };
        for var in &w.env {
            let EnvValue::Secret { store, .. } = &var.value else {
                continue;
            };
            // Workloads mostly name one store; remember the last look-up.
            let found = match last {
                Some((id, found)) if id == store.as_str() => found,
                _ => {
                    let found = g.index_of(store);
                    last = Some((store.as_str(), found));
                    found
                }
            };
            let (problem, mut targets) = match found {
                None => (format!("`{store}`, which names no node"), vec![]),
                Some(s) if g.kind(s) != Kind::SecretStore => (
                    format!(
                        "{}, which is a {}, not a secret store",
                        label(g, s),
                        g.kind(s).label()
                    ),
                    vec![nid(g, s)],
                ),
                Some(_) => continue,
            };
            targets.insert(0, nid(g, i));
            out.push(BAD_SECRET_STORE.diagnostic(
                format!(
                    "{} takes `{}` from {problem}",
                    label(g, i),
                    var.name
                ),
                targets,
                "Reference a secret store node of the design (Vault, a cloud KMS or secret manager).",
            ));
        }
    }
    out
}

fn no_tls(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        let bare = match &g.node(i).spec {
            NodeSpec::LoadBalancer(lb) => {
                lb.public && !lb.client_side && lb.layer == Layer::L7 && !lb.tls
            }
            NodeSpec::IngressController(ing) => {
                !ing.tls
                    && g.outgoing(i).any(|(e, t)| {
                        matches!(g.edge(e).kind(), EdgeKind::Traffic | EdgeKind::GeoRoute)
                            && g.node(t)
                                .spec
                                .workload()
                                .is_some_and(|w| w.exposure == Exposure::External)
                    })
            }
            _ => false,
        };
        if bare {
            out.push(NO_TLS.diagnostic(
                format!(
                    "The public {} {} serves without TLS",
                    g.kind(i).label().to_lowercase(),
                    label(g, i)
                ),
                vec![nid(g, i)],
                "Turn on TLS (a certificate from ACM, cert-manager or the like).",
            ));
        }
    }
    out
}

fn no_waf(g: &DesignGraph) -> Vec<Diagnostic> {
    // Nodes a WAF sends to, marked in one pass over the edges.
    let mut behind_waf = vec![false; g.len()];
    for e in 0..g.design.edges.len() {
        if let Some((a, b)) = g.edge_ends(e) {
            if g.kind(a) == Kind::Waf {
                behind_waf[b] = true;
            }
        }
    }
    let mut out = Vec::new();
    for i in 0..g.len() {
        let NodeSpec::LoadBalancer(lb) = &g.node(i).spec else {
            continue;
        };
        if !lb.public || lb.client_side || lb.layer != Layer::L7 || !g.is_production(i) {
            continue;
        }
        // A WAF sends to it, or to a CDN that sends to it.
        let protected = behind_waf[i]
            || g.incoming(i)
                .any(|(_, from)| g.kind(from) == Kind::Cdn && behind_waf[from]);
        if !protected {
            out.push(NO_WAF.diagnostic(
                format!(
                    "The production public load balancer {} has no WAF in front of it",
                    label(g, i)
                ),
                vec![nid(g, i)],
                "Add a WAF with a traffic edge to the balancer (or to the CDN in front of it).",
            ));
        }
    }
    out
}

fn mesh_without_mtls(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        if let NodeSpec::ServiceMesh(mesh) = &g.node(i).spec {
            if !mesh.mtls {
                out.push(MESH_WITHOUT_MTLS.diagnostic(
                    format!(
                        "The service mesh {} does not enforce mutual TLS",
                        label(g, i)
                    ),
                    vec![nid(g, i)],
                    "Turn on mTLS, so services authenticate each other and traffic is encrypted.",
                ));
            }
        }
    }
    out
}

fn no_network_policies(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        if let NodeSpec::KubernetesCluster(c) = &g.node(i).spec {
            if !c.network_policies {
                out.push(NO_NETWORK_POLICIES.diagnostic(
                    format!(
                        "The Kubernetes cluster {} exports no network policies, so every pod can reach every other",
                        label(g, i)
                    ),
                    vec![nid(g, i)],
                    "Turn on network policies: default deny, then allow exactly the drawn edges.",
                ));
            }
        }
    }
    out
}

fn public_personal_bucket(g: &DesignGraph) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for i in 0..g.len() {
        if let NodeSpec::ObjectStorage(b) = &g.node(i).spec {
            if b.public_read && b.personal_data {
                out.push(PUBLIC_PERSONAL_BUCKET.diagnostic(
                    format!(
                        "The object storage {} is readable by anyone on the internet and holds personal data",
                        label(g, i)
                    ),
                    vec![nid(g, i)],
                    "Keep personal data in a private bucket (signed URLs for downloads), and public content such as static assets in another.",
                ));
            }
        }
    }
    out
}
