//! Inputs for the browser benchmark (scripts/bench-browser.mjs): for each size N given,
//! `cargo run --release --example bench_designs -- DIR N...` writes the generated design of N
//! nodes (`synth::design_of_size`) as `DIR/design-N.json`, its share payload as
//! `DIR/design-N.payload` (what follows `#d=`) and its Mermaid export as `DIR/design-N.mmd`.

use infracanvas::export::mermaid::flowchart;
use infracanvas::model::to_json_pretty;
use infracanvas::{share, synth};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), sizes) = (args.next(), args.collect::<Vec<_>>()) else {
        eprintln!("usage: bench_designs DIR N...");
        std::process::exit(2);
    };
    let dir = std::path::Path::new(&dir);
    std::fs::create_dir_all(dir).expect("create the output directory");
    for size in sizes {
        let Ok(n) = size.parse::<usize>() else {
            eprintln!("not a node count: {size}");
            std::process::exit(2);
        };
        let design = synth::design_of_size(n);
        let write = |ext: &str, text: String| {
            let path = dir.join(format!("design-{n}.{ext}"));
            std::fs::write(&path, text).expect("write a benchmark input");
            println!("{}", path.display());
        };
        write("json", to_json_pretty(&design));
        write("payload", share::encode(&design));
        write("mmd", flowchart(&design));
    }
}
