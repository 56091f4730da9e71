//! The design as a standalone SVG, drawn as the canvas draws it (`src/app/node_view.rs`,
//! `edge_view.rs`): containers as titled boxes holding their children, leaves as boxes with the
//! kind's icon, name and kind, edges as the canvas's orthogonal routes with their captions. Text
//! is `<text>`; the design file rides along in `<metadata>` (see `embed.rs`), so opening the
//! picture in the page restores the design.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

use super::embed::metadata;
use super::scene::{scene, DrawnEdge, Scene};
use super::theme::{kind_colour, Theme};
use super::xml::{escape, num};
use crate::model::edit::{clip_label, polyline_path, LABEL_CHAR_WIDTH};
use crate::model::icons::{group_class, icon_path};
use crate::model::layout::HEADER;
use crate::model::{to_json_compact, Design, Node, NodeId, Rect};

/// Room around the drawing, in canvas units.
pub const MARGIN: f64 = 24.0;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SvgOptions {
    #[serde(default)]
    pub theme: Theme,
    /// Only these nodes, everything inside them and the edges among them; `None`: everything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<Vec<NodeId>>,
}

/// The picture of `design` (or of the selection): deterministic, the same bytes for the same
/// design and options, in the CLI and the page's export worker.
pub fn svg(design: &Design, options: &SvgOptions) -> String {
    let scene = scene(design, options.selection.as_deref());
    let (x0, y0, x1, y1) = scene.bounds.unwrap_or((0.0, 0.0, 0.0, 0.0));
    let (x, y) = (x0 - MARGIN, y0 - MARGIN);
    let (w, h) = (x1 - x0 + 2.0 * MARGIN, y1 - y0 + 2.0 * MARGIN);
    let title = escape(&design.name);
    let mut out = String::with_capacity(4096 + 600 * design.nodes.len());
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{vx} {vy} {vw} {vh}\" width=\"{vw}\" height=\"{vh}\" role=\"img\" aria-label=\"{title}\">\n\
         <title>{title}</title>\n",
        vx = num(x),
        vy = num(y),
        vw = num(w),
        vh = num(h),
    );
    out.push_str(&metadata(&to_json_compact(design)));
    let _ = write!(
        out,
        "<style>{css}</style>\n\
         <defs><marker id=\"ic-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" class=\"arrow-head\"/></marker></defs>\n\
         <rect class=\"bg\" x=\"{vx}\" y=\"{vy}\" width=\"{vw}\" height=\"{vh}\"/>\n",
        css = options.theme.css(),
        vx = num(x),
        vy = num(y),
        vw = num(w),
        vh = num(h),
    );
    // As on the canvas: edges, then their captions, under the nodes.
    out.push_str("<g class=\"edges\">\n");
    for e in &scene.edges {
        edge_line(&mut out, e);
    }
    out.push_str("</g>\n<g class=\"edge-labels\">\n");
    for e in &scene.edges {
        edge_caption(&mut out, e);
    }
    out.push_str("</g>\n<g class=\"nodes\">\n");
    for n in &scene.roots {
        node(&mut out, &scene, n);
    }
    out.push_str("</g>\n</svg>\n");
    out
}

fn edge_line(out: &mut String, e: &DrawnEdge) {
    let _ = writeln!(
        out,
        "<g class=\"edge edge-{kind}\" data-id=\"{id}\"><path class=\"edge-line\" d=\"{d}\" marker-end=\"url(#ic-arrow)\"/></g>",
        kind = e.edge.kind().as_str(),
        id = escape(&e.edge.id),
        d = polyline_path(&e.route),
    );
}

fn edge_caption(out: &mut String, e: &DrawnEdge) {
    let Some((text, m)) = &e.caption else { return };
    let w = crate::model::edit::caption_width(text);
    let _ = writeln!(
        out,
        "<g class=\"edge-caption\"><rect class=\"edge-label-bg\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"18\" rx=\"4\"/><text class=\"edge-label\" x=\"{tx}\" y=\"{ty}\" text-anchor=\"middle\">{text}</text></g>",
        x = num(m.x - w / 2.0),
        y = num(m.y - 9.0),
        w = num(w),
        tx = num(m.x),
        ty = num(m.y + 4.0),
        text = escape(text),
    );
}

/// A node's group: its body, then (for a container) its drawn children inside it.
fn node(out: &mut String, scene: &Scene, n: &Node) {
    let Some(&r) = scene.rects.get(&n.id) else {
        return;
    };
    let kind = n.kind();
    let container = kind.is_container();
    let _ = write!(
        out,
        "<g class=\"node {shape} {group}\" data-id=\"{id}\" data-kind=\"{kind}\"><title>{name}</title>",
        shape = if container { "container" } else { "leaf" },
        group = group_class(kind.group()),
        id = escape(&n.id),
        kind = kind.as_str(),
        name = escape(&n.name),
    );
    if container {
        container_body(out, n, r);
        out.push('\n');
        for child in scene.children.get(n.id.as_str()).into_iter().flatten() {
            node(out, scene, child);
        }
    } else {
        leaf_body(out, n, r);
    }
    out.push_str("</g>\n");
}

fn icon(n: &Node, x: i32, y: i32, scale: &str) -> String {
    let kind = n.kind();
    format!(
        "<g transform=\"translate({x} {y}){scale}\"><path class=\"icon\" stroke=\"{colour}\" d=\"{d}\"/></g>",
        colour = kind_colour(kind),
        d = icon_path(kind),
    )
}

/// `container_body` of `node_view.rs`: box, title bar, icon, name and (room permitting) kind.
fn container_body(out: &mut String, n: &Node, r: Rect) {
    let (x, y, w, h) = (r.x(), r.y(), r.w(), r.h());
    let name = clip_label(&n.name, (w - 60) as f64 * 0.62);
    let room = w as f64 - 60.0 - n.name.chars().count() as f64 * LABEL_CHAR_WIDTH;
    let kind = if room > 90.0 { n.kind().label() } else { "" };
    let _ = write!(
        out,
        "<rect class=\"box\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"10\"/>\
         <rect class=\"box-header\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{HEADER}\" rx=\"10\"/>\
         {icon}\
         <text class=\"box-title\" x=\"{tx}\" y=\"{ty}\">{name}<tspan class=\"box-kind\" dx=\"8\">{kind}</tspan></text>",
        icon = icon(n, x + 8, y + 6, " scale(0.75)"),
        tx = x + 32,
        ty = y + 20,
        name = escape(&name),
        kind = escape(kind),
    );
}

/// `leaf_body` of `node_view.rs`: box, icon in its well, name, kind.
fn leaf_body(out: &mut String, n: &Node, r: Rect) {
    let (x, y, w, h) = (r.x(), r.y(), r.w(), r.h());
    let mid = y + h / 2;
    let _ = write!(
        out,
        "<rect class=\"box\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"8\"/>\
         <rect class=\"icon-well\" x=\"{wx}\" y=\"{wy}\" width=\"32\" height=\"32\" rx=\"7\"/>\
         {icon}\
         <text class=\"leaf-name\" x=\"{tx}\" y=\"{ny}\">{name}</text>\
         <text class=\"leaf-kind\" x=\"{tx}\" y=\"{ky}\">{kind}</text>",
        wx = x + 8,
        wy = mid - 16,
        icon = icon(n, x + 12, mid - 12, ""),
        tx = x + 48,
        ny = mid - 2,
        ky = mid + 14,
        name = escape(&clip_label(&n.name, (w - 56) as f64)),
        kind = escape(n.kind().label()),
    );
}
