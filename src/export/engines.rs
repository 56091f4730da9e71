//! What the exports need to know about data-store engines: the image that runs a self-hosted
//! one, its port, where it keeps data and which user it runs as.

use crate::model::*;

/// Facts about one engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Engine {
    /// Short engine name written into connection settings (`postgresql`).
    pub name: &'static str,
    /// Official image without tag.
    pub image: &'static str,
    /// Tag used when the design gives no version.
    pub default_version: &'static str,
    pub port: u16,
    /// Where the data volume is mounted.
    pub data_path: &'static str,
    /// The non-root user id the official image runs as.
    pub uid: i64,
    /// Whether the image can run with a read-only root file system (plus the writable
    /// directories below and `/tmp`).
    pub read_only_root: bool,
    /// Extra writable directories besides `/tmp` and the data path.
    pub writable: &'static [&'static str],
    /// The variable through which the image takes its admin password, if it needs one.
    pub password_env: Option<&'static str>,
    /// A health command the image itself ships (Swarm healthcheck).
    pub health_cmd: Option<&'static str>,
}

const POSTGRES: Engine = Engine {
    name: "postgresql",
    image: "postgres",
    default_version: "17",
    port: 5432,
    data_path: "/var/lib/postgresql/data",
    uid: 999,
    read_only_root: true,
    writable: &["/var/run/postgresql"],
    password_env: Some("POSTGRES_PASSWORD"),
    health_cmd: Some("pg_isready -q -h 127.0.0.1"),
};
const MYSQL: Engine = Engine {
    name: "mysql",
    image: "mysql",
    default_version: "8.4",
    port: 3306,
    data_path: "/var/lib/mysql",
    uid: 999,
    read_only_root: true,
    writable: &["/var/run/mysqld"],
    password_env: Some("MYSQL_ROOT_PASSWORD"),
    health_cmd: Some("mysqladmin ping -h 127.0.0.1 --silent"),
};
const MONGODB: Engine = Engine {
    name: "mongodb",
    image: "mongo",
    default_version: "8.0",
    port: 27017,
    data_path: "/data/db",
    uid: 999,
    read_only_root: true,
    writable: &[],
    password_env: Some("MONGO_INITDB_ROOT_PASSWORD"),
    health_cmd: Some("mongosh --quiet --eval 'db.runCommand({ping: 1})'"),
};
const REDIS: Engine = Engine {
    name: "redis",
    image: "redis",
    default_version: "7.4",
    port: 6379,
    data_path: "/data",
    uid: 999,
    read_only_root: true,
    writable: &[],
    password_env: None,
    health_cmd: Some("redis-cli -h 127.0.0.1 ping"),
};
const MEMCACHED: Engine = Engine {
    name: "memcached",
    image: "memcached",
    default_version: "1.6",
    port: 11211,
    data_path: "/data",
    uid: 11211,
    read_only_root: true,
    writable: &[],
    password_env: None,
    health_cmd: None,
};
const KAFKA: Engine = Engine {
    name: "kafka",
    image: "apache/kafka",
    default_version: "3.9.0",
    port: 9092,
    data_path: "/var/lib/kafka/data",
    uid: 1000,
    // The image writes its configuration under /opt/kafka at start-up.
    read_only_root: false,
    writable: &[],
    password_env: None,
    health_cmd: None,
};
const RABBITMQ: Engine = Engine {
    name: "rabbitmq",
    image: "rabbitmq",
    default_version: "4.0",
    port: 5672,
    data_path: "/var/lib/rabbitmq",
    uid: 999,
    // The entrypoint writes configuration under /etc/rabbitmq.
    read_only_root: false,
    writable: &[],
    password_env: Some("RABBITMQ_DEFAULT_PASS"),
    health_cmd: Some("rabbitmq-diagnostics -q ping"),
};
const NATS: Engine = Engine {
    name: "nats",
    image: "nats",
    default_version: "2.10",
    port: 4222,
    data_path: "/data",
    uid: 1000,
    read_only_root: true,
    writable: &[],
    password_env: None,
    health_cmd: None,
};

/// A database, cache or queue node: its engine, version, whether the provider runs it, and
/// the members beyond the primary.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Store<'a> {
    pub engine: Engine,
    pub version: &'a str,
    pub managed: bool,
    pub replicas: u32,
}

impl Store<'_> {
    pub fn image(&self) -> String {
        let tag = if self.version.is_empty() {
            self.engine.default_version
        } else {
            self.version
        };
        format!("{}:{}", self.engine.image, tag)
    }
}

/// The store facts of a Database, Cache or Queue node; `None` for any other kind.
pub(crate) fn store(spec: &NodeSpec) -> Option<Store<'_>> {
    fn of<E>(engine: Engine, p: &StoreProps<E>) -> Store<'_> {
        Store {
            engine,
            version: &p.version,
            managed: p.managed,
            replicas: p.replicas,
        }
    }
    Some(match spec {
        NodeSpec::Database(p) => of(
            match p.engine {
                DatabaseEngine::Postgresql => POSTGRES,
                DatabaseEngine::Mysql => MYSQL,
                DatabaseEngine::Mongodb => MONGODB,
            },
            p,
        ),
        NodeSpec::Cache(p) => of(
            match p.engine {
                CacheEngine::Redis => REDIS,
                CacheEngine::Memcached => MEMCACHED,
            },
            p,
        ),
        NodeSpec::Queue(p) => of(
            match p.engine {
                QueueEngine::Kafka => KAFKA,
                QueueEngine::Rabbitmq => RABBITMQ,
                QueueEngine::Nats => NATS,
            },
            p,
        ),
        _ => return None,
    })
}

/// How a client proves who it is to a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Auth {
    /// A user and password (RDS keeps it in Secrets Manager; self-hosted ones in a Secret).
    Password,
    /// No credentials on the wire (a self-hosted cache or broker inside the cluster).
    None,
    /// SASL/IAM over TLS: MSK with IAM access control; the pod's role signs the request.
    AwsIam,
    /// TLS with a shared token: ElastiCache with transit encryption and an AUTH token.
    TlsToken,
}

impl Auth {
    /// The value of a workload's `<STORE>_AUTH` setting.
    pub fn as_str(self) -> &'static str {
        match self {
            Auth::Password => "password",
            Auth::None => "none",
            Auth::AwsIam => "aws-iam",
            Auth::TlsToken => "tls-token",
        }
    }
}

/// How a client reaches a store: the one port and auth mode every export uses for it (the
/// Kubernetes ConfigMaps and NetworkPolicies, the Swarm stack, the Terraform security groups
/// and outputs), so that they cannot disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Client {
    pub port: u16,
    pub auth: Auth,
}

/// The client side of `store`, run by the provider node `i` sits under (`None`: no cloud, or
/// self-hosted). A managed service listens where its provider puts it: MSK with IAM on 9098,
/// Yandex's managed PostgreSQL behind its connection pooler on 6432 and MongoDB on 27018.
pub(crate) fn client_of(store: &Store, cloud: Option<Cloud>) -> Client {
    let e = store.engine;
    let own = Client {
        port: e.port,
        auth: if e.password_env.is_some() {
            Auth::Password
        } else {
            Auth::None
        },
    };
    if !store.managed {
        return own;
    }
    match (cloud, e.name) {
        (Some(Cloud::Aws), "kafka") => Client {
            port: 9098,
            auth: Auth::AwsIam,
        },
        (Some(Cloud::Aws), "redis") => Client {
            port: 6379,
            auth: Auth::TlsToken,
        },
        (Some(Cloud::Yandex), "postgresql") => Client {
            port: 6432,
            auth: Auth::Password,
        },
        (Some(Cloud::Yandex), "mongodb") => Client {
            port: 27018,
            auth: Auth::Password,
        },
        _ => own,
    }
}

/// The cloud of the provider node `i` sits under, if any.
pub(crate) fn cloud_of(g: &DesignGraph, i: usize) -> Option<Cloud> {
    match &g.node(g.provider_of(i)?).spec {
        NodeSpec::Provider(p) => Some(p.cloud),
        _ => None,
    }
}

/// [`client_of`] for node `i` of the design, whose store facts are `store`.
pub(crate) fn client(g: &DesignGraph, i: usize, store: &Store) -> Client {
    client_of(store, cloud_of(g, i))
}

/// The port a client uses to reach node `i` when the edge names none: a store's client port
/// (see [`client`]), a workload's first port, 443 for the cloud's HTTPS services.
pub(crate) fn default_port(g: &DesignGraph, i: usize) -> Option<u16> {
    let spec = &g.node(i).spec;
    if let Some(s) = store(spec) {
        return Some(client(g, i, &s).port);
    }
    match spec {
        NodeSpec::Workload(w) => w.ports.first().map(|p| p.port),
        NodeSpec::ObjectStorage(_)
        | NodeSpec::ContainerRegistry(_)
        | NodeSpec::SecretStore(_)
        | NodeSpec::ConfigStore(_)
        | NodeSpec::ExternalSystem(_)
        | NodeSpec::LoadBalancer(_)
        | NodeSpec::Cdn(_)
        | NodeSpec::Waf(_)
        | NodeSpec::GeoRouter(_) => Some(443),
        _ => None,
    }
}

/// `name:tag` for a workload image; an image that already carries a tag or digest is kept.
/// Returns (image name without tag, tag, full reference).
pub(crate) fn split_image(image: &str, tag: &str, fallback_name: &str) -> (String, String, String) {
    let image = if image.trim().is_empty() {
        fallback_name
    } else {
        image.trim()
    };
    if image.contains('@') {
        return (image.to_string(), String::new(), image.to_string());
    }
    let last_slash = image.rfind('/').map_or(0, |i| i + 1);
    if let Some(colon) = image[last_slash..].find(':') {
        let at = last_slash + colon;
        return (
            image[..at].to_string(),
            image[at + 1..].to_string(),
            image.to_string(),
        );
    }
    let tag = if tag.trim().is_empty() {
        "latest"
    } else {
        tag.trim()
    };
    (image.to_string(), tag.to_string(), format!("{image}:{tag}"))
}

/// An environment-variable or ConfigMap key: `[-._a-zA-Z0-9]{1,253}`, other characters become `_`.
pub(crate) fn env_key(name: &str) -> String {
    let mut s: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    s.truncate(MAX_KEY_LEN); // ASCII only by construction.
    if s.is_empty() {
        "_".into()
    } else {
        s
    }
}

/// The longest ConfigMap or Secret key Kubernetes accepts.
const MAX_KEY_LEN: usize = 253;

/// A Secret data key from a secret-store path (`db/password` → `db-password`).
pub(crate) fn secret_key(key: &str) -> String {
    let mut s: String = key
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    s.truncate(MAX_KEY_LEN);
    if s.is_empty() {
        "value".into()
    } else {
        s
    }
}

/// `orders-db` → `ORDERS_DB`: the prefix of a store's connection settings.
pub(crate) fn env_prefix(kube_name: &str) -> String {
    kube_name.to_ascii_uppercase().replace(['-', '.'], "_")
}

/// A full `major.minor.patch` (PostgreSQL: `major.minor`) for a floating engine version such as
/// `16` or `7.2`, so that a restarted pod never pulls a different build than the one tested.
/// A version that is already full, or one this table does not know, is kept as drawn.
pub(crate) fn pinned_version(engine: &Engine, version: &str) -> String {
    let v = version.trim();
    let v = if v.is_empty() {
        engine.default_version
    } else {
        v
    };
    const PINS: &[(&str, &str, &str)] = &[
        ("postgresql", "13", "13.21"),
        ("postgresql", "14", "14.18"),
        ("postgresql", "15", "15.13"),
        ("postgresql", "16", "16.9"),
        ("postgresql", "17", "17.5"),
        ("mysql", "8", "8.4.5"),
        ("mysql", "8.0", "8.0.42"),
        ("mysql", "8.4", "8.4.5"),
        ("mongodb", "6.0", "6.0.19"),
        ("mongodb", "7.0", "7.0.15"),
        ("mongodb", "8.0", "8.0.4"),
        ("redis", "7.0", "7.0.15"),
        ("redis", "7.2", "7.2.7"),
        ("redis", "7.4", "7.4.2"),
        ("memcached", "1.6", "1.6.32"),
        ("kafka", "3.7", "3.7.2"),
        ("kafka", "3.8", "3.8.1"),
        ("kafka", "3.9", "3.9.0"),
        ("rabbitmq", "3.13", "3.13.7"),
        ("rabbitmq", "4.0", "4.0.5"),
        ("nats", "2.10", "2.10.24"),
    ];
    PINS.iter()
        .find(|(e, floating, _)| *e == engine.name && *floating == v)
        .map_or_else(|| v.to_string(), |(_, _, full)| (*full).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_pinned() {
        assert_eq!(split_image("nginx", "1.27", "x").2, "nginx:1.27");
        assert_eq!(split_image("reg:5000/app", "2", "x").2, "reg:5000/app:2");
        assert_eq!(split_image("reg:5000/app:3", "2", "x").1, "3");
        assert_eq!(split_image("", "", "api").2, "api:latest");
        assert_eq!(split_image("a@sha256:00", "1", "x").2, "a@sha256:00");
    }

    #[test]
    fn floating_engine_versions_are_pinned_to_a_patch_release() {
        assert_eq!(pinned_version(&POSTGRES, "16"), "16.9");
        assert_eq!(pinned_version(&POSTGRES, ""), "17.5");
        assert_eq!(pinned_version(&REDIS, "7.2"), "7.2.7");
        assert_eq!(
            pinned_version(&POSTGRES, "16.4"),
            "16.4",
            "a full version is kept"
        );
        assert_eq!(pinned_version(&KAFKA, "3.9.0"), "3.9.0");
    }

    #[test]
    fn keys_are_sanitised() {
        assert_eq!(secret_key("db/password"), "db-password");
        assert_eq!(env_key("LOG LEVEL"), "LOG_LEVEL");
        assert_eq!(env_prefix("orders-db"), "ORDERS_DB");
        assert_eq!(env_key(&"Щ".repeat(10_000)).len(), MAX_KEY_LEN);
        assert_eq!(secret_key(&"k".repeat(300)).len(), MAX_KEY_LEN);
    }
}
