//! AWS Kubernetes: per managed cluster an EKS control plane (private endpoint, secrets
//! encrypted with the region's KMS key, every control-plane log kept a year) and one managed
//! node group sized per environment through `var.node_groups`.

use hcl::expr::Expression;
use hcl::Block;

use super::super::hcl::*;
use super::super::module::{tags, Concern};
use super::super::sizing;
use super::Aws;
use crate::model::NodeSpec;

const CLUSTER_LOGS: [&str; 5] = [
    "api",
    "audit",
    "authenticator",
    "controllerManager",
    "scheduler",
];
const NODE_POLICIES: [&str; 3] = [
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
];

pub(super) fn build(cx: &mut Aws) {
    let plan = cx.plan;
    let clusters = plan.nodes_of(cx.pp, crate::model::Kind::KubernetesCluster);
    let mut sized = Vec::new();
    for c in clusters {
        let NodeSpec::KubernetesCluster(props) = &plan.g.node(c).spec else {
            continue;
        };
        if !props.managed {
            cx.m.notes.push(format!(
                "Kubernetes cluster {}: self-managed, so no EKS cluster is made.",
                plan.ascii_name(c)
            ));
            continue;
        }
        if plan.net_of(c).is_none() {
            cx.m.notes.push(format!(
                "Kubernetes cluster {}: in no region, so it has no network; not made.",
                plan.ascii_name(c)
            ));
            continue;
        }
        cluster(cx, c, &props.version, &props.zones);
        sized.push(c);
    }
    node_group_sizes(cx, &sized);
}

fn cluster(cx: &mut Aws, c: usize, version: &str, zones: &[String]) {
    let label = cx.label(c);
    let name = label.replace('_', "-");
    let p = cx.provider(c);
    let kms = cx.kms(c);
    service_role(cx, "eks_cluster", "eks.amazonaws.com");
    service_role(cx, "eks_nodes", "ec2.amazonaws.com");
    attach(
        cx,
        "eks_cluster",
        &["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"],
    );
    attach(cx, "eks_nodes", &NODE_POLICIES);
    let log_group = format!("{label}_eks");
    cx.m.add(
        Concern::Kubernetes,
        resource("aws_cloudwatch_log_group", &log_group)
            .add_attribute(p.clone())
            // The name EKS writes to; made here first so that retention and the key apply.
            .add_attribute((
                "name",
                template(format!("/aws/eks/${{local.name}}-{name}/cluster")),
            ))
            .add_attribute(("retention_in_days", 365))
            .add_attribute(("kms_key_id", kms.clone()))
            .build(),
    );
    let subnets: Vec<Expression> = cx
        .plan
        .subnet_pieces(c, false, zones)
        .iter()
        .map(|s| attr("aws_subnet", s, "id"))
        .collect();
    let mut b = resource("aws_eks_cluster", &label)
        .add_attribute(p.clone())
        .add_attribute(("name", prefixed(&name)))
        .add_attribute(("role_arn", attr("aws_iam_role", "eks_cluster", "arn")));
    if !version.is_empty() {
        b = b.add_attribute(("version", version));
    }
    let b = b
        .add_attribute(("enabled_cluster_log_types", strings(CLUSTER_LOGS)))
        .add_block(
            Block::builder("vpc_config")
                .add_attribute(("subnet_ids", Expression::Array(subnets.clone())))
                // The API is reached from inside the VPC (or over the VPN), never the internet.
                .add_attribute(("endpoint_private_access", true))
                .add_attribute(("endpoint_public_access", false))
                .build(),
        )
        .add_block(
            Block::builder("encryption_config")
                .add_attribute(("resources", strings(["secrets"])))
                .add_block(nested("provider", [("key_arn", kms)]))
                .build(),
        )
        .add_attribute(("tags", tags(prefixed(&name))))
        .add_attribute((
            "depends_on",
            Expression::Array(vec![
                reference("aws_iam_role_policy_attachment", &["eks_cluster"]),
                reference("aws_cloudwatch_log_group", &[&log_group]),
            ]),
        ))
        .build();
    cx.m.add(Concern::Kubernetes, b);
    let sizes = |f: &str| var_entry("node_groups", &label, f);
    cx.m.add(
        Concern::Kubernetes,
        resource("aws_eks_node_group", &label)
            .add_attribute(p)
            .add_attribute(("cluster_name", attr("aws_eks_cluster", &label, "name")))
            .add_attribute(("node_group_name", cloud_name(&format!("{name}-nodes"))))
            .add_attribute(("node_role_arn", attr("aws_iam_role", "eks_nodes", "arn")))
            .add_attribute(("subnet_ids", Expression::Array(subnets)))
            .add_attribute((
                "instance_types",
                Expression::Array(vec![sizes("instance_type")]),
            ))
            .add_block(nested(
                "scaling_config",
                [
                    ("desired_size", sizes("desired_size")),
                    ("min_size", sizes("min_size")),
                    ("max_size", sizes("max_size")),
                ],
            ))
            .add_block(nested(
                "update_config",
                [("max_unavailable", Expression::from(1))],
            ))
            .add_attribute(("tags", tags(prefixed(&format!("{name}-nodes")))))
            .add_attribute((
                "depends_on",
                Expression::Array(vec![reference(
                    "aws_iam_role_policy_attachment",
                    &["eks_nodes"],
                )]),
            ))
            .build(),
    );
    cx.m.output(
        &format!("{label}_cluster_name"),
        attr("aws_eks_cluster", &label, "name"),
        &format!("EKS cluster of {}", cx.plan.ascii_name(c)),
    );
}

/// An IAM role that the AWS service `principal` assumes, made once per module.
pub(super) fn service_role(cx: &mut Aws, label: &str, principal: &str) {
    if cx.m.has_resource("aws_iam_role", label) {
        return;
    }
    let first = cx.region_label(cx.pp.node);
    cx.m.add(
        Concern::Main,
        data("aws_iam_policy_document", &format!("assume_{label}"))
            .add_block(
                Block::builder("statement")
                    .add_attribute(("actions", strings(["sts:AssumeRole"])))
                    .add_block(nested(
                        "principals",
                        [
                            ("type", Expression::from("Service")),
                            ("identifiers", strings([principal])),
                        ],
                    ))
                    .build(),
            )
            .build(),
    );
    cx.m.add(
        Concern::Main,
        resource("aws_iam_role", label)
            .add_attribute(cx.provider_of_region(&first))
            .add_attribute(("name", cloud_name(&label.replace('_', "-"))))
            .add_attribute((
                "assume_role_policy",
                data_attr(
                    "aws_iam_policy_document",
                    &format!("assume_{label}"),
                    "json",
                ),
            ))
            .build(),
    );
}

/// AWS-managed policies for a role, one attachment per policy (`for_each`), made once.
pub(super) fn attach(cx: &mut Aws, role: &str, policies: &[&str]) {
    if cx.m.has_resource("aws_iam_role_policy_attachment", role) {
        return;
    }
    let first = cx.region_label(cx.pp.node);
    cx.m.add(
        Concern::Main,
        resource("aws_iam_role_policy_attachment", role)
            .add_attribute(cx.provider_of_region(&first))
            .add_attribute(("for_each", call("toset", vec![strings(policies)])))
            .add_attribute(("role", attr("aws_iam_role", role, "name")))
            .add_attribute(("policy_arn", reference("each", &["value"])))
            .build(),
    );
}

/// `var.node_groups` for the EKS clusters: instance type, then node counts.
fn node_group_sizes(cx: &mut Aws, clusters: &[usize]) {
    let labelled: Vec<(usize, String)> = clusters.iter().map(|&c| (c, cx.label(c))).collect();
    sizing::node_groups_variable(
        &mut cx.m,
        cx.plan,
        &labelled,
        &[("instance_type", "string")],
        |production| {
            vec![Expression::from(if production {
                "m6i.large"
            } else {
                "t3.large"
            })]
        },
        "EKS",
    );
}
