#!/usr/bin/env bash
# poolbench count on an AVX-512 variant: valgrind's simulated CPU has no
# AVX-512, so the count must fail naming why, and leave an existing output
# file as it was, or without --out no results directory behind. Skipped (77)
# where the host itself lacks AVX-512.
set -eu
bin=$1
listing=$("$bin" list)
printf '%s\n' "$listing" | grep -Eq "^simd-avx512 +simd +yes " || { echo "SKIP: no AVX-512 on this host"; exit 77; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo keep >"$out/callgrind.json"
if "$bin" count --impl simd-avx512 --case mb1ic16ih13kh3sh2_max --layout nchw --out "$out/callgrind.json" \
  2>"$out/stderr"; then
  echo "FAIL: count of simd-avx512 under valgrind succeeded"; exit 1
fi
grep -q "valgrind implements no AVX-512" "$out/stderr" || { echo "FAIL: no reason given"; cat "$out/stderr"; exit 1; }
[ "$(cat "$out/callgrind.json")" = keep ] || { echo "FAIL: existing output file changed"; exit 1; }
mkdir "$out/cwd"
if (cd "$out/cwd" && "$bin" count --impl simd-avx512 --case mb1ic16ih13kh3sh2_max --layout nchw 2>/dev/null); then
  echo "FAIL: count of simd-avx512 under valgrind succeeded"; exit 1
fi
left=$(find "$out/cwd/results" -mindepth 2 2>/dev/null)
[ -z "$left" ] || { echo "FAIL: a failed count left $left"; exit 1; }
echo ok
