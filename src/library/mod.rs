//! "My designs": the designs kept in the browser's local storage, so that a reload, a crash or
//! a closed tab loses nothing. Pure logic over a [`Store`] (a key-value store that may be full or
//! missing); the page implements it with `localStorage`, the tests with a map of limited size.
//!
//! Layout in the store: one key per design (`infracanvas.design.<id>`, the design file's compact
//! JSON) and an index (`infracanvas.index`) with the names, update times and the current design.
//! A design is written before the index, so a failure between the two leaves a design the index
//! does not list yet, never an index entry without its design; [`Library::open`] rebuilds the
//! index from the design keys when it is missing or damaged.
//!
//! Nothing here deletes a design the user did not delete: a design that cannot be read stays in
//! the store under its key and is reported.

use serde::{Deserialize, Serialize};

use crate::model::{load_design, to_json_compact, Design};

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
        // Designs the index does not list (a save interrupted before the index) are added.
        for key in &keys {
            if let Some(id) = key.strip_prefix(DESIGN_KEY_PREFIX) {
                if valid_entry_id(id) && !index.entries.iter().any(|e| e.id == id) {
                    index.entries.push(entry_from_store(store, id)?);
                }
            }
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
        let text = store
            .get(&design_key(id))
            .map_err(|e| e.to_string())?
            .ok_or_else(|| "This design is no longer in the browser's storage".to_string())?;
        load_design(&text).map_err(|e| {
            format!(
                "The saved design could not be read ({e}); it is kept in the browser's storage under `{}`",
                design_key(id)
            )
        })
    }

    /// Saves `design` as entry `id` (adding the entry if new) and makes it current.
    pub fn save(
        &mut self,
        store: &mut dyn Store,
        id: &str,
        design: &Design,
        now: f64,
    ) -> Result<(), StoreError> {
        if !valid_entry_id(id) {
            return Err(StoreError::Other(format!("`{id}` is not a design id")));
        }
        store.set(&design_key(id), &to_json_compact(design))?;
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
        self.write_index(store)
    }

    /// Makes `id` the design opened on the next start.
    pub fn set_current(&mut self, store: &mut dyn Store, id: &str) -> Result<(), StoreError> {
        if self.entry(id).is_some() {
            self.index.current = Some(id.to_string());
            self.write_index(store)?;
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
        let current = self.index.current.clone();
        self.save(store, id, &design, now)
            .map_err(|e| e.to_string())?;
        self.index.current = current;
        self.write_index(store).map_err(|e| e.to_string())
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
        let current = self.index.current.clone();
        self.save(store, new_id, &design, now)
            .map_err(|e| e.to_string())?;
        self.index.current = current;
        self.write_index(store).map_err(|e| e.to_string())
    }

    /// Deletes the saved design `id`. When it was current, no design is current afterwards.
    pub fn delete(&mut self, store: &mut dyn Store, id: &str) -> Result<(), StoreError> {
        store.remove(&design_key(id))?;
        self.index.entries.retain(|e| e.id != id);
        if self.index.current.as_deref() == Some(id) {
            self.index.current = None;
        }
        self.write_index(store)
    }

    fn write_index(&self, store: &mut dyn Store) -> Result<(), StoreError> {
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
    })
}

/// An index entry for a design found in the store; an unreadable design is still listed (so
/// it can be deleted or downloaded), under a name that says so.
fn entry_from_store(store: &dyn Store, id: &str) -> Result<Entry, StoreError> {
    let text = store.get(&design_key(id))?.unwrap_or_default();
    let (name, nodes) = match load_design(&text) {
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
}
