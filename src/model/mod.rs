//! The design model: pure data, no web dependency. See DESIGN.md §2.

pub mod clip;
pub mod design;
pub mod edit;
pub mod graph;
pub mod kind;
pub mod layout;
pub mod limits;
pub mod load;
pub mod names;
pub mod props;

pub use design::*;
pub use graph::{DesignGraph, Scope};
pub use kind::{EdgeKind, Group, Kind};
pub use load::{load_design, load_design_bytes, LoadError};
pub use props::*;

/// Writes a design as pretty JSON, the design file format.
pub fn to_json_pretty(design: &Design) -> String {
    // Serialising plain data with string keys cannot fail.
    serde_json::to_string_pretty(design).unwrap_or_default()
}

/// Writes a design as compact JSON (share links, storage).
pub fn to_json_compact(design: &Design) -> String {
    serde_json::to_string(design).unwrap_or_default()
}
