//! Writes the Kubernetes and Swarm exports of two designs to a directory, as input for
//! `scripts/check-k8s.sh` and `scripts/check-compose.sh`:
//!
//! ```text
//! cargo run --example export_dir -- DIR
//! DIR/synth-300/{k8s,compose}/…   synth::design_of_size(300)
//! DIR/sample/{k8s,compose}/…      export::sample::design()
//! ```

use std::path::Path;

use infracanvas::export::{compose, kubernetes, sample, ExportFile};
use infracanvas::model::{Design, Kind};

fn write(root: &Path, files: &[ExportFile]) -> std::io::Result<()> {
    for f in files {
        let path = root.join(&f.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, &f.contents)?;
    }
    Ok(())
}

fn export_all(root: &Path, design: &Design) -> std::io::Result<()> {
    write(&root.join("k8s"), &kubernetes::export(design))?;
    let mut stacks = compose::export(design);
    // Seed 004: the same design as a Swarm stack, Kubernetes clusters included.
    for n in design
        .nodes
        .iter()
        .filter(|n| n.kind() == Kind::KubernetesCluster)
    {
        stacks.extend(compose::export_cluster(design, &n.id));
    }
    write(&root.join("compose"), &stacks)
}

fn main() -> std::io::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "export-out".into());
    let root = Path::new(&dir);
    if root.exists() {
        std::fs::remove_dir_all(root)?;
    }
    export_all(
        &root.join("synth-300"),
        &infracanvas::synth::design_of_size(300),
    )?;
    export_all(&root.join("sample"), &sample::design())?;
    println!("wrote {}", root.display());
    Ok(())
}
