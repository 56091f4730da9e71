//! The `=` alignment of `terraform fmt`, which `hcl-rs`'s formatter does not do.
//!
//! Terraform (hclwrite's `formatCells`) pads the key of every attribute line in a run of
//! consecutive attribute lines so that their `=` signs line up one space after the longest key.
//! A line counts as an attribute line when it has an `=` after its first token and the
//! expression after it closes every bracket it opens (a line such as `tags = {` starts a
//! multi-line value and ends the run, as does any line without an `=`). Runs never span
//! indentation levels: getting into or out of a nested level takes a line that opens or closes a
//! bracket. `scripts/check-terraform.sh` checks the result with `terraform fmt -check`.

/// Realigns the `=` of consecutive single-line attributes, and writes empty blocks as `{}`.
pub fn align(text: &str) -> String {
    let lines: Vec<String> = text
        .split('\n')
        .map(|l| space_object_for(&empty_block(l)))
        .collect();
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let cells: Vec<Option<(usize, usize)>> = lines.iter().map(|l| assignment(l)).collect();
    let mut out = String::with_capacity(text.len() + 256);
    let mut i = 0;
    while i < lines.len() {
        if cells[i].is_none() {
            out.push_str(lines[i]);
            out.push('\n');
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && cells[i].is_some() {
            i += 1;
        }
        let width = lines[start..i]
            .iter()
            .zip(&cells[start..i])
            .filter_map(|(line, cell)| cell.map(|(key_end, _)| display_width(&line[..key_end])))
            .max()
            .unwrap_or(0);
        for (line, cell) in lines[start..i].iter().zip(&cells[start..i]) {
            let (key_end, eq) = cell.expect("run of attribute lines");
            let key = &line[..key_end];
            out.push_str(key);
            let pad = width - display_width(key) + 1;
            out.extend(std::iter::repeat_n(' ', pad));
            out.push_str(&line[eq..]);
            out.push('\n');
        }
    }
    out.pop(); // the split added one line break too many
    out
}

/// `allow {    }` as `allow {}`: `hcl-rs` indents inside an empty block, Terraform does not.
fn empty_block(line: &str) -> String {
    let end = line.trim_end();
    if let Some(head) = end.strip_suffix('}') {
        let head = head.trim_end_matches(' ');
        if head.ends_with('{') && head.len() + 1 < end.len() {
            return format!("{head}}}");
        }
    }
    line.to_string()
}

/// `{for o in x : k => o}` as `{ for o in x : k => o }`: Terraform pads an object `for`
/// expression inside its braces, `hcl-rs` does not.
fn space_object_for(line: &str) -> String {
    let Some(start) = line.find("{for ") else {
        return line.to_string();
    };
    let bytes = line.as_bytes();
    let (mut depth, mut in_string, mut end) = (0i32, false, None);
    let mut i = start;
    while i < bytes.len() {
        match (in_string, bytes[i]) {
            (true, b'\\') => i += 1,
            (true, b'"') => in_string = false,
            (false, b'"') => in_string = true,
            (false, b'{') => depth += 1,
            (false, b'}') => {
                depth -= 1;
                if depth == 0 {
                    end = Some(i);
                    break;
                }
            }
            _ => {}
        }
        i += 1;
    }
    match end {
        Some(end) => format!(
            "{}{{ {} }}{}",
            &line[..start],
            &line[start + 1..end],
            space_object_for(&line[end + 1..])
        ),
        None => line.to_string(),
    }
}

/// Column width as Terraform counts it: one per character (our keys are ASCII identifiers or
/// quoted strings; a wide character in a quoted key would count as one, as hclwrite's
/// grapheme count does for most scripts).
fn display_width(s: &str) -> usize {
    s.chars().count()
}

/// For an attribute line `  key = value`: the end of the key (without trailing spaces) and the
/// byte index of the `=`, when the value opens no bracket it does not close.
fn assignment(line: &str) -> Option<(usize, usize)> {
    let trimmed = line.trim_start();
    if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("//") {
        return None;
    }
    let eq = first_equals(line)?;
    let key_end = line[..eq].trim_end().len();
    if key_end <= line.len() - trimmed.len() {
        return None; // nothing before the `=`
    }
    (net_brackets(&line[eq..]) == 0).then_some((key_end, eq))
}

/// The first `=` outside quoted strings that is not part of `==`, `!=`, `<=`, `>=` or `=>`.
fn first_equals(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'=' => {
                    let prev = i.checked_sub(1).map(|p| bytes[p]);
                    let next = bytes.get(i + 1).copied();
                    let operator = matches!(prev, Some(b'=' | b'!' | b'<' | b'>'))
                        || matches!(next, Some(b'=' | b'>'));
                    if !operator {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// Brackets opened minus brackets closed, outside quoted strings (interpolations inside a
/// string balance themselves).
fn net_brackets(s: &str) -> i32 {
    let mut net = 0;
    let mut in_string = false;
    let mut escaped = false;
    for c in s.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' | '(' => net += 1,
            '}' | ']' | ')' => net -= 1,
            _ => {}
        }
    }
    net
}

#[cfg(test)]
mod tests {
    use super::align;

    #[test]
    fn consecutive_attributes_line_up() {
        let text = "resource \"a\" \"b\" {\n  x = 1\n  long_name = \"v = w\"\n  tags = {\n    Name = \"n\"\n    A = 2\n  }\n  y = 3\n}\n";
        let want = "resource \"a\" \"b\" {\n  x         = 1\n  long_name = \"v = w\"\n  tags = {\n    Name = \"n\"\n    A    = 2\n  }\n  y = 3\n}\n";
        assert_eq!(align(text), want);
    }

    #[test]
    fn empty_blocks_close_on_the_same_line() {
        assert_eq!(
            align("a {\n  allow {    }\n  x = \"{ }\"\n}"),
            "a {\n  allow {}\n  x = \"{ }\"\n}"
        );
    }

    #[test]
    fn object_for_expressions_are_padded() {
        assert_eq!(
            align("x = {for o in a : o.k => \"}\"}"),
            "x = { for o in a : o.k => \"}\" }"
        );
        assert_eq!(align("y = [for r in a : r.f]"), "y = [for r in a : r.f]");
    }

    #[test]
    fn operators_and_blank_lines_are_left_alone() {
        let text = "a = b == c\n\nlonger = 1\nx = \"{\"\n";
        assert_eq!(align(text), "a = b == c\n\nlonger = 1\nx      = \"{\"\n");
    }
}
