//! URL scrubbing: what of a page or referrer URL may be stored.
//!
//! Rules (privacy contract, docs/PRIVACY.md):
//! * the query string is cut to an allow-list (`utm_*`, `ref`, `source`, plus per-site
//!   keys), and emails and phone-like digit runs inside kept values are masked;
//! * ID-like path segments become `:id`: numbers of 4+ digits (years included: a
//!   birth year next to a condition is identifying enough), UUIDs, emails, long hex
//!   tokens, long base64-ish tokens, and segments mixing letters with long digit runs;
//! * the fragment is dropped, unless the site uses hash routing, where it is part of
//!   the path and scrubbed the same way;
//! * referrers keep host and masked path only, never query or fragment.
//!
//! Deliberately not here: deciding what a referrer *means* (see `referrer`).

/// Why a page URL was refused.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum UrlError {
    /// Not an absolute http(s) URL with a host.
    #[error("not an absolute http(s) URL")]
    NotHttp,
}

/// UTM parameters of the page URL.
#[derive(Default, Clone, Debug, PartialEq)]
pub struct Utm {
    /// `utm_source`, or `ref` / `source` when absent.
    pub source: String,
    /// `utm_medium`.
    pub medium: String,
    /// `utm_campaign`.
    pub campaign: String,
    /// `utm_content`.
    pub content: String,
    /// `utm_term`.
    pub term: String,
}

/// A page URL reduced to what may be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ScrubbedUrl {
    /// Lowercase host without `www.`.
    pub hostname: String,
    /// Decoded path with ID-like segments masked.
    pub pathname: String,
    /// Allowed query parameters (values masked), UTM included.
    pub query: Vec<(String, String)>,
    /// The UTM values.
    pub utm: Utm,
}

/// A referrer reduced to host and masked path.
#[derive(Debug, Clone, PartialEq)]
pub struct ScrubbedReferrer {
    /// Lowercase host without `www.`.
    pub host: String,
    /// Masked path (`/` for none).
    pub path: String,
}

/// Longest stored path, in characters.
const MAX_PATH: usize = 2_000;
/// Longest stored query value, in characters.
const MAX_VALUE: usize = 200;
/// Query keys kept on every site.
const ALLOWED: &[&str] = &["ref", "source"];

/// Scrubs a page URL.
pub fn scrub_url(
    raw: &str,
    hash_routing: bool,
    extra_allowed_keys: &[String],
) -> Result<ScrubbedUrl, UrlError> {
    let url = url::Url::parse(raw.trim()).map_err(|_| UrlError::NotHttp)?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(UrlError::NotHttp);
    }
    let hostname = host_of(&url).ok_or(UrlError::NotHttp)?;
    let mut path = url.path().to_owned();
    if hash_routing {
        if let Some(fragment) = url.fragment() {
            // `#/doctors/x` and `#doctors/x` both route to `/doctors/x` in the SPA.
            let fragment = fragment.trim_start_matches('/');
            if !fragment.is_empty() {
                path = format!("{}/{}", path.trim_end_matches('/'), fragment);
                // A query inside the fragment (`#/x?token=…`) is never kept.
                if let Some(i) = path.find('?') {
                    path.truncate(i);
                }
            }
        }
    }
    let mut query = Vec::new();
    let mut utm = Utm::default();
    let mut fallback_source = String::new();
    for (k, v) in url.query_pairs() {
        let key = k.to_ascii_lowercase();
        let allowed = key.starts_with("utm_")
            || ALLOWED.contains(&key.as_str())
            || extra_allowed_keys
                .iter()
                .any(|e| e.eq_ignore_ascii_case(&key));
        if !allowed || key.len() > 64 {
            continue;
        }
        let value: String = mask_text(v.trim()).chars().take(MAX_VALUE).collect();
        match key.as_str() {
            "utm_source" => utm.source = value.clone(),
            "utm_medium" => utm.medium = value.clone(),
            "utm_campaign" => utm.campaign = value.clone(),
            "utm_content" => utm.content = value.clone(),
            "utm_term" => utm.term = value.clone(),
            "ref" | "source" if fallback_source.is_empty() => fallback_source = value.clone(),
            _ => {}
        }
        query.push((key, value));
    }
    if utm.source.is_empty() {
        utm.source = fallback_source;
    }
    Ok(ScrubbedUrl {
        hostname,
        pathname: mask_path(&path),
        query,
        utm,
    })
}

/// Scrubs a referrer; `None` for empty, invalid or non-http(s) referrers.
pub fn scrub_referrer(raw: &str) -> Option<ScrubbedReferrer> {
    let url = url::Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = host_of(&url)?;
    let path = mask_path(url.path());
    Some(ScrubbedReferrer {
        host,
        path: if path == "/" { String::new() } else { path },
    })
}

fn host_of(url: &url::Url) -> Option<String> {
    let host = url.host_str()?.trim_end_matches('.').to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    Some(host.strip_prefix("www.").map(str::to_owned).unwrap_or(host))
}

/// Percent-decodes a path and masks ID-like segments; normalises slashes.
pub fn mask_path(path: &str) -> String {
    let decoded = percent_decode(path);
    let mut out = String::with_capacity(decoded.len());
    for seg in decoded.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        if is_id_like(seg) {
            out.push_str(":id");
        } else {
            out.push_str(seg);
        }
        if out.chars().count() >= MAX_PATH {
            break;
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out.chars().take(MAX_PATH).collect()
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Whether a path segment looks like an identifier rather than a word.
fn is_id_like(seg: &str) -> bool {
    let len = seg.chars().count();
    let digits = seg.chars().filter(char::is_ascii_digit).count();
    if seg.contains('@') {
        return true;
    }
    // Numbers of 4+ digits, possibly with separators: ids, phone numbers, years.
    if digits >= 4
        && seg
            .chars()
            .all(|c| c.is_ascii_digit() || "-_.+ ".contains(c))
    {
        return true;
    }
    if is_uuid(seg) {
        return true;
    }
    if len >= 16 && seg.chars().all(|c| c.is_ascii_hexdigit()) {
        return true;
    }
    // Tokens: long runs of [A-Za-z0-9_-] with digits and mixed case, or letters with a
    // long digit run (`patient12345`, `rdv-20261123-8842`). Ordinary slugs such as
    // `chirurgie-de-la-hanche-et-du-genou` are all lowercase words and stay.
    let token_chars = seg
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if token_chars && len >= 20 && digits > 0 {
        let upper = seg.chars().any(|c| c.is_ascii_uppercase());
        let lower = seg.chars().any(|c| c.is_ascii_lowercase());
        if upper && lower {
            return true;
        }
    }
    longest_digit_run(seg) >= 5
}

fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && [8, 4, 4, 4, 12]
            .iter()
            .zip(&parts)
            .all(|(n, p)| p.len() == *n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

fn longest_digit_run(s: &str) -> usize {
    let (mut best, mut cur) = (0, 0);
    for c in s.chars() {
        if c.is_ascii_digit() {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// Masks email addresses and phone-like digit runs inside free text.
pub fn mask_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, word) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.contains('@') && word.len() > 3 {
            out.push_str(":email");
        } else {
            out.push_str(word);
        }
    }
    mask_phone_runs(&out)
}

/// Replaces runs of 8+ digits (spaces, dots, dashes and a leading `+` allowed between
/// them) by `:phone`: French numbers are 10 digits, international ones longer.
fn mask_phone_runs(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit()
            || (chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let mut j = i;
            let mut digits = 0;
            let mut last_digit_end = i;
            while j < chars.len() && (chars[j].is_ascii_digit() || " .-+".contains(chars[j])) {
                if chars[j].is_ascii_digit() {
                    digits += 1;
                    last_digit_end = j + 1;
                }
                j += 1;
            }
            if digits >= 8 {
                out.push_str(":phone");
                i = last_digit_end;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(u: &str) -> String {
        scrub_url(u, false, &[]).unwrap().pathname
    }

    #[test]
    fn host_is_lowercased_without_www() {
        let s = scrub_url("https://WWW.Clinique.FR/A", false, &[]).unwrap();
        assert_eq!(s.hostname, "clinique.fr");
        assert_eq!(s.pathname, "/A");
    }

    #[test]
    fn query_is_cut_to_the_allow_list() {
        let s = scrub_url(
            "https://c.fr/x?utm_source=Newsletter&utm_medium=email&session=abc&token=zz&ref=hn&lang=fr",
            false,
            &["lang".to_owned()],
        )
        .unwrap();
        assert_eq!(s.utm.source, "Newsletter");
        assert_eq!(s.utm.medium, "email");
        let keys: Vec<&str> = s.query.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, vec!["utm_source", "utm_medium", "ref", "lang"]);
    }

    #[test]
    fn ref_is_a_source_fallback() {
        let s = scrub_url("https://c.fr/?ref=producthunt", false, &[]).unwrap();
        assert_eq!(s.utm.source, "producthunt");
    }

    #[test]
    fn values_are_masked() {
        let s = scrub_url(
            "https://c.fr/?utm_content=jean.dupont@example.fr&utm_term=06%2012%2034%2056%2078",
            false,
            &[],
        )
        .unwrap();
        assert_eq!(s.utm.content, ":email");
        assert_eq!(s.utm.term, ":phone");
    }

    #[test]
    fn id_like_segments_are_masked() {
        assert_eq!(
            path("https://c.fr/patients/123456/dossier"),
            "/patients/:id/dossier"
        );
        assert_eq!(
            path("https://c.fr/rdv/3f2a9c0e-8a1b-4c7d-9e2f-1a2b3c4d5e6f"),
            "/rdv/:id"
        );
        assert_eq!(path("https://c.fr/u/jean.dupont@example.fr"), "/u/:id");
        assert_eq!(
            path("https://c.fr/u/jean.dupont%40example.fr/x"),
            "/u/:id/x"
        );
        assert_eq!(
            path("https://c.fr/t/9f86d081884c7d659a2feaa0c55ad015"),
            "/t/:id"
        );
        assert_eq!(path("https://c.fr/t/eyJhbGciOiJIUzI1NiJ9x"), "/t/:id");
        assert_eq!(path("https://c.fr/p/patient123456"), "/p/:id");
        assert_eq!(
            path("https://c.fr/actualites/2024/bilan"),
            "/actualites/:id/bilan"
        );
        assert_eq!(path("https://c.fr/tel/06-12-34-56-78"), "/tel/:id");
    }

    #[test]
    fn ordinary_slugs_stay() {
        assert_eq!(
            path("https://c.fr/chirurgie-de-la-hanche-et-du-genou"),
            "/chirurgie-de-la-hanche-et-du-genou"
        );
        assert_eq!(path("https://c.fr/page/2"), "/page/2");
        assert_eq!(
            path("https://c.fr/covid-19/vaccination"),
            "/covid-19/vaccination"
        );
        assert_eq!(path("https://c.fr/médecins/dr-éric"), "/médecins/dr-éric");
        assert_eq!(path("https://c.fr/medecins/"), "/medecins");
        assert_eq!(path("https://c.fr"), "/");
    }

    #[test]
    fn fragments_only_with_hash_routing() {
        assert_eq!(path("https://c.fr/app#/doctors/12345"), "/app");
        let s = scrub_url("https://c.fr/app#/doctors/12345?token=x", true, &[]).unwrap();
        assert_eq!(s.pathname, "/app/doctors/:id");
    }

    #[test]
    fn non_http_is_refused() {
        assert_eq!(
            scrub_url("javascript:alert(1)", false, &[]),
            Err(UrlError::NotHttp)
        );
        assert_eq!(scrub_url("/relative", false, &[]), Err(UrlError::NotHttp));
        assert!(scrub_referrer("android-app://com.google.android.gm/").is_none());
        assert!(scrub_referrer("").is_none());
    }

    #[test]
    fn referrers_keep_host_and_masked_path() {
        let r = scrub_referrer("https://www.Google.fr/search?q=mal+de+dos#x").unwrap();
        assert_eq!((r.host.as_str(), r.path.as_str()), ("google.fr", "/search"));
        let r = scrub_referrer("https://webmail.example.fr/read/jean@example.fr?to=x").unwrap();
        assert_eq!(r.path, "/read/:id");
        assert_eq!(scrub_referrer("https://t.co/").unwrap().path, "");
    }

    #[test]
    fn free_text_masking() {
        assert_eq!(mask_text("contact jean@x.fr"), "contact :email");
        assert_eq!(mask_text("+33 6 12 34 56 78 ok"), ":phone ok");
        assert_eq!(mask_text("cardiologie"), "cardiologie");
        assert_eq!(mask_text("3 rendez-vous en 2026"), "3 rendez-vous en 2026");
    }
}
