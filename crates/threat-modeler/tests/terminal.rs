//! Colour on a terminal only, and never with `NO_COLOR`: driven through a
//! pseudo-terminal made by `script` (util-linux).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_threat-modeler");
const SHOP: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/models/webshop.yaml"
);

#[test]
fn text_is_coloured_on_a_terminal_and_plain_with_no_color_or_a_pipe() {
    if Command::new("script").arg("--version").output().is_err() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("`script` (util-linux) is needed for the terminal test under CI=true");
        }
        eprintln!("skipping: `script` is not installed");
        return;
    }
    let on_tty = |no_color: bool| {
        let cmd = format!("{BIN} analyze {SHOP}");
        let mut c = Command::new("script");
        c.args(["-qec", &cmd, "/dev/null"]).env_remove("NO_COLOR");
        if no_color {
            c.env("NO_COLOR", "1");
        }
        String::from_utf8_lossy(&c.output().unwrap().stdout).into_owned()
    };
    let coloured = on_tty(false);
    assert!(coloured.contains("\x1b["), "{coloured:?}");
    let plain = on_tty(true);
    assert!(!plain.contains("\x1b["), "{plain:?}");
    assert!(plain.contains("TM-"), "{plain:?}");
    // A pipe gets no colour either.
    let piped = Command::new(BIN)
        .args(["analyze", SHOP])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&piped.stdout).contains("\x1b["));
}
