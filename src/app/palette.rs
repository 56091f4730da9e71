//! The palette: every kind, grouped, to drag onto the canvas (pointer events, so a mouse, a
//! pen or a test driver's mouse all work). Enter on a focused item drops it in the middle of
//! the view.

use leptos::prelude::*;

use super::canvas::{drop_new_node, press_palette};
use super::icons::kind_icon;
use super::state::use_state;
use crate::model::{Group, Kind};

#[component]
pub fn Palette() -> impl IntoView {
    let st = use_state();
    let groups = Group::ALL.map(|group| {
        let items = Kind::ALL
            .into_iter()
            .filter(|k| k.group() == group)
            .map(|kind| {
                let on_key = move |e: leptos::ev::KeyboardEvent| {
                    if e.key() == "Enter" {
                        if let Some(b) = st.canvas_box() {
                            let p = st.client_to_world(b.left() + b.width() / 2.0, b.top() + b.height() / 2.0);
                            drop_new_node(st, kind, p);
                        }
                    }
                };
                view! {
                    <li
                        class="palette-item"
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
            <section class="palette-group">
                <h3>{group.label()}</h3>
                <ul>{items}</ul>
            </section>
        }
    });
    view! {
        <aside class="palette" aria-label="Components">
            <h2 class="panel-title">"Components"</h2>
            {groups.into_iter().collect_view()}
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
