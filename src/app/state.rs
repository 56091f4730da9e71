//! The editor's state: the design in one signal, the selection, the viewport, the live
//! diagnostics, and the short-lived feedback of gestures (drag offset, rubber band, link
//! preview) kept in signals of their own so that a pointer move never touches the design.
//!
//! Every change to the design goes through [`EditorState::edit`], which records it in the
//! design's [`History`] (pure, tested natively); the pure editing logic lives in
//! [`crate::model::edit`].

use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::Duration;

use leptos::prelude::*;

use crate::library::Library;
use crate::model::clip::Clip;
use crate::model::edit::{self, Point};
use crate::model::history::History;
use crate::model::snap::Guide;
use crate::model::{Design, EdgeId, EdgeKind, Kind, NodeId, Rect};
use crate::validate::{validate_with, Diagnostic, Policy, Severity};

pub use crate::model::edit::Viewport;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    pub nodes: BTreeSet<NodeId>,
    pub edges: BTreeSet<EdgeId>,
}

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.edges.is_empty()
    }

    pub fn node(id: &str) -> Self {
        Selection {
            nodes: [id.to_string()].into(),
            edges: BTreeSet::new(),
        }
    }
}

/// Where the context menu opened (client coordinates) and on what.
#[derive(Debug, Clone, PartialEq)]
pub struct MenuAt {
    pub x: f64,
    pub y: f64,
    pub node: Option<NodeId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastLevel {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub text: String,
    pub level: ToastLevel,
    pub serial: u64,
}

/// The gesture in progress, between pointer down and pointer up. Not reactive: what the
/// screen shows of it lives in the feedback signals of [`EditorState`].
#[derive(Debug, Clone, Default)]
pub enum Gesture {
    #[default]
    None,
    /// Pointer down on a node; becomes a move once the pointer travels a few pixels.
    Press {
        id: NodeId,
        start: (f64, f64),
        moving: bool,
    },
    Pan {
        start: (f64, f64),
        from: Viewport,
    },
    Rubber {
        start: Point,
        additive: bool,
    },
    Resize {
        id: NodeId,
        start: (f64, f64),
        from: Rect,
    },
    Connect {
        from: NodeId,
    },
    Palette {
        kind: Kind,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportTab {
    Kubernetes,
    /// One Helm chart per Kubernetes cluster.
    Helm,
    Compose,
    Terraform,
    Mermaid,
    Json,
    /// The canvas as an SVG (and PNG), with the design inside.
    Image,
}

/// What a node's view shows of the design; one signal per node, set only when it changes.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeData {
    pub name: String,
    pub parent: Option<NodeId>,
    pub rect: Rect,
}

/// Per-node signals. Views subscribe to these, never to the whole design or to whole-set
/// signals: a signal with thousands of subscribers makes every update quadratic.
#[derive(Clone, Copy)]
pub struct NodeSigs {
    pub data: RwSignal<NodeData>,
    pub selected: RwSignal<bool>,
    /// Dragged, and not inside another dragged node (gets the drag transform).
    pub moving_root: RwSignal<bool>,
    /// Dragged, itself or with its container (its edges follow the drag).
    pub moving: RwSignal<bool>,
    pub resizing: RwSignal<bool>,
    pub mark: RwSignal<Option<Severity>>,
    /// Near the view, so drawn (always, for small designs); see [`EditorState::refresh_shown`].
    pub shown: RwSignal<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EdgeData {
    pub kind: EdgeKind,
    pub caption: String,
}

#[derive(Clone, Copy)]
pub struct EdgeSigs {
    pub data: RwSignal<EdgeData>,
    pub selected: RwSignal<bool>,
    pub mark: RwSignal<Option<Severity>>,
    pub shown: RwSignal<bool>,
}

/// Everything the editor's components share; `Copy`, handed around by context.
#[derive(Clone, Copy)]
pub struct EditorState {
    pub design: RwSignal<Design>,
    pub selection: RwSignal<Selection>,
    /// The view on screen. During a wheel zoom or a pan it moves every frame while the drawn
    /// picture stays at [`Self::drawn`] and is moved by a CSS transform (see `canvas.rs`).
    pub viewport: RwSignal<Viewport>,
    /// The viewport the canvas's content was last drawn at: what culling, the level of detail
    /// and the content's own transform follow. It catches up with [`Self::viewport`] at once,
    /// except during a view gesture, when it does once the gesture settles.
    pub drawn: RwSignal<Viewport>,
    /// A wheel zoom or a pan is in progress (and how many wheel steps it had, so that only the
    /// last step's timer settles it).
    view_gesture: StoredValue<Option<u64>>,
    /// `validate()` of the design; reruns only when the design changes (on commit).
    pub diagnostics: Memo<Vec<Diagnostic>>,
    /// The worst severity concerning each node, for the canvas markers.
    pub marks: Memo<HashMap<NodeId, Severity>>,
    node_sigs: StoredValue<HashMap<NodeId, NodeSigs>>,
    edge_sigs: StoredValue<HashMap<EdgeId, EdgeSigs>>,
    /// The owner of the per-item signals (the editor's), so they outlive any one view.
    root: StoredValue<Option<Owner>>,
    /// Children of each node; top-level nodes under the empty key.
    pub children: Memo<HashMap<NodeId, Vec<NodeId>>>,
    /// Every edge's id and ends. The canvas keys edge views by all three: a view reads its
    /// ends once, and another design (a template, undo across one) may reuse an id such as
    /// `e1` between other nodes.
    pub edge_ids: Memo<Vec<(EdgeId, NodeId, NodeId)>>,

    // Gesture feedback.
    pub gesture: StoredValue<Gesture>,
    /// Selected nodes being dragged that no other dragged node contains.
    pub moving_roots: RwSignal<HashSet<NodeId>>,
    /// Everything being dragged, descendants included (edges follow them).
    pub moving_all: RwSignal<HashSet<NodeId>>,
    pub drag_offset: RwSignal<(f64, f64)>,
    pub resizing: RwSignal<Option<NodeId>>,
    pub resize_size: RwSignal<(f64, f64)>,
    pub rubber: RwSignal<Option<Rect>>,
    /// Link preview: from this node to this world point.
    pub link: RwSignal<Option<(NodeId, Point)>>,
    /// Palette drag ghost at these client coordinates.
    pub ghost: RwSignal<Option<(Kind, f64, f64)>>,
    pub space_down: RwSignal<bool>,
    /// A gesture is moving (a node, the view, a resize, the wheel): a shield covers the drawn
    /// layer meanwhile (`.canvas-shield.on`), so the browser neither hit-tests thousands of
    /// boxes and links at every pointer move and wheel step nor repaints their hover states.
    /// What a gesture ends on is found from world coordinates, not the DOM. (Not the layer's
    /// `pointer-events`: an inherited property, whose change restyles every element in it.)
    pub gesturing: RwSignal<bool>,
    /// The canvas's size in pixels (kept up to date on resize).
    pub canvas_size: RwSignal<(f64, f64)>,
    node_count: RwSignal<usize>,
    /// The world area worth drawing; `None` draws everything (small designs).
    pub cull: Memo<Option<Rect>>,
    /// Zoomed out so far that names and icons would be unreadable: they are not drawn.
    pub far: Memo<bool>,

    pub toast: RwSignal<Option<Toast>>,
    /// A *Tidy* is running in the worker (the button waits).
    pub tidying: RwSignal<bool>,
    /// A problem that needs reading (a link or file that could not be opened, storage that
    /// failed): stays until dismissed. `data-testid="error-banner"`.
    pub banner: RwSignal<Option<String>>,
    /// Counts the user's changes to the design (edits, undo, redo); autosave follows it.
    pub revision: RwSignal<u64>,
    /// The saved design being edited (its key in "My designs"); `None` until the first save.
    pub doc_id: RwSignal<Option<String>>,
    pub library: RwSignal<Library>,
    pub save_status: RwSignal<SaveStatus>,
    /// The stored revision the design on screen is based on (0: never saved); a save is
    /// refused when another tab stored a different one since (`library::SaveError::Conflict`).
    pub base_rev: StoredValue<u64>,
    /// Another tab saved or deleted this design while this tab had changes of its own: the
    /// user chooses what to keep (`persist::ConflictBar`); until then nothing is saved over it.
    pub conflict: RwSignal<Option<Conflict>>,
    /// The last copied components and how often they were pasted (each paste lands further).
    pub clip: StoredValue<Option<(Clip, i32)>>,
    pub share_open: RwSignal<bool>,
    pub designs_open: RwSignal<bool>,
    pub help_open: RwSignal<bool>,
    /// The design's undo and redo steps.
    past: StoredValue<History>,
    /// While a field applies what was typed: its key, so that its changes join one step
    /// ([`Self::coalescing`]).
    merge_key: StoredValue<Option<String>>,
    /// (undo steps, redo steps), for the buttons.
    pub history: RwSignal<(usize, usize)>,

    pub templates_open: RwSignal<bool>,
    pub export_open: RwSignal<bool>,
    pub export_tab: RwSignal<ExportTab>,
    pub show_grid: RwSignal<bool>,
    /// `light` or `dark` (the toolbar sets it from the system's preference and toggles it).
    pub theme: RwSignal<String>,
    /// The canvas element (the grid and the drawn layer inside it).
    pub canvas_el: NodeRef<leptos::html::Div>,

    // Canvas habits.
    /// The node whose name is being edited in place (double-click, F2, the menu's Rename).
    pub renaming: RwSignal<Option<NodeId>>,
    /// The open context menu: where (client coordinates) and on which node (`None`: the
    /// background).
    pub menu: RwSignal<Option<MenuAt>>,
    /// Alignment guides shown while dragging.
    pub guides: RwSignal<Vec<Guide>>,
    /// What a drag snaps to, taken when it starts: the dragged boxes' bounds and the visible
    /// neighbours' boxes.
    pub snap_to: StoredValue<(Rect, Vec<Rect>)>,
    /// The minimap shows always (else only when the design does not fit the view).
    pub minimap_pinned: RwSignal<bool>,
}

/// What another tab did to the design this tab shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conflict {
    /// The revision it saved, or `None` when it deleted the design.
    pub theirs: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SaveStatus {
    /// Nothing to save yet (a new, untouched design).
    Idle,
    Pending,
    Saved,
    Failed(String),
}

/// Designs with fewer nodes are drawn whole: culling would cost more than it saves.
pub const CULL_FROM_NODES: usize = 400;
/// Below this zoom (text under ~3 px), large designs are drawn without names, icons and
/// captions.
pub const FAR_ZOOM: f64 = 0.25;

/// The box node `id` is drawn in: its layout, or a leaf-sized box at the origin for a file
/// that has none.
fn drawn_rect(d: &Design, id: &str) -> Rect {
    use crate::model::layout::{LEAF_HEIGHT, LEAF_WIDTH};
    d.layout
        .get(id)
        .copied()
        .unwrap_or(Rect(0, 0, LEAF_WIDTH, LEAF_HEIGHT))
}

/// Today (UTC) as `YYYY-MM-DD`, for waivers' expiry.
fn today() -> String {
    let days = (js_sys::Date::now() / 86_400_000.0).floor() as i64;
    crate::model::policy::date_from_unix_days(days)
}

/// The key of the top level in [`EditorState::children`].
pub const ROOT: &str = "";

impl EditorState {
    pub fn new() -> Self {
        let design = RwSignal::new(Design::new("Untitled design"));
        // Waivers expire by the day: the date when the page opened is close enough.
        let policy = Policy {
            today: today(),
            ..Policy::default()
        };
        let diagnostics = Memo::new(move |_| design.with(|d| validate_with(d, &policy)));
        let marks = Memo::new(move |_| {
            diagnostics.with(|ds| {
                let mut m: HashMap<NodeId, Severity> = HashMap::new();
                for d in ds
                    .iter()
                    .filter(|d| d.severity != Severity::Info && d.is_active())
                {
                    for t in &d.targets {
                        let e = m.entry(t.clone()).or_insert(d.severity);
                        if d.severity < *e {
                            *e = d.severity;
                        }
                    }
                }
                m
            })
        });
        let children = Memo::new(move |_| {
            design.with(|d| {
                let ids: HashSet<&str> = d.nodes.iter().map(|n| n.id.as_str()).collect();
                let mut m: HashMap<NodeId, Vec<NodeId>> = HashMap::new();
                m.entry(ROOT.to_string()).or_default();
                for n in &d.nodes {
                    // A parent that does not exist (a broken file) shows the node at the top.
                    let key = match n.parent.as_deref() {
                        Some(p) if ids.contains(p) && p != n.id => p.to_string(),
                        _ => ROOT.to_string(),
                    };
                    m.entry(key).or_default().push(n.id.clone());
                }
                m
            })
        });
        let viewport = RwSignal::new(Viewport::default());
        let drawn = RwSignal::new(Viewport::default());
        let canvas_size = RwSignal::new((0.0, 0.0));
        // Set by `set_design` only when the count changes. Not a memo of the design: every
        // drawn node and edge reads `cull`, and a memo would pass each edit's "maybe changed"
        // mark through `cull` to all of them.
        let node_count = RwSignal::new(0);
        let cull = Memo::new(move |_| {
            if node_count.get() < CULL_FROM_NODES {
                return None;
            }
            let (w, h) = canvas_size.get();
            if w > 0.0 && h > 0.0 {
                Some(drawn.get().cull_rect(w, h))
            } else {
                // Not measured yet: draw nothing rather than everything, for a frame.
                Some(Rect(i32::MIN / 2, i32::MIN / 2, 0, 0))
            }
        });
        let far = Memo::new(move |_| {
            node_count.get() >= CULL_FROM_NODES && drawn.with(|v| v.zoom < FAR_ZOOM)
        });
        let edge_ids = Memo::new(move |_| {
            design.with(|d| {
                d.edges
                    .iter()
                    .map(|e| (e.id.clone(), e.from.clone(), e.to.clone()))
                    .collect::<Vec<_>>()
            })
        });
        let st = EditorState {
            design,
            selection: RwSignal::new(Selection::default()),
            viewport,
            drawn,
            view_gesture: StoredValue::new(None),
            diagnostics,
            marks,
            node_sigs: StoredValue::new(HashMap::new()),
            edge_sigs: StoredValue::new(HashMap::new()),
            root: StoredValue::new(Owner::current()),
            children,
            edge_ids,
            gesture: StoredValue::new(Gesture::None),
            moving_roots: RwSignal::new(HashSet::new()),
            moving_all: RwSignal::new(HashSet::new()),
            drag_offset: RwSignal::new((0.0, 0.0)),
            resizing: RwSignal::new(None),
            resize_size: RwSignal::new((0.0, 0.0)),
            rubber: RwSignal::new(None),
            link: RwSignal::new(None),
            ghost: RwSignal::new(None),
            space_down: RwSignal::new(false),
            gesturing: RwSignal::new(false),
            canvas_size,
            node_count,
            cull,
            far,
            toast: RwSignal::new(None),
            tidying: RwSignal::new(false),
            banner: RwSignal::new(None),
            revision: RwSignal::new(0),
            doc_id: RwSignal::new(None),
            library: RwSignal::new(Library::default()),
            save_status: RwSignal::new(SaveStatus::Idle),
            base_rev: StoredValue::new(0),
            conflict: RwSignal::new(None),
            clip: StoredValue::new(None),
            share_open: RwSignal::new(false),
            designs_open: RwSignal::new(false),
            help_open: RwSignal::new(false),
            past: StoredValue::new(History::default()),
            merge_key: StoredValue::new(None),
            history: RwSignal::new((0, 0)),
            templates_open: RwSignal::new(true),
            export_open: RwSignal::new(false),
            export_tab: RwSignal::new(ExportTab::Kubernetes),
            show_grid: RwSignal::new(true),
            theme: RwSignal::new("light".into()),
            canvas_el: NodeRef::new(),
            renaming: RwSignal::new(None),
            menu: RwSignal::new(None),
            guides: RwSignal::new(Vec::new()),
            snap_to: StoredValue::new((Rect(0, 0, 0, 0), Vec::new())),
            minimap_pinned: RwSignal::new(false),
        };
        st.install_item_effects();
        st
    }

    /// How many nodes the design has (tracked: changes only when the count does).
    pub fn node_count(&self) -> usize {
        self.node_count.get()
    }

    /// The signals of node `id`, if it exists.
    pub fn node_sigs(&self, id: &str) -> Option<NodeSigs> {
        self.node_sigs.with_value(|m| m.get(id).copied())
    }

    pub fn edge_sigs(&self, id: &str) -> Option<EdgeSigs> {
        self.edge_sigs.with_value(|m| m.get(id).copied())
    }

    /// Sets the design and brings the per-item signals up to date: only items whose shown
    /// data changed are notified. Returns the design it replaced (moved, not copied).
    fn set_design(&self, next: Design) -> Design {
        let count = next.nodes.len();
        let prev = self
            .design
            .try_update_untracked(|d| std::mem::replace(d, next))
            .unwrap_or_default();
        self.design.notify();
        if self.node_count.get_untracked() != count {
            self.node_count.set(count);
        }
        let (sel, marks) = (self.selection.get_untracked(), self.marks.get_untracked());
        let root = self.root.with_value(Clone::clone);
        let make = move |f: &mut dyn FnMut()| match &root {
            Some(o) => o.with(f),
            None => f(),
        };
        // Whether a box moved or an item appeared: only then can what is near the view change.
        let mut placed = false;
        self.design.with_untracked(|d| {
            self.node_sigs.update_value(|map| {
                let mut live: HashSet<&str> = HashSet::with_capacity(d.nodes.len());
                for n in &d.nodes {
                    live.insert(n.id.as_str());
                    let data = NodeData {
                        name: n.name.clone(),
                        parent: n.parent.clone(),
                        rect: drawn_rect(d, &n.id),
                    };
                    match map.get(&n.id) {
                        Some(s) => {
                            if s.data.with_untracked(|x| *x != data) {
                                placed |= s.data.with_untracked(|x| x.rect != data.rect);
                                s.data.set(data);
                            }
                        }
                        None => {
                            placed = true;
                            let mut sigs = None;
                            let selected = sel.nodes.contains(&n.id);
                            let mark = marks.get(&n.id).copied();
                            make(&mut || {
                                sigs = Some(NodeSigs {
                                    data: RwSignal::new(data.clone()),
                                    selected: RwSignal::new(selected),
                                    moving_root: RwSignal::new(false),
                                    moving: RwSignal::new(false),
                                    resizing: RwSignal::new(false),
                                    mark: RwSignal::new(mark),
                                    shown: RwSignal::new(false),
                                })
                            });
                            if let Some(s) = sigs {
                                map.insert(n.id.clone(), s);
                            }
                        }
                    }
                }
                // Views of removed nodes may still read their signals once: keep them alive.
                map.retain(|id, _| live.contains(id.as_str()));
            });
            self.edge_sigs.update_value(|map| {
                let mut live: HashSet<&str> = HashSet::with_capacity(d.edges.len());
                for e in &d.edges {
                    live.insert(e.id.as_str());
                    let data = EdgeData {
                        kind: e.kind(),
                        caption: edit::edge_caption(e),
                    };
                    match map.get(&e.id) {
                        Some(s) => {
                            if s.data.with_untracked(|x| *x != data) {
                                s.data.set(data);
                            }
                        }
                        None => {
                            placed = true;
                            let mut sigs = None;
                            let selected = sel.edges.contains(&e.id);
                            let mark = marks.get(&e.id).copied();
                            make(&mut || {
                                sigs = Some(EdgeSigs {
                                    data: RwSignal::new(data.clone()),
                                    selected: RwSignal::new(selected),
                                    mark: RwSignal::new(mark),
                                    shown: RwSignal::new(false),
                                })
                            });
                            if let Some(s) = sigs {
                                map.insert(e.id.clone(), s);
                            }
                        }
                    }
                }
                map.retain(|id, _| live.contains(id.as_str()));
            });
        });
        if placed {
            self.refresh_shown();
        }
        prev
    }

    /// Sets each node's and edge's `shown` flag from the cull rectangle, touching only those
    /// whose flag changes. Called when the design or the rectangle changes. One pass here
    /// instead of a memo per item reading `cull`: a signal read by thousands of memos makes
    /// every change of it, and every view dropped, cost time in proportion to all of them.
    fn refresh_shown(&self) {
        let cull = self.cull.get_untracked();
        let near = |r: Rect| cull.is_none_or(|c| edit::rects_overlap(c, r));
        self.design.with_untracked(|d| {
            self.node_sigs.with_value(|m| {
                for n in &d.nodes {
                    if let Some(s) = m.get(&n.id) {
                        let on = near(drawn_rect(d, &n.id));
                        if s.shown.get_untracked() != on {
                            s.shown.set(on);
                        }
                    }
                }
            });
            self.edge_sigs.with_value(|m| {
                for e in &d.edges {
                    if let Some(s) = m.get(&e.id) {
                        // The route runs between the two boxes, within the box around both.
                        let on = near(edit::bounding_rect(
                            drawn_rect(d, &e.from),
                            drawn_rect(d, &e.to),
                        ));
                        if s.shown.get_untracked() != on {
                            s.shown.set(on);
                        }
                    }
                }
            });
        });
    }

    /// Effects that turn whole-set signals (selection, drag, resize, marks) into the per-item
    /// flags, touching only the items whose flag changes.
    fn install_item_effects(&self) {
        let st = *self;
        let flag_nodes = move |prev: &HashSet<NodeId>,
                               cur: &HashSet<NodeId>,
                               pick: fn(&NodeSigs) -> RwSignal<bool>| {
            st.node_sigs.with_value(|m| {
                for id in prev.difference(cur) {
                    if let Some(s) = m.get(id) {
                        pick(s).set(false);
                    }
                }
                for id in cur.difference(prev) {
                    if let Some(s) = m.get(id) {
                        pick(s).set(true);
                    }
                }
            })
        };
        Effect::new(move |prev: Option<Selection>| {
            let cur = st.selection.get();
            let prev = prev.unwrap_or_default();
            let as_set = |s: &BTreeSet<String>| s.iter().cloned().collect::<HashSet<_>>();
            flag_nodes(&as_set(&prev.nodes), &as_set(&cur.nodes), |s| s.selected);
            st.edge_sigs.with_value(|m| {
                for id in prev.edges.difference(&cur.edges) {
                    if let Some(s) = m.get(id) {
                        s.selected.set(false);
                    }
                }
                for id in cur.edges.difference(&prev.edges) {
                    if let Some(s) = m.get(id) {
                        s.selected.set(true);
                    }
                }
            });
            cur
        });
        Effect::new(move |prev: Option<HashSet<NodeId>>| {
            let cur = st.moving_roots.get();
            flag_nodes(&prev.unwrap_or_default(), &cur, |s| s.moving_root);
            cur
        });
        Effect::new(move |prev: Option<HashSet<NodeId>>| {
            let cur = st.moving_all.get();
            flag_nodes(&prev.unwrap_or_default(), &cur, |s| s.moving);
            cur
        });
        Effect::new(move |prev: Option<HashSet<NodeId>>| {
            let cur: HashSet<NodeId> = st.resizing.get().into_iter().collect();
            flag_nodes(&prev.unwrap_or_default(), &cur, |s| s.resizing);
            cur
        });
        Effect::new(move |_| {
            st.cull.track();
            st.refresh_shown();
        });
        // The drawn picture follows the view at once (a button, a key, the minimap, fit),
        // except during a view gesture, which settles it itself.
        Effect::new(move |_| {
            let v = st.viewport.get();
            if st.view_gesture.get_value().is_none() && st.drawn.get_untracked() != v {
                st.drawn.set(v);
            }
        });
        Effect::new(move |prev: Option<HashMap<NodeId, Severity>>| {
            let cur = st.marks.get();
            let prev = prev.unwrap_or_default();
            let changed = |id: &String| prev.get(id) != cur.get(id);
            let ids: Vec<&String> = prev
                .keys()
                .chain(cur.keys())
                .filter(|id| changed(id))
                .collect();
            for id in ids {
                let m = cur.get(id).copied();
                if let Some(s) = st.node_sigs(id) {
                    s.mark.set(m);
                } else if let Some(s) = st.edge_sigs(id) {
                    s.mark.set(m);
                }
            }
            cur
        });
    }

    /// Applies `f` to the design as one undoable step; returns what `f` returns.
    pub fn edit<R>(&self, f: impl FnOnce(&mut Design) -> R) -> R {
        let mut next = self.design.get_untracked();
        let out = f(&mut next);
        self.commit(next);
        out
    }

    /// Makes `next` the design as one undoable step, if it differs from the current one and
    /// passes [`crate::model::load::check_design`].
    fn commit(&self, next: Design) {
        if self.design.with_untracked(|d| *d == next) {
            return;
        }
        // The invariant every other part relies on (unique ids, a containment tree): an edit
        // that would break it is refused, never shown or saved.
        if let Err(e) = crate::model::load::check_design(&next) {
            self.refuse(format!("That change was not made: {e}"));
            return;
        }
        let before = self.set_design(next);
        let key = self.merge_key.get_value();
        self.design.with_untracked(|after| {
            self.past
                .update_value(|h| _ = h.record(before, after, key.as_deref()))
        });
        self.sync_history();
        self.revision.update(|r| *r += 1);
    }

    /// Shows another design (a saved one, an imported file or link) with a fresh history: its
    /// undo steps belong to the design it replaces. Not a user edit, so nothing is saved.
    ///
    /// A design without a single position (a file written by hand or by a script) is shown with
    /// the auto layout at once, then tidied in the worker ([`Self::tidy`]): the layout by
    /// traffic reads better, and Undo gives the auto layout back.
    pub fn replace_design(&self, mut design: Design) {
        let unplaced = !design.nodes.is_empty() && design.layout.is_empty();
        crate::model::layout::fill_missing(&mut design);
        self.selection.set(Selection::default());
        self.past.update_value(History::clear);
        self.set_design(design);
        self.sync_history();
        if unplaced {
            self.tidy();
        }
    }

    /// *Tidy*: lays the design out by traffic ([`crate::model::tidy`]) in the export worker,
    /// then applies the new layout as one undoable step. Every design goes to the worker, small
    /// or large: one code path, and the layout code stays out of the page's first-load wasm.
    /// An answer for a design that changed meanwhile (an edit, undo, another design opened) is
    /// dropped with a note, since it would place boxes for a design no longer shown.
    pub fn tidy(&self) {
        use crate::export::job::{Reply, Request};
        let sent = self.design.get_untracked();
        if sent.nodes.is_empty() {
            return;
        }
        let request = Request::Tidy {
            design: crate::model::to_json_compact(&sent),
        };
        let st = *self;
        self.tidying.set(true);
        super::export_client::request(request, move |result| {
            st.tidying.set(false);
            let layout = result.and_then(Reply::layout);
            match layout {
                Ok(layout) if st.design.with_untracked(|d| *d == sent) => {
                    st.edit(move |d| d.layout = layout);
                    // The design usually changes shape (wider): show all of it.
                    request_animation_frame(move || st.fit());
                }
                Ok(_) => st.notify("The design changed while it was being tidied; Tidy again"),
                Err(e) => st.report(format!("Tidy failed: {e}. Nothing was changed.")),
            }
        });
    }

    /// Shows a problem in the error banner until the user dismisses it.
    pub fn report(&self, text: impl Into<String>) {
        self.banner.set(Some(text.into()));
    }

    /// Like [`edit`](Self::edit) for edits that may be refused: nothing changes on `Err`.
    pub fn try_edit<R>(
        &self,
        f: impl FnOnce(&mut Design) -> Result<R, String>,
    ) -> Result<R, String> {
        let mut next = self.design.get_untracked();
        let out = f(&mut next)?;
        self.commit(next);
        Ok(out)
    }

    /// Like [`try_edit`](Self::try_edit) for edits that may grow containers: the neighbours
    /// of every container that grew are pushed aside in the same step ([`edit::make_room`]);
    /// nothing changes when there is no room.
    pub fn try_edit_room<R>(
        &self,
        f: impl FnOnce(&mut Design) -> Result<R, String>,
    ) -> Result<R, String> {
        self.try_edit(|d| {
            let before = d.layout.clone();
            let out = f(d)?;
            edit::make_room(d, &before)?;
            Ok(out)
        })
    }

    /// Edits node `id`'s name in place, on the canvas.
    pub fn start_rename(&self, id: &str) {
        self.menu.set(None);
        if self
            .selection
            .with_untracked(|s| !s.nodes.contains(id) || s.nodes.len() + s.edges.len() > 1)
        {
            self.selection.set(Selection::node(id));
        }
        self.renaming.set(Some(id.to_string()));
        request_animation_frame(super::rename::focus_rename);
    }

    /// Replaces the whole design (template, new design) as one undoable step.
    pub fn load(&self, mut design: Design) {
        crate::model::layout::fill_missing(&mut design);
        self.selection.set(Selection::default());
        self.edit(move |d| *d = design);
    }

    fn sync_history(&self) {
        let counts = self.past.with_value(History::counts);
        if self.history.get_untracked() != counts {
            self.history.set(counts);
        }
    }

    /// Runs `f` (a field applying what was typed) so that its changes join the previous ones
    /// made under the same `key` into one undo step, until [`Self::seal_history`].
    pub fn coalescing<R>(&self, key: &str, f: impl FnOnce() -> R) -> R {
        self.merge_key.set_value(Some(key.to_string()));
        let out = f();
        self.merge_key.set_value(None);
        out
    }

    /// Ends the step that typing joins (the field lost the focus): the next change is a step
    /// of its own.
    pub fn seal_history(&self) {
        self.past.update_value(History::seal);
    }

    pub fn undo(&self) {
        self.step_history(History::undo);
    }

    pub fn redo(&self) {
        self.step_history(History::redo);
    }

    /// Shows the design `step` (undo or redo) gives for the present one, if any.
    fn step_history(&self, step: fn(&mut History, &Design) -> Option<Design>) {
        let Some(next) = self
            .design
            .with_untracked(|d| self.past.try_update_value(|h| step(h, d)))
            .flatten()
        else {
            return;
        };
        self.set_design(next);
        self.prune_selection();
        self.sync_history();
        self.revision.update(|r| *r += 1);
    }

    /// Drops selected ids that no longer exist.
    fn prune_selection(&self) {
        let sel = self.selection.get_untracked();
        let keep = self.design.with_untracked(|d| Selection {
            nodes: sel
                .nodes
                .iter()
                .filter(|id| d.node(id).is_some())
                .cloned()
                .collect(),
            edges: sel
                .edges
                .iter()
                .filter(|id| d.edge(id).is_some())
                .cloned()
                .collect(),
        });
        if keep != sel {
            self.selection.set(keep);
        }
    }

    pub fn notify(&self, text: impl Into<String>) {
        self.show_toast(text.into(), ToastLevel::Info);
    }

    pub fn refuse(&self, text: impl Into<String>) {
        self.show_toast(text.into(), ToastLevel::Error);
    }

    fn show_toast(&self, text: String, level: ToastLevel) {
        let serial = self
            .toast
            .with_untracked(|t| t.as_ref().map_or(0, |t| t.serial))
            + 1;
        self.toast.set(Some(Toast {
            text,
            level,
            serial,
        }));
        let toast = self.toast;
        let ms = if level == ToastLevel::Error {
            8000
        } else {
            4000
        };
        set_timeout(
            move || {
                if toast.with_untracked(|t| t.as_ref().is_some_and(|t| t.serial == serial)) {
                    toast.set(None);
                }
            },
            Duration::from_millis(ms),
        );
    }

    /// One step of a view gesture (a wheel zoom, a pan): moves the view to `f(view)` while the
    /// drawn picture stays where it was drawn and is moved on screen by a transform, which
    /// costs the browser no layout and no paint. With `settle_after`, the gesture settles (the
    /// picture is redrawn at the new view, [`Self::settle_view`]) once no other step came for
    /// that long; without, it waits for `settle_view` (the end of a drag).
    pub fn view_gesture_step(
        &self,
        f: impl FnOnce(Viewport) -> Viewport,
        settle_after: Option<Duration>,
    ) {
        let step = self
            .view_gesture
            .get_value()
            .map_or(0, |n| n.wrapping_add(1));
        self.view_gesture.set_value(Some(step));
        self.viewport.update(|v| *v = f(*v));
        if let Some(after) = settle_after {
            let st = *self;
            set_timeout(
                move || {
                    if st.view_gesture.try_get_value().flatten() == Some(step) {
                        st.settle_view();
                    }
                },
                after,
            );
        }
    }

    /// Ends a view gesture: the picture is redrawn (culled, at its level of detail) at the view
    /// on screen. Nothing happens when no gesture is in progress.
    pub fn settle_view(&self) {
        if self.view_gesture.get_value().is_some() {
            self.view_gesture.set_value(None);
            // A wheel gesture is over; a drag (a pan) lets go of the shield on release.
            if self.gesture.with_value(|g| matches!(g, Gesture::None)) {
                self.set_gesturing(false);
            }
            let v = self.viewport.get_untracked();
            if self.drawn.get_untracked() != v {
                self.drawn.set(v);
            }
        }
    }

    /// Sets [`Self::gesturing`] (only when it changes: every change restyles the canvas).
    pub fn set_gesturing(&self, on: bool) {
        if self.gesturing.get_untracked() != on {
            self.gesturing.set(on);
        }
    }

    /// The canvas's size and position on the page.
    pub fn canvas_box(&self) -> Option<web_sys::DomRect> {
        self.canvas_el
            .get_untracked()
            .map(|el| el.get_bounding_client_rect())
    }

    /// A client (page) point in world coordinates.
    pub fn client_to_world(&self, cx: f64, cy: f64) -> Point {
        let (left, top) = self
            .canvas_box()
            .map_or((0.0, 0.0), |b| (b.left(), b.top()));
        self.viewport.get_untracked().to_world(cx - left, cy - top)
    }

    /// Fits the whole design into the canvas.
    pub fn fit(&self) {
        let Some(b) = self.canvas_box() else { return };
        match self.design.with_untracked(edit::content_bounds) {
            Some(r) => self
                .viewport
                .set(Viewport::fit(r, b.width(), b.height(), 1.0)),
            None => self.viewport.set(Viewport::default()),
        }
    }

    /// Zooms by `factor` about the canvas centre.
    pub fn zoom_by(&self, factor: f64) {
        let (w, h) = self
            .canvas_box()
            .map_or((800.0, 600.0), |b| (b.width(), b.height()));
        self.viewport
            .update(|v| *v = v.zoom_at(factor, w / 2.0, h / 2.0));
    }

    /// Selects `ids` (nodes or edges) and brings them into view.
    pub fn focus(&self, ids: &[String]) {
        let (sel, rects) = self.design.with_untracked(|d| {
            let mut sel = Selection::default();
            let mut rects = Vec::new();
            for id in ids {
                if d.node(id).is_some() {
                    sel.nodes.insert(id.clone());
                    if let Some(r) = d.layout.get(id) {
                        rects.push(*r);
                    }
                } else if let Some(e) = d.edge(id) {
                    sel.edges.insert(id.clone());
                    for end in [&e.from, &e.to] {
                        if let Some(r) = d.layout.get(end) {
                            rects.push(*r);
                        }
                    }
                }
            }
            (sel, rects)
        });
        self.selection.set(sel);
        let Some(first) = rects.first().copied() else {
            return;
        };
        let (x0, y0, x1, y1) = rects.iter().fold(
            (
                first.x(),
                first.y(),
                first.x() + first.w(),
                first.y() + first.h(),
            ),
            |a, r| {
                (
                    a.0.min(r.x()),
                    a.1.min(r.y()),
                    a.2.max(r.x() + r.w()),
                    a.3.max(r.y() + r.h()),
                )
            },
        );
        let Some(b) = self.canvas_box() else { return };
        let zoom = self.viewport.get_untracked().zoom;
        let target = Rect(x0, y0, x1 - x0, y1 - y0);
        let fits = target.w() as f64 * zoom < b.width() - 64.0
            && target.h() as f64 * zoom < b.height() - 64.0;
        if fits {
            let c = edit::rect_center(target);
            self.viewport.set(Viewport {
                x: b.width() / 2.0 - c.x * zoom,
                y: b.height() / 2.0 - c.y * zoom,
                zoom,
            });
        } else {
            self.viewport
                .set(Viewport::fit(target, b.width(), b.height(), zoom));
        }
    }

    /// The node's kind and name (untracked), if it exists.
    pub fn node_label(&self, id: &str) -> Option<(Kind, String)> {
        self.design
            .with_untracked(|d| d.node(id).map(|n| (n.kind(), n.name.clone())))
    }
}

impl Default for EditorState {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_state() -> EditorState {
    expect_context::<EditorState>()
}
