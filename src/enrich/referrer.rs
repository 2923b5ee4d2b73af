//! Source and channel of a visit: where a visitor came from, in a marketer's words.
//!
//! UTM parameters take precedence over the referrer (a newsletter link opened in
//! Gmail is "Email", not "Google"). Without UTM, the referrer host is looked up in a
//! table of known sources, matched on label boundaries (`news.google.fr` is Google,
//! `evilgoogle.com` is not). A site's partner domains (referring doctors) get their own
//! channel, because for a clinic they are a channel of their own.
//!
//! Deliberately not here: URL parsing and scrubbing (see `url`).

use super::url::{ScrubbedReferrer, Utm};

/// A marketing channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// No referrer, no campaign.
    Direct,
    /// A search engine, unpaid.
    OrganicSearch,
    /// A search engine, paid click.
    PaidSearch,
    /// A social network, unpaid.
    OrganicSocial,
    /// A social network, paid.
    PaidSocial,
    /// Email campaigns and webmail clicks.
    Email,
    /// Webinar invitations and replays.
    Webinar,
    /// A partner professional's site (referring doctor, medical centre).
    ReferringProfessional,
    /// Display advertising.
    Display,
    /// Video platforms.
    Video,
    /// Any other site.
    Referral,
    /// Navigation within the same site.
    Internal,
}

impl Channel {
    /// The name shown in reports and stored in `events.channel`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Direct => "Direct",
            Self::OrganicSearch => "Organic Search",
            Self::PaidSearch => "Paid Search",
            Self::OrganicSocial => "Organic Social",
            Self::PaidSocial => "Paid Social",
            Self::Email => "Email",
            Self::Webinar => "Webinar",
            Self::ReferringProfessional => "Referring Professional",
            Self::Display => "Display",
            Self::Video => "Organic Video",
            Self::Referral => "Referral",
            Self::Internal => "Internal",
        }
    }
}

/// The source name and channel of an event.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    /// Canonical source name ("Google", "Facebook", a partner domain, ...).
    pub source: String,
    /// Channel.
    pub channel: Channel,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Search,
    Social,
    Video,
    Email,
    Referral,
}

/// Known sources: host suffixes (label-matched), canonical name, kind.
/// Country variants of Google are matched by the `google.` label rule below.
const SOURCES: &[(&[&str], &str, Kind)] = &[
    (&["bing.com"], "Bing", Kind::Search),
    (&["duckduckgo.com"], "DuckDuckGo", Kind::Search),
    (&["qwant.com"], "Qwant", Kind::Search),
    (&["ecosia.org"], "Ecosia", Kind::Search),
    (&["search.yahoo.com", "yahoo.com"], "Yahoo!", Kind::Search),
    (
        &["yandex.ru", "yandex.com", "ya.ru"],
        "Yandex",
        Kind::Search,
    ),
    (&["baidu.com"], "Baidu", Kind::Search),
    (&["search.brave.com"], "Brave Search", Kind::Search),
    (&["startpage.com"], "Startpage", Kind::Search),
    (&["lilo.org"], "Lilo", Kind::Search),
    (&["perplexity.ai"], "Perplexity", Kind::Search),
    (&["chatgpt.com", "chat.openai.com"], "ChatGPT", Kind::Search),
    (
        &["facebook.com", "fb.com", "fb.me", "messenger.com"],
        "Facebook",
        Kind::Social,
    ),
    (&["instagram.com"], "Instagram", Kind::Social),
    (&["linkedin.com", "lnkd.in"], "LinkedIn", Kind::Social),
    (
        &["twitter.com", "x.com", "t.co"],
        "X (Twitter)",
        Kind::Social,
    ),
    (&["tiktok.com"], "TikTok", Kind::Social),
    (
        &["pinterest.com", "pinterest.fr", "pin.it"],
        "Pinterest",
        Kind::Social,
    ),
    (&["reddit.com"], "Reddit", Kind::Social),
    (&["xing.com"], "Xing", Kind::Social),
    (&["snapchat.com"], "Snapchat", Kind::Social),
    (&["threads.net", "threads.com"], "Threads", Kind::Social),
    (&["bsky.app"], "Bluesky", Kind::Social),
    (&["whatsapp.com", "wa.me"], "WhatsApp", Kind::Social),
    (&["telegram.org", "t.me"], "Telegram", Kind::Social),
    (&["youtube.com", "youtu.be"], "YouTube", Kind::Video),
    (&["vimeo.com"], "Vimeo", Kind::Video),
    (&["dailymotion.com"], "Dailymotion", Kind::Video),
    (&["mail.google.com"], "Gmail", Kind::Email),
    (
        &[
            "outlook.live.com",
            "outlook.office.com",
            "outlook.office365.com",
        ],
        "Outlook",
        Kind::Email,
    ),
    (&["mail.yahoo.com"], "Yahoo! Mail", Kind::Email),
    (
        &["mail.orange.fr", "messagerie.orange.fr"],
        "Orange Mail",
        Kind::Email,
    ),
    (
        &["webmail.free.fr", "zimbra.free.fr"],
        "Free Mail",
        Kind::Email,
    ),
    (&["mail.proton.me", "proton.me"], "Proton Mail", Kind::Email),
    (&["list-manage.com", "mailchi.mp"], "Mailchimp", Kind::Email),
    (
        &[
            "sendibt2.com",
            "sendibt3.com",
            "brevo.com",
            "sendinblue.com",
        ],
        "Brevo",
        Kind::Email,
    ),
    (&["mjt.lu", "mailjet.com"], "Mailjet", Kind::Email),
    (
        &["hubspotlinks.com", "hs-sites.com"],
        "HubSpot",
        Kind::Email,
    ),
    (&["klclick.com", "klaviyo.com"], "Klaviyo", Kind::Email),
    // Booking platforms send patients who already chose: a referral with a name.
    (
        &["doctolib.fr", "doctolib.de", "doctolib.it"],
        "Doctolib",
        Kind::Referral,
    ),
    (&["maiia.com"], "Maiia", Kind::Referral),
];

/// `utm_source` spellings mapped to canonical names.
const UTM_ALIASES: &[(&[&str], &str)] = &[
    (&["google", "google.com", "adwords", "googleads"], "Google"),
    (
        &[
            "fb",
            "facebook",
            "facebook.com",
            "m.facebook.com",
            "l.facebook.com",
            "lm.facebook.com",
            "meta",
        ],
        "Facebook",
    ),
    (&["ig", "instagram", "instagram.com"], "Instagram"),
    (&["li", "linkedin", "linkedin.com", "lnkd.in"], "LinkedIn"),
    (&["twitter", "x", "t.co", "x.com"], "X (Twitter)"),
    (&["yt", "youtube", "youtube.com"], "YouTube"),
    (&["bing", "microsoft"], "Bing"),
    (&["tiktok"], "TikTok"),
    (&["newsletter", "lettre", "lettre-info"], "Newsletter"),
    (&["mailchimp"], "Mailchimp"),
    (&["brevo", "sendinblue"], "Brevo"),
    (&["mailjet"], "Mailjet"),
    (&["hubspot"], "HubSpot"),
    (&["klaviyo"], "Klaviyo"),
];

/// Whether `host` is `suffix` or a subdomain of it.
fn host_matches(host: &str, suffix: &str) -> bool {
    host == suffix
        || host
            .strip_suffix(suffix)
            .is_some_and(|rest| rest.ends_with('.'))
}

/// `google.fr`, `www.google.co.uk`, `news.google.com.br`: any host with a `google`
/// label followed only by public-suffix-like labels.
fn is_google(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    labels.iter().position(|l| *l == "google").is_some_and(|i| {
        let tail = &labels[i + 1..];
        !tail.is_empty() && tail.len() <= 2 && tail.iter().all(|l| l.len() <= 3)
    })
}

fn lookup(host: &str) -> Option<(&'static str, Kind)> {
    // Longest suffix wins, so `mail.google.com` is Gmail, not Google.
    let best = SOURCES
        .iter()
        .flat_map(|(hosts, name, kind)| hosts.iter().map(move |h| (*h, *name, *kind)))
        .filter(|(h, _, _)| host_matches(host, h))
        .max_by_key(|(h, _, _)| h.len());
    if let Some((_, name, kind)) = best {
        return Some((name, kind));
    }
    if host_matches(host, "googleadservices.com") || host_matches(host, "doubleclick.net") {
        return Some(("Google", Kind::Search));
    }
    if is_google(host) {
        return Some(("Google", Kind::Search));
    }
    None
}

fn canonical_source(utm_source: &str) -> String {
    let s = utm_source.trim();
    let lower = s.to_lowercase();
    for (aliases, name) in UTM_ALIASES {
        if aliases.contains(&lower.as_str()) {
            return (*name).to_owned();
        }
    }
    if let Some((name, _)) = lookup(lower.trim_start_matches("www.")) {
        return name.to_owned();
    }
    s.chars().take(100).collect()
}

fn kind_of_source(name: &str) -> Option<Kind> {
    match name {
        "Google" | "Bing" => Some(Kind::Search),
        "Newsletter" => Some(Kind::Email),
        _ => SOURCES
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(_, _, k)| *k),
    }
}

/// The channel implied by `utm_medium` (and the source's kind when the medium says "paid").
fn channel_from_medium(medium: &str, kind: Option<Kind>) -> Option<Channel> {
    let m = medium.trim().to_lowercase();
    let paid = matches!(
        m.as_str(),
        "cpc"
            | "ppc"
            | "paid"
            | "cpa"
            | "cpv"
            | "paidsearch"
            | "paid-search"
            | "paid_search"
            | "sea"
            | "ads"
    );
    Some(match m.as_str() {
        _ if paid => match kind {
            Some(Kind::Social) => Channel::PaidSocial,
            _ => Channel::PaidSearch,
        },
        "paidsocial" | "paid-social" | "paid_social" | "social-paid" | "social_ads" => {
            Channel::PaidSocial
        }
        "email" | "e-mail" | "e_mail" | "mail" | "newsletter" | "emailing" | "courriel" => {
            Channel::Email
        }
        "webinar" | "webinaire" | "webinars" | "webinaires" | "live" | "replay" => Channel::Webinar,
        "display" | "banner" | "cpm" | "banniere" | "bannière" => Channel::Display,
        "social" | "social-network" | "social_network" | "sm" | "social-media"
        | "reseaux-sociaux" | "organic-social" => Channel::OrganicSocial,
        "video" => Channel::Video,
        "referral" | "partner" | "partenaire" => Channel::Referral,
        "organic" => match kind {
            Some(Kind::Social) => Channel::OrganicSocial,
            _ => Channel::OrganicSearch,
        },
        _ => return None,
    })
}

fn channel_of_kind(kind: Kind) -> Channel {
    match kind {
        Kind::Search => Channel::OrganicSearch,
        Kind::Social => Channel::OrganicSocial,
        Kind::Video => Channel::Video,
        Kind::Email => Channel::Email,
        Kind::Referral => Channel::Referral,
    }
}

/// Same registrable domain, roughly: equal hosts, or one a subdomain of the other.
fn same_site(a: &str, b: &str) -> bool {
    !a.is_empty() && (a == b || host_matches(a, b) || host_matches(b, a))
}

/// Classifies an event's source and channel.
pub fn classify(
    referrer: Option<&ScrubbedReferrer>,
    page_host: &str,
    utm: &Utm,
    partner_domains: &[String],
) -> Attribution {
    let partner = |host: &str| {
        partner_domains
            .iter()
            .map(|p| p.trim().trim_start_matches("www.").to_lowercase())
            .find(|p| !p.is_empty() && host_matches(host, p))
    };
    if !utm.source.trim().is_empty() || !utm.medium.trim().is_empty() {
        let source = if utm.source.trim().is_empty() {
            referrer
                .map(|r| lookup(&r.host).map_or_else(|| r.host.clone(), |(n, _)| n.to_owned()))
                .unwrap_or_default()
        } else {
            canonical_source(&utm.source)
        };
        let kind = kind_of_source(&source);
        let channel = channel_from_medium(&utm.medium, kind)
            .or_else(|| partner(&source.to_lowercase()).map(|_| Channel::ReferringProfessional))
            .or_else(|| kind.map(channel_of_kind))
            .unwrap_or(Channel::Referral);
        return Attribution { source, channel };
    }
    let Some(r) = referrer else {
        return Attribution {
            source: "Direct / None".into(),
            channel: Channel::Direct,
        };
    };
    if same_site(&r.host, page_host) {
        return Attribution {
            source: String::new(),
            channel: Channel::Internal,
        };
    }
    if let Some(p) = partner(&r.host) {
        return Attribution {
            source: p,
            channel: Channel::ReferringProfessional,
        };
    }
    if r.host == "googleadservices.com"
        || host_matches(&r.host, "doubleclick.net")
        || r.path.starts_with("/aclk")
    {
        return Attribution {
            source: "Google".into(),
            channel: Channel::PaidSearch,
        };
    }
    match lookup(&r.host) {
        Some((name, kind)) => Attribution {
            source: name.into(),
            channel: channel_of_kind(kind),
        },
        None => Attribution {
            source: r.host.clone(),
            channel: Channel::Referral,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(host: &str) -> ScrubbedReferrer {
        ScrubbedReferrer {
            host: host.into(),
            path: String::new(),
        }
    }

    fn by_ref(host: &str) -> (String, &'static str) {
        let a = classify(
            Some(&r(host)),
            "clinique.fr",
            &Utm::default(),
            &["cabinet-dr-lefevre.fr".into()],
        );
        (a.source, a.channel.as_str())
    }

    fn by_utm(source: &str, medium: &str, referrer: Option<&str>) -> (String, &'static str) {
        let utm = Utm {
            source: source.into(),
            medium: medium.into(),
            ..Default::default()
        };
        let rf = referrer.map(r);
        let a = classify(
            rf.as_ref(),
            "clinique.fr",
            &utm,
            &["cabinet-dr-lefevre.fr".into()],
        );
        (a.source, a.channel.as_str())
    }

    #[test]
    fn search_engines_with_country_domains() {
        assert_eq!(by_ref("google.fr"), ("Google".into(), "Organic Search"));
        assert_eq!(
            by_ref("news.google.co.uk"),
            ("Google".into(), "Organic Search")
        );
        assert_eq!(by_ref("google.com.br"), ("Google".into(), "Organic Search"));
        assert_eq!(by_ref("qwant.com"), ("Qwant".into(), "Organic Search"));
        assert_eq!(by_ref("ecosia.org"), ("Ecosia".into(), "Organic Search"));
        assert_eq!(
            by_ref("duckduckgo.com"),
            ("DuckDuckGo".into(), "Organic Search")
        );
    }

    #[test]
    fn label_boundaries() {
        assert_eq!(
            by_ref("evilgoogle.com"),
            ("evilgoogle.com".into(), "Referral")
        );
        assert_eq!(
            by_ref("notfacebook.com"),
            ("notfacebook.com".into(), "Referral")
        );
        assert_eq!(
            by_ref("l.facebook.com"),
            ("Facebook".into(), "Organic Social")
        );
        assert_eq!(
            by_ref("google.example.org"),
            ("google.example.org".into(), "Referral")
        );
    }

    #[test]
    fn social_video_email_and_booking_platforms() {
        assert_eq!(by_ref("lnkd.in"), ("LinkedIn".into(), "Organic Social"));
        assert_eq!(by_ref("t.co"), ("X (Twitter)".into(), "Organic Social"));
        assert_eq!(by_ref("youtu.be"), ("YouTube".into(), "Organic Video"));
        assert_eq!(by_ref("mail.google.com"), ("Gmail".into(), "Email"));
        assert_eq!(by_ref("us5.list-manage.com"), ("Mailchimp".into(), "Email"));
        assert_eq!(by_ref("doctolib.fr"), ("Doctolib".into(), "Referral"));
        assert_eq!(by_ref("xing.com"), ("Xing".into(), "Organic Social"));
    }

    #[test]
    fn partners_internal_and_direct() {
        assert_eq!(
            by_ref("cabinet-dr-lefevre.fr"),
            ("cabinet-dr-lefevre.fr".into(), "Referring Professional")
        );
        assert_eq!(by_ref("clinique.fr"), ("".into(), "Internal"));
        assert_eq!(by_ref("rdv.clinique.fr"), ("".into(), "Internal"));
        let a = classify(None, "clinique.fr", &Utm::default(), &[]);
        assert_eq!(
            (a.source.as_str(), a.channel),
            ("Direct / None", Channel::Direct)
        );
    }

    #[test]
    fn paid_clicks() {
        assert_eq!(
            by_ref("googleadservices.com"),
            ("Google".into(), "Paid Search")
        );
        assert_eq!(
            by_utm("google", "cpc", None),
            ("Google".into(), "Paid Search")
        );
        assert_eq!(
            by_utm("facebook", "paid", None),
            ("Facebook".into(), "Paid Social")
        );
        assert_eq!(
            by_utm("ig", "paid-social", None),
            ("Instagram".into(), "Paid Social")
        );
    }

    #[test]
    fn utm_takes_precedence_over_the_referrer() {
        assert_eq!(
            by_utm("newsletter", "email", Some("mail.google.com")),
            ("Newsletter".into(), "Email")
        );
        assert_eq!(
            by_utm("zoom", "Webinaire", Some("google.fr")),
            ("zoom".into(), "Webinar")
        );
        assert_eq!(
            by_utm(" FB ", "", None),
            ("Facebook".into(), "Organic Social")
        );
        assert_eq!(by_utm("Brevo", "", None), ("Brevo".into(), "Email"));
        assert_eq!(
            by_utm("cabinet-dr-lefevre.fr", "", None),
            ("cabinet-dr-lefevre.fr".into(), "Referring Professional")
        );
        assert_eq!(
            by_utm("salon-sante", "", None),
            ("salon-sante".into(), "Referral")
        );
        assert_eq!(
            by_utm("", "email", Some("mail.google.com")),
            ("Gmail".into(), "Email")
        );
        assert_eq!(
            by_utm("x", "display", None),
            ("X (Twitter)".into(), "Display")
        );
    }
}
