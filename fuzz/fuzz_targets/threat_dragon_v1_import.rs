//! Threat Dragon v1 cells (the input, as a JSON list) inside a v1 model:
//! the upgrade, the boundary-curve geometry and the import must never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(cells) = std::str::from_utf8(data) else {
        return;
    };
    let text = format!(
        r#"{{"summary":{{"title":"fuzz"}},"detail":{{"diagrams":[{{"diagramJson":{{"cells":{cells}}}}}]}}}}"#
    );
    if let Ok(imported) = stride_core::interop::threat_dragon::import(
        "fuzz.json",
        &text,
        &stride_core::interop::NoIncludes,
    ) {
        let _ = stride_core::Model::check("fuzz.json", imported.model.clone());
        let analysis = stride_core::analyze(&imported.model, stride_core::Catalog::builtin());
        let _ = stride_core::interop::threat_dragon::export(&imported.model, &analysis);
    }
});
