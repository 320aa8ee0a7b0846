#!/usr/bin/env bash
# Runs every check against the real data in ../shared (or $ARCHIV_SHARED).
# Each fails loudly when the data is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
for check in eval/*.sh; do
  [ "$check" = eval/run.sh ] && continue
  echo "== $check"
  bash "$check"
done
for example in $(sed -n 's/^name = "\(eval_[a-z_]*\)"/\1/p' Cargo.toml); do
  echo "== cargo run --release --example $example"
  cargo run --release --quiet --example "$example"
done
