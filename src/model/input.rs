//! Reading what a person types into the inspector's one-line fields (named ports, per-stand
//! autoscaling, A/B header rules, lists, bounded numbers) and writing the values back the same
//! way. Each reader refuses bad text with a sentence that says what to type, so nothing
//! invalid reaches the design.

use super::props::{Autoscaling, HeaderMatch, Port, Probe, Protocol, Resources};

/// A whole number from `min` to `max`; `what` names it in the message.
pub fn parse_bounded(text: &str, min: u32, max: u32, what: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("{what} is a whole number from {min} to {max}")),
    }
}

/// A comma-separated list, items trimmed, empty items and repeats dropped.
pub fn parse_list(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if !out.iter().any(|x| x == item) {
            out.push(item.to_string());
        }
    }
    out
}

/// Ports as typed: `8080`, `8080/grpc`, `metrics:9090`, `admin:9000/https`, comma-separated.
pub fn ports_text(ports: &[Port]) -> String {
    ports
        .iter()
        .map(|p| {
            let name = if p.name.is_empty() {
                String::new()
            } else {
                format!("{}:", p.name)
            };
            let proto = if p.protocol == Protocol::default() {
                String::new()
            } else {
                format!("/{}", p.protocol.as_str())
            };
            format!("{name}{}{proto}", p.port)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads [`ports_text`]'s form. A name is an IANA service name as Kubernetes requires
/// (at most 15 lowercase letters, digits and single inner dashes, with a letter); names and
/// port/protocol pairs are unique.
pub fn parse_ports(text: &str) -> Result<Vec<Port>, String> {
    let mut out: Vec<Port> = Vec::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (name, rest) = match item.split_once(':') {
            Some((n, r)) => (n.trim(), r.trim()),
            None => ("", item),
        };
        let (num, proto) = match rest.split_once('/') {
            Some((n, p)) => (n.trim(), Some(p.trim().to_ascii_lowercase())),
            None => (rest, None),
        };
        let port = match num.parse::<u16>() {
            Ok(p) if p >= 1 => p,
            _ => return Err(format!(
                "`{item}`: a port is a whole number from 1 to 65535, e.g. 8080 or http:8080/grpc"
            )),
        };
        let protocol = match proto {
            None => Protocol::default(),
            Some(p) => Protocol::ALL
                .into_iter()
                .find(|x| x.as_str() == p)
                .ok_or_else(|| {
                    format!("Unknown protocol `{p}`: use http, https, grpc, tcp or udp")
                })?,
        };
        if !name.is_empty() {
            check_port_name(name)?;
            if out.iter().any(|p| p.name == name) {
                return Err(format!("Two ports are called `{name}`"));
            }
        }
        if out.iter().any(|p| p.port == port && p.protocol == protocol) {
            return Err(format!("Port {port} is listed twice"));
        }
        out.push(Port {
            name: name.to_string(),
            port,
            protocol,
        });
    }
    Ok(out)
}

fn check_port_name(name: &str) -> Result<(), String> {
    let ok = name.len() <= 15
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && name.bytes().any(|b| b.is_ascii_lowercase())
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--");
    if ok {
        Ok(())
    } else {
        Err(format!(
            "Port name `{name}`: at most 15 lowercase Latin letters, digits and single dashes, \
             with a letter (e.g. http, metrics, grpc-api)"
        ))
    }
}

/// Autoscaling as typed: `2-12 @ 60%` (between 2 and 12 replicas, 60 % CPU).
pub fn autoscaling_text(a: &Autoscaling) -> String {
    format!("{}-{} @ {}%", a.min, a.max, a.target_cpu)
}

/// Reads [`autoscaling_text`]'s form; the CPU target may be left out (`2-12`), then it is
/// `default_cpu`. Empty is `None` (inherit).
pub fn parse_autoscaling(text: &str, default_cpu: u8) -> Result<Option<Autoscaling>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    const FORM: &str = "Autoscaling is MIN-MAX replicas, optionally @ CPU %, e.g. 2-12 @ 60%";
    let (range, cpu) = match t.split_once('@') {
        Some((r, c)) => (r.trim(), Some(c.trim().trim_end_matches('%').trim())),
        None => (t, None),
    };
    let (min, max) = range
        .split_once(['-', '–', '—'])
        .ok_or_else(|| FORM.to_string())?;
    let min = parse_bounded(min, 1, 10_000, "The minimum").map_err(|e| format!("{e}. {FORM}"))?;
    let max = parse_bounded(max, 1, 10_000, "The maximum").map_err(|e| format!("{e}. {FORM}"))?;
    if max < min {
        return Err(format!("The maximum ({max}) is below the minimum ({min})"));
    }
    let target_cpu = match cpu {
        None => default_cpu,
        Some(c) => parse_bounded(c, 1, 100, "The CPU target")? as u8,
    };
    Ok(Some(Autoscaling {
        min,
        max,
        target_cpu,
    }))
}

/// A/B header rules as typed: `x-beta=on, x-group=staff`.
pub fn headers_text(headers: &[HeaderMatch]) -> String {
    headers
        .iter()
        .map(|h| format!("{}={}", h.header, h.value))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads [`headers_text`]'s form: a header name (HTTP token characters, stored in lower case
/// as meshes compare them) and the exact value that selects the new version.
pub fn parse_headers(text: &str) -> Result<Vec<HeaderMatch>, String> {
    let mut out: Vec<HeaderMatch> = Vec::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let Some((name, value)) = item.split_once(['=', ':']) else {
            return Err(format!(
                "`{item}`: write a header and the value that selects the new version, e.g. x-beta=on"
            ));
        };
        let (name, value) = (name.trim(), value.trim());
        let header = super::names::header_name(name)
            .filter(|h| *h == name.to_ascii_lowercase())
            .ok_or_else(|| {
                format!("`{name}` is not a header name: use Latin letters, digits and dashes")
            })?;
        if value.is_empty() {
            return Err(format!("Header `{header}` needs a value, e.g. {header}=on"));
        }
        if out.iter().any(|h| h.header == header) {
            return Err(format!("Header `{header}` is listed twice"));
        }
        out.push(HeaderMatch {
            header,
            value: value.to_string(),
        });
    }
    Ok(out)
}

/// A country or jurisdiction: a two-letter ISO 3166 code (`DE`, `RU`) or `EU`, in capitals;
/// empty is unset (inherit).
pub fn parse_country(text: &str) -> Result<String, String> {
    let t = text.trim().to_ascii_uppercase();
    if t.is_empty() || (t.len() == 2 && t.bytes().all(|b| b.is_ascii_uppercase())) {
        Ok(t)
    } else {
        Err(format!(
            "`{}`: a two-letter ISO country code (DE, RU, US) or EU",
            text.trim()
        ))
    }
}

/// Countries as typed for a geo route: `RU, KZ, BY`; empty is the default route.
pub fn parse_countries(text: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for item in parse_list(text) {
        let code = parse_country(&item)?;
        if !out.contains(&code) {
            out.push(code);
        }
    }
    Ok(out)
}

/// An IPv4 network as `a.b.c.d/n`, without host bits; empty is unset.
pub fn parse_cidr(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(String::new());
    }
    const FORM: &str = "A network is an IPv4 address and a prefix length, e.g. 10.0.0.0/16";
    let (addr, prefix) = t.split_once('/').ok_or(FORM)?;
    let addr: std::net::Ipv4Addr = addr.parse().map_err(|_| FORM.to_string())?;
    let prefix: u8 = prefix
        .parse()
        .ok()
        .filter(|p| *p <= 32)
        .ok_or("The prefix length is a whole number from 0 to 32")?;
    let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
    let base = std::net::Ipv4Addr::from(u32::from(addr) & mask);
    if base != addr {
        return Err(format!(
            "{t} has host bits set: the network is {base}/{prefix}"
        ));
    }
    Ok(format!("{addr}/{prefix}"))
}

/// What a Kubernetes quantity measures: CPU (`250m`, `1`, `0.5`) or memory (`512Mi`, `1G`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    Cpu,
    Memory,
}

/// A Kubernetes resource quantity as manifests write it; empty is unset.
pub fn parse_quantity(text: &str, what: Quantity) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(String::new());
    }
    let digits_end = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, suffix) = t.split_at(digits_end);
    let number_ok = !number.is_empty()
        && !number.starts_with('.')
        && !number.ends_with('.')
        && number.matches('.').count() <= 1
        && number.parse::<f64>().is_ok_and(|n| n > 0.0);
    let suffix_ok = match what {
        Quantity::Cpu => matches!(suffix, "" | "m"),
        Quantity::Memory => matches!(
            suffix,
            "" | "k" | "M" | "G" | "T" | "Ki" | "Mi" | "Gi" | "Ti"
        ),
    };
    if number_ok && suffix_ok {
        Ok(t.to_string())
    } else {
        Err(match what {
            Quantity::Cpu => format!("`{t}`: CPU is cores (1, 0.5) or millicores (250m)"),
            Quantity::Memory => format!("`{t}`: memory is bytes with a unit, e.g. 256Mi or 1Gi"),
        })
    }
}

/// Resources as typed for one environment: `CPU request/limit, memory request/limit`, e.g.
/// `250m/1, 256Mi/512Mi`; a side may be left empty (`250m/, 256Mi/`).
pub fn resources_text(r: &Resources) -> String {
    format!(
        "{}/{}, {}/{}",
        r.cpu_request, r.cpu_limit, r.memory_request, r.memory_limit
    )
}

/// Reads [`resources_text`]'s form; empty is `None` (inherit the workload's resources).
pub fn parse_resources(text: &str) -> Result<Option<Resources>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    const FORM: &str =
        "Resources are CPU request/limit, memory request/limit, e.g. 250m/1, 256Mi/512Mi";
    let (cpu, memory) = t.split_once(',').ok_or(FORM)?;
    let pair = |part: &str, what: Quantity| -> Result<(String, String), String> {
        let (request, limit) = part.split_once('/').ok_or(FORM)?;
        Ok((parse_quantity(request, what)?, parse_quantity(limit, what)?))
    };
    let (cpu_request, cpu_limit) = pair(cpu, Quantity::Cpu)?;
    let (memory_request, memory_limit) = pair(memory, Quantity::Memory)?;
    Ok(Some(Resources {
        cpu_request,
        cpu_limit,
        memory_request,
        memory_limit,
    }))
}

/// An image tag: letters, digits, `_`, `.` and `-`, not starting with `.` or `-`, at most
/// 128 characters (the OCI distribution rule); empty is unset.
pub fn parse_tag(text: &str) -> Result<String, String> {
    let t = text.trim();
    let ok = t.is_empty()
        || (t.len() <= 128
            && !t.starts_with(['.', '-'])
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')));
    if ok {
        Ok(t.to_string())
    } else {
        Err(format!(
            "`{t}`: a tag is Latin letters, digits, `_`, `.` and `-` (e.g. 1.4.2), at most 128"
        ))
    }
}

/// A public host name (`shop.example.com`), lower-cased; a leading `*.` is a wildcard. Empty
/// is unset.
pub fn parse_host(text: &str) -> Result<String, String> {
    let t = text.trim().trim_end_matches('.').to_ascii_lowercase();
    if t.is_empty() {
        return Ok(t);
    }
    let name = t.strip_prefix("*.").unwrap_or(&t);
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if t.len() <= 253 && name.contains('.') && name.split('.').all(label_ok) {
        Ok(t)
    } else {
        Err(format!(
            "`{}`: a host name such as shop.example.com (Latin letters, digits and dashes; \
             punycode for other scripts)",
            text.trim()
        ))
    }
}

/// A health probe as typed: `8080/healthz` (an HTTP GET of the path) or `8080` (a TCP check).
pub fn probe_text(probe: &Probe) -> String {
    format!("{}{}", probe.port, probe.path)
}

/// Reads [`probe_text`]'s form; empty is `None` (no probe).
pub fn parse_probe(text: &str) -> Result<Option<Probe>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let (port, path) = t.split_at(t.find('/').unwrap_or(t.len()));
    let port =
        match port.trim().parse::<u16>() {
            Ok(p) if p >= 1 => p,
            _ => return Err(
                "A probe is a port and, for an HTTP check, a path: 8080/healthz, or 8080 for TCP"
                    .into(),
            ),
        };
    if path.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("A probe's path has no spaces, e.g. 8080/healthz".into());
    }
    Ok(Some(Probe {
        path: path.to_string(),
        port,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_numbers() {
        assert_eq!(parse_bounded(" 7 ", 1, 10, "X"), Ok(7));
        assert_eq!(
            parse_bounded("0", 1, 10, "X").unwrap_err(),
            "X is a whole number from 1 to 10"
        );
        assert!(parse_bounded("11", 1, 10, "X").is_err());
        assert!(parse_bounded("x", 1, 10, "X").is_err());
    }

    #[test]
    fn lists_drop_blanks_and_repeats() {
        assert_eq!(parse_list(" a, ,b,a , "), ["a", "b"]);
        assert!(parse_list("").is_empty());
    }

    #[test]
    fn ports_round_trip_with_names_and_protocols() {
        let text = "http:8080, metrics:9090/tcp, 9000/grpc";
        let ports = parse_ports(text).unwrap();
        assert_eq!(ports.len(), 3);
        assert_eq!(ports[0].name, "http");
        assert_eq!(ports[1].protocol, Protocol::Tcp);
        assert_eq!(ports[2].name, "");
        assert_eq!(ports_text(&ports), text);
        assert_eq!(parse_ports(" ").unwrap(), []);
    }

    #[test]
    fn ports_refuse_bad_names_numbers_and_repeats() {
        for (text, says) in [
            ("0", "1 to 65535"),
            ("http:x", "1 to 65535"),
            ("8080/sctp", "Unknown protocol `sctp`"),
            ("HTTP:8080", "Port name `HTTP`"),
            ("a-very-long-port-name:1", "at most 15"),
            ("123:1", "with a letter"),
            ("a--b:1", "single dashes"),
            ("a:1, a:2", "Two ports are called `a`"),
            ("1, 1/http", "Port 1 is listed twice"),
        ] {
            let err = parse_ports(text).unwrap_err();
            assert!(err.contains(says), "{text}: {err}");
        }
        // The same number over two protocols is two ports.
        assert_eq!(parse_ports("53/tcp, 53/udp").unwrap().len(), 2);
    }

    #[test]
    fn autoscaling_reads_ranges_and_cpu() {
        let a = parse_autoscaling("2-12 @ 60%", 70).unwrap().unwrap();
        assert_eq!((a.min, a.max, a.target_cpu), (2, 12, 60));
        assert_eq!(autoscaling_text(&a), "2-12 @ 60%");
        let b = parse_autoscaling("1–1", 80).unwrap().unwrap();
        assert_eq!((b.min, b.max, b.target_cpu), (1, 1, 80));
        assert_eq!(parse_autoscaling("  ", 70), Ok(None));
    }

    #[test]
    fn autoscaling_refuses_nonsense() {
        for (text, says) in [
            ("12", "MIN-MAX"),
            ("5-2", "below the minimum"),
            ("0-2", "The minimum"),
            ("2-x", "The maximum"),
            ("2-4 @ 0", "CPU target"),
            ("2-4 @ 101%", "CPU target"),
        ] {
            let err = parse_autoscaling(text, 70).unwrap_err();
            assert!(err.contains(says), "{text}: {err}");
        }
    }

    #[test]
    fn countries_are_two_letters_or_eu() {
        assert_eq!(parse_country(" de "), Ok("DE".into()));
        assert_eq!(parse_country("EU"), Ok("EU".into()));
        assert_eq!(parse_country(""), Ok(String::new()));
        for bad in ["Germany", "D", "D1", "РФ"] {
            assert!(
                parse_country(bad).unwrap_err().contains("two-letter"),
                "{bad}"
            );
        }
        assert_eq!(
            parse_countries("ru, kz,RU"),
            Ok(vec!["RU".into(), "KZ".into()])
        );
        assert!(parse_countries("RU, Russia").is_err());
        assert_eq!(parse_countries(""), Ok(vec![]));
    }

    #[test]
    fn networks_are_ipv4_cidrs_without_host_bits() {
        assert_eq!(parse_cidr(" 10.1.0.0/16 "), Ok("10.1.0.0/16".into()));
        assert_eq!(parse_cidr("0.0.0.0/0"), Ok("0.0.0.0/0".into()));
        assert_eq!(parse_cidr(""), Ok(String::new()));
        assert_eq!(
            parse_cidr("10.1.2.3/16").unwrap_err(),
            "10.1.2.3/16 has host bits set: the network is 10.1.0.0/16"
        );
        for bad in [
            "10.1.0.0",
            "10.1.0/16",
            "10.1.0.0/33",
            "300.1.0.0/16",
            "fd00::/8",
        ] {
            assert!(parse_cidr(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn quantities_tags_and_hosts() {
        assert_eq!(parse_quantity(" 250m ", Quantity::Cpu), Ok("250m".into()));
        assert_eq!(parse_quantity("0.5", Quantity::Cpu), Ok("0.5".into()));
        assert_eq!(
            parse_quantity("512Mi", Quantity::Memory),
            Ok("512Mi".into())
        );
        assert_eq!(parse_quantity("", Quantity::Memory), Ok(String::new()));
        for (bad, what) in [
            ("250Mi", Quantity::Cpu),
            ("m", Quantity::Cpu),
            ("0", Quantity::Cpu),
            ("1.2.3", Quantity::Cpu),
            ("512MB", Quantity::Memory),
            ("-1Gi", Quantity::Memory),
            ("lots", Quantity::Memory),
        ] {
            assert!(parse_quantity(bad, what).is_err(), "{bad}");
        }
        assert_eq!(parse_tag("1.4.2-alpine"), Ok("1.4.2-alpine".into()));
        assert!(parse_tag("-x").is_err());
        assert!(parse_tag("1.0 beta").is_err());
        assert!(parse_tag(&"x".repeat(129)).is_err());
        assert_eq!(
            parse_host("Shop.Example.COM."),
            Ok("shop.example.com".into())
        );
        assert_eq!(parse_host("*.example.com"), Ok("*.example.com".into()));
        for bad in [
            "localhost",
            "shop..example.com",
            "-a.example.com",
            "магазин.рф",
            "a b.com",
        ] {
            assert!(parse_host(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn resources_per_environment_round_trip() {
        let r = parse_resources(" 250m/1 , 256Mi/512Mi ").unwrap().unwrap();
        assert_eq!(
            (
                r.cpu_request.as_str(),
                r.cpu_limit.as_str(),
                r.memory_request.as_str(),
                r.memory_limit.as_str()
            ),
            ("250m", "1", "256Mi", "512Mi")
        );
        assert_eq!(resources_text(&r), "250m/1, 256Mi/512Mi");
        let half = parse_resources("100m/, /1Gi").unwrap().unwrap();
        assert_eq!(
            (half.cpu_limit.as_str(), half.memory_request.as_str()),
            ("", "")
        );
        assert_eq!(parse_resources(""), Ok(None));
        for bad in ["250m", "250m/1", "250m/1, 256MB/1Gi", "1Gi/2Gi, 1Gi/2Gi"] {
            assert!(parse_resources(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn probes_are_http_with_a_path_or_tcp_without() {
        let http = parse_probe(" 8080/healthz ").unwrap().unwrap();
        assert_eq!((http.port, http.path.as_str()), (8080, "/healthz"));
        assert_eq!(probe_text(&http), "8080/healthz");
        let tcp = parse_probe("5432").unwrap().unwrap();
        assert_eq!((tcp.port, tcp.path.as_str()), (5432, ""));
        assert_eq!(probe_text(&tcp), "5432");
        assert_eq!(parse_probe(""), Ok(None));
        for bad in ["/healthz", "0/x", "x", "8080/a b", "70000"] {
            assert!(parse_probe(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn headers_round_trip_lower_cased() {
        let h = parse_headers("X-Beta=on, x-group: staff users").unwrap();
        assert_eq!(h[0].header, "x-beta");
        assert_eq!(h[1].value, "staff users");
        assert_eq!(headers_text(&h), "x-beta=on, x-group=staff users");
        assert!(parse_headers("").unwrap().is_empty());
    }

    #[test]
    fn headers_refuse_bad_names_and_values() {
        for (text, says) in [
            ("x-beta", "e.g. x-beta=on"),
            ("x beta=on", "not a header name"),
            ("заголовок=on", "not a header name"),
            ("x-beta=", "needs a value"),
            ("a=1, A=2", "listed twice"),
        ] {
            let err = parse_headers(text).unwrap_err();
            assert!(err.contains(says), "{text}: {err}");
        }
    }
}
