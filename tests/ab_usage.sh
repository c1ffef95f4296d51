#!/usr/bin/env bash
# scripts/ab on bad input: each mistake exits 2 naming it, before any build,
# and leaves nothing in TMPDIR (no worktree, no runs directory).
set -eu
repo=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch" "$scratch.err"' EXIT
expect() { # message, arguments...
  local want=$1 rc=0
  shift
  TMPDIR="$scratch" "$repo/scripts/ab" "$@" >/dev/null 2>"$scratch.err" || rc=$?
  [ "$rc" = 2 ] || { echo "FAIL: scripts/ab $*: exit $rc, want 2"; cat "$scratch.err"; exit 1; }
  grep -q -- "$want" "$scratch.err" || { echo "FAIL: scripts/ab $*: no '$want' in:"; cat "$scratch.err"; exit 1; }
  [ -z "$(ls -A "$scratch")" ] || { echo "FAIL: scripts/ab $* left $(ls -A "$scratch")"; exit 1; }
}
expect "give BASE and at most one NEW revision"
expect "give BASE and at most one NEW revision" HEAD HEAD HEAD
expect "no such revision: no-such-revision" no-such-revision
expect "no such revision: no-such-revision" HEAD no-such-revision
expect "--rounds needs a positive number" --rounds 0 HEAD
expect "unknown option --rund" --rund 3 HEAD
expect "--new-env takes VAR=VALUE, not 'POOLBENCH_STREAM_BYTES'" --new-env POOLBENCH_STREAM_BYTES HEAD
echo ok
