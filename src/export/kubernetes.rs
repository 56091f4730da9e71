//! Kubernetes export (being written).
use super::ExportFile;
use crate::model::Design;

/// One Kustomize tree per Kubernetes cluster: `<cluster>/base/…`, `<cluster>/overlays/<env>/…`.
pub fn export(_design: &Design) -> Vec<ExportFile> {
    Vec::new()
}
