//! A reader that closes the pipe early (`secret-scanner rules | head -1`)
//! ends the program quietly: exit 0 (or 141), no error line, no panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_secret-scanner");

#[test]
fn closed_pipe_ends_rules_quietly() {
    for args in [&["rules"][..], &["rules", "--format", "json"]] {
        let mut child = Command::new(BIN)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before the catalogue is printed.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(0) | Some(141) | None),
            "{args:?}: {:?} {err}",
            out.status
        );
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}
