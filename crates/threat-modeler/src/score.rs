//! `threat-modeler score`: one risk, scored by the method asked for.

use clap::{ArgGroup, Args};
use dread::{CvssScore, DreadFactor, DreadScore, DreadVariant, Level, OwaspRisk};
use serde_json::{Value, json};

use crate::TextOrJson;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("method").required(true).args(["dread", "owasp", "cvss"])))]
pub struct ScoreArgs {
    /// A DREAD vector, `D:8/R:6/E:7/A:9/D:5` (Damage, Reproducibility,
    /// Exploitability, Affected users, Discoverability; 0-10 each).
    #[arg(long, value_name = "VECTOR")]
    dread: Option<String>,
    /// The DREAD formula [default: standard]. Only with --dread.
    #[arg(long, value_enum, conflicts_with_all = ["owasp", "cvss"])]
    variant: Option<VariantArg>,
    /// An OWASP Risk Rating vector, `SL:5/M:2/O:7/S:1/ED:3/EE:6/A:9/ID:2/LC:9/LI:7/LAV:5/LAC:8/FD:1/RD:2/NC:1/PV:5`.
    #[arg(long, value_name = "VECTOR")]
    owasp: Option<String>,
    /// A CVSS v3.0, v3.1 or v4.0 vector, `CVSS:3.1/AV:N/...`.
    #[arg(long, value_name = "VECTOR")]
    cvss: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    format: TextOrJson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum VariantArg {
    /// The mean of the five factors.
    Standard,
    /// Discoverability dropped: the mean of the other four.
    DreadD,
    /// Discoverability forced to 10.
    AssumeDiscoverable,
}

impl From<VariantArg> for DreadVariant {
    fn from(v: VariantArg) -> Self {
        match v {
            VariantArg::Standard => DreadVariant::Standard,
            VariantArg::DreadD => DreadVariant::DreadD,
            VariantArg::AssumeDiscoverable => DreadVariant::AssumeDiscoverable,
        }
    }
}

/// Rounds away floating-point noise: every score here is a mean of up to
/// eight whole numbers (fifths, quarters or eighths), so three decimals keep
/// it exact (OWASP's 4.375).
fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

pub fn run(args: &ScoreArgs) -> Result<u8, String> {
    let (json, text) = if let Some(v) = &args.dread {
        dread_report(v, args.variant.map_or(DreadVariant::Standard, Into::into))?
    } else if let Some(v) = &args.owasp {
        owasp_report(v)?
    } else if let Some(v) = &args.cvss {
        cvss_report(v)?
    } else {
        return Err("give one of --dread, --owasp or --cvss".into());
    };
    let out = match args.format {
        TextOrJson::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?
        ),
        TextOrJson::Text => text,
    };
    crate::output::write_out(None, &out)?;
    Ok(0)
}

fn dread_report(vector: &str, variant: DreadVariant) -> Result<(Value, String), String> {
    let d: DreadScore = vector.parse().map_err(|e: dread::Error| e.to_string())?;
    let score = round(d.score(variant));
    let severity = d.severity(variant);
    let variant_name = variant.as_str();
    let factors: serde_json::Map<String, Value> = DreadFactor::ALL
        .into_iter()
        .map(|f| (f.key().to_string(), json!(d.get(f).value)))
        .collect();
    let json = json!({
        "method": "dread",
        "variant": variant_name,
        "vector": d.to_string(),
        "factors": factors,
        "score": score,
        "severity": severity,
    });
    let mut text = format!("DREAD {} ({variant_name})\n", d);
    for f in DreadFactor::ALL {
        let note = if variant == DreadVariant::DreadD && f == DreadFactor::Discoverability {
            "  (dropped)"
        } else if variant == DreadVariant::AssumeDiscoverable && f == DreadFactor::Discoverability {
            "  (counted as 10)"
        } else {
            ""
        };
        text.push_str(&format!("  {:<16} {:>2}{note}\n", f.name(), d.get(f).value));
    }
    text.push_str(&format!("score {score:.1} -> {severity}\n"));
    Ok((json, text))
}

fn owasp_report(vector: &str) -> Result<(Value, String), String> {
    let r: OwaspRisk = vector.parse().map_err(|e: dread::Error| e.to_string())?;
    let (l, t, b) = (r.likelihood(), r.technical_impact(), r.business_impact());
    let sev = r.severity();
    let json = json!({
        "method": "owasp",
        "vector": r.to_string(),
        "likelihood": { "score": round(l), "level": Level::of(l) },
        "impact": {
            "technical": { "score": round(t), "level": Level::of(t) },
            "business": { "score": round(b), "level": Level::of(b) },
        },
        "severity": { "technical": sev.technical, "business": sev.business },
    });
    let text = format!(
        "OWASP Risk Rating {r}\n  likelihood        {} ({})\n  technical impact  {} ({})\n  business impact   {} ({})\nseverity: technical {}, business {}\n",
        round(l),
        Level::of(l),
        round(t),
        Level::of(t),
        round(b),
        Level::of(b),
        sev.technical,
        sev.business
    );
    Ok((json, text))
}

fn cvss_report(vector: &str) -> Result<(Value, String), String> {
    let c: CvssScore = vector.parse().map_err(|e: dread::Error| e.to_string())?;
    let json = json!({
        "method": c.version.method(),
        "vector": c.vector,
        "score": c.score,
        "severity": c.severity,
    });
    let text = format!(
        "{} {}\nscore {:.1} -> {}\n",
        c.version.method(),
        c.vector,
        c.score,
        c.severity
    );
    Ok((json, text))
}
