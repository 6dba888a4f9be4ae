#!/usr/bin/env bash
# Benchmarks the compatibility gate over git history: `cargo xtask compat --transitive` on a
# synthetic repository whose every event schema has 100 committed versions, and the event
# catalog build (`cargo xtask catalog`, which reads the same history for its version pages).
#
# The repository (target/bench-compat/repo) holds copies of this workspace's event schemas;
# each of 100 commits changes every one of them (a reworded description, an added property
# with a bound that varies by version, a changed `maxLength` on an existing string), so each
# file has 100 distinct versions and every comparison finds differences. The working tree is
# the 100th version. Whole processes are timed (git included), median of RUNS.
#
# Usage: scripts/bench-compat.sh            RUNS=N (default 5); PROFILE=release|dev (default
#                                           release: the figure the target is stated for)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-5}
PROFILE=${PROFILE:-release}
SCRATCH=$ROOT/target/bench-compat
REPO=$SCRATCH/repo

if [[ $PROFILE == release ]]; then
    cargo build --quiet --release -p xtask-cli
    XTASK=$ROOT/target/release/xtask
else
    cargo build --quiet -p xtask-cli
    XTASK=$ROOT/target/debug/xtask
fi

rm -rf "$REPO"
mkdir -p "$REPO"
git -C "$REPO" init --quiet --initial-branch=main
git -C "$REPO" config user.email bench@example.com
git -C "$REPO" config user.name bench
git -C "$REPO" config commit.gpgsign false
python3 - "$ROOT/schemas" "$REPO" <<'PY'
import json, pathlib, subprocess, sys
source, repo = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
originals = {p.relative_to(source): json.loads(p.read_text()) for p in sorted(source.glob("*/*.json"))}
for version in range(1, 101):
    for relative, schema in originals.items():
        schema = json.loads(json.dumps(schema))
        schema["description"] = f"{schema.get('description', '')} (version {version})"
        props = schema.setdefault("properties", {})
        props[f"extra{version % 7}"] = {"type": "string", "maxLength": 10 + version}
        for prop in props.values():
            if prop.get("type") == "string" and "format" not in prop:
                prop["maxLength"] = 50 + version
        target = repo / "schemas" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n")
    subprocess.run(["git", "add", "--all"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "--quiet", "-m", f"version {version}"], cwd=repo, check=True)
(repo / "schemas" / "catalog.json").write_text((source / "catalog.json").read_text())
subprocess.run(["git", "add", "--all"], cwd=repo, check=True)
subprocess.run(["git", "commit", "--quiet", "-m", "the catalog"], cwd=repo, check=True)
print(f"{len(originals)} event schemas x 100 versions committed")
PY

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_runs() {
    for _ in $(seq "$RUNS"); do
        local start end
        start=$(date +%s%N)
        "$@" >/dev/null || true
        end=$(date +%s%N)
        echo $(((end - start) / 1000000))
    done | median
}

versions=$(git -C "$REPO" log --format=%H -- schemas/ | wc -l)
compat=$(time_runs "$XTASK" --root "$REPO" compat --transitive --format json)
printf '\n| measurement (%s build, median of %s) | ms |\n|---|---:|\n' "$PROFILE" "$RUNS"
printf '| `compat --transitive`: %s events x %s versions | %s |\n' \
    "$(find "$REPO/schemas" -mindepth 2 -name '*.json' | wc -l)" "$((versions - 1))" "$compat"
catalog=$(time_runs "$XTASK" catalog --out "$SCRATCH/catalog")
printf '| `catalog --out DIR` on this workspace (%s events, their git history) | %s |\n' \
    "$(find "$ROOT/schemas" -mindepth 2 -name '*.json' | wc -l)" "$catalog"
history_catalog=$(time_runs "$XTASK" --root "$REPO" catalog --out "$SCRATCH/catalog-history")
printf '| `catalog --out DIR` on the synthetic repository (100 versions each) | %s |\n' "$history_catalog"
