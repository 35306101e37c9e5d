//! A reduced `wic bench` run, so the benchmark suite cannot rot: N = 600 and 10,000 with a
//! short typing session. Structure and sanity only — every figure present and finite, the
//! right number of queries, the baselines finding what they should. No timing assertions:
//! CI machines are too noisy for that. The table is printed for the CI log.

use wic::bench::{self, BenchConfig, report};

#[test]
fn bench_runs_end_to_end_on_two_sizes() {
    let queries = 20;
    let mut config = BenchConfig::new(vec![600, 10_000], queries, env!("CARGO_BIN_EXE_wic").into());
    config.cold_runs = 1;
    let report = bench::run(&config, &mut |line| eprintln!("{line}")).expect("the benchmark runs");
    eprintln!("{}", report::table(&report));

    assert_eq!(report.sizes.len(), 2);
    assert!(report.binary_bytes > 0);
    assert!(report.machine.cpus > 0);
    for s in &report.sizes {
        // ~1% of synthetic rows are inactive and never indexed.
        assert!(s.documents > s.n * 9 / 10 && s.documents <= s.n, "{} documents for N = {}", s.documents, s.n);
        for (name, stats) in [
            ("keystroke", &s.keystroke_to_frame),
            ("open+near", &s.keystroke_open_near),
            ("search", &s.search),
            ("fts5", &s.fts5),
            ("scan", &s.scan),
        ] {
            assert_eq!(stats.n, queries, "{name} at N = {}: every query timed once", s.n);
            assert!(stats.is_finite() && stats.max_ms > 0.0, "{name} at N = {}: {stats:?}", s.n);
            assert!(stats.p50_ms <= stats.p99_ms && stats.p99_ms <= stats.max_ms, "{name}: {stats:?}");
        }
        assert!(s.known.ours > 0 && s.known.fts5 > 0 && s.known.scan > 0, "known query: {:?}", s.known);
        assert!(s.answered.iter().all(|&a| a > 0 && a <= queries), "answered: {:?}", s.answered);
        for x in [
            s.index_build_ms,
            s.fts5_ratio,
            s.scan_ratio,
            s.cold_start_ms,
            s.cold_start_inproc_ms,
            s.bytes_per_keystroke,
            s.pty_bytes_per_keystroke,
            s.hostile_max_ms,
        ] {
            assert!(x.is_finite() && x > 0.0, "N = {}: a figure is missing: {s:?}", s.n);
        }
        assert!(s.index_bytes > 0 && s.first_frame_bytes > 0);
        assert!(s.hostile.len() >= 10 && s.hostile.iter().all(|h| h.worst_ms().is_finite()), "{:?}", s.hostile);
        assert!(s.pty_key_to_last_byte.n > 0, "the real kiosk was typed into");
        assert!(s.memory.peak_kb > 0 && s.memory.peak_kb >= s.memory.anon_kb, "{:?}", s.memory);
    }
    let json = report::json(&report).expect("json");
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(value["sizes"].as_array().map(Vec::len), Some(2));
    assert!(value["budgets"].as_array().is_some_and(|b| b.len() == 8), "budgets for N = 600 only");
    assert!(report::table(&report).contains("keystroke"));
}

#[test]
fn synth_command_writes_importable_csv() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("synth.csv");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_wic"))
        .args(["synth", "--count", "50", "--seed", "7", "--output"])
        .arg(&out)
        .status()
        .expect("run wic synth");
    assert!(status.success());
    let data = dir.path().join("data");
    let import = std::process::Command::new(env!("CARGO_BIN_EXE_wic"))
        .args(["--lang", "en", "import", "--no-index", "--data-dir"])
        .arg(&data)
        .arg(&out)
        .output()
        .expect("run wic import");
    assert!(import.status.success(), "{}", String::from_utf8_lossy(&import.stderr));
    assert!(String::from_utf8_lossy(&import.stdout).contains("50 added"));
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_wic"))
        .args(["synth", "--count", "50", "--seed", "7"])
        .output()
        .expect("run wic synth");
    assert_eq!(std::fs::read(&out).expect("read"), again.stdout, "deterministic");
}
