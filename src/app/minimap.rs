//! The minimap, bottom-right of the canvas: the whole design small (large containers as
//! outlines, the rest as filled cells: two paths whatever the design's size, see
//! [`crate::model::minimap`]) and the view as a rectangle. Shown when the design does not fit
//! the view, or always when pinned by its button. A click or a drag on it pans the canvas there.

use leptos::ev;
use leptos::prelude::*;

use super::state::{use_state, EditorState, Viewport};
use super::Slot;
use crate::model::edit;
use crate::model::minimap::{minimap, Minimap};
use crate::model::Rect;

/// The minimap's size in pixels.
const WIDTH: f64 = 200.0;
const HEIGHT: f64 = 140.0;

#[component]
pub fn MiniMap() -> impl IntoView {
    let st = use_state();
    let bounds = Memo::new(move |_| st.design.with(edit::content_bounds));
    let view_rect = move || view_rect(st);
    let shown = Memo::new(move |_| {
        // Not before the canvas is measured.
        bounds.get().is_some()
            && st.canvas_size.with(|s| s.0 > 0.0)
            && (st.minimap_pinned.get()
                || bounds.with(|b| b.is_some_and(|b| !edit::rect_within(b, view_rect()))))
    });
    // Only while shown does the picture follow the design.
    let slot: Slot = Box::new(move || {
        shown
            .get()
            .then(|| st.design.with(|d| minimap(d, WIDTH, HEIGHT)))
            .flatten()
            .map(|m| minimap_view(st, m))
    });
    let pinned = st.minimap_pinned;
    view! {
        <div class="minimap-area">
            {slot}
            <button
                type="button"
                class="minimap-toggle"
                data-testid="minimap-toggle"
                aria-pressed=move || pinned.get().to_string()
                title="Always show the minimap (else only when the design does not fit the view)"
                on:click=move |_| pinned.update(|p| *p = !*p)
            >
                "Map"
            </button>
        </div>
    }
}

/// The world area on screen (tracked).
fn view_rect(st: EditorState) -> Rect {
    let (w, h) = st.canvas_size.get();
    let v = st.viewport.get();
    edit::rect_from_corners(v.to_world(0.0, 0.0), v.to_world(w, h))
}

fn minimap_view(st: EditorState, m: Minimap) -> AnyView {
    let dragging = StoredValue::new(false);
    let map = StoredValue::new(m.clone());
    // Centres the view on the minimap point under the pointer.
    let pan_to = move |e: &ev::PointerEvent| {
        let Some(el) = e
            .current_target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        else {
            return;
        };
        let b = el.get_bounding_client_rect();
        let (wx, wy) = map.with_value(|m| {
            m.to_world(
                e.client_x() as f64 - b.left(),
                e.client_y() as f64 - b.top(),
            )
        });
        let (w, h) = st.canvas_size.get_untracked();
        // A view gesture: the canvas is redrawn once, when the pointer is released.
        st.view_gesture_step(
            |v| Viewport {
                x: w / 2.0 - wx * v.zoom,
                y: h / 2.0 - wy * v.zoom,
                zoom: v.zoom,
            },
            None,
        );
    };
    let on_down = move |e: ev::PointerEvent| {
        if e.button() != 0 {
            return;
        }
        e.prevent_default();
        e.stop_propagation();
        super::canvas::let_go(st);
        if let Some(el) = e
            .current_target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        {
            let _ = el.set_pointer_capture(e.pointer_id());
        }
        dragging.set_value(true);
        pan_to(&e);
    };
    let on_move = move |e: ev::PointerEvent| {
        if dragging.get_value() {
            pan_to(&e);
        }
    };
    let on_up = move |_: ev::PointerEvent| {
        dragging.set_value(false);
        st.settle_view();
    };
    let viewport = move || {
        let r = view_rect(st);
        let (x0, y0) = map.with_value(|m| m.to_mini(r.x() as f64, r.y() as f64));
        let (x1, y1) =
            map.with_value(|m| m.to_mini((r.x() + r.w()) as f64, (r.y() + r.h()) as f64));
        // Kept within the minimap (the view may be far from the design).
        let cx0 = x0.clamp(0.0, WIDTH);
        let cy0 = y0.clamp(0.0, HEIGHT);
        let cx1 = x1.clamp(0.0, WIDTH);
        let cy1 = y1.clamp(0.0, HEIGHT);
        let (w, h) = ((cx1 - cx0).max(2.0), (cy1 - cy0).max(2.0));
        format!("M{cx0:.1} {cy0:.1}h{w:.1}v{h:.1}h{:.1}Z", -w)
    };
    view! {
        <svg
            class="minimap"
            data-testid="minimap"
            role="img"
            aria-label="Minimap: click or drag to move the view"
            width=WIDTH
            height=HEIGHT
            viewBox=format!("0 0 {WIDTH} {HEIGHT}")
            on:pointerdown=on_down
            on:pointermove=on_move
            on:pointerup=on_up
            on:pointercancel=on_up
        >
            <path class="minimap-fill" d=m.fill></path>
            <path class="minimap-outlines" d=m.outlines></path>
            <path class="minimap-viewport" data-testid="minimap-viewport" d=viewport></path>
        </svg>
    }
    .into_any()
}
