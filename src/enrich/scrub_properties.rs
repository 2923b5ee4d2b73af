//! Property tests of the privacy scrubbing: for generated URLs, paths, referrers and
//! property keys and values, hostile on purpose (e-mails in path segments, percent-
//! encoded once or twice, mixed case; phone numbers in every national style and in
//! other scripts' digits; digit runs split by separators), what is stored passes the
//! privacy oracle of `crate::fuzzing::oracle` (the thresholds of `docs/PRIVACY.md`),
//! and scrubbing what is stored changes nothing.

use proptest::prelude::*;

use super::url::{mask_text, scrub_referrer, scrub_url};
use crate::fuzzing::{encode_path, oracle, rebuild, scrubbed_url_leak};

/// One byte of text percent-encoded, as browsers, forms and redirect chains do.
fn encode_all(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// A value written in one of the ways it reaches a URL or a property.
fn disguise(s: String) -> impl Strategy<Value = String> {
    prop_oneof![
        Just(s.clone()),
        Just(s.to_uppercase()),
        Just(
            s.replace('@', "%40")
                .replace(' ', "%20")
                .replace('+', "%2B")
        ),
        Just(s.replace('@', "%2540").replace(' ', "%2520")),
        Just(encode_all(&s)),
        Just(s.replace(' ', "+")),
    ]
}

/// Digits of another script: fullwidth (Japanese input methods) or Arabic-Indic.
fn other_digits(s: &str, base: u32) -> String {
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(base + d).unwrap_or(c),
            None => c,
        })
        .collect()
}

fn email() -> impl Strategy<Value = String> {
    (
        "[a-zA-Z0-9][a-zA-Z0-9._+-]{0,9}",
        "[a-z0-9-]{1,8}",
        "[a-z]{2,4}",
    )
        .prop_map(|(local, domain, tld)| format!("{local}@{domain}.{tld}"))
        .prop_flat_map(disguise)
}

fn phone() -> impl Strategy<Value = String> {
    let sep = prop::sample::select(vec!["", " ", ".", "-", "/", "  ", " - ", "\u{a0}", "_"]);
    let national = (prop::collection::vec(0u8..100, 5), sep.clone()).prop_map(|(pairs, sep)| {
        let mut parts: Vec<String> = pairs.iter().map(|p| format!("{p:02}")).collect();
        parts[0] = format!("0{}", pairs[0] % 10);
        parts.join(sep)
    });
    let styles = (national, sep, 0u8..6).prop_map(|(n, sep, style)| match style {
        // +33 6 12 34 56 78: the national number without its leading 0.
        0 => format!("+33{sep}{}", n.trim_start_matches('0')),
        1 => format!("+33 (0){}", n.trim_start_matches('0')),
        2 => format!("({}){sep}{}", &n[..2], &n[2..]),
        3 => other_digits(&n, 0xFF10),
        4 => other_digits(&n, 0x0660),
        _ => n,
    });
    prop_oneof![
        styles,
        "\\+1 \\(555\\) [0-9]{3}-[0-9]{4}",
        "\\+49 30/[0-9]{6,8}",
        "00 ?44 ?20 ?[0-9]{4} ?[0-9]{4}",
    ]
    .prop_flat_map(disguise)
}

/// Numbers long enough to identify: a patient file, a card, a social-security number.
fn digits() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{4,20}",
        "[0-9]{3}[ .-][0-9]{3}[ .-][0-9]{3,6}",
        "[12] [0-9]{2} [0-9]{2} [0-9]{2} [0-9]{3} [0-9]{3} [0-9]{2}",
    ]
    .prop_flat_map(disguise)
}

/// Text around the identifiers, with the characters a scrubber could trip on.
fn noise() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Zé_-]{0,8}",
        1 => prop::sample::select(vec![
            "%", "%2F", "%25", "%5C", "\\", ".", "..", "%2E%2E", "-", "+", " ", "(", "=",
            "&", "?", "#", ":id", "%41", "%2541", "rdv-", "2024", "12", "3", "\u{1}", "%0A",
        ])
        .prop_map(str::to_owned),
    ]
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![4 => noise(), 1 => email(), 1 => phone(), 1 => digits()]
}

/// Free text: a property key or value, an event name, a query value.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..5).prop_map(|p| p.concat())
}

/// A URL path whose segments are built from pieces, `/` inside pieces included.
fn path() -> impl Strategy<Value = String> {
    prop::collection::vec(text(), 0..5).prop_map(|segments| {
        let path: String = segments.iter().map(|s| format!("/{s}")).collect();
        // `?` and `#` would end the path here; they come encoded in real paths.
        path.replace('?', "%3F").replace('#', "%23")
    })
}

fn url() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_content",
        "UTM_Term",
        "ref",
        "source",
        "lang",
        "email",
    ]);
    let pairs = prop::collection::vec((key.prop_map(str::to_owned), text()), 0..4);
    let route = prop::option::of((
        path(),
        prop::collection::vec(("utm_source|ref", text()), 0..2),
    ));
    ("(www\\.)?[a-z]{1,8}\\.(fr|com)", path(), pairs, route).prop_map(
        |(host, path, pairs, route)| {
            let query = |pairs: &[(String, String)]| {
                pairs
                    .iter()
                    .map(|(k, v)| format!("{k}={}", v.replace('&', "%26").replace('#', "%23")))
                    .collect::<Vec<_>>()
                    .join("&")
            };
            let mut out = format!("https://{host}{path}");
            if !pairs.is_empty() {
                out = format!("{out}?{}", query(&pairs));
            }
            if let Some((route, pairs)) = route {
                out = format!("{out}#{route}?{}", query(&pairs));
            }
            out
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn scrubbed_urls_leak_nothing_and_scrub_to_themselves(
        raw in url(),
        hash in any::<bool>(),
    ) {
        let extra = ["lang".to_owned()];
        if let Ok(s) = scrub_url(&raw, hash, &extra) {
            prop_assert_eq!(scrubbed_url_leak(&s), None, "{:?} from {}", s, raw);
            let again = scrub_url(&rebuild(&s), hash, &extra);
            prop_assert_eq!(again.as_ref(), Ok(&s), "from {}", raw);
        }
    }

    #[test]
    fn scrubbed_referrers_leak_nothing_and_scrub_to_themselves(
        host in "[a-z]{1,8}\\.fr",
        path in path(),
    ) {
        let raw = format!("https://{host}{path}?q=x");
        if let Some(r) = scrub_referrer(&raw) {
            prop_assert_eq!(oracle::path_leak(&r.path), None, "{:?} from {}", r, raw);
            let again = scrub_referrer(&format!("https://{}{}", r.host, encode_path(&r.path)));
            prop_assert_eq!(again.as_ref(), Some(&r), "from {}", raw);
        }
    }

    #[test]
    fn masked_text_leaks_nothing_and_masks_to_itself(raw in text()) {
        let once = mask_text(&raw);
        prop_assert_eq!(oracle::text_leak(&once), None, "{:?} from {:?}", once, raw);
        prop_assert_eq!(mask_text(&once), once.clone(), "from {:?}", raw);
    }
}
