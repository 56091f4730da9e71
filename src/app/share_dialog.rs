//! The share dialog: the whole design in a link (`#d=…`, the model's share codec), its length,
//! and the design file instead when the link is too long for chat tools. Nothing is sent
//! anywhere: the link is made here and only copied.

use leptos::prelude::*;

use super::download::copy_text;
use super::persist::save_file;
use super::state::use_state;
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
            // Made once per opening: the dialog shows the design as it is now.
            let link = st.design.with_untracked(|d| share::link(&base_url(), d));
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
                        <footer>
                            <button type="button" on:click=move |_| open.set(false)>"Close"</button>
                        </footer>
                    </div>
                </div>
            }
        })
    }
}
