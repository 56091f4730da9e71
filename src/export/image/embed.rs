//! The design file inside the SVG, so that opening the picture restores the design: the compact
//! design JSON, base64-encoded (no `]]>`, `--` or markup can occur in it, whatever the names),
//! in an element of Infracanvas's own namespace inside `<metadata>`.

use base64::Engine;

use super::ImageError;
use crate::model::{limits, load_design_bytes, Design};

pub const NAMESPACE: &str = "https://infracanvas.dev/ns/1";
const OPEN: &str = "<infracanvas:design";
const CLOSE: &str = "</infracanvas:design>";

/// The `<metadata>` element carrying `design_json`.
pub fn metadata(design_json: &str) -> String {
    let data = base64::engine::general_purpose::STANDARD.encode(design_json);
    format!(
        "<metadata><infracanvas:design xmlns:infracanvas=\"{NAMESPACE}\" encoding=\"base64\">{data}</infracanvas:design></metadata>\n"
    )
}

/// The design inside an SVG written by [`svg`](super::svg), loaded through the model's loader
/// (so every limit and check of a design file applies).
pub fn design_from_svg(svg: &str) -> Result<Design, ImageError> {
    let json = embedded_json(svg)?;
    Ok(load_design_bytes(&json)?)
}

/// The embedded design file's bytes, not yet loaded.
pub fn embedded_json(svg: &str) -> Result<Vec<u8>, ImageError> {
    let start = svg.find(OPEN).ok_or(ImageError::NoDesign)?;
    let rest = &svg[start + OPEN.len()..];
    let tag_end = rest
        .find('>')
        .ok_or_else(|| ImageError::Damaged("the design element is cut off".into()))?;
    let attributes = &rest[..tag_end];
    // Either quote: an editor that re-saves the file may change them.
    if !attributes.contains("encoding=\"base64\"") && !attributes.contains("encoding='base64'") {
        return Err(ImageError::Damaged(
            "the design element does not say it is base64".into(),
        ));
    }
    let body = &rest[tag_end + 1..];
    let end = body
        .find(CLOSE)
        .ok_or_else(|| ImageError::Damaged("the design element is cut off".into()))?;
    // Base64 of the size limit, checked before decoding anything.
    let max_encoded = limits::MAX_DESIGN_BYTES.div_ceil(3) * 4;
    let encoded: Vec<u8> = body[..end]
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .take(max_encoded + 1)
        .collect();
    if encoded.len() > max_encoded {
        return Err(ImageError::TooLarge {
            limit: limits::MAX_DESIGN_BYTES,
        });
    }
    let json = base64::engine::general_purpose::STANDARD
        .decode(&encoded)
        .map_err(|e| ImageError::Damaged(format!("the design is not valid base64 ({e})")))?;
    // Base64 rounds up to whole groups of three bytes: the exact limit is checked here.
    if json.len() > limits::MAX_DESIGN_BYTES {
        return Err(ImageError::TooLarge {
            limit: limits::MAX_DESIGN_BYTES,
        });
    }
    Ok(json)
}
