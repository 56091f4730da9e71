//! The AWS root module: `versions.tf` with one provider configuration per drawn region,
//! `main.tf` (locals, one KMS key per region that needs one), then one file per concern.

mod data;
mod edge;
mod kubernetes;
mod network;
mod s3;

use hcl::expr::Expression;
use hcl::Block;

use super::context::{Cx, Step};
use super::hcl::*;
use super::module::{ty, Concern, Module, Variable};
use super::plan::{Plan, ProviderPlan};
use super::sizing;

/// The provider versions the resources are written for: every argument is valid in both
/// 5.100 (checked by `terraform validate` with that provider, scripts/check-terraform.sh) and
/// 6.x (checked against `@cdktf/provider-aws` 21, generated from hashicorp/aws 6.x), so the
/// constraint admits both and nothing the checks did not see.
const PROVIDER_VERSION: &str = ">= 5.100, < 7.0";

pub(super) type Aws<'p, 'a> = Cx<'p, 'a>;

pub fn module(plan: &Plan, pp: &ProviderPlan) -> Module {
    let steps: [Step; 5] = [
        preamble,
        network::build,
        kubernetes::build,
        data::build,
        edge::build,
    ];
    super::context::write(plan, pp, "aws", &steps, finish)
}

impl Aws<'_, '_> {
    /// The ARN of the KMS key of node `i`'s region (made on first use).
    pub fn kms(&mut self, i: usize) -> Expression {
        let r = self.key_region(i);
        attr("aws_kms_key", &r, "arn")
    }
}

fn preamble(cx: &mut Aws) {
    let plan = cx.plan;
    cx.m.require("aws", "hashicorp/aws", PROVIDER_VERSION);
    // Only global services drawn: one configuration in us-east-1 for them.
    let aliases = cx.region_aliases(|n| n.code.clone(), "us-east-1");
    for (alias, code) in aliases {
        cx.m.versions(
            Block::builder("provider")
                .add_label("aws")
                .add_attribute(("alias", alias))
                .add_attribute(("region", code))
                .add_block(
                    Block::builder("default_tags")
                        .add_attribute(("tags", local("tags")))
                        .build(),
                )
                .build(),
        );
    }
    common_variables(&mut cx.m, plan);
}

fn finish(mut cx: Aws) -> Module {
    let keys = std::mem::take(&mut cx.keys);
    if !keys.is_empty() {
        caller_identity(&mut cx);
    }
    for r in keys {
        let code = cx
            .plan
            .nets
            .values()
            .find(|n| n.label == r)
            .map_or_else(|| "us-east-1".to_string(), |n| n.code.clone());
        cx.m.add(Concern::Main, key_policy(&r, &code));
        let key = resource("aws_kms_key", &r)
            .add_attribute(cx.provider_of_region(&r))
            .add_attribute((
                "description",
                format!("infracanvas: data at rest in region {r}"),
            ))
            .add_attribute(("enable_key_rotation", true))
            .add_attribute(("deletion_window_in_days", 30))
            .add_attribute((
                "policy",
                data_attr("aws_iam_policy_document", &format!("kms_{r}"), "json"),
            ))
            .build();
        cx.m.add(Concern::Main, key);
    }
    let ami = std::mem::take(&mut cx.images);
    for r in ami {
        let lookup = data("aws_ami", &format!("ubuntu_{r}"))
            .add_attribute(cx.provider_of_region(&r))
            .add_attribute(("most_recent", true))
            .add_attribute(("owners", strings(["099720109477"])))
            .add_block(nested(
                "filter",
                [
                    ("name", Expression::from("name")),
                    (
                        "values",
                        strings(["ubuntu/images/hvm-ssd*/ubuntu-noble-24.04-amd64-server-*"]),
                    ),
                ],
            ))
            .build();
        cx.m.add(Concern::Edge, lookup);
    }
    cx.m
}

/// `data.aws_caller_identity.current`, the account the module applies to (declared once).
pub(super) fn caller_identity(cx: &mut Aws) {
    if cx.m.has_data("aws_caller_identity", "current") {
        return;
    }
    let first = cx.first_region().unwrap_or_else(|| "global".into());
    cx.m.add(
        Concern::Main,
        data("aws_caller_identity", "current")
            .add_attribute(cx.provider_of_region(&first))
            .build(),
    );
}

/// The key's policy: the account administers it (the default policy), and CloudWatch Logs of
/// the key's region may use it for this account's log groups (VPC flow logs, EKS, MSK, WAF).
fn key_policy(region_label: &str, code: &str) -> Block {
    let account = "${data.aws_caller_identity.current.account_id}";
    let template =
        |s: String| Expression::TemplateExpr(Box::new(hcl::expr::TemplateExpr::QuotedString(s)));
    let principals = |kind: &str, who: Expression| {
        nested(
            "principals",
            [
                ("type", Expression::from(kind)),
                ("identifiers", Expression::Array(vec![who])),
            ],
        )
    };
    data("aws_iam_policy_document", &format!("kms_{region_label}"))
        .add_block(
            Block::builder("statement")
                .add_attribute(("sid", "AccountAdministersTheKey"))
                .add_attribute(("actions", strings(["kms:*"])))
                // In a key policy `*` means this key.
                .add_attribute(("resources", strings(["*"])))
                .add_block(principals(
                    "AWS",
                    template(format!("arn:aws:iam::{account}:root")),
                ))
                .build(),
        )
        .add_block(
            Block::builder("statement")
                .add_attribute(("sid", "CloudWatchLogsEncrypt"))
                .add_attribute((
                    "actions",
                    strings([
                        "kms:Encrypt*",
                        "kms:Decrypt*",
                        "kms:ReEncrypt*",
                        "kms:GenerateDataKey*",
                        "kms:Describe*",
                    ]),
                ))
                .add_attribute(("resources", strings(["*"])))
                .add_block(principals(
                    "Service",
                    Expression::from(format!("logs.{code}.amazonaws.com")),
                ))
                .add_block(nested(
                    "condition",
                    [
                        ("test", Expression::from("ArnLike")),
                        (
                            "variable",
                            Expression::from("kms:EncryptionContext:aws:logs:arn"),
                        ),
                        (
                            "values",
                            // The region code is design text: an argument, never template text.
                            Expression::Array(vec![call(
                                "format",
                                vec![
                                    "arn:aws:logs:%s:%s:*".into(),
                                    code.into(),
                                    data_attr("aws_caller_identity", "current", "account_id"),
                                ],
                            )]),
                        ),
                    ],
                ))
                .build(),
        )
        .build()
}

/// `project`, `environment` and `tags`, the locals built from them, and one tfvars file per
/// environment of the design.
pub(super) fn common_variables(m: &mut Module, plan: &Plan) {
    m.string_variable(
        "project",
        "Short project name, the first part of every cloud-side name",
        Some(&plan.project()),
    );
    m.variable(
        "environment",
        Variable {
            ty: ty("string"),
            description:
                "The environment this workspace deploys (one tfvars file each under environments/)"
                    .into(),
            default: Some(plan.default_environment().into()),
            sensitive: false,
        },
    );
    m.variable(
        "tags",
        Variable {
            ty: call("map", vec![ty("string")]),
            description: "Extra tags or labels for every resource".into(),
            default: Some(Expression::Object(Default::default())),
            sensitive: false,
        },
    );
    m.add(
        Concern::Main,
        Block::builder("locals")
            .add_attribute((
                "name",
                Expression::TemplateExpr(Box::new(hcl::expr::TemplateExpr::QuotedString(
                    "${var.project}-${var.environment}".into(),
                ))),
            ))
            .add_attribute((
                "tags",
                call(
                    "merge",
                    vec![
                        var("tags"),
                        object([
                            ("project", var("project")),
                            ("environment", var("environment")),
                            ("managed-by", Expression::from("infracanvas")),
                        ]),
                    ],
                ),
            ))
            .build(),
    );
    for env in sizing::environments(plan) {
        m.env_value(&env, "environment", env.clone().into());
    }
}
