//! The reports a security architect reads: HTML (structure, and rendered in
//! headless Chromium when it is installed), SARIF for code scanning, text,
//! CSV, diff, and quiet closed pipes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_threat-modeler");
const WEBSHOP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/models/webshop.yaml"
);

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json_summary() -> Value {
    let (_, out, _) = run(&["analyze", WEBSHOP, "--format", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    v["summary"].clone()
}

fn count_of(summary: &Value, key: &str, sub: &str) -> u64 {
    summary[key][sub].as_u64().unwrap_or(0)
}

/// The text of `<b data-count="KEY">N</b>`.
fn card(html: &str, key: &str) -> u64 {
    let tag = format!("data-count=\"{key}\">");
    let i = html.find(&tag).unwrap() + tag.len();
    html[i..].split('<').next().unwrap().parse().unwrap()
}

fn check_rendered(html: &str) {
    let summary = json_summary();
    for s in ["critical", "high", "medium", "low"] {
        assert_eq!(
            card(html, &format!("open-{s}")),
            count_of(&summary, "open_by_severity", s),
            "{s}"
        );
    }
    assert_eq!(
        card(html, "mitigated"),
        count_of(&summary, "by_status", "mitigated")
    );
    assert_eq!(
        card(html, "accepted"),
        count_of(&summary, "by_status", "accepted")
    );
    // One shape per element, inside the inline SVG.
    let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
    assert_eq!(svg.matches("class=\"shape\"").count(), 13);
    assert_eq!(svg.matches("<g class=\"node ").count(), 13);
    assert_eq!(svg.matches("<g class=\"flow\"").count(), 12);
    assert_eq!(svg.matches("<g class=\"boundary ").count(), 7);
    assert!(svg.contains("class=\"legend\""));
}

#[test]
fn html_report_reads_summary_first_and_draws_the_diagram_itself() {
    let (code, html, err) = run(&["analyze", WEBSHOP, "--format", "html"]);
    assert_eq!(code, 0, "{err}");
    // Reading order.
    let at = |id: &str| html.find(&format!("<section id=\"{id}\"")).unwrap();
    assert!(at("summary") < at("top-risks"));
    assert!(at("top-risks") < at("dfd"));
    assert!(at("dfd") < at("threats"));
    assert!(at("threats") < at("coverage"));
    assert!(!html.contains("digraph"), "no raw DOT any more");
    // Self-contained: nothing fetched.
    assert!(!html.contains("src=\"http") && !html.contains("<link"));
    // Mitigated and accepted threats collapsed; filters hidden until script runs.
    assert!(html.contains("<details class=\"group\" data-status=\"mitigated\">"));
    assert!(html.contains("<form id=\"filters\" class=\"filters\" hidden>"));
    assert!(html.contains("@media print"));
    check_rendered(&html);
    // Every threat row carries its filter keys.
    let rows = html.matches("<tr class=\"threat\" data-severity=").count();
    assert_eq!(rows as u64, json_summary()["threats"].as_u64().unwrap());
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
}

#[test]
fn html_report_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "chromium is required under CI=true (.ci/run installs it)"
        );
        eprintln!("skipped: chromium is not installed (apt-get install -y chromium)");
        return;
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report");
    std::fs::create_dir_all(&dir).unwrap();
    let report = dir.join("webshop-report.html");
    let (code, _, err) = run(&[
        "analyze",
        WEBSHOP,
        "--format",
        "html",
        "-o",
        report.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let url = format!("file://{}", report.display());
    let common = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
    ];
    let dom = Command::new(browser)
        .args(common)
        .args(["--dump-dom", &url])
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("<svg"), "no SVG in the rendered page");
    check_rendered(&dom);
    // The script ran: the filters are shown.
    assert!(dom.contains("<form id=\"filters\" class=\"filters\">"));
    // The screenshot stays under target/ as a test artefact.
    let shot = dir.join("webshop-report.png");
    let _ = std::fs::remove_file(&shot);
    let status = Command::new(browser)
        .args(common)
        .args([
            "--window-size=1280,2000",
            &format!("--screenshot={}", shot.display()),
            &url,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000);
    eprintln!("screenshot: {}", shot.display());
}

#[test]
fn sarif_rules_read_well_in_code_scanning() {
    let (code, out, err) = run(&["analyze", WEBSHOP, "--format", "sarif"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let run0 = &v["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(!rules.is_empty());
    for r in rules {
        for field in [
            &r["name"],
            &r["shortDescription"]["text"],
            &r["fullDescription"]["text"],
        ] {
            let s = field.as_str().unwrap();
            assert!(!s.contains('{') && !s.contains(" a flow"), "{s}");
        }
        let md = r["help"]["markdown"].as_str().unwrap();
        assert!(md.contains("#### Mitigations"), "{md}");
        assert!(r["help"]["text"].as_str().unwrap().contains("Mitigations:"));
        let sev: f64 = r["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((0.0..=10.0).contains(&sev));
        assert!(r["helpUri"].as_str().unwrap().starts_with("https://"));
    }
    assert!(rules.iter().any(|r| {
        r["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("cwe.mitre.org")
    }));
    // Results sit on their element's line.
    let model = std::fs::read_to_string(WEBSHOP).unwrap();
    let line_of = |id: &str| {
        model
            .lines()
            .position(|l| l.contains(&format!("id: {id},")) || l.trim() == format!("- id: {id}"))
            .unwrap()
            + 1
    };
    for r in run0["results"].as_array().unwrap() {
        let id = r["partialFingerprints"]["threatId/v1"].as_str().unwrap();
        let subject = id.split('@').nth(1).unwrap();
        let line = r["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap();
        assert_eq!(line as usize, line_of(subject), "{id}");
    }
}

fn scores(text: &str) -> Vec<f64> {
    text.lines()
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            let sev = w.next()?;
            if !["critical", "high", "medium", "low", "none"].contains(&sev) {
                return None;
            }
            w.next()?.parse().ok()
        })
        .collect()
}

#[test]
fn text_lists_open_threats_by_risk_with_a_count_line() {
    let (code, out, _) = run(&["analyze", WEBSHOP]);
    assert_eq!(code, 0);
    assert!(!out.contains('\x1b'), "no colour on a pipe");
    let summary = json_summary();
    let line = out.lines().nth(1).unwrap();
    assert_eq!(
        line,
        format!(
            "open: {} critical, {} high, {} medium, {} low · {} accepted · {} mitigated",
            count_of(&summary, "open_by_severity", "critical"),
            count_of(&summary, "open_by_severity", "high"),
            count_of(&summary, "open_by_severity", "medium"),
            count_of(&summary, "open_by_severity", "low"),
            count_of(&summary, "by_status", "accepted"),
            count_of(&summary, "by_status", "mitigated"),
        )
    );
    let s = scores(&out);
    assert_eq!(s.len() as u64, count_of(&summary, "by_status", "open"));
    assert!(s.windows(2).all(|w| w[0] >= w[1]), "risk order");
    assert!(out.contains("mitigated threats not listed (--status all lists them)"));
    let (_, all, _) = run(&["analyze", WEBSHOP, "--status", "all"]);
    assert_eq!(
        scores(&all).len() as u64,
        summary["threats"].as_u64().unwrap()
    );
    let (_, high, _) = run(&["analyze", WEBSHOP, "--min-severity", "high"]);
    let listed = high
        .lines()
        .filter(|l| ["medium", "low"].iter().any(|s| l.starts_with(s)))
        .count();
    assert_eq!(listed, 0, "{high}");
    assert!(!scores(&high).is_empty());
    assert!(high.contains("below --min-severity hidden"));
}

/// Splits RFC 4180 CSV into records of fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = vec![];
    let mut row = vec![];
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[test]
fn csv_has_one_quoted_row_per_threat() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.yaml");
    std::fs::write(
        &model,
        "name: q\nelements:\n  - { id: web, name: 'Shop, \"main\"', kind: process, type: web_app }\n",
    )
    .unwrap();
    let (code, out, err) = run(&["analyze", model.to_str().unwrap(), "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.ends_with("\r\n"));
    let rows = parse_csv(&out);
    assert_eq!(
        rows[0],
        [
            "id",
            "element",
            "stride",
            "title",
            "severity",
            "score",
            "status",
            "cwe",
            "mitigations"
        ]
    );
    assert!(rows.iter().all(|r| r.len() == 9));
    assert!(rows[1..].iter().any(|r| r[3].contains("Shop, \"main\"")));
    let (_, json, _) = run(&["analyze", model.to_str().unwrap(), "--format", "json"]);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rows.len() - 1, v["threats"].as_array().unwrap().len());
}

#[test]
fn diff_shows_titles_and_the_severity_change() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.yaml");
    let new = dir.path().join("new.yaml");
    let text = std::fs::read_to_string(WEBSHOP).unwrap();
    std::fs::write(&old, &text).unwrap();
    // The gateway loses rate limiting: its flooding threat worsens or opens.
    std::fs::write(&new, text.replace("rate_limiting: true, ", "")).unwrap();
    let (o, n) = (old.to_str().unwrap(), new.to_str().unwrap());
    let (_, out, _) = run(&["diff", o, n]);
    assert!(out.contains(" changed\n"), "{out}");
    let changed = out.split(" changed\n").nth(1).unwrap();
    assert!(
        changed.contains("  ~ ") && changed.contains(" -> "),
        "{out}"
    );
    assert!(changed.contains("gateway"), "{out}");
    let (_, md, _) = run(&["diff", o, n, "--format", "markdown"]);
    let padded = md.split('`').skip(1).step_by(2).any(|id| id.ends_with(' '));
    assert!(!padded, "ids not padded: {md}");
    assert!(md.contains(" → "), "{md}");
}

/// Spawns the binary with a reader that closes its end at once.
fn closed_pipe(bin: &str, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(bin)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn closed_pipes_end_quietly() {
    for args in [
        &["component", "web_app"][..],
        &["rules"],
        &["rules", "--format", "json"],
        &["analyze", WEBSHOP, "--format", "json"],
        &["analyze", WEBSHOP, "--status", "all"],
        &["dfd", WEBSHOP],
        &["score", "--dread", "D:8/R:6/E:7/A:9/D:5"],
    ] {
        let (code, err) = closed_pipe(BIN, args);
        assert!(
            matches!(code, Some(0) | Some(141) | None),
            "{args:?}: {code:?} {err}"
        );
        assert!(
            !err.contains("error") && !err.contains("panicked"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn interactive_checks_each_answer_and_never_overwrites_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let run_i = |args: &[&str], answers: &str| {
        let mut child = Command::new(BIN)
            .args(args)
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        // A refusal exits before reading: the write may meet a closed pipe.
        let _ = child.stdin.take().unwrap().write_all(answers.as_bytes());
        let out = child.wait_with_output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // A type typo, an attribute typo, a duplicate id and an unknown boundary
    // are each refused with a hint, and asked again.
    let answers = "Shop\nvpc cloud\nvpc dmz\n\napi process web_ap vpc\napi process web_app vpc mfaa\napi process web_app nowhere\napi process web_app vpc mfa\napi process api vpc\n\n\n";
    let (code, err) = run_i(&["interactive", "-o", "m.yaml"], answers);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("did you mean \"web_app\""), "{err}");
    assert!(err.contains("did you mean \"mfa\""), "{err}");
    assert!(err.contains("the id \"vpc\" is taken"), "{err}");
    assert!(err.contains("the id \"api\" is taken"), "{err}");
    assert!(err.contains("no boundary \"nowhere\""), "{err}");
    let yaml = std::fs::read_to_string(dir.path().join("m.yaml")).unwrap();
    assert_eq!(yaml.matches("id: api").count(), 1, "{yaml}");
    // The file exists now: refused without --force, before any question.
    let (code, err) = run_i(&["interactive", "-o", "m.yaml"], "Other\n\n\n\n");
    assert_eq!(code, Some(2));
    assert!(err.contains("exists (use --force"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("m.yaml")).unwrap(),
        yaml
    );
    let (code, _) = run_i(&["interactive", "-o", "m.yaml", "--force"], "Other\n\n\n\n");
    assert_eq!(code, Some(0));
    assert!(
        std::fs::read_to_string(dir.path().join("m.yaml"))
            .unwrap()
            .contains("Other")
    );
}

#[test]
fn dfd_has_a_legend_boundary_kinds_and_risk_colours() {
    let (code, dot, err) = run(&["dfd", WEBSHOP, "--color-by", "risk"]);
    assert_eq!(code, 0, "{err}");
    assert!(dot.contains("legend [shape=plaintext"));
    assert!(dot.contains("label=\"Internet (internet)\""));
    assert!(dot.contains("fillcolor=\"#fecaca\""), "a critical element");
    assert!(dot.contains("rankdir=TB"), "long chain: top to bottom");
    let (_, plain, _) = run(&["dfd", WEBSHOP]);
    assert!(!plain.contains("fillcolor") && plain.contains("legend"));
    let (_, mm, _) = run(&["dfd", WEBSHOP, "--format", "mermaid", "--color-by", "risk"]);
    assert!(mm.contains("classDef critical") && mm.contains("class n_gateway critical"));
}
