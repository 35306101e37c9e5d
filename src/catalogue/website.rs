//! Websites as the catalogue accepts them, and the one form in which they are shown.
//!
//! A website reaches every kiosk's screen, tickets, the staff's HTML pages and QR codes, and
//! a visitor follows it with their phone: it must lead where it says. So an address is kept
//! only when it is `http://` or `https://` with a real host — a domain name of at least two
//! labels, not an IP address, with no user name before an `@` (`https://ma-banque.fr@piege.example`
//! goes to `piege.example`) — and nothing a browser would read differently from a person (white
//! space, quotes, `<`, `>`, a backslash, invisible or reordering characters). A host that is
//! not plain ASCII is kept in its punycode form (`https://xn--exmple-cua.fr`), so a look-alike
//! domain (a Cyrillic `а` for a Latin `a`) cannot hide: [`checked`] returns that form, the
//! validator stores it, and pages, tickets, the screen and QR codes show or encode only what
//! [`checked`] returns (an older store is checked again on the way out).
//!
//! The parsing is the WHATWG URL standard's (`url` crate), which is what browsers and phones
//! follow; the rest of the address after the host is kept as it was written.

use url::{Host, Url};

/// Why an address is not a website we show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WebsiteError {
    #[error("must be an http:// or https:// address")]
    Scheme,
    #[error("holds characters a web address cannot (spaces, quotes, <, >, \\, controls or invisible characters)")]
    Characters,
    #[error("names a user before the host (user@host): the real host would be hidden")]
    UserInfo,
    #[error("the host must be a domain name such as exemple.fr (not an IP address, not one word)")]
    NotADomain,
}

/// The address as it is stored and shown: scheme in lower case, the host in its ASCII
/// (punycode) form, a port only when it is not the scheme's default, the rest as written.
pub fn checked(address: &str) -> Result<String, WebsiteError> {
    let lower = address.get(..8).unwrap_or(address).to_ascii_lowercase();
    let after = if lower.starts_with("https://") {
        8
    } else if lower.starts_with("http://") {
        7
    } else {
        return Err(WebsiteError::Scheme);
    };
    if address
        .chars()
        .any(|c| c.is_whitespace() || crate::text::is_unsafe_char(c) || matches!(c, '"' | '<' | '>' | '\\' | '`'))
    {
        return Err(WebsiteError::Characters);
    }
    let rest = &address[after..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    if authority.contains('@') {
        return Err(WebsiteError::UserInfo);
    }
    let url = Url::parse(address).map_err(|_| WebsiteError::NotADomain)?;
    let Some(Host::Domain(domain)) = url.host() else { return Err(WebsiteError::NotADomain) };
    // The host as written must be the host the parser found: `https:///exemple.fr` (a parser
    // skips the extra slash) or anything else where our split and the standard's differ is
    // refused rather than shown one way and followed another.
    let written_host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    if Host::parse(written_host).ok().as_ref() != url.host().map(|h| h.to_owned()).as_ref() {
        return Err(WebsiteError::NotADomain);
    }
    if !real_domain(domain) {
        return Err(WebsiteError::NotADomain);
    }
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    Ok(format!("{}://{domain}{port}{path}", url.scheme()))
}

/// At least two labels of letters, digits and inner hyphens (1 to 63 each), the last one a
/// word of letters or an internationalised one (`xn--…`).
fn real_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        (1..=63).contains(&l.len())
            && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let top = labels.last().copied().unwrap_or("");
    labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(label_ok)
        && (top.starts_with("xn--") || (top.len() >= 2 && top.bytes().all(|b| b.is_ascii_lowercase())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_addresses_are_kept_as_written() {
        for ok in [
            "https://www.exemple.fr",
            "http://exemple.fr/",
            "https://www.example.fr/a?b",
            "https://exemple.fr/accès/page#haut",
            "https://sous.domaine.exemple.org/chemin?q=1&r=2",
            "https://exemple.fr:8443/x",
        ] {
            assert_eq!(checked(ok).as_deref(), Ok(ok));
        }
        assert_eq!(checked("HTTPS://Exemple.FR/Page").as_deref(), Ok("https://exemple.fr/Page"));
        assert_eq!(checked("https://exemple.fr:443/x").as_deref(), Ok("https://exemple.fr/x"), "default port");
    }

    #[test]
    fn a_host_that_is_not_ascii_is_shown_in_punycode() {
        // A Cyrillic "а" (U+0430) in place of the Latin "a": the look-alike shows as xn--.
        let fake = checked("https://p\u{0430}ypal.fr/connexion").unwrap();
        assert!(fake.starts_with("https://xn--") && fake.ends_with(".fr/connexion"), "{fake}");
        assert!(fake.is_ascii());
        assert_eq!(checked("https://café.fr").as_deref(), Ok("https://xn--caf-dma.fr"));
        assert_eq!(checked("https://ÉCOLE.fr/").as_deref(), Ok("https://xn--cole-9oa.fr/"), "mapped to lower case");
        // Already punycode: kept.
        assert_eq!(checked("https://xn--caf-dma.fr").as_deref(), Ok("https://xn--caf-dma.fr"));
    }

    #[test]
    fn traps_are_refused() {
        use WebsiteError::*;
        for (bad, why) in [
            ("javascript:alert(1)", Scheme),
            ("data:text/html,<script>alert(1)</script>", Scheme),
            ("ftp://exemple.fr", Scheme),
            ("www.exemple.fr", Scheme),
            ("", Scheme),
            ("https://exemple.fr\" onmouseover=\"alert(1)", Characters),
            ("https://exemple.fr/<script>", Characters),
            ("https://exemple.fr\\@piege.example", Characters),
            ("https://exemple.fr/\u{202e}rf.egeip", Characters),
            ("https://exem\u{200b}ple.fr", Characters),
            ("https://exemple.fr/a b", Characters),
            ("https://exemple.fr\x1b]52;c;eA==\x07", Characters),
            ("https://ma-banque.fr@piege.example/", UserInfo),
            ("https://user:pass@exemple.fr", UserInfo),
            ("https://192.168.1.1/admin", NotADomain),
            ("https://[::1]/", NotADomain),
            ("http://localhost:8080", NotADomain),
            ("https://", NotADomain),
            ("https:///exemple.fr", NotADomain),
            ("https://.exemple.fr", NotADomain),
            ("https://exemple..fr", NotADomain),
            ("https://-exemple.fr", NotADomain),
            ("https://exemple.fr./", NotADomain),
            ("https://exem_ple.fr", NotADomain),
            ("https://exemple.123", NotADomain),
            ("https://a$b.fr", NotADomain),
        ] {
            assert_eq!(checked(bad), Err(why), "{bad:?}");
        }
    }
}
