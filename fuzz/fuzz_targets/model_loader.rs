//! The model loader and the engine must never panic on any input: a model
//! either fails with a located error or analyses.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(loaded) = stride_core::Model::load("fuzz.yaml", text) {
        let _ = stride_core::analyze(&loaded.model, stride_core::Catalog::builtin());
    }
});
