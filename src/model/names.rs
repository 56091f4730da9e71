//! Kubernetes-safe names: any Unicode name becomes a DNS-1035 label (lowercase letters, digits
//! and `-`, starting with a letter and ending with an alphanumeric, at most 63 characters): a
//! DNS-1123 label that can also name a Service, whose names may not start with a digit.
//!
//! Cyrillic is transliterated the way Russian speakers write their names in Latin letters
//! (`Сосисочная` → `sosisochnaya`), which a general Unicode table does not do.

use std::collections::{BTreeMap, HashSet};

/// The longest DNS-1123 label.
pub const MAX_LABEL_LEN: usize = 63;

/// The Latin spelling of a lowercase Cyrillic letter, if it is one.
fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' => "e",
        'ё' => "yo",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        // Ukrainian and Belarusian letters.
        'є' => "ye",
        'і' => "i",
        'ї' => "yi",
        'ґ' => "g",
        'ў' => "u",
        _ => return None,
    })
}

/// Folds common Latin letters with diacritics to their base letter.
fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
        'æ' => "ae",
        'ç' | 'č' | 'ć' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => "u",
        'ý' | 'ÿ' => "y",
        'ß' => "ss",
        'š' | 'ś' => "s",
        'ž' | 'ź' | 'ż' => "z",
        'ł' => "l",
        'ř' => "r",
        'đ' | 'ď' => "d",
        'ť' => "t",
        _ => return None,
    })
}

/// Put before a name that would start with a digit (`1e3` → `n-1e3`).
const DIGIT_PREFIX: &str = "n-";

/// The DNS-1035 label for `name`, or `None` when nothing of it survives (e.g. only emoji).
pub fn kube_name(name: &str) -> Option<String> {
    let mut out = String::with_capacity(name.len());
    // Any run of characters that are not letters or digits becomes one dash.
    let mut pending_dash = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        let piece: Option<&str> = if c.is_ascii_alphanumeric() {
            None
        } else if let Some(t) = transliterate(c).or_else(|| fold_latin(c)) {
            if t.is_empty() {
                continue;
            }
            Some(t)
        } else {
            pending_dash = true;
            continue;
        };
        if pending_dash && !out.is_empty() {
            out.push('-');
        }
        pending_dash = false;
        match piece {
            Some(t) => out.push_str(t),
            None => out.push(c),
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, DIGIT_PREFIX);
    }
    truncate_label(&mut out, MAX_LABEL_LEN);
    (!out.is_empty()).then_some(out)
}

/// The DNS-1035 label for `name`, falling back to `fallback` (itself made safe) when the name
/// has nothing usable.
pub fn kube_name_or(name: &str, fallback: &str) -> String {
    kube_name(name)
        .or_else(|| kube_name(fallback))
        .unwrap_or_else(|| "unnamed".to_string())
}

fn truncate_label(label: &mut String, max: usize) {
    if label.len() > max {
        label.truncate(max); // ASCII only by construction, so any byte index is a boundary.
    }
    while label.ends_with('-') {
        label.pop();
    }
}

/// Whether `label` is already a DNS-1035 label.
pub fn is_kube_name(label: &str) -> bool {
    label.starts_with(|c: char| c.is_ascii_lowercase())
        && label.len() <= MAX_LABEL_LEN
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// Kubernetes names for items of one scope (e.g. the workloads of a namespace), unique within
/// it. Items are taken in id order, so the result does not depend on their order in the file:
/// the first keeps its name, later ones with the same name get `-2`, `-3`, …
pub fn unique_kube_names<'a>(
    items: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> BTreeMap<&'a str, String> {
    let mut items: Vec<(&str, &str)> = items.into_iter().collect();
    items.sort_unstable();
    let mut taken = HashSet::with_capacity(items.len());
    let mut out = BTreeMap::new();
    for (id, name) in items {
        let base = kube_name_or(name, id);
        let mut candidate = base.clone();
        let mut n = 2u32;
        while taken.contains(&candidate) {
            let suffix = format!("-{n}");
            let mut stem = base.clone();
            truncate_label(&mut stem, MAX_LABEL_LEN - suffix.len());
            candidate = format!("{stem}{suffix}");
            n += 1;
        }
        taken.insert(candidate.clone());
        out.insert(id, candidate);
    }
    out
}

/// An HTTP header name (RFC 9110 token characters) in lower case, as meshes and ingress
/// controllers compare them; `None` when nothing of it is usable.
pub fn header_name(raw: &str) -> Option<String> {
    let name: String = raw
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(*c))
        .flat_map(|c| c.to_lowercase())
        .collect();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_is_transliterated() {
        assert_eq!(kube_name("Сосисочная").as_deref(), Some("sosisochnaya"));
        assert_eq!(kube_name("Щука и Ёж").as_deref(), Some("shchuka-i-yozh"));
        assert_eq!(kube_name("объект").as_deref(), Some("obekt"));
    }

    #[test]
    fn punctuation_collapses_to_single_dashes() {
        assert_eq!(
            kube_name("  Order Service (v2) ").as_deref(),
            Some("order-service-v2")
        );
        assert_eq!(kube_name("a__b--c").as_deref(), Some("a-b-c"));
        assert_eq!(kube_name("Café Zürich").as_deref(), Some("cafe-zurich"));
        assert_eq!(
            kube_name("\"quoted\"\nname").as_deref(),
            Some("quoted-name")
        );
    }

    #[test]
    fn nothing_usable_gives_none_and_fallback() {
        assert_eq!(kube_name("🚀🚀"), None);
        assert_eq!(kube_name("---"), None);
        assert_eq!(kube_name_or("🚀", "n12"), "n12");
        assert_eq!(kube_name_or("🚀", "__"), "unnamed");
    }

    #[test]
    fn names_start_with_a_letter_as_service_names_must() {
        assert_eq!(kube_name("1e3").as_deref(), Some("n-1e3"));
        assert_eq!(kube_name("  42 ").as_deref(), Some("n-42"));
        assert_eq!(kube_name_or("🚀", "1-namespace.x"), "n-1-namespace-x");
        assert!(!is_kube_name("9lives") && is_kube_name("n-9lives"));
        let label = kube_name(&"9".repeat(80)).unwrap();
        assert!(
            is_kube_name(&label) && label.len() == MAX_LABEL_LEN,
            "{label}"
        );
    }

    #[test]
    fn long_names_are_cut_to_63_without_trailing_dash() {
        let name = format!("{}-x", "a".repeat(62));
        let label = kube_name(&name).unwrap();
        assert_eq!(label, "a".repeat(62));
        let long = "я".repeat(100);
        let label = kube_name(&long).unwrap();
        assert!(is_kube_name(&label), "{label}");
        assert_eq!(label.len(), 63);
    }

    #[test]
    fn collisions_are_made_unique_in_id_order() {
        let names = unique_kube_names([("b", "API"), ("a", "api"), ("c", "A.P.I"), ("d", "api-2")]);
        assert_eq!(names["a"], "api");
        assert_eq!(names["b"], "api-2");
        assert_eq!(names["c"], "a-p-i");
        // `d` wanted `api-2`, which `b` already holds.
        assert_eq!(names["d"], "api-2-2");
        let long = "x".repeat(80);
        let names = unique_kube_names([("1", long.as_str()), ("2", long.as_str())]);
        assert!(is_kube_name(&names["2"]) && names["2"].ends_with("-2"));
    }

    #[test]
    fn results_are_always_labels() {
        for name in [
            "",
            "-a-",
            "Z",
            "9lives",
            "ÄÖÜ",
            "日本",
            "a b\tc",
            "x\u{200f}y",
        ] {
            if let Some(label) = kube_name(name) {
                assert!(is_kube_name(&label), "{name:?} -> {label:?}");
            }
        }
    }
}
