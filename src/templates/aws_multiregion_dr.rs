//! Seed 003: AWS in two regions with disaster recovery. Route 53 failover with health checks,
//! global security services, a primary region (public subnet with ALB, CloudFront, WAF; EKS in
//! a private subnet; RDS, ElastiCache and MSK in a data subnet) and a DR region fed by
//! asynchronous replication.

use super::builder::*;
use crate::model::*;

const DESCRIPTION: &str = "Seed 003, an AWS deployment with disaster recovery. Global services: \
Route 53 (failover between regions with health checks), ACM, IAM, CloudWatch, Security Hub, \
GuardDuty, Shield, Systems Manager, CloudFront. Region 1 (primary, us-east-1): ALB and WAF & \
Shield in the public subnet; the EKS cluster in the private subnet with the frontend (Web UI, \
Mobile UI, BFF), core (Order, Payment, Inventory, User) and supporting (Notification, \
Recommendation) services; RDS Multi-AZ, ElastiCache and MSK in the data subnet; security groups \
and NACLs. Region 2 (DR, us-west-2): an EKS cluster with replicas of the three service groups, a \
database replica and an MSK replica, both fed asynchronously with an RPO of 15 minutes. Consul \
and Vault manage configuration and secrets; Prometheus, Grafana, Jaeger, Fluent Bit and \
Alertmanager watch; GitLab CI/CD, Terraform, Ansible and Helm deliver. Objectives: RPO 15 min, \
RTO 1 h, SLO 99.9 %. The core services scale with HPAs sized for the peak of 5,000 transactions a \
minute; BFF and Web UI roll out as canaries, Order and Payment blue-green. Deviations: the seed \
draws no balancer in the DR region, so a DR ALB with its WAF is added as Route 53's standby \
target; CloudFront is a global service here (the model has no CDN inside a subnet); Consul and \
Vault live in the primary region only, as in the seed. ElastiCache has no DR copy in the seed and \
starts cold after a failover. The database replica is Multi-AZ so that it can be promoted \
without losing the primary's zone redundancy.";

/// The three service groups in cluster `c` (ids `<c>-…`); the primary has an NGINX ingress fed by
/// `alb`, HPAs sized for the peak, and release strategies.
fn services(b: &mut Builder, c: &str, alb: &str, primary: bool) {
    let id = |s: &str| format!("{c}-{s}");
    let tune = |s: Svc, min: u32, max: u32| -> Svc {
        let s = s.autoscale(min, max, 70);
        if primary {
            s.replicas_in("staging", 1)
                .autoscale_in("staging", 1, 2, 80)
        } else {
            s
        }
    };
    let (min, dr_min) = if primary { (3, 3) } else { (2, 2) };
    b.add(c, &id("ingress"), "NGINX Ingress", ingress("nginx"));
    b.add(c, &id("ns-frontend"), "frontend", namespace());
    b.add(c, &id("ns-core"), "core", namespace());
    b.add(c, &id("ns-supporting"), "supporting", namespace());
    let web = tune(
        svc("shop/web-ui", "2.8.0", 8080).external("www.shop.example.com"),
        min,
        12,
    );
    b.add(
        &id("ns-frontend"),
        &id("web-ui"),
        "Web UI",
        if primary { web.canary(10, 50) } else { web },
    );
    b.add(
        &id("ns-frontend"),
        &id("mobile-ui"),
        "Mobile UI",
        tune(
            svc("shop/mobile-ui", "2.8.0", 8080).external("m.shop.example.com"),
            min,
            12,
        ),
    );
    let bff = tune(
        svc("shop/bff", "2.8.0", 8080).external("api.shop.example.com"),
        min,
        20,
    )
    .secret("CONSUL_TOKEN", "vault", "consul/bff-token");
    b.add(
        &id("ns-frontend"),
        &id("bff"),
        "BFF",
        if primary { bff.canary(10, 50) } else { bff },
    );
    let core = [
        ("order", "Order Service", "shop/order-service", 30),
        ("payment", "Payment Service", "shop/payment-service", 20),
        (
            "inventory",
            "Inventory Service",
            "shop/inventory-service",
            20,
        ),
        ("user", "User Service", "shop/user-service", 12),
    ];
    for (s, name, image, max) in core {
        let mut w = tune(svc(image, "2.8.0", 8080).personal_data(), dr_min, max)
            .resources("250m", "1", "256Mi", "1Gi")
            .secret("DB_PASSWORD", "vault", &format!("rds/{s}-service"));
        if primary && matches!(s, "order" | "payment") {
            w = w.strategy(Strategy::BlueGreen);
        }
        if s == "payment" {
            w = w.secret("PSP_API_KEY", "vault", "payment/psp-api-key");
        }
        let node = b.add(&id("ns-core"), &id(s), name, w);
        if primary && s == "order" {
            node.describe(
                "HPA sized for the peak of 5,000 transactions a minute (about 83 per second).",
            );
        }
    }
    b.add(
        &id("ns-supporting"),
        &id("notification"),
        "Notification Service",
        tune(svc("shop/notification-service", "2.8.0", 8080), 2, 6),
    );
    b.add(
        &id("ns-supporting"),
        &id("recommendation"),
        "Recommendation Service",
        tune(svc("shop/recommendation-service", "2.8.0", 8080), 2, 8),
    );

    b.traffic(alb, &id("ingress"), Protocol::Https, 443);
    for s in ["web-ui", "mobile-ui", "bff"] {
        b.traffic(&id("ingress"), &id(s), Protocol::Http, 8080);
    }
    for s in ["order", "payment", "inventory", "user"] {
        b.traffic(&id("bff"), &id(s), Protocol::Http, 8080);
    }
    b.traffic(&id("bff"), &id("recommendation"), Protocol::Http, 8080);
}

pub fn build() -> Design {
    let mut b = Builder::new("AWS Multi-Region Deployment with DR");
    b.description(DESCRIPTION);
    b.objectives(15, 60, 99.9).throughput(5_000);
    b.env("staging", "Staging", false);
    b.env("prod", "Production", true);

    b.node("users", "Пользователи", users(""));
    b.node("aws", "AWS", provider(Cloud::Aws));

    // AWS global services.
    b.add(
        "aws",
        "route53",
        "Route 53",
        router("Amazon Route 53", RoutingPolicy::Failover),
    )
    .describe("DNS failover between regions, driven by health checks.");
    b.add(
        "aws",
        "acm",
        "Certificate Manager (ACM)",
        product(Kind::SecurityService, "AWS Certificate Manager"),
    );
    b.add(
        "aws",
        "iam",
        "IAM Roles & Policies",
        product(Kind::SecurityService, "AWS IAM"),
    );
    b.add(
        "aws",
        "cloudwatch",
        "CloudWatch",
        product(Kind::Monitoring, "Amazon CloudWatch"),
    );
    b.add(
        "aws",
        "security-hub",
        "Security Hub",
        product(Kind::SecurityService, "AWS Security Hub"),
    )
    .describe("Central security management and compliance reports.");
    b.add(
        "aws",
        "guardduty",
        "GuardDuty",
        product(Kind::SecurityService, "Amazon GuardDuty"),
    );
    b.add(
        "aws",
        "shield",
        "Shield",
        product(Kind::SecurityService, "AWS Shield"),
    );
    b.add(
        "aws",
        "ssm",
        "Systems Manager",
        product(Kind::SecurityService, "AWS Systems Manager"),
    );
    b.add(
        "aws",
        "cloudfront",
        "CloudFront CDN",
        product(Kind::Cdn, "Amazon CloudFront"),
    );
    b.add(
        "aws",
        "backup",
        "AWS Backup",
        personal_object_storage("AWS Backup (S3)", "US"),
    )
    .describe("Daily backups of the databases, restore tested regularly.");

    // Region 1, primary.
    b.add("aws", "r1", "Region 1 (Primary)", region("us-east-1", "US"));
    b.add(
        "r1",
        "r1-public",
        "Public Subnet",
        subnet(Visibility::Public, "10.0.0.0/22"),
    );
    b.add(
        "r1-public",
        "r1-alb",
        "Application Load Balancer (ALB)",
        lb("AWS ALB", Layer::L7),
    );
    b.add(
        "r1-public",
        "r1-waf",
        "WAF & Shield",
        product(Kind::Waf, "AWS WAF"),
    );
    b.add(
        "r1",
        "r1-private",
        "Private Subnet",
        subnet(Visibility::Private, "10.0.16.0/20"),
    );
    b.add(
        "r1-private",
        "r1-eks",
        "EKS Cluster",
        k8s("", &["us-east-1a", "us-east-1b", "us-east-1c"], "1.29"),
    );
    services(&mut b, "r1-eks", "r1-alb", true);
    b.add("r1-eks", "ns-observability", "observability", namespace());
    b.add(
        "ns-observability",
        "prometheus",
        "Prometheus",
        product(Kind::Monitoring, "Prometheus"),
    );
    b.add(
        "ns-observability",
        "grafana",
        "Grafana",
        product(Kind::Monitoring, "Grafana"),
    );
    b.add(
        "ns-observability",
        "alertmanager",
        "Alert Manager",
        product(Kind::Monitoring, "Alertmanager"),
    );
    b.add(
        "ns-observability",
        "jaeger",
        "Jaeger",
        product(Kind::Tracing, "Jaeger"),
    );
    b.add(
        "ns-observability",
        "fluent-bit",
        "Fluent Bit",
        product(Kind::Logging, "Fluent Bit"),
    );
    b.add(
        "r1-private",
        "consul",
        "Consul",
        product(Kind::ConfigStore, "HashiCorp Consul"),
    )
    .describe("Service discovery and key-value configuration.");
    b.add(
        "r1-private",
        "vault",
        "HashiCorp Vault",
        product(Kind::SecretStore, "HashiCorp Vault"),
    );
    b.add(
        "r1",
        "r1-data",
        "Data Subnet",
        subnet(Visibility::Private, "10.0.32.0/20"),
    );
    b.add(
        "r1-data",
        "rds",
        "AWS RDS",
        db(DatabaseEngine::Postgresql, "16")
            .multi_az()
            .personal_data(),
    )
    .describe("Multi-AZ with automatic failover; backups to AWS Backup.");
    b.add(
        "r1-data",
        "elasticache",
        "AWS ElastiCache",
        cache(CacheEngine::Redis, "7.1")
            .multi_az()
            .replicas(2)
            .personal_data(),
    )
    .describe("Cluster mode for high availability, automatic backups.");
    b.add(
        "r1-data",
        "msk",
        "AWS MSK",
        queue(QueueEngine::Kafka, "3.6")
            .multi_az()
            .replicas(2)
            .personal_data(),
    )
    .describe("Replicated across availability zones.");
    b.add(
        "r1",
        "r1-sg",
        "Security Groups & Network ACLs",
        product(Kind::SecurityService, "Security Groups, NACLs"),
    );

    // Region 2, disaster recovery.
    b.add("aws", "r2", "Region 2 (DR)", region("us-west-2", "US"));
    b.add(
        "r2",
        "r2-public",
        "Public Subnet",
        subnet(Visibility::Public, "10.1.0.0/22"),
    );
    b.add(
        "r2-public",
        "r2-alb",
        "Application Load Balancer (DR)",
        lb("AWS ALB", Layer::L7),
    )
    .describe("Not in the seed: the standby target of Route 53 failover.");
    b.add(
        "r2-public",
        "r2-waf",
        "WAF & Shield (DR)",
        product(Kind::Waf, "AWS WAF"),
    );
    b.add(
        "r2",
        "r2-private",
        "Private Subnet",
        subnet(Visibility::Private, "10.1.16.0/20"),
    );
    b.add(
        "r2-private",
        "r2-eks",
        "EKS Cluster (DR)",
        k8s("prod", &["us-west-2a", "us-west-2b"], "1.29"),
    );
    services(&mut b, "r2-eks", "r2-alb", false);
    b.add(
        "r2-eks",
        "r2-fluent-bit",
        "Fluent Bit",
        product(Kind::Logging, "Fluent Bit"),
    );
    b.add(
        "r2",
        "r2-data",
        "Data Subnet",
        subnet(Visibility::Private, "10.1.32.0/20"),
    );
    b.add(
        "r2-data",
        "r2-db",
        "Database Replica",
        db(DatabaseEngine::Postgresql, "16")
            .multi_az()
            .personal_data(),
    )
    .describe("Cross-region read replica, ready to be promoted.");
    b.add(
        "r2-data",
        "r2-msk",
        "Message Queue Replica",
        queue(QueueEngine::Kafka, "3.6")
            .multi_az()
            .replicas(2)
            .personal_data(),
    )
    .describe("MSK Replicator from the primary region.");
    b.add(
        "r2",
        "r2-sg",
        "Security Groups & Network ACLs",
        product(Kind::SecurityService, "Security Groups, NACLs"),
    );

    // DevOps pipeline.
    b.node(
        "gitlab",
        "GitLab CI/CD",
        product(Kind::CiCd, "GitLab CI/CD"),
    );
    b.node("terraform", "Terraform", product(Kind::CiCd, "Terraform"));
    b.node("ansible", "Ansible", product(Kind::CiCd, "Ansible"));
    b.node("helm", "Helm", product(Kind::CiCd, "Helm"));

    // Entry: Route 53 failover, CloudFront, WAF.
    b.traffic("users", "route53", Protocol::Https, 443);
    b.traffic("users", "cloudfront", Protocol::Https, 443);
    b.failover("route53", "r1-alb", FailoverRole::Primary)
        .label("primary");
    b.failover("route53", "r2-alb", FailoverRole::Standby)
        .label("standby");
    b.traffic("cloudfront", "r1-waf", Protocol::Https, 443)
        .label("origin");
    b.traffic("r1-waf", "r1-alb", Protocol::Https, 443);
    b.traffic("r2-waf", "r2-alb", Protocol::Https, 443);

    // Data access, both regions.
    for (c, db_id, mq) in [("r1-eks", "rds", "msk"), ("r2-eks", "r2-db", "r2-msk")] {
        let id = |s: &str| format!("{c}-{s}");
        for s in ["order", "payment", "inventory", "user"] {
            b.access(&id(s), db_id, AccessMode::ReadWrite);
        }
        b.access(&id("order"), mq, AccessMode::Write)
            .label("order events");
        b.access(&id("notification"), mq, AccessMode::Read);
        b.access(&id("recommendation"), mq, AccessMode::Read);
        b.access(&id("bff"), "consul", AccessMode::Read)
            .label("service discovery");
    }
    b.access("r1-eks-user", "elasticache", AccessMode::ReadWrite)
        .label("sessions");
    b.access(
        "r1-eks-recommendation",
        "elasticache",
        AccessMode::ReadWrite,
    );

    // Disaster recovery.
    b.replication("rds", "r2-db", ReplicationMode::Async, Some(15))
        .label("cross-region replica");
    b.replication("msk", "r2-msk", ReplicationMode::Async, Some(15))
        .label("cross-region replication");
    b.depends_on("rds", "backup").label("daily backups");

    // Observability and security.
    b.observes("cloudwatch", "r1-eks");
    b.observes("cloudwatch", "r2-eks");
    b.observes("prometheus", "r2-eks").label("federation");
    b.observes("jaeger", "r2-eks");
    b.traffic("grafana", "prometheus", Protocol::Http, 9090);
    b.traffic("prometheus", "alertmanager", Protocol::Http, 9093);
    b.traffic("fluent-bit", "cloudwatch", Protocol::Https, 443)
        .label("logs");
    b.traffic("r2-fluent-bit", "cloudwatch", Protocol::Https, 443)
        .label("logs");
    for target in ["r1", "r2"] {
        b.observes("security-hub", target);
        b.observes("guardduty", target);
    }
    b.observes("shield", "cloudfront");
    b.observes("shield", "r1-alb");
    b.observes("shield", "r2-alb");
    b.depends_on("r1-alb", "acm").label("TLS certificate");
    b.depends_on("r2-alb", "acm").label("TLS certificate");

    // Delivery.
    b.depends_on("gitlab", "helm").label("helm upgrade");
    b.depends_on("helm", "r1-eks").label("deploys");
    b.depends_on("helm", "r2-eks").label("deploys");
    b.depends_on("terraform", "aws").label("provisions");
    b.depends_on("ansible", "ssm").label("configures servers");

    b.finish()
}
