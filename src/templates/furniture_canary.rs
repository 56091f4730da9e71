//! Seed 002: the furniture maker. A geo balancer over two server clusters for customers and
//! couriers, isolated databases, Active Directory and NFS, a separate staff server behind a
//! client-side balancer, canary releases with Flagger, A/B with feature toggles, test stands.

use super::builder::*;
use crate::model::*;

const DESCRIPTION: &str = "Seed 002, a furniture maker on Docker and Kubernetes in its own data \
centre. A geo balancer spreads the browsers and mobile apps of customers and couriers over two \
servers, each a cluster of modules for the customer and courier apps (Сервер 1, Сервер 2). They \
use two isolated databases (customers and orders; the furniture catalogue with all parts) plus \
Active Directory and NFS for files. Staff web apps embed a client-side balancer and call a \
separate Сервер 3, where the business logic runs and which also uses the internal-services \
database (employees, audit). Releases: canary with Flagger for the customer and courier apps \
(NGINX ingress splits the traffic), A/B with feature toggles for the staff web apps and recreate \
for the staff business logic (the other scenarios of the document: recreate on the staff server \
to try a new technology; A/B for both sides for a major update that breaks database \
compatibility). Stands: ИФТ and HotFix are the full contour without balancing, redeployed by \
recreate in a maintenance window (HotFix keeps a database backup at most a week old, customer \
data scrubbed); the load-test stand has only servers 1 and 2 and reads the HotFix database; \
ПреПрод mirrors ПРОМ. The model cannot drop a cluster or a balancer per stand, so the stands \
differ here by replicas and autoscaling. Each server is one machine, so the availability rule \
flags every cluster as single-zone: redundancy comes only from two servers behind the geo \
balancer, and Сервер 3 has none. Added: Prometheus (Flagger needs metrics to judge a canary) \
and central logging, neither named by the seed.";

pub fn build() -> Design {
    let mut b = Builder::new("Мебельная фабрика: инфраструктура и деплой");
    b.description(DESCRIPTION);
    b.env("ift", "ИФТ", false);
    b.env("hotfix", "HotFix", false);
    b.env("load", "Нагрузочное тестирование", false);
    b.env("preprod", "ПреПрод", false);
    b.env("prod", "ПРОМ", true);

    b.node("customers", "Клиенты", users("RU"));
    b.node("couriers", "Сотрудники службы доставки", users("RU"));
    b.node("staff", "Сотрудники", staff("RU"));
    b.node(
        "ad",
        "Active Directory",
        product(Kind::ExternalSystem, "Microsoft Active Directory"),
    );
    b.node("nfs", "NFS", product(Kind::ExternalSystem, "NFS"))
        .describe("Files.");

    b.node("dc", "Мебельная фабрика", provider(Cloud::OnPrem));
    b.add(
        "dc",
        "geo",
        "Гео-балансировщик",
        router("", RoutingPolicy::Geo),
    )
    .describe("Spreads customers and couriers over servers 1 and 2.");
    b.add("dc", "region", "ЦОД", region("dc-1", "RU"));
    b.add(
        "region",
        "external",
        "Внешний контур",
        subnet(Visibility::Public, "10.1.0.0/16"),
    );
    b.add(
        "region",
        "internal",
        "Внутренний контур",
        subnet(Visibility::Private, "10.2.0.0/16"),
    );
    b.add(
        "region",
        "db-customers",
        "БД клиентов и заказов",
        db(DatabaseEngine::Postgresql, "15")
            .self_hosted()
            .replicas(1)
            .personal_data(),
    );
    b.add(
        "region",
        "db-catalog",
        "БД ассортимента мебели",
        db(DatabaseEngine::Postgresql, "15")
            .self_hosted()
            .replicas(1),
    )
    .describe("All parts and components of each piece of furniture.");
    b.add(
        "internal",
        "db-internal",
        "БД внутренних сервисов",
        db(DatabaseEngine::Postgresql, "15")
            .self_hosted()
            .replicas(1)
            .personal_data(),
    )
    .describe("Employees, audit and the like.");
    b.add(
        "region",
        "prometheus",
        "Prometheus",
        product(Kind::Monitoring, "Prometheus"),
    );
    b.add(
        "region",
        "logging",
        "Логирование",
        product(Kind::Logging, "ELK"),
    );

    // Servers 1 and 2: the external contour, canary releases.
    for (n, zone) in [("1", "server-1"), ("2", "server-2")] {
        let id = |s: &str| format!("s{n}-{s}");
        let cluster = format!("s{n}");
        b.add(
            "external",
            &cluster,
            &format!("Сервер {n}"),
            ClusterProps {
                managed: false,
                ..k8s("", &[zone], "1.29")
            },
        );
        b.add(&cluster, &id("ingress"), "NGINX Ingress", ingress("nginx"));
        b.add(&cluster, &id("ns-customers"), "Клиенты", namespace());
        b.add(&cluster, &id("ns-couriers"), "Служба доставки", namespace());
        b.add(&cluster, &id("ns-flagger"), "flagger-system", namespace());
        b.add(
            &id("ns-customers"),
            &id("customer-app"),
            "Приложение клиентов",
            stand(
                svc("furniture/customer-app", "2.3.1", 8080)
                    .canary(10, 50)
                    .personal_data(),
            )
            .external("shop.furniture.example"),
        );
        b.add(
            &id("ns-couriers"),
            &id("courier-app"),
            "Приложение службы доставки",
            stand(
                svc("furniture/courier-app", "2.3.1", 8080)
                    .canary(10, 50)
                    .personal_data(),
            )
            .external("delivery.furniture.example"),
        );
        b.add(
            &id("ns-flagger"),
            &id("flagger"),
            "Flagger",
            svc("ghcr.io/fluxcd/flagger", "1.37.0", 8080).resources("10m", "1", "32Mi", "512Mi"),
        )
        .describe("Kubernetes operator: shifts traffic from the primary to the canary deployment.");

        b.geo_route("geo", &id("ingress"), &[]);
        b.traffic(&id("ingress"), &id("customer-app"), Protocol::Http, 8080);
        b.traffic(&id("ingress"), &id("courier-app"), Protocol::Http, 8080);
        b.traffic(&id("flagger"), "prometheus", Protocol::Http, 9090)
            .label("canary metrics");
        b.access(&id("customer-app"), "db-customers", AccessMode::ReadWrite);
        b.access(&id("customer-app"), "db-catalog", AccessMode::Read);
        b.access(&id("courier-app"), "db-customers", AccessMode::ReadWrite);
        for app in ["customer-app", "courier-app"] {
            b.access(&id(app), "ad", AccessMode::Read);
            b.access(&id(app), "nfs", AccessMode::ReadWrite);
        }
        b.observes("prometheus", &cluster);
        b.observes("logging", &cluster);
    }

    // Server 3: staff, behind the client-side balancer.
    b.add(
        "internal",
        "staff-lb",
        "Клиентский балансировщик",
        LoadBalancerProps {
            public: false,
            client_side: true,
            ..lb("клиентская библиотека web-приложений", Layer::L7)
        },
    )
    .describe("A balancer built into the staff web apps through a client library.");
    b.add(
        "internal",
        "s3",
        "Сервер 3",
        ClusterProps {
            managed: false,
            ..k8s("", &["server-3"], "1.29")
        },
    );
    b.add("s3", "s3-ns-staff", "Сотрудники", namespace());
    b.add("s3", "s3-ns-flagger", "flagger-system", namespace());
    b.add(
        "s3-ns-staff",
        "staff-web",
        "Web-приложения сотрудников",
        stand(
            svc("furniture/staff-web", "4.1.0", 8080).ab(&["new-order-form", "new-catalog-editor"]),
        ),
    );
    b.add(
        "s3-ns-staff",
        "business-logic",
        "Бизнес-логика",
        stand(
            svc("furniture/business-logic", "4.1.0", 8080)
                .strategy(Strategy::Recreate)
                .personal_data(),
        ),
    );
    b.add(
        "s3-ns-flagger",
        "s3-flagger",
        "Flagger",
        svc("ghcr.io/fluxcd/flagger", "1.37.0", 8080).resources("10m", "1", "32Mi", "512Mi"),
    );

    b.traffic("customers", "geo", Protocol::Https, 443);
    b.traffic("couriers", "geo", Protocol::Https, 443);
    b.traffic("staff", "staff-lb", Protocol::Https, 443);
    b.traffic("staff-lb", "staff-web", Protocol::Https, 8080);
    b.traffic("staff-web", "business-logic", Protocol::Http, 8080);
    b.traffic("s3-flagger", "prometheus", Protocol::Http, 9090)
        .label("rollout metrics");
    for (store, mode) in [
        ("db-customers", AccessMode::ReadWrite),
        ("db-catalog", AccessMode::ReadWrite),
        ("db-internal", AccessMode::ReadWrite),
        ("ad", AccessMode::Read),
        ("nfs", AccessMode::ReadWrite),
    ] {
        b.access("business-logic", store, mode);
    }
    b.observes("prometheus", "s3");
    b.observes("logging", "s3");

    // The seed's own choice: A/B with feature toggles on Сервер 3, whose staff apps reach it
    // through a client-side balancer, with no ingress or mesh to match headers.
    b.waive(
        "IC-OPS-007",
        &["staff-web"],
        "Seed 002 runs the staff A/B with feature toggles that the web apps evaluate themselves; \
         Сервер 3 has only the client-side balancer, so Flagger cannot split requests by header \
         and promotes the new primary deployment after its analysis. Add an NGINX ingress or an \
         Istio mesh to Сервер 3 before relying on header-based A/B there.",
    );

    b.finish()
}

/// The stands: a single replica on ИФТ and HotFix, more room to scale on the load stand.
fn stand(s: Svc) -> Svc {
    s.autoscale(2, 6, 70)
        .replicas_in("ift", 1)
        .autoscale_in("ift", 1, 1, 80)
        .replicas_in("hotfix", 1)
        .autoscale_in("hotfix", 1, 1, 80)
        .autoscale_in("load", 2, 12, 60)
}
