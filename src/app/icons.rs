//! Icons of the node kinds: one stroked path per kind on a 24×24 grid, drawn inline (in the
//! palette inside a small `<svg>`, on the canvas inside the node's `<g>`). No files to fetch.
//! The path data lives in `model::icons`, shared with the image export.

use leptos::prelude::*;

pub use crate::model::icons::{group_class, icon_path};
use crate::model::Kind;

/// The kind's icon as a standalone inline `<svg>` (palette, inspector header).
pub fn kind_icon(kind: Kind, size: u32) -> impl IntoView {
    view! {
        <svg
            class=format!("kind-icon {}", group_class(kind.group()))
            width=size
            height=size
            viewBox="0 0 24 24"
            aria-hidden="true"
        >
            <path d=icon_path(kind)></path>
        </svg>
    }
}
