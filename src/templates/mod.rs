//! Built-in templates (being written).
use crate::model::Design;
pub struct Template { pub slug: &'static str, pub title: &'static str, pub summary: &'static str, pub build: fn() -> Design }
pub static TEMPLATES: &[Template] = &[];
pub fn template(_slug: &str) -> Option<Design> { None }
