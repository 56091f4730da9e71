//! The toolbar: design name and save state, my designs, open/save file, templates, undo/redo,
//! delete, tidy, zoom, fit, grid, share, export, theme, help.

use leptos::prelude::*;

use super::keys::open_file_picker;
use super::persist::{on_file_input, save_file};
use super::state::{use_state, SaveStatus};

#[component]
pub fn Toolbar() -> impl IntoView {
    let st = use_state();
    let (can_undo, can_redo) = (
        move || st.history.with(|h| h.0 > 0),
        move || st.history.with(|h| h.1 > 0),
    );
    let zoom_pct = move || format!("{:.0}%", st.viewport.with(|v| v.zoom * 100.0));
    let theme = st.theme;
    theme.set(initial_theme());
    Effect::new(move |_| apply_theme(theme.get()));
    let toggle_theme = move |_| {
        theme.update(|t| {
            *t = if t.as_str() == "dark" {
                "light".into()
            } else {
                "dark".into()
            };
        })
    };
    view! {
        <nav class="toolbar" role="toolbar" aria-label="Editor tools">
            <input
                class="design-name"
                data-testid="design-name"
                aria-label="Design name"
                maxlength=crate::model::limits::MAX_TEXT_CHARS
                title="The design's name; the inspector shows the design's settings while you edit it"
                prop:value=move || st.design.with(|d| d.name.clone())
                // The design's settings (objectives, environments) live in the inspector when
                // nothing is selected: the name is their way in.
                on:focus=move |_| st.selection.set(Default::default())
                on:change=move |e| {
                    let v = event_target_value(&e);
                    st.edit(|d| d.name = v);
                }
            />
            <span class="save-status" data-testid="save-status" data-state=move || save_state(&st.save_status.get())>
                {move || save_label(&st.save_status.get())}
            </span>
            <button type="button" data-testid="open-designs" on:click=move |_| st.designs_open.set(true)>"My designs"</button>
            <button type="button" data-testid="open-file" title="Open a design file (Ctrl+O)" on:click=move |_| open_file_picker()>"Open…"</button>
            <input
                type="file"
                accept=".json,application/json,.svg,image/svg+xml,.png,image/png"
                data-testid="file-input"
                class="sr-only"
                tabindex="-1"
                aria-hidden="true"
                on:change=move |e| on_file_input(st, &e)
            />
            <button type="button" data-testid="save-file" title="Save the design file (Ctrl+S)" on:click=move |_| save_file(st)>"Save"</button>
            <button type="button" data-testid="open-templates" on:click=move |_| st.templates_open.set(true)>"Templates"</button>
            <span class="sep"></span>
            <button type="button" data-testid="undo" title="Undo (Ctrl+Z)" disabled=move || !can_undo() on:click=move |_| st.undo()>"Undo"</button>
            <button type="button" data-testid="redo" title="Redo (Ctrl+Shift+Z)" disabled=move || !can_redo() on:click=move |_| st.redo()>"Redo"</button>
            <button
                type="button"
                data-testid="delete"
                title="Delete the selection (Delete)"
                disabled=move || st.selection.with(|s| s.is_empty())
                on:click=move |_| st.delete_selection()
            >
                "Delete"
            </button>
            <button
                type="button"
                data-testid="tidy"
                title="Tidy: lay out by traffic"
                aria-busy=move || st.tidying.get().to_string()
                disabled=move || st.tidying.get() || st.node_count() == 0
                on:click=move |_| st.tidy()
            >
                "Tidy"
            </button>
            <span class="sep"></span>
            <button type="button" data-testid="zoom-out" aria-label="Zoom out" title="Zoom out (-)" on:click=move |_| st.zoom_by(0.8)>"−"</button>
            <span class="zoom" data-testid="zoom-level">{zoom_pct}</span>
            <button type="button" data-testid="zoom-in" aria-label="Zoom in" title="Zoom in (+)" on:click=move |_| st.zoom_by(1.25)>"+"</button>
            <button type="button" data-testid="zoom-fit" title="Fit the design in view" on:click=move |_| st.fit()>"Fit"</button>
            <button
                type="button"
                data-testid="toggle-grid"
                aria-pressed=move || st.show_grid.get().to_string()
                on:click=move |_| st.show_grid.update(|g| *g = !*g)
            >
                "Grid"
            </button>
            <span class="spacer"></span>
            <button type="button" class="primary" data-testid="share-button" title="Share the design as a link" on:click=move |_| st.share_open.set(true)>"Share"</button>
            <button
                type="button"
                data-testid="toggle-export"
                aria-pressed=move || st.export_open.get().to_string()
                on:click=move |_| st.export_open.update(|o| *o = !*o)
            >
                "Export"
            </button>
            <button
                type="button"
                data-testid="toggle-theme"
                title="Light or dark"
                aria-label=move || if theme.get() == "dark" { "Light theme" } else { "Dark theme" }
                on:click=toggle_theme
            >
                {move || if theme.get() == "dark" { "☀" } else { "☾" }}
            </button>
            <button type="button" data-testid="open-help" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" on:click=move |_| st.help_open.set(true)>"?"</button>
        </nav>
    }
}

fn initial_theme() -> String {
    let dark = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches());
    if dark {
        "dark".into()
    } else {
        "light".into()
    }
}

fn apply_theme(theme: String) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute("data-theme", &theme);
    }
}

fn save_state(s: &SaveStatus) -> &'static str {
    match s {
        SaveStatus::Idle => "idle",
        SaveStatus::Pending => "pending",
        SaveStatus::Saved => "saved",
        SaveStatus::Failed(_) => "failed",
    }
}

fn save_label(s: &SaveStatus) -> &'static str {
    match s {
        SaveStatus::Idle => "Not saved yet",
        SaveStatus::Pending => "Saving…",
        SaveStatus::Saved => "Saved",
        SaveStatus::Failed(_) => "Not saved",
    }
}
