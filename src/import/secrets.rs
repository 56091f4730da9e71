//! Which configuration values are secrets. The importers never copy one into a design: the
//! variable becomes a reference to a secret store node and the value is dropped.

use super::refs::has_url_password;

/// Words in a variable name that mark its value as a secret.
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "SECRET",
    "TOKEN",
    "APIKEY",
    "API_KEY",
    "ACCESS_KEY",
    "PRIVATE_KEY",
    "CREDENTIAL",
    "AUTH_KEY",
    "SIGNING_KEY",
    "ENCRYPTION_KEY",
    "MASTER_KEY",
    "LICENSE_KEY",
    "SALT",
];

/// Whether a variable holds a secret, by its name or by a password inside its value.
pub(crate) fn is_secret(name: &str, value: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    // `POSTGRES_PASSWORD_FILE=/run/secrets/db` names a file, not a secret.
    if upper.ends_with("_FILE") {
        return false;
    }
    SECRET_WORDS.iter().any(|w| upper.contains(w))
        || upper.ends_with("_KEY")
        || upper == "KEY"
        || has_url_password(value)
}

/// The key a secret takes in its store: the variable name in kebab case
/// (`DB_PASSWORD` → `db-password`), prefixed by the owner (`orders-db-password`).
pub(crate) fn key_for(owner: &str, variable: &str) -> String {
    let variable = variable.to_ascii_lowercase().replace('_', "-");
    let owner = owner.to_ascii_lowercase();
    if owner.is_empty() {
        variable
    } else {
        format!("{owner}-{variable}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_and_url_passwords_are_secrets() {
        for name in [
            "POSTGRES_PASSWORD",
            "JWT_SECRET",
            "GITHUB_TOKEN",
            "STRIPE_API_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "DJANGO_SECRET_KEY",
            "key",
        ] {
            assert!(is_secret(name, "x"), "{name}");
        }
        assert!(is_secret("DATABASE_URL", "postgres://u:pw@db/app"));
    }

    #[test]
    fn ordinary_settings_are_not() {
        for name in [
            "POSTGRES_USER",
            "REDIS_ADDR",
            "PORT",
            "POSTGRES_PASSWORD_FILE",
            "KEYCLOAK_URL",
            "CACHE_KEYS_TTL",
        ] {
            assert!(!is_secret(name, "x"), "{name}");
        }
        assert!(!is_secret("DATABASE_URL", "postgres://u@db/app"));
    }

    #[test]
    fn keys_are_kebab_case_and_owned() {
        assert_eq!(key_for("db", "POSTGRES_PASSWORD"), "db-postgres-password");
        assert_eq!(key_for("", "API_KEY"), "api-key");
    }
}
