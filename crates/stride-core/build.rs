//! Embeds every `rules/*.toml` file in the crate at build time, so adding a
//! rule family is a matter of dropping a file in `rules/`: no Rust code.

use std::{env, fs, path::Path};

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let rules_dir = Path::new(&manifest).join("rules");
    println!("cargo:rerun-if-changed={}", rules_dir.display());
    let mut files: Vec<String> = match fs::read_dir(&rules_dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".toml"))
            .collect(),
        Err(err) => panic!("cannot read {}: {err}", rules_dir.display()),
    };
    // Sorted, so the catalogue's order never depends on the file system.
    files.sort();
    let mut out = String::from("/// Every built-in rule file: (file name, contents).\n");
    out.push_str("pub(crate) const BUILTIN_RULE_FILES: &[(&str, &str)] = &[\n");
    for name in &files {
        println!("cargo:rerun-if-changed={}", rules_dir.join(name).display());
        out.push_str(&format!(
            "    ({name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/rules/{name}\"))),\n"
        ));
    }
    out.push_str("];\n");
    let out_dir = env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    if let Err(err) = fs::write(Path::new(&out_dir).join("builtin_rules.rs"), out) {
        panic!("cannot write builtin_rules.rs: {err}");
    }
}
