//! An export as a message: what the page's export worker receives and answers. The page keeps
//! the exports (and the typed Kubernetes objects and YAML writer they need) out of its own
//! wasm and asks the worker, loaded the first time the export drawer opens; the messages are
//! JSON strings so that both sides share these types.

use serde::{Deserialize, Serialize};

use super::{compose, kubernetes, mermaid, terraform, ExportFile};
use crate::model::load_design;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Kubernetes,
    Compose,
    Terraform,
    Mermaid,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Answers carry the id back; the page ignores answers to requests it has replaced.
    pub id: u32,
    pub format: Format,
    /// The design file (compact JSON).
    pub design: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub id: u32,
    pub result: Result<Vec<ExportFile>, String>,
}

/// Every file of `format` for the design in `design_json`.
pub fn export(format: Format, design_json: &str) -> Result<Vec<ExportFile>, String> {
    let design = load_design(design_json).map_err(|e| e.to_string())?;
    Ok(match format {
        Format::Kubernetes => kubernetes::export(&design),
        Format::Compose => compose::export(&design),
        Format::Terraform => terraform::export(&design),
        Format::Mermaid => vec![ExportFile::new("design.mmd", mermaid::flowchart(&design))],
    })
}

/// Answers a request given as JSON text; a request that cannot be read gets id 0.
pub fn answer(request_json: &str) -> String {
    let response = match serde_json::from_str::<Request>(request_json) {
        Ok(req) => Response {
            id: req.id,
            result: export(req.format, &req.design),
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

    fn ask(id: u32, format: Format, design: &str) -> Response {
        let req = Request {
            id,
            format,
            design: design.to_string(),
        };
        serde_json::from_str(&answer(&serde_json::to_string(&req).unwrap())).unwrap()
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
    fn a_bad_design_or_request_is_an_error_answer() {
        let r = ask(3, Format::Mermaid, "{\"version\":1,\"nodes\":[{}]}");
        assert_eq!(r.id, 3);
        assert!(r.result.unwrap_err().contains("nodes[0]"));
        let r: Response = serde_json::from_str(&answer("not json")).unwrap();
        assert_eq!(r.id, 0);
        assert!(r.result.is_err());
    }
}
