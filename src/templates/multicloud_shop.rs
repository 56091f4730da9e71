//! Seed 000: the sausage shop, multicloud. A geo balancer-router sends Russian users to Yandex
//! Cloud and EU users to AWS; two near-copies of the shop, one per cloud, linked by OpenVPN.

use super::builder::*;
use crate::model::*;

const DESCRIPTION: &str = "Seed 000, \"Multicloud архитектура сосисочной\". A balancer-router \
(Yandex Network Load Balancer, routing by the user's country) sends users from Russia to a copy \
of the shop in Yandex Cloud (ru-central1) and users from the EU to a copy in AWS (eu-central-1), \
for lower latency and to keep personal data under Russian and EU law. Each side: container \
registry, managed Kubernetes with the frontend and backend, managed PostgreSQL for the orders of \
its own users, object storage for static content, monitoring. Two VMs with OpenVPN link the \
clouds. The seed keeps reporting in one Yandex Managed MongoDB, so the AWS backend writes reports \
of EU orders to Russia over the VPN: the data-residency rule flags that MongoDB. Added to make \
the drawing complete: an NGINX ingress per cluster as the entry behind the router, and a logging \
service per cloud (the seed names none). The seed says Yandex Monitoring watches the AWS side; \
read as a slip, it watches the Yandex cluster here and CloudWatch watches AWS.";

pub fn build() -> Design {
    let mut b = Builder::new("Multicloud архитектура сосисочной");
    b.description(DESCRIPTION);
    b.env("prod", "Production", true);

    // Users and the balancer-router.
    b.node("users-ru", "Пользователи из РФ", users("RU"));
    b.node("users-eu", "Пользователи из ЕС", users("EU"));
    b.node("yc", "Yandex Cloud", provider(Cloud::Yandex));
    b.add(
        "yc",
        "router",
        "Балансировщик-роутер",
        router("Yandex Network Load Balancer", RoutingPolicy::Geo),
    )
    .describe("Sends each user to the cloud of their country.");

    // Yandex Cloud.
    b.add("yc", "yc-ru", "ru-central1", region("ru-central1", "RU"));
    b.add(
        "yc-ru",
        "yc-net",
        "sosisochnaya-ru",
        subnet(Visibility::Private, "10.10.0.0/16"),
    );
    b.add(
        "yc-net",
        "yc-k8s",
        "Yandex Managed Service for Kubernetes",
        k8s(
            "",
            &["ru-central1-a", "ru-central1-b", "ru-central1-d"],
            "1.29",
        ),
    );
    b.add("yc-k8s", "yc-ingress", "Ingress NGINX", ingress("nginx"));
    b.add("yc-k8s", "yc-ns", "Сосисочная", namespace());
    b.add(
        "yc-ns",
        "yc-frontend",
        "frontend",
        svc("cr.yandex/sosisochnaya/frontend", "1.0.0", 8080)
            .external("shop.example.ru")
            .autoscale(2, 6, 70),
    );
    b.add(
        "yc-ns",
        "yc-backend",
        "backend",
        svc("cr.yandex/sosisochnaya/backend", "1.0.0", 8080)
            .personal_data()
            .autoscale(2, 6, 70),
    );
    b.add(
        "yc-ru",
        "yc-registry",
        "Yandex Container Registry",
        product(Kind::ContainerRegistry, "Yandex Container Registry"),
    );
    b.add(
        "yc-net",
        "yc-pg",
        "Yandex Managed Service for PostgreSQL",
        db(DatabaseEngine::Postgresql, "16")
            .multi_az()
            .personal_data(),
    )
    .describe("Orders from Russia.");
    b.add(
        "yc-net",
        "yc-mongo",
        "Yandex Managed Service for MongoDB",
        db(DatabaseEngine::Mongodb, "6.0")
            .multi_az()
            .personal_data(),
    )
    .describe("Reporting, including reports on orders from the EU.");
    b.add(
        "yc-ru",
        "yc-storage",
        "Yandex Object Storage",
        object_storage("Yandex Object Storage"),
    )
    .describe("Static content: pictures and the like.");
    b.add(
        "yc-ru",
        "yc-monitoring",
        "Yandex Monitoring",
        product(Kind::Monitoring, "Yandex Monitoring"),
    );
    b.add(
        "yc-ru",
        "yc-logging",
        "Yandex Cloud Logging",
        product(Kind::Logging, "Yandex Cloud Logging"),
    );
    b.add(
        "yc-net",
        "yc-vpn",
        "ВМ OpenVPN (Yandex Cloud)",
        product(Kind::VpnGateway, "OpenVPN"),
    );

    // AWS.
    b.node("aws", "AWS", provider(Cloud::Aws));
    b.add(
        "aws",
        "aws-eu",
        "eu-central-1",
        region("eu-central-1", "EU"),
    );
    b.add(
        "aws-eu",
        "aws-net",
        "sosisochnaya-eu",
        subnet(Visibility::Private, "10.20.16.0/20"),
    );
    b.add(
        "aws-eu",
        "aws-public",
        "sosisochnaya-eu-public",
        subnet(Visibility::Public, "10.20.0.0/20"),
    )
    .describe(
        "In AWS only a subnet routed to an internet gateway reaches the internet: the ingress's \
         balancer and the OpenVPN VM (its public address) sit here, and the private subnet \
         leaves through its NAT gateway (image pulls from ECR, joining the cluster).",
    );
    b.add(
        "aws-net",
        "aws-k8s",
        "Amazon Elastic Kubernetes Service",
        k8s(
            "",
            &["eu-central-1a", "eu-central-1b", "eu-central-1c"],
            "1.29",
        ),
    );
    b.add("aws-k8s", "aws-ingress", "Ingress NGINX", ingress("nginx"));
    b.add("aws-k8s", "aws-ns", "Сосисочная", namespace());
    b.add(
        "aws-ns",
        "aws-frontend",
        "frontend",
        svc(
            "123456789012.dkr.ecr.eu-central-1.amazonaws.com/sosisochnaya/frontend",
            "1.0.0",
            8080,
        )
        .external("shop.example.eu")
        .autoscale(2, 6, 70),
    );
    b.add(
        "aws-ns",
        "aws-backend",
        "backend",
        svc(
            "123456789012.dkr.ecr.eu-central-1.amazonaws.com/sosisochnaya/backend",
            "1.0.0",
            8080,
        )
        .personal_data()
        .autoscale(2, 6, 70),
    );
    b.add(
        "aws-eu",
        "aws-ecr",
        "Amazon Elastic Container Registry",
        product(Kind::ContainerRegistry, "Amazon ECR"),
    );
    b.add(
        "aws-net",
        "aws-rds",
        "Amazon RDS for PostgreSQL",
        db(DatabaseEngine::Postgresql, "16")
            .multi_az()
            .personal_data()
            .jurisdiction("EU"),
    )
    .describe("Orders from the EU.");
    b.add("aws-eu", "aws-s3", "Amazon S3", object_storage("Amazon S3"))
        .describe("Static content: pictures and the like.");
    b.add(
        "aws-eu",
        "aws-cloudwatch",
        "Amazon CloudWatch",
        product(Kind::Monitoring, "Amazon CloudWatch"),
    );
    b.add(
        "aws-eu",
        "aws-logs",
        "Amazon CloudWatch Logs",
        product(Kind::Logging, "Amazon CloudWatch Logs"),
    );
    b.add(
        "aws-public",
        "aws-vpn",
        "ВМ OpenVPN (AWS)",
        product(Kind::VpnGateway, "OpenVPN"),
    );

    // Routing by country.
    b.traffic("users-ru", "router", Protocol::Https, 443);
    b.traffic("users-eu", "router", Protocol::Https, 443);
    b.geo_route("router", "yc-ingress", &["RU"]).label("РФ");
    b.geo_route("router", "aws-ingress", &["EU"]).label("ЕС");

    // Each side.
    for (side, store, registry, monitoring, logging) in [
        (
            "yc",
            "yc-storage",
            "yc-registry",
            "yc-monitoring",
            "yc-logging",
        ),
        ("aws", "aws-s3", "aws-ecr", "aws-cloudwatch", "aws-logs"),
    ] {
        let id = |s: &str| format!("{side}-{s}");
        b.traffic(&id("ingress"), &id("frontend"), Protocol::Http, 8080);
        b.traffic(&id("frontend"), &id("backend"), Protocol::Http, 8080);
        b.access(&id("frontend"), store, AccessMode::Read)
            .label("static content");
        b.depends_on(&id("k8s"), registry).label("pulls images");
        b.observes(monitoring, &id("k8s"));
        b.observes(logging, &id("k8s"));
    }
    b.access("yc-backend", "yc-pg", AccessMode::ReadWrite)
        .label("orders (RU)");
    b.access("yc-backend", "yc-mongo", AccessMode::Write)
        .label("reports");
    b.access("aws-backend", "aws-rds", AccessMode::ReadWrite)
        .label("orders (EU)");
    b.access("aws-backend", "yc-mongo", AccessMode::Write)
        .label("reports on EU orders, over the VPN");
    b.vpn("yc-vpn", "aws-vpn", "OpenVPN").label("OpenVPN");

    // The seed's own decision, all reporting in one place in Russia: the residency finding is
    // accepted (a waiver), so the template validates clean.
    b.waive(
        "IC-RES-001",
        &["users-eu", "yc-mongo"],
        "Seed 000 keeps all reporting in Yandex Managed Service for MongoDB \
         («размещение отчетности»): reports on EU orders are written to Russia over the OpenVPN \
         link on purpose. Revisit before EU personal data goes into the reports.",
    );

    b.finish()
}
