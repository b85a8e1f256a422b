//! The OTM importer must never panic on any text, JSON or YAML.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(imported) =
        stride_core::interop::otm::import("fuzz.json", text, &stride_core::interop::NoIncludes)
    {
        let _ = stride_core::Model::check("fuzz.json", imported.model.clone());
        let _ = stride_core::interop::otm::export(&imported.model);
    }
});
