#!/usr/bin/env bash
# Benchmarks `cargo xtask infer` against quicktype 26 (from npm) as whole processes (startup
# included), one invocation per corpus folder, and prints one table per output language from
# one run: per folder, each tool's median wall time and peak memory, and the ratios. Then
# inference's throughput on one large file against serde_json's own parse speed of that file
# (in one process, the file in memory: the practical limit).
#
# Usage: scripts/bench-infer.sh [FOLDER...]
#   FOLDER       corpus folders, each one invocation of both tools (default: the folders of
#                ../shared/corpus as a quicktype user runs them: aws-events, github-webhooks (a
#                folder of folders: one type per subfolder), quicktype/priority, quicktype/samples)
#   RUNS=N       runs per tool, folder and language, alternating the tools (default 5; the
#                median is shown)
#   OUT_LANG=L   output language for both tools: schema, typescript, rust, or all (default: a
#                table for each of the three)
#   XTASK=PATH   the `xtask` binary to measure (default: a release build of this checkout), e.g. a
#                copy of an earlier build, to compare two builds in one session
#
# Needs bash, node/npm (quicktype is installed into target/bench-infer/, nothing global),
# python3 (to generate the large file), bc, and GNU time at /usr/bin/time for peak RSS
# (`apt-get install time` if missing).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORPUS=$(cd "$ROOT/../shared/corpus" 2>/dev/null && pwd || true)
RUNS=${RUNS:-5}
OUT_LANG=${OUT_LANG:-all}
SCRATCH=$ROOT/target/bench-infer
mkdir -p "$SCRATCH"

if [[ $# -gt 0 ]]; then
    FOLDERS=("$@")
else
    FOLDERS=("$CORPUS/aws-events" "$CORPUS/github-webhooks" "$CORPUS/quicktype/priority" "$CORPUS/quicktype/samples")
fi

if [[ ! -x /usr/bin/time ]]; then
    echo "error: GNU time is needed for peak RSS: apt-get install time" >&2
    exit 1
fi

QT=$SCRATCH/quicktype/node_modules/.bin/quicktype
if [[ ! -x $QT ]]; then
    echo "installing quicktype@26 into $SCRATCH/quicktype" >&2
    npm install --prefix "$SCRATCH/quicktype" --no-audit --no-fund --silent quicktype@26 >&2
fi
echo "quicktype $("$QT" --version 2>/dev/null | head -1), node $(node --version)" >&2

cargo build --release --quiet -p schema-infer --example throughput
if [[ -n ${XTASK:-} ]]; then
    XT=$XTASK
else
    cargo build --release --quiet -p xtask-cli
    XT=$ROOT/target/release/xtask
fi
THROUGHPUT=$ROOT/target/release/examples/throughput
case $OUT_LANG in
    all) LANGS=(schema typescript rust) ;;
    schema | typescript | rust) LANGS=("$OUT_LANG") ;;
    *) echo "error: OUT_LANG must be schema, typescript, rust or all" >&2; exit 1 ;;
esac

# quicktype's name for an output language.
qt_lang() {
    case $1 in
        typescript) echo ts ;;
        *) echo "$1" ;;
    esac
}

# run_timed CMD...: runs CMD (stdout discarded), prints "<seconds> <peak RSS KiB>"; fails if CMD does.
run_timed() {
    local start end
    start=$EPOCHREALTIME
    /usr/bin/time -f '%M' -o "$SCRATCH/rss" "$@" >/dev/null 2>"$SCRATCH/stderr" || {
        echo "error: $* failed:" >&2
        tail -5 "$SCRATCH/stderr" >&2
        return 1
    }
    end=$EPOCHREALTIME
    echo "$(echo "$end - $start" | bc -l) $(tail -1 "$SCRATCH/rss")"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

for lang in "${LANGS[@]}"; do
    printf '\n%s runs per tool and folder (alternating), --lang %s, median wall time, largest peak RSS\n\n' "$RUNS" "$lang"
    printf '| folder | files | MB | quicktype 26 (s) | xtask infer (s) | faster | quicktype RSS (MiB) | xtask infer RSS (MiB) | less memory |\n'
    printf '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
    for folder in "${FOLDERS[@]}"; do
        files=$(find "$folder" -name '*.json' | wc -l)
        bytes=$(find "$folder" -name '*.json' -printf '%s\n' | awk '{s+=$1} END {print s}')
        qt_times=() xt_times=() qt_rss=0 xt_rss=0
        for _ in $(seq "$RUNS"); do
            read -r t r < <(run_timed "$QT" --lang "$(qt_lang "$lang")" --src-lang json "$folder")
            qt_times+=("$t")
            ((r > qt_rss)) && qt_rss=$r
            read -r t r < <(run_timed "$XT" infer --lang "$lang" "$folder")
            xt_times+=("$t")
            ((r > xt_rss)) && xt_rss=$r
        done
        qt=$(printf '%s\n' "${qt_times[@]}" | median)
        xt=$(printf '%s\n' "${xt_times[@]}" | median)
        printf '| %s | %d | %.2f | %.3f | %.4f | %.0fx | %.1f | %.1f | %.1fx |\n' "${folder#"$CORPUS"/}" "$files" \
            "$(echo "$bytes / 1000000" | bc -l)" "$qt" "$xt" "$(echo "$qt / $xt" | bc -l)" \
            "$(echo "$qt_rss / 1024" | bc -l)" "$(echo "$xt_rss / 1024" | bc -l)" "$(echo "$qt_rss / $xt_rss" | bc -l)"
    done
done

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
echo
"$THROUGHPUT" "$LARGE" "$RUNS"
read -r L_TIME L_RSS < <(run_timed "$XT" infer --lang schema "$LARGE")
printf '\nwhole process on that file: %.3f s, peak RSS %.1f MiB (%.2fx the input)\n' "$L_TIME" \
    "$(echo "$L_RSS / 1024" | bc -l)" "$(echo "$L_RSS * 1024 / $(stat -c %s "$LARGE")" | bc -l)"
