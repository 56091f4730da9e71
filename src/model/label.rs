//! How a name fits its box on the canvas: an estimate of a label's width in the canvas's
//! sans-serif font, and the lines a name takes in the room a box leaves for it.
//!
//! The estimate is per character class (narrow `i l . ( )`, wide `M W`, capitals, digits,
//! other scripts), a little generous so that a name said to fit does fit in the common UI
//! fonts (DejaVu Sans, Liberation Sans, Roboto, Segoe UI). A name is shortened with an
//! ellipsis only when it does not fit in the lines it may take.

/// Width of `c` in em (the font size) in a semi-bold UI sans-serif.
fn char_em(c: char) -> f64 {
    match c {
        'i' | 'l' | 'j' | '\'' | '|' | '!' | '.' | ',' | ':' | ';' | '`' => 0.31,
        ' ' => 0.32,
        'f' | 't' | 'r' | 'I' | '(' | ')' | '[' | ']' | '{' | '}' | '/' | '\\' | '-' | '"' => 0.42,
        'm' | 'w' => 0.9,
        'M' | 'W' | '@' | '%' => 0.95,
        'A'..='Z' => 0.72,
        '0'..='9' => 0.62,
        'a'..='z' | '_' | '#' | '$' | '&' | '*' | '+' | '=' | '<' | '>' | '?' | '~' => 0.62,
        // CJK and other wide scripts take a full em.
        c if ('\u{1100}'..='\u{115F}').contains(&c)
            || ('\u{2E80}'..='\u{A4CF}').contains(&c)
            || ('\u{AC00}'..='\u{D7A3}').contains(&c)
            || ('\u{F900}'..='\u{FAFF}').contains(&c)
            || ('\u{FF00}'..='\u{FF60}').contains(&c) =>
        {
            1.0
        }
        // Cyrillic, Greek, accented Latin…
        _ => 0.7,
    }
}

/// Estimated width of `text` in px at a font size of `size` px.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(char_em).sum::<f64>() * size
}

/// The longest prefix of `text` (in characters) no wider than `room` at `size`.
fn prefix_fitting(text: &str, room: f64, size: f64) -> usize {
    let mut w = 0.0;
    for (i, c) in text.chars().enumerate() {
        w += char_em(c) * size;
        if w > room {
            return i;
        }
    }
    text.chars().count()
}

/// `text` on one line of `room` px at `size`: whole if it fits, else shortened with an
/// ellipsis (at least one character and the ellipsis are kept).
pub fn clip_to(text: &str, room: f64, size: f64) -> String {
    if text_width(text, size) <= room {
        return text.to_string();
    }
    let keep = prefix_fitting(text, room - char_em('…') * size, size).max(1);
    let mut s: String = text
        .chars()
        .take(keep)
        .collect::<String>()
        .trim_end()
        .to_string();
    s.push('…');
    s
}

/// `text` in at most `max_lines` lines of `room` px at `size`: broken at spaces (a word too
/// long for a line is broken inside it), the last line shortened with an ellipsis only when
/// the whole name does not fit. Never empty for a non-empty name.
pub fn fit_lines(text: &str, room: f64, size: f64, max_lines: usize) -> Vec<String> {
    let text = text.trim();
    let max_lines = max_lines.max(1);
    if text_width(text, size) <= room || max_lines == 1 {
        return vec![clip_to(text, room, size)];
    }
    let mut lines: Vec<String> = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        if lines.len() + 1 == max_lines {
            lines.push(clip_to(rest, room, size));
            break;
        }
        if text_width(rest, size) <= room {
            lines.push(rest.to_string());
            break;
        }
        // The most words that fit; else as many characters as fit.
        let fit = prefix_fitting(rest, room, size).max(1);
        let head: String = rest.chars().take(fit + 1).collect();
        let cut = match head.rfind(' ') {
            Some(at) if at > 0 => at,
            _ => head.char_indices().nth(fit).map_or(head.len(), |(i, _)| i),
        };
        lines.push(rest[..cut].trim_end().to_string());
        rest = rest[cut..].trim_start();
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEAF_ROOM: f64 = 104.0;

    #[test]
    fn a_short_name_takes_one_line_whole() {
        assert_eq!(fit_lines("web", LEAF_ROOM, 13.0, 2), ["web"]);
        assert_eq!(fit_lines("  api  ", LEAF_ROOM, 13.0, 2), ["api"]);
    }

    #[test]
    fn names_that_differ_at_the_end_stay_apart() {
        let a = fit_lines("OpenVPN VM (Yandex)", LEAF_ROOM, 13.0, 2);
        let b = fit_lines("OpenVPN VM (AWS)", LEAF_ROOM, 13.0, 2);
        assert_eq!(a, ["OpenVPN VM", "(Yandex)"]);
        assert_eq!(b, ["OpenVPN VM", "(AWS)"]);
        assert!(a.iter().chain(&b).all(|l| !l.contains('…')));
    }

    #[test]
    fn only_a_name_too_long_for_its_lines_gets_an_ellipsis() {
        let long = "Payment reconciliation batch processor for the European region";
        let lines = fit_lines(long, LEAF_ROOM, 13.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert!(!lines[0].ends_with('…'));
        for l in &lines {
            assert!(
                text_width(l, 13.0) <= LEAF_ROOM,
                "{l:?} is wider than the room"
            );
        }
        // Nothing of the name is lost before the ellipsis.
        let shown = lines.join(" ").replace('…', "");
        assert!(long.starts_with(shown.trim_end()), "{shown:?}");
    }

    #[test]
    fn a_word_longer_than_a_line_is_broken_inside() {
        let lines = fit_lines("postgres-replica-eu-central-1-primary", LEAF_ROOM, 13.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| !l.is_empty()));
        assert!(text_width(&lines[0], 13.0) <= LEAF_ROOM);
        assert!(lines[1].ends_with('…'));
    }

    #[test]
    fn one_line_clips_with_an_ellipsis_and_keeps_a_character() {
        assert_eq!(clip_to("Frankfurt", 500.0, 13.0), "Frankfurt");
        let c = clip_to("Frankfurt am Main", 60.0, 13.0);
        assert!(c.ends_with('…') && c.len() > "…".len(), "{c:?}");
        assert!(text_width(&c, 13.0) <= 60.0);
        assert_eq!(clip_to("Frankfurt", 1.0, 13.0), "F…");
    }

    #[test]
    fn other_scripts_are_measured_not_split_inside_a_character() {
        let lines = fit_lines("Сервер базы данных Москва", LEAF_ROOM, 13.0, 2);
        assert_eq!(lines.len(), 2);
        let wide = fit_lines("数据库服务器上海数据中心主节点备份", LEAF_ROOM, 13.0, 2);
        assert!(wide.iter().all(|l| text_width(l, 13.0) <= LEAF_ROOM));
        assert!(wide[1].ends_with('…'));
    }

    #[test]
    fn narrow_letters_take_less_room_than_wide_ones() {
        assert!(text_width("illi", 13.0) < text_width("MWMW", 13.0) / 2.0);
    }
}
