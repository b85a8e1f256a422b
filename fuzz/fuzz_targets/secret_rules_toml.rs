//! The custom-rules loader must never panic, whatever the text: it returns
//! a catalogue or an error naming the source, rule and field.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(catalog) = secret_patterns::Catalog::from_toml(text)
    {
        // Loaded rules must also run safely over arbitrary input.
        for rule in &catalog {
            let _ = rule.find_all(data, Some("fuzz.txt"));
            let _ = rule.check_examples();
        }
    }
});
