//! Golden files: the Kubernetes and Swarm exports of `export::sample::design()`, every format
//! of the `microservices-platform` template (`golden/template-*`), and the Terraform export of
//! the `multicloud-shop` and `aws-multiregion-dr` templates (`golden/terraform-*`), are committed
//! under `src/export/golden/{k8s,compose}/`. Any change to the output shows up as a diff;
//! regenerate deliberately with `UPDATE_GOLDEN=1 cargo test --lib export::golden`.

use std::path::{Path, PathBuf};

use super::{compose, kubernetes, sample, ExportFile};

fn golden_dir(format: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/export/golden")
        .join(format)
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(dir) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

fn check(format: &str, files: &[ExportFile]) {
    let dir = golden_dir(format);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        for f in files {
            let p = dir.join(&f.path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, &f.contents).unwrap();
        }
        return;
    }
    let mut expected = files_under(&dir);
    let mut actual: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
    actual.sort();
    expected.sort();
    assert_eq!(
        actual, expected,
        "{format}: the set of files changed (UPDATE_GOLDEN=1 to accept)"
    );
    for f in files {
        let want = std::fs::read_to_string(dir.join(&f.path)).unwrap();
        assert!(want == f.contents, "{format}: {} differs from the golden file (UPDATE_GOLDEN=1 to accept)\n--- got ---\n{}", f.path, f.contents);
    }
}

#[test]
fn golden_kubernetes() {
    check("k8s", &kubernetes::export(&sample::design()));
}

#[test]
fn golden_compose() {
    let design = sample::design();
    let mut files = compose::export(&design);
    files.extend(compose::export_cluster(&design, "k8s"));
    check("compose", &files);
}

/// One seed template per format, so a change to a template or an exporter shows in review.
const GOLDEN_TEMPLATE: &str = "microservices-platform";

fn golden_template() -> crate::model::Design {
    crate::templates::template(GOLDEN_TEMPLATE).expect("the golden template exists")
}

#[test]
fn golden_template_kubernetes() {
    check("template-k8s", &kubernetes::export(&golden_template()));
}

#[test]
fn golden_template_compose() {
    let design = golden_template();
    let mut files = compose::export(&design);
    files.extend(compose::export_cluster(&design, "k8s"));
    check("template-compose", &files);
}

#[test]
fn golden_template_mermaid() {
    let design = golden_template();
    check(
        "template-mermaid",
        &[ExportFile::new(
            "diagram.mmd",
            super::mermaid::flowchart(&design),
        )],
    );
}

/// Terraform for the two templates with the most cloud: AWS and Yandex side by side (seed 000)
/// and AWS in two regions with failover and DR (seed 003).
#[test]
fn golden_template_terraform() {
    for slug in ["multicloud-shop", "aws-multiregion-dr"] {
        let design = crate::templates::template(slug).expect("the template exists");
        check(
            &format!("terraform-{slug}"),
            &super::terraform::export(&design),
        );
    }
}
