#!/usr/bin/env bash
# Draws the charts of BENCHMARKS.md with gnuplot from the saved outputs of the benchmark scripts: reads
# bench/out/*.txt, writes docs/charts/*.svg, and skips a chart whose input is missing or unreadable.
#   bench/charts.sh        (EXPRESS_RPS=N adds the tuned Express peer's req/s to the hot-path chart)
#
# Whoever runs a benchmark saves its standard output under bench/out/, named after the script:
#   hot-path.txt               bench/hot-path.sh | tee bench/out/hot-path.txt
#   refresh-login.txt          bench/refresh-login.sh | tee bench/out/refresh-login.txt
#   propagation-samples.txt    PROPAGATION_SAMPLES_FILE=bench/out/propagation-samples.txt bench/propagation.sh
#                              (one latency in ms a line; the summary may go to propagation.txt as usual)
#   startup-memory.txt         bench/startup-memory.sh | tee bench/out/startup-memory.txt (its runs are named
#                              by their "label:" lines; one whose label starts with "native" is drawn as native)
# A file may hold several runs (another JDK appended with `tee -a`): each starts at its "java:" line, which
# names it on the chart, unless the run has a line "label: NAME" (e.g. `(bench/hot-path.sh; echo "label: before")`).
set -euo pipefail
cd "$(dirname "$0")/.."

IN=bench/out
OUT=docs/charts
# Keycloak 26.7 on this machine, measured once by hand; a constant, not re-measured by any script here
KEYCLOAK_REFRESH=612
REFRESH_TARGET=1500

log() { printf '[charts] %s\n' "$*" >&2; }

ensure_gnuplot() {
    if ! command -v gnuplot >/dev/null; then
        log "installing gnuplot"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnuplot-nox >/dev/null
    fi
}

# Turns saved outputs into gnuplot data blocks and variables: parse KIND FILE...
# Bar blocks have the columns x, value, colour, tick label, value label.
PARSE=$(cat <<'PY'
import re
import statistics
import sys

BLUE, ORANGE, GREEN, GREY = 0x8DA0CB, 0xFC8D62, 0x66C2A5, 0xB3B3B3
NUMBER = r"([0-9]+(?:\.[0-9]+)?)"


def runs(path, default_label):
    """The runs in one saved output, each from its "java:" line on, as (label, text)."""
    with open(path, errors="replace") as f:
        text = f.read()
    found, seen = [], {}
    for part in re.split(r"(?m)^(?=java: )", text):
        version = re.match(r'java: .*?version "([0-9]+)', part)
        named = re.search(r"(?m)^label: (.+)$", part)
        label = named.group(1).strip() if named else f"JDK {version.group(1)}" if version else default_label
        seen[label] = seen.get(label, 0) + 1
        found.append((label if seen[label] == 1 else f"{label} #{seen[label]}", part))
    return found


def search(pattern, text):
    match = re.search(pattern, text)
    return tuple(float(g) for g in match.groups()) if match else None


def thousands(value):
    return f"{value:,.0f}"


def block(name, rows):
    print(f"${name} << EOD")
    for x, value, colour, tick, label in rows:
        print(f'{x} {value} {colour} "{tick}" "{label}"')
    print("EOD")


def top(values):
    return max(values) * 1.2 or 1


def hot_path(path, express):
    rps, p99, x = [], [], 0
    for label, text in runs(path, "run"):
        ping = search(r"GET /api/ping\b.*?" + NUMBER + r" req/s.*?p99 " + NUMBER + " ms", text)
        greeting = search(r"GET /api/greeting\b.*?" + NUMBER + r" req/s.*?p99 " + NUMBER + " ms", text)
        if not ping and not greeting:
            continue
        if ping:
            rps.append((x, ping[0], BLUE, f"ping\\n{label}", thousands(ping[0])))
            p99.append((x, ping[1], BLUE, f"ping\\n{label}", f"{ping[1]:.2f} ms"))
        if greeting:
            ratio = f"\\n{greeting[0] / ping[0]:.2f} of ping" if ping and ping[0] else ""
            rps.append((x + 1, greeting[0], ORANGE, f"greeting\\n{label}", thousands(greeting[0]) + ratio))
            p99.append((x + 1, greeting[1], ORANGE, f"greeting\\n{label}", f"{greeting[1]:.2f} ms"))
        x += 3
    if not rps:
        return False
    if express:
        rps.append((x, express, GREEN, "Express (tuned)\\nreference", thousands(express)))
    block("rps", rps)
    block("p99", p99)
    print(f"rps_top = {top([r[1] for r in rps])}; p99_top = {top([r[1] for r in p99])}")
    print(f"rps_last = {rps[-1][0]}; p99_last = {p99[-1][0]}")
    return True


def refresh(path, keycloak, target):
    bars = []
    for label, text in runs(path, "run"):
        found = search(r"POST /auth/refresh:\s*(?:.*?=\s*)?" + NUMBER + "/s", text)
        if found:
            bars.append((len(bars), found[0], ORANGE, f"token service\\n{label}", f"{thousands(found[0])}/s"))
    if not bars:
        return False
    bars.append((len(bars), keycloak, GREY, "Keycloak 26.7, same machine\\n(a constant, not re-run)",
                 f"{thousands(keycloak)}/s"))
    block("refresh", bars)
    print(f"refresh_top = {top([b[1] for b in bars] + [target])}; x_last = {len(bars) - 1}; target = {target}")
    print(f'target_label = "target {thousands(target)}/s"')
    return True


def propagation(path):
    samples = []
    with open(path, errors="replace") as f:
        for line in f:
            try:
                samples.append(float(line.split()[0]))
            except (IndexError, ValueError):
                continue
    samples = sorted(s for s in samples if s > 0)
    if not samples:
        return False
    # the same percentiles as bench/propagation.py prints
    p99 = samples[min(len(samples) - 1, max(0, round(0.99 * len(samples)) - 1))]
    print("$cdf << EOD")
    print(f"{samples[0]} 0")
    for i, sample in enumerate(samples, 1):
        print(f"{sample} {i / len(samples)}")
    print("EOD")
    print(f"trials = {len(samples)}; p50 = {statistics.median(samples)}; p99 = {p99}; worst = {samples[-1]}")
    print(f"x_low = {samples[0]}; x_high = {max(samples[-1], 10)}")
    return True


def startup(path):
    seconds, rss, spans = [], [], {}
    with open(path, errors="replace") as f:
        parts = re.split(r"(?m)^(?=label: )", f.read())
    for part in parts:
        named = re.match(r"label: (.+)", part)
        ready = search(r"started to ready: " + NUMBER + " ms", part)
        idle = search(r"RSS idle: " + NUMBER + " MiB", part)
        if not named or not ready or not idle:
            continue
        label = named.group(1).strip()
        kind = "native" if label.startswith("native") else "JVM"
        x, colour = len(seconds), GREEN if kind == "native" else BLUE
        tick = label.replace(" ", "\\n", 1)
        seconds.append((x, ready[0] / 1000, colour, tick, f"{ready[0] / 1000:.2f} s"))
        rss.append((x, idle[0], colour, tick, f"{idle[0]:.0f} MiB"))
        low, high = spans.get(kind, (x, x))
        spans[kind] = (min(low, x), max(high, x))
    if not seconds:
        return False
    block("startup", seconds)
    block("rss", rss)
    for kind in ("JVM", "native"):
        low, high = spans.get(kind, ("NaN", "NaN"))
        print(f"{kind.lower()}_low = {low}; {kind.lower()}_high = {high}")
    targets = {"JVM": (1.0, 128), "native": (0.3, 80)}
    startup_top = top([s[1] for s in seconds] + [targets[kind][0] for kind in spans])
    rss_top = top([r[1] for r in rss] + [targets[kind][1] for kind in spans])
    print(f"startup_top = {startup_top}; rss_top = {rss_top}; x_last = {len(seconds) - 1}")
    return True


kind, args = sys.argv[1], sys.argv[2:]
if kind == "hot-path":
    drawn = hot_path(args[0], float(args[1]) if len(args) > 1 and args[1] else None)
elif kind == "refresh":
    drawn = refresh(args[0], float(args[1]), float(args[2]))
elif kind == "propagation":
    drawn = propagation(args[0])
else:
    drawn = startup(*args)
sys.exit(0 if drawn else 3)
PY
)

PREAMBLE='
set terminal svg size 960,480 dynamic noenhanced font "sans-serif,12" background rgb "white"
set encoding utf8
set bmargin 6
set style fill solid 0.9 border rgb "#555555"
set boxwidth 0.8
set grid ytics lc rgb "#dddddd"
set border 3
set tics nomirror
set xtics scale 0
set key below center horizontal noautotitle
bars = "using 1:2:3:xtic(4) with boxes lc rgb variable, \"\" using 1:2:5 with labels offset 0,1.3 font \",10\""
# targets are dashed lines named in the key: red for the JVM (or the only target), green for native
set style line 11 lw 2 dt 2 lc rgb "#d62728"
set style line 12 lw 2 dt 2 lc rgb "#1b9e77"
'

FAILED=0

# Draws $OUT/NAME.svg: the gnuplot script on stdin, after the parsed data of the input files.
draw() {
    local name=$1 kind=$2 data
    shift 2
    if ! data=$(python3 -c "$PARSE" "$kind" "$@"); then
        log "$name: skipped, no figures found in $1"
        return
    fi
    ensure_gnuplot
    mkdir -p "$OUT"
    if { printf '%s\n' "$PREAMBLE" "set output '$OUT/$name.svg'" "$data"; cat; } | gnuplot; then
        log "$name: wrote $OUT/$name.svg"
    else
        log "$name: gnuplot failed"
        FAILED=1
    fi
}

# True when the chart's input file is there; otherwise says which command makes it: present NAME FILE COMMAND
present() {
    [ -s "$IN/$2" ] && return 0
    log "$1: skipped, no $IN/$2; make it with: $3"
    return 1
}

hot_path_chart() {
    present hot-path hot-path.txt "bench/hot-path.sh | tee $IN/hot-path.txt" || return 0
    if [ -n "${EXPRESS_RPS:-}" ] && ! [[ $EXPRESS_RPS =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
        log "hot-path: EXPRESS_RPS=$EXPRESS_RPS is not a number; drawn without the Express bar"
        EXPRESS_RPS=
    fi
    draw hot-path hot-path "$IN/hot-path.txt" "${EXPRESS_RPS:-}" <<'GP'
set bmargin 4
set multiplot layout 1,2 title "Hot path, one node: ping is GET /api/ping (no token, the ceiling), " . \
    "greeting is GET /api/greeting (Bearer token)"
set title "Throughput (req/s, higher is better)"
set xrange [-0.6:rps_last + 0.6]
set yrange [0:rps_top]
plot $rps @bars
set title "p99 latency (ms, lower is better)"
set xrange [-0.6:p99_last + 0.6]
set yrange [0:p99_top]
plot $p99 @bars
unset multiplot
GP
}

refresh_chart() {
    present refresh refresh-login.txt "bench/refresh-login.sh | tee $IN/refresh-login.txt" || return 0
    draw refresh refresh "$IN/refresh-login.txt" "$KEYCLOAK_REFRESH" "$REFRESH_TARGET" <<'GP'
set terminal svg size 720,480
set title "Refresh throughput (POST /auth/refresh, higher is better): the token service, one node, against Keycloak"
set ylabel "refreshes/s"
set xrange [-0.6:x_last + 0.6]
set yrange [0:refresh_top]
set arrow from -0.6, target to x_last + 0.6, target nohead front ls 11
plot $refresh @bars, keyentry with lines ls 11 title target_label
GP
}

propagation_chart() {
    local command="PROPAGATION_SAMPLES_FILE=$IN/propagation-samples.txt bench/propagation.sh | tee $IN/propagation.txt"
    present propagation propagation-samples.txt "$command" || return 0
    draw propagation propagation "$IN/propagation-samples.txt" <<'GP'
set terminal svg size 800,480
set title sprintf("Revocation propagation, node A's 204 to node B's first 401: " . \
    "%d trials, p50 %.2f ms, p99 %.2f ms, max %.2f ms", trials, p50, p99, worst)
set xlabel "latency (ms, log scale)"
set ylabel "fraction of trials at or below"
set logscale x
set xtics (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
set xrange [x_low * 0.9:x_high * 1.1]
set yrange [0:1.05]
set grid xtics ytics lc rgb "#dddddd"
set arrow from 10, 0 to 10, 1.05 nohead front ls 11
set arrow from x_low * 0.9, 0.99 to x_high * 1.1, 0.99 nohead lw 1 dt 3 lc rgb "#777777"
set label "p99" at x_low * 0.9, 0.99 left offset 0.5,-0.7 tc rgb "#777777"
set arrow from x_low * 0.9, 0.5 to x_high * 1.1, 0.5 nohead lw 1 dt 3 lc rgb "#777777"
set label "p50" at x_low * 0.9, 0.5 left offset 0.5,0.7 tc rgb "#777777"
plot $cdf using 1:2 with steps lw 2 lc rgb "#4c72b0" title "trials", \
    keyentry with lines ls 11 title "target: p99 ≤ 10 ms"
GP
}

startup_chart() {
    present startup-memory startup-memory.txt "bench/startup-memory.sh | tee $IN/startup-memory.txt" || return 0
    draw startup-memory startup "$IN/startup-memory.txt" <<'GP'
set multiplot layout 1,2 title "Start-up and memory, one node, median of several starts (lower is better)"
set xrange [-0.6:x_last + 0.6]
array panel[2] = ["$startup", "$rss"]
array panel_title[2] = ["Process launch to the first 200 from /q/health/ready (s)", \
    "Resident memory, idle 5 s after ready (MiB)"]
array panel_top[2] = [startup_top, rss_top]
array jvm_target[2] = [1.0, 128]
array native_target[2] = [0.3, 80]
array unit[2] = ["s", "MiB"]
do for [i = 1:2] {
    set title panel_title[i]
    set yrange [0:panel_top[i]]
    jvm_key = ""
    native_key = ""
    if (jvm_low == jvm_low) {
        set arrow 1 from jvm_low - 0.5, jvm_target[i] to jvm_high + 0.5, jvm_target[i] nohead front ls 11
        jvm_key = sprintf("JVM target %g %s", jvm_target[i], unit[i])
    }
    if (native_low == native_low) {
        set arrow 2 from native_low - 0.5, native_target[i] to native_high + 0.5, native_target[i] nohead front ls 12
        native_key = sprintf("native target %g %s", native_target[i], unit[i])
    }
    plot panel[i] using 1:2:3:xtic(4) with boxes lc rgb variable, "" using 1:2:5 with labels offset 0,1.3 font ",10", \
        keyentry with lines ls 11 title jvm_key, keyentry with lines ls 12 title native_key
}
unset multiplot
GP
}

hot_path_chart
refresh_chart
propagation_chart
startup_chart
exit "$FAILED"
