//! Service references in configuration values: how services find each other when nothing
//! else says so. `REDIS_ADDR=redis-cart:6379`, `PRODUCT_CATALOG_SERVICE_ADDR=productcatalog:3550`,
//! `DATABASE_URL=postgres://app@db:5432/shop`, `API=http://api.backend.svc.cluster.local`.

/// A host named by a value, with the port when one is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reference {
    pub host: String,
    pub port: Option<u16>,
}

/// Variable names that hold an address even without a port (`CART_HOST=cart`).
fn names_an_address(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "_HOST",
        "_HOSTNAME",
        "_ADDR",
        "_ADDRESS",
        "_SERVICE",
        "_SERVER",
        "_ENDPOINT",
        "_URL",
        "_URI",
        "_DSN",
    ]
    .iter()
    .any(|s| upper.ends_with(s))
}

/// The hosts a value names. Values that are not addresses (`LOG_LEVEL=info`) name none.
pub(crate) fn references(name: &str, value: &str) -> Vec<Reference> {
    let mut found = Vec::new();
    for token in value
        .split([',', ';', ' ', '\t', '\n'])
        .filter(|t| !t.is_empty())
    {
        if let Some(r) = reference(name, token) {
            if !found.contains(&r) {
                found.push(r);
            }
        }
    }
    found
}

fn reference(name: &str, token: &str) -> Option<Reference> {
    let (authority, explicit) = match token.split_once("://") {
        Some((_, rest)) => (rest.split(['/', '?', '#']).next()?, true),
        None => (token.split('/').next()?, false),
    };
    // Credentials in the authority (`user:pass@host`) are not part of the host.
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, Some(p.parse::<u16>().ok()?)),
        None => (authority, None),
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if !is_dns_name(&host) || is_local(&host) {
        return None;
    }
    let cluster_name = host.ends_with(".svc.cluster.local") || host.ends_with(".svc");
    if explicit || port.is_some() || cluster_name || names_an_address(name) {
        // A bare word without a port is a host only when the variable says it is one.
        if !explicit && port.is_none() && !cluster_name && token.contains('/') {
            return None;
        }
        Some(Reference { host, port })
    } else {
        None
    }
}

fn is_dns_name(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.starts_with(|c: char| c.is_ascii_alphanumeric())
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_')
        // An IP address names no service.
        && !host.chars().all(|c| c.is_ascii_digit() || c == '.')
    // `${VAR}` and similar templates were excluded by the character set above.
}

fn is_local(host: &str) -> bool {
    matches!(host, "localhost" | "0.0.0.0" | "host.docker.internal")
}

/// Whether a value carries a password in a URL (`postgres://app:s3cret@db/app`).
pub(crate) fn has_url_password(value: &str) -> bool {
    value.split_whitespace().any(|token| {
        token.split_once("://").is_some_and(|(_, rest)| {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
            authority.rsplit_once('@').is_some_and(|(userinfo, _)| {
                userinfo.split_once(':').is_some_and(|(_, p)| !p.is_empty())
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(name: &str, value: &str) -> Vec<(String, Option<u16>)> {
        references(name, value)
            .into_iter()
            .map(|r| (r.host, r.port))
            .collect()
    }

    #[test]
    fn addresses_urls_and_cluster_names_are_references() {
        assert_eq!(
            hosts("CART_SERVICE_ADDR", "cartservice:7070"),
            [("cartservice".into(), Some(7070))]
        );
        assert_eq!(
            hosts("REDIS_ADDR", "redis-cart:6379"),
            [("redis-cart".into(), Some(6379))]
        );
        assert_eq!(
            hosts(
                "DATABASE_URL",
                "postgres://app:pw@db:5432/app?sslmode=disable"
            ),
            [("db".into(), Some(5432))]
        );
        assert_eq!(
            hosts("API", "http://api.backend.svc.cluster.local"),
            [("api.backend.svc.cluster.local".into(), None)]
        );
        assert_eq!(
            hosts("CACHE_HOST", "memcached"),
            [("memcached".into(), None)]
        );
        assert_eq!(
            hosts("KAFKA_BROKERS", "kafka-0:9092,kafka-1:9092"),
            [
                ("kafka-0".into(), Some(9092)),
                ("kafka-1".into(), Some(9092))
            ]
        );
    }

    #[test]
    fn plain_values_and_local_addresses_are_not() {
        assert!(hosts("LOG_LEVEL", "info").is_empty());
        assert!(hosts("PORT", "8080").is_empty());
        assert!(hosts("LISTEN", "0.0.0.0:8080").is_empty());
        assert!(hosts("LISTEN", "localhost:8080").is_empty());
        assert!(hosts("UPSTREAM", "10.0.0.5:80").is_empty());
        assert!(hosts("TIME", "12:30:00").is_empty());
        assert!(hosts("PATH_URL", "${BASE}/x").is_empty());
        assert!(hosts("FEATURES", "a b c").is_empty());
    }

    #[test]
    fn passwords_in_urls_are_found() {
        assert!(has_url_password("postgres://app:s3cret@db/app"));
        assert!(!has_url_password("postgres://app@db/app"));
        assert!(!has_url_password("http://api:8080/x"));
    }
}
