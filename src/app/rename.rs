//! Renaming on the canvas: a text box over the node's name (double-click, F2, the context
//! menu's Rename), pre-filled and selected. Enter or leaving it renames (one undo step,
//! checked by [`edit::rename`]); Shift+Enter starts a new line; Escape keeps the old name.

use std::cell::Cell;
use std::rc::Rc;

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::state::use_state;
use super::Slot;
use crate::model::edit;
use crate::model::limits::MAX_TEXT_CHARS;
use crate::model::NodeId;

/// The rename box, while a node is being renamed.
#[component]
pub fn RenameBox() -> impl IntoView {
    let st = use_state();
    let slot: Slot = Box::new(move || st.renaming.get().and_then(rename_input));
    slot
}

/// Focuses the rename box and selects its text (on the frame after it is drawn, once the
/// double-click that opened it is over).
pub fn focus_rename() {
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| {
        d.query_selector("[data-testid=rename-input]")
            .ok()
            .flatten()
    }) {
        let input = el.unchecked_into::<web_sys::HtmlInputElement>();
        let _ = input.focus();
        input.select();
    }
}

fn rename_input(id: NodeId) -> Option<AnyView> {
    let st = use_state();
    let sigs = st.node_sigs(&id)?;
    let container = st.node_label(&id).is_some_and(|(k, _)| k.is_container());
    let initial = sigs.data.with_untracked(|d| d.name.clone());

    // Over the name as drawn (node_view: a container's title, a leaf's first line): sized in
    // world units, placed and scaled with the view. Through the CSSOM (`style:`), which the
    // page's CSP allows, never a `style` attribute.
    let place = move |r: crate::model::Rect| {
        if container {
            (r.x() + 28, r.y() + 3, r.w() - 36)
        } else {
            (r.x() + 44, r.y() + r.h() / 2 - 19, r.w() - 50)
        }
    };
    let width = format!(
        "{}px",
        sigs.data.with_untracked(|d| place(d.rect).2.max(96))
    );
    let transform = move || {
        let v = st.viewport.get();
        let (x, y, _) = place(sigs.data.with(|d| d.rect));
        let z = v.zoom;
        format!(
            "translate({:.1}px, {:.1}px) scale({z:.4})",
            v.x + x as f64 * z,
            v.y + y as f64 * z
        )
    };

    // Plain cells, not arena values: the box's blur may come while it is being removed.
    let done = Rc::new(Cell::new(false));
    let finish: Rc<dyn Fn(Option<String>, bool)> = Rc::new(move |text, keep_open| {
        if done.get() {
            return;
        }
        let Some(text) = text else {
            done.set(true);
            st.renaming.set(None);
            return;
        };
        match st.try_edit(|d| edit::rename(d, &id, &text)) {
            Ok(()) => {
                done.set(true);
                st.renaming.set(None);
            }
            Err(why) => {
                st.refuse(why);
                // Enter keeps the box open for another try; leaving it gives up.
                if !keep_open {
                    done.set(true);
                    st.renaming.set(None);
                }
            }
        }
    });
    let on_blur = {
        let finish = finish.clone();
        move |e: ev::FocusEvent| finish(Some(event_target_value(&e)), false)
    };
    let on_key = move |e: ev::KeyboardEvent| match e.key().as_str() {
        "Enter" if !e.shift_key() => {
            e.prevent_default();
            finish(Some(event_target_value(&e)), true);
        }
        "Escape" => {
            e.prevent_default();
            e.stop_propagation();
            finish(None, false);
        }
        _ => {}
    };

    Some(
        view! {
            <textarea
                class="rename-input"
                data-testid="rename-input"
                aria-label="Name"
                rows="1"
                spellcheck="false"
                maxlength=MAX_TEXT_CHARS
                style:width=width
                style:transform=transform
                prop:value=initial
                on:keydown=on_key
                on:blur=on_blur
                on:pointerdown=|e: ev::PointerEvent| e.stop_propagation()
            ></textarea>
        }
        .into_any(),
    )
}
