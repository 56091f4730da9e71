//! Undo and redo for a design, free of any UI: the page records each change here, and so
//! could any other editor of designs.
//!
//! The history does not hold the design; whoever edits holds it (the page, in a signal) and
//! hands it over when it records, undoes or redoes. Each step keeps a [`Patch`] from the design
//! after the change back to the one before, so a step costs what the change touched. Three
//! things join changes into one step:
//! - a *transaction* ([`History::begin`] … [`History::commit`]): every change in between is one
//!   step; [`History::abort`] gives back the design as it was at `begin`;
//! - *coalescing*: changes recorded with the same key one after the other (the letters typed
//!   into one field) are one step, until [`History::seal`] (the field lost the focus), another
//!   key, an undo or a redo ends it;
//! - nothing else: every other recorded change is a step of its own.
//!
//! The history keeps at most [`Limits::steps`] steps and about [`Limits::bytes`] of patches
//! (see [`Patch::weight`]), dropping the oldest first; the newest step is always kept.

mod patch;

use std::collections::VecDeque;

pub use patch::Patch;

use crate::model::Design;

/// How much the history keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Undo steps.
    pub steps: usize,
    /// Bytes of patches, undo and redo together (their JSON size, see [`Patch::weight`]).
    pub bytes: usize,
}

impl Default for Limits {
    /// 100 steps, 32 MB: room for 100 replacements of a 5,000-node design's worth of changes
    /// on a phone, never a surprise of hundreds of megabytes.
    fn default() -> Self {
        Limits {
            steps: 100,
            bytes: 32 << 20,
        }
    }
}

#[derive(Debug, Clone)]
struct Step {
    /// Turns the design after the change into the one before it (for undo: the other way).
    back: Patch,
    weight: usize,
}

impl Step {
    fn new(back: Patch) -> Self {
        let weight = back.weight();
        Step { back, weight }
    }
}

/// The undo and redo steps of one design.
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: VecDeque<Step>,
    redo: Vec<Step>,
    limits: Limits,
    /// The key of the change that may take the next one with the same key into its step.
    merge_key: Option<String>,
    /// Open transactions (nested ones count) and the undo depth at the outermost `begin`.
    txn: Option<(usize, usize)>,
}

impl History {
    pub fn new(limits: Limits) -> Self {
        History {
            limits,
            ..History::default()
        }
    }

    /// Steps to undo and to redo.
    pub fn counts(&self) -> (usize, usize) {
        (self.undo.len(), self.redo.len())
    }

    /// The bytes the steps hold, about (see [`Limits::bytes`]).
    pub fn weight(&self) -> usize {
        self.undo.iter().chain(&self.redo).map(|s| s.weight).sum()
    }

    /// Forgets every step (another design is shown).
    pub fn clear(&mut self) {
        *self = History::new(self.limits);
    }

    /// Records that the design changed from `before` to `after`, as a step of its own or,
    /// when `merge` is the key of the change just before (and nothing sealed it), into that
    /// step. Returns whether anything changed. The redo steps are dropped once something has.
    pub fn record(&mut self, before: Design, after: &Design, merge: Option<&str>) -> bool {
        let back = Patch::between(after, &before);
        if back.is_empty() {
            return false;
        }
        self.redo.clear();
        let merging = self.txn.is_none()
            && merge.is_some()
            && self.merge_key.as_deref() == merge
            && !self.undo.is_empty();
        if merging {
            if let Some(top) = self.undo.pop_back() {
                // The design before the previous change of this key: one patch back to it.
                let mut first = before;
                top.back.apply(&mut first);
                let back = Patch::between(after, &first);
                if back.is_empty() {
                    // Back where the key's changes started: no step, and the next change
                    // must not merge into the step below.
                    self.merge_key = None;
                    return true;
                }
                self.undo.push_back(Step::new(back));
            }
        } else {
            self.undo.push_back(Step::new(back));
        }
        self.merge_key = merge.map(str::to_string);
        self.trim();
        true
    }

    /// Ends coalescing: the next change is a step of its own whatever its key.
    pub fn seal(&mut self) {
        self.merge_key = None;
    }

    /// The design before the last step, given the `present` one; `None` when there is
    /// nothing to undo. The step becomes a redo step.
    pub fn undo(&mut self, present: &Design) -> Option<Design> {
        self.seal();
        let step = self.undo.pop_back()?;
        let mut before = present.clone();
        step.back.apply(&mut before);
        self.redo.push(Step::new(Patch::between(&before, present)));
        Some(before)
    }

    /// The design after the last undone step, given the `present` one; `None` when there is
    /// nothing to redo.
    pub fn redo(&mut self, present: &Design) -> Option<Design> {
        self.seal();
        let step = self.redo.pop()?;
        let mut after = present.clone();
        step.back.apply(&mut after);
        self.undo
            .push_back(Step::new(Patch::between(&after, present)));
        self.trim();
        Some(after)
    }

    /// Opens a transaction: the changes recorded until the matching [`commit`](Self::commit)
    /// are one step. Transactions nest; only the outermost one makes the step.
    pub fn begin(&mut self) {
        self.seal();
        self.txn = Some(match self.txn {
            Some((open, depth)) => (open + 1, depth),
            None => (1, self.undo.len()),
        });
    }

    /// Closes a transaction; the outermost one joins the steps recorded since its `begin`
    /// into one, given the `present` design. Without an open transaction, nothing happens.
    pub fn commit(&mut self, present: &Design) {
        match self.txn {
            Some((open, depth)) if open > 1 => self.txn = Some((open - 1, depth)),
            Some((_, depth)) => {
                self.txn = None;
                if let Some(start) = self.unwind(present, depth) {
                    let back = Patch::between(present, &start);
                    if !back.is_empty() {
                        self.undo.push_back(Step::new(back));
                    }
                }
                self.trim();
            }
            None => {}
        }
    }

    /// Closes every open transaction and gives back the design as it was at the outermost
    /// `begin` (the caller shows it), dropping the steps recorded since. `None` when no
    /// transaction was open or nothing changed in it.
    pub fn abort(&mut self, present: &Design) -> Option<Design> {
        let (_, depth) = self.txn.take()?;
        self.unwind(present, depth)
    }

    /// Pops the steps above `depth`, applying them to a copy of `present`: the design at that
    /// depth. `None` when there were none.
    fn unwind(&mut self, present: &Design, depth: usize) -> Option<Design> {
        if self.undo.len() <= depth {
            return None;
        }
        let mut d = present.clone();
        while self.undo.len() > depth {
            if let Some(step) = self.undo.pop_back() {
                step.back.apply(&mut d);
            }
        }
        Some(d)
    }

    /// Drops the oldest steps beyond the limits, keeping the newest (and, inside a
    /// transaction, every step of it: they are joined at its commit).
    fn trim(&mut self) {
        let keep = match self.txn {
            Some((_, depth)) => (self.undo.len() - depth.min(self.undo.len())).max(1),
            None => 1,
        };
        let mut weight = self.weight();
        while self.undo.len() > keep
            && (self.undo.len() > self.limits.steps || weight > self.limits.bytes)
        {
            if let Some(old) = self.undo.pop_front() {
                weight -= old.weight;
                if let Some((open, depth)) = self.txn {
                    self.txn = Some((open, depth.saturating_sub(1)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::design_of_size;

    /// Records `f`'s change of `d` with `merge`.
    fn change(h: &mut History, d: &mut Design, merge: Option<&str>, f: impl FnOnce(&mut Design)) {
        let before = d.clone();
        f(d);
        h.record(before, d, merge);
    }

    fn type_name(h: &mut History, d: &mut Design, text: &str) {
        for end in 1..=text.len() {
            change(h, d, Some("field-name:n1"), |d| {
                d.nodes[1].name = text[..end].to_string()
            });
        }
    }

    #[test]
    fn undo_and_redo_walk_the_steps() {
        let mut h = History::default();
        let start = design_of_size(200);
        let mut d = start.clone();
        change(&mut h, &mut d, None, |d| d.name = "One".into());
        let one = d.clone();
        change(&mut h, &mut d, None, |d| {
            d.nodes.remove(3);
        });
        assert_eq!(h.counts(), (2, 0));
        let d1 = h.undo(&d).unwrap();
        assert_eq!(d1, one);
        let d0 = h.undo(&d1).unwrap();
        assert_eq!(d0, start);
        assert!(h.undo(&d0).is_none());
        assert_eq!(h.counts(), (0, 2));
        let r1 = h.redo(&d0).unwrap();
        assert_eq!(r1, one);
        assert_eq!(h.redo(&r1).unwrap(), d);
        assert!(h.redo(&d).is_none());
    }

    #[test]
    fn a_change_with_nothing_changed_is_no_step() {
        let mut h = History::default();
        let d = design_of_size(50);
        assert!(!h.record(d.clone(), &d, None));
        assert_eq!(h.counts(), (0, 0));
    }

    #[test]
    fn a_new_change_drops_the_redo_steps() {
        let mut h = History::default();
        let mut d = design_of_size(50);
        change(&mut h, &mut d, None, |d| d.name = "One".into());
        d = h.undo(&d).unwrap();
        assert_eq!(h.counts(), (0, 1));
        change(&mut h, &mut d, None, |d| d.name = "Two".into());
        assert_eq!(h.counts(), (1, 0));
    }

    #[test]
    fn letters_typed_into_one_field_are_one_step() {
        let mut h = History::default();
        let start = design_of_size(200);
        let mut d = start.clone();
        type_name(&mut h, &mut d, "web-frontend");
        h.seal();
        assert_eq!(d.nodes[1].name, "web-frontend");
        assert_eq!(h.counts(), (1, 0));
        assert_eq!(h.undo(&d).unwrap(), start);
    }

    #[test]
    fn sealing_or_another_key_starts_a_new_step() {
        let mut h = History::default();
        let start = design_of_size(100);
        let mut d = start.clone();
        type_name(&mut h, &mut d, "web");
        h.seal();
        let web = d.clone();
        type_name(&mut h, &mut d, "web-frontend");
        change(&mut h, &mut d, Some("field-description:n1"), |d| {
            d.nodes[1].description = "x".into()
        });
        let named = h.undo(&d).unwrap();
        assert_eq!(named.nodes[1].name, "web-frontend");
        assert_eq!(h.undo(&named).unwrap(), web);
    }

    #[test]
    fn typing_back_to_where_it_started_leaves_no_step() {
        let mut h = History::default();
        let mut d = design_of_size(50);
        let old = d.nodes[1].name.clone();
        change(&mut h, &mut d, Some("k"), |d| d.nodes[1].name.push('x'));
        change(&mut h, &mut d, Some("k"), |d| d.nodes[1].name = old.clone());
        assert_eq!(h.counts(), (0, 0));
    }

    #[test]
    fn a_transaction_is_one_step_and_abort_gives_back_the_start() {
        let mut h = History::default();
        let start = design_of_size(300);
        let mut d = start.clone();
        h.begin();
        change(&mut h, &mut d, None, |d| d.name = "A".into());
        h.begin();
        change(&mut h, &mut d, Some("k"), |d| {
            d.nodes.truncate(100);
        });
        h.commit(&d);
        change(&mut h, &mut d, Some("k"), |d| d.nodes[0].name = "B".into());
        assert_eq!(
            h.counts(),
            (3, 0),
            "steps stay apart until the outer commit"
        );
        h.commit(&d);
        assert_eq!(h.counts(), (1, 0));
        assert_eq!(h.undo(&d).unwrap(), start);

        let mut h = History::default();
        let mut d = start.clone();
        change(&mut h, &mut d, None, |d| d.name = "Before".into());
        let before = d.clone();
        h.begin();
        change(&mut h, &mut d, None, |d| d.nodes.clear());
        change(&mut h, &mut d, None, |d| d.edges.clear());
        let back = h.abort(&d).unwrap();
        assert_eq!(back, before);
        assert_eq!(h.counts(), (1, 0));
        assert!(h.abort(&back).is_none(), "nothing open");
        h.commit(&back); // no transaction: nothing happens
        assert_eq!(h.counts(), (1, 0));
    }

    #[test]
    fn the_step_limit_drops_the_oldest() {
        let mut h = History::new(Limits {
            steps: 3,
            bytes: usize::MAX,
        });
        let mut d = design_of_size(30);
        for i in 0..5 {
            change(&mut h, &mut d, None, |d| d.name = format!("v{i}"));
        }
        assert_eq!(h.counts(), (3, 0));
        for _ in 0..3 {
            d = h.undo(&d).unwrap();
        }
        assert_eq!(d.name, "v1");
    }

    #[test]
    fn the_byte_limit_drops_the_oldest_but_keeps_the_newest() {
        let mut d0 = design_of_size(500);
        d0.nodes[3].description = "z".repeat(100);
        let mut probe = History::default();
        let mut d = d0.clone();
        change(&mut probe, &mut d, None, |d| {
            d.nodes[3].description = "y".repeat(100)
        });
        let one = probe.weight();
        assert!(one > 100);

        let mut h = History::new(Limits {
            steps: 100,
            bytes: one * 3,
        });
        let mut d = d0.clone();
        for i in 0..10 {
            change(&mut h, &mut d, None, |d| {
                d.nodes[3].description = format!("{i}").repeat(100)
            });
        }
        assert!(h.weight() <= one * 3, "{} > {}", h.weight(), one * 3);
        assert_eq!(h.counts().0, 3);

        // One change larger than the whole budget still gets its step.
        let mut h = History::new(Limits {
            steps: 100,
            bytes: 10,
        });
        let mut d = d0.clone();
        change(&mut h, &mut d, None, |d| d.nodes.clear());
        assert_eq!(h.counts(), (1, 0));
        assert_eq!(h.undo(&d).unwrap(), d0);
    }

    #[test]
    fn a_step_costs_what_changed() {
        let mut h = History::default();
        let mut d = design_of_size(5_000);
        let whole = serde_json::to_string(&d).unwrap().len();
        for i in 0..100 {
            change(&mut h, &mut d, None, |d| {
                d.nodes[i * 7].name = format!("n{i}")
            });
        }
        assert_eq!(h.counts(), (100, 0));
        // A hundred single-node steps weigh far less than one copy of the design.
        assert!(h.weight() * 10 < whole, "{} vs {whole}", h.weight());
    }
}
