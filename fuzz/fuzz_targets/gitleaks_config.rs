//! The gitleaks-configuration importer must never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(catalog) = secret_patterns::Catalog::from_gitleaks_toml(text)
    {
        for rule in &catalog {
            let _ = rule.find_all(data, None);
        }
    }
});
