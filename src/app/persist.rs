//! Never lose work: the design is saved to local storage shortly after every change and restored
//! on the next start; "My designs" keeps several; a shared link (`#d=…`) or a design file opens
//! as a new saved design. Anything that cannot be opened is reported in the error banner and
//! changes nothing: the design on screen and everything saved stay as they were.
//!
//! Two tabs on one design: every save names the revision it builds on, and the library refuses
//! it when another tab saved in between. A tab without unsaved changes takes up the other
//! tab's version as it arrives (the `storage` event); a tab with changes of its own shows the
//! conflict bar and saves nothing until the user chooses *Reload theirs* or *Keep mine as a
//! copy*. Closing the tab before choosing keeps the changes as a copy.

use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::download::download_text;
use super::export_panel::file_stem;
use super::state::{Conflict, EditorState, SaveStatus};
use super::storage::LocalStore;
use crate::export::job::{Reply, Request};
use crate::library::{copy_name, design_key, Library, SaveError, INDEX_KEY};
use crate::model::{limits, load_design_brief, reindent, to_json_compact, Design};
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
                match st.library.with_untracked(|l| l.load_saved(&store, &id)) {
                    Ok(saved) => {
                        st.replace_design(saved.design);
                        st.base_rev.set_value(saved.rev);
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

/// Writes the design now (a pending autosave, before switching designs or leaving the page),
/// unless another tab saved it since this tab's revision: then the conflict bar asks.
pub fn save_now(st: EditorState) {
    if st.conflict.get_untracked().is_some() {
        st.save_status.set(SaveStatus::Failed(CONFLICT.into()));
        return;
    }
    let id = match st.doc_id.get_untracked() {
        Some(id) => id,
        None => {
            let id = new_doc_id();
            st.doc_id.set(Some(id.clone()));
            st.base_rev.set_value(0);
            id
        }
    };
    let mut store = LocalStore::new();
    let base = st.base_rev.get_value();
    let result = st
        .library
        .try_update(|lib| {
            st.design
                .with_untracked(|d| lib.save_checked(&mut store, &id, d, now(), base, &tab_id()))
        })
        .unwrap_or(Ok(base));
    match result {
        Ok(rev) => {
            st.base_rev.set_value(rev);
            st.save_status.set(SaveStatus::Saved);
        }
        Err(SaveError::Conflict { theirs }) => {
            st.conflict.set(Some(Conflict { theirs }));
            st.save_status.set(SaveStatus::Failed(CONFLICT.into()));
        }
        Err(SaveError::Store(e)) => {
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

/// Why the toolbar says "Not saved" while the conflict bar is up.
const CONFLICT: &str = "changed in another tab";

/// This page's id among the tabs, written with each save (random, made once).
fn tab_id() -> String {
    thread_local! {
        static ID: String = format!("tab-{:x}", (js_sys::Math::random() * 1e12) as u64);
    }
    ID.with(Clone::clone)
}

/// Before this tab shows another design or goes away: writes a pending change, and keeps the
/// changes the conflict bar holds back as a copy instead of dropping them. (Only leaving does
/// this: hiding the tab, to look at the other one, leaves the choice open.)
pub fn flush_before_leaving(st: EditorState) {
    if st.conflict.get_untracked().is_some() && st.save_status.get_untracked() != SaveStatus::Saved
    {
        keep_mine_as_copy(st);
    } else {
        flush(st);
    }
}

/// Opens `design` as a new saved design, keeping the current one as it is.
pub fn open_as_new(st: EditorState, design: Design) {
    flush_before_leaving(st);
    st.replace_design(design);
    st.conflict.set(None);
    st.doc_id.set(Some(new_doc_id()));
    st.base_rev.set_value(0);
    save_now(st);
    st.templates_open.set(false);
    request_animation_frame(move || st.fit());
}

/// Switches to the saved design `id`; the current one is saved first.
pub fn open_saved(st: EditorState, id: &str) {
    flush_before_leaving(st);
    let store = LocalStore::new();
    match st.library.with_untracked(|l| l.load_saved(&store, id)) {
        Ok(saved) => {
            st.replace_design(saved.design);
            st.base_rev.set_value(saved.rev);
            st.conflict.set(None);
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
    flush_before_leaving(st);
    st.replace_design(Design::new("Untitled design"));
    st.doc_id.set(None);
    st.base_rev.set_value(0);
    st.conflict.set(None);
    st.save_status.set(SaveStatus::Idle);
}

/// Another tab wrote (or removed) the stored copy of the design on screen.
fn other_tab_saved(st: EditorState, id: &str) {
    let store = LocalStore::new();
    let base = st.base_rev.get_value();
    let theirs = match Library::revision(&store, id) {
        Ok(Some(r)) if r.rev == base => return,
        Ok(r) => r.map(|r| r.rev),
        Err(e) => return st.report(format!("The other tab's change could not be read: {e}")),
    };
    let unsaved = !matches!(st.save_status.get_untracked(), SaveStatus::Saved)
        || st.conflict.get_untracked().is_some();
    if theirs.is_none() || unsaved {
        st.conflict.set(Some(Conflict { theirs }));
        if unsaved {
            st.save_status.set(SaveStatus::Failed(CONFLICT.into()));
        }
        return;
    }
    // Nothing here is unsaved: their version is this tab's version too.
    if reload_theirs(st) {
        st.notify("This design was changed in another tab; showing that version");
    }
}

/// Shows the stored version of the design (another tab's), leaving this tab's changes.
pub fn reload_theirs(st: EditorState) -> bool {
    let Some(id) = st.doc_id.get_untracked() else {
        return false;
    };
    let store = LocalStore::new();
    match st.library.with_untracked(|l| l.load_saved(&store, &id)) {
        Ok(saved) => {
            st.replace_design(saved.design);
            st.base_rev.set_value(saved.rev);
            st.conflict.set(None);
            st.save_status.set(SaveStatus::Saved);
            true
        }
        Err(why) => {
            st.report(why);
            false
        }
    }
}

/// Keeps the design on screen as a new saved design named "… (copy)"; the stored one (the
/// other tab's) stays as it is.
pub fn keep_mine_as_copy(st: EditorState) {
    // An edit like any other: the history's steps stay true to the design on screen.
    st.edit(|d| d.name = copy_name(&d.name));
    st.conflict.set(None);
    st.doc_id.set(Some(new_doc_id()));
    st.base_rev.set_value(0);
    save_now(st);
    if st.save_status.get_untracked() == SaveStatus::Saved {
        let name = st.design.with_untracked(|d| d.name.clone());
        st.notify(format!("Your version is kept as “{name}” in My designs"));
    }
}

/// Drops this tab's version of a design another tab deleted (the user chose to) and starts a
/// new one.
fn discard_mine(st: EditorState) {
    st.conflict.set(None);
    st.save_status.set(SaveStatus::Saved);
    new_design(st);
}

/// The choice offered when another tab changed or deleted the design this tab changed.
#[component]
pub fn ConflictBar() -> impl IntoView {
    let st = super::state::use_state();
    move || {
        st.conflict.get().map(|c| {
            let text = match c.theirs {
                Some(_) => "This design was changed in another tab while you edited it here. Nothing is saved until you choose.",
                None => "This design was deleted in another tab. Nothing is saved until you choose.",
            };
            let other = match c.theirs {
                Some(_) => view! {
                    <button type="button" data-testid="conflict-reload" on:click=move |_| { reload_theirs(st); }>
                        "Reload theirs"
                    </button>
                }
                .into_any(),
                None => view! {
                    <button type="button" data-testid="conflict-discard" on:click=move |_| discard_mine(st)>
                        "Discard mine"
                    </button>
                }
                .into_any(),
            };
            view! {
                <div class="conflict-bar" role="alert" data-testid="conflict-bar">
                    <p>{text}</p>
                    <button type="button" class="primary" data-testid="conflict-keep-copy" on:click=move |_| keep_mine_as_copy(st)>
                        "Keep mine as a copy"
                    </button>
                    {other}
                </div>
            }
        })
    }
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
    // The share codec (and the templates it primes its packing with) is the export worker's:
    // the page's first-load bundle carries none of it.
    super::export_client::request(Request::OpenLink { link: hash }, move |answer| {
        let design = answer.and_then(Reply::design).and_then(|json| {
            crate::model::load_design_brief(json.as_bytes()).map_err(|e| e.to_string())
        });
        match design {
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
    });
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

fn file_list(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Opens what the user chose or dropped: a design file or picture as a new saved design;
/// Compose files, Kubernetes manifests or Terraform (several files, a `.zip`) through the
/// import, whose summary the user reads first.
pub fn open_files(st: EditorState, files: Vec<web_sys::File>) {
    use super::import_dialog::{import, is_import_file, Picked};
    match files.as_slice() {
        [] => {}
        [one] if !is_import_file(&one.name()) => open_file(st, one.clone()),
        _ => {
            let source = match files.as_slice() {
                [one] => one.name(),
                [first, rest @ ..] => format!("{} and {} more", first.name(), rest.len()),
                [] => String::new(),
            };
            let picked = files
                .into_iter()
                .map(|file| Picked {
                    path: file.name(),
                    file,
                })
                .collect();
            import(st, source, picked);
        }
    }
}

/// Reads a design file chosen or dropped by the user and opens it as a new saved design.
pub fn open_file(st: EditorState, file: web_sys::File) {
    let name = file.name();
    let size = file.size();
    let picture = is_picture(&name, &file.type_());
    let limit = if picture {
        crate::export::image::MAX_IMAGE_BYTES
    } else {
        limits::MAX_DESIGN_BYTES
    };
    // Refused before a byte is read: a 50 MB file must not freeze the page.
    if size > limit as f64 {
        let what = if picture { "pictures" } else { "design files" };
        st.report(format!(
            "“{name}” is {:.1} MB; {what} are at most {} MB. Nothing was changed.",
            size / 1_048_576.0,
            limit / 1_048_576
        ));
        return;
    }
    leptos::task::spawn_local(async move {
        let bytes = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
            .await
            .ok()
            .map(|buffer| js_sys::Uint8Array::new(&buffer).to_vec());
        let Some(bytes) = bytes else {
            st.report(format!("“{name}” could not be read. Nothing was changed."));
            return;
        };
        if picture {
            open_picture(st, name, bytes);
        } else {
            open_design_bytes(st, &name, &bytes);
        }
    });
}

/// Whether a file is an SVG or PNG picture (by its type or name), to look for a design in.
fn is_picture(name: &str, mime: &str) -> bool {
    let name = name.to_ascii_lowercase();
    matches!(mime, "image/svg+xml" | "image/png")
        || name.ends_with(".svg")
        || name.ends_with(".png")
}

/// Opens the design in a picture exported by Infracanvas; the export worker reads it.
fn open_picture(st: EditorState, name: String, bytes: Vec<u8>) {
    use base64::Engine;
    let picture = base64::engine::general_purpose::STANDARD.encode(bytes);
    let request = Request::OpenImage { picture };
    super::export_client::request(request, move |result| {
        match result.and_then(Reply::design) {
            Ok(json) => open_design_bytes(st, &name, json.as_bytes()),
            Err(e) => st.report(format!(
                "“{name}” is not a picture Infracanvas can open: {e}. Nothing was changed."
            )),
        }
    });
}

fn open_design_bytes(st: EditorState, name: &str, bytes: &[u8]) {
    match load_design_brief(bytes) {
        Ok(design) => {
            let title = design.name.clone();
            open_as_new(st, design);
            st.notify(format!("Opened “{title}” from {name}"));
        }
        Err(e) => st.report(format!(
            "“{name}” is not a design Infracanvas can open: {e}. Nothing was changed."
        )),
    }
}

/// Offers the design file for download.
pub fn save_file(st: EditorState) {
    let (name, text) = st.design.with_untracked(|d| {
        (
            format!("{}.json", file_stem(&d.name)),
            reindent(&to_json_compact(d)),
        )
    });
    match download_text(&name, &text, "application/json") {
        Ok(()) => st.notify(format!("Saved {name}")),
        Err(e) => st.report(format!("The file could not be saved: {e}")),
    }
}

fn install_listeners(st: EditorState) {
    // Listeners live as long as the page: their handles are dropped without removing them.
    let _ = window_event_listener(ev::hashchange, move |_| open_link_in_address(st));
    let _ = window_event_listener(ev::pagehide, move |_| flush_before_leaving(st));
    let _ = window_event_listener(ev::storage, move |e| {
        let Some(key) = e.key() else { return };
        if key == INDEX_KEY {
            let store = LocalStore::new();
            st.library.update(|l| l.reread_index(&store));
        } else if let Some(id) = st.doc_id.get_untracked() {
            if key == design_key(&id) {
                other_tab_saved(st, &id);
            }
        }
    });
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
        let Some(data) = e.data_transfer() else {
            return;
        };
        // A folder (or several) goes to the import; files are opened by their kind.
        if super::import_dialog::drop_folders(st, &data) {
            return;
        }
        open_files(st, file_list(data.files()));
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
    open_files(st, file_list(input.files()));
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
