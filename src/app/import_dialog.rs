//! Bringing an existing system in: Compose files, Kubernetes manifests or Terraform, chosen
//! with Open… (several files, a `.zip`), as a folder, or dropped (files or folders). The page
//! reads the bytes and hands them to the export worker ([`Request::Import`]), which unpacks,
//! recognises and imports them, so that no YAML, HCL or zip reader is in the page's first-load
//! bundle. The user reads the summary (services, links inferred, what was not mapped with file
//! and line) before anything changes; *Open as a new design* opens it as a new saved design,
//! *Cancel* (or a failure) leaves the design on screen as it was.

use base64::Engine;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::export_client;
use super::persist::open_as_new;
use super::state::EditorState;
use crate::export::job::{ImportInput, ImportedDesign, Reply, Request};
use crate::import::files::{is_hidden, is_importable, SummaryText, MAX_FILES, MAX_TOTAL_BYTES};
use crate::model::load_design_brief;

/// An imported design waiting for the user's word.
pub struct ImportPreview {
    pub design: String,
    pub summary: SummaryText,
}

/// Whether a file (alone) is opened by the import rather than as a design file or picture.
pub fn is_import_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    is_importable(&lower) && !lower.ends_with(".json")
}

/// A file to import with its path inside what was chosen (a folder's relative path).
pub struct Picked {
    pub path: String,
    pub file: web_sys::File,
}

/// The relative path the browser gives a file chosen in a folder (`webkitRelativePath`), or
/// its name.
pub fn path_of(file: &web_sys::File) -> String {
    js_sys::Reflect::get(file, &JsValue::from_str("webkitRelativePath"))
        .ok()
        .and_then(|v| v.as_string())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| file.name())
}

/// Reads `picked` and asks the worker to import them; the summary opens when it answers.
/// `source` names them for the user (the folder, the archive or the file).
pub fn import(st: EditorState, source: String, picked: Vec<Picked>) {
    let picked: Vec<Picked> = picked
        .into_iter()
        .filter(|p| !is_hidden(&p.path) && is_importable(&p.path))
        .collect();
    if picked.is_empty() {
        st.report(format!(
            "“{source}” holds no Compose, Kubernetes or Terraform files (.yaml, .yml, .tf, .tfstate, .zip). Nothing was changed."
        ));
        return;
    }
    if picked.len() > MAX_FILES {
        st.report(format!(
            "“{source}” holds more than {MAX_FILES} files to read; choose a smaller folder. Nothing was changed."
        ));
        return;
    }
    let total: f64 = picked.iter().map(|p| p.file.size()).sum();
    // Refused before a byte is read: a huge folder must not freeze the page.
    if total > MAX_TOTAL_BYTES as f64 {
        st.report(format!(
            "“{source}” is {:.1} MB; an import reads at most {} MB. Nothing was changed.",
            total / 1_048_576.0,
            MAX_TOTAL_BYTES >> 20
        ));
        return;
    }
    st.notify(match picked.len() {
        1 => "Reading 1 file…".to_string(),
        n => format!("Reading {n} files…"),
    });
    leptos::task::spawn_local(async move {
        let mut files = Vec::with_capacity(picked.len());
        for p in picked {
            let bytes = wasm_bindgen_futures::JsFuture::from(p.file.array_buffer())
                .await
                .ok()
                .map(|buffer| js_sys::Uint8Array::new(&buffer).to_vec());
            let Some(bytes) = bytes else {
                st.report(format!(
                    "“{}” could not be read. Nothing was changed.",
                    p.path
                ));
                return;
            };
            files.push(ImportInput {
                path: p.path,
                contents: base64::engine::general_purpose::STANDARD.encode(bytes),
            });
        }
        let name = design_name(&source);
        let request = Request::Import { name, files };
        export_client::request(request, move |answer| {
            match answer.and_then(Reply::imported) {
                Ok(ImportedDesign { design, summary }) => {
                    show(st, ImportPreview { design, summary })
                }
                Err(e) => st.report(format!(
                    "“{source}” could not be imported: {e}. Nothing was changed."
                )),
            }
        });
    });
}

/// The design's name from what was chosen: a folder's or archive's name; for loose files the
/// worker names it (the project's `name:`, the files' folder).
fn design_name(source: &str) -> String {
    let lower = source.to_ascii_lowercase();
    if let Some(stem) = lower.strip_suffix(".zip") {
        return source[..stem.len()].to_string();
    }
    if source.contains('.') {
        String::new()
    } else {
        source.to_string()
    }
}

/// Opens the previewed design as a new saved design; the one on screen stays saved as it was.
fn confirm(st: EditorState) {
    let Some(preview) = close() else {
        return;
    };
    match load_design_brief(preview.design.as_bytes()) {
        Ok(design) => {
            open_as_new(st, design);
            st.notify(preview.summary.done);
        }
        Err(e) => st.report(format!(
            "The imported design could not be opened: {e}. Nothing was changed."
        )),
    }
}

/// Drops the collected directory entries' files into `picked`, walking folders.
async fn walk_entry(entry: web_sys::FileSystemEntry, picked: &mut Vec<Picked>) {
    let mut stack = vec![entry];
    while let Some(entry) = stack.pop() {
        if picked.len() > MAX_FILES {
            return;
        }
        let path = entry.full_path().trim_start_matches('/').to_string();
        if entry.is_directory() {
            if is_hidden(&path) {
                continue;
            }
            let dir: web_sys::FileSystemDirectoryEntry = entry.unchecked_into();
            let reader = dir.create_reader();
            // `readEntries` answers in batches until an empty one.
            loop {
                let promise = js_sys::Promise::new(&mut |resolve, reject| {
                    let _ = reader.read_entries_with_callback_and_callback(&resolve, &reject);
                });
                let Ok(batch) = wasm_bindgen_futures::JsFuture::from(promise).await else {
                    break;
                };
                let batch: js_sys::Array = batch.unchecked_into();
                if batch.length() == 0 {
                    break;
                }
                stack.extend(batch.iter().map(|e| e.unchecked_into()));
            }
        } else if entry.is_file() && !is_hidden(&path) && is_importable(&path) {
            let file_entry: web_sys::FileSystemFileEntry = entry.unchecked_into();
            let promise = js_sys::Promise::new(&mut |resolve, reject| {
                file_entry.file_with_callback_and_callback(&resolve, &reject);
            });
            if let Ok(file) = wasm_bindgen_futures::JsFuture::from(promise).await {
                picked.push(Picked {
                    path,
                    file: file.unchecked_into(),
                });
            }
        }
    }
}

/// A drop that carries at least one folder: its files (and any loose ones) are imported.
/// Returns false when no folder is in the drop (the caller opens the files as usual).
pub fn drop_folders(st: EditorState, data: &web_sys::DataTransfer) -> bool {
    let items = data.items();
    // Entries must be taken during the drop event: the list is emptied after it.
    let entries: Vec<web_sys::FileSystemEntry> = (0..items.length())
        .filter_map(|i| items.get(i))
        .filter(|item| item.kind() == "file")
        .filter_map(|item| item.webkit_get_as_entry().ok().flatten())
        .collect();
    if !entries.iter().any(|e| e.is_directory()) {
        return false;
    }
    let source = entries
        .iter()
        .find(|e| e.is_directory())
        .map(|e| e.name())
        .unwrap_or_default();
    leptos::task::spawn_local(async move {
        let mut picked = Vec::new();
        for e in entries {
            walk_entry(e, &mut picked).await;
        }
        import(st, source, picked);
    });
    true
}

/// The files chosen in a folder picker (`webkitdirectory`): imported under the folder's name.
pub fn on_folder_input(st: EditorState, e: &web_sys::Event) {
    let Some(input) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let mut picked = Vec::new();
    if let Some(list) = input.files() {
        for i in 0..list.length() {
            if let Some(file) = list.get(i) {
                picked.push(Picked {
                    path: path_of(&file),
                    file,
                });
            }
        }
    }
    input.set_value("");
    let source = picked
        .first()
        .and_then(|p| p.path.split('/').next().map(str::to_string))
        .unwrap_or_else(|| "the folder".into());
    import(st, source, picked);
}

/// Clicks the hidden folder input of the toolbar.
pub fn open_folder_picker() {
    if let Some(input) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector("[data-testid=folder-input]")
                .ok()
                .flatten()
        })
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        input.click();
    }
}

// The summary dialog on screen, if any (built with plain DOM calls: a Leptos view of it would
// add its own rendering code to the first-load bundle for one dialog).
thread_local! {
    static DIALOG: std::cell::RefCell<Option<(web_sys::Element, ImportPreview)>> =
        const { std::cell::RefCell::new(None) };
}

fn append(parent: &web_sys::Element, child: &web_sys::Element) {
    let _ = parent.append_child(child);
}

fn element(
    doc: &web_sys::Document,
    tag: &str,
    class: &str,
    text: &str,
) -> Option<web_sys::Element> {
    let el = doc.create_element(tag).ok()?;
    if !class.is_empty() {
        el.set_class_name(class);
    }
    if !text.is_empty() {
        el.set_text_content(Some(text));
    }
    Some(el)
}

/// A list of the summary (one `text\tdetail` line an entry); an empty list says "None" by its
/// style.
fn list(doc: &web_sys::Document, items: &str, testid: &str) -> Option<web_sys::Element> {
    let ul = element(doc, "ul", "import-list", "")?;
    for (text, detail) in SummaryText::entries(items) {
        let li = element(doc, "li", "", "")?;
        let _ = li.set_attribute("data-testid", testid);
        append(&li, &element(doc, "strong", "", text)?);
        append(&li, &element(doc, "span", "muted", detail)?);
        append(&ul, &li);
    }
    Some(ul)
}

/// A button that runs `action` once clicked.
fn button(
    doc: &web_sys::Document,
    class: &str,
    testid: &str,
    text: &str,
    action: fn(EditorState),
    st: EditorState,
) -> Option<web_sys::Element> {
    let b = element(doc, "button", class, text)?;
    let _ = b.set_attribute("type", "button");
    let _ = b.set_attribute("data-testid", testid);
    let click = Closure::<dyn FnMut()>::new(move || action(st));
    let _ = b.add_event_listener_with_callback("click", click.as_ref().unchecked_ref());
    // Lives as long as the button (removed with the dialog).
    click.forget();
    Some(b)
}

/// Shows the summary of an import; the design on screen is untouched until *Open*.
fn show(st: EditorState, preview: ImportPreview) {
    close();
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let built = (|| {
        let s = &preview.summary;
        let backdrop = element(&doc, "div", "modal-backdrop", "")?;
        let modal = element(&doc, "div", "modal import-summary", "")?;
        for (k, v) in [
            ("role", "dialog"),
            ("aria-modal", "true"),
            ("aria-label", "Import summary"),
            ("data-testid", "import-summary"),
        ] {
            let _ = modal.set_attribute(k, v);
        }
        append(&modal, &element(&doc, "h2", "", &s.title)?);
        let files = element(&doc, "p", "muted", &s.files)?;
        let _ = files.set_attribute("data-testid", "import-files");
        append(&modal, &files);
        let figures = element(&doc, "p", "", &s.figures)?;
        let _ = figures.set_attribute("data-testid", "import-figures");
        append(&modal, &figures);
        let columns = element(&doc, "div", "import-columns", "")?;
        for (title, items, testid) in [
            ("Components", &s.services, "import-service"),
            ("Links inferred", &s.links, "import-link"),
        ] {
            let section = element(&doc, "section", "", "")?;
            append(&section, &element(&doc, "h3", "", title)?);
            append(&section, &list(&doc, items, testid)?);
            append(&columns, &section);
        }
        append(&modal, &columns);
        append(
            &modal,
            &element(&doc, "h3", "", "Not mapped, with file and line")?,
        );
        append(&modal, &list(&doc, &s.notes, "import-note")?);
        let footer = element(&doc, "footer", "", "")?;
        append(
            &footer,
            &button(&doc, "", "import-cancel", "Cancel", cancel, st)?,
        );
        append(
            &footer,
            &button(
                &doc,
                "primary",
                "import-open",
                "Open as a new design",
                confirm,
                st,
            )?,
        );
        append(&modal, &footer);
        append(&backdrop, &modal);
        // A click beside the dialog cancels; a click inside it does not reach the backdrop.
        let stop =
            Closure::<dyn FnMut(web_sys::Event)>::new(|e: web_sys::Event| e.stop_propagation());
        let _ = modal.add_event_listener_with_callback("click", stop.as_ref().unchecked_ref());
        stop.forget();
        let outside = Closure::<dyn FnMut()>::new(move || cancel(st));
        let _ =
            backdrop.add_event_listener_with_callback("click", outside.as_ref().unchecked_ref());
        outside.forget();
        let _ = doc.body()?.append_child(&backdrop);
        Some(backdrop)
    })();
    match built {
        Some(el) => DIALOG.with(|d| *d.borrow_mut() = Some((el, preview))),
        None => st.report("The import summary could not be shown. Nothing was changed."),
    }
}

/// Removes the summary dialog (Escape, Cancel, Open); returns what it showed.
pub fn close() -> Option<ImportPreview> {
    DIALOG.with(|d| d.borrow_mut().take()).map(|(el, preview)| {
        el.remove();
        preview
    })
}

fn cancel(st: EditorState) {
    if close().is_some() {
        st.notify("Import cancelled; nothing was changed");
    }
}
