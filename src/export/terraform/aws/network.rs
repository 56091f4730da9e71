//! AWS network: a VPC per region with its subnets split per zone, an internet gateway and one
//! NAT gateway per zone where a public subnet is drawn, route tables, VPC flow logs, and a
//! security group per balancer, managed store and VPN gateway with exactly the ports of the
//! drawn edges (least privilege: nothing else is opened, the default group is emptied).

use std::collections::BTreeMap;

use hcl::expr::Expression;
use hcl::Block;

use super::super::hcl::*;
use super::super::module::{tags, Concern};
use super::super::plan::{RegionNet, Rule, Source};
use super::Aws;
use crate::model::Kind;

pub(super) fn build(cx: &mut Aws) {
    let plan = cx.plan;
    for r in &cx.pp.regions {
        if let Some(net) = plan.nets.get(r) {
            vpc(cx, net);
        }
    }
    security_groups(cx);
}

fn vpc(cx: &mut Aws, net: &RegionNet) {
    let rl = &net.label;
    let p = cx.provider_of_region(rl);
    cx.m.add(
        Concern::Network,
        resource("aws_vpc", rl)
            .add_attribute(p.clone())
            .add_attribute(("cidr_block", net.vpc.to_string()))
            .add_attribute(("enable_dns_support", true))
            .add_attribute(("enable_dns_hostnames", true))
            .add_attribute(("tags", tags(prefixed(&rl.replace('_', "-")))))
            .build(),
    );
    // No rules: nothing may use the default group by accident.
    cx.m.add(
        Concern::Network,
        resource("aws_default_security_group", rl)
            .add_attribute(p.clone())
            .add_attribute(("vpc_id", attr("aws_vpc", rl, "id")))
            .build(),
    );
    flow_logs(cx, net);
    network_acls(cx, net);
    let mut public_by_zone: BTreeMap<&str, String> = BTreeMap::new();
    let mut private = Vec::new();
    for s in net.subnets.iter().filter(|s| s.public && s.node.is_none()) {
        cx.m.notes.push(format!(
            "Region {}: no public subnet is drawn, so {} (the top of the drawn private range) is split into public subnets, one per zone: they hold the internet gateway's route, the NAT gateways that give the private subnets (Kubernetes nodes pulling images and joining the cluster) their way out, the VPN VM's Elastic IP and internet-facing balancers.",
            net.code, s.range
        ));
    }
    for s in &net.subnets {
        // Kubernetes puts internet-facing Service balancers (the ingress controller's) in the
        // subnets tagged for them, internal ones in the others.
        let role = if s.public {
            "kubernetes.io/role/elb"
        } else {
            "kubernetes.io/role/internal-elb"
        };
        for (zone, label, range) in &s.pieces {
            cx.m.add(
                Concern::Network,
                resource("aws_subnet", label)
                    .add_attribute(p.clone())
                    .add_attribute(("vpc_id", attr("aws_vpc", rl, "id")))
                    .add_attribute(("cidr_block", range.to_string()))
                    .add_attribute(("availability_zone", zone.as_str()))
                    // Public subnets hold balancers and NAT gateways, which get their own
                    // addresses; instances never get one by default.
                    .add_attribute(("map_public_ip_on_launch", false))
                    .add_attribute((
                        "tags",
                        Expression::Object(
                            [
                                (
                                    hcl::ObjectKey::Identifier(hcl::Identifier::unchecked("Name")),
                                    prefixed(&label.replace('_', "-")),
                                ),
                                (
                                    hcl::ObjectKey::Expression(Expression::String(role.into())),
                                    Expression::from("1"),
                                ),
                            ]
                            .into_iter()
                            .collect(),
                        ),
                    ))
                    .build(),
            );
            if s.public {
                public_by_zone.entry(zone).or_insert_with(|| label.clone());
            } else {
                private.push((zone.as_str(), label.clone()));
            }
        }
    }
    if public_by_zone.is_empty() {
        cx.m.notes.push(format!(
            "Region {}: no public subnet is drawn, so no internet or NAT gateway is made; private subnets have no route out.",
            net.code
        ));
        // Still, the other cloud is reached through the VPN VM.
        if !cx.plan.vpn_routes(net.region).is_empty() {
            let rt = format!("{rl}_private");
            cx.m.add(
                Concern::Network,
                resource("aws_route_table", &rt)
                    .add_attribute(p.clone())
                    .add_attribute(("vpc_id", attr("aws_vpc", rl, "id")))
                    .add_attribute(("tags", tags(prefixed(&rt.replace('_', "-")))))
                    .build(),
            );
            vpn_routes(cx, net, &rt);
            for (_, label) in private {
                association(cx, &p, &label, &rt);
            }
        }
        return;
    }
    let igw = rl.to_string();
    cx.m.add(
        Concern::Network,
        resource("aws_internet_gateway", &igw)
            .add_attribute(p.clone())
            .add_attribute(("vpc_id", attr("aws_vpc", rl, "id")))
            .add_attribute(("tags", tags(prefixed(&rl.replace('_', "-")))))
            .build(),
    );
    let public_rt = format!("{rl}_public");
    cx.m.add(
        Concern::Network,
        resource("aws_route_table", &public_rt)
            .add_attribute(p.clone())
            .add_attribute(("vpc_id", attr("aws_vpc", rl, "id")))
            .add_block(nested(
                "route",
                [
                    ("cidr_block", Expression::from("0.0.0.0/0")),
                    ("gateway_id", attr("aws_internet_gateway", &igw, "id")),
                ],
            ))
            .add_attribute(("tags", tags(prefixed(&public_rt.replace('_', "-")))))
            .build(),
    );
    for s in net.subnets.iter().filter(|s| s.public) {
        for (_, label, _) in &s.pieces {
            association(cx, &p, label, &public_rt);
        }
    }
    // One NAT gateway per zone with a public subnet, so a zone's outage leaves the others
    // their way out.
    for public_label in public_by_zone.values() {
        let nat = format!("{public_label}_nat");
        cx.m.add(
            Concern::Network,
            resource("aws_eip", &nat)
                .add_attribute(p.clone())
                .add_attribute(("domain", "vpc"))
                .add_attribute(("tags", tags(prefixed(&nat.replace('_', "-")))))
                .build(),
        );
        cx.m.add(
            Concern::Network,
            resource("aws_nat_gateway", &nat)
                .add_attribute(p.clone())
                .add_attribute(("allocation_id", attr("aws_eip", &nat, "id")))
                .add_attribute(("subnet_id", attr("aws_subnet", public_label, "id")))
                .add_attribute(("tags", tags(prefixed(&nat.replace('_', "-")))))
                .add_attribute((
                    "depends_on",
                    Expression::Array(vec![reference("aws_internet_gateway", &[&igw])]),
                ))
                .build(),
        );
    }
    for (zone, label) in private {
        let nat_subnet = public_by_zone
            .get(zone)
            .or_else(|| public_by_zone.values().next())
            .expect("a public subnet exists");
        let rt = format!("{label}_rt");
        cx.m.add(
            Concern::Network,
            resource("aws_route_table", &rt)
                .add_attribute(p.clone())
                .add_attribute(("vpc_id", attr("aws_vpc", rl, "id")))
                .add_block(nested(
                    "route",
                    [
                        ("cidr_block", Expression::from("0.0.0.0/0")),
                        (
                            "nat_gateway_id",
                            attr("aws_nat_gateway", &format!("{nat_subnet}_nat"), "id"),
                        ),
                    ],
                ))
                .add_attribute(("tags", tags(prefixed(&rt.replace('_', "-")))))
                .build(),
        );
        vpn_routes(cx, net, &rt);
        association(cx, &p, &label, &rt);
    }
}

/// One network ACL per subnet tier (each drawn subnet, and the public subnets the plan adds):
/// a stateless second wall under the security groups. In: everything from this VPC and from
/// the design's other networks (other regions, the far ends of VPN tunnels), replies to the
/// subnet's own outbound connections (ephemeral ports), and in public subnets HTTP(S) and the
/// VPN tunnel's ports from anywhere. Out: everything (the security groups narrow it).
fn network_acls(cx: &mut Aws, net: &RegionNet) {
    let rl = &net.label;
    let p = cx.provider_of_region(rl);
    let mut others: Vec<String> = cx
        .plan
        .nets
        .values()
        .filter(|n| n.region != net.region)
        .map(|n| n.vpc.to_string())
        .collect();
    others.sort();
    others.dedup();
    others.retain(|c| *c != net.vpc.to_string());
    let vpn_ports: Vec<(u16, bool)> = {
        let g = &cx.plan.g;
        let mut ports = std::collections::BTreeSet::new();
        for (e, edge) in g.design.edges.iter().enumerate() {
            if let (crate::model::EdgeSpec::Vpn(v), Some((a, b))) = (&edge.spec, g.edge_ends(e)) {
                if [a, b].iter().any(|&n| g.scope(n).region == Some(net.region)) {
                    let product = super::super::plan::tunnel_product(g, a, b, &v.product);
                    ports.extend(super::super::plan::vpn_ports(product));
                }
            }
        }
        ports.into_iter().collect()
    };
    for (n, s) in net.subnets.iter().enumerate() {
        let label = match s.node {
            Some(node) => cx.label(node),
            None if s.public => format!("{rl}_public"),
            None => format!("{rl}_private_{n}"),
        };
        let rule = |no: u32, protocol: &str, cidr: &str, from: u16, to: u16| {
            Block::builder("ingress")
                .add_attribute(("rule_no", no))
                .add_attribute(("action", "allow"))
                .add_attribute(("protocol", protocol))
                .add_attribute(("cidr_block", cidr))
                .add_attribute(("from_port", from))
                .add_attribute(("to_port", to))
                .build()
        };
        let mut b = resource("aws_network_acl", &format!("{label}_acl"))
            .add_attribute(p.clone())
            .add_attribute(("vpc_id", attr("aws_vpc", rl, "id")))
            .add_attribute((
                "subnet_ids",
                Expression::Array(
                    s.pieces
                        .iter()
                        .map(|(_, l, _)| attr("aws_subnet", l, "id"))
                        .collect(),
                ),
            ))
            .add_block(rule(100, "-1", &net.vpc.to_string(), 0, 0));
        for (i, other) in others.iter().enumerate() {
            b = b.add_block(rule(110 + i as u32, "-1", other, 0, 0));
        }
        // Replies from anywhere to ephemeral ports (NAT gateways use 1024-65535), except RDP's
        // 3389, which nothing here serves.
        b = b
            .add_block(rule(400, "tcp", "0.0.0.0/0", 1024, 3388))
            .add_block(rule(401, "tcp", "0.0.0.0/0", 3390, 65535))
            .add_block(rule(410, "udp", "0.0.0.0/0", 1024, 3388))
            .add_block(rule(411, "udp", "0.0.0.0/0", 3390, 65535));
        if s.public {
            b = b
                .add_block(rule(300, "tcp", "0.0.0.0/0", 443, 443))
                .add_block(rule(310, "tcp", "0.0.0.0/0", 80, 80));
            for (i, (port, udp)) in vpn_ports.iter().enumerate() {
                b = b.add_block(rule(
                    320 + i as u32,
                    if *udp { "udp" } else { "tcp" },
                    "0.0.0.0/0",
                    *port,
                    *port,
                ));
            }
        }
        b = b.add_block(
            Block::builder("egress")
                .add_attribute(("rule_no", 100))
                .add_attribute(("action", "allow"))
                .add_attribute(("protocol", "-1"))
                .add_attribute(("cidr_block", "0.0.0.0/0"))
                .add_attribute(("from_port", 0))
                .add_attribute(("to_port", 0))
                .build(),
        );
        cx.m.add(
            Concern::Network,
            b.add_attribute(("tags", tags(prefixed(&label.replace('_', "-")))))
                .build(),
        );
    }
}

/// Traffic for the far end of each VPN tunnel goes to the VPN VM of this region.
fn vpn_routes(cx: &mut Aws, net: &RegionNet, rt: &str) {
    for (gw, peer) in cx.plan.vpn_routes(net.region) {
        let label = cx.label(gw);
        cx.m.add(
            Concern::Network,
            resource(
                "aws_route",
                &format!("{rt}_to_{}", peer.to_string().replace(['.', '/'], "_")),
            )
            .add_attribute(cx.provider_of_region(&net.label))
            .add_attribute(("route_table_id", attr("aws_route_table", rt, "id")))
            .add_attribute(("destination_cidr_block", peer.to_string()))
            .add_attribute((
                "network_interface_id",
                attr("aws_instance", &label, "primary_network_interface_id"),
            ))
            .build(),
        );
    }
}

fn association(cx: &mut Aws, p: &(&'static str, Expression), subnet: &str, rt: &str) {
    cx.m.add(
        Concern::Network,
        resource("aws_route_table_association", subnet)
            .add_attribute(p.clone())
            .add_attribute(("subnet_id", attr("aws_subnet", subnet, "id")))
            .add_attribute(("route_table_id", attr("aws_route_table", rt, "id")))
            .build(),
    );
}

/// Every flow in and out of the VPC to CloudWatch Logs, kept a year.
fn flow_logs(cx: &mut Aws, net: &RegionNet) {
    let rl = &net.label;
    let p = cx.provider_of_region(rl);
    let group = format!("{rl}_flow_logs");
    let kms = cx.kms(net.region);
    cx.m.add(
        Concern::Network,
        resource("aws_cloudwatch_log_group", &group)
            .add_attribute(p.clone())
            .add_attribute((
                "name",
                template(format!("/aws/vpc/${{local.name}}-{}", rl.replace('_', "-"))),
            ))
            .add_attribute(("retention_in_days", 365))
            .add_attribute(("kms_key_id", kms))
            .build(),
    );
    super::kubernetes::service_role(cx, "flow_logs", "vpc-flow-logs.amazonaws.com");
    cx.m.add(
        Concern::Network,
        data("aws_iam_policy_document", &group)
            .add_block(
                Block::builder("statement")
                    .add_attribute((
                        "actions",
                        strings([
                            "logs:CreateLogStream",
                            "logs:PutLogEvents",
                            "logs:DescribeLogStreams",
                        ]),
                    ))
                    .add_attribute((
                        "resources",
                        Expression::Array(vec![template(format!(
                            "${{aws_cloudwatch_log_group.{group}.arn}}:*"
                        ))]),
                    ))
                    .build(),
            )
            .build(),
    );
    cx.m.add(
        Concern::Network,
        resource("aws_iam_role_policy", &group)
            .add_attribute(cx.provider_of_region(rl))
            .add_attribute(("role", attr("aws_iam_role", "flow_logs", "id")))
            .add_attribute((
                "policy",
                data_attr("aws_iam_policy_document", &group, "json"),
            ))
            .build(),
    );
    cx.m.add(
        Concern::Network,
        resource("aws_flow_log", rl)
            .add_attribute(p)
            .add_attribute(("vpc_id", attr("aws_vpc", rl, "id")))
            .add_attribute(("traffic_type", "ALL"))
            .add_attribute((
                "log_destination",
                attr("aws_cloudwatch_log_group", &group, "arn"),
            ))
            .add_attribute(("iam_role_arn", attr("aws_iam_role", "flow_logs", "arn")))
            .build(),
    );
}

/// The id of the security group guarding node `owner`: its own, or an EKS cluster's.
pub(super) fn sg_id(cx: &Aws, owner: usize) -> Expression {
    let label = cx.label(owner);
    if cx.plan.g.kind(owner) == Kind::KubernetesCluster {
        let mut t = hcl::expr::Traversal::builder(hcl::expr::Variable::unchecked(
            "aws_eks_cluster",
        ))
        .attr(label.as_str());
        // A cluster of one environment has `count`: its first (only) instance.
        if super::super::sizing::bound_environment(cx.plan, owner).is_some() {
            t = t.index(0u64);
        }
        t.attr("vpc_config")
            .index(0u64)
            .attr("cluster_security_group_id")
            .build()
            .into()
    } else {
        attr("aws_security_group", &label, "id")
    }
}

fn security_groups(cx: &mut Aws) {
    let plan = cx.plan;
    let g = &plan.g;
    // A group for every owner in this module that is not an EKS cluster (EKS makes its own).
    let mut owners: Vec<usize> = cx
        .pp
        .labels
        .keys()
        .copied()
        .filter(|&i| plan.sg_owner(i) == Some(i) && g.kind(i) != Kind::KubernetesCluster)
        .filter(|&i| plan.net_of(i).is_some())
        .collect();
    owners.sort_by(|a, b| g.node(*a).id.cmp(&g.node(*b).id));
    for &o in &owners {
        let label = cx.label(o);
        let rl = cx.region_label(o);
        let description = format!("{} {}", g.kind(o).label(), plan.ascii_name(o));
        cx.m.add(
            Concern::Network,
            resource("aws_security_group", &label)
                .add_attribute(cx.provider(o))
                .add_attribute(("name", prefixed(&label.replace('_', "-"))))
                .add_attribute(("description", description))
                .add_attribute(("vpc_id", attr("aws_vpc", &rl, "id")))
                .add_attribute(("tags", tags(prefixed(&label.replace('_', "-")))))
                .build(),
        );
    }
    let port_of = |i: usize| access_port(cx, i);
    let rules = plan.rules(cx.pp, port_of);
    for rule in rules {
        if plan.net_of(rule.to).is_none() {
            continue;
        }
        ingress(cx, &rule);
        if let Source::Node(src) = rule.from {
            if g.kind(src) != Kind::KubernetesCluster {
                egress(cx, src, &rule);
            }
        }
        if let Source::VpnPeer(_) = rule.from {
            egress_to_peer(cx, &rule);
        }
    }
    // A VPN VM needs packages and Systems Manager (its management path, instead of SSH).
    for &o in owners.iter().filter(|&&o| g.kind(o) == Kind::VpnGateway) {
        let label = cx.label(o);
        cx.m.add(
            Concern::Network,
            resource(
                "aws_vpc_security_group_egress_rule",
                &format!("{label}_to_internet_tcp_443"),
            )
            .add_attribute(cx.provider(o))
            .add_attribute(("security_group_id", sg_id(cx, o)))
            .add_attribute(("description", "packages and Systems Manager"))
            .add_attribute(("ip_protocol", "tcp"))
            .add_attribute(("from_port", 443))
            .add_attribute(("to_port", 443))
            .add_attribute(("cidr_ipv4", "0.0.0.0/0"))
            .build(),
        );
    }
}

/// The port clients use for node `i`: one fact for every export (`engines::default_port`).
pub(super) fn access_port(cx: &Aws, i: usize) -> Option<u16> {
    crate::export::engines::default_port(&cx.plan.g, i)
}

fn source_key(cx: &Aws, s: &Source) -> String {
    match s {
        Source::Internet => "internet".into(),
        Source::Cdn => "cdn".into(),
        Source::Node(n) => cx.label(*n),
        Source::Cidr(c) => format!("net_{}", c.to_string().replace(['.', '/'], "_")),
        Source::VpnPeer(n) => format!("peer_{}", cx.label(*n)),
    }
}

fn rule_label(cx: &Aws, rule: &Rule, dir: &str) -> String {
    let proto = if rule.udp { "udp" } else { "tcp" };
    format!(
        "{}_{dir}_{}_{proto}_{}",
        cx.label(rule.to),
        source_key(cx, &rule.from),
        rule.port
    )
}

/// `count` for a rule between the groups of `a` and `b` when either is an EKS cluster made in
/// one environment's workspace only.
fn gate(cx: &Aws, a: usize, b: Option<usize>) -> Option<Expression> {
    let clusters: Vec<usize> = [Some(a), b]
        .into_iter()
        .flatten()
        .filter(|&n| cx.plan.g.kind(n) == Kind::KubernetesCluster)
        .collect();
    super::super::sizing::environment_count(cx.plan, &clusters)
}

fn with_gate(b: hcl::BlockBuilder, gate: Option<Expression>) -> hcl::BlockBuilder {
    match gate {
        Some(count) => b.add_attribute(("count", count)),
        None => b,
    }
}

fn ingress(cx: &mut Aws, rule: &Rule) {
    let label = rule_label(cx, rule, "from");
    let other = match rule.from {
        Source::Node(n) => Some(n),
        _ => None,
    };
    let mut b = resource("aws_vpc_security_group_ingress_rule", &label)
        .add_attribute(cx.provider(rule.to));
    b = with_gate(b, gate(cx, rule.to, other));
    let mut b = b
        .add_attribute(("security_group_id", sg_id(cx, rule.to)))
        .add_attribute(("description", rule.description.as_str()))
        .add_attribute(("ip_protocol", if rule.udp { "udp" } else { "tcp" }))
        .add_attribute(("from_port", rule.port))
        .add_attribute(("to_port", rule.port));
    b = match &rule.from {
        Source::Internet => b.add_attribute(("cidr_ipv4", "0.0.0.0/0")),
        Source::Cdn => {
            let rl = cx.region_label(rule.to);
            cloudfront_prefix_list(cx, &rl);
            b.add_attribute((
                "prefix_list_id",
                data_attr(
                    "aws_ec2_managed_prefix_list",
                    &format!("cloudfront_{rl}"),
                    "id",
                ),
            ))
        }
        Source::Node(n) => b.add_attribute(("referenced_security_group_id", sg_id(cx, *n))),
        Source::Cidr(c) => b.add_attribute(("cidr_ipv4", c.to_string())),
        Source::VpnPeer(_) => b.add_attribute(("cidr_ipv4", peer_var(cx, rule.to))),
    };
    cx.m.add(Concern::Network, b.build());
}

fn egress(cx: &mut Aws, src: usize, rule: &Rule) {
    let label = format!(
        "{}_to_{}_{}_{}",
        cx.label(src),
        cx.label(rule.to),
        if rule.udp { "udp" } else { "tcp" },
        rule.port
    );
    let b = resource("aws_vpc_security_group_egress_rule", &label).add_attribute(cx.provider(src));
    let b = with_gate(b, gate(cx, src, Some(rule.to)))
        .add_attribute(("security_group_id", sg_id(cx, src)))
        .add_attribute(("description", format!("to {}", cx.plan.ascii_name(rule.to))))
        .add_attribute(("ip_protocol", if rule.udp { "udp" } else { "tcp" }))
        .add_attribute(("from_port", rule.port))
        .add_attribute(("to_port", rule.port))
        .add_attribute(("referenced_security_group_id", sg_id(cx, rule.to)));
    cx.m.add(Concern::Network, b.build());
}

fn egress_to_peer(cx: &mut Aws, rule: &Rule) {
    let label = rule_label(cx, rule, "to");
    let b = resource("aws_vpc_security_group_egress_rule", &label)
        .add_attribute(cx.provider(rule.to))
        .add_attribute(("security_group_id", sg_id(cx, rule.to)))
        .add_attribute(("description", "VPN tunnel to the peer"))
        .add_attribute(("ip_protocol", if rule.udp { "udp" } else { "tcp" }))
        .add_attribute(("from_port", rule.port))
        .add_attribute(("to_port", rule.port))
        .add_attribute(("cidr_ipv4", peer_var(cx, rule.to)));
    cx.m.add(Concern::Network, b.build());
}

/// `var.<gateway>_peer_cidr`: the far end's public address, known only once it exists.
pub(super) fn peer_var(cx: &mut Aws, gateway: usize) -> Expression {
    let name = format!("{}_peer_cidr", cx.label(gateway));
    super::super::vpn::peer_variable(&mut cx.m, &name);
    var(&name)
}

fn cloudfront_prefix_list(cx: &mut Aws, rl: &str) {
    let label = format!("cloudfront_{rl}");
    if cx.m.has_data("aws_ec2_managed_prefix_list", &label) {
        return;
    }
    cx.m.add(
        Concern::Network,
        data("aws_ec2_managed_prefix_list", &label)
            .add_attribute(cx.provider_of_region(rl))
            .add_attribute(("name", "com.amazonaws.global.cloudfront.origin-facing"))
            .build(),
    );
}
