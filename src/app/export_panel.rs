//! The export drawer: Kubernetes (the Kustomize tree, one file at a time, or all as a zip),
//! Compose, Terraform (one module per cloud, as a zip), Mermaid and the design JSON, previewed live while the drawer is open, with copy
//! and download. Exports are computed only while the drawer shows them, by the export worker
//! ([`super::export_client`]); the design JSON is written here.

use leptos::prelude::*;

use super::download::{copy_text, download_bytes, download_text, zip_files};
use super::export_client;
use super::state::{use_state, ExportTab};
use crate::export::job::Format;
use crate::export::ExportFile;
use crate::model::{to_json_compact, to_json_pretty};

#[component]
pub fn ExportPanel() -> impl IntoView {
    let st = use_state();
    let open = st.export_open;
    let tab = st.export_tab;
    // The files of the current tab, recomputed on design changes only while open. `ready`
    // is false while the worker works on the latest design.
    let files = RwSignal::new(Vec::<ExportFile>::new());
    let ready = RwSignal::new(true);
    let latest = StoredValue::new(0u64);
    Effect::new(move |_| {
        if !open.get() {
            return;
        }
        let format = match tab.get() {
            ExportTab::Kubernetes => Format::Kubernetes,
            ExportTab::Compose => Format::Compose,
            ExportTab::Terraform => Format::Terraform,
            ExportTab::Mermaid => Format::Mermaid,
            ExportTab::Json => {
                let file = st.design.with(|d| {
                    ExportFile::new(format!("{}.json", file_stem(&d.name)), to_json_pretty(d))
                });
                latest.update_value(|n| *n += 1);
                files.set(vec![file]);
                ready.set(true);
                return;
            }
        };
        let json = st.design.with(to_json_compact);
        latest.update_value(|n| *n += 1);
        let mine = latest.get_value();
        ready.set(false);
        export_client::request(format, json, move |result| {
            // An answer to a request that a later change replaced is dropped.
            if latest.try_get_value() != Some(mine) {
                return;
            }
            match result {
                Ok(fs) => files.set(fs),
                Err(e) => {
                    files.set(Vec::new());
                    st.report(format!("The export could not be made: {e}"));
                }
            }
            ready.set(true);
        });
    });
    let chosen = RwSignal::new(String::new());
    // The file shown: the chosen one if it still exists, else the first.
    let current = Memo::new(move |_| {
        files.with(|fs| {
            let want = chosen.get();
            fs.iter()
                .find(|f| f.path == want)
                .or_else(|| fs.first())
                .cloned()
        })
    });

    let tab_button = move |t: ExportTab, label: &'static str, testid: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                data-testid=testid
                aria-selected=move || (tab.get() == t).to_string()
                class:active=move || tab.get() == t
                on:click=move |_| tab.set(t)
            >
                {label}
            </button>
        }
    };

    let tree = move || {
        let many = files.with(|f| f.len() > 1);
        many.then(|| {
            let items = files.with(|fs| {
                let mut last_dir = String::new();
                let mut rows = Vec::new();
                for f in fs {
                    let path = f.path.clone();
                    let (dir, name) = match path.rsplit_once('/') {
                        Some((d, n)) => (d.to_string(), n.to_string()),
                        None => (String::new(), path.clone()),
                    };
                    // A heading each time the folder changes (the export lists files by folder).
                    if dir != last_dir && !dir.is_empty() {
                        rows.push(view! { <li class="dir-heading" title=dir.clone()>{format!("{dir}/")}</li> }.into_any());
                    }
                    last_dir = dir;
                    let p2 = path.clone();
                    let p3 = path.clone();
                    rows.push(view! {
                        <li>
                            <button
                                type="button"
                                class="file"
                                data-testid="export-file"
                                data-path=path.clone()
                                class:active=move || current.with(|c| c.as_ref().is_some_and(|c| c.path == p2))
                                title=path.clone()
                                on:click=move |_| chosen.set(p3.clone())
                            >
                                {name}
                            </button>
                        </li>
                    }.into_any());
                }
                rows
            });
            view! { <ul class="file-tree" data-testid="export-tree">{items}</ul> }
        })
    };

    let copy = move |_| {
        if let Some(f) = current.get_untracked() {
            match copy_text(&f.contents) {
                Ok(()) => st.notify(format!("Copied {}", f.path)),
                Err(e) => st.refuse(e),
            }
        }
    };
    let download = move |_| {
        if let Some(f) = current.get_untracked() {
            let name = f.path.rsplit('/').next().unwrap_or(&f.path).to_string();
            let mime = if name.ends_with(".json") {
                "application/json"
            } else {
                "text/plain"
            };
            if let Err(e) = download_text(&name, &f.contents, mime) {
                st.refuse(e);
            }
        }
    };
    let download_zip = move |_| {
        let stem = st.design.with_untracked(|d| file_stem(&d.name));
        let fs = files.get_untracked();
        let root = match tab.get_untracked() {
            ExportTab::Kubernetes => "kubernetes",
            ExportTab::Compose => "compose",
            ExportTab::Terraform => "terraform",
            _ => "",
        };
        match zip_files(root, &fs).and_then(|bytes| {
            download_bytes(&format!("{stem}-{root}.zip"), &bytes, "application/zip")
        }) {
            Ok(()) => st.notify(format!("Downloaded {} files as a zip", fs.len())),
            Err(e) => st.refuse(e),
        }
    };
    let zip_allowed = move || files.with(|f| f.len() > 1);

    view! {
        <section class="export-panel" data-testid="export-panel" class:open=move || open.get() aria-label="Export">
            <header class="export-head">
                <div class="tabs" role="tablist">
                    {tab_button(ExportTab::Kubernetes, "Kubernetes", "export-tab-kubernetes")}
                    {tab_button(ExportTab::Compose, "Compose", "export-tab-compose")}
                    {tab_button(ExportTab::Terraform, "Terraform", "export-tab-terraform")}
                    {tab_button(ExportTab::Mermaid, "Mermaid", "export-tab-mermaid")}
                    {tab_button(ExportTab::Json, "JSON", "export-tab-json")}
                </div>
                <span class="spacer"></span>
                <button type="button" data-testid="export-copy" on:click=copy>"Copy"</button>
                <button type="button" data-testid="export-download" on:click=download>"Download file"</button>
                <button type="button" data-testid="export-zip" on:click=download_zip disabled=move || !zip_allowed()>"Download zip"</button>
                <button type="button" class="icon-button" aria-label="Close export" on:click=move |_| open.set(false)>"×"</button>
            </header>
            <div class="export-body">
                {tree}
                <div class="preview-wrap">
                    <div class="preview-path">{move || current.with(|c| c.as_ref().map(|c| c.path.clone()).unwrap_or_default())}</div>
                    <pre class="preview" data-testid="export-preview" data-state=move || if ready.get() { "ready" } else { "working" }>{move || {
                        match current.get() {
                            Some(f) => f.contents,
                            None => match tab.get() {
                                ExportTab::Kubernetes => "# No Kubernetes cluster with workloads in this design yet.\n# Add a Kubernetes cluster, a namespace and a workload.".to_string(),
                                ExportTab::Compose => "# No Swarm cluster with workloads in this design.\n# Add a Swarm cluster and put workloads in it.".to_string(),
                                ExportTab::Terraform => "# No AWS or Yandex Cloud provider in this design.\n# Add a cloud provider with a region, then what runs in it.".to_string(),
                                _ => String::new(),
                            },
                        }
                    }}</pre>
                </div>
            </div>
        </section>
    }
}

/// A file name from a design name: letters and digits kept (any script), others to `-`.
pub fn file_stem(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() {
        "design".into()
    } else {
        s.to_lowercase()
    }
}
