//! The palette: every kind, grouped, to drag onto the canvas (pointer events, so a mouse, a
//! pen or a test driver's mouse all work). Enter on a focused item drops it in the middle of
//! the view. Typing in the search box filters the kinds by label, id and product names
//! (`Kind::matches_search`); Enter there adds the first match, Escape clears it.

use leptos::prelude::*;

use super::canvas::{drop_new_node, press_palette};
use super::icons::kind_icon;
use super::state::use_state;
use crate::model::{Group, Kind};

/// Adds a `kind` node in the middle of the view.
fn add_in_middle(st: super::state::EditorState, kind: Kind) {
    if let Some(b) = st.canvas_box() {
        let p = st.client_to_world(b.left() + b.width() / 2.0, b.top() + b.height() / 2.0);
        drop_new_node(st, kind, p);
    }
}

#[component]
pub fn Palette() -> impl IntoView {
    let st = use_state();
    let query = RwSignal::new(String::new());
    let shown = move |kind: Kind| query.with(|q| kind.matches_search(q));
    let groups = Group::ALL.map(|group| {
        let kinds = move || Kind::ALL.into_iter().filter(move |k| k.group() == group);
        let empty = move || !kinds().any(shown);
        let items = kinds()
            .map(|kind| {
                let on_key = move |e: leptos::ev::KeyboardEvent| {
                    if e.key() == "Enter" {
                        add_in_middle(st, kind);
                    }
                };
                view! {
                    <li
                        class="palette-item"
                        class:hidden=move || !shown(kind)
                        data-testid="palette-item"
                        data-kind=kind.as_str()
                        tabindex="0"
                        role="button"
                        title=format!("Drag onto the canvas to add a {}", kind.label().to_lowercase())
                        on:pointerdown=move |e| press_palette(st, kind, &e)
                        on:keydown=on_key
                    >
                        {kind_icon(kind, 18)}
                        <span>{kind.label()}</span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="palette-group" class:hidden=empty>
                <h3>{group.label()}</h3>
                <ul>{items}</ul>
            </section>
        }
    });
    let on_search_key = move |e: leptos::ev::KeyboardEvent| match e.key().as_str() {
        "Enter" => {
            if let Some(kind) = Kind::ALL.into_iter().find(|k| shown(*k)) {
                add_in_middle(st, kind);
            }
        }
        "Escape" => query.set(String::new()),
        _ => {}
    };
    let nothing = move || !Kind::ALL.into_iter().any(shown);
    view! {
        <aside class="palette" aria-label="Components">
            <h2 class="panel-title">"Components"</h2>
            <input
                type="search"
                class="palette-search"
                data-testid="palette-search"
                placeholder="Search: postgres, s3, k8s…"
                aria-label="Search components"
                prop:value=move || query.get()
                on:input=move |e| query.set(event_target_value(&e))
                // The editor's shortcuts leave keys typed in a field alone (`keys::in_field`).
                on:keydown=on_search_key
            />
            {groups.into_iter().collect_view()}
            <p class="muted palette-none" class:hidden=move || !nothing()>"No component matches."</p>
        </aside>
        <Ghost />
    }
}

/// The item following the pointer while dragging from the palette.
#[component]
fn Ghost() -> impl IntoView {
    let st = use_state();
    move || {
        st.ghost.get().map(|(kind, x, y)| {
            view! {
                // Set through the CSSOM (`style:`), which the page's CSP allows; a `style`
                // attribute would be refused.
                <div class="palette-ghost" style:left=format!("{}px", x + 8.0) style:top=format!("{}px", y + 8.0)>
                    {kind_icon(kind, 18)}
                    <span>{kind.label()}</span>
                </div>
            }
        })
    }
}
