#!/usr/bin/env bash
# Measured against people, and beside pytm (issue 15, point 4).
#
# 1. Recall against human-recorded threats: runs the human_recall test,
#    which measures the Threat Dragon demos and the Threagile example from
#    ../shared/samples, and here also every Threat Dragon file of the OWASP
#    threat-model cookbook (HUMAN_RECALL_EXTRA). Prints Markdown tables.
# 2. pytm side by side: for each cookbook system that has a pytm script
#    (generic CMS, online game, payment, renting car, app-y-ness), runs the
#    script with pytm (`tm.py --json`, which also lists pytm's findings),
#    imports the same JSON with `threat-modeler import` and analyses it;
#    prints, per element and flow, pytm's findings next to ours (all, open).
#
# Usage: benches/human_recall.sh [SRC]
#   SRC (default $INTEROP_SRC, else ../shared/interop) holds a git clone of
#   https://github.com/OWASP/threat-model-cookbook; when it is absent the
#   cookbook is cloned (depth 1) into a temporary folder. Nothing of theirs
#   is copied into this repository.
#   $PYTHON: a Python that can import pytm and yaml; by default a private
#   virtualenv under the temporary folder gets `pip install pytm pyyaml`.
#   $TM_BIN: the threat-modeler binary (default: built here, debug).
# Part 2 needs the pytm importer, part 1's cookbook rows the Threat Dragon v1
# importer; without them the rows say "not measured".
set -euo pipefail
cd "$(dirname "$0")/.."

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
src="${1:-${INTEROP_SRC:-../shared/interop}}"
cb="$src/threat-model-cookbook"
if [ ! -d "$cb" ]; then
  cb="$work/threat-model-cookbook"
  git clone -q --depth 1 https://github.com/OWASP/threat-model-cookbook "$cb"
fi
cb="$(cd "$cb" && pwd)"
echo "cookbook: $cb at $(git -C "$cb" rev-parse --short HEAD 2>/dev/null || echo '?')" >&2

# 1. Recall.
mkdir -p "$work/td"
for f in "$cb/Flow Diagram"/*/*.json; do cp "$f" "$work/td/"; done
echo "## Recall against human-recorded threats"
HUMAN_RECALL_EXTRA="$work/td" cargo test -q -p stride-core --test human_recall -- \
  --nocapture human_recorded 2>&1 | grep -E '^(\||$|Every|Excluded|Cookbook|not measured|skipping)' || true

# 2. pytm side by side.
python="${PYTHON:-}"
if [ -z "$python" ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install -q pytm pyyaml >&2
  python="$work/venv/bin/python"
fi
bin="${TM_BIN:-}"
if [ -z "$bin" ]; then
  cargo build -q -p threat-modeler
  bin="$PWD/target/debug/threat-modeler"
fi
echo
echo "## pytm side by side ($("$python" -m pip show pytm 2>/dev/null | sed -n 's/^Version: /pytm /p'))"
mkdir -p "$work/pytm"
for py in "$cb/Flow Diagram"/*/*.py; do
  name="$(basename "$py" .py)"
  case "$name" in BLANK | alt1-*) continue ;; esac
  out="$work/pytm/$name"
  if ! (cd "$(dirname "$py")" && timeout 120 "$python" "$(basename "$py")" --json "$out.pytm.json" >/dev/null 2>&1); then
    echo "pytm could not run $py" >&2
    continue
  fi
  if ! "$bin" import --from pytm "$out.pytm.json" -o "$out.yaml" 2>/dev/null \
    || ! "$bin" analyze --format json "$out.yaml" -o "$out.ours.json" 2>/dev/null; then
    echo
    echo "$name: not measured (this threat-modeler cannot import pytm's JSON)"
    continue
  fi
  "$python" - "$name" "$out.pytm.json" "$out.yaml" "$out.ours.json" <<'PY'
import collections, json, sys
import yaml

name, pytm_path, model_path, ours_path = sys.argv[1:]
pytm = json.load(open(pytm_path))
ours = json.load(open(ours_path))
model = yaml.safe_load(open(model_path))
one = lambda s: " ".join(str(s).replace("<br/>", " ").split())
# Our importer keeps pytm's order: element i and flow i are pytm's. Rows
# are pytm's names (pytm records findings by name; flows often share one).
key, kinds = {}, {}
for part in ("elements", "flows"):
    mine, theirs = model.get(part) or [], pytm.get(part) or []
    for i, e in enumerate(mine):
        n = theirs[i].get("name") if len(mine) == len(theirs) else e.get("name", e["id"])
        kind = e.get("kind", "?") if part == "elements" else "flow"
        key[e["id"]] = (kind == "flow", one(n) or "(unnamed)", kind)
        kinds[e["id"]] = kind
p = collections.Counter(one(f.get("target", "")) or "(unnamed)" for f in pytm.get("findings", []))
# Ours: the findings in each subject's coverage cells (a flow's spoofing and
# elevation findings live at its target, repudiation at its source).
status = {t["id"]: t["status"] for t in ours["threats"]}
rows = {}
for sid, cells in ours["coverage"].items():
    found = {x for c in cells.values() for x in c.get("findings", [])}
    k = key.get(sid, (False, sid, "?"))
    n, a, o = rows.get(k, (0, 0, 0))
    rows[k] = (n + 1, a + len(found), o + sum(status.get(x) == "open" for x in found))
print(f"\n### {name}\n")
print("| Element or flow (pytm name) | Kind | pytm findings | Ours | Ours open |")
print("|---|---|---:|---:|---:|")
tot = [0, 0, 0]
for k in sorted(rows, key=lambda k: (k[0], k[1].lower())):
    n, a, o = rows[k]
    label = k[1].replace("|", "/") + (f" (×{n})" if n > 1 else "")
    pc = p.pop(k[1], 0)
    tot[0] += pc; tot[1] += a; tot[2] += o
    print(f"| {label} | {k[2]} | {pc} | {a} | {o} |")
if sum(p.values()):
    tot[0] += sum(p.values())
    print(f"| (pytm targets not matched: {', '.join(p)}) | | {sum(p.values())} | | |")
els = sum(1 for k in kinds.values() if k != "flow")
print(f"| **Total** ({els} elements, {len(kinds) - els} flows) | | {tot[0]} | {tot[1]} | {tot[2]} |")
print(f"\npytm: {len({f.get('threat_id') for f in pytm.get('findings', [])})} distinct pytm threats;"
      f" ours: {len({t['rule_id'] for t in ours['threats']})} distinct rules."
      f" Per element: pytm {tot[0] / max(els, 1):.1f}, ours {tot[1] / max(els, 1):.1f} ({tot[2] / max(els, 1):.1f} open).")
PY
done
