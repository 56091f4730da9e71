//! Turns base objects (JSON) into Helm template text without ever letting a design string
//! become template code.
//!
//! A field lifted into values is first replaced in the object by a *slot token*, a plain word
//! no design string contains (`Slots::new` picks a prefix absent from every object). The object
//! is written as YAML with the export's own writer; then every `{{` of that text is escaped as
//! `{{ "{{" }}` (design strings land verbatim, whatever they hold), and only afterwards each line
//! `key: <token>` becomes `key: {{ toJson <expression> }}` (JSON is YAML flow syntax, so a map
//! or a list needs no indentation), optionally inside `{{- if … }}`. The label slot becomes
//! the chart's label helper.

use std::collections::HashMap;

use serde_json::Value;

use crate::export::yaml::to_yaml;

/// What a slot token becomes.
enum Slot {
    /// `key: {{ toJson expr }}`, only when `cond` is true (always when `None`).
    Value { cond: Option<String>, expr: String },
    /// The chart's labels (`_helpers.tpl`), at the token's indentation.
    Labels,
}

pub(crate) struct Slots {
    prefix: String,
    slots: Vec<Slot>,
}

impl Slots {
    /// Slots whose tokens appear in none of `objects`.
    pub(crate) fn new<'a>(objects: impl IntoIterator<Item = &'a Value>) -> Self {
        let text: String = objects.into_iter().map(|v| v.to_string()).collect();
        let mut k = 0u32;
        while text.contains(&format!("icslot{k}n")) {
            k += 1;
        }
        Slots {
            prefix: format!("icslot{k}n"),
            slots: Vec::new(),
        }
    }

    fn push(&mut self, slot: Slot) -> String {
        self.slots.push(slot);
        format!("{}{}", self.prefix, self.slots.len() - 1)
    }

    /// Always written: `key: {{ toJson expr }}`.
    pub(crate) fn value(&mut self, expr: impl Into<String>) -> Value {
        Value::String(self.push(Slot::Value {
            cond: None,
            expr: expr.into(),
        }))
    }

    /// Written only when `expr` is set (not empty, false or missing).
    pub(crate) fn optional(&mut self, expr: impl Into<String>) -> Value {
        let expr = expr.into();
        Value::String(self.push(Slot::Value {
            cond: Some(expr.clone()),
            expr,
        }))
    }

    /// Written only when `cond` holds.
    pub(crate) fn when(&mut self, cond: impl Into<String>, expr: impl Into<String>) -> Value {
        Value::String(self.push(Slot::Value {
            cond: Some(cond.into()),
            expr: expr.into(),
        }))
    }

    /// A map key that becomes the chart's labels.
    pub(crate) fn labels(&mut self) -> String {
        self.push(Slot::Labels)
    }

    /// One object as template text: `---`, its YAML with the slots filled, wrapped in
    /// `{{- if cond }}` when the object exists only under a condition.
    pub(crate) fn render(&self, object: &Value, cond: Option<&str>) -> String {
        let yaml = escape(&to_yaml(object));
        let by_token: HashMap<String, &Slot> = self
            .slots
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("{}{i}", self.prefix), s))
            .collect();
        let mut out = String::new();
        if let Some(c) = cond {
            out.push_str(&format!("{{{{- if {c} }}}}\n"));
        }
        out.push_str("---\n");
        for line in yaml.lines() {
            out.push_str(&self.fill(line, &by_token));
            out.push('\n');
        }
        if cond.is_some() {
            out.push_str("{{- end }}\n");
        }
        out
    }

    fn fill(&self, line: &str, by_token: &HashMap<String, &Slot>) -> String {
        let indent = line.len() - line.trim_start().len();
        let pad = &line[..indent];
        // The labels key: `<indent><token>: ''`.
        if let Some((key, _)) = line.trim_start().split_once(':') {
            if let Some(Slot::Labels) = by_token.get(key) {
                return format!("{{{{- include \"infracanvas.labels\" . | nindent {indent} }}}}");
            }
        }
        let Some((pre, scalar)) = line.rsplit_once(": ") else {
            return line.to_string();
        };
        let token = scalar.trim_matches(|c| c == '\'' || c == '"');
        let Some(Slot::Value { cond, expr }) = by_token.get(token) else {
            return line.to_string();
        };
        let field = format!("{}: {{{{ toJson {expr} }}}}", pre.trim_start());
        match cond {
            None => format!("{pad}{field}"),
            Some(c) => match field.strip_prefix("- ") {
                // The first key of a list item: the dash stays when the key goes.
                Some(rest) => format!(
                    "{{{{- if {c} }}}}\n{pad}- {rest}\n{{{{- else }}}}\n{pad}-\n{{{{- end }}}}"
                ),
                None => format!("{{{{- if {c} }}}}\n{pad}{field}\n{{{{- end }}}}"),
            },
        }
    }
}

/// Template text that prints `text` as it is: every `{{` becomes an action printing `{{`.
pub(crate) fn escape(text: &str) -> String {
    text.replace("{{", "{{ \"{{\" }}")
}

/// A Go template string literal (JSON's escapes are Go's).
pub(crate) fn go_string(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}
