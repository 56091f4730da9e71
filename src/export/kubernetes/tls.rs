//! Certificates for the Ingresses: every Ingress names the Secret `<name>-tls`, and cert-manager
//! issues it. Per namespace with Ingresses, an ACME `Issuer` (Let's Encrypt, HTTP-01 through
//! the Ingress's own controller class); per Ingress with a host, a `Certificate` whose
//! `secretName` is that Secret. The overlays move hosts per environment (`host_in`), and the
//! Certificate's `dnsNames` with them.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

use super::objects::{labels, meta};
use super::plan::{ClusterPlan, DesignPlan, NsPlan, Unit};
use crate::model::*;

/// The name of the namespace's Issuer.
pub(crate) const ISSUER: &str = "letsencrypt";
const ACME_SERVER: &str = "https://acme-v02.api.letsencrypt.org/directory";

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Issuer {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: ObjectMeta,
    pub spec: IssuerSpec,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct IssuerSpec {
    pub acme: Acme,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Acme {
    pub server: &'static str,
    pub private_key_secret_ref: NameRef,
    pub solvers: Vec<Solver>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct NameRef {
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Solver {
    pub http01: Http01,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Http01 {
    pub ingress: SolverIngress,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SolverIngress {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ingress_class_name: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Certificate {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: ObjectMeta,
    pub spec: CertificateSpec,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CertificateSpec {
    pub secret_name: String,
    pub dns_names: Vec<String>,
    pub issuer_ref: IssuerRef,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct IssuerRef {
    pub name: &'static str,
    pub kind: &'static str,
}

/// The Secret an Ingress's TLS names.
pub(crate) fn secret_name(u: &Unit<'_>) -> String {
    format!("{}-tls", u.name)
}

/// The namespace's ACME Issuer, answering HTTP-01 challenges through the class of the
/// namespace's first Ingress. `None` when nothing in the namespace needs a certificate.
pub(crate) fn issuer(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    ns: &NsPlan<'_>,
) -> Option<Issuer> {
    let first = ns
        .units
        .iter()
        .find(|u| certificate(plan, cp, ns, u).is_some())?;
    let class = cp.ingress_for(&plan.g, first.idx).map(|c| c.class.clone());
    Some(Issuer {
        api_version: "cert-manager.io/v1",
        kind: "Issuer",
        metadata: meta(ISSUER, &ns.name, labels(ISSUER, &plan.part_of)),
        spec: IssuerSpec {
            acme: Acme {
                server: ACME_SERVER,
                private_key_secret_ref: NameRef {
                    name: format!("{ISSUER}-account-key"),
                },
                solvers: vec![Solver {
                    http01: Http01 {
                        ingress: SolverIngress {
                            ingress_class_name: class,
                        },
                    },
                }],
            },
        },
    })
}

/// The Certificate behind an Ingress's `<name>-tls`. `None` without an Ingress or a host
/// (ACME cannot issue for a nameless Ingress; the README says so).
pub(crate) fn certificate(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
    ns: &NsPlan<'_>,
    u: &Unit<'_>,
) -> Option<Certificate> {
    let ing = super::objects::ingress(plan, cp, ns, u)?;
    let host = ing.spec?.rules?.first()?.host.clone()?;
    Some(Certificate {
        api_version: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: meta(&u.name, &ns.name, labels(&u.name, &plan.part_of)),
        spec: CertificateSpec {
            secret_name: secret_name(u),
            dns_names: vec![host],
            issuer_ref: IssuerRef {
                name: ISSUER,
                kind: "Issuer",
            },
        },
    })
}

/// Whether environment `env` is a production one: flagged so in the design, or the implicit
/// `prod` of a design without environments.
pub(crate) fn is_production(design: &Design, env: &str) -> bool {
    match design.environments.iter().find(|e| e.id == env) {
        Some(e) => e.production,
        None => design.environments.is_empty() || env == "prod" || env == "production",
    }
}

/// The public host of a workload in an environment when it differs from the base: the
/// environment's own host when the design gives one; otherwise, outside production,
/// `<env>.<host>`, so that a staging or test stand never answers (or asks a certificate) for
/// the production name.
pub(crate) fn host_in(
    design: &Design,
    w: &WorkloadProps,
    env: &str,
    folder: &str,
) -> Option<String> {
    if let Some(h) = w
        .overrides
        .get(env)
        .and_then(|o| o.host.as_deref())
        .map(str::trim)
        .filter(|h| !h.is_empty())
    {
        return Some(h.to_string());
    }
    let base = w.host.trim();
    (!base.is_empty() && !is_production(design, env)).then(|| format!("{folder}.{base}"))
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::export::kubernetes::export;
    use crate::export::test_support::parse_docs;

    #[test]
    fn every_tls_secret_of_an_ingress_with_a_host_is_issued() {
        for t in crate::templates::TEMPLATES {
            let design = crate::templates::template(t.slug).expect("template");
            let files = export(&design);
            let clusters: std::collections::BTreeSet<&str> = files
                .iter()
                .filter_map(|f| f.path.split_once("/base/").map(|(c, _)| c))
                .collect();
            for cluster in clusters {
                let docs: Vec<Value> = files
                    .iter()
                    .filter(|f| {
                        f.path.starts_with(&format!("{cluster}/base/")) && f.path.ends_with(".yaml")
                    })
                    .flat_map(parse_docs)
                    .collect();
                for ing in docs.iter().filter(|d| d["kind"] == "Ingress") {
                    let ns = &ing["metadata"]["namespace"];
                    let secret = &ing["spec"]["tls"][0]["secretName"];
                    if ing["spec"]["rules"][0]["host"].is_null() {
                        continue;
                    }
                    let cert = docs
                        .iter()
                        .find(|d| {
                            d["kind"] == "Certificate"
                                && d["metadata"]["namespace"] == *ns
                                && d["spec"]["secretName"] == *secret
                        })
                        .unwrap_or_else(|| panic!("{}: no Certificate for {secret}", t.slug));
                    assert_eq!(cert["spec"]["dnsNames"][0], ing["spec"]["rules"][0]["host"]);
                    let issuer = &cert["spec"]["issuerRef"]["name"];
                    assert!(
                        docs.iter().any(|d| d["kind"] == "Issuer"
                            && d["metadata"]["namespace"] == *ns
                            && d["metadata"]["name"] == *issuer),
                        "{}: no Issuer {issuer} in {ns}",
                        t.slug
                    );
                }
            }
        }
    }

    #[test]
    fn non_production_stands_never_reuse_the_production_host() {
        let design = crate::export::sample::design();
        let w = design
            .nodes
            .iter()
            .find_map(|n| match &n.spec {
                NodeSpec::Workload(w) if !w.host.is_empty() => Some(w.clone()),
                _ => None,
            })
            .expect("an external workload with a host");
        for env in &design.environments {
            let there = host_in(&design, &w, &env.id, &env.id);
            if env.production {
                assert!(there.is_none() || there.as_deref() != Some(w.host.as_str()));
            } else {
                assert_ne!(there.as_deref(), Some(w.host.as_str()), "{}", env.id);
                assert!(there.is_some(), "{}: a host of its own", env.id);
            }
        }
        // Built overlays: every non-production Ingress and Certificate has a host of its own.
        let files = export(&design);
        for env in design.environments.iter().filter(|e| !e.production) {
            let k = files
                .iter()
                .find(|f| {
                    f.path
                        .ends_with(&format!("overlays/{}/kustomization.yaml", env.id))
                })
                .expect("overlay");
            let text = files
                .iter()
                .filter(|f| f.path.contains(&format!("overlays/{}/patches/", env.id)))
                .map(|f| f.contents.clone())
                .collect::<String>();
            assert!(k.contents.contains("Certificate"), "{}", k.contents);
            assert!(!text.contains(&format!(" {}\n", w.host)), "{text}");
        }
    }
}
