//! The one escaping function every text and attribute value of the SVG goes through, and the
//! number format of its coordinates.
//!
//! A hand-written escape rather than an XML-writer crate: the SVG is a fixed set of elements
//! written by `svg.rs`, so all a writer would add is this function, and none of the small
//! writers drops the characters XML 1.0 forbids (they would make the file unreadable).

/// `text` made safe for XML 1.0 character data and for attribute values in either quote:
/// `& < > " '` become entity references; characters XML 1.0 forbids (C0 controls other than
/// tab, newline and carriage return, lone surrogates cannot occur in `str`, U+FFFE and U+FFFF)
/// are dropped; tab, newline and carriage return become spaces, since a name is one line on the
/// canvas and a newline in an attribute would be normalised away by the parser anyway.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if is_forbidden(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Characters outside XML 1.0's `Char` production.
fn is_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// A coordinate with at most one decimal and no trailing `.0`, so the same drawing always
/// writes the same bytes (and small files).
pub fn num(v: f64) -> String {
    let rounded = (v * 10.0).round() / 10.0;
    // -0.0 would print as "-0".
    let rounded = if rounded == 0.0 { 0.0 } else { rounded };
    if rounded.fract() == 0.0 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_become_entities() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;y&apos;"
        );
        assert_eq!(escape("a]]>b--c"), "a]]&gt;b--c");
    }

    #[test]
    fn forbidden_characters_are_dropped_and_line_breaks_become_spaces() {
        let all_c0: String = (0u8..0x20).map(char::from).collect();
        assert_eq!(escape(&all_c0), "   ");
        assert_eq!(escape("a\u{FFFE}b\u{FFFF}c"), "abc");
        assert_eq!(escape("one\ntwo\r\nthree"), "one two  three");
    }

    #[test]
    fn other_unicode_is_kept() {
        assert_eq!(escape("Москва · 東京 \u{200F}"), "Москва · 東京 \u{200F}");
    }

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.25), "12.3");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(-3.5), "-3.5");
    }
}
