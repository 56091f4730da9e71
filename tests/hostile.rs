//! Hostile input, natively: injection through every text the model carries, the explicit
//! limits, and secrets (issue "Hostile input: fuzzing, injection, limits").
//!
//! The designs here are loader-valid: they start from the templates, and every text put in is
//! checked to load back unchanged, so what is exported is what a file or a link could carry.
//! (`synth::hostile_design()`, used by the Mermaid unit tests, is deliberately not loadable.)

use std::collections::BTreeSet;

use infracanvas::export::{compose, kubernetes, mermaid, terraform, ExportFile};
use infracanvas::model::names::is_kube_name;
use infracanvas::model::{self, Design, EnvValue, EnvVar, Exposure, Kind, NodeSpec};
use infracanvas::templates::TEMPLATES;
use infracanvas::{report, share, synth, templates, validate};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Shared helpers.

/// Every template, built.
fn all_templates() -> Vec<(&'static str, Design)> {
    TEMPLATES
        .iter()
        .map(|t| {
            (
                t.slug,
                templates::template(t.slug).expect("a template builds"),
            )
        })
        .collect()
}

/// The design as a file and as a link: both must load back to exactly `design`.
fn assert_loadable(design: &Design) {
    let file = model::to_json_pretty(design);
    let back = model::load_design(&file).unwrap_or_else(|e| panic!("the design must load: {e}"));
    assert!(
        back == *design,
        "the design file round trip changed the design"
    );
    let link = share::encode(design);
    assert!(
        share::decode(&link).as_ref() == Ok(design),
        "share round trip"
    );
}

/// The YAML documents of an export file, read back with serde-saphyr (none for a Kubernetes
/// cluster's README.md, which is Markdown).
fn docs(f: &ExportFile) -> Vec<Value> {
    if f.path.ends_with("/README.md") {
        return Vec::new();
    }
    serde_saphyr::from_multiple::<Value>(&f.contents)
        .unwrap_or_else(|e| panic!("{} does not parse back as YAML: {e}", f.path))
        .into_iter()
        .filter(|v| !v.is_null())
        .collect()
}

/// Calls `f(path, string)` for every string in `v`, map keys included (their path ends with
/// the key itself).
fn walk(v: &Value, path: &mut Vec<String>, f: &mut dyn FnMut(&[String], &str)) {
    match v {
        Value::String(s) => f(path, s),
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                path.push(i.to_string());
                walk(x, path, f);
                path.pop();
            }
        }
        Value::Object(map) => {
            for (k, x) in map {
                path.push(k.clone());
                f(path, k);
                walk(x, path, f);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The Kubernetes export and the Compose stacks of every cluster (Swarm and Kubernetes).
fn k8s_and_compose(design: &Design) -> (Vec<ExportFile>, Vec<ExportFile>) {
    let k8s = kubernetes::export(design);
    let mut stacks = compose::export(design);
    for n in design
        .nodes
        .iter()
        .filter(|n| n.kind() == Kind::KubernetesCluster)
    {
        stacks.extend(compose::export_cluster(design, &n.id));
    }
    // Each Swarm stack comes with a README: the design's text in it stays on its line.
    let (readmes, stacks): (Vec<ExportFile>, Vec<ExportFile>) = stacks
        .into_iter()
        .partition(|f| f.path.ends_with("/README.md"));
    for r in &readmes {
        assert!(r.contents.starts_with("# Stack `"), "{}", r.path);
        assert!(
            !r.contents.chars().any(|c| c.is_control() && c != '\n'),
            "{}",
            r.path
        );
    }
    (k8s, stacks)
}

fn workloads_mut(design: &mut Design) -> impl Iterator<Item = &mut model::WorkloadProps> {
    design.nodes.iter_mut().filter_map(|n| match &mut n.spec {
        NodeSpec::Workload(w) => Some(w),
        _ => None,
    })
}

// ---------------------------------------------------------------------------------------------
// Injection.

mod injection {
    use super::*;

    /// Texts that mean something to HTML, templating engines, shells, YAML, Mermaid or a
    /// terminal, and the sizes and scripts that break naive code.
    pub(crate) fn hostile_texts() -> Vec<String> {
        let mut texts: Vec<String> = [
            "plain \"double\" and 'single' quotes",
            "back\\slash \\n \\\" \\u0041",
            "line one\nline two\r\nline three\rfour",
            "</script><script>alert(1)</script>",
            "<svg onload=alert(1)>",
            "<img src=x onerror=alert(1)>",
            "{{ .Values.secret }} {{- end }}",
            "${HOME} $(id) `id` $((1+1))",
            "key: value",
            "- item",
            "&anchor value",
            "*alias",
            "!!binary aGVsbG8=",
            "!tag value",
            "| block",
            "> folded",
            "# not a comment",
            "%YAML 1.2",
            "@at sign",
            "`backtick`",
            "? complex key",
            "--- document",
            "...",
            "~",
            "null",
            "true",
            "0x1F",
            "1e3",
            "010",
            "  leading and trailing spaces  ",
            "trailing colon:",
            "a #hash in the middle",
            "[flow, seq]",
            "{flow: map}",
            "A --> B -.-> C ==> D",
            "end",
            "subgraph x",
            "%%{init: {\"theme\": \"dark\"}}%%",
            "click n0 call alert(1)",
            "style n0 fill:#f00;",
            "#quot; #lt;script#gt; #59;",
            "fa:fa-car $$x^2$$",
            "[(cylinder)] {{hexagon}} >flag]",
            "\u{200F}שלום\u{202E}abc\u{202C}\u{2066}x\u{2069}",
            "tab\there\u{7}bell\u{1b}[31mred\u{1b}[0m",
            "Сосисочная «Щука и Ёж»",
            "emoji 🚀 and zero\u{200B}width",
            "\u{2028}line separator\u{2029}paragraph",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        texts.push("Д\"<#;:-".chars().cycle().take(10_000).collect());
        texts
    }

    /// A template with a hostile text in every name, description, label, environment name,
    /// plain variable value and external host; every image is left on `latest` so each
    /// workload gets a finding that quotes its name. Returns the design and the values planted
    /// in plain variables and hosts.
    pub(crate) fn hostile_template(slug: &str) -> (Design, Vec<String>, Vec<String>) {
        hostile_template_from(slug, 0)
    }

    /// [`hostile_template`] with workload names taken from the hostile texts in order, starting
    /// at `offset` (other nodes take theirs by position).
    pub(crate) fn hostile_template_from(
        slug: &str,
        offset: usize,
    ) -> (Design, Vec<String>, Vec<String>) {
        let texts = hostile_texts();
        let pick = |i: usize| texts[i % texts.len()].clone();
        let mut d = templates::template(slug).expect("template");
        d.name = pick(3);
        d.description = pick(4);
        for (i, env) in d.environments.iter_mut().enumerate() {
            env.name = pick(i + 5);
        }
        let mut k = offset;
        for (i, n) in d.nodes.iter_mut().enumerate() {
            n.name = if n.kind() == Kind::Workload {
                k += 1;
                pick(k - 1)
            } else {
                pick(i)
            };
            n.description = pick(i + 7);
        }
        for (i, e) in d.edges.iter_mut().enumerate() {
            e.label = pick(i + 11);
        }
        let (mut values, mut hosts) = (Vec::new(), Vec::new());
        for (i, w) in workloads_mut(&mut d).enumerate() {
            w.tag = "latest".into();
            let value = pick(i * 3 + 1);
            w.env.push(EnvVar {
                name: format!("HOSTILE_{i}"),
                value: EnvValue::Plain(value.clone()),
            });
            values.push(value);
            // A hostile variable name: it becomes a key of `[A-Za-z0-9._-]`, at most 253 long.
            let name = if i == 0 {
                texts[texts.len() - 1].clone()
            } else {
                pick(i * 7 + 3)
            };
            w.env.push(EnvVar {
                name,
                value: EnvValue::Plain("named".into()),
            });
            if w.exposure == Exposure::External {
                let host = pick(i * 5 + 2);
                w.host = host.clone();
                hosts.push(host);
            }
        }
        assert_loadable(&d);
        (d, values, hosts)
    }

    /// A DNS-1123 label (`[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63).
    fn is_label(s: &str) -> bool {
        is_kube_name(s)
    }

    /// A DNS-1035 label: a DNS-1123 label that starts with a letter (Service names).
    fn is_dns1035(s: &str) -> bool {
        is_label(s) && s.starts_with(|c: char| c.is_ascii_lowercase())
    }

    /// A DNS-1123 subdomain: dot-separated labels, at most 253.
    fn is_subdomain(s: &str) -> bool {
        s.len() <= 253 && s.split('.').all(is_label)
    }

    /// A label value: empty, or up to 63 of `[A-Za-z0-9._-]`, alphanumeric at both ends.
    fn is_label_value(s: &str) -> bool {
        s.is_empty()
            || s.len() <= 63
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
                && s.starts_with(|c: char| c.is_ascii_alphanumeric())
                && s.ends_with(|c: char| c.is_ascii_alphanumeric())
    }

    #[test]
    fn hostile_texts_load_and_round_trip() {
        for t in TEMPLATES {
            let (d, _, _) = hostile_template(t.slug);
            // The JSON design file is valid JSON that holds every text unchanged.
            let v: Value = serde_json::from_str(&model::to_json_pretty(&d)).unwrap();
            for (i, n) in d.nodes.iter().enumerate() {
                assert_eq!(v["nodes"][i]["name"], Value::from(n.name.as_str()));
            }
            let compact = model::to_json_compact(&d);
            assert!(!compact.contains('\n'), "{}", t.slug);
        }
    }

    /// What an XML parser reads for a name the SVG escaped: the name with the characters XML
    /// cannot carry dropped and line breaks made spaces.
    fn as_drawn(name: &str) -> String {
        let doc = format!("<t>{}</t>", infracanvas::export::image::escape(name));
        let parsed = roxmltree::Document::parse(&doc).unwrap();
        parsed.root_element().text().unwrap_or_default().to_string()
    }

    #[test]
    fn svg_pictures_keep_every_name_as_text_and_carry_the_design_intact() {
        use infracanvas::export::image::{design_from_svg, svg, SvgOptions, Theme};
        for t in TEMPLATES {
            let (d, _, _) = hostile_template(t.slug);
            for theme in [Theme::Light, Theme::Dark] {
                let picture = svg(
                    &d,
                    &SvgOptions {
                        theme,
                        selection: None,
                    },
                );
                let doc = roxmltree::Document::parse(&picture)
                    .unwrap_or_else(|e| panic!("{}: {e}", t.slug));
                // Only the elements the exporter writes: no script, no handler, no link.
                for el in doc.descendants().filter(|n| n.is_element()) {
                    assert!(
                        !matches!(
                            el.tag_name().name(),
                            "script" | "foreignObject" | "a" | "image"
                        ),
                        "{}",
                        t.slug
                    );
                    for a in el.attributes() {
                        assert!(
                            !a.name().starts_with("on") && a.name() != "href",
                            "{}",
                            a.name()
                        );
                    }
                }
                let titles: BTreeSet<String> = doc
                    .descendants()
                    .filter(|n| n.tag_name().name() == "title")
                    .filter_map(|n| n.text().map(str::to_string))
                    .collect();
                for n in &d.nodes {
                    assert!(
                        titles.contains(&as_drawn(&n.name)),
                        "{}: {:?}",
                        t.slug,
                        n.name
                    );
                }
                assert_eq!(design_from_svg(&picture).unwrap(), d, "{}", t.slug);
            }
        }
    }

    #[test]
    fn mermaid_labels_stay_inside_their_quotes() {
        for t in TEMPLATES {
            let (d, _, _) = hostile_template(t.slug);
            let text = mermaid::flowchart(&d);
            let lower = text.to_lowercase();
            for bad in ["<script", "<svg", "<img", "javascript:", "\r", "%%{"] {
                assert!(
                    !lower.contains(bad),
                    "{}: {bad:?} in the Mermaid export",
                    t.slug
                );
            }
            for line in text.lines().skip(1) {
                let quotes: Vec<usize> = line.match_indices('"').map(|(i, _)| i).collect();
                assert!(quotes.is_empty() || quotes.len() == 2, "{}: {line}", t.slug);
                if let [open, close] = quotes[..] {
                    check_label(&line[open + 1..close], line);
                } else {
                    // Outside labels only ids, arrows, keywords and class lists.
                    assert!(
                        !line.contains(['<', '{', '$', '`']) || line.contains("classDef"),
                        "{}: {line}",
                        t.slug
                    );
                }
            }
            // Every short single-line name is there, escaped.
            for n in &d.nodes {
                let name = n.name.trim();
                if !name.is_empty()
                    && name.chars().count() < 80
                    && !name.contains(['\n', '\r', '\u{2028}', '\u{2029}'])
                {
                    let shown = mermaid::sanitize_label(name);
                    assert!(text.contains(&shown), "{}: {name:?} as {shown:?}", t.slug);
                }
            }
        }
    }

    /// What `mermaid::sanitize_label` promises of a label's text: no character that could end
    /// the string or mean markup, and `#` only as the start of a closed entity (`#quot;`, `#60;`).
    fn check_label(label: &str, line: &str) {
        const SPECIAL: [char; 17] = [
            '<', '>', '"', '`', '|', '[', ']', '{', '}', '(', ')', ';', ':', '$', '%', '\\', '\n',
        ];
        let text = label.replace("<br/>", "");
        let mut pieces = text.split('#');
        let first = pieces.next().unwrap_or_default();
        assert!(!first.contains(SPECIAL), "raw special in {line}");
        for piece in pieces {
            let end = piece
                .find(';')
                .unwrap_or_else(|| panic!("open entity in {line}"));
            let name = &piece[..end];
            assert!(
                !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric()),
                "entity {name:?} in {line}"
            );
            assert!(!piece[end + 1..].contains(SPECIAL), "raw special in {line}");
        }
    }

    #[test]
    fn kubernetes_yaml_reads_back_with_every_value_intact_and_dns_names() {
        for t in TEMPLATES {
            let (d, values, hosts) = hostile_template(t.slug);
            let (k8s, _) = k8s_and_compose(&d);
            assert!(
                !k8s.is_empty() || !d.nodes.iter().any(|n| n.kind() == Kind::KubernetesCluster)
            );
            let mut config_values = BTreeSet::new();
            let mut ingress_hosts = BTreeSet::new();
            for f in &k8s {
                for part in f.path.split('/') {
                    assert!(
                        part == "README.md"
                            || is_label(part.trim_end_matches(".yaml"))
                            || part.ends_with(".yaml") && part.split('.').all(is_label),
                        "{}: path part {part:?}",
                        f.path
                    );
                }
                for doc in docs(f) {
                    let kind = doc["kind"].as_str().unwrap_or_default();
                    let meta = &doc["metadata"];
                    if let Some(name) = meta["name"].as_str() {
                        match kind {
                            "Namespace" | "Deployment" | "StatefulSet" | "Job" | "Ingress" => {
                                assert!(is_label(name), "{}: {kind} {name:?}", f.path)
                            }
                            "Service" => assert!(is_dns1035(name), "{}: Service {name:?}", f.path),
                            _ => assert!(is_subdomain(name), "{}: {kind} {name:?}", f.path),
                        }
                    }
                    if let Some(ns) = meta["namespace"].as_str() {
                        assert!(is_label(ns), "{}: namespace {ns:?}", f.path);
                    }
                    walk(&doc, &mut Vec::new(), &mut |path, s| {
                        // Label values (object labels and selectors) are valid label values.
                        let n = path.len();
                        if n >= 2
                            && matches!(path[n - 2].as_str(), "labels" | "matchLabels" | "selector")
                            && path.last().map(String::as_str) != Some(s)
                        {
                            assert!(is_label_value(s), "{}: label {path:?} = {s:?}", f.path);
                        }
                    });
                    if kind == "ConfigMap" {
                        for (k, v) in doc["data"].as_object().into_iter().flatten() {
                            assert!(
                                !k.is_empty()
                                    && k.len() <= 253
                                    && k.bytes()
                                        .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b)),
                                "{}: ConfigMap key {k:?}",
                                f.path
                            );
                            config_values.insert(v.as_str().unwrap().to_string());
                        }
                    }
                    // A container's variable names are keys of the same kind.
                    walk(&doc, &mut Vec::new(), &mut |path, s| {
                        let n = path.len();
                        if n >= 3 && path[n - 3] == "env" && path[n - 1] == "name" {
                            assert!(
                                s.bytes()
                                    .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b)),
                                "{}: variable {s:?}",
                                f.path
                            );
                        }
                    });
                    if kind == "Ingress" {
                        for r in doc["spec"]["rules"].as_array().into_iter().flatten() {
                            ingress_hosts.extend(r["host"].as_str().map(String::from));
                        }
                    }
                }
            }
            if k8s.is_empty() {
                continue;
            }
            // Plain values of workloads in Kubernetes clusters land in their ConfigMap unchanged.
            let in_k8s = in_cluster_kind(&d, Kind::KubernetesCluster);
            for (w, value) in d
                .nodes
                .iter()
                .filter_map(|n| n.spec.workload().map(|w| (n, w)))
                .zip(&values)
            {
                // Add-ons drawn as workloads are installed from their charts, not exported.
                if in_k8s.contains(&w.0.id) && !kubernetes::is_addon(w.1) {
                    assert!(config_values.contains(value), "{}: {value:?} lost", t.slug);
                }
            }
            for host in &hosts {
                let trimmed = host.trim();
                if !trimmed.is_empty() && ingress_hosts.iter().any(|h| h == trimmed) {
                    continue;
                }
                // Every external workload in a Kubernetes cluster has its Ingress.
                let owner = d
                    .nodes
                    .iter()
                    .find(|n| n.spec.workload().is_some_and(|w| w.host == *host))
                    .unwrap();
                assert!(
                    !in_k8s.contains(&owner.id) || trimmed.is_empty(),
                    "{}: host {host:?} lost",
                    t.slug
                );
            }
        }
    }

    /// Ids of the workloads inside a cluster of `kind`.
    fn in_cluster_kind(d: &Design, kind: Kind) -> BTreeSet<String> {
        let g = model::DesignGraph::new(d);
        (0..g.len())
            .filter(|&i| {
                let mut p = g.parent(i);
                while let Some(x) = p {
                    if g.kind(x) == kind {
                        return true;
                    }
                    p = g.parent(x);
                }
                false
            })
            .map(|i| g.node(i).id.clone())
            .collect()
    }

    #[test]
    fn compose_yaml_reads_back_with_every_value_intact() {
        for t in TEMPLATES {
            let (d, values, _) = hostile_template(t.slug);
            let (_, stacks) = k8s_and_compose(&d);
            let mut env_values = BTreeSet::new();
            for f in &stacks {
                let stack = &docs(f)[0];
                for (name, s) in stack["services"].as_object().unwrap() {
                    assert!(is_label(name), "{}: service {name:?}", f.path);
                    for (k, v) in s["environment"].as_object().into_iter().flatten() {
                        assert!(
                            k.bytes()
                                .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b)),
                            "{}: variable {k:?}",
                            f.path
                        );
                        env_values.insert(v.as_str().unwrap().to_string());
                    }
                }
            }
            let in_cluster: BTreeSet<String> = in_cluster_kind(&d, Kind::SwarmCluster)
                .union(&in_cluster_kind(&d, Kind::KubernetesCluster))
                .cloned()
                .collect();
            let workloads = d.nodes.iter().filter(|n| n.spec.workload().is_some());
            for (n, value) in workloads.zip(&values) {
                if in_cluster.contains(&n.id) {
                    assert!(env_values.contains(value), "{}: {value:?} lost", t.slug);
                }
            }
        }
    }

    #[test]
    fn reports_carry_names_intact_and_stay_parseable() {
        let texts = hostile_texts();
        let mut quoted = BTreeSet::new();
        let runs = TEMPLATES.iter().map(|t| (t.slug, 0)).chain(
            // Enough runs of one template for every text to name a workload once.
            (0..texts.len())
                .step_by(4)
                .map(|offset| ("microservices-platform", offset)),
        );
        for (slug, offset) in runs {
            let (d, _, _) = hostile_template_from(slug, offset);
            let diagnostics = validate::validate(&d);
            let source = model::to_json_pretty(&d);
            let json: Value = serde_json::from_str(&report::json(&diagnostics)).unwrap();
            let sarif: Value =
                serde_json::from_str(&report::sarif(&diagnostics, "design.json", &source)).unwrap();
            let results = sarif["runs"][0]["results"].as_array().unwrap();
            assert_eq!(results.len(), diagnostics.len());
            for (i, diag) in diagnostics.iter().enumerate() {
                assert_eq!(json[i]["message"], Value::from(diag.message.as_str()));
                assert_eq!(json[i]["hint"], Value::from(diag.hint.as_str()));
                let text = results[i]["message"]["text"].as_str().unwrap();
                assert!(text.starts_with(&diag.message));
                // The SARIF line points into the file.
                let line = results[i]["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap();
                assert!(line >= 1 && line as usize <= source.lines().count());
            }
            // Each workload's unpinned image is reported under its name, intact.
            for n in d
                .nodes
                .iter()
                .filter(|n| n.spec.workload().is_some() && !n.name.trim().is_empty())
            {
                let wanted = format!("`{}`", n.name);
                let found = diagnostics.iter().any(|x| {
                    x.rule == "IC-OPS-006" && x.targets[0] == n.id && x.message.contains(&wanted)
                });
                assert!(found, "{}: {:?} not quoted", slug, n.name);
                quoted.insert(n.name.clone());
            }
            let human = report::human(&diagnostics);
            let expected_lines: usize = diagnostics
                .iter()
                .map(|x| 1 + usize::from(!x.targets.is_empty()) + usize::from(!x.hint.is_empty()))
                .sum::<usize>()
                + 1;
            assert_eq!(
                human.lines().count(),
                expected_lines,
                "{}: one finding a line",
                slug
            );
            assert!(
                !human.chars().any(|c| c.is_control() && c != '\n'),
                "{}: a control character reaches the terminal",
                slug
            );
        }
        // Every text, the hostile ones above all, is quoted intact.
        for text in texts.iter().filter(|t| !t.trim().is_empty()) {
            assert!(quoted.contains(text.as_str()), "{text:?} was never quoted");
        }
    }

    #[test]
    fn helm_charts_print_every_hostile_text_and_run_none() {
        // The only actions a chart's object templates hold are the export's own.
        const OURS: [&str; 6] = [
            "{{ \"{{\" }}",
            "{{ toJson ",
            "{{- if ",
            "{{- else }}",
            "{{- end }}",
            "{{- include \"infracanvas.labels\" . | nindent ",
        ];
        for t in TEMPLATES {
            let (mut d, mut values, _) = hostile_template(t.slug);
            // Template code in a value of every workload, besides the planted texts.
            for w in workloads_mut(&mut d) {
                w.env.push(EnvVar {
                    name: "TEMPLATE_CODE".into(),
                    value: EnvValue::Plain(hostile_texts()[6].clone()),
                });
            }
            values.push(hostile_texts()[6].clone());
            assert!(values.last().is_some_and(|v| v.contains("{{")));
            let (k8s, _) = k8s_and_compose(&d);
            let charts = kubernetes::helm::export(&d);
            assert_eq!(k8s.is_empty(), charts.is_empty(), "{}", t.slug);
            let mut seen = BTreeSet::new();
            for f in &charts {
                if f.path.ends_with(".json") {
                    serde_json::from_str::<Value>(&f.contents).unwrap();
                    continue;
                }
                let Some((chart, rest)) = f.path.split_once("/templates/") else {
                    docs(f);
                    continue;
                };
                if !rest.ends_with(".yaml") {
                    continue;
                }
                let mut text = f.contents.as_str();
                while let Some(i) = text.find("{{") {
                    text = &text[i..];
                    let ours = OURS.iter().find(|o| text.starts_with(**o));
                    let ours = ours.unwrap_or_else(|| panic!("{}: {:.80}", f.path, text));
                    text = &text[ours.len()..];
                }
                // The ConfigMaps have no values slots: without the labels line and with `{{`
                // printed, they are the base's ConfigMaps, every hostile value intact.
                if rest.ends_with("/configmaps.yaml") {
                    let plain: String = f
                        .contents
                        .lines()
                        .filter(|l| !l.starts_with("{{- include"))
                        .map(|l| l.replace("{{ \"{{\" }}", "{{") + "\n")
                        .collect();
                    let helm = docs(&ExportFile::new(f.path.clone(), plain));
                    let base = k8s
                        .iter()
                        .find(|b| b.path == format!("{chart}/base/{rest}"))
                        .unwrap_or_else(|| panic!("no base file for {}", f.path));
                    let base = docs(base);
                    assert_eq!(helm.len(), base.len(), "{}", f.path);
                    for (h, b) in helm.iter().zip(&base) {
                        assert_eq!(h["data"], b["data"], "{}", f.path);
                        for v in h["data"].as_object().into_iter().flatten() {
                            seen.insert(v.1.as_str().unwrap_or_default().to_string());
                        }
                    }
                }
            }
            if !charts.is_empty() {
                for v in values.iter().filter(|v| v.contains("{{")) {
                    assert!(seen.contains(v), "{}: {v:?} not printed as is", t.slug);
                }
            }
        }
    }

    #[test]
    fn the_cli_writes_exports_only_inside_the_output_folder() {
        // File names come from DNS labels: no `/`, `..` or absolute path can be formed.
        for t in TEMPLATES {
            let (d, _, _) = hostile_template(t.slug);
            let (k8s, stacks) = k8s_and_compose(&d);
            let charts = kubernetes::helm::export(&d);
            for f in k8s.iter().chain(&stacks).chain(&charts) {
                assert!(!f.path.starts_with('/'), "{}", f.path);
                assert!(
                    f.path
                        .split('/')
                        .all(|p| !p.is_empty() && p != ".." && p != "."),
                    "{}",
                    f.path
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Limits.

mod limits {
    use infracanvas::model::limits::*;
    use infracanvas::model::{load_design, load_design_bytes, LoadError};
    use infracanvas::share::{self, ShareError, MAX_PAYLOAD_CHARS};

    use super::*;

    fn invalid(result: Result<Design, LoadError>) -> (String, String) {
        match result {
            Err(LoadError::Invalid { path, message }) => (path, message),
            other => panic!("expected an invalid-design error, got {other:?}"),
        }
    }

    /// A raw deflate stream (one block, fixed Huffman codes) that inflates to `prefix`, then
    /// its last byte repeated `repeat` more times, then `suffix`: 13 bits per 258 bytes, so a
    /// 100 MB output costs about 630 KB, packed without spending the time to compress 100 MB.
    fn deflate_bomb(prefix: &[u8], repeat: usize, suffix: &[u8]) -> Vec<u8> {
        struct Bits {
            out: Vec<u8>,
            acc: u64,
            n: u32,
        }
        impl Bits {
            /// `count` bits of `value`, least significant first (headers, extra bits).
            fn lsb(&mut self, value: u64, count: u32) {
                self.acc |= value << self.n;
                self.n += count;
                while self.n >= 8 {
                    self.out.push(self.acc as u8);
                    self.acc >>= 8;
                    self.n -= 8;
                }
            }
            /// A Huffman code, most significant bit first.
            fn code(&mut self, code: u64, len: u32) {
                let reversed = (0..len).fold(0, |r, i| r | ((code >> i) & 1) << (len - 1 - i));
                self.lsb(reversed, len);
            }
            fn literal(&mut self, b: u8) {
                match b {
                    0..=143 => self.code(0x30 + u64::from(b), 8),
                    _ => self.code(0x190 + u64::from(b - 144), 9),
                }
            }
        }
        assert!(!prefix.is_empty());
        let mut bits = Bits {
            out: Vec::new(),
            acc: 0,
            n: 0,
        };
        bits.lsb(1, 1); // BFINAL
        bits.lsb(1, 2); // BTYPE = fixed Huffman
        prefix.iter().for_each(|&b| bits.literal(b));
        let mut left = repeat;
        while left >= 258 {
            bits.code(0xC5, 8); // length 258 (code 285)
            bits.code(0, 5); // distance 1
            left -= 258;
        }
        for _ in 0..left {
            bits.literal(*prefix.last().unwrap());
        }
        suffix.iter().for_each(|&b| bits.literal(b));
        bits.code(0, 7); // end of block
        bits.lsb(0, 7); // flush
        bits.out
    }

    fn payload(packed: &[u8]) -> String {
        use base64::Engine as _;
        format!(
            "{}{}",
            share::CODEC_PREFIX,
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed)
        )
    }

    #[test]
    fn the_bomb_builder_inflates_to_what_it_says() {
        let packed = deflate_bomb(b"{\"version\":1,\"name\":\"a", 300, b"\"}");
        let design = share::decode(&payload(&packed)).unwrap();
        assert_eq!(design.name, "a".repeat(301));
    }

    #[test]
    fn a_50_mb_file_is_refused_by_its_size_before_it_is_parsed() {
        // Not even JSON past the first bytes: the size alone decides.
        let mut bytes = b"{\"version\":1,\"name\":\"".to_vec();
        bytes.resize(50 << 20, b'x');
        bytes.extend_from_slice(b"\x00 not json");
        match load_design_bytes(&bytes) {
            Err(LoadError::TooLarge { size, limit }) => {
                assert_eq!((size, limit), (bytes.len(), MAX_DESIGN_BYTES));
            }
            other => panic!("expected TooLarge, got {other:?}"),
        }
        let message = load_design_bytes(&bytes).unwrap_err().to_string();
        assert!(message.contains(&MAX_DESIGN_BYTES.to_string()), "{message}");
    }

    #[test]
    fn zip_bombs_in_links_are_refused_while_inflating() {
        // 100 MB of spaces, and a design whose name is 100 MB long.
        for (prefix, suffix) in [
            (&b" "[..], &b""[..]),
            (&b"{\"version\":1,\"name\":\"a"[..], &b"\"}"[..]),
        ] {
            let packed = deflate_bomb(prefix, 100_000_000, suffix);
            let plain = payload(&packed);
            // The same stream behind each template dictionary (codec `2.<tag>.`).
            let body = &plain[share::CODEC_PREFIX.len()..];
            let primed = share::dictionary::all()
                .iter()
                .map(|d| format!("{}{}.{body}", share::CODEC_DICT_PREFIX, d.tag));
            for payload in std::iter::once(plain.clone()).chain(primed) {
                let link = format!("https://infracanvas.example/#d={payload}");
                assert!(
                    link.len() < MAX_PAYLOAD_CHARS,
                    "the bomb fits under the link cap"
                );
                let err = share::decode(&link).unwrap_err();
                let limit = MAX_DESIGN_BYTES;
                assert_eq!(err, ShareError::TooLarge { limit }, "{}", &payload[..12]);
                assert!(err.to_string().contains("unpacks to more than"), "{err}");
            }
        }
        // Just under the inflate cap, the design's own limits speak.
        let packed = deflate_bomb(
            b"{\"version\":1,\"name\":\"a",
            MAX_DESIGN_BYTES - 100,
            b"\"}",
        );
        match share::decode(&payload(&packed)) {
            Err(ShareError::Design(LoadError::Invalid { path, message })) => {
                assert_eq!(path, "name");
                assert!(
                    message.ends_with(&format!("the limit is {MAX_TEXT_CHARS}")),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_link_over_the_length_cap_is_refused_before_decoding() {
        let link = format!("https://x.example/#d=1.{}", "A".repeat(MAX_PAYLOAD_CHARS));
        let err = share::decode(&link).unwrap_err();
        assert_eq!(
            err,
            ShareError::TooLong {
                len: MAX_PAYLOAD_CHARS + 2,
                limit: MAX_PAYLOAD_CHARS
            }
        );
        assert!(err.to_string().contains(&MAX_PAYLOAD_CHARS.to_string()));
    }

    fn with_name(name: &str) -> String {
        serde_json::json!({"version": 1, "name": "x", "nodes": [{"id": "a", "name": name, "kind": "zone"}]})
            .to_string()
    }

    #[test]
    fn names_longer_than_the_limit_are_refused_with_the_limit() {
        let name: String = "Щ".repeat(MAX_TEXT_CHARS);
        assert!(load_design(&with_name(&name)).is_ok());
        let (path, message) = invalid(load_design(&with_name(&format!("{name}x"))));
        assert_eq!(path, "nodes[0].name");
        assert_eq!(
            message,
            format!(
                "{} characters; the limit is {MAX_TEXT_CHARS}",
                MAX_TEXT_CHARS + 1
            )
        );
        let id = "a".repeat(MAX_ID_LEN + 1);
        let text = serde_json::json!({"version": 1, "name": "x", "nodes": [{"id": id, "name": "n", "kind": "zone"}]});
        let (path, message) = invalid(load_design(&text.to_string()));
        assert_eq!(path, "nodes[0].id");
        assert!(message.contains(&MAX_ID_LEN.to_string()), "{message}");
    }

    fn chain(levels: usize) -> String {
        let nodes: Vec<Value> = (0..levels)
            .map(|i| {
                let mut n =
                    serde_json::json!({"id": format!("n{i}"), "name": "N", "kind": "region"});
                if i > 0 {
                    n["parent"] = Value::from(format!("n{}", i - 1));
                }
                n
            })
            .collect();
        serde_json::json!({"version": 1, "name": "x", "nodes": nodes}).to_string()
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_refused_with_the_limit() {
        assert!(load_design(&chain(MAX_DEPTH)).is_ok());
        let (path, message) = invalid(load_design(&chain(MAX_DEPTH + 1)));
        assert!(
            path.starts_with("nodes[") && path.ends_with("].parent"),
            "{path}"
        );
        assert_eq!(
            message,
            format!("containment is deeper than {MAX_DEPTH} levels")
        );
    }

    #[test]
    fn too_many_nodes_or_edges_are_refused_with_the_limit() {
        fn node(i: usize) -> String {
            format!(r#"{{"id":"n{i}","name":"","kind":"zone"}}"#)
        }
        fn edge(i: usize) -> String {
            format!(r#"{{"id":"e{i}","from":"a","to":"b","kind":"observes"}}"#)
        }
        let cases = [
            ("nodes", MAX_NODES, node as fn(usize) -> String),
            ("edges", MAX_EDGES, edge),
        ];
        for (field, limit, item) in cases {
            let items: Vec<String> = (0..=limit).map(item).collect();
            let text = format!(
                r#"{{"version":1,"name":"x","{field}":[{}]}}"#,
                items.join(",")
            );
            let (path, message) = invalid(load_design(&text));
            assert_eq!(path, field);
            assert_eq!(
                message,
                format!("{} items; the limit is {limit}", limit + 1)
            );
        }
    }

    fn workload_with(props: Value) -> String {
        serde_json::json!({"version": 1, "name": "x", "nodes": [
            {"id": "w", "name": "api", "kind": "workload", "props": props}]})
        .to_string()
    }

    #[test]
    fn property_texts_and_lists_have_limits_too() {
        let at_limit = "v".repeat(MAX_TEXT_CHARS);
        let over = format!("{at_limit}v");
        let env =
            |value: &str| serde_json::json!({"env": [{"name": "A", "value": {"plain": value}}]});
        assert!(load_design(&workload_with(env(&at_limit))).is_ok());
        let (path, message) = invalid(load_design(&workload_with(env(&over))));
        assert_eq!(path, "nodes[0].props.env[0].value.plain");
        assert_eq!(
            message,
            format!(
                "{} characters; the limit is {MAX_TEXT_CHARS}",
                MAX_TEXT_CHARS + 1
            )
        );
        for (props, at) in [
            (serde_json::json!({"host": over}), "nodes[0].props.host"),
            (serde_json::json!({"image": over}), "nodes[0].props.image"),
            (
                serde_json::json!({"overrides": {over.as_str(): {"replicas": 2}}}),
                "nodes[0].props.overrides.",
            ),
        ] {
            let (path, _) = invalid(load_design(&workload_with(props)));
            assert!(path.starts_with(at), "{path}");
            assert!(
                path.chars().count() < 80,
                "the path quotes a long key cut short: {path}"
            );
        }
        let vars = |n: usize| -> Value {
            let env: Vec<Value> = (0..n)
                .map(|i| serde_json::json!({"name": format!("V{i}"), "value": {"secret": {"store": "s", "key": "k"}}}))
                .collect();
            serde_json::json!({"env": env})
        };
        assert!(load_design(&workload_with(vars(MAX_LIST_ITEMS))).is_ok());
        let (path, message) = invalid(load_design(&workload_with(vars(MAX_LIST_ITEMS + 1))));
        assert_eq!(path, "nodes[0].props.env");
        assert_eq!(
            message,
            format!("more than {MAX_LIST_ITEMS} items; the limit is {MAX_LIST_ITEMS}")
        );
        // The same through a link, for environments: the page can hold any design in memory,
        // but a link to one over the limits is refused when opened.
        let mut design = load_design(&workload_with(vars(10))).unwrap();
        design.environments = (0..=MAX_LIST_ITEMS)
            .map(|i| model::Environment {
                id: format!("e{i}"),
                name: String::new(),
                production: false,
            })
            .collect();
        match share::decode(&share::encode(&design)) {
            Err(ShareError::Design(LoadError::Invalid { path, .. })) => {
                assert_eq!(path, "environments")
            }
            other => panic!("{other:?}"),
        }
        // A version-0 file is held to the same limits before it is migrated.
        let old = serde_json::json!({"version": 0, "name": "x", "nodes": [
            {"id": "w", "name": "api", "type": "workload", "props": {"image": over}}]});
        let (path, _) = invalid(load_design(&old.to_string()));
        assert_eq!(path, "nodes[0].props.image");
    }
}

// ---------------------------------------------------------------------------------------------
// Secrets.

/// No secret value can reach an export, because the model has no place for one.
///
/// What the code shows:
/// - An environment variable's value is `EnvValue::Plain(String)` or `EnvValue::Secret { store,
///   key }` (src/model/props.rs): a reference to a key of a secret-store node, whose only
///   property is its `product` (`ProductProps`). Every property struct denies unknown fields,
///   so a file that tries to carry a value beside a reference, or secrets inside a store, is
///   refused at load ([`secrets::the_model_cannot_hold_a_secret_value`]). The contents of a
///   secret store therefore never exist in the model, nor in anything made from it.
/// - A reference becomes a `secretKeyRef` into a Secret named after the store (Kubernetes) or
///   an external Swarm secret mounted as a file, with `<NAME>_FILE` pointing at it (Compose);
///   neither export ever writes a `Secret` object, a `value:` for a variable, or a Swarm secret
///   with a `file:` or `environment:` source. The reference's key may appear, as a name.
/// - A *plain* value is configuration by the model's own definition, whatever it holds. When
///   its variable's name looks like a secret (`DB_PASSWORD`, `API_TOKEN`…), rule IC-SEC-001
///   reports an error (so `infracanvas validate` fails CI) and its message never quotes the
///   value. The exports still carry it, as configuration only (the ConfigMap's data, the
///   service's `environment`), as the export unit tests' `PLAIN_SENTINEL` already requires:
///   the name is a guess (`TOKEN_URL`, `SECRET_STORE_ADDR` are not secrets), and an export
///   that dropped values on a guess would silently lose configuration. So the assertion for a
///   plain canary is *where* it may land, and that the reports, the drawing and every name,
///   label and annotation never show it. A secret-looking value under an innocent name cannot
///   be told from configuration by anything, and is treated like any plain value.
/// - The design file and the share link carry the design whole (nothing lost): plain values
///   included, references as references.
///
/// The canaries are planted in every template and in `synth::design_of_size(300)`: a plain
/// value under secret-looking names, a plain value under an innocent name, a reference with a
/// canary key in every workload, and canary free text in every description, label and
/// environment name (free text is not secret: it only has to leave the values alone).
mod secrets {
    use infracanvas::model::{load_design, Node};

    use super::*;

    const SECRET_VALUE: &str = "canary-secret-value-q7f3";
    const CONFIG_VALUE: &str = "canary-config-value-k2m9";
    const REF_KEY: &str = "canary-ref-key-x5p1";
    const FREE_TEXT: &str = "canary free text";
    const STORE: &str = "canary-vault";
    /// Plain variables whose names IC-SEC-001 reads as secrets.
    const SECRET_NAMES: [&str; 3] = [
        "CANARY_DB_PASSWORD",
        "canary-api-token",
        "CANARY_PRIVATE_KEY",
    ];

    #[test]
    fn the_model_cannot_hold_a_secret_value() {
        let with_env = |value: &str| {
            format!(
                r#"{{"version":1,"name":"x","nodes":[{{"id":"w","name":"w","kind":"workload","props":{{"env":[{{"name":"A","value":{value}}}]}}}}]}}"#
            )
        };
        assert!(load_design(&with_env(r#"{"secret":{"store":"v","key":"k"}}"#)).is_ok());
        for value in [
            r#"{"secret":{"store":"v","key":"k","value":"hunter2"}}"#,
            r#"{"secret":{"store":"v","key":"k"},"plain":"hunter2"}"#,
            r#"{"secret_value":"hunter2"}"#,
        ] {
            assert!(load_design(&with_env(value)).is_err(), "{value}");
        }
        let store = r#"{"version":1,"name":"x","nodes":[{"id":"v","name":"v","kind":"secret_store","props":{"product":"Vault","secrets":{"k":"hunter2"}}}]}"#;
        assert!(load_design(store).is_err());
    }

    /// `design` with the canaries planted; returns it with the ids of the workloads.
    fn planted(mut design: Design) -> (Design, Vec<String>) {
        design.description = FREE_TEXT.into();
        for env in &mut design.environments {
            env.name = format!("{FREE_TEXT} {}", env.id);
        }
        let mut store = Node::new(
            STORE,
            "Canary vault",
            NodeSpec::default_for(Kind::SecretStore),
        );
        store.description = FREE_TEXT.into();
        design.nodes.push(store);
        let mut ids = Vec::new();
        for n in &mut design.nodes {
            n.description = FREE_TEXT.into();
            if let NodeSpec::Workload(w) = &mut n.spec {
                ids.push(n.id.clone());
                for name in SECRET_NAMES {
                    w.env.push(EnvVar {
                        name: name.into(),
                        value: EnvValue::Plain(SECRET_VALUE.into()),
                    });
                }
                w.env.push(EnvVar {
                    name: "CANARY_LOG_LEVEL".into(),
                    value: EnvValue::Plain(CONFIG_VALUE.into()),
                });
                w.env.push(EnvVar {
                    name: "CANARY_SIGNING_KEY".into(),
                    value: EnvValue::Secret {
                        store: STORE.into(),
                        key: REF_KEY.into(),
                    },
                });
            }
        }
        for e in &mut design.edges {
            e.label = FREE_TEXT.into();
        }
        assert_loadable(&design);
        (design, ids)
    }

    fn designs() -> Vec<(String, Design)> {
        all_templates()
            .into_iter()
            .map(|(slug, d)| (slug.to_string(), d))
            .chain([("synth-300".to_string(), synth::design_of_size(300))])
            .collect()
    }

    #[test]
    fn no_secret_value_reaches_an_export() {
        for (name, original) in designs() {
            let (d, workloads) = planted(original);
            assert!(!workloads.is_empty(), "{name}: no workload to plant in");
            let (k8s, stacks) = k8s_and_compose(&d);
            assert!(
                !k8s.is_empty() || !stacks.is_empty(),
                "{name}: nothing exported"
            );
            check_kubernetes(&name, &d, &k8s);
            check_compose(&name, &stacks);
            // Terraform takes no workload settings at all: no value, no reference key.
            for f in terraform::export(&d) {
                for canary in [SECRET_VALUE, CONFIG_VALUE, REF_KEY] {
                    assert!(
                        !f.contents.contains(canary),
                        "{name}: {} carries {canary}",
                        f.path
                    );
                }
            }

            // The drawing and the reports show no value, plain or secret.
            let diagnostics = validate::validate(&d);
            let reports = [
                mermaid::flowchart(&d),
                report::human(&diagnostics),
                report::json(&diagnostics),
                report::sarif(&diagnostics, "design.json", &model::to_json_pretty(&d)),
            ];
            for text in &reports {
                assert!(
                    !text.contains(SECRET_VALUE) && !text.contains(CONFIG_VALUE),
                    "{name}"
                );
            }
            // …while IC-SEC-001 reports each secret-looking plain variable of each workload.
            for id in &workloads {
                for var in SECRET_NAMES {
                    assert!(
                        diagnostics.iter().any(|x| x.rule == "IC-SEC-001"
                            && x.targets[0] == *id
                            && x.message.contains(var)),
                        "{name}: {id} {var} not reported"
                    );
                }
            }

            // The design file and the link carry the design whole, references as references.
            let decoded = share::decode(&share::encode(&d)).unwrap();
            assert!(decoded == d, "{name}: the link lost something");
            let file: Value = serde_json::from_str(&model::to_json_compact(&decoded)).unwrap();
            walk(&file, &mut Vec::new(), &mut |path, s| {
                if s == SECRET_VALUE || s == CONFIG_VALUE {
                    assert_eq!(
                        path.last().map(String::as_str),
                        Some("plain"),
                        "{name}: {path:?}"
                    );
                }
                if s == REF_KEY {
                    assert_eq!(
                        path[path.len() - 3..],
                        ["value", "secret", "key"],
                        "{name}: {path:?}"
                    );
                }
            });
        }
    }

    fn check_kubernetes(name: &str, d: &Design, files: &[ExportFile]) {
        let (mut refs, mut plain) = (0, 0);
        for f in files {
            for doc in docs(f) {
                let kind = doc["kind"].as_str().unwrap_or_default();
                assert_ne!(kind, "Secret", "{name}: {} writes a Secret", f.path);
                walk(&doc, &mut Vec::new(), &mut |path, s| {
                    let last = path.last().map(String::as_str);
                    if s == SECRET_VALUE || s == CONFIG_VALUE {
                        // Plain values: only as a ConfigMap's data.
                        assert!(
                            kind == "ConfigMap" && path.len() == 2 && path[0] == "data",
                            "{name}: {} {kind} {path:?}",
                            f.path
                        );
                        plain += 1;
                    }
                    if s.contains(REF_KEY) {
                        // A reference's key: only as the key of a secretKeyRef.
                        assert!(
                            last == Some("key") && path[path.len() - 2] == "secretKeyRef",
                            "{name}: {} {kind} {path:?}",
                            f.path
                        );
                        refs += 1;
                    }
                    // A container's variables never carry a value of their own.
                    if path.len() >= 3 && path[path.len() - 3] == "env" && last == Some("value") {
                        panic!("{name}: {} {kind} {path:?} has a value", f.path);
                    }
                });
            }
        }
        let in_k8s = d.nodes.iter().any(|n| n.kind() == Kind::KubernetesCluster);
        assert!(
            !in_k8s || refs > 0 && plain > 0,
            "{name}: no reference or value exported"
        );
    }

    fn check_compose(name: &str, files: &[ExportFile]) {
        let mut checked = 0;
        for f in files {
            let stack = &docs(f)[0];
            for (secret, spec) in stack["secrets"].as_object().into_iter().flatten() {
                assert_eq!(
                    spec,
                    &serde_json::json!({"external": true}),
                    "{name}: {}: {secret}",
                    f.path
                );
            }
            for (service, s) in stack["services"].as_object().into_iter().flatten() {
                let env = &s["environment"];
                if env.get("CANARY_LOG_LEVEL").is_some() {
                    assert!(env.get("CANARY_SIGNING_KEY").is_none(), "{name}: {service}");
                    let file = env["CANARY_SIGNING_KEY_FILE"].as_str().unwrap();
                    let secret = file.strip_prefix("/run/secrets/").unwrap();
                    assert!(s["secrets"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|r| r["source"] == secret));
                    checked += 1;
                }
            }
            walk(stack, &mut Vec::new(), &mut |path, s| {
                if s == SECRET_VALUE || s == CONFIG_VALUE {
                    assert!(
                        path.len() == 4 && path[0] == "services" && path[2] == "environment",
                        "{name}: {} {path:?}",
                        f.path
                    );
                }
                if s.contains(REF_KEY) {
                    let ok = path.len() == 2 && path[0] == "secrets"
                        || matches!(path.last().map(String::as_str), Some("source" | "target"))
                        || s.starts_with("/run/secrets/");
                    assert!(ok, "{name}: {} {path:?} = {s}", f.path);
                }
            });
        }
        assert!(
            files.is_empty() || checked > 0,
            "{name}: no service with the canaries"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Numbers at their extremes.

mod numbers {
    use infracanvas::model::{
        Autoscaling, EdgeSpec, Objectives, Port, Probe, Protocol, Rect, Strategy, WorkloadOverride,
    };

    use super::*;

    /// Every number of `design` set to `big` (true: the type's maximum) or to zero.
    fn extreme(mut d: Design, big: bool) -> Design {
        let n32 = if big { u32::MAX } else { 0 };
        let n16 = if big { u16::MAX } else { 0 };
        let n8 = if big { u8::MAX } else { 0 };
        d.objectives = Objectives {
            rpo_minutes: Some(n32),
            rto_minutes: Some(n32),
            slo_percent: Some(if big { f64::MAX } else { 0.0 }),
            throughput_per_minute: Some(n32),
        };
        for r in d.layout.values_mut() {
            let v = if big { i32::MAX } else { i32::MIN };
            *r = Rect(v, v, v, v);
        }
        let env_ids: Vec<String> = d.environments.iter().map(|e| e.id.clone()).collect();
        for n in &mut d.nodes {
            match &mut n.spec {
                NodeSpec::Workload(w) => {
                    w.replicas = n32;
                    let scaling = Autoscaling {
                        min: n32,
                        max: n32,
                        target_cpu: n8,
                    };
                    if w.autoscaling.is_some() {
                        w.autoscaling = Some(scaling.clone());
                    }
                    w.ports.push(Port {
                        name: String::new(),
                        port: n16,
                        protocol: Protocol::Udp,
                    });
                    for p in &mut w.ports {
                        p.port = n16;
                    }
                    w.liveness = Some(Probe {
                        path: "/".into(),
                        port: n16,
                    });
                    if let Strategy::Canary {
                        step_weight,
                        max_weight,
                    } = &mut w.strategy
                    {
                        (*step_weight, *max_weight) = (n8, n8);
                    }
                    for id in &env_ids {
                        let o = w
                            .overrides
                            .entry(id.clone())
                            .or_insert_with(WorkloadOverride::default);
                        o.replicas = Some(n32);
                        o.autoscaling = Some(scaling.clone());
                    }
                }
                NodeSpec::Database(p) => p.replicas = n32,
                NodeSpec::Cache(p) => p.replicas = n32,
                NodeSpec::Queue(p) => p.replicas = n32,
                NodeSpec::SwarmCluster(p) => (p.managers, p.workers) = (n32, n32),
                _ => {}
            }
        }
        for e in &mut d.edges {
            match &mut e.spec {
                EdgeSpec::Traffic(t) => t.port = Some(n16),
                EdgeSpec::Replication(r) => r.rpo_minutes = Some(n32),
                _ => {}
            }
        }
        d
    }

    #[test]
    fn numbers_at_their_extremes_give_outputs_not_panics() {
        for (slug, template) in all_templates() {
            for big in [true, false] {
                let d = extreme(template.clone(), big);
                assert_loadable(&d);
                let diagnostics = validate::validate(&d);
                let (k8s, stacks) = k8s_and_compose(&d);
                for f in k8s.iter().chain(&stacks) {
                    docs(f);
                }
                // The charts' values and schema read back (the templates are helm's to parse:
                // scripts/check-helm.sh).
                for f in kubernetes::helm::export(&d) {
                    if f.path.ends_with(".json") {
                        serde_json::from_str::<Value>(&f.contents).unwrap();
                    } else if !f.path.contains("/templates/") {
                        docs(&f);
                    }
                }
                assert!(mermaid::flowchart(&d).starts_with("flowchart"), "{slug}");
                serde_json::from_str::<Value>(&report::sarif(
                    &diagnostics,
                    "d.json",
                    &model::to_json_pretty(&d),
                ))
                .unwrap();
                report::human(&diagnostics);
            }
        }
    }
}
