//! The keyboard and the clipboard. A key press becomes a command through the command table
//! ([`crate::commands::for_key`]), which also decides what the focus keeps: a text field keeps
//! its keys (but Ctrl+S and Ctrl+O), a list box its arrows and letters, a checkbox or a button
//! nothing (Ctrl+Z undoes there too). The clipboard events (`copy`, `cut`, `paste`) carry the
//! components as JSON so they can travel between tabs, with the last copy kept in memory too.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::commands::{self, paste, take_clip};
use super::state::EditorState;
use crate::commands::{for_key, CommandId, Focus, KeyPress};
use crate::model::clip::Clip;

/// What has the focus, as far as keys go: an element that edits text, a list box, or
/// anything else (the canvas, a button, a checkbox).
fn focus_of(e: &web_sys::Event) -> Focus {
    let Some(el) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return Focus::Canvas;
    };
    match el.tag_name().to_ascii_lowercase().as_str() {
        "textarea" => Focus::Text,
        "select" => Focus::Choice,
        "input" => {
            let kind = el
                .get_attribute("type")
                .unwrap_or_default()
                .to_ascii_lowercase();
            if matches!(
                kind.as_str(),
                "checkbox" | "radio" | "button" | "submit" | "reset" | "file" | "color" | "range"
            ) {
                Focus::Canvas
            } else {
                Focus::Text
            }
        }
        _ if el.closest("[contenteditable]").ok().flatten().is_some() => Focus::Text,
        _ => Focus::Canvas,
    }
}

/// Whether the event is for a text field (the clipboard events leave those alone).
fn in_field(e: &web_sys::Event) -> bool {
    focus_of(e) == Focus::Text
}

pub fn on_key(st: EditorState, e: &ev::KeyboardEvent, down: bool) {
    let key = e.key();
    let focus = focus_of(e);
    // Space held pans (a toolbar button keeps the focus after a click: Space still pans);
    // a checkbox or radio button takes Space to tick itself.
    let on_input = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| el.tag_name().eq_ignore_ascii_case("input"));
    if key == " " && !on_input && focus == Focus::Canvas {
        e.prevent_default();
        st.space_down.set(down);
        return;
    }
    if !down {
        return;
    }
    let press = KeyPress {
        key,
        ctrl: e.ctrl_key() || e.meta_key(),
        shift: e.shift_key(),
        alt: e.alt_key(),
    };
    let Some(command) = for_key(&press, focus) else {
        return;
    };
    if !commands::enabled_now(st, command.id) {
        return;
    }
    if !command.keeps_default {
        e.prevent_default();
    }
    match command.id {
        // The `paste` event that follows puts the system clipboard's components on the canvas;
        // it does not fire everywhere (a focused button takes no paste): without it, the clip
        // kept here is pasted.
        CommandId::Paste => {
            PASTE_EVENT_SEEN.set(false);
            set_timeout(
                move || {
                    if !PASTE_EVENT_SEEN.get() {
                        paste(st, None);
                    }
                },
                std::time::Duration::ZERO,
            );
        }
        id => commands::run(st, id, press.shift),
    }
}

thread_local! {
    /// Whether the `paste` event followed Ctrl+V (else the key pastes the kept clip).
    static PASTE_EVENT_SEEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Copy or cut from the keyboard already kept the clip (and cut deleted the selection); from a
/// menu, the selection is copied here.
fn on_copy(st: EditorState, e: &ev::ClipboardEvent, cut: bool) {
    if in_field(e) {
        return;
    }
    let clip = if st.selection.with_untracked(|s| s.nodes.is_empty()) {
        st.clip.with_value(|c| c.as_ref().map(|(c, _)| c.clone()))
    } else {
        let clip = take_clip(st);
        if cut && clip.is_some() {
            commands::delete_selection(st);
        }
        clip
    };
    let Some(clip) = clip else { return };
    if let Some(data) = e.clipboard_data() {
        if data.set_data("text/plain", &clip.to_json()).is_ok() {
            e.prevent_default();
        }
    }
}

fn on_paste(st: EditorState, e: &ev::ClipboardEvent) {
    PASTE_EVENT_SEEN.set(true);
    if in_field(e) {
        return;
    }
    let text = e
        .clipboard_data()
        .and_then(|d| d.get_data("text/plain").ok())
        .unwrap_or_default();
    e.prevent_default();
    match Clip::parse(&text) {
        Ok(Some(clip)) => paste(st, Some(clip)),
        // An empty clipboard (it could not be written): paste what was copied here last.
        Ok(None) if text.is_empty() => paste(st, None),
        // Someone else's text: not ours to paste onto the canvas.
        Ok(None) => {}
        Err(why) => st.report(format!("Nothing was pasted: {why}")),
    }
}

pub fn install_clipboard(st: EditorState) {
    let _ = window_event_listener(ev::copy, move |e| on_copy(st, &e, false));
    let _ = window_event_listener(ev::cut, move |e| on_copy(st, &e, true));
    let _ = window_event_listener(ev::paste, move |e| on_paste(st, &e));
}
