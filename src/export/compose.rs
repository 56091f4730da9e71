//! Docker Swarm / Compose export (being written).
use super::ExportFile;
use crate::model::Design;

/// One `docker-stack.yml` per Swarm cluster.
pub fn export(_design: &Design) -> Vec<ExportFile> {
    Vec::new()
}

pub fn export_cluster(_design: &Design, _cluster_id: &str) -> Option<ExportFile> {
    None
}
