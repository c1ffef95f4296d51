#!/bin/sh
# The README quotes `poolbench network` for 2x2 and 3x3 windows (the notebook's
# question); fail when the program's answer and the README's text part.
set -eu
poolbench=$1 readme=$2
for k in 2x2 3x3; do
  # Its output first: piped straight into the loop, a poolbench that failed
  # or printed nothing passed (the pipeline's status is the loop's).
  out=$("$poolbench" network --kernel "$k")
  [ -n "$out" ] || { echo "poolbench network --kernel $k printed nothing" >&2; exit 1; }
  printf '%s\n' "$out" | while IFS= read -r line; do
    grep -qxF -- "$line" "$readme" || { echo "README.md lacks this line of poolbench network --kernel $k: $line" >&2; exit 1; }
  done
done
