//! The Yandex Cloud root module (to be written).
use super::module::Module;
use super::plan::{Plan, ProviderPlan};
pub fn module(_plan: &Plan, pp: &ProviderPlan) -> Module {
    Module::new(&pp.dir)
}
