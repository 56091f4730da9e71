//! S3 buckets as AWS wants them hardened: public access blocked, encrypted, versioned, tidied
//! by a lifecycle rule; and one access-log bucket per region, made on first use, that
//! receives the S3 server access logs of the design's buckets and the balancers' access logs.

use hcl::expr::Expression;
use hcl::Block;

use super::super::hcl::*;
use super::super::module::{tags, Concern};
use super::Aws;

pub(super) enum Encryption {
    /// With the region's KMS key (the design's buckets).
    Kms(Expression),
    /// SSE-S3: what balancer access logs require of their bucket.
    S3,
}

/// A bucket `label` with its public access block, encryption, versioning and lifecycle rule;
/// `expire_days` > 0 deletes objects after that many days (logs).
pub(super) fn bucket(
    cx: &mut Aws,
    region: &str,
    label: &str,
    name: &str,
    encryption: Encryption,
    block_all: bool,
    expire_days: u32,
) {
    let prov = cx.provider_of_region(region);
    let id = attr("aws_s3_bucket", label, "id");
    cx.m.add(
        Concern::Data,
        resource("aws_s3_bucket", label)
            .add_attribute(prov.clone())
            // Bucket names are global across every AWS account: Terraform appends a unique
            // suffix to the prefix (at most 37 characters), so two workspaces or two teams with
            // the same project name never collide.
            .add_attribute((
                "bucket_prefix",
                call("format", vec!["%s-".into(), limited(name, 36)]),
            ))
            .add_attribute(("tags", tags(prefixed(name))))
            .build(),
    );
    cx.m.add(
        Concern::Data,
        resource("aws_s3_bucket_public_access_block", label)
            .add_attribute(prov.clone())
            .add_attribute(("bucket", id.clone()))
            .add_attribute(("block_public_acls", true))
            .add_attribute(("block_public_policy", block_all))
            .add_attribute(("ignore_public_acls", true))
            .add_attribute(("restrict_public_buckets", block_all))
            .build(),
    );
    let default = match encryption {
        Encryption::Kms(key) => nested(
            "apply_server_side_encryption_by_default",
            [
                ("sse_algorithm", Expression::from("aws:kms")),
                ("kms_master_key_id", key),
            ],
        ),
        Encryption::S3 => nested(
            "apply_server_side_encryption_by_default",
            [("sse_algorithm", Expression::from("AES256"))],
        ),
    };
    cx.m.add(
        Concern::Data,
        resource("aws_s3_bucket_server_side_encryption_configuration", label)
            .add_attribute(prov.clone())
            .add_attribute(("bucket", id.clone()))
            .add_block(
                Block::builder("rule")
                    .add_block(default)
                    .add_attribute(("bucket_key_enabled", true))
                    .build(),
            )
            .build(),
    );
    cx.m.add(
        Concern::Data,
        resource("aws_s3_bucket_versioning", label)
            .add_attribute(prov.clone())
            .add_attribute(("bucket", id.clone()))
            .add_block(nested(
                "versioning_configuration",
                [("status", Expression::from("Enabled"))],
            ))
            .build(),
    );
    let mut rule = Block::builder("rule")
        .add_attribute(("id", "tidy"))
        .add_attribute(("status", "Enabled"))
        .add_block(empty("filter"))
        .add_block(nested(
            "abort_incomplete_multipart_upload",
            [("days_after_initiation", Expression::from(7))],
        ))
        .add_block(nested(
            "noncurrent_version_expiration",
            [("noncurrent_days", Expression::from(90))],
        ));
    if expire_days > 0 {
        rule = rule.add_block(nested(
            "expiration",
            [("days", Expression::from(expire_days))],
        ));
    }
    cx.m.add(
        Concern::Data,
        resource("aws_s3_bucket_lifecycle_configuration", label)
            .add_attribute(prov)
            .add_attribute(("bucket", id))
            .add_block(rule.build())
            .build(),
    );
}

/// The access-log bucket of `region` (made once): logs kept a year, written by S3 server
/// access logging (under `s3/`) and by Elastic Load Balancing (under `alb/`). Returns its label.
pub(super) fn access_log_bucket(cx: &mut Aws, region: &str) -> String {
    let label = format!("{region}_access_logs");
    if cx.m.has_resource("aws_s3_bucket", &label) {
        return label;
    }
    let name = label.replace('_', "-");
    bucket(cx, region, &label, &name, Encryption::S3, true, 365);
    super::caller_identity(cx);
    let prov = cx.provider_of_region(region);
    cx.m.add(
        Concern::Data,
        resource("aws_s3_bucket_ownership_controls", &label)
            .add_attribute(prov.clone())
            .add_attribute(("bucket", attr("aws_s3_bucket", &label, "id")))
            .add_block(nested(
                "rule",
                [("object_ownership", Expression::from("BucketOwnerEnforced"))],
            ))
            .build(),
    );
    cx.m.add(
        Concern::Data,
        data("aws_elb_service_account", region)
            .add_attribute(prov.clone())
            .build(),
    );
    let principals = |kind: &str, who: Expression| {
        nested(
            "principals",
            [
                ("type", Expression::from(kind)),
                ("identifiers", Expression::Array(vec![who])),
            ],
        )
    };
    let objects = |prefix: &str| {
        Expression::Array(vec![template(format!(
            "${{aws_s3_bucket.{label}.arn}}/{prefix}/*"
        ))])
    };
    cx.m.add(
        Concern::Data,
        data("aws_iam_policy_document", &label)
            .add_block(
                Block::builder("statement")
                    .add_attribute(("sid", "BalancerAccessLogs"))
                    .add_attribute(("actions", strings(["s3:PutObject"])))
                    .add_attribute(("resources", objects("alb")))
                    .add_block(principals(
                        "AWS",
                        data_attr("aws_elb_service_account", region, "arn"),
                    ))
                    .build(),
            )
            .add_block(
                Block::builder("statement")
                    .add_attribute(("sid", "S3ServerAccessLogs"))
                    .add_attribute(("actions", strings(["s3:PutObject"])))
                    .add_attribute(("resources", objects("s3")))
                    .add_block(principals(
                        "Service",
                        Expression::from("logging.s3.amazonaws.com"),
                    ))
                    .add_block(nested(
                        "condition",
                        [
                            ("test", Expression::from("StringEquals")),
                            ("variable", Expression::from("aws:SourceAccount")),
                            (
                                "values",
                                Expression::Array(vec![data_attr(
                                    "aws_caller_identity",
                                    "current",
                                    "account_id",
                                )]),
                            ),
                        ],
                    ))
                    .build(),
            )
            .build(),
    );
    cx.m.add(
        Concern::Data,
        resource("aws_s3_bucket_policy", &label)
            .add_attribute(prov)
            .add_attribute(("bucket", attr("aws_s3_bucket", &label, "id")))
            .add_attribute((
                "policy",
                data_attr("aws_iam_policy_document", &label, "json"),
            ))
            .build(),
    );
    label
}
