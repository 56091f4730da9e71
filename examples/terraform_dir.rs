//! Writes the Terraform export of generated designs for `scripts/check-terraform.sh`:
//! `cargo run --example terraform_dir -- DIR` writes `DIR/<name>/…` for a generated design of
//! 300 nodes (AWS), the same design on Yandex Cloud, and the hostile design of
//! `synth::hostile_design` (names full of quotes, `${}`, Cyrillic and markup).

use infracanvas::export::terraform::export;
use infracanvas::model::{Cloud, Design, NodeSpec};
use infracanvas::synth;

fn on(mut design: Design, cloud: Cloud) -> Design {
    for n in &mut design.nodes {
        if let NodeSpec::Provider(p) = &mut n.spec {
            p.cloud = cloud;
        }
    }
    design
}

fn main() -> std::io::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| {
        eprintln!("usage: terraform_dir DIR");
        std::process::exit(2);
    });
    let designs = [
        (
            "generated-300-aws",
            on(synth::design_of_size(300), Cloud::Aws),
        ),
        (
            "generated-300-yandex",
            on(synth::design_of_size(300), Cloud::Yandex),
        ),
        ("hostile", synth::hostile_design()),
    ];
    for (name, design) in designs {
        for f in export(&design) {
            let path = std::path::Path::new(&dir).join(name).join(&f.path);
            std::fs::create_dir_all(path.parent().expect("a file has a folder"))?;
            std::fs::write(&path, &f.contents)?;
        }
        println!("{dir}/{name}");
    }
    Ok(())
}
