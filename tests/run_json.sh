#!/usr/bin/env bash
# A short real run into a temporary results directory, then the JSON checker;
# listing the benchmarks first must leave that directory empty.
set -eu
bin=$1 checker=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# A number in the context of the run at $json (0 when it has none).
ctx_num() { grep -o "\"$1\":\"[0-9]*\"" "$json" | cut -d'"' -f4 | grep . || echo 0; }
"$bin" run --impl naive --case mb1ic3ih9kh3sh2ph1_max --benchmark_list_tests --out-dir "$out" >"$out/list"
grep -q "^naive/nchw/" "$out/list" || { echo "FAIL: --benchmark_list_tests listed nothing"; exit 1; }
[ -z "$(find "$out" -mindepth 1 ! -name list)" ] || { echo "FAIL: --benchmark_list_tests wrote results"; find "$out"; exit 1; }
# --triad: the triads and each case's plain pass timed among the cases, as a
# run does by itself when a case leaves the last-level cache (too slow a case
# for a test).
"$bin" run --impl naive,simd,vhgw --case mb2ic5ih13iw11kh3kw2sh2sw1ph1pw1_max,mb1ic7ih9kh3sh1ph1ceil1_avg_np \
  --triad --threads 2 --benchmark_min_time=0.01 --out-dir "$out" >/dev/null 2>"$out/stderr"
json=$(find "$out" -name run.json)
[ -n "$json" ] || { echo "FAIL: no run.json"; cat "$out/stderr"; exit 1; }
"$checker" "$json"
# A cache level's triad where hwloc gave its size (an L3 the ladder measured):
# some machines publish none (aarch64 without ACPI PPTT or device-tree cache
# nodes; qemu-user on a host whose sysfs has none), and then only DRAM's.
probes="stream_triad/dram/threads:1 stream_triad/dram/threads:2"
for case in mb2ic5ih13iw11kh3kw2sh2sw1ph1pw1_max mb1ic7ih9iw9kh3kw3sh1sw1ph1pw1ceil1_avg_np; do
  probes="$probes plain_pass/$case/threads:1"
done
[ "$(ctx_num l1d_bytes)" -gt 0 ] && probes="$probes stream_triad/l1d/threads:1"
[ "$(ctx_num l2_bytes)" -gt 0 ] && probes="$probes stream_triad/l2/threads:1"
[ "$(ctx_num l3_measured_bytes)" -gt 0 ] && probes="$probes stream_triad/l3/threads:1"
for probe in $probes; do
  grep -q "\"name\":\"probe/$probe\"" "$json" || { echo "FAIL: no probe/$probe in the run"; exit 1; }
done
# The L1d triad on each core of the 2-thread team (one where the machine has
# one), where the L1d's size is known.
cores=$(ctx_num usable_cores)
probed_cores=$(( cores < 2 ? cores : 2 ))
[ "$(ctx_num l1d_bytes)" -gt 0 ] || probed_cores=0
for core in $(seq 0 $(( probed_cores - 1 ))); do
  grep -q "\"name\":\"probe/stream_triad/l1d/core:$core\"" "$json" ||
    { echo "FAIL: no probe/stream_triad/l1d/core:$core in the run"; exit 1; }
done
[ "$(grep -o '"name":"probe/stream_triad/l1d/core:[0-9]*"' "$json" | wc -l)" -eq "$probed_cores" ] ||
  { echo "FAIL: per-core probes for cores the team does not use"; exit 1; }
# Stored without Google Benchmark's indentation and with reals to 10 significant
# digits, not its 17: a threads run is 6 MB as Google Benchmark writes it.
! grep -q '^ ' "$json" || { echo "FAIL: the run is stored indented"; exit 1; }
longest=$(grep -Eo '[0-9]*\.[0-9]+' "$json" | tr -d . | sed 's/^0*//' | awk '{ if (length > n) n = length } END { print n }')
[ "$longest" -eq 10 ] || { echo "FAIL: reals stored with $longest significant digits, not 10"; exit 1; }
grep -q '"repetitions":"one benchmark'"'"'s after another"' "$json" ||
  { echo "FAIL: the run does not say its repetitions ran in turn"; exit 1; }
# Interleaved repetitions alternate between cases: each must still be checked
# against its own case's naive answer (a wrong cached case fails validation).
rm -rf "${out:?}"/*
"$bin" run --impl naive,simd --case mb2ic5ih13iw11kh3kw2sh2sw1ph1pw1_max,mb1ic7ih9kh3sh1ph1ceil1_avg_np \
  --benchmark_enable_random_interleaving=true --benchmark_repetitions=3 --benchmark_min_time=0.01 \
  --out-dir "$out" >/dev/null 2>"$out/stderr" || { echo "FAIL: interleaved run"; cat "$out/stderr"; exit 1; }
json=$(find "$out" -name run.json)
# 2 implementations x 2 cases x 2 layouts, 3 repetitions each.
[ "$(grep -o '"run_type":"iteration"' "$json" | wc -l)" -eq 24 ] || { echo "FAIL: not 24 repetitions"; exit 1; }
grep -q '"repetitions":"randomly interleaved"' "$json" ||
  { echo "FAIL: the run does not say its repetitions were interleaved"; exit 1; }
# The threads preset on a case of its own: 1..all cores, and with two or more
# an empty region timed among the cases, which the report's ceiling then uses
# (its summary table once failed on a probe without bytes).
rm -rf "${out:?}"/*
"$bin" run --preset threads --impl openmp --case mb1ic7ih9kh3sh1ph1ceil1_avg_np --benchmark_min_time=0.01 \
  --out-dir "$out" >/dev/null 2>"$out/stderr" || { echo "FAIL: threads run"; cat "$out/stderr"; exit 1; }
json=$(find "$out" -name run.json)
grep -q '"preset":"threads, custom cases"' "$json" || { echo "FAIL: the threads run does not name its preset"; exit 1; }
cores=$(ctx_num usable_cores)
if [ "$cores" -ge 2 ]; then
  grep -q "\"name\":\"probe/openmp_region/threads:$cores\"" "$json" ||
    { echo "FAIL: no probe/openmp_region/threads:$cores in the threads run"; exit 1; }
  "$bin" report "$json" >/dev/null 2>"$out/stderr" || { echo "FAIL: report"; cat "$out/stderr"; exit 1; }
  grep -q "empty OpenMP region at $cores threads cost [0-9.]* us timed among the cases" "$(dirname "$json")/report.md" ||
    { echo "FAIL: the report's ceiling does not use the region timed among the cases"; exit 1; }
  # The region is no triad: with no triad timed, no triad row.
  ! grep -q "^| triad timed among the cases" "$(dirname "$json")/report.md" ||
    { echo "FAIL: a triad row in a run that timed no triad"; exit 1; }
fi
# Limited to one core (taskset), the threads preset counts only the cores it
# may use: one thread, no team of two bound outside the mask, and the report
# says why.
if [ "$cores" -ge 2 ] && command -v taskset >/dev/null; then
  rm -rf "${out:?}"/*
  taskset -c 0 "$bin" run --preset threads --impl team --case mb1ic7ih9kh3sh1ph1ceil1_avg_np --layout nchw \
    --benchmark_min_time=0.01 --out-dir "$out" >/dev/null 2>"$out/stderr" ||
    { echo "FAIL: threads run under taskset"; cat "$out/stderr"; exit 1; }
  json=$(find "$out" -name run.json)
  grep -q '"usable_cores":"1"' "$json" || { echo "FAIL: the run under taskset -c 0 does not record 1 usable core"; exit 1; }
  ! grep -q '/threads:2"' "$json" || { echo "FAIL: the threads preset ran 2 threads under taskset -c 0"; exit 1; }
  "$bin" report "$json" >/dev/null 2>"$out/stderr" || { echo "FAIL: report"; cat "$out/stderr"; exit 1; }
  grep -q "^| cores this run could use | 1 " "$(dirname "$json")/report.md" ||
    { echo "FAIL: the report does not say the run could use 1 core"; exit 1; }
fi
# hwloc told of another machine (a synthetic 64-core one, not this system):
# the run counts no more cores than the kernel gives the process, binds no
# thread, and says so, where it once ran 1..64 threads on this VM's two CPUs.
rm -rf "${out:?}"/*
HWLOC_SYNTHETIC="pack:2 numa:2 core:16 pu:2" HWLOC_THISSYSTEM=0 "$bin" run --preset threads --impl team \
  --case mb1ic7ih9kh3sh1ph1ceil1_avg_np --layout nchw --benchmark_min_time=0.01 --out-dir "$out" \
  >/dev/null 2>"$out/stderr" || { echo "FAIL: threads run on a synthetic topology"; cat "$out/stderr"; exit 1; }
json=$(find "$out" -name run.json)
cpus=$(nproc)
synthetic_cores=$(ctx_num usable_cores)
[ "$synthetic_cores" -ge 1 ] && [ "$synthetic_cores" -le "$cpus" ] ||
  { echo "FAIL: $synthetic_cores usable cores on a synthetic 64-core topology, $cpus CPUs"; exit 1; }
! grep -q "/threads:$((synthetic_cores * 2))\"" "$json" || { echo "FAIL: more threads than CPUs"; exit 1; }
grep -q "hwloc's topology is not this machine's (64 cores; this process may use $cpus CPUs).*binding no thread" \
  "$out/stderr" ||
  { echo "FAIL: the run does not say hwloc's topology is not this machine"; cat "$out/stderr"; exit 1; }
