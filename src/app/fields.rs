//! Typed form fields for the inspector. Each field reads its value from the design through a
//! closure and writes it back through another; numbers are parsed first and an invalid entry
//! shows an inline error and never reaches the model.
//!
//! A text field applies as the user types (the canvas and the diagnostics follow each
//! letter), and everything typed before the field loses the focus is one undo step: its
//! changes are recorded under the field's own key ([`EditorState::coalescing`]) and leaving it
//! seals the step.
//!
//! Each public function boxes its closures and hands them to one non-generic view: generic
//! views are compiled once per call site (the inspector has well over a hundred), which cost
//! the page's first-load bundle tens of kilobytes.

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;

use super::state::{use_state, EditorState};
use crate::model::limits::MAX_TEXT_CHARS;

/// A key no other field instance has, for coalescing its changes into one undo step.
fn field_key() -> String {
    thread_local! {
        static NEXT: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    }
    let n = NEXT.with(|c| {
        c.set(c.get() + 1);
        c.get()
    });
    format!("field-{n}")
}

/// Applies `f` as part of the field's current undo step.
fn typed(st: EditorState, key: &str, f: impl FnOnce()) {
    st.coalescing(key, f);
}

/// Reads a field's value (reactively).
type Value<T> = Arc<dyn Fn() -> T + Send + Sync>;
/// Writes a field's value.
type Apply<T> = Rc<dyn Fn(T)>;
/// Parses a typed text and writes it, or says why not.
type ParseApply = Rc<dyn Fn(&str) -> Result<(), String>>;

/// A free-text field (any Unicode), applied as the user types.
pub fn text_field(
    label: &'static str,
    testid: String,
    value: impl Fn() -> String + Send + Sync + 'static,
    set: impl Fn(String) + 'static,
    placeholder: &'static str,
) -> AnyView {
    text_view(label, testid, Arc::new(value), Rc::new(set), placeholder)
}

fn text_view(
    label: &'static str,
    testid: String,
    value: Value<String>,
    set: Apply<String>,
    placeholder: &'static str,
) -> AnyView {
    let st = use_state();
    let key = field_key();
    view! {
        <label class="field">
            <span class="field-label">{label}</span>
            <input
                type="text"
                data-testid=testid
                placeholder=placeholder
                // The loader refuses longer texts: never let the page make a design that
                // would not open again (maxlength counts UTF-16 units, at least the chars).
                maxlength=MAX_TEXT_CHARS
                prop:value=move || value()
                on:input=move |e| typed(st, &key, || set(event_target_value(&e)))
                on:blur=move |_| st.seal_history()
            />
        </label>
    }
    .into_any()
}

/// A number typed as text and checked by `parse` before it is applied; the error shows under
/// the field (`data-testid="<testid>-error"`) and the model keeps its value.
pub fn parsed_field<T: 'static>(
    label: &'static str,
    testid: String,
    value: impl Fn() -> String + Send + Sync + 'static,
    parse: impl Fn(&str) -> Result<T, String> + 'static,
    set: impl Fn(T) + 'static,
    placeholder: &'static str,
) -> AnyView {
    let apply: ParseApply = Rc::new(move |text| parse(text).map(&set));
    parsed_view(label, testid, Arc::new(value), apply, placeholder)
}

fn parsed_view(
    label: &'static str,
    testid: String,
    value: Value<String>,
    apply: ParseApply,
    placeholder: &'static str,
) -> AnyView {
    let st = use_state();
    let key = field_key();
    let error = RwSignal::new(None::<String>);
    let error_id = format!("{testid}-error");
    view! {
        <label class="field" class:invalid=move || error.with(Option::is_some)>
            <span class="field-label">{label}</span>
            <input
                type="text"
                // A numeric keyboard only where the example is a number (ports and networks
                // are typed with letters too).
                inputmode=if placeholder.bytes().all(|b| b.is_ascii_digit() || b == b'.') { "decimal" } else { "text" }
                data-testid=testid
                placeholder=placeholder
                maxlength=MAX_TEXT_CHARS
                aria-invalid=move || error.with(Option::is_some).to_string()
                prop:value=move || value()
                on:input=move |e| typed(st, &key, || match apply(&event_target_value(&e)) {
                    Ok(()) => error.set(None),
                    Err(msg) => error.set(Some(msg)),
                })
                on:blur=move |_| st.seal_history()
            />
            {move || error.get().map(|msg| view! {
                <span class="field-error" role="alert" data-testid=error_id.clone()>{msg}</span>
            })}
        </label>
    }
    .into_any()
}

pub fn check_field(
    label: &'static str,
    testid: String,
    value: impl Fn() -> bool + Send + Sync + 'static,
    set: impl Fn(bool) + 'static,
) -> AnyView {
    check_view(label, testid, Arc::new(value), Rc::new(set))
}

fn check_view(
    label: &'static str,
    testid: String,
    value: Value<bool>,
    set: Apply<bool>,
) -> AnyView {
    view! {
        <label class="field check">
            <input
                type="checkbox"
                data-testid=testid
                prop:checked=move || value()
                on:change=move |e| set(event_target_checked(&e))
            />
            <span class="field-label">{label}</span>
        </label>
    }
    .into_any()
}

/// A choice among `(value, label)` options.
pub fn select_field(
    label: &'static str,
    testid: String,
    options: Vec<(String, String)>,
    value: impl Fn() -> String + Send + Sync + 'static,
    set: impl Fn(String) + 'static,
) -> AnyView {
    select_view(label, testid, options, Arc::new(value), Rc::new(set))
}

fn select_view(
    label: &'static str,
    testid: String,
    options: Vec<(String, String)>,
    value: Value<String>,
    set: Apply<String>,
) -> AnyView {
    // Each option knows whether it is the chosen one: setting `value` on the <select> before
    // its options exist would not stick.
    let opts = options
        .into_iter()
        .map(|(v, l)| {
            let value = value.clone();
            let mine = v.clone();
            view! { <option value=v prop:selected=move || value() == mine>{l}</option> }
        })
        .collect_view();
    view! {
        <label class="field">
            <span class="field-label">{label}</span>
            <select data-testid=testid on:change=move |e| set(event_target_value(&e))>
                {opts}
            </select>
        </label>
    }
    .into_any()
}

/// Options from a serde enum's snake_case names.
pub fn opts(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect()
}

/// The snake_case name serde gives a unit variant.
pub fn enum_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A unit variant from its snake_case name.
pub fn enum_from<T: serde::de::DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
}
