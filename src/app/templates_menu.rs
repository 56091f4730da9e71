//! The start screen and templates menu: the five seed architectures and an empty design.

use leptos::prelude::*;

use super::state::use_state;
use crate::model::Design;
use crate::templates::{template, TEMPLATES};

#[component]
pub fn TemplatesMenu() -> impl IntoView {
    let st = use_state();
    let open = st.templates_open;
    let choose = move |slug: Option<&'static str>| {
        let design = match slug {
            Some(s) => template(s),
            None => Some(Design::new("Untitled design")),
        };
        match design {
            Some(d) => {
                let name = d.name.clone();
                st.load(d);
                open.set(false);
                // Fit once the new nodes are on screen.
                request_animation_frame(move || st.fit());
                st.notify(match slug {
                    Some(_) => format!("Opened the template “{name}”"),
                    None => "New empty design".to_string(),
                });
            }
            None => st.refuse("That template does not exist"),
        }
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
                        </ul>
                    </div>
                </div>
            }
        })
    }
}
