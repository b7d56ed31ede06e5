#!/usr/bin/env python3
"""perf/compare_table.py RESULTS_DIR TAG ROUNDS DUR [EXTRA_NAMES] - the one table of perf/compare.sh.

Reads the records ../shared/bench/compare.sh (compare.jsonl, tag TAG-<scenario>) and run.sh (<name>.jsonl, note
TAG-idle) wrote for one perf/compare.sh run. Every ratio is ours / that server, the median of per-round ratios.
"""
import glob
import json
import math
import os
import statistics
import sys

results, tag, rounds, dur = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
NAN = float("nan")


def load(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError:
                    pass
    return out


compare = load(os.path.join(results, "compare.jsonl")) if os.path.exists(os.path.join(results, "compare.jsonl")) else []


def scenario(name):
    """{server: {round: record}} of one scenario; the last attempt of each (server, round) counts."""
    by = {}
    for r in compare:
        if r.get("tag") == f"{tag}-{name}" and r.get("round") != "warmup":
            by.setdefault(r["name"], {})[str(r["round"])] = r
    return by


def num(r, key):
    try:
        v = float(r.get(key, NAN))
    except (TypeError, ValueError):
        return NAN
    return v


def med(values):
    v = [x for x in values if not math.isnan(x)]
    return statistics.median(v) if v else NAN


def rratio(by, name, key, ours="ours"):
    """median over rounds of ours[key] / name[key]"""
    o, t = by.get(ours, {}), by.get(name, {})
    return med([num(o[k], key) / num(t[k], key) for k in o if k in t and num(t[k], key) > 0])


def cpu_us_per_ack(rec):
    acks, cpu = num(rec, "acks_per_s"), num(rec, "srv_cpu_pct")
    return cpu / 100 * 1e6 / acks if acks > 0 else NAN


saw100, saw1, pipe = scenario("saw100"), scenario("saw1"), scenario("pipe")
# The seed runs in a call of its own with ours (perf/compare.sh --seed-rounds): its ratio is to ours of that call.
seed_call = scenario("seed")
idle = {}
for path in glob.glob(os.path.join(results, "*.jsonl")):
    if path.endswith("compare.jsonl"):
        continue
    for r in load(path):
        if r.get("note") == f"{tag}-idle" and str(r.get("scenario", "")).startswith("idle"):
            idle[r["name"]] = r

names = []
for by in (saw100, seed_call, saw1, pipe, idle):
    for n in by:
        if n not in names:
            names.append(n)
# ours first, then the --extra jars (their names come as a 5th argument), then the reference servers
first = ["ours"] + [n for n in (sys.argv[5].split(",") if len(sys.argv) > 5 else []) if n]
names = [n for n in first if n in names] + [n for n in names if n not in first]


def f(v, fmt):
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else format(v, fmt)


def errors(by, n):
    return sum(int(num(r, "errors")) for r in by.get(n, {}).values() if not math.isnan(num(r, "errors")))


cols = ["server",
        "saw100 ours/x", "acks/s", "µs CPU/ack",
        "saw1 p50 µs", "ours/x p50",
        "pipe ours/x", "lines/s", "µs CPU/line",
        "idle B/conn", "heap B/conn", "ours/x RSS"]
rows = []
ours_idle = idle.get("ours", {})
for n in names:
    a, l, p, i = saw100.get(n), saw1.get(n), pipe.get(n), idle.get(n)
    a_by = saw100
    if not a and n in seed_call:
        a, a_by = seed_call.get(n), seed_call
    row = [n]
    row += [f(rratio(a_by, n, "acks_per_s"), ".2f") if a else "–",
            f(med([num(r, "acks_per_s") for r in a.values()]), ",.0f") if a else "–",
            f(med([cpu_us_per_ack(r) for r in a.values()]), ".1f") if a else "–"]
    row += [f(med([num(r, "lat_us_p50") for r in l.values()]), ".1f") if l else "–",
            f(rratio(saw1, n, "lat_us_p50"), ".2f") if l else "–"]
    row += [f(rratio(pipe, n, "acks_per_s"), ".2f") if p else "–",
            f(med([num(r, "acks_per_s") for r in p.values()]), ",.0f") if p else "–",
            f(med([cpu_us_per_ack(r) for r in p.values()]), ".2f") if p else "–"]
    if i:
        rss = num(i, "rss_per_conn_b")
        row += [f(rss, ",.0f"), f(num(i, "jvm_heap_per_conn_b"), ",.0f"),
                f(num(ours_idle, "rss_per_conn_b") / rss if rss > 0 else NAN, ".2f")]
    else:
        row += ["–", "–", "–"]
    errs = errors(a_by, n) + errors(saw1, n) + errors(pipe, n)
    if errs:
        row[0] += f" ({errs} err)"
    rows.append(row)

widths = [max(len(c), *(len(r[k]) for r in rows)) for k, c in enumerate(cols)]
print(f"perf/compare.sh {tag}: {rounds} alternating rounds x {dur} s per scenario; ratios = ours / server, "
      "median of per-round ratios")
print("| " + " | ".join(c.ljust(w) for c, w in zip(cols, widths)) + " |")
print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for r in rows:
    print("| " + " | ".join(v.ljust(w) if k == 0 else v.rjust(w) for k, (v, w) in enumerate(zip(r, widths))) + " |")
print("saw100: stop-and-wait raw, 100 conns (ours/x > 1: ours faster). saw1: 1 conn, ours/x p50 < 1: ours lower "
      "latency.\npipe: lines, 50 conns x 16 in flight (> 1: ours faster). µs CPU per ack = server CPU% / acks/s "
      "(median of rounds).\nidle: RSS (and JVM live heap) per idle connection, one run per server (ours/x < 1: ours "
      "smaller).")
if any(n != "ours" for n in seed_call):
    print(f"seed: measured in a call of its own with ours ({len(seed_call.get('seed', {}))} round(s)); its saw100 "
          "ratio is to ours of that call.")
dist = sum(1 for by in (saw100, seed_call, saw1, pipe) for rs in by.values() for r in rs.values()
           if str(r.get("disturbed")) == "1")
if dist:
    print(f"warning: {dist} counted run(s) were disturbed by other processes (> OTHER_MAX % of a core) after retries")
