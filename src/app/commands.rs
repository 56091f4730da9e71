//! What the editor's commands do. The table of commands (ids, labels, shortcuts,
//! enabled-when) is pure and lives in [`crate::commands`]; the keyboard handler
//! (`keys.rs`), the context menu, the toolbar and the `?` help read it and come here to run
//! one, so each command is written once.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::canvas::cancel;
use super::persist;
use super::state::{EditorState, Selection};
use crate::commands::{command_of, CommandId, Snapshot};
use crate::model::clip::{self, Clip, PASTE_STEP};
use crate::model::edit;

/// One press of an arrow key moves the selection this far (with Shift: one unit).
pub const NUDGE: i32 = 10;

/// The editor's state as the enabled-when conditions read it. Tracked: a button's
/// `disabled` that calls this follows the state.
pub fn snapshot(st: EditorState) -> Snapshot {
    let (undo_steps, redo_steps) = st.history.get();
    let (selected_nodes, selected_edges) = st.selection.with(|s| (s.nodes.len(), s.edges.len()));
    Snapshot {
        undo_steps,
        redo_steps,
        nodes: st.node_count(),
        selected_nodes,
        selected_edges,
        clip: st.clip.with_value(Option::is_some),
        tidying: st.tidying.get(),
    }
}

/// Whether command `id` can run now (tracked).
pub fn enabled(st: EditorState, id: CommandId) -> bool {
    command_of(id).is_enabled(&snapshot(st))
}

/// Whether command `id` can run now (untracked, for event handlers).
pub fn enabled_now(st: EditorState, id: CommandId) -> bool {
    untrack(|| enabled(st, id))
}

/// Runs command `id`; `fine` is Shift held (the arrow keys then move by one unit). A
/// command that is not enabled does nothing, whoever asks.
pub fn run(st: EditorState, id: CommandId, fine: bool) {
    if !enabled_now(st, id) {
        return;
    }
    match id {
        CommandId::Undo => st.undo(),
        CommandId::Redo => st.redo(),
        CommandId::Copy => _ = copy_selection(st),
        CommandId::Cut => {
            if copy_selection(st).is_some() {
                delete_selection(st);
            }
        }
        CommandId::Paste => paste(st, None),
        CommandId::Duplicate => duplicate(st),
        CommandId::Rename => {
            let one = st.selection.with_untracked(|s| s.nodes.first().cloned());
            if let Some(id) = one {
                st.start_rename(&id);
            }
        }
        CommandId::Menu => super::context_menu::open_for_selection(st),
        CommandId::Delete => delete_selection(st),
        CommandId::SelectAll => select_all(st),
        CommandId::Escape => escape(st),
        CommandId::MoveLeft => nudge(st, -step(fine), 0),
        CommandId::MoveRight => nudge(st, step(fine), 0),
        CommandId::MoveUp => nudge(st, 0, -step(fine)),
        CommandId::MoveDown => nudge(st, 0, step(fine)),
        CommandId::SaveFile => persist::save_file(st),
        CommandId::OpenFile => open_file_picker(),
        CommandId::ZoomIn => st.zoom_by(1.25),
        CommandId::ZoomOut => st.zoom_by(0.8),
        CommandId::Fit => st.fit(),
        CommandId::Tidy => st.tidy(),
        CommandId::Help => st.help_open.update(|o| *o = !*o),
    }
}

fn step(fine: bool) -> i32 {
    if fine {
        1
    } else {
        NUDGE
    }
}

/// Escape: a focused checkbox or list lets the focus go (the next Escape reaches the canvas;
/// text fields keep Escape, and a focused button does not hold it back from closing a
/// dialog); otherwise the gesture is cancelled, menus and dialogs close and the selection is
/// cleared.
fn escape(st: EditorState) {
    let focused = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .filter(|el| {
            matches!(
                el.tag_name().to_ascii_lowercase().as_str(),
                "input" | "select"
            )
        })
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = focused {
        let _ = el.blur();
        return;
    }
    cancel(st);
    st.menu.set(None);
    // A rename box that has not taken the focus yet (it does on the next frame) closes too.
    st.renaming.set(None);
    st.selection.set(Selection::default());
    st.templates_open.set(false);
    super::import_dialog::close();
    st.share_open.set(false);
    st.designs_open.set(false);
    st.help_open.set(false);
    st.export_open.set(false);
}

pub fn delete_selection(st: EditorState) {
    let sel = st.selection.get_untracked();
    if sel.is_empty() {
        return;
    }
    st.edit(|d| edit::delete(d, &sel.nodes, &sel.edges));
    st.selection.set(Selection::default());
    let n = sel.nodes.len() + sel.edges.len();
    st.notify(format!("Deleted {n} item{}", if n == 1 { "" } else { "s" }));
}

pub fn select_all(st: EditorState) {
    let nodes = st
        .design
        .with_untracked(|d| d.nodes.iter().map(|n| n.id.clone()).collect());
    st.selection.set(Selection {
        nodes,
        edges: Default::default(),
    });
}

/// Moves the selected nodes (each with what it contains) by `(dx, dy)` as one undo step.
fn nudge(st: EditorState, dx: i32, dy: i32) {
    let sel = st.selection.get_untracked();
    let moved = st.try_edit_room(|d| {
        let roots = edit::selection_roots(d, &sel.nodes);
        edit::move_nodes(d, &roots, dx, dy);
        Ok(())
    });
    if let Err(why) = moved {
        st.refuse(why);
    }
}

/// The selection as a clip, remembered for pasting; `None` (with a message) when nothing is
/// selected.
pub fn take_clip(st: EditorState) -> Option<Clip> {
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

/// Moves `id` into `target` (`None`: the top level) as one undo step, or says why not. The
/// context menu's Move into ▸ and Move out (a command per target, so not in the table).
pub fn move_to(st: EditorState, id: &str, target: Option<&str>) {
    match st.try_edit(|d| edit::move_into(d, id, target)) {
        Ok(()) => {
            let place = target
                .and_then(|t| st.node_label(t))
                .map(|(k, n)| format!("into {} {n}", edit::kind_phrase(k)))
                .unwrap_or_else(|| "to the top level".into());
            st.notify(format!("Moved {place}"));
        }
        Err(why) => st.refuse(why),
    }
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
