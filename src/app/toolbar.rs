//! The toolbar: design name and save state, my designs, open/save file, templates, undo/redo,
//! delete, tidy, zoom, fit, grid, share, export, theme, help. The buttons that run commands
//! take their label, shortcut and enabled-when from the command table ([`crate::commands`]).

use leptos::prelude::*;

use super::commands::{enabled, run};
use super::import_dialog::on_folder_input;
use super::persist::on_file_input;
use super::state::{use_state, EditorState, SaveStatus};
use crate::commands::{command_of, CommandId};

/// A button that runs command `id`: `text` on it, the command's label and shortcut in its
/// title, disabled while the command is.
fn command_button(
    st: EditorState,
    id: CommandId,
    testid: &'static str,
    text: &'static str,
) -> AnyView {
    let c = command_of(id);
    let title = match c.short_keys() {
        k if k.is_empty() => c.label.to_string(),
        k => format!("{} ({k})", c.label),
    };
    view! {
        <button
            type="button"
            data-testid=testid
            data-command=c.name
            aria-label=c.label
            title=title
            disabled=move || !enabled(st, id)
            on:click=move |_| run(st, id, false)
        >
            {text}
        </button>
    }
    .into_any()
}

#[component]
pub fn Toolbar() -> impl IntoView {
    let st = use_state();
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
                // The whole name (the field may end it with an ellipsis), and what the field does.
                title=move || st.design.with(|d| format!("{}\nThe design's name; the inspector shows the design's settings while you edit it", d.name))
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
            {command_button(st, CommandId::OpenFile, "open-file", "Open…")}
            <input
                type="file"
                multiple
                accept=".json,application/json,.svg,image/svg+xml,.png,image/png,.yaml,.yml,.tf,.tfstate,.zip,application/zip"
                data-testid="file-input"
                class="sr-only"
                tabindex="-1"
                aria-hidden="true"
                on:change=move |e| on_file_input(st, &e)
            />
            <input
                type="file"
                prop:webkitdirectory=true
                data-testid="folder-input"
                class="sr-only"
                tabindex="-1"
                aria-hidden="true"
                on:change=move |e| on_folder_input(st, &e)
            />
            {command_button(st, CommandId::SaveFile, "save-file", "Save")}
            <button type="button" data-testid="open-templates" on:click=move |_| st.templates_open.set(true)>"Templates"</button>
            <span class="sep"></span>
            {command_button(st, CommandId::Undo, "undo", "Undo")}
            {command_button(st, CommandId::Redo, "redo", "Redo")}
            {command_button(st, CommandId::Delete, "delete", "Delete")}
            <button
                type="button"
                data-testid="tidy"
                title="Tidy: lay out by traffic"
                aria-busy=move || st.tidying.get().to_string()
                data-command=command_of(CommandId::Tidy).name
                disabled=move || !enabled(st, CommandId::Tidy)
                on:click=move |_| run(st, CommandId::Tidy, false)
            >
                "Tidy"
            </button>
            <span class="sep"></span>
            {command_button(st, CommandId::ZoomOut, "zoom-out", "−")}
            <span class="zoom" data-testid="zoom-level">{zoom_pct}</span>
            {command_button(st, CommandId::ZoomIn, "zoom-in", "+")}
            {command_button(st, CommandId::Fit, "zoom-fit", "Fit")}
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
            {command_button(st, CommandId::Help, "open-help", "?")}
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
