//! The page's Leptos root (wasm32 only; `src/lib.rs` declares this module under
//! `#[cfg(target_arch = "wasm32")]`): toolbar on top, palette on the left, canvas in the
//! centre, inspector and diagnostics on the right, export drawer at the bottom.
//!
//! The editing logic that does not need a browser lives in [`crate::model::edit`].

mod canvas;
mod commands;
mod context_menu;
mod designs_menu;
mod diagnostics;
mod download;
mod edge_view;
mod export_client;
mod export_panel;
mod fields;
mod help;
mod icons;
mod import_dialog;
mod inspector;
mod keys;
mod minimap;
mod node_view;
mod palette;
pub mod panic;
mod persist;
mod raster;
mod rename;
mod share_dialog;
mod state;
mod storage;
mod templates_menu;
mod toolbar;

use leptos::prelude::*;

use state::{use_state, EditorState, ToastLevel};

/// A part of the page that comes and goes (the rename box, the context menu, the minimap,
/// the guides), boxed: its reactive rendering is compiled once for all of them instead of
/// once per closure.
type Slot = Box<dyn FnMut() -> Option<AnyView> + Send>;

/// Root component mounted by `src/main.rs`.
#[component]
pub fn App() -> impl IntoView {
    let st = EditorState::new();
    provide_context(st);
    persist::start(st);
    keys::install_clipboard(st);

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
            <toolbar::Toolbar />
            <ErrorBanner />
            <main class="workspace">
                <palette::Palette />
                <div class="stage">
                    <canvas::Canvas />
                    <rename::RenameBox />
                    <minimap::MiniMap />
                    <context_menu::ContextMenu />
                    <EmptyHint />
                    <Toast />
                    <export_panel::ExportPanel />
                </div>
                <aside class="sidebar">
                    <inspector::Inspector />
                    <diagnostics::Diagnostics />
                </aside>
            </main>
            <templates_menu::TemplatesMenu />
            <share_dialog::ShareDialog />
            <designs_menu::DesignsMenu />
            <help::HelpOverlay />
        </div>
    }
}

#[component]
fn EmptyHint() -> impl IntoView {
    let st = use_state();
    move || {
        st.design.with(|d| d.nodes.is_empty()).then(|| {
            view! {
                <p class="empty-hint">
                    "Drag a component from the left onto the canvas, or open a template."
                    <br />
                    <small>"Drag the background to pan, wheel to zoom, Shift+drag to select an area."</small>
                </p>
            }
        })
    }
}

#[component]
fn Toast() -> impl IntoView {
    let st = use_state();
    view! {
        <div class="toast-area" role="status" aria-live="polite">
            {move || st.toast.get().map(|t| {
                let class = if t.level == ToastLevel::Error { "toast error" } else { "toast" };
                view! {
                    <div class=class data-testid="toast" data-level=if t.level == ToastLevel::Error { "error" } else { "info" }>
                        {t.text}
                        <button type="button" class="icon-button" aria-label="Dismiss" on:click=move |_| st.toast.set(None)>"×"</button>
                    </div>
                }
            })}
        </div>
    }
}

/// Problems that need reading stay on screen until dismissed (toasts fade).
#[component]
fn ErrorBanner() -> impl IntoView {
    let st = use_state();
    // Always one element, so the page grid keeps its rows whether a banner shows or not.
    view! {
        <div class="banner-slot">
            <persist::ConflictBar />
            {move || st.banner.get().map(|text| {
                view! {
                    <div class="error-banner" role="alert" data-testid="error-banner">
                        <p>{text}</p>
                        <button type="button" class="icon-button" aria-label="Dismiss" data-testid="error-banner-dismiss" on:click=move |_| st.banner.set(None)>"×"</button>
                    </div>
                }
            })}
        </div>
    }
}
