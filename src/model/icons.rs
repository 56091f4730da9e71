//! Pictograms of the node kinds: one stroked path per kind on a 24×24 grid. Shared by the
//! page's canvas and palette (`src/app/icons.rs`) and the image export (`src/export/image`), so
//! an exported picture shows the same glyphs as the canvas.

use super::{Group, Kind};

/// Path data of the kind's pictogram, 24×24, drawn with a stroke and no fill.
pub fn icon_path(kind: Kind) -> &'static str {
    match kind {
        // A cloud.
        Kind::Provider => "M7 18h10a4 4 0 0 0 .6-7.95A6 6 0 0 0 6.2 9.1 4.5 4.5 0 0 0 7 18z",
        // A globe segment with a pin.
        Kind::Region => "M12 21s-6-5.6-6-10a6 6 0 0 1 12 0c0 4.4-6 10-6 10zM12 8.5v5M9.5 11h5",
        // Two stacked slabs.
        Kind::Zone => "M4 8l8-4 8 4-8 4zM4 12l8 4 8-4M4 16l8 4 8-4",
        // A bracketed network block.
        Kind::Subnet => "M8 4H5v16h3M16 4h3v16h-3M9 9h6M9 12h6M9 15h6",
        // The helm wheel.
        Kind::KubernetesCluster => {
            "M12 3l7.5 3.6 1.8 8.1-5.2 6.5H7.9l-5.2-6.5 1.8-8.1zM12 8v8M8 12h8M9.2 9.2l5.6 5.6M14.8 9.2l-5.6 5.6"
        }
        // A whale-ish container stack.
        Kind::SwarmCluster => "M3 14h16c0 3-3 5-8 5s-8-2-8-5zM6 11h3v3H6zM9.5 11h3v3h-3zM13 11h3v3h-3zM9.5 7.5h3v3h-3z",
        // A dashed frame.
        Kind::Namespace => "M4 7V4h3M17 4h3v3M20 17v3h-3M7 20H4v-3M10 4h4M10 20h4M4 10v4M20 10v4",
        // A cube.
        Kind::Workload => "M12 3l8 4.5v9L12 21l-8-4.5v-9zM12 12l8-4.5M12 12L4 7.5M12 12v9",
        // A cylinder.
        Kind::Database => "M5 6c0-1.7 3.1-3 7-3s7 1.3 7 3-3.1 3-7 3-7-1.3-7-3zM5 6v12c0 1.7 3.1 3 7 3s7-1.3 7-3V6M5 12c0 1.7 3.1 3 7 3s7-1.3 7-3",
        // A lightning bolt.
        Kind::Cache => "M13 3L5 14h6l-1 7 8-11h-6z",
        // Three queued messages.
        Kind::Queue => "M3 7h12M3 12h12M3 17h12M18 5l3 2-3 2M18 15l3 2-3 2",
        // A bucket.
        Kind::ObjectStorage => "M4 6h16l-2 14H6zM4 6c0-1.7 3.6-3 8-3s8 1.3 8 3",
        // A box with a tag.
        Kind::ContainerRegistry => "M3 8h18v12H3zM7 8V4h10v4M8 13h8M8 16h5",
        // A fork: one in, three out.
        Kind::LoadBalancer => "M3 12h6M9 12l6-6h5M9 12h11M9 12l6 6h5",
        // An arrow through a door.
        Kind::IngressController => "M14 4h6v16h-6M3 12h11M10 8l4 4-4 4",
        // A mesh of points.
        Kind::ServiceMesh => "M6 6l12 0M6 6l6 12M18 6l-6 12M6 6l-2 0M5 5h2v2H5zM17 5h2v2h-2zM11 17h2v2h-2z",
        // A signpost.
        Kind::GeoRouter => "M12 3v18M12 5h7l2 2.5-2 2.5h-7M12 12H5l-2 2.5L5 17h7",
        // A globe.
        Kind::Cdn => "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM3 12h18M12 3c-3 3.5-3 14.5 0 18M12 3c3 3.5 3 14.5 0 18",
        // A shield.
        Kind::Waf => "M12 3l8 3v6c0 4.5-3.4 8-8 9-4.6-1-8-4.5-8-9V6zM9 12l2 2 4-4",
        // A padlock over a tunnel.
        Kind::VpnGateway => "M7 11V8a5 5 0 0 1 10 0v3M5 11h14v10H5zM12 15v2",
        // A pulse line.
        Kind::Monitoring => "M3 12h4l2-6 4 12 2-6h6",
        // Lines of a log.
        Kind::Logging => "M5 4h14v16H5zM8 8h8M8 12h8M8 16h5",
        // Spans on a timeline.
        Kind::Tracing => "M4 6h10M7 11h10M10 16h10M4 4v16",
        // A key.
        Kind::SecretStore => "M8 15a4 4 0 1 1 3.5-6h9.5v3h-2v3h-3v-3h-4.5A4 4 0 0 1 8 15z",
        // Sliders.
        Kind::ConfigStore => "M5 4v16M12 4v16M19 4v16M3 8h4M10 15h4M17 10h4",
        // An eye.
        Kind::SecurityService => "M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12zM12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6z",
        // A loop with an arrow.
        Kind::CiCd => "M20 12a8 8 0 1 1-3-6.2M20 4v5h-5",
        // Two people.
        Kind::UserGroup => "M9 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM3 20c0-3.3 2.7-6 6-6s6 2.7 6 6M16 5.5a3 3 0 0 1 0 5.5M18 14.5c1.8.8 3 2.8 3 5.5",
        // A box with an arrow leaving it.
        Kind::ExternalSystem => "M14 4h6v6M20 4l-9 9M18 14v6H4V6h6",
    }
}

/// The CSS class carrying a group's colour (`group-data`).
pub fn group_class(group: Group) -> &'static str {
    match group {
        Group::Providers => "group-providers",
        Group::Network => "group-network",
        Group::Compute => "group-compute",
        Group::Data => "group-data",
        Group::Operations => "group-operations",
        Group::External => "group-external",
    }
}
