//! One node on the canvas: a labelled box with the kind's icon, nested children for
//! containers, a connection handle, a resize handle for containers, and a marker when a rule
//! flags it.
//!
//! Each node reads only its own slice of the design through memos, so a commit re-renders the
//! nodes that changed and a drag re-renders only the dragged subtree's transform.

use leptos::either::Either;
use leptos::prelude::*;

use super::canvas::{press_handle, press_node, press_resize};
use super::icons::{group_class, icon_path};
use super::state::use_state;
use crate::model::label::{clip_to, fit_lines, text_width};
use crate::model::{Kind, NodeId, Rect};
use crate::validate::Severity;

/// The view of node `id` and, for containers, everything inside it.
pub fn node_view(id: NodeId) -> AnyView {
    let st = use_state();
    let Some(kind) = st.design.with_untracked(|d| d.node(&id).map(|n| n.kind())) else {
        return ().into_any();
    };
    let Some(sigs) = st.node_sigs(&id) else {
        return ().into_any();
    };
    let container = kind.is_container();

    let name = Memo::new(move |_| sigs.data.with(|d| d.name.clone()));
    let parent = Memo::new(move |_| sigs.data.with(|d| d.parent.clone()));
    let stored = Memo::new(move |_| sigs.data.with(|d| d.rect));
    // The box as drawn: the stored one, or the live size while being resized.
    let rect = Memo::new(move |_| {
        let r = stored.get();
        if sigs.resizing.get() {
            let (w, h) = st.resize_size.get();
            Rect(r.x(), r.y(), w.round() as i32, h.round() as i32)
        } else {
            r
        }
    });
    let moving_me = sigs.moving_root;
    let transform = move || {
        moving_me.get().then(|| {
            let (dx, dy) = st.drag_offset.get();
            format!("translate({dx:.1} {dy:.1})")
        })
    };
    let selected = sigs.selected;
    let mark = sigs.mark;

    let id_down = id.clone();
    let on_down = move |e: leptos::ev::PointerEvent| press_node(st, &id_down, &e);
    let id_rename = id.clone();
    let on_dbl = move |e: leptos::ev::MouseEvent| {
        e.stop_propagation();
        st.start_rename(&id_rename);
    };
    let id_handle = id.clone();
    let on_handle = move |e: leptos::ev::PointerEvent| press_handle(st, &id_handle, &e);

    let class = move || {
        let mut c = format!(
            "node {} {}",
            if container { "container" } else { "leaf" },
            group_class(kind.group())
        );
        if selected.get() {
            c.push_str(" selected");
        }
        match mark.get() {
            Some(Severity::Error) => c.push_str(" has-error"),
            Some(Severity::Warning) => c.push_str(" has-warning"),
            _ => {}
        }
        if moving_me.get() {
            c.push_str(" moving");
        }
        c
    };

    // Off the drawn area (large designs only), a node is an empty <g>: its box, handles and
    // everything inside it are made when it comes into view.
    let near = sigs.shown;
    let shown = Memo::new(move |_| near.get() || moving_me.get());

    let body = move || {
        if container {
            Either::Left(container_body(kind, rect, name))
        } else {
            Either::Right(leaf_body(kind, rect, name))
        }
    };

    let id_kids = id.clone();
    let children = move || {
        container.then(|| {
            let id_kids = id_kids.clone();
            let kids = move || {
                st.children
                    .with(|c| c.get(&id_kids).cloned().unwrap_or_default())
            };
            view! {
                <g class="children">
                    <For each=kids key=|id| id.clone() children=node_view />
                </g>
            }
        })
    };

    let id_rs = id.clone();
    let resize_handle = move || {
        container.then(|| {
            let id_rs = id_rs.clone();
            let on_resize = move |e: leptos::ev::PointerEvent| press_resize(st, &id_rs, &e);
            view! {
                <rect
                    class="resize-handle"
                    data-testid="resize-handle"
                    x=move || rect.get().x() + rect.get().w() - 12
                    y=move || rect.get().y() + rect.get().h() - 12
                    width="12"
                    height="12"
                    on:pointerdown=on_resize
                ></rect>
            }
        })
    };

    let marker = move || {
        mark.get().map(|sev| {
            let r = rect.get();
            view! {
                <circle
                    class=format!("marker marker-{}", sev.as_str())
                    data-testid="node-marker"
                    cx=r.x() + r.w() - 2
                    cy=r.y() + 2
                    r="6"
                ></circle>
            }
        })
    };

    view! {
        <g
            data-testid="node"
            data-id=id.clone()
            data-kind=kind.as_str()
            data-parent=move || parent.get().unwrap_or_default()
            data-name=move || name.get()
            class=class
            transform=transform
        >
            {move || shown.get().then(|| {
                let (on_down, on_handle, on_dbl) = (on_down.clone(), on_handle.clone(), on_dbl.clone());
                view! {
                    <g class="node-body" on:pointerdown=on_down on:dblclick=on_dbl>
                        // The whole name, as a tooltip: the box may show it shortened.
                        <title>{move || name.get()}</title>
                        {body()}
                    </g>
                    {children()}
                    <circle
                        class="link-handle"
                        data-testid="link-handle"
                        cx=move || rect.get().x() + rect.get().w()
                        cy=move || {
                            let r = rect.get();
                            if container { r.y() + 15 } else { r.y() + r.h() / 2 }
                        }
                        r="6"
                        on:pointerdown=on_handle
                    >
                    </circle>
                    {resize_handle()}
                    {marker}
                }
            })}
        </g>
    }
    .into_any()
}

/// Room a container's title bar leaves for the name: after the icon, before the marker.
const TITLE_ROOM: i32 = 60;
/// Room a leaf leaves for its name: after the icon well, with a margin on the right.
const LEAF_ROOM: i32 = 60;
/// Font sizes of names and kinds on the canvas (style/main.css).
const NAME_PX: f64 = 13.0;
const KIND_PX: f64 = 11.0;

fn container_body(kind: Kind, rect: Memo<Rect>, name: Memo<String>) -> impl IntoView {
    // The name on one line (an ellipsis only when it does not fit), then the kind when there
    // is room left for it.
    let title = Memo::new(move |_| {
        let room = (rect.get().w() - TITLE_ROOM) as f64;
        let shown = name.with(|n| clip_to(n, room, NAME_PX));
        let left = room - text_width(&shown, NAME_PX) - 8.0;
        let kind_label = kind.label();
        let kind_shown = if text_width(kind_label, KIND_PX) <= left {
            kind_label
        } else {
            ""
        };
        (shown, kind_shown)
    });
    view! {
        <rect
            class="box"
            x=move || rect.get().x()
            y=move || rect.get().y()
            width=move || rect.get().w()
            height=move || rect.get().h()
            rx="10"
        ></rect>
        // The inside of a container lets clicks through (to the edges and the background);
        // its border and title bar grab it.
        <rect
            class="box-grab"
            x=move || rect.get().x()
            y=move || rect.get().y()
            width=move || rect.get().w()
            height=move || rect.get().h()
            rx="10"
        ></rect>
        <rect
            class="box-header"
            x=move || rect.get().x()
            y=move || rect.get().y()
            width=move || rect.get().w()
            height="30"
            rx="10"
        ></rect>
        <g transform=move || format!("translate({} {}) scale(0.75)", rect.get().x() + 8, rect.get().y() + 6)>
            <path class="icon" d=icon_path(kind)></path>
        </g>
        <text class="box-title" x=move || rect.get().x() + 32 y=move || rect.get().y() + 20>
            {move || title.with(|t| t.0.clone())}
            <tspan class="box-kind" dx="8">{move || title.with(|t| t.1)}</tspan>
        </text>
    }
}

/// The baseline of a leaf's first name line: the name's lines and the kind below them are
/// centred on the box together.
fn name_y(r: Rect, lines: usize) -> i32 {
    let mid = r.y() + r.h() / 2;
    if lines > 1 {
        mid - 9
    } else {
        mid - 2
    }
}

fn leaf_body(kind: Kind, rect: Memo<Rect>, name: Memo<String>) -> impl IntoView {
    let lines = Memo::new(move |_| {
        let room = (rect.get().w() - LEAF_ROOM) as f64;
        name.with(|n| fit_lines(n, room, NAME_PX, 2))
    });
    view! {
        <rect
            class="box"
            x=move || rect.get().x()
            y=move || rect.get().y()
            width=move || rect.get().w()
            height=move || rect.get().h()
            rx="8"
        ></rect>
        <rect
            class="icon-well"
            x=move || rect.get().x() + 8
            y=move || rect.get().y() + rect.get().h() / 2 - 16
            width="32"
            height="32"
            rx="7"
        ></rect>
        <g transform=move || format!("translate({} {})", rect.get().x() + 12, rect.get().y() + rect.get().h() / 2 - 12)>
            <path class="icon" d=icon_path(kind)></path>
        </g>
        // One line, or two when the name does not fit one (broken between words): names that
        // differ only at the end ("OpenVPN VM (Yandex)", "OpenVPN VM (AWS)") stay apart.
        <text class="leaf-name" x=move || rect.get().x() + 48 y=move || name_y(rect.get(), lines.with(Vec::len))>
            {move || {
                let x = rect.get().x() + 48;
                lines.get().into_iter().enumerate().map(|(i, l)| view! {
                    <tspan x=x dy=if i == 0 { "0" } else { "15" }>{l}</tspan>
                }).collect_view()
            }}
        </text>
        <text class="leaf-kind" x=move || rect.get().x() + 48 y=move || name_y(rect.get(), lines.with(Vec::len)) + 15 * lines.with(Vec::len) as i32 + 1>
            {kind.label()}
        </text>
    }
}
