//! The export drawer: Kubernetes (the Kustomize tree, one file at a time, or all as a zip),
//! Helm (a chart per cluster, likewise), Compose, Terraform (one module per cloud, as a zip), Mermaid, the design JSON and the
//! picture (SVG, and PNG), previewed live while the drawer is open, with copy and download.
//! Exports are computed only while the drawer shows them, by the export worker
//! ([`super::export_client`]); the design JSON is written here. Pictures carry the design:
//! opening one (Open…, or dropping it) restores it.

use leptos::prelude::*;

use base64::Engine;

use super::download::{copy_text, download_bytes, download_text};
use super::export_client;
use super::raster::svg_to_png_base64;
use super::state::{use_state, EditorState, ExportTab};
use crate::export::image::{SvgOptions, Theme};
use crate::export::job::{Format, Reply, Request};
use crate::export::ExportFile;
use crate::model::{reindent, to_json_compact};

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
    // Image tab: only the selection, if asked (and something is selected).
    let selection_only = RwSignal::new(false);
    Effect::new(move |_| {
        if !open.get() {
            return;
        }
        let format = match tab.get() {
            ExportTab::Kubernetes => Format::Kubernetes,
            ExportTab::Helm => Format::Helm,
            ExportTab::Compose => Format::Compose,
            ExportTab::Terraform => Format::Terraform,
            ExportTab::Mermaid => Format::Mermaid,
            ExportTab::Json => {
                let file = st.design.with(|d| {
                    ExportFile::new(
                        format!("{}.json", file_stem(&d.name)),
                        reindent(&to_json_compact(d)),
                    )
                });
                latest.update_value(|n| *n += 1);
                files.set(vec![file]);
                ready.set(true);
                return;
            }
            ExportTab::Image => Format::Svg,
        };
        let json = st.design.with(to_json_compact);
        latest.update_value(|n| *n += 1);
        let mine = latest.get_value();
        ready.set(false);
        let answer = move |result: Result<Reply, String>| {
            // An answer to a request that a later change replaced is dropped.
            if latest.try_get_value() != Some(mine) {
                return;
            }
            match result.and_then(Reply::files) {
                Ok(fs) => files.set(fs),
                Err(e) => {
                    files.set(Vec::new());
                    st.report(format!("The export could not be made: {e}"));
                }
            }
            ready.set(true);
        };
        let svg = if format == Format::Svg {
            svg_options(st, selection_only.get())
        } else {
            Default::default()
        };
        let request = Request::Export {
            design: json,
            format,
            svg,
            zip: None,
        };
        export_client::request(request, answer);
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
            } else if name.ends_with(".svg") {
                "image/svg+xml"
            } else {
                "text/plain"
            };
            let name = match name.strip_prefix("diagram.") {
                Some(ext) => format!("{}.{ext}", st.design.with_untracked(|d| file_stem(&d.name))),
                None => name,
            };
            if let Err(e) = download_text(&name, &f.contents, mime) {
                st.refuse(e);
            }
        }
    };
    let download_zip = move |_| {
        let stem = st.design.with_untracked(|d| file_stem(&d.name));
        let count = files.with_untracked(Vec::len);
        let (format, root) = match tab.get_untracked() {
            ExportTab::Kubernetes => (Format::Kubernetes, "kubernetes"),
            ExportTab::Helm => (Format::Helm, "helm"),
            ExportTab::Compose => (Format::Compose, "compose"),
            ExportTab::Terraform => (Format::Terraform, "terraform"),
            _ => return,
        };
        // The worker zips the same export it showed (exports are deterministic).
        let json = st.design.with_untracked(to_json_compact);
        let request = Request::Export {
            design: json,
            format,
            svg: Default::default(),
            zip: Some(root.into()),
        };
        export_client::request(request, move |result| {
            let bytes = result.and_then(Reply::files).and_then(|fs| {
                let zip = fs.first().ok_or("the zip is empty")?;
                base64::engine::general_purpose::STANDARD
                    .decode(&zip.contents)
                    .map_err(|e| e.to_string())
            });
            match bytes
                .and_then(|b| download_bytes(&format!("{stem}-{root}.zip"), &b, "application/zip"))
            {
                Ok(()) => st.notify(format!("Downloaded {count} files as a zip")),
                Err(e) => st.refuse(format!("The zip could not be made: {e}")),
            }
        });
    };
    let zip_allowed = move || files.with(|f| f.len() > 1);
    let download_png = move |_| {
        let Some(svg) = current.get_untracked().filter(|f| f.path.ends_with(".svg")) else {
            return;
        };
        let stem = st.design.with_untracked(|d| file_stem(&d.name));
        let json = st.design.with_untracked(to_json_compact);
        svg_to_png_base64(&svg.contents, move |png| {
            let png = match png {
                Ok(png) => png,
                Err(e) => return st.refuse(format!("The PNG could not be made: {e}")),
            };
            // The worker puts the design into the PNG (an iTXt chunk).
            let request = Request::Png { design: json, png };
            export_client::request(request, move |result| {
                let bytes = result.and_then(Reply::files).and_then(|fs| {
                    let png = fs.first().ok_or("no PNG came back")?;
                    base64::engine::general_purpose::STANDARD
                        .decode(&png.contents)
                        .map_err(|e| e.to_string())
                });
                match bytes.and_then(|b| download_bytes(&format!("{stem}.png"), &b, "image/png")) {
                    Ok(()) => st.notify(format!("Downloaded {stem}.png")),
                    Err(e) => st.refuse(format!("The PNG could not be made: {e}")),
                }
            });
        });
    };
    let on_image = move || tab.get() == ExportTab::Image;

    view! {
        <section class="export-panel" data-testid="export-panel" class:open=move || open.get() aria-label="Export">
            <header class="export-head">
                <div class="tabs" role="tablist">
                    {tab_button(ExportTab::Kubernetes, "Kubernetes", "export-tab-kubernetes")}
                    {tab_button(ExportTab::Helm, "Helm", "export-tab-helm")}
                    {tab_button(ExportTab::Compose, "Compose", "export-tab-compose")}
                    {tab_button(ExportTab::Terraform, "Terraform", "export-tab-terraform")}
                    {tab_button(ExportTab::Mermaid, "Mermaid", "export-tab-mermaid")}
                    {tab_button(ExportTab::Json, "JSON", "export-tab-json")}
                    {tab_button(ExportTab::Image, "Image", "export-tab-image")}
                </div>
                <span class="spacer"></span>
                // The actions stay together: on a narrow stage they wrap below the tabs as one.
                <div class="export-actions">
                <label class="inline-check" class:hidden=move || !on_image()>
                    <input
                        type="checkbox"
                        data-testid="export-selection-only"
                        prop:checked=move || selection_only.get()
                        disabled=move || st.selection.with(|s| s.nodes.is_empty())
                        on:change=move |e| selection_only.set(event_target_checked(&e))
                    />
                    "Selection only"
                </label>
                <button type="button" data-testid="export-png" class:hidden=move || !on_image() on:click=download_png>"Download PNG"</button>
                <button type="button" data-testid="export-copy" on:click=copy>"Copy"</button>
                <button type="button" data-testid="export-download" on:click=download>"Download file"</button>
                <button type="button" data-testid="export-zip" on:click=download_zip disabled=move || !zip_allowed()>"Download zip"</button>
                <button type="button" class="icon-button" data-testid="export-close" aria-label="Close export" on:click=move |_| open.set(false)>"×"</button>
                </div>
            </header>
            <div class="export-body">
                {tree}
                <div class="preview-wrap">
                    <div class="preview-path">{move || current.with(|c| c.as_ref().map(|c| c.path.clone()).unwrap_or_default())}</div>
                    // The Image tab shows the picture; its SVG text stays below for Copy and
                    // is not shown.
                    {move || on_image().then(|| view! {
                        <div class="picture-wrap">
                            <img
                                class="picture"
                                data-testid="export-picture"
                                alt="The design as a picture"
                                src=move || current.with(|c| c.as_ref().map(|f| svg_data_url(&f.contents)).unwrap_or_default())
                            />
                        </div>
                    })}
                    <pre class="preview" class:hidden=on_image data-testid="export-preview" data-state=move || if ready.get() { "ready" } else { "working" }>{move || {
                        match current.get() {
                            Some(f) => f.contents,
                            None => match tab.get() {
                                ExportTab::Kubernetes | ExportTab::Helm => "# No Kubernetes cluster with workloads in this design yet.\n# Add a Kubernetes cluster, a namespace and a workload.".to_string(),
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

/// An SVG document as a `data:` URL for an `<img>` (the page's policy allows `data:` images;
/// an image document runs no script and loads nothing).
fn svg_data_url(svg: &str) -> String {
    if svg.is_empty() {
        return String::new();
    }
    let encoded: String = js_sys::encode_uri_component(svg).into();
    format!("data:image/svg+xml;charset=utf-8,{encoded}")
}

/// The picture's theme (the page's) and, if asked and any, the selected nodes.
fn svg_options(st: EditorState, selection_only: bool) -> SvgOptions {
    let dark = st.theme.with(|t| t == "dark");
    let selected: Vec<String> = st.selection.with(|s| s.nodes.iter().cloned().collect());
    SvgOptions {
        theme: if dark { Theme::Dark } else { Theme::Light },
        selection: (selection_only && !selected.is_empty()).then_some(selected),
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
