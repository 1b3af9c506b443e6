#!/usr/bin/env bash
# Renders docs/diagram/deployed.svg from its source docs/diagram/deployed.dot with Graphviz (Debian: apt-get install
# graphviz). The SVG is committed, so nothing else (tests included) needs Graphviz; run this after editing the .dot.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v dot >/dev/null 2>&1; then
  echo "Graphviz's dot is missing: apt-get install -y graphviz" >&2
  exit 1
fi
# Graphviz puts the graph's <title> inside a group; a title as the <svg>'s first child is what screen readers (and
# the project's linter, Biome's a11y rules) look for.
dot -Tsvg docs/diagram/deployed.dot |
  awk 'BEGIN { done = 0 } { print } /^<svg / { open = 1 } open && !done && />$/ {
         print "<title>The deployed parts of the connector and what they talk to</title>"; done = 1 }' \
    > docs/diagram/deployed.svg
echo "wrote docs/diagram/deployed.svg" >&2
