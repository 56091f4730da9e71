//! Every input a fuzz target failed on, kept as a regression test: the files under
//! `tests/fuzz_regressions/<target>/` run through the very checks of that target
//! (`fuzz/src/lib.rs`, included here by path), so each must now end without a panic, refused
//! with a message or accepted with every output holding its invariants.
//!
//! A file `NAME.expect` beside an input `NAME` pins the outcome: `refused SUBSTRING` (the
//! message contains SUBSTRING) or `accepted`. Add a crash input with
//! `cp fuzz/artifacts/<target>/crash-… tests/fuzz_regressions/<target>/<what-it-was>`.

#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use checks::Outcome;

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    // Git keeps no empty folder: a target without regressions has none.
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "expect" && e != "md"))
        .collect();
    files.sort();
    files
}

/// Runs `check` on every input of `target`; fails with the names of the inputs that panicked
/// or did not come out as their `.expect` file says.
fn run(target: &str, check: fn(&[u8]) -> Vec<Outcome>) {
    let mut failures = Vec::new();
    let files = inputs(target);
    for path in &files {
        let data = std::fs::read(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let outcomes = match catch_unwind(AssertUnwindSafe(|| check(&data))) {
            Ok(outcomes) => outcomes,
            Err(_) => {
                failures.push(format!("{name}: panicked (message above)"));
                continue;
            }
        };
        assert!(!outcomes.is_empty());
        let expect = path.with_file_name(format!("{name}.expect"));
        if let Ok(text) = std::fs::read_to_string(&expect) {
            let text = text.trim();
            let ok = outcomes.iter().any(|o| match (o, text.split_once(' ')) {
                (Outcome::Accepted(_), _) => text == "accepted",
                (Outcome::Refused(m), Some(("refused", want))) => m.contains(want),
                (Outcome::Refused(_), None) => text == "refused",
                _ => false,
            });
            if !ok {
                failures.push(format!("{name}: {outcomes:?}, expected {text}"));
            }
        }
    }
    assert!(failures.is_empty(), "{target}: {failures:#?}");
    eprintln!("{target}: {} regression inputs", files.len());
}

#[test]
fn share_decode() {
    run("share_decode", checks::share_decode);
}

#[test]
fn load_design() {
    run("load_design", |data| vec![checks::load_design(data)]);
}

#[test]
fn exports() {
    run("exports", |data| vec![checks::exports(data)]);
}

#[test]
fn importers() {
    run("importers", checks::importers);
}
