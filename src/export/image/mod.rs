//! Pictures of a design (DESIGN.md §4: "SVG/PNG of the canvas"): a standalone SVG drawn as the
//! canvas draws the design, with the design file embedded, and the design file embedded in a
//! PNG (the page rasterises the SVG itself). Either file, opened again, gives the design back.
//!
//! Pure Rust with no web dependency; in the page it runs in the export worker only.

mod embed;
mod png;
mod scene;
mod svg;
mod theme;
mod xml;

#[cfg(test)]
mod tests;

pub use embed::{design_from_svg, NAMESPACE};
pub use png::{design_from_png, embed_in_png, PNG_KEYWORD};
pub use svg::{svg, SvgOptions};
pub use theme::Theme;
pub use xml::escape;

use crate::model::{limits, Design, LoadError};

/// An image file (SVG or PNG) read to find a design in: the design's own limit plus room for a
/// drawing of the largest design.
pub const MAX_IMAGE_BYTES: usize = 8 * limits::MAX_DESIGN_BYTES;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    #[error("this image carries no Infracanvas design (it was not exported by Infracanvas, or a program that changed it dropped the design)")]
    NoDesign,
    #[error("not a PNG or SVG image")]
    NotAnImage,
    #[error("the image is damaged: {0}")]
    Damaged(String),
    #[error("the design inside the image is larger than the limit of {limit} bytes")]
    TooLarge { limit: usize },
    #[error("the design inside the image cannot be opened: {0}")]
    Design(#[from] LoadError),
}

/// The design inside an image file exported by Infracanvas, PNG or SVG (told apart by the PNG
/// signature).
pub fn design_from_image(bytes: &[u8]) -> Result<Design, ImageError> {
    if bytes.starts_with(&png::SIGNATURE) {
        return design_from_png(bytes);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ImageError::NotAnImage)?;
    if !text.contains("<svg") {
        return Err(ImageError::NotAnImage);
    }
    design_from_svg(text)
}
