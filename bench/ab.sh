#!/usr/bin/env bash
# Before/after speed of the AirComp optimizer in ONE JVM (docs/benchmarks.md, "AirComp optimizer speed"):
# the planner-core classes of a base commit and of the working tree are loaded by two class loaders and
# timed alternately (CPU time of the solving thread; the shared 2-core machine makes wall times noisy).
#   bench/ab.sh BASE_REF ssca   [REPS] [ITERATIONS]   # 500-iteration SSCA on aircomp-paper-8dev.json
#   bench/ab.sh BASE_REF full   [REPS] [ITERATIONS]   # whole optimize (SSCA + evaluation): wall s and E[MSE]
#   bench/ab.sh BASE_REF sdp    DIR [ROUNDS] [SOLVES] [REGEX]  # SDP per instance vs recorded CVXOPT times
# DIR is written by planner-core/src/test/python/gen_aircomp_bench.py.
# MVN_ARGS: extra mvn flags (e.g. "-o -Dmaven.repo.local=/path/repository"); BENCH_CP: the dependency class path,
# when maven-dependency-plugin cannot run (offline repository without it).
set -euo pipefail
cd "$(dirname "$0")/.."
read -r -a mvn_args <<< "${MVN_ARGS:-}"
base_ref=$1; mode=$2; shift 2
base=$(mktemp -d /tmp/airshard-ab-XXXXXX)
git worktree add -q --detach "$base/src" "$base_ref"
trap 'git worktree remove --force "$base/src"; rm -rf "$base"' EXIT
(cd "$base/src" && mvn -B -q -ntp "${mvn_args[@]}" -pl planner-core -am compile >/dev/null)
mvn -B -q -ntp "${mvn_args[@]}" -pl planner-core -am compile >/dev/null
deps=${BENCH_CP:-$(mvn -B -q -ntp "${mvn_args[@]}" -pl planner-core dependency:build-classpath -Dmdep.outputFile=/dev/stdout)}
mkdir -p bench/ab/target
javac -nowarn -cp "$base/src/planner-core/target/classes:$deps" -d bench/ab/target bench/ab/Work.java
javac -nowarn -d bench/ab/target bench/ab/AB.java bench/ab/ABSdp.java
run() { java -Dab.work=bench/ab/target -cp bench/ab/target "$@"; }
old="$base/src/planner-core/target/classes"; new=planner-core/target/classes
topo=sample-topologies/aircomp-paper-8dev.json
case $mode in
  ssca) run AB "$old" "$new" "$deps" ssca "${1:-5}" "$topo" "${2:-500}" ;;
  full) run AB "$old" "$new" "$deps" full "${1:-2}" "$topo" "${2:-500}" ;;
  sdp)  run ABSdp "$old" "$new" "$deps" "$1" "${2:-3}" "${3:-3}" "${4:-.*}" ;;
  *) echo "mode: ssca | full | sdp" >&2; exit 2 ;;
esac
