#!/usr/bin/env bash
# Board benchmarks (docs/benchmarks.md): data-plane round trip vs a raw-socket ping-pong of the same payload,
# then single-process generate (alone, and two at once: the machine's ceiling for two busy boards) vs pipeline runs on 2 and 3 local agents (1 ORT thread each, S = 1..3,
# TOKENS tokens, the stories15M-shaped synthetic "small" model) and tensor-parallel runs (exact, AirComp).
# Every ratio is against a baseline measured in the same run (generate, the raw socket) or against
# MDI-LLM's figures measured on this machine (/work/shared/spec/pipeline.md).
# Agents run from a private copy of the jar (replacing a jar under a running JVM breaks it).
#
# Env: ROUNDS (3) repetitions of every tokens/s figure (medians are reported), ITERATIONS (5000) data-plane
# round trips per payload, TOKENS (200), MVN_ARGS extra Maven flags (e.g. "-o -Dmaven.repo.local=..."),
# RUN_ARGS extra flags of every `run` (e.g. --no-ring), TENSOR=0 skips the tensor-parallel runs, STAR=1 also runs
# every pipeline configuration with --no-ring in the same rounds (ring vs star, interleaved).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC2086
# Rebuild when the jar is missing or older than any source (a stale jar would benchmark old code).
if [ ! -f app/target/airshard.jar ] || [ -n "$(find pom.xml ./*/pom.xml ./*/src -newer app/target/airshard.jar -type f \
    \( -name '*.java' -o -name '*.xml' -o -name '*.proto' \) -print -quit)" ]; then
  mvn -B -q -ntp ${MVN_ARGS:-} -DskipTests package >/dev/null
fi
work=$(mktemp -d)
trap 'for p in ${pids:-}; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
cp app/target/airshard.jar "$work/airshard.jar"
J="$work/airshard.jar"
ROUNDS=${ROUNDS:-3}
TOKENS=${TOKENS:-200}
read -r -a extra <<< "${RUN_ARGS:-}"
echo "== $(date -u '+%F %T UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), ROUNDS=$ROUNDS TOKENS=$TOKENS ${RUN_ARGS:-}"
echo "== data plane (µs per round trip, one process, loopback; ratio = framed / raw socket, goal <= 2)"
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
common=(--model "$work/small" --prompt-ids $P --greedy --json --token-file "$work/tok" --known-boards "$work/kb" "${extra[@]}")
res="$work/results"
: > "$res"
# one line per run: key tokens/s deployBytesSent measuredMse predictedMse
record() {
  python3 -c "
import json,sys
d=json.load(sys.stdin)
sent=sum(b.get('deployBytesSent',0) for b in d.get('boards',[]))
print(sys.argv[1], d['tokensPerSecond'], sent, d.get('measuredMse',''), d.get('predictedMse',''))" "$1" >> "$res"
  tail -1 "$res"
}
echo "== tokens/s (generate = single process; run = coordinator + boards), $ROUNDS rounds"
for rep in $(seq "$ROUNDS"); do
  java -jar "$J" generate --model "$work/small" --prompt-ids $P --max-tokens "$TOKENS" --greedy --no-stop --json 2>/dev/null \
      | python3 -c "import json,sys; print('generate', json.load(sys.stdin)['tokensPerSecond'], 0)" >> "$res"
  tail -1 "$res"
  # the machine's ceiling for two busy boards: two single-process generates at once (they share cores' memory bandwidth)
  pair=""
  for k in 1 2; do
    java -jar "$J" generate --model "$work/small" --prompt-ids $P --max-tokens "$TOKENS" --greedy --no-stop --json 2>/dev/null \
        | python3 -c "import json,sys; print(json.load(sys.stdin)['tokensPerSecond'])" > "$work/pair$k" &
    pair="$pair $!"
  done
  # shellcheck disable=SC2086
  wait $pair
  echo "generate_pair $(cat "$work/pair1" "$work/pair2" | python3 -c 'import sys; print(sum(map(float, sys.stdin.read().split())))') 0" >> "$res"
  tail -1 "$res"
  for b in B2 B3; do for s in 1 2 3; do
    java -jar "$J" run "${common[@]}" --boards "${!b}" --samples $s --max-tokens "$TOKENS" 2>/dev/null | record "pipeline${b#B}_S$s"
    if [ "${STAR:-0}" = 1 ]; then
      java -jar "$J" run "${common[@]}" --boards "${!b}" --samples $s --max-tokens "$TOKENS" --no-ring 2>/dev/null | record "star${b#B}_S$s"
    fi
  done; done
done
if [ "${TENSOR:-1}" != 0 ]; then
  for a in exact aircomp; do for b in B2 B3; do
    java -jar "$J" run "${common[@]}" --boards "${!b}" --mode tensor --allreduce $a --max-tokens 100 2>/dev/null | record "tensor_${a}${b#B}"
  done; done
fi
echo "== summary (medians of $ROUNDS; MDI-LLM = its measured tokens/s on this machine, pipeline.md)"
python3 - "$res" <<'EOF'
import statistics, sys
rows = {}
first = {}
by_round = []  # per round {key: tokens/s}: paired ratios cancel the machine's slow drifts between rounds
for line in open(sys.argv[1]):
    p = line.split()
    if p[0] == 'generate':
        by_round.append({})
    by_round[-1][p[0]] = float(p[1])
    rows.setdefault(p[0], []).append(float(p[1]))
    first.setdefault(p[0], []).append(int(p[2]))
med = {k: statistics.median(v) for k, v in rows.items()}
g = med['generate']
print(f"generate (single process): {g:.1f} tokens/s")
mdi = {('2', 1): 63.9, ('2', 2): 84.9, ('3', 3): 94.9}
mdi_best = {'2': 84.9, '3': 94.9}
for n in '23':
    for s in (1, 2, 3):
        k = f'pipeline{n}_S{s}'
        if k not in med:
            continue
        v = med[k]
        m = mdi.get((n, s))
        vs = f", vs MDI-LLM {n} nodes S={s} ({m}) {v / m:.2f}x (goal >= 3)" if m else f", vs MDI-LLM's best on {n} nodes ({mdi_best[n]}) {v / mdi_best[n]:.2f}x"
        print(f"pipeline {n} boards S={s}: {v:.1f} tokens/s, vs generate {v / g:.2f}x{vs}")
for n in '23':
    for s in (1, 2, 3):
        k = f'star{n}_S{s}'
        if k in med:
            print(f"star (--no-ring) {n} boards S={s}: {med[k]:.1f} tokens/s, vs generate {med[k] / g:.2f}x, ring / star {med[f'pipeline{n}_S{s}'] / med[k]:.2f}x")
pair = med.get('generate_pair')
if pair:
    print(f"two generates at once (ceiling for two busy boards): {pair:.1f} tokens/s together = {pair / g:.2f}x one alone")
for n in '23':
    if f'pipeline{n}_S1' in med and f'pipeline{n}_S2' in med:
        r = med[f'pipeline{n}_S2'] / med[f'pipeline{n}_S1']
        ceil = f", ceiling (two generates at once / S=1) {pair / med[f'pipeline{n}_S1']:.2f}x, S=2 reaches {med[f'pipeline{n}_S2'] / pair:.0%} of the two generates" if pair else ""
        print(f"S=2 / S=1 on {n} boards: {r:.2f}x (goal >= 1.6 on 2 boards){ceil}")
print(f"pipeline 2 boards S=1 / generate: {med['pipeline2_S1'] / g:.2f}x (goal >= 0.85)")
def paired(a, b):
    r = sorted(x[a] / x[b] for x in by_round if a in x and b in x and x[b] > 0)
    return f"median {statistics.median(r):.2f}x, range {r[0]:.2f}-{r[-1]:.2f}x over {len(r)} rounds" if r else "n/a"
print("paired in each round (the same round's runs; less sensitive to the machine's drifts):")
print(f"  pipeline 2 boards S=1 / generate: {paired('pipeline2_S1', 'generate')}")
print(f"  pipeline 2 boards S=2 / S=1: {paired('pipeline2_S2', 'pipeline2_S1')}")
if pair:
    print(f"  two generates at once / generate: {paired('generate_pair', 'generate')}")
for k in sorted(med):
    if k.startswith('tensor'):
        print(f"{k}: {med[k]:.1f} tokens/s, vs generate {med[k] / g:.2f}x")
print("deploy: tensor bytes sent per run, rounds in order (a board's second run of the same shard must send 0):")
for k in first:
    if not k.startswith('generate'):
        print(f"  {k}: {first[k]}")
EOF
