//! Terraform export (issue 14): the cloud half of a design as infrastructure as code, one root
//! module per provider with a Terraform provider (`aws/`, `yandex/`):
//!
//! ```text
//! <cloud>/versions.tf                   required_providers pinned, one provider configuration per region
//! <cloud>/variables.tf                  inputs; secrets only as `sensitive` variables without defaults
//! <cloud>/main.tf                       locals (names, tags), shared keys and IAM roles
//! <cloud>/network.tf                    VPC, subnets per zone, gateways, routes, security groups
//! <cloud>/kubernetes.tf                 managed Kubernetes clusters and node groups
//! <cloud>/data.tf                       managed databases, caches, queues, buckets, registries
//! <cloud>/edge.tf                       balancers, certificates, WAF, CDN, DNS routing, VPN VMs
//! <cloud>/outputs.tf                    endpoints and names for the next step
//! <cloud>/terraform.tfvars.example      values the variables without defaults need
//! <cloud>/environments/<env>.tfvars     what differs per environment (sizes), one workspace each
//! README.md                             what was made per provider, and what was left out and why
//! ```
//!
//! HCL is written by `hcl-rs` (its builder and formatter), then aligned as `terraform fmt`
//! does; the output is a pure function of the design (nodes in id order, `BTreeMap`s), so the
//! page and the CLI give byte-identical files. Names come from the model's safe-name function.

mod aws;
mod cidr;
mod context;
mod fmt;
mod hcl;
mod module;
mod plan;
mod sizing;
mod vpn;
mod yandex;

#[cfg(test)]
mod deploy_tests;
#[cfg(test)]
mod tests;

use super::ExportFile;
use crate::model::{Cloud, Design, NodeSpec};
use plan::Plan;

/// Every file of the Terraform export; empty when the design has no cloud provider that the
/// export knows (on-premises and generic providers have no Terraform provider to target).
pub fn export(design: &Design) -> Vec<ExportFile> {
    let plan = Plan::new(design);
    let mut files = Vec::new();
    let mut readme = vec![
        "# Terraform for the cloud half of the design".to_string(),
        String::new(),
        "One root module per provider. `terraform init`, then one workspace per environment: \
`terraform workspace new <env>` and `terraform apply -var-file=environments/<env>.tfvars`. \
Secrets are never written here: sensitive variables have no defaults; pass them with \
`TF_VAR_<name>` from your secret store."
            .to_string(),
    ];
    for pp in &plan.providers {
        let module = match pp.cloud {
            Cloud::Aws => aws::module(&plan, pp),
            Cloud::Yandex => yandex::module(&plan, pp),
            _ => continue,
        };
        readme.push(String::new());
        readme.push(format!("## {}/ ({})", module.dir, pp.cloud.label()));
        readme.push(String::new());
        for n in &module.notes {
            readme.push(format!("- {n}"));
        }
        let unmade = unmade(&plan, pp);
        if !unmade.is_empty() {
            readme.push(format!(
                "- Drawn, but no resource of their own here (software in the clusters, or services the modules cover through the resources above): {}.",
                unmade.join(", ")
            ));
        }
        readme.extend(by_hand(&module));
        files.extend(module.files());
    }
    let skipped: Vec<String> = plan
        .g
        .design
        .nodes
        .iter()
        .filter_map(|n| match &n.spec {
            NodeSpec::Provider(p) if plan::module_dir(p.cloud).is_none() => Some(format!(
                "- {} ({}): {}",
                plan::safe(&n.name, &n.id),
                p.cloud.label(),
                not_exported_why(p.cloud)
            )),
            _ => None,
        })
        .collect();
    if files.is_empty() && skipped.is_empty() {
        return files;
    }
    if !skipped.is_empty() {
        readme.push(String::new());
        readme.push("## Not exported".into());
        readme.push(String::new());
        readme.extend(skipped);
    }
    readme.push(String::new());
    files.push(ExportFile::new("README.md", readme.join("\n")));
    files
}

/// What an operator must still do by hand around `terraform apply` of `module`, in order.
fn by_hand(module: &module::Module) -> Vec<String> {
    let mut out = vec![
        String::new(),
        format!("### {}/: by hand, around `terraform apply`", module.dir),
        String::new(),
    ];
    let required = module.required_variables();
    let plain: Vec<String> = required
        .iter()
        .filter(|(_, s)| !s)
        .map(|(n, _)| format!("`{n}`"))
        .collect();
    let secret: Vec<String> = required
        .iter()
        .filter(|(_, s)| *s)
        .map(|(n, _)| format!("`TF_VAR_{n}`"))
        .collect();
    let mut step = 1;
    let mut push = |text: String| {
        out.push(format!("{step}. {text}"));
        step += 1;
    };
    if !plain.is_empty() {
        push(format!(
            "Before apply: give the variables without a default (placeholders in `terraform.tfvars.example`): {}.",
            plain.join(", ")
        ));
    }
    if !secret.is_empty() {
        push(format!(
            "Before apply: export the secrets from your secret store, never into a file: {}.",
            secret.join(", ")
        ));
    }
    if module.has_variable("dns_records") {
        push("Apply the production workspace first: the other workspaces' certificates validate through its Route 53 records.".into());
    }
    let after: Vec<&str> = module
        .notes
        .iter()
        .filter(|n| {
            ["by hand", "left to the team", "install", "operator's"]
                .iter()
                .any(|w| n.to_lowercase().contains(w))
        })
        .map(|n| n.split(':').next().unwrap_or(n))
        .collect();
    if !after.is_empty() {
        push(format!(
            "After apply, before traffic: the steps the notes above leave to you ({}).",
            after.join("; ")
        ));
    }
    out
}

/// Why a provider of `cloud` has no module, and what the reader can do about it.
fn not_exported_why(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::OnPrem => "servers in your own data centre have no cloud API to provision; \
the Kubernetes export (and the Swarm stack) cover what runs on them.",
        Cloud::Other => "a cloud not yet named. Choose AWS or Yandex Cloud as the provider's \
cloud (inspector: Cloud) and give its regions their codes (eu-central-1, ru-central1) and its \
clusters their zones, and this export writes its Terraform.",
        _ => "this export has no module for this cloud yet (AWS and Yandex Cloud have one).",
    }
}

/// Nodes of the provider outside any cluster whose kind makes no resource here: operations
/// products (monitoring, secret and config stores, CI/CD…) and outside systems.
fn unmade(plan: &Plan, pp: &plan::ProviderPlan) -> Vec<String> {
    use crate::model::Kind as K;
    let mut out: Vec<(String, String)> = pp
        .labels
        .keys()
        .filter(|&&i| plan.g.scope(i).cluster.is_none())
        .filter(|&&i| {
            let product = plan.g.node(i).spec.product().to_ascii_lowercase();
            match plan.g.kind(i) {
                K::Logging => pp.cloud != Cloud::Yandex,
                K::SecurityService => {
                    !(pp.cloud == Cloud::Aws
                        && (product.contains("guardduty") || product.contains("security hub")))
                }
                K::Monitoring
                | K::Tracing
                | K::SecretStore
                | K::ConfigStore
                | K::CiCd
                | K::ExternalSystem => true,
                _ => false,
            }
        })
        .map(|&i| {
            (
                plan.g.node(i).id.clone(),
                format!(
                    "{} ({})",
                    plan.ascii_name(i),
                    plan.g.kind(i).label().to_lowercase()
                ),
            )
        })
        .collect();
    out.sort();
    out.into_iter().map(|(_, text)| text).collect()
}
