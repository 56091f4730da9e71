//! Prints the connectivity a design's Kubernetes clusters must allow, resolved from the drawing
//! (`infracanvas::export::kubernetes::connectivity`), as JSON: the expected map that
//! `scripts/check-connectivity.sh` compares with network-config-analyzer's map of every built
//! overlay.
//!
//! ```text
//! cargo run --example connectivity -- DESIGN.json > expected.json
//! ```

use infracanvas::export::kubernetes::connectivity;
use infracanvas::model::load::load_design_bytes;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: connectivity DESIGN.json");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("connectivity: {path}: {e}");
            std::process::exit(1);
        }
    };
    match load_design_bytes(&bytes) {
        Ok(design) => println!(
            "{}",
            serde_json::to_string_pretty(&connectivity(&design)).unwrap_or_default()
        ),
        Err(e) => {
            eprintln!("connectivity: {path}: {e}");
            std::process::exit(1);
        }
    }
}
