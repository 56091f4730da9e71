//! The diagnostics panel: the design's findings under its policy (`validate_with`), live,
//! grouped by severity with counts. Clicking a finding selects what it concerns and brings it
//! into view. A finding can be accepted with a reason (and an optional last day): it becomes
//! a waiver in the design file and moves to *Accepted*, greyed, until it is un-accepted or
//! the waiver expires.

use std::collections::HashMap;

use leptos::prelude::*;

use super::state::{use_state, EditorState};
use crate::model::policy::is_date;
use crate::model::{limits, Waiver};
use crate::validate::{Diagnostic, Severity};

/// At most this many findings are listed per group (the counts stay exact).
const LIST_LIMIT: usize = 200;

/// Which findings a group lists.
#[derive(Clone, Copy, PartialEq)]
enum Group {
    Active(Severity),
    Accepted,
}

impl Group {
    fn holds(self, d: &Diagnostic) -> bool {
        match self {
            Group::Active(sev) => d.severity == sev && d.is_active(),
            Group::Accepted => !d.is_active(),
        }
    }

    fn class(self) -> &'static str {
        match self {
            Group::Active(sev) => sev.as_str(),
            Group::Accepted => "accepted",
        }
    }
}

#[component]
pub fn Diagnostics() -> impl IntoView {
    let st = use_state();
    let count = move |g: Group| {
        st.diagnostics
            .with(|ds| ds.iter().filter(|d| g.holds(d)).count())
    };
    let group = move |g: Group, title: &'static str| {
        let open_at_start = !matches!(g, Group::Active(Severity::Info));
        // A closed group draws no items; an open one keeps the items that did not change
        // (keyed), so an edit redraws only the findings it added or removed.
        let open = RwSignal::new(open_at_start);
        let listed = Memo::new(move |_| {
            if !open.get() {
                return Vec::new();
            }
            st.diagnostics.with(|ds| {
                let mut seen: HashMap<(&str, &[String], &str), usize> = HashMap::new();
                ds.iter()
                    .filter(|d| g.holds(d))
                    .take(LIST_LIMIT)
                    .map(|d| {
                        // Two equal findings get distinct keys: `For` needs unique keys.
                        let nth = seen
                            .entry((d.rule, d.targets.as_slice(), d.message.as_str()))
                            .and_modify(|n| *n += 1)
                            .or_insert(0);
                        // The waiver is part of the key: a finding whose waiver changes (expired,
                        // another reason) is drawn again.
                        let waiver = d
                            .accepted
                            .as_ref()
                            .map(|a| (a.waiver, a.expired, &a.reason));
                        let key = format!(
                            "{}|{}|{}|{nth}|{waiver:?}",
                            d.rule,
                            d.targets.join(","),
                            d.message
                        );
                        (key, d.clone())
                    })
                    .collect::<Vec<_>>()
            })
        });
        let items = move || view! { <For each=move || listed.get() key=|(k, _)| k.clone() children=move |(_, d)| finding(st, d) /> };
        let more = move || {
            let n = count(g);
            (n > LIST_LIMIT).then(
                || view! { <li class="muted">{format!("… and {} more", n - LIST_LIMIT)}</li> },
            )
        };
        let hidden = move || g == Group::Accepted && count(g) == 0;
        view! {
            <details
                class=format!("diag-group sev-{}", g.class())
                class:hidden=hidden
                open=open_at_start
                on:toggle=move |e| {
                    use wasm_bindgen::JsCast;
                    if let Some(d) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok()) {
                        open.set(d.open());
                    }
                }
            >
                <summary>
                    <span>{title}</span>
                    <span class=format!("badge badge-{}", g.class()) data-testid=format!("count-{}", g.class())>
                        {move || count(g)}
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
                    let active = st.diagnostics.with(|ds| ds.iter().filter(|d| d.is_active()).count());
                    (active == 0 && st.design.with(|d| !d.nodes.is_empty()))
                        .then(|| view! { <span class="all-good">"✓ no findings"</span> })
                }}
            </h2>
            {group(Group::Active(Severity::Error), "Errors")}
            {group(Group::Active(Severity::Warning), "Warnings")}
            {group(Group::Active(Severity::Info), "Notes")}
            {group(Group::Accepted, "Accepted")}
        </section>
    }
}

/// One finding: rule, message, hint, and what was decided about it.
fn finding(st: EditorState, d: Diagnostic) -> impl IntoView {
    let targets = d.targets.clone();
    let active = d.is_active();
    let class = if active {
        format!("diagnostic sev-{}", d.severity.as_str())
    } else {
        "diagnostic accepted".to_string()
    };
    let waiver_line = d.accepted.as_ref().map(|a| {
        let text = match (&a.expires, a.expired) {
            (Some(day), true) => format!("Accepted until {day} (expired): {}", a.reason),
            (Some(day), false) => format!("Accepted until {day}: {}", a.reason),
            (None, _) => format!("Accepted: {}", a.reason),
        };
        view! { <span class="waiver" data-testid="waiver-reason-text">{text}</span> }
    });
    let decision = if active {
        accept_form(st, &d).into_any()
    } else {
        let waiver = d.accepted.as_ref().map(|a| a.waiver);
        let rule = d.rule;
        view! {
            <button
                type="button"
                class="link-button"
                data-testid="unaccept-finding"
                on:click=move |e| {
                    e.stop_propagation();
                    if let Some(i) = waiver {
                        st.edit(|design| {
                            // By position, after checking it is still the waiver shown.
                            if design.waivers.get(i).is_some_and(|w| w.rule == rule) {
                                design.waivers.remove(i);
                            }
                        });
                    }
                }
            >
                "Un-accept"
            </button>
        }
        .into_any()
    };
    view! {
        <li
            class=class
            data-testid="diagnostic"
            data-rule=d.rule
            data-severity=d.severity.as_str()
            data-accepted=if active { "false" } else { "true" }
            data-targets=d.targets.join(" ")
            tabindex="0"
            title=d.hint.clone()
            on:click=move |_| st.focus(&targets)
        >
            <span class="rule">{d.rule}</span>
            <span class="message">{d.message.clone()}</span>
            {active.then(|| view! { <span class="hint">{d.hint.clone()}</span> })}
            {waiver_line}
            <span class="decision">{decision}</span>
        </li>
    }
}

/// *Accept…*: a reason (required) and an optional last day, then a waiver in the design.
fn accept_form(st: EditorState, d: &Diagnostic) -> impl IntoView {
    let editing = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let expires = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<&'static str>);
    let (rule, targets) = (d.rule.to_string(), d.targets.clone());
    let save = move || {
        let text = reason.get_untracked().trim().to_string();
        let day = expires.get_untracked();
        let checked = if text.is_empty() {
            Err("Say why this finding is accepted")
        } else if text.chars().count() > limits::MAX_TEXT_CHARS {
            Err("The reason is too long")
        } else if !day.is_empty() && !is_date(&day) {
            Err("The last day is a date, YYYY-MM-DD")
        } else {
            Ok(())
        };
        if let Err(why) = checked {
            problem.set(Some(why));
            return;
        }
        let waiver = Waiver {
            rule: rule.clone(),
            targets: targets.clone(),
            reason: text,
            expires: (!day.is_empty()).then_some(day),
        };
        st.edit(|design| design.waivers.push(waiver));
        editing.set(false);
    };
    let stop = |e: leptos::ev::MouseEvent| e.stop_propagation();
    move || {
        if !editing.get() {
            return view! {
                <button
                    type="button"
                    class="link-button"
                    data-testid="accept-finding"
                    on:click=move |e| {
                        e.stop_propagation();
                        problem.set(None);
                        editing.set(true);
                    }
                >
                    "Accept…"
                </button>
            }
            .into_any();
        }
        let save = save.clone();
        view! {
            <form
                class="waiver-form"
                data-testid="waiver-form"
                on:click=stop
                on:submit=move |e| {
                    e.prevent_default();
                    save();
                }
            >
                <label class="field">
                    <span class="field-label">"Why is this accepted? (required)"</span>
                    <input
                        type="text"
                        data-testid="waiver-reason"
                        maxlength=limits::MAX_TEXT_CHARS.to_string()
                        prop:value=move || reason.get()
                        on:input=move |e| {
                            problem.set(None);
                            reason.set(event_target_value(&e));
                        }
                    />
                </label>
                <label class="field">
                    <span class="field-label">"Until (optional, last day)"</span>
                    <input
                        type="date"
                        data-testid="waiver-expires"
                        prop:value=move || expires.get()
                        on:input=move |e| expires.set(event_target_value(&e))
                    />
                </label>
                {move || problem.get().map(|p| view! { <span class="field-error" data-testid="waiver-error">{p}</span> })}
                <div class="waiver-actions">
                    <button type="submit" class="primary" data-testid="waiver-save">"Accept"</button>
                    <button type="button" on:click=move |_| editing.set(false)>"Cancel"</button>
                </div>
            </form>
        }
        .into_any()
    }
}
