//! Share links: the whole design in the URL fragment, `#d=<payload>`, nothing sent anywhere.
//!
//! `payload = "1." + base64url(deflate(compact JSON))`, or, when it is shorter,
//! `"2." + dictionary + "." + base64url(deflate primed with the dictionary(compact JSON))`
//! where the dictionary is a built-in template's design file named by its hash (see
//! [`dictionary`]): a design made from a template shares as a short link. The leading digit
//! names the codec version so a later codec can be told apart. Compact JSON is the design file without whitespace: defaults
//! are already omitted by the model's serialisation, and deflate removes most of the repetition
//! of keys, so a binary encoding saved little here while JSON keeps one format to migrate.
//!
//! Decoding never panics: every failure is a [`ShareError`], and sizes are checked before the
//! work they would cost (link length before base64, output size during inflation).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use miniz_oxide::inflate::TINFLStatus;

use crate::model::{
    limits, load_design_brief, load_design_bytes, to_json_compact, Design, LoadError,
};

pub mod dictionary;

/// The codec without a dictionary.
pub const CODEC_PREFIX: &str = "1.";
/// The codec with a preset dictionary: `2.<dictionary hash>.<data>`.
pub const CODEC_DICT_PREFIX: &str = "2.";
/// Designs whose file is larger than this are packed without trying the dictionaries: they
/// would gain little and cost a compression each.
const DICTIONARY_TRIAL_BYTES: usize = 256 * 1024;
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
    #[error("the link was packed against a template this version does not know (dictionary `{0}`); please update Infracanvas")]
    UnknownDictionary(String),
    #[error("the link's design is not valid: {0}")]
    Design(#[from] LoadError),
}

/// The payload for `#d=` (without the key): the shortest of the plain packing and the
/// packings primed with each dictionary.
pub fn encode(design: &Design) -> String {
    let json = to_json_compact(design);
    let mut best = (None, dictionary::pack(json.as_bytes(), b"", LEVEL));
    if json.len() <= DICTIONARY_TRIAL_BYTES {
        for dict in dictionary::all() {
            let packed = dictionary::pack(json.as_bytes(), &dict.bytes, LEVEL);
            // The dictionary's name costs its length and two separators.
            if (packed.len() + dict.tag.len() + 2) * 4 / 3 < best.1.len() * 4 / 3 {
                best = (Some(dict), packed);
            }
        }
    }
    let (dict, packed) = best;
    let mut out = String::with_capacity(16 + packed.len() * 4 / 3 + 4);
    match dict {
        Some(d) => {
            out.push_str(CODEC_DICT_PREFIX);
            out.push_str(&d.tag);
            out.push('.');
        }
        None => out.push_str(CODEC_PREFIX),
    }
    URL_SAFE_NO_PAD.encode_string(&packed, &mut out);
    out
}

/// A full link: `base` (any fragment it had is replaced) + `#d=` + payload.
pub fn link(base: &str, design: &Design) -> String {
    link_with(base, &encode(design))
}

/// The link for an [`encode`]d payload: what the page makes of the worker's answer.
pub fn link_with(base: &str, payload: &str) -> String {
    let base = base.split('#').next().unwrap_or(base);
    format!("{base}#{FRAGMENT_KEY}{payload}")
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
    decode_with(link, load_design_bytes)
}

/// [`decode`] for the page: a design that unpacks but does not load is described without its
/// JSON path ([`crate::model::load_design_brief`]).
pub fn decode_brief(link: &str) -> Result<Design, ShareError> {
    decode_with(link, load_design_brief)
}

fn decode_with(
    link: &str,
    load: fn(&[u8]) -> Result<Design, LoadError>,
) -> Result<Design, ShareError> {
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
    let (dict, body): (&[u8], &str) = if let Some(body) = payload.strip_prefix(CODEC_PREFIX) {
        (b"", body)
    } else if let Some(rest) = payload.strip_prefix(CODEC_DICT_PREFIX) {
        let Some((tag, body)) = rest.split_once('.') else {
            return Err(ShareError::Corrupt("it names no dictionary".into()));
        };
        match dictionary::find(tag) {
            Some(d) => (&d.bytes, body),
            None if tag.len() == 8 && tag.bytes().all(|b| b.is_ascii_hexdigit()) => {
                return Err(ShareError::UnknownDictionary(tag.to_string()))
            }
            None => return Err(ShareError::Corrupt("its dictionary name is damaged".into())),
        }
    } else {
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
    let json = dictionary::unpack(&packed, dict, limits::MAX_DESIGN_BYTES).map_err(|e| match e
        .status
    {
        TINFLStatus::HasMoreOutput => ShareError::TooLarge {
            limit: limits::MAX_DESIGN_BYTES,
        },
        TINFLStatus::FailedCannotMakeProgress => {
            ShareError::Corrupt("the data ends too early (was the link cut?)".into())
        }
        _ => ShareError::Corrupt("the compressed data is invalid".into()),
    })?;
    Ok(load(&json)?)
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

    /// The characters a payload may hold after its codec (and dictionary) prefix.
    fn body(payload: &str) -> &str {
        payload.rsplit('.').next().unwrap()
    }

    #[test]
    fn round_trip_is_exact() {
        let d = sample();
        let payload = encode(&d);
        assert!(
            payload.starts_with("1.") || payload.starts_with("2."),
            "{payload}"
        );
        assert!(body(&payload)
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(decode(&payload).unwrap(), d);
        let full = link("https://infracanvas.example/app/#old", &d);
        assert!(full.starts_with(&format!("https://infracanvas.example/app/#d={payload}")));
        assert_eq!(decode(&full).unwrap(), d);
        assert_eq!(decode(&format!("#x=1&d={payload}")).unwrap(), d);
    }

    #[test]
    fn the_chosen_packing_is_never_longer_than_the_plain_one() {
        let mut d = Design::new("zzzz");
        for i in 0..50 {
            d.nodes.push(Node::new(
                format!("q{i}"),
                "~~~~",
                NodeSpec::default_for(Kind::Cache),
            ));
        }
        let plain = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(
            to_json_compact(&d).as_bytes(),
            LEVEL,
        ));
        let payload = encode(&d);
        assert!(
            payload.len() <= plain.len() + CODEC_PREFIX.len(),
            "{} vs {}",
            payload.len(),
            plain.len()
        );
        assert_eq!(decode(&payload).unwrap(), d);
    }

    #[test]
    fn templates_and_their_edits_share_as_short_links_through_their_dictionary() {
        for t in crate::templates::TEMPLATES {
            let mut d = crate::templates::template(t.slug).unwrap();
            let plain_chars = URL_SAFE_NO_PAD
                .encode(miniz_oxide::deflate::compress_to_vec(
                    to_json_compact(&d).as_bytes(),
                    LEVEL,
                ))
                .len();
            let payload = encode(&d);
            assert!(payload.starts_with("2."), "{}: {}", t.slug, &payload[..12]);
            assert!(
                payload.len() * 5 < plain_chars,
                "{}: {} vs {plain_chars}",
                t.slug,
                payload.len()
            );
            assert_eq!(decode(&payload).unwrap(), d);
            // Edited: renamed, a leaf removed, a node added; still exact, still short.
            d.name = "Копия \"edited\"".into();
            let leaf = d
                .nodes
                .iter()
                .position(|n| !d.nodes.iter().any(|c| c.parent.as_ref() == Some(&n.id)))
                .unwrap();
            let gone = d.nodes.remove(leaf).id;
            d.edges.retain(|e| e.from != gone && e.to != gone);
            d.layout.remove(&gone);
            d.nodes.push(Node::new(
                "added",
                "Новый",
                NodeSpec::default_for(Kind::Queue),
            ));
            let edited = crate::model::load_design(&to_json_compact(&d)).expect("the edit loads");
            let payload = encode(&edited);
            assert!(
                payload.len() < CHAT_SAFE_LINK_CHARS - 100,
                "{}: {}",
                t.slug,
                payload.len()
            );
            assert_eq!(decode(&payload).unwrap(), edited);
        }
    }

    #[test]
    fn links_made_with_a_frozen_dictionary_still_open() {
        // The multicloud-shop template as released before it carried its waiver: a link made
        // from it then packed against these bytes, and must open the same design now.
        let dict = dictionary::find("bc14b8b5").expect("kept");
        let design = crate::model::load_design_bytes(&dict.bytes).unwrap();
        let packed = dictionary::pack(to_json_compact(&design).as_bytes(), &dict.bytes, LEVEL);
        let payload = format!(
            "{CODEC_DICT_PREFIX}bc14b8b5.{}",
            URL_SAFE_NO_PAD.encode(packed)
        );
        assert!(payload.len() < 300, "{} characters", payload.len());
        assert_eq!(decode(&payload).unwrap(), design);
    }

    #[test]
    fn a_link_naming_an_unknown_dictionary_says_so() {
        let payload = encode(&crate::templates::template("site-builder").unwrap());
        let (_, rest) = payload[2..].split_once('.').unwrap();
        assert_eq!(
            decode(&format!("2.0badf00d.{rest}")),
            Err(ShareError::UnknownDictionary("0badf00d".into()))
        );
        assert!(matches!(
            decode(&format!("2.zz.{rest}")),
            Err(ShareError::Corrupt(_))
        ));
        assert!(matches!(decode("2.nodot"), Err(ShareError::Corrupt(_))));
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
