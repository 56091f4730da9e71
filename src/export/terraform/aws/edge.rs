//! AWS edge: balancers (ALB/NLB with an ACM certificate for the hosts behind them, HTTPS only,
//! HTTP redirected), WAFv2 web ACLs with AWS managed rules and logging, CloudFront in front of
//! buckets and balancers, Route 53 records per geo or failover route with health checks, the
//! OpenVPN VM, and GuardDuty / Security Hub where the design draws them.

use hcl::expr::Expression;
use hcl::Block;

use super::super::hcl::*;
use super::super::module::{tags, ty, Concern, Variable};
use super::network::{peer_var, sg_id};
use super::Aws;
use crate::model::*;

/// The AWS managed cache policy "CachingOptimized".
const CACHING_OPTIMIZED: &str = "658327ea-f89d-4fab-a63d-7e88639e58f6";
const TLS_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

pub(super) fn build(cx: &mut Aws) {
    let plan = cx.plan;
    for l in plan.nodes_of(cx.pp, Kind::LoadBalancer) {
        if let NodeSpec::LoadBalancer(p) = &plan.g.node(l).spec {
            balancer(cx, l, p);
        }
    }
    for w in plan.nodes_of(cx.pp, Kind::Waf) {
        waf(cx, w);
    }
    for c in plan.nodes_of(cx.pp, Kind::Cdn) {
        cdn(cx, c);
    }
    for r in plan.nodes_of(cx.pp, Kind::GeoRouter) {
        if let NodeSpec::GeoRouter(p) = &plan.g.node(r).spec {
            router(cx, r, p);
        }
    }
    foreign_routes(cx);
    for v in plan.nodes_of(cx.pp, Kind::VpnGateway) {
        vpn(cx, v);
    }
    for s in plan.nodes_of(cx.pp, Kind::SecurityService) {
        security_service(cx, s);
    }
}

/// Nodes that traffic from `i` reaches directly, with the port, sorted by id.
fn traffic_targets(cx: &Aws, i: usize) -> Vec<(usize, Option<u16>, Protocol)> {
    let g = &cx.plan.g;
    let mut out: Vec<(usize, Option<u16>, Protocol)> = g
        .outgoing_of(i, EdgeKind::Traffic)
        .filter_map(|(e, t)| match &g.edge(e).spec {
            EdgeSpec::Traffic(tp) => Some((t, tp.port, tp.protocol)),
            _ => None,
        })
        .collect();
    out.sort_by(|a, b| g.node(a.0).id.cmp(&g.node(b.0).id).then(a.1.cmp(&b.1)));
    out.dedup_by_key(|t| t.0);
    out
}

fn balancer(cx: &mut Aws, l: usize, p: &LoadBalancerProps) {
    if p.client_side {
        return; // a library in the clients, no cloud resource
    }
    if cx.plan.net_of(l).is_none() {
        cx.m.notes.push(format!(
            "Load balancer {}: in no region; not made.",
            cx.plan.ascii_name(l)
        ));
        return;
    }
    let label = cx.label(l);
    let name = label.replace('_', "-");
    let prov = cx.provider(l);
    let app = p.layer == Layer::L7;
    let mut b = resource("aws_lb", &label)
        .add_attribute(prov.clone())
        .add_attribute(("name", limited(&name, 32)))
        .add_attribute(("internal", !p.public))
        .add_attribute((
            "load_balancer_type",
            if app { "application" } else { "network" },
        ))
        .add_attribute((
            "subnets",
            Expression::Array(
                cx.plan
                    .subnet_pieces(l, p.public, &[])
                    .iter()
                    .map(|s| attr("aws_subnet", s, "id"))
                    .collect(),
            ),
        ))
        .add_attribute(("security_groups", Expression::Array(vec![sg_id(cx, l)])))
        .add_attribute(("enable_deletion_protection", true));
    if app {
        b = b.add_attribute(("drop_invalid_header_fields", true));
    }
    let logs = super::s3::access_log_bucket(cx, &cx.region_label(l));
    b = b
        .add_block(nested(
            "access_logs",
            [
                ("bucket", attr("aws_s3_bucket", &logs, "id")),
                ("prefix", Expression::from(format!("alb/{name}"))),
                ("enabled", Expression::from(true)),
            ],
        ))
        .add_attribute((
            "depends_on",
            Expression::Array(vec![reference("aws_s3_bucket_policy", &[&logs])]),
        ));
    cx.m.add(
        Concern::Edge,
        b.add_attribute(("tags", tags(prefixed(&name)))).build(),
    );
    let rl = cx.region_label(l);
    let targets = traffic_targets(cx, l);
    let mut groups = Vec::new();
    for (t, port, protocol) in &targets {
        let tl = format!("{label}_{}", cx.label(*t));
        let port = port.unwrap_or(if *protocol == Protocol::Http { 80 } else { 443 });
        let tg_protocol = match (app, protocol) {
            (true, Protocol::Http) => "HTTP",
            (true, _) => "HTTPS",
            (false, Protocol::Udp) => "UDP",
            (false, _) => "TCP",
        };
        // Targets are pod IPs, registered by the AWS Load Balancer Controller
        // (TargetGroupBinding), so the group is typed `ip` and left empty here.
        let mut tg = resource("aws_lb_target_group", &tl)
            .add_attribute(prov.clone())
            .add_attribute(("name", limited(&tl.replace('_', "-"), 32)))
            .add_attribute(("port", port))
            .add_attribute(("protocol", tg_protocol))
            .add_attribute(("target_type", "ip"))
            .add_attribute(("vpc_id", attr("aws_vpc", &rl, "id")));
        let mut hc = Block::builder("health_check").add_attribute(("enabled", true));
        if app {
            hc = hc
                .add_attribute(("path", cx.plan.health_path(*t)))
                .add_attribute(("matcher", "200-399"))
                .add_attribute(("protocol", tg_protocol));
        }
        tg = tg.add_block(hc.build());
        cx.m.add(Concern::Edge, tg.build());
        // Kubernetes registers the pods: the AWS Load Balancer Controller's TargetGroupBinding
        // names this ARN and the Service of the target (see the README).
        cx.m.output(
            &format!("{tl}_target_group_arn"),
            attr("aws_lb_target_group", &tl, "arn"),
            &format!(
                "Target group of {} for a TargetGroupBinding to the Service of {}",
                cx.plan.ascii_name(l),
                cx.plan.ascii_name(*t)
            ),
        );
        cx.m.notes.push(format!(
            "Load balancer {}: its target group `{tl}` (type ip, output `{tl}_target_group_arn`) is filled by Kubernetes, not here. Install the AWS Load Balancer Controller (Helm chart `eks/aws-load-balancer-controller`, with the IAM policy its documentation gives, bound to its service account by EKS Pod Identity) in the cluster and apply a `TargetGroupBinding` (apiVersion elbv2.k8s.aws/v1beta1) with `targetGroupARN` set to that output, `targetType: ip` and `serviceRef` the Service of {} on port {port}.",
            cx.plan.ascii_name(l),
            cx.plan.ascii_name(*t)
        ));
        groups.push((tl, port, tg_protocol));
    }
    let forward = |tg: &str| {
        nested(
            "default_action",
            [
                ("type", Expression::from("forward")),
                ("target_group_arn", attr("aws_lb_target_group", tg, "arn")),
            ],
        )
    };
    let not_found = || {
        Block::builder("default_action")
            .add_attribute(("type", "fixed-response"))
            .add_block(nested(
                "fixed_response",
                [
                    ("content_type", Expression::from("text/plain")),
                    ("status_code", Expression::from("404")),
                ],
            ))
            .build()
    };
    if app {
        let action = groups
            .first()
            .map(|(tg, _, _)| forward(tg))
            .unwrap_or_else(not_found);
        if p.tls {
            let certificate_arn = certificate(cx, l);
            cx.m.add(
                Concern::Edge,
                resource("aws_lb_listener", &format!("{label}_https"))
                    .add_attribute(prov.clone())
                    .add_attribute(("load_balancer_arn", attr("aws_lb", &label, "arn")))
                    .add_attribute(("port", 443))
                    .add_attribute(("protocol", "HTTPS"))
                    .add_attribute(("ssl_policy", TLS_POLICY))
                    .add_attribute(("certificate_arn", certificate_arn))
                    .add_block(action)
                    .build(),
            );
            cx.m.add(
                Concern::Edge,
                resource("aws_lb_listener", &format!("{label}_http"))
                    .add_attribute(prov)
                    .add_attribute(("load_balancer_arn", attr("aws_lb", &label, "arn")))
                    .add_attribute(("port", 80))
                    .add_attribute(("protocol", "HTTP"))
                    .add_block(
                        Block::builder("default_action")
                            .add_attribute(("type", "redirect"))
                            .add_block(nested(
                                "redirect",
                                [
                                    ("port", Expression::from("443")),
                                    ("protocol", Expression::from("HTTPS")),
                                    ("status_code", Expression::from("HTTP_301")),
                                ],
                            ))
                            .build(),
                    )
                    .build(),
            );
        } else {
            cx.m.add(
                Concern::Edge,
                resource("aws_lb_listener", &format!("{label}_http"))
                    .add_attribute(prov)
                    .add_attribute(("load_balancer_arn", attr("aws_lb", &label, "arn")))
                    .add_attribute(("port", 80))
                    .add_attribute(("protocol", "HTTP"))
                    .add_block(action)
                    .build(),
            );
        }
    } else {
        for (tg, port, protocol) in &groups {
            cx.m.add(
                Concern::Edge,
                resource("aws_lb_listener", &format!("{tg}_listener"))
                    .add_attribute(prov.clone())
                    .add_attribute(("load_balancer_arn", attr("aws_lb", &label, "arn")))
                    .add_attribute(("port", *port))
                    .add_attribute(("protocol", *protocol))
                    .add_block(forward(tg))
                    .build(),
            );
        }
    }
    cx.m.output(
        &format!("{label}_dns_name"),
        attr("aws_lb", &label, "dns_name"),
        &format!("DNS name of {}", cx.plan.ascii_name(l)),
    );
}

/// `var.dns_records`: whether this workspace writes the public Route 53 records. The hosts are
/// the design's, one set for all environments, so only production workspaces write them: a
/// staging apply must never repoint (or, on destroy, delete) production's names. Declared on
/// first use, true in the production environments' tfvars and false in the others.
fn dns_records(cx: &mut Aws) -> Expression {
    if !cx.m.has_variable("dns_records") {
        let plan = cx.plan;
        cx.m.variable(
            "dns_records",
            Variable {
                ty: ty("bool"),
                description: "Whether this workspace writes the public Route 53 records (production only: the hosts are shared by every environment)".into(),
                default: Some(super::super::sizing::is_production(plan, &plan.default_environment()).into()),
                sensitive: false,
            },
        );
        for env in super::super::sizing::environments(plan) {
            let production = super::super::sizing::is_production(plan, &env);
            cx.m.env_value(&env, "dns_records", production.into());
        }
        cx.m.notes.push("Route 53 records (hosts, failover and certificate validation) are written only where `dns_records` is true: the production environments' tfvars. Other workspaces make their balancers and certificates for the same hosts; the certificates validate through production's records (ACM's validation record is the same per name and account), so apply production first, and point a test host at a staging balancer by hand if one is needed.".into());
    }
    var("dns_records")
}

fn dns_count(cx: &mut Aws) -> Expression {
    Expression::from(hcl::expr::Conditional::new(
        dns_records(cx),
        Expression::from(1),
        Expression::from(0),
    ))
}

/// The public hosts behind a balancer, or `var.domain_name` when the design names none.
fn hosts(cx: &mut Aws, i: usize) -> Vec<Expression> {
    let hosts = cx.plan.hosts_behind(i);
    if hosts.is_empty() {
        domain_variable(cx);
        vec![var("domain_name")]
    } else {
        hosts.into_iter().map(Expression::from).collect()
    }
}

fn domain_variable(cx: &mut Aws) {
    cx.m.string_variable(
        "domain_name",
        "Public host name served when the design names none",
        None,
    );
    cx.m.example_value("domain_name", "www.example.com".into());
}

/// A DNS-validated ACM certificate for the hosts behind `l`; returns the ARN listeners use.
/// With a Route 53 zone in the design the validation records and the wait for validation are
/// made too; otherwise the records belong to whoever holds the zone (a note says so).
fn certificate(cx: &mut Aws, l: usize) -> Expression {
    let label = cx.label(l);
    let mut names = hosts(cx, l);
    // A CDN in front reaches the balancer by a host of its own that this certificate covers.
    if let Some(host) = origin_host(cx, l) {
        names.push(host);
    }
    let first = names.remove(0);
    let mut b = resource("aws_acm_certificate", &label)
        .add_attribute(cx.provider(l))
        .add_attribute(("domain_name", first));
    if !names.is_empty() {
        b = b.add_attribute(("subject_alternative_names", Expression::Array(names)));
    }
    cx.m.add(
        Concern::Edge,
        b.add_attribute(("validation_method", "DNS"))
            .add_block(nested(
                "lifecycle",
                [("create_before_destroy", Expression::from(true))],
            ))
            .build(),
    );
    let Some(zone) = hosted_zone(cx) else {
        cx.m.notes.push(format!(
            "Certificate of {}: no Route 53 zone in the design, so its DNS validation records are left to the zone's owner.",
            cx.plan.ascii_name(l)
        ));
        return attr("aws_acm_certificate", &label, "arn");
    };
    let provider = cx.provider(l);
    validated_by_dns(cx, provider, &label, &zone)
}

/// The DNS records that validate the ACM certificate `cert` in the Route 53 zone `zone` (only
/// where this workspace writes DNS records), and its validation; the validated certificate's ARN.
fn validated_by_dns(
    cx: &mut Aws,
    provider: (&'static str, Expression),
    cert: &str,
    zone: &str,
) -> Expression {
    let option = |field: &str| reference("each", &["value", field]);
    // One record per name to validate: { for o in ….domain_validation_options : o.domain_name => o }.
    let options = hcl::expr::ForExpr::new(
        hcl::Identifier::sanitized("o"),
        attr("aws_acm_certificate", cert, "domain_validation_options"),
        reference("o", &[]),
    )
    .with_key_expr(reference("o", &["domain_name"]));
    let records = format!("{cert}_validation");
    let each = Expression::from(hcl::expr::Conditional::new(
        dns_records(cx),
        Expression::ForExpr(Box::new(options)),
        Expression::Object(Default::default()),
    ));
    cx.m.add(
        Concern::Edge,
        resource("aws_route53_record", &records)
            .add_attribute(provider.clone())
            .add_attribute(("for_each", each))
            .add_attribute(("zone_id", data_attr("aws_route53_zone", zone, "zone_id")))
            .add_attribute(("name", option("resource_record_name")))
            .add_attribute(("type", option("resource_record_type")))
            .add_attribute((
                "records",
                Expression::Array(vec![option("resource_record_value")]),
            ))
            .add_attribute(("ttl", 60))
            .add_attribute(("allow_overwrite", true))
            .build(),
    );
    let fqdns = hcl::expr::ForExpr::new(
        hcl::Identifier::sanitized("r"),
        reference("aws_route53_record", &[&records]),
        reference("r", &["fqdn"]),
    );
    cx.m.add(
        Concern::Edge,
        resource("aws_acm_certificate_validation", cert)
            .add_attribute(provider)
            .add_attribute(("certificate_arn", attr("aws_acm_certificate", cert, "arn")))
            .add_attribute((
                "validation_record_fqdns",
                Expression::ForExpr(Box::new(fqdns)),
            ))
            .build(),
    );
    attr("aws_acm_certificate_validation", cert, "certificate_arn")
}

/// The public hosted zone of the design's Route 53 router (the first, by id, that routes to a
/// balancer of this provider), looked up once by `var.dns_zone`; its label.
fn hosted_zone(cx: &mut Aws) -> Option<String> {
    let g = &cx.plan.g;
    let router = cx
        .plan
        .nodes_of(cx.pp, Kind::GeoRouter)
        .into_iter()
        .find(|&r| {
            g.outgoing_of(r, EdgeKind::GeoRoute)
                .any(|(_, t)| g.kind(t) == Kind::LoadBalancer && cx.pp.labels.contains_key(&t))
        })?;
    let label = cx.label(router);
    if cx.m.has_data("aws_route53_zone", &label) {
        return Some(label);
    }
    // The zone of the first host behind the router: `www.shop.example.com` → `shop.example.com`.
    let zone_default = cx
        .plan
        .hosts_behind(router)
        .first()
        .and_then(|h| h.split_once('.').map(|(_, z)| z.to_string()));
    cx.m.variable(
        "dns_zone",
        Variable {
            ty: ty("string"),
            description: "The public Route 53 hosted zone the records go into".into(),
            default: zone_default.map(Expression::from),
            sensitive: false,
        },
    );
    cx.m.add(
        Concern::Edge,
        data("aws_route53_zone", &label)
            .add_attribute(cx.provider(router))
            .add_attribute(("name", var("dns_zone")))
            .add_attribute(("private_zone", false))
            .build(),
    );
    Some(label)
}

fn waf(cx: &mut Aws, w: usize) {
    let label = cx.label(w);
    let name = label.replace('_', "-");
    let regional = cx.plan.net_of(w).is_some();
    if !regional && !cx.plan.nets.values().any(|n| n.code == "us-east-1") {
        cx.m.notes.push(format!(
            "WAF {}: a CloudFront web ACL lives in us-east-1, which the design does not draw; made with the first region's provider, which AWS refuses for scope CLOUDFRONT.",
            cx.plan.ascii_name(w)
        ));
    }
    let prov = if regional {
        cx.provider(w)
    } else {
        let us = cx
            .plan
            .nets
            .values()
            .find(|n| n.code == "us-east-1")
            .map(|n| n.label.clone());
        match us {
            Some(r) => cx.provider_of_region(&r),
            None => cx.provider(w),
        }
    };
    let visibility = |metric: &str| {
        nested(
            "visibility_config",
            [
                ("cloudwatch_metrics_enabled", Expression::from(true)),
                ("metric_name", Expression::from(metric)),
                ("sampled_requests_enabled", Expression::from(true)),
            ],
        )
    };
    let mut acl = resource("aws_wafv2_web_acl", &label)
        .add_attribute(prov.clone())
        .add_attribute(("name", prefixed(&name)))
        .add_attribute(("scope", if regional { "REGIONAL" } else { "CLOUDFRONT" }))
        .add_block(
            Block::builder("default_action")
                .add_block(empty("allow"))
                .build(),
        );
    // The common rules, known bad inputs (Log4Shell among them) and anonymising proxies.
    for (priority, group) in [
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesAnonymousIpList",
    ]
    .into_iter()
    .enumerate()
    {
        acl = acl.add_block(
            Block::builder("rule")
                .add_attribute(("name", group))
                .add_attribute(("priority", priority as u64 + 1))
                .add_block(
                    Block::builder("override_action")
                        .add_block(empty("none"))
                        .build(),
                )
                .add_block(
                    Block::builder("statement")
                        .add_block(nested(
                            "managed_rule_group_statement",
                            [
                                ("name", Expression::from(group)),
                                ("vendor_name", Expression::from("AWS")),
                            ],
                        ))
                        .build(),
                )
                .add_block(visibility(group))
                .build(),
        );
    }
    let acl = acl
        .add_block(visibility(&name))
        .add_attribute(("tags", tags(prefixed(&name))))
        .build();
    cx.m.add(Concern::Edge, acl);
    // WAF logs must go to a group whose name starts with aws-waf-logs-.
    let logs = format!("{label}_waf");
    let kms = cx.kms(w);
    cx.m.add(
        Concern::Edge,
        resource("aws_cloudwatch_log_group", &logs)
            .add_attribute(prov.clone())
            .add_attribute((
                "name",
                template(format!("aws-waf-logs-${{local.name}}-{name}")),
            ))
            .add_attribute(("retention_in_days", 365))
            .add_attribute(("kms_key_id", kms))
            .build(),
    );
    cx.m.add(
        Concern::Edge,
        resource("aws_wafv2_web_acl_logging_configuration", &label)
            .add_attribute(prov.clone())
            .add_attribute(("resource_arn", attr("aws_wafv2_web_acl", &label, "arn")))
            .add_attribute((
                "log_destination_configs",
                Expression::Array(vec![attr("aws_cloudwatch_log_group", &logs, "arn")]),
            ))
            .build(),
    );
    if regional {
        for (t, _, _) in traffic_targets(cx, w) {
            if cx.plan.g.kind(t) == Kind::LoadBalancer && cx.pp.labels.contains_key(&t) {
                let tl = cx.label(t);
                cx.m.add(
                    Concern::Edge,
                    resource("aws_wafv2_web_acl_association", &format!("{label}_{tl}"))
                        .add_attribute(prov.clone())
                        .add_attribute(("resource_arn", attr("aws_lb", &tl, "arn")))
                        .add_attribute(("web_acl_arn", attr("aws_wafv2_web_acl", &label, "arn")))
                        .build(),
                );
            }
        }
    }
}

/// Whether some CDN of this provider forwards to balancer `l` (directly or through a WAF).
fn is_cdn_origin(cx: &Aws, l: usize) -> bool {
    cx.plan.nodes_of(cx.pp, Kind::Cdn).into_iter().any(|c| {
        origins(cx, c)
            .iter()
            .any(|o| matches!(o, Origin::Balancer(b) if *b == cx.label(l)))
    })
}

/// `origin-<balancer>.<var.dns_zone>`: the host CloudFront uses to reach balancer `l`, covered
/// by the balancer's certificate (CloudFront checks the origin's certificate against the
/// origin domain, which the balancer's own `*.elb.amazonaws.com` name never matches). `None`
/// without a Route 53 zone in the design, or when no CDN fronts `l`.
fn origin_host(cx: &mut Aws, l: usize) -> Option<Expression> {
    if !is_cdn_origin(cx, l) {
        return None;
    }
    hosted_zone(cx)?;
    Some(template(format!(
        "origin-{}.${{var.dns_zone}}",
        cx.label(l).replace('_', "-")
    )))
}

/// A Route 53 alias `name` → the target whose DNS name and zone are given, A and AAAA.
fn alias_records(
    cx: &mut Aws,
    label: &str,
    owner: usize,
    name: Expression,
    target: (Expression, Expression),
    types: &[&str],
) {
    let Some(zone) = hosted_zone(cx) else {
        return;
    };
    for t in types {
        let count = dns_count(cx);
        cx.m.add(
            Concern::Edge,
            resource(
                "aws_route53_record",
                &format!("{label}_{}", t.to_ascii_lowercase()),
            )
            .add_attribute(cx.provider(owner))
            .add_attribute(("count", count))
            .add_attribute(("zone_id", data_attr("aws_route53_zone", &zone, "zone_id")))
            .add_attribute(("name", name.clone()))
            .add_attribute(("type", *t))
            .add_block(nested(
                "alias",
                [
                    ("name", target.0.clone()),
                    ("zone_id", target.1.clone()),
                    ("evaluate_target_health", Expression::from(false)),
                ],
            ))
            .build(),
        );
    }
}

/// What a CDN origin is: a bucket, or a balancer (directly or through a regional WAF).
enum Origin {
    Bucket(String),
    Balancer(String),
}

fn origins(cx: &Aws, c: usize) -> Vec<Origin> {
    let g = &cx.plan.g;
    let mut out = Vec::new();
    for (t, _, _) in traffic_targets(cx, c) {
        if !cx.pp.labels.contains_key(&t) {
            continue;
        }
        match g.kind(t) {
            Kind::ObjectStorage => out.push(Origin::Bucket(cx.label(t))),
            Kind::LoadBalancer => out.push(Origin::Balancer(cx.label(t))),
            Kind::Waf => {
                for (l, _, _) in traffic_targets(cx, t) {
                    if g.kind(l) == Kind::LoadBalancer && cx.pp.labels.contains_key(&l) {
                        out.push(Origin::Balancer(cx.label(l)));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn cdn(cx: &mut Aws, c: usize) {
    let label = cx.label(c);
    let name = label.replace('_', "-");
    let origins = origins(cx, c);
    if origins.is_empty() {
        cx.m.notes.push(format!(
            "CDN {}: no bucket or balancer of this provider behind it; not made.",
            cx.plan.ascii_name(c)
        ));
        return;
    }
    let prov = cx.provider(c);
    let mut dist = resource("aws_cloudfront_distribution", &label)
        .add_attribute(prov.clone())
        .add_attribute(("enabled", true))
        .add_attribute(("is_ipv6_enabled", true))
        .add_attribute(("comment", format!("CDN {}", cx.plan.ascii_name(c))));
    if let Some(host) = cdn_host(cx, c) {
        dist = dist.add_attribute(("aliases", Expression::Array(vec![host])));
    }
    if matches!(origins.first(), Some(Origin::Bucket(_))) {
        dist = dist.add_attribute(("default_root_object", "index.html"));
    }
    let mut first = None;
    for o in &origins {
        let block = match o {
            Origin::Bucket(b) => {
                first.get_or_insert_with(|| b.clone());
                Block::builder("origin")
                    .add_attribute(("origin_id", b.as_str()))
                    .add_attribute((
                        "domain_name",
                        attr("aws_s3_bucket", b, "bucket_regional_domain_name"),
                    ))
                    .add_attribute((
                        "origin_access_control_id",
                        attr("aws_cloudfront_origin_access_control", &label, "id"),
                    ))
                    .build()
            }
            Origin::Balancer(l) => {
                first.get_or_insert_with(|| l.clone());
                let node = cx
                    .pp
                    .labels
                    .iter()
                    .find(|(_, v)| *v == l)
                    .map(|(k, _)| *k);
                let host = node.and_then(|n| origin_host(cx, n));
                let domain = match (&host, node) {
                    (Some(h), Some(n)) => {
                        alias_records(
                            cx,
                            &format!("{l}_origin"),
                            n,
                            h.clone(),
                            (attr("aws_lb", l, "dns_name"), attr("aws_lb", l, "zone_id")),
                            &["A"],
                        );
                        h.clone()
                    }
                    _ => {
                        cx.m.notes.push(format!(
                            "CDN {}: no Route 53 zone in the design, so its origin is the balancer's own DNS name, which the balancer's certificate does not cover: CloudFront refuses it over HTTPS. Give the balancer a host in your zone (and its certificate) and set it as the origin's domain_name.",
                            cx.plan.ascii_name(c)
                        ));
                        attr("aws_lb", l, "dns_name")
                    }
                };
                Block::builder("origin")
                    .add_attribute(("origin_id", l.as_str()))
                    .add_attribute(("domain_name", domain))
                    .add_block(nested(
                        "custom_origin_config",
                        [
                            ("http_port", Expression::from(80)),
                            ("https_port", Expression::from(443)),
                            ("origin_protocol_policy", Expression::from("https-only")),
                            ("origin_ssl_protocols", strings(["TLSv1.2"])),
                        ],
                    ))
                    .build()
            }
        };
        dist = dist.add_block(block);
    }
    let dist = dist
        .add_block(nested(
            "default_cache_behavior",
            [
                (
                    "target_origin_id",
                    Expression::from(first.unwrap_or_default()),
                ),
                (
                    "viewer_protocol_policy",
                    Expression::from("redirect-to-https"),
                ),
                ("allowed_methods", strings(["GET", "HEAD", "OPTIONS"])),
                ("cached_methods", strings(["GET", "HEAD"])),
                ("cache_policy_id", Expression::from(CACHING_OPTIMIZED)),
                (
                    "response_headers_policy_id",
                    attr("aws_cloudfront_response_headers_policy", &label, "id"),
                ),
            ],
        ))
        .add_block(
            Block::builder("restrictions")
                .add_block(nested(
                    "geo_restriction",
                    [("restriction_type", Expression::from("none"))],
                ))
                .build(),
        )
        .add_block(viewer_certificate(cx, c, &label))
        .add_attribute(("tags", tags(prefixed(&name))))
        .build();
    cx.m.add(Concern::Edge, dist);
    if let Some(host) = cdn_host(cx, c) {
        alias_records(
            cx,
            &label,
            c,
            host,
            (
                attr("aws_cloudfront_distribution", &label, "domain_name"),
                attr("aws_cloudfront_distribution", &label, "hosted_zone_id"),
            ),
            &["A", "AAAA"],
        );
    }
    cx.m.add(Concern::Edge, security_headers(cx, c, &label, &name));
    let buckets: Vec<String> = origins
        .iter()
        .filter_map(|o| match o {
            Origin::Bucket(b) => Some(b.clone()),
            Origin::Balancer(_) => None,
        })
        .collect();
    if buckets.is_empty() {
        return;
    }
    cx.m.add(
        Concern::Edge,
        resource("aws_cloudfront_origin_access_control", &label)
            .add_attribute(prov.clone())
            .add_attribute(("name", prefixed(&name)))
            .add_attribute(("origin_access_control_origin_type", "s3"))
            .add_attribute(("signing_behavior", "always"))
            .add_attribute(("signing_protocol", "sigv4"))
            .build(),
    );
    for b in buckets {
        let doc = format!("{b}_from_{label}");
        cx.m.add(
            Concern::Edge,
            data("aws_iam_policy_document", &doc)
                .add_block(
                    Block::builder("statement")
                        .add_attribute(("sid", "ReadThroughCloudFront"))
                        .add_attribute(("actions", strings(["s3:GetObject"])))
                        .add_attribute((
                            "resources",
                            Expression::Array(vec![template(format!(
                                "${{aws_s3_bucket.{b}.arn}}/*"
                            ))]),
                        ))
                        .add_block(nested(
                            "principals",
                            [
                                ("type", Expression::from("Service")),
                                ("identifiers", strings(["cloudfront.amazonaws.com"])),
                            ],
                        ))
                        .add_block(nested(
                            "condition",
                            [
                                ("test", Expression::from("StringEquals")),
                                ("variable", Expression::from("AWS:SourceArn")),
                                (
                                    "values",
                                    Expression::Array(vec![attr(
                                        "aws_cloudfront_distribution",
                                        &label,
                                        "arn",
                                    )]),
                                ),
                            ],
                        ))
                        .build(),
                )
                .build(),
        );
        cx.m.add(
            Concern::Edge,
            resource("aws_s3_bucket_policy", &b)
                .add_attribute(cx.provider_of_region(&cx.region_label(c)))
                .add_attribute(("bucket", attr("aws_s3_bucket", &b, "id")))
                .add_attribute(("policy", data_attr("aws_iam_policy_document", &doc, "json")))
                .build(),
        );
    }
}

/// `<cdn>.<var.dns_zone>`, the CDN's own host, when the design has a Route 53 zone and draws
/// us-east-1 (CloudFront takes certificates from there only).
fn cdn_host(cx: &mut Aws, c: usize) -> Option<Expression> {
    cx.plan.nets.values().find(|n| n.code == "us-east-1")?;
    hosted_zone(cx)?;
    Some(template(format!(
        "{}.${{var.dns_zone}}",
        cx.label(c).replace('_', "-")
    )))
}

/// The CDN's own host with a DNS-validated certificate in us-east-1 (TLS 1.2 minimum, SNI), or
/// CloudFront's default certificate (and a note) without a zone or us-east-1.
fn viewer_certificate(cx: &mut Aws, c: usize, label: &str) -> Block {
    let Some(host) = cdn_host(cx, c) else {
        cx.m.notes.push(format!(
            "CDN {}: no Route 53 zone (or no us-east-1 region) in the design, so it answers on its cloudfront.net name with CloudFront's certificate; nothing in DNS points at it.",
            cx.plan.ascii_name(c)
        ));
        return nested(
            "viewer_certificate",
            [("cloudfront_default_certificate", Expression::from(true))],
        );
    };
    let us = cx
        .plan
        .nets
        .values()
        .find(|n| n.code == "us-east-1")
        .map(|n| n.label.clone())
        .unwrap_or_default();
    let zone = hosted_zone(cx).unwrap_or_default();
    let prov = cx.provider_of_region(&us);
    let cert = format!("{label}_cdn");
    cx.m.add(
        Concern::Edge,
        resource("aws_acm_certificate", &cert)
            .add_attribute(prov.clone())
            .add_attribute(("domain_name", host))
            .add_attribute(("validation_method", "DNS"))
            .add_block(nested(
                "lifecycle",
                [("create_before_destroy", Expression::from(true))],
            ))
            .build(),
    );
    let arn = validated_by_dns(cx, prov, &cert, &zone);
    Block::builder("viewer_certificate")
        .add_attribute(("acm_certificate_arn", arn))
        .add_attribute(("ssl_support_method", "sni-only"))
        .add_attribute(("minimum_protocol_version", "TLSv1.2_2021"))
        .build()
}

/// Security headers on every answer: HSTS for a year, no sniffing, no framing, a strict
/// referrer policy, the browser's XSS filter in block mode.
fn security_headers(cx: &Aws, c: usize, label: &str, name: &str) -> Block {
    let headers = Block::builder("security_headers_config")
        .add_block(nested(
            "strict_transport_security",
            [
                ("access_control_max_age_sec", Expression::from(31_536_000)),
                ("include_subdomains", Expression::from(true)),
                ("preload", Expression::from(true)),
                ("override", Expression::from(true)),
            ],
        ))
        .add_block(nested(
            "content_type_options",
            [("override", Expression::from(true))],
        ))
        .add_block(nested(
            "frame_options",
            [
                ("frame_option", Expression::from("DENY")),
                ("override", Expression::from(true)),
            ],
        ))
        .add_block(nested(
            "referrer_policy",
            [
                (
                    "referrer_policy",
                    Expression::from("strict-origin-when-cross-origin"),
                ),
                ("override", Expression::from(true)),
            ],
        ))
        .add_block(nested(
            "xss_protection",
            [
                ("protection", Expression::from(true)),
                ("mode_block", Expression::from(true)),
                ("override", Expression::from(true)),
            ],
        ))
        .build();
    resource("aws_cloudfront_response_headers_policy", label)
        .add_attribute(cx.provider(c))
        .add_attribute(("name", prefixed(name)))
        .add_block(headers)
        .build()
}

/// Geo routes into this provider from a router drawn elsewhere (seed 000's router is a Yandex
/// balancer): no record can be written for them here, and the README says why and what to do.
fn foreign_routes(cx: &mut Aws) {
    let g = &cx.plan.g;
    let mut notes = Vec::new();
    for (e, edge) in g.design.edges.iter().enumerate() {
        let (EdgeSpec::GeoRoute(route), Some((r, t))) = (&edge.spec, g.edge_ends(e)) else {
            continue;
        };
        if cx.pp.labels.contains_key(&r) || !cx.pp.labels.contains_key(&t) {
            continue;
        }
        let countries = if route.countries.is_empty() {
            "the default route".to_string()
        } else {
            route.countries.join(", ")
        };
        notes.push(format!(
            "Router {} (drawn in another provider) sends {countries} to {} here: no DNS record is written for it. Its public address is the balancer Kubernetes makes for the ingress controller's Service (type LoadBalancer, in the subnets tagged kubernetes.io/role/elb), known only after the cluster runs, and the router's own cloud routes by country only through DNS. By hand: in the DNS service that serves the hosts, a geolocation record per route ({countries} → that balancer's name, `kubectl get svc -n <ingress namespace>`), plus a default record.",
            cx.plan.ascii_name(r),
            cx.plan.ascii_name(t)
        ));
    }
    cx.m.notes.extend(notes);
}

/// Route 53: one record per route and host, aliased to the balancer behind the route; failover
/// routes with a health check on each target, geo routes by country or continent.
fn router(cx: &mut Aws, r: usize, p: &GeoRouterProps) {
    let g = &cx.plan.g;
    let label = cx.label(r);
    let mut routes: Vec<(usize, GeoRouteProps)> = g
        .outgoing_of(r, EdgeKind::GeoRoute)
        .filter_map(|(e, t)| match &g.edge(e).spec {
            EdgeSpec::GeoRoute(gp) => Some((t, gp.clone())),
            _ => None,
        })
        .collect();
    routes.sort_by(|a, b| g.node(a.0).id.cmp(&g.node(b.0).id));
    // Only balancers of this provider can be alias targets here.
    let (usable, other): (Vec<_>, Vec<_>) = routes
        .into_iter()
        .partition(|(t, _)| g.kind(*t) == Kind::LoadBalancer && cx.pp.labels.contains_key(t));
    for (t, _) in &other {
        cx.m.notes.push(format!(
            "Router {}: the route to {} has no balancer of this provider to alias; add its record by hand.",
            cx.plan.ascii_name(r),
            cx.plan.ascii_name(*t)
        ));
    }
    if usable.is_empty() {
        return;
    }
    let prov = cx.provider(r);
    let mut all_hosts = std::collections::BTreeSet::new();
    for (t, _) in &usable {
        all_hosts.extend(cx.plan.hosts_behind(*t));
    }
    let Some(zone) = hosted_zone(cx) else {
        return;
    };
    let hosts: Vec<Expression> = if all_hosts.is_empty() {
        domain_variable(cx);
        vec![var("domain_name")]
    } else {
        all_hosts
            .iter()
            .map(|h| Expression::from(h.as_str()))
            .collect()
    };
    for (t, route) in &usable {
        let tl = cx.label(*t);
        let check = format!("{label}_{tl}");
        if p.health_check {
            cx.m.add(
                Concern::Edge,
                resource("aws_route53_health_check", &check)
                    .add_attribute(prov.clone())
                    .add_attribute(("fqdn", attr("aws_lb", &tl, "dns_name")))
                    .add_attribute(("port", 443))
                    .add_attribute(("type", "HTTPS"))
                    .add_attribute(("resource_path", cx.plan.health_path(*t)))
                    .add_attribute(("failure_threshold", 3))
                    .add_attribute(("request_interval", 30))
                    .add_attribute(("tags", tags(prefixed(&check.replace('_', "-")))))
                    .build(),
            );
        }
        for (n, host) in hosts.iter().enumerate() {
            let count = dns_count(cx);
            let mut rec = resource("aws_route53_record", &format!("{check}_{}", n + 1))
                .add_attribute(prov.clone())
                .add_attribute(("count", count))
                .add_attribute(("zone_id", data_attr("aws_route53_zone", &zone, "zone_id")))
                .add_attribute(("name", host.clone()))
                .add_attribute(("type", "A"))
                .add_attribute(("set_identifier", tl.as_str()));
            if p.health_check {
                rec = rec.add_attribute((
                    "health_check_id",
                    attr("aws_route53_health_check", &check, "id"),
                ));
            }
            rec = rec.add_block(nested(
                "alias",
                [
                    ("name", attr("aws_lb", &tl, "dns_name")),
                    ("zone_id", attr("aws_lb", &tl, "zone_id")),
                    ("evaluate_target_health", Expression::from(true)),
                ],
            ));
            rec = match p.policy {
                RoutingPolicy::Failover => {
                    let role = match route.failover.unwrap_or_default() {
                        FailoverRole::Primary => "PRIMARY",
                        FailoverRole::Standby => "SECONDARY",
                    };
                    rec.add_block(nested(
                        "failover_routing_policy",
                        [("type", Expression::from(role))],
                    ))
                }
                RoutingPolicy::Weighted => rec.add_block(nested(
                    "weighted_routing_policy",
                    [("weight", Expression::from(1))],
                )),
                RoutingPolicy::Latency => {
                    let region = cx
                        .plan
                        .net_of(*t)
                        .map(|n| n.code.clone())
                        .unwrap_or_default();
                    rec.add_block(nested(
                        "latency_routing_policy",
                        [("region", Expression::from(region))],
                    ))
                }
                RoutingPolicy::Geo => rec.add_block(geo_block(&route.countries)),
            };
            cx.m.add(Concern::Edge, rec.build());
        }
    }
}

/// `geolocation_routing_policy` for the first country of a route (`EU` as the continent,
/// none as the default `*`). Route 53 takes one location per record.
fn geo_block(countries: &[String]) -> Block {
    let first = countries.first().map(|c| c.trim().to_ascii_uppercase());
    let (key, value) = match first.as_deref() {
        None | Some("") => ("country", "*".to_string()),
        Some("EU") => ("continent", "EU".to_string()),
        Some(c) => ("country", c.to_string()),
    };
    nested(
        "geolocation_routing_policy",
        [(key, Expression::from(value))],
    )
}

/// The OpenVPN VM: Ubuntu, IMDSv2 only, encrypted disk, an Elastic IP the peer can reach.
fn vpn(cx: &mut Aws, v: usize) {
    let Some(net) = cx.plan.net_of(v) else {
        cx.m.notes.push(format!(
            "VPN gateway {}: in no region; not made.",
            cx.plan.ascii_name(v)
        ));
        return;
    };
    let rl = net.label.clone();
    cx.images.insert(rl.clone());
    let label = cx.label(v);
    let name = label.replace('_', "-");
    let prov = cx.provider(v);
    let subnet = cx
        .plan
        .subnet_pieces(v, true, &[])
        .into_iter()
        .next()
        .unwrap_or_default();
    cx.m.string_variable(
        "vpn_instance_type",
        "Instance type of the VPN VMs",
        Some("t3.small"),
    );
    let _ = peer_var(cx, v);
    super::super::vpn::note(&mut cx.m);
    // Managed through Systems Manager rather than SSH from the internet.
    super::kubernetes::service_role(cx, "vpn_instance", "ec2.amazonaws.com");
    super::kubernetes::attach(
        cx,
        "vpn_instance",
        &["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
    );
    if !cx
        .m
        .has_resource("aws_iam_instance_profile", "vpn_instance")
    {
        let first = cx.region_label(cx.pp.node);
        cx.m.add(
            Concern::Main,
            resource("aws_iam_instance_profile", "vpn_instance")
                .add_attribute(cx.provider_of_region(&first))
                .add_attribute(("name", prefixed("vpn-instance")))
                .add_attribute(("role", attr("aws_iam_role", "vpn_instance", "name")))
                .build(),
        );
    }
    cx.m.add(
        Concern::Edge,
        resource("aws_instance", &label)
            .add_attribute(prov.clone())
            .add_attribute(("ami", data_attr("aws_ami", &format!("ubuntu_{rl}"), "id")))
            .add_attribute(("instance_type", var("vpn_instance_type")))
            .add_attribute(("subnet_id", attr("aws_subnet", &subnet, "id")))
            .add_attribute((
                "vpc_security_group_ids",
                Expression::Array(vec![sg_id(cx, v)]),
            ))
            .add_attribute((
                "iam_instance_profile",
                attr("aws_iam_instance_profile", "vpn_instance", "name"),
            ))
            // It forwards the other cloud's packets.
            .add_attribute(("source_dest_check", false))
            .add_attribute(("monitoring", true))
            .add_attribute(("ebs_optimized", true))
            .add_block(nested(
                "metadata_options",
                [
                    ("http_endpoint", Expression::from("enabled")),
                    ("http_tokens", Expression::from("required")),
                ],
            ))
            .add_block(nested(
                "root_block_device",
                [("encrypted", Expression::from(true))],
            ))
            .add_attribute(("tags", tags(prefixed(&name))))
            .build(),
    );
    cx.m.add(
        Concern::Edge,
        resource("aws_eip", &label)
            .add_attribute(prov)
            .add_attribute(("domain", "vpc"))
            .add_attribute(("instance", attr("aws_instance", &label, "id")))
            .add_attribute(("tags", tags(prefixed(&name))))
            .build(),
    );
    cx.m.output(
        &format!("{label}_public_ip"),
        attr("aws_eip", &label, "public_ip"),
        &format!(
            "Public address of {} (the peer's {}_peer_cidr)",
            cx.plan.ascii_name(v),
            label
        ),
    );
}

/// GuardDuty and Security Hub, in every region of the provider, when the design draws them.
fn security_service(cx: &mut Aws, s: usize) {
    let product = cx.plan.g.node(s).spec.product().to_ascii_lowercase();
    let kind = if product.contains("guardduty") {
        "aws_guardduty_detector"
    } else if product.contains("security hub") {
        "aws_securityhub_account"
    } else {
        return;
    };
    let regions: Vec<String> = cx
        .pp
        .regions
        .iter()
        .filter_map(|r| cx.plan.nets.get(r))
        .map(|n| n.label.clone())
        .collect();
    for r in regions {
        let mut b = resource(kind, &r).add_attribute(cx.provider_of_region(&r));
        if kind == "aws_guardduty_detector" {
            b = b.add_attribute(("enable", true));
        }
        cx.m.add(Concern::Edge, b.build());
    }
}
