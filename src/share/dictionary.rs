//! Preset dictionaries for share links: most shared designs start from a template, and deflate
//! primed with that template's design file packs the shared design as "the template, with
//! these changes": the largest template's link goes from ~6,300 characters to ~300.
//!
//! A dictionary changes only how well a link compresses, never what it decodes to: the link
//! names its dictionary by a hash of the dictionary's bytes, and decoding with those exact
//! bytes restores the design byte for byte whatever the design is. So a dictionary must never
//! change once links are made with it: the test `dictionaries_are_frozen` lists the hash of
//! every dictionary, and when a template changes it fails until the old bytes are kept in
//! [`FROZEN`] (old links keep opening) and the new hash is listed.
//!
//! Deflate has no dictionary in its stream format; priming works because a deflate stream is
//! a sequence of blocks that may refer back to anything earlier in the output. The packer
//! compresses the dictionary, flushes to a byte boundary and keeps only what follows; the
//! unpacker puts the dictionary in front as *stored* (uncompressed) blocks, inflates the whole,
//! and drops the dictionary from the output.

use std::sync::OnceLock;

use miniz_oxide::deflate::core::{
    compress, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
};
use miniz_oxide::inflate::{decompress_to_vec_with_limit, DecompressError};

use crate::model::to_json_compact;
use crate::templates::{template, TEMPLATES};

/// deflate reaches back at most 32 KiB: a longer dictionary keeps its last 32 KiB.
const WINDOW: usize = 32 * 1024;

/// Dictionaries of earlier releases, kept so that their links still open: `(hash, bytes)`.
/// The bytes are a function: one that rebuilds a template as it was from today's (cheaper in
/// the page's bundle than the bytes), or `|| include_bytes!("dict/<hash>.json").to_vec()`.
/// `dictionaries_are_frozen` checks that each still hashes to its name.
const FROZEN: &[(&str, DictionaryBytes)] = &[
    ("bc14b8b5", multicloud_shop_before_waivers),
    ("7ba05adb", aws_multiregion_dr_before_throughput),
    ("3ed7e0bb", multicloud_shop_before_public_subnet),
    ("3be29f19", site_builder_before_single_redis),
    ("dc2580ed", furniture_canary_before_waivers),
];

/// Makes a frozen dictionary's bytes.
type DictionaryBytes = fn() -> Vec<u8>;

/// The multicloud-shop template before its AWS side had a public subnet (the OpenVPN VM then
/// sat in the one private subnet, `10.20.0.0/16`), laid out afresh as the builder did then.
fn multicloud_shop_design_before_public_subnet() -> crate::model::Design {
    use crate::model::NodeSpec;
    let mut design = template("multicloud-shop").unwrap_or_default();
    design.nodes.retain(|n| n.id != "aws-public");
    for n in &mut design.nodes {
        match (n.id.as_str(), &mut n.spec) {
            ("aws-net", NodeSpec::Subnet(p)) => p.cidr = "10.20.0.0/16".into(),
            ("aws-vpn", _) => n.parent = Some("aws-net".into()),
            _ => {}
        }
    }
    design.layout.clear();
    crate::model::layout::fill_missing(&mut design);
    design
}

fn multicloud_shop_before_public_subnet() -> Vec<u8> {
    window(to_json_compact(&multicloud_shop_design_before_public_subnet()).into_bytes())
}

/// The multicloud-shop template before it carried its accepted residency finding.
fn multicloud_shop_before_waivers() -> Vec<u8> {
    let mut design = multicloud_shop_design_before_public_subnet();
    design.waivers.clear();
    window(to_json_compact(&design).into_bytes())
}

/// The site-builder template when its Redis was drawn with a replica (which no export could
/// run as one primary with a replica).
fn site_builder_before_single_redis() -> Vec<u8> {
    let mut design = template("site-builder").unwrap_or_default();
    for n in &mut design.nodes {
        if let ("redis", crate::model::NodeSpec::Cache(p)) = (n.id.as_str(), &mut n.spec) {
            p.replicas = 1;
            n.description = "Caching and message queues.".into();
        }
    }
    window(to_json_compact(&design).into_bytes())
}

/// The furniture-canary template before it accepted its staff A/B without a header router.
fn furniture_canary_before_waivers() -> Vec<u8> {
    let mut design = template("furniture-canary").unwrap_or_default();
    design.waivers.clear();
    window(to_json_compact(&design).into_bytes())
}

/// The aws-multiregion-dr template before it stated its throughput objective.
fn aws_multiregion_dr_before_throughput() -> Vec<u8> {
    let mut design = template("aws-multiregion-dr").unwrap_or_default();
    design.objectives.throughput_per_minute = None;
    window(to_json_compact(&design).into_bytes())
}

/// The end of a design file that deflate can reach back to.
fn window(json: Vec<u8>) -> Vec<u8> {
    let start = json.len().saturating_sub(WINDOW);
    json[start..].to_vec()
}

pub struct Dictionary {
    /// Eight lowercase hex digits of the FNV-1a hash of `bytes`; the link carries it.
    pub tag: String,
    pub bytes: Vec<u8>,
}

/// Every dictionary this build can read: one per built-in template, and the frozen ones.
pub fn all() -> &'static [Dictionary] {
    static ALL: OnceLock<Vec<Dictionary>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut dicts: Vec<Dictionary> = TEMPLATES
            .iter()
            .filter_map(|t| template(t.slug))
            .map(|d| dictionary(window(to_json_compact(&d).into_bytes())))
            .collect();
        for (_, bytes) in FROZEN {
            dicts.push(dictionary(bytes()));
        }
        dicts
    })
}

fn dictionary(bytes: Vec<u8>) -> Dictionary {
    Dictionary {
        tag: format!("{:08x}", fnv1a32(&bytes)),
        bytes,
    }
}

pub fn find(tag: &str) -> Option<&'static Dictionary> {
    all().iter().find(|d| d.tag == tag)
}

/// 32-bit FNV-1a: small, stable across platforms and releases, enough to tell a handful of
/// dictionaries apart (decoding with the wrong one would fail or give a design that fails to
/// load, never silently another design of ours).
fn fnv1a32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// Raw deflate of `data` primed with `dict` (empty: no dictionary).
pub fn pack(data: &[u8], dict: &[u8], level: u8) -> Vec<u8> {
    let flags = create_comp_flags_from_zip_params(i32::from(level), 0, 0);
    let mut c = CompressorOxide::new(flags);
    if !dict.is_empty() {
        // Compressed and thrown away: what matters is the window it leaves behind.
        run(&mut c, dict, TDEFLFlush::Sync);
    }
    run(&mut c, data, TDEFLFlush::Finish)
}

/// Feeds all of `input` to the compressor and returns what it wrote.
fn run(c: &mut CompressorOxide, input: &[u8], flush: TDEFLFlush) -> Vec<u8> {
    let mut out = vec![0; input.len() / 2 + 1024];
    let (mut in_pos, mut out_pos) = (0, 0);
    loop {
        let (status, read, written) = compress(c, &input[in_pos..], &mut out[out_pos..], flush);
        in_pos += read;
        out_pos += written;
        let room_left = out_pos < out.len();
        match status {
            TDEFLStatus::Done => break,
            TDEFLStatus::Okay if in_pos == input.len() && room_left => break,
            TDEFLStatus::Okay => out.resize(out.len() * 2, 0),
            // Only on bad parameters, which ours are not.
            TDEFLStatus::BadParam | TDEFLStatus::PutBufFailed => break,
        }
    }
    out.truncate(out_pos);
    out
}

/// Inflates what [`pack`] made with the same `dict`, refusing output longer than `limit`.
pub fn unpack(packed: &[u8], dict: &[u8], limit: usize) -> Result<Vec<u8>, DecompressError> {
    if dict.is_empty() {
        return decompress_to_vec_with_limit(packed, limit);
    }
    let mut stream = Vec::with_capacity(dict.len() + dict.len() / 65_535 * 5 + 5 + packed.len());
    for chunk in dict.chunks(65_535) {
        // A stored block that is not the last: header bits 000, padded to a byte.
        let len = chunk.len() as u16;
        stream.push(0);
        stream.extend_from_slice(&len.to_le_bytes());
        stream.extend_from_slice(&(!len).to_le_bytes());
        stream.extend_from_slice(chunk);
    }
    stream.extend_from_slice(packed);
    let mut out = decompress_to_vec_with_limit(&stream, dict.len() + limit)?;
    out.drain(..dict.len());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hash of each template's dictionary as links are made with it. If a template
    /// changed, this fails: keep its previous dictionary in `FROZEN` (from
    /// `infracanvas template show SLUG` of the previous release, compacted, last 32 KiB) so
    /// links made with it still open, then list the new hash here.
    const EXPECTED: &[(&str, &str)] = &[
        ("multicloud-shop", "6d00c4a7"),
        ("site-builder", "3d6a43d2"),
        ("furniture-canary", "9a013894"),
        ("aws-multiregion-dr", "b2937e3f"),
        ("microservices-platform", "a39fc49a"),
    ];

    #[test]
    fn dictionaries_are_frozen() {
        let got: Vec<(&str, &str)> = TEMPLATES
            .iter()
            .zip(all())
            .map(|(t, d)| (t.slug, d.tag.as_str()))
            .collect();
        assert_eq!(got, EXPECTED, "a template changed: see EXPECTED's comment");
        for (tag, bytes) in FROZEN {
            assert_eq!(
                format!("{:08x}", fnv1a32(&bytes())),
                *tag,
                "frozen dictionary renamed or edited"
            );
        }
    }

    #[test]
    fn packing_with_a_dictionary_round_trips_any_bytes() {
        let dict = b"the quick brown fox jumps over the lazy dog; ".repeat(40);
        let cyrillic = "Пользователи \u{0}\u{ff} — ".repeat(300);
        let inputs: [&[u8]; 4] = [
            b"",
            b"the quick brown fox jumps over the lazy cat",
            cyrillic.as_bytes(),
            &dict,
        ];
        for data in inputs {
            for d in [&dict[..], b""] {
                let packed = pack(data, d, 10);
                assert_eq!(unpack(&packed, d, 1 << 20).unwrap(), data);
            }
        }
    }

    #[test]
    fn a_dictionary_longer_than_a_stored_block_works() {
        let dict: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let data = dict[90_000..].to_vec();
        let packed = pack(&data, &dict, 10);
        assert_eq!(unpack(&packed, &dict, 1 << 20).unwrap(), data);
    }

    #[test]
    fn a_related_dictionary_shrinks_the_output_and_the_limit_holds() {
        let dict = all()[0].bytes.clone();
        let mut data = dict.clone();
        data.extend_from_slice(b"changed");
        let with = pack(&data, &dict, 10);
        let without = pack(&data, b"", 10);
        assert!(
            with.len() * 5 < without.len(),
            "{} vs {}",
            with.len(),
            without.len()
        );
        assert!(unpack(&with, &dict, data.len() - 1).is_err());
        // The wrong dictionary gives other bytes or an error, never a panic.
        assert_ne!(unpack(&with, &all()[1].bytes, 1 << 20).ok(), Some(data));
    }
}
