#!/usr/bin/python3
"""Generate AirComp short-term problems and CVXOPT reference values of the SDR (spec/aircomp.md §4.3).

Run from the repository root with Debian's python3-cvxopt:
    /usr/bin/python3 planner-core/src/test/python/gen_aircomp_fixtures.py [outdir]
Writes <outdir>/<name>.json in the airshard.aircomp-problem/1 format and <outdir>/references.json with the
optimal value of   min tr X  s.t. (E_n/L0) H_n^H X H_n >= I, X >= 0   solved twice by CVXOPT (the primal with
one N_r x N_r block and the dual with N small blocks, both via the real embedding [[Re,-Im],[Im,Re]]).
Numbers are rounded to 10 significant digits before solving, so the files hold exactly the solved instance.
Pure Python + cvxopt (no numpy). Seeded: the output is reproducible.
"""
import cmath
import json
import math
import os
import random
import sys
import time

import cvxopt
from cvxopt import matrix, solvers

solvers.options['show_progress'] = False
TOLERANCES = (1e-11, 1e-10, 1e-9)  # tried in order: CVXOPT sometimes breaks down at the tightest
solvers.options['maxiters'] = 200

# name, N devices, N_r, N_t (= L), seed
INSTANCES = [
    ("n1_r4_t1", 1, 4, 1, 11),
    ("n2_r4_t2", 2, 4, 2, 12),
    ("n3_r6_t2", 3, 6, 2, 13),
    ("n4_r8_t1", 4, 8, 1, 14),
    ("n4_r8_t4", 4, 8, 4, 15),
    ("n2_r12_t3", 2, 12, 3, 16),
    ("n6_r12_t2", 6, 12, 2, 17),
    ("n3_r10_t4", 3, 10, 4, 18),
    ("n8_r16_t1", 8, 16, 1, 19),
    ("n8_r16_t2", 8, 16, 2, 20),
    ("n1_r20_t4", 1, 20, 4, 21),
    ("n5_r20_t4", 5, 20, 4, 22),
    ("n8_r20_t4", 8, 20, 4, 23),
]
NOISE = 1e-3
L0 = 256


def r10(x):
    return float('%.10g' % x)


def crandn(rng):
    return complex(rng.gauss(0, math.sqrt(0.5)), rng.gauss(0, math.sqrt(0.5)))


def rician_channel(rng, nr, nt):
    """Block Rician: K-factor 3, ULA steering vectors at random angles, path gain in [0.1, 1]."""
    k = 3.0
    gain = 10 ** rng.uniform(-1, 0)
    ar, at = rng.uniform(-math.pi / 2, math.pi / 2), rng.uniform(-math.pi / 2, math.pi / 2)
    a = [cmath.exp(1j * math.pi * i * math.sin(ar)) for i in range(nr)]
    b = [cmath.exp(1j * math.pi * j * math.sin(at)) for j in range(nt)]
    h = [[math.sqrt(gain) * (math.sqrt(k / (k + 1)) * a[i] * b[j].conjugate()
                             + math.sqrt(1 / (k + 1)) * crandn(rng)) for j in range(nt)] for i in range(nr)]
    return [[complex(r10(z.real), r10(z.imag)) for z in row] for row in h]


def basis(t):
    """Orthonormal Hermitian basis, same order as the Java HermitianBasis."""
    out = []
    for k in range(t):
        e = [[0j] * t for _ in range(t)]
        e[k][k] = 1.0 + 0j
        out.append((e, 1.0))
    s = 1 / math.sqrt(2)
    for k in range(t):
        for l in range(k + 1, t):
            e = [[0j] * t for _ in range(t)]
            e[k][l] = s
            e[l][k] = s
            out.append((e, 0.0))
            e = [[0j] * t for _ in range(t)]
            e[k][l] = 1j * s
            e[l][k] = -1j * s
            out.append((e, 0.0))
    return out


def mul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))] for i in range(len(a))]


def herm(a):
    return [[a[j][i].conjugate() for j in range(len(a))] for i in range(len(a[0]))]


def emb_vec(m):
    """Column-major vec of the real embedding [[Re, -Im], [Im, Re]] of a square complex matrix."""
    n = len(m)
    big = [[0.0] * (2 * n) for _ in range(2 * n)]
    for i in range(n):
        for j in range(n):
            big[i][j] = m[i][j].real
            big[i][j + n] = -m[i][j].imag
            big[i + n][j] = m[i][j].imag
            big[i + n][j + n] = m[i][j].real
    return [float(big[i][j]) for j in range(2 * n) for i in range(2 * n)]


def timed_sdp(c, Gs, hs):
    """CVXOPT at the tightest tolerance that works; returns (solution, seconds, tolerance)."""
    for tol in TOLERANCES:
        solvers.options['abstol'] = solvers.options['reltol'] = solvers.options['feastol'] = tol
        try:
            t0 = time.perf_counter()
            sol = solvers.sdp(c, Gs=Gs, hs=hs)
            seconds = time.perf_counter() - t0
        except (ZeroDivisionError, ArithmeticError, ValueError):
            continue
        if sol['status'] == 'optimal':
            return sol, seconds, tol
    raise SystemExit("CVXOPT failed at every tolerance")


def solve_primal(gs, nr):
    bas = basis(nr)
    c = matrix([tr for _, tr in bas])
    Gs, hs = [], []
    for g in gs:
        t = len(g[0])
        cols = [[-v for v in emb_vec(mul(mul(herm(g), e), g))] for e, _ in bas]
        Gs.append(matrix(cols, (4 * t * t, len(bas))))
        hs.append(matrix([[-1.0 if i == j else 0.0 for i in range(2 * t)] for j in range(2 * t)]))
    Gs.append(matrix([[-v for v in emb_vec(e)] for e, _ in bas], (4 * nr * nr, len(bas))))
    hs.append(matrix(0.0, (2 * nr, 2 * nr)))
    return timed_sdp(c, Gs, hs)


def solve_dual(gs, nr):
    cols, cvec, Gs, hs = [], [], [], []
    blocks = []
    nvar = sum(len(g[0]) ** 2 for g in gs)
    off = 0
    for g in gs:
        t = len(g[0])
        bas = basis(t)
        big = [[0.0] * nvar for _ in range(4 * t * t)]
        for p, (e, tr) in enumerate(bas):
            cvec.append(-tr)
            cols.append(emb_vec(mul(mul(g, e), herm(g))))
            for q, v in enumerate(emb_vec(e)):
                big[q][off + p] = -float(v)
        Gs.append(matrix([list(col) for col in zip(*big)], (4 * t * t, nvar)))
        hs.append(matrix(0.0, (2 * t, 2 * t)))
        off += len(bas)
    Gs.insert(0, matrix(cols, (4 * nr * nr, nvar)))
    hs.insert(0, matrix([[1.0 if i == j else 0.0 for i in range(2 * nr)] for j in range(2 * nr)]))
    return timed_sdp(matrix(cvec), Gs, hs)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else 'planner-core/src/test/resources/aircomp'
    os.makedirs(outdir, exist_ok=True)
    refs = {"generator": "planner-core/src/test/python/gen_aircomp_fixtures.py",
            "solver": "cvxopt " + cvxopt.__version__ + " solvers.sdp, abstol=reltol=feastol = cvxoptTolerance",
            "instances": {}}
    for name, n, nr, nt, seed in INSTANCES:
        rng = random.Random(seed)
        devices = []
        for d in range(n):
            h = rician_channel(rng, nr, nt)
            budget = r10(rng.uniform(0.5, 2.0))
            compute = r10(rng.uniform(0.0, 0.4) * budget)
            devices.append({"id": "d%d" % (d + 1), "budget": budget, "computeEnergy": compute,
                            "H": {"re": [[z.real for z in row] for row in h],
                                  "im": [[z.imag for z in row] for row in h]}})
        problem = {"format": "airshard.aircomp-problem/1", "noisePower": NOISE, "streams": nt,
                   "payloadSymbols": L0, "devices": devices}
        gs = []
        for dev in devices:
            w = (dev["budget"] - dev["computeEnergy"]) / L0
            h = [[complex(a, b) for a, b in zip(ra, ia)] for ra, ia in zip(dev["H"]["re"], dev["H"]["im"])]
            gs.append([[math.sqrt(w) * z for z in row] for row in h])
        sp, tp, tolp = solve_primal(gs, nr)
        sd, td, told = solve_dual(gs, nr)
        vp = sp['primal objective']
        vd = -sd['primal objective']
        rel = abs(vp - vd) / abs(vp)
        print("%-10s primal %.12g (%s, %.3fs)  dual %.12g (%s, %.3fs)  rel diff %.1e"
              % (name, vp, sp['status'], tp, vd, sd['status'], td, rel))
        if rel > 1e-8:
            raise SystemExit("primal and dual formulations disagree on " + name)
        with open(os.path.join(outdir, name + ".json"), "w") as f:
            json.dump(problem, f, separators=(",", ":"))
            f.write("\n")
        refs["instances"][name] = {"devices": n, "receiveAntennas": nr, "transmitAntennas": nt,
                                   "sdpValue": 0.5 * (vp + vd), "sdpValuePrimalForm": vp, "sdpValueDualForm": vd,
                                   "cvxoptPrimalSeconds": tp, "cvxoptDualSeconds": td,
                                   "cvxoptStatus": [sp['status'], sd['status']],
                                   "cvxoptTolerance": [tolp, told]}
    with open(os.path.join(outdir, "references.json"), "w") as f:
        json.dump(refs, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
