//! The diagnostics panel: `validate()` of the design, live, grouped by severity with counts.
//! Clicking a finding selects what it concerns and brings it into view.

use std::collections::HashMap;

use leptos::prelude::*;

use super::state::use_state;
use crate::validate::{Diagnostic, Severity};

/// At most this many findings are listed per severity (the counts stay exact).
const LIST_LIMIT: usize = 200;

#[component]
pub fn Diagnostics() -> impl IntoView {
    let st = use_state();
    let count = move |sev: Severity| {
        st.diagnostics
            .with(|ds| ds.iter().filter(|d| d.severity == sev).count())
    };
    let group = move |sev: Severity, title: &'static str| {
        // A closed group draws no items; an open one keeps the items that did not change
        // (keyed), so an edit redraws only the findings it added or removed.
        let open = RwSignal::new(sev != Severity::Info);
        let listed = Memo::new(move |_| {
            if !open.get() {
                return Vec::new();
            }
            st.diagnostics.with(|ds| {
                let mut seen: HashMap<(&str, &[String], &str), usize> = HashMap::new();
                ds.iter()
                    .filter(|d| d.severity == sev)
                    .take(LIST_LIMIT)
                    .map(|d| {
                        // Two equal findings get distinct keys: `For` needs unique keys.
                        let nth = seen
                            .entry((d.rule, d.targets.as_slice(), d.message.as_str()))
                            .and_modify(|n| *n += 1)
                            .or_insert(0);
                        let key = format!("{}|{}|{}|{nth}", d.rule, d.targets.join(","), d.message);
                        (key, d.clone())
                    })
                    .collect::<Vec<_>>()
            })
        });
        let item = move |(_, d): (String, Diagnostic)| {
            let targets = d.targets.clone();
            let rule = d.rule;
            view! {
                <li
                    class=format!("diagnostic sev-{}", sev.as_str())
                    data-testid="diagnostic"
                    data-rule=rule
                    data-severity=sev.as_str()
                    data-targets=d.targets.join(" ")
                    tabindex="0"
                    title=d.hint.clone()
                    on:click=move |_| st.focus(&targets)
                >
                    <span class="rule">{rule}</span>
                    <span class="message">{d.message.clone()}</span>
                    <span class="hint">{d.hint.clone()}</span>
                </li>
            }
        };
        let items = move || view! { <For each=move || listed.get() key=|(k, _)| k.clone() children=item /> };
        let more = move || {
            let n = count(sev);
            (n > LIST_LIMIT).then(
                || view! { <li class="muted">{format!("… and {} more", n - LIST_LIMIT)}</li> },
            )
        };
        view! {
            <details
                class=format!("diag-group sev-{}", sev.as_str())
                open=sev != Severity::Info
                on:toggle=move |e| {
                    use wasm_bindgen::JsCast;
                    if let Some(d) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok()) {
                        open.set(d.open());
                    }
                }
            >
                <summary>
                    <span>{title}</span>
                    <span class=format!("badge badge-{}", sev.as_str()) data-testid=format!("count-{}", sev.as_str())>
                        {move || count(sev)}
                    </span>
                </summary>
                <ul>{items} {more}</ul>
            </details>
        }
    };
    view! {
        <section class="diagnostics" aria-label="Diagnostics">
            <h2 class="panel-title">
                "Checks"
                {move || {
                    let total = st.diagnostics.with(Vec::len);
                    (total == 0 && st.design.with(|d| !d.nodes.is_empty()))
                        .then(|| view! { <span class="all-good">"✓ no findings"</span> })
                }}
            </h2>
            {group(Severity::Error, "Errors")}
            {group(Severity::Warning, "Warnings")}
            {group(Severity::Info, "Notes")}
        </section>
    }
}
