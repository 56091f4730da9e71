//! Importers: an existing system — Docker Compose files, Kubernetes manifests, Terraform — read
//! as an architect would and turned into an editable design.
//!
//! * containment: namespaces into a cluster, a Compose project into a Swarm cluster, VPCs,
//!   subnets and clusters into provider › region › subnet;
//! * kinds: stock images become data stores with their engine and version (`postgres:16` is a
//!   self-hosted PostgreSQL 16), balancers or ingress controllers (nginx, Traefik, HAProxy);
//!   everything else is a workload with its image, ports, replicas, resources, probes,
//!   autoscaling and rollout strategy;
//! * links: Service selectors, Ingress backends, NetworkPolicy rules, `depends_on`/`links`, and
//!   environment values that name another service by its DNS name (`REDIS_ADDR=redis:6379`,
//!   `postgres://db:5432/app`, `http://api.shop.svc.cluster.local`);
//! * exposure: Ingress, `LoadBalancer`/`NodePort` Services and published ports;
//! * secrets: no secret value ever reaches the design. A Secret's data, a password-like
//!   environment value, a sensitive Terraform value become references to a secret store node
//!   (or are left out) and the report says so.
//!
//! The importers take the files' text ([`Source`]) and never touch the file system, so the CLI
//! and the page's export worker ([`files`]) share them. What could not be mapped is reported as
//! [`Note`]s with file and line ([`report`] renders them as text, JSON or SARIF).

mod build;
pub mod compose;
pub mod files;
mod images;
pub mod kubernetes;
mod refs;
pub mod report;
mod secrets;
pub mod terraform;
mod yaml;

use serde::{Deserialize, Serialize};

use crate::model::Design;

/// The largest file an importer reads; a bigger one is refused with a note.
pub const MAX_SOURCE_BYTES: usize = 16 * 1024 * 1024;

/// One input file: where it came from (for the report) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub path: String,
    pub text: String,
}

impl Source {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            path: path.into(),
            text: text.into(),
        }
    }
}

/// Why an entry of the report is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// The file or document could not be read at all.
    Unreadable,
    /// An object or field the design has no place for.
    NotMapped,
    /// A secret value that was dropped (the design keeps a reference, or nothing).
    SecretDropped,
    /// A name that looks like another service but resolves to nothing in the files.
    Unresolved,
}

impl NoteKind {
    /// The stable id the SARIF report uses as the rule id.
    pub fn rule_id(self) -> &'static str {
        match self {
            NoteKind::Unreadable => "IC-IMP-001",
            NoteKind::NotMapped => "IC-IMP-002",
            NoteKind::SecretDropped => "IC-IMP-003",
            NoteKind::Unresolved => "IC-IMP-004",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            NoteKind::Unreadable => "unreadable",
            NoteKind::NotMapped => "not mapped",
            NoteKind::SecretDropped => "secret dropped",
            NoteKind::Unresolved => "unresolved",
        }
    }
}

/// One entry of the import report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub kind: NoteKind,
    pub file: String,
    /// 1-based; 0 when the note is about the whole file.
    pub line: usize,
    /// The object concerned (`Deployment shop/cart`, `service db`), or empty.
    pub object: String,
    pub message: String,
}

/// A design made from the files, with what could not be mapped.
#[derive(Debug, Clone)]
pub struct Imported {
    pub design: Design,
    pub notes: Vec<Note>,
}

/// Nothing could be made of the files: the reason, and the notes gathered on the way.
#[derive(Debug, Clone)]
pub struct ImportError {
    pub message: String,
    pub notes: Vec<Note>,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ImportError {}
