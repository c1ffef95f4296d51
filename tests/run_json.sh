#!/usr/bin/env bash
# A short real run into a temporary results directory, then the JSON checker.
set -eu
bin=$1 checker=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$bin" run --impl naive,simd,vhgw --case mb2ic5ih13iw11kh3kw2sh2sw1ph1pw1_max,mb1ic7ih9kh3sh1ph1ceil1_avg_np \
  --benchmark_min_time=0.01 --out-dir "$out" >/dev/null 2>"$out/stderr"
json=$(find "$out" -name run.json)
[ -n "$json" ] || { echo "FAIL: no run.json"; cat "$out/stderr"; exit 1; }
"$checker" "$json"
