//! The staff member's own clipboard, through the terminal: an OSC 52 sequence.

use super::ExportError;

/// The largest OSC 52 sequence sent: terminals drop (or choke on) longer ones; xterm's default
/// limit is about 100 kB.
pub const OSC52_MAX: usize = 100_000;

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 (RFC 4648, with `=` padding): a few lines, not worth a crate.
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(BASE64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The escape sequence that asks the staff member's terminal (over SSH too) to put `text` on
/// its clipboard: `ESC ] 52 ; c ; <base64> ESC \`. Write it to the terminal as is. Refused
/// above [`OSC52_MAX`] bytes, which terminals would drop silently.
pub fn osc52(text: &str) -> Result<String, ExportError> {
    let seq = format!("\x1b]52;c;{}\x1b\\", base64(text.as_bytes()));
    if seq.len() > OSC52_MAX {
        return Err(ExportError::TooLarge { size: seq.len() });
    }
    Ok(seq)
}
