//! A QR code of an initiative's website (or a `tel:` link), drawn with half-block characters
//! so that two rows of modules fit in one line of text (the Linux console has them too), or
//! with `##` where even those can't be drawn (VT terminals, `dumb`).

use qrcode::{Color, EcLevel, QrCode};

/// The lines of the code, with a quiet zone of 2 modules. Dark modules are drawn as the
/// *foreground*: callers draw them dark on light (`Style` with fg black, bg white).
pub fn lines(data: &str, blocks: bool) -> Option<Vec<String>> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::L).ok()?;
    let w = code.width();
    let colors = code.to_colors();
    let quiet = 2;
    let size = w + 2 * quiet;
    let dark = |x: usize, y: usize| -> bool {
        if x < quiet || y < quiet || x >= w + quiet || y >= w + quiet {
            return false;
        }
        colors[(y - quiet) * w + (x - quiet)] == Color::Dark
    };
    let mut out = Vec::new();
    if !blocks {
        for y in 0..size {
            out.push((0..size).map(|x| if dark(x, y) { "##" } else { "  " }).collect());
        }
    } else {
        for y in (0..size).step_by(2) {
            out.push(
                (0..size)
                    .map(|x| match (dark(x, y), dark(x, y + 1)) {
                        (true, true) => '█',
                        (true, false) => '▀',
                        (false, true) => '▄',
                        (false, false) => ' ',
                    })
                    .collect(),
            );
        }
    }
    Some(out)
}

/// What the code should carry: the website, else the phone as a `tel:` link. Only a checked
/// website (http(s), a real host, in punycode) is ever encoded: a phone opens what it reads
/// without showing much of it, so an address from an older, unchecked store is left out.
pub fn payload(website: &str, phone: &str) -> Option<String> {
    if let Ok(checked) = crate::catalogue::website::checked(website) {
        Some(checked)
    } else if !phone.is_empty() {
        Some(format!("tel:{}", phone.replace(' ', "")))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_blocks_halve_the_height() {
        let full = lines("https://www.example.fr", false).unwrap();
        let half = lines("https://www.example.fr", true).unwrap();
        assert_eq!(half.len(), full.len().div_ceil(2));
        assert_eq!(full[0].chars().count(), 2 * half[0].chars().count());
        assert!(half.iter().any(|l| l.contains('█')));
    }

    #[test]
    fn phone_becomes_tel_link() {
        assert_eq!(payload("", "01 23 45 67 89").as_deref(), Some("tel:0123456789"));
        assert_eq!(payload("", ""), None);
    }

    #[test]
    fn only_checked_websites_are_encoded() {
        assert_eq!(payload("javascript:alert(1)", "01 23 45 67 89").as_deref(), Some("tel:0123456789"));
        assert_eq!(payload("https://ma-banque.fr@piege.example", ""), None);
        assert_eq!(payload("https://café.fr/", "").as_deref(), Some("https://xn--caf-dma.fr/"));
    }
}
