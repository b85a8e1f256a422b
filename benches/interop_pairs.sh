#!/usr/bin/env bash
# Public threat models through our importers: per file counts (elements,
# flows, boundaries, threats, lines not mapped), then "same system, many
# formats": each pair is analysed and the analyses compared.
#
# Usage: benches/interop_pairs.sh [SRC]
#   SRC (default $INTEROP_SRC, else ../shared/interop) holds git clones of
#   https://github.com/OWASP/threat-model-cookbook, OWASP/threat-dragon and
#   OWASP/www-project-threat-model-library. Nothing of theirs is copied into
#   this repository. pytm models are printed with `tm.py --json` by
#   $PYTHON (default python3) when it can import pytm (`pip install pytm`).
# Prints Markdown (the tables in docs/interop.md come from it).
set -euo pipefail
cd "$(dirname "$0")/.."

src="${1:-${INTEROP_SRC:-../shared/interop}}"
for r in threat-model-cookbook threat-dragon www-project-threat-model-library; do
  if [ ! -d "$src/$r" ]; then
    echo "skipping: $src/$r is absent (git clone https://github.com/OWASP/$r $src/$r)"
    exit 0
  fi
done
src="$(cd "$src" && pwd)"
python="${PYTHON:-python3}"
bin="${TM_BIN:-}"
if [ -z "$bin" ]; then
  cargo build -q -p threat-modeler
  bin="$PWD/target/debug/threat-modeler"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/pytm" "$work/out"

if "$python" -c 'import pytm' 2>/dev/null; then
  for py in "$src/threat-model-cookbook/Flow Diagram"/*/*.py; do
    name="$(basename "$py" .py)"
    (cd "$(dirname "$py")" && timeout 120 "$python" "$(basename "$py")" --json "$work/pytm/$name.json" >/dev/null 2>&1) \
      || echo "pytm could not run $py" >&2
  done
else
  echo "note: $python cannot import pytm (pip install pytm); pytm rows are skipped" >&2
fi

cb="$src/threat-model-cookbook/Flow Diagram"
td="$src/threat-dragon"
lib="$src/www-project-threat-model-library/threat-models"
list="$work/files.tsv"
{
  for f in "$cb"/*/*.json; do printf 'cookbook (Threat Dragon v1)\tthreat-dragon\t%s\n' "$f"; done
  for f in "$work"/pytm/*.json; do [ -e "$f" ] && printf 'cookbook (pytm --json)\tpytm\t%s\n' "$f"; done
  for f in "$lib"/*/*.json; do printf 'Threat Model Library (TM-BOM)\ttm-bom\t%s\n' "$f"; done
  for f in "$td"/td.vue/src/service/demo/*.json "$td"/ThreatDragonModels/*.json; do
    case "$f" in
      *.otm.json) fmt=otm ;;
      *tmbom*) fmt=tm-bom ;;
      *) fmt=threat-dragon ;;
    esac
    printf 'Threat Dragon demos\t%s\t%s\n' "$fmt" "$f"
  done
} >"$list"

i=0
while IFS=$'\t' read -r group fmt file; do
  i=$((i + 1))
  # The model as imported (counts), then the analysis of the file as given
  # (format detected from the content, as a user would run it).
  "$bin" import --from "$fmt" "$file" -o "$work/out/$i.yaml" 2>"$work/out/$i.err" || true
  "$bin" analyze --format json "$file" >"$work/out/$i.json" 2>"$work/out/$i.aerr" || true
  printf '%s\t%s\t%s\n' "$i" "$group" "$file" >>"$work/index.tsv"
done <"$list"

"$python" - "$work" "$src" <<'EOF'
import collections, json, os, sys

work, src = sys.argv[1], sys.argv[2]
rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(work, "index.tsv"))]
results = {}

def load(i):
    try:
        return json.load(open(os.path.join(work, "out", f"{i}.json")))
    except Exception:
        return None

def notes(i):
    lines = open(os.path.join(work, "out", f"{i}.err")).read().splitlines()
    lines += open(os.path.join(work, "out", f"{i}.aerr")).read().splitlines()
    return [l for l in lines if l.startswith("not mapped: ")], [l for l in lines if l.startswith("threat-modeler: error")]

def model(i):
    """Our YAML, read just enough: top-level lists of flat items."""
    out, section, item = {}, None, None
    try:
        text = open(os.path.join(work, "out", f"{i}.yaml")).read()
    except OSError:
        return None
    for line in text.splitlines():
        if line and not line.startswith((" ", "-")):
            section = line.split(":")[0]
            out.setdefault(section, [])
            continue
        if line.startswith("- "):
            item = {}
            out.setdefault(section, []).append(item)
            line = "  " + line[2:]
        if item is not None and line.startswith("  ") and not line.startswith("   ") and ":" in line and not line.startswith("  -"):
            k, _, v = line.strip().partition(":")
            item[k] = v.strip().strip("'\"")
    return out

print("## Per file\n")
print("| source | file | elements | flows | boundaries | threats (open) | not mapped |")
print("|---|---|---:|---:|---:|---:|---:|")
for i, group, path in rows:
    d = load(i)
    nm, errs = notes(i)
    if d is not None:
        d["model"] = model(i) or {}
    short = os.path.relpath(path, src) if path.startswith(src) else "pytm: " + os.path.basename(path)
    results[path] = d
    if d is None:
        msg = (errs[-1].split(": ", 2)[-1] if errs else "refused")[:110].replace("|", "/")
        print(f"| {group} | {short} | refused: {msg} | | | | |")
        continue
    m = d["model"]
    open_n = sum(1 for t in d["threats"] if t["status"] == "open")
    print(f"| {group} | {short} | {len(m.get('elements', []))} | {len(m.get('flows', []))} | "
          f"{len(m.get('boundaries', []))} | {len(d['threats'])} ({open_n}) | {len(nm)} |")
    for line in nm:
        print(f"<!-- {short}: {line[len('not mapped: '):]} -->", file=sys.stderr)

def facts(d):
    m = d["model"]
    zone = {e["id"]: e.get("boundary") for e in m.get("elements", [])}
    flows = m.get("flows", [])
    return {
        "elements": len(m.get("elements", [])),
        "external entities": sum(e["kind"] == "external_entity" for e in m["elements"]),
        "processes": sum(e["kind"] == "process" for e in m["elements"]),
        "data stores": sum(e["kind"] == "data_store" for e in m["elements"]),
        "flows": len(flows),
        "boundaries": len(m.get("boundaries", [])),
        "crossing flows": sum(zone.get(f["from"]) != zone.get(f["to"]) for f in flows),
        "encrypted flows": sum(f.get("encrypted") == "true" for f in flows),
        "flows with a protocol": sum(bool(f.get("protocol")) for f in flows),
        "threats": len(d["threats"]),
        "open threats": sum(t["status"] == "open" for t in d["threats"]),
        "recorded threats": len(m.get("recorded_threats", [])),
    }

pytm_dir = os.path.join(work, "pytm")
td_demo = os.path.join(src, "threat-dragon/td.vue/src/service/demo")
pairs = [
    ("generic CMS", os.path.join(pytm_dir, "generic-cms.json"), os.path.join(td_demo, "generic-cms.json")),
    ("online game", os.path.join(pytm_dir, "onlinegame.json"), os.path.join(td_demo, "online-game.json")),
    ("payment", os.path.join(pytm_dir, "payment-online.json"), os.path.join(td_demo, "payment-online.json")),
    ("renting car", os.path.join(pytm_dir, "rentingcar.json"), os.path.join(td_demo, "renting-car.json")),
    ("cryptocurrency wallet", os.path.join(td_demo, "cryptocurrency-wallet.json"),
     os.path.join(src, "www-project-threat-model-library/threat-models/web/cryptocurrency-wallet-threat-model.json")),
]
print("\n## Same system, many formats\n")
for title, a, b in pairs:
    da, db = results.get(a), results.get(b)
    fa = "TM-BOM" if "threat-model-library" in b else "Threat Dragon"
    la = "Threat Dragon" if "threat-dragon" in a else "pytm"
    if not da or not db:
        print(f"### {title}\n\nskipped: {'pytm JSON' if not da else fa} missing or refused\n")
        continue
    print(f"### {title}: {la} vs {fa}\n")
    print(f"| | {la} | {fa} |\n|---|---:|---:|")
    xa, xb = facts(da), facts(db)
    for k in xa:
        print(f"| {k} | {xa[k]} | {xb[k]} |")
    ra = collections.Counter(t["rule_id"] for t in da["threats"])
    rb = collections.Counter(t["rule_id"] for t in db["threats"])
    only_a = sorted(set(ra) - set(rb))
    only_b = sorted(set(rb) - set(ra))
    sa = collections.Counter(t["stride"] for t in da["threats"])
    sb = collections.Counter(t["stride"] for t in db["threats"])
    print(f"| by STRIDE | {dict(sorted(sa.items()))} | {dict(sorted(sb.items()))} |")
    print(f"\nrules only from {la}: {', '.join(only_a) or 'none'}  ")
    print(f"rules only from {fa}: {', '.join(only_b) or 'none'}\n")
EOF
