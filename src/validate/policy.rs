//! A team's policy over the rules' findings: per-rule levels (the design's `settings.rules`,
//! then command-line overrides) and accepted findings (the design's `waivers`).
//!
//! The rules stay pure functions of the design; this is the one place that turns their
//! findings into what a team reports. The page and the CLI both call [`validate_with`], so a
//! design gives the same report in both.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{rule, sort, validate, Diagnostic, Severity};
use crate::model::{Design, RuleLevel, Waiver};

/// How to apply the design's decisions.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Today as `YYYY-MM-DD`: waivers that expired before it no longer accept anything.
    pub today: String,
    /// Ignore waivers: every finding counts (`infracanvas validate --strict`).
    pub strict: bool,
    /// Rule levels that win over the design's own settings (`--rule IC-XXX=off`).
    pub overrides: BTreeMap<String, RuleLevel>,
}

/// The waiver a finding is accepted by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Acceptance {
    /// Position of the waiver in the design's `waivers` (the page removes it by this).
    #[serde(skip)]
    pub waiver: usize,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// The waiver ran out: the finding counts again, and the report says why.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub expired: bool,
}

/// The rules' findings with the design's rule levels, `policy`'s overrides and the design's
/// waivers applied, in report order.
pub fn validate_with(design: &Design, policy: &Policy) -> Vec<Diagnostic> {
    let mut out = validate(design);
    // `validate` sorts; only a changed severity changes the order (this runs on every edit).
    if apply_levels(&mut out, design, policy) {
        sort(&mut out);
    }
    if !policy.strict {
        accept(&mut out, &design.waivers, &policy.today);
    }
    out
}

/// The level of `rule_id` under `policy` and the design, if either sets one.
fn level(rule_id: &str, design: &Design, policy: &Policy) -> Option<RuleLevel> {
    policy
        .overrides
        .get(rule_id)
        .or_else(|| design.settings.rules.get(rule_id))
        .copied()
}

/// Applies the rule levels; whether there were any.
fn apply_levels(out: &mut Vec<Diagnostic>, design: &Design, policy: &Policy) -> bool {
    if design.settings.rules.is_empty() && policy.overrides.is_empty() {
        return false;
    }
    out.retain_mut(|d| match level(d.rule, design, policy) {
        None => true,
        Some(RuleLevel::Off) => false,
        Some(RuleLevel::Info) => set(d, Severity::Info),
        Some(RuleLevel::Warning) => set(d, Severity::Warning),
        Some(RuleLevel::Error) => set(d, Severity::Error),
    });
    true
}

fn set(d: &mut Diagnostic, severity: Severity) -> bool {
    d.severity = severity;
    true
}

/// Whether `waiver` covers `d`: same rule, and every target it names is among the finding's.
/// A waiver written by hand may name only the store a finding is about (`yc-mongo`) and still
/// cover it; one accepted in the page names all the finding's targets.
pub fn covers(waiver: &Waiver, d: &Diagnostic) -> bool {
    waiver.rule == d.rule && waiver.targets.iter().all(|t| d.targets.contains(t))
}

/// Marks each finding with the first waiver that covers it, preferring one still in force.
fn accept(out: &mut [Diagnostic], waivers: &[Waiver], today: &str) {
    if waivers.is_empty() {
        return;
    }
    for d in out.iter_mut() {
        let mut matching = waivers.iter().enumerate().filter(|(_, w)| covers(w, d));
        let first = matching.clone().next();
        let chosen = matching.find(|(_, w)| !w.expired_on(today)).or(first);
        d.accepted = chosen.map(|(i, w)| Acceptance {
            waiver: i,
            reason: w.reason.clone(),
            expires: w.expires.clone(),
            expired: w.expired_on(today),
        });
    }
}

/// Waivers that cover no finding of `diagnostics` (reported, so stale ones get cleaned up), by
/// position in the design's `waivers`.
pub fn unused_waivers(design: &Design, diagnostics: &[Diagnostic]) -> Vec<usize> {
    (0..design.waivers.len())
        .filter(|&i| !diagnostics.iter().any(|d| covers(&design.waivers[i], d)))
        .collect()
}

/// The ids in `ids` that are not rules of this build.
pub fn unknown_rules<'a>(ids: impl IntoIterator<Item = &'a String>) -> Vec<&'a str> {
    ids.into_iter()
        .map(String::as_str)
        .filter(|id| rule(id).is_none())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::template;

    fn shop() -> Design {
        template("multicloud-shop").unwrap()
    }

    fn on(today: &str) -> Policy {
        Policy {
            today: today.into(),
            ..Policy::default()
        }
    }

    fn residency_errors(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
        diagnostics
            .iter()
            .filter(|d| d.rule == "IC-RES-001")
            .collect()
    }

    #[test]
    fn a_waiver_accepts_its_finding_until_it_expires() {
        let mut design = shop();
        let waiver = design.waivers[0].clone();
        // Without the template's waiver, the residency finding is an error that counts.
        design.waivers.clear();
        let open = validate_with(&design, &on("2026-12-03"));
        let found = residency_errors(&open);
        assert!(!found.is_empty() && found.iter().all(|d| d.is_active()));
        assert!(super::super::has_errors(&open));

        design.waivers = vec![Waiver {
            expires: Some("2026-12-31".into()),
            ..waiver
        }];
        let accepted = validate_with(&design, &on("2026-12-31"));
        for d in residency_errors(&accepted) {
            let a = d.accepted.as_ref().expect("accepted");
            assert!(!a.expired && !d.is_active());
            assert_eq!(a.reason, design.waivers[0].reason);
        }
        assert!(!super::super::has_errors(&accepted), "{accepted:#?}");

        let expired = validate_with(&design, &on("2027-01-01"));
        let found = residency_errors(&expired);
        assert!(found
            .iter()
            .all(|d| d.accepted.as_ref().unwrap().expired && d.is_active()));
        assert!(super::super::has_errors(&expired));
    }

    #[test]
    fn strict_ignores_waivers() {
        let design = shop();
        assert!(!super::super::has_errors(&validate_with(
            &design,
            &on("2026-12-03")
        )));
        let strict = Policy {
            strict: true,
            ..on("2026-12-03")
        };
        let all = validate_with(&design, &strict);
        assert!(all.iter().all(|d| d.accepted.is_none()));
        assert!(super::super::has_errors(&all));
    }

    #[test]
    fn a_waiver_covers_only_its_rule_and_targets() {
        let design = shop();
        let d = &residency_errors(&validate(&design))[0].clone();
        let mut w = design.waivers[0].clone();
        assert!(covers(&w, d));
        w.targets.push("somewhere-else".into());
        assert!(!covers(&w, d), "a target the finding does not concern");
        w.targets = vec![d.targets[0].clone()];
        assert!(covers(&w, d), "a subset of the targets");
        w.rule = "IC-RES-002".into();
        assert!(!covers(&w, d), "another rule");
    }

    #[test]
    fn levels_from_the_design_and_overrides_from_the_command_line() {
        let mut design = shop();
        design.waivers.clear();
        design
            .settings
            .rules
            .insert("IC-RES-001".into(), RuleLevel::Warning);
        let out = validate_with(&design, &on("2026-12-03"));
        let found = residency_errors(&out);
        assert!(!found.is_empty());
        assert!(found.iter().all(|d| d.severity == Severity::Warning));

        let mut policy = on("2026-12-03");
        policy.overrides.insert("IC-RES-001".into(), RuleLevel::Off);
        assert!(residency_errors(&validate_with(&design, &policy)).is_empty());
        policy
            .overrides
            .insert("IC-RES-001".into(), RuleLevel::Error);
        let out = validate_with(&design, &policy);
        assert!(residency_errors(&out)
            .iter()
            .all(|d| d.severity == Severity::Error));
        // Report order holds after levels change: errors first.
        assert!(out.windows(2).all(|w| w[0].severity <= w[1].severity));
        // A rule without a level keeps its own severity.
        let plain = validate(&design);
        let untouched = |ds: &[Diagnostic]| -> Vec<(String, Severity)> {
            ds.iter()
                .filter(|d| d.rule != "IC-RES-001")
                .map(|d| (d.rule.to_string(), d.severity))
                .collect()
        };
        assert_eq!(untouched(&out), untouched(&plain));
    }

    #[test]
    fn stale_waivers_and_unknown_rules_are_found() {
        let mut design = shop();
        let out = validate_with(&design, &on("2026-12-03"));
        assert!(unused_waivers(&design, &out).is_empty());
        design.waivers.push(Waiver {
            rule: "IC-NET-001".into(),
            targets: vec!["gone".into()],
            reason: "was about a node since deleted".into(),
            expires: None,
        });
        assert_eq!(unused_waivers(&design, &out), vec![1]);
        let ids = ["IC-RES-001".to_string(), "IC-ZZZ-999".to_string()];
        assert_eq!(unknown_rules(&ids), vec!["IC-ZZZ-999"]);
    }
}
