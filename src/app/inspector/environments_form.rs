//! The design's environments in the settings panel: add, rename, change the id, reorder, mark
//! production, delete. Deleting one that workloads or clusters refer to asks first and says
//! how many references go with it (`model::environments`).

use leptos::prelude::*;

use super::super::fields::{check_field, parsed_field, text_field};
use super::super::state::use_state;
use crate::model::environments;

pub(super) fn environments_editor() -> impl IntoView {
    let st = use_state();
    let count = Memo::new(move |_| st.design.with(|d| d.environments.len()));
    // The environment whose deletion waits for a yes, with what refers to it.
    let confirm = RwSignal::new(None::<(String, String)>);
    let add = move |_| {
        st.edit(|d| {
            let n = d.environments.len() + 1;
            environments::add(d, &format!("Stand {n}"))
        });
    };
    let rows = move || {
        (0..count.get())
            .map(|i| environment_row(i, confirm))
            .collect_view()
    };
    let question = move || {
        confirm.get().map(|(id, uses)| {
            let name = st.design.with_untracked(|d| {
                d.environment(&id)
                    .map(|e| if e.name.is_empty() { e.id.clone() } else { e.name.clone() })
                    .unwrap_or_default()
            });
            let id_yes = id.clone();
            let yes = move |_| {
                st.edit(|d| environments::delete(d, &id_yes));
                confirm.set(None);
            };
            view! {
                <div class="confirm" role="alertdialog" data-testid="environment-delete-question">
                    <p>{format!("Delete {name}? {uses} for it will be removed too.")}</p>
                    <div class="field-row">
                        <button type="button" class="small danger" data-testid="environment-delete-confirm" on:click=yes>"Delete"</button>
                        <button type="button" class="small" data-testid="environment-delete-cancel" on:click=move |_| confirm.set(None)>"Keep"</button>
                    </div>
                </div>
            }
        })
    };
    view! {
        <fieldset class="environments" data-testid="environments">
            <legend>"Environments"</legend>
            {move || (count.get() == 0).then(|| view! {
                <p class="muted">"None: the design is one production environment. Add stands (dev, staging, prod…) to export an overlay for each and to set replicas, autoscaling, tags and hosts per stand."</p>
            })}
            {rows}
            {question}
            <button type="button" class="small" data-testid="environment-add" on:click=add>"+ Environment"</button>
        </fieldset>
    }
}

/// Row `i` of the list: it follows whichever environment is at that place.
fn environment_row(i: usize, confirm: RwSignal<Option<(String, String)>>) -> impl IntoView {
    let st = use_state();
    let id_at = move || {
        st.design
            .with_untracked(|d| d.environments.get(i).map(|e| e.id.clone()))
    };
    let read = move |f: fn(&crate::model::Environment) -> String| {
        move || {
            st.design
                .with(|d| d.environments.get(i).map(f).unwrap_or_default())
        }
    };
    let set_name = move |v: String| {
        if let Some(id) = id_at() {
            st.edit(|d| environments::rename(d, &id, &v));
        }
    };
    let check_id = move |t: &str| {
        let t = t.trim();
        environments::check_id(t)?;
        let taken = st.design.with_untracked(|d| {
            d.environments
                .iter()
                .enumerate()
                .any(|(j, e)| j != i && e.id == t)
        });
        if taken {
            return Err(format!("The design already has an environment `{t}`"));
        }
        Ok(t.to_string())
    };
    let set_id = move |v: String| {
        if let Some(id) = id_at() {
            if let Err(reason) = st.try_edit(|d| environments::change_id(d, &id, &v)) {
                st.refuse(reason);
            }
        }
    };
    let production = move || {
        st.design
            .with(|d| d.environments.get(i).is_some_and(|e| e.production))
    };
    let set_production = move |v: bool| {
        st.edit(|d| {
            if let Some(e) = d.environments.get_mut(i) {
                e.production = v
            }
        })
    };
    let shift = move |by: isize| {
        move |_| {
            if let Some(id) = id_at() {
                st.edit(|d| environments::shift(d, &id, by));
            }
        }
    };
    let last = move || st.design.with(|d| i + 1 >= d.environments.len());
    let remove = move |_| {
        let Some(id) = id_at() else { return };
        let uses = st.design.with_untracked(|d| environments::uses(d, &id));
        if uses.is_empty() {
            st.edit(|d| environments::delete(d, &id));
        } else {
            confirm.set(Some((id, uses.describe())));
        }
    };
    view! {
        <div class="environment-row" data-testid="environment-row">
            <div class="field-row">
                {text_field("Name", format!("environment-name-{i}"), read(|e| e.name.clone()), set_name, "ПреПрод")}
                {parsed_field("Id", format!("environment-id-{i}"), read(|e| e.id.clone()), check_id, set_id, "preprod")}
            </div>
            <div class="field-row">
                {check_field("Production", format!("environment-production-{i}"), production, set_production)}
                <button type="button" class="icon-button" title="Move up" aria-label="Move environment up" data-testid=format!("environment-up-{i}") disabled=move || i == 0 on:click=shift(-1)>"↑"</button>
                <button type="button" class="icon-button" title="Move down" aria-label="Move environment down" data-testid=format!("environment-down-{i}") disabled=last on:click=shift(1)>"↓"</button>
                <button type="button" class="icon-button" title="Delete this environment" aria-label="Delete environment" data-testid=format!("environment-delete-{i}") on:click=remove>"×"</button>
            </div>
        </div>
    }
}
