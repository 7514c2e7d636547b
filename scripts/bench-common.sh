# Shared by scripts/bench-import and scripts/bench-read (sourced, not run).

set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

TARGET_DIR="${CARGO_TARGET_DIR:-target}"

# NICE=-10 runs the measured programs at a higher scheduling priority (root only), so that other work on a
# shared machine disturbs them less; the scripts print how busy the machine was either way.
PRIO=()
if [[ -n "${NICE:-}" ]]; then
    PRIO=(nice -n "$NICE")
fi
LIAISON="$TARGET_DIR/release/liaison"
EXAMPLES="$TARGET_DIR/release/examples"

bench_build() {
    if [[ "${NO_BUILD:-0}" == 1 ]]; then
        echo "== NO_BUILD=1: using the binaries already in $TARGET_DIR/release"
    else
        echo "== building release binaries and examples"
        cargo build --release -p liaison --examples --bins
    fi
}

# A fresh working directory under $TMPDIR, removed on exit unless KEEP=1.
bench_workdir() {
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/liaison-bench.XXXXXX")"
    if [[ "${KEEP:-0}" == 1 ]]; then
        echo "== working directory (kept): $WORK"
    else
        trap 'bench_cleanup' EXIT
    fi
}

bench_cleanup() {
    if [[ -n "${SERVER_PID:-}" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}

# The machine, without host names or paths.
bench_machine() {
    local cpu mem os
    cpu="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
    mem="$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
    os="$(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "== machine: $(nproc) cores ($cpu), $mem RAM, $os, kernel $(uname -r), $(rustc --version | cut -d' ' -f1-2)"
    echo "== date: $(date -u +%Y-%m-%dT%H:%MZ)"
    if [[ -n "${NICE:-}" ]]; then echo "== measured programs run at nice $NICE"; fi
}

# Generates persons into $1 (count $2).
bench_generate() {
    "$EXAMPLES/synthetic_records" --persons "$2" --seed "${SEED:-42}" --out "$1"
}

# A new node in $1.
bench_init() {
    "$LIAISON" --data-dir "$1" init >/dev/null
}

# Seconds from /usr/bin/time's "h:mm:ss" or "m:ss.ss".
bench_seconds() {
    awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }' <<<"$1"
}

# Imports $2 into the node $1 under `/usr/bin/time -v`; sets IMPORT_SECONDS, IMPORT_RSS_KB, IMPORT_USER,
# IMPORT_SYS, IMPORT_LINE (the command's own summary), IMPORT_CPU_LINE (how busy the machine was) and
# RSS_SAMPLES ("seconds:kB" every second).
bench_import() {
    local node="$1" file="$2" timings="$WORK/time-$RANDOM.txt" log="$WORK/import-$RANDOM.log"
    local time_pid child rss status=0 started=$SECONDS cpu_before
    cpu_before="$(bench_cpu_snapshot)"
    /usr/bin/time -v -o "$timings" "${PRIO[@]}" "$LIAISON" --data-dir "$node" import "$file" >"$log" 2>&1 &
    time_pid=$!
    # Resident memory of the importer, sampled every second (seconds since start, kB).
    RSS_SAMPLES=""
    while kill -0 "$time_pid" 2>/dev/null; do
        child="$(pgrep -P "$time_pid" | head -1 || true)"
        # The importer may exit between the check and the read: never let that stop the script.
        rss="$(awk '/^VmRSS/ {print $2}' "/proc/${child:-0}/status" 2>/dev/null || true)"
        if [[ -n "$rss" ]]; then
            RSS_SAMPLES+="$((SECONDS - started)):$rss "
        fi
        sleep 1
    done
    wait "$time_pid" || status=$?
    if [[ "$status" != 0 ]]; then
        echo "import failed (exit status $status):" >&2
        tail -20 "$log" >&2
        exit 1
    fi
    IMPORT_LINE="$(grep '^imported' "$log" | tail -1)"
    IMPORT_SECONDS="$(bench_seconds "$(awk -F'): ' '/Elapsed \(wall clock\)/ {print $2}' "$timings")")"
    IMPORT_RSS_KB="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$timings")"
    IMPORT_USER="$(awk -F': ' '/User time/ {print $2}' "$timings")"
    IMPORT_SYS="$(awk -F': ' '/System time/ {print $2}' "$timings")"
    IMPORT_CPU_LINE="$(bench_cpu_report "$cpu_before" "$(bench_cpu_snapshot)" \
        "$(awk -v u="$IMPORT_USER" -v s="$IMPORT_SYS" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%d", (u + s) * hz}')")"
}

# RSS_SAMPLES as "0 s 12 MB, 1 s 40 MB, ...", every $1-th sample.
bench_rss_timeline() {
    local every="${1:-1}" i=0 out="" sample
    for sample in $RSS_SAMPLES; do
        if ((i % every == 0)) && [[ -n "${sample#*:}" ]]; then
            out+="${sample%%:*} s $((${sample#*:} / 1024)) MB, "
        fi
        i=$((i + 1))
    done
    echo "${out%, }"
}

# "busy total steal" clock ticks of the whole machine so far (all cores), from /proc/stat.
bench_cpu_snapshot() {
    awk '/^cpu / {busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6, $9}' /proc/stat
}

# utime + stime clock ticks of process $1 so far (0 if it is gone).
bench_proc_ticks() {
    awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}

# Prints how busy the machine was between two snapshots ($1, $2) and how much of it was the measured process
# ($3 clock ticks): the rest is other work on the machine, which makes figures noisy when it is large.
bench_cpu_report() {
    local own="$3"
    read -r b1 t1 s1 <<<"$1"
    read -r b2 t2 s2 <<<"$2"
    awk -v b="$((b2 - b1))" -v t="$((t2 - t1))" -v s="$((s2 - s1))" -v own="$own" -v cores="$(nproc)" 'BEGIN {
        if (t <= 0) exit
        printf "   CPU while measuring: machine %.0f%% busy (of %d cores = 100%%), measured process %.0f%%, everything else %.0f%%, steal %.0f%%\n",
            100 * b / t, cores, 100 * own / t, 100 * (b - own) / t, 100 * s / t }'
}
