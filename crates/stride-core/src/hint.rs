//! Small pieces shared by the error types: the "did you mean" tail of an
//! unknown name, and the field a parser's message is about.

/// ` (did you mean "x"?)`, or nothing.
pub(crate) fn did_you_mean(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!(" (did you mean {s:?}?)"),
        None => String::new(),
    }
}

/// The closest of `known` to `name`, owned.
pub(crate) fn closest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    crate::attributes::suggest(name, known).map(str::to_string)
}

/// The field a serde message names after `lead` (`unknown field `, `missing
/// field `), as in ``missing field `reason` ``.
pub(crate) fn serde_field(message: &str, lead: &str) -> Option<String> {
    let after = message.split_once(lead)?.1.strip_prefix('`')?;
    after.split_once('`').map(|(name, _)| name.to_string())
}
