//! Infracanvas: a deployment-architecture designer.
//!
//! The model, the rules, the exports and the share codec are plain Rust with no web dependency;
//! the page (`app`, wasm32 only) and the CLI (`src/bin/infracanvas.rs`) are thin shells over them.

pub mod commands;
pub mod export;
pub mod import;
pub mod library;
pub mod model;
pub mod report;
pub mod share;
pub mod synth;
pub mod templates;
pub mod validate;

#[cfg(target_arch = "wasm32")]
pub mod app;
