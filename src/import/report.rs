//! The import report: what was not mapped and why, with file and line, for people (`human`),
//! scripts (`json`) and code-scanning tools (`sarif`, SARIF 2.1.0).

use serde_json::{json, Value};

use super::{Note, NoteKind};

const KINDS: [NoteKind; 4] = [
    NoteKind::Unreadable,
    NoteKind::NotMapped,
    NoteKind::SecretDropped,
    NoteKind::Unresolved,
];

/// Control characters (a newline in a hostile name) would forge report lines.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `file:line: kind: object: message`, one a line, then a summary.
pub fn human(notes: &[Note]) -> String {
    let mut out = String::new();
    for n in notes {
        let place = if n.line > 0 {
            format!("{}:{}", n.file, n.line)
        } else {
            n.file.clone()
        };
        let object = if n.object.is_empty() {
            String::new()
        } else {
            format!("{}: ", n.object)
        };
        out.push_str(&one_line(&format!(
            "{place}: {}: {object}{}",
            n.kind.label(),
            n.message
        )));
        out.push('\n');
    }
    let counts: Vec<String> = KINDS
        .iter()
        .filter_map(|k| {
            let c = notes.iter().filter(|n| n.kind == *k).count();
            (c > 0).then(|| format!("{c} {}", k.label()))
        })
        .collect();
    if counts.is_empty() {
        out.push_str("everything was mapped\n");
    } else {
        out.push_str(&format!("{}\n", counts.join(", ")));
    }
    out
}

/// A JSON array of notes: `{kind, file, line, object, message}`.
pub fn json(notes: &[Note]) -> String {
    serde_json::to_string_pretty(notes).unwrap_or_default()
}

/// SARIF 2.1.0, one result per note (level `note`, `warning` for secrets dropped and names
/// that resolve to nothing, `error` for unreadable files).
pub fn sarif(notes: &[Note]) -> String {
    let results: Vec<Value> = notes
        .iter()
        .map(|n| {
            let level = match n.kind {
                NoteKind::Unreadable => "error",
                NoteKind::SecretDropped | NoteKind::Unresolved => "warning",
                NoteKind::NotMapped => "note",
            };
            let text = if n.object.is_empty() {
                n.message.clone()
            } else {
                format!("{}: {}", n.object, n.message)
            };
            json!({
                "ruleId": n.kind.rule_id(),
                "ruleIndex": KINDS.iter().position(|k| *k == n.kind),
                "level": level,
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": n.file },
                        "region": { "startLine": n.line.max(1) }
                    }
                }]
            })
        })
        .collect();
    let rules: Vec<Value> = KINDS
        .iter()
        .map(|k| json!({ "id": k.rule_id(), "name": k.label(), "shortDescription": { "text": format!("Import: {}", k.label()) } }))
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": { "name": "infracanvas import", "version": env!("CARGO_PKG_VERSION"), "rules": rules } },
            "results": results
        }]
    });
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(kind: NoteKind, line: usize) -> Note {
        Note {
            kind,
            file: "a.yaml".into(),
            line,
            object: "Deployment x/y\nforged".into(),
            message: "why".into(),
        }
    }

    #[test]
    fn human_lines_carry_file_line_and_stay_one_line() {
        let text = human(&[
            note(NoteKind::NotMapped, 3),
            note(NoteKind::SecretDropped, 0),
        ]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "a.yaml:3: not mapped: Deployment x/y forged: why");
        assert_eq!(
            lines[1],
            "a.yaml: secret dropped: Deployment x/y forged: why"
        );
        assert_eq!(lines[2], "1 not mapped, 1 secret dropped");
        assert_eq!(human(&[]), "everything was mapped\n");
    }

    #[test]
    fn sarif_has_a_result_per_note_with_its_rule_and_line() {
        let log: Value = serde_json::from_str(&sarif(&[note(NoteKind::Unresolved, 7)])).unwrap();
        let r = &log["runs"][0]["results"][0];
        assert_eq!(r["ruleId"], "IC-IMP-004");
        assert_eq!(r["level"], "warning");
        assert_eq!(
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            7
        );
        let parsed: Vec<Value> =
            serde_json::from_str(&json(&[note(NoteKind::NotMapped, 1)])).unwrap();
        assert_eq!(parsed[0]["kind"], "not_mapped");
    }
}
