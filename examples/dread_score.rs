//! Scores one risk four ways with the `dread` crate.
//!
//! `cargo run -p toolkit-examples --example dread_score`

use dread::{CvssScore, DreadFactor, DreadScore, DreadVariant, OwaspRisk, RiskMatrix};

fn main() -> Result<(), dread::Error> {
    // DREAD, with a reason for the factor that drives the score.
    let mut risk: DreadScore = "D:8/R:6/E:7/A:9/D:5".parse()?;
    risk.set(
        DreadFactor::Exploitability,
        9,
        Some("the login form is internet-facing and has no rate limit".into()),
    )?;
    for variant in [
        DreadVariant::Standard,
        DreadVariant::DreadD,
        DreadVariant::AssumeDiscoverable,
    ] {
        println!(
            "DREAD {risk} {variant}: {:.2} ({})",
            risk.score(variant),
            risk.severity(variant)
        );
    }

    // OWASP Risk Rating: OWASP's own worked example.
    let owasp: OwaspRisk =
        "SL:5/M:2/O:7/S:1/ED:3/EE:6/A:9/ID:2/LC:9/LI:7/LAV:5/LAC:8/FD:1/RD:2/NC:1/PV:5".parse()?;
    let severity = owasp.severity();
    println!(
        "OWASP likelihood {} technical {} business {}: {} / {}",
        owasp.likelihood(),
        owasp.technical_impact(),
        owasp.business_impact(),
        severity.technical,
        severity.business
    );

    // CVSS, scored by RustSec's cvss crate.
    for vector in [
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    ] {
        let c: CvssScore = vector.parse()?;
        println!("{}: {:.1} ({})", c.version.method(), c.score, c.severity);
    }

    // The 5x5 matrix of older tooling.
    let m = RiskMatrix::new(4, 5)?;
    println!(
        "likelihood 4 x impact 5 = {}: {}",
        m.product(),
        m.severity()
    );

    // A bad vector is an error naming the field at fault.
    if let Err(e) = "CVSS:3.1/AV:N/AC:L".parse::<CvssScore>() {
        println!("refused: {e}");
    }
    Ok(())
}
