#!/usr/bin/env bash
# AirComp optimizer benchmark (docs/benchmarks.md): a 500-iteration SSCA run on the paper's 8-device
# setting, the short-term design inside SSCA vs the paper's method on the same samples, and scaling.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -pl planner-core -am install -DskipTests >/dev/null
mvn -B -q -ntp -pl planner-core test-compile >/dev/null
cp=$(mvn -B -q -ntp -pl planner-core dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
java -cp "planner-core/target/classes:planner-core/target/test-classes:$cp" \
  org.airshard.planner.optimize.bench.OptimizeBenchmark sample-topologies
