#!/usr/bin/env bash
# npm run fuzz [-- SECONDS [TARGET...]]: coverage-guided fuzzing of the Rust core with
# cargo-fuzz (libFuzzer) on the nightly toolchain. Not part of `npm test`.
#   npm run fuzz                    600 s in total, split evenly over every target
#   npm run fuzz -- 3600            one hour in total
#   npm run fuzz -- 120 dates       two minutes of the `dates` target only
# Targets and what each checks: fuzz/README.md. One fuzzing process at a time (one job,
# one core). New interesting inputs go to fuzz/target/corpus-new/<target>/ (ignored); set
# FUZZ_UPDATE_CORPUS=1 to add them to the committed corpus fuzz/corpus/<target>/ instead
# (then minimise it: cargo +nightly fuzz cmin <target>, see fuzz/README.md).
# A crash stops that target, leaves its input in fuzz/artifacts/<target>/ and makes the
# script exit 1 after the other targets ran.
set -euo pipefail
cd "$(dirname "$0")/.."

budget="${1:-600}"
shift || true
if ! [[ "$budget" =~ ^[0-9]+$ ]] || [ "$budget" -lt 1 ]; then
  echo "usage: npm run fuzz -- SECONDS [TARGET...]" >&2
  exit 2
fi
all=(dates activity scoring strings summary rfm_options)
if [ "$#" -gt 0 ]; then targets=("$@"); else targets=("${all[@]}"); fi

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzz: needs the nightly toolchain (rustup toolchain install nightly)" >&2
  exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz: needs cargo-fuzz (cargo install cargo-fuzz)" >&2
  exit 2
fi

# Inputs per target are small on purpose: the properties are about structure, and short
# inputs keep every target well above 10k executions per second.
max_len() {
  case "$1" in
    dates) echo 128 ;;
    summary) echo 512 ;;
    scoring) echo 2048 ;;
    *) echo 1024 ;;
  esac
}

per=$((budget / ${#targets[@]}))
if [ "$per" -lt 5 ]; then per=5; fi
flags=(--sanitizer none --debug-assertions)
cd fuzz
echo "fuzz: ${#targets[@]} target(s), ${per} s each"
cargo +nightly fuzz build "${flags[@]}"
failed=()
summary=()
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  if [ "${FUZZ_UPDATE_CORPUS:-0}" = 1 ]; then
    dirs=("corpus/$t")
  else
    mkdir -p "target/corpus-new/$t"
    dirs=("target/corpus-new/$t" "corpus/$t")
  fi
  log="target/fuzz-$t.log"
  echo "== $t (${per} s, max_len $(max_len "$t"))"
  set +e
  cargo +nightly fuzz run "${flags[@]}" "$t" "${dirs[@]}" -- \
    -max_total_time="$per" -max_len="$(max_len "$t")" -print_final_stats=1 >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -a 'stat::number_of_executed_units' "$log" | awk '{print $2}' | tail -1)
  rate=$(grep -a 'stat::average_exec_per_sec' "$log" | awk '{print $2}' | tail -1)
  if [ "$rc" -ne 0 ]; then
    failed+=("$t")
    grep -a -m1 -A3 'panicked at' "$log" || tail -20 "$log"
    summary+=("$t: CRASH after ${runs:-?} executions (log fuzz/$log, input in fuzz/artifacts/$t/)")
  else
    summary+=("$t: ${runs:-?} executions, ${rate:-?}/s, no crash")
  fi
done
echo
printf '%s\n' "${summary[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: crashes in: ${failed[*]}" >&2
  exit 1
fi
