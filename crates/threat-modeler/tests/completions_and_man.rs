//! `threat-modeler completions SHELL` and `threat-modeler man [SUBCOMMAND]`.
#![allow(clippy::unwrap_used)]

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_threat-modeler");

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn completions_cover_every_shell_and_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, out, err) = run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains("analyze") && out.contains("dfd"), "{shell}");
    }
    let (code, _, _) = run(&["completions", "tcsh"]);
    assert_eq!(code, 2);
}

#[test]
fn man_pages_for_the_command_and_a_subcommand() {
    let (code, out, _) = run(&["man"]);
    assert_eq!(code, 0);
    assert!(out.contains(".TH threat-modeler 1"), "{out}");
    let (code, out, _) = run(&["man", "analyze"]);
    assert_eq!(code, 0);
    assert!(out.contains(".TH threat-modeler-analyze 1"), "{out}");
    let (code, _, err) = run(&["man", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("no subcommand"), "{err}");
}
