//! What both clouds' VPN gateways share: the far end's address is an input, since neither
//! side knows the other's public address before both exist.

use hcl::expr::Expression;

use super::module::{ty, Module, Variable};

/// Declares `name` (the peer's public address as a /32) with a documentation-range example.
pub fn peer_variable(m: &mut Module, name: &str) {
    m.variable(
        name,
        Variable {
            ty: ty("string"),
            description: "Public address of the VPN tunnel's far end, as a /32 (known once the other side exists)".into(),
            default: None,
            sensitive: false,
        },
    );
    m.example_value(name, Expression::from("203.0.113.10/32"));
}

/// What a VPN gateway VM still needs from the team, said once per module.
pub fn note(m: &mut Module) {
    let text = "VPN VMs: the private subnets route the far network to them, and their groups admit the tunnel (and HTTPS out for packages); OpenVPN itself (install, keys, IP forwarding) and the forwarded flows on the VMs' groups are left to the team.";
    if !m.notes.iter().any(|n| n == text) {
        m.notes.push(text.to_string());
    }
}
