//! What the design asks of the cloud, worked out once for every provider: a Terraform label
//! per node, each region's network (VPC range, zones, subnets split per zone) and the
//! firewall rules that the drawn edges imply. The provider modules (`aws`, `yandex`) turn
//! this into resources.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::cidr::Cidr;
use crate::export::engines;
use crate::model::names::unique_kube_names;
use crate::model::*;

/// The clouds with a Terraform provider here, and the module directory of each.
pub fn module_dir(cloud: Cloud) -> Option<&'static str> {
    match cloud {
        Cloud::Aws => Some("aws"),
        Cloud::Yandex => Some("yandex"),
        Cloud::Gcp | Cloud::Azure | Cloud::OnPrem | Cloud::Other => None,
    }
}

pub struct Plan<'a> {
    pub g: DesignGraph<'a>,
    /// Every provider node with a cloud of its own, in id order.
    pub providers: Vec<ProviderPlan>,
    /// The network of every region under an exported provider.
    pub nets: BTreeMap<usize, RegionNet>,
}

pub struct ProviderPlan {
    pub node: usize,
    pub cloud: Cloud,
    /// `aws`, `yandex`; `aws-<name>` when a design has two providers of one cloud.
    pub dir: String,
    /// Terraform labels (`[a-z0-9_]`, unique in the module) of the provider's nodes.
    pub labels: BTreeMap<usize, String>,
    /// The provider's regions, in id order.
    pub regions: Vec<usize>,
}

pub struct RegionNet {
    pub region: usize,
    /// The region's label; also the alias of its provider configuration.
    pub label: String,
    pub code: String,
    pub zones: Vec<String>,
    pub vpc: Cidr,
    pub subnets: Vec<SubnetNet>,
}

pub struct SubnetNet {
    /// The drawn subnet, or `None` for one the plan adds (the region draws no subnet, or an
    /// AWS region draws no public one but needs a way out: see [`needs_public_subnets`]).
    pub node: Option<usize>,
    pub public: bool,
    /// The whole range the pieces are cut from.
    pub range: Cidr,
    /// One piece per zone: (zone, label of the piece, range).
    pub pieces: Vec<(String, String, Cidr)>,
}

/// Where the traffic of a firewall rule comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// Anyone (user groups, outside systems, DNS routers they reach through).
    Internet,
    /// The CDN's edge servers.
    Cdn,
    /// The security group of a node in the same region.
    Node(usize),
    /// A node in another region or cloud, by its network's range.
    Cidr(Cidr),
    /// The far end of a VPN tunnel (its public address is a variable).
    VpnPeer(usize),
}

/// One allowed flow into a node's security group.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rule {
    pub to: usize,
    pub from: Source,
    pub port: u16,
    pub udp: bool,
    /// ASCII only (AWS refuses other characters in rule descriptions).
    pub description: String,
}

impl<'a> Plan<'a> {
    pub fn new(design: &'a Design) -> Self {
        let g = DesignGraph::new(design);
        let mut providers = Vec::new();
        let mut order: Vec<usize> = (0..g.len())
            .filter(|&i| matches!(&g.node(i).spec, NodeSpec::Provider(p) if module_dir(p.cloud).is_some()))
            .collect();
        order.sort_by(|a, b| g.node(*a).id.cmp(&g.node(*b).id));
        let mut dirs_taken = BTreeSet::new();
        for p in order {
            let NodeSpec::Provider(props) = &g.node(p).spec else {
                continue;
            };
            let base = module_dir(props.cloud).unwrap_or("cloud");
            let mut dir = base.to_string();
            if !dirs_taken.insert(dir.clone()) {
                dir = format!("{base}-{}", safe(&g.node(p).name, &g.node(p).id));
                let mut n = 2;
                while !dirs_taken.insert(dir.clone()) {
                    dir = format!("{base}-{n}");
                    n += 1;
                }
            }
            let inside = g.descendants(p);
            let labels = unique_kube_names(
                inside
                    .iter()
                    .map(|&i| (g.node(i).id.as_str(), g.node(i).name.as_str())),
            );
            let labels: BTreeMap<usize, String> = inside
                .iter()
                .map(|&i| (i, labels[g.node(i).id.as_str()].replace('-', "_")))
                .collect();
            let mut regions: Vec<usize> = inside
                .iter()
                .copied()
                .filter(|&i| g.kind(i) == Kind::Region)
                .collect();
            regions.sort_by(|a, b| g.node(*a).id.cmp(&g.node(*b).id));
            providers.push(ProviderPlan {
                node: p,
                cloud: props.cloud,
                dir,
                labels,
                regions,
            });
        }
        let mut nets = BTreeMap::new();
        let mut ordinal = 0u32;
        for pp in &providers {
            for &r in &pp.regions {
                nets.insert(r, region_net(&g, pp, r, ordinal));
                ordinal += 1;
            }
        }
        Plan { g, providers, nets }
    }

    pub fn label(&self, pp: &ProviderPlan, i: usize) -> String {
        pp.labels
            .get(&i)
            .cloned()
            .unwrap_or_else(|| safe(&self.g.node(i).name, &self.g.node(i).id).replace('-', "_"))
    }

    /// The network of the region node `i` is in.
    pub fn net_of(&self, i: usize) -> Option<&RegionNet> {
        self.nets.get(&self.g.scope(i).region?)
    }

    /// Nodes of `kind` inside the provider, in id order.
    pub fn nodes_of(&self, pp: &ProviderPlan, kind: Kind) -> Vec<usize> {
        let mut out: Vec<usize> = pp
            .labels
            .keys()
            .copied()
            .filter(|&i| self.g.kind(i) == kind)
            .collect();
        out.sort_by(|a, b| self.g.node(*a).id.cmp(&self.g.node(*b).id));
        out
    }

    /// The subnet pieces (labels) a node runs in: its own subnet's, else the region's subnets
    /// of the wanted visibility, else all of the region's. Zones limit the pieces when given.
    pub fn subnet_pieces(&self, i: usize, public: bool, zones: &[String]) -> Vec<String> {
        self.zone_pieces(i, public, zones)
            .into_iter()
            .map(|(_, label)| label)
            .collect()
    }

    /// [`Self::subnet_pieces`] with the zone of each piece: (zone, label).
    pub fn zone_pieces(&self, i: usize, public: bool, zones: &[String]) -> Vec<(String, String)> {
        let Some(net) = self.net_of(i) else {
            return Vec::new();
        };
        let own = self.g.scope(i).subnet;
        // Something that must face the internet (a public balancer, a VPN VM's address) drawn in
        // a private subnet still sits in the region's public subnets when there are any: a
        // private subnet has no route from the internet gateway.
        let own = own.filter(|&s| {
            !public
                || net.subnets.iter().any(|n| n.node == Some(s) && n.public)
                || !net.subnets.iter().any(|n| n.public)
        });
        let chosen: Vec<&SubnetNet> = match own {
            Some(s) => net.subnets.iter().filter(|n| n.node == Some(s)).collect(),
            None => {
                let same: Vec<&SubnetNet> =
                    net.subnets.iter().filter(|n| n.public == public).collect();
                if same.is_empty() {
                    net.subnets.iter().collect()
                } else {
                    same
                }
            }
        };
        chosen
            .into_iter()
            .flat_map(|s| s.pieces.iter())
            .filter(|(zone, _, _)| zones.is_empty() || zones.contains(zone))
            .map(|(zone, label, _)| (zone.clone(), label.clone()))
            .collect()
    }

    /// The VPN tunnels that leave region `r`: (the gateway VM in `r`, the range of the far
    /// end's network), in id order. Private subnets route that range to the VM.
    pub fn vpn_routes(&self, r: usize) -> Vec<(usize, Cidr)> {
        let g = &self.g;
        let mut out = BTreeSet::new();
        for (e, edge) in g.design.edges.iter().enumerate() {
            if edge.kind() != EdgeKind::Vpn {
                continue;
            }
            let Some((a, b)) = g.edge_ends(e) else {
                continue;
            };
            for (gw, peer) in [(a, b), (b, a)] {
                if g.scope(gw).region != Some(r) {
                    continue;
                }
                if let Some(net) = self.net_of(peer).filter(|n| n.region != r) {
                    out.insert((g.node(gw).id.clone(), gw, net.vpc));
                }
            }
        }
        out.into_iter().map(|(_, gw, c)| (gw, c)).collect()
    }

    /// A fixed private address for VPN gateway `gw`: the tenth of its first subnet piece. Routes
    /// name it as their next hop; a computed address would make the route table, the subnet
    /// that uses it and the VM in that subnet depend on each other.
    pub fn vpn_address(&self, gw: usize) -> Option<String> {
        let (_, label) = self.zone_pieces(gw, true, &[]).into_iter().next()?;
        let net = self.net_of(gw)?;
        let (_, _, range) = net
            .subnets
            .iter()
            .flat_map(|s| s.pieces.iter())
            .find(|(_, l, _)| *l == label)?;
        (range.prefix <= 28).then(|| {
            let b = range.base.wrapping_add(10).to_be_bytes();
            format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3])
        })
    }

    /// The node whose security group guards `i`: balancers, managed stores, VPN gateways and
    /// managed clusters have their own; what runs in a managed cluster is behind the cluster's.
    pub fn sg_owner(&self, i: usize) -> Option<usize> {
        let own = match &self.g.node(i).spec {
            NodeSpec::LoadBalancer(lb) => !lb.client_side,
            NodeSpec::VpnGateway(_) => true,
            NodeSpec::KubernetesCluster(c) => c.managed,
            spec => engines::store(spec).is_some_and(|s| s.managed),
        };
        if own {
            return Some(i);
        }
        let c = self.g.scope(i).cluster?;
        matches!(&self.g.node(c).spec, NodeSpec::KubernetesCluster(p) if p.managed).then_some(c)
    }

    /// The flows into security groups of the provider's nodes that the drawn edges imply.
    /// One rule per (group, source, port, protocol); the descriptions of the edges it stands
    /// for are joined.
    pub fn rules(&self, pp: &ProviderPlan, port_of: impl Fn(usize) -> Option<u16>) -> Vec<Rule> {
        let mut merged: BTreeMap<(usize, Source, u16, bool), BTreeSet<String>> = BTreeMap::new();
        for r in self.edge_rules(pp, port_of) {
            merged
                .entry((r.to, r.from, r.port, r.udp))
                .or_default()
                .insert(r.description);
        }
        let mut rules: Vec<Rule> = merged
            .into_iter()
            .map(|((to, from, port, udp), descriptions)| {
                let mut description = descriptions.into_iter().collect::<Vec<_>>().join(", ");
                if description.len() > 250 {
                    description.truncate(247); // ASCII, so any index is a boundary
                    description.push_str("...");
                }
                Rule {
                    to,
                    from,
                    port,
                    udp,
                    description,
                }
            })
            .collect();
        // Node positions depend on the file's order; ids do not.
        rules.sort_by_cached_key(|r| {
            (
                self.g.node(r.to).id.clone(),
                self.source_key(&r.from),
                r.port,
                r.udp,
            )
        });
        rules
    }

    fn source_key(&self, s: &Source) -> (u8, String) {
        match s {
            Source::Internet => (0, String::new()),
            Source::Cdn => (1, String::new()),
            Source::Node(n) => (2, self.g.node(*n).id.clone()),
            Source::Cidr(c) => (3, c.to_string()),
            Source::VpnPeer(n) => (4, self.g.node(*n).id.clone()),
        }
    }

    fn edge_rules(
        &self,
        pp: &ProviderPlan,
        port_of: impl Fn(usize) -> Option<u16>,
    ) -> BTreeSet<Rule> {
        let mut out = BTreeSet::new();
        let g = &self.g;
        for (e, edge) in g.design.edges.iter().enumerate() {
            let Some((a, b)) = g.edge_ends(e) else {
                continue;
            };
            let flows: Vec<(usize, usize, u16, bool)> = match &edge.spec {
                EdgeSpec::Traffic(t) => {
                    let port = t
                        .port
                        .or_else(|| protocol_port(t.protocol))
                        .or_else(|| port_of(b));
                    port.map(|p| vec![(a, b, p, t.protocol == Protocol::Udp)])
                        .unwrap_or_default()
                }
                EdgeSpec::Access(_) => port_of(b)
                    .map(|p| vec![(a, b, p, false)])
                    .unwrap_or_default(),
                EdgeSpec::GeoRoute(_) => self
                    .incoming_ports(a)
                    .into_iter()
                    .map(|p| (a, b, p, false))
                    .collect(),
                EdgeSpec::Vpn(v) => {
                    for (gw, peer) in [(a, b), (b, a)] {
                        if pp.labels.contains_key(&gw) {
                            for (port, udp) in vpn_ports(tunnel_product(g, a, b, &v.product)) {
                                out.insert(Rule {
                                    to: gw,
                                    from: Source::VpnPeer(peer),
                                    port,
                                    udp,
                                    description: "VPN tunnel".into(),
                                });
                            }
                        }
                    }
                    Vec::new()
                }
                _ => Vec::new(),
            };
            for (from, to, port, udp) in flows {
                let Some(dst) = self.sg_owner(to) else {
                    continue;
                };
                if !pp.labels.contains_key(&dst) {
                    continue;
                }
                let mut seen = BTreeSet::new();
                for src in self.sources(from, dst, &mut seen) {
                    if src == Source::Node(dst) {
                        continue; // inside one cluster: the cluster's own policies decide
                    }
                    if matches!(src, Source::Internet | Source::Cdn) && g.kind(dst).is_data_store()
                    {
                        continue; // never open a store to the internet (IC rules flag the design)
                    }
                    if matches!(src, Source::Internet | Source::Cdn)
                        && g.kind(dst) == Kind::KubernetesCluster
                    {
                        // The cluster's group guards its API and nodes: the internet reaches a
                        // workload inside through the balancer Kubernetes makes for the
                        // ingress controller, whose own group the controller opens.
                        continue;
                    }
                    let description = format!(
                        "{} from {}",
                        edge.kind().as_str().replace('_', " "),
                        self.ascii_name(from)
                    );
                    out.insert(Rule {
                        to: dst,
                        from: src,
                        port,
                        udp,
                        description,
                    });
                }
            }
        }
        out
    }

    /// The ports on which traffic reaches `i` (a DNS router), 443 when none is drawn.
    fn incoming_ports(&self, i: usize) -> BTreeSet<u16> {
        let mut ports: BTreeSet<u16> = self
            .g
            .incoming_of(i, EdgeKind::Traffic)
            .filter_map(|(e, _)| match &self.g.edge(e).spec {
                EdgeSpec::Traffic(t) => t.port.or_else(|| protocol_port(t.protocol)),
                _ => None,
            })
            .collect();
        if ports.is_empty() {
            ports.insert(443);
        }
        ports
    }

    /// Where traffic sent by `a` comes from, as seen by the security group of `dst`. DNS
    /// routers and WAFs are not network hops: their own sources count.
    fn sources(&self, a: usize, dst: usize, seen: &mut BTreeSet<usize>) -> Vec<Source> {
        if !seen.insert(a) {
            return Vec::new();
        }
        let g = &self.g;
        match g.kind(a) {
            Kind::UserGroup => return vec![Source::Internet],
            Kind::ExternalSystem if g.provider_of(a).is_none() => return vec![Source::Internet],
            Kind::Cdn => return vec![Source::Cdn],
            Kind::GeoRouter | Kind::Waf => {
                let from: Vec<usize> = g
                    .incoming_of(a, EdgeKind::Traffic)
                    .map(|(_, s)| s)
                    .collect();
                return from
                    .into_iter()
                    .flat_map(|s| self.sources(s, dst, seen))
                    .collect();
            }
            _ => {}
        }
        let Some(owner) = self.sg_owner(a) else {
            return Vec::new();
        };
        let same_region =
            g.scope(owner).region.is_some() && g.scope(owner).region == g.scope(dst).region;
        if same_region {
            vec![Source::Node(owner)]
        } else {
            self.net_of(owner)
                .map(|n| vec![Source::Cidr(n.vpc)])
                .unwrap_or_default()
        }
    }

    /// The HTTP path a balancer or DNS health check asks of `target`: the workload's readiness
    /// (else liveness) probe path; `/healthz` for an ingress controller (ingress-nginx's default
    /// server answers it with 200 whatever the host; `/` would be a 404 there); `/` otherwise.
    /// A balancer is asked for the path of what it forwards to.
    pub fn health_path(&self, target: usize) -> String {
        let g = &self.g;
        let mut seen = BTreeSet::new();
        let mut at = target;
        loop {
            if !seen.insert(at) {
                return "/".into();
            }
            match &g.node(at).spec {
                NodeSpec::Workload(w) => {
                    return [&w.readiness, &w.liveness]
                        .into_iter()
                        .flatten()
                        .map(|p| p.path.clone())
                        .find(|p| p.starts_with('/'))
                        .unwrap_or_else(|| "/".into());
                }
                NodeSpec::IngressController(_) => return "/healthz".into(),
                NodeSpec::LoadBalancer(_) | NodeSpec::Waf(_) => {
                    let mut next: Vec<usize> = g
                        .outgoing_of(at, EdgeKind::Traffic)
                        .map(|(_, t)| t)
                        .collect();
                    next.sort_by(|a, b| g.node(*a).id.cmp(&g.node(*b).id));
                    match next.first() {
                        Some(&n) => at = n,
                        None => return "/".into(),
                    }
                }
                _ => return "/".into(),
            }
        }
    }

    /// A node's name as ASCII for descriptions: the safe name.
    pub fn ascii_name(&self, i: usize) -> String {
        safe(&self.g.node(i).name, &self.g.node(i).id)
    }

    /// The public host names of the external workloads that traffic from `i` reaches (through
    /// ingress controllers and clusters), sorted.
    pub fn hosts_behind(&self, i: usize) -> Vec<String> {
        let g = &self.g;
        let mut hosts = BTreeSet::new();
        let mut stack = vec![i];
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            if !seen.insert(n) {
                continue;
            }
            if let NodeSpec::Workload(w) = &g.node(n).spec {
                if w.exposure == Exposure::External && is_host(&w.host) {
                    hosts.insert(w.host.clone());
                }
            }
            for (e, t) in g.outgoing(n) {
                if matches!(g.edge(e).kind(), EdgeKind::Traffic | EdgeKind::GeoRoute) {
                    stack.push(t);
                }
            }
        }
        hosts.into_iter().collect()
    }

    /// Production environments first, then the rest: the environment a module's defaults are
    /// sized for.
    pub fn default_environment(&self) -> String {
        let envs = &self.g.design.environments;
        envs.iter()
            .find(|e| e.production)
            .or_else(|| envs.first())
            .map(|e| safe(&e.id, "prod"))
            .unwrap_or_else(|| "prod".into())
    }

    /// The project name: the design's safe name, short enough for the tightest cloud names.
    pub fn project(&self) -> String {
        let mut p = safe(&self.g.design.name, "design");
        p.truncate(16);
        p.trim_end_matches('-').to_string()
    }
}

/// A DNS-style safe name (`[a-z0-9-]`, starting with a letter), from the model's safe-name
/// function.
pub fn safe(name: &str, fallback: &str) -> String {
    crate::model::names::kube_name_or(name, fallback)
}

/// A host name a certificate or DNS record can carry.
fn is_host(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 253
        && h.contains('.')
        && h.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

fn protocol_port(p: Protocol) -> Option<u16> {
    match p {
        Protocol::Https => Some(443),
        Protocol::Http => Some(80),
        _ => None,
    }
}

/// The product that runs the tunnel between gateways `a` and `b`: the link's own, else what the
/// gateways themselves name. A link drawn between two "OpenVPN" gateways with its product left
/// empty is an OpenVPN tunnel, not IPsec (rule IC-NET-009 asks for the product while drawing).
pub fn tunnel_product<'a>(g: &DesignGraph<'a>, a: usize, b: usize, link: &'a str) -> &'a str {
    if !link.trim().is_empty() {
        return link;
    }
    [a, b]
        .into_iter()
        .map(|n| g.node(n).spec.product())
        .find(|p| !p.trim().is_empty())
        .unwrap_or("")
}

/// OpenVPN listens on 1194/udp; anything else is taken as IPsec (IKE and NAT traversal).
pub fn vpn_ports(product: &str) -> Vec<(u16, bool)> {
    if product.to_ascii_lowercase().contains("openvpn") {
        vec![(1194, true)]
    } else {
        vec![(500, true), (4500, true)]
    }
}

/// The network of region `r`: zones from its zone nodes and its clusters, the VPC range
/// covering the drawn subnets, each subnet split into one piece per zone it spans.
fn region_net(g: &DesignGraph, pp: &ProviderPlan, r: usize, ordinal: u32) -> RegionNet {
    let NodeSpec::Region(props) = &g.node(r).spec else {
        unreachable!("regions only")
    };
    let label = pp.labels[&r].clone();
    let code = if props.code.is_empty() {
        safe(&g.node(r).name, &g.node(r).id)
    } else {
        props.code.clone()
    };
    let inside = g.descendants(r);
    let mut zones = BTreeSet::new();
    let mut zone_of_node: HashMap<usize, String> = HashMap::new();
    for &i in &inside {
        match &g.node(i).spec {
            NodeSpec::Zone(z) => {
                let z = if z.code.is_empty() {
                    g.node(i).name.clone()
                } else {
                    z.code.clone()
                };
                zones.insert(z.clone());
                zone_of_node.insert(i, z);
            }
            spec => {
                if let Some((_, zs)) = spec.cluster_placement() {
                    zones.extend(zs.iter().cloned());
                }
            }
        }
    }
    if zones.is_empty() {
        let sep = if pp.cloud == Cloud::Yandex { "-" } else { "" };
        zones.insert(format!("{code}{sep}a"));
        zones.insert(format!("{code}{sep}b"));
    }
    let zones: Vec<String> = zones.into_iter().collect();
    let mut drawn: Vec<usize> = inside
        .iter()
        .copied()
        .filter(|&i| g.kind(i) == Kind::Subnet)
        .collect();
    drawn.sort_by(|a, b| g.node(*a).id.cmp(&g.node(*b).id));
    let ranges: Vec<Option<Cidr>> = drawn
        .iter()
        .map(|&s| match &g.node(s).spec {
            NodeSpec::Subnet(p) => Cidr::parse(&p.cidr),
            _ => None,
        })
        .collect();
    let valid: Vec<Cidr> = ranges.iter().flatten().copied().collect();
    let fallback = Cidr {
        base: (10 << 24) | ((ordinal % 256) << 16),
        prefix: 16,
    };
    let vpc = Cidr::covering(&valid)
        .map(|c| c.widened_to(16))
        .unwrap_or(fallback);
    let mut subnets = Vec::new();
    let mut spare = 0u32;
    for (&s, range) in drawn.iter().zip(&ranges) {
        let NodeSpec::Subnet(p) = &g.node(s).spec else {
            continue;
        };
        // A subnet drawn inside a zone covers that zone only.
        let own_zone = g.scope(s).zone.and_then(|z| zone_of_node.get(&z).cloned());
        let its_zones: Vec<String> = match own_zone {
            Some(z) => vec![z],
            None => zones.clone(),
        };
        let range = range.unwrap_or_else(|| {
            // No usable range drawn: a /20 from the top of the VPC range.
            spare += 1;
            let size = 1u32 << (32 - 20u32.max(u32::from(vpc.prefix)));
            Cidr {
                base: vpc
                    .base
                    .wrapping_add(vpc_size(vpc).wrapping_sub(size.wrapping_mul(spare))),
                prefix: 20.max(vpc.prefix),
            }
        });
        subnets.push(subnet_net(
            Some(s),
            pp.labels[&s].clone(),
            p.visibility == Visibility::Public,
            &its_zones,
            &code,
            range,
        ));
    }
    if subnets.is_empty() {
        subnets.push(subnet_net(
            None,
            format!("{label}_private"),
            false,
            &zones,
            &code,
            vpc,
        ));
    }
    if pp.cloud == Cloud::Aws
        && !subnets.iter().any(|s| s.public)
        && needs_public_subnets(g, &inside)
    {
        if let Some(public) = public_pieces(&mut subnets, &zones, &code, &label) {
            subnets.push(public);
        }
    }
    RegionNet {
        region: r,
        label,
        code,
        zones,
        vpc,
        subnets,
    }
}

/// Whether an AWS region needs public subnets even though none is drawn: its Kubernetes nodes
/// pull images and join their cluster through a NAT gateway, a VPN VM's Elastic IP needs an
/// internet gateway route, and a public balancer needs subnets that route from it.
fn needs_public_subnets(g: &DesignGraph, inside: &[usize]) -> bool {
    inside.iter().any(|&i| match &g.node(i).spec {
        NodeSpec::KubernetesCluster(_) | NodeSpec::VpnGateway(_) => true,
        NodeSpec::LoadBalancer(lb) => lb.public && !lb.client_side,
        _ => false,
    })
}

/// Public subnets (one per zone of the region) carved from the top of the last private
/// subnet's range: that subnet's pieces shrink to a split one piece wider than its zones need,
/// so the top block of its range is free. `None` when the range is too small for that.
fn public_pieces(
    subnets: &mut [SubnetNet],
    zones: &[String],
    code: &str,
    region_label: &str,
) -> Option<SubnetNet> {
    let last = subnets.last_mut()?;
    let range = last.range;
    let k = last.pieces.len();
    let wider = range.split(k + 1);
    let block = wider.first()?.size();
    let spare = Cidr {
        base: range.base.wrapping_add(range.size()).wrapping_sub(block),
        prefix: wider[0].prefix,
    };
    let bits = (usize::BITS - (zones.len().max(1) - 1).leading_zeros()) as u8;
    if wider[0].prefix <= range.prefix || spare.prefix + bits > 28 {
        return None;
    }
    for (piece, new) in last.pieces.iter_mut().zip(&wider) {
        piece.2 = *new;
    }
    Some(subnet_net(
        None,
        format!("{region_label}_public"),
        true,
        zones,
        code,
        spare,
    ))
}

fn vpc_size(c: Cidr) -> u32 {
    if c.prefix == 0 {
        u32::MAX
    } else {
        1u32 << (32 - u32::from(c.prefix))
    }
}

fn subnet_net(
    node: Option<usize>,
    label: String,
    public: bool,
    zones: &[String],
    code: &str,
    range: Cidr,
) -> SubnetNet {
    let pieces = range
        .split(zones.len())
        .into_iter()
        .zip(zones)
        .map(|(c, z)| {
            let short = z
                .strip_prefix(code)
                .map(|s| s.trim_start_matches('-'))
                .filter(|s| !s.is_empty());
            let suffix = safe(short.unwrap_or(z), "zone");
            (
                z.clone(),
                format!("{label}_{}", suffix.replace('-', "_")),
                c,
            )
        })
        .collect();
    SubnetNet {
        node,
        public,
        range,
        pieces,
    }
}
