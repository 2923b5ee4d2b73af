//! Built-in data behind `referrer` and the host matching that reads it: known source
//! hosts, `utm_source` aliases, and the few public suffixes used to approximate
//! registrable domains.
//!
//! Deliberately not a public-suffix list nor an exhaustive directory: it covers what shows
//! up on European health sites, and unknown hosts simply fall back to "Referral".

use std::net::IpAddr;

/// What a known source is, before the medium or the referrer path refine it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A search engine's organic results.
    Search,
    /// A search engine's ad-click redirector.
    PaidSearch,
    /// A social network or messenger.
    Social,
    /// A video platform.
    Video,
    /// A webmail or an e-mailing tool.
    Email,
    /// A named site that is still plain referral traffic (booking platforms, AI assistants).
    Other,
}

use Kind::*;

/// Host patterns, first match wins, so specific hosts (`mail.google.com`) precede broad
/// ones (`google.*`). `name.*` matches `name` followed by any TLD or `co.xx`-style ccSLD;
/// other patterns match the host itself or any subdomain on a label boundary.
pub(crate) const HOSTS: &[(&str, &str, Kind)] = &[
    // Webmails and e-mailing click trackers.
    ("mail.google.com", "Gmail", Email),
    ("outlook.live.com", "Outlook", Email),
    ("outlook.office.com", "Outlook", Email),
    ("outlook.office365.com", "Outlook", Email),
    ("mail.yahoo.com", "Yahoo Mail", Email),
    ("mail.proton.me", "Proton Mail", Email),
    ("mail.orange.fr", "Orange Mail", Email),
    ("zimbra.free.fr", "Free Mail", Email),
    ("list-manage.com", "Mailchimp", Email),
    ("mailchi.mp", "Mailchimp", Email),
    ("sendibt2.com", "Brevo", Email),
    ("sendibt3.com", "Brevo", Email),
    ("sendibt4.com", "Brevo", Email),
    ("brevo.com", "Brevo", Email),
    ("sendinblue.com", "Brevo", Email),
    ("mjt.lu", "Mailjet", Email),
    ("mailjet.com", "Mailjet", Email),
    ("hubspotlinks.com", "HubSpot", Email),
    ("hubspotemail.net", "HubSpot", Email),
    ("klclick.com", "Klaviyo", Email),
    ("klaviyomail.com", "Klaviyo", Email),
    ("sendgrid.net", "SendGrid", Email),
    // Ad redirectors.
    ("googleadservices.com", "Google", PaidSearch),
    ("doubleclick.net", "Google", PaidSearch),
    // Search engines.
    ("google.*", "Google", Search),
    ("bing.com", "Bing", Search),
    ("duckduckgo.com", "DuckDuckGo", Search),
    ("qwant.com", "Qwant", Search),
    ("ecosia.org", "Ecosia", Search),
    ("yahoo.*", "Yahoo", Search),
    ("yandex.*", "Yandex", Search),
    ("ya.ru", "Yandex", Search),
    ("baidu.com", "Baidu", Search),
    ("search.brave.com", "Brave Search", Search),
    ("startpage.com", "Startpage", Search),
    ("lilo.org", "Lilo", Search),
    // Social networks and messengers.
    ("facebook.com", "Facebook", Social),
    ("fb.com", "Facebook", Social),
    ("fb.me", "Facebook", Social),
    ("messenger.com", "Messenger", Social),
    ("instagram.com", "Instagram", Social),
    ("linkedin.com", "LinkedIn", Social),
    ("lnkd.in", "LinkedIn", Social),
    ("twitter.com", "X (Twitter)", Social),
    ("x.com", "X (Twitter)", Social),
    ("t.co", "X (Twitter)", Social),
    ("tiktok.com", "TikTok", Social),
    ("pinterest.*", "Pinterest", Social),
    ("pin.it", "Pinterest", Social),
    ("reddit.com", "Reddit", Social),
    ("xing.com", "Xing", Social),
    ("snapchat.com", "Snapchat", Social),
    ("threads.net", "Threads", Social),
    ("threads.com", "Threads", Social),
    ("whatsapp.com", "WhatsApp", Social),
    ("wa.me", "WhatsApp", Social),
    ("telegram.org", "Telegram", Social),
    ("t.me", "Telegram", Social),
    ("bsky.app", "Bluesky", Social),
    // Video platforms.
    ("youtube.com", "YouTube", Video),
    ("youtu.be", "YouTube", Video),
    ("vimeo.com", "Vimeo", Video),
    ("dailymotion.com", "Dailymotion", Video),
    ("dai.ly", "Dailymotion", Video),
    ("twitch.tv", "Twitch", Video),
    // Named referrals.
    ("doctolib.*", "Doctolib", Other),
    ("chatgpt.com", "ChatGPT", Other),
    ("chat.openai.com", "ChatGPT", Other),
    ("perplexity.ai", "Perplexity", Other),
];

/// `utm_source` spellings (lowercased, accents folded, `_`/space as `-`) mapped to a canonical name. Domain-shaped
/// values such as `m.facebook.com` are not listed: they go through `HOSTS` instead.
pub(crate) const ALIASES: &[(&str, &str, Kind)] = &[
    ("fb", "Facebook", Social),
    ("facebook", "Facebook", Social),
    ("messenger", "Messenger", Social),
    ("ig", "Instagram", Social),
    ("insta", "Instagram", Social),
    ("instagram", "Instagram", Social),
    ("li", "LinkedIn", Social),
    ("linkedin", "LinkedIn", Social),
    ("twitter", "X (Twitter)", Social),
    ("tw", "X (Twitter)", Social),
    ("x", "X (Twitter)", Social),
    ("tiktok", "TikTok", Social),
    ("pinterest", "Pinterest", Social),
    ("reddit", "Reddit", Social),
    ("xing", "Xing", Social),
    ("snapchat", "Snapchat", Social),
    ("threads", "Threads", Social),
    ("whatsapp", "WhatsApp", Social),
    ("telegram", "Telegram", Social),
    ("bluesky", "Bluesky", Social),
    ("yt", "YouTube", Video),
    ("youtube", "YouTube", Video),
    ("vimeo", "Vimeo", Video),
    ("dailymotion", "Dailymotion", Video),
    ("twitch", "Twitch", Video),
    ("google", "Google", Search),
    ("adwords", "Google", Search),
    ("google-ads", "Google", Search),
    ("googleads", "Google", Search),
    ("bing", "Bing", Search),
    ("microsoft-ads", "Bing", Search),
    ("duckduckgo", "DuckDuckGo", Search),
    ("qwant", "Qwant", Search),
    ("ecosia", "Ecosia", Search),
    ("yahoo", "Yahoo", Search),
    ("yandex", "Yandex", Search),
    ("baidu", "Baidu", Search),
    ("brave", "Brave Search", Search),
    ("startpage", "Startpage", Search),
    ("lilo", "Lilo", Search),
    ("newsletter", "Newsletter", Email),
    ("mailchimp", "Mailchimp", Email),
    ("brevo", "Brevo", Email),
    ("sendinblue", "Brevo", Email),
    ("mailjet", "Mailjet", Email),
    ("hubspot", "HubSpot", Email),
    ("hs-email", "HubSpot", Email),
    ("hs-automation", "HubSpot", Email),
    ("klaviyo", "Klaviyo", Email),
    ("sendgrid", "SendGrid", Email),
    ("doctolib", "Doctolib", Other),
    ("chatgpt", "ChatGPT", Other),
    ("perplexity", "Perplexity", Other),
];

/// Second-level labels that, under a two-letter ccTLD, form a public suffix (`co.uk`,
/// `gouv.fr`, `com.br`); enough to stop `a.co.uk` and `b.co.uk` counting as one site.
pub(crate) const CC_SECOND_LEVELS: &[&str] = &[
    "ac", "asso", "co", "com", "edu", "go", "gob", "gouv", "gov", "ne", "net", "nom", "or", "org",
];

/// Shared-hosting suffixes whose subdomains belong to unrelated owners.
pub(crate) const PRIVATE_SUFFIXES: &[&str] = &[
    "appspot.com",
    "azurewebsites.net",
    "blogspot.com",
    "cloudfront.net",
    "firebaseapp.com",
    "free.fr",
    "github.io",
    "gitlab.io",
    "herokuapp.com",
    "jimdofree.com",
    "netlify.app",
    "onrender.com",
    "pages.dev",
    "substack.com",
    "vercel.app",
    "web.app",
    "webflow.io",
    "wixsite.com",
    "wordpress.com",
];

/// Lowercases and strips scheme, path, trailing dot and `www.` from a host or domain.
pub(crate) fn normalise_host(raw: &str) -> String {
    let lower = raw.trim().to_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let mut host = rest.split('/').next().unwrap_or_default();
    // Partner lists are typed by hand, so tolerate a port; IPv6 literals keep their colons.
    if !host.starts_with('[') {
        host = host.split(':').next().unwrap_or_default();
    }
    let host = host.trim_end_matches('.');
    host.strip_prefix("www.").unwrap_or(host).to_owned()
}

/// True when `host` is `domain` or one of its subdomains, never `evil{domain}`.
pub(crate) fn on_label_boundary(host: &str, domain: &str) -> bool {
    host == domain
        || (host.ends_with(domain)
            && host.as_bytes().get(host.len() - domain.len() - 1) == Some(&b'.'))
}

/// The most specific configured partner domain covering `host`, normalised.
pub(crate) fn match_partner(host: &str, partner_domains: &[String]) -> Option<String> {
    partner_domains
        .iter()
        .map(|p| normalise_host(p))
        .filter(|p| !p.is_empty() && on_label_boundary(host, p))
        // The most specific entry wins when both `chu.fr` and `cardio.chu.fr` are listed.
        .max_by_key(String::len)
}

/// Canonical name and kind of a known source host, first table match wins.
pub(crate) fn known_host(host: &str) -> Option<(&'static str, Kind)> {
    HOSTS.iter().find_map(|(pattern, name, kind)| {
        let hit = match pattern.strip_suffix(".*") {
            Some(brand) => brand_with_any_tld(host, brand),
            None => on_label_boundary(host, pattern),
        };
        hit.then_some((*name, *kind))
    })
}

/// `google.fr`, `news.google.co.uk`, `google.com.br`, but not `google.evil.com`.
fn brand_with_any_tld(host: &str, brand: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    labels.iter().enumerate().any(|(i, label)| {
        *label == brand
            && match &labels[i + 1..] {
                [tld] => !tld.is_empty(),
                [sld, cc] => CC_SECOND_LEVELS.contains(sld) && cc.len() == 2,
                _ => false,
            }
    })
}

/// Approximates the registrable domain ("eTLD+1") with the small built-in suffix lists.
pub(crate) fn registrable_domain(host: &str) -> &str {
    if host.starts_with('[') || host.parse::<IpAddr>().is_ok() {
        return host;
    }
    let labels: Vec<&str> = host.split('.').collect();
    let n = labels.len();
    let private = PRIVATE_SUFFIXES
        .iter()
        .find(|s| on_label_boundary(host, s))
        .map(|s| s.matches('.').count() + 1);
    let keep = match private {
        Some(suffix_labels) => suffix_labels + 1,
        None if n >= 3 && labels[n - 1].len() == 2 && CC_SECOND_LEVELS.contains(&labels[n - 2]) => {
            3
        }
        None => 2,
    };
    let skip: usize = labels[..n.saturating_sub(keep)]
        .iter()
        .map(|l| l.len() + 1)
        .sum();
    &host[skip..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_in_matchable_form() {
        // Aliases are compared after folding and hosts after lowercasing; an entry typed
        // otherwise would silently never match.
        for (alias, _, _) in ALIASES {
            assert!(
                !alias.contains(|c: char| c.is_uppercase() || c == '_' || c == ' '),
                "{alias}"
            );
        }
        for (pattern, _, _) in HOSTS {
            assert_eq!(*pattern, normalise_host(pattern), "{pattern}");
        }
    }

    #[test]
    fn label_boundaries_and_registrable_domains() {
        assert!(on_label_boundary("news.google.fr", "google.fr"));
        assert!(!on_label_boundary("evilgoogle.fr", "google.fr"));
        assert!(!on_label_boundary("fr", "google.fr"));
        let cases = [
            ("a.b.clinique.fr", "clinique.fr"),
            ("clinique.fr", "clinique.fr"),
            ("x.clinique.co.uk", "clinique.co.uk"),
            ("x.sante.gouv.fr", "sante.gouv.fr"),
            ("blog.alice.github.io", "alice.github.io"),
            ("github.io", "github.io"),
            ("192.168.1.10", "192.168.1.10"),
            ("[::1]", "[::1]"),
            ("localhost", "localhost"),
        ];
        for (host, want) in cases {
            assert_eq!(registrable_domain(host), want, "{host}");
        }
        assert_eq!(
            normalise_host(" HTTPS://WWW.Dr-Martin.FR./cabinet "),
            "dr-martin.fr"
        );
    }
}
