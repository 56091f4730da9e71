//! The keyboard help overlay (`?`): the command table's shortcuts ([`crate::commands`]),
//! then the mouse gestures. Each command row carries `data-command` (its stable id).

use leptos::prelude::*;

use super::state::use_state;
use crate::commands::help_rows;

#[component]
pub fn HelpOverlay() -> impl IntoView {
    let st = use_state();
    let open = st.help_open;
    move || {
        open.get().then(|| {
            let rows = help_rows()
                .into_iter()
                .map(|(keys, what, name)| view! { <tr data-command=name><th scope="row"><kbd>{keys}</kbd></th><td>{what}</td></tr> })
                .collect_view();
            view! {
                <div class="modal-backdrop" on:click=move |_| open.set(false)>
                    <div
                        class="modal help"
                        role="dialog"
                        aria-modal="true"
                        aria-label="Keyboard shortcuts"
                        data-testid="help-overlay"
                        on:click=|e| e.stop_propagation()
                    >
                        <header><h2>"Keyboard shortcuts"</h2></header>
                        <table class="shortcuts"><tbody>{rows}</tbody></table>
                        <p class="muted">"Drop a design file (.json) anywhere on the page to open it."</p>
                        <footer>
                            <button type="button" on:click=move |_| open.set(false)>"Close"</button>
                        </footer>
                    </div>
                </div>
            }
        })
    }
}
