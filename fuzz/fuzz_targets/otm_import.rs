//! The OTM importer must never panic on any JSON document.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = serde_json::from_slice::<serde_json::Value>(data)
        && let Ok(imported) = stride_core::interop::otm::import("fuzz.json", &doc)
    {
        let _ = stride_core::interop::otm::export(&imported.model);
    }
});
