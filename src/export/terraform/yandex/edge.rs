//! Yandex Cloud edge: a Network Load Balancer for each balancer and geo router (Yandex has no
//! routing by country: the note says so), and the OpenVPN VM of the VPN link.

use hcl::expr::{Expression, TemplateExpr};
use hcl::Block;

use super::super::hcl::*;
use super::super::module::Concern;
use super::network::sg_id;
use super::Yc;
use crate::model::*;

pub(super) fn build(cx: &mut Yc) {
    let plan = cx.plan;
    for k in [Kind::LoadBalancer, Kind::GeoRouter] {
        for l in plan.nodes_of(cx.pp, k) {
            balancer(cx, l);
        }
    }
    for v in plan.nodes_of(cx.pp, Kind::VpnGateway) {
        vpn(cx, v);
    }
    for k in [Kind::Cdn, Kind::Waf] {
        for n in plan.nodes_of(cx.pp, k) {
            cx.m.notes.push(format!(
                "{} {}: not written for Yandex Cloud yet.",
                k.label(),
                plan.ascii_name(n)
            ));
        }
    }
}

/// The ports the balancer listens on: those of the traffic reaching it, 443 when none.
fn listen_ports(cx: &Yc, l: usize) -> Vec<u16> {
    let g = &cx.plan.g;
    let mut ports: Vec<u16> = g
        .incoming_of(l, EdgeKind::Traffic)
        .filter_map(|(e, _)| match &g.edge(e).spec {
            EdgeSpec::Traffic(t) => t.port.or(match t.protocol {
                Protocol::Https => Some(443),
                Protocol::Http => Some(80),
                _ => None,
            }),
            _ => None,
        })
        .collect();
    ports.sort_unstable();
    ports.dedup();
    if ports.is_empty() {
        ports.push(443);
    }
    ports
}

fn balancer(cx: &mut Yc, l: usize) {
    let plan = cx.plan;
    if let NodeSpec::LoadBalancer(p) = &plan.g.node(l).spec {
        if p.client_side {
            return;
        }
        if p.layer == Layer::L7 {
            cx.m.notes.push(format!(
                "Load balancer {}: an L7 (Application Load Balancer) is not written for Yandex yet; made as a Network Load Balancer.",
                plan.ascii_name(l)
            ));
        }
    }
    if plan.g.kind(l) == Kind::GeoRouter {
        cx.m.notes.push(format!(
            "Router {}: Yandex's Network Load Balancer does not route by country; it is made as one balancer in front of this cloud's cluster, and routing by country (geolocation records in a DNS service that has them, e.g. Route 53, pointing each country at its cloud's balancer) is left to the team.",
            plan.ascii_name(l)
        ));
    }
    let label = cx.label(l);
    let name = label.replace('_', "-");
    let prov = cx.provider(l);
    let clusters = clusters_behind(cx, l);
    let mut group = resource("yandex_lb_target_group", &label)
        .add_attribute(prov.clone())
        .add_attribute(("name", cloud_name(&name)));
    // The nodes of each cluster behind the balancer, read from the node group's instance group.
    for &c in &clusters {
        let cl = cx.label(c);
        let nodes = format!("{label}_{cl}");
        cx.m.add(
            Concern::Edge,
            data("yandex_compute_instance_group", &nodes)
                .add_attribute(cx.provider(c))
                .add_attribute((
                    "instance_group_id",
                    attr("yandex_kubernetes_node_group", &cl, "instance_group_id"),
                ))
                .build(),
        );
        let nic = |field: &str| -> Expression {
            hcl::expr::Traversal::builder(hcl::expr::Variable::unchecked("target"))
                .attr("value")
                .attr("network_interface")
                .index(0u64)
                .attr(field)
                .build()
                .into()
        };
        group = group.add_block(
            Block::builder("dynamic")
                .add_label("target")
                .add_attribute((
                    "for_each",
                    data_attr("yandex_compute_instance_group", &nodes, "instances"),
                ))
                .add_block(
                    Block::builder("content")
                        .add_attribute(("subnet_id", nic("subnet_id")))
                        .add_attribute(("address", nic("ip_address")))
                        .build(),
                )
                .build(),
        );
    }
    cx.m.add(Concern::Edge, group.add_attribute(cx.labels()).build());
    let ports = listen_ports(cx, l);
    if clusters.is_empty() {
        cx.m.notes.push(format!(
            "Balancer {}: nothing behind it runs in a managed cluster of this module, so its target group is empty; add the targets' addresses by hand.",
            plan.ascii_name(l)
        ));
    } else {
        let mapping: Vec<String> = ports
            .iter()
            .map(|p| format!("{p} → NodePort {}", node_port(*p)))
            .collect();
        cx.m.notes.push(format!(
            "Balancer {}: listens on {} (the drawn traffic into it) and forwards to the nodes of {} on fixed NodePorts ({}). Install the ingress controller with a Service of type NodePort on exactly those ports, e.g. ingress-nginx with `--set controller.service.type=NodePort --set controller.service.nodePorts.https={}`; the target group follows the node group's instances on every apply.",
            plan.ascii_name(l),
            ports.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", "),
            clusters.iter().map(|&c| plan.ascii_name(c)).collect::<Vec<_>>().join(", "),
            mapping.join(", "),
            node_port(443)
        ));
    }
    let mut b = resource("yandex_lb_network_load_balancer", &label)
        .add_attribute(prov)
        .add_attribute(("name", cloud_name(&name)));
    for port in &ports {
        b = b.add_block(
            Block::builder("listener")
                .add_attribute(("name", format!("port-{port}")))
                .add_attribute(("port", *port))
                .add_attribute(("target_port", node_port(*port)))
                .add_block(nested(
                    "external_address_spec",
                    [("ip_version", Expression::from("ipv4"))],
                ))
                .build(),
        );
    }
    let first = node_port(ports[0]);
    let b = b
        .add_block(
            Block::builder("attached_target_group")
                .add_attribute((
                    "target_group_id",
                    attr("yandex_lb_target_group", &label, "id"),
                ))
                .add_block(
                    Block::builder("healthcheck")
                        .add_attribute(("name", "tcp"))
                        .add_block(nested("tcp_options", [("port", Expression::from(first))]))
                        .build(),
                )
                .build(),
        )
        .add_attribute(cx.labels())
        .build();
    cx.m.add(Concern::Edge, b);
}

/// The NodePort a listener on `port` forwards to: 30000 + the port, kept inside Kubernetes'
/// NodePort range (30000–32767), so 443 → 30443 and 80 → 30080.
pub(super) fn node_port(port: u16) -> u16 {
    30000 + port % 2768
}

/// The managed clusters of this module that balancer or router `l` sends traffic into (its
/// traffic and geo-route targets, or the clusters they run in), by id.
fn clusters_behind(cx: &Yc, l: usize) -> Vec<usize> {
    let g = &cx.plan.g;
    let mut out: Vec<usize> = g
        .outgoing(l)
        .filter(|(e, _)| matches!(g.edge(*e).kind(), EdgeKind::Traffic | EdgeKind::GeoRoute))
        .filter_map(|(_, t)| {
            if g.kind(t) == Kind::KubernetesCluster {
                Some(t)
            } else {
                g.scope(t).cluster
            }
        })
        .filter(|c| {
            cx.pp.labels.contains_key(c)
                && matches!(&g.node(*c).spec, NodeSpec::KubernetesCluster(p) if p.managed)
                && cx.plan.net_of(*c).is_some()
        })
        .collect();
    out.sort_by(|a, b| g.node(*a).id.cmp(&g.node(*b).id));
    out.dedup();
    out
}

/// The OpenVPN VM: Ubuntu, a public address (one-to-one NAT) the peer reaches, the serial
/// console off, SSH by key only.
fn vpn(cx: &mut Yc, v: usize) {
    let plan = cx.plan;
    if plan.net_of(v).is_none() {
        cx.m.notes.push(format!(
            "VPN gateway {}: in no region; not made.",
            plan.ascii_name(v)
        ));
        return;
    }
    let rl = cx.region_label(v);
    cx.images.insert(rl.clone());
    super::super::vpn::note(&mut cx.m);
    let label = cx.label(v);
    let name = label.replace('_', "-");
    let (zone, subnet) = plan
        .zone_pieces(v, true, &[])
        .into_iter()
        .next()
        .unwrap_or_else(|| (cx.zone_of(v), String::new()));
    // Fixed, so that the route tables can name it (see `Plan::vpn_address`).
    let address = plan.vpn_address(v);
    cx.m.string_variable(
        "ssh_public_key",
        "Public SSH key allowed on the VMs (a public key, not a secret)",
        None,
    );
    cx.m.example_value(
        "ssh_public_key",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleExampleExampleExampleExample ops@example.com"
            .into(),
    );
    let mut interface = vec![("subnet_id", attr("yandex_vpc_subnet", &subnet, "id"))];
    if let Some(a) = address {
        interface.push(("ip_address", Expression::from(a)));
    }
    interface.push(("nat", Expression::from(true)));
    interface.push(("security_group_ids", Expression::Array(vec![sg_id(cx, v)])));
    cx.m.add(
        Concern::Edge,
        resource("yandex_compute_instance", &label)
            .add_attribute(cx.provider(v))
            .add_attribute(("name", cloud_name(&name)))
            .add_attribute(("platform_id", "standard-v3"))
            .add_attribute(("zone", zone))
            .add_block(nested(
                "resources",
                [
                    ("cores", Expression::from(2)),
                    ("memory", Expression::from(2)),
                ],
            ))
            .add_block(
                Block::builder("boot_disk")
                    .add_block(nested(
                        "initialize_params",
                        [
                            (
                                "image_id",
                                data_attr("yandex_compute_image", &format!("ubuntu_{rl}"), "id"),
                            ),
                            ("size", Expression::from(20)),
                            ("type", Expression::from("network-ssd")),
                        ],
                    ))
                    .build(),
            )
            .add_block(nested("network_interface", interface))
            .add_attribute((
                "metadata",
                object([
                    (
                        "ssh-keys",
                        Expression::TemplateExpr(Box::new(TemplateExpr::QuotedString(
                            "ubuntu:${var.ssh_public_key}".into(),
                        ))),
                    ),
                    ("serial-port-enable", Expression::from("0")),
                ]),
            ))
            .add_attribute(cx.labels())
            .build(),
    );
    cx.m.output(
        &format!("{label}_public_ip"),
        Expression::Traversal(Box::new(
            hcl::expr::Traversal::builder(hcl::expr::Variable::unchecked(
                "yandex_compute_instance",
            ))
            .attr(label.as_str())
            .attr("network_interface")
            .index(0u64)
            .attr("nat_ip_address")
            .build(),
        )),
        &format!(
            "Public address of {} (the peer's {}_peer_cidr)",
            plan.ascii_name(v),
            label
        ),
    );
}
