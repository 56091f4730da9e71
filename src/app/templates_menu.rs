//! The start screen and templates menu: the five seed architectures, an empty design, and
//! importing existing files or a folder.

use leptos::prelude::*;

use super::export_client;
use super::import_dialog::open_folder_picker;
use super::state::{use_state, EditorState};
use crate::export::job::{Reply, Request};
use crate::model::{load_design_brief, Design};
use crate::templates::TEMPLATES;

/// The template `slug`, built by the export worker (the template builders and the share codec
/// stay out of the page's first-load bundle), then `open` with it.
fn fetch_template(st: EditorState, slug: &str, open: impl FnOnce(Design) + 'static) {
    let request = Request::Template {
        slug: slug.to_string(),
    };
    export_client::request(request, move |answer| {
        let design = answer
            .and_then(Reply::design)
            .and_then(|json| load_design_brief(json.as_bytes()).map_err(|e| e.to_string()));
        match design {
            Ok(d) => open(d),
            Err(e) => st.refuse(format!("The template could not be opened: {e}")),
        }
    });
}

#[component]
pub fn TemplatesMenu() -> impl IntoView {
    let st = use_state();
    let open = st.templates_open;
    let show = move |d: Design, template: bool| {
        let name = d.name.clone();
        st.load(d);
        open.set(false);
        // Fit once the new nodes are on screen.
        request_animation_frame(move || st.fit());
        st.notify(if template {
            format!("Opened the template “{name}”")
        } else {
            "New empty design".to_string()
        });
    };
    let choose = move |slug: Option<&'static str>| match slug {
        Some(s) => fetch_template(st, s, move |d| show(d, true)),
        None => show(Design::new("Untitled design"), false),
    };
    let cards = move || {
        TEMPLATES
            .iter()
            .map(|t| {
                let slug = t.slug;
                view! {
                    <li>
                        <button
                            type="button"
                            class="template-card"
                            data-testid=format!("template-{slug}")
                            on:click=move |_| choose(Some(slug))
                        >
                            <strong>{t.title}</strong>
                            <span>{t.summary}</span>
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    move || {
        open.get().then(|| {
            let cards = cards();
            view! {
                <div class="modal-backdrop" on:click=move |_| open.set(false)>
                    <div
                        class="modal templates"
                        role="dialog"
                        aria-modal="true"
                        aria-label="Start from a template"
                        data-testid="templates-menu"
                        on:click=|e| e.stop_propagation()
                    >
                        <header>
                            <h2>"Start a design"</h2>
                            <p class="muted">"Pick one of the reference architectures, or start from an empty canvas."</p>
                            {(!st.design.with_untracked(|d| d.nodes.is_empty())).then(|| {
                                let name = st.design.with_untracked(|d| d.name.clone());
                                view! {
                                    <p class="muted" data-testid="templates-replace-note">
                                        {format!("Opens in place of “{name}”: Undo brings it back. To keep both, choose My designs ▸ New design first.")}
                                    </p>
                                }
                            })}
                        </header>
                        <ul class="template-grid">
                            {cards}
                            <li>
                                <button
                                    type="button"
                                    class="template-card empty"
                                    data-testid="template-empty"
                                    on:click=move |_| choose(None)
                                >
                                    <strong>"Empty design"</strong>
                                    <span>"A blank canvas: drag components from the palette on the left."</span>
                                </button>
                            </li>
                            <li>
                                <button
                                    type="button"
                                    class="template-card import"
                                    data-testid="template-import-folder"
                                    on:click=move |_| {
                                        open.set(false);
                                        open_folder_picker();
                                    }
                                >
                                    <strong>"Import a folder…"</strong>
                                    <span>"Docker Compose, Kubernetes manifests or Terraform as a design you can edit (files and .zip: Open… or drop them)."</span>
                                </button>
                            </li>
                        </ul>
                    </div>
                </div>
            }
        })
    }
}
