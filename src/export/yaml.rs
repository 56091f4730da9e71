//! YAML writing for the exports: serde-saphyr with fixed options, so output is stable.

use serde::Serialize;
use serde_saphyr::SerializerOptions;

fn options() -> SerializerOptions {
    let mut o = SerializerOptions::default();
    // Long strings stay plain scalars rather than folded blocks: easier to diff and to grep.
    o.prefer_block_scalars = false;
    o
}

/// One YAML document.
pub(crate) fn to_yaml<T: Serialize>(value: &T) -> String {
    // Plain data with string keys always serialises; an error would be a bug in our types.
    serde_saphyr::to_string_with_options(value, options())
        .unwrap_or_else(|e| format!("# infracanvas: could not write YAML: {e}\n"))
}

/// Several documents separated by `---`.
pub(crate) fn to_yaml_docs<T: Serialize>(values: &[T]) -> String {
    serde_saphyr::to_string_multiple_with_options(values, options())
        .unwrap_or_else(|e| format!("# infracanvas: could not write YAML: {e}\n"))
}
