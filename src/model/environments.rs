//! Editing a design's environments (dev, staging, prod; seed 002's stands): add, rename,
//! change the id, reorder, mark production, delete. Workload overrides and clusters refer to an
//! environment by id, so changing or deleting an id carries those references along.

use super::design::{Design, Environment, NodeSpec};

/// What refers to one environment: workloads with overrides for it and clusters that serve it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EnvironmentUses {
    pub overrides: usize,
    pub clusters: usize,
}

impl EnvironmentUses {
    pub fn is_empty(&self) -> bool {
        self.overrides == 0 && self.clusters == 0
    }

    /// "3 workload overrides and 1 cluster", for the question asked before deleting.
    pub fn describe(&self) -> String {
        let part = |n: usize, one: &str, many: &str| match n {
            0 => None,
            1 => Some(format!("1 {one}")),
            n => Some(format!("{n} {many}")),
        };
        [
            part(self.overrides, "workload override", "workload overrides"),
            part(self.clusters, "cluster", "clusters"),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" and ")
    }
}

/// How many workload overrides and clusters refer to environment `id`.
pub fn uses(design: &Design, id: &str) -> EnvironmentUses {
    let mut out = EnvironmentUses::default();
    for node in &design.nodes {
        match &node.spec {
            NodeSpec::Workload(w) if w.overrides.contains_key(id) => out.overrides += 1,
            _ => {}
        }
        if node
            .spec
            .cluster_placement()
            .is_some_and(|(env, _)| env == id)
        {
            out.clusters += 1;
        }
    }
    out
}

/// Whether `id` may name an environment: the characters of node ids (`[A-Za-z0-9_.-]`), at
/// most 64 of them, since overlay folders and file names are made of it.
pub fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("An environment needs an id (used for overlay folders), e.g. prod".into());
    }
    if id.len() > 64 {
        return Err("An environment id has at most 64 characters".into());
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
    {
        return Err(format!(
            "An environment id uses Latin letters, digits, `-`, `_` and `.`; not `{c}`"
        ));
    }
    Ok(())
}

/// An id for a new environment called `name`: its Latin slug (Cyrillic transliterated), or
/// `env` when nothing of the name survives, numbered when taken.
pub fn fresh_id(design: &Design, name: &str) -> String {
    let base = super::names::kube_name_or(name, "env");
    let base: String = base.chars().take(56).collect();
    let taken = |id: &str| design.environments.iter().any(|e| e.id == id);
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or(base)
}

/// Adds an environment called `name` at the end; returns its id.
pub fn add(design: &mut Design, name: &str) -> String {
    let id = fresh_id(design, name);
    design.environments.push(Environment {
        id: id.clone(),
        name: name.trim().to_string(),
        production: false,
    });
    id
}

/// Renames environment `id` to `name`. While the id is still the one made from the old name
/// and nothing refers to it, the id follows the name (`ИФТ` → `ift`), as a person typing a new
/// stand's name expects; returns the id afterwards.
pub fn rename(design: &mut Design, id: &str, name: &str) -> String {
    let Some(i) = design.environments.iter().position(|e| e.id == id) else {
        return id.to_string();
    };
    let old_slug = super::names::kube_name_or(&design.environments[i].name, "env");
    let derived = id.strip_prefix(old_slug.as_str()).is_some_and(|rest| {
        rest.is_empty()
            || rest
                .strip_prefix('-')
                .is_some_and(|n| n.parse::<u32>().is_ok())
    });
    design.environments[i].name = name.to_string();
    if !derived || !uses(design, id).is_empty() {
        return id.to_string();
    }
    let mut others = design.clone();
    others.environments.remove(i);
    let next = fresh_id(&others, name);
    design.environments[i].id = next.clone();
    next
}

/// Gives environment `old` the id `new`, carrying the overrides and clusters that refer to it.
pub fn change_id(design: &mut Design, old: &str, new: &str) -> Result<(), String> {
    let new = new.trim();
    if old == new {
        return Ok(());
    }
    check_id(new)?;
    if design.environment(new).is_some() {
        return Err(format!("The design already has an environment `{new}`"));
    }
    let Some(env) = design.environments.iter_mut().find(|e| e.id == old) else {
        return Err(format!("There is no environment `{old}`"));
    };
    env.id = new.to_string();
    for node in &mut design.nodes {
        match &mut node.spec {
            NodeSpec::Workload(w) => {
                if let Some(o) = w.overrides.remove(old) {
                    w.overrides.insert(new.to_string(), o);
                }
            }
            NodeSpec::KubernetesCluster(c) if c.environment == old => c.environment = new.into(),
            NodeSpec::SwarmCluster(c) if c.environment == old => c.environment = new.into(),
            _ => {}
        }
    }
    Ok(())
}

/// Moves environment `id` one place earlier (`-1`) or later (`1`); false at either end.
pub fn shift(design: &mut Design, id: &str, by: isize) -> bool {
    let Some(i) = design.environments.iter().position(|e| e.id == id) else {
        return false;
    };
    let Some(j) = i
        .checked_add_signed(by)
        .filter(|&j| j < design.environments.len())
    else {
        return false;
    };
    design.environments.swap(i, j);
    true
}

/// Deletes environment `id` with the overrides for it; clusters that served only it now serve
/// every environment. Returns what referred to it.
pub fn delete(design: &mut Design, id: &str) -> EnvironmentUses {
    let found = uses(design, id);
    design.environments.retain(|e| e.id != id);
    for node in &mut design.nodes {
        match &mut node.spec {
            NodeSpec::Workload(w) => {
                w.overrides.remove(id);
            }
            NodeSpec::KubernetesCluster(c) if c.environment == id => c.environment.clear(),
            NodeSpec::SwarmCluster(c) if c.environment == id => c.environment.clear(),
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ClusterProps, Node, WorkloadOverride, WorkloadProps};

    fn design() -> Design {
        let mut d = Design::new("t");
        add(&mut d, "dev");
        add(&mut d, "prod");
        let mut w = WorkloadProps::default();
        w.overrides.insert(
            "prod".into(),
            WorkloadOverride {
                replicas: Some(3),
                ..Default::default()
            },
        );
        d.nodes.push(Node::new("api", "API", NodeSpec::Workload(w)));
        d.nodes.push(Node::new(
            "k8s",
            "K8s",
            NodeSpec::KubernetesCluster(ClusterProps {
                environment: "prod".into(),
                ..Default::default()
            }),
        ));
        d
    }

    fn overrides_of(d: &Design) -> Vec<String> {
        d.node("api")
            .and_then(|n| n.spec.workload())
            .map(|w| w.overrides.keys().cloned().collect())
            .unwrap_or_default()
    }

    #[test]
    fn ids_come_from_names_and_stay_unique() {
        let mut d = Design::new("t");
        assert_eq!(add(&mut d, "ПреПрод"), "preprod");
        assert_eq!(add(&mut d, "Pre-prod"), "pre-prod");
        assert_eq!(add(&mut d, "preprod"), "preprod-2");
        assert_eq!(add(&mut d, "🙂"), "env");
        assert_eq!(d.environments[0].name, "ПреПрод");
        assert!(d.environments.iter().all(|e| check_id(&e.id).is_ok()));
    }

    #[test]
    fn renaming_a_fresh_environment_moves_its_id() {
        let mut d = design();
        let id = add(&mut d, "Stand 3");
        assert_eq!(id, "stand-3");
        assert_eq!(rename(&mut d, &id, "ИФТ"), "ift");
        assert_eq!(d.environments[2].name, "ИФТ");
        // A typed id, or one that workloads refer to, stays.
        change_id(&mut d, "ift", "test").unwrap();
        assert_eq!(rename(&mut d, "test", "Тест 2"), "test");
        assert_eq!(rename(&mut d, "prod", "Production"), "prod");
        assert_eq!(d.environments[1].name, "Production");
        // Following the name never takes another environment's id.
        let id = add(&mut d, "x");
        assert_eq!(rename(&mut d, &id, "dev"), "dev-2");
    }

    #[test]
    fn uses_counts_overrides_and_clusters() {
        let d = design();
        assert_eq!(
            uses(&d, "prod"),
            EnvironmentUses {
                overrides: 1,
                clusters: 1
            }
        );
        assert_eq!(
            uses(&d, "prod").describe(),
            "1 workload override and 1 cluster"
        );
        assert!(uses(&d, "dev").is_empty());
        assert_eq!(uses(&d, "dev").describe(), "");
    }

    #[test]
    fn changing_an_id_carries_its_references() {
        let mut d = design();
        change_id(&mut d, "prod", "production").unwrap();
        assert_eq!(overrides_of(&d), ["production"]);
        assert_eq!(
            d.node("k8s").unwrap().spec.cluster_placement().unwrap().0,
            "production"
        );
        assert!(uses(&d, "prod").is_empty());
    }

    #[test]
    fn changing_an_id_refuses_bad_or_taken_ids() {
        let mut d = design();
        let before = d.clone();
        assert!(change_id(&mut d, "prod", "dev")
            .unwrap_err()
            .contains("already"));
        assert!(change_id(&mut d, "prod", "про д")
            .unwrap_err()
            .contains("not `п`"));
        assert!(change_id(&mut d, "prod", "").is_err());
        assert!(change_id(&mut d, "nope", "x").is_err());
        assert_eq!(d, before);
        change_id(&mut d, "prod", "prod").unwrap();
        assert_eq!(d, before);
    }

    #[test]
    fn shift_reorders_within_bounds() {
        let mut d = design();
        assert!(!shift(&mut d, "dev", -1));
        assert!(shift(&mut d, "dev", 1));
        let ids: Vec<&str> = d.environments.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["prod", "dev"]);
        assert!(!shift(&mut d, "dev", 1));
        assert!(!shift(&mut d, "nope", 1));
    }

    #[test]
    fn delete_drops_overrides_and_frees_clusters() {
        let mut d = design();
        let gone = delete(&mut d, "prod");
        assert_eq!(gone.overrides, 1);
        assert_eq!(gone.clusters, 1);
        assert!(overrides_of(&d).is_empty());
        assert_eq!(
            d.node("k8s").unwrap().spec.cluster_placement().unwrap().0,
            ""
        );
        assert_eq!(d.environments.len(), 1);
        // Deleting one nothing refers to touches nothing else.
        let before = d.clone();
        assert!(delete(&mut d, "dev").is_empty());
        assert_eq!(d.nodes, before.nodes);
    }
}
