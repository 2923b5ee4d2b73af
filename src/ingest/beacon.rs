//! The beacon body: Plausible-compatible one-letter keys (`n`, `u`, `d`, `r`, `p`, `h`,
//! `m`), with Plausible's long names (`name`, `url`, `domain`, `referrer`, `props`,
//! `revenue`) accepted too so its integrations work unchanged.
//!
//! Parsing checks shape and limits only and says exactly what is wrong; what the values
//! mean (sites, URLs, referrers) is the pipeline's business.

use serde::Deserialize;
use serde_json::Value;

/// Longest event name kept.
const MAX_NAME: usize = 120;
/// Longest URL or referrer accepted.
const MAX_URL: usize = 2_000;
/// Most domains one beacon may name (`data-domain="a.fr,b.fr"`).
const MAX_DOMAINS: usize = 10;
/// Most custom properties per event.
const MAX_PROPS: usize = 30;
/// Longest property name.
const MAX_PROP_KEY: usize = 300;
/// Longest property value.
const MAX_PROP_VALUE: usize = 2_000;
/// Largest revenue of one event: a booking or a procedure, not a fortune.
const MAX_REVENUE: f64 = 1e9;

/// Without control characters (NUL, line breaks, escapes), which no name or property
/// needs and which would garble logs, CSV exports and tables; trimmed.
fn strip_controls(s: String) -> String {
    if s.chars().any(char::is_control) {
        s.chars()
            .filter(|c| !c.is_control())
            .collect::<String>()
            .trim()
            .to_owned()
    } else if s.trim().len() != s.len() {
        s.trim().to_owned()
    } else {
        s
    }
}

/// A malformed beacon, described for the 400 answer.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum BeaconError {
    /// The body is not a JSON object.
    #[error("body is not a JSON object: {0}")]
    NotJson(String),
    /// A required field is absent or empty.
    #[error("missing required field `{0}`")]
    Missing(&'static str),
    /// A field has the wrong type or breaks a limit.
    #[error("invalid field `{field}`: {reason}")]
    Invalid { field: &'static str, reason: String },
}

/// Revenue attached to an event.
#[derive(Debug, Clone, PartialEq)]
pub struct Revenue {
    /// Amount in 1/10,000 of the currency unit.
    pub amount_e4: i64,
    /// ISO 4217 code, uppercase.
    pub currency: [u8; 3],
}

/// A validated beacon.
#[derive(Debug, Clone, PartialEq)]
pub struct Beacon {
    /// `pageview` or a custom event name.
    pub name: String,
    /// Full page URL as sent, parsed once here (scrubbed later, never stored as is).
    pub url: url::Url,
    /// Site domains the event belongs to.
    pub domains: Vec<String>,
    /// Referrer URL as sent, if any.
    pub referrer: Option<String>,
    /// Custom properties, values rendered as strings.
    pub props: Vec<(String, String)>,
    /// Hash-based routing: keep the fragment as part of the path.
    pub hash_mode: bool,
    /// Revenue, if any.
    pub revenue: Option<Revenue>,
    /// The consented visitor's random id (`c`), sent only after consent.
    pub consent_id: Option<String>,
}

#[derive(Deserialize)]
struct Raw {
    #[serde(alias = "name")]
    n: Option<Value>,
    #[serde(alias = "url")]
    u: Option<Value>,
    #[serde(alias = "domain")]
    d: Option<Value>,
    #[serde(alias = "referrer")]
    r: Option<Value>,
    #[serde(alias = "props")]
    p: Option<Value>,
    #[serde(alias = "hash")]
    h: Option<Value>,
    #[serde(alias = "revenue", alias = "$")]
    m: Option<Value>,
    c: Option<Value>,
}

fn invalid(field: &'static str, reason: impl Into<String>) -> BeaconError {
    BeaconError::Invalid {
        field,
        reason: reason.into(),
    }
}

fn required_str(v: Option<Value>, field: &'static str, max: usize) -> Result<String, BeaconError> {
    match v {
        None | Some(Value::Null) => Err(BeaconError::Missing(field)),
        Some(Value::String(s)) if s.trim().is_empty() => Err(BeaconError::Missing(field)),
        Some(Value::String(s)) if s.len() > max => {
            Err(invalid(field, format!("longer than {max} bytes")))
        }
        // Most values need no trimming: keep the string rather than copy it.
        Some(Value::String(s)) if s.trim().len() == s.len() => Ok(s),
        Some(Value::String(s)) => Ok(s.trim().to_owned()),
        Some(_) => Err(invalid(field, "must be a string")),
    }
}

/// Parses and validates a beacon body.
pub fn parse(body: &[u8]) -> Result<Beacon, BeaconError> {
    // serde reads a struct from an array too, by position: `["pageview", "https://a.fr/",
    // "a.fr"]` would pass for a beacon. A batch is not a beacon; only an object is.
    if body.trim_ascii_start().first() != Some(&b'{') {
        return Err(BeaconError::NotJson("expected an object".into()));
    }
    let raw: Raw = serde_json::from_slice(body).map_err(|e| {
        // serde's message can quote the input; keep only its category and position.
        BeaconError::NotJson(format!(
            "{:?} at line {} column {}",
            e.classify(),
            e.line(),
            e.column()
        ))
    })?;
    let name = strip_controls(required_str(raw.n, "n", MAX_NAME)?);
    if name.is_empty() {
        return Err(BeaconError::Missing("n"));
    }
    let url = required_str(raw.u, "u", MAX_URL)?;
    // One row per site, however the domain is spelled: `a.fr,A.FR,www.a.fr` is one site,
    // and a copy must not count the event twice.
    let mut domains: Vec<String> = Vec::new();
    for d in required_str(raw.d, "d", 1_000)?.split(',') {
        let d = crate::store::sites::normalize_domain(d);
        if !d.is_empty() && !domains.contains(&d) {
            domains.push(d);
        }
    }
    if domains.is_empty() {
        return Err(BeaconError::Missing("d"));
    }
    if domains.len() > MAX_DOMAINS {
        return Err(invalid("d", format!("more than {MAX_DOMAINS} domains")));
    }
    // Parsed once: the pipeline scrubs this parsed form rather than parsing again.
    let url = match url::Url::parse(&url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => u,
        _ => return Err(invalid("u", "must be an absolute http(s) URL")),
    };
    let referrer = match raw.r {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.len() > MAX_URL => {
            return Err(invalid("r", format!("longer than {MAX_URL} bytes")))
        }
        Some(Value::String(s)) => Some(s).filter(|s| !s.trim().is_empty()),
        Some(_) => return Err(invalid("r", "must be a string or null")),
    };
    let hash_mode = match raw.h {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => b,
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        Some(_) => return Err(invalid("h", "must be 0, 1 or a boolean")),
    };
    let consent_id = match raw.c {
        None | Some(Value::Null) => None,
        Some(Value::String(s))
            if (16..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            Some(s.to_ascii_lowercase())
        }
        Some(_) => return Err(invalid("c", "must be a hexadecimal id of 16 to 64 digits")),
    };
    Ok(Beacon {
        consent_id,
        name,
        url,
        domains,
        referrer,
        props: parse_props(raw.p)?,
        hash_mode,
        revenue: parse_revenue(raw.m)?,
    })
}

fn parse_props(v: Option<Value>) -> Result<Vec<(String, String)>, BeaconError> {
    let map = match v {
        None | Some(Value::Null) => return Ok(Vec::new()),
        // Older trackers send props as a JSON-encoded string.
        Some(Value::String(s)) => match serde_json::from_str::<Value>(&s) {
            Ok(Value::Object(m)) => m,
            _ => return Err(invalid("p", "must be an object")),
        },
        Some(Value::Object(m)) => m,
        Some(_) => return Err(invalid("p", "must be an object")),
    };
    if map.len() > MAX_PROPS {
        return Err(invalid("p", format!("more than {MAX_PROPS} properties")));
    }
    let mut props = Vec::with_capacity(map.len());
    for (key, value) in map {
        let key = strip_controls(key);
        if key.is_empty() || key.len() > MAX_PROP_KEY {
            return Err(invalid(
                "p",
                format!("property names must be 1 to {MAX_PROP_KEY} bytes"),
            ));
        }
        let value = match value {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            // Plausible ignores null props; so do we.
            Value::Null => continue,
            // The key is not quoted back: it may be what a visitor typed.
            _ => {
                return Err(invalid(
                    "p",
                    "property values must be strings, numbers or booleans",
                ))
            }
        };
        let value = strip_controls(value);
        if value.len() > MAX_PROP_VALUE {
            return Err(invalid(
                "p",
                format!("property values must be at most {MAX_PROP_VALUE} bytes"),
            ));
        }
        props.push((key, value));
    }
    Ok(props)
}

fn parse_revenue(v: Option<Value>) -> Result<Option<Revenue>, BeaconError> {
    let obj = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(o)) => o,
        Some(_) => return Err(invalid("m", "must be an object {amount, currency}")),
    };
    let amount: f64 = match obj.get("amount") {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map_err(|_| invalid("m", "amount is not a number"))?,
        _ => return Err(invalid("m", "amount is required")),
    };
    if !amount.is_finite() || !(0.0..=MAX_REVENUE).contains(&amount) {
        return Err(invalid(
            "m",
            format!("amount must be between 0 and {MAX_REVENUE}"),
        ));
    }
    let currency = match obj.get("currency") {
        Some(Value::String(s)) if s.len() == 3 && s.chars().all(|c| c.is_ascii_alphabetic()) => {
            let up = s.to_ascii_uppercase();
            let b = up.as_bytes();
            [b[0], b[1], b[2]]
        }
        _ => return Err(invalid("m", "currency must be a 3-letter ISO 4217 code")),
    };
    Ok(Some(Revenue {
        amount_e4: (amount * 10_000.0).round() as i64,
        currency,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_keys() {
        let b =
            parse(br#"{"n":"pageview","u":"https://a.fr/x","d":"a.fr","r":null,"h":1}"#).unwrap();
        assert_eq!(b.name, "pageview");
        assert_eq!(b.domains, vec!["a.fr"]);
        assert!(b.hash_mode);
        let b = parse(br#"{"name":"Booking","url":"https://a.fr/","domain":"a.fr, b.fr","props":{"specialty":"cardio","n":3,"ok":true,"x":null},"revenue":{"amount":"60.5","currency":"eur"}}"#).unwrap();
        assert_eq!(b.domains, vec!["a.fr", "b.fr"]);
        assert_eq!(b.props.len(), 3);
        assert!(b.props.contains(&("n".into(), "3".into())));
        assert_eq!(
            b.revenue,
            Some(Revenue {
                amount_e4: 605_000,
                currency: *b"EUR"
            })
        );
    }

    #[test]
    fn props_as_json_string() {
        let b = parse(br#"{"n":"e","u":"https://a.fr/","d":"a.fr","p":"{\"a\":\"b\"}"}"#).unwrap();
        assert_eq!(b.props, vec![("a".into(), "b".into())]);
    }

    #[test]
    fn errors_name_the_field() {
        assert!(parse(b"nope").unwrap_err().to_string().contains("JSON"));
        assert_eq!(
            parse(br#"{"u":"https://a.fr","d":"a.fr"}"#),
            Err(BeaconError::Missing("n"))
        );
        assert_eq!(
            parse(br#"{"n":"p","u":"https://a.fr","d":" "}"#),
            Err(BeaconError::Missing("d"))
        );
        let e = parse(br#"{"n":"p","u":"javascript:alert(1)","d":"a.fr"}"#).unwrap_err();
        assert!(matches!(e, BeaconError::Invalid { field: "u", .. }));
        let e = parse(br#"{"n":"p","u":"https://a.fr","d":"a.fr","p":{"a":{"b":1}}}"#).unwrap_err();
        assert!(matches!(e, BeaconError::Invalid { field: "p", .. }));
        let e =
            parse(br#"{"n":"p","u":"https://a.fr","d":"a.fr","m":{"amount":1,"currency":"EURO"}}"#)
                .unwrap_err();
        assert!(matches!(e, BeaconError::Invalid { field: "m", .. }));
        let e = parse(br#"{"n":5,"u":"https://a.fr","d":"a.fr"}"#).unwrap_err();
        assert!(matches!(e, BeaconError::Invalid { field: "n", .. }));
    }

    #[test]
    fn consent_ids_are_hex_or_refused() {
        let ok = parse(
            br#"{"n":"p","u":"https://a.fr","d":"a.fr","c":"0123456789ABCDEF0123456789abcdef"}"#,
        );
        assert_eq!(
            ok.unwrap().consent_id.as_deref(),
            Some("0123456789abcdef0123456789abcdef")
        );
        let bad = parse(br#"{"n":"p","u":"https://a.fr","d":"a.fr","c":"jean@x.fr"}"#).unwrap_err();
        assert!(matches!(bad, BeaconError::Invalid { field: "c", .. }));
        assert_eq!(
            parse(br#"{"n":"p","u":"https://a.fr","d":"a.fr"}"#)
                .unwrap()
                .consent_id,
            None
        );
    }

    #[test]
    fn domains_are_one_per_site_and_controls_are_stripped() {
        let body = r#"{"n":"Book\u0000ing\n","u":"https://a.fr/","d":"a.fr,A.FR, www.a.fr,a.fr.,b.fr","p":{"sp\u0000ec":"car\u0007dio"}}"#;
        let b = parse(body.as_bytes()).unwrap();
        assert_eq!(b.domains, vec!["a.fr", "b.fr"]);
        assert_eq!(b.name, "Booking");
        assert_eq!(b.props, vec![("spec".into(), "cardio".into())]);
        let many: Vec<String> = (0..12).map(|i| format!("s{i}.fr")).collect();
        let body = format!(r#"{{"n":"p","u":"https://a.fr","d":"{}"}}"#, many.join(","));
        assert!(parse(body.as_bytes()).is_err());
        let copies = ["a.fr"; 12].join(",");
        let body = format!(r#"{{"n":"p","u":"https://a.fr","d":"{copies}"}}"#);
        assert_eq!(parse(body.as_bytes()).unwrap().domains, vec!["a.fr"]);
        assert_eq!(
            parse(br#"{"n":"\u0000","u":"https://a.fr","d":"a.fr"}"#),
            Err(BeaconError::Missing("n"))
        );
    }

    #[test]
    fn revenue_is_positive_and_plausible() {
        for bad in [r#"-5"#, r#"1e13"#, r#""NaN""#] {
            let body = format!(
                r#"{{"n":"p","u":"https://a.fr","d":"a.fr","m":{{"amount":{bad},"currency":"EUR"}}}}"#
            );
            let e = parse(body.as_bytes()).unwrap_err();
            assert!(
                matches!(e, BeaconError::Invalid { field: "m", .. }),
                "{bad}: {e:?}"
            );
        }
    }

    #[test]
    fn property_errors_do_not_quote_the_key() {
        let e = parse(br#"{"n":"p","u":"https://a.fr","d":"a.fr","p":{"jean@x.fr":[1]}}"#)
            .unwrap_err()
            .to_string();
        assert!(!e.contains("jean"), "{e}");
    }

    #[test]
    fn arrays_and_deep_nesting_are_refused() {
        for body in [
            r#"["pageview","https://a.fr/","a.fr"]"#,
            r#" [{"n":"pageview","u":"https://a.fr/","d":"a.fr"}]"#,
            "",
            "null",
        ] {
            assert!(
                matches!(parse(body.as_bytes()), Err(BeaconError::NotJson(_))),
                "{body}"
            );
        }
        // Deeper than serde_json's recursion limit (128): refused in a field we read,
        // skipped without recursion (so without overflowing the stack) in one we do not.
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let known = format!(r#"{{"n":"p","u":"https://a.fr","d":"a.fr","p":{deep}}}"#);
        assert!(matches!(
            parse(known.as_bytes()),
            Err(BeaconError::NotJson(_))
        ));
        let unknown = format!(r#"{{"x":{deep},"n":"p","u":"https://a.fr","d":"a.fr"}}"#);
        assert!(parse(unknown.as_bytes()).is_ok());
    }

    #[test]
    fn json_errors_do_not_echo_input() {
        let e = parse(br#"{"n":"jean.dupont@example.fr"#)
            .unwrap_err()
            .to_string();
        assert!(!e.contains("dupont"), "{e}");
    }
}
