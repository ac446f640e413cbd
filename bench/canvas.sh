#!/usr/bin/env bash
# Canvas pan/zoom benchmark (docs/benchmarks.md, "Topology canvas"): 200 devices + 200 links in the main
# window under Monocle (headless, software renderer), FRAMES pan/zoom frames per drawing path (baseline
# draw-all vs optimised culled/cached, interleaved), median and p95 of the frame and of redraw() alone.
# Extra arguments go to Maven (e.g. -o -Dmaven.repo.local=...).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q "$@" install -DskipTests -pl app -am >/dev/null
mvn -B -q "$@" test -pl app -Dtest=CanvasBenchmarkTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dcanvas.frames="${FRAMES:-300}" >/dev/null 2>&1 || { echo "benchmark failed: see app/target/surefire-reports" >&2; exit 1; }
cat app/target/bench/canvas.txt
