#!/usr/bin/env bash
# Fuzzes every cargo-fuzz target in fuzz/ for a bounded time, one after another:
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 60 s, every target)
# Needs the nightly toolchain; installs cargo-fuzz when missing. Each target starts
# from its committed seeds (fuzz/corpus/<target>/) and keeps what it grows in
# fuzz/work/<target>/ (not committed). A crash, a panic, an input slower than
# FUZZ_TIMEOUT seconds or a run over FUZZ_RSS_MB leaves its input in
# fuzz/artifacts/<target>/ and makes the script exit non-zero after the other targets
# have run; replay one with `cargo +nightly fuzz run <target> <file>`, fix the bug and
# keep the input as a unit test.
# Not part of scripts/test.sh: minutes of two shared cores are too much for every run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(beacon scrub_url referrer user_agent stats_query spool_record wal_record)
fi
timeout=${FUZZ_TIMEOUT:-10}
rss_mb=${FUZZ_RSS_MB:-1024}
# Rust code without unsafe of its own: no sanitizer is twice the executions per second.
# FUZZ_SANITIZER=address to look for memory errors in dependencies' unsafe code.
sanitizer=${FUZZ_SANITIZER:-none}

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
cargo +nightly fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked

cargo +nightly fuzz build -s "$sanitizer"
failed=()
for t in "${targets[@]}"; do
  mkdir -p "fuzz/work/$t"
  echo "== $t: ${seconds}s" >&2
  # A dictionary of the input's keywords, where there is one, gets past the parser sooner.
  dict=()
  [ -f "fuzz/dicts/$t.dict" ] && dict=(-dict="fuzz/dicts/$t.dict")
  status=0
  cargo +nightly fuzz run -s "$sanitizer" "$t" "fuzz/work/$t" "fuzz/corpus/$t" -- \
    -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb="$rss_mb" \
    -print_final_stats=1 "${dict[@]}" > "fuzz/work/$t.log" 2>&1 || status=$?
  # The last status line and the final stats: executions, coverage, features, corpus.
  grep -E '^#[0-9]+' "fuzz/work/$t.log" | tail -n 1 >&2 || true
  grep -E '^stat::' "fuzz/work/$t.log" >&2 || true
  if [ "$status" -ne 0 ]; then
    failed+=("$t")
    tail -n 40 "fuzz/work/$t.log" >&2
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found failures in: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
echo "no failure in ${targets[*]}" >&2
