//! The share dialog: the whole design in a link (`#d=…`, the model's share codec), its length,
//! and the design file instead when the link is too long for chat tools. Nothing is sent
//! anywhere: the link is packed in this browser, by the export worker (which holds the codec
//! and the templates it primes its packing with), and only copied.

use leptos::prelude::*;

use super::download::copy_text;
use super::export_client;
use super::persist::save_file;
use super::state::{use_state, EditorState};
use crate::export::job::{Reply, Request};
use crate::model::to_json_compact;
use crate::share::{self, CHAT_SAFE_LINK_CHARS};

/// The page's own address without fragment: the link opens this same build.
fn base_url() -> String {
    web_sys::window()
        .map(|w| w.location())
        .map(|l| {
            format!(
                "{}{}{}",
                l.origin().unwrap_or_default(),
                l.pathname().unwrap_or_default(),
                l.search().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

/// 12345 → "12,345".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[component]
pub fn ShareDialog() -> impl IntoView {
    let st = use_state();
    let open = st.share_open;
    move || {
        open.get().then(|| {
            // Packed once per opening: the dialog shows the design as it is now.
            let link = RwSignal::new(None::<Result<String, String>>);
            let design = st.design.with_untracked(to_json_compact);
            export_client::request(Request::ShareLink { design }, move |answer| {
                let made = answer
                    .and_then(Reply::link)
                    .map(|payload| share::link_with(&base_url(), &payload));
                // Closed meanwhile: the signal is gone and the answer is dropped.
                let _ = link.try_set(Some(made));
            });
            let body = move || match link.get() {
                None => view! { <p class="muted" data-testid="share-packing">"Packing the link…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="warning" role="alert" data-testid="share-error">{format!("The link could not be made: {e}")}</p> }.into_any(),
                Some(Ok(link)) => link_view(st, link),
            };
            view! {
                <div class="modal-backdrop" on:click=move |_| open.set(false)>
                    <div
                        class="modal share"
                        role="dialog"
                        aria-modal="true"
                        aria-label="Share this design"
                        data-testid="share-dialog"
                        on:click=|e| e.stop_propagation()
                    >
                        <header>
                            <h2>"Share this design"</h2>
                            <p class="muted">
                                "The whole design is packed into the link itself. Nothing is uploaded: whoever opens the link gets this exact design in their own browser."
                            </p>
                        </header>
                        {body}
                        <footer>
                            <button type="button" on:click=move |_| open.set(false)>"Close"</button>
                        </footer>
                    </div>
                </div>
            }
        })
    }
}

/// The packed link with its copy button, its length and, past what chat tools keep, the
/// design file instead.
fn link_view(st: EditorState, link: String) -> AnyView {
    let len = link.chars().count();
    let too_long = len > CHAT_SAFE_LINK_CHARS;
    let copy_link = link.clone();
    let copy = move |_| match copy_text(&copy_link) {
        Ok(()) => st.notify("Link copied"),
        Err(e) => st.refuse(format!("Could not copy: {e}")),
    };
    let select_all = |e: leptos::ev::FocusEvent| {
        use wasm_bindgen::JsCast;
        if let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            input.select();
        }
    };
    view! {
        <label class="share-row">
            <span class="sr-only">"Link"</span>
            <input
                type="text"
                readonly
                data-testid="share-link"
                prop:value=link
                on:focus=select_all
            />
            <button type="button" class="primary" data-testid="share-copy" on:click=copy>"Copy link"</button>
        </label>
        <p class="muted" data-testid="share-length" data-length=len.to_string()>
            {format!("{} characters", thousands(len))}
        </p>
        {too_long.then(|| view! {
            <p class="warning" role="note" data-testid="share-warning">
                {format!(
                    "Longer than {} characters: chat tools and mail clients may cut it off. Send the design file instead.",
                    thousands(CHAT_SAFE_LINK_CHARS)
                )}
                " "
                <button type="button" data-testid="share-download" on:click=move |_| save_file(st)>"Download the design file"</button>
            </p>
        })}
    }
    .into_any()
}
