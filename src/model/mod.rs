//! The design model: pure data, no web dependency.

pub mod clip;
pub mod design;
pub mod edit;
pub mod environments;
pub mod graph;
pub mod history;
pub mod icons;
pub mod input;
pub mod kind;
pub mod label;
pub mod layout;
pub mod layout_metrics;
pub mod limits;
pub mod load;
pub mod minimap;
pub mod names;
pub mod policy;
pub mod props;
pub mod route;
pub mod snap;
pub mod tidy;

pub use design::*;
pub use graph::{DesignGraph, Scope};
pub use kind::{EdgeKind, Group, Kind};
pub use load::{load_design, load_design_brief, load_design_bytes, LoadError};
pub use policy::{RuleLevel, Settings, Waiver};
pub use props::*;

/// Writes a design as pretty JSON, the design file format.
pub fn to_json_pretty(design: &Design) -> String {
    // Serialising plain data with string keys cannot fail.
    serde_json::to_string_pretty(design).unwrap_or_default()
}

/// The pretty design file from its compact JSON, keys in their order: the same text as
/// [`to_json_pretty`] of the design the compact text came from, without a second (pretty) copy
/// of every serializer of the model, which the page's first-load bundle has no room for.
/// Text that is not JSON comes back as it is.
pub fn reindent(compact: &str) -> String {
    let mut out = Vec::with_capacity(compact.len() * 3 / 2);
    let mut de = serde_json::Deserializer::from_str(compact);
    let mut ser = serde_json::Serializer::pretty(&mut out);
    match serde_transcode::transcode(&mut de, &mut ser) {
        Ok(()) => String::from_utf8(out).unwrap_or_else(|_| compact.to_string()),
        Err(_) => compact.to_string(),
    }
}

/// Writes a design as compact JSON (share links, storage).
pub fn to_json_compact(design: &Design) -> String {
    serde_json::to_string(design).unwrap_or_default()
}
