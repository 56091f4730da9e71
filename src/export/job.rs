//! An export as a message: what the page's export worker receives and answers. The page keeps
//! the exports (and the typed Kubernetes objects and YAML writer they need) out of its own
//! wasm and asks the worker, loaded the first time the export drawer opens; the messages are
//! JSON strings so that both sides share these types.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::image::{self, SvgOptions};
use super::{archive, compose, kubernetes, mermaid, terraform, ExportFile};
use crate::model::{load_design, tidy, to_json_compact, to_json_pretty};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Kubernetes,
    Compose,
    Terraform,
    Mermaid,
    /// `diagram.svg`, drawn with the request's `svg` options: the same bytes as
    /// `infracanvas export svg`.
    Svg,
    /// `diagram.png`: the PNG the page rasterised (the request's `bytes`) with the design added;
    /// the file's contents are base64, since answers are text.
    Png,
    /// Not an export: the design file (`design.json`) inside the picture in `bytes` (an SVG or
    /// PNG exported by Infracanvas, base64); `design` is unused.
    OpenImage,
    /// Not an export: the built-in template whose slug is in `design`, as `design.json`. The
    /// templates (and the share codec, which primes its packing with them) live here, not in
    /// the page's first-load bundle.
    Template,
    /// Not an export: the share payload of the design (what follows `#d=`), as `link.txt`.
    ShareLink,
    /// Not an export: the design carried by the link, fragment or payload in `design`, as
    /// `design.json`; an error says why a damaged link cannot be opened.
    OpenLink,
    /// Not an export: the design laid out by [`crate::model::tidy`], as `layout.json` (the
    /// design file's `layout` object). The page's *Tidy* runs here, off the editor's thread
    /// and out of its first-load wasm.
    Tidy,
}

/// A request to the worker: an export (optionally as one zip), a picture, or a picture to
/// read a design from. Its JSON leaves out the fields a job does not use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Answers carry the id back; the page ignores answers to requests it has replaced.
    pub id: u32,
    pub format: Format,
    /// The design file (compact JSON); unused by [`Format::OpenImage`].
    #[serde(default)]
    pub design: String,
    /// [`Format::Svg`]: theme and selection.
    #[serde(default, skip_serializing_if = "is_default")]
    pub svg: SvgOptions,
    /// [`Format::Png`] and [`Format::OpenImage`]: the picture's bytes, base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<String>,
    /// Answer with one `<folder>.zip` of the files under this folder (contents base64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
}

fn is_default(options: &SvgOptions) -> bool {
    *options == SvgOptions::default()
}

impl Job {
    /// A job for `format` with no picture options.
    pub fn new(id: u32, format: Format, design: String) -> Self {
        Job {
            id,
            format,
            design,
            svg: SvgOptions::default(),
            bytes: None,
            zip: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub id: u32,
    pub result: Result<Vec<ExportFile>, String>,
}

/// Every file of `format` for the design in `design_json`.
pub fn export(format: Format, design_json: &str) -> Result<Vec<ExportFile>, String> {
    run(&Job::new(0, format, design_json.to_string()))
}

/// The files answering `req`, or all of them as one zip when it asks for one.
fn run(req: &Job) -> Result<Vec<ExportFile>, String> {
    let files = files(req)?;
    match &req.zip {
        None => Ok(files),
        Some(root) => {
            let bytes = archive::zip_files(root, &files)?;
            let name = if root.is_empty() { "export" } else { root };
            Ok(vec![ExportFile::new(
                format!("{name}.zip"),
                BASE64.encode(bytes),
            )])
        }
    }
}

/// The files of `req`'s export.
fn files(req: &Job) -> Result<Vec<ExportFile>, String> {
    match req.format {
        Format::Template => {
            let design = crate::templates::template(&req.design)
                .ok_or_else(|| format!("There is no template `{}`", req.design))?;
            return Ok(vec![ExportFile::new("design.json", to_json_compact(&design))]);
        }
        Format::OpenLink => {
            let design = crate::share::decode(&req.design).map_err(|e| e.to_string())?;
            return Ok(vec![ExportFile::new("design.json", to_json_compact(&design))]);
        }
        _ => {}
    }
    if req.format == Format::OpenImage {
        let design = image::design_from_image(&request_bytes(req)?).map_err(|e| e.to_string())?;
        return Ok(vec![ExportFile::new(
            "design.json",
            to_json_pretty(&design) + "\n",
        )]);
    }
    let design = load_design(&req.design).map_err(|e| e.to_string())?;
    Ok(match req.format {
        Format::Kubernetes => kubernetes::export(&design),
        Format::Compose => compose::export(&design),
        Format::Terraform => terraform::export(&design),
        Format::Mermaid => vec![ExportFile::new("design.mmd", mermaid::flowchart(&design))],
        Format::Svg => vec![ExportFile::new(
            "diagram.svg",
            image::svg(&design, &req.svg),
        )],
        Format::Png => {
            let png = image::embed_in_png(&request_bytes(req)?, &to_json_compact(&design))
                .map_err(|e| e.to_string())?;
            vec![ExportFile::new("diagram.png", BASE64.encode(png))]
        }
        Format::ShareLink => vec![ExportFile::new("link.txt", crate::share::encode(&design))],
        Format::Tidy => vec![ExportFile::new(
            "layout.json",
            serde_json::to_string(&tidy::tidy(&design)).unwrap_or_default(),
        )],
        Format::OpenImage | Format::Template | Format::OpenLink => Vec::new(),
    })
}

fn request_bytes(req: &Job) -> Result<Vec<u8>, String> {
    let text = req
        .bytes
        .as_deref()
        .ok_or("the request carries no picture")?;
    if text.len() > image::MAX_IMAGE_BYTES.div_ceil(3) * 4 {
        return Err(format!(
            "the picture is larger than the limit of {} bytes",
            image::MAX_IMAGE_BYTES
        ));
    }
    BASE64
        .decode(text)
        .map_err(|_| "the picture in the request is not base64".to_string())
}

/// Answers a request given as JSON text; a request that cannot be read gets id 0.
pub fn answer(request_json: &str) -> String {
    let response = match serde_json::from_str::<Job>(request_json) {
        Ok(req) => Response {
            id: req.id,
            result: run(&req),
        },
        Err(e) => Response {
            id: 0,
            result: Err(format!("the export request could not be read: {e}")),
        },
    };
    serde_json::to_string(&response).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::to_json_compact;
    use crate::templates::template;

    /// A text export as the page asks for it.
    fn ask(id: u32, format: Format, design: &str) -> Response {
        send(Job::new(id, format, design.to_string()))
    }

    #[test]
    fn a_zip_request_answers_one_archive_of_the_same_files() {
        let design = to_json_compact(&template("furniture-canary").unwrap());
        let files = ask(3, Format::Kubernetes, &design).result.unwrap();
        let mut req = Job::new(4, Format::Kubernetes, design);
        req.zip = Some("kubernetes".into());
        let answer = send(req);
        let zipped = answer.result.unwrap();
        assert_eq!(zipped.len(), 1);
        assert_eq!(zipped[0].path, "kubernetes.zip");
        assert_eq!(
            BASE64.decode(&zipped[0].contents).unwrap(),
            archive::zip_files("kubernetes", &files).unwrap()
        );
    }

    fn send(job: Job) -> Response {
        serde_json::from_str(&answer(&serde_json::to_string(&job).unwrap())).unwrap()
    }

    #[test]
    fn the_worker_draws_the_same_svg_as_the_cli_and_round_trips_pictures() {
        let d = template("multicloud-shop").unwrap();
        let json = to_json_compact(&d);
        let options = SvgOptions {
            theme: image::Theme::Dark,
            selection: Some(vec!["yc".into()]),
        };
        let mut req = Job::new(4, Format::Svg, json.clone());
        req.svg = options.clone();
        let svg = send(req).result.unwrap();
        assert_eq!(
            svg,
            [ExportFile::new("diagram.svg", image::svg(&d, &options))]
        );

        let mut open = Job::new(5, Format::OpenImage, String::new());
        open.bytes = Some(BASE64.encode(&svg[0].contents));
        let opened = send(open).result.unwrap();
        assert_eq!(load_design(&opened[0].contents).unwrap(), d);

        // A minimal PNG: signature, IHDR (1×1 grey), IDAT, IEND.
        let mut png = Vec::new();
        {
            let mut enc = ::png::Encoder::new(&mut png, 1, 1);
            enc.set_color(::png::ColorType::Grayscale);
            enc.write_header().unwrap().write_image_data(&[7]).unwrap();
        }
        let mut embed = Job::new(6, Format::Png, json);
        embed.bytes = Some(BASE64.encode(&png));
        let out = send(embed).result.unwrap();
        assert_eq!(out[0].path, "diagram.png");
        let with = BASE64.decode(&out[0].contents).unwrap();
        assert_eq!(image::design_from_png(&with).unwrap(), d);

        let bad = send(Job::new(7, Format::Png, to_json_compact(&d)));
        assert_eq!(bad.result, Err("the request carries no picture".into()));
    }

    #[test]
    fn a_plain_request_reads_as_a_job_without_picture_fields() {
        let text = r#"{"id":1,"format":"mermaid","design":"{}"}"#;
        let job: Job = serde_json::from_str(text).unwrap();
        assert_eq!(job, Job::new(1, Format::Mermaid, "{}".into()));
        assert_eq!(serde_json::to_string(&job).unwrap(), text);
    }

    #[test]
    fn the_worker_answers_with_the_same_files_as_the_cli() {
        let d = template("site-builder").unwrap();
        let json = to_json_compact(&d);
        let k8s = ask(7, Format::Kubernetes, &json);
        assert_eq!(k8s.id, 7);
        assert_eq!(k8s.result, Ok(kubernetes::export(&d)));
        assert_eq!(
            ask(8, Format::Compose, &json).result,
            Ok(compose::export(&d))
        );
        let mmd = ask(9, Format::Mermaid, &json).result.unwrap();
        assert_eq!(mmd[0].contents, mermaid::flowchart(&d));
    }

    #[test]
    fn the_worker_answers_a_tidy_job_with_the_layout_alone() {
        let d = template("aws-multiregion-dr").unwrap();
        let files = ask(5, Format::Tidy, &to_json_compact(&d)).result.unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, "layout.json");
        let layout: std::collections::BTreeMap<String, crate::model::Rect> =
            serde_json::from_str(&files[0].contents).unwrap();
        assert_eq!(layout, tidy::tidy(&d));
        assert_ne!(layout, d.layout);
    }

    #[test]
    fn a_bad_design_or_request_is_an_error_answer() {
        let r = ask(3, Format::Mermaid, "{\"version\":1,\"nodes\":[{}]}");
        assert_eq!(r.id, 3);
        assert!(r.result.unwrap_err().contains("nodes[0]"));
        let r: Response = serde_json::from_str(&answer("not json")).unwrap();
        assert_eq!(r.id, 0);
        assert!(r.result.is_err());
    }

    #[test]
    fn templates_and_links_come_from_the_worker_as_the_cli_makes_them() {
        let d = template("aws-multiregion-dr").unwrap();
        let t = ask(1, Format::Template, "aws-multiregion-dr").result.unwrap();
        assert_eq!(t[0].contents, to_json_compact(&d));
        assert!(ask(2, Format::Template, "nope").result.unwrap_err().contains("no template"));
        // The payload is the CLI's, and opening it (as a link or a bare payload) gives the design.
        let payload = ask(3, Format::ShareLink, &to_json_compact(&d)).result.unwrap();
        assert_eq!(payload[0].contents, crate::share::encode(&d));
        let link = crate::share::link_with("https://x.example/app/", &payload[0].contents);
        assert_eq!(link, crate::share::link("https://x.example/app/", &d));
        let opened = ask(4, Format::OpenLink, &link).result.unwrap();
        assert_eq!(opened[0].contents, to_json_compact(&d));
        // A damaged link is an answer that says why, not a panic.
        let damaged = ask(5, Format::OpenLink, "#d=2.deadbeef.AAAA").result.unwrap_err();
        assert!(!damaged.is_empty());
    }
}
