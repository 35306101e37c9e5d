#!/usr/bin/env bash
# The project's one test command (README, and CI through .ci/run).
# It makes sure the system tools that end-to-end tests drive (tmux, OpenSSH) are present, then
# runs the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v tmux >/dev/null 2>&1 || need+=(tmux)
# tests/speech.rs renders speech with espeak-ng to a WAV file and measures it with sox.
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
command -v sox >/dev/null 2>&1 || need+=(sox)
# tests/e2e_ssh.rs drives a real OpenSSH server (sshd) with the shipped staff snippet.
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null 2>&1 || need+=(openssh-client)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "tests/run.sh: installing ${need[*]}" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "tests/run.sh: please install: ${need[*]} (needed by the end-to-end tests)" >&2
    exit 1
  fi
fi

# The property tests (proptest) draw their cases from this seed, so that a run in CI replays
# exactly what passed here; to explore new cases, give another seed or `random`. A case that
# fails is saved in tests/*.proptest-regressions and replayed first ever after: commit it.
export PROPTEST_RNG_SEED="${PROPTEST_RNG_SEED:-20261129}"
echo "tests/run.sh: property tests seeded with PROPTEST_RNG_SEED=$PROPTEST_RNG_SEED" >&2
[ "$PROPTEST_RNG_SEED" = random ] && unset PROPTEST_RNG_SEED

# Licences of what we ship (#18 item 6): every crate of Cargo.lock under a licence that
# deny.toml allows. cargo-deny is installed once, like cargo-fuzz below; `cargo fetch` brings
# what the lock file names (a no-op, without network, once it is all there), and the check
# itself then runs offline (`--offline`: it reads the fetched crates' manifests, and needs no
# advisory database for licences). tests/licences.rs checks the same list over
# `cargo metadata`, so a plain `cargo test` catches a new licence too.
# cargo-deny is not installed here when missing: compiling it takes ~5 minutes, a quarter of
# CI's budget, for a check tests/licences.rs makes anyway inside `cargo test`. Where it is
# installed (`cargo install --locked cargo-deny`), it runs too.
if command -v cargo-deny >/dev/null 2>&1; then
  cargo fetch --locked >/dev/null
  cargo deny --offline check licenses
else
  echo "tests/run.sh: cargo-deny not installed: the licence check is tests/licences.rs (cargo test)" >&2
fi

cargo test --all-targets "$@"

# A short fuzzing pass over each importer (SECURITY.md, "Fuzzing the importers"): proves the
# cargo-fuzz targets still build against today's code and that their kept corpus plus a few
# seconds of new inputs find nothing. The fixed -seed makes every run try the same inputs
# first, so what CI tries, a local run has tried too (longer runs: SECURITY.md). `cargo test` already replays the corpus on stable
# (tests/fuzz_corpus.rs); this adds the sanitizer build and the mutations. It needs a nightly
# toolchain; WIC_FUZZ_SECONDS=0 skips it.
fuzz_seconds=${WIC_FUZZ_SECONDS:-15}
if [ $# -eq 0 ] && [ "$fuzz_seconds" != 0 ]; then
  if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    echo "tests/run.sh: no nightly toolchain, fuzzing pass skipped (rustup toolchain install nightly)" >&2
  else
    command -v cargo-fuzz >/dev/null 2>&1 || cargo install --locked cargo-fuzz
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    echo "tests/run.sh: fuzzing each importer for ${fuzz_seconds} s (the first sanitizer build takes minutes)" >&2
    for target in import_csv import_json import_datainclusion import_hsds; do
      mkdir -p "$scratch/$target"
      # New inputs go to the scratch folder; the kept corpus is only read.
      if ! cargo +nightly fuzz run "$target" "$scratch/$target" "fuzz/corpus/$target" -- \
        -seed=1 -max_total_time="$fuzz_seconds" -rss_limit_mb=1024 -max_len=65536 -print_final_stats=1 \
        >"$scratch/$target.log" 2>&1; then
        tail -n 60 "$scratch/$target.log" >&2
        if grep -q "failed to build fuzz script" "$scratch/$target.log"; then
          # Not a finding: the sanitizer build itself failed (a full disk did it once).
          echo "tests/run.sh: fuzz target $target could not be built (see the compiler's message above)" >&2
        else
          echo "tests/run.sh: fuzz target $target failed (the input is in fuzz/artifacts/$target/)" >&2
        fi
        exit 1
      fi
      grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$scratch/$target.log" | sed "s/^/fuzz $target: /"
    done
  fi
fi
