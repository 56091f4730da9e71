//! The design file inside a PNG: an `iTXt` chunk (keyword [`PNG_KEYWORD`], zlib-compressed
//! UTF-8 text) before `IEND`. The page rasterises the SVG; this adds the design to its PNG and
//! finds it again. Every chunk is checked (lengths, CRC) and inflating stops at the design
//! size limit, so a damaged or hostile file is an error, never a panic or a memory blow-up.

use miniz_oxide::inflate::{decompress_to_vec_zlib_with_limit, TINFLStatus};

use super::ImageError;
use crate::model::{limits, load_design_bytes, Design};

pub const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
pub const PNG_KEYWORD: &str = "infracanvas-design";
/// The PNG specification's largest chunk length.
const MAX_CHUNK: u32 = (1 << 31) - 1;

/// One chunk of a PNG: its type, its data, and where the whole chunk (length to CRC) lies.
struct Chunk<'a> {
    kind: [u8; 4],
    data: &'a [u8],
    span: std::ops::Range<usize>,
}

/// `png` with the design file added (replacing a design added before), as an `iTXt` chunk just
/// before `IEND`.
pub fn embed_in_png(png: &[u8], design_json: &str) -> Result<Vec<u8>, ImageError> {
    if design_json.len() > limits::MAX_DESIGN_BYTES {
        return Err(ImageError::TooLarge {
            limit: limits::MAX_DESIGN_BYTES,
        });
    }
    let chunks = chunks(png)?;
    let mut out = Vec::with_capacity(png.len() + design_json.len() / 3 + 64);
    out.extend_from_slice(&SIGNATURE);
    for c in &chunks {
        if c.kind == *b"IEND" {
            write_chunk(&mut out, b"iTXt", &itxt(design_json));
        }
        if !is_design_chunk(c) {
            out.extend_from_slice(&png[c.span.clone()]);
        }
    }
    Ok(out)
}

/// The design inside a PNG written by [`embed_in_png`], loaded through the model's loader.
pub fn design_from_png(png: &[u8]) -> Result<Design, ImageError> {
    let chunk = chunks(png)?
        .into_iter()
        .find(is_design_chunk)
        .ok_or(ImageError::NoDesign)?;
    let json = itxt_text(chunk.data)?;
    Ok(load_design_bytes(&json)?)
}

/// Every chunk, checked: the signature, `IHDR` first, each length inside the file and each
/// CRC right, `IEND` last.
fn chunks(png: &[u8]) -> Result<Vec<Chunk<'_>>, ImageError> {
    if !png.starts_with(&SIGNATURE) {
        return Err(ImageError::NotAnImage);
    }
    let mut chunks = Vec::new();
    let mut at = SIGNATURE.len();
    let damaged = |what: String| ImageError::Damaged(what);
    loop {
        let header = png
            .get(at..at + 8)
            .ok_or_else(|| damaged(format!("the PNG is cut off at byte {at}")))?;
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        if len > MAX_CHUNK {
            return Err(damaged(format!(
                "a chunk at byte {at} has an impossible length"
            )));
        }
        let kind = [header[4], header[5], header[6], header[7]];
        let data_end = (at + 8)
            .checked_add(len as usize)
            .filter(|&e| e + 4 <= png.len())
            .ok_or_else(|| damaged(format!("the PNG is cut off in a chunk at byte {at}")))?;
        let crc = &png[data_end..data_end + 4];
        if crc32fast::hash(&png[at + 4..data_end]).to_be_bytes() != crc {
            return Err(damaged(format!(
                "the {} chunk at byte {at} fails its CRC check",
                String::from_utf8_lossy(&kind)
            )));
        }
        if chunks.is_empty() && kind != *b"IHDR" {
            return Err(damaged("the PNG does not start with its header".into()));
        }
        chunks.push(Chunk {
            kind,
            data: &png[at + 8..data_end],
            span: at..data_end + 4,
        });
        at = data_end + 4;
        if kind == *b"IEND" {
            return Ok(chunks);
        }
    }
}

fn write_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32fast::hash(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

fn is_design_chunk(c: &Chunk) -> bool {
    c.kind == *b"iTXt" && c.data.split(|&b| b == 0).next() == Some(PNG_KEYWORD.as_bytes())
}

/// `iTXt` data: keyword, NUL, compression flag 1 and method 0 (zlib), empty language tag and
/// translated keyword (each NUL-ended), then the compressed text.
fn itxt(text: &str) -> Vec<u8> {
    let mut data = Vec::with_capacity(text.len() / 3 + 32);
    data.extend_from_slice(PNG_KEYWORD.as_bytes());
    data.extend_from_slice(&[0, 1, 0, 0, 0]);
    data.extend_from_slice(&miniz_oxide::deflate::compress_to_vec_zlib(
        text.as_bytes(),
        9,
    ));
    data
}

/// The text of an `iTXt` chunk, inflated (if compressed) up to the design size limit.
fn itxt_text(data: &[u8]) -> Result<Vec<u8>, ImageError> {
    let damaged = || ImageError::Damaged("the design chunk is malformed".into());
    let after_keyword = PNG_KEYWORD.len() + 1;
    let (&flag, rest) = data
        .get(after_keyword..)
        .and_then(<[u8]>::split_first)
        .ok_or_else(damaged)?;
    let (&method, rest) = rest.split_first().ok_or_else(damaged)?;
    // Language tag and translated keyword: skip two NUL-ended fields.
    let mut fields = rest.splitn(3, |&b| b == 0);
    let (_, _, text) = (
        fields.next(),
        fields.next(),
        fields.next().ok_or_else(damaged)?,
    );
    let limit = limits::MAX_DESIGN_BYTES;
    match (flag, method) {
        (0, _) if text.len() > limit => Err(ImageError::TooLarge { limit }),
        (0, _) => Ok(text.to_vec()),
        (1, 0) => decompress_to_vec_zlib_with_limit(text, limit).map_err(|e| match e.status {
            TINFLStatus::HasMoreOutput => ImageError::TooLarge { limit },
            _ => ImageError::Damaged("the design chunk does not inflate".into()),
        }),
        _ => Err(damaged()),
    }
}
