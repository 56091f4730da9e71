//! Yandex Managed Service for Kubernetes: per managed cluster a service account pair with
//! their folder roles, a master without a public address (regional across three zones when the
//! cluster spans three, zonal otherwise) with secrets encrypted by the region's KMS key and its
//! logs on, and a node group sized per environment through `var.node_groups`.

use hcl::expr::Expression;
use hcl::Block;

use super::super::hcl::*;
use super::super::module::Concern;
use super::super::sizing;
use super::network::sg_id;
use super::Yc;
use crate::model::*;

const CLUSTER_ROLES: [&str; 4] = [
    "k8s.clusters.agent",
    "vpc.publicAdmin",
    "load-balancer.admin",
    "logging.writer",
];
const NODE_ROLES: [&str; 1] = ["container-registry.images.puller"];

pub(super) fn build(cx: &mut Yc) {
    let plan = cx.plan;
    // Cloud Logging groups first: the clusters they observe write their master logs there.
    for l in plan.nodes_of(cx.pp, Kind::Logging) {
        let label = cx.label(l);
        cx.m.add(
            Concern::Kubernetes,
            resource("yandex_logging_group", &label)
                .add_attribute(cx.provider(l))
                .add_attribute(("name", cloud_name(&label.replace('_', "-"))))
                .add_attribute(("folder_id", var("folder_id")))
                .add_attribute(("retention_period", "720h"))
                .add_attribute(cx.labels())
                .build(),
        );
    }
    let mut sized = Vec::new();
    for c in plan.nodes_of(cx.pp, Kind::KubernetesCluster) {
        let NodeSpec::KubernetesCluster(props) = &plan.g.node(c).spec else {
            continue;
        };
        if !props.managed || plan.net_of(c).is_none() {
            cx.m.notes.push(format!(
                "Kubernetes cluster {}: self-managed or in no region; not made.",
                plan.ascii_name(c)
            ));
            continue;
        }
        cluster(cx, c, props);
        sized.push(c);
    }
    node_group_sizes(cx, &sized);
}

/// A service account with folder roles, one membership per role.
fn account(cx: &mut Yc, c: usize, label: &str, roles: &[&str]) {
    cx.m.add(
        Concern::Kubernetes,
        resource("yandex_iam_service_account", label)
            .add_attribute(cx.provider(c))
            .add_attribute(("name", cloud_name(&label.replace('_', "-"))))
            .build(),
    );
    cx.m.add(
        Concern::Kubernetes,
        resource("yandex_resourcemanager_folder_iam_member", label)
            .add_attribute(cx.provider(c))
            .add_attribute(("for_each", call("toset", vec![strings(roles)])))
            .add_attribute(("folder_id", var("folder_id")))
            .add_attribute(("role", reference("each", &["value"])))
            .add_attribute((
                "member",
                template(format!(
                    "serviceAccount:${{yandex_iam_service_account.{label}.id}}"
                )),
            ))
            .build(),
    );
}

/// The logging group that observes the cluster, if the design draws one in this provider.
fn log_group(cx: &Yc, c: usize) -> Option<String> {
    let g = &cx.plan.g;
    let mut groups: Vec<usize> = g
        .incoming_of(c, EdgeKind::Observes)
        .map(|(_, s)| s)
        .filter(|s| g.kind(*s) == Kind::Logging && cx.pp.labels.contains_key(s))
        .collect();
    groups.sort_by(|a, b| g.node(*a).id.cmp(&g.node(*b).id));
    groups.first().map(|&l| cx.label(l))
}

fn cluster(cx: &mut Yc, c: usize, props: &ClusterProps) {
    let label = cx.label(c);
    let name = label.replace('_', "-");
    let p = cx.provider(c);
    let key = cx.key_id(c);
    let (sa, nodes_sa) = (format!("{label}_cluster"), format!("{label}_nodes"));
    account(cx, c, &sa, &CLUSTER_ROLES);
    account(cx, c, &nodes_sa, &NODE_ROLES);
    let zones_of = cx.plan.zone_pieces(c, false, &props.zones);
    let rl = cx.region_label(c);
    let (pods, services) = super::network::cluster_ranges(cx);
    let mut master = Block::builder("master").add_attribute(("public_ip", false));
    if !props.version.is_empty() {
        master = master.add_attribute(("version", props.version.as_str()));
    }
    // The master has its own group; the nodes keep the cluster's (see network.rs).
    master = master.add_attribute((
        "security_group_ids",
        Expression::Array(vec![attr(
            "yandex_vpc_security_group",
            &format!("{label}_master"),
            "id",
        )]),
    ));
    if zones_of.len() == 3 {
        let mut regional = Block::builder("regional").add_attribute((
            "region",
            cx.plan
                .net_of(c)
                .map(|n| n.code.clone())
                .unwrap_or_default(),
        ));
        for (zone, subnet) in &zones_of {
            regional = regional.add_block(nested(
                "location",
                [
                    ("zone", Expression::from(zone.as_str())),
                    ("subnet_id", attr("yandex_vpc_subnet", subnet, "id")),
                ],
            ));
        }
        master = master.add_block(regional.build());
    } else if let Some((zone, subnet)) = zones_of.first() {
        master = master.add_block(nested(
            "zonal",
            [
                ("zone", Expression::from(zone.as_str())),
                ("subnet_id", attr("yandex_vpc_subnet", subnet, "id")),
            ],
        ));
    }
    let mut logging = Block::builder("master_logging").add_attribute(("enabled", true));
    match log_group(cx, c) {
        Some(l) => {
            logging =
                logging.add_attribute(("log_group_id", attr("yandex_logging_group", &l, "id")))
        }
        None => logging = logging.add_attribute(("folder_id", var("folder_id"))),
    }
    let logging = logging
        .add_attribute(("audit_enabled", true))
        .add_attribute(("cluster_autoscaler_enabled", true))
        .add_attribute(("events_enabled", true))
        .add_attribute(("kube_apiserver_enabled", true))
        .build();
    master = master
        .add_block(nested(
            "maintenance_policy",
            [("auto_upgrade", Expression::from(true))],
        ))
        .add_block(logging);
    let mut b = resource("yandex_kubernetes_cluster", &label)
        .add_attribute(p.clone())
        .add_attribute(("name", cloud_name(&name)))
        .add_attribute(("network_id", attr("yandex_vpc_network", &rl, "id")))
        .add_attribute(("cluster_ipv4_range", pods))
        .add_attribute(("service_ipv4_range", services))
        .add_block(master.build())
        .add_attribute((
            "service_account_id",
            attr("yandex_iam_service_account", &sa, "id"),
        ))
        .add_attribute((
            "node_service_account_id",
            attr("yandex_iam_service_account", &nodes_sa, "id"),
        ))
        .add_block(nested("kms_provider", [("key_id", key)]))
        .add_attribute(("release_channel", "STABLE"));
    if props.network_policies {
        b = b.add_attribute(("network_policy_provider", "CALICO"));
    }
    let b = b
        .add_attribute(cx.labels())
        .add_attribute((
            "depends_on",
            Expression::Array(vec![
                reference("yandex_resourcemanager_folder_iam_member", &[&sa]),
                reference("yandex_resourcemanager_folder_iam_member", &[&nodes_sa]),
            ]),
        ))
        .build();
    cx.m.add(Concern::Kubernetes, b);
    let size = |f: &str| var_entry("node_groups", &label, f);
    // Yandex autoscales a node group within one zone only: a group over several zones has
    // a fixed size (the environment's desired count).
    let scale = if zones_of.len() <= 1 {
        Block::builder("scale_policy")
            .add_block(nested(
                "auto_scale",
                [
                    ("min", size("min_size")),
                    ("max", size("max_size")),
                    ("initial", size("desired_size")),
                ],
            ))
            .build()
    } else {
        Block::builder("scale_policy")
            .add_block(nested("fixed_scale", [("size", size("desired_size"))]))
            .build()
    };
    let mut allocation = Block::builder("allocation_policy");
    for (zone, _) in &zones_of {
        allocation = allocation.add_block(nested(
            "location",
            [("zone", Expression::from(zone.as_str()))],
        ));
    }
    let mut group = resource("yandex_kubernetes_node_group", &label)
        .add_attribute(p)
        .add_attribute((
            "cluster_id",
            attr("yandex_kubernetes_cluster", &label, "id"),
        ))
        .add_attribute(("name", cloud_name(&format!("{name}-nodes"))));
    if !props.version.is_empty() {
        group = group.add_attribute(("version", props.version.as_str()));
    }
    let group = group
        .add_block(
            Block::builder("instance_template")
                .add_attribute(("platform_id", "standard-v3"))
                .add_block(nested(
                    "resources",
                    [("cores", size("cores")), ("memory", size("memory"))],
                ))
                .add_block(nested(
                    "boot_disk",
                    [
                        ("type", Expression::from("network-ssd")),
                        ("size", Expression::from(64)),
                    ],
                ))
                .add_block(nested(
                    "network_interface",
                    [
                        (
                            "subnet_ids",
                            Expression::Array(
                                zones_of
                                    .iter()
                                    .map(|(_, s)| attr("yandex_vpc_subnet", s, "id"))
                                    .collect(),
                            ),
                        ),
                        ("nat", Expression::from(false)),
                        ("security_group_ids", Expression::Array(vec![sg_id(cx, c)])),
                    ],
                ))
                .add_block(nested(
                    "container_runtime",
                    [("type", Expression::from("containerd"))],
                ))
                .build(),
        )
        .add_block(scale)
        .add_block(allocation.build())
        .add_attribute(cx.labels())
        .build();
    cx.m.add(Concern::Kubernetes, group);
    cx.m.output(
        &format!("{label}_cluster_id"),
        attr("yandex_kubernetes_cluster", &label, "id"),
        &format!("Managed Kubernetes cluster of {}", cx.plan.ascii_name(c)),
    );
}

/// `var.node_groups` for the Managed Kubernetes clusters: cores and memory (GB), then node
/// counts.
fn node_group_sizes(cx: &mut Yc, clusters: &[usize]) {
    let labelled: Vec<(usize, String)> = clusters.iter().map(|&c| (c, cx.label(c))).collect();
    sizing::node_groups_variable(
        &mut cx.m,
        cx.plan,
        &labelled,
        &[("cores", "number"), ("memory", "number")],
        |production| {
            let (cores, memory) = if production { (4, 16) } else { (2, 8) };
            vec![Expression::from(cores), Expression::from(memory)]
        },
        "Managed Kubernetes",
    );
}
