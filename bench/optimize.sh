#!/usr/bin/env bash
# AirComp optimizer benchmark (docs/benchmarks.md): a 500-iteration SSCA run on the paper's 8-device
# setting, the short-term design inside SSCA vs the paper's method on the same samples, and scaling.
# MVN_ARGS: extra mvn flags (e.g. "-o -Dmaven.repo.local=/path/repository"); BENCH_CP: the dependency class path,
# when maven-dependency-plugin cannot run (offline repository without it). Packages, never installs.
set -euo pipefail
cd "$(dirname "$0")/.."
read -r -a mvn_args <<< "${MVN_ARGS:-}"
mvn -B -q -ntp "${mvn_args[@]}" -pl planner-core -am package -DskipTests >/dev/null
cp=${BENCH_CP:-$(mvn -B -q -ntp "${mvn_args[@]}" -pl planner-core dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)}
java -cp "planner-core/target/classes:planner-core/target/test-classes:$cp" \
  org.airshard.planner.optimize.bench.OptimizeBenchmark sample-topologies
