//! What a container image says about the component that runs it: stock images of data stores,
//! balancers, ingress controllers and operations tools are recognised by name, so
//! `postgres:16-alpine` becomes a self-hosted PostgreSQL 16 rather than a workload.

use crate::model::*;

/// An image reference split into its name (registry and path, no tag) and tag; a digest
/// reference keeps the digest in the name and has no tag.
pub(crate) fn split(image: &str) -> (String, String) {
    let image = image.trim();
    if image.contains('@') {
        return (image.to_string(), String::new());
    }
    let last_slash = image.rfind('/').map_or(0, |i| i + 1);
    match image[last_slash..].find(':') {
        Some(colon) => {
            let at = last_slash + colon;
            (image[..at].to_string(), image[at + 1..].to_string())
        }
        None => (image.to_string(), String::new()),
    }
}

/// What an image is, as far as the design cares. (A role is made once per container and placed
/// at once: boxing the spec would buy nothing.)
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Role {
    /// A data store or an operations tool: the node's spec, ready to place.
    Component(NodeSpec),
    /// A reverse proxy or balancer (nginx, HAProxy, Traefik, Envoy, Caddy).
    Balancer(&'static str),
    /// A Kubernetes ingress controller, with its IngressClass name.
    Ingress(&'static str),
    /// Anything else: the team's own workload.
    Workload,
}

/// The last path segment of an image name, lower-cased (`docker.io/bitnami/redis` → `redis`),
/// and the path before it.
fn base(name: &str) -> (String, String) {
    let lower = name.to_ascii_lowercase();
    match lower.rsplit_once('/') {
        Some((path, last)) => (last.to_string(), path.to_string()),
        None => (lower, String::new()),
    }
}

/// The engine version in a tag: `16-alpine` → `16`, `7.2.4` → `7.2.4`; `latest` and variants
/// alone give nothing.
pub(crate) fn version(tag: &str) -> String {
    let head = tag.split(['-', '_']).next().unwrap_or_default();
    let head = head.strip_prefix('v').unwrap_or(head);
    if head.starts_with(|c: char| c.is_ascii_digit()) {
        head.to_string()
    } else {
        String::new()
    }
}

fn store<E>(engine: E, tag: &str) -> StoreProps<E>
where
    E: Default,
{
    StoreProps {
        engine,
        version: version(tag),
        // Running from an image in the cluster: self-hosted, not a provider's managed service.
        managed: false,
        ..StoreProps::default()
    }
}

fn product(name: &str, tag: &str) -> ProductProps {
    let version = version(tag);
    ProductProps {
        product: if version.is_empty() {
            name.to_string()
        } else {
            format!("{name} {version}")
        },
    }
}

/// The role of an image (`name` without its tag).
pub(crate) fn recognise(name: &str, tag: &str) -> Role {
    let (last, path) = base(name);
    let path_has = |s: &str| path.split('/').any(|p| p == s);
    match last.as_str() {
        "postgres" | "postgresql" | "postgis" | "timescaledb" | "timescaledb-ha" => {
            Role::Component(NodeSpec::Database(store(DatabaseEngine::Postgresql, tag)))
        }
        "mysql" | "mariadb" | "percona" | "percona-server" | "mysql-server" => {
            Role::Component(NodeSpec::Database(store(DatabaseEngine::Mysql, tag)))
        }
        "mongo" | "mongodb" | "mongodb-community-server" => {
            Role::Component(NodeSpec::Database(store(DatabaseEngine::Mongodb, tag)))
        }
        "redis" | "redis-stack" | "redis-stack-server" | "valkey" | "keydb" | "dragonfly" => {
            Role::Component(NodeSpec::Cache(store(CacheEngine::Redis, tag)))
        }
        "memcached" => Role::Component(NodeSpec::Cache(store(CacheEngine::Memcached, tag))),
        "kafka" | "cp-kafka" | "cp-server" | "redpanda" => {
            Role::Component(NodeSpec::Queue(store(QueueEngine::Kafka, tag)))
        }
        "rabbitmq" => Role::Component(NodeSpec::Queue(store(QueueEngine::Rabbitmq, tag))),
        "nats" | "nats-streaming" => {
            Role::Component(NodeSpec::Queue(store(QueueEngine::Nats, tag)))
        }
        "minio" => Role::Component(NodeSpec::ObjectStorage(ObjectStorageProps {
            product: product("MinIO", tag).product,
            ..ObjectStorageProps::default()
        })),
        // A search and log store: the design has no search-engine kind, and logs are what
        // Elasticsearch holds in most Compose files.
        "elasticsearch" | "opensearch" => Role::Component(NodeSpec::Logging(product(
            if last == "opensearch" {
                "OpenSearch"
            } else {
                "Elasticsearch"
            },
            tag,
        ))),
        "loki" | "fluentd" | "fluent-bit" | "logstash" => {
            Role::Component(NodeSpec::Logging(product(&last, tag)))
        }
        "prometheus" | "grafana" | "alertmanager" | "victoria-metrics" => {
            Role::Component(NodeSpec::Monitoring(product(&last, tag)))
        }
        "jaeger" | "all-in-one" if last != "all-in-one" || path_has("jaegertracing") => {
            Role::Component(NodeSpec::Tracing(product("Jaeger", tag)))
        }
        "zipkin" | "tempo" => Role::Component(NodeSpec::Tracing(product(&last, tag))),
        "vault" => Role::Component(NodeSpec::SecretStore(product("Vault", tag))),
        "consul" | "etcd" => Role::Component(NodeSpec::ConfigStore(product(&last, tag))),
        "controller" if path_has("ingress-nginx") => Role::Ingress("nginx"),
        "kubernetes-ingress" | "haproxy-ingress" => Role::Ingress("haproxy"),
        "traefik" => Role::Balancer("Traefik"),
        "nginx" | "nginx-unprivileged" | "openresty" => Role::Balancer("nginx"),
        "haproxy" => Role::Balancer("HAProxy"),
        "envoy" | "envoy-distroless" => Role::Balancer("Envoy"),
        "caddy" => Role::Balancer("Caddy"),
        _ => Role::Workload,
    }
}

/// The port clients reach a data store's engine on (the engines' standard ports, as the
/// exports use them).
pub(crate) fn store_port(spec: &NodeSpec) -> Option<u16> {
    Some(match spec {
        NodeSpec::Database(p) => match p.engine {
            DatabaseEngine::Postgresql => 5432,
            DatabaseEngine::Mysql => 3306,
            DatabaseEngine::Mongodb => 27017,
        },
        NodeSpec::Cache(p) => match p.engine {
            CacheEngine::Redis => 6379,
            CacheEngine::Memcached => 11211,
        },
        NodeSpec::Queue(p) => match p.engine {
            QueueEngine::Kafka => 9092,
            QueueEngine::Rabbitmq => 5672,
            QueueEngine::Nats => 4222,
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_split_at_the_tag_not_the_registry_port() {
        assert_eq!(split("postgres:16"), ("postgres".into(), "16".into()));
        assert_eq!(
            split("reg:5000/app"),
            ("reg:5000/app".into(), String::new())
        );
        assert_eq!(
            split("reg:5000/a/b:1.2"),
            ("reg:5000/a/b".into(), "1.2".into())
        );
        assert_eq!(split("a@sha256:00"), ("a@sha256:00".into(), String::new()));
    }

    #[test]
    fn stock_images_are_recognised_with_engine_and_version() {
        let Role::Component(NodeSpec::Database(p)) = recognise("postgres", "16-alpine") else {
            panic!()
        };
        assert_eq!(
            (p.engine, p.version.as_str(), p.managed),
            (DatabaseEngine::Postgresql, "16", false)
        );
        let Role::Component(NodeSpec::Database(p)) = recognise("docker.io/library/mariadb", "11.4")
        else {
            panic!()
        };
        assert_eq!(p.engine, DatabaseEngine::Mysql);
        assert!(matches!(
            recognise("bitnami/redis", "7.2"),
            Role::Component(NodeSpec::Cache(_))
        ));
        assert!(matches!(
            recognise("apache/kafka", "3.9.0"),
            Role::Component(NodeSpec::Queue(_))
        ));
        assert!(matches!(
            recognise("rabbitmq", "4-management"),
            Role::Component(NodeSpec::Queue(_))
        ));
        assert!(matches!(
            recognise("mongo", "8"),
            Role::Component(NodeSpec::Database(_))
        ));
        assert!(matches!(
            recognise("minio/minio", ""),
            Role::Component(NodeSpec::ObjectStorage(_))
        ));
        assert!(matches!(
            recognise("elasticsearch", "8.15.0"),
            Role::Component(NodeSpec::Logging(_))
        ));
        assert_eq!(recognise("nginx", "1.27"), Role::Balancer("nginx"));
        assert_eq!(recognise("traefik", "v3.1"), Role::Balancer("Traefik"));
        assert_eq!(
            recognise("registry.k8s.io/ingress-nginx/controller", "v1.11.2"),
            Role::Ingress("nginx")
        );
        assert_eq!(recognise("shop/cartservice", "v0.10"), Role::Workload);
        assert_eq!(recognise("acme/controller", "1"), Role::Workload);
    }

    #[test]
    fn versions_come_from_tags() {
        assert_eq!(version("16-alpine"), "16");
        assert_eq!(version("v3.1"), "3.1");
        assert_eq!(version("latest"), "");
        assert_eq!(version(""), "");
    }
}
