//! The settings of a workload's rollout strategy: canary traffic steps, the feature flags and
//! header rules of an A/B test, and the analysis that judges any progressive rollout (the
//! Flagger `Canary` the Kubernetes export writes).

use leptos::prelude::*;

use super::super::fields::{parsed_field, text_field};
use super::super::state::{use_state, EditorState};
use crate::model::{input, NodeSpec, RolloutAnalysis, Strategy};

/// The fields of the strategy the workload has now; rebuilt only when the strategy changes.
pub(super) fn strategy_details(id: String) -> impl IntoView {
    let st = use_state();
    let id_s = id.clone();
    let name = Memo::new(move |_| {
        st.design.with(|d| {
            d.node(&id_s)
                .and_then(|n| n.spec.workload())
                .map_or("rolling", |w| super::strategy_name(&w.strategy))
        })
    });
    move || match name.get() {
        "canary" => view! {
            <fieldset class="strategy" data-testid="strategy-details">
                <legend>"Canary"</legend>
                {canary_fields(id.clone())}
                {analysis_fields(id.clone(), false)}
            </fieldset>
        }
        .into_any(),
        "ab_testing" => view! {
            <fieldset class="strategy" data-testid="strategy-details">
                <legend>"A/B testing"</legend>
                {ab_fields(id.clone())}
                {analysis_fields(id.clone(), true)}
            </fieldset>
        }
        .into_any(),
        "blue_green" => view! {
            <fieldset class="strategy" data-testid="strategy-details">
                <legend>"Blue-green"</legend>
                <p class="muted">"The new version runs beside the old one and is tested for a number of checks; then all traffic switches at once."</p>
                {analysis_fields(id.clone(), true)}
            </fieldset>
        }
        .into_any(),
        "recreate" => view! {
            <p class="muted" data-testid="strategy-details">"Recreate stops every old replica before the new ones start: a short outage, never two versions side by side (schema changes, maintenance windows)."</p>
        }
        .into_any(),
        _ => ().into_any(),
    }
}

/// Reads the workload's strategy (untracked), for checks across two fields.
fn strategy_of(st: EditorState, id: &str) -> Strategy {
    st.design.with_untracked(|d| {
        d.node(id)
            .and_then(|n| n.spec.workload())
            .map(|w| w.strategy.clone())
            .unwrap_or_default()
    })
}

/// Changes the workload's strategy in place with `f`.
fn edit_strategy(st: EditorState, id: &str, f: impl FnOnce(&mut Strategy)) {
    st.edit(|d| {
        if let Some(NodeSpec::Workload(w)) = d.node_mut(id).map(|n| &mut n.spec) {
            f(&mut w.strategy)
        }
    })
}

fn canary_weights(s: &Strategy) -> (u8, u8) {
    match s {
        Strategy::Canary {
            step_weight,
            max_weight,
        } => (*step_weight, *max_weight),
        _ => (0, 0),
    }
}

fn canary_fields(id: String) -> impl IntoView {
    let st = use_state();
    let read = move |id: String, f: fn((u8, u8)) -> u8| {
        move || {
            st.design.with(|d| {
                d.node(&id)
                    .and_then(|n| n.spec.workload())
                    .map(|w| f(canary_weights(&w.strategy)).to_string())
                    .unwrap_or_default()
            })
        }
    };
    let (id1, id2, id3, id4) = (id.clone(), id.clone(), id.clone(), id.clone());
    let parse_step = move |t: &str| {
        let step = input::parse_bounded(t, 1, 100, "The step")? as u8;
        let (_, max) = canary_weights(&strategy_of(st, &id1));
        if step > max {
            return Err(format!("The step is at most the maximum weight ({max} %)"));
        }
        Ok(step)
    };
    let parse_max = move |t: &str| {
        let max = input::parse_bounded(t, 1, 100, "The maximum weight")? as u8;
        let (step, _) = canary_weights(&strategy_of(st, &id2));
        if max < step {
            return Err(format!("The maximum weight is at least the step ({step} %)"));
        }
        Ok(max)
    };
    let set_step = move |v: u8| {
        edit_strategy(st, &id3, |s| {
            if let Strategy::Canary { step_weight, .. } = s {
                *step_weight = v
            }
        })
    };
    let set_max = move |v: u8| {
        edit_strategy(st, &id4, |s| {
            if let Strategy::Canary { max_weight, .. } = s {
                *max_weight = v
            }
        })
    };
    view! {
        <div class="field-row">
            {parsed_field("Step (% of traffic)", "field-canary-step".into(), read(id.clone(), |w| w.0), parse_step, set_step, "10")}
            {parsed_field("Up to (%)", "field-canary-max".into(), read(id.clone(), |w| w.1), parse_max, set_max, "50")}
        </div>
    }
}

fn ab_fields(id: String) -> impl IntoView {
    let st = use_state();
    let read = move |id: String, f: fn(&Strategy) -> String| {
        move || {
            st.design.with(|d| {
                d.node(&id)
                    .and_then(|n| n.spec.workload())
                    .map(|w| f(&w.strategy))
                    .unwrap_or_default()
            })
        }
    };
    let (id1, id2) = (id.clone(), id.clone());
    let set_flags = move |v: String| {
        edit_strategy(st, &id1, |s| {
            if let Strategy::AbTesting { flags, .. } = s {
                *flags = input::parse_list(&v)
            }
        })
    };
    let set_headers = move |v| {
        edit_strategy(st, &id2, |s| {
            if let Strategy::AbTesting { headers, .. } = s {
                *headers = v
            }
        })
    };
    view! {
        {text_field("Feature flags (comma-separated)", "field-ab-flags".into(), read(id.clone(), |s| match s { Strategy::AbTesting { flags, .. } => flags.join(", "), _ => String::new() }), set_flags, "new-checkout, new-catalog")}
        {parsed_field("Header match (header=value)", "field-ab-headers".into(), read(id.clone(), |s| match s { Strategy::AbTesting { headers, .. } => input::headers_text(headers), _ => String::new() }), input::parse_headers, set_headers, "x-beta=on")}
        <p class="muted">"Requests with a flag's x-feature-<flag>: on header, or a matching header, see the new version; with neither, a canary=always cookie does."</p>
    }
}

/// One number of the rollout analysis: its label, test id suffix, bounds and accessors.
struct AnalysisField {
    label: &'static str,
    testid: &'static str,
    min: u32,
    max: u32,
    get: fn(&RolloutAnalysis) -> u32,
    set: fn(&mut RolloutAnalysis, u32),
}

const ANALYSIS: [AnalysisField; 5] = [
    AnalysisField {
        label: "Check every (min)",
        testid: "interval",
        min: 1,
        max: 60,
        get: |a| a.interval_minutes,
        set: |a, v| a.interval_minutes = v,
    },
    AnalysisField {
        label: "Failed checks to roll back",
        testid: "threshold",
        min: 1,
        max: 100,
        get: |a| a.threshold,
        set: |a, v| a.threshold = v,
    },
    AnalysisField {
        label: "Good checks to promote",
        testid: "iterations",
        min: 1,
        max: 1000,
        get: |a| a.iterations,
        set: |a, v| a.iterations = v,
    },
    AnalysisField {
        label: "Min success rate (%)",
        testid: "success",
        min: 1,
        max: 100,
        get: |a| u32::from(a.min_success_percent),
        set: |a, v| a.min_success_percent = v.min(100) as u8,
    },
    AnalysisField {
        label: "Max latency p99 (ms)",
        testid: "latency",
        min: 1,
        max: 600_000,
        get: |a| a.max_latency_ms,
        set: |a, v| a.max_latency_ms = v,
    },
];

/// The analysis of a progressive rollout; `iterations` only where the strategy counts them
/// (blue-green and A/B; a canary promotes when its weight reaches the maximum).
fn analysis_fields(id: String, iterations: bool) -> impl IntoView {
    let st = use_state();
    let fields = ANALYSIS
        .iter()
        .filter(|f| iterations || f.testid != "iterations")
        .map(|f| {
            let (id1, id2) = (id.clone(), id.clone());
            let (get, set, label) = (f.get, f.set, f.label);
            let (min, max) = (f.min, f.max);
            let value = move || {
                st.design.with(|d| {
                    d.node(&id1)
                        .and_then(|n| n.spec.workload())
                        .map(|w| get(&w.analysis).to_string())
                        .unwrap_or_default()
                })
            };
            let apply = move |v: u32| {
                st.edit(|d| {
                    if let Some(NodeSpec::Workload(w)) = d.node_mut(&id2).map(|n| &mut n.spec) {
                        set(&mut w.analysis, v)
                    }
                })
            };
            parsed_field(
                label,
                format!("field-analysis-{}", f.testid),
                value,
                move |t| input::parse_bounded(t, min, max, label),
                apply,
                "",
            )
        })
        .collect_view();
    view! {
        <details class="sub" data-testid="analysis">
            <summary>"Analysis (success rate, latency)"</summary>
            <div class="field-grid">{fields}</div>
        </details>
    }
}
