//! Share links: the whole design in the URL fragment, `#d=<payload>`, nothing sent anywhere.
//!
//! `payload = "1." + base64url(deflate(compact JSON))`. The `1.` names the codec version so a
//! later codec can be told apart. Compact JSON is the design file without whitespace: defaults
//! are already omitted by the model's serialisation, and deflate removes most of the repetition
//! of keys, so a binary encoding saved little here while JSON keeps one format to migrate.
//!
//! Decoding never panics: every failure is a [`ShareError`], and sizes are checked before the
//! work they would cost (link length before base64, output size during inflation).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use miniz_oxide::inflate::{decompress_to_vec_with_limit, TINFLStatus};

use crate::model::{limits, load_design_bytes, to_json_compact, Design, LoadError};

/// The codec version this build writes.
pub const CODEC_PREFIX: &str = "1.";
/// The fragment key that carries a design.
pub const FRAGMENT_KEY: &str = "d=";
/// The longest payload accepted, in characters (about 1.5 MB of compressed design).
pub const MAX_PAYLOAD_CHARS: usize = 2 * 1024 * 1024;
/// Links longer than this are cut by common chat tools and mail clients; the page warns.
pub const CHAT_SAFE_LINK_CHARS: usize = 2_000;

/// deflate level: 10 is miniz's best ratio; designs are small so the extra time is negligible.
const LEVEL: u8 = 10;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShareError {
    #[error("the link carries no design (expected `#d=…`)")]
    Missing,
    #[error("the link was made by a newer Infracanvas (codec `{0}`); please update")]
    UnknownCodec(String),
    #[error("the link is {len} characters long; the limit is {limit}")]
    TooLong { len: usize, limit: usize },
    #[error("the link is damaged: {0}")]
    Corrupt(String),
    #[error("the design in the link unpacks to more than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("the link's design is not valid: {0}")]
    Design(#[from] LoadError),
}

/// The payload for `#d=` (without the key).
pub fn encode(design: &Design) -> String {
    let json = to_json_compact(design);
    let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), LEVEL);
    let mut out = String::with_capacity(CODEC_PREFIX.len() + packed.len() * 4 / 3 + 4);
    out.push_str(CODEC_PREFIX);
    URL_SAFE_NO_PAD.encode_string(&packed, &mut out);
    out
}

/// A full link: `base` (any fragment it had is replaced) + `#d=` + payload.
pub fn link(base: &str, design: &Design) -> String {
    let base = base.split('#').next().unwrap_or(base);
    format!("{base}#{FRAGMENT_KEY}{}", encode(design))
}

/// The payload of a link or fragment: accepts `https://…#d=X`, `#d=X`, `d=X` or `X` itself.
pub fn payload_of(link: &str) -> &str {
    let fragment = link.split_once('#').map_or(link, |(_, f)| f);
    // The fragment may hold other `&`-separated keys; take ours.
    fragment
        .split('&')
        .find_map(|part| part.strip_prefix(FRAGMENT_KEY))
        .unwrap_or(fragment)
        .trim()
}

/// Decodes a link, a fragment or a bare payload back into the design.
pub fn decode(link: &str) -> Result<Design, ShareError> {
    let payload = payload_of(link);
    if payload.is_empty() {
        return Err(ShareError::Missing);
    }
    if payload.len() > MAX_PAYLOAD_CHARS {
        return Err(ShareError::TooLong {
            len: payload.len(),
            limit: MAX_PAYLOAD_CHARS,
        });
    }
    let Some(body) = payload.strip_prefix(CODEC_PREFIX) else {
        let codec = payload.split_once('.').map_or("", |(v, _)| v);
        return if !codec.is_empty() && codec.len() <= 8 && codec.bytes().all(|b| b.is_ascii_digit())
        {
            Err(ShareError::UnknownCodec(codec.to_string()))
        } else {
            Err(ShareError::Corrupt(
                "it does not start with a codec version".into(),
            ))
        };
    };
    let packed = URL_SAFE_NO_PAD
        .decode(body.trim_end_matches('='))
        .map_err(|e| ShareError::Corrupt(format!("not base64url ({e})")))?;
    let json =
        decompress_to_vec_with_limit(&packed, limits::MAX_DESIGN_BYTES).map_err(|e| {
            match e.status {
                TINFLStatus::HasMoreOutput => ShareError::TooLarge {
                    limit: limits::MAX_DESIGN_BYTES,
                },
                TINFLStatus::FailedCannotMakeProgress => {
                    ShareError::Corrupt("the data ends too early (was the link cut?)".into())
                }
                _ => ShareError::Corrupt("the compressed data is invalid".into()),
            }
        })?;
    Ok(load_design_bytes(&json)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Node, NodeSpec, Rect};

    fn sample() -> Design {
        let mut d = Design::new("Сосисочная \"shop\" #1");
        d.nodes.push(Node::new(
            "p1",
            "Yandex Cloud",
            NodeSpec::default_for(Kind::Provider),
        ));
        d.nodes.push(
            Node::new("r1", "ru-central1", NodeSpec::default_for(Kind::Region)).with_parent("p1"),
        );
        d.layout.insert("p1".into(), Rect(10, 20, 300, 200));
        d
    }

    #[test]
    fn round_trip_is_exact() {
        let d = sample();
        let payload = encode(&d);
        assert!(payload.starts_with("1."));
        assert!(payload[2..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(decode(&payload).unwrap(), d);
        let full = link("https://infracanvas.example/app/#old", &d);
        assert!(full.starts_with("https://infracanvas.example/app/#d=1."));
        assert_eq!(decode(&full).unwrap(), d);
        assert_eq!(decode(&format!("#x=1&d={payload}")).unwrap(), d);
    }

    #[test]
    fn empty_and_foreign_payloads_are_refused() {
        assert_eq!(decode("https://x/#d="), Err(ShareError::Missing));
        assert_eq!(decode("9.abc"), Err(ShareError::UnknownCodec("9".into())));
        assert!(matches!(decode("hello"), Err(ShareError::Corrupt(_))));
        assert!(matches!(decode("1.!!!"), Err(ShareError::Corrupt(_))));
        assert!(matches!(decode("1.AAAA"), Err(ShareError::Corrupt(_))));
    }

    #[test]
    fn truncated_link_is_corrupt_not_a_panic() {
        let payload = encode(&sample());
        for cut in 2..payload.len() {
            assert!(decode(&payload[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn oversized_inputs_are_refused_before_work() {
        let long = format!("1.{}", "A".repeat(MAX_PAYLOAD_CHARS));
        assert!(matches!(decode(&long), Err(ShareError::TooLong { .. })));
        // A zip bomb: 16 MB of spaces deflates to a few dozen KB.
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b' '; 16 << 20], 10);
        let payload = format!("1.{}", URL_SAFE_NO_PAD.encode(bomb));
        assert!(payload.len() < MAX_PAYLOAD_CHARS);
        assert_eq!(
            decode(&payload),
            Err(ShareError::TooLarge {
                limit: limits::MAX_DESIGN_BYTES
            })
        );
    }

    #[test]
    fn valid_packing_of_an_invalid_design_reports_the_design_problem() {
        let packed = miniz_oxide::deflate::compress_to_vec(br#"{"version":99,"name":"x"}"#, 10);
        let payload = format!("1.{}", URL_SAFE_NO_PAD.encode(packed));
        assert!(matches!(
            decode(&payload),
            Err(ShareError::Design(LoadError::NewerVersion {
                found: 99,
                ..
            }))
        ));
    }
}
