//! One edge on the canvas: a straight line between the borders of its two boxes, an arrow,
//! a wide invisible stroke to click on, and (in a layer of its own, above the lines and below
//! the nodes) a caption: protocol and port, RPO… While its ends are dragged it follows them.

use leptos::prelude::*;

use super::state::{use_state, EdgeSigs};
use crate::model::edit::{self, Point};
use crate::model::{EdgeId, NodeId, Rect};

#[component]
pub fn EdgeView(id: EdgeId) -> impl IntoView {
    let st = use_state();
    let (from, to) = st
        .design
        .with_untracked(|d| d.edge(&id).map(|e| (e.from.clone(), e.to.clone())))?;
    let sigs = st.edge_sigs(&id)?;
    let edge_kind = Memo::new(move |_| sigs.data.with(|d| d.kind));
    let shown = shown_memo(sigs, &from, &to);

    let route = route_memo(from, to);
    let path = move || {
        route
            .with(|r| r.as_ref().map(|(points, _)| edit::polyline_path(points)))
            .unwrap_or_default()
    };

    let selected = sigs.selected;
    let mark = sigs.mark;
    let id_click = id.clone();
    let on_down = move |e: leptos::ev::PointerEvent| {
        if e.button() != 0 {
            return;
        }
        e.stop_propagation();
        let shift = e.shift_key();
        st.selection.update(|s| {
            if !shift {
                s.nodes.clear();
                s.edges.clear();
            }
            if !s.edges.remove(&id_click) || !shift {
                s.edges.insert(id_click.clone());
            }
        });
    };
    let class = move || {
        let mut c = format!("edge edge-{}", edge_kind.get().as_str());
        if selected.get() {
            c.push_str(" selected");
        }
        if let Some(m) = mark.get() {
            c.push_str(&format!(" has-{}", m.as_str()));
        }
        c
    };

    Some(view! {
        <g data-testid="edge" data-id=id.clone() data-kind=move || edge_kind.get().as_str() class=class on:pointerdown=on_down>
            {move || shown.get().then(|| view! {
                <path class="edge-hit" d=path></path>
                <path class="edge-line" d=path marker-end="url(#arrow)"></path>
            })}
        </g>
    })
}

/// The orthogonal route between the two end boxes and its caption point, following a drag of
/// either end.
fn route_memo(from: NodeId, to: NodeId) -> Memo<Option<(Vec<Point>, Point)>> {
    let st = use_state();
    let end = move |node: NodeId| {
        let sigs = st.node_sigs(&node);
        let stored = Memo::new(move |_| sigs.map(|s| s.data.with(|d| d.rect)));
        move || -> Option<Rect> {
            let s = sigs?;
            let r = stored.get()?;
            if s.moving.get() {
                let (dx, dy) = st.drag_offset.get();
                Some(Rect(
                    r.x() + dx.round() as i32,
                    r.y() + dy.round() as i32,
                    r.w(),
                    r.h(),
                ))
            } else {
                Some(r)
            }
        }
    };
    let from_rect = end(from);
    let to_rect = end(to);
    Memo::new(move |_| {
        let (a, b) = (from_rect()?, to_rect()?);
        Some(edit::edge_route(a, b))
    })
}

/// Whether the edge is drawn: near the view, or one of its ends being dragged.
fn shown_memo(sigs: EdgeSigs, from: &str, to: &str) -> Memo<bool> {
    let st = use_state();
    let ends = [st.node_sigs(from), st.node_sigs(to)];
    Memo::new(move |_| sigs.shown.get() || ends.iter().flatten().any(|n| n.moving.get()))
}

/// An edge's caption, drawn in a layer above the nodes so no box hides it.
#[component]
pub fn EdgeLabel(id: EdgeId) -> impl IntoView {
    let st = use_state();
    let (from, to) = st
        .design
        .with_untracked(|d| d.edge(&id).map(|e| (e.from.clone(), e.to.clone())))?;
    let sigs = st.edge_sigs(&id)?;
    let shown = shown_memo(sigs, &from, &to);
    let route = route_memo(from, to);
    let caption = Memo::new(move |_| sigs.data.with(|d| d.caption.clone()));
    let selected = sigs.selected;
    Some(move || {
        if !shown.get() {
            return None;
        }
        let text = caption.get();
        let m = route.with(|r| r.as_ref().map(|(_, label)| *label))?;
        (!text.is_empty()).then(|| {
            let w = text.chars().count() as f64 * 6.4 + 10.0;
            view! {
                <g class="edge-caption" class:selected=move || selected.get()>
                    <rect class="edge-label-bg" x=m.x - w / 2.0 y=m.y - 9.0 width=w height="18" rx="4"></rect>
                    <text class="edge-label" x=m.x y=m.y + 4.0 text-anchor="middle">{text}</text>
                </g>
            }
        })
    })
}
