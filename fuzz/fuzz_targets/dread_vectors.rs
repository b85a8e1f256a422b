//! The three vector parsers of the `dread` crate must never panic, and what
//! they accept must print back to something they accept again.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(d) = text.parse::<dread::DreadScore>() {
        let again: dread::DreadScore = d.to_string().parse().expect("DREAD round trip");
        assert_eq!(again, d);
        let _ = d.severity(dread::DreadVariant::DreadD);
    }
    if let Ok(o) = text.parse::<dread::OwaspRisk>() {
        let again: dread::OwaspRisk = o.to_string().parse().expect("OWASP round trip");
        assert_eq!(again, o);
        let _ = o.severity();
    }
    if let Ok(c) = text.parse::<dread::CvssScore>() {
        assert!((0.0..=10.0).contains(&c.score));
    }
});
