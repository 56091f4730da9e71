//! The canvas's context menu (right-click, Shift+F10, the menu key): on a component Rename,
//! Duplicate, Delete, Move into ▸ (the containers the placement rules allow) and Move out; on
//! the background Paste, Select all, Fit and Tidy. Built from a list ([`entries`]) of commands
//! from the command table (label, shortcut, enabled-when, run: [`crate::commands`]); Move into
//! and Move out name their target, so they are rows of their own. Keyboard: arrows, Home/End,
//! Enter, →/← for the submenu, Escape.
//!
//! One non-generic view per row, closures boxed (see `fields.rs`: generic views are compiled
//! once per call site).

use std::rc::Rc;

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::commands::{self, move_to};
use super::state::{use_state, EditorState, MenuAt};
use super::Slot;
use crate::commands::{command_of, CommandId};
use crate::model::{edit, NodeId};

/// What choosing a row does.
type Action = Rc<dyn Fn()>;

/// A row of the menu.
struct Item {
    label: String,
    testid: String,
    /// The shortcut that does the same, shown on the right.
    keys: String,
    run: Action,
}

enum Entry {
    Item(Item),
    /// A row that opens a submenu.
    Sub {
        label: &'static str,
        testid: &'static str,
        items: Vec<Item>,
    },
}

fn item(label: impl Into<String>, testid: &str, run: impl Fn() + 'static) -> Entry {
    Entry::Item(Item {
        label: label.into(),
        testid: testid.to_string(),
        keys: String::new(),
        run: Rc::new(run),
    })
}

/// The row of command `id`, when it is enabled.
fn command_item(st: EditorState, id: CommandId, testid: &str) -> Option<Entry> {
    let c = command_of(id);
    commands::enabled_now(st, id).then(|| {
        Entry::Item(Item {
            label: c.label.to_string(),
            testid: testid.to_string(),
            keys: c.short_keys(),
            run: Rc::new(move || commands::run(st, id, false)),
        })
    })
}

/// The rows of the menu opened at `at`.
fn entries(st: EditorState, at: &MenuAt) -> Vec<Entry> {
    let mut rows = Vec::new();
    let Some(id) = at.node.clone() else {
        rows.extend(command_item(st, CommandId::Paste, "menu-paste"));
        rows.extend(command_item(st, CommandId::SelectAll, "menu-select-all"));
        rows.extend(command_item(st, CommandId::Fit, "menu-fit"));
        rows.extend(command_item(st, CommandId::Tidy, "menu-tidy"));
        return rows;
    };
    // Rename and the moves concern one component; duplicate and delete the whole selection.
    let one = st
        .selection
        .with_untracked(|s| s.nodes.len() == 1 && s.edges.is_empty());
    rows.extend(command_item(st, CommandId::Rename, "menu-rename"));
    rows.extend(command_item(st, CommandId::Duplicate, "menu-duplicate"));
    rows.extend(command_item(st, CommandId::Delete, "menu-delete"));
    if !one {
        return rows;
    }
    let (into, out) = st.design.with_untracked(|d| {
        let label = |c: &str| {
            d.node(c).map_or_else(String::new, |n| {
                format!("{} ({})", n.name, edit::kind_phrase(n.kind()))
            })
        };
        let into: Vec<(NodeId, String)> = edit::containers_for(d, &id)
            .into_iter()
            .map(|c| {
                let l = label(&c);
                (c, l)
            })
            .collect();
        let out = edit::move_out_target(d, &id).map(|t| {
            let l = match &t {
                Some(p) => format!("Move out to {}", label(p)),
                None => "Move out to the top level".to_string(),
            };
            (t, l)
        });
        (into, out)
    });
    if !into.is_empty() {
        let items = into
            .into_iter()
            .map(|(c, label)| {
                let (id, testid) = (id.clone(), format!("menu-into-{c}"));
                Item {
                    label,
                    testid,
                    keys: String::new(),
                    run: Rc::new(move || move_to(st, &id, Some(&c))),
                }
            })
            .collect();
        rows.push(Entry::Sub {
            label: "Move into",
            testid: "menu-move-into",
            items,
        });
    }
    if let Some((target, label)) = out {
        rows.push(item(label, "menu-move-out", move || {
            move_to(st, &id, target.as_deref())
        }));
    }
    rows
}

/// Opens the menu from the keyboard: on the selected component (at its top-left corner), or
/// on the background in the middle of the canvas.
pub fn open_for_selection(st: EditorState) {
    let Some(b) = st.canvas_box() else { return };
    let node = st.selection.with_untracked(|s| {
        (s.nodes.len() == 1)
            .then(|| s.nodes.first().cloned())
            .flatten()
    });
    let v = st.viewport.get_untracked();
    let (x, y) = match node
        .as_ref()
        .and_then(|id| st.design.with_untracked(|d| d.layout.get(id).copied()))
    {
        Some(r) => (
            b.left() + v.x + (r.x() + 12) as f64 * v.zoom,
            b.top() + v.y + (r.y() + 12) as f64 * v.zoom,
        ),
        None => (b.left() + b.width() / 2.0, b.top() + b.height() / 2.0),
    };
    open_menu(st, MenuAt { x, y, node });
}

/// The menu, while open. It closes on Escape, Tab, a choice, a press on the canvas
/// (`canvas::let_go`) or when the focus leaves it (a press anywhere else).
#[component]
pub fn ContextMenu() -> impl IntoView {
    let st = use_state();
    let slot: Slot = Box::new(move || st.menu.get().map(|at| menu_view(st, at)));
    slot
}

fn focus_first(menu: &web_sys::Element) {
    if let Some(el) = menu_items(menu).first() {
        let _ = el.focus();
    }
}

/// The rows of one menu element, its submenu's left out (walked, not queried: no NodeList).
fn menu_items(menu: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    let mut items = Vec::new();
    let mut cur = menu.first_element_child();
    while let Some(el) = cur {
        let row = if el.class_list().contains("menu-sub") {
            el.first_element_child()
        } else {
            Some(el.clone())
        };
        if let Some(r) = row.filter(|r| r.get_attribute("role").as_deref() == Some("menuitem")) {
            if let Ok(h) = r.dyn_into::<web_sys::HtmlElement>() {
                items.push(h);
            }
        }
        cur = el.next_element_sibling();
    }
    items
}

/// Moves the focus within the menu holding the focused row: by `step` rows, wrapping, or to
/// the first (`i32::MIN`) or last (`i32::MAX`) one.
fn move_focus(step: i32) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(active) = doc.active_element() else {
        return;
    };
    let Some(menu) = active.closest("[role=menu]").ok().flatten() else {
        return;
    };
    let items = menu_items(&menu);
    if items.is_empty() {
        return;
    }
    let n = items.len() as i32;
    let at = items
        .iter()
        .position(|e| **e == active)
        .map_or(-1, |i| i as i32);
    let next = match step {
        i32::MIN => 0,
        i32::MAX => n - 1,
        s => (at + s).rem_euclid(n),
    };
    let _ = items[next as usize].focus();
}

/// Keeps the open menu on screen near the window's edges (the submenu opens to the left
/// when there is no room on the right) and focuses its first row; on the frame after it is
/// drawn, when its size is known.
pub fn place_menu() {
    let Some(win) = web_sys::window() else { return };
    let Some(el) = win.document().and_then(|d| {
        d.query_selector("[data-testid=context-menu]")
            .ok()
            .flatten()
    }) else {
        return;
    };
    let r = el.get_bounding_client_rect();
    let n = |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64());
    let ww = n(win.inner_width()).unwrap_or(1024.0);
    let wh = n(win.inner_height()).unwrap_or(768.0);
    let x = r.left().min(ww - r.width() - 4.0).max(4.0);
    let y = r.top().min(wh - r.height() - 4.0).max(4.0);
    // Through the CSSOM, which the page's CSP allows (a `style` attribute it blocks).
    if let Some(h) = el.dyn_ref::<web_sys::HtmlElement>() {
        let _ = h.style().set_property("left", &format!("{x:.0}px"));
        let _ = h.style().set_property("top", &format!("{y:.0}px"));
    }
    if x + 2.0 * r.width() + 8.0 > ww {
        if let Ok(Some(sub)) = el.query_selector(".submenu") {
            let _ = sub.class_list().add_1("flip");
        }
    }
    focus_first(&el);
}

/// Opens the menu at `at`.
pub fn open_menu(st: EditorState, at: MenuAt) {
    st.renaming.set(None);
    st.menu.set(Some(at));
    request_animation_frame(place_menu);
}

/// The element an event is on, as an element.
fn current(e: &web_sys::Event) -> Option<web_sys::Element> {
    e.current_target().and_then(|t| t.dyn_into().ok())
}

fn menu_view(st: EditorState, at: MenuAt) -> AnyView {
    let rows = entries(st, &at);
    let on_key = move |e: ev::KeyboardEvent| {
        // The menu has the keyboard: no canvas shortcut (Delete!) acts behind it.
        e.stop_propagation();
        let active = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element());
        let in_sub = active
            .as_ref()
            .and_then(|a| a.closest(".submenu").ok().flatten())
            .is_some();
        let on_trigger = active
            .as_ref()
            .is_some_and(|a| a.get_attribute("aria-haspopup").is_some());
        let menu = current(&e);
        match e.key().as_str() {
            "Escape" | "ArrowLeft" if in_sub => {
                e.prevent_default();
                if let Some(t) = menu
                    .and_then(|m| {
                        m.query_selector(".menu-sub > [role=menuitem]")
                            .ok()
                            .flatten()
                    })
                    .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = t.focus();
                }
            }
            "Escape" | "Tab" => {
                e.prevent_default();
                st.menu.set(None);
            }
            "ArrowDown" => {
                e.prevent_default();
                move_focus(1);
            }
            "ArrowUp" => {
                e.prevent_default();
                move_focus(-1);
            }
            "Home" => {
                e.prevent_default();
                move_focus(i32::MIN);
            }
            "End" => {
                e.prevent_default();
                move_focus(i32::MAX);
            }
            "ArrowRight" if on_trigger => {
                e.prevent_default();
                open_sub(menu);
            }
            _ => {}
        }
    };
    // A press elsewhere takes the focus away: the menu closes.
    let on_focus_out = move |e: ev::FocusEvent| {
        let to_inside = e
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest(".context-menu").ok().flatten())
            .is_some();
        if !to_inside {
            st.menu.set(None);
        }
    };
    let views: Vec<AnyView> = rows
        .into_iter()
        .map(|row| match row {
            Entry::Item(it) => row_view(st, it),
            Entry::Sub {
                label,
                testid,
                items,
            } => sub_view(st, label, testid, items),
        })
        .collect();
    view! {
        <div
            class="context-menu"
            role="menu"
            data-testid="context-menu"
            aria-label=if at.node.is_some() { "Component" } else { "Canvas" }
            style:left=format!("{:.0}px", at.x)
            style:top=format!("{:.0}px", at.y)
            on:keydown=on_key
            on:focusout=on_focus_out
        >
            {views}
        </div>
    }
    .into_any()
}

/// Shows the submenu of `within` (it shows while its row has the pointer or the focus is in
/// it) by focusing its first row.
fn open_sub(within: Option<web_sys::Element>) {
    if let Some(sub) = within.and_then(|r| r.query_selector(".submenu").ok().flatten()) {
        focus_first(&sub);
    }
}

/// A row.
fn row_view(st: EditorState, it: Item) -> AnyView {
    let run = it.run;
    view! {
        <button
            type="button"
            role="menuitem"
            tabindex="-1"
            class="menu-item"
            data-testid=it.testid
            on:click=move |_| {
                st.menu.set(None);
                run();
            }
        >
            <span class="menu-label">{it.label}</span>
            <kbd class="menu-keys">{it.keys}</kbd>
        </button>
    }
    .into_any()
}

/// A row with a submenu, shown by CSS while the row has the pointer or the focus is in it.
fn sub_view(
    st: EditorState,
    label: &'static str,
    testid: &'static str,
    items: Vec<Item>,
) -> AnyView {
    let rows: Vec<AnyView> = items.into_iter().map(|it| row_view(st, it)).collect();
    view! {
        <div class="menu-sub" role="none">
            <button
                type="button"
                role="menuitem"
                tabindex="-1"
                class="menu-item"
                aria-haspopup="menu"
                data-testid=testid
                on:click=|e: ev::MouseEvent| open_sub(current(&e).and_then(|b| b.parent_element()))
            >
                <span class="menu-label">{label}</span>
                <span class="menu-keys">"▸"</span>
            </button>
            <div class="context-menu submenu" role="menu" aria-label=label data-testid=format!("{testid}-list")>
                {rows}
            </div>
        </div>
    }
    .into_any()
}
