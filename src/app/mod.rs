//! The page's Leptos root (wasm32 only; `src/lib.rs` declares this module
//! under `#[cfg(target_arch = "wasm32")]`).
//!
//! For now a placeholder shell: header, toolbar and an empty canvas. The
//! editor grows here.

use leptos::prelude::*;

/// Size of the canvas grid, in SVG user units.
const GRID: u32 = 24;

/// Root component mounted by `src/main.rs`.
#[component]
pub fn App() -> impl IntoView {
    let (show_grid, set_show_grid) = signal(true);

    view! {
        <div class="shell">
            <header class="topbar">
                <div class="brand">
                    <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
                        <rect x="3" y="3" width="11" height="11" rx="2" class="logo-a"></rect>
                        <rect x="18" y="18" width="11" height="11" rx="2" class="logo-b"></rect>
                        <path d="M14 8.5 H23.5 V18" class="logo-link"></path>
                    </svg>
                    <h1 data-testid="product-name">"Infracanvas"</h1>
                </div>
                <span class="tagline">"Deployment-architecture designer"</span>
            </header>

            <nav class="toolbar" role="toolbar" aria-label="Editor tools">
                <button type="button" disabled=true title="Coming soon">"New"</button>
                <button type="button" disabled=true title="Coming soon">"Templates"</button>
                <button type="button" disabled=true title="Coming soon">"Validate"</button>
                <button type="button" disabled=true title="Coming soon">"Share link"</button>
                <span class="spacer"></span>
                <button
                    type="button"
                    data-testid="toggle-grid"
                    aria-pressed=move || show_grid.get().to_string()
                    on:click=move |_| set_show_grid.update(|g| *g = !*g)
                >
                    "Grid"
                </button>
            </nav>

            <main class="workspace">
                <svg
                    data-testid="canvas"
                    class="canvas"
                    role="img"
                    aria-label="Architecture canvas"
                >
                    <defs>
                        <pattern
                            id="grid"
                            width=GRID
                            height=GRID
                            patternUnits="userSpaceOnUse"
                        >
                            <path
                                d=format!("M {GRID} 0 L 0 0 0 {GRID}")
                                class="grid-line"
                            ></path>
                        </pattern>
                    </defs>
                    <rect
                        width="100%"
                        height="100%"
                        fill="url(#grid)"
                        data-testid="grid"
                        class:hidden=move || !show_grid.get()
                    ></rect>
                </svg>
                <p class="empty-hint">
                    "An empty canvas. Components, links and rule checks arrive here soon."
                </p>
            </main>
        </div>
    }
}
