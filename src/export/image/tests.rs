//! The pictures' behaviour: round trips of every template through SVG and PNG, well-formed XML
//! read by a real parser, hostile names, themes, selections, determinism and damaged input.

use proptest::prelude::*;

use super::*;
use crate::model::{limits, to_json_compact, Design, Kind, Node, NodeSpec};
use crate::templates::{template, TEMPLATES};

fn templates() -> impl Iterator<Item = (&'static str, Design)> {
    TEMPLATES
        .iter()
        .map(|t| (t.slug, template(t.slug).unwrap()))
}

fn light() -> SvgOptions {
    SvgOptions::default()
}

/// A small valid PNG (2×2, RGBA) made by the `png` crate.
fn small_png() -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = ::png::Encoder::new(&mut out, 2, 2);
        enc.set_color(::png::ColorType::Rgba);
        enc.set_depth(::png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&[200; 16]).unwrap();
    }
    out
}

/// Decodes a PNG with the `png` crate: the file is still a valid picture.
fn decodes(png: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = ::png::Decoder::new(png).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Every `<text>`'s content (tspans included), as a real XML parser reads it.
fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed XML");
    doc.descendants()
        .filter(|n| matches!(n.tag_name().name(), "text" | "title"))
        .map(|n| {
            n.descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect()
        })
        .collect()
}

fn drawn_node_ids(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.attribute("class").is_some_and(|c| c.starts_with("node ")))
        .map(|n| n.attribute("data-id").unwrap().to_string())
        .collect()
}

#[test]
fn every_template_survives_the_svg_round_trip() {
    for (slug, d) in templates() {
        for theme in [Theme::Light, Theme::Dark] {
            let svg = svg(
                &d,
                &SvgOptions {
                    theme,
                    selection: None,
                },
            );
            assert_eq!(design_from_svg(&svg).unwrap(), d, "{slug}");
        }
    }
}

#[test]
fn every_template_survives_the_png_round_trip_and_the_png_stays_valid() {
    let png = small_png();
    for (slug, d) in templates() {
        let with = embed_in_png(&png, &to_json_compact(&d)).unwrap();
        assert_eq!(design_from_png(&with).unwrap(), d, "{slug}");
        assert_eq!(design_from_image(&with).unwrap(), d, "{slug}");
        assert_eq!(
            decodes(&with),
            decodes(&png),
            "{slug}: the picture is unchanged"
        );
    }
}

#[test]
fn embedding_again_replaces_the_design() {
    let a = template("site-builder").unwrap();
    let b = template("multicloud-shop").unwrap();
    let once = embed_in_png(&small_png(), &to_json_compact(&a)).unwrap();
    let twice = embed_in_png(&once, &to_json_compact(&b)).unwrap();
    assert_eq!(design_from_png(&twice).unwrap(), b);
    assert_eq!(twice.windows(4).filter(|w| w == b"iTXt").count(), 1);
}

#[test]
fn the_svg_is_well_formed_and_every_name_is_text() {
    for (slug, d) in templates() {
        let svg = svg(&d, &light());
        let texts = texts(&svg);
        for n in &d.nodes {
            assert!(texts.contains(&n.name), "{slug}: {} is not a text", n.name);
        }
        assert!(!svg.contains("<script") && !svg.contains("href"), "{slug}");
        assert_eq!(drawn_node_ids(&svg).len(), d.nodes.len(), "{slug}");
    }
}

#[test]
fn containers_hold_their_children_in_the_markup() {
    let d = template("multicloud-shop").unwrap();
    let svg = svg(&d, &light());
    let doc = roxmltree::Document::parse(&svg).unwrap();
    for n in d.nodes.iter().filter(|n| n.parent.is_some()) {
        let el = doc
            .descendants()
            .find(|e| e.attribute("data-id") == Some(n.id.as_str()) && e.has_attribute("data-kind"))
            .unwrap();
        let parent = el
            .ancestors()
            .skip(1)
            .find(|a| a.has_attribute("data-kind"))
            .and_then(|a| a.attribute("data-id"));
        assert_eq!(parent, n.parent.as_deref(), "{}", n.id);
    }
}

const HOSTILE: [&str; 10] = [
    "say \"hi\"",
    "it's",
    "<script>alert(1)</script>",
    "a]]>b",
    "x -- y <!-- z",
    "line\nbreak",
    "Москва-центр",
    "c0 \u{1}\u{2}\u{7}\u{8}\u{b}\u{c}\u{1b}\u{1f} end",
    "nul\u{0}byte",
    "non-char \u{FFFE}\u{FFFF}",
];

fn hostile() -> Design {
    let mut d = template("site-builder").unwrap();
    d.name = "<svg onload=alert(1)> & \"design\" ]]>".into();
    for (n, name) in d.nodes.iter_mut().zip(HOSTILE.iter().cycle()) {
        n.name = name.to_string();
    }
    for e in &mut d.edges {
        e.label = "</text><script>x</script>".into();
    }
    d
}

#[test]
fn hostile_names_are_escaped_and_the_design_comes_back_intact() {
    let d = hostile();
    let svg = svg(&d, &light());
    let texts = texts(&svg);
    assert!(!svg.contains("<script") && !svg.contains("<svg onload"));
    for name in HOSTILE {
        let shown = roxmltree_reading(&escape(name));
        assert!(texts.contains(&shown), "{name:?} drawn as {shown:?}");
    }
    assert!(texts.iter().any(|t| t == "</text><script>x</script>"));
    // The names are in the design exactly, control characters and all.
    assert_eq!(design_from_svg(&svg).unwrap(), d);
}

fn roxmltree_reading(escaped: &str) -> String {
    let doc = format!("<t>{escaped}</t>");
    roxmltree::Document::parse(&doc)
        .unwrap()
        .root_element()
        .text()
        .unwrap_or("")
        .to_string()
}

#[test]
fn any_design_the_exporters_take_draws_as_well_formed_xml() {
    let d = crate::synth::hostile_design();
    let svg = svg(
        &d,
        &SvgOptions {
            theme: Theme::Dark,
            selection: None,
        },
    );
    roxmltree::Document::parse(&svg).unwrap();
}

#[test]
fn the_themes_draw_in_different_colours() {
    let d = template("furniture-canary").unwrap();
    let light = svg(&d, &light());
    let dark = svg(
        &d,
        &SvgOptions {
            theme: Theme::Dark,
            selection: None,
        },
    );
    assert_ne!(light, dark);
    assert!(light.contains("fill:#ffffff") && !light.contains("#121a26"));
    assert!(dark.contains("fill:#121a26"));
}

#[test]
fn the_same_design_draws_the_same_bytes() {
    for (_, d) in templates() {
        assert_eq!(svg(&d, &light()), svg(&d.clone(), &light()));
    }
}

fn view_box(svg: &str) -> Vec<f64> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let vb = doc.root_element().attribute("viewBox").unwrap();
    vb.split(' ').map(|v| v.parse().unwrap()).collect()
}

#[test]
fn the_view_box_fits_the_content_with_a_margin() {
    let d = template("site-builder").unwrap();
    let b = crate::model::edit::content_bounds(&d).unwrap();
    let vb = view_box(&svg(&d, &light()));
    assert!(vb[0] <= b.x() as f64 - svg::MARGIN && vb[1] <= b.y() as f64 - svg::MARGIN);
    assert!(vb[0] + vb[2] >= (b.x() + b.w()) as f64 + svg::MARGIN);
    assert!(vb[1] + vb[3] >= (b.y() + b.h()) as f64 + svg::MARGIN);
    // Not much more than that: captions may stick out a little.
    assert!(vb[2] <= b.w() as f64 + 2.0 * svg::MARGIN + 200.0);
}

#[test]
fn a_selection_draws_its_subtree_and_the_edges_inside_it() {
    let d = template("multicloud-shop").unwrap();
    let container = d
        .nodes
        .iter()
        .find(|n| n.kind() == Kind::KubernetesCluster)
        .unwrap();
    let inside = crate::model::edit::subtrees(&d, [container.id.as_str()]);
    let picture = svg(
        &d,
        &SvgOptions {
            theme: Theme::Light,
            selection: Some(vec![container.id.clone()]),
        },
    );
    let mut drawn = drawn_node_ids(&picture);
    drawn.sort();
    let mut expected: Vec<String> = inside.iter().cloned().collect();
    expected.sort();
    assert_eq!(drawn, expected);
    let doc = roxmltree::Document::parse(&picture).unwrap();
    let edges: Vec<&str> = doc
        .descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.starts_with("edge edge-"))
        })
        .map(|n| n.attribute("data-id").unwrap())
        .collect();
    let want: Vec<&str> = d
        .edges
        .iter()
        .filter(|e| inside.contains(&e.from) && inside.contains(&e.to))
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(edges, want);
    // The picture is cropped to the selection: the cluster's box plus the margin.
    let r = d.layout[&container.id];
    let vb = view_box(&picture);
    assert!(vb[2] < r.w() as f64 + 2.0 * svg::MARGIN + 100.0);
    // The whole design still rides along.
    assert_eq!(design_from_svg(&picture).unwrap(), d);
}

#[test]
fn nodes_without_a_box_get_the_auto_layout() {
    let mut d = Design::new("no layout");
    d.nodes.push(Node::new(
        "u",
        "Users",
        NodeSpec::default_for(Kind::UserGroup),
    ));
    d.nodes.push(Node::new(
        "v",
        "Other",
        NodeSpec::default_for(Kind::UserGroup),
    ));
    let picture = svg(&d, &light());
    let auto = crate::model::layout::auto_layout(&d);
    let r = auto["v"];
    assert!(picture.contains(&format!(
        "x=\"{}\" y=\"{}\" width=\"{}\"",
        r.x(),
        r.y(),
        r.w()
    )));
    assert_eq!(drawn_node_ids(&picture), ["u", "v"]);
}

#[test]
fn an_empty_selection_or_design_is_an_empty_picture() {
    let d = template("site-builder").unwrap();
    let picture = svg(
        &d,
        &SvgOptions {
            theme: Theme::Light,
            selection: Some(vec!["nope".into()]),
        },
    );
    assert!(drawn_node_ids(&picture).is_empty());
    assert_eq!(view_box(&picture)[2], 2.0 * svg::MARGIN);
    let empty = svg(&Design::new("empty"), &light());
    assert_eq!(design_from_svg(&empty).unwrap(), Design::new("empty"));
}

#[test]
fn images_without_a_design_say_so() {
    assert_eq!(
        design_from_svg("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        Err(ImageError::NoDesign)
    );
    assert_eq!(design_from_png(&small_png()), Err(ImageError::NoDesign));
    assert_eq!(design_from_png(b"GIF89a"), Err(ImageError::NotAnImage));
    assert_eq!(
        design_from_image(b"plain text"),
        Err(ImageError::NotAnImage)
    );
}

#[test]
fn damaged_svgs_are_errors() {
    let d = template("site-builder").unwrap();
    let svg = svg(&d, &light());
    let cut = &svg[..svg.find("</infracanvas:design>").unwrap() - 10];
    assert!(matches!(design_from_svg(cut), Err(ImageError::Damaged(_))));
    // Re-saved by an editor: other quotes, the base64 wrapped over lines.
    let resaved = svg
        .replacen("encoding=\"base64\"", "encoding='base64'", 1)
        .replacen("encoding='base64'>", "encoding='base64'>\n  ", 1)
        .replacen("</infracanvas:design>", "\n</infracanvas:design>", 1);
    assert_eq!(design_from_svg(&resaved).unwrap(), d);
    let other = svg.replacen("encoding=\"base64\"", "encoding=\"hex\"", 1);
    assert!(matches!(
        design_from_svg(&other),
        Err(ImageError::Damaged(_))
    ));
    let bad = svg.replacen("encoding=\"base64\">", "encoding=\"base64\">%%%", 1);
    assert!(matches!(design_from_svg(&bad), Err(ImageError::Damaged(_))));
    // Valid base64 of something that is not a design: the loader's message.
    let other = format!("<svg>{}</svg>", embed::metadata("{\"nodes\":[]}"));
    assert!(matches!(
        design_from_svg(&other),
        Err(ImageError::Design(_))
    ));
}

#[test]
fn damaged_pngs_are_errors() {
    let d = template("site-builder").unwrap();
    let good = embed_in_png(&small_png(), &to_json_compact(&d)).unwrap();
    // Cut anywhere: an error (the IEND chunk, or more, is missing).
    for cut in [9, 20, 33, good.len() / 2, good.len() - 1] {
        assert!(
            matches!(design_from_png(&good[..cut]), Err(ImageError::Damaged(_))),
            "{cut}"
        );
    }
    // A flipped bit inside the design chunk: the CRC says so.
    let at = good.windows(4).position(|w| w == b"iTXt").unwrap() + 30;
    let mut flipped = good.clone();
    flipped[at] ^= 1;
    let err = design_from_png(&flipped).unwrap_err();
    assert!(err.to_string().contains("CRC"), "{err}");
    // Embedding refuses a damaged PNG too.
    assert!(embed_in_png(&good[..good.len() - 3], "{}").is_err());
}

/// A chunk with a valid CRC whose compressed text inflates past the design limit.
#[test]
fn a_decompression_bomb_stops_at_the_limit() {
    let bomb_text = vec![b' '; limits::MAX_DESIGN_BYTES + 1];
    let mut data = PNG_KEYWORD.as_bytes().to_vec();
    data.extend_from_slice(&[0, 1, 0, 0, 0]);
    data.extend_from_slice(&miniz_oxide::deflate::compress_to_vec_zlib(&bomb_text, 9));
    let png = small_png();
    let iend = png.len() - 12;
    let mut bomb = png[..iend].to_vec();
    bomb.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut body = b"iTXt".to_vec();
    body.extend_from_slice(&data);
    bomb.extend_from_slice(&body);
    bomb.extend_from_slice(&crc32fast::hash(&body).to_be_bytes());
    bomb.extend_from_slice(&png[iend..]);
    assert!(data.len() < 20_000, "small on disk");
    assert_eq!(
        design_from_png(&bomb),
        Err(ImageError::TooLarge {
            limit: limits::MAX_DESIGN_BYTES
        })
    );
}

#[test]
fn oversized_designs_are_refused() {
    let huge = " ".repeat(limits::MAX_DESIGN_BYTES + 1);
    assert!(matches!(
        embed_in_png(&small_png(), &huge),
        Err(ImageError::TooLarge { .. })
    ));
    let svg = format!("<svg>{}</svg>", embed::metadata(&huge));
    assert!(matches!(
        design_from_svg(&svg),
        Err(ImageError::TooLarge { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = design_from_png(&bytes);
        let _ = design_from_image(&bytes);
        let _ = design_from_svg(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn damaged_pictures_never_panic(at in 0usize..100_000, byte in any::<u8>(), cut in 0usize..100_000) {
        let d = template("site-builder").unwrap();
        let json = to_json_compact(&d);
        let png = embed_in_png(&small_png(), &json).unwrap();
        let mut p = png.clone();
        let i = at % p.len();
        p[i] = byte;
        let _ = design_from_png(&p);
        let _ = design_from_png(&png[..cut % png.len()]);
        let svg = svg(&d, &light());
        let mut s = svg.clone().into_bytes();
        let j = at % s.len();
        s[j] = byte;
        let _ = design_from_svg(&String::from_utf8_lossy(&s));
        let _ = design_from_svg(&svg[..svg.floor_char_boundary_compat(cut % svg.len())]);
    }
}

trait FloorBoundary {
    fn floor_char_boundary_compat(&self, i: usize) -> usize;
}

impl FloorBoundary for String {
    fn floor_char_boundary_compat(&self, mut i: usize) -> usize {
        while !self.is_char_boundary(i) {
            i -= 1;
        }
        i
    }
}
