//! The typed element attributes: what a component is and which controls it
//! declares. Every attribute is a boolean that defaults to `false`, the
//! cautious reading: an undeclared control is an absent control.

/// `(name, meaning)` for every attribute an element may carry.
pub const ATTRIBUTES: &[(&str, &str)] = &[
    // Exposure and role.
    ("internet_facing", "reachable from the internet"),
    ("authenticates_users", "checks users' credentials itself"),
    ("admin_interface", "offers an administrative interface"),
    ("handles_payments", "processes payment data"),
    ("stores_credentials", "stores passwords, keys or tokens"),
    ("multi_tenant", "serves several tenants from one deployment"),
    ("third_party", "operated by a third party"),
    ("accepts_uploads", "accepts files from users"),
    ("uses_jwt", "issues or accepts JSON Web Tokens"),
    ("uses_api_keys", "authenticates callers by API key"),
    (
        "runs_user_code",
        "executes code or queries supplied by users",
    ),
    (
        "privileged",
        "runs with elevated operating-system or cloud privileges",
    ),
    ("exposes_debug", "exposes debug or diagnostic endpoints"),
    ("uses_session_cookies", "keeps user sessions in cookies"),
    (
        "calls_external_services",
        "makes outbound calls to other services",
    ),
    ("processes_prompts", "feeds user input to a language model"),
    // Declared controls.
    ("mfa", "multi-factor authentication"),
    ("waf", "a web application firewall in front"),
    ("rate_limiting", "rate limiting or throttling"),
    (
        "input_validation",
        "validation of all input against allow lists",
    ),
    ("output_encoding", "context-aware output encoding"),
    (
        "parameterized_queries",
        "parameterised queries or an ORM, never string-built SQL",
    ),
    ("encrypted_at_rest", "data encrypted at rest"),
    (
        "audit_logging",
        "security-relevant events logged to a protected audit trail",
    ),
    ("immutable_logs", "append-only, tamper-evident logs"),
    ("monitoring", "alerting on anomalies"),
    ("backups", "tested backups"),
    ("replication", "redundant replicas or failover"),
    ("rbac", "role-based access control"),
    ("least_privilege", "runs with the least privilege it needs"),
    (
        "secrets_management",
        "secrets from a vault, not from code or config",
    ),
    ("csrf_protection", "anti-CSRF tokens or same-site cookies"),
    (
        "secure_session_management",
        "secure, rotated, expiring sessions",
    ),
    (
        "jwt_validation",
        "JWT signature, algorithm, issuer and expiry checked",
    ),
    ("account_lockout", "lockout or back-off after failed logins"),
    (
        "strong_password_hashing",
        "passwords hashed with a slow, salted algorithm",
    ),
    (
        "upload_scanning",
        "uploads type-checked, size-limited and malware-scanned",
    ),
    ("ddos_protection", "a DDoS-absorbing service in front"),
    ("autoscaling", "capacity that scales with load"),
    ("integrity_checks", "checksums or signatures on stored data"),
    ("signed_artifacts", "signed code and artifacts"),
    (
        "network_segmentation",
        "isolated in its own network segment",
    ),
    ("hsm", "keys kept in a hardware security module or KMS"),
    (
        "data_minimization",
        "returns and stores only the fields it needs",
    ),
    (
        "tenant_isolation",
        "tenant data separated and checked on every access",
    ),
    (
        "content_security_policy",
        "a strict Content-Security-Policy",
    ),
    (
        "prompt_guardrails",
        "prompt-injection filtering and output checks",
    ),
    ("tokenization", "card data replaced by tokens"),
    ("mutual_tls", "mutual TLS between services"),
];

/// Whether `name` is a known attribute.
pub fn is_known(name: &str) -> bool {
    ATTRIBUTES.iter().any(|(n, _)| *n == name)
}

/// The known attribute closest to `name`, when one is close enough to be a
/// likely typo (for "did you mean" hints).
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (levenshtein(name, c), c))
        .filter(|(d, c)| *d <= (c.len().max(name.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance between two strings.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
