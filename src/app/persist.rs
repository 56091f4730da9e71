//! Never lose work: the design is saved to local storage shortly after every change and restored
//! on the next start; "My designs" keeps several; a shared link (`#d=…`) or a design file opens
//! as a new saved design. Anything that cannot be opened is reported in the error banner and
//! changes nothing: the design on screen and everything saved stay as they were.

use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::download::download_text;
use super::export_panel::file_stem;
use super::state::{EditorState, SaveStatus};
use super::storage::LocalStore;
use crate::library::Library;
use crate::model::{limits, load_design, to_json_pretty, Design};
use crate::share;

/// Quiet time after the last change before it is written.
const AUTOSAVE_DELAY: Duration = Duration::from_millis(300);

/// Restores the last design (or opens the one in the link), then keeps saving.
pub fn start(st: EditorState) {
    let store = LocalStore::new();
    let mut restored = false;
    match Library::open(&store) {
        Ok(opened) => {
            for warning in opened.warnings {
                st.report(warning);
            }
            let current = opened.library.current().map(str::to_string);
            st.library.set(opened.library);
            if let Some(id) = current {
                match st.library.with_untracked(|l| l.load(&store, &id)) {
                    Ok(design) => {
                        st.replace_design(design);
                        st.doc_id.set(Some(id));
                        st.save_status.set(SaveStatus::Saved);
                        restored = true;
                    }
                    Err(why) => st.report(why),
                }
            }
        }
        Err(e) => st.report(format!("Autosave is off: {e}")),
    }
    st.templates_open.set(!restored);
    if restored {
        request_animation_frame(move || st.fit());
    }
    open_link_in_address(st);
    install_autosave(st);
    install_listeners(st);
}

fn install_autosave(st: EditorState) {
    Effect::new(move |prev: Option<u64>| {
        let rev = st.revision.get();
        if prev.is_some_and(|p| p != rev) {
            st.save_status.set(SaveStatus::Pending);
            set_timeout(
                move || {
                    // Only the last of a burst of changes saves.
                    if st.revision.get_untracked() == rev {
                        save_now(st);
                    }
                },
                AUTOSAVE_DELAY,
            );
        }
        rev
    });
}

/// Writes the design now (a pending autosave, before switching designs or leaving the page).
pub fn save_now(st: EditorState) {
    let id = match st.doc_id.get_untracked() {
        Some(id) => id,
        None => {
            let id = new_doc_id();
            st.doc_id.set(Some(id.clone()));
            id
        }
    };
    let mut store = LocalStore::new();
    let result = st
        .library
        .try_update(|lib| {
            st.design
                .with_untracked(|d| lib.save(&mut store, &id, d, now()))
        })
        .unwrap_or(Ok(()));
    match result {
        Ok(()) => st.save_status.set(SaveStatus::Saved),
        Err(e) => {
            let text = e.to_string();
            // Report a failure once, not at every keystroke while it lasts.
            let known = st
                .save_status
                .with_untracked(|s| matches!(s, SaveStatus::Failed(t) if *t == text));
            if !known {
                st.report(format!("Not saved: {text}"));
            }
            st.save_status.set(SaveStatus::Failed(text));
        }
    }
}

/// Writes a pending change at once.
pub fn flush(st: EditorState) {
    if st.save_status.get_untracked() == SaveStatus::Pending {
        save_now(st);
    }
}

/// Opens `design` as a new saved design, keeping the current one as it is.
pub fn open_as_new(st: EditorState, design: Design) {
    flush(st);
    st.replace_design(design);
    st.doc_id.set(Some(new_doc_id()));
    save_now(st);
    st.templates_open.set(false);
    request_animation_frame(move || st.fit());
}

/// Switches to the saved design `id`; the current one is saved first.
pub fn open_saved(st: EditorState, id: &str) {
    flush(st);
    let store = LocalStore::new();
    match st.library.with_untracked(|l| l.load(&store, id)) {
        Ok(design) => {
            st.replace_design(design);
            st.doc_id.set(Some(id.to_string()));
            st.save_status.set(SaveStatus::Saved);
            let mut store = store;
            if let Err(e) = st
                .library
                .try_update(|l| l.set_current(&mut store, id))
                .unwrap_or(Ok(()))
            {
                st.report(format!("Not saved: {e}"));
            }
            request_animation_frame(move || st.fit());
        }
        Err(why) => st.report(why),
    }
}

/// Starts a new empty design next to the saved ones.
pub fn new_design(st: EditorState) {
    flush(st);
    st.replace_design(Design::new("Untitled design"));
    st.doc_id.set(None);
    st.save_status.set(SaveStatus::Idle);
}

/// Opens the design carried by the address's `#d=` fragment, if any; the fragment is removed
/// once the design is saved, so a reload shows the saved design with its later edits.
pub fn open_link_in_address(st: EditorState) {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return;
    };
    let hash = location.hash().unwrap_or_default();
    if !hash.starts_with(&format!("#{}", share::FRAGMENT_KEY)) {
        return;
    }
    match share::decode(&hash) {
        Ok(design) => {
            let name = design.name.clone();
            open_as_new(st, design);
            clear_fragment();
            st.notify(format!("Opened the shared design “{name}”"));
        }
        Err(e) => st.report(format!(
            "This link could not be opened: {e}. Nothing was changed."
        )),
    }
}

fn clear_fragment() {
    let Some(w) = web_sys::window() else { return };
    let loc = w.location();
    let url = format!(
        "{}{}",
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    );
    if let Ok(history) = w.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Reads a design file chosen or dropped by the user and opens it as a new saved design.
pub fn open_file(st: EditorState, file: web_sys::File) {
    let name = file.name();
    let size = file.size();
    // Refused before a byte is read: a 50 MB file must not freeze the page.
    if size > limits::MAX_DESIGN_BYTES as f64 {
        st.report(format!(
            "“{name}” is {:.1} MB; design files are at most {} MB. Nothing was changed.",
            size / 1_048_576.0,
            limits::MAX_DESIGN_BYTES / 1_048_576
        ));
        return;
    }
    leptos::task::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|v| v.as_string());
        let Some(text) = text else {
            st.report(format!("“{name}” could not be read. Nothing was changed."));
            return;
        };
        match load_design(&text) {
            Ok(design) => {
                let title = design.name.clone();
                open_as_new(st, design);
                st.notify(format!("Opened “{title}” from {name}"));
            }
            Err(e) => st.report(format!(
                "“{name}” is not a design Infracanvas can open: {e}. Nothing was changed."
            )),
        }
    });
}

/// Offers the design file for download.
pub fn save_file(st: EditorState) {
    let (name, text) = st
        .design
        .with_untracked(|d| (format!("{}.json", file_stem(&d.name)), to_json_pretty(d)));
    match download_text(&name, &text, "application/json") {
        Ok(()) => st.notify(format!("Saved {name}")),
        Err(e) => st.report(format!("The file could not be saved: {e}")),
    }
}

fn install_listeners(st: EditorState) {
    // Listeners live as long as the page: their handles are dropped without removing them.
    let _ = window_event_listener(ev::hashchange, move |_| open_link_in_address(st));
    let _ = window_event_listener(ev::pagehide, move |_| flush(st));
    let _ = window_event_listener(ev::visibilitychange, move |_| flush(st));
    let _ = window_event_listener(ev::dragover, move |e| {
        if carries_files(&e) {
            e.prevent_default();
        }
    });
    let _ = window_event_listener(ev::drop, move |e| {
        if !carries_files(&e) {
            return;
        }
        e.prevent_default();
        let file = e
            .data_transfer()
            .and_then(|dt| dt.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file {
            open_file(st, file);
        }
    });
}

fn carries_files(e: &web_sys::DragEvent) -> bool {
    e.data_transfer().is_some_and(|dt| {
        dt.types()
            .iter()
            .any(|t| t.as_string().as_deref() == Some("Files"))
    })
}

/// The `<input type=file>` change handler.
pub fn on_file_input(st: EditorState, e: &web_sys::Event) {
    let Some(input) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    if let Some(file) = input.files().and_then(|f| f.get(0)) {
        open_file(st, file);
    }
    // Choosing the same file again must fire `change` again.
    input.set_value("");
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// A new id for "My designs": time and a random part, so two tabs never collide.
fn new_doc_id() -> String {
    let random = (js_sys::Math::random() * 1_000_000_000.0) as u64;
    format!("{:x}-{:x}", now() as u64, random)
}
