//! "My designs": the designs kept in the browser's local storage, so that a reload, a crash or
//! a closed tab loses nothing. Pure logic over a [`Store`] (a key-value store that may be full or
//! missing); the page implements it with `localStorage`, the tests with a map of limited size.
//!
//! Layout in the store: one key per design (`infracanvas.design.<id>`) and an index
//! (`infracanvas.index`) with the names, update times and the current design. A design is kept
//! with a revision, the time it was saved, and its name and size ([`Stored`]); older releases
//! kept the bare design file, which still reads as revision 0.
//!
//! Two tabs may edit the same design. Each save names the revision it was based on; when the
//! store holds another one, a different tab saved in between and the save is refused
//! ([`SaveError::Conflict`]): the page then lets the user choose between the two versions,
//! and nothing is overwritten unseen. The index is read again before every change to it, so
//! one tab's list never drops another tab's designs.
//!
//! A design is written before the index, so a crash between the two leaves a design the index
//! does not list yet, or lists with its old name, never an index entry without its design.
//! [`Library::open`] repairs that: designs saved after the index was written are listed (or
//! their entries updated), and the latest of them becomes current again; a missing or damaged
//! index is rebuilt from the design keys.
//!
//! Nothing here deletes a design the user did not delete: a design that cannot be read stays in
//! the store under its key and is reported.

use serde::{Deserialize, Serialize};

use crate::model::{load_design_brief, to_json_compact, Design};

pub const INDEX_KEY: &str = "infracanvas.index";
pub const DESIGN_KEY_PREFIX: &str = "infracanvas.design.";
const INDEX_VERSION: u32 = 1;
/// Longest id of a design entry (ids are made by the page: time and a random part).
const MAX_ENTRY_ID: usize = 40;

/// Why the store refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("the browser's storage is full; download the design file to keep this version")]
    Full,
    #[error("the browser's storage is not available (private mode or blocked); download the design file to keep your work")]
    Unavailable,
    #[error("the browser's storage failed: {0}")]
    Other(String),
}

/// A string key-value store: `localStorage` in the page.
pub trait Store {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError>;
    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError>;
    fn remove(&mut self, key: &str) -> Result<(), StoreError>;
    fn keys(&self) -> Result<Vec<String>, StoreError>;
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub name: String,
    /// Milliseconds since the epoch of the last save.
    pub updated: f64,
    pub nodes: usize,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Index {
    pub version: u32,
    pub current: Option<String>,
    /// Most recently saved first.
    pub entries: Vec<Entry>,
    /// When the index was last written (ms since the epoch): a design saved later was saved
    /// by a tab that stopped before it could write the index.
    #[serde(default)]
    pub written: f64,
}

/// A design as kept under its key: the design file, with what the library needs to know of it
/// without reading the design (`D` is the design's JSON, or skipped).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stored<D> {
    /// Counts the saves of this design, by any tab.
    pub rev: u64,
    /// Milliseconds since the epoch.
    pub saved: f64,
    /// The tab that saved it (a random id per page load).
    #[serde(default)]
    pub writer: String,
    pub name: String,
    pub nodes: usize,
    pub design: D,
}

/// What the store holds of a design besides the design itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub rev: u64,
    pub saved: f64,
    pub writer: String,
    pub name: String,
    pub nodes: usize,
}

/// A design read from the store with its revision.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub design: Design,
    pub rev: u64,
    pub writer: String,
}

/// Why a save did not happen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SaveError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Another tab saved this design (revision `theirs`) or deleted it (`None`) since the
    /// revision this save was based on.
    #[error("this design was changed in another tab")]
    Conflict { theirs: Option<u64> },
}

/// The revision stored under `key`'s text, without reading the design; `None` for the bare
/// design file of an older release (revision 0) or anything else.
fn revision_of(text: &str) -> Option<Revision> {
    let s: Stored<serde::de::IgnoredAny> = serde_json::from_str(text).ok()?;
    Some(Revision {
        rev: s.rev,
        saved: s.saved,
        writer: s.writer,
        name: s.name,
        nodes: s.nodes,
    })
}

/// The design file inside a stored value: the envelope's `design`, or the whole text.
fn design_text(text: &str) -> (&str, u64, String) {
    match serde_json::from_str::<Stored<&serde_json::value::RawValue>>(text) {
        Ok(s) => (s.design.get(), s.rev, s.writer),
        Err(_) => (text, 0, String::new()),
    }
}

/// What opening the library found besides the designs: problems to show, never to act on.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Opened {
    pub library: Library,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Library {
    pub index: Index,
}

pub fn design_key(id: &str) -> String {
    format!("{DESIGN_KEY_PREFIX}{id}")
}

fn valid_entry_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ENTRY_ID
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

impl Library {
    /// Reads the index; a missing or damaged one is rebuilt from the design keys (names are
    /// read from the designs), and the damage is reported as a warning.
    pub fn open(store: &dyn Store) -> Result<Opened, StoreError> {
        let mut warnings = Vec::new();
        let index = match store.get(INDEX_KEY)? {
            None => None,
            Some(text) => match serde_json::from_str::<Index>(&text) {
                Ok(ix) if ix.version <= INDEX_VERSION => Some(ix),
                Ok(_) => {
                    warnings.push("The list of saved designs was written by a newer Infracanvas; it was rebuilt from the designs themselves".into());
                    None
                }
                Err(_) => {
                    warnings.push("The list of saved designs was damaged; it was rebuilt from the designs themselves".into());
                    None
                }
            },
        };
        let mut index = match index {
            Some(ix) => ix,
            None => rebuild_index(store)?,
        };
        // Entries whose design is gone cannot be opened: drop them from the list only.
        let keys = store.keys()?;
        index
            .entries
            .retain(|e| valid_entry_id(&e.id) && keys.contains(&design_key(&e.id)));
        // Designs the index does not list, or lists as they were before their last save (a
        // tab stopped between writing the design and the index), are listed as saved; the
        // latest of them was being edited, so it is current again.
        let mut latest: Option<(f64, String)> = None;
        for key in &keys {
            let Some(id) = key.strip_prefix(DESIGN_KEY_PREFIX) else {
                continue;
            };
            if !valid_entry_id(id) {
                continue;
            }
            let revision = store.get(key)?.as_deref().and_then(revision_of);
            let listed = index.entries.iter().position(|e| e.id == id);
            match (listed, revision) {
                (Some(i), Some(r)) if r.saved > index.written => {
                    index.entries[i] = entry_of(id, &r);
                    if latest.as_ref().is_none_or(|(t, _)| r.saved > *t) {
                        latest = Some((r.saved, id.to_string()));
                    }
                }
                (Some(_), _) => {}
                (None, Some(r)) => {
                    if r.saved > index.written && latest.as_ref().is_none_or(|(t, _)| r.saved > *t)
                    {
                        latest = Some((r.saved, id.to_string()));
                    }
                    index.entries.push(entry_of(id, &r));
                }
                (None, None) => index.entries.push(entry_from_store(store, id)?),
            }
        }
        if let Some((_, id)) = latest {
            index.current = Some(id);
        }
        if index
            .current
            .as_deref()
            .is_some_and(|c| !index.entries.iter().any(|e| e.id == c))
        {
            index.current = None;
        }
        index.version = INDEX_VERSION;
        sort(&mut index.entries);
        Ok(Opened {
            library: Library { index },
            warnings,
        })
    }

    pub fn current(&self) -> Option<&str> {
        self.index.current.as_deref()
    }

    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.index.entries.iter().find(|e| e.id == id)
    }

    /// The design saved under `id`; a damaged one is an error and stays in the store.
    pub fn load(&self, store: &dyn Store, id: &str) -> Result<Design, String> {
        self.load_saved(store, id).map(|s| s.design)
    }

    /// The design saved under `id` with its revision.
    pub fn load_saved(&self, store: &dyn Store, id: &str) -> Result<Saved, String> {
        let text = store
            .get(&design_key(id))
            .map_err(|e| e.to_string())?
            .ok_or_else(|| "This design is no longer in the browser's storage".to_string())?;
        let (design, rev, writer) = design_text(&text);
        let design = load_design_brief(design.as_bytes()).map_err(|e| {
            format!(
                "The saved design could not be read ({e}); it is kept in the browser's storage under `{}`",
                design_key(id)
            )
        })?;
        Ok(Saved {
            design,
            rev,
            writer,
        })
    }

    /// The revision saved under `id`, `None` when there is no such design.
    pub fn revision(store: &dyn Store, id: &str) -> Result<Option<Revision>, StoreError> {
        Ok(store.get(&design_key(id))?.map(|text| {
            revision_of(&text).unwrap_or(Revision {
                rev: 0,
                saved: 0.0,
                writer: String::new(),
                name: String::new(),
                nodes: 0,
            })
        }))
    }

    /// Saves `design` as entry `id` over whatever is stored (adding the entry if new) and
    /// makes it current; returns the new revision.
    pub fn save(
        &mut self,
        store: &mut dyn Store,
        id: &str,
        design: &Design,
        now: f64,
    ) -> Result<u64, StoreError> {
        let base = Self::revision(store, id)?.map_or(0, |r| r.rev);
        self.write(store, id, design, now, base, "")
    }

    /// Saves `design` as entry `id` only if the store still holds revision `base` of it (0:
    /// none yet), i.e. no other tab saved or deleted it since this tab read or wrote it.
    pub fn save_checked(
        &mut self,
        store: &mut dyn Store,
        id: &str,
        design: &Design,
        now: f64,
        base: u64,
        writer: &str,
    ) -> Result<u64, SaveError> {
        match Self::revision(store, id)? {
            Some(r) if r.rev != base => {
                return Err(SaveError::Conflict {
                    theirs: Some(r.rev),
                })
            }
            None if base != 0 => return Err(SaveError::Conflict { theirs: None }),
            _ => {}
        }
        Ok(self.write(store, id, design, now, base, writer)?)
    }

    /// Writes revision `base + 1` of the design, then the index (in this order: see the
    /// module's comment).
    fn write(
        &mut self,
        store: &mut dyn Store,
        id: &str,
        design: &Design,
        now: f64,
        base: u64,
        writer: &str,
    ) -> Result<u64, StoreError> {
        if !valid_entry_id(id) {
            return Err(StoreError::Other(format!("`{id}` is not a design id")));
        }
        let rev = base + 1;
        let stored = Stored {
            rev,
            saved: now,
            writer: writer.to_string(),
            name: design.name.clone(),
            nodes: design.nodes.len(),
            design: serde_json::value::RawValue::from_string(to_json_compact(design))
                .map_err(|e| StoreError::Other(e.to_string()))?,
        };
        let text = serde_json::to_string(&stored).map_err(|e| StoreError::Other(e.to_string()))?;
        store.set(&design_key(id), &text)?;
        self.reread_index(store);
        let entry = Entry {
            id: id.to_string(),
            name: design.name.clone(),
            updated: now,
            nodes: design.nodes.len(),
        };
        match self.index.entries.iter_mut().find(|e| e.id == id) {
            Some(e) => *e = entry,
            None => self.index.entries.push(entry),
        }
        self.index.current = Some(id.to_string());
        sort(&mut self.index.entries);
        self.write_index(store, now)?;
        Ok(rev)
    }

    /// Takes up the index as another tab may have written it (their new designs, names,
    /// deletions); a missing or unreadable one leaves this tab's view as it is.
    pub fn reread_index(&mut self, store: &dyn Store) {
        if let Ok(Some(text)) = store.get(INDEX_KEY) {
            if let Ok(index) = serde_json::from_str::<Index>(&text) {
                if index.version <= INDEX_VERSION {
                    self.index = index;
                }
            }
        }
    }

    /// Makes `id` the design opened on the next start.
    pub fn set_current(&mut self, store: &mut dyn Store, id: &str) -> Result<(), StoreError> {
        self.reread_index(store);
        if self.entry(id).is_some() {
            self.index.current = Some(id.to_string());
            let now = self.index.written;
            self.write_index(store, now)?;
        }
        Ok(())
    }

    /// Renames the saved design `id` (its file's `name` too).
    pub fn rename(
        &mut self,
        store: &mut dyn Store,
        id: &str,
        name: &str,
        now: f64,
    ) -> Result<(), String> {
        let mut design = self.load(store, id)?;
        design.name = name.to_string();
        crate::model::load::check_design(&design).map_err(|e| e.to_string())?;
        self.save_keeping_current(store, id, &design, now)
    }

    /// Copies the saved design `id` to `new_id`, named "… (copy)"; the current design stays.
    pub fn duplicate(
        &mut self,
        store: &mut dyn Store,
        id: &str,
        new_id: &str,
        now: f64,
    ) -> Result<(), String> {
        let mut design = self.load(store, id)?;
        design.name = copy_name(&design.name);
        self.save_keeping_current(store, new_id, &design, now)
    }

    /// Saves a design that is not the one being edited: the current design stays current.
    fn save_keeping_current(
        &mut self,
        store: &mut dyn Store,
        id: &str,
        design: &Design,
        now: f64,
    ) -> Result<(), String> {
        self.reread_index(store);
        let current = self.index.current.clone();
        self.save(store, id, design, now)
            .map_err(|e| e.to_string())?;
        self.index.current = current;
        self.write_index(store, now).map_err(|e| e.to_string())
    }

    /// Deletes the saved design `id`. When it was current, no design is current afterwards.
    pub fn delete(&mut self, store: &mut dyn Store, id: &str) -> Result<(), StoreError> {
        store.remove(&design_key(id))?;
        self.reread_index(store);
        self.index.entries.retain(|e| e.id != id);
        if self.index.current.as_deref() == Some(id) {
            self.index.current = None;
        }
        let now = self.index.written;
        self.write_index(store, now)
    }

    /// Writes the index, stamped `written` no earlier than any save it lists.
    fn write_index(&mut self, store: &mut dyn Store, now: f64) -> Result<(), StoreError> {
        let newest = self
            .index
            .entries
            .iter()
            .map(|e| e.updated)
            .fold(now, f64::max);
        self.index.written = self.index.written.max(newest);
        let text =
            serde_json::to_string(&self.index).map_err(|e| StoreError::Other(e.to_string()))?;
        store.set(INDEX_KEY, &text)
    }
}

fn sort(entries: &mut [Entry]) {
    entries.sort_by(|a, b| b.updated.total_cmp(&a.updated).then(a.id.cmp(&b.id)));
}

fn rebuild_index(store: &dyn Store) -> Result<Index, StoreError> {
    let mut entries = Vec::new();
    for key in store.keys()? {
        if let Some(id) = key.strip_prefix(DESIGN_KEY_PREFIX) {
            if valid_entry_id(id) {
                entries.push(entry_from_store(store, id)?);
            }
        }
    }
    Ok(Index {
        version: INDEX_VERSION,
        current: None,
        entries,
        written: 0.0,
    })
}

fn entry_of(id: &str, r: &Revision) -> Entry {
    Entry {
        id: id.to_string(),
        name: r.name.clone(),
        updated: r.saved,
        nodes: r.nodes,
    }
}

/// An index entry for a design found in the store; an unreadable design is still listed (so
/// it can be deleted or downloaded), under a name that says so.
fn entry_from_store(store: &dyn Store, id: &str) -> Result<Entry, StoreError> {
    let text = store.get(&design_key(id))?.unwrap_or_default();
    if let Some(r) = revision_of(&text) {
        return Ok(entry_of(id, &r));
    }
    let (name, nodes) = match load_design_brief(text.as_bytes()) {
        Ok(d) => (d.name, d.nodes.len()),
        Err(_) => (format!("Unreadable design {id}"), 0),
    };
    Ok(Entry {
        id: id.to_string(),
        name,
        updated: 0.0,
        nodes,
    })
}

/// "Shop" → "Shop (copy)", "Shop (copy)" → "Shop (copy 2)", …
pub fn copy_name(name: &str) -> String {
    if let Some(stem) = name.strip_suffix(" (copy)") {
        return format!("{stem} (copy 2)");
    }
    if let Some((stem, n)) = name
        .strip_suffix(')')
        .and_then(|s| s.rsplit_once(" (copy "))
        .and_then(|(stem, n)| n.parse::<u32>().ok().map(|n| (stem, n)))
    {
        return format!("{stem} (copy {})", n.saturating_add(1));
    }
    format!("{name} (copy)")
}

/// A map with a byte budget, like `localStorage`'s quota.
#[cfg(test)]
pub(crate) mod memory {
    use super::{Store, StoreError};
    use std::collections::BTreeMap;

    #[derive(Debug, Default)]
    pub struct MemoryStore {
        pub map: BTreeMap<String, String>,
        pub quota: Option<usize>,
        pub unavailable: bool,
        /// Writes of this key fail, as if the page stopped just before writing it.
        pub crash_before: Option<String>,
    }

    impl MemoryStore {
        fn used(&self) -> usize {
            self.map.iter().map(|(k, v)| k.len() + v.len()).sum()
        }
    }

    impl Store for MemoryStore {
        fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
            if self.unavailable {
                return Err(StoreError::Unavailable);
            }
            Ok(self.map.get(key).cloned())
        }
        fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
            if self.unavailable {
                return Err(StoreError::Unavailable);
            }
            if self.crash_before.as_deref() == Some(key) {
                return Err(StoreError::Other("the page stopped".into()));
            }
            let old = self.map.get(key).map_or(0, |v| key.len() + v.len());
            if let Some(q) = self.quota {
                if self.used() - old + key.len() + value.len() > q {
                    return Err(StoreError::Full);
                }
            }
            self.map.insert(key.to_string(), value.to_string());
            Ok(())
        }
        fn remove(&mut self, key: &str) -> Result<(), StoreError> {
            if self.unavailable {
                return Err(StoreError::Unavailable);
            }
            self.map.remove(key);
            Ok(())
        }
        fn keys(&self) -> Result<Vec<String>, StoreError> {
            if self.unavailable {
                return Err(StoreError::Unavailable);
            }
            Ok(self.map.keys().cloned().collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::memory::MemoryStore;
    use super::*;
    use crate::templates::template;

    fn shop() -> Design {
        template("microservices-platform").unwrap()
    }

    #[test]
    fn a_saved_design_comes_back_after_a_restart() {
        let mut store = MemoryStore::default();
        let mut lib = Library::open(&store).unwrap().library;
        assert_eq!(lib.current(), None);
        let mut d = shop();
        d.name = "Магазин \"Ёлка\"\n<script>".into();
        lib.save(&mut store, "d1", &d, 10.0).unwrap();
        let opened = Library::open(&store).unwrap();
        assert!(opened.warnings.is_empty());
        let lib2 = opened.library;
        assert_eq!(lib2.current(), Some("d1"));
        assert_eq!(lib2.load(&store, "d1").unwrap(), d);
        assert_eq!(lib2.entry("d1").unwrap().name, d.name);
    }

    #[test]
    fn entries_are_listed_newest_first_and_switching_changes_current() {
        let mut store = MemoryStore::default();
        let mut lib = Library::default();
        lib.save(&mut store, "a", &Design::new("A"), 1.0).unwrap();
        lib.save(&mut store, "b", &Design::new("B"), 2.0).unwrap();
        let ids: Vec<_> = lib.index.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["b", "a"]);
        lib.set_current(&mut store, "a").unwrap();
        assert_eq!(Library::open(&store).unwrap().library.current(), Some("a"));
        // An unknown id does not become current.
        lib.set_current(&mut store, "zzz").unwrap();
        assert_eq!(lib.current(), Some("a"));
    }

    #[test]
    fn rename_duplicate_delete() {
        let mut store = MemoryStore::default();
        let mut lib = Library::default();
        lib.save(&mut store, "a", &shop(), 1.0).unwrap();
        lib.rename(&mut store, "a", "Прод", 2.0).unwrap();
        assert_eq!(lib.load(&store, "a").unwrap().name, "Прод");
        lib.duplicate(&mut store, "a", "b", 3.0).unwrap();
        assert_eq!(lib.load(&store, "b").unwrap().name, "Прод (copy)");
        assert_eq!(lib.current(), Some("a"), "duplicating does not switch");
        assert_eq!(
            lib.load(&store, "b").unwrap().nodes,
            lib.load(&store, "a").unwrap().nodes
        );
        lib.delete(&mut store, "a").unwrap();
        assert_eq!(lib.current(), None);
        assert!(lib.entry("a").is_none());
        assert!(!store.map.contains_key(&design_key("a")));
        assert!(lib.load(&store, "a").is_err());
        let again = Library::open(&store).unwrap().library;
        assert_eq!(again.index.entries.len(), 1);
        // A name the loader refuses is refused and the saved name stays.
        let long = "x".repeat(crate::model::limits::MAX_TEXT_CHARS + 1);
        assert!(lib.rename(&mut store, "b", &long, 4.0).is_err());
        assert_eq!(lib.load(&store, "b").unwrap().name, "Прод (copy)");
    }

    #[test]
    fn copy_names_count_up() {
        assert_eq!(copy_name("Shop"), "Shop (copy)");
        assert_eq!(copy_name("Shop (copy)"), "Shop (copy 2)");
        assert_eq!(copy_name("Shop (copy 2)"), "Shop (copy 3)");
        assert_eq!(copy_name("Shop (copy x)"), "Shop (copy x) (copy)");
    }

    #[test]
    fn a_full_store_is_an_error_and_keeps_the_previous_save() {
        let mut store = MemoryStore::default();
        let mut lib = Library::default();
        let small = Design::new("small");
        lib.save(&mut store, "a", &small, 1.0).unwrap();
        store.quota = Some(
            store
                .map
                .iter()
                .map(|(k, v)| k.len() + v.len())
                .sum::<usize>()
                + 50,
        );
        let err = lib.save(&mut store, "a", &shop(), 2.0).unwrap_err();
        assert_eq!(err, StoreError::Full);
        assert!(err.to_string().contains("download"));
        assert_eq!(lib.load(&store, "a").unwrap(), small);
    }

    #[test]
    fn unavailable_storage_is_reported() {
        let store = MemoryStore {
            unavailable: true,
            ..Default::default()
        };
        assert_eq!(Library::open(&store).unwrap_err(), StoreError::Unavailable);
    }

    #[test]
    fn a_damaged_index_is_rebuilt_from_the_designs() {
        let mut store = MemoryStore::default();
        let mut lib = Library::default();
        lib.save(&mut store, "a", &Design::new("Alpha"), 1.0)
            .unwrap();
        lib.save(&mut store, "b", &Design::new("Beta"), 2.0)
            .unwrap();
        store.map.insert(INDEX_KEY.into(), "{not json".into());
        let opened = Library::open(&store).unwrap();
        assert_eq!(opened.warnings.len(), 1);
        let mut names: Vec<_> = opened
            .library
            .index
            .entries
            .iter()
            .map(|e| e.name.clone())
            .collect();
        names.sort();
        assert_eq!(names, ["Alpha", "Beta"]);
    }

    #[test]
    fn a_damaged_design_is_reported_and_kept() {
        let mut store = MemoryStore::default();
        let mut lib = Library::default();
        lib.save(&mut store, "a", &Design::new("Alpha"), 1.0)
            .unwrap();
        store
            .map
            .insert(design_key("a"), "{\"version\":1,\"nod".into());
        let lib = Library::open(&store).unwrap().library;
        let err = lib.load(&store, "a").unwrap_err();
        assert!(err.contains("kept in the browser's storage"), "{err}");
        assert!(store.map.contains_key(&design_key("a")), "never deleted");
        assert_eq!(lib.current(), Some("a"));
    }

    #[test]
    fn an_unlisted_design_is_found_and_a_listed_missing_one_dropped() {
        let mut store = MemoryStore::default();
        let mut lib = Library::default();
        lib.save(&mut store, "a", &Design::new("Alpha"), 1.0)
            .unwrap();
        // A save that wrote the design but not the index.
        store
            .map
            .insert(design_key("b"), to_json_compact(&Design::new("Beta")));
        store.map.remove(&design_key("a"));
        let lib = Library::open(&store).unwrap().library;
        let ids: Vec<_> = lib.index.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["b"]);
        assert_eq!(lib.current(), None);
    }

    #[test]
    fn hostile_entry_ids_are_ignored() {
        let mut store = MemoryStore::default();
        store
            .map
            .insert(format!("{DESIGN_KEY_PREFIX}../x\"y"), "{}".into());
        let lib = Library::open(&store).unwrap().library;
        assert!(lib.index.entries.is_empty());
        let mut lib = lib;
        assert!(lib
            .save(&mut store, "bad id", &Design::new("x"), 1.0)
            .is_err());
    }

    /// Two tabs, each with its own view of the library, over one store.
    fn two_tabs(store: &mut MemoryStore) -> (Library, Library, u64) {
        let mut a = Library::open(store).unwrap().library;
        let rev = a
            .save_checked(store, "d", &shop(), 1.0, 0, "tab-a")
            .unwrap();
        let b = Library::open(store).unwrap().library;
        (a, b, rev)
    }

    #[test]
    fn a_save_based_on_an_old_revision_is_refused() {
        let mut store = MemoryStore::default();
        let (mut a, mut b, rev) = two_tabs(&mut store);
        assert_eq!(rev, 1);
        let opened_by_b = b.load_saved(&store, "d").unwrap();
        assert_eq!((opened_by_b.rev, opened_by_b.writer.as_str()), (1, "tab-a"));

        // Tab A deletes one node and saves; tab B, still on revision 1, deletes another.
        let mut mine_a = shop();
        let x = mine_a.nodes.pop().unwrap().id;
        let rev_a = a
            .save_checked(&mut store, "d", &mine_a, 2.0, rev, "tab-a")
            .unwrap();
        assert_eq!(rev_a, 2);
        let mut mine_b = shop();
        let y = mine_b.nodes.remove(0).id;
        let refused = b.save_checked(&mut store, "d", &mine_b, 3.0, rev, "tab-b");
        assert_eq!(refused, Err(SaveError::Conflict { theirs: Some(2) }));
        // Nothing of A's was overwritten.
        let stored = b.load_saved(&store, "d").unwrap();
        assert_eq!((stored.rev, &stored.design), (2, &mine_a));

        // "Keep mine as a copy": B's version goes to a new entry; both are listed.
        b.save_checked(&mut store, "d-copy", &mine_b, 4.0, 0, "tab-b")
            .unwrap();
        let lib = Library::open(&store).unwrap().library;
        assert!(lib.load(&store, "d").unwrap().node(&x).is_none());
        assert!(lib.load(&store, "d").unwrap().node(&y).is_some());
        assert!(lib.load(&store, "d-copy").unwrap().node(&y).is_none());
        assert!(lib.load(&store, "d-copy").unwrap().node(&x).is_some());

        // "Reload theirs": B takes revision 2 and its next save builds on it.
        let theirs = b.load_saved(&store, "d").unwrap();
        let mut next = theirs.design.clone();
        next.nodes.retain(|n| n.id != y);
        assert_eq!(
            b.save_checked(&mut store, "d", &next, 5.0, theirs.rev, "tab-b"),
            Ok(3)
        );
        let both = lib.load(&store, "d").unwrap();
        assert!(
            both.node(&x).is_none() && both.node(&y).is_none(),
            "both deletions kept"
        );
    }

    #[test]
    fn a_save_of_a_design_deleted_elsewhere_is_refused() {
        let mut store = MemoryStore::default();
        let (mut a, mut b, rev) = two_tabs(&mut store);
        a.delete(&mut store, "d").unwrap();
        assert_eq!(
            b.save_checked(&mut store, "d", &shop(), 2.0, rev, "tab-b"),
            Err(SaveError::Conflict { theirs: None })
        );
        assert!(!store.map.contains_key(&design_key("d")));
    }

    #[test]
    fn one_tab_keeps_the_designs_another_tab_listed() {
        let mut store = MemoryStore::default();
        let (mut a, mut b, rev) = two_tabs(&mut store);
        b.save_checked(&mut store, "other", &Design::new("B's"), 2.0, 0, "tab-b")
            .unwrap();
        // A's view of the index predates "other"; its next save must not drop it.
        a.save_checked(&mut store, "d", &shop(), 3.0, rev, "tab-a")
            .unwrap();
        let ids: Vec<String> = Library::open(&store)
            .unwrap()
            .library
            .index
            .entries
            .iter()
            .map(|e| e.id.clone())
            .collect();
        assert_eq!(ids, ["d", "other"]);
        assert_eq!(a.entry("other").unwrap().name, "B's");
    }

    #[test]
    fn a_crash_between_the_design_and_the_index_loses_neither() {
        let mut store = MemoryStore::default();
        let mut lib = Library::default();
        lib.save(&mut store, "old", &Design::new("Old"), 1.0)
            .unwrap();
        lib.save(&mut store, "d", &Design::new("Before"), 2.0)
            .unwrap();
        lib.set_current(&mut store, "old").unwrap();
        lib.set_current(&mut store, "d").unwrap();
        let index_before = store.map[INDEX_KEY].clone();

        // An edit of "d" and a new design, each stopped after its design was written.
        store.crash_before = Some(INDEX_KEY.into());
        let mut renamed = shop();
        renamed.name = "After".into();
        assert!(lib.save(&mut store, "d", &renamed, 3.0).is_err());
        assert!(lib
            .save(&mut store, "new", &Design::new("New"), 4.0)
            .is_err());
        assert_eq!(
            store.map[INDEX_KEY], index_before,
            "the index was not written"
        );
        store.crash_before = None;

        let opened = Library::open(&store).unwrap().library;
        assert_eq!(opened.load(&store, "d").unwrap(), renamed);
        assert_eq!(opened.entry("d").unwrap().name, "After");
        assert_eq!(opened.entry("d").unwrap().nodes, renamed.nodes.len());
        assert_eq!(opened.entry("new").unwrap().name, "New");
        assert_eq!(
            opened.current(),
            Some("new"),
            "the design saved last is current again"
        );
        let ids: Vec<_> = opened.index.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["new", "d", "old"]);

        // And a crash before the design itself changes nothing: the old revision stays whole.
        store.crash_before = Some(design_key("d"));
        assert!(lib
            .save(&mut store, "d", &Design::new("Lost?"), 5.0)
            .is_err());
        assert_eq!(
            Library::open(&store)
                .unwrap()
                .library
                .load(&store, "d")
                .unwrap(),
            renamed
        );
    }

    #[test]
    fn a_design_saved_by_an_older_release_reads_as_revision_0() {
        let mut store = MemoryStore::default();
        store
            .map
            .insert(design_key("legacy"), to_json_compact(&shop()));
        let mut lib = Library::open(&store).unwrap().library;
        assert_eq!(lib.entry("legacy").unwrap().name, shop().name);
        let saved = lib.load_saved(&store, "legacy").unwrap();
        assert_eq!((saved.rev, saved.design), (0, shop()));
        assert_eq!(
            lib.save_checked(&mut store, "legacy", &shop(), 1.0, 0, "tab"),
            Ok(1)
        );
        assert_eq!(Library::revision(&store, "legacy").unwrap().unwrap().rev, 1);
    }
}
