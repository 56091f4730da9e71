//! Yandex Cloud network: a VPC network per region, subnets per zone, a NAT gateway with a route
//! table for the private subnets, and security groups with exactly the drawn ports (as separate
//! rules, so that groups may refer to each other without a cycle).

use hcl::expr::Expression;

use super::super::hcl::*;
use super::super::module::Concern;
use super::super::plan::{RegionNet, Rule, Source};
use super::Yc;
use crate::model::Kind;

/// Yandex's load-balancer health checks come from these ranges.
const HEALTH_CHECK_RANGES: [&str; 2] = ["198.18.235.0/24", "198.18.248.0/24"];

pub(super) fn build(cx: &mut Yc) {
    let plan = cx.plan;
    for r in &cx.pp.regions {
        if let Some(net) = plan.nets.get(r) {
            network(cx, net);
        }
    }
    security_groups(cx);
}

fn network(cx: &mut Yc, net: &RegionNet) {
    let rl = &net.label;
    let p = cx.provider_of_region(rl);
    let name = rl.replace('_', "-");
    cx.m.add(
        Concern::Network,
        resource("yandex_vpc_network", rl)
            .add_attribute(p.clone())
            .add_attribute(("name", cloud_name(&name)))
            .add_attribute(cx.labels())
            .build(),
    );
    let has_private = net.subnets.iter().any(|s| !s.public);
    if has_private {
        cx.m.add(
            Concern::Network,
            resource("yandex_vpc_gateway", rl)
                .add_attribute(p.clone())
                .add_attribute(("name", cloud_name(&format!("{name}-egress"))))
                .add_block(empty("shared_egress_gateway"))
                .build(),
        );
        cx.m.add(
            Concern::Network,
            resource("yandex_vpc_route_table", rl)
                .add_attribute(p.clone())
                .add_attribute(("name", cloud_name(&format!("{name}-private"))))
                .add_attribute(("network_id", attr("yandex_vpc_network", rl, "id")))
                .add_block(nested(
                    "static_route",
                    [
                        ("destination_prefix", Expression::from("0.0.0.0/0")),
                        ("gateway_id", attr("yandex_vpc_gateway", rl, "id")),
                    ],
                ))
                .add_blocks(vpn_routes(cx, net))
                .build(),
        );
    }
    for s in &net.subnets {
        for (zone, label, range) in &s.pieces {
            let mut b = resource("yandex_vpc_subnet", label)
                .add_attribute(p.clone())
                .add_attribute(("name", cloud_name(&label.replace('_', "-"))))
                .add_attribute(("zone", zone.as_str()))
                .add_attribute(("network_id", attr("yandex_vpc_network", rl, "id")))
                .add_attribute(("v4_cidr_blocks", strings([range.to_string()])));
            if !s.public {
                b = b.add_attribute(("route_table_id", attr("yandex_vpc_route_table", rl, "id")));
            }
            cx.m.add(Concern::Network, b.add_attribute(cx.labels()).build());
        }
    }
}

/// Traffic for the far end of each VPN tunnel goes to the VPN VM of this region.
fn vpn_routes(cx: &Yc, net: &RegionNet) -> Vec<hcl::Block> {
    cx.plan
        .vpn_routes(net.region)
        .into_iter()
        .filter_map(|(gw, peer)| {
            let address = cx.plan.vpn_address(gw)?;
            Some(nested(
                "static_route",
                [
                    ("destination_prefix", Expression::from(peer.to_string())),
                    ("next_hop_address", Expression::from(address)),
                ],
            ))
        })
        .collect()
}

pub(super) fn sg_id(cx: &Yc, owner: usize) -> Expression {
    attr("yandex_vpc_security_group", &cx.label(owner), "id")
}

fn security_groups(cx: &mut Yc) {
    let plan = cx.plan;
    let g = &plan.g;
    let mut owners: Vec<usize> = cx
        .pp
        .labels
        .keys()
        .copied()
        .filter(|&i| plan.sg_owner(i) == Some(i) && plan.net_of(i).is_some())
        .collect();
    owners.sort_by(|a, b| g.node(*a).id.cmp(&g.node(*b).id));
    for &o in &owners {
        let label = cx.label(o);
        let rl = cx.region_label(o);
        cx.m.add(
            Concern::Network,
            resource("yandex_vpc_security_group", &label)
                .add_attribute(cx.provider(o))
                .add_attribute(("name", cloud_name(&label.replace('_', "-"))))
                .add_attribute((
                    "description",
                    format!("{} {}", g.kind(o).label(), plan.ascii_name(o)),
                ))
                .add_attribute(("network_id", attr("yandex_vpc_network", &rl, "id")))
                .add_attribute(cx.labels())
                .build(),
        );
        if g.kind(o) == Kind::KubernetesCluster {
            cluster_rules(cx, o);
            master_group(cx, o);
        }
        if g.kind(o) == Kind::VpnGateway {
            // Packages for the VM (a group without egress rules lets nothing out).
            cx.m.add(
                Concern::Network,
                resource(
                    "yandex_vpc_security_group_rule",
                    &format!("{label}_to_internet_tcp_443"),
                )
                .add_attribute(cx.provider(o))
                .add_attribute(("security_group_binding", sg_id(cx, o)))
                .add_attribute(("direction", "egress"))
                .add_attribute(("description", "packages"))
                .add_attribute(("protocol", "TCP"))
                .add_attribute(("port", 443))
                .add_attribute(("v4_cidr_blocks", strings(["0.0.0.0/0"])))
                .build(),
            );
        }
    }
    let rules = plan.rules(cx.pp, |i| crate::export::engines::default_port(g, i));
    for rule in rules {
        if plan.net_of(rule.to).is_none() {
            continue;
        }
        let to = rule.to;
        add_rule(cx, to, "ingress", &rule, &rule.from);
        match rule.from {
            Source::Node(src) if g.kind(src) != Kind::KubernetesCluster => {
                add_rule(cx, src, "egress", &rule, &Source::Node(to));
            }
            Source::VpnPeer(_) => add_rule(cx, to, "egress", &rule, &rule.from.clone()),
            _ => {}
        }
    }
}

/// The pod and service ranges of the managed clusters: Yandex's defaults (10.112.0.0/16 pods,
/// 10.96.0.0/16 services) unless a drawn network overlaps them, then the first free pair of
/// a few alternatives. The cluster is given them explicitly, so its node group's rules and the
/// cluster agree.
pub(super) fn cluster_ranges(cx: &Yc) -> (String, String) {
    const PAIRS: [(&str, &str); 4] = [
        ("10.112.0.0/16", "10.96.0.0/16"),
        ("172.17.0.0/16", "172.18.0.0/16"),
        ("192.168.0.0/17", "192.168.128.0/17"),
        ("10.250.0.0/16", "10.251.0.0/16"),
    ];
    let overlaps = |c: &str| {
        let Some(a) = super::super::cidr::Cidr::parse(c) else {
            return true;
        };
        cx.plan.nets.values().any(|n| {
            let b = n.vpc;
            let p = a.prefix.min(b.prefix);
            let mask = if p == 0 { 0 } else { u32::MAX << (32 - u32::from(p)) };
            a.base & mask == b.base & mask
        })
    };
    PAIRS
        .iter()
        .find(|(pods, services)| !overlaps(pods) && !overlaps(services))
        .map_or((PAIRS[0].0.into(), PAIRS[0].1.into()), |(p, s)| {
            ((*p).into(), (*s).into())
        })
}

/// The master's own group (`<cluster>_master`): the API on 443 and 6443 from the nodes and
/// from `var.kubernetes_api_cidrs`, the balancers' health checks, and out to the nodes and
/// pods (webhooks, metrics-server). Yandex's documented rules for a cluster's group.
fn master_group(cx: &mut Yc, c: usize) {
    let label = cx.label(c);
    let master = format!("{label}_master");
    let rl = cx.region_label(c);
    cx.m.add(
        Concern::Network,
        resource("yandex_vpc_security_group", &master)
            .add_attribute(cx.provider(c))
            .add_attribute(("name", cloud_name(&master.replace('_', "-"))))
            .add_attribute((
                "description",
                format!("Kubernetes master {}", cx.plan.ascii_name(c)),
            ))
            .add_attribute(("network_id", attr("yandex_vpc_network", &rl, "id")))
            .add_attribute(cx.labels())
            .build(),
    );
    cx.m.variable(
        "kubernetes_api_cidrs",
        super::super::module::Variable {
            ty: call("list", vec![super::super::module::ty("string")]),
            description: "Networks allowed to reach the Kubernetes API on 443 and 6443: your VPN or bastion ranges".into(),
            default: None,
            sensitive: false,
        },
    );
    if let Some(net) = cx.plan.net_of(c) {
        cx.m.example_value(
            "kubernetes_api_cidrs",
            Expression::Array(vec![net.vpc.to_string().into()]),
        );
    }
    let (pods, services) = cluster_ranges(cx);
    let msg = attr("yandex_vpc_security_group", &master, "id");
    let nodes = sg_id(cx, c);
    let rule = |name: &str, direction: &str, description: &str| {
        resource("yandex_vpc_security_group_rule", &format!("{master}_{name}"))
            .add_attribute(cx.provider(c))
            .add_attribute(("security_group_binding", msg.clone()))
            .add_attribute(("direction", direction))
            .add_attribute(("description", description))
    };
    let mut rules = Vec::new();
    for port in [443, 6443] {
        rules.push(
            rule(&format!("from_nodes_{port}"), "ingress", "API from the nodes")
                .add_attribute(("protocol", "TCP"))
                .add_attribute(("port", port))
                .add_attribute(("security_group_id", nodes.clone()))
                .build(),
        );
        rules.push(
            rule(&format!("from_operators_{port}"), "ingress", "API from the operators")
                .add_attribute(("protocol", "TCP"))
                .add_attribute(("port", port))
                .add_attribute(("v4_cidr_blocks", var("kubernetes_api_cidrs")))
                .build(),
        );
    }
    rules.push(
        rule("health_checks", "ingress", "load balancer health checks")
            .add_attribute(("protocol", "TCP"))
            .add_attribute(("v4_cidr_blocks", strings(HEALTH_CHECK_RANGES)))
            .add_attribute(("from_port", 0))
            .add_attribute(("to_port", 65535))
            .build(),
    );
    rules.push(
        rule("to_nodes", "egress", "to the nodes (kubelet, webhooks)")
            .add_attribute(("protocol", "ANY"))
            .add_attribute(("security_group_id", nodes.clone()))
            .add_attribute(("from_port", 0))
            .add_attribute(("to_port", 65535))
            .build(),
    );
    rules.push(
        rule("to_pods", "egress", "to pods and services (metrics-server, webhooks)")
            .add_attribute(("protocol", "ANY"))
            .add_attribute(("v4_cidr_blocks", strings([pods, services])))
            .add_attribute(("from_port", 0))
            .add_attribute(("to_port", 65535))
            .build(),
    );
    for b in rules {
        cx.m.add(Concern::Network, b);
    }
}

/// What a managed Kubernetes cluster's nodes need (Yandex's documented rules for a node
/// group's group): each other (`self`), the master (its own group), the pod and service
/// ranges, the balancers' health checks, NodePorts from the internet where the cluster serves
/// it (the balancer keeps the client's address), ICMP from private ranges for diagnostics; and
/// out to registries and the cloud's APIs (egress is open: images and updates come from
/// outside).
fn cluster_rules(cx: &mut Yc, c: usize) {
    let label = cx.label(c);
    let sg = sg_id(cx, c);
    let (pods, services) = cluster_ranges(cx);
    let master = attr("yandex_vpc_security_group", &format!("{label}_master"), "id");
    let base = |name: &str, direction: &str, description: &str| {
        resource("yandex_vpc_security_group_rule", &format!("{label}_{name}"))
            .add_attribute(cx.provider(c))
            .add_attribute(("security_group_binding", sg.clone()))
            .add_attribute(("direction", direction))
            .add_attribute(("description", description))
    };
    let within = base("self", "ingress", "nodes and masters of the cluster")
        .add_attribute(("protocol", "ANY"))
        .add_attribute(("predefined_target", "self_security_group"))
        .add_attribute(("from_port", 0))
        .add_attribute(("to_port", 65535))
        .build();
    let checks = base("health_checks", "ingress", "load balancer health checks")
        .add_attribute(("protocol", "TCP"))
        .add_attribute(("v4_cidr_blocks", strings(HEALTH_CHECK_RANGES)))
        .add_attribute(("from_port", 0))
        .add_attribute(("to_port", 65535))
        .build();
    let out = base("egress", "egress", "images, updates and cloud APIs")
        .add_attribute(("protocol", "ANY"))
        .add_attribute(("v4_cidr_blocks", strings(["0.0.0.0/0"])))
        .add_attribute(("from_port", 0))
        .add_attribute(("to_port", 65535))
        .build();
    let from_master = base("from_master", "ingress", "the master (kubelet, webhooks)")
        .add_attribute(("protocol", "ANY"))
        .add_attribute(("security_group_id", master))
        .add_attribute(("from_port", 0))
        .add_attribute(("to_port", 65535))
        .build();
    let ranges = base("pods_services", "ingress", "pod and service ranges")
        .add_attribute(("protocol", "ANY"))
        .add_attribute(("v4_cidr_blocks", strings([pods, services])))
        .add_attribute(("from_port", 0))
        .add_attribute(("to_port", 65535))
        .build();
    let icmp = base("icmp", "ingress", "ICMP from private ranges (diagnostics)")
        .add_attribute(("protocol", "ICMP"))
        .add_attribute((
            "v4_cidr_blocks",
            strings(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]),
        ))
        .build();
    let mut all = vec![within, checks, out, from_master, ranges, icmp];
    if serves_internet(cx, c) {
        all.push(
            base("node_ports", "ingress", "NodePorts behind the network load balancer")
                .add_attribute(("protocol", "TCP"))
                .add_attribute(("v4_cidr_blocks", strings(["0.0.0.0/0"])))
                .add_attribute(("from_port", 30000))
                .add_attribute(("to_port", 32767))
                .build(),
        );
    }
    for b in all {
        cx.m.add(Concern::Network, b);
    }
}

/// Whether a balancer or router of this module sends traffic into cluster `c` (its NodePorts
/// then face the internet: the network load balancer keeps the client's address).
fn serves_internet(cx: &Yc, c: usize) -> bool {
    let g = &cx.plan.g;
    g.design.edges.iter().enumerate().any(|(e, edge)| {
        matches!(edge.kind(), crate::model::EdgeKind::Traffic | crate::model::EdgeKind::GeoRoute)
            && g.edge_ends(e).is_some_and(|(a, b)| {
                matches!(g.kind(a), Kind::LoadBalancer | Kind::GeoRouter)
                    && cx.pp.labels.contains_key(&a)
                    && (b == c || g.scope(b).cluster == Some(c))
            })
    })
}

fn source_key(cx: &Yc, s: &Source) -> String {
    match s {
        Source::Internet => "internet".into(),
        Source::Cdn => "cdn".into(),
        Source::Node(n) => cx.label(*n),
        Source::Cidr(c) => format!("net_{}", c.to_string().replace(['.', '/'], "_")),
        Source::VpnPeer(n) => format!("peer_{}", cx.label(*n)),
    }
}

/// One rule on `owner`'s group, `direction` to or from `other`.
fn add_rule(cx: &mut Yc, owner: usize, direction: &str, rule: &Rule, other: &Source) {
    let proto = if rule.udp { "UDP" } else { "TCP" };
    let word = if direction == "ingress" { "from" } else { "to" };
    let label = format!(
        "{}_{word}_{}_{}_{}",
        cx.label(owner),
        source_key(cx, other),
        proto.to_ascii_lowercase(),
        rule.port
    );
    let mut b = resource("yandex_vpc_security_group_rule", &label)
        .add_attribute(cx.provider(owner))
        .add_attribute(("security_group_binding", sg_id(cx, owner)))
        .add_attribute(("direction", direction))
        .add_attribute(("description", rule.description.as_str()))
        .add_attribute(("protocol", proto))
        .add_attribute(("port", rule.port));
    b = match other {
        // Yandex has no list of CDN addresses to narrow this to.
        Source::Internet | Source::Cdn => {
            b.add_attribute(("v4_cidr_blocks", strings(["0.0.0.0/0"])))
        }
        Source::Node(n) => b.add_attribute(("security_group_id", sg_id(cx, *n))),
        Source::Cidr(c) => b.add_attribute(("v4_cidr_blocks", strings([c.to_string()]))),
        Source::VpnPeer(_) => {
            let name = format!("{}_peer_cidr", cx.label(rule.to));
            super::super::vpn::peer_variable(&mut cx.m, &name);
            b.add_attribute(("v4_cidr_blocks", Expression::Array(vec![var(&name)])))
        }
    };
    cx.m.add(Concern::Network, b.build());
}
