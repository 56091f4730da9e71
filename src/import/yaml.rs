//! YAML (and JSON, a subset of it) read into plain values, one per document, with the line each
//! document starts on.
//!
//! The reader is serde-saphyr: maintained, pure Rust, and with budgets on depth, nodes, aliases
//! and anchors, so an alias bomb or a deeply nested file is refused quickly instead of
//! exhausting memory. Documents are split here (at `---` and `...` lines) rather than by the
//! reader so that every document keeps its own start line for the report and a broken
//! document does not take the rest of the stream with it.

use serde_json::Value;

use super::{Note, NoteKind, Source, MAX_SOURCE_BYTES};

/// The most documents read from one file (a `kubectl get -o yaml` of a large cluster has a few
/// thousand; a separator storm has millions).
const MAX_DOCUMENTS: usize = 20_000;

/// One document of a YAML stream.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    /// The 1-based line the document's first line is on.
    pub line: usize,
    pub value: Value,
}

fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 64;
    budget.max_nodes = 1_000_000;
    budget.max_events = 4_000_000;
    budget.max_aliases = 10_000;
    budget.max_anchors = 10_000;
    budget.max_total_scalar_bytes = MAX_SOURCE_BYTES;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    // Error messages quote no input: a broken line may hold a password.
    options.with_snippet = false;
    options
}

/// The documents of a YAML stream; documents that cannot be read are reported and skipped.
pub(crate) fn documents(source: &Source, notes: &mut Vec<Note>) -> Vec<Doc> {
    if source.text.len() > MAX_SOURCE_BYTES {
        notes.push(Note {
            kind: NoteKind::Unreadable,
            file: source.path.clone(),
            line: 0,
            object: String::new(),
            message: format!("larger than the limit of {MAX_SOURCE_BYTES} bytes"),
        });
        return Vec::new();
    }
    let chunks = split(&source.text);
    if chunks.len() > MAX_DOCUMENTS {
        notes.push(Note {
            kind: NoteKind::Unreadable,
            file: source.path.clone(),
            line: 0,
            object: String::new(),
            message: format!("more than {MAX_DOCUMENTS} documents"),
        });
        return Vec::new();
    }
    let options = options();
    let mut docs = Vec::new();
    for (line, text) in chunks {
        match serde_saphyr::from_str_with_options::<Value>(&text, options.clone()) {
            Ok(Value::Null) => {}
            Ok(value) => docs.push(Doc { line, value }),
            Err(e) => {
                let at = e.location().map_or(0, |l| l.line() as usize);
                let message = e.to_string();
                // The reader's message may end with its own position; ours is in `line`.
                let message = message.lines().next().unwrap_or_default().to_string();
                notes.push(Note {
                    kind: NoteKind::Unreadable,
                    file: source.path.clone(),
                    line: if at > 0 { line + at - 1 } else { line },
                    object: String::new(),
                    message: format!("not valid YAML: {message}"),
                });
            }
        }
    }
    docs
}

/// Splits a stream at document markers; each chunk keeps blank lines in place of what came
/// before it, so the reader's line numbers count from the chunk's first line.
fn split(text: &str) -> Vec<(usize, String)> {
    let mut chunks = Vec::new();
    let mut start = 1;
    let mut current = String::new();
    let mut meaningful = false;
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let marker = line == "---" || line.starts_with("--- ") || line.starts_with("---\t");
        let end = line == "..." || line.starts_with("... ");
        if marker || end {
            if meaningful {
                chunks.push((start, std::mem::take(&mut current)));
            }
            current.clear();
            meaningful = false;
            start = number;
            if marker {
                // Content after the marker (`--- {a: 1}`) belongs to the new document.
                let rest = &line[3..];
                if !rest.trim().is_empty() {
                    meaningful = true;
                    current.push_str("   ");
                    current.push_str(rest);
                }
                current.push('\n');
            }
            continue;
        }
        let trimmed = line.trim_start();
        if !trimmed.is_empty() && !trimmed.starts_with('#') && !trimmed.starts_with('%') {
            meaningful = true;
        }
        if trimmed.starts_with('%') && !meaningful {
            // A directive belongs to the stream's next document; the reader needs none.
            current.push('\n');
            continue;
        }
        current.push_str(line);
        current.push('\n');
    }
    if meaningful {
        chunks.push((start, current));
    }
    chunks
}

/// A text's line starts, to find the line of a needle searched from a given line without
/// walking the lines before it again (a stream of thousands of objects is searched once per
/// object).
pub(crate) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// The first line at or after `from` (1-based) holding `needle`; `from` when none does.
    pub fn find(&self, from: usize, needle: &str) -> usize {
        let Some(&start) = self.starts.get(from.saturating_sub(1)) else {
            return from;
        };
        match self.text[start..].find(needle) {
            Some(at) => self.starts.partition_point(|&s| s <= start + at),
            None => from,
        }
    }
}

/// The first line at or after `from` whose text holds `needle`; `from` when none does.
pub(crate) fn line_of(text: &str, from: usize, needle: &str) -> usize {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, l)| l.contains(needle))
        .map_or(from, |(i, _)| i + 1)
}

/// Whether a line opens the mapping key `key` (`  db:`, `"db":`, `db: x`).
pub(crate) fn opens_key(line: &str, key: &str) -> bool {
    let t = line.trim_start();
    let quoted = |q: char| t.strip_prefix(q)?.strip_prefix(key)?.strip_prefix(q);
    let rest = quoted('"')
        .or_else(|| quoted('\''))
        .or_else(|| t.strip_prefix(key));
    rest.and_then(|r| r.strip_prefix(':'))
        .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '#']))
}

/// The first line at or after `from` that opens the mapping key `key`; `from` when none does.
pub(crate) fn line_of_key(text: &str, from: usize, key: &str) -> usize {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, l)| opens_key(l, key))
        .map_or(from, |(i, _)| i + 1)
}

/// A string field of a mapping (`"a"` or a number written as text).
pub(crate) fn str_at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a str> {
    at(value, path)?.as_str()
}

/// The value at a path of keys.
pub(crate) fn at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, key| v.get(key))
}

/// A scalar as text: strings as they are, numbers and booleans written out.
pub(crate) fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A mapping's entries, or none.
pub(crate) fn entries(value: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    value.and_then(Value::as_object).into_iter().flatten()
}

/// A sequence's items, or none.
pub(crate) fn items(value: Option<&Value>) -> impl Iterator<Item = &Value> {
    value.and_then(Value::as_array).into_iter().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Vec<Doc>, Vec<Note>) {
        let mut notes = Vec::new();
        let docs = documents(&Source::new("f.yaml", text), &mut notes);
        (docs, notes)
    }

    #[test]
    fn documents_keep_their_start_lines_and_a_broken_one_is_reported_alone() {
        let (docs, notes) = read("a: 1\n---\n# c\nb: 2\n---\nc: [\n---\nd: 4\n...\n");
        let lines: Vec<usize> = docs.iter().map(|d| d.line).collect();
        assert_eq!(lines, [1, 2, 7]);
        assert_eq!(docs[1].value["b"], 2);
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].kind, NoteKind::Unreadable);
        assert!(notes[0].line >= 5, "{notes:?}");
    }

    #[test]
    fn an_alias_bomb_is_refused_by_the_budget() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = (b'a' + i - 1) as char;
            let name = (b'a' + i) as char;
            text.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let (docs, notes) = read(&text);
        assert!(docs.is_empty());
        assert_eq!(notes.len(), 1, "{notes:?}");
    }

    #[test]
    fn deep_nesting_is_refused_without_overflowing_the_stack() {
        let text = "[".repeat(100_000);
        let (docs, notes) = read(&text);
        assert!(docs.is_empty());
        assert_eq!(notes.len(), 1);
        let text = (0..5000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect::<String>();
        let (docs, notes) = read(&text);
        assert!(docs.is_empty() && notes.len() == 1, "{notes:?}");
    }

    #[test]
    fn a_separator_storm_is_refused() {
        let (docs, notes) = read(&"a: 1\n---\n".repeat(MAX_DOCUMENTS + 1));
        assert!(docs.is_empty());
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn line_of_finds_the_needle_after_the_start() {
        assert_eq!(line_of("a\nb\nc\nb\n", 3, "b"), 4);
        assert_eq!(line_of("a\n", 1, "zzz"), 1);
        let lines = Lines::new("a\nb\nc\nb\n");
        assert_eq!(
            (lines.find(1, "b"), lines.find(3, "b"), lines.find(2, "zzz")),
            (2, 4, 2)
        );
        assert_eq!(lines.find(99, "b"), 99);
        let text =
            "services:\n  app:\n    environment:\n      URL: postgres://u@db:5432/x\n  db:\n";
        assert_eq!(line_of_key(text, 1, "db"), 5);
        assert_eq!(line_of_key("\"db\": 1\n", 1, "db"), 1);
    }
}
