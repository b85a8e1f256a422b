//! Checks rule files in this crate's format: each must load, and every rule
//! must pass its own examples. Used while writing rules:
//!
//! ```sh
//! cargo run -p secret-patterns --example check_rules -- rules/aws.toml my.toml
//! ```

use std::process::ExitCode;

use secret_patterns::Catalog;

fn main() -> ExitCode {
    let mut ok = true;
    for path in std::env::args().skip(1) {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{path}: {e}");
                ok = false;
                continue;
            }
        };
        match Catalog::from_toml_named(&path, &text) {
            Err(e) => {
                eprintln!("{e}");
                ok = false;
            }
            Ok(catalog) => {
                let mut bad = 0;
                for rule in &catalog {
                    for failure in rule.check_examples() {
                        eprintln!("{path}: {}: {failure}", rule.id());
                        bad += 1;
                    }
                }
                println!("{path}: {} rules, {bad} failures", catalog.len());
                ok &= bad == 0;
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
