//! Seed 004: a platform for microservices. The same services on Docker Swarm (a small
//! company) and on Kubernetes with Helm and Terraform (a large one), external and internal
//! services split explicitly, secrets only by reference.

use super::builder::*;
use crate::model::*;

const DESCRIPTION: &str = "Seed 004, homework 11.4 \"Microservices: scaling\": a platform that \
runs containers, discovers services and routes requests, scales horizontally and automatically, \
separates what is reachable from outside from what is internal, and configures applications by \
environment variables with sensitive values kept safe. The answer: Docker Swarm for a small \
company, Kubernetes with its Secrets, Helm and Terraform for a large one. Both variants are drawn \
side by side with the same services: frontend and api-gateway are external (published through the \
Swarm's Traefik / the Kubernetes ingress), users-service and orders-service are internal, each \
variant has its own PostgreSQL. Variables carry plain settings; passwords and keys are references \
to Docker secrets or Kubernetes Secrets. Kubernetes scales with HPAs; Swarm has no built-in \
autoscaler, so its services scale by replica count only, contrary to the answer's claim that Swarm \
covers every requirement. The seed names no provider, monitoring or logging: a generic cloud \
(region-1, data held in Russia, RU, like the homework's users) and Prometheus and Loki per variant \
are added. The seed names no WAF either, so the security rule notes that the Swarm's public \
Traefik has none in front of it.";

/// The four services in `ns_ext` / `ns_int` (the same Swarm cluster for Swarm), ids `<p>-…`.
fn services(b: &mut Builder, p: &str, ns_ext: &str, ns_int: &str, secrets: &str, k8s: bool) {
    let id = |s: &str| format!("{p}-{s}");
    let scale = |s: Svc, min: u32, max: u32| {
        if k8s {
            s.autoscale(min, max, 70)
        } else {
            s.replicas(min)
        }
    };
    b.add(
        ns_ext,
        &id("frontend"),
        "frontend",
        scale(
            svc("platform/frontend", "3.2.0", 8080).external("www.platform.example"),
            2,
            8,
        ),
    );
    b.add(
        ns_ext,
        &id("api-gateway"),
        "api-gateway",
        scale(
            svc("platform/api-gateway", "3.2.0", 8080).external("api.platform.example"),
            2,
            10,
        )
        .env("USERS_URL", "http://users-service:8080")
        .env("ORDERS_URL", "http://orders-service:8080")
        .secret("JWT_SIGNING_KEY", secrets, "jwt-signing-key"),
    );
    b.add(
        ns_int,
        &id("users"),
        "users-service",
        scale(svc("platform/users-service", "3.2.0", 8080), 2, 6)
            .personal_data()
            .env("DB_HOST", "postgres")
            .secret("DB_PASSWORD", secrets, "users-db-password"),
    );
    b.add(
        ns_int,
        &id("orders"),
        "orders-service",
        scale(svc("platform/orders-service", "3.2.0", 8080), 2, 10)
            .personal_data()
            .env("DB_HOST", "postgres")
            .secret("DB_PASSWORD", secrets, "orders-db-password")
            .secret("PAYMENT_API_KEY", secrets, "payment-api-key"),
    );
    b.traffic(&id("frontend"), &id("api-gateway"), Protocol::Http, 8080);
    b.traffic(&id("api-gateway"), &id("users"), Protocol::Http, 8080);
    b.traffic(&id("api-gateway"), &id("orders"), Protocol::Http, 8080);
    b.access(&id("users"), &id("postgres"), AccessMode::ReadWrite);
    b.access(&id("orders"), &id("postgres"), AccessMode::ReadWrite);
}

pub fn build() -> Design {
    let mut b = Builder::new("Микросервисы: масштабирование");
    b.description(DESCRIPTION);
    b.env("prod", "Production", true);

    b.node(
        "users",
        "Пользователи",
        NodeSpec::UserGroup(UserGroupProps {
            country: "RU".into(),
            ..UserGroupProps::default()
        }),
    );
    b.node("cloud", "Облако", provider(Cloud::Other));
    b.add("cloud", "region", "region-1", region("region-1", "RU"));

    // Small company: Docker Swarm.
    b.add(
        "region",
        "swarm",
        "Docker Swarm (маленькая компания)",
        swarm(&["zone-a", "zone-b", "zone-c"], 3, 3),
    );
    b.add(
        "swarm",
        "swarm-traefik",
        "Traefik",
        lb("Traefik", Layer::L7),
    )
    .describe(
        "Reverse proxy on the Swarm ingress network: routes by host to the published services.",
    );
    b.add(
        "swarm",
        "swarm-secrets",
        "Docker secrets",
        product(Kind::SecretStore, "Docker Swarm secrets"),
    );
    b.add(
        "swarm",
        "swarm-postgres",
        "postgres",
        db(DatabaseEngine::Postgresql, "16")
            .self_hosted()
            .personal_data(),
    );
    b.add(
        "swarm",
        "swarm-prometheus",
        "Prometheus",
        product(Kind::Monitoring, "Prometheus"),
    );
    b.add(
        "swarm",
        "swarm-loki",
        "Loki",
        product(Kind::Logging, "Grafana Loki"),
    );
    services(&mut b, "swarm", "swarm", "swarm", "swarm-secrets", false);
    b.traffic("users", "swarm-traefik", Protocol::Https, 443);
    b.traffic("swarm-traefik", "swarm-frontend", Protocol::Http, 8080);
    b.traffic("swarm-traefik", "swarm-api-gateway", Protocol::Http, 8080);

    // Large company: Kubernetes.
    b.add(
        "region",
        "k8s",
        "Kubernetes (крупная компания)",
        k8s("", &["zone-a", "zone-b", "zone-c"], "1.29"),
    );
    b.add("k8s", "k8s-ingress", "Ingress NGINX", ingress("nginx"));
    b.add(
        "k8s",
        "k8s-secrets",
        "Kubernetes Secrets",
        product(Kind::SecretStore, "Kubernetes Secrets"),
    );
    b.add("k8s", "ns-external", "external", namespace());
    b.add("k8s", "ns-internal", "internal", namespace());
    b.add(
        "ns-internal",
        "k8s-postgres",
        "postgres",
        db(DatabaseEngine::Postgresql, "16")
            .self_hosted()
            .replicas(1)
            .personal_data(),
    );
    b.add("k8s", "ns-monitoring", "monitoring", namespace());
    b.add(
        "ns-monitoring",
        "k8s-prometheus",
        "Prometheus",
        product(Kind::Monitoring, "Prometheus"),
    );
    b.add(
        "ns-monitoring",
        "k8s-loki",
        "Loki",
        product(Kind::Logging, "Grafana Loki"),
    );
    services(
        &mut b,
        "k8s",
        "ns-external",
        "ns-internal",
        "k8s-secrets",
        true,
    );
    b.traffic("users", "k8s-ingress", Protocol::Https, 443);
    b.traffic("k8s-ingress", "k8s-frontend", Protocol::Http, 8080);
    b.traffic("k8s-ingress", "k8s-api-gateway", Protocol::Http, 8080);

    b.node("helm", "Helm", product(Kind::CiCd, "Helm"));
    b.node("terraform", "Terraform", product(Kind::CiCd, "Terraform"));
    b.depends_on("helm", "k8s").label("installs charts");
    b.depends_on("terraform", "cloud").label("provisions");

    b.finish()
}
