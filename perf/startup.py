#!/usr/bin/env python3
"""perf/startup.py - start-up time of the ack jar, hyperfine-style (min/median/max of repeated runs).

  perf/startup.py [--jar PATH] [--runs N] [--what client,server] [--variant 'LABEL|JAVA|JVM OPTS[|JAR[|CONF]]' ...]

Each --variant (default: one, 'default|java|') is a java binary and JVM options, and optionally its own jar and
config file (to compare the jar before and after a change: an older jar refuses keys it does not know, so give it
its own config file); variants are run in alternating
order (A B C A B C ...) so that the load of this shared machine hits them alike, and each is compared with the first
as the median of its per-round ratios. Example (CDS):
  perf/startup.py --variant 'plain|java|' --variant 'cds|java|-XX:SharedArchiveFile=/tmp/cli.jsa'

client: a one-line session, `echo hi | java -jar JAR client 127.0.0.1 PORT`, against a server of the same jar
        started once beforehand (wall time of the client process, and its user+sys CPU).
server: `java -jar JAR -conf conf/config.json` on free ports until its /health/ready answers 200 (polled every
        5 ms on loopback), and the CPU time (user+sys) the server process had used by then (the steadier figure on a
        loaded machine); the server is then stopped by its PID.
Traffic goes to 127.0.0.1 only. Ports are picked free by binding port 0 and released just before the start.
"""
import argparse
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ready(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=0.5) as r:
            return r.status == 200
    except Exception:
        return False


def start_server(args, extra_env=None, attempts=3):
    """(process, port, seconds to ready). A port picked free can be taken by someone else before the server binds it
    (exit 15): then the start is repeated on new ports, up to `attempts` times, and only the good start counts."""
    for attempt in range(attempts):
        try:
            return start_server_once(args, extra_env)
        except PortTaken:
            if attempt == attempts - 1:
                raise SystemExit("server could not bind its ports (exit 15) three times")


class PortTaken(Exception):
    pass


def start_server_once(args, extra_env=None):
    port, mport = free_port(), free_port()
    env = dict(os.environ, ACK_PORT=str(port), ACK_MANAGEMENT_PORT=str(mport), ACK_MANAGEMENT_HOST="127.0.0.1",
               ACK_HOST="127.0.0.1", **(extra_env or {}))
    t0 = time.perf_counter()
    conf = getattr(args, "conf", None) or os.path.join(ROOT, "conf/config.json")
    p = subprocess.Popen([args.java, *args.jvm_opt, "-jar", args.jar, "-conf", conf],
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = t0 + 30
    while time.perf_counter() < deadline:
        if p.poll() is not None:
            if p.returncode == 15:
                raise PortTaken()
            raise SystemExit(f"server exited with {p.returncode} during start-up")
        if ready(mport):
            wall = time.perf_counter() - t0
            p.cpu_at_ready = cpu_seconds(p.pid)
            return p, port, wall
        time.sleep(0.005)
    p.kill()
    raise SystemExit("server not ready within 30 s")


def cpu_seconds(pid):
    """user+sys CPU seconds of a running process so far (all its threads), from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop(p):
    p.terminate()
    try:
        p.wait(15)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


def timed(cmd, stdin_bytes, env=None):
    """wall seconds and child CPU seconds (user+sys) of one command fed stdin_bytes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    # Bounded: a client that hangs fails the measurement instead of stalling it.
    r = subprocess.run(cmd, input=stdin_bytes, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, timeout=60)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, r


def summary(label, values, unit="s"):
    v = sorted(values)
    print(f"{label:<34} min {v[0]:.3f} {unit}  median {statistics.median(v):.3f} {unit}  max {v[-1]:.3f} {unit}"
          f"  (n={len(v)})", flush=True)


def ratios(label, series, variants):
    """Each variant against the first, as the median of per-round ratios: the rounds ran side by side (A B A B ...),
    so a ratio compares runs under the same load of this shared machine, where a ratio of medians would not."""
    base = variants[0].label
    for v in variants[1:]:
        per_round = [b / a for a, b in zip(series[base], series[v.label])]
        print(f"[{v.label}/{base}] {label:<26} median of per-round ratios {statistics.median(per_round):.3f}"
              f"  (min {min(per_round):.3f}, max {max(per_round):.3f})", flush=True)


def parse_variant(text):
    label, java, opts, jar, conf = (text.split("|") + ["", "", "", ""])[:5]
    return argparse.Namespace(label=label, java=java or "java", jvm_opt=opts.split(), jar=jar or None, conf=conf or None)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jar", default=os.path.join(ROOT, "target/ack-fat.jar"))
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--what", default="client,server")
    ap.add_argument("--variant", action="append", default=[])
    args = ap.parse_args()
    variants = [parse_variant(v) for v in (args.variant or ["default|java|"])]
    for v in variants:
        v.jar = v.jar or args.jar
    what = args.what.split(",")
    if "client" in what:
        srv, port, _ = start_server(argparse.Namespace(java="java", jvm_opt=[], jar=args.jar))
        try:
            walls = {v.label: [] for v in variants}
            cpus = {v.label: [] for v in variants}
            for rnd in range(args.runs + 1):  # round 0 warms the page cache, not counted
                for v in variants:
                    w, c, r = timed([v.java, *v.jvm_opt, "-jar", v.jar, "client", "127.0.0.1", str(port)], b"hi\n")
                    if r.returncode != 0 or b"Daten erfolgreich empfangen!" not in r.stdout:
                        raise SystemExit(f"{v.label}: client failed: rc={r.returncode} out={r.stdout[:200]!r}")
                    if rnd:
                        walls[v.label].append(w)
                        cpus[v.label].append(c)
            for v in variants:
                summary(f"[{v.label}] client 1-line session, wall", walls[v.label])
                summary(f"[{v.label}] client 1-line session, CPU", cpus[v.label])
            ratios("client wall", walls, variants)
            ratios("client CPU", cpus, variants)
        finally:
            stop(srv)
    if "server" in what:
        times = {v.label: [] for v in variants}
        cpus = {v.label: [] for v in variants}
        for _ in range(args.runs):
            for v in variants:
                p, _, t = start_server(v)
                stop(p)
                times[v.label].append(t)
                cpus[v.label].append(p.cpu_at_ready)
        for v in variants:
            summary(f"[{v.label}] server java -jar -> ready", times[v.label])
            summary(f"[{v.label}] server CPU until ready", cpus[v.label])
        ratios("server ready", times, variants)
        ratios("server CPU until ready", cpus, variants)


if __name__ == "__main__":
    main()
