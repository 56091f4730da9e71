//! Keyboard shortcuts and the clipboard. Keys typed into a field belong to the field; the
//! clipboard events (`copy`, `cut`, `paste`) carry the components as JSON so they can travel
//! between tabs, with the last copy kept in memory too.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::canvas::cancel;
use super::persist;
use super::state::{EditorState, Selection};
use crate::model::clip::{self, Clip, PASTE_STEP};
use crate::model::edit;

/// One press of an arrow key moves the selection this far (with Shift: one unit).
pub const NUDGE: i32 = 10;

/// The shortcuts, as the help overlay lists them.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Ctrl/⌘ + Z", "Undo"),
    ("Ctrl/⌘ + Shift + Z, Ctrl + Y", "Redo"),
    ("Ctrl/⌘ + C / X / V", "Copy, cut, paste the selection"),
    ("Ctrl/⌘ + D", "Duplicate the selection"),
    ("F2, double-click", "Rename the selected component in place"),
    (
        "Right-click, Shift + F10",
        "Menu of the component or the canvas",
    ),
    ("Alt + drag", "Move without snapping"),
    ("Delete, Backspace", "Delete the selection"),
    ("Ctrl/⌘ + A", "Select everything"),
    (
        "Escape",
        "Clear the selection, cancel a drag, close a dialog",
    ),
    ("Arrow keys", "Move the selection (Shift: finely)"),
    ("Ctrl/⌘ + S", "Save the design file"),
    ("Ctrl/⌘ + O", "Open a design file"),
    ("+ / −", "Zoom in, out"),
    ("Space + drag", "Pan"),
    ("Shift + drag", "Select an area"),
    ("?", "This help"),
];

fn in_field(e: &web_sys::Event) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(
                el.tag_name().to_ascii_lowercase().as_str(),
                "input" | "textarea" | "select"
            ) || el.closest("[contenteditable]").ok().flatten().is_some()
        })
}

pub fn on_key(st: EditorState, e: &ev::KeyboardEvent, down: bool) {
    let key = e.key();
    let typing = in_field(e);
    if key == " " && !typing {
        e.prevent_default();
        st.space_down.set(down);
        return;
    }
    if !down {
        return;
    }
    let ctrl = e.ctrl_key() || e.meta_key();
    // Saving and opening files work from anywhere, fields included.
    match key.as_str() {
        "s" | "S" if ctrl => {
            e.prevent_default();
            persist::save_file(st);
            return;
        }
        "o" | "O" if ctrl => {
            e.prevent_default();
            open_file_picker();
            return;
        }
        _ => {}
    }
    if typing {
        return;
    }
    match key.as_str() {
        "Delete" | "Backspace" => {
            e.prevent_default();
            st.delete_selection();
        }
        "F2" => {
            let one = st.selection.with_untracked(|s| {
                (s.nodes.len() == 1 && s.edges.is_empty())
                    .then(|| s.nodes.first().cloned())
                    .flatten()
            });
            if let Some(id) = one {
                e.prevent_default();
                st.start_rename(&id);
            }
        }
        "F10" if e.shift_key() => {
            e.prevent_default();
            super::context_menu::open_for_selection(st);
        }
        "ContextMenu" => {
            e.prevent_default();
            super::context_menu::open_for_selection(st);
        }
        "Escape" => {
            cancel(st);
            st.menu.set(None);
            st.selection.set(Selection::default());
            st.templates_open.set(false);
            st.share_open.set(false);
            st.designs_open.set(false);
            st.help_open.set(false);
        }
        "z" | "Z" if ctrl && e.shift_key() => {
            e.prevent_default();
            st.redo();
        }
        "z" if ctrl => {
            e.prevent_default();
            st.undo();
        }
        "y" if ctrl => {
            e.prevent_default();
            st.redo();
        }
        "a" if ctrl => {
            e.prevent_default();
            st.select_all();
        }
        "d" if ctrl => {
            e.prevent_default();
            duplicate(st);
        }
        // The `copy`/`cut`/`paste` events that follow put the clip on the system clipboard and
        // read it back; they do not fire everywhere (a focused button takes no paste), so the
        // keys act on the clip kept here as well.
        "c" if ctrl => {
            copy_selection(st);
        }
        "x" if ctrl && copy_selection(st).is_some() => {
            st.delete_selection();
        }
        "v" if ctrl => {
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
        "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" if !ctrl => {
            let step = if e.shift_key() { 1 } else { NUDGE };
            let (dx, dy) = match key.as_str() {
                "ArrowLeft" => (-step, 0),
                "ArrowRight" => (step, 0),
                "ArrowUp" => (0, -step),
                _ => (0, step),
            };
            if nudge(st, dx, dy) {
                e.prevent_default();
            }
        }
        "?" => st.help_open.update(|o| *o = !*o),
        "+" | "=" => st.zoom_by(1.25),
        "-" => st.zoom_by(0.8),
        _ => {}
    }
}

/// Moves the selected nodes (each with what it contains) by `(dx, dy)` as one undo step.
fn nudge(st: EditorState, dx: i32, dy: i32) -> bool {
    let sel = st.selection.get_untracked();
    if sel.nodes.is_empty() {
        return false;
    }
    let moved = st.try_edit_room(|d| {
        let roots = edit::selection_roots(d, &sel.nodes);
        edit::move_nodes(d, &roots, dx, dy);
        Ok(())
    });
    if let Err(why) = moved {
        st.refuse(why);
    }
    true
}

/// The selection as a clip, remembered for pasting; `None` (with a message) when nothing is
/// selected.
fn take_clip(st: EditorState) -> Option<Clip> {
    let sel = st.selection.get_untracked();
    let clip = st.design.with_untracked(|d| clip::copy(d, &sel.nodes));
    if clip.is_none() && !sel.edges.is_empty() {
        st.notify("Select the components to copy; links are copied with both their ends");
    }
    if let Some(c) = &clip {
        st.clip.set_value(Some((c.clone(), 0)));
    }
    clip
}

/// Pastes `clip` (the remembered one when `None`), each paste a step further, and selects the
/// copies.
pub fn paste(st: EditorState, clip: Option<Clip>) {
    let (clip, times) = match clip {
        Some(c) => {
            // The same clip pasted again lands further along; another one starts afresh.
            let times = st.clip.with_value(|m| match m {
                Some((last, n)) if *last == c => *n,
                _ => 0,
            });
            (c, times)
        }
        None => match st.clip.get_value() {
            Some(m) => m,
            None => {
                st.notify("Nothing to paste: copy components first (Ctrl+C)");
                return;
            }
        },
    };
    let step = PASTE_STEP * (times + 1);
    match st.try_edit_room(|d| clip::paste(d, &clip, step, step)) {
        Ok(pasted) => {
            let n = pasted.nodes.len();
            st.clip.set_value(Some((clip, times + 1)));
            st.selection.set(Selection {
                nodes: pasted.roots.into_iter().collect(),
                edges: Default::default(),
            });
            st.notify(format!(
                "Pasted {n} component{}",
                if n == 1 { "" } else { "s" }
            ));
        }
        Err(why) => st.refuse(why),
    }
}

/// Copy and paste in one step, without touching the system clipboard.
pub fn duplicate(st: EditorState) {
    if let Some(c) = take_clip(st) {
        paste(st, Some(c));
    }
}

pub fn copy_selection(st: EditorState) -> Option<Clip> {
    let clip = take_clip(st)?;
    let n = clip.nodes.len();
    st.notify(format!(
        "Copied {n} component{}",
        if n == 1 { "" } else { "s" }
    ));
    Some(clip)
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
            st.delete_selection();
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

/// Clicks the hidden file input of the toolbar.
pub fn open_file_picker() {
    if let Some(input) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("[data-testid=file-input]").ok().flatten())
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        input.click();
    }
}
