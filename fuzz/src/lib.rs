//! What each fuzz target does with one input, shared by the targets (`fuzz_targets/*.rs`) and by
//! the regression test `tests/fuzz_regressions.rs` (which includes this file by path), so a
//! kept crash input runs through exactly the code that found it.
//!
//! Each function returns normally when the library behaved: refused the input with an error
//! that says something, or accepted it and produced outputs that hold their invariants. Any
//! broken invariant is a panic, which libFuzzer reports as a crash.

use infracanvas::export::{compose, image, kubernetes, mermaid, terraform, ExportFile};
use infracanvas::model::names::is_kube_name;
use infracanvas::model::{self, load::check_design, Design, Kind};
use infracanvas::{report, share, validate};

/// What one input came to, for the regression test to check against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Refused, with this message.
    Refused(String),
    /// Accepted: the design's node count.
    Accepted(usize),
}

/// `share::decode` on the input as a string (link, fragment or payload), and on the input's
/// bytes packed as a payload body, which reaches the inflater: plain (`1.` + base64url(bytes))
/// and primed with a template dictionary (`2.<tag>.` + base64url(bytes)), the dictionary
/// picked by the first byte.
pub fn share_decode(data: &[u8]) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    if let Ok(text) = std::str::from_utf8(data) {
        outcomes.push(decoded(share::decode(text)));
    }
    let body = base64url(data);
    let packed = format!("{}{body}", share::CODEC_PREFIX);
    outcomes.push(decoded(share::decode(&packed)));
    let dicts = share::dictionary::all();
    if let (Some(&first), false) = (data.first(), dicts.is_empty()) {
        let tag = &dicts[usize::from(first) % dicts.len()].tag;
        let primed = format!("{}{tag}.{body}", share::CODEC_DICT_PREFIX);
        outcomes.push(decoded(share::decode(&primed)));
    }
    outcomes
}

fn decoded(result: Result<Design, share::ShareError>) -> Outcome {
    match result {
        Ok(design) => {
            check_design(&design).expect("a decoded design holds the loader's invariants");
            let again =
                share::decode(&share::encode(&design)).expect("a re-encoded design decodes");
            assert_eq!(again, design, "share round trip");
            Outcome::Accepted(design.nodes.len())
        }
        Err(e) => refused(e.to_string()),
    }
}

/// The importers on the input as text: Kubernetes manifests, a Compose file, a Terraform module
/// and a state; then as the page's worker gets it (an archive, a file of a folder). Each either refuses with a message or makes a design that holds the loader's
/// invariants, loads back from its file unchanged, and comes out the same a second time.
pub fn importers(data: &[u8]) -> Vec<Outcome> {
    use infracanvas::import::{self, ImportError, Imported, Source};
    type Importer = fn(&[Source], &str) -> Result<Imported, ImportError>;
    let text = String::from_utf8_lossy(data).to_string();
    let runs: [(&str, Importer); 4] = [
        ("manifests.yaml", import::kubernetes::import),
        ("compose.yaml", import::compose::import),
        ("main.tf", import::terraform::import),
        ("terraform.tfstate", import::terraform::import),
    ];
    let report = |notes: &[import::Note]| {
        let human = import::report::human(notes);
        assert_eq!(
            human.lines().count(),
            notes.len() + 1,
            "one report line a note"
        );
        serde_json::from_str::<serde_json::Value>(&import::report::sarif(notes))
            .expect("the SARIF report is JSON");
    };
    let mut outcomes = Vec::new();
    for (path, run) in runs {
        let sources = [Source::new(path, text.clone())];
        let first = run(&sources, "fuzz");
        let again = run(&sources, "fuzz");
        match (first, again) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.design, b.design, "{path}: the import is deterministic");
                check_design(&a.design).expect("an imported design holds the loader's invariants");
                reloads(&a.design);
                report(&a.notes);
                outcomes.push(Outcome::Accepted(a.design.nodes.len()));
            }
            (Err(a), Err(_)) => {
                assert!(!a.message.is_empty());
                report(&a.notes);
                outcomes.push(refused(a.message));
            }
            _ => panic!("{path}: the import is not deterministic"),
        }
    }
    // As the page sends them: the bytes as an archive, and as a file of a dropped folder
    // (recognised by its first keys).
    for path in ["upload.zip", "folder/manifests.yaml"] {
        let files = vec![import::files::InputFile::new(path, data)];
        match import::files::import_files("", files) {
            Ok((design, summary)) => {
                check_design(&design).expect("an imported design holds the loader's invariants");
                reloads(&design);
                report(&summary.notes);
                let components = design
                    .nodes
                    .iter()
                    .filter(|n| !n.kind().is_container())
                    .count();
                assert_eq!(
                    summary.services.len(),
                    components,
                    "the summary lists every component"
                );
                assert_eq!(
                    summary.links.len(),
                    design.edges.len(),
                    "the summary lists every link"
                );
                outcomes.push(Outcome::Accepted(design.nodes.len()));
            }
            Err(e) => {
                assert!(!e.message.is_empty());
                report(&e.notes);
                outcomes.push(refused(e.message));
            }
        }
    }
    outcomes
}

/// `model::load_design_bytes` (older versions migrate): a design that loads is written back as
/// pretty and compact JSON, and both load again to the same design.
pub fn load_design(data: &[u8]) -> Outcome {
    match model::load_design_bytes(data) {
        Ok(design) => {
            reloads(&design);
            Outcome::Accepted(design.nodes.len())
        }
        Err(e) => refused(e.to_string()),
    }
}

fn reloads(design: &Design) {
    for json in [
        model::to_json_pretty(design),
        model::to_json_compact(design),
    ] {
        let back = model::load_design(&json)
            .unwrap_or_else(|e| panic!("a loaded design written back does not load: {e}\n{json}"));
        assert_eq!(&back, design, "design file round trip");
    }
}

/// Any input that loads as a design: the rules, every export, every report, and the share
/// link, each checked for what it promises.
pub fn exports(data: &[u8]) -> Outcome {
    let design = match model::load_design_bytes(data) {
        Ok(design) => design,
        Err(e) => return refused(e.to_string()),
    };
    let diagnostics = validate::validate(&design);
    assert_eq!(
        diagnostics,
        validate::validate(&design),
        "rules are deterministic"
    );

    let k8s = kubernetes::export(&design);
    assert_eq!(
        k8s,
        kubernetes::export(&design),
        "Kubernetes export is deterministic"
    );
    for (path, doc) in yaml_reads_back(&k8s) {
        kubernetes_names(&path, &doc);
    }
    let mut stacks = compose::export(&design);
    for n in design
        .nodes
        .iter()
        .filter(|n| n.kind() == Kind::KubernetesCluster)
    {
        stacks.extend(compose::export_cluster(&design, &n.id));
    }
    for (path, stack) in yaml_reads_back(&stacks) {
        for name in stack["services"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|s| s.0)
        {
            assert!(is_kube_name(name), "{path}: service {name:?}");
        }
    }
    mermaid_is_escaped(&mermaid::flowchart(&design));
    let picture = image::svg(&design, &image::SvgOptions::default());
    assert_eq!(
        image::design_from_svg(&picture).as_ref(),
        Ok(&design),
        "the SVG carries the design"
    );
    let tf = terraform::export(&design);
    assert_eq!(
        tf,
        terraform::export(&design),
        "Terraform export is deterministic"
    );
    for f in &tf {
        assert!(
            !f.path.starts_with('/') && !f.path.split('/').any(|p| p.is_empty() || p == ".."),
            "Terraform path {:?}",
            f.path
        );
    }

    reloads(&design);
    let pretty = model::to_json_pretty(&design);
    let human = report::human(&diagnostics);
    assert!(human.ends_with('\n'));
    assert!(
        !human.chars().any(|c| c.is_control() && c != '\n'),
        "a control character of a name reaches the terminal"
    );
    assert_eq!(
        human.lines().count(),
        diagnostics
            .iter()
            .map(|d| 1 + usize::from(!d.targets.is_empty()) + usize::from(!d.hint.is_empty()))
            .sum::<usize>()
            + 1,
        "one line per finding, target list and hint, then the summary"
    );
    let json: serde_json::Value =
        serde_json::from_str(&report::json(&diagnostics)).expect("the JSON report is JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(diagnostics.len()));
    let sarif: serde_json::Value =
        serde_json::from_str(&report::sarif(&diagnostics, "design.json", &pretty))
            .expect("the SARIF report is JSON");
    assert_eq!(
        sarif["runs"][0]["results"].as_array().map(Vec::len),
        Some(diagnostics.len())
    );

    let payload = share::encode(&design);
    assert_eq!(
        share::decode(&payload).as_ref(),
        Ok(&design),
        "share round trip"
    );
    Outcome::Accepted(design.nodes.len())
}

fn refused(message: String) -> Outcome {
    assert!(!message.trim().is_empty(), "an error says what is wrong");
    Outcome::Refused(message)
}

/// Every file sits inside the export's folder and is YAML that serde-saphyr reads back; each
/// document is a mapping (an object), or a list of JSON-patch operations in `patches/`.
/// Returns the documents with their file's path.
fn yaml_reads_back(files: &[ExportFile]) -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    for f in files {
        assert!(
            !f.path.starts_with('/') && !f.path.split('/').any(|p| p == ".." || p.is_empty()),
            "{}",
            f.path
        );
        // A cluster's README.md (install steps for its add-ons) is Markdown.
        if f.path.ends_with("/README.md") {
            continue;
        }
        let docs: Vec<serde_json::Value> = serde_saphyr::from_multiple(&f.contents)
            .unwrap_or_else(|e| panic!("{} does not read back: {e}\n{}", f.path, f.contents));
        let patch = f.path.contains("/patches/");
        for doc in docs.iter().filter(|d| !d.is_null()) {
            let ok = match doc {
                serde_json::Value::Object(_) => true,
                serde_json::Value::Array(ops) => patch && ops.iter().all(|op| op["op"].is_string()),
                _ => false,
            };
            assert!(ok, "{}: a document is a mapping\n{}", f.path, f.contents);
            out.push((f.path.clone(), doc.clone()));
        }
    }
    out
}

/// Kubernetes names where Kubernetes requires them: a Service's is a DNS-1035 label, the
/// other workload objects' and namespaces' DNS-1123 labels (`is_kube_name` is the stricter
/// DNS-1035), any other object's a DNS-1123 subdomain.
fn kubernetes_names(path: &str, doc: &serde_json::Value) {
    let kind = doc["kind"].as_str().unwrap_or_default();
    let meta = &doc["metadata"];
    if let Some(name) = meta["name"].as_str() {
        let ok = match kind {
            "Namespace" | "Service" | "Deployment" | "StatefulSet" | "Job" | "Ingress" => {
                is_kube_name(name)
            }
            _ => {
                name.len() <= 253
                    && name
                        .split('.')
                        .all(|l| is_kube_name(l) || is_dns1123_label(l))
            }
        };
        assert!(ok, "{path}: {kind} named {name:?}");
    }
    if let Some(ns) = meta["namespace"].as_str() {
        assert!(is_kube_name(ns), "{path}: namespace {ns:?}");
    }
    if kind == "ConfigMap" {
        for key in doc["data"].as_object().into_iter().flatten().map(|d| d.0) {
            let ok = !key.is_empty()
                && key.len() <= 253
                && key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b));
            assert!(ok, "{path}: ConfigMap key {key:?}");
        }
    }
}

fn is_dns1123_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// The escaping the Mermaid export promises (`mermaid::sanitize_label`): every line holds no
/// quote or one quoted label, and the only `<` are `<br/>` line breaks and `<-.->` arrows, so no
/// label can end its string, carry a tag, or run onto the next line.
fn mermaid_is_escaped(text: &str) {
    assert!(text.starts_with("flowchart LR\n"));
    assert!(!text.contains('\r'));
    for line in text.lines() {
        let quotes = line.matches('"').count();
        assert!(quotes == 0 || quotes == 2, "{line}");
        let rest = line.replace("<br/>", "").replace("<-.->", "");
        assert!(!rest.contains('<'), "{line}");
    }
}

fn base64url(data: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(data)
}
