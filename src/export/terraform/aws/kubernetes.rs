//! AWS Kubernetes: per managed cluster an EKS control plane (private endpoint reached from
//! `var.kubernetes_api_cidrs`, secrets encrypted with the region's KMS key, every control-plane
//! log kept a year, a Kubernetes version in EKS standard support), one managed node group sized
//! per environment through `var.node_groups`, and the EBS CSI driver add-on with its Pod
//! Identity role so that StatefulSet volumes bind. A cluster drawn for one environment exists
//! only in that environment's workspace (`count` on `var.environment`).

use hcl::expr::Expression;
use hcl::Block;

use super::super::hcl::*;
use super::super::module::{tags, ty, Concern, Variable};
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
/// The oldest Kubernetes minor in EKS standard support in December 2026 (the EKS version
/// calendar: 1.34's standard support ended on 2026-12-02, 1.35's ends on 2027-03-27). An older
/// drawn version is raised to it: older ones run on paid extended support and are upgraded
/// by AWS when that ends.
pub(super) const EKS_OLDEST_STANDARD: (u32, u32) = (1, 35);

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
    if !sized.is_empty() {
        api_access(cx, &sized);
    }
}

/// `major.minor` of a version text (`1.29`, `v1.29.3`).
fn minor_version(v: &str) -> Option<(u32, u32)> {
    let mut parts = v.trim().trim_start_matches('v').split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// The version written for a drawn one: kept when in standard support (or not a version we
/// can read, which EKS then refuses with its own message), raised to the oldest supported
/// one otherwise, with a note.
fn eks_version(cx: &mut Aws, c: usize, drawn: &str) -> String {
    match minor_version(drawn) {
        Some(v) if v < EKS_OLDEST_STANDARD => {
            let (major, minor) = EKS_OLDEST_STANDARD;
            cx.m.notes.push(format!(
                "Kubernetes cluster {}: drawn with {}, which is past EKS standard support (extended support costs extra per cluster hour and ends in a forced upgrade); written as {major}.{minor}, the oldest version in standard support in December 2026. Check the workloads against the API changes in between.",
                cx.plan.ascii_name(c),
                drawn.trim()
            ));
            format!("{major}.{minor}")
        }
        _ => drawn.trim().to_string(),
    }
}

/// `type.label[0].…` for a resource with `count`, `type.label.…` otherwise.
pub(super) fn counted(rtype: &str, label: &str, gated: bool, attrs: &[&str]) -> Expression {
    let mut t = hcl::expr::Traversal::builder(hcl::expr::Variable::unchecked(rtype)).attr(label);
    if gated {
        t = t.index(0u64);
    }
    for a in attrs {
        t = t.attr(*a);
    }
    t.build().into()
}

/// Who may reach the clusters' private API endpoints on 443: the ranges in
/// `var.kubernetes_api_cidrs` (no default: the team's VPN or bastion ranges, never the
/// internet). Without such a rule only the nodes reach it.
fn api_access(cx: &mut Aws, clusters: &[usize]) {
    cx.m.variable(
        "kubernetes_api_cidrs",
        Variable {
            ty: call("list", vec![ty("string")]),
            description: "Networks allowed to reach the EKS API on 443 (private endpoint): your VPN or bastion ranges".into(),
            default: None,
            sensitive: false,
        },
    );
    let mut example: Vec<Expression> = Vec::new();
    for &c in clusters {
        if let Some(net) = cx.plan.net_of(c) {
            let v = Expression::from(net.vpc.to_string());
            if !example.contains(&v) {
                example.push(v);
            }
        }
    }
    cx.m.example_value("kubernetes_api_cidrs", Expression::Array(example));
    for &c in clusters {
        let label = cx.label(c);
        let mut b = resource(
            "aws_vpc_security_group_ingress_rule",
            &format!("{label}_api"),
        )
        .add_attribute(cx.provider(c));
        let all = call("toset", vec![var("kubernetes_api_cidrs")]);
        // One rule per range; in another environment's workspace, none.
        let each = match sizing::environment_condition(cx.plan, &[c]) {
            Some(cond) => Expression::from(hcl::expr::Conditional::new(
                cond,
                all,
                call("toset", vec![Expression::Array(vec![])]),
            )),
            None => all,
        };
        b = b.add_attribute(("for_each", each));
        cx.m.add(
            Concern::Network,
            b.add_attribute(("security_group_id", super::network::sg_id(cx, c)))
            .add_attribute(("description", "Kubernetes API from the operators' networks"))
            .add_attribute(("ip_protocol", "tcp"))
            .add_attribute(("from_port", 443))
            .add_attribute(("to_port", 443))
            .add_attribute(("cidr_ipv4", reference("each", &["value"])))
            .build(),
        );
    }
}

fn cluster(cx: &mut Aws, c: usize, version: &str, zones: &[String]) {
    let label = cx.label(c);
    let name = label.replace('_', "-");
    let p = cx.provider(c);
    let kms = cx.kms(c);
    // A cluster drawn for one environment: made only in that environment's workspace.
    let count = sizing::environment_count(cx.plan, &[c]);
    let gated = count.is_some();
    let counted_block = |b: hcl::BlockBuilder| match &count {
        Some(n) => b.add_attribute(("count", n.clone())),
        None => b,
    };
    let version = eks_version(cx, c, version);
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
        counted_block(resource("aws_cloudwatch_log_group", &log_group).add_attribute(p.clone()))
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
    let mut b = counted_block(resource("aws_eks_cluster", &label).add_attribute(p.clone()))
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
        // Standard support only: no extended-support charges; AWS upgrades at its end.
        .add_block(nested(
            "upgrade_policy",
            [("support_type", Expression::from("STANDARD"))],
        ))
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
    let cluster_name = counted("aws_eks_cluster", &label, gated, &["name"]);
    let sizes = |f: &str| var_entry("node_groups", &label, f);
    cx.m.add(
        Concern::Kubernetes,
        counted_block(resource("aws_eks_node_group", &label).add_attribute(p.clone()))
            .add_attribute(("cluster_name", cluster_name.clone()))
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
    storage_driver(cx, c, &label, count.clone(), cluster_name.clone());
    let output = if gated {
        // Null in the workspaces of other environments.
        call(
            "one",
            vec![hcl::expr::Traversal::builder(hcl::expr::Variable::unchecked(
                "aws_eks_cluster",
            ))
            .attr(label.as_str())
            .full_splat()
            .attr("name")
            .build()
            .into()],
        )
    } else {
        cluster_name
    };
    cx.m.output(
        &format!("{label}_cluster_name"),
        output,
        &format!("EKS cluster of {}", cx.plan.ascii_name(c)),
    );
}

/// The EBS CSI driver as an EKS add-on, its controller's service account bound to an IAM role
/// through EKS Pod Identity (the agent is an add-on too): without it a PersistentVolumeClaim
/// (every StatefulSet's) stays Pending, as EKS ships no storage driver of its own.
fn storage_driver(
    cx: &mut Aws,
    c: usize,
    label: &str,
    count: Option<Expression>,
    cluster_name: Expression,
) {
    pod_identity_role(
        cx,
        "ebs_csi",
        "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
    );
    let p = cx.provider(c);
    let gated = |b: hcl::BlockBuilder| match &count {
        Some(n) => b.add_attribute(("count", n.clone())),
        None => b,
    };
    let agent = format!("{label}_pod_identity_agent");
    let nodes = reference("aws_eks_node_group", &[label]);
    cx.m.add(
        Concern::Kubernetes,
        gated(resource("aws_eks_addon", &agent).add_attribute(p.clone()))
            .add_attribute(("cluster_name", cluster_name.clone()))
            .add_attribute(("addon_name", "eks-pod-identity-agent"))
            .add_attribute(("depends_on", Expression::Array(vec![nodes.clone()])))
            .build(),
    );
    let association = format!("{label}_ebs_csi");
    cx.m.add(
        Concern::Kubernetes,
        gated(resource("aws_eks_pod_identity_association", &association).add_attribute(p.clone()))
            .add_attribute(("cluster_name", cluster_name.clone()))
            .add_attribute(("namespace", "kube-system"))
            .add_attribute(("service_account", "ebs-csi-controller-sa"))
            .add_attribute(("role_arn", attr("aws_iam_role", "ebs_csi", "arn")))
            .build(),
    );
    cx.m.add(
        Concern::Kubernetes,
        gated(resource("aws_eks_addon", &format!("{label}_ebs_csi")).add_attribute(p))
            .add_attribute(("cluster_name", cluster_name))
            .add_attribute(("addon_name", "aws-ebs-csi-driver"))
            .add_attribute((
                "depends_on",
                Expression::Array(vec![
                    nodes,
                    reference("aws_eks_addon", &[&agent]),
                    reference("aws_eks_pod_identity_association", &[&association]),
                ]),
            ))
            .build(),
    );
    if !cx.m.notes.iter().any(|n| n.starts_with("EBS CSI driver")) {
        cx.m.notes.push("EBS CSI driver: installed as an EKS add-on on every cluster, its controller bound to the `ebs_csi` role through EKS Pod Identity. EKS's default StorageClass (gp2) provisions through it; a gp3 StorageClass with `encrypted: \"true\"` is the operator's to add if wanted.".into());
    }
}

/// A role that pods of EKS Pod Identity assume (`pods.eks.amazonaws.com`, with session tags),
/// with one AWS-managed policy; made once per module.
fn pod_identity_role(cx: &mut Aws, label: &str, policy: &str) {
    if cx.m.has_resource("aws_iam_role", label) {
        return;
    }
    let first = cx.region_label(cx.pp.node);
    cx.m.add(
        Concern::Main,
        data("aws_iam_policy_document", &format!("assume_{label}"))
            .add_block(
                Block::builder("statement")
                    .add_attribute(("actions", strings(["sts:AssumeRole", "sts:TagSession"])))
                    .add_block(nested(
                        "principals",
                        [
                            ("type", Expression::from("Service")),
                            ("identifiers", strings(["pods.eks.amazonaws.com"])),
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
    attach(cx, label, &[policy]);
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
