//! A fleet of kiosks, one catalogue (#14 item 6): the real `wic` binary publishes a signed
//! bundle on a "central" data directory and syncs "kiosk" data directories from it, over HTTP
//! from a loopback server each test starts (tiny_http, or a raw socket for a broken transfer)
//! or from a folder. Every refusal is checked the same way: exit 1, one line naming the cause,
//! and `wic export` of the kiosk byte-identical before and after.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Run, TestDir};
use sha2::Digest;

/// A central machine: a data directory holding the shipped catalogue, a signing key and the
/// folder it publishes into.
struct Central {
    dir: TestDir,
    key: PathBuf,
    public: PathBuf,
    published: PathBuf,
}

impl Central {
    fn new() -> Central {
        let dir = TestDir::new();
        dir.prepare();
        let key = dir.tmp.path().join("central.key");
        dir.wic(&["keygen", key.to_str().unwrap()]).assert_code(0);
        let public = dir.tmp.path().join("central.key.pub");
        let published = dir.tmp.path().join("www");
        Central { dir, key, public, published }
    }

    fn publish(&self) -> Run {
        let r = self.dir.wic(&["publish", "--key", self.key.to_str().unwrap(), self.published.to_str().unwrap()]);
        r.assert_code(0);
        r
    }

    /// Renames entry `id` by putting `word` in front of its name, as an administrator's import
    /// would, then publishes.
    fn rename_and_publish(&self, id: &str, word: &str) {
        let exported = self.dir.export("csv");
        let mut rows = csv::Reader::from_reader(exported.as_bytes());
        let header = rows.headers().unwrap().clone();
        let row = rows.records().map(Result::unwrap).find(|r| &r[0] == id).expect("the entry exists");
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&header).unwrap();
        w.write_record(row.iter().enumerate().map(|(i, v)| if i == 1 { format!("{word} {v}") } else { v.to_string() }))
            .unwrap();
        let file = self.dir.file(&format!("{id}-{word}.csv"), w.into_inner().unwrap());
        self.dir.wic(&["import", file.to_str().unwrap()]).assert_code(0);
        self.publish();
    }

    fn manifest(&self) -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(self.published.join("manifest.json")).unwrap()).unwrap()
    }

    fn bundle_path(&self) -> PathBuf {
        self.published.join(self.manifest()["file"].as_str().unwrap())
    }
}

/// A kiosk's data directory, prepared from the shipped catalogue.
fn kiosk() -> TestDir {
    let k = TestDir::new();
    k.prepare();
    k
}

/// An empty configuration file: no site configuration may leak into a test.
fn no_config(kiosk: &TestDir) -> String {
    kiosk.file("none.toml", "").display().to_string()
}

fn sync(kiosk: &TestDir, source: &str, public: &Path) -> Run {
    kiosk.wic(&["sync", source, "--public-key", public.to_str().unwrap(), "--config", &no_config(kiosk)])
}

/// Runs `sync` and checks it is refused: exit 1, `needle` in its one line, the catalogue
/// byte-identical (its export), and nothing but that line on standard error.
fn assert_refused(kiosk: &TestDir, source: &str, public: &Path, needle: &str) {
    let before = kiosk.export("csv");
    let r = sync(kiosk, source, public);
    r.assert_code(1);
    assert!(r.stderr.contains("synchronisation refusée, catalogue inchangé"), "{}", r.stderr);
    assert!(r.stderr.contains(needle), "expected {needle:?} in:\n{}", r.stderr);
    assert_eq!(r.stderr.trim().lines().count(), 1, "one line:\n{}", r.stderr);
    assert!(kiosk.export("csv") == before, "the catalogue changed although the sync was refused");
}

/// What the loopback server does with the bundle file.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Normal,
    /// The bundle's body grows by a megabyte past what the manifest announced.
    Oversize,
}

/// A static web server on 127.0.0.1 serving `root`, with ETags (the file's SHA-256) and `304`
/// for a matching `If-None-Match`; it records each request's path and status.
struct Server {
    url: String,
    log: Arc<Mutex<Vec<(String, u16)>>>,
    server: Arc<tiny_http::Server>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(root: &Path, mode: Mode) -> Server {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("a loopback port"));
        let url = format!("http://{}/fleet/", server.server_addr().to_ip().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let (root, s, l) = (root.to_path_buf(), Arc::clone(&server), Arc::clone(&log));
        let thread = std::thread::spawn(move || {
            for request in s.incoming_requests() {
                let name = request.url().trim_start_matches("/fleet/").to_string();
                let status = match std::fs::read(root.join(&name)) {
                    Err(_) => 404,
                    Ok(mut bytes) => {
                        let etag = format!("\"{}\"", hex::encode(sha2::Sha256::digest(&bytes)));
                        let matches = request
                            .headers()
                            .iter()
                            .any(|h| h.field.equiv("If-None-Match") && h.value.as_str() == etag);
                        if matches {
                            304
                        } else {
                            if mode == Mode::Oversize && name != "manifest.json" {
                                bytes.extend(std::iter::repeat_n(b' ', 1 << 20));
                            }
                            let header = tiny_http::Header::from_bytes("ETag", etag.as_bytes()).unwrap();
                            l.lock().unwrap().push((name.clone(), 200));
                            let _ = request.respond(tiny_http::Response::from_data(bytes).with_header(header));
                            continue;
                        }
                    }
                };
                l.lock().unwrap().push((name, status));
                let _ = request.respond(tiny_http::Response::empty(status));
            }
        });
        Server { url, log, server, thread: Some(thread) }
    }

    fn log(&self) -> Vec<(String, u16)> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A broken server: the manifest whole, then the bundle's headers announcing every byte but
/// only half the body before the connection closes. Answers two connections, then stops.
fn serve_cut_transfer(root: &Path) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(2) {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let path = line.split_whitespace().nth(1).unwrap_or("/").trim_start_matches('/').to_string();
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap() <= 2 {
                    break;
                }
            }
            let bytes = std::fs::read(root.join(&path)).unwrap();
            let sent = if path == "manifest.json" { &bytes[..] } else { &bytes[..bytes.len() / 2] };
            let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", bytes.len());
            let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(sent));
        }
    });
    url
}

/// A central machine that has published once, and a kiosk that has applied that bundle; then
/// the central machine publishes a newer one (`Synchrotest` before the 115's name).
fn applied_then_newer() -> (Central, TestDir) {
    let central = Central::new();
    central.publish();
    let k = kiosk();
    sync(&k, central.published.to_str().unwrap(), &central.public).assert_code(0);
    central.rename_and_publish("115-hauts-de-seine", "Synchrotest");
    (central, k)
}

#[test]
fn a_good_bundle_over_http_is_applied_then_the_next_sync_is_a_304() {
    let central = Central::new();
    central.publish();
    let k = kiosk();
    let server = Server::start(&central.published, Mode::Normal);
    let r = sync(&k, &server.url, &central.public);
    r.assert_code(0);
    assert!(r.stdout.contains("appliquée"), "{}", r.stdout);
    assert_eq!(k.export("csv"), central.dir.export("csv"), "the kiosk holds the central catalogue");
    let again = sync(&k, &server.url, &central.public);
    again.assert_code(0);
    assert!(again.stdout.contains("Déjà à jour"), "{}", again.stdout);
    let log = server.log();
    assert_eq!(log.last(), Some(&("manifest.json".to_string(), 304)), "a conditional request: {log:?}");
    assert_eq!(log.iter().filter(|(p, _)| p.starts_with("catalogue-")).count(), 1, "{log:?}");
}

#[test]
fn a_tampered_byte_is_refused() {
    let (central, k) = applied_then_newer();
    let bundle = central.bundle_path();
    let mut bytes = std::fs::read(&bundle).unwrap();
    let at = bytes.windows(11).position(|w| w == b"Synchrotest").unwrap();
    bytes[at] = b'Z';
    std::fs::write(&bundle, &bytes).unwrap();
    let server = Server::start(&central.published, Mode::Normal);
    assert_refused(&k, &server.url, &central.public, "fichier altéré");
}

#[test]
fn a_tampered_bundle_with_a_matching_manifest_fails_the_signature() {
    let (central, k) = applied_then_newer();
    let bundle = central.bundle_path();
    let bytes = std::fs::read_to_string(&bundle).unwrap().replace("Synchrotest", "Synchrotext");
    std::fs::write(&bundle, &bytes).unwrap();
    let mut manifest = central.manifest();
    manifest["sha256"] = hex::encode(sha2::Sha256::digest(bytes.as_bytes())).into();
    std::fs::write(central.published.join("manifest.json"), manifest.to_string()).unwrap();
    let server = Server::start(&central.published, Mode::Normal);
    assert_refused(&k, &server.url, &central.public, "signature invalide");
}

#[test]
fn a_bundle_signed_by_another_key_is_refused() {
    let (central, k) = applied_then_newer();
    let other = k.tmp.path().join("other.key");
    k.wic(&["keygen", other.to_str().unwrap()]).assert_code(0);
    let server = Server::start(&central.published, Mode::Normal);
    assert_refused(&k, &server.url, &k.tmp.path().join("other.key.pub"), "signature invalide");
}

#[test]
fn a_truncated_file_is_refused() {
    let (central, k) = applied_then_newer();
    let bundle = central.bundle_path();
    let bytes = std::fs::read(&bundle).unwrap();
    std::fs::write(&bundle, &bytes[..bytes.len() / 2]).unwrap();
    let server = Server::start(&central.published, Mode::Normal);
    assert_refused(&k, &server.url, &central.public, "fichier tronqué");
}

#[test]
fn a_transfer_cut_halfway_is_refused() {
    let (central, k) = applied_then_newer();
    let url = serve_cut_transfer(&central.published);
    assert_refused(&k, &url, &central.public, "téléchargement interrompu");
}

#[test]
fn a_server_that_is_down_is_refused() {
    let (central, k) = applied_then_newer();
    // A port that was just free: nothing listens there any more.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    assert_refused(&k, &format!("http://127.0.0.1:{port}/"), &central.public, "injoignable");
    // A folder that is not there either.
    assert_refused(&k, "/nonexistent/wic-www", &central.public, "/nonexistent/wic-www/manifest.json");
}

#[test]
fn a_new_kiosk_whose_first_sync_fails_still_has_the_shipped_catalogue() {
    let central = Central::new();
    let fresh = TestDir::new();
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    sync(&fresh, &format!("http://127.0.0.1:{port}/"), &central.public).assert_code(1);
    assert_eq!(fresh.export("csv"), kiosk().export("csv"));
}

#[test]
fn an_oversize_file_is_refused() {
    let (central, k) = applied_then_newer();
    let server = Server::start(&central.published, Mode::Oversize);
    assert_refused(&k, &server.url, &central.public, "dépasse la taille permise");
    // A manifest announcing more than the limit is refused before any download.
    let mut manifest = central.manifest();
    manifest["size"] = (wic::fleet::fetch::MAX_BUNDLE_BYTES + 1).into();
    std::fs::write(central.published.join("manifest.json"), manifest.to_string()).unwrap();
    let server = Server::start(&central.published, Mode::Normal);
    assert_refused(&k, &server.url, &central.public, "dépasse la taille permise");
    assert!(server.log().iter().all(|(p, _)| p == "manifest.json"), "{:?}", server.log());
}

#[test]
fn an_older_version_is_refused() {
    let central = Central::new();
    central.publish();
    let old = central.dir.tmp.path().join("www-old");
    std::fs::create_dir(&old).unwrap();
    for entry in std::fs::read_dir(&central.published).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), old.join(entry.file_name())).unwrap();
    }
    central.rename_and_publish("115-hauts-de-seine", "Synchrotest");
    let k = kiosk();
    sync(&k, central.published.to_str().unwrap(), &central.public).assert_code(0);
    let server = Server::start(&old, Mode::Normal);
    assert_refused(&k, &server.url, &central.public, "n'est pas plus récente");
}

#[test]
fn an_invalid_entry_in_a_signed_bundle_is_refused_and_named() {
    // Signed by the right key but holding what an import would refuse: validation still runs.
    let central = Central::new();
    central.publish();
    let k = kiosk();
    sync(&k, central.published.to_str().unwrap(), &central.public).assert_code(0);
    let bundle = central.bundle_path();
    let text = std::fs::read_to_string(&bundle).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["version"] = (central.manifest()["version"].as_u64().unwrap() + 1).into();
    value["entries"][0]["themes"] = serde_json::json!(["pas-un-theme"]);
    let bytes = value.to_string().into_bytes();
    let version = value["version"].as_u64().unwrap();
    let name = format!("catalogue-{version}.json");
    std::fs::write(central.published.join(&name), &bytes).unwrap();
    let key = wic::fleet::keys::load_secret(&central.key).unwrap();
    use ed25519_dalek::Signer;
    let mut manifest = central.manifest();
    manifest["version"] = version.into();
    manifest["file"] = name.into();
    manifest["size"] = bytes.len().into();
    manifest["sha256"] = hex::encode(sha2::Sha256::digest(&bytes)).into();
    manifest["signature"] = hex::encode(key.sign(&bytes).to_bytes()).into();
    std::fs::write(central.published.join("manifest.json"), manifest.to_string()).unwrap();
    let before = k.export("csv");
    let r = sync(&k, central.published.to_str().unwrap(), &central.public);
    r.assert_code(1);
    assert!(r.stderr.contains("field themes") && r.stderr.contains("1 problème(s)"), "{}", r.stderr);
    assert_eq!(k.export("csv"), before);
}

#[test]
fn a_kiosk_a_week_behind_catches_up_in_one_sync_from_a_folder() {
    let central = Central::new();
    central.publish();
    let k = kiosk();
    let source = central.published.to_str().unwrap().to_string();
    sync(&k, &source, &central.public).assert_code(0);
    // A week of the central machine's work, published every day, while the kiosk was off:
    // six renamed entries and one retired.
    let ids: Vec<String> = central.dir.export_json().iter().take(6).map(|v| v["id"].as_str().unwrap().into()).collect();
    for (day, id) in ids.iter().enumerate() {
        central.rename_and_publish(id, &format!("Jour{day}"));
    }
    let retired = central.dir.file("retire.json", {
        let mut v = central.dir.exported("amap-boulogne-billancourt");
        v["status"] = "inactif".into();
        serde_json::to_vec(&[v]).unwrap()
    });
    central.dir.wic(&["import", retired.to_str().unwrap()]).assert_code(0);
    central.publish();
    let r = sync(&k, &source, &central.public);
    r.assert_code(0);
    assert!(r.stdout.contains("7 mise(s) à jour"), "{}", r.stdout);
    assert_eq!(k.export("csv"), central.dir.export("csv"), "one sync brings the whole week");
    // Its history names the sync and its source.
    let store = wic::catalogue::Store::open_read(&k.data().join("catalogue.db")).unwrap();
    let last = store.history(&ids[0]).unwrap().pop().unwrap();
    assert_eq!((last.via.as_str(), last.origin.as_str()), ("sync", source.as_str()));
}

#[test]
fn publish_skips_an_unchanged_catalogue_and_keeps_the_previous_bundle() {
    let central = Central::new();
    let first = central.manifest_after_publish();
    assert!(central.publish().stdout.contains("inchangé"));
    central.rename_and_publish("115-hauts-de-seine", "Synchrotest");
    let second = central.manifest();
    assert!(second["version"].as_u64() > first["version"].as_u64());
    // The previous bundle stays for a kiosk that read the previous manifest a moment ago.
    assert!(central.published.join(first["file"].as_str().unwrap()).is_file());
    let names: Vec<String> =
        std::fs::read_dir(&central.published).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(names.len(), 3, "manifest and two bundles, no temporary file: {names:?}");
}

impl Central {
    fn manifest_after_publish(&self) -> serde_json::Value {
        self.publish();
        self.manifest()
    }
}

#[test]
fn reports_travel_from_a_kiosk_to_the_central_machine_once() {
    let k = kiosk();
    let mut db = wic::reports::ReportsDb::open(&k.data().join("reports.db")).unwrap();
    db.add("nanterre-mairie", "115-hauts-de-seine", wic::reports::Reason::WrongPhone, "2026-12-01").unwrap();
    db.add("nanterre-mairie", "adil-92", wic::reports::Reason::Closed, "2026-12-02").unwrap();
    drop(db);
    let file = k.tmp.path().join("nanterre.jsonl");
    k.wic(&["reports", "export", "--output", file.to_str().unwrap()]).assert_code(0);
    let central = TestDir::new();
    let first = central.wic(&["reports", "import", file.to_str().unwrap()]);
    first.assert_code(0);
    assert!(first.stdout.contains("2 signalement(s) ajouté(s), 0 déjà connu(s)"), "{}", first.stdout);
    let again = central.wic(&["reports", "import", file.to_str().unwrap()]);
    assert!(again.stdout.contains("0 signalement(s) ajouté(s), 2 déjà connu(s)"), "{}", again.stdout);
    assert_eq!(central.wic(&["reports", "export"]).stdout, std::fs::read_to_string(&file).unwrap());
}

#[test]
fn usage_counters_travel_to_the_central_machine_and_add_up_once() {
    let k = TestDir::new();
    let mut usage = wic::usage::Usage::new(k.data_dir().usage_path(), wic::usage::SessionMode::Kiosk);
    usage.record_on("2026-12-01", wic::usage::Event::Search);
    usage.record_on("2026-12-01", wic::usage::Event::Search);
    std::fs::create_dir_all(k.data()).unwrap();
    usage.flush().unwrap();
    let config = k.file("kiosk.toml", "kiosk_name = \"clichy-mairie\"\n");
    let file = k.tmp.path().join("usage-out.jsonl");
    let args = ["usage", "export", "--config", config.to_str().unwrap(), "--output", file.to_str().unwrap()];
    k.wic(&args).assert_code(0);
    let line = std::fs::read_to_string(&file).unwrap();
    assert!(line.contains("\"kiosk\":\"clichy-mairie\"") && line.contains("\"count\":2"), "{line}");
    let central = TestDir::new();
    let first = central.wic(&["usage", "import", file.to_str().unwrap()]);
    first.assert_code(0);
    assert!(first.stdout.contains("1 compteur(s) ajouté(s), 0 augmenté(s), 0 déjà connu(s)"), "{}", first.stdout);
    let again = central.wic(&["usage", "import", file.to_str().unwrap()]);
    assert!(again.stdout.contains("0 compteur(s) ajouté(s), 0 augmenté(s), 1 déjà connu(s)"), "{}", again.stdout);
    let stats = central.wic(&["stats", "--json", "--since", "2026-11-01"]);
    stats.assert_code(0);
    let per_day = stats.json()["searches_per_day"].clone();
    let day = per_day.as_array().unwrap().iter().find(|d| d["day"] == "2026-12-01").cloned();
    assert_eq!(day, Some(serde_json::json!({"day": "2026-12-01", "count": 2})), "{per_day}");
}

#[test]
fn sync_without_a_source_or_key_is_a_usage_error() {
    let k = TestDir::new();
    let r = k.wic(&["sync", "--config", &no_config(&k)]);
    r.assert_code(2);
    assert!(r.stderr.contains("sync_source"), "{}", r.stderr);
    let r = k.wic(&["sync", "/srv/x", "--config", &no_config(&k)]);
    r.assert_code(2);
    assert!(r.stderr.contains("public_key"), "{}", r.stderr);
}

// ---- A running kiosk sees the synced catalogue (tmux, its own socket) ----

struct Tmux {
    socket: String,
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

impl Tmux {
    fn run(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux").args(["-u", "-L", &self.socket]).args(args).env_remove("TMUX").output().expect("tmux runs")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "wic"]).stdout).into_owned()
    }

    fn wait_for(&self, what: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if screen.contains(what) {
                return screen;
            }
            assert!(Instant::now() < deadline, "waited for {what:?}; the screen shows:\n{screen}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

#[test]
fn a_running_kiosk_shows_the_synced_catalogue() {
    let central = Central::new();
    central.rename_and_publish("115-hauts-de-seine", "Synchrotest");
    let k = kiosk();
    static N: AtomicUsize = AtomicUsize::new(0);
    let tmux = Tmux { socket: format!("wic-fleet-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)) };
    let config = k.file("kiosk.toml", "");
    let cmd = format!(
        "env TERM=linux NO_COLOR=1 LANG=C.UTF-8 '{}' --data-dir '{}' browse --staff --config '{}'; sleep 60",
        env!("CARGO_BIN_EXE_wic"),
        k.data().display(),
        config.display()
    );
    let out = tmux.run(&["new-session", "-d", "-s", "wic", "-x", "80", "-y", "24", &cmd]);
    assert!(out.status.success(), "tmux: {}", String::from_utf8_lossy(&out.stderr));
    tmux.wait_for("Que cherchez-vous");
    tmux.run(&["send-keys", "-t", "wic", "-l", "synchrotest"]);
    tmux.wait_for("Aucun");
    let server = Server::start(&central.published, Mode::Normal);
    sync(&k, &server.url, &central.public).assert_code(0);
    // The kiosk moves to the new index generation by itself and searches again.
    let screen = tmux.wait_for("Synchrotest Le 115");
    assert!(!screen.contains("Aucun résultat"), "{screen}");
}
