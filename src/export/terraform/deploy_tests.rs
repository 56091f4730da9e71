//! Tests of what an operator would hit at `terraform apply` time (issue 18, findings 9 and
//! 11–14): each one fails on the export as it was before the fix.

use std::collections::BTreeMap;

use hcl::{Block, Body};

use super::export;
use crate::export::{engines, ExportFile};
use crate::model::*;
use crate::templates::template;

fn parse(f: &ExportFile) -> Body {
    hcl::parse(&f.contents)
        .unwrap_or_else(|e| panic!("{} does not parse: {e}\n{}", f.path, f.contents))
}

/// `kind "type" "label"` blocks (kind: resource, data, variable, output…) of a module, by
/// `type.label` (or the one label).
fn blocks(files: &[ExportFile], dir: &str, kind: &str) -> BTreeMap<String, Block> {
    let mut out = BTreeMap::new();
    for f in files
        .iter()
        .filter(|f| f.path.starts_with(&format!("{dir}/")) && f.path.ends_with(".tf"))
    {
        for b in parse(f).into_blocks() {
            if b.identifier() == kind {
                let key = b
                    .labels()
                    .iter()
                    .map(|l| l.as_str())
                    .collect::<Vec<_>>()
                    .join(".");
                out.insert(key, b);
            }
        }
    }
    out
}

fn resources(files: &[ExportFile], dir: &str) -> BTreeMap<String, Block> {
    blocks(files, dir, "resource")
}

fn of_type<'a>(r: &'a BTreeMap<String, Block>, t: &str) -> Vec<(&'a String, &'a Block)> {
    r.iter()
        .filter(|(k, _)| k.starts_with(&format!("{t}.")))
        .collect()
}

fn text(b: &Block, key: &str) -> String {
    b.body()
        .attributes()
        .find(|a| a.key() == key)
        .map(|a| hcl::format::to_string(a.expr()).unwrap_or_default())
        .unwrap_or_default()
}

fn inner<'a>(b: &'a Block, ident: &str) -> Vec<&'a Block> {
    b.body()
        .blocks()
        .filter(|x| x.identifier() == ident)
        .collect()
}

fn file<'a>(files: &'a [ExportFile], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

/// Finding 9: a managed store's client port is one fact. For every managed store of every
/// template, the Kubernetes ConfigMaps (`<STORE>_PORT` of a store with `<STORE>_AUTH`, which
/// only managed stores carry), the NetworkPolicies' egress and the Terraform security group of
/// the store all say the port `engines::default_port` gives; MSK's is 9098 (IAM), not Kafka's
/// 9092.
#[test]
fn managed_store_ports_agree_between_kubernetes_and_terraform() {
    let mut checked = 0;
    for t in crate::templates::TEMPLATES {
        let design = template(t.slug).unwrap();
        let g = DesignGraph::new(&design);
        let k8s = crate::export::kubernetes::export(&design);
        let tf = export(&design);
        // key → value of every ConfigMap line `  KEY: value`, per document.
        let docs: Vec<BTreeMap<String, String>> = k8s
            .iter()
            .flat_map(|f| f.contents.split("\n---"))
            .filter(|d| d.contains("kind: ConfigMap"))
            .map(|d| {
                d.lines()
                    .filter_map(|l| l.strip_prefix("  ")?.split_once(": "))
                    .map(|(k, v)| (k.to_string(), v.trim_matches('"').to_string()))
                    .collect()
            })
            .collect();
        let policies: String = k8s
            .iter()
            .filter(|f| f.contents.contains("kind: NetworkPolicy"))
            .map(|f| f.contents.as_str())
            .collect();
        for i in 0..g.len() {
            let Some(store) = engines::store(&g.node(i).spec).filter(|s| s.managed) else {
                continue;
            };
            let Some(cloud) = engines::cloud_of(&g, i) else {
                continue;
            };
            let port = engines::default_port(&g, i).unwrap();
            let client = engines::client(&g, i, &store);
            assert_eq!(client.port, port);
            let used_by_pods = g
                .incoming(i)
                .any(|(_, s)| matches!(g.node(s).spec, NodeSpec::Workload(_)));
            if used_by_pods {
                // The prefix of the store's settings: its Kubernetes name, upper-cased.
                let own_prefix = engines::env_prefix(&crate::model::names::kube_name_or(
                    &g.node(i).name,
                    &g.node(i).id,
                ));
                let mut seen = 0;
                for d in &docs {
                    for (k, v) in d {
                        let Some(prefix) = k.strip_suffix("_AUTH") else {
                            continue;
                        };
                        if prefix == own_prefix || prefix.starts_with(&format!("{own_prefix}_")) {
                            assert_eq!(v, client.auth.as_str(), "{}: {k}", t.slug);
                            assert_eq!(
                                d.get(&format!("{prefix}_PORT")).map(String::as_str),
                                Some(port.to_string().as_str()),
                                "{}: {prefix}_PORT of a managed {} store",
                                t.slug,
                                store.engine.name
                            );
                            seen += 1;
                        }
                    }
                }
                assert!(seen > 0, "{}: no ConfigMap names {}", t.slug, g.node(i).id);
                assert!(
                    policies.contains(&format!("- port: {port}\n")),
                    "{}: no NetworkPolicy egress on {port} to {}",
                    t.slug,
                    g.node(i).id
                );
            }
            // Terraform: every rule on the store's own group is on that port.
            let Some(dir) = super::plan::module_dir(cloud) else {
                continue;
            };
            let plan = super::plan::Plan::new(&design);
            let pp = plan.providers.iter().find(|p| p.cloud == cloud).unwrap();
            let label = plan.label(pp, i);
            let r = resources(&tf, dir);
            let sg = match cloud {
                Cloud::Aws => format!("aws_security_group.{label}.id"),
                _ => format!("yandex_vpc_security_group.{label}.id"),
            };
            let rules: Vec<&Block> = r
                .iter()
                .filter(|(k, _)| {
                    k.starts_with("aws_vpc_security_group_ingress_rule.")
                        || k.starts_with("yandex_vpc_security_group_rule.")
                })
                .map(|(_, b)| b)
                .filter(|b| {
                    (text(b, "security_group_id") == sg
                        && !b.labels()[0].as_str().starts_with("yandex"))
                        || (text(b, "security_group_binding") == sg
                            && text(b, "direction") == "\"ingress\"")
                })
                .collect();
            assert!(!rules.is_empty(), "{}: no rule into {sg}", t.slug);
            for b in rules {
                let p = if text(b, "port").is_empty() {
                    text(b, "from_port")
                } else {
                    text(b, "port")
                };
                assert_eq!(p, port.to_string(), "{}: {sg}", t.slug);
            }
            checked += 1;
        }
    }
    // RDS ×2, ElastiCache, MSK ×2 (seed 003); RDS, Yandex PostgreSQL and MongoDB (seed 000).
    assert!(checked >= 8, "only {checked} managed stores checked");
}

#[test]
fn managed_services_listen_where_their_provider_puts_them() {
    let kafka_spec = NodeSpec::Queue(QueueProps {
        engine: QueueEngine::Kafka,
        managed: true,
        ..Default::default()
    });
    let kafka = engines::store(&kafka_spec).unwrap();
    let aws = engines::client_of(&kafka, Some(Cloud::Aws));
    assert_eq!((aws.port, aws.auth), (9098, engines::Auth::AwsIam));
    // Self-hosted Kafka keeps the image's port, whatever the cloud.
    let own = engines::Store {
        managed: false,
        ..kafka
    };
    assert_eq!(engines::client_of(&own, Some(Cloud::Aws)).port, 9092);
    let pg_spec = NodeSpec::Database(DatabaseProps {
        engine: DatabaseEngine::Postgresql,
        managed: true,
        ..Default::default()
    });
    let pg = engines::store(&pg_spec).unwrap();
    assert_eq!(engines::client_of(&pg, Some(Cloud::Yandex)).port, 6432);
    assert_eq!(engines::client_of(&pg, Some(Cloud::Aws)).port, 5432);
    assert_eq!(engines::client_of(&pg, None).port, 5432);
}

/// Finding 11: multicloud-shop's AWS side draws only a private subnet. The export must still
/// give it a way out (internet gateway, NAT gateways in public subnets), put the VPN VM where
/// its Elastic IP routes, keep the EKS group closed to the internet, size nodes for the HPAs,
/// make bucket names unique, and say what happens to the geo router.
#[test]
fn a_private_only_aws_region_still_reaches_the_internet() {
    let files = export(&private_only_shop());
    let r = resources(&files, "aws");
    assert_eq!(of_type(&r, "aws_internet_gateway").len(), 1);
    let nats = of_type(&r, "aws_nat_gateway");
    assert_eq!(nats.len(), 3, "one NAT gateway per zone");
    let public_rt = of_type(&r, "aws_route_table")
        .into_iter()
        .find(|(_, b)| {
            inner(b, "route")
                .iter()
                .any(|x| text(x, "gateway_id").starts_with("aws_internet_gateway."))
        })
        .map(|(k, _)| k.clone())
        .expect("a route table through the internet gateway");
    let public_subnets: Vec<String> = of_type(&r, "aws_route_table_association")
        .into_iter()
        .filter(|(_, b)| text(b, "route_table_id") == format!("{public_rt}.id"))
        .map(|(_, b)| text(b, "subnet_id"))
        .collect();
    assert_eq!(public_subnets.len(), 3);
    for (_, nat) in &nats {
        assert!(public_subnets.contains(&text(nat, "subnet_id")));
    }
    // Every private subnet routes 0.0.0.0/0 to a NAT gateway.
    let private_tables: Vec<_> = of_type(&r, "aws_route_table")
        .into_iter()
        .filter(|(_, b)| {
            inner(b, "route")
                .iter()
                .any(|x| text(x, "nat_gateway_id").starts_with("aws_nat_gateway."))
        })
        .collect();
    assert_eq!(private_tables.len(), 3);
    // The VPN VM sits in a public subnet (its Elastic IP needs the internet gateway's route).
    let (_, vm) = of_type(&r, "aws_instance")[0];
    assert!(
        public_subnets.contains(&text(vm, "subnet_id")),
        "{}",
        text(vm, "subnet_id")
    );
    // The public subnets do not overlap the private pieces.
    let ranges: Vec<super::cidr::Cidr> = of_type(&r, "aws_subnet")
        .iter()
        .map(|(_, b)| super::cidr::Cidr::parse(text(b, "cidr_block").trim_matches('"')).unwrap())
        .collect();
    for (i, a) in ranges.iter().enumerate() {
        for b in &ranges[i + 1..] {
            let p = a.prefix.min(b.prefix);
            let m = u32::MAX << (32 - u32::from(p));
            assert_ne!(a.base & m, b.base & m, "{a} overlaps {b}");
        }
    }
    // No rule opens the EKS cluster's group to the internet; the API is reached from
    // var.kubernetes_api_cidrs (no default).
    for (k, b) in of_type(&r, "aws_vpc_security_group_ingress_rule") {
        if text(b, "security_group_id").contains("aws_eks_cluster.") {
            assert_ne!(text(b, "cidr_ipv4"), "\"0.0.0.0/0\"", "{k}");
        }
    }
    let vars = blocks(&files, "aws", "variable");
    let api = &vars["kubernetes_api_cidrs"];
    assert!(text(api, "default").is_empty());
    // Nodes: the maximum covers the largest autoscaler (frontend and backend scale to 6).
    let tfvars = file(&files, "aws/environments/prod.tfvars");
    let max: u32 = tfvars
        .lines()
        .find_map(|l| l.trim().strip_prefix("max_size"))
        .and_then(|v| v.trim().trim_start_matches('=').trim().parse().ok())
        .unwrap();
    assert!(max >= 6, "max_size {max}");
    // Buckets: a unique suffix from Terraform, never a fixed global name.
    for (k, b) in of_type(&r, "aws_s3_bucket") {
        assert!(text(b, "bucket").is_empty(), "{k} has a fixed name");
        assert!(text(b, "bucket_prefix").contains("local.name"), "{k}");
    }
    let readme = file(&files, "README.md");
    assert!(
        readme.contains("no DNS record is written for it"),
        "{readme}"
    );
    assert!(readme.contains("geolocation record"), "{readme}");
}

/// multicloud-shop as it was drawn before its public subnet: the AWS region holds only the
/// private subnet, so the export must make the way out itself.
fn private_only_shop() -> Design {
    let mut design = template("multicloud-shop").unwrap();
    design.nodes.retain(|n| n.id != "aws-public");
    for n in &mut design.nodes {
        if n.parent.as_deref() == Some("aws-public") {
            n.parent = Some("aws-net".into());
        }
    }
    design
}

/// Finding 11: a public balancer drawn inside a private subnet still gets public subnets.
#[test]
fn a_public_balancer_in_a_private_subnet_sits_in_public_subnets() {
    let mut design = template("multicloud-shop").unwrap();
    let mut lb = Node::new(
        "aws-alb",
        "ALB",
        NodeSpec::LoadBalancer(LoadBalancerProps {
            public: true,
            ..Default::default()
        }),
    );
    lb.parent = Some("aws-net".into());
    design.nodes.push(lb);
    design.edges.push(Edge::new(
        "e-users-alb",
        "users-eu",
        "aws-alb",
        EdgeSpec::Traffic(TrafficProps {
            protocol: Protocol::Https,
            port: Some(443),
        }),
    ));
    let files = export(&design);
    let r = resources(&files, "aws");
    let (_, alb) = of_type(&r, "aws_lb")[0];
    assert_eq!(text(alb, "internal"), "false");
    let subnets = text(alb, "subnets");
    // The template draws a public subnet beside the private one, so the balancer goes there
    // (a region drawing only private subnets gets generated public ones, tested above).
    assert!(subnets.contains("_public_"), "{subnets}");
    for zone in ["a", "b", "c"] {
        let private = format!("aws_subnet.sosisochnaya_eu_{zone}.id");
        assert!(!subnets.contains(&private), "{subnets}");
    }
}

/// Finding 12: seed 003's DR module as an operator would apply it.
#[test]
fn the_dr_module_is_complete_enough_to_apply() {
    let files = export(&template("aws-multiregion-dr").unwrap());
    let r = resources(&files, "aws");
    // MSK Replicator across regions: the source has multi-VPC connectivity for IAM and a
    // cluster policy for the replicator's service, and the replicator waits for the policy.
    let (_, source) = r
        .iter()
        .find(|(k, _)| k.as_str() == "aws_msk_cluster.aws_msk")
        .unwrap();
    let broker = inner(source, "broker_node_group_info")[0];
    let vpc = inner(inner(broker, "connectivity_info")[0], "vpc_connectivity")[0];
    let sasl = inner(inner(vpc, "client_authentication")[0], "sasl")[0];
    assert_eq!(text(sasl, "iam"), "true");
    assert!(r.contains_key("aws_msk_cluster_policy.aws_msk"));
    let (_, replicator) = of_type(&r, "aws_msk_replicator")[0];
    assert!(text(replicator, "depends_on").contains("aws_msk_cluster_policy.aws_msk"));
    // Target groups: their ARNs are outputs and the README says how pods get registered.
    let outputs = blocks(&files, "aws", "output");
    for (k, _) in of_type(&r, "aws_lb_target_group") {
        let label = k.trim_start_matches("aws_lb_target_group.");
        assert!(
            outputs.contains_key(&format!("{label}_target_group_arn")),
            "{k}"
        );
    }
    let readme = file(&files, "README.md");
    assert!(readme.contains("TargetGroupBinding"), "{readme}");
    // Health: the ALB's target group and Route 53 ask the ingress controller's /healthz, which
    // answers 200 whatever the host (`/` is a 404 there).
    for (k, b) in of_type(&r, "aws_lb_target_group") {
        assert_eq!(
            text(inner(b, "health_check")[0], "path"),
            "\"/healthz\"",
            "{k}"
        );
    }
    let checks = of_type(&r, "aws_route53_health_check");
    assert_eq!(checks.len(), 2);
    for (k, b) in checks {
        assert_eq!(text(b, "resource_path"), "\"/healthz\"", "{k}");
    }
    // CloudFront: the origin is a host the ALB's certificate covers, the CDN has its own host
    // and certificate, and DNS points at it.
    let (_, cdn) = of_type(&r, "aws_cloudfront_distribution")[0];
    for o in inner(cdn, "origin") {
        let domain = text(o, "domain_name");
        assert!(!domain.contains("dns_name"), "origin {domain}");
        if domain.contains("origin-") {
            let alb_cert = &r["aws_acm_certificate.application_load_balancer_alb"];
            assert!(text(alb_cert, "subject_alternative_names").contains("origin-"));
        }
    }
    let viewer = inner(cdn, "viewer_certificate")[0];
    assert!(text(viewer, "acm_certificate_arn").contains("aws_acm_certificate_validation."));
    assert!(r.iter().any(|(k, b)| k.starts_with("aws_route53_record.")
        && inner(b, "alias")
            .first()
            .is_some_and(|a| text(a, "name").contains("aws_cloudfront_distribution."))));
    // NACLs on every subnet.
    let acl_subnets: String = of_type(&r, "aws_network_acl")
        .iter()
        .map(|(_, b)| text(b, "subnet_ids"))
        .collect();
    for (k, _) in of_type(&r, "aws_subnet") {
        assert!(
            acl_subnets.contains(&format!("{k}.id")),
            "{k} has no network ACL"
        );
    }
    // Staging must not write production's records.
    for (k, b) in of_type(&r, "aws_route53_record") {
        let gate = format!("{}{}", text(b, "count"), text(b, "for_each"));
        assert!(
            gate.contains("var.dns_records"),
            "{k} is written in every workspace"
        );
    }
    assert!(
        file(&files, "aws/environments/staging.tfvars").contains("dns_records       = false")
            || file(&files, "aws/environments/staging.tfvars").contains("dns_records = false")
    );
    assert!(file(&files, "aws/environments/prod.tfvars").contains("= true"));
    // EKS in standard support.
    for (k, b) in of_type(&r, "aws_eks_cluster") {
        let v = text(b, "version").trim_matches('"').to_string();
        let minor: u32 = v.split('.').nth(1).unwrap().parse().unwrap();
        assert!(minor >= 35, "{k}: {v}");
        assert_eq!(
            text(inner(b, "upgrade_policy")[0], "support_type"),
            "\"STANDARD\""
        );
    }
}

/// Finding 13: site-builder draws one cluster per environment; each exists only in its own
/// workspace, and each has the EBS CSI driver so that StatefulSet volumes bind.
#[test]
fn clusters_live_in_their_own_environment_with_a_storage_driver() {
    let files = export(&template("site-builder").unwrap());
    let r = resources(&files, "aws");
    let clusters = of_type(&r, "aws_eks_cluster");
    assert_eq!(clusters.len(), 3);
    let mut envs = Vec::new();
    for (k, b) in &clusters {
        let count = text(b, "count");
        let env = count
            .split('"')
            .nth(1)
            .unwrap_or_else(|| panic!("{k} has no count on the environment: {count}"))
            .to_string();
        assert!(count.starts_with("var.environment == "), "{k}: {count}");
        let label = k.trim_start_matches("aws_eks_cluster.");
        for dependent in [
            format!("aws_eks_node_group.{label}"),
            format!("aws_eks_addon.{label}_ebs_csi"),
            format!("aws_eks_pod_identity_association.{label}_ebs_csi"),
        ] {
            assert_eq!(text(&r[&dependent], "count"), count, "{dependent}");
        }
        assert_eq!(
            text(&r[&format!("aws_eks_addon.{label}_ebs_csi")], "addon_name"),
            "\"aws-ebs-csi-driver\""
        );
        assert_eq!(
            text(
                &r[&format!("aws_eks_pod_identity_association.{label}_ebs_csi")],
                "service_account"
            ),
            "\"ebs-csi-controller-sa\""
        );
        envs.push(env);
    }
    envs.sort();
    assert_eq!(envs, ["dev", "prod", "staging"]);
    // Rules touching a cluster's group exist only with the cluster.
    for (k, b) in of_type(&r, "aws_vpc_security_group_ingress_rule")
        .into_iter()
        .chain(of_type(&r, "aws_vpc_security_group_egress_rule"))
    {
        let refs = format!(
            "{} {}",
            text(b, "security_group_id"),
            text(b, "referenced_security_group_id")
        );
        if refs.contains("aws_eks_cluster.") {
            assert!(
                !text(b, "count").is_empty() || !text(b, "for_each").is_empty(),
                "{k}"
            );
        }
    }
    assert!(!file(&files, "README.md").contains("made in every workspace"));
}

/// Finding 14: the Yandex side of seed 000 as Yandex's security-group guide asks, and a
/// balancer that forwards somewhere.
#[test]
fn yandex_cluster_groups_and_balancer_follow_the_guide() {
    let files = export(&template("multicloud-shop").unwrap());
    let r = resources(&files, "yandex");
    let (_, cluster) = of_type(&r, "yandex_kubernetes_cluster")[0];
    let pods = text(cluster, "cluster_ipv4_range");
    let services = text(cluster, "service_ipv4_range");
    assert!(!pods.is_empty() && !services.is_empty());
    let master_groups = text(inner(cluster, "master")[0], "security_group_ids");
    let (_, group) = of_type(&r, "yandex_kubernetes_node_group")[0];
    let node_groups = text(
        inner(inner(group, "instance_template")[0], "network_interface")[0],
        "security_group_ids",
    );
    assert_ne!(
        master_groups, node_groups,
        "the master shares the nodes' group"
    );
    let node_sg = node_groups
        .trim_matches(|c| c == '[' || c == ']' || c == '\n' || c == ' ')
        .to_string();
    let rules: Vec<&Block> = of_type(&r, "yandex_vpc_security_group_rule")
        .into_iter()
        .map(|(_, b)| b)
        .filter(|b| text(b, "security_group_binding") == node_sg)
        .collect();
    let has = |f: &dyn Fn(&Block) -> bool| rules.iter().any(|b| f(b));
    assert!(has(&|b| text(b, "v4_cidr_blocks")
        .contains(pods.trim_matches('"'))
        && text(b, "v4_cidr_blocks")
            .contains(services.trim_matches('"'))));
    assert!(has(
        &|b| text(b, "from_port") == "30000" && text(b, "to_port") == "32767"
    ));
    assert!(has(&|b| text(b, "security_group_id").contains("_master.id")));
    // The balancer: a listener on the drawn port forwarding to the ingress controller's
    // NodePort, and a target group filled from the node group's instances.
    let (_, nlb) = of_type(&r, "yandex_lb_network_load_balancer")[0];
    let listener = inner(nlb, "listener")[0];
    assert_eq!(text(listener, "port"), "443");
    assert_eq!(text(listener, "target_port"), "30443");
    let (_, tg) = of_type(&r, "yandex_lb_target_group")[0];
    let dynamic = inner(tg, "dynamic");
    assert_eq!(dynamic.len(), 1, "the target group is empty");
    assert!(text(dynamic[0], "for_each").contains("data.yandex_compute_instance_group."));
    assert!(file(&files, "README.md").contains("nodePorts.https=30443"));
}
