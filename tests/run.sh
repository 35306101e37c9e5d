#!/usr/bin/env bash
# The project's one test command (README, and CI through .ci/run).
# It makes sure the system tools that end-to-end tests drive (tmux, OpenSSH) are present, then
# runs the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v tmux >/dev/null 2>&1 || need+=(tmux)
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

cargo test --all-targets "$@"
