//! Explicit maximums, checked before any expensive work so hostile input is refused quickly.

/// A design file or a decoded share link, in bytes.
pub const MAX_DESIGN_BYTES: usize = 8 * 1024 * 1024;
pub const MAX_NODES: usize = 20_000;
pub const MAX_EDGES: usize = 40_000;
/// Any string of a design file (names, descriptions, labels, property values, keys), in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;
pub const MAX_ID_LEN: usize = 64;
/// Containment depth (provider ⟶ region ⟶ zone ⟶ subnet ⟶ cluster ⟶ namespace ⟶ workload is 7).
pub const MAX_DEPTH: usize = 16;
/// Items of any list or map inside a node, an edge or an environment (environment variables,
/// ports, zones, overrides…), and environments: checked by the loader's first pass, with
/// [`MAX_TEXT_CHARS`] for every string of the file (see `load::scan`).
pub const MAX_LIST_ITEMS: usize = 1_000;
