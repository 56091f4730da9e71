//! The CLI run as a process, as CI jobs run it: exit codes, output shapes, bad input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn cli(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_infracanvas"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI starts");
    // The CLI may stop reading early (size limits); a broken pipe then is expected.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

const SLUGS: [&str; 5] = [
    "multicloud-shop",
    "site-builder",
    "furniture-canary",
    "aws-multiregion-dr",
    "microservices-platform",
];

fn template_json(slug: &str) -> Vec<u8> {
    let o = cli(&["template", "show", slug], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    o.stdout
}

/// Each case (arguments, standard input, part of the message) exits 2 with that message and
/// prints nothing on standard output.
fn assert_refused(cases: &[(&[&str], &[u8], &str)]) {
    for &(args, input, expected) in cases {
        let o = cli(args, input);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(expected), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn template_list_prints_one_slug_a_line() {
    let o = cli(&["template", "list"], b"");
    assert!(o.status.success());
    assert_eq!(stdout(&o).lines().collect::<Vec<_>>(), SLUGS);
}

#[test]
fn template_show_unknown_slug_fails_with_the_known_ones() {
    let o = cli(&["template", "show", "nope"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("multicloud-shop"), "{}", stderr(&o));
}

#[test]
fn template_show_piped_into_validate_prints_findings() {
    let design = template_json("multicloud-shop");
    // The seed keeps EU reports in the Russian MongoDB on purpose: the template accepts that
    // residency error with a waiver, so it is reported as accepted and the exit code is 0.
    let o = cli(&["validate", "-"], &design);
    let text = stdout(&o);
    assert!(text.contains("accepted[IC-RES-001]"), "{text}");
    assert!(
        text.contains("reason: Seed 000 keeps all reporting"),
        "{text}"
    );
    assert!(!text.contains("error[IC-RES-001]"), "{text}");
    assert!(
        text.lines().last().unwrap().starts_with("0 errors") && text.ends_with(", 1 accepted\n"),
        "{text}"
    );
    assert_eq!(o.status.code(), Some(0), "{text}");
    // --strict ignores waivers: the error counts again.
    let o = cli(&["validate", "-", "--strict"], &design);
    let text = stdout(&o);
    assert!(text.contains("error[IC-RES-001]"), "{text}");
    assert!(
        text.lines().last().unwrap().starts_with("1 error"),
        "{text}"
    );
    assert_eq!(o.status.code(), Some(1));
}

/// The multicloud-shop template with its waivers replaced by `waivers` (JSON).
fn shop_with_waivers(waivers: Value) -> Vec<u8> {
    let mut design: Value = serde_json::from_slice(&template_json("multicloud-shop")).unwrap();
    design["waivers"] = waivers;
    serde_json::to_vec(&design).unwrap()
}

#[test]
fn waivers_need_a_reason_ids_and_dates() {
    let cases = [
        (
            r#"[{"rule":"IC-RES-001","targets":["yc-mongo"],"reason":"  "}]"#,
            "waivers[0].reason: a waiver needs a reason",
        ),
        (
            r#"[{"rule":"IC-RES-001","targets":["yc-mongo"]}]"#,
            "missing field `reason`",
        ),
        (
            r#"[{"rule":"RES-1","targets":["yc-mongo"],"reason":"x"}]"#,
            "waivers[0].rule: `RES-1` is not a rule id",
        ),
        (
            r#"[{"rule":"IC-RES-001","targets":[],"reason":"x"}]"#,
            "waivers[0].targets: a waiver names the nodes or edges",
        ),
        (
            r#"[{"rule":"IC-RES-001","targets":["yc-mongo"],"reason":"x","expires":"2027-02-30"}]"#,
            "waivers[0].expires: `2027-02-30` is not a date",
        ),
    ];
    for (waivers, expected) in cases {
        let o = cli(
            &["validate", "-"],
            &shop_with_waivers(serde_json::from_str(waivers).unwrap()),
        );
        assert_eq!(o.status.code(), Some(2), "{waivers}");
        assert!(stderr(&o).contains(expected), "{waivers}: {}", stderr(&o));
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn an_expired_waiver_is_an_error_again() {
    let waiver = |expires: &str| {
        serde_json::json!([{
            "rule": "IC-RES-001", "targets": ["yc-mongo"],
            "reason": "reports stay in RU for now", "expires": expires
        }])
    };
    let o = cli(&["validate", "-"], &shop_with_waivers(waiver("2999-12-31")));
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("accepted until 2999-12-31: reports stay in RU for now"));

    let o = cli(&["validate", "-"], &shop_with_waivers(waiver("2001-01-01")));
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let text = stdout(&o);
    assert!(text.contains("error[IC-RES-001]"), "{text}");
    assert!(
        text.contains("waiver expired on 2001-01-01: reports stay in RU"),
        "{text}"
    );
    assert!(
        text.lines().last().unwrap().starts_with("1 error"),
        "{text}"
    );

    // JSON and SARIF say the same: accepted (no suppression) only while the waiver holds.
    let o = cli(
        &["validate", "-", "--format", "json"],
        &shop_with_waivers(waiver("2001-01-01")),
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let found = v
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "IC-RES-001")
        .unwrap();
    assert_eq!(found["accepted"]["expired"], true);
    assert_eq!(found["accepted"]["expires"], "2001-01-01");
    let o = cli(
        &["validate", "-", "--format", "sarif"],
        &shop_with_waivers(waiver("2001-01-01")),
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().all(|r| r.get("suppressions").is_none()));
}

#[test]
fn sarif_writes_accepted_findings_as_in_source_suppressions() {
    let o = cli(
        &["validate", "-", "--format", "sarif"],
        &template_json("multicloud-shop"),
    );
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let suppressed: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1, "{results:#?}");
    let r = suppressed[0];
    assert_eq!(r["ruleId"], "IC-RES-001");
    assert_eq!(
        r["level"], "error",
        "the finding keeps its level; the suppression accepts it"
    );
    let s = &r["suppressions"].as_array().unwrap()[..];
    assert_eq!(s.len(), 1);
    assert_eq!(s[0]["kind"], "inSource");
    assert_eq!(s[0]["status"], "accepted");
    assert!(s[0]["justification"]
        .as_str()
        .unwrap()
        .starts_with("Seed 000 keeps all reporting"));
    // --strict: nothing is suppressed.
    let o = cli(
        &["validate", "-", "--format", "sarif", "--strict"],
        &template_json("multicloud-shop"),
    );
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r.get("suppressions").is_none()));
}

#[test]
fn a_waiver_that_accepts_nothing_is_noted() {
    let waivers = serde_json::json!([
        {"rule": "IC-RES-001", "targets": ["yc-mongo"], "reason": "on purpose"},
        {"rule": "IC-NET-002", "targets": ["gone"], "reason": "about a deleted node"}
    ]);
    let o = cli(&["validate", "-"], &shop_with_waivers(waivers));
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("waivers[1] (IC-NET-002 on gone) accepts no finding"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("waivers[0]"));
}

#[test]
fn rule_levels_from_the_command_line_and_the_design() {
    let strict = |extra: &[&str], design: &[u8]| {
        let mut args = vec!["validate", "-", "--strict", "--format", "json"];
        args.extend_from_slice(extra);
        cli(&args, design)
    };
    let severities = |o: &Output, rule: &str| -> Vec<String> {
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == rule)
            .map(|d| d["severity"].as_str().unwrap().to_string())
            .collect()
    };
    let shop = template_json("multicloud-shop");
    let o = strict(&[], &shop);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(severities(&o, "IC-RES-001"), ["error"]);
    let o = strict(&["--rule", "IC-RES-001=warning"], &shop);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(severities(&o, "IC-RES-001"), ["warning"]);
    let o = strict(
        &["--rule", "IC-RES-001=off", "--rule", "IC-STR-007=error"],
        &shop,
    );
    assert!(severities(&o, "IC-RES-001").is_empty());
    assert!(severities(&o, "IC-STR-007").iter().all(|s| s == "error"));
    assert_eq!(
        o.status.code(),
        Some(1),
        "a note raised to an error fails the build"
    );

    // The same in the design's settings; the command line wins over the file.
    let mut design: Value = serde_json::from_slice(&shop).unwrap();
    design["settings"] = serde_json::json!({"rules": {"IC-RES-001": "info"}});
    let file = serde_json::to_vec(&design).unwrap();
    let o = strict(&[], &file);
    assert_eq!(severities(&o, "IC-RES-001"), ["info"]);
    assert_eq!(o.status.code(), Some(0));
    let o = strict(&["--rule", "IC-RES-001=error"], &file);
    assert_eq!(severities(&o, "IC-RES-001"), ["error"]);
    assert_eq!(o.status.code(), Some(1));

    // Bad overrides are usage errors; a bad id in the file is a load error.
    for bad in ["IC-NOPE-001=off", "IC-RES-001=loud", "IC-RES-001"] {
        let o = strict(&["--rule", bad], &shop);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(stderr(&o).contains("--rule"), "{bad}: {}", stderr(&o));
    }
    design["settings"] = serde_json::json!({"rules": {"RES-1": "off"}});
    let o = strict(&[], &serde_json::to_vec(&design).unwrap());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("settings.rules.RES-1"),
        "{}",
        stderr(&o)
    );
    // A well-formed id this build does not know (a newer release's rule) loads, with a note.
    design["settings"] = serde_json::json!({"rules": {"IC-NEW-001": "off"}});
    let o = strict(&[], &serde_json::to_vec(&design).unwrap());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("rules this version does not have: IC-NEW-001"));
}

#[test]
fn validate_json_is_an_array_of_rule_severity_message_targets() {
    for slug in SLUGS {
        let o = cli(&["validate", "-", "--format", "json"], &template_json(slug));
        let v: Value = serde_json::from_slice(&o.stdout).expect("JSON output");
        let items = v.as_array().expect("an array");
        let mut errors = false;
        for item in items {
            assert!(item["rule"].as_str().unwrap().starts_with("IC-"));
            let severity = item["severity"].as_str().unwrap();
            assert!(["error", "warning", "info"].contains(&severity));
            errors |= severity == "error" && item.get("accepted").is_none();
            assert!(!item["message"].as_str().unwrap().is_empty());
            assert!(item["targets"].is_array());
            assert!(
                !item["rule"].as_str().unwrap().starts_with("IC-STR-0") || severity != "error",
                "{slug}: {item}"
            );
        }
        assert_eq!(o.status.code(), Some(if errors { 1 } else { 0 }), "{slug}");
    }
}

#[test]
fn validate_clean_design_exits_0() {
    let o = cli(
        &["validate", "-", "--format", "json"],
        br#"{"version":1,"name":"empty"}"#,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        serde_json::from_slice::<Value>(&o.stdout).unwrap(),
        Value::Array(vec![])
    );
}

#[test]
fn validate_sarif_is_sarif_2_1_0() {
    let dir = std::env::temp_dir().join(format!("ic-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("shop.json");
    std::fs::write(&file, template_json("multicloud-shop")).unwrap();
    let o = cli(
        &[
            "validate",
            file.to_str().unwrap(),
            "--format",
            "sarif",
            "--strict",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "infracanvas");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() >= 25);
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        let location = &r["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], file.to_str().unwrap());
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn link_and_open_round_trip() {
    for slug in SLUGS {
        let design = template_json(slug);
        let o = cli(
            &["link", "-", "--base", "https://example.test/app"],
            &design,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let link = stdout(&o);
        // A template packs against its own dictionary (`2.<hash>.`): a short link.
        assert!(link.starts_with("https://example.test/app#d=2."), "{link}");
        assert!(link.len() < 2_000, "{slug}: {} characters", link.len());
        let back = cli(&["open", link.trim()], b"");
        assert!(back.status.success(), "{}", stderr(&back));
        assert_eq!(back.stdout, design, "{slug}");
        let from_stdin = cli(&["open", "-"], link.as_bytes());
        assert_eq!(from_stdin.stdout, design);
    }
}

#[test]
fn bad_input_gets_a_clear_message_and_exit_2() {
    let cases: [(&[&str], &[u8], &str); 7] = [
        (&["validate", "-"], b"{not json", "not valid JSON at line 1"),
        (&["validate", "-"], b"\xff\xfe", "not UTF-8"),
        (
            &["validate", "-"],
            br#"{"version":99,"name":"x"}"#,
            "newer Infracanvas",
        ),
        (
            &["validate", "/nonexistent/design.json"],
            b"",
            "/nonexistent/design.json",
        ),
        (&["validate", "/"], b"", "is a directory"),
        (&["open", "https://x/#d=1.%%%"], b"", "damaged"),
        (&["open", "https://x/#d=7.abc"], b"", "newer Infracanvas"),
    ];
    assert_refused(&cases);
}

#[test]
fn oversized_stdin_is_refused_without_reading_it_all() {
    let big = vec![b' '; infracanvas::model::limits::MAX_DESIGN_BYTES + 10];
    let o = cli(&["validate", "-"], &big);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("larger than the limit"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_infracanvas"))
        .args(["template", "show", "aws-multiregion-dr"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read nothing and close our end, as `| head -c0` would.
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains("panicked"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn export_svg_prints_a_picture_that_imports_back_to_the_design() {
    for slug in SLUGS {
        let design = template_json(slug);
        let o = cli(&["export", "svg", "-"], &design);
        assert!(o.status.success(), "{}", stderr(&o));
        let svg = stdout(&o);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        // Byte-identical to the library's (and so the page's export worker's) output.
        let d = infracanvas::model::load_design_bytes(&design).unwrap();
        assert_eq!(
            svg,
            infracanvas::export::image::svg(&d, &Default::default())
        );
        let back = cli(&["import", "-"], svg.as_bytes());
        assert!(back.status.success(), "{}", stderr(&back));
        assert_eq!(back.stdout, design, "{slug}");
    }
}

#[test]
fn export_svg_takes_a_theme_a_selection_and_an_output_directory() {
    let design = template_json("multicloud-shop");
    let dark = cli(
        &["export", "svg", "-", "--theme", "dark", "--select", "yc"],
        &design,
    );
    assert!(dark.status.success(), "{}", stderr(&dark));
    let light = cli(&["export", "svg", "-", "--select", "yc"], &design);
    assert_ne!(dark.stdout, light.stdout);
    assert!(stdout(&dark).contains("#121a26"));
    assert!(!stdout(&light).contains("data-id=\"aws\""));

    let dir = std::env::temp_dir().join(format!("ic-svg-{}", std::process::id()));
    let file = dir.join("design.json");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(&file, &design).unwrap();
    let o = cli(
        &[
            "export",
            "svg",
            file.to_str().unwrap(),
            "-o",
            dir.to_str().unwrap(),
        ],
        b"",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let written = dir.join("diagram.svg");
    let whole = cli(&["export", "svg", file.to_str().unwrap()], b"");
    assert_eq!(std::fs::read(&written).unwrap(), whole.stdout);
    let back = cli(&["import", written.to_str().unwrap()], b"");
    assert_eq!(back.stdout, design);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn picture_options_and_pictures_are_checked() {
    let design = template_json("site-builder");
    let cases: [(&[&str], &[u8], &str); 5] = [
        (
            &["export", "svg", "-", "--select", "nope"],
            &design,
            "no node with id `nope`",
        ),
        (
            &["export", "mermaid", "-", "--theme", "dark"],
            &design,
            "apply to `export svg` only",
        ),
        (
            &["import", "-"],
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            "carries no Infracanvas design",
        ),
        (&["import", "-"], b"\x89PNG\r\n\x1a\n\0\0", "damaged"),
        (&["import", "-"], b"GIF89a", "not a PNG or SVG"),
    ];
    assert_refused(&cases);
}

#[test]
fn import_reads_the_design_from_a_png() {
    let design = template_json("aws-multiregion-dr");
    let mut png = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png, 1, 1);
        enc.set_color(png::ColorType::Grayscale);
        enc.write_header().unwrap().write_image_data(&[0]).unwrap();
    }
    let json = String::from_utf8(design.clone()).unwrap();
    let with = infracanvas::export::image::embed_in_png(&png, &json).unwrap();
    let o = cli(&["import", "-"], &with);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout, design);
}

#[test]
fn tidy_lays_out_a_design_and_keeps_everything_else() {
    for slug in SLUGS {
        let before: Value = serde_json::from_slice(&template_json(slug)).unwrap();
        let o = cli(&["tidy", "-", "--stats"], &template_json(slug));
        assert!(o.status.success(), "{slug}: {}", stderr(&o));
        let after: Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(after["nodes"], before["nodes"], "{slug}");
        assert_eq!(after["edges"], before["edges"], "{slug}");
        assert_ne!(after["layout"], before["layout"], "{slug}");
        let placed = after["layout"].as_object().unwrap().len();
        assert_eq!(placed, before["nodes"].as_array().unwrap().len(), "{slug}");
        // The figures, before -> after; Tidy leaves no overlaps.
        let stats = stderr(&o);
        assert!(stats.contains("crossings "), "{stats}");
        assert!(stats.contains("overlaps 0 -> 0"), "{stats}");
    }
}

#[test]
fn tidy_places_a_design_without_positions_and_writes_a_file() {
    let mut design: Value = serde_json::from_slice(&template_json("site-builder")).unwrap();
    design.as_object_mut().unwrap().remove("layout");
    let dir = std::env::temp_dir().join(format!("infracanvas-tidy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("tidy.json");
    let o = cli(
        &["tidy", "-", "-o", out.to_str().unwrap()],
        design.to_string().as_bytes(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(
        written["layout"].as_object().unwrap().len(),
        design["nodes"].as_array().unwrap().len()
    );
    // The same layout as tidying the placed template: the old positions play no part.
    let placed = cli(&["tidy", "-"], &template_json("site-builder"));
    let placed: Value = serde_json::from_str(&stdout(&placed)).unwrap();
    assert_eq!(written["layout"], placed["layout"]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_refused(&[(&["tidy", "-"], b"not json", "standard input")]);
}

#[test]
fn export_helm_writes_a_chart_per_cluster_and_refuses_a_design_without_one() {
    let design = template_json("site-builder");
    let dir = std::env::temp_dir().join(format!("ic-helm-{}", std::process::id()));
    let o = cli(&["export", "helm", "-", "-o", dir.to_str().unwrap()], &design);
    assert!(o.status.success(), "{}", stderr(&o));
    let k8s = cli(&["export", "k8s", "-"], &design);
    // One chart per Kustomize tree, each with what helm needs.
    let trees: Vec<String> = stdout(&k8s)
        .lines()
        .filter_map(|l| l.strip_prefix("# file: "))
        .filter_map(|p| p.strip_suffix("/base/kustomization.yaml"))
        .map(str::to_string)
        .collect();
    assert_eq!(trees.len(), 3, "{trees:?}");
    for t in &trees {
        for f in [
            "Chart.yaml",
            "values.yaml",
            "values.schema.json",
            "README.md",
            "templates/_helpers.tpl",
            "templates/NOTES.txt",
        ] {
            assert!(dir.join(t).join(f).is_file(), "{t}/{f}");
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    // A design with no Kubernetes cluster has no chart to write.
    let empty = br#"{"version":1,"name":"x","nodes":[],"edges":[]}"#;
    let none = cli(&["export", "helm", "-", "-o", "/nonexistent/never"], empty);
    assert_eq!(none.status.code(), Some(2), "{}", stderr(&none));
    assert!(stderr(&none).contains("no Kubernetes cluster"), "{}", stderr(&none));
}
