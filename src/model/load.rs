//! Reading a design file: size limits, syntax, version and migration, typed properties, and the
//! invariants every other part of the program relies on (unique ids, a containment tree).
//!
//! Every failure is a [`LoadError`] naming where the problem is; nothing here panics on input.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use serde_path_to_error::Segment;

use super::design::{Design, Edge, EdgeSpec, Node, NodeSpec, FORMAT_VERSION};
use super::kind::{EdgeKind, Kind};
use super::limits;
use super::policy;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    #[error("the design is {size} bytes; the limit is {limit} bytes")]
    TooLarge { size: usize, limit: usize },
    #[error("not valid JSON at line {line}, column {column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("the design has no format `version`; is this an Infracanvas design file?")]
    MissingVersion,
    #[error("the design was written by a newer Infracanvas (format version {found}; this one reads up to {supported}); please update")]
    NewerVersion { found: u64, supported: u32 },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
    /// A refusal described as the JSON parser reports it, with a line and column instead of
    /// a JSON path ([`load_design_brief`]).
    #[error("{0}")]
    Refused(String),
}

impl LoadError {
    fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        LoadError::Invalid {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Parses a design file, migrating older formats forward. A refused file is described by the
/// JSON path of the problem.
pub fn load_design(text: &str) -> Result<Design, LoadError> {
    load_design_bytes(text.as_bytes())
}

pub fn load_design_bytes(bytes: &[u8]) -> Result<Design, LoadError> {
    load::<true>(bytes)
}

/// [`load_design`], except that a file the typed parse or the first pass refuses is described
/// as the JSON parser reports it (`props: invalid type… at line 1 column 98`) rather than by
/// its JSON path: finding the path takes a second, path-tracking parser of every type of the
/// model, about 30 KB of the page's gzipped first-load bundle. The page loads with this; the
/// CLI and the export worker name the path. What loads, and every other check, is the same.
pub fn load_design_brief(bytes: &[u8]) -> Result<Design, LoadError> {
    load::<false>(bytes)
}

/// The loader; `PATHS` chooses how a refusal is described (a constant, so that the page's
/// build drops the path-tracking parser altogether).
fn load<const PATHS: bool>(bytes: &[u8]) -> Result<Design, LoadError> {
    if bytes.len() > limits::MAX_DESIGN_BYTES {
        return Err(LoadError::TooLarge {
            size: bytes.len(),
            limit: limits::MAX_DESIGN_BYTES,
        });
    }
    // A first, cheap pass reads only the version (and finds any syntax error); files of the
    // current version are then parsed straight into the typed model, older ones go through
    // the migrations on a JSON tree and are parsed from its text.
    let version = read_version::<PATHS>(bytes)?;
    let design = if version == u64::from(FORMAT_VERSION) {
        parse_current::<PATHS>(bytes)?
    } else {
        let mut value: Value = serde_json::from_slice(bytes).map_err(syntax_error)?;
        migrate(&mut value, version)?;
        parse_current::<PATHS>(value.to_string().as_bytes())?
    };
    check_design(&design)?;
    Ok(design)
}

fn syntax_error(e: serde_json::Error) -> LoadError {
    LoadError::Syntax {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    }
}

/// The format version, after checking the whole text is JSON and within the limits on texts
/// and lists that the typed model does not check ([`scan`]).
fn read_version<const PATHS: bool>(bytes: &[u8]) -> Result<u64, LoadError> {
    // Serde would also read a struct from an array; a design file is an object.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            return Err(syntax_error(e));
        }
        return Err(LoadError::invalid(".", "a design must be a JSON object"));
    }
    let value: Value = match serde_json::from_slice::<scan::Scan>(bytes) {
        Ok(scan) => scan.version.ok_or(LoadError::MissingVersion)?,
        Err(e) if e.is_syntax() || e.is_eof() => return Err(syntax_error(e)),
        // Over a limit: read again, tracking the path, to say where.
        Err(_) if PATHS => return Err(scan::limit_error(bytes)),
        Err(e) => return Err(LoadError::Refused(e.to_string())),
    };
    let version = value
        .as_u64()
        .ok_or_else(|| LoadError::invalid("version", "must be a whole number"))?;
    if version > u64::from(FORMAT_VERSION) {
        return Err(LoadError::NewerVersion {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    Ok(version)
}

/// The first pass over a design file: it finds the `version` and holds every text and list to
/// a limit, in any version's shape, before the typed parse or a migration does any work on them.
///
/// - Every string, keys included, is at most [`limits::MAX_TEXT_CHARS`] characters. Names,
///   descriptions and labels had that limit; property values (environment variables, hosts,
///   images, products…) and keys had only the file's size, so one 8 MB value was read, copied
///   into the model and into every export, and quoted whole in error messages.
/// - Every list or map below the top level, i.e. inside a node, an edge or an environment
///   (`env`, `ports`, `zones`, `overrides`…), and `environments` itself, holds at most
///   [`limits::MAX_LIST_ITEMS`] items: the exports' per-workload work grows with the square of
///   these (port names, secret variables are de-duplicated by scanning what is done), and a
///   7 MB file of 100,000 variables took minutes to export. `nodes`, `edges` and `layout` have
///   their own limits ([`limits::MAX_NODES`], [`limits::MAX_EDGES`]).
mod scan {
    use std::fmt;

    use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde::Deserialize;
    use serde_json::Value;

    use serde_path_to_error::Segment;

    use super::{strip_position, truncate, LoadError};
    use crate::model::limits::{MAX_LIST_ITEMS, MAX_TEXT_CHARS};

    /// Top-level members whose lists are limited elsewhere.
    const OWN_LIMITS: [&str; 3] = ["nodes", "edges", "layout"];

    pub(super) struct Scan {
        pub version: Option<Value>,
    }

    impl<'de> Deserialize<'de> for Scan {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_map(Top)
        }
    }

    struct Top;

    impl<'de> Visitor<'de> for Top {
        type Value = Scan;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a design object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scan, A::Error> {
            let mut version = None;
            while let Some(key) = map.next_key_seed(Key { keep: true })? {
                if key == "version" {
                    if version.is_some() {
                        return Err(de::Error::duplicate_field("version"));
                    }
                    version = Some(map.next_value_seed(Checked { limited: false })?);
                } else {
                    let limited = !OWN_LIMITS.contains(&key.as_str());
                    map.next_value_seed(Checked { limited })?;
                }
            }
            // `"version": null` is no version, as an `Option` field would read it.
            Ok(Scan {
                version: version.flatten().filter(|v| !v.is_null()),
            })
        }
    }

    fn check_text<E: de::Error>(s: &str) -> Result<(), E> {
        // A string of at most MAX bytes has at most MAX characters: count only longer ones.
        if s.len() > MAX_TEXT_CHARS {
            let chars = s.chars().count();
            if chars > MAX_TEXT_CHARS {
                return Err(E::custom(format!(
                    "{chars} characters; the limit is {MAX_TEXT_CHARS}"
                )));
            }
        }
        Ok(())
    }

    fn check_items<E: de::Error>(limited: bool, count: usize) -> Result<(), E> {
        if limited && count > MAX_LIST_ITEMS {
            return Err(E::custom(format!(
                "more than {MAX_LIST_ITEMS} items; the limit is {MAX_LIST_ITEMS}"
            )));
        }
        Ok(())
    }

    /// A map key, checked; kept (copied) only for the top level to look at.
    struct Key {
        keep: bool,
    }

    impl<'de> DeserializeSeed<'de> for Key {
        type Value = String;

        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
            d.deserialize_str(self)
        }
    }

    impl<'de> Visitor<'de> for Key {
        type Value = String;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a key")
        }

        fn visit_str<E: de::Error>(self, s: &str) -> Result<String, E> {
            check_text(s)?;
            Ok(if self.keep {
                s.to_string()
            } else {
                String::new()
            })
        }
    }

    /// Any value, checked; kept (as `Some`) only where the top level needs it, the version,
    /// which is never a container of the limited kind.
    struct Checked {
        /// Whether this value, if a list or map, is held to [`MAX_LIST_ITEMS`].
        limited: bool,
    }

    impl<'de> DeserializeSeed<'de> for Checked {
        type Value = Option<Value>;

        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Checked {
        type Value = Option<Value>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any JSON value")
        }

        fn visit_bool<E>(self, v: bool) -> Result<Option<Value>, E> {
            Ok(Some(Value::Bool(v)))
        }

        fn visit_i64<E>(self, v: i64) -> Result<Option<Value>, E> {
            Ok(Some(Value::from(v)))
        }

        fn visit_u64<E>(self, v: u64) -> Result<Option<Value>, E> {
            Ok(Some(Value::from(v)))
        }

        fn visit_f64<E>(self, v: f64) -> Result<Option<Value>, E> {
            Ok(Some(Value::from(v)))
        }

        fn visit_unit<E>(self) -> Result<Option<Value>, E> {
            Ok(Some(Value::Null))
        }

        fn visit_str<E: de::Error>(self, s: &str) -> Result<Option<Value>, E> {
            check_text(s)?;
            // Only the version is kept, and a string version is refused: no copy needed.
            Ok(Some(Value::Null))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Value>, A::Error> {
            let mut count = 0;
            while seq.next_element_seed(Checked { limited: true })?.is_some() {
                count += 1;
                check_items(self.limited, count)?;
            }
            Ok(Some(Value::Null))
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Value>, A::Error> {
            let mut count = 0;
            while map.next_key_seed(Key { keep: false })?.is_some() {
                map.next_value_seed(Checked { limited: true })?;
                count += 1;
                check_items(self.limited, count)?;
            }
            Ok(Some(Value::Null))
        }
    }

    /// The error of a file the scan refused, with the JSON path of the text or list at fault.
    pub(super) fn limit_error(bytes: &[u8]) -> LoadError {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        match serde_path_to_error::deserialize::<_, Scan>(&mut de) {
            Err(e) => {
                // The key at fault may itself be the long text: each key is quoted cut short.
                let mut path = String::new();
                for segment in e.path().iter() {
                    match segment {
                        Segment::Seq { index } => path.push_str(&format!("[{index}]")),
                        Segment::Map { key } | Segment::Enum { variant: key } => {
                            if !path.is_empty() {
                                path.push('.');
                            }
                            path.push_str(&truncate(key));
                        }
                        Segment::Unknown => path.push_str(if path.is_empty() { "?" } else { ".?" }),
                    }
                }
                if path.is_empty() {
                    path.push('.');
                }
                LoadError::invalid(path, strip_position(&e.into_inner().to_string()))
            }
            // Unreachable: the same bytes failed without tracking.
            Ok(_) => LoadError::invalid(".", "the design could not be read"),
        }
    }
}

/// Parses a design of the current format; errors carry the JSON path of the problem.
fn parse_current<const PATHS: bool>(bytes: &[u8]) -> Result<Design, LoadError> {
    // Tracking the path costs a third of the parse; valid files (nearly all) skip it, and a
    // failed parse is repeated with tracking to say where the problem is.
    let design = match serde_json::from_slice::<Design>(bytes) {
        Ok(design) => design,
        Err(_) if PATHS => return Err(parse_with_path(bytes)),
        Err(e) => return Err(LoadError::Refused(e.to_string())),
    };
    for (field, count, limit) in [
        ("nodes", design.nodes.len(), limits::MAX_NODES),
        ("edges", design.edges.len(), limits::MAX_EDGES),
    ] {
        if count > limit {
            return Err(LoadError::invalid(
                field,
                format!("{count} items; the limit is {limit}"),
            ));
        }
    }
    Ok(design)
}

/// The error of parsing `bytes`, with the JSON path of the problem.
fn parse_with_path(bytes: &[u8]) -> LoadError {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result: Result<Design, _> = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let at: Vec<Segment> = e.path().iter().cloned().collect();
        let message = strip_position(&e.into_inner().to_string());
        // A node's or edge's own conversion reports `kind: problem` or `props: problem`; the
        // props are read again, tracking the field, to name it in the path.
        match message.split_once(": ") {
            Some(("props", rest)) => match explain_props(bytes, &at) {
                Some(detail) => match detail.split_once(": ") {
                    Some((field, why)) if !field.contains(' ') => {
                        LoadError::invalid(format!("{path}.props.{field}"), why)
                    }
                    _ => LoadError::invalid(format!("{path}.props"), detail),
                },
                None => LoadError::invalid(format!("{path}.props"), rest),
            },
            Some((inner, rest)) if inner == "kind" => {
                LoadError::invalid(format!("{path}.{inner}"), rest)
            }
            _ => LoadError::invalid(path, message),
        }
    });
    match result.and_then(|_| de.end().map_err(syntax_error)) {
        Err(e) => e,
        // Unreachable: the same bytes failed without tracking.
        Ok(()) => LoadError::invalid(".", "the design could not be read"),
    }
}

/// Why the props of the node or edge at `at` (`nodes[3]`) were refused, naming the field.
fn explain_props(bytes: &[u8], at: &[Segment]) -> Option<String> {
    let root: Value = serde_json::from_slice(bytes).ok()?;
    let mut value = &root;
    for segment in at {
        value = match segment {
            Segment::Seq { index } => value.get(*index)?,
            Segment::Map { key } => value.get(key)?,
            _ => return None,
        };
    }
    let kind = value.get("kind")?.as_str()?;
    let props = value
        .get("props")
        .map(|p| RawValue::from_string(p.to_string()))
        .transpose()
        .ok()?;
    let props = props.as_deref();
    let detail = match at.first() {
        Some(Segment::Map { key }) if key == "edges" => {
            let kind = EdgeKind::ALL.into_iter().find(|k| k.as_str() == kind)?;
            EdgeSpec::explain_props(kind, props)
        }
        _ => NodeSpec::explain_props(Kind::from_name(kind)?, props),
    };
    (!detail.is_empty()).then_some(detail)
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// A migration step rewrites a design of one format version into the next.
type Migration = fn(&mut Value) -> Result<(), LoadError>;

/// One step per format version: `MIGRATIONS[v]` rewrites version `v` into version `v + 1`.
const MIGRATIONS: [Migration; FORMAT_VERSION as usize] = [migrate_v0_to_v1];

fn migrate(value: &mut Value, version: u64) -> Result<(), LoadError> {
    for step in &MIGRATIONS[version as usize..] {
        step(value)?;
    }
    value["version"] = Value::from(FORMAT_VERSION);
    Ok(())
}

/// Format 0, the preview format, named the kind `type` and kept each node's position on the
/// node (`"position": {"x", "y"}`); format 1 splits layout from semantics.
fn migrate_v0_to_v1(value: &mut Value) -> Result<(), LoadError> {
    let mut layout = serde_json::Map::new();
    if let Some(nodes) = value.get_mut("nodes").and_then(Value::as_array_mut) {
        for node in nodes.iter_mut().filter_map(Value::as_object_mut) {
            if let Some(kind) = node.remove("type") {
                node.entry("kind").or_insert(kind);
            }
            if let Some(position) = node.remove("position") {
                let id = node.get("id").and_then(Value::as_str).unwrap_or_default();
                let coord = |k: &str| position.get(k).and_then(Value::as_f64).unwrap_or(0.0) as i64;
                layout.insert(
                    id.to_string(),
                    serde_json::json!([coord("x"), coord("y"), 160, 64]),
                );
            }
        }
    }
    if !layout.is_empty() {
        value["layout"] = Value::Object(layout);
    }
    Ok(())
}

/// The invariants the rest of the program relies on. Semantic problems (a wrong parent kind, an
/// edge to nowhere) are left to the rules so the user sees and fixes them in the editor.
pub fn check_design(design: &Design) -> Result<(), LoadError> {
    check_text("name", &design.name)?;
    check_text("description", &design.description)?;
    let mut node_ids = HashMap::with_capacity(design.nodes.len());
    for (i, node) in design.nodes.iter().enumerate() {
        let at = format!("nodes[{i}]");
        check_id(&format!("{at}.id"), &node.id)?;
        check_text(&format!("{at}.name"), &node.name)?;
        check_text(&format!("{at}.description"), &node.description)?;
        if node_ids.insert(node.id.as_str(), i).is_some() {
            return Err(LoadError::invalid(
                format!("{at}.id"),
                format!("the id `{}` is used by two nodes", node.id),
            ));
        }
    }
    let mut edge_ids = HashSet::with_capacity(design.edges.len());
    for (i, edge) in design.edges.iter().enumerate() {
        let at = format!("edges[{i}]");
        check_id(&format!("{at}.id"), &edge.id)?;
        check_text(&format!("{at}.label"), &edge.label)?;
        if !edge_ids.insert(edge.id.as_str()) {
            return Err(LoadError::invalid(
                format!("{at}.id"),
                format!("the id `{}` is used by two edges", edge.id),
            ));
        }
    }
    for (i, env) in design.environments.iter().enumerate() {
        check_id(&format!("environments[{i}].id"), &env.id)?;
        check_text(&format!("environments[{i}].name"), &env.name)?;
    }
    check_policy(design)?;
    check_tree(design, &node_ids)
}

/// Waivers and rule levels: well-formed rule ids and dates, a reason for every waiver. Targets
/// must be ids but may name nothing (a waiver outlives what it was about; it then covers nothing).
fn check_policy(design: &Design) -> Result<(), LoadError> {
    for (i, w) in design.waivers.iter().enumerate() {
        let at = format!("waivers[{i}]");
        check_rule_id(&format!("{at}.rule"), &w.rule)?;
        if w.targets.is_empty() {
            return Err(LoadError::invalid(
                format!("{at}.targets"),
                "a waiver names the nodes or edges it accepts a finding on (to turn a rule off everywhere, set its level in settings.rules)",
            ));
        }
        for (j, t) in w.targets.iter().enumerate() {
            check_id(&format!("{at}.targets[{j}]"), t)?;
        }
        if w.reason.trim().is_empty() {
            return Err(LoadError::invalid(
                format!("{at}.reason"),
                "a waiver needs a reason: say why the finding is accepted",
            ));
        }
        check_text(&format!("{at}.reason"), &w.reason)?;
        if let Some(date) = &w.expires {
            if !policy::is_date(date) {
                return Err(LoadError::invalid(
                    format!("{at}.expires"),
                    format!("`{}` is not a date written YYYY-MM-DD", truncate(date)),
                ));
            }
        }
    }
    for id in design.settings.rules.keys() {
        check_rule_id(&format!("settings.rules.{}", truncate(id)), id)?;
    }
    Ok(())
}

fn check_rule_id(path: &str, id: &str) -> Result<(), LoadError> {
    if policy::is_rule_id(id) {
        Ok(())
    } else {
        Err(LoadError::invalid(
            path,
            format!(
                "`{}` is not a rule id (IC-<FAMILY>-<NNN>, e.g. IC-RES-001)",
                truncate(id)
            ),
        ))
    }
}

/// Parents must form a tree no deeper than [`limits::MAX_DEPTH`]. A parent id that names no
/// node is left for the rules (the node is then drawn at the top).
fn check_tree(design: &Design, index: &HashMap<&str, usize>) -> Result<(), LoadError> {
    // depth[i] = 0 while unknown; resolved chains are memoised so the walk stays linear.
    let mut depth = vec![0usize; design.nodes.len()];
    for start in 0..design.nodes.len() {
        let mut chain = Vec::new();
        let mut current = Some(start);
        let mut base = 0;
        while let Some(i) = current {
            if depth[i] > 0 {
                base = depth[i];
                break;
            }
            if chain.contains(&i) || chain.len() > limits::MAX_DEPTH {
                let node = &design.nodes[start];
                let message = if chain.contains(&i) {
                    format!("`{}` is inside itself (its parents form a cycle)", node.id)
                } else {
                    format!("containment is deeper than {} levels", limits::MAX_DEPTH)
                };
                return Err(LoadError::invalid(
                    format!("nodes[{start}].parent"),
                    message,
                ));
            }
            chain.push(i);
            current = design.nodes[i]
                .parent
                .as_deref()
                .and_then(|p| index.get(p).copied());
        }
        for (k, &i) in chain.iter().rev().enumerate() {
            depth[i] = base + k + 1;
        }
        if depth[start] > limits::MAX_DEPTH {
            return Err(LoadError::invalid(
                format!("nodes[{start}].parent"),
                format!("containment is deeper than {} levels", limits::MAX_DEPTH),
            ));
        }
    }
    Ok(())
}

pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= limits::MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

fn check_id(path: &str, id: &str) -> Result<(), LoadError> {
    if is_valid_id(id) {
        Ok(())
    } else {
        Err(LoadError::invalid(
            path,
            format!(
                "ids are 1 to {} characters of letters, digits, `_`, `-` and `.`",
                limits::MAX_ID_LEN
            ),
        ))
    }
}

fn check_text(path: &str, text: &str) -> Result<(), LoadError> {
    let chars = text.chars().count();
    if chars > limits::MAX_TEXT_CHARS {
        return Err(LoadError::invalid(
            path,
            format!(
                "{chars} characters; the limit is {}",
                limits::MAX_TEXT_CHARS
            ),
        ));
    }
    Ok(())
}

/// The shape of a node in the file; its `props` are read according to its `kind`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNode {
    id: String,
    name: String,
    #[serde(default)]
    parent: Option<String>,
    #[serde(default)]
    description: String,
    kind: String,
    #[serde(default)]
    props: Option<Box<RawValue>>,
}

impl TryFrom<RawNode> for Node {
    type Error = String;

    fn try_from(raw: RawNode) -> Result<Self, String> {
        let kind = Kind::from_name(&raw.kind)
            .ok_or_else(|| format!("kind: unknown node kind `{}`", truncate(&raw.kind)))?;
        let spec =
            NodeSpec::from_props(kind, raw.props.as_deref()).map_err(|e| format!("props: {e}"))?;
        Ok(Node {
            id: raw.id,
            name: raw.name,
            parent: raw.parent,
            description: raw.description,
            spec,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEdge {
    id: String,
    from: String,
    to: String,
    #[serde(default)]
    label: String,
    kind: String,
    #[serde(default)]
    props: Option<Box<RawValue>>,
}

impl TryFrom<RawEdge> for Edge {
    type Error = String;

    fn try_from(raw: RawEdge) -> Result<Self, String> {
        let kind = EdgeKind::ALL
            .into_iter()
            .find(|k| k.as_str() == raw.kind)
            .ok_or_else(|| format!("kind: unknown edge kind `{}`", truncate(&raw.kind)))?;
        let spec =
            EdgeSpec::from_props(kind, raw.props.as_deref()).map_err(|e| format!("props: {e}"))?;
        Ok(Edge {
            id: raw.id,
            from: raw.from,
            to: raw.to,
            label: raw.label,
            spec,
        })
    }
}

/// Quotes user input in messages without flooding them.
fn truncate(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}
