//! The Threagile importer must never panic on any text.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let read = |_: &str| Err("no includes while fuzzing".to_string());
    if let Ok(imported) = stride_core::interop::threagile::import("fuzz.yaml", text, &read) {
        let _ = stride_core::Model::check("fuzz.yaml", imported.model.clone());
        let _ = stride_core::analyze(&imported.model, stride_core::Catalog::builtin());
    }
});
