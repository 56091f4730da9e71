//! Seed 001: the multi-brand site builder. Three Kubernetes clusters (dev, staging, prod), the
//! prod one across availability zones, namespaces per concern, NGINX ingress, Istio, a
//! PostgreSQL StatefulSet with replication, Redis, S3-compatible storage, Prometheus, ELK,
//! Jaeger and Vault.

use super::builder::*;
use crate::model::*;

const DESCRIPTION: &str = "Seed 001, the deployment of a multi-brand site builder. Docker and \
Kubernetes, Terraform for the infrastructure; the document allows AWS, GCP or Azure and this \
template picks AWS (eu-central-1). One cluster per environment (development, staging, \
production); the production cluster spans three availability zones and holds the namespaces \
frontend, backend, database, monitoring, logging, ingress and cert-manager. The flow is the \
document's flowchart: Load Balancer -> Ingress Controller (NGINX) -> API Gateway, Auth Service, \
Frontend App, Other Services; API and Auth -> Istio mesh (mTLS) -> the PostgreSQL cluster, a \
StatefulSet with replicas. Redis caches, S3-compatible storage keeps media behind a CDN, a WAF \
guards the balancer. Prometheus, Grafana, Alertmanager, ELK with Filebeat and Jaeger run in prod \
and also watch dev and staging; secrets come from Vault by reference, TLS certificates from \
cert-manager as Kubernetes Secrets. Every service has replicas, limits, probes, autoscaling and \
a pinned tag; the dev and staging clusters override replicas, tags and hosts in their overlays. \
Dev and staging run the application namespaces only.";

/// The four services of the flowchart, in the namespaces `frontend` and `backend` of the
/// cluster `c` (ids `<c>-api` etc.), with the overrides of environment `env`.
fn services(b: &mut Builder, c: &str, env: &str) {
    let id = |s: &str| format!("{c}-{s}");
    let tune = |s: Svc| -> Svc {
        match env {
            "dev" => s
                .replicas_in("dev", 1)
                .tag_in("dev", "1.5.0-dev.3")
                .autoscale_in("dev", 1, 2, 80),
            "staging" => s
                .tag_in("staging", "1.5.0-rc.1")
                .autoscale_in("staging", 2, 3, 80),
            _ => s,
        }
    };
    let host = |name: &str| match env {
        "prod" => format!("{name}.sites.example.com"),
        other => format!("{name}.{other}.sites.example.com"),
    };
    let with_host = |s: Svc, name: &str| -> Svc {
        let s = s.external(&format!("{name}.sites.example.com"));
        if env == "prod" {
            s
        } else {
            s.host_in(env, &host(name))
        }
    };
    b.add(
        c,
        &id("ns-frontend"),
        "frontend",
        if env == "prod" {
            meshed_namespace()
        } else {
            namespace()
        },
    );
    b.add(
        c,
        &id("ns-backend"),
        "backend",
        if env == "prod" {
            meshed_namespace()
        } else {
            namespace()
        },
    );
    b.add(
        &id("ns-frontend"),
        &id("frontend"),
        "Frontend App",
        tune(with_host(
            svc("site-builder/frontend", "1.4.2", 8080).autoscale(3, 10, 70),
            "www",
        )),
    );
    b.add(
        &id("ns-backend"),
        &id("api"),
        "API Gateway",
        tune(
            with_host(
                svc("site-builder/api-gateway", "1.4.2", 8080).autoscale(3, 12, 70),
                "api",
            )
            .resources("250m", "1", "256Mi", "1Gi")
            .secret(
                "DATABASE_PASSWORD",
                "vault",
                "site-builder/postgres/password",
            ),
        ),
    );
    b.add(
        &id("ns-backend"),
        &id("auth"),
        "Auth Service",
        tune(
            with_host(
                svc("site-builder/auth", "1.4.2", 8080).autoscale(2, 6, 70),
                "auth",
            )
            .personal_data()
            .secret("JWT_SIGNING_KEY", "vault", "site-builder/auth/jwt-key")
            .secret(
                "DATABASE_PASSWORD",
                "vault",
                "site-builder/postgres/password",
            ),
        ),
    );
    b.add(
        &id("ns-backend"),
        &id("other"),
        "Other Services",
        tune(
            with_host(
                svc("site-builder/services", "1.4.2", 8080).autoscale(2, 8, 70),
                "app",
            )
            .env("MEDIA_BUCKET", "site-builder-media")
            .secret("S3_SECRET_KEY", "vault", "site-builder/s3/secret-key"),
        ),
    );
    b.add(c, &id("ingress-ns"), "ingress", namespace());
    b.add(
        &id("ingress-ns"),
        &id("ingress"),
        "Nginx Ingress Controller",
        ingress("nginx"),
    );
    b.add(c, &id("ns-database"), "database", namespace());
    for s in ["frontend", "api", "auth", "other"] {
        b.traffic(&id("ingress"), &id(s), Protocol::Http, 8080);
    }
}

pub fn build() -> Design {
    let mut b = Builder::new("Мульти-брендовый конструктор сайтов");
    b.description(DESCRIPTION);
    b.env("dev", "Разработка (Development)", false);
    b.env("staging", "Тестирование (Staging)", false);
    b.env("prod", "Продакшн (Production)", true);

    b.node("users", "Пользователи сайтов", users(""));
    b.node("aws", "AWS", provider(Cloud::Aws));
    b.add("aws", "cdn", "CDN", product(Kind::Cdn, "Amazon CloudFront"))
        .describe("Static content.");
    b.add(
        "aws",
        "region",
        "eu-central-1",
        region("eu-central-1", "EU"),
    );
    b.add("region", "waf", "WAF", product(Kind::Waf, "AWS WAF"));
    b.add(
        "region",
        "public",
        "public",
        subnet(Visibility::Public, "10.0.0.0/22"),
    );
    b.add(
        "public",
        "lb",
        "Load Balancer",
        lb("AWS Application Load Balancer", Layer::L7),
    );
    b.add(
        "region",
        "private",
        "private",
        subnet(Visibility::Private, "10.0.16.0/20"),
    );
    b.add(
        "region",
        "storage",
        "Object Storage",
        object_storage("Amazon S3 (S3-compatible)"),
    )
    .describe("Media files.");
    b.add(
        "region",
        "registry",
        "Container Registry",
        product(Kind::ContainerRegistry, "Amazon ECR"),
    );
    b.add(
        "private",
        "vault",
        "Vault",
        product(Kind::SecretStore, "HashiCorp Vault"),
    );

    // Production.
    b.add(
        "private",
        "prod",
        "Кластер продакшн",
        k8s(
            "prod",
            &["eu-central-1a", "eu-central-1b", "eu-central-1c"],
            "1.29",
        ),
    );
    services(&mut b, "prod", "prod");
    b.add("prod", "mesh", "Istio Service Mesh", mesh("Istio"))
        .describe("Microservices Mesh: routing, balancing, circuit breaking, tracing, mTLS.");
    b.add(
        "prod-ns-database",
        "postgres",
        "PostgreSQL",
        db(DatabaseEngine::Postgresql, "16")
            .self_hosted()
            .replicas(2)
            .personal_data(),
    )
    .describe("Database Cluster: a StatefulSet with streaming replication.");
    b.add(
        "prod-ns-database",
        "redis",
        "Redis",
        cache(CacheEngine::Redis, "7.2").self_hosted(),
    )
    .describe("Caching and message queues: one instance (the seed asks for no Redis replication).");
    b.add("prod", "ns-monitoring", "monitoring", namespace());
    b.add(
        "ns-monitoring",
        "prometheus",
        "Prometheus",
        product(Kind::Monitoring, "Prometheus"),
    );
    b.add(
        "ns-monitoring",
        "grafana",
        "Grafana",
        product(Kind::Monitoring, "Grafana"),
    );
    b.add(
        "ns-monitoring",
        "alertmanager",
        "Alertmanager",
        product(Kind::Monitoring, "Alertmanager"),
    );
    b.add(
        "ns-monitoring",
        "jaeger",
        "Jaeger",
        product(Kind::Tracing, "Jaeger"),
    );
    b.add("prod", "ns-logging", "logging", namespace());
    b.add(
        "ns-logging",
        "elasticsearch",
        "Elasticsearch",
        product(Kind::Logging, "Elasticsearch"),
    );
    b.add(
        "ns-logging",
        "logstash",
        "Logstash",
        product(Kind::Logging, "Logstash"),
    );
    b.add(
        "ns-logging",
        "kibana",
        "Kibana",
        product(Kind::Logging, "Kibana"),
    );
    b.add(
        "ns-logging",
        "filebeat",
        "Filebeat",
        product(Kind::Logging, "Filebeat"),
    );
    b.add("prod", "ns-cert-manager", "cert-manager", namespace());
    b.add(
        "ns-cert-manager",
        "cert-manager",
        "cert-manager",
        svc("quay.io/jetstack/cert-manager-controller", "v1.14.4", 9403)
            .resources("50m", "200m", "64Mi", "256Mi"),
    );
    b.add(
        "prod",
        "k8s-secrets",
        "Kubernetes Secrets",
        product(Kind::SecretStore, "Kubernetes Secrets"),
    );

    // Development and staging: the application namespaces.
    b.add(
        "private",
        "staging",
        "Кластер тестирования",
        k8s("staging", &["eu-central-1a", "eu-central-1b"], "1.29"),
    );
    services(&mut b, "staging", "staging");
    b.add(
        "staging-ns-database",
        "staging-postgres",
        "PostgreSQL",
        db(DatabaseEngine::Postgresql, "16")
            .self_hosted()
            .replicas(1),
    );
    b.add(
        "private",
        "dev",
        "Кластер разработки",
        k8s("dev", &["eu-central-1a"], "1.29"),
    );
    services(&mut b, "dev", "dev");
    b.add(
        "dev-ns-database",
        "dev-postgres",
        "PostgreSQL",
        db(DatabaseEngine::Postgresql, "16").self_hosted(),
    );

    b.node("terraform", "Terraform", product(Kind::CiCd, "Terraform"));
    b.node("cicd", "CI/CD", product(Kind::CiCd, "CI/CD pipeline"))
        .describe("Build, test, scan, publish images, deploy.");

    // External access: the flowchart and the CDN.
    b.traffic("users", "waf", Protocol::Https, 443);
    b.traffic("users", "cdn", Protocol::Https, 443);
    b.traffic("cdn", "storage", Protocol::Https, 443)
        .label("static content");
    b.traffic("waf", "lb", Protocol::Https, 443);
    b.traffic("lb", "prod-ingress", Protocol::Https, 443);
    b.traffic("prod-api", "mesh", Protocol::Grpc, 15001);
    b.traffic("prod-auth", "mesh", Protocol::Grpc, 15001);
    b.traffic("mesh", "postgres", Protocol::Tcp, 5432);
    b.traffic("mesh", "jaeger", Protocol::Grpc, 4317)
        .label("traces");
    b.access("prod-api", "redis", AccessMode::ReadWrite)
        .label("cache, queues");
    b.access("prod-other", "storage", AccessMode::ReadWrite)
        .label("media files");
    b.access("prod-auth", "vault", AccessMode::Read);
    b.access("cert-manager", "k8s-secrets", AccessMode::Write)
        .label("TLS certificates");
    for env in ["staging", "dev"] {
        b.access(
            &format!("{env}-api"),
            &format!("{env}-postgres"),
            AccessMode::ReadWrite,
        );
        b.access(
            &format!("{env}-auth"),
            &format!("{env}-postgres"),
            AccessMode::ReadWrite,
        );
        b.observes("prometheus", env);
        b.observes("elasticsearch", env);
    }

    // Monitoring and logging pipelines.
    b.traffic("grafana", "prometheus", Protocol::Http, 9090);
    b.traffic("prometheus", "alertmanager", Protocol::Http, 9093);
    b.traffic("filebeat", "logstash", Protocol::Tcp, 5044);
    b.traffic("logstash", "elasticsearch", Protocol::Http, 9200);
    b.traffic("kibana", "elasticsearch", Protocol::Http, 9200);

    // Delivery.
    b.access("cicd", "registry", AccessMode::Write)
        .label("publish images");
    b.depends_on("cicd", "prod").label("deploy");
    b.depends_on("terraform", "aws").label("provisions");

    b.finish()
}
