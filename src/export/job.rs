//! The export worker's protocol: what the page asks ([`Request`]) and what the worker answers
//! ([`Reply`]), as JSON text so that both sides share these types. The page keeps the exports
//! (and the typed Kubernetes objects and YAML writer they need), the templates, the share
//! codec and Tidy out of its own first-load wasm and asks the worker, loaded the first time
//! one of them is needed.
//!
//! [`export_files`] names and makes an export's files for the worker and the CLI alike, so
//! that both give the same bytes under the same names.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::image::{self, SvgOptions};
use super::{archive, compose, kubernetes, mermaid, terraform, ExportFile};
use crate::import::files::{import_files, InputFile, SummaryText, MAX_TOTAL_BYTES};
use crate::model::{load_design, tidy, to_json_compact, to_json_pretty, Design, NodeId, Rect};

/// A file export of a design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// A Kustomize tree: base and one overlay per environment.
    Kubernetes,
    /// One Helm chart per Kubernetes cluster, rendered from the same plan as the Kustomize tree.
    Helm,
    /// A Compose/Swarm stack per environment.
    Compose,
    /// A Terraform root module.
    Terraform,
    /// `diagram.mmd`, a Mermaid flowchart.
    Mermaid,
    /// `diagram.svg`, drawn with the request's options (theme, selection).
    Svg,
    /// `design.json`, the design file.
    Json,
}

/// Every file of the `format` export of `design`, named as the CLI writes them and the worker
/// answers them (`svg` applies to [`Format::Svg`] only).
pub fn export_files(format: Format, design: &Design, svg: &SvgOptions) -> Vec<ExportFile> {
    match format {
        Format::Kubernetes => kubernetes::export(design),
        Format::Helm => kubernetes::helm::export(design),
        Format::Compose => compose::export(design),
        Format::Terraform => terraform::export(design),
        Format::Mermaid => vec![ExportFile::new("diagram.mmd", mermaid::flowchart(design))],
        Format::Svg => vec![ExportFile::new("diagram.svg", image::svg(design, svg))],
        Format::Json => vec![ExportFile::new(
            "design.json",
            to_json_pretty(design) + "\n",
        )],
    }
}

/// What the page asks the worker. Designs travel as compact design-file JSON, bytes as
/// base64.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// The files of an export ([`Reply::Files`]); with `zip`, one `<zip>.zip` of them under
    /// that folder (its contents base64).
    Export {
        design: String,
        format: Format,
        #[serde(default, skip_serializing_if = "is_default")]
        svg: SvgOptions,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        zip: Option<String>,
    },
    /// `diagram.png`: the PNG the page rasterised, with the design added ([`Reply::Files`],
    /// contents base64).
    Png { design: String, png: String },
    /// The design inside a picture (SVG or PNG) exported by Infracanvas ([`Reply::Design`]).
    OpenImage { picture: String },
    /// The built-in template `slug` ([`Reply::Design`]).
    Template { slug: String },
    /// The share payload of the design, what follows `#d=` ([`Reply::Link`]).
    ShareLink { design: String },
    /// The design a share link, fragment or payload carries ([`Reply::Design`]).
    OpenLink { link: String },
    /// The design laid out by [`crate::model::tidy`] ([`Reply::Layout`]).
    Tidy { design: String },
    /// Compose files, Kubernetes manifests or Terraform (files of a folder, or `.zip`
    /// archives of them) made into a design called `name` (or as the files name it), with the
    /// summary the user reads before it opens ([`Reply::Imported`]).
    Import {
        #[serde(default, skip_serializing_if = "String::is_empty")]
        name: String,
        files: Vec<ImportInput>,
    },
}

/// One file of an [`Request::Import`]: its path (a folder's relative path, or its name) and
/// its bytes in base64.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportInput {
    pub path: String,
    pub contents: String,
}

/// An imported design (compact design-file JSON, laid out by Tidy) and its summary.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedDesign {
    pub design: String,
    pub summary: SummaryText,
}

fn is_default(options: &SvgOptions) -> bool {
    *options == SvgOptions::default()
}

/// What the worker answers a [`Request`] with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    Files(Vec<ExportFile>),
    /// A design file, compact JSON.
    Design(String),
    /// A share payload.
    Link(String),
    /// The design file's `layout` object.
    Layout(BTreeMap<NodeId, Rect>),
    /// An imported design (compact design-file JSON) and its summary
    /// ([`SummaryText::encode`]: plain text, so that the page decodes no nested structure).
    Imported(String, String),
}

impl Reply {
    /// The files, or an error when the worker answered something else.
    pub fn files(self) -> Result<Vec<ExportFile>, String> {
        match self {
            Reply::Files(f) => Ok(f),
            other => Err(unexpected(&other)),
        }
    }

    pub fn design(self) -> Result<String, String> {
        match self {
            Reply::Design(d) => Ok(d),
            other => Err(unexpected(&other)),
        }
    }

    pub fn link(self) -> Result<String, String> {
        match self {
            Reply::Link(l) => Ok(l),
            other => Err(unexpected(&other)),
        }
    }

    pub fn layout(self) -> Result<BTreeMap<NodeId, Rect>, String> {
        match self {
            Reply::Layout(l) => Ok(l),
            other => Err(unexpected(&other)),
        }
    }

    pub fn imported(self) -> Result<ImportedDesign, String> {
        match self {
            Reply::Imported(design, summary) => Ok(ImportedDesign {
                design,
                summary: SummaryText::decode(&summary)
                    .ok_or("the export module sent a summary that could not be read")?,
            }),
            other => Err(unexpected(&other)),
        }
    }
}

fn unexpected(reply: &Reply) -> String {
    let what = match reply {
        Reply::Files(_) => "files",
        Reply::Design(_) => "a design",
        Reply::Link(_) => "a link",
        Reply::Layout(_) => "a layout",
        Reply::Imported(..) => "an imported design",
    };
    format!("the export module answered with {what}, which was not asked for")
}

/// A request on its way: answers carry the id back; the page ignores answers to requests it
/// has replaced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    pub id: u32,
    pub request: Request,
}

/// The answer to job `id`: a reply, or a sentence saying why there is none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub id: u32,
    pub result: Result<Reply, String>,
}

/// Answers `request`.
pub fn run(request: &Request) -> Result<Reply, String> {
    match request {
        Request::Export {
            design,
            format,
            svg,
            zip,
        } => {
            let design = load_design(design).map_err(|e| e.to_string())?;
            let files = export_files(*format, &design, svg);
            match zip {
                None => Ok(Reply::Files(files)),
                Some(root) => {
                    let bytes = archive::zip_files(root, &files)?;
                    let name = if root.is_empty() { "export" } else { root };
                    Ok(Reply::Files(vec![ExportFile::new(
                        format!("{name}.zip"),
                        BASE64.encode(bytes),
                    )]))
                }
            }
        }
        Request::Png { design, png } => {
            let design = load_design(design).map_err(|e| e.to_string())?;
            let with = image::embed_in_png(&picture_bytes(png)?, &to_json_compact(&design))
                .map_err(|e| e.to_string())?;
            Ok(Reply::Files(vec![ExportFile::new(
                "diagram.png",
                BASE64.encode(with),
            )]))
        }
        Request::OpenImage { picture } => {
            let design =
                image::design_from_image(&picture_bytes(picture)?).map_err(|e| e.to_string())?;
            Ok(Reply::Design(to_json_compact(&design)))
        }
        Request::Template { slug } => crate::templates::template(slug)
            .map(|d| Reply::Design(to_json_compact(&d)))
            .ok_or_else(|| format!("There is no template `{slug}`")),
        Request::ShareLink { design } => {
            let design = load_design(design).map_err(|e| e.to_string())?;
            Ok(Reply::Link(crate::share::encode(&design)))
        }
        Request::OpenLink { link } => {
            let design = crate::share::decode(link).map_err(|e| e.to_string())?;
            Ok(Reply::Design(to_json_compact(&design)))
        }
        Request::Tidy { design } => {
            let design = load_design(design).map_err(|e| e.to_string())?;
            Ok(Reply::Layout(tidy::tidy(&design)))
        }
        Request::Import { name, files } => import(name, files),
    }
}

/// Decodes the files of an import and imports them; an error names the first problems.
fn import(name: &str, files: &[ImportInput]) -> Result<Reply, String> {
    let mut inputs = Vec::with_capacity(files.len());
    let mut total = 0usize;
    for f in files {
        total += f.contents.len();
        if total > MAX_TOTAL_BYTES.div_ceil(3) * 4 {
            return Err(format!(
                "the files are larger than {} MB in all",
                MAX_TOTAL_BYTES >> 20
            ));
        }
        let bytes = BASE64
            .decode(&f.contents)
            .map_err(|_| format!("{}: the request carries it damaged (not base64)", f.path))?;
        inputs.push(InputFile::new(f.path.clone(), bytes));
    }
    match import_files(name, inputs) {
        Ok((design, summary)) => Ok(Reply::Imported(
            to_json_compact(&design),
            summary.text().encode(),
        )),
        Err(e) => {
            // The reason, and the first notes that say why (with file and line).
            let mut text = e.message.clone();
            for n in e.notes.iter().take(3) {
                let place = if n.line > 0 {
                    format!("{}:{}", n.file, n.line)
                } else {
                    n.file.clone()
                };
                text.push_str(&format!("; {place}: {}", n.message));
            }
            if e.notes.len() > 3 {
                text.push_str(&format!(" (and {} more)", e.notes.len() - 3));
            }
            Err(text)
        }
    }
}

/// A picture's bytes from base64, within the size limit.
fn picture_bytes(text: &str) -> Result<Vec<u8>, String> {
    if text.is_empty() {
        return Err("the request carries no picture".into());
    }
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

/// Answers a job given as JSON text; a job that cannot be read gets id 0.
pub fn answer(job_json: &str) -> String {
    let response = match serde_json::from_str::<Job>(job_json) {
        Ok(job) => Response {
            id: job.id,
            result: run(&job.request),
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

    fn send(request: Request, id: u32) -> Response {
        let job = Job { id, request };
        serde_json::from_str(&answer(&serde_json::to_string(&job).unwrap())).unwrap()
    }

    fn export(design: &str, format: Format) -> Request {
        Request::Export {
            design: design.to_string(),
            format,
            svg: SvgOptions::default(),
            zip: None,
        }
    }

    fn files(r: Response) -> Vec<ExportFile> {
        r.result.and_then(Reply::files).unwrap()
    }

    #[test]
    fn a_zip_request_answers_one_archive_of_the_same_files() {
        let design = to_json_compact(&template("furniture-canary").unwrap());
        let plain = files(send(export(&design, Format::Kubernetes), 3));
        let zipped = files(send(
            Request::Export {
                design,
                format: Format::Kubernetes,
                svg: SvgOptions::default(),
                zip: Some("kubernetes".into()),
            },
            4,
        ));
        assert_eq!(zipped.len(), 1);
        assert_eq!(zipped[0].path, "kubernetes.zip");
        assert_eq!(
            BASE64.decode(&zipped[0].contents).unwrap(),
            archive::zip_files("kubernetes", &plain).unwrap()
        );
    }

    #[test]
    fn the_worker_draws_the_same_svg_as_the_cli_and_round_trips_pictures() {
        let d = template("multicloud-shop").unwrap();
        let json = to_json_compact(&d);
        let options = SvgOptions {
            theme: image::Theme::Dark,
            selection: Some(vec!["yc".into()]),
        };
        let svg = files(send(
            Request::Export {
                design: json.clone(),
                format: Format::Svg,
                svg: options.clone(),
                zip: None,
            },
            4,
        ));
        assert_eq!(svg, export_files(Format::Svg, &d, &options));
        assert_eq!(svg[0].path, "diagram.svg");

        let opened = send(
            Request::OpenImage {
                picture: BASE64.encode(&svg[0].contents),
            },
            5,
        );
        let opened = opened.result.and_then(Reply::design).unwrap();
        assert_eq!(load_design(&opened).unwrap(), d);

        // A minimal PNG: signature, IHDR (1×1 grey), IDAT, IEND.
        let mut png = Vec::new();
        {
            let mut enc = ::png::Encoder::new(&mut png, 1, 1);
            enc.set_color(::png::ColorType::Grayscale);
            enc.write_header().unwrap().write_image_data(&[7]).unwrap();
        }
        let out = files(send(
            Request::Png {
                design: json.clone(),
                png: BASE64.encode(&png),
            },
            6,
        ));
        assert_eq!(out[0].path, "diagram.png");
        let with = BASE64.decode(&out[0].contents).unwrap();
        assert_eq!(image::design_from_png(&with).unwrap(), d);

        let bad = send(
            Request::Png {
                design: json,
                png: String::new(),
            },
            7,
        );
        assert_eq!(bad.result, Err("the request carries no picture".into()));
    }

    #[test]
    fn requests_and_replies_read_as_they_are_written() {
        let text = r#"{"id":1,"request":{"export":{"design":"{}","format":"mermaid"}}}"#;
        let job: Job = serde_json::from_str(text).unwrap();
        assert_eq!(
            job,
            Job {
                id: 1,
                request: export("{}", Format::Mermaid)
            }
        );
        assert_eq!(serde_json::to_string(&job).unwrap(), text);
        let reply = Response {
            id: 2,
            result: Ok(Reply::Link("abc".into())),
        };
        let back: Response = serde_json::from_str(&serde_json::to_string(&reply).unwrap()).unwrap();
        assert_eq!(back, reply);
        // A reply of another kind than asked is an error, not a panic.
        assert!(Reply::Link("x".into())
            .files()
            .unwrap_err()
            .contains("a link"));
        assert!(Reply::Files(vec![]).layout().is_err());
    }

    #[test]
    fn the_worker_answers_with_the_same_files_as_the_cli() {
        let d = template("site-builder").unwrap();
        let json = to_json_compact(&d);
        let k8s = send(export(&json, Format::Kubernetes), 7);
        assert_eq!(k8s.id, 7);
        assert_eq!(k8s.result, Ok(Reply::Files(kubernetes::export(&d))));
        assert_eq!(
            files(send(export(&json, Format::Helm), 10)),
            kubernetes::helm::export(&d)
        );
        assert_eq!(
            files(send(export(&json, Format::Compose), 8)),
            compose::export(&d)
        );
        let mmd = files(send(export(&json, Format::Mermaid), 9));
        assert_eq!(
            mmd,
            [ExportFile::new("diagram.mmd", mermaid::flowchart(&d))]
        );
    }

    #[test]
    fn the_worker_answers_a_tidy_job_with_the_layout_alone() {
        let d = template("aws-multiregion-dr").unwrap();
        let layout = send(
            Request::Tidy {
                design: to_json_compact(&d),
            },
            5,
        )
        .result
        .and_then(Reply::layout)
        .unwrap();
        assert_eq!(layout, tidy::tidy(&d));
        assert_ne!(layout, d.layout);
    }

    #[test]
    fn a_bad_design_or_request_is_an_error_answer() {
        let r = send(export("{\"version\":1,\"nodes\":[{}]}", Format::Mermaid), 3);
        assert_eq!(r.id, 3);
        assert!(r.result.unwrap_err().contains("nodes[0]"));
        let r: Response = serde_json::from_str(&answer("not json")).unwrap();
        assert_eq!(r.id, 0);
        assert!(r.result.is_err());
        // The old protocol's shape (one overloaded `design` string) is refused with a reason.
        let old = r#"{"id":4,"format":"mermaid","design":"{}"}"#;
        let r: Response = serde_json::from_str(&answer(old)).unwrap();
        assert!(r.result.unwrap_err().contains("could not be read"));
    }

    #[test]
    fn templates_and_links_come_from_the_worker_as_the_cli_makes_them() {
        let d = template("aws-multiregion-dr").unwrap();
        let design = |r: Request| send(r, 1).result.and_then(Reply::design);
        let t = design(Request::Template {
            slug: "aws-multiregion-dr".into(),
        });
        assert_eq!(t.unwrap(), to_json_compact(&d));
        assert!(design(Request::Template {
            slug: "nope".into()
        })
        .unwrap_err()
        .contains("no template"));
        // The payload is the CLI's, and opening it (as a link or a bare payload) gives the design.
        let payload = send(
            Request::ShareLink {
                design: to_json_compact(&d),
            },
            3,
        )
        .result
        .and_then(Reply::link)
        .unwrap();
        assert_eq!(payload, crate::share::encode(&d));
        let link = crate::share::link_with("https://x.example/app/", &payload);
        assert_eq!(link, crate::share::link("https://x.example/app/", &d));
        let opened = design(Request::OpenLink { link }).unwrap();
        assert_eq!(opened, to_json_compact(&d));
        // A damaged link is an answer that says why, not a panic.
        let damaged = design(Request::OpenLink {
            link: "#d=2.deadbeef.AAAA".into(),
        })
        .unwrap_err();
        assert!(!damaged.is_empty());
    }

    #[test]
    fn an_import_job_answers_the_design_and_its_summary_or_a_reason() {
        let compose = "services:\n  web:\n    image: nginx:1.27\n    ports: ['8080:80']\n    depends_on: [api]\n  api:\n    image: shop/api:1\n";
        let files = vec![ImportInput {
            path: "shop/compose.yaml".into(),
            contents: BASE64.encode(compose),
        }];
        let reply = send(
            Request::Import {
                name: String::new(),
                files: files.clone(),
            },
            8,
        );
        assert_eq!(reply.id, 8);
        let imported = reply.result.and_then(Reply::imported).unwrap();
        let design = load_design(&imported.design).unwrap();
        assert_eq!(design.name, "shop");
        // The same files through the core directly give the same design and summary.
        let (direct, summary) =
            import_files("", vec![InputFile::new("shop/compose.yaml", compose)]).unwrap();
        assert_eq!(design, direct);
        assert_eq!(imported.summary, summary.text());
        assert_eq!(imported.summary.title, "Import “shop”");
        assert_eq!(
            SummaryText::entries(&imported.summary.services).count(),
            design
                .nodes
                .iter()
                .filter(|n| !n.kind().is_container())
                .count()
        );
        assert!(SummaryText::entries(&imported.summary.links).any(|(l, _)| l == "web → api"));

        // Bad input: an answer that says why, with the file.
        let bad = send(
            Request::Import {
                name: "x".into(),
                files: vec![ImportInput {
                    path: "broken.yaml".into(),
                    contents: BASE64.encode("services: [\n"),
                }],
            },
            9,
        );
        let why = bad.result.unwrap_err();
        assert!(why.contains("broken.yaml"), "{why}");
        let bad = send(
            Request::Import {
                name: "x".into(),
                files: vec![ImportInput {
                    path: "a.yaml".into(),
                    contents: "%%%".into(),
                }],
            },
            10,
        );
        assert!(bad.result.unwrap_err().contains("a.yaml"));
        assert!(Reply::Link("x".into())
            .imported()
            .unwrap_err()
            .contains("a link"));
    }
}
