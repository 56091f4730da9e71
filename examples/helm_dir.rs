//! Writes the Kubernetes and Helm exports of designs beyond the templates for
//! `scripts/check-helm.sh`: `cargo run --example helm_dir -- DIR` writes `DIR/k8s/<name>/…` and
//! `DIR/helm/<name>/…` for the export sample (three environments whose overrides change tags,
//! hosts, autoscaling and resources; every workload given a setting holding template code) and
//! the hostile design
//! of `synth::hostile_design` (names full of quotes, `{{ }}`, `${}`, Cyrillic and markup, which
//! must reach the rendered objects as they are and never run as template code).

use infracanvas::export::kubernetes::{export, helm};
use infracanvas::export::sample;
use infracanvas::model::{EnvValue, EnvVar, NodeSpec};
use infracanvas::synth;

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| {
        eprintln!("usage: helm_dir DIR");
        std::process::exit(2);
    });
    // Template code in a setting a design carries into the objects (a ConfigMap value).
    let mut with_code = sample::design();
    for n in &mut with_code.nodes {
        if let NodeSpec::Workload(w) = &mut n.spec {
            w.env.push(EnvVar {
                name: "GREETING".into(),
                value: EnvValue::Plain("{{ .Release.Name }} {{- fail \"x\" }} ${HOME} }}{{".into()),
            });
        }
    }
    let designs = [
        ("sample", with_code),
        ("hostile", synth::hostile_design()),
    ];
    for (name, design) in designs {
        for (tree, files) in [("k8s", export(&design)), ("helm", helm::export(&design))] {
            for f in files {
                let path = std::path::Path::new(&dir).join(tree).join(name).join(&f.path);
                std::fs::create_dir_all(path.parent().expect("a file has a folder"))?;
                std::fs::write(&path, &f.contents)?;
            }
        }
    }
    Ok(())
}
