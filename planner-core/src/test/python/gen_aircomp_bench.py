#!/usr/bin/python3
"""Benchmark instances for the AirComp SDR: problems + CVXOPT solve times (not committed: written to a scratch dir).

    /usr/bin/python3 planner-core/src/test/python/gen_aircomp_bench.py /tmp/aircomp-bench

Grid N in {2, 4, 8, 16}, N_r in {8, 16, 32}, N_t = L in {1, 2, 4} (same channel model as the fixtures). CVXOPT
gets its faster formulation: the dual (N small blocks) always, the primal (one N_r x N_r block) too when
N_r <= 8 (it was slower from N_r = 8 on and its pure-Python model building is slow), and the benchmark uses the faster of the two. Times are the best of 3 calls of solvers.sdp (the
model building in pure Python is not timed). Writes <dir>/<name>.json and <dir>/references.json in the same
layout as the test fixtures, so the Java benchmark reads either.
"""
import json
import math
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_aircomp_fixtures as fx  # noqa: E402


def best_of(fn, gs, nr, runs=3):
    """Best of `runs` timed solves, or None if CVXOPT fails at every tolerance."""
    best = None
    for _ in range(runs):
        try:
            sol, seconds, tol = fn(gs, nr)
        except SystemExit:
            return None
        if best is None or seconds < best[1]:
            best = (sol, seconds, tol)
    return best


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else '/tmp/aircomp-bench'
    os.makedirs(outdir, exist_ok=True)
    refs = {"generator": "planner-core/src/test/python/gen_aircomp_bench.py", "instances": {}, "cvxoptFailed": []}
    ref_path = os.path.join(outdir, "references.json")
    if os.path.exists(ref_path):  # resume
        with open(ref_path) as f:
            refs = json.load(f)
        refs.setdefault("cvxoptFailed", [])
    seed = 1000
    for n in (2, 4, 8, 16):
        for nr in (8, 16, 32):
            for nt in (1, 2, 4):
                seed += 1
                name = "b_n%d_r%d_t%d" % (n, nr, nt)
                if name in refs["instances"] or name in refs["cvxoptFailed"]:
                    continue
                rng = random.Random(seed)
                devices = []
                for d in range(n):
                    h = fx.rician_channel(rng, nr, nt)
                    budget = fx.r10(rng.uniform(0.5, 2.0))
                    compute = fx.r10(rng.uniform(0.0, 0.4) * budget)
                    devices.append({"id": "d%d" % (d + 1), "budget": budget, "computeEnergy": compute,
                                    "H": {"re": [[z.real for z in row] for row in h],
                                          "im": [[z.imag for z in row] for row in h]}})
                problem = {"format": "airshard.aircomp-problem/1", "noisePower": fx.NOISE, "streams": nt,
                           "payloadSymbols": fx.L0, "devices": devices}
                gs = []
                for dev in devices:
                    w = (dev["budget"] - dev["computeEnergy"]) / fx.L0
                    h = [[complex(a, b) for a, b in zip(ra, ia)] for ra, ia in zip(dev["H"]["re"], dev["H"]["im"])]
                    gs.append([[math.sqrt(w) * z for z in row] for row in h])
                dual = best_of(fx.solve_dual, gs, nr)
                primal = best_of(fx.solve_primal, gs, nr) if nr <= 8 else None
                if dual is None and primal is None:
                    print("%-14s CVXOPT failed in both formulations: skipped" % name, flush=True)
                    refs["cvxoptFailed"].append(name)
                    continue
                entry = {"devices": n, "receiveAntennas": nr, "transmitAntennas": nt}
                td = tp = float('inf')
                if dual is not None:
                    sd, td, told = dual
                    entry.update({"sdpValue": -sd['primal objective'], "cvxoptDualSeconds": td, "cvxoptTolerance": told})
                else:
                    entry["cvxoptDualSeconds"] = None
                if primal is not None:
                    sp, tp, tolp = primal
                    entry["cvxoptPrimalSeconds"] = tp
                    entry["sdpValuePrimalForm"] = sp['primal objective']
                    entry.setdefault("sdpValue", sp['primal objective'])
                else:
                    entry["cvxoptPrimalSeconds"] = None
                vd = entry["sdpValue"]
                entry["cvxoptBestSeconds"] = min(td, tp)
                print("%-14s dual %.4fs primal %s value %.10g" % (name, td, "%.4fs" % tp if tp != float('inf') else "-", vd),
                      flush=True)
                with open(os.path.join(outdir, name + ".json"), "w") as f:
                    json.dump(problem, f, separators=(",", ":"))
                refs["instances"][name] = entry
                with open(os.path.join(outdir, "references.json"), "w") as f:
                    json.dump(refs, f, indent=1)


if __name__ == "__main__":
    main()
