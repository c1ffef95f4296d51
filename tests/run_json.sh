#!/usr/bin/env bash
# A short real run into a temporary results directory, then the JSON checker;
# listing the benchmarks first must leave that directory empty.
set -eu
bin=$1 checker=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$bin" run --impl naive --case mb1ic3ih9kh3sh2ph1_max --benchmark_list_tests --out-dir "$out" >"$out/list"
grep -q "^naive/nchw/" "$out/list" || { echo "FAIL: --benchmark_list_tests listed nothing"; exit 1; }
[ -z "$(find "$out" -mindepth 1 ! -name list)" ] || { echo "FAIL: --benchmark_list_tests wrote results"; find "$out"; exit 1; }
"$bin" run --impl naive,simd,vhgw --case mb2ic5ih13iw11kh3kw2sh2sw1ph1pw1_max,mb1ic7ih9kh3sh1ph1ceil1_avg_np \
  --benchmark_min_time=0.01 --out-dir "$out" >/dev/null 2>"$out/stderr"
json=$(find "$out" -name run.json)
[ -n "$json" ] || { echo "FAIL: no run.json"; cat "$out/stderr"; exit 1; }
"$checker" "$json"
