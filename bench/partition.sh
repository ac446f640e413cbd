#!/usr/bin/env bash
# Pipeline partitioner benchmark (docs/benchmarks.md): heuristic vs exhaustive ring search on the same
# random instances, search times, and the gain over the best baseline on the sample topologies.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -pl planner-core -am install -DskipTests >/dev/null
mvn -B -q -ntp -pl planner-core test-compile >/dev/null
cp=$(mvn -B -q -ntp -pl planner-core dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
java -cp "planner-core/target/classes:planner-core/target/test-classes:$cp" \
  org.airshard.planner.pipeline.bench.PartitionBenchmark "${1:-20}" sample-topologies
