//! "My designs": the designs saved in this browser, newest first, with open, rename,
//! duplicate and delete. Deleting asks once more in place.

use leptos::prelude::*;

use super::persist::{self, flush, new_design, open_saved};
use super::state::use_state;
use super::storage::LocalStore;

fn ago(updated: f64) -> String {
    if updated <= 0.0 {
        return "found in storage".into();
    }
    let secs = ((js_sys::Date::now() - updated) / 1000.0).max(0.0) as u64;
    match secs {
        0..=59 => "saved just now".into(),
        60..=3599 => format!("saved {} min ago", secs / 60),
        3600..=86_399 => format!("saved {} h ago", secs / 3600),
        _ => format!("saved {} days ago", secs / 86_400),
    }
}

#[component]
pub fn DesignsMenu() -> impl IntoView {
    let st = use_state();
    let open = st.designs_open;
    let confirming = RwSignal::new(None::<String>);
    let renaming = RwSignal::new(None::<String>);
    let rename = move |id: String, name: String| {
        let name = name.trim().to_string();
        renaming.set(None);
        if name.is_empty() {
            return;
        }
        if st.doc_id.get_untracked().as_deref() == Some(id.as_str()) {
            // The open design: an ordinary (undoable) edit, saved by autosave.
            st.edit(|d| d.name = name);
            flush(st);
            return;
        }
        let mut store = LocalStore::new();
        let result = st
            .library
            .try_update(|l| l.rename(&mut store, &id, &name, js_sys::Date::now()));
        if let Some(Err(e)) = result {
            st.report(format!("Not renamed: {e}"));
        }
    };
    let duplicate = move |id: String| {
        flush(st);
        let new_id = format!(
            "{:x}-{:x}",
            js_sys::Date::now() as u64,
            (js_sys::Math::random() * 1e9) as u64
        );
        let mut store = LocalStore::new();
        let result = st
            .library
            .try_update(|l| l.duplicate(&mut store, &id, &new_id, js_sys::Date::now()));
        if let Some(Err(e)) = result {
            st.report(format!("Not duplicated: {e}"));
        }
    };
    let delete = move |id: String| {
        confirming.set(None);
        let current = st.doc_id.get_untracked().as_deref() == Some(id.as_str());
        let mut store = LocalStore::new();
        let result = st.library.try_update(|l| l.delete(&mut store, &id));
        match result {
            Some(Err(e)) => st.report(format!("Not deleted: {e}")),
            _ if current => new_design(st),
            _ => {}
        }
    };
    let rows = move || {
        let current = st.doc_id.get();
        st.library.with(|l| {
            l.index
                .entries
                .iter()
                .map(|e| {
                    let id = e.id.clone();
                    let is_current = current.as_deref() == Some(id.as_str());
                    let (id_open, id_ren, id_ren2, id_dup, id_del, id_conf, id_yes) = (
                        id.clone(),
                        id.clone(),
                        id.clone(),
                        id.clone(),
                        id.clone(),
                        id.clone(),
                        id.clone(),
                    );
                    let name = e.name.clone();
                    let name_for_input = name.clone();
                    let meta = format!("{} components · {}", e.nodes, ago(e.updated));
                    view! {
                        <li class="design-entry" class:current=is_current data-testid="design-entry" data-id=id.clone()>
                            {move || if renaming.get().as_deref() == Some(id_ren.as_str()) {
                                let id_ren = id_ren.clone();
                                view! {
                                    <input
                                        class="rename"
                                        data-testid="design-rename-input"
                                        aria-label="New name"
                                        maxlength=crate::model::limits::MAX_TEXT_CHARS
                                        prop:value=name_for_input.clone()
                                        autofocus
                                        on:keydown=move |ev| {
                                            if ev.key() == "Enter" {
                                                rename(id_ren.clone(), event_target_value(&ev));
                                            } else if ev.key() == "Escape" {
                                                renaming.set(None);
                                            }
                                        }
                                    />
                                }.into_any()
                            } else {
                                let id_open = id_open.clone();
                                view! {
                                    <button type="button" class="entry-open" data-testid="design-open" on:click=move |_| {
                                        open_saved(st, &id_open);
                                        open.set(false);
                                    }>
                                        <strong data-testid="design-entry-name">{name.clone()}</strong>
                                        <small class="muted">{meta.clone()}</small>
                                    </button>
                                }.into_any()
                            }}
                            <span class="entry-actions">
                                <button type="button" data-testid="design-rename" on:click=move |_| renaming.set(Some(id_ren2.clone()))>"Rename"</button>
                                <button type="button" data-testid="design-duplicate" on:click=move |_| duplicate(id_dup.clone())>"Duplicate"</button>
                                {move || if confirming.get().as_deref() == Some(id_conf.as_str()) {
                                    let id_yes = id_yes.clone();
                                    view! {
                                        <span class="confirm">
                                            "Delete for good? "
                                            <button type="button" class="danger" data-testid="design-delete-confirm" on:click=move |_| delete(id_yes.clone())>"Delete"</button>
                                            <button type="button" on:click=move |_| confirming.set(None)>"Keep"</button>
                                        </span>
                                    }.into_any()
                                } else {
                                    let id_del = id_del.clone();
                                    view! {
                                        <button type="button" data-testid="design-delete" on:click=move |_| confirming.set(Some(id_del.clone()))>"Delete"</button>
                                    }.into_any()
                                }}
                            </span>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    move || {
        open.get().then(|| {
            view! {
                <div class="modal-backdrop" on:click=move |_| open.set(false)>
                    <div
                        class="modal designs"
                        role="dialog"
                        aria-modal="true"
                        aria-label="My designs"
                        data-testid="designs-menu"
                        on:click=|e| e.stop_propagation()
                    >
                        <header>
                            <h2>"My designs"</h2>
                            <p class="muted">"Kept in this browser and saved as you edit. Download a file or share a link to keep a copy elsewhere."</p>
                        </header>
                        <ul class="design-list">{rows}</ul>
                        <footer>
                            <button type="button" data-testid="design-new" on:click=move |_| {
                                new_design(st);
                                open.set(false);
                                st.templates_open.set(true);
                            }>"New design"</button>
                            <button type="button" on:click=move |_| persist::save_file(st)>"Download this design"</button>
                            <button type="button" on:click=move |_| open.set(false)>"Close"</button>
                        </footer>
                    </div>
                </div>
            }
        })
    }
}
