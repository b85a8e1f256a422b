#!/usr/bin/env bash
# Git-history scanning: secret-scanner against Kingfisher on the same local
# repository, alternating runs, median wall time, MB/s of unique blob content,
# CPU seconds and peak RSS. CI does not run it.
#
# Usage: benches/git_history.sh REPO [--runs N]
#   REPO: a local git repository (bare or with a work tree).
# Unique blob bytes are counted once with `git cat-file --batch-all-objects`
# (the git CLI is used only here, for the measurement, never by the scanner).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="${1:?usage: benches/git_history.sh REPO [--runs N]}"; shift
runs=3
while [ $# -gt 0 ]; do case "$1" in --runs) runs="$2"; shift 2 ;; *) echo "unknown argument $1" >&2; exit 2 ;; esac; done
work="${BENCH_WORK:-/tmp/secret-bench}"; mkdir -p "$work"
cargo build --release -q -p secret-scanner
ours="$PWD/target/release/secret-scanner"
venv="$work/venv"
[ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
[ -x "$venv/bin/kingfisher" ] || "$venv/bin/pip" install -q kingfisher-bin >&2
kingfisher="$venv/bin/kingfisher"
blob_bytes=$(git -C "$repo" cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)' | awk '$1=="blob"{s+=$2} END{print s}')
blobs=$(git -C "$repo" cat-file --batch-all-objects --batch-check='%(objecttype)' | grep -c '^blob$')
echo "repository $repo: $blobs blobs, $((blob_bytes / 1000000)) MB of unique blob content" >&2
results="$work/git-results.tsv"; : > "$results"
for i in $(seq 1 "$runs"); do
  for tool in ours ours-cached kingfisher; do
    case "$tool" in
      ours) cmd=("$ours" scan --git "$repo" --no-cache --format json -o "$work/ours-git.json" --quiet --no-progress) ;;
      ours-cached) cmd=("$ours" scan --git "$repo" --cache "$work/git-cache" --format json -o "$work/ours-git-cached.json" --quiet --no-progress) ;;
      kingfisher) cmd=("$kingfisher" scan "$repo" --git-history full --format json -o "$work/kf-git.json" --no-validate --no-update-check -q) ;;
    esac
    /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "${cmd[@]}" >/dev/null 2>"$work/$tool-git.stderr" || true
    read -r wall user sys rss < <(tail -n1 "$work/time.txt")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$tool" "$wall" "$user" "$sys" "$rss" >> "$results"
    printf 'run %s %-12s wall %6.2fs cpu %6.2fs rss %5.0f MiB\n' "$i" "$tool" "$wall" "$(python3 -c "print($user+$sys)")" "$(python3 -c "print($rss/1024)")" >&2
  done
done
python3 - "$results" "$blob_bytes" <<'PY'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines() if l]
size = int(sys.argv[2]); tools = []
for r in rows:
    if r[1] not in tools: tools.append(r[1])
med = {t: (statistics.median(float(r[2]) for r in rows if r[1] == t), statistics.median(float(r[3]) + float(r[4]) for r in rows if r[1] == t), statistics.median(float(r[5]) for r in rows if r[1] == t) / 1024) for t in tools}
print(f"\nmedians, {size/1e6:.0f} MB of unique blobs")
print(f"{'tool':<13}{'wall s':>8}{'MB/s':>9}{'cpu s':>8}{'peak MiB':>10}{'vs kingfisher':>15}")
for t, (w, c, m) in med.items():
    print(f"{t:<13}{w:>8.2f}{size/1e6/max(w,0.001):>9.1f}{c:>8.2f}{m:>10.0f}{med['kingfisher'][0]/max(w,0.001):>14.2f}x")
PY
