//! Exports (DESIGN.md §4): Kubernetes as a Kustomize tree, a Docker Swarm / Compose stack,
//! Mermaid, the design file itself, and pictures (SVG, PNG) that carry the design file. Pure
//! functions of the design, deterministic (stable ordering, no timestamps), so the page and the
//! CLI produce byte-identical output.

pub mod archive;
pub mod compose;
mod engines;
pub mod image;
pub mod job;
pub mod kubernetes;
pub mod mermaid;
pub mod sample;
pub mod terraform;
mod yaml;

#[cfg(test)]
mod golden_tests;
#[cfg(test)]
mod test_support;

/// One file of an export, at a relative path with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ExportFile {
    pub path: String,
    pub contents: String,
}

impl ExportFile {
    pub fn new(path: impl Into<String>, contents: impl Into<String>) -> Self {
        ExportFile {
            path: path.into(),
            contents: contents.into(),
        }
    }
}
