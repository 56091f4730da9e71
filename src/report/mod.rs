//! Diagnostics as text for people (`human`), for scripts (`json`: the §8 contract) and for
//! code-scanning tools (`sarif`, SARIF 2.1.0 as GitHub code scanning reads it).

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{json, Value};

use crate::validate::{Acceptance, Diagnostic, Rule, Severity, RULES};

/// One line per finding, then hint and targets indented, then a summary line. Findings that
/// count come first; accepted ones (a waiver in force) follow, marked `accepted`, with the
/// waiver's reason. A finding whose waiver expired counts, and says so.
pub fn human(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    let (active, accepted): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        diagnostics.iter().partition(|d| d.is_active());
    for d in active.into_iter().chain(accepted) {
        let label = if d.is_active() {
            d.severity.as_str()
        } else {
            "accepted"
        };
        out.push_str(&format!("{label}[{}] {}\n", d.rule, one_line(&d.message)));
        if !d.targets.is_empty() {
            out.push_str(&format!("  at: {}\n", d.targets.join(", ")));
        }
        if let Some(a) = &d.accepted {
            out.push_str(&format!("  {}\n", one_line(&waiver_note(a))));
        }
        if !d.hint.is_empty() && d.is_active() {
            out.push_str(&format!("  fix: {}\n", one_line(&d.hint)));
        }
    }
    out.push_str(&summary(diagnostics));
    out.push('\n');
    out
}

/// What a report says of a finding's waiver.
fn waiver_note(a: &Acceptance) -> String {
    match (&a.expires, a.expired) {
        (Some(date), true) => format!("waiver expired on {date}: {}", a.reason),
        (Some(date), false) => format!("accepted until {date}: {}", a.reason),
        (None, _) => format!("reason: {}", a.reason),
    }
}

/// `2 errors, 1 warning, 0 notes` style summary of the findings that count, then `, 1 accepted`
/// when waivers accept any.
pub fn summary(diagnostics: &[Diagnostic]) -> String {
    let count = |s: Severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == s && d.is_active())
            .count()
    };
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let accepted = diagnostics.iter().filter(|d| !d.is_active()).count();
    let mut text = format!(
        "{}, {}, {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
        plural(count(Severity::Info), "note")
    );
    if accepted > 0 {
        text.push_str(&format!(", {accepted} accepted"));
    }
    text
}

/// Names in messages may hold newlines and terminal escapes; a finding stays on its line, and
/// other control characters (ESC, BEL, backspace…) are shown as `\u{1b}` rather than sent to
/// the terminal, where they could rewrite what the report shows.
fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: Severity,
    message: &'a str,
    targets: &'a [String],
    hint: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    accepted: Option<&'a Acceptance>,
}

/// A JSON array of `{rule, severity, message, targets, hint}`, with `accepted: {reason,
/// expires?, expired?}` on findings a waiver covers.
pub fn json(diagnostics: &[Diagnostic]) -> String {
    let items: Vec<JsonDiagnostic> = diagnostics
        .iter()
        .map(|d| JsonDiagnostic {
            rule: d.rule,
            severity: d.severity,
            message: &d.message,
            targets: &d.targets,
            hint: &d.hint,
            accepted: d.accepted.as_ref(),
        })
        .collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into())
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn sarif_rule(rule: &Rule) -> Value {
    json!({
        "id": rule.id,
        "name": rule.id.replace('-', ""),
        "shortDescription": { "text": rule.title },
        "fullDescription": { "text": rule.title },
        "defaultConfiguration": { "level": sarif_level(rule.severity) },
        "properties": { "tags": [format!("{:?}", rule.family).to_lowercase()] },
    })
}

/// The line (1-based) where each JSON string of `source` (keys included, as written between
/// its quotes) first appears, so code scanning points at the node in the design file. One pass:
/// a search of the whole text per finding made a 2 MB file with 76,000 findings take minutes.
fn first_lines(source: &str) -> HashMap<&str, usize> {
    let bytes = source.as_bytes();
    let mut lines = HashMap::new();
    let (mut line, mut i) = (1, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line += 1,
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(bytes.len());
                // Quotes and backslashes are ASCII, so both ends are char boundaries.
                lines.entry(&source[start..end]).or_insert(line);
                // A JSON string holds no raw line break; other text may.
                line += bytes[start..end].iter().filter(|&&b| b == b'\n').count();
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    lines
}

/// A SARIF 2.1.0 log with one run; `artifact` is the design file's path as given, `source` its text.
pub fn sarif(diagnostics: &[Diagnostic], artifact: &str, source: &str) -> String {
    let lines = first_lines(source);
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let rule_index = RULES.iter().position(|r| r.id == d.rule);
            let line = d
                .targets
                .first()
                .and_then(|t| lines.get(t.as_str()))
                .copied()
                .unwrap_or(1);
            let logical: Vec<Value> = d
                .targets
                .iter()
                .map(|t| json!({ "name": t, "kind": "object" }))
                .collect();
            let mut text = d.message.clone();
            if !d.hint.is_empty() {
                text.push_str(" Fix: ");
                text.push_str(&d.hint);
            }
            if let Some(a) = d.accepted.as_ref().filter(|a| a.expired) {
                text.push_str(&format!(" ({})", waiver_note(a)));
            }
            let mut result = json!({
                "ruleId": d.rule,
                "ruleIndex": rule_index,
                "level": sarif_level(d.severity),
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": artifact },
                        "region": { "startLine": line }
                    },
                    "logicalLocations": logical
                }],
                "partialFingerprints": {
                    "infracanvas/v1": format!("{}:{}", d.rule, d.targets.join(","))
                }
            });
            if let Some(a) = d.accepted.as_ref().filter(|a| !a.expired) {
                // The waiver lives in the design file itself: an in-source suppression.
                result["suppressions"] = json!([{
                    "kind": "inSource",
                    "status": "accepted",
                    "justification": a.reason,
                }]);
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "infracanvas",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": RULES.iter().map(sarif_rule).collect::<Vec<_>>()
            }},
            "columnKind": "unicodeCodePoints",
            "results": results
        }]
    });
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(severity: Severity) -> Diagnostic {
        Diagnostic {
            rule: RULES[0].id,
            severity,
            message: "bad\nname".into(),
            targets: vec!["n2".into()],
            hint: "do this".into(),
            accepted: None,
        }
    }

    #[test]
    fn human_keeps_each_finding_on_its_lines_and_counts() {
        let text = human(&[finding(Severity::Error), finding(Severity::Warning)]);
        assert!(
            text.starts_with(&format!("error[{}] bad name\n", RULES[0].id)),
            "{text}"
        );
        assert!(text.ends_with("1 error, 1 warning, 0 notes\n"), "{text}");
        assert_eq!(human(&[]), "0 errors, 0 warnings, 0 notes\n");
    }

    #[test]
    fn human_shows_terminal_escapes_instead_of_sending_them() {
        let mut d = finding(Severity::Error);
        d.message = "`\u{1b}[2Jname\u{7}`\tok".into();
        let text = human(&[d]);
        assert!(text.contains("`\\u{1b}[2Jname\\u{7}` ok"), "{text}");
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
    }

    #[test]
    fn json_is_the_contract_shape() {
        let v: Value = serde_json::from_str(&json(&[finding(Severity::Info)])).unwrap();
        let item = &v[0];
        assert_eq!(item["rule"], RULES[0].id);
        assert_eq!(item["severity"], "info");
        assert_eq!(item["targets"][0], "n2");
        assert_eq!(item["message"], "bad\nname");
    }

    #[test]
    fn sarif_points_at_the_line_of_the_target() {
        let source = "{\n  \"nodes\": [\n    {\"id\": \"n2\"}\n  ]\n}";
        let v: Value =
            serde_json::from_str(&sarif(&[finding(Severity::Info)], "d.json", source)).unwrap();
        assert_eq!(v["version"], "2.1.0");
        let result = &v["runs"][0]["results"][0];
        assert_eq!(result["level"], "note");
        assert_eq!(result["ruleIndex"], 0);
        assert_eq!(
            result["locations"][0]["physicalLocation"]["region"]["startLine"],
            3
        );
        // A target first named inside another string, or never, and odd text.
        let source = "{\"a\": \"say \\\"n2\\\"\",\n\"b\": [\n\"n2\"]}";
        assert_eq!(first_lines(source).get("n2"), Some(&3));
        assert_eq!(first_lines(source).get("n9"), None);
        assert_eq!(first_lines("\"open \\").get("x"), None);
        assert_eq!(first_lines("\"Щ\"\n\"\\\"").get("Щ"), Some(&1));
        assert_eq!(
            v["runs"][0]["tool"]["driver"]["rules"]
                .as_array()
                .unwrap()
                .len(),
            RULES.len()
        );
    }
}
