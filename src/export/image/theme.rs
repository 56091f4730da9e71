//! The colours of the exported picture: the canvas's light and dark palettes of
//! `style/main.css`, written as the SVG's own `<style>` (classes as on the canvas).

use serde::{Deserialize, Serialize};

use crate::model::{Group, Kind};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

/// The canvas variables of `style/main.css` that a drawing uses. Translucent fills are a
/// colour and an opacity (rather than `rgba()`), which every SVG renderer reads.
struct Palette {
    canvas: &'static str,
    node: &'static str,
    node_line: &'static str,
    /// Containers and their title bars: one tint at two opacities.
    tint: &'static str,
    container_opacity: &'static str,
    header_opacity: &'static str,
    ink: &'static str,
    muted: &'static str,
    edge: &'static str,
    well: &'static str,
    line: &'static str,
}

const LIGHT: Palette = Palette {
    canvas: "#ffffff",
    node: "#ffffff",
    node_line: "#b9c4d3",
    tint: "#788caa",
    container_opacity: "0.05",
    header_opacity: "0.1",
    ink: "#15202e",
    muted: "#5b6b80",
    edge: "#6b7a90",
    well: "#f7f9fc",
    line: "#d9e0ea",
};

const DARK: Palette = Palette {
    canvas: "#121a26",
    node: "#1b2433",
    node_line: "#3a4759",
    tint: "#96aac8",
    container_opacity: "0.04",
    header_opacity: "0.09",
    ink: "#e3e9f2",
    muted: "#93a3b8",
    edge: "#8d9bb0",
    well: "#1b2433",
    line: "#2a3547",
};

/// The page's font stack (`--font`): the picture uses whatever system font the viewer has.
const FONT: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

impl Theme {
    fn palette(self) -> &'static Palette {
        match self {
            Theme::Light => &LIGHT,
            Theme::Dark => &DARK,
        }
    }

    /// The canvas background, for the picture's backdrop.
    pub fn background(self) -> &'static str {
        self.palette().canvas
    }

    /// The style sheet of the picture: the canvas rules of `style/main.css` for the classes
    /// `svg.rs` writes, with this theme's colours filled in.
    pub fn css(self) -> String {
        let p = self.palette();
        let css = format!(
            ".bg{{fill:{canvas}}}\
             .box{{fill:{node};stroke:{node_line};stroke-width:1.2}}\
             .container>.box{{fill:{tint};fill-opacity:{co};stroke-width:1.4}}\
             .box-header{{fill:{tint};fill-opacity:{ho};stroke:none}}\
             .group-providers.container>.box{{stroke:{providers};stroke-dasharray:6 4}}\
             .group-compute.container>.box{{stroke:{compute}}}\
             [data-kind=subnet]>.box{{stroke-dasharray:3 3}}\
             .icon{{fill:none;stroke-width:1.8;stroke-linecap:round;stroke-linejoin:round}}\
             .icon-well{{fill:{well};stroke:none}}\
             text{{fill:{ink};font-family:{FONT}}}\
             .box-title{{font-size:13px;font-weight:650}}\
             .box-kind{{font-size:11px;font-weight:400;fill:{muted}}}\
             .leaf-name{{font-size:13px;font-weight:600}}\
             .leaf-kind{{font-size:11px;fill:{muted}}}\
             .edge-line{{fill:none;stroke:{edge};stroke-width:1.5}}\
             .edge-replication .edge-line{{stroke-dasharray:6 4;stroke:{data}}}\
             .edge-vpn .edge-line{{stroke-dasharray:2 3;stroke:{network};stroke-width:2}}\
             .edge-observes .edge-line{{stroke-dasharray:1 4;stroke-opacity:0.6}}\
             .edge-depends_on .edge-line{{stroke-dasharray:4 4}}\
             .edge-geo_route .edge-line{{stroke:{network}}}\
             .edge-label-bg{{fill:{canvas};fill-opacity:0.92;stroke:{line}}}\
             .edge-label{{font-size:10.5px;fill:{muted}}}\
             .arrow-head{{fill:{edge}}}",
            canvas = p.canvas,
            node = p.node,
            node_line = p.node_line,
            tint = p.tint,
            co = p.container_opacity,
            ho = p.header_opacity,
            well = p.well,
            ink = p.ink,
            muted = p.muted,
            edge = p.edge,
            line = p.line,
            providers = group_colour(Group::Providers),
            compute = group_colour(Group::Compute),
            data = group_colour(Group::Data),
            network = group_colour(Group::Network),
        );
        css
    }
}

/// The colour of a kind's group (icons are stroked with it): the same in both themes, so it is
/// written on the icon itself rather than in the style sheet.
pub fn kind_colour(kind: Kind) -> &'static str {
    group_colour(kind.group())
}

/// The group colours of `style/main.css` (`--c-*`).
fn group_colour(group: Group) -> &'static str {
    match group {
        Group::Providers => "#7a5af5",
        Group::Network => "#0f9d8a",
        Group::Compute => "#2f7de1",
        Group::Data => "#d9730d",
        Group::Operations => "#8a6d3b",
        Group::External => "#c2417a",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_themes_differ_in_every_canvas_colour_but_share_the_group_colours() {
        let (light, dark) = (Theme::Light.css(), Theme::Dark.css());
        assert_ne!(light, dark);
        for c in [LIGHT.canvas, LIGHT.ink, LIGHT.node_line, LIGHT.edge] {
            assert!(light.contains(c) && !dark.contains(c), "{c}");
        }
        assert_eq!(kind_colour(Kind::Database), "#d9730d");
        assert_eq!(kind_colour(Kind::Provider), "#7a5af5");
        assert_eq!(Theme::Dark.background(), "#121a26");
    }

    #[test]
    fn the_style_sheet_cannot_close_its_element() {
        assert!(!Theme::Light.css().contains('<') && !Theme::Dark.css().contains('<'));
    }
}
