//! The diagnostics panel: `validate()` of the design, live, grouped by severity with counts.
//! Clicking a finding selects what it concerns and brings it into view.

use leptos::prelude::*;

use super::state::use_state;
use crate::validate::Severity;

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
        let items = move || {
            st.diagnostics.with(|ds| {
                ds.iter()
                    .filter(|d| d.severity == sev)
                    .take(LIST_LIMIT)
                    .map(|d| {
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
                    })
                    .collect_view()
            })
        };
        let more = move || {
            let n = count(sev);
            (n > LIST_LIMIT).then(
                || view! { <li class="muted">{format!("… and {} more", n - LIST_LIMIT)}</li> },
            )
        };
        view! {
            <details class=format!("diag-group sev-{}", sev.as_str()) open=sev != Severity::Info>
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
