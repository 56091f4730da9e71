//! The canvas: an SVG with the viewport transform, the node tree, the edges, and the
//! gestures (pan, zoom, move, resize, connect, rubber band, palette drop).
//!
//! Pointer moves only write the feedback signals (drag offset, band, link preview); the
//! design changes once, on pointer up, through [`EditorState::edit`].

use std::collections::{BTreeSet, HashSet};

use leptos::ev;
use leptos::prelude::*;

use super::edge_view::{EdgeLabel, EdgeView};
use super::keys;
use super::node_view::node_view;
use super::state::{use_state, EditorState, Gesture, MenuAt, Selection, ROOT};
use crate::model::edit::{self, Point};
use crate::model::{snap, Kind, NodeId, Rect};

/// Size of the canvas grid, in world units.
const GRID: u32 = 24;
/// How far (screen pixels) a press travels before it becomes a drag.
const DRAG_THRESHOLD: f64 = 3.0;
/// A dragged box's edge or centre this close (screen pixels) to a neighbour's snaps to it.
const SNAP_PIXELS: f64 = 6.0;
/// A wheel zoom settles (the picture is redrawn at the new zoom) once the wheel has been
/// still this long (ms): longer than the gap between the steps of one turn of a wheel or a
/// trackpad swipe, short enough not to be noticed.
const WHEEL_SETTLE_MS: u64 = 150;

#[component]
pub fn Canvas() -> impl IntoView {
    let st = use_state();
    install_window_listeners(st);
    // The canvas size, for culling: once mounted, then on every window resize.
    let measure = move || {
        if let Some(b) = st.canvas_box() {
            st.canvas_size.set((b.width(), b.height()));
        }
    };
    Effect::new(move |_| {
        if st.canvas_el.get().is_some() {
            // Now (layout is known once mounted), and again on the next frame in case the
            // panels around the canvas were still settling.
            measure();
            request_animation_frame(measure);
        }
    });
    let resize_handle = window_event_listener(ev::resize, move |_| measure());
    on_cleanup(move || resize_handle.remove());

    // The content is drawn at `drawn`; during a view gesture the drawn layer is moved to the
    // view on screen by a CSS transform of its own element (composited: no layout, no
    // paint), and redrawn once the gesture settles.
    let transform = move || {
        let v = st.drawn.get();
        format!("translate({:.2} {:.2}) scale({:.4})", v.x, v.y, v.zoom)
    };
    // Moved by a view gesture: the margin drawn around the view shows (`overflow: visible`)
    // while the layer moves; otherwise the layer clips to the canvas, so that the browser
    // paints only what is on screen in every frame of a drag or an edit.
    let moved = Memo::new(move |_| st.viewport.get() != st.drawn.get());
    // Through the CSSOM (`style:`), which the page's CSP allows (a `style` attribute it
    // refuses). Empty: no transform.
    let layer_transform = move || {
        let (v, d) = (st.viewport.get(), st.drawn.get());
        if v == d {
            String::new()
        } else {
            let s = v.zoom / d.zoom;
            format!(
                "translate({:.2}px,{:.2}px) scale({:.5})",
                v.x - s * d.x,
                v.y - s * d.y,
                s
            )
        }
    };
    let roots = move || {
        st.children
            .with(|c| c.get(ROOT).cloned().unwrap_or_default())
    };

    let on_bg_down = move |e: ev::PointerEvent| {
        let_go(st);
        if e.button() != 0 && e.button() != 1 {
            return;
        }
        e.prevent_default();
        let start = (e.client_x() as f64, e.client_y() as f64);
        // A press just after a wheel step lands on the shield: the wheel gesture settles, and
        // a press on a box (a leaf, a container's title bar) goes to it, as it would have.
        if st.gesturing.get_untracked() && st.gesture.with_value(|g| matches!(g, Gesture::None)) {
            st.settle_view();
            st.set_gesturing(false);
            let p = st.client_to_world(start.0, start.1);
            let hit = st.design.with_untracked(|d| {
                let id = edit::node_at(d, p, &HashSet::new())?;
                let kind = d.node(&id)?.kind();
                let r = d.layout.get(&id)?;
                (!kind.is_container() || p.y < (r.y() + 30) as f64).then_some(id)
            });
            if let Some(id) = hit {
                press_node(st, &id, &e);
                return;
            }
        }
        if e.shift_key() && !st.space_down.get_untracked() && e.button() == 0 {
            let p = st.client_to_world(start.0, start.1);
            st.gesture.set_value(Gesture::Rubber {
                start: p,
                additive: true,
            });
            st.rubber.set(Some(edit::rect_from_corners(p, p)));
        } else {
            st.gesture.set_value(Gesture::Pan {
                start,
                from: st.viewport.get_untracked(),
            });
        }
    };

    let on_wheel = move |e: ev::WheelEvent| {
        e.prevent_default();
        let Some(b) = st.canvas_box() else { return };
        let sx = e.client_x() as f64 - b.left();
        let sy = e.client_y() as f64 - b.top();
        // Trackpad pinch arrives as ctrl+wheel with small deltas; a mouse wheel step is ~100.
        let delta = e.delta_y().clamp(-300.0, 300.0);
        let factor = (-delta * 0.0015).exp();
        st.set_gesturing(true);
        st.view_gesture_step(
            |v| v.zoom_at(factor, sx, sy),
            Some(std::time::Duration::from_millis(WHEEL_SETTLE_MS)),
        );
    };

    // Right-click: the menu of the node under the pointer (selected first), or of the
    // background. The DOM says which node: a container's inside lets clicks through.
    let on_context = move |e: ev::MouseEvent| {
        e.prevent_default();
        cancel(st);
        let node = e
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .and_then(|el| el.closest("[data-testid=node]").ok().flatten())
            .and_then(|el| el.get_attribute("data-id"));
        if let Some(id) = &node {
            if st.selection.with_untracked(|s| !s.nodes.contains(id)) {
                st.selection.set(Selection::node(id));
            }
        }
        super::context_menu::open_menu(
            st,
            MenuAt {
                x: e.client_x() as f64,
                y: e.client_y() as f64,
                node,
            },
        );
    };

    let grid_transform = move || {
        let v = st.viewport.get();
        format!("translate({:.2} {:.2}) scale({:.4})", v.x, v.y, v.zoom)
    };

    view! {
        <div
            data-testid="canvas"
            class="canvas"
            class:panning=move || st.space_down.get()
            class:far=move || st.far.get()
            role="application"
            aria-label="Architecture canvas"
            node_ref=st.canvas_el
            on:pointerdown=on_bg_down
            on:wheel=on_wheel
            on:contextmenu=on_context
        >
            // The grid follows the view on screen in every frame (one rectangle, cheap to
            // paint); the drawn layer above it follows through its transform.
            <svg class="canvas-grid" aria-hidden="true">
                <defs>
                    <pattern
                        id="grid"
                        width=GRID
                        height=GRID
                        patternUnits="userSpaceOnUse"
                        patternTransform=grid_transform
                    >
                        <path d=format!("M {GRID} 0 L 0 0 0 {GRID}") class="grid-line"></path>
                    </pattern>
                </defs>
                <rect
                    width="100%"
                    height="100%"
                    fill="url(#grid)"
                    data-testid="grid"
                    class="grid-bg"
                    class:hidden=move || !st.show_grid.get()
                ></rect>
            </svg>
            <svg
                class="canvas-layer"
                data-testid="canvas-layer"
                class:moved=moved
                style:transform=layer_transform
            >
                <defs>
                    <marker
                        id="arrow"
                        viewBox="0 0 10 10"
                        refX="9"
                        refY="5"
                        markerWidth="7"
                        markerHeight="7"
                        orient="auto-start-reverse"
                    >
                        <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head"></path>
                    </marker>
                </defs>
                <g class="viewport" data-testid="viewport" transform=transform>
                    // Edges, then their captions, under the nodes: nothing hides a box or its name.
                    <g class="edges">
                        <For
                            each=move || st.edge_ids.get()
                            key=|k| k.clone()
                            children=|(id, _, _)| view! { <EdgeView id=id /> }
                        />
                    </g>
                    <g class="edge-labels">
                        <For
                            each=move || st.edge_ids.get()
                            key=|k| k.clone()
                            children=|(id, _, _)| view! { <EdgeLabel id=id /> }
                        />
                    </g>
                    <g class="nodes">
                        <For each=roots key=|id| id.clone() children=node_view />
                    </g>
                    <LinkPreview />
                    <RubberBand />
                    <SnapGuides />
                </g>
            </svg>
            // Over the drawn layer while a gesture moves (`gesturing`): the browser hit-tests
            // this one box instead of thousands of boxes and links at every pointer move and
            // wheel step, and no hover state changes under the pointer.
            <div class="canvas-shield" class:on=move || st.gesturing.get()></div>
        </div>
    }
}

#[component]
fn RubberBand() -> impl IntoView {
    let st = use_state();
    move || {
        st.rubber.get().map(|r| {
            view! {
                <rect
                    class="rubber-band"
                    data-testid="rubber-band"
                    x=r.x()
                    y=r.y()
                    width=r.w()
                    height=r.h()
                ></rect>
            }
        })
    }
}

/// The alignment guides of a drag, thin whatever the zoom.
#[component]
fn SnapGuides() -> impl IntoView {
    let st = use_state();
    let slot: super::Slot = Box::new(move || {
        st.guides.with(|gs| {
            (!gs.is_empty()).then(|| gs.iter().map(guide_view).collect::<Vec<_>>().into_any())
        })
    });
    slot
}

fn guide_view(g: &snap::Guide) -> impl IntoView {
    let (x1, y1, x2, y2) = if g.vertical {
        (g.at, g.from, g.at, g.to)
    } else {
        (g.from, g.at, g.to, g.at)
    };
    view! { <line class="snap-guide" data-testid="snap-guide" x1=x1 y1=y1 x2=x2 y2=y2></line> }
}

#[component]
fn LinkPreview() -> impl IntoView {
    let st = use_state();
    move || {
        st.link.get().and_then(|(from, to)| {
            let r = st.design.with_untracked(|d| d.layout.get(&from).copied())?;
            let a = edit::border_point(r, to);
            Some(view! {
                <line class="link-preview" x1=a.x y1=a.y x2=to.x y2=to.y marker-end="url(#arrow)"></line>
            })
        })
    }
}

/// A press on the canvas (or the palette, the minimap) closes the context menu, ends a rename
/// in place and takes the focus from any field: these presses prevent their default, so the
/// focus would not leave the menu, the rename box or an inspector field by itself (and the
/// keys pressed next, Delete or Ctrl+Z, would go to the field instead of the canvas).
pub fn let_go(st: EditorState) {
    if st.menu.with_untracked(Option::is_some) {
        st.menu.set(None);
    }
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .filter(|el| {
            matches!(
                el.tag_name().to_ascii_lowercase().as_str(),
                "input" | "select" | "textarea" | "button"
            )
        })
        .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok())
    {
        let _ = el.blur();
    }
}

/// Starts dragging a node (called by the node's body on pointer down).
pub fn press_node(st: EditorState, id: &str, e: &ev::PointerEvent) {
    let_go(st);
    if e.button() != 0 {
        return;
    }
    e.stop_propagation();
    e.prevent_default();
    let start = (e.client_x() as f64, e.client_y() as f64);
    if st.space_down.get_untracked() {
        st.gesture.set_value(Gesture::Pan {
            start,
            from: st.viewport.get_untracked(),
        });
        return;
    }
    let selected = st.selection.with_untracked(|s| s.nodes.contains(id));
    if e.shift_key() {
        st.selection.update(|s| {
            if !s.nodes.remove(id) {
                s.nodes.insert(id.to_string());
            }
        });
        if selected {
            return;
        }
    } else if !selected {
        st.selection.set(Selection::node(id));
    }
    st.gesture.set_value(Gesture::Press {
        id: id.to_string(),
        start,
        moving: false,
    });
}

/// Starts a link from `id` (its connection handle).
pub fn press_handle(st: EditorState, id: &str, e: &ev::PointerEvent) {
    let_go(st);
    if e.button() != 0 {
        return;
    }
    e.stop_propagation();
    e.prevent_default();
    let p = st.client_to_world(e.client_x() as f64, e.client_y() as f64);
    st.gesture.set_value(Gesture::Connect {
        from: id.to_string(),
    });
    st.link.set(Some((id.to_string(), p)));
}

/// Starts resizing container `id` (its corner handle).
pub fn press_resize(st: EditorState, id: &str, e: &ev::PointerEvent) {
    let_go(st);
    if e.button() != 0 {
        return;
    }
    e.stop_propagation();
    e.prevent_default();
    let Some(from) = st.design.with_untracked(|d| d.layout.get(id).copied()) else {
        return;
    };
    st.gesture.set_value(Gesture::Resize {
        id: id.to_string(),
        start: (e.client_x() as f64, e.client_y() as f64),
        from,
    });
    st.resize_size.set((from.w() as f64, from.h() as f64));
    st.resizing.set(Some(id.to_string()));
}

/// Starts dragging a new node of `kind` from the palette.
pub fn press_palette(st: EditorState, kind: Kind, e: &ev::PointerEvent) {
    let_go(st);
    if e.button() != 0 {
        return;
    }
    e.prevent_default();
    st.gesture.set_value(Gesture::Palette { kind });
    st.ghost
        .set(Some((kind, e.client_x() as f64, e.client_y() as f64)));
}

fn install_window_listeners(st: EditorState) {
    let move_handle = window_event_listener(ev::pointermove, move |e| on_move(st, &e));
    let up_handle = window_event_listener(ev::pointerup, move |e| on_up(st, &e));
    let cancel_handle = window_event_listener(ev::pointercancel, move |_| cancel(st));
    let key_handle = window_event_listener(ev::keydown, move |e| keys::on_key(st, &e, true));
    let keyup_handle = window_event_listener(ev::keyup, move |e| keys::on_key(st, &e, false));
    on_cleanup(move || {
        move_handle.remove();
        up_handle.remove();
        cancel_handle.remove();
        key_handle.remove();
        keyup_handle.remove();
    });
}

pub fn cancel(st: EditorState) {
    st.gesture.set_value(Gesture::None);
    st.settle_view();
    st.set_gesturing(false);
    st.moving_roots.set(HashSet::new());
    st.moving_all.set(HashSet::new());
    st.drag_offset.set((0.0, 0.0));
    st.resizing.set(None);
    st.rubber.set(None);
    st.link.set(None);
    st.ghost.set(None);
    if st.guides.with_untracked(|g| !g.is_empty()) {
        st.guides.set(Vec::new());
    }
}

/// What a drag of `roots` snaps to: their bounds, and the boxes of the visible nodes beside
/// the first of them (same parent), the dragged ones left out.
fn snap_targets(st: EditorState, roots: &[NodeId], all: &HashSet<NodeId>) -> (Rect, Vec<Rect>) {
    let view = st.canvas_box().map(|b| {
        let v = st.viewport.get_untracked();
        let a = v.to_world(0.0, 0.0);
        let z = v.to_world(b.width(), b.height());
        edit::rect_from_corners(a, z)
    });
    st.design.with_untracked(|d| {
        let mut bounds: Option<Rect> = None;
        for id in roots {
            if let Some(r) = d.layout.get(id) {
                bounds = Some(bounds.map_or(*r, |b| edit::bounding_rect(b, *r)));
            }
        }
        let parent = roots
            .first()
            .and_then(|id| d.node(id))
            .and_then(|n| n.parent.clone());
        let others = d
            .nodes
            .iter()
            .filter(|n| n.parent == parent && !all.contains(&n.id))
            .filter_map(|n| d.layout.get(&n.id).copied())
            .filter(|r| view.is_none_or(|v| edit::rects_overlap(v, *r)))
            .collect();
        (bounds.unwrap_or(Rect(0, 0, 0, 0)), others)
    })
}

fn on_move(st: EditorState, e: &ev::PointerEvent) {
    let (cx, cy) = (e.client_x() as f64, e.client_y() as f64);
    let gesture = st.gesture.get_value();
    match gesture {
        Gesture::None => {}
        Gesture::Press { id, start, moving } => {
            let (dx, dy) = (cx - start.0, cy - start.1);
            if !moving {
                if dx.hypot(dy) < DRAG_THRESHOLD {
                    return;
                }
                let selected = st.selection.get_untracked().nodes;
                let (roots, all) = st.design.with_untracked(|d| {
                    let roots = edit::selection_roots(d, &selected);
                    let all = edit::subtrees(d, roots.iter().map(String::as_str));
                    (roots, all)
                });
                st.snap_to.set_value(snap_targets(st, &roots, &all));
                st.set_gesturing(true);
                st.moving_roots.set(roots.into_iter().collect());
                st.moving_all.set(all);
                st.gesture.set_value(Gesture::Press {
                    id,
                    start,
                    moving: true,
                });
            }
            let z = st.viewport.get_untracked().zoom;
            // Alt drags freely; otherwise the box lines up with its neighbours near by.
            let snapped = if e.alt_key() {
                snap::Snapped {
                    dx: dx / z,
                    dy: dy / z,
                    guides: Vec::new(),
                }
            } else {
                st.snap_to.with_value(|(bounds, others)| {
                    snap::snap(*bounds, dx / z, dy / z, others, SNAP_PIXELS / z)
                })
            };
            st.drag_offset.set((snapped.dx, snapped.dy));
            if st.guides.with_untracked(|g| *g != snapped.guides) {
                st.guides.set(snapped.guides);
            }
        }
        Gesture::Pan { start, from } => {
            st.set_gesturing(true);
            st.view_gesture_step(
                |_| super::state::Viewport {
                    x: from.x + cx - start.0,
                    y: from.y + cy - start.1,
                    zoom: from.zoom,
                },
                None,
            );
        }
        Gesture::Rubber { start, .. } => {
            let p = st.client_to_world(cx, cy);
            st.rubber.set(Some(edit::rect_from_corners(start, p)));
        }
        Gesture::Resize { start, from, .. } => {
            st.set_gesturing(true);
            let z = st.viewport.get_untracked().zoom;
            let w = (from.w() as f64 + (cx - start.0) / z).max(edit::MIN_CONTAINER_WIDTH as f64);
            let h = (from.h() as f64 + (cy - start.1) / z).max(edit::MIN_CONTAINER_HEIGHT as f64);
            st.resize_size.set((w, h));
        }
        Gesture::Connect { from } => {
            let p = st.client_to_world(cx, cy);
            st.link.set(Some((from, p)));
        }
        Gesture::Palette { kind } => {
            st.ghost.set(Some((kind, cx, cy)));
        }
    }
}

fn inside_canvas(st: EditorState, cx: f64, cy: f64) -> bool {
    st.canvas_box()
        .is_some_and(|b| cx >= b.left() && cx <= b.right() && cy >= b.top() && cy <= b.bottom())
}

fn on_up(st: EditorState, e: &ev::PointerEvent) {
    let (cx, cy) = (e.client_x() as f64, e.client_y() as f64);
    let gesture = st.gesture.get_value();
    match gesture {
        Gesture::None => {}
        Gesture::Press { id, moving, .. } => {
            if moving {
                finish_move(st, cx, cy);
            } else if !e.shift_key()
                && st
                    .selection
                    .with_untracked(|s| s.nodes.len() + s.edges.len() > 1)
            {
                // A plain click inside a multi-selection narrows it to the clicked node.
                st.selection.set(Selection::node(&id));
            }
        }
        Gesture::Pan { start, .. } => {
            // A click on the empty canvas (no drag) clears the selection.
            if (cx - start.0).hypot(cy - start.1) < DRAG_THRESHOLD && !e.shift_key() {
                st.selection.set(Selection::default());
            }
        }
        Gesture::Rubber { start, additive } => {
            let p = st.client_to_world(cx, cy);
            let band = edit::rect_from_corners(start, p);
            let ids = st.design.with_untracked(|d| edit::nodes_in_band(d, band));
            st.selection.update(|s| {
                if !additive {
                    *s = Selection::default();
                }
                s.nodes.extend(ids);
            });
        }
        Gesture::Resize { id, .. } => {
            let (w, h) = st.resize_size.get_untracked();
            if let Err(why) = st.try_edit_room(|d| {
                edit::resize(d, &id, w.round() as i32, h.round() as i32);
                Ok(())
            }) {
                st.refuse(why);
            }
        }
        Gesture::Connect { from } => {
            let p = st.client_to_world(cx, cy);
            let target = st
                .design
                .with_untracked(|d| edit::node_at(d, p, &HashSet::new()));
            match target {
                Some(to) if to != from => match st.try_edit(|d| edit::connect(d, &from, &to)) {
                    Ok(eid) => {
                        st.selection.set(Selection {
                            nodes: BTreeSet::new(),
                            edges: [eid].into(),
                        });
                        let (fname, tname) = (
                            st.node_label(&from).map(|l| l.1).unwrap_or_default(),
                            st.node_label(&to).map(|l| l.1).unwrap_or_default(),
                        );
                        st.notify(format!("Connected {fname} → {tname}"));
                    }
                    Err(reason) => st.refuse(reason),
                },
                _ => {}
            }
        }
        Gesture::Palette { kind } => {
            if inside_canvas(st, cx, cy) {
                drop_new_node(st, kind, st.client_to_world(cx, cy));
            }
        }
    }
    cancel(st);
}

/// Creates a node of `kind` at world point `p`, inside the innermost container there, on
/// screen and beside (not on) what is there already.
pub fn drop_new_node(st: EditorState, kind: Kind, p: Point) {
    let parent = st
        .design
        .with_untracked(|d| edit::container_at(d, p, &HashSet::new()));
    let view = st.canvas_box().map(|b| {
        let v = st.viewport.get_untracked();
        edit::rect_from_corners(v.to_world(0.0, 0.0), v.to_world(b.width(), b.height()))
    });
    match st.try_edit_room(|d| edit::add_node_in_view(d, kind, parent.as_deref(), p, view)) {
        Ok(id) => {
            st.selection.set(Selection::node(&id));
            let place = parent
                .and_then(|p| st.node_label(&p))
                .map(|(k, n)| format!(" in {} {n}", edit::kind_phrase(k)))
                .unwrap_or_default();
            st.notify(format!("Added {}{place}", kind.label()));
        }
        Err(reason) => st.refuse(reason),
    }
}

/// Commits a drag: moves the dragged nodes, and re-parents a single dragged node to the
/// container it was dropped in (or refuses, putting it back).
fn finish_move(st: EditorState, cx: f64, cy: f64) {
    let (dx, dy) = st.drag_offset.get_untracked();
    let (dx, dy) = (dx.round() as i32, dy.round() as i32);
    let roots: Vec<NodeId> = st.moving_roots.get_untracked().into_iter().collect();
    let all = st.moving_all.get_untracked();
    if roots.is_empty() || (dx == 0 && dy == 0) {
        return;
    }
    let drop_at = st.client_to_world(cx, cy);
    let result = st.try_edit_room(|d| {
        if let [id] = roots.as_slice() {
            let target = edit::container_at(d, drop_at, &all);
            let current = d.node(id).and_then(|n| n.parent.clone());
            if target != current {
                edit::reparent(d, id, target.as_deref())?;
                edit::move_nodes(d, &roots, dx, dy);
                // Dropped into a container onto a child: it lands beside the child.
                edit::clear_siblings(d, id, None);
                edit::grow_ancestors(d, id);
                return Ok(Some(target));
            }
        }
        edit::move_nodes(d, &roots, dx, dy);
        Ok(None)
    });
    match result {
        Ok(Some(target)) => {
            let place = target
                .and_then(|p| st.node_label(&p))
                .map(|(k, n)| format!("into {} {n}", edit::kind_phrase(k)))
                .unwrap_or_else(|| "to the top level".into());
            st.notify(format!("Moved {place}"));
        }
        Ok(None) => {}
        Err(reason) => st.refuse(reason),
    }
}
