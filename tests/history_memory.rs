//! What 100 undo steps cost on a 5,000-node design, measured on the heap (a counting
//! allocator): the history's patches against the whole copies the page used to keep.
//! `cargo test --test history_memory -- --nocapture` prints the figures.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use infracanvas::model::history::History;
use infracanvas::model::{Design, Rect};
use infracanvas::synth::design_of_size;

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::SeqCst);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size as isize - layout.size() as isize, Ordering::SeqCst);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn live() -> isize {
    LIVE.load(Ordering::SeqCst)
}

/// The heap `value` holds: what dropping it frees.
fn heap_of<T>(value: T) -> usize {
    let before = live();
    drop(value);
    (before - live()).max(0) as usize
}

/// The 100 edits: renames, moves of 25 boxes, a deleted node with its links, an added node.
fn edit(d: &mut Design, step: usize) {
    match step % 4 {
        0 => {
            let at = (step * 37) % d.nodes.len();
            d.nodes[at].name = format!("renamed-{step}");
        }
        1 => {
            let ids: Vec<String> = d
                .layout
                .keys()
                .skip(step * 13 % 4_000)
                .take(25)
                .cloned()
                .collect();
            for id in ids {
                if let Some(r) = d.layout.get_mut(&id) {
                    *r = Rect(r.0 + 10, r.1, r.2, r.3);
                }
            }
        }
        2 => {
            let gone = d.nodes.remove(d.nodes.len() / 2).id;
            d.edges.retain(|e| e.from != gone && e.to != gone);
            d.layout.remove(&gone);
        }
        _ => {
            let mut n = d.nodes[10].clone();
            n.id = format!("added-{step}");
            d.nodes.push(n);
        }
    }
}

// One test in this binary: the allocator counts every thread's allocations.
#[test]
fn hundred_undo_steps_on_5000_nodes_cost_what_changed() {
    let design = design_of_size(5_000);
    let design_bytes = heap_of(design.clone());

    // Before: each step a whole copy of the design.
    let mut d = design.clone();
    let mut copies: Vec<Design> = Vec::new();
    for step in 0..100 {
        copies.push(d.clone());
        edit(&mut d, step);
    }
    let copies_bytes = heap_of(copies);

    // After: the history's patches.
    let mut present = design.clone();
    let mut history = History::default();
    for step in 0..100 {
        let before = present.clone();
        edit(&mut present, step);
        assert!(history.record(before, &present, None));
    }
    let history_bytes = heap_of(history.clone());

    eprintln!(
        "5,000-node design: {} KB; 100 undo steps as copies: {} KB; as patches: {} KB",
        design_bytes / 1024,
        copies_bytes / 1024,
        history_bytes / 1024
    );
    assert_eq!(history.counts(), (100, 0));
    // The budget: 100 steps under twice the design's own memory. Copies are ~100×.
    assert!(copies_bytes > 50 * design_bytes);
    assert!(
        history_bytes < design_bytes / 10,
        "{history_bytes} B of history for a {design_bytes} B design"
    );

    // The patches undo all the way back to the design, exactly.
    let mut h = history;
    let mut d = present;
    while let Some(prev) = h.undo(&d) {
        d = prev;
    }
    assert_eq!(d, design);
}
