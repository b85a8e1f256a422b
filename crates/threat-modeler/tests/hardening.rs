//! Inputs an adversary controls: bounded reads, nesting limits, includes
//! kept inside the model's directory, imports validated before writing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_threat-modeler");

fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const OTM_HEAD: &str = r#"{"otmVersion": "0.2.0", "project": {"name": "P", "id": "p"},
 "trustZones": [{"id": "z", "name": "Z", "risk": {"trustRating": 50}}],"#;

#[test]
fn otm_import_of_an_invalid_model_writes_nothing_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let comp = |id: &str| {
        format!(
            r#"{{"id": "{id}", "name": "{id}", "type": "web-service", "parent": {{"trustZone": "z"}}}}"#
        )
    };
    let cases = [
        (
            "no-id",
            format!(
                r#"{OTM_HEAD} "components": [{{"name": "No id", "type": "web-service", "parent": {{"trustZone": "z"}}}}]}}"#
            ),
            "empty id",
        ),
        (
            "no-source",
            format!(
                r#"{OTM_HEAD} "components": [{}, {}], "dataflows": [{{"id": "f", "name": "F", "destination": "b"}}]}}"#,
                comp("a"),
                comp("b")
            ),
            "flows[0].from",
        ),
        (
            "dangling",
            format!(
                r#"{OTM_HEAD} "components": [{}], "dataflows": [{{"id": "f", "name": "F", "source": "a", "destination": "nowhere"}}]}}"#,
                comp("a")
            ),
            "flows[0].to",
        ),
    ];
    for (name, doc, says) in cases {
        let file = format!("{name}.otm.json");
        std::fs::write(dir.path().join(&file), doc).unwrap();
        let out = format!("{name}.yaml");
        let (code, _, err) = run_in(dir.path(), &["import", "--from", "otm", &file, "-o", &out]);
        assert_eq!(code, 2, "{name}: {err}");
        assert!(
            err.contains("invalid") && err.contains(says),
            "{name}: {err}"
        );
        assert_eq!(
            err.lines().count(),
            err.matches("not mapped").count() + 1,
            "{err}"
        );
        assert!(
            !dir.path().join(&out).exists(),
            "{name}: a model was written"
        );
    }
    // A valid one still imports.
    let ok = format!(
        r#"{OTM_HEAD} "components": [{}, {}], "dataflows": [{{"id": "f", "name": "F", "source": "a", "destination": "b"}}]}}"#,
        comp("a"),
        comp("b")
    );
    std::fs::write(dir.path().join("ok.otm.json"), ok).unwrap();
    let (code, out, err) = run_in(dir.path(), &["import", "--from", "otm", "ok.otm.json"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("from: a"), "{out}");
}

const THREAGILE: &str = "title: T\nincludes:\n  - INCLUDE\ntechnical_assets:\n  Api:\n    id: api\n    type: process\n    technology: web-service-rest\n";

#[test]
fn threagile_includes_outside_the_model_directory_are_refused_unless_allowed() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.yaml");
    std::fs::write(&secret, "data_assets:\n  Leaked:\n    id: leaked\n").unwrap();
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("model");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        root.path().join("up.yaml"),
        "data_assets:\n  Up:\n    id: up\n",
    )
    .unwrap();
    std::fs::create_dir(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/in.yaml"), "data_assets:\n  In:\n    id: in\n").unwrap();
    let absolute = secret.display().to_string();
    for include in [absolute.as_str(), "../up.yaml", "sub/../../up.yaml"] {
        std::fs::write(dir.join("t.yaml"), THREAGILE.replace("INCLUDE", include)).unwrap();
        for cmd in [
            &["import", "--from", "threagile", "t.yaml"][..],
            &["analyze", "t.yaml"],
        ] {
            let (code, out, err) = run_in(&dir, cmd);
            assert_eq!(code, 2, "{include}: {err}");
            assert!(err.contains("outside the model's directory"), "{err}");
            assert!(!out.contains("leaked") && !out.contains("Leaked"), "{out}");
        }
        let (code, out, err) = run_in(
            &dir,
            &[
                "import",
                "--from",
                "threagile",
                "t.yaml",
                "--allow-includes-outside",
            ],
        );
        assert_eq!(code, 0, "{include}: {err}");
        assert!(
            out.contains("id: leaked") || out.contains("id: up"),
            "{out}"
        );
    }
    // Inside the directory, `..` that stays inside is fine.
    std::fs::write(
        dir.join("t.yaml"),
        THREAGILE.replace("INCLUDE", "sub/../sub/in.yaml"),
    )
    .unwrap();
    let (code, out, err) = run_in(&dir, &["import", "--from", "threagile", "t.yaml"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("id: in"), "{out}");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, dir.join("link.yaml")).unwrap();
        std::fs::write(
            dir.join("t.yaml"),
            THREAGILE.replace("INCLUDE", "link.yaml"),
        )
        .unwrap();
        let (code, _, err) = run_in(&dir, &["import", "--from", "threagile", "t.yaml"]);
        assert_eq!(code, 2, "a link out of the directory was followed: {err}");
    }
}

#[cfg(unix)]
#[test]
fn unbounded_inputs_like_dev_zero_are_refused_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in [
        &["analyze", "/dev/zero"][..],
        &["import", "--from", "otm", "/dev/zero"],
        &["import", "--from", "threat-dragon", "/dev/zero"],
        &["dfd", "/dev/zero"],
    ] {
        let (code, _, err) = run_in(dir.path(), cmd);
        assert_eq!(code, 2, "{cmd:?}: {err}");
        assert!(err.contains("larger than 64 MiB"), "{cmd:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    std::fs::write(
        dir.path().join("t.yaml"),
        THREAGILE.replace("INCLUDE", "/dev/zero"),
    )
    .unwrap();
    let (code, _, err) = run_in(
        dir.path(),
        &[
            "import",
            "--from",
            "threagile",
            "t.yaml",
            "--allow-includes-outside",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("includes: /dev/zero") && err.contains("larger than 64 MiB"),
        "{err}"
    );
    std::fs::write(dir.path().join("m.yaml"), "name: t\n").unwrap();
    let (code, _, err) = run_in(
        dir.path(),
        &["analyze", "m.yaml", "--accepted", "/dev/zero"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("larger than 64 MiB"), "{err}");
}

#[test]
fn deeply_nested_yaml_is_refused_before_parsing_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = "[".repeat(100_000);
    std::fs::write(
        dir.path().join("ours.yaml"),
        format!("name: t\nelements: {bomb}\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("otm.yaml"),
        format!("otmVersion: 0.2.0\nproject: {bomb}\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("threagile.yaml"),
        format!("title: T\ntechnical_assets: {bomb}\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("inc.yaml"),
        format!("data_assets: {bomb}\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("with-inc.yaml"),
        THREAGILE.replace("INCLUDE", "inc.yaml"),
    )
    .unwrap();
    for cmd in [
        &["analyze", "ours.yaml"][..],
        &["analyze", "otm.yaml"],
        &["import", "--from", "otm", "otm.yaml"],
        &["analyze", "threagile.yaml"],
        &["import", "--from", "threagile", "threagile.yaml"],
        &["import", "--from", "threagile", "with-inc.yaml"],
    ] {
        let (code, _, err) = run_in(dir.path(), cmd);
        assert_eq!(code, 2, "{cmd:?}: {err}");
        assert!(
            err.contains("nesting deeper than 128 levels"),
            "{cmd:?}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}
