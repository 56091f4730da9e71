//! Writes Mermaid flowcharts for the browser check (tests/e2e/mermaid.test.mjs):
//! `cargo run --example mermaid_dir -- DIR` writes `DIR/<name>.mmd` for two generated designs
//! (100 and 300 nodes) and the hostile design of `synth::hostile_design`.

use infracanvas::export::mermaid::flowchart;
use infracanvas::synth;

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| {
        eprintln!("usage: mermaid_dir DIR");
        std::process::exit(2);
    });
    let dir = std::path::Path::new(&dir);
    std::fs::create_dir_all(dir).expect("create the output directory");
    let designs = [
        ("generated-100", synth::design_of_size(100)),
        ("generated-300", synth::design_of_size(300)),
        ("hostile", synth::hostile_design()),
    ];
    for (name, design) in designs {
        let path = dir.join(format!("{name}.mmd"));
        std::fs::write(&path, flowchart(&design)).expect("write the flowchart");
        println!("{}", path.display());
    }
}
