#!/usr/bin/env bash
# poolbench-broken run --impl broken must exit nonzero, say VALIDATION FAILED,
# report no time for broken and leave no run.json; naive still runs in the same process.
set -u
bin=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$bin" run --impl naive,broken --case mb1ic3ih9kh3sh2ph1_max --layout nchw \
  --benchmark_min_time=0.01 --out-dir "$out" >"$out/stdout" 2>"$out/stderr"
rc=$?
fail() { echo "FAIL: $*"; cat "$out/stdout" "$out/stderr"; exit 1; }
[ "$rc" -ne 0 ] || fail "run with a wrong implementation exited 0"
grep -q "VALIDATION FAILED: broken" "$out/stderr" || fail "no VALIDATION FAILED line for broken"
[ -z "$(find "$out" -name 'run.json*')" ] || fail "a result file was left behind"
grep -q "^naive/nchw/" "$out/stdout" || fail "naive did not run"
echo "ok: broken refused, exit $rc, no results written"
