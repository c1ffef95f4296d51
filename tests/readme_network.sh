#!/bin/sh
# The README quotes `poolbench network` for 2x2 and 3x3 windows (the notebook's
# question); fail when the program's answer and the README's text part.
set -eu
poolbench=$1 readme=$2
for k in 2x2 3x3; do
  "$poolbench" network --kernel "$k" | while IFS= read -r line; do
    grep -qxF -- "$line" "$readme" || { echo "README.md lacks this line of poolbench network --kernel $k: $line" >&2; exit 1; }
  done
done
