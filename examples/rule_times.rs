//! Per-rule validation time on generated designs: `cargo run --release --example rule_times`.
//! Finds the rule to look at when the `validate` benchmark moves.
use std::time::Instant;

use infracanvas::model::DesignGraph;
use infracanvas::synth::design_of_size;
use infracanvas::validate::RULES;

fn main() {
    for n in [1_000, 5_000, 10_000] {
        let design = design_of_size(n);
        let runs = if n > 5_000 { 20 } else { 200 };
        let t = Instant::now();
        for _ in 0..runs {
            std::hint::black_box(DesignGraph::new(&design));
        }
        println!(
            "{n:>6} nodes  graph      {:>9.1} µs",
            t.elapsed().as_secs_f64() * 1e6 / runs as f64
        );
        let graph = DesignGraph::new(&design);
        let mut times: Vec<(f64, &str)> = RULES
            .iter()
            .map(|rule| {
                let t = Instant::now();
                for _ in 0..runs {
                    std::hint::black_box((rule.check)(&graph));
                }
                (t.elapsed().as_secs_f64() * 1e6 / runs as f64, rule.id)
            })
            .collect();
        times.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (us, id) in times.iter().take(8) {
            println!("{n:>6} nodes  {id} {us:>9.1} µs");
        }
        println!(
            "{n:>6} nodes  all rules  {:>9.1} µs",
            times.iter().map(|t| t.0).sum::<f64>()
        );
    }
}
