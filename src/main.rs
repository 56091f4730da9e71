//! Entry point of the page (`infracanvas-web`).
//!
//! Trunk builds this bin for `wasm32-unknown-unknown` (see `index.html`), and
//! the page mounts the Leptos root from [`infracanvas::app`]. Natively the bin
//! only exists so that `cargo build` / `cargo test` succeed: it prints a hint.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(infracanvas::app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    println!("infracanvas-web is the browser page: the page is built by trunk; run `make serve`");
}
