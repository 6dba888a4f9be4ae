#!/usr/bin/env bash
# Benchmarks `cargo xtask infer --lang schema` against `quicktype --lang schema` (quicktype 26,
# from npm) on the same JSON corpus, as whole processes (startup included), and prints a table:
# median wall time of each over the whole corpus, the ratio, peak RSS, the throughput of
# `infer` on the corpus's largest file, and time and peak memory on a generated 50 MB array of
# objects (target: peak RSS at most 4x the input).
#
# Usage: scripts/bench-infer.sh [CORPUS_DIR]     (default: ../shared/corpus)
#   RUNS=N      runs per measurement (default 5; the median is reported)
#   QT_LARGE=1  also run quicktype on the 50 MB file (slow)
#
# Needs bash, node/npm (quicktype is installed into target/bench-infer/, nothing global),
# python3 (to generate the 50 MB file) and GNU time at /usr/bin/time for peak RSS
# (`apt-get install time` if missing). Each corpus folder that directly holds *.json files is
# one process per tool, every file one type: the same semantics for both tools.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORPUS=$(cd "${1:-$ROOT/../shared/corpus}" && pwd)
RUNS=${RUNS:-5}
SCRATCH=$ROOT/target/bench-infer
mkdir -p "$SCRATCH"

if [[ ! -x /usr/bin/time ]]; then
    echo "error: GNU time is needed for peak RSS: apt-get install time" >&2
    exit 1
fi

QT=$SCRATCH/quicktype/node_modules/.bin/quicktype
if [[ ! -x $QT ]]; then
    echo "installing quicktype@26 into $SCRATCH/quicktype" >&2
    npm install --prefix "$SCRATCH/quicktype" --no-audit --no-fund --silent quicktype@26 >&2
fi
echo "quicktype $("$QT" --version 2>/dev/null | head -1)" >&2

cargo build --release --quiet -p xtask
XT=$ROOT/target/release/xtask

# The folders holding JSON files directly: one process each.
mapfile -t DIRS < <(find "$CORPUS" -name '*.json' -printf '%h\n' | sort -u)
CORPUS_BYTES=$(find "$CORPUS" -name '*.json' -printf '%s\n' | awk '{s+=$1} END {print s}')
LARGEST=$(find "$CORPUS" -name '*.json' -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2-)

# run_timed CMD...: runs CMD (stdout discarded), prints "<seconds> <peak RSS KiB>"; fails if CMD does.
run_timed() {
    local start end rss
    start=$EPOCHREALTIME
    /usr/bin/time -f '%M' -o "$SCRATCH/rss" "$@" >/dev/null 2>"$SCRATCH/stderr" || {
        echo "error: $* failed:" >&2
        tail -5 "$SCRATCH/stderr" >&2
        return 1
    }
    end=$EPOCHREALTIME
    rss=$(tail -1 "$SCRATCH/rss")
    echo "$(echo "$end - $start" | bc -l) $rss"
}

# corpus_once TOOL: one pass over every folder; prints "<total seconds> <max peak RSS KiB>".
corpus_once() {
    local tool=$1 total=0 max_rss=0 t r
    for dir in "${DIRS[@]}"; do
        if [[ $tool == quicktype ]]; then
            read -r t r < <(run_timed "$QT" --lang schema --src-lang json "$dir")
        else
            read -r t r < <(run_timed "$XT" infer --lang schema "$dir")
        fi
        total=$(echo "$total + $t" | bc -l)
        ((r > max_rss)) && max_rss=$r
    done
    echo "$total $max_rss"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# measure NAME CMD...: RUNS runs; prints "<median seconds> <max peak RSS KiB>".
measure() {
    local times=() rss=0 t r
    for _ in $(seq "$RUNS"); do
        read -r t r < <("$@")
        times+=("$t")
        ((r > rss)) && rss=$r
    done
    echo "$(printf '%s\n' "${times[@]}" | median) $rss"
}

echo "corpus: $CORPUS (${#DIRS[@]} folders, $(find "$CORPUS" -name '*.json' | wc -l) files, $CORPUS_BYTES bytes); $RUNS runs each" >&2
read -r QT_TIME QT_RSS < <(measure corpus_once quicktype)
read -r XT_TIME XT_RSS < <(measure corpus_once infer)
read -r BIG_TIME BIG_RSS < <(measure run_timed "$XT" infer --lang schema "$LARGEST")
BIG_BYTES=$(stat -c %s "$LARGEST")

LARGE=$SCRATCH/large-array-50mb.json
if [[ ! -f $LARGE ]]; then
    python3 - "$LARGE" <<'EOF'
import json, sys
target = 50 * 1024 * 1024
with open(sys.argv[1], "w") as out:
    out.write("[")
    size, i = 1, 0
    while size < target:
        item = json.dumps({
            "id": "%08x-0000-4000-8000-%012x" % (i, i),
            "sequence": i,
            "price": {"amount": i % 997 + 0.25, "currency": ["GBP", "EUR", "USD"][i % 3]},
            "createdAt": "2024-%02d-%02dT%02d:%02d:00Z" % (i % 12 + 1, i % 28 + 1, i % 24, i % 60),
            "tags": ["t%d" % (i % 7)] * (i % 3),
            "note": None if i % 2 else "note %d" % i,
            "active": i % 5 == 0,
        }, separators=(",", ":"))
        out.write(("," if i else "") + item)
        size += len(item) + 1
        i += 1
    out.write("]")
EOF
fi
LARGE_BYTES=$(stat -c %s "$LARGE")
read -r L_TIME L_RSS < <(measure run_timed "$XT" infer --lang schema "$LARGE")
if [[ ${QT_LARGE:-0} == 1 ]]; then
    read -r QL_TIME QL_RSS < <(RUNS=1 measure run_timed "$QT" --lang schema --src-lang json "$LARGE")
fi

mb() { echo "scale=2; $1 / 1048576" | bc -l; }
printf '\n| measurement | quicktype 26 | xtask infer | ratio |\n| --- | ---: | ---: | ---: |\n'
printf '| whole corpus, median wall time (s) | %.3f | %.3f | %.1fx faster |\n' "$QT_TIME" "$XT_TIME" \
    "$(echo "$QT_TIME / $XT_TIME" | bc -l)"
printf '| whole corpus, peak RSS of one process (MiB) | %.1f | %.1f | %.1fx less |\n' \
    "$(echo "$QT_RSS / 1024" | bc -l)" "$(echo "$XT_RSS / 1024" | bc -l)" "$(echo "$QT_RSS / $XT_RSS" | bc -l)"
printf '| largest file %s (%s MiB), median wall time (s) | | %.4f | %.1f MB/s |\n' "${LARGEST#"$CORPUS"/}" \
    "$(mb "$BIG_BYTES")" "$BIG_TIME" "$(echo "$BIG_BYTES / 1000000 / $BIG_TIME" | bc -l)"
if [[ ${QT_LARGE:-0} == 1 ]]; then
    printf '| 50 MB array of objects, wall time (s) | %.2f | %.2f | %.1fx faster |\n' "$QL_TIME" "$L_TIME" \
        "$(echo "$QL_TIME / $L_TIME" | bc -l)"
fi
printf '| 50 MB array of objects (%s MiB), median wall time (s) | | %.3f | %.1f MB/s |\n' "$(mb "$LARGE_BYTES")" \
    "$L_TIME" "$(echo "$LARGE_BYTES / 1000000 / $L_TIME" | bc -l)"
printf '| 50 MB array of objects, peak RSS (MiB) | | %.1f | %.2fx the input |\n' "$(echo "$L_RSS / 1024" | bc -l)" \
    "$(echo "$L_RSS * 1024 / $LARGE_BYTES" | bc -l)"
