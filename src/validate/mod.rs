//! The rules: pure functions from a design's graph to diagnostics. See DESIGN.md §3.
//!
//! Each rule is one function with a stable id (`IC-<FAMILY>-<NNN>`); [`RULES`] lists them all
//! and [`validate`] runs them. Ids are a contract: CI jobs and the page filter on them.

use serde::Serialize;

use crate::model::{Design, DesignGraph};

pub mod policy;
mod rules;

pub use policy::{validate_with, Acceptance, Policy};
pub use rules::RULES;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The rule families of DESIGN.md §3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Structure,
    Network,
    Residency,
    Availability,
    DisasterRecovery,
    Security,
    Operations,
}

/// One finding: which rule, how bad, what and where, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Ids of the nodes and edges concerned, most relevant first.
    pub targets: Vec<String>,
    pub hint: String,
    /// The waiver that accepts this finding, if any ([`policy`]); `None` from the rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<Acceptance>,
}

impl Diagnostic {
    /// Whether the finding counts: not covered by a waiver that still holds.
    pub fn is_active(&self) -> bool {
        self.accepted.as_ref().is_none_or(|a| a.expired)
    }
}

/// A rule of the catalogue.
pub struct Rule {
    pub id: &'static str,
    pub family: Family,
    pub severity: Severity,
    /// One line saying what the rule checks.
    pub title: &'static str,
    pub check: fn(&DesignGraph) -> Vec<Diagnostic>,
}

impl Rule {
    /// A diagnostic of this rule.
    pub fn diagnostic(
        &self,
        message: impl Into<String>,
        targets: Vec<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            rule: self.id,
            severity: self.severity,
            message: message.into(),
            targets,
            hint: hint.into(),
            accepted: None,
        }
    }
}

/// Runs every rule. Diagnostics come sorted by severity, then rule id, then targets, so the
/// output is the same for the same design wherever it runs.
pub fn validate(design: &Design) -> Vec<Diagnostic> {
    validate_graph(&DesignGraph::new(design))
}

pub fn validate_graph(graph: &DesignGraph) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = RULES.iter().flat_map(|rule| (rule.check)(graph)).collect();
    sort(&mut out);
    out
}

/// The report order: severity, then rule id, then targets.
fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.severity, a.rule, &a.targets, &a.message)
            .cmp(&(b.severity, b.rule, &b.targets, &b.message))
    });
}

pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Whether any error counts (accepted findings do not; findings of expired waivers do).
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error && d.is_active())
}
