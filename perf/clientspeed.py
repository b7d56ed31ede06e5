#!/usr/bin/env python3
"""perf/clientspeed.py - our client against the seed's, `seq N` piped through each, side by side.

  perf/clientspeed.py [--jar PATH] [--server-jar PATH] [--runs N] [--lines 20000,100000] [--line-framing N,...]
                      [--variant 'LABEL|JAVA|JVM OPTS' ...]

One server (ours, --server-jar, default --jar; raw framing, shipped config, free ports) serves every run. For each
count N, each round runs in alternating order: `seq N | java -jar JAR client 127.0.0.1 PORT` (every --variant) and
`seq N | python3 ../shared/seed/seed_client.py 127.0.0.1 PORT`; wall time and CPU (user+sys of the client process)
are reported as min/median/max, and every run must print N acknowledgements (a run that does not stops the whole
script, so no round is ever partial). Each variant is compared with the seed client as the median of per-round
ratios, seed wall / variant wall of the same round (with their min and max), not as a ratio of medians: the runs of
a round ran side by side, under the same load of this shared machine. --line-framing N runs our client with
ACK_FRAMING=line against a second server in line framing (the seed client has no line framing, so no ratio there).
"""
import argparse
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from startup import ROOT, start_server, stop, summary, timed  # noqa: E402

SEED_CLIENT = os.path.join(ROOT, "..", "shared", "seed", "seed_client.py")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", default=os.path.join(ROOT, "target/ack-fat.jar"))
    ap.add_argument("--server-jar")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--lines", default="20000,100000")
    ap.add_argument("--line-framing", default="100000")
    ap.add_argument("--variant", action="append", default=[])
    args = ap.parse_args()
    variants = []
    for text in args.variant or ["ours|java|"]:
        label, java, opts = (text.split("|") + ["", ""])[:3]
        variants.append((label, java or "java", opts.split()))
    if args.runs < 1:
        raise SystemExit("--runs must be at least 1")
    labels = [label for label, _, _ in variants]
    if len(set(labels)) != len(labels) or "seed client" in labels:
        raise SystemExit("--variant labels must be distinct and not 'seed client' (rounds are paired by label)")
    server_jar = args.server_jar or args.jar
    srv_ns = argparse.Namespace(java="java", jvm_opt=[], jar=server_jar)

    def client(java, opts, port):
        return [java, *opts, "-jar", args.jar, "client", "127.0.0.1", str(port)]

    def check(label, n, r):
        acks = r.stdout.count(b"Daten erfolgreich empfangen!")
        if acks != n:
            raise SystemExit(f"{label}: {acks} acknowledgements for {n} lines (rc={r.returncode})")

    srv, port, _ = start_server(srv_ns)
    try:
        for n in [int(x) for x in args.lines.split(",") if x]:
            data = subprocess.run(["seq", str(n)], stdout=subprocess.PIPE, check=True).stdout
            res = {}
            for rnd in range(args.runs):
                for label, java, opts in variants:
                    w, c, r = timed(client(java, opts, port), data)
                    check(label, n, r)
                    res.setdefault(label, ([], []))
                    res[label][0].append(w)
                    res[label][1].append(c)
                w, c, r = timed(["python3", SEED_CLIENT, "127.0.0.1", str(port)], data)
                check("seed", n, r)
                res.setdefault("seed client", ([], []))
                res["seed client"][0].append(w)
                res["seed client"][1].append(c)
            for label, (walls, cpus) in res.items():
                summary(f"seq {n} raw [{label}] wall", walls)
                summary(f"seq {n} raw [{label}] CPU", cpus)
            seed_w = res["seed client"][0]
            for label, _, _ in variants:
                ours_w = res[label][0]
                assert len(ours_w) == len(seed_w) == args.runs  # one run of each per round, paired by round index
                per_round = [s / o for s, o in zip(seed_w, ours_w)]
                print(f"seq {n} raw: seed wall / [{label}] wall = {statistics.median(per_round):.2f} "
                      f"(median of per-round ratios; min {min(per_round):.2f}, max {max(per_round):.2f})")
    finally:
        stop(srv)
    counts = [int(x) for x in args.line_framing.split(",") if x]
    if counts:
        lsrv, lport, _ = start_server(srv_ns, {"ACK_FRAMING": "line"})
        try:
            for n in counts:
                data = subprocess.run(["seq", str(n)], stdout=subprocess.PIPE, check=True).stdout
                for label, java, opts in variants:
                    walls, cpus = [], []
                    for _ in range(args.runs):
                        env = dict(os.environ, ACK_FRAMING="line")
                        w, c, r = timed(client(java, opts, lport), data, env)
                        check(label, n, r)
                        walls.append(w)
                        cpus.append(c)
                    summary(f"seq {n} line [{label}] wall", walls)
                    summary(f"seq {n} line [{label}] CPU", cpus)
        finally:
            stop(lsrv)


if __name__ == "__main__":
    main()
