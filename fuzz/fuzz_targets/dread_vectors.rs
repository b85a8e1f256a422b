//! The three vector parsers of the `dread` crate (DREAD compact form, OWASP
//! calculator vector, CVSS v3/v4) must never panic; what they accept must
//! print back to something they accept again, and score within range; what
//! they refuse must be one wrapped error naming the method.
#![no_main]

use dread::{CvssScore, DreadScore, DreadVariant, Error, OwaspRisk};

fn refused(e: &Error) {
    assert!(matches!(e, Error::Vector { .. }), "{e:?}");
    assert!(!matches!(e.reason(), Error::Vector { .. }), "{e:?}");
    let _ = e.to_string();
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match text.parse::<DreadScore>() {
        Ok(d) => {
            let again: DreadScore = d.to_string().parse().expect("DREAD round trip");
            assert_eq!(again, d);
            for v in DreadVariant::ALL {
                assert!((0.0..=10.0).contains(&d.score(v)));
            }
            let json = serde_json::to_string(&d).expect("DREAD to JSON");
            let back: DreadScore = serde_json::from_str(&json).expect("DREAD from JSON");
            assert_eq!(back, d);
        }
        Err(e) => refused(&e),
    }
    match text.parse::<OwaspRisk>() {
        Ok(o) => {
            let again: OwaspRisk = o.to_string().parse().expect("OWASP round trip");
            assert_eq!(again, o);
            for mean in [o.likelihood(), o.technical_impact(), o.business_impact()] {
                assert!((0.0..=9.0).contains(&mean));
            }
            let _ = o.severity();
        }
        Err(e) => refused(&e),
    }
    match text.parse::<CvssScore>() {
        Ok(c) => {
            assert!((0.0..=10.0).contains(&c.score));
            assert_eq!(c.severity, dread::cvss_severity(c.score));
            let again: CvssScore = c.vector.parse().expect("CVSS reparse");
            assert_eq!(again, c);
        }
        Err(e) => refused(&e),
    }
});
