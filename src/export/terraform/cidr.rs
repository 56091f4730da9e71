//! IPv4 CIDR arithmetic for the network plan: a VPC range that covers the drawn subnets, and a
//! drawn subnet split into one piece per availability zone.

/// An IPv4 network: base address and prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cidr {
    pub base: u32,
    pub prefix: u8,
}

impl Cidr {
    /// Parses `a.b.c.d/n`; the host bits are cleared (`10.0.0.1/16` is `10.0.0.0/16`).
    pub fn parse(text: &str) -> Option<Cidr> {
        let (addr, prefix) = text.trim().split_once('/')?;
        let prefix: u8 = prefix.parse().ok()?;
        if prefix > 32 {
            return None;
        }
        let mut base = 0u32;
        let mut parts = 0;
        for part in addr.split('.') {
            base = (base << 8) | u32::from(part.parse::<u8>().ok()?);
            parts += 1;
        }
        (parts == 4).then(|| Cidr {
            base: base & mask(prefix),
            prefix,
        })
    }

    /// The smallest network holding every one of `nets`.
    pub fn covering(nets: &[Cidr]) -> Option<Cidr> {
        let first = nets.first()?;
        let mut prefix = nets.iter().map(|n| n.prefix).min()?;
        while prefix > 0
            && nets
                .iter()
                .any(|n| n.base & mask(prefix) != first.base & mask(prefix))
        {
            prefix -= 1;
        }
        Some(Cidr {
            base: first.base & mask(prefix),
            prefix,
        })
    }

    /// `self` widened to at most `/prefix` (AWS VPCs are /16 … /28).
    pub fn widened_to(self, prefix: u8) -> Cidr {
        if self.prefix <= prefix {
            return self;
        }
        Cidr {
            base: self.base & mask(prefix),
            prefix,
        }
    }

    /// The number of addresses (0 for /0, which no VPC has).
    pub fn size(self) -> u32 {
        if self.prefix == 0 {
            0
        } else {
            1u32 << (32 - u32::from(self.prefix))
        }
    }

    /// `count` equal pieces, as few bits smaller as it takes (never smaller than /28).
    pub fn split(self, count: usize) -> Vec<Cidr> {
        let mut bits = 0u8;
        while (1usize << bits) < count {
            bits += 1;
        }
        let prefix = (self.prefix + bits).min(28).max(self.prefix);
        let size = if prefix == 0 {
            0
        } else {
            1u32 << (32 - prefix)
        };
        (0..count)
            .map(|i| Cidr {
                base: self.base.wrapping_add(size.wrapping_mul(i as u32)),
                prefix,
            })
            .collect()
    }
}

fn mask(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix)
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let b = self.base.to_be_bytes();
        write!(f, "{}.{}.{}.{}/{}", b[0], b[1], b[2], b[3], self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::Cidr;

    fn c(s: &str) -> Cidr {
        Cidr::parse(s).unwrap()
    }

    #[test]
    fn parses_and_clears_host_bits() {
        assert_eq!(c("10.0.0.1/16").to_string(), "10.0.0.0/16");
        assert_eq!(Cidr::parse("10.0.0/16"), None);
        assert_eq!(Cidr::parse("10.0.0.300/16"), None);
        assert_eq!(Cidr::parse("10.0.0.0/33"), None);
    }

    #[test]
    fn covers_and_splits() {
        let nets = [c("10.0.0.0/22"), c("10.0.16.0/20"), c("10.0.32.0/20")];
        assert_eq!(Cidr::covering(&nets).unwrap().to_string(), "10.0.0.0/18");
        assert_eq!(c("10.0.0.0/18").widened_to(16).to_string(), "10.0.0.0/16");
        let pieces: Vec<String> = c("10.0.0.0/22")
            .split(3)
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(pieces, ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]);
        assert_eq!(c("10.0.0.0/16").split(1), vec![c("10.0.0.0/16")]);
    }
}
