//! Entry point of the page (`infracanvas-web`).
//!
//! Trunk builds this bin for `wasm32-unknown-unknown` (see `index.html`), and
//! the page mounts the Leptos root from [`infracanvas::app`]. Natively the bin
//! only exists so that `cargo build` / `cargo test` succeed: it prints a hint.

#[cfg(target_arch = "wasm32")]
fn main() {
    infracanvas::app::panic::install();
    leptos::mount::mount_to_body(infracanvas::app::App);
}

/// Forces an internal error so that a browser test can check the panic banner
/// (`window.wasmBindings.infracanvas_force_internal_error()`). It only breaks the page it runs in.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn infracanvas_force_internal_error() {
    panic!("internal error forced by a test");
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    println!("infracanvas-web is the browser page: the page is built by trunk; run `make serve`");
}
