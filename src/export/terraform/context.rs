//! The state shared while one provider's module is written: the plan, the provider, the module
//! being filled, and which per-region keys and image lookups some resource asked for.

use std::collections::BTreeSet;

use hcl::expr::Expression;

use super::hcl::reference;
use super::module::Module;
use super::plan::{Plan, ProviderPlan};

pub struct Cx<'p, 'a> {
    pub plan: &'p Plan<'a>,
    pub pp: &'p ProviderPlan,
    pub m: Module,
    /// The Terraform provider's local name (`aws`, `yandex`).
    pub provider_name: &'static str,
    /// Regions (by label) whose encryption key some resource uses.
    pub keys: BTreeSet<String>,
    /// Regions (by label) that need the Ubuntu image lookup.
    pub images: BTreeSet<String>,
}

/// One step of writing a module: a concern's resources, or the preamble.
pub type Step = for<'p, 'a, 'c> fn(&'c mut Cx<'p, 'a>);

/// Writes a provider's module: the steps in order (preamble, network, Kubernetes, data, edge),
/// then `finish` adds what the steps asked for on the way (keys, image lookups).
pub fn write(
    plan: &Plan,
    pp: &ProviderPlan,
    provider_name: &'static str,
    steps: &[Step],
    finish: fn(Cx) -> Module,
) -> Module {
    let mut cx = Cx::new(plan, pp, provider_name);
    for step in steps {
        step(&mut cx);
    }
    finish(cx)
}

impl<'p, 'a> Cx<'p, 'a> {
    pub fn new(plan: &'p Plan<'a>, pp: &'p ProviderPlan, provider_name: &'static str) -> Self {
        Cx {
            plan,
            pp,
            m: Module::new(&pp.dir),
            provider_name,
            keys: BTreeSet::new(),
            images: BTreeSet::new(),
        }
    }

    pub fn label(&self, i: usize) -> String {
        self.plan.label(self.pp, i)
    }

    /// The label of the region node `i` is in (the provider alias), or the first region's
    /// for global services.
    pub fn region_label(&self, i: usize) -> String {
        self.plan
            .net_of(i)
            .map(|n| n.label.clone())
            .or_else(|| self.first_region())
            .unwrap_or_else(|| "global".into())
    }

    pub fn first_region(&self) -> Option<String> {
        self.pp
            .regions
            .iter()
            .filter_map(|r| self.plan.nets.get(r))
            .map(|n| n.label.clone())
            .next()
    }

    /// `provider = <name>.<region>` for a resource belonging to node `i`.
    pub fn provider(&self, i: usize) -> (&'static str, Expression) {
        self.provider_of_region(&self.region_label(i))
    }

    pub fn provider_of_region(&self, region: &str) -> (&'static str, Expression) {
        ("provider", reference(self.provider_name, &[region]))
    }

    /// One (alias, value) per drawn region of the provider, `value` read from its network;
    /// `fallback` when the provider draws no region (global services only).
    pub fn region_aliases(
        &self,
        value: impl Fn(&super::plan::RegionNet) -> String,
        fallback: &str,
    ) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .pp
            .regions
            .iter()
            .filter_map(|r| self.plan.nets.get(r))
            .map(|n| (n.label.clone(), value(n)))
            .collect();
        if out.is_empty() {
            out.push(("global".into(), fallback.into()));
        }
        out
    }

    /// Records that node `i`'s region needs its key; returns the region's label.
    pub fn key_region(&mut self, i: usize) -> String {
        let r = self.region_label(i);
        self.keys.insert(r.clone());
        r
    }
}
