//! Where the Secrets the pods reference come from, so that no pod waits in
//! CreateContainerConfigError for a Secret nobody makes. With external-secrets:
//!
//! * per namespace and drawn secret store, a `SecretStore` named after the store node, whose
//!   provider follows the drawn product (HashiCorp Vault, AWS Secrets Manager, Yandex Lockbox,
//!   Google Secret Manager, Azure Key Vault), with a ServiceAccount it authenticates as;
//! * per Secret a workload's `secretKeyRef`s name, an `ExternalSecret` with the same name that
//!   copies each referenced key from that store;
//! * per self-hosted store that needs an admin password, a `Password` generator and an
//!   `ExternalSecret` that fills `<store>-credentials` once (never rotated behind the
//!   database's back).
//!
//! A store drawn as "Kubernetes Secrets" (or an unknown product) has no external source: the
//! cluster's README lists the Secrets and keys an operator must create.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::ServiceAccount;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{json, Value};

use super::objects::{credentials_secret, labels, meta};
use super::plan::{Body, ClusterPlan, DesignPlan, NsPlan};
use super::postgres;
use crate::export::engines::secret_key;
use crate::model::*;

/// The secret service behind a drawn secret store, from its product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    Vault,
    AwsSecretsManager,
    YandexLockbox,
    GoogleSecretManager,
    AzureKeyVault,
    /// Secrets created in the cluster by hand (or an unknown product).
    None,
}

impl Backend {
    pub fn of(product: &str) -> Backend {
        let p = product.to_lowercase();
        if p.contains("vault") && !p.contains("key vault") {
            Backend::Vault
        } else if p.contains("lockbox") || p.contains("yandex") {
            Backend::YandexLockbox
        } else if p.contains("aws") || (p.contains("secrets manager") && !p.contains("google")) {
            Backend::AwsSecretsManager
        } else if p.contains("google") || p.contains("gcp") {
            Backend::GoogleSecretManager
        } else if p.contains("azure") || p.contains("key vault") {
            Backend::AzureKeyVault
        } else {
            Backend::None
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Backend::Vault => "HashiCorp Vault",
            Backend::AwsSecretsManager => "AWS Secrets Manager",
            Backend::YandexLockbox => "Yandex Lockbox",
            Backend::GoogleSecretManager => "Google Secret Manager",
            Backend::AzureKeyVault => "Azure Key Vault",
            Backend::None => "none",
        }
    }
}

/// An external-secrets custom resource (`SecretStore`, `ExternalSecret`, `Password`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Resource {
    pub api_version: &'static str,
    pub kind: &'static str,
    pub metadata: ObjectMeta,
    pub spec: Value,
}

/// One Secret the namespace's workloads reference: its store and the keys they read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Wanted {
    pub secret: String,
    pub store: Option<usize>,
    pub backend: Backend,
    /// (Secret data key, path in the store).
    pub keys: BTreeSet<(String, String)>,
}

/// The Secrets referenced by `secretKeyRef` in a namespace, by Secret name.
pub(crate) fn wanted(plan: &DesignPlan<'_>, ns: &NsPlan<'_>) -> Vec<Wanted> {
    let mut out: BTreeMap<String, Wanted> = BTreeMap::new();
    for u in &ns.units {
        let Body::Workload(w) = &u.body else {
            continue;
        };
        for v in &w.env {
            let EnvValue::Secret { store, key } = &v.value else {
                continue;
            };
            let secret = plan.secret_name(store);
            let idx = plan.g.index_of(store);
            let backend = idx
                .map(|i| Backend::of(plan.g.node(i).spec.product()))
                .unwrap_or(Backend::None);
            out.entry(secret.clone())
                .or_insert_with(|| Wanted {
                    secret,
                    store: idx,
                    backend,
                    keys: BTreeSet::new(),
                })
                .keys
                .insert((secret_key(key), key.trim().to_string()));
        }
    }
    out.into_values().collect()
}

/// The ServiceAccount a SecretStore authenticates as.
fn reader(store: &str) -> String {
    let mut n = format!("{store}-reader");
    n.truncate(63);
    n.trim_end_matches('-').to_string()
}

fn region_code(plan: &DesignPlan<'_>, store: usize) -> String {
    let mut cur = Some(store);
    while let Some(i) = cur {
        if let NodeSpec::Region(r) = &plan.g.node(i).spec {
            if !r.code.trim().is_empty() {
                return r.code.trim().to_string();
            }
        }
        cur = plan.g.parent(i);
    }
    "us-east-1".into()
}

/// The `spec.provider` of a SecretStore for `w`; `None` when the backend has no provider.
fn provider(plan: &DesignPlan<'_>, ns: &NsPlan<'_>, w: &Wanted) -> Option<Value> {
    let store = w.store?;
    let sa = json!({ "name": reader(&w.secret) });
    Some(match w.backend {
        Backend::Vault => json!({ "vault": {
            "server": format!("https://{}:8200", super::plan::external_host(&plan.g, store)),
            "path": "secret",
            "version": "v2",
            "auth": { "kubernetes": {
                "mountPath": "kubernetes",
                "role": ns.name,
                "serviceAccountRef": sa,
            }},
        }}),
        Backend::AwsSecretsManager => json!({ "aws": {
            "service": "SecretsManager",
            "region": region_code(plan, store),
            "auth": { "jwt": { "serviceAccountRef": sa } },
        }}),
        Backend::YandexLockbox => json!({ "yandexlockbox": {
            "auth": { "authorizedKeySecretRef": {
                "name": format!("{}-authorized-key", w.secret),
                "key": "authorized-key.json",
            }},
        }}),
        Backend::GoogleSecretManager => json!({ "gcpsm": { "projectID": plan.part_of } }),
        Backend::AzureKeyVault => json!({ "azurekv": {
            "vaultUrl": format!("https://{}.vault.azure.net", w.secret),
            "authType": "WorkloadIdentity",
            "serviceAccountRef": sa,
        }}),
        Backend::None => return None,
    })
}

/// Where a key lives in the store: Vault and Lockbox keep fields inside a secret
/// (`path/to/secret` + `field`), the others one value per name.
fn remote_ref(backend: Backend, path: &str) -> Value {
    match (backend, path.rsplit_once('/')) {
        (Backend::Vault | Backend::YandexLockbox, Some((key, property)))
            if !key.is_empty() && !property.is_empty() =>
        {
            json!({ "key": key, "property": property })
        }
        _ => json!({ "key": path }),
    }
}

/// The namespace's external-secrets objects: (ServiceAccounts, SecretStores, ExternalSecrets,
/// Password generators).
pub(crate) fn objects(
    plan: &DesignPlan<'_>,
    ns: &NsPlan<'_>,
) -> (
    Vec<ServiceAccount>,
    Vec<Resource>,
    Vec<Resource>,
    Vec<Resource>,
) {
    let part_of = &plan.part_of;
    let mut accounts = Vec::new();
    let mut stores = Vec::new();
    let mut externals = Vec::new();
    let mut generators = Vec::new();
    for w in wanted(plan, ns) {
        let Some(provider) = provider(plan, ns, &w) else {
            continue;
        };
        if provider.to_string().contains("serviceAccountRef") {
            accounts.push(ServiceAccount {
                metadata: meta(&reader(&w.secret), &ns.name, labels(&w.secret, part_of)),
                automount_service_account_token: Some(false),
                ..Default::default()
            });
        }
        stores.push(Resource {
            api_version: "external-secrets.io/v1",
            kind: "SecretStore",
            metadata: meta(&w.secret, &ns.name, labels(&w.secret, part_of)),
            spec: json!({ "provider": provider }),
        });
        let data: Vec<Value> = w
            .keys
            .iter()
            .map(|(k, path)| json!({ "secretKey": k, "remoteRef": remote_ref(w.backend, path) }))
            .collect();
        externals.push(Resource {
            api_version: "external-secrets.io/v1",
            kind: "ExternalSecret",
            metadata: meta(&w.secret, &ns.name, labels(&w.secret, part_of)),
            spec: json!({
                "refreshInterval": "1h",
                "secretStoreRef": { "name": w.secret, "kind": "SecretStore" },
                "target": { "name": w.secret, "creationPolicy": "Owner" },
                "data": data,
            }),
        });
    }
    for u in &ns.units {
        let Body::Store(s) = &u.body else {
            continue;
        };
        if s.engine.password_env.is_none() || postgres::instances(u).is_some() {
            continue;
        }
        let name = credentials_secret(u);
        generators.push(Resource {
            api_version: "generators.external-secrets.io/v1alpha1",
            kind: "Password",
            metadata: meta(&name, &ns.name, labels(&u.name, part_of)),
            spec: json!({
                "length": 32,
                "digits": 6,
                "symbols": 0,
                "noUpper": false,
                "allowRepeat": true,
            }),
        });
        externals.push(Resource {
            api_version: "external-secrets.io/v1",
            kind: "ExternalSecret",
            metadata: meta(&name, &ns.name, labels(&u.name, part_of)),
            spec: json!({
                // Generated once: a new password would lock the running database out.
                "refreshInterval": "0",
                "target": { "name": name, "creationPolicy": "Owner" },
                "dataFrom": [{ "sourceRef": { "generatorRef": {
                    "apiVersion": "generators.external-secrets.io/v1alpha1",
                    "kind": "Password",
                    "name": name,
                }}}],
            }),
        });
    }
    let by_name = |a: &Resource, b: &Resource| a.metadata.name.cmp(&b.metadata.name);
    externals.sort_by(by_name);
    (accounts, stores, externals, generators)
}

/// Secrets nothing in the export produces: (Secret, store product, keys). The README asks an
/// operator to create them.
pub(crate) fn by_hand(
    plan: &DesignPlan<'_>,
    cp: &ClusterPlan<'_>,
) -> Vec<(String, String, Vec<String>)> {
    let mut out = Vec::new();
    for ns in &cp.namespaces {
        for w in wanted(plan, ns) {
            if provider(plan, ns, &w).is_some() {
                continue;
            }
            let product = w
                .store
                .map(|i| plan.g.node(i).spec.product().to_string())
                .unwrap_or_default();
            out.push((
                format!("{}/{}", ns.name, w.secret),
                product,
                w.keys.iter().map(|(k, _)| k.clone()).collect(),
            ));
        }
    }
    out
}

/// The stores an operator must give external-secrets access to: (namespace/store, backend,
/// what to do).
pub(crate) fn store_setup(plan: &DesignPlan<'_>, cp: &ClusterPlan<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for ns in &cp.namespaces {
        for w in wanted(plan, ns) {
            let Some(p) = provider(plan, ns, &w) else {
                continue;
            };
            let paths: Vec<String> = w.keys.iter().map(|(_, path)| format!("`{path}`")).collect();
            let sa = reader(&w.secret);
            let how = match w.backend {
                Backend::Vault => format!(
                    "set `spec.provider.vault.server` (now `{}`), enable Kubernetes auth at `kubernetes` with a role `{}` bound to ServiceAccount `{}/{sa}` that may read",
                    p["vault"]["server"].as_str().unwrap_or_default(),
                    ns.name,
                    ns.name
                ),
                Backend::AwsSecretsManager => format!(
                    "annotate ServiceAccount `{}/{sa}` with `eks.amazonaws.com/role-arn` of an IAM role (IRSA) allowed `secretsmanager:GetSecretValue` on",
                    ns.name
                ),
                Backend::YandexLockbox => format!(
                    "create Secret `{}/{}-authorized-key` (key `authorized-key.json`) with a service account key that may read the Lockbox secrets",
                    ns.name, w.secret
                ),
                Backend::GoogleSecretManager => format!(
                    "set `spec.provider.gcpsm.projectID` (now `{}`) and grant access to",
                    plan.part_of
                ),
                Backend::AzureKeyVault => format!(
                    "set `vaultUrl`, and federate ServiceAccount `{}/{sa}` (workload identity) with an identity that may read",
                    ns.name
                ),
                Backend::None => continue,
            };
            out.push(format!(
                "SecretStore `{}/{}` ({}): {how} {}.",
                ns.name,
                w.secret,
                w.backend.label(),
                paths.join(", ")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    use super::Backend;
    use crate::export::kubernetes::export;
    use crate::export::test_support::parse_docs;

    #[test]
    fn backends_follow_the_drawn_product() {
        assert_eq!(Backend::of("HashiCorp Vault"), Backend::Vault);
        assert_eq!(
            Backend::of("AWS Secrets Manager"),
            Backend::AwsSecretsManager
        );
        assert_eq!(Backend::of("Yandex Lockbox"), Backend::YandexLockbox);
        assert_eq!(
            Backend::of("Google Secret Manager"),
            Backend::GoogleSecretManager
        );
        assert_eq!(Backend::of("Azure Key Vault"), Backend::AzureKeyVault);
        assert_eq!(Backend::of("Kubernetes Secrets"), Backend::None);
    }

    /// Every Secret a pod reads is made by an ExternalSecret from a SecretStore of the same
    /// namespace, or listed in the README as one to create by hand.
    #[test]
    fn every_referenced_secret_has_a_source() {
        let mut designs = vec![crate::export::sample::design()];
        for t in crate::templates::TEMPLATES {
            designs.push(crate::templates::template(t.slug).expect("template"));
        }
        for design in designs {
            let files = export(&design);
            let docs: Vec<Value> = files
                .iter()
                .filter(|f| f.path.contains("/base/") && f.path.ends_with(".yaml"))
                .flat_map(parse_docs)
                .collect();
            let readme: String = files
                .iter()
                .filter(|f| f.path.ends_with("README.md"))
                .map(|f| f.contents.clone())
                .collect();
            let made: BTreeSet<(String, String)> = docs
                .iter()
                .filter(|d| d["kind"] == "ExternalSecret")
                .map(|d| {
                    let ns = d["metadata"]["namespace"].as_str().unwrap().to_string();
                    if let Some(store) = d["spec"]["secretStoreRef"]["name"].as_str() {
                        assert!(
                            docs.iter().any(|s| s["kind"] == "SecretStore"
                                && s["metadata"]["namespace"] == ns.as_str()
                                && s["metadata"]["name"] == store),
                            "{}: no SecretStore {store} in {ns}",
                            design.name
                        );
                    }
                    (
                        ns,
                        d["spec"]["target"]["name"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            for d in docs.iter().filter(|d| {
                matches!(
                    d["kind"].as_str(),
                    Some("Deployment" | "StatefulSet" | "Job")
                )
            }) {
                let ns = d["metadata"]["namespace"].as_str().unwrap().to_string();
                for c in d["spec"]["template"]["spec"]["containers"]
                    .as_array()
                    .unwrap()
                {
                    for e in c["env"].as_array().into_iter().flatten() {
                        let Some(secret) = e["valueFrom"]["secretKeyRef"]["name"].as_str() else {
                            continue;
                        };
                        assert!(
                            made.contains(&(ns.clone(), secret.to_string()))
                                || readme.contains(&format!("`{ns}/{secret}`")),
                            "{}: {ns}/{secret} is made by nothing",
                            design.name
                        );
                    }
                }
            }
        }
    }
}
