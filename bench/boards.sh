#!/usr/bin/env bash
# Board benchmarks (docs/benchmarks.md): data-plane round trip vs a raw-socket ping-pong of the same payload,
# then single-process generate vs pipeline runs on 2 and 3 local agents (1 ORT thread each, S = 1..3,
# 200 tokens, the stories15M-shaped synthetic "small" model) and tensor-parallel runs (exact, AirComp).
# Agents run from a private copy of the jar (replacing a jar under a running JVM breaks it).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f app/target/airshard.jar ] || mvn -B -q -ntp -DskipTests install >/dev/null
work=$(mktemp -d)
trap 'for p in ${pids:-}; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
cp app/target/airshard.jar "$work/airshard.jar"
J="$work/airshard.jar"
echo "== data plane (µs per round trip, one process, loopback)"
java -cp "$J" org.airshard.executor.board.DataPlaneBenchmark 64 288 1536 4096 "${ITERATIONS:-5000}"
java -jar "$J" model synth --shape small --out "$work/small" >/dev/null
echo bench-token > "$work/tok"
pids=""
for i in 1 2 3; do
  java -jar "$J" agent --port $((17400 + 10 * i)) --bind 127.0.0.1 --name "b$i" --token-file "$work/tok" \
      --cache-dir "$work/c$i" --threads 1 > "$work/agent$i.out" 2> "$work/agent$i.err" &
  pids="$pids $!"
done
for i in 1 2 3; do until [ -s "$work/agent$i.out" ]; do sleep 0.5; done; done
B2=127.0.0.1:17410,127.0.0.1:17420
B3=$B2,127.0.0.1:17430
P=1,200,13,77,401,5,260
tps() { python3 -c "import json,sys; d=json.load(sys.stdin); print(round(d['tokensPerSecond'],1), d.get('measuredMse',''), d.get('predictedMse',''))"; }
common=(--model "$work/small" --prompt-ids $P --greedy --json --token-file "$work/tok" --known-boards "$work/kb")
echo "== tokens/s (generate = single process; run = coordinator + boards)"
for rep in 1 2 3; do
  echo -n "generate: "; java -jar "$J" generate --model "$work/small" --prompt-ids $P --max-tokens 200 --greedy --no-stop --json 2>/dev/null \
      | python3 -c "import json,sys; print(round(json.load(sys.stdin)['tokensPerSecond'],1))"
  for b in B2 B3; do for s in 1 2 3; do
    echo -n "pipeline ${b#B} boards S=$s: "; java -jar "$J" run "${common[@]}" --boards "${!b}" --samples $s --max-tokens 200 2>/dev/null | tps
  done; done
done
for a in exact aircomp; do for b in B2 B3; do
  echo -n "tensor $a ${b#B} boards: "; java -jar "$J" run "${common[@]}" --boards "${!b}" --mode tensor --allreduce $a --max-tokens 100 2>/dev/null | tps
done; done
