//! The editor's commands in one table: id, label, shortcuts, and when each is enabled. The
//! page's keyboard handler, context menu, toolbar and `?` help all read this table, so the
//! help cannot disagree with the keys. What a command *does* lives in the page
//! (`app::commands::run`); what is here is pure and tested natively: which key press means
//! which command, where the focus lets it through, and whether the editor's state (a plain
//! [`Snapshot`]) enables it.
//!
//! Command ids are a stable contract: the page and its browser tests name commands by them
//! (`data-command` on the help's rows and the toolbar's buttons).

/// A command of the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommandId {
    Undo,
    Redo,
    Copy,
    Cut,
    Paste,
    Duplicate,
    Rename,
    Menu,
    Delete,
    SelectAll,
    Escape,
    MoveLeft,
    MoveRight,
    MoveUp,
    MoveDown,
    SaveFile,
    OpenFile,
    ZoomIn,
    ZoomOut,
    Fit,
    Tidy,
    Help,
}

/// Whether Shift must be held, must not be, or does not matter (`+` and `?` need it on some
/// keyboards and not on others).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShiftRule {
    Up,
    Down,
    Either,
}

/// A key press that runs a command. `key` is the DOM `KeyboardEvent.key`; letters match in
/// either case (Shift makes them capitals).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shortcut {
    pub key: &'static str,
    /// Ctrl, or ⌘ on a Mac.
    pub ctrl: bool,
    pub shift: ShiftRule,
}

const fn key(key: &'static str) -> Shortcut {
    Shortcut {
        key,
        ctrl: false,
        shift: ShiftRule::Up,
    }
}

const fn ctrl(key: &'static str) -> Shortcut {
    Shortcut {
        key,
        ctrl: true,
        shift: ShiftRule::Up,
    }
}

const fn with_shift(s: Shortcut) -> Shortcut {
    Shortcut {
        shift: ShiftRule::Down,
        ..s
    }
}

const fn any_shift(s: Shortcut) -> Shortcut {
    Shortcut {
        shift: ShiftRule::Either,
        ..s
    }
}

impl Shortcut {
    pub fn matches(&self, press: &KeyPress) -> bool {
        let key_ok = if self.key.chars().count() == 1 {
            self.key.eq_ignore_ascii_case(&press.key)
        } else {
            self.key == press.key
        };
        let shift_ok = match self.shift {
            ShiftRule::Up => !press.shift,
            ShiftRule::Down => press.shift,
            ShiftRule::Either => true,
        };
        key_ok && shift_ok && self.ctrl == press.ctrl && !press.alt
    }

    /// As a menu shows it: `Ctrl+D`, `Shift+F10`, `Delete`.
    pub fn label(&self) -> String {
        let mut out = String::new();
        if self.ctrl {
            out.push_str("Ctrl+");
        }
        if self.shift == ShiftRule::Down {
            out.push_str("Shift+");
        }
        if self.key.chars().count() == 1 {
            out.push_str(&self.key.to_uppercase());
        } else {
            out.push_str(self.key);
        }
        out
    }

    /// A key that a list box (`<select>`) uses itself: moving between options, typing to
    /// find one, opening it.
    fn is_navigation(&self) -> bool {
        !self.ctrl
            && (self.key.chars().count() == 1
                || matches!(
                    self.key,
                    "ArrowLeft"
                        | "ArrowRight"
                        | "ArrowUp"
                        | "ArrowDown"
                        | "Home"
                        | "End"
                        | "PageUp"
                        | "PageDown"
                        | "Enter"
                        | "Backspace"
                ))
    }
}

/// A key press, as the keyboard event reports it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyPress {
    pub key: String,
    /// Ctrl or ⌘.
    pub ctrl: bool,
    pub shift: bool,
    pub alt: bool,
}

impl KeyPress {
    pub fn new(key: &str, ctrl: bool, shift: bool) -> Self {
        KeyPress {
            key: key.to_string(),
            ctrl,
            shift,
            alt: false,
        }
    }
}

/// What has the keyboard focus, which decides which keys stay with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The canvas, the page, a button or a checkbox: every command works (Space and Enter
    /// stay with a button or checkbox; no command uses them).
    Canvas,
    /// A list box: its navigation keys stay with it (arrows, letters, Enter).
    Choice,
    /// A text being edited: the field keeps its keys; only the commands marked for it work.
    Text,
}

/// What the enabled-when conditions read: a plain copy of the editor's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Snapshot {
    pub undo_steps: usize,
    pub redo_steps: usize,
    /// Nodes in the design.
    pub nodes: usize,
    pub selected_nodes: usize,
    pub selected_edges: usize,
    /// Components were copied in this tab (Paste without the system clipboard).
    pub clip: bool,
    /// A Tidy is running.
    pub tidying: bool,
}

/// A command: what it is called, which keys run it, when it is enabled.
#[derive(Debug, Clone, Copy)]
pub struct Command {
    pub id: CommandId,
    /// Stable id, e.g. `undo`.
    pub name: &'static str,
    /// For menus, buttons and the help.
    pub label: &'static str,
    /// The keys as the help lists them, mouse alternatives included ("F2, double-click").
    pub keys: &'static str,
    pub shortcuts: &'static [Shortcut],
    pub enabled: fn(&Snapshot) -> bool,
    /// Works while a text field has the focus (saving and opening files).
    pub in_text: bool,
    /// The browser's own action follows the key (the `copy`/`cut`/`paste` events carry the
    /// clip to the system clipboard): the key is not swallowed.
    pub keeps_default: bool,
}

fn always(_: &Snapshot) -> bool {
    true
}
fn can_undo(s: &Snapshot) -> bool {
    s.undo_steps > 0
}
fn can_redo(s: &Snapshot) -> bool {
    s.redo_steps > 0
}
fn has_selected_nodes(s: &Snapshot) -> bool {
    s.selected_nodes > 0
}
fn has_selection(s: &Snapshot) -> bool {
    s.selected_nodes + s.selected_edges > 0
}
fn one_node(s: &Snapshot) -> bool {
    s.selected_nodes == 1 && s.selected_edges == 0
}
fn has_clip(s: &Snapshot) -> bool {
    s.clip
}
fn can_tidy(s: &Snapshot) -> bool {
    s.nodes > 0 && !s.tidying
}

const fn command(
    id: CommandId,
    name: &'static str,
    label: &'static str,
    keys: &'static str,
    shortcuts: &'static [Shortcut],
    enabled: fn(&Snapshot) -> bool,
) -> Command {
    Command {
        id,
        name,
        label,
        keys,
        shortcuts,
        enabled,
        in_text: false,
        keeps_default: false,
    }
}

const fn in_text(c: Command) -> Command {
    Command { in_text: true, ..c }
}

const fn keeps_default(c: Command) -> Command {
    Command {
        keeps_default: true,
        ..c
    }
}

/// Every command, in the order the help lists them.
pub const COMMANDS: &[Command] = &[
    command(
        CommandId::Undo,
        "undo",
        "Undo",
        "Ctrl/⌘ + Z",
        &[ctrl("z")],
        can_undo,
    ),
    command(
        CommandId::Redo,
        "redo",
        "Redo",
        "Ctrl/⌘ + Shift + Z, Ctrl + Y",
        &[with_shift(ctrl("z")), ctrl("y")],
        can_redo,
    ),
    keeps_default(command(
        CommandId::Copy,
        "copy",
        "Copy",
        "Ctrl/⌘ + C",
        &[ctrl("c")],
        has_selected_nodes,
    )),
    keeps_default(command(
        CommandId::Cut,
        "cut",
        "Cut",
        "Ctrl/⌘ + X",
        &[ctrl("x")],
        has_selected_nodes,
    )),
    keeps_default(command(
        CommandId::Paste,
        "paste",
        "Paste",
        "Ctrl/⌘ + V",
        &[ctrl("v")],
        has_clip,
    )),
    command(
        CommandId::Duplicate,
        "duplicate",
        "Duplicate",
        "Ctrl/⌘ + D",
        &[ctrl("d")],
        has_selected_nodes,
    ),
    command(
        CommandId::Rename,
        "rename",
        "Rename",
        "F2, double-click",
        &[key("F2")],
        one_node,
    ),
    command(
        CommandId::Menu,
        "menu",
        "Menu of the component or the canvas",
        "Right-click, Shift + F10, Menu key",
        &[with_shift(key("F10")), key("ContextMenu")],
        always,
    ),
    command(
        CommandId::Delete,
        "delete",
        "Delete",
        "Delete, Backspace",
        &[key("Delete"), key("Backspace")],
        has_selection,
    ),
    command(
        CommandId::SelectAll,
        "select-all",
        "Select all",
        "Ctrl/⌘ + A",
        &[ctrl("a")],
        always,
    ),
    command(
        CommandId::Escape,
        "escape",
        "Clear the selection, cancel a drag, close a dialog; leave a checkbox or list",
        "Escape",
        &[key("Escape")],
        always,
    ),
    command(
        CommandId::MoveLeft,
        "move-left",
        "Move the selection left (Shift: by 1)",
        "←, Shift + ←",
        &[any_shift(key("ArrowLeft"))],
        has_selected_nodes,
    ),
    command(
        CommandId::MoveRight,
        "move-right",
        "Move the selection right (Shift: by 1)",
        "→, Shift + →",
        &[any_shift(key("ArrowRight"))],
        has_selected_nodes,
    ),
    command(
        CommandId::MoveUp,
        "move-up",
        "Move the selection up (Shift: by 1)",
        "↑, Shift + ↑",
        &[any_shift(key("ArrowUp"))],
        has_selected_nodes,
    ),
    command(
        CommandId::MoveDown,
        "move-down",
        "Move the selection down (Shift: by 1)",
        "↓, Shift + ↓",
        &[any_shift(key("ArrowDown"))],
        has_selected_nodes,
    ),
    in_text(command(
        CommandId::SaveFile,
        "save-file",
        "Save the design file",
        "Ctrl/⌘ + S",
        &[ctrl("s")],
        always,
    )),
    in_text(command(
        CommandId::OpenFile,
        "open-file",
        "Open a design file, or import Compose, Kubernetes or Terraform files",
        "Ctrl/⌘ + O",
        &[ctrl("o")],
        always,
    )),
    command(
        CommandId::ZoomIn,
        "zoom-in",
        "Zoom in",
        "+",
        &[any_shift(key("+")), any_shift(key("="))],
        always,
    ),
    command(
        CommandId::ZoomOut,
        "zoom-out",
        "Zoom out",
        "−",
        &[key("-")],
        always,
    ),
    command(CommandId::Fit, "fit", "Fit to view", "", &[], always),
    command(
        CommandId::Tidy,
        "tidy",
        "Tidy the layout",
        "",
        &[],
        can_tidy,
    ),
    command(
        CommandId::Help,
        "help",
        "Keyboard shortcuts",
        "?",
        &[any_shift(key("?"))],
        always,
    ),
];

/// Mouse gestures the help lists beside the commands (not commands: they have no key).
pub const GESTURES: &[(&str, &str)] = &[
    ("Alt + drag", "Move without snapping"),
    ("Space + drag", "Pan"),
    ("Shift + drag", "Select an area"),
];

/// The command `id`.
pub fn command_of(id: CommandId) -> &'static Command {
    // Every id has its row (tested); the first row is never reached.
    COMMANDS.iter().find(|c| c.id == id).unwrap_or(&COMMANDS[0])
}

/// The command `name` (its stable id), if any.
pub fn by_name(name: &str) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| c.name == name)
}

impl Command {
    pub fn is_enabled(&self, s: &Snapshot) -> bool {
        (self.enabled)(s)
    }

    /// The first shortcut as a menu shows it (`Ctrl+D`), or nothing.
    pub fn short_keys(&self) -> String {
        self.shortcuts
            .first()
            .map(Shortcut::label)
            .unwrap_or_default()
    }

    /// Whether the focus lets `press` through to this command.
    fn lets_through(&self, shortcut: &Shortcut, focus: Focus) -> bool {
        match focus {
            Focus::Canvas => true,
            Focus::Choice => !shortcut.is_navigation(),
            Focus::Text => self.in_text,
        }
    }
}

/// The command `press` runs where the focus is, if any (enabled or not: the caller asks).
pub fn for_key(press: &KeyPress, focus: Focus) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| {
        c.shortcuts
            .iter()
            .any(|s| s.matches(press) && c.lets_through(s, focus))
    })
}

/// The help's rows: each command with keys, then the gestures.
pub fn help_rows() -> Vec<(&'static str, &'static str, Option<&'static str>)> {
    COMMANDS
        .iter()
        .filter(|c| !c.keys.is_empty())
        .map(|c| (c.keys, c.label, Some(c.name)))
        .chain(GESTURES.iter().map(|(k, w)| (*k, *w, None)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn press(k: &str) -> KeyPress {
        KeyPress::new(k, false, false)
    }

    fn id_for(p: &KeyPress, focus: Focus) -> Option<CommandId> {
        for_key(p, focus).map(|c| c.id)
    }

    const ALL: [CommandId; 22] = [
        CommandId::Undo,
        CommandId::Redo,
        CommandId::Copy,
        CommandId::Cut,
        CommandId::Paste,
        CommandId::Duplicate,
        CommandId::Rename,
        CommandId::Menu,
        CommandId::Delete,
        CommandId::SelectAll,
        CommandId::Escape,
        CommandId::MoveLeft,
        CommandId::MoveRight,
        CommandId::MoveUp,
        CommandId::MoveDown,
        CommandId::SaveFile,
        CommandId::OpenFile,
        CommandId::ZoomIn,
        CommandId::ZoomOut,
        CommandId::Fit,
        CommandId::Tidy,
        CommandId::Help,
    ];

    #[test]
    fn every_command_has_one_row_and_a_unique_name() {
        assert_eq!(COMMANDS.len(), ALL.len());
        for id in ALL {
            assert_eq!(COMMANDS.iter().filter(|c| c.id == id).count(), 1, "{id:?}");
            assert_eq!(command_of(id).id, id);
            assert_eq!(by_name(command_of(id).name).map(|c| c.id), Some(id));
        }
        let names: HashSet<&str> = COMMANDS.iter().map(|c| c.name).collect();
        assert_eq!(names.len(), COMMANDS.len());
        assert!(by_name("no-such-command").is_none());
    }

    #[test]
    fn no_key_press_means_two_commands() {
        for a in COMMANDS {
            for s in a.shortcuts {
                let p = KeyPress::new(s.key, s.ctrl, s.shift == ShiftRule::Down);
                assert_eq!(
                    for_key(&p, Focus::Canvas).map(|c| c.id),
                    Some(a.id),
                    "{} runs {}",
                    s.label(),
                    a.name
                );
            }
        }
    }

    #[test]
    fn every_shortcut_is_in_the_help() {
        let rows = help_rows();
        for c in COMMANDS.iter().filter(|c| !c.shortcuts.is_empty()) {
            assert!(
                rows.iter().any(|(_, _, name)| *name == Some(c.name)),
                "{} is missing from the help",
                c.name
            );
        }
        // Commands without keys (Fit, Tidy) live in menus and the toolbar, not the help.
        assert!(!rows.iter().any(|(_, _, n)| *n == Some("fit")));
        assert!(rows
            .iter()
            .any(|(k, _, n)| *k == "Space + drag" && n.is_none()));
    }

    #[test]
    fn keys_match_as_the_keyboard_sends_them() {
        assert_eq!(
            id_for(&KeyPress::new("z", true, false), Focus::Canvas),
            Some(CommandId::Undo)
        );
        // Shift makes the letter a capital: still Redo, not Undo.
        assert_eq!(
            id_for(&KeyPress::new("Z", true, true), Focus::Canvas),
            Some(CommandId::Redo)
        );
        assert_eq!(
            id_for(&KeyPress::new("y", true, false), Focus::Canvas),
            Some(CommandId::Redo)
        );
        assert_eq!(
            id_for(&press("z"), Focus::Canvas),
            None,
            "z alone is no command"
        );
        assert_eq!(
            id_for(&KeyPress::new("?", false, true), Focus::Canvas),
            Some(CommandId::Help)
        );
        assert_eq!(
            id_for(&KeyPress::new("+", false, true), Focus::Canvas),
            Some(CommandId::ZoomIn)
        );
        assert_eq!(id_for(&press("="), Focus::Canvas), Some(CommandId::ZoomIn));
        assert_eq!(
            id_for(&press("F10"), Focus::Canvas),
            None,
            "F10 needs Shift"
        );
        assert_eq!(
            id_for(&KeyPress::new("F10", false, true), Focus::Canvas),
            Some(CommandId::Menu)
        );
        assert_eq!(
            id_for(&KeyPress::new("ArrowLeft", false, true), Focus::Canvas),
            Some(CommandId::MoveLeft)
        );
        let alt = KeyPress {
            alt: true,
            ..KeyPress::new("z", true, false)
        };
        assert_eq!(
            id_for(&alt, Focus::Canvas),
            None,
            "AltGr combinations type characters"
        );
    }

    #[test]
    fn the_focus_keeps_its_own_keys() {
        let undo = KeyPress::new("z", true, false);
        let save = KeyPress::new("s", true, false);
        // A text field keeps everything but saving and opening files.
        assert_eq!(id_for(&undo, Focus::Text), None);
        assert_eq!(id_for(&press("Delete"), Focus::Text), None);
        assert_eq!(id_for(&press("Escape"), Focus::Text), None);
        assert_eq!(id_for(&save, Focus::Text), Some(CommandId::SaveFile));
        // A checkbox (Focus::Canvas) takes every command: Ctrl+Z undoes, Escape leaves it.
        assert_eq!(id_for(&undo, Focus::Canvas), Some(CommandId::Undo));
        // A list box keeps arrows and letters; Ctrl shortcuts, Escape and F2 still work.
        assert_eq!(id_for(&press("ArrowDown"), Focus::Choice), None);
        assert_eq!(id_for(&press("?"), Focus::Choice), None);
        assert_eq!(id_for(&press("Backspace"), Focus::Choice), None);
        assert_eq!(id_for(&undo, Focus::Choice), Some(CommandId::Undo));
        assert_eq!(
            id_for(&press("Escape"), Focus::Choice),
            Some(CommandId::Escape)
        );
        assert_eq!(id_for(&press("F2"), Focus::Choice), Some(CommandId::Rename));
        assert_eq!(
            id_for(&press("Delete"), Focus::Choice),
            Some(CommandId::Delete)
        );
    }

    #[test]
    fn enabled_when_reads_the_snapshot() {
        let empty = Snapshot::default();
        let on = |id, s: &Snapshot| command_of(id).is_enabled(s);
        assert!(!on(CommandId::Undo, &empty));
        assert!(!on(CommandId::Redo, &empty));
        assert!(!on(CommandId::Delete, &empty));
        assert!(!on(CommandId::Rename, &empty));
        assert!(!on(CommandId::Paste, &empty));
        assert!(!on(CommandId::Tidy, &empty));
        assert!(on(CommandId::Escape, &empty) && on(CommandId::Help, &empty));

        let s = Snapshot {
            undo_steps: 2,
            redo_steps: 1,
            nodes: 5,
            selected_nodes: 1,
            selected_edges: 0,
            clip: true,
            tidying: false,
        };
        for id in [
            CommandId::Undo,
            CommandId::Redo,
            CommandId::Delete,
            CommandId::Rename,
            CommandId::Paste,
            CommandId::Duplicate,
            CommandId::MoveUp,
            CommandId::SelectAll,
            CommandId::Tidy,
        ] {
            assert!(on(id, &s), "{id:?}");
        }
        let two = Snapshot {
            selected_nodes: 2,
            ..s
        };
        assert!(!on(CommandId::Rename, &two), "Rename is for one component");
        let edge_only = Snapshot {
            selected_nodes: 0,
            selected_edges: 1,
            ..s
        };
        assert!(on(CommandId::Delete, &edge_only));
        assert!(
            !on(CommandId::Duplicate, &edge_only),
            "links are copied with their ends"
        );
        assert!(!on(CommandId::Tidy, &Snapshot { tidying: true, ..s }));
    }

    #[test]
    fn menus_show_the_first_shortcut() {
        assert_eq!(command_of(CommandId::Duplicate).short_keys(), "Ctrl+D");
        assert_eq!(command_of(CommandId::Delete).short_keys(), "Delete");
        assert_eq!(command_of(CommandId::Menu).short_keys(), "Shift+F10");
        assert_eq!(command_of(CommandId::Fit).short_keys(), "");
    }
}
