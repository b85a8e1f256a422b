//! The Threat Dragon importer must never panic, and what it imports must
//! export again.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(imported) = stride_core::interop::threat_dragon::import(
        "fuzz.json",
        text,
        &stride_core::interop::NoIncludes,
    ) {
        let _ = stride_core::Model::check("fuzz.json", imported.model.clone());
        let analysis = stride_core::analyze(&imported.model, stride_core::Catalog::builtin());
        let _ = stride_core::interop::threat_dragon::export(&imported.model, &analysis);
    }
});
