//! `values.schema.json`: generated from the values the design gives in every environment, so
//! `helm lint` / `helm install` refuse what the design cannot run with — a replica count under
//! the design's least, a count that is not an integer, an unknown key (a typo), an image tag
//! Docker would refuse, an environment the design does not have.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

/// JSON Schema draft-07 (Helm 3 and 4 both validate it).
pub(super) fn schema(environments: &[String], all: &[BTreeMap<String, Value>]) -> String {
    let mut envs = vec![String::new()];
    envs.extend(environments.iter().cloned());
    let mut workloads = Map::new();
    let keys: Vec<&String> = all.first().map(|b| b.keys().collect()).unwrap_or_default();
    for key in keys {
        let seen: Vec<&Map<String, Value>> = all
            .iter()
            .filter_map(|m| m.get(key.as_str()).and_then(Value::as_object))
            .collect();
        workloads.insert(key.clone(), workload(&seen));
    }
    let required: Vec<&String> = workloads.keys().collect();
    let s = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "Values of a chart exported by Infracanvas",
        "type": "object",
        "additionalProperties": false,
        "required": ["environment", "workloads"],
        "properties": {
            "global": { "type": "object" },
            "environment": {
                "description": "Labels every object infracanvas.io/environment (empty: no label, the base).",
                "type": "string",
                "enum": envs,
            },
            "workloads": {
                "type": "object",
                "additionalProperties": false,
                "required": required,
                "properties": workloads,
            },
        },
    });
    serde_json::to_string_pretty(&s).unwrap_or_default()
}

/// The least integer the values give at `key` (so our own values always pass), at most `floor`.
fn least(
    seen: &[&Map<String, Value>],
    floor: i64,
    get: impl Fn(&Map<String, Value>) -> Option<i64>,
) -> i64 {
    seen.iter().filter_map(|m| get(m)).fold(floor, i64::min)
}

fn workload(seen: &[&Map<String, Value>]) -> Value {
    let Some(first) = seen.first() else {
        return json!({ "type": "object" });
    };
    let mut props = Map::new();
    let has = |k: &str| first.contains_key(k);
    if has("image") {
        let tags_ok = seen
            .iter()
            .all(|m| m["image"]["tag"].as_str().is_some_and(docker_tag));
        let mut tag = json!({ "type": "string", "minLength": 1, "maxLength": 128 });
        if tags_ok {
            tag["pattern"] = json!("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");
        }
        props.insert(
            "image".into(),
            json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["repository", "tag"],
                "properties": {
                    "repository": { "type": "string", "minLength": 1, "pattern": "^\\S+$" },
                    "tag": tag,
                },
            }),
        );
    }
    let min = least(seen, 1, |m| m.get("replicas").and_then(Value::as_i64));
    props.insert(
        "replicas".into(),
        json!({
            "description": "Pods (a Job's parallelism and completions); unused while autoscaling is enabled.",
            "type": "integer",
            "minimum": min,
        }),
    );
    let quantity = json!({ "type": ["string", "number"] });
    let bounds = json!({
        "type": "object",
        "additionalProperties": quantity,
        "properties": { "cpu": quantity, "memory": quantity },
    });
    props.insert(
        "resources".into(),
        json!({
            "type": "object",
            "additionalProperties": false,
            "properties": { "requests": bounds, "limits": bounds },
        }),
    );
    props.insert(
        "probes".into(),
        json!({
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "liveness": { "type": "object" },
                "readiness": { "type": "object" },
                "startup": { "type": "object" },
            },
        }),
    );
    if has("strategy") {
        props.insert(
            "strategy".into(),
            json!({
                "type": "object",
                "required": ["type"],
                "properties": {
                    "type": { "enum": ["RollingUpdate", "Recreate"] },
                    "rollingUpdate": { "type": "object" },
                },
            }),
        );
    }
    if has("autoscaling") {
        let min = least(seen, 1, |m| m["autoscaling"]["minReplicas"].as_i64());
        props.insert(
            "autoscaling".into(),
            json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["enabled", "minReplicas", "maxReplicas", "metrics"],
                "properties": {
                    "enabled": { "type": "boolean" },
                    "minReplicas": { "type": "integer", "minimum": min },
                    "maxReplicas": { "type": "integer", "minimum": min },
                    "metrics": { "type": "array", "minItems": 1, "items": { "type": "object" } },
                },
            }),
        );
    }
    if has("ingress") {
        let hosts_ok = seen.iter().all(|m| {
            m["ingress"]["host"]
                .as_str()
                .is_some_and(|h| h.is_empty() || hostname(h))
        });
        let mut host = json!({ "type": "string" });
        if hosts_ok {
            host["pattern"] = json!(
                "^$|^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
            );
        }
        props.insert(
            "ingress".into(),
            json!({
                "type": "object",
                "additionalProperties": false,
                "required": ["host"],
                "properties": { "host": host },
            }),
        );
    }
    if let Some(c) = first.get("canary").and_then(Value::as_object) {
        let mut cp = Map::new();
        for (k, v) in c {
            let s = if v.is_number() {
                let min = least(seen, 1, |m| m["canary"][k.as_str()].as_i64());
                json!({ "type": "integer", "minimum": min })
            } else {
                json!({ "type": "string", "minLength": 1 })
            };
            cp.insert(k.clone(), s);
        }
        let req: Vec<&String> = cp.keys().collect();
        props.insert(
            "canary".into(),
            json!({
                "type": "object",
                "additionalProperties": false,
                "required": req,
                "properties": cp,
            }),
        );
    }
    let mut required: Vec<&str> = vec!["replicas", "probes"];
    for k in ["image", "strategy", "autoscaling", "ingress", "canary"] {
        if has(k) {
            required.push(k);
        }
    }
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": required,
        "properties": props,
    })
}

/// A tag Docker accepts.
fn docker_tag(t: &str) -> bool {
    let mut chars = t.chars();
    t.len() <= 128
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// A DNS name (or `*.` wildcard) as an Ingress accepts it.
fn hostname(h: &str) -> bool {
    let h = h.strip_prefix("*.").unwrap_or(h);
    !h.is_empty()
        && h.split('.').all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}
