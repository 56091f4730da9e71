//! The Yandex Cloud root module: `versions.tf` with one provider configuration per drawn
//! region (its default zone), `main.tf` (locals, a KMS key per region that needs one), then
//! one file per concern.

mod data;
mod edge;
mod kubernetes;
mod network;

use hcl::expr::Expression;
use hcl::Block;

use super::context::{Cx, Step};
use super::hcl::*;
use super::module::{Concern, Module};
use super::plan::{Plan, ProviderPlan};

/// The provider's release line the resources are written for.
const PROVIDER_VERSION: &str = "~> 0.140";

pub(super) type Yc<'p, 'a> = Cx<'p, 'a>;

pub fn module(plan: &Plan, pp: &ProviderPlan) -> Module {
    let steps: [Step; 5] = [
        preamble,
        network::build,
        kubernetes::build,
        data::build,
        edge::build,
    ];
    super::context::write(plan, pp, "yandex", &steps, finish)
}

impl Yc<'_, '_> {
    /// The id of the KMS key of node `i`'s region (made on first use).
    pub fn key_id(&mut self, i: usize) -> Expression {
        let r = self.key_region(i);
        attr("yandex_kms_symmetric_key", &r, "id")
    }

    /// `labels = local.tags`: Yandex calls tags labels (lowercase keys, as ours are).
    pub fn labels(&self) -> (&'static str, Expression) {
        ("labels", local("tags"))
    }

    /// The zone of node `i`'s first subnet piece, or its region's first zone.
    pub fn zone_of(&self, i: usize) -> String {
        let net = self.plan.net_of(i);
        net.and_then(|n| n.zones.first().cloned())
            .unwrap_or_else(|| "ru-central1-a".into())
    }
}

fn preamble(cx: &mut Yc) {
    let plan = cx.plan;
    cx.m.require("yandex", "yandex-cloud/yandex", PROVIDER_VERSION);
    let aliases = cx.region_aliases(
        |n| n.zones.first().cloned().unwrap_or_default(),
        "ru-central1-a",
    );
    for (alias, zone) in aliases {
        // Credentials come from the environment (YC_TOKEN or YC_SERVICE_ACCOUNT_KEY_FILE).
        cx.m.versions(
            Block::builder("provider")
                .add_label("yandex")
                .add_attribute(("alias", alias))
                .add_attribute(("folder_id", var("folder_id")))
                .add_attribute(("zone", zone))
                .build(),
        );
    }
    cx.m.string_variable(
        "folder_id",
        "The Yandex Cloud folder everything goes into",
        None,
    );
    cx.m.example_value("folder_id", "b1g00000000000000000".into());
    super::aws::common_variables(&mut cx.m, plan);
}

fn finish(mut cx: Yc) -> Module {
    for r in std::mem::take(&mut cx.keys) {
        let key = resource("yandex_kms_symmetric_key", &r)
            .add_attribute(cx.provider_of_region(&r))
            .add_attribute(("name", cloud_name(&format!("{}-key", r.replace('_', "-")))))
            .add_attribute((
                "description",
                format!("infracanvas: data at rest in region {r}"),
            ))
            .add_attribute(("default_algorithm", "AES_256"))
            .add_attribute(("rotation_period", "8760h"))
            .add_attribute(cx.labels())
            .build();
        cx.m.add(Concern::Main, key);
    }
    for r in std::mem::take(&mut cx.images) {
        cx.m.add(
            Concern::Edge,
            data("yandex_compute_image", &format!("ubuntu_{r}"))
                .add_attribute(cx.provider_of_region(&r))
                .add_attribute(("family", "ubuntu-2404-lts"))
                .build(),
        );
    }
    cx.m
}
