#!/usr/bin/env python3
"""Normalise the raw reports of benches/real_code.sh into one TSV and a table.

Reads OUT/<tool>/<repo>.json for tool in ours, gitleaks, betterleaks, kingfisher,
writes OUT/findings.tsv with the columns
    tool  repo  path  line  rule  secret  line_text
(path relative to the repo; secret redacted to its first 4 chars + '…' + length;
line_text is the line of the file, stripped, cut to 120 chars) and prints a
markdown table of finding counts per repo and tool, plus how many of our findings
share (path, line) with at least one peer.  The repositories live outside this
project (see benches/real_code.sh) and are never committed.
"""
import argparse
import json
import os
import sys

TOOLS = ["ours", "gitleaks", "betterleaks", "kingfisher"]


def redact(secret):
    secret = secret or ""
    return f"{secret[:4]}…{len(secret)}"


def rows_ours(doc):
    for f in doc.get("findings", []):
        yield f.get("path", ""), f.get("line", 0), f.get("rule_id", ""), f.get("secret", "")


def rows_gitleaks(doc):
    for f in doc or []:
        yield f.get("File", ""), f.get("StartLine", 0), f.get("RuleID", ""), f.get("Secret", "")


def rows_betterleaks(doc):
    if isinstance(doc, list):  # gitleaks-compatible output of older versions
        yield from rows_gitleaks(doc)
        return
    for f in doc.get("findings", []):
        loc = f.get("location", {})
        m = f.get("match", {})
        yield loc.get("path", ""), loc.get("start_line", 0), f.get("rule_id", ""), m.get("value") or m.get("full", "")


def rows_kingfisher(doc):
    for f in doc.get("findings", []):
        r, x = f.get("rule", {}), f.get("finding", {})
        yield x.get("path", ""), x.get("line", 0), r.get("id") or r.get("name", ""), x.get("snippet", "")


PARSERS = {"ours": rows_ours, "gitleaks": rows_gitleaks, "betterleaks": rows_betterleaks, "kingfisher": rows_kingfisher}


def rel_path(path, repo_dir):
    if os.path.isabs(path):
        real = os.path.realpath(path)
        base = os.path.realpath(repo_dir)
        if real == base or real.startswith(base + os.sep):
            return os.path.relpath(real, base)
        return os.path.relpath(path, repo_dir)
    if os.path.exists(os.path.join(repo_dir, path)):
        return os.path.normpath(path)
    # relative to the current directory (e.g. a scan of a relative path)
    if os.path.exists(path):
        return os.path.relpath(os.path.realpath(path), os.path.realpath(repo_dir))
    return os.path.normpath(path)


_lines_cache = {}


def line_text(repo_dir, path, line):
    full = os.path.join(repo_dir, path)
    if full not in _lines_cache:
        try:
            with open(full, "rb") as fh:
                _lines_cache[full] = fh.read().decode("utf-8", "replace").splitlines()
        except OSError:
            _lines_cache[full] = []
    lines = _lines_cache[full]
    if 1 <= line <= len(lines):
        return lines[line - 1].strip()[:120]
    return ""


def clean(s):
    return str(s).replace("\t", " ").replace("\r", " ").replace("\n", "\\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repos", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--tools", default=" ".join(TOOLS))
    args = ap.parse_args()
    tools = [t for t in TOOLS if t in args.tools.split()]
    repos = sorted(d for d in os.listdir(args.repos) if os.path.isdir(os.path.join(args.repos, d)))

    counts = {}  # (repo, tool) -> int or None (missing report)
    locs = {}  # (repo, tool) -> set of (path, line)
    missing = []
    with open(os.path.join(args.out, "findings.tsv"), "w", encoding="utf-8") as tsv:
        tsv.write("tool\trepo\tpath\tline\trule\tsecret\tline_text\n")
        for tool in tools:
            for repo in repos:
                rep = os.path.join(args.out, tool, repo + ".json")
                repo_dir = os.path.join(args.repos, repo)
                try:
                    with open(rep, encoding="utf-8") as fh:
                        text = fh.read()
                    doc = json.loads(text) if text.strip() else []
                except (OSError, ValueError) as e:
                    missing.append(f"{tool}/{repo}: {e}")
                    counts[(repo, tool)] = None
                    continue
                n = 0
                seen = []
                for path, line, rule, secret in PARSERS[tool](doc):
                    p = rel_path(path, repo_dir)
                    line = int(line or 0)
                    n += 1
                    seen.append((p, line))
                    tsv.write("\t".join(clean(x) for x in (tool, repo, p, line, rule, redact(secret), line_text(repo_dir, p, line))) + "\n")
                counts[(repo, tool)] = n
                locs[(repo, tool)] = seen

    def cell(v):
        return "—" if v is None else str(v)

    head = ["repo"] + tools + (["ours ∩ a peer (path,line)"] if "ours" in tools and len(tools) > 1 else [])
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    totals = [0] * (len(head) - 1)
    for repo in repos:
        row = [counts.get((repo, t)) for t in tools]
        if len(head) > len(tools) + 1:
            ours = locs.get((repo, "ours"))
            if ours is None:
                row.append(None)
            else:
                peers = set()
                for t in tools:
                    if t != "ours":
                        peers |= set(locs.get((repo, t), []))
                row.append(sum(1 for loc in ours if loc in peers))
        for i, v in enumerate(row):
            totals[i] += v or 0
        print("| " + " | ".join([repo] + [cell(v) for v in row]) + " |")
    print("| **total** | " + " | ".join(str(t) for t in totals) + " |")
    if missing:
        print("\nmissing or unreadable reports:\n" + "\n".join("- " + m for m in missing))
    if len(head) > len(tools) + 1:
        print("\n(last column: our findings whose (path, line) some peer also reports)")
    for repo in repos:
        leaky_score(args.repos, repo, tools, locs)


def leaky_score(repos_dir, repo, tools, locs):
    """Score a Plazmaz/leaky-repo tree (it has .leaky-meta/secrets.csv): per file,
    distinct lines reported capped at num_risk; files not listed are FP files."""
    meta = os.path.join(repos_dir, repo, ".leaky-meta", "secrets.csv")
    if not os.path.exists(meta):
        return
    risk = {}
    with open(meta, encoding="utf-8") as fh:
        for raw in fh:
            raw = raw.strip()
            if not raw or raw.startswith("#"):
                continue
            parts = raw.split(",")
            if len(parts) >= 2 and parts[1].strip().isdigit():
                risk[parts[0].strip()] = int(parts[1])
    total = sum(risk.values())
    print(f"\nleaky-repo score for {repo} (risk lines found, capped per file, out of {total}):\n")
    print("| tool | findings | risk lines found | files found | false-positive files |")
    print("|---|---|---|---|---|")
    for tool in tools:
        if (repo, tool) not in locs:
            continue
        per_file = {}
        for path, line in locs[(repo, tool)]:
            per_file.setdefault(path, set()).add(line)
        found = sum(min(len(lines), risk[p]) for p, lines in per_file.items() if p in risk)
        files = sum(1 for p in per_file if p in risk)
        fp = sorted(p for p in per_file if p not in risk)
        print(f"| {tool} | {len(locs[(repo, tool)])} | {found} | {files}/{len(risk)} | {len(fp)} {' '.join(fp)} |")


if __name__ == "__main__":
    sys.exit(main())
