//! Small builders over `hcl-rs` for what every Terraform file needs: references
//! (`aws_vpc.main.id`), `var.x`, interpolated names, resource and nested blocks. The HCL text
//! itself is always written by `hcl-rs`; nothing here assembles HCL as strings.

use hcl::expr::{Expression, FuncCall, ObjectKey, TemplateExpr, Traversal, Variable};
use hcl::{Block, BlockBuilder, Body, Structure};

/// A reference `root.a.b…` (a resource attribute, `var.x`, `local.tags`, `data.t.l.id`).
pub fn reference(root: &str, attrs: &[&str]) -> Expression {
    let mut t = Traversal::builder(Variable::unchecked(root));
    for a in attrs {
        t = t.attr(*a);
    }
    t.build().into()
}

/// `type.label.attr`, the usual reference to another resource's attribute.
pub fn attr(rtype: &str, label: &str, attr: &str) -> Expression {
    reference(rtype, &[label, attr])
}

/// `data.type.label.attr`.
pub fn data_attr(dtype: &str, label: &str, attr: &str) -> Expression {
    reference("data", &[dtype, label, attr])
}

/// `var.name`.
pub fn var(name: &str) -> Expression {
    reference("var", &[name])
}

/// `var.map["key"].field`: one entry of a map-of-objects variable.
pub fn var_entry(name: &str, key: &str, field: &str) -> Expression {
    Traversal::builder(Variable::unchecked("var"))
        .attr(name)
        .index(Expression::String(key.to_string()))
        .attr(field)
        .build()
        .into()
}

/// `local.name`.
pub fn local(name: &str) -> Expression {
    reference("local", &[name])
}

/// `"${local.name}-<suffix>"`: a cloud-side name, unique per project and environment. The
/// suffix comes from the safe-name function (`[a-z0-9-]`), so it cannot start an interpolation.
pub fn prefixed(suffix: &str) -> Expression {
    debug_assert!(suffix.bytes().all(|b| b.is_ascii_alphanumeric()
        || b == b'-'
        || b == b'_'
        || b == b'/'
        || b == b'.'));
    Expression::TemplateExpr(Box::new(TemplateExpr::QuotedString(format!(
        "${{local.name}}-{suffix}"
    ))))
}

/// `prefixed(suffix)` cut to `max` characters, never ending on a dash: cloud names have
/// length limits (ALB 32, ElastiCache 40, RDS and buckets 63).
pub fn limited(suffix: &str, max: u32) -> Expression {
    call(
        "trimsuffix",
        vec![
            call("substr", vec![prefixed(suffix), 0.into(), max.into()]),
            "-".into(),
        ],
    )
}

/// A cloud-side name of at most 63 characters (Yandex names, EKS node groups, IAM roles).
pub fn cloud_name(suffix: &str) -> Expression {
    limited(suffix, 63)
}

/// A quoted template with interpolations, e.g. `"/aws/eks/${local.name}-x/cluster"`; the
/// literal parts come from safe names only.
pub fn template(text: String) -> Expression {
    Expression::TemplateExpr(Box::new(TemplateExpr::QuotedString(text)))
}

/// A function call `name(args…)`.
pub fn call(name: &str, args: Vec<Expression>) -> Expression {
    let mut f = FuncCall::builder(name);
    for a in args {
        f = f.arg(a);
    }
    f.build().into()
}

/// An object with identifier keys, in the order given.
pub fn object<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Expression)>) -> Expression {
    Expression::Object(
        pairs
            .into_iter()
            .map(|(k, v)| {
                (
                    ObjectKey::Identifier(hcl::Identifier::sanitized(k.into())),
                    v,
                )
            })
            .collect(),
    )
}

/// A list of plain strings.
pub fn strings<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Expression {
    Expression::Array(
        items
            .into_iter()
            .map(|s| Expression::String(s.as_ref().to_string()))
            .collect(),
    )
}

/// `resource "type" "label" { … }`.
pub fn resource(rtype: &str, label: &str) -> BlockBuilder {
    Block::builder("resource").add_label(rtype).add_label(label)
}

/// `data "type" "label" { … }`.
pub fn data(dtype: &str, label: &str) -> BlockBuilder {
    Block::builder("data").add_label(dtype).add_label(label)
}

/// A nested block with attributes only, e.g. `scaling_config { … }`.
pub fn nested<K: Into<String>>(
    ident: &str,
    attrs: impl IntoIterator<Item = (K, Expression)>,
) -> Block {
    let mut b = Block::builder(ident);
    for (k, v) in attrs {
        b = b.add_attribute((hcl::Identifier::sanitized(k.into()), v));
    }
    b.build()
}

/// An empty nested block, e.g. `allow {}`.
pub fn empty(ident: &str) -> Block {
    Block::builder(ident).build()
}

/// Formats a body as Terraform writes it: `hcl-rs` prints it, then [`super::fmt::align`]
/// lines up the `=` of consecutive attributes, the one rule of `terraform fmt` that the
/// formatter does not apply.
pub fn to_text(structures: Vec<Structure>) -> String {
    let body = Body::from(structures);
    let mut buf = Vec::new();
    let mut f = hcl::format::Formatter::builder()
        .prefer_ident_keys(true)
        .build(&mut buf);
    // Formatting plain data into memory cannot fail.
    let text = hcl::format::Format::format_string(&body, &mut f).unwrap_or_default();
    super::fmt::align(&text)
}
