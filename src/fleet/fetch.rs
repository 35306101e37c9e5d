//! Getting a published folder's manifest and bundle, from `http(s)://…/` (ureq, TLS by rustls)
//! or from a folder (a USB stick, an NFS mount, a test).
//!
//! Over HTTP the manifest is asked for conditionally (`If-None-Match` with the ETag, else
//! `If-Modified-Since`, of the manifest last applied): a kiosk whose catalogue is current costs
//! the server one empty `304`. Every request has a timeout and every body a size limit, so a
//! stuck or hostile server can neither hang the timer's run nor fill the kiosk's memory.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{FleetError, io_err};

/// The largest bundle a kiosk downloads: 128 MiB. The shipped catalogue's bundle is about
/// 0.2 MB and a 10,000-entry one about 9 MB (BENCHMARKS.md), so this leaves room for ten
/// times the largest catalogue we measure while bounding what a bad server can make us hold.
pub const MAX_BUNDLE_BYTES: u64 = 128 * 1024 * 1024;
/// The largest manifest: it is a few hundred bytes.
pub const MAX_MANIFEST_BYTES: u64 = 64 * 1024;
/// One request, from connecting to the last byte. Generous for 10 MB on a slow office line.
pub const TIMEOUT: Duration = Duration::from_secs(120);
/// Connecting alone: a server that is down is known quickly.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the bundle comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The folder's URL, ending in `/`.
    Http(String),
    Dir(PathBuf),
}

/// What the last applied manifest's server said of it (kept in the catalogue's meta).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// The manifest, or the server's word that it has not changed.
#[derive(Debug)]
pub enum ManifestFetch {
    NotModified,
    Fetched { bytes: Vec<u8>, validators: Validators },
}

impl Source {
    /// `http://` and `https://` are URLs (a `/` is added if missing); anything else a folder.
    pub fn parse(text: &str) -> Source {
        let lower = text.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            let mut url = text.to_string();
            if !url.ends_with('/') {
                url.push('/');
            }
            Source::Http(url)
        } else {
            Source::Dir(PathBuf::from(text))
        }
    }

    /// How the source is named in messages and in the history.
    pub fn display(&self) -> String {
        match self {
            Source::Http(url) => url.clone(),
            Source::Dir(dir) => dir.display().to_string(),
        }
    }

    pub fn manifest(&self, known: &Validators) -> Result<ManifestFetch, FleetError> {
        let name = super::bundle::MANIFEST_NAME;
        match self {
            Source::Dir(dir) => {
                let bytes = read_file(&dir.join(name), MAX_MANIFEST_BYTES)?;
                Ok(ManifestFetch::Fetched { bytes, validators: Validators::default() })
            }
            Source::Http(base) => {
                let url = format!("{base}{name}");
                let mut request = agent().get(&url);
                if let Some(etag) = &known.etag {
                    request = request.header("If-None-Match", etag);
                } else if let Some(date) = &known.last_modified {
                    request = request.header("If-Modified-Since", date);
                }
                let mut response = request.call().map_err(|e| unreachable(&url, e))?;
                match response.status().as_u16() {
                    304 => return Ok(ManifestFetch::NotModified),
                    200 => {}
                    status => return Err(FleetError::Status { url, status }),
                }
                let header = |h: &str| response.headers().get(h).and_then(|v| v.to_str().ok()).map(str::to_string);
                let validators = Validators { etag: header("etag"), last_modified: header("last-modified") };
                let bytes = body(&mut response, &url, MAX_MANIFEST_BYTES)?;
                Ok(ManifestFetch::Fetched { bytes, validators })
            }
        }
    }

    /// The bundle file `name`, refused past `size` bytes (what the manifest announced).
    pub fn bundle(&self, name: &str, size: u64) -> Result<Vec<u8>, FleetError> {
        match self {
            Source::Dir(dir) => read_file(&dir.join(name), size),
            Source::Http(base) => {
                let url = format!("{base}{name}");
                let mut response = agent().get(&url).call().map_err(|e| unreachable(&url, e))?;
                match response.status().as_u16() {
                    200 => body(&mut response, &url, size),
                    status => Err(FleetError::Status { url, status }),
                }
            }
        }
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .timeout_connect(Some(CONNECT_TIMEOUT))
        // A 404 or 500 is an answer to report with its number, not a transport failure.
        .http_status_as_error(false)
        .user_agent(concat!("wic/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

fn unreachable(url: &str, e: ureq::Error) -> FleetError {
    FleetError::Unreachable { from: url.to_string(), reason: e.to_string() }
}

fn body(response: &mut ureq::http::Response<ureq::Body>, url: &str, limit: u64) -> Result<Vec<u8>, FleetError> {
    match response.body_mut().with_config().limit(limit).read_to_vec() {
        Ok(bytes) => Ok(bytes),
        Err(ureq::Error::BodyExceedsLimit(_)) => Err(FleetError::TooLarge { what: url.to_string(), limit }),
        Err(e) => Err(FleetError::Interrupted { what: url.to_string(), reason: e.to_string() }),
    }
}

/// A file of at most `limit` bytes (one more is read to know it is larger).
fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, FleetError> {
    let file = std::fs::File::open(path).map_err(io_err(path))?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io_err(path))?;
    if bytes.len() as u64 > limit {
        return Err(FleetError::TooLarge { what: path.display().to_string(), limit });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_urls_or_folders() {
        assert_eq!(Source::parse("https://wic.example/cat"), Source::Http("https://wic.example/cat/".into()));
        assert_eq!(Source::parse("HTTP://h/"), Source::Http("HTTP://h/".into()));
        assert_eq!(Source::parse("/srv/wic"), Source::Dir("/srv/wic".into()));
    }
}
