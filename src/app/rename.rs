//! Renaming on the canvas: a text box over the node's name (double-click, F2, the context
//! menu's Rename), pre-filled and selected. Enter or leaving it renames (one undo step,
//! checked by [`edit::rename`]); Shift+Enter starts a new line; Escape keeps the old name.

use leptos::ev;
use leptos::prelude::*;

use super::state::use_state;
use crate::model::edit;
use crate::model::limits::MAX_TEXT_CHARS;
use crate::model::NodeId;

/// The rename box, while a node is being renamed.
#[component]
pub fn RenameBox() -> impl IntoView {
    let st = use_state();
    move || st.renaming.get().map(rename_input)
}

fn rename_input(id: NodeId) -> AnyView {
    let st = use_state();
    let Some(sigs) = st.node_sigs(&id) else {
        return ().into_any();
    };
    let container = st.node_label(&id).is_some_and(|(k, _)| k.is_container());
    let initial = sigs.data.with_untracked(|d| d.name.clone());
    let input: NodeRef<leptos::html::Textarea> = NodeRef::new();
    let done = StoredValue::new(false);
    let id = StoredValue::new(id);

    // Over the name as drawn (node_view: a container's title, a leaf's first line), in the
    // stage's pixels; follows pan and zoom.
    let style = move || {
        let v = st.viewport.get();
        let r = sigs.data.with(|d| d.rect);
        let (x, y, w) = if container {
            (r.x() + 28, r.y() + 3, r.w() - 36)
        } else {
            (r.x() + 44, r.y() + r.h() / 2 - 19, r.w() - 50)
        };
        let z = v.zoom;
        format!(
            "left:{:.1}px;top:{:.1}px;width:{:.1}px;height:{:.1}px;font-size:{:.1}px",
            v.x + x as f64 * z,
            v.y + y as f64 * z,
            w.max(96) as f64 * z,
            24.0 * z,
            13.0 * z
        )
    };

    let close = move || {
        done.set_value(true);
        st.renaming.set(None);
    };
    // Enter keeps the box open when the name is refused; leaving it gives up.
    let commit = move |keep_open: bool| {
        if done.get_value() {
            return;
        }
        let Some(el) = input.get_untracked() else {
            return;
        };
        let text = el.value();
        match id.with_value(|id| st.try_edit(|d| edit::rename(d, id, &text))) {
            Ok(()) => close(),
            Err(why) => {
                st.refuse(why);
                if !keep_open {
                    close();
                }
            }
        }
    };
    let on_key = move |e: ev::KeyboardEvent| match e.key().as_str() {
        "Enter" if !e.shift_key() => {
            e.prevent_default();
            commit(true);
        }
        "Escape" => {
            e.prevent_default();
            e.stop_propagation();
            close();
        }
        _ => {}
    };
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
            // Selected once the double-click that opened the box is over.
            request_animation_frame(move || el.select());
        }
    });

    view! {
        <textarea
            class="rename-input"
            data-testid="rename-input"
            aria-label="Name"
            rows="1"
            spellcheck="false"
            maxlength=MAX_TEXT_CHARS
            node_ref=input
            style=style
            prop:value=initial
            on:keydown=on_key
            on:blur=move |_| commit(false)
            on:pointerdown=|e: ev::PointerEvent| e.stop_propagation()
        ></textarea>
    }
    .into_any()
}
