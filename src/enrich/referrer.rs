//! Source and channel attribution of a pageview from its scrubbed referrer, its UTM
//! parameters and the site's partner domains (e.g. referring doctors' sites).
//!
//! Does: canonicalise known sources, map `utm_medium` (French spellings included) to a
//! channel, recognise search engines, social networks, webmails and ad redirectors by host.
//!
//! Deliberately does not: scrub (inputs come from `url`), decide which pageview of a
//! session carries the attribution, resolve the full public-suffix list (a small built-in
//! approximation is used), or make any network look-up.

use std::fmt;

use super::referrer_sources::{
    known_host, match_partner, normalise_host, registrable_domain, Kind, ALIASES,
};
use super::url::{ScrubbedReferrer, Utm};

/// Source recorded when there is neither referrer nor UTM, as Plausible does.
pub const DIRECT_SOURCE: &str = "Direct / None";
/// Maximum stored source length, in characters.
pub const MAX_SOURCE_CHARS: usize = 100;

/// Marketing channel of a visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Channel {
    /// No referrer and no UTM.
    Direct,
    /// Unpaid search-engine results.
    OrganicSearch,
    /// Search ads.
    PaidSearch,
    /// Unpaid social networks and messengers.
    OrganicSocial,
    /// Social ads.
    PaidSocial,
    /// Webmails, newsletters and e-mailing tools.
    Email,
    /// Webinars and live sessions, a staple of health-sector marketing.
    Webinar,
    /// A site from the per-site partner list, e.g. a referring doctor.
    ReferringProfessional,
    /// Any other external site.
    Referral,
    /// Another page or subdomain of the same site.
    Internal,
    /// Display, banner and programmatic ads.
    Display,
    /// Video platforms, kept apart from social because clinics publish there on purpose.
    Video,
}

impl Channel {
    /// Every channel, in display order.
    pub const ALL: [Channel; 12] = [
        Channel::Direct,
        Channel::OrganicSearch,
        Channel::PaidSearch,
        Channel::OrganicSocial,
        Channel::PaidSocial,
        Channel::Email,
        Channel::Webinar,
        Channel::ReferringProfessional,
        Channel::Referral,
        Channel::Internal,
        Channel::Display,
        Channel::Video,
    ];

    /// Stable human-readable name, safe to store and to show.
    pub fn as_str(&self) -> &'static str {
        match self {
            Channel::Direct => "Direct",
            Channel::OrganicSearch => "Organic Search",
            Channel::PaidSearch => "Paid Search",
            Channel::OrganicSocial => "Organic Social",
            Channel::PaidSocial => "Paid Social",
            Channel::Email => "Email",
            Channel::Webinar => "Webinar",
            Channel::ReferringProfessional => "Referring Professional",
            Channel::Referral => "Referral",
            Channel::Internal => "Internal",
            Channel::Display => "Display",
            Channel::Video => "Video",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a visit came from: a source name and its channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribution {
    /// Canonical source name, partner domain, referring host, `Direct / None`, or empty.
    pub source: String,
    /// The channel.
    pub channel: Channel,
}

/// What is known about a source before the medium is taken into account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Known(Kind),
    Partner,
    Internal,
    Unknown,
}

/// Attributes a visit; UTM wins over the referrer, which wins over "Direct".
pub fn classify(
    referrer: Option<&ScrubbedReferrer>,
    page_host: &str,
    utm: &Utm,
    partner_domains: &[String],
) -> Attribution {
    let from_referrer = referrer
        .map(|r| (normalise_host(&r.host), r.path.as_str()))
        .filter(|(host, _)| !host.is_empty())
        .map(|(host, path)| classify_host(&host, path, page_host, partner_domains));
    let utm_source = utm.source.trim();
    let medium = fold(&utm.medium);
    if utm_source.is_empty() && medium.is_empty() {
        return match from_referrer {
            Some((source, class)) => attribution(source, channel_of(class)),
            None => attribution(DIRECT_SOURCE.to_owned(), Channel::Direct),
        };
    }
    // Without utm_source, the referrer still names the source and tells search from social.
    let (source, class) = if utm_source.is_empty() {
        match from_referrer {
            Some((_, Class::Internal)) | None => (String::new(), Class::Unknown),
            Some(found) => found,
        }
    } else {
        classify_utm_source(utm_source, partner_domains)
    };
    attribution(source, channel_for_medium(&medium, class))
}

fn attribution(source: String, channel: Channel) -> Attribution {
    let source = match source.char_indices().nth(MAX_SOURCE_CHARS) {
        Some((cut, _)) => source[..cut].to_owned(),
        None => source,
    };
    Attribution { source, channel }
}

fn channel_of(class: Class) -> Channel {
    match class {
        Class::Known(Kind::Search) => Channel::OrganicSearch,
        Class::Known(Kind::PaidSearch) => Channel::PaidSearch,
        Class::Known(Kind::Social) => Channel::OrganicSocial,
        Class::Known(Kind::Video) => Channel::Video,
        Class::Known(Kind::Email) => Channel::Email,
        Class::Known(Kind::Other) | Class::Unknown => Channel::Referral,
        Class::Partner => Channel::ReferringProfessional,
        Class::Internal => Channel::Internal,
    }
}

/// Lowercases, folds French accents and unifies separators so `Réseaux_Sociaux`,
/// `reseaux sociaux` and `reseaux-sociaux` are one medium.
fn fold(s: &str) -> String {
    s.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            '_' | ' ' | '.' => '-',
            c => c,
        })
        .collect()
}

fn channel_for_medium(medium: &str, class: Class) -> Channel {
    let social = class == Class::Known(Kind::Social);
    match medium {
        "cpc" | "ppc" | "paid" | "ads" | "paid-ads" | "sponsored" | "sponsorise" => match class {
            Class::Known(Kind::Social) => Channel::PaidSocial,
            // YouTube ads are bought as video inventory, which we report with display.
            Class::Known(Kind::Video) => Channel::Display,
            // Most unlabelled CPC is search; there is no "Paid Other" channel.
            _ => Channel::PaidSearch,
        },
        "paidsearch" | "paid-search" | "sea" | "sem" => Channel::PaidSearch,
        "paidsocial" | "paid-social" | "social-paid" | "social-ads" => Channel::PaidSocial,
        "display" | "banner" | "banniere" | "cpm" | "cpv" | "retargeting" | "remarketing" => {
            if social {
                Channel::PaidSocial
            } else {
                Channel::Display
            }
        }
        "email" | "e-mail" | "mail" | "newsletter" | "newsletters" | "emailing" | "e-mailing"
        | "mailing" | "courriel" => Channel::Email,
        "webinar" | "webinars" | "webinaire" | "webinaires" | "webcast" | "webconference"
        | "web-conference" | "visioconference" | "live" | "livestream" | "live-stream" => {
            Channel::Webinar
        }
        "social" | "social-network" | "social-media" | "socialmedia" | "sm" | "organic-social"
        | "reseaux-sociaux" | "reseau-social" => Channel::OrganicSocial,
        "partner"
        | "partners"
        | "partenaire"
        | "partenaires"
        | "prescripteur"
        | "prescripteurs"
        | "referring-professional" => Channel::ReferringProfessional,
        "referral" | "referer" | "referrer" if class == Class::Partner => {
            Channel::ReferringProfessional
        }
        "referral" | "referer" | "referrer" => Channel::Referral,
        "organic" | "organic-search" | "seo" => Channel::OrganicSearch,
        "video" | "organic-video" => Channel::Video,
        // Unknown or absent medium: the source decides.
        _ => channel_of(class),
    }
}

fn classify_utm_source(raw: &str, partner_domains: &[String]) -> (String, Class) {
    let folded = fold(raw);
    if let Some((_, name, kind)) = ALIASES.iter().find(|(alias, _, _)| *alias == folded) {
        return (name.to_string(), Class::Known(*kind));
    }
    // Marketers often paste a domain (`m.facebook.com`, `dr-martin.fr`) as the source.
    let host = normalise_host(raw);
    if host.contains('.') && !host.contains(char::is_whitespace) {
        if let Some(partner) = match_partner(&host, partner_domains) {
            return (partner, Class::Partner);
        }
        if let Some((name, kind)) = known_host(&host) {
            return (name.to_owned(), Class::Known(kind));
        }
    }
    (raw.to_owned(), Class::Unknown)
}

fn classify_host(
    host: &str,
    path: &str,
    page_host: &str,
    partner_domains: &[String],
) -> (String, Class) {
    let page_host = normalise_host(page_host);
    if host == page_host || registrable_domain(host) == registrable_domain(&page_host) {
        return (String::new(), Class::Internal);
    }
    if let Some(partner) = match_partner(host, partner_domains) {
        return (partner, Class::Partner);
    }
    match known_host(host) {
        // Google and Bing route ad clicks through `/aclk` on their own hosts.
        Some((name, Kind::Search)) if path.starts_with("/aclk") || path.starts_with("/pagead") => {
            (name.to_owned(), Class::Known(Kind::PaidSearch))
        }
        Some((name, kind)) => (name.to_owned(), Class::Known(kind)),
        None if (host.starts_with("webmail.") || host.starts_with("mail."))
            && host.matches('.').count() >= 2 =>
        {
            (host.to_owned(), Class::Known(Kind::Email))
        }
        None => (host.to_owned(), Class::Unknown),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "www.clinique-du-lac.fr";
    const PARTNERS: [&str; 5] = [
        " https://www.Dr-Martin.fr/ ",
        "chu-lyon.fr",
        "cardio.chu-lyon.fr",
        "",
        " ",
    ];

    /// One case a line: `referrer host[/path] | utm_source | utm_medium => source | channel`,
    /// `-` for no referrer; columns are trimmed, so whitespace handling is tested apart.
    fn check(table: &str) {
        let partners: Vec<String> = PARTNERS.iter().map(|p| p.to_string()).collect();
        for line in table.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (input, expected) = line.split_once("=>").expect(line);
            let col: Vec<&str> = input
                .split('|')
                .chain(expected.split('|'))
                .map(str::trim)
                .collect();
            let referrer = (col[0] != "-").then(|| {
                let (host, path) = col[0].split_once('/').unwrap_or((col[0], ""));
                ScrubbedReferrer {
                    host: host.into(),
                    path: format!("/{path}"),
                }
            });
            let utm = Utm {
                source: col[1].into(),
                medium: col[2].into(),
                ..Utm::default()
            };
            let got = classify(referrer.as_ref(), PAGE, &utm, &partners);
            assert_eq!(
                (got.source.as_str(), got.channel.as_str()),
                (col[3], col[4]),
                "{line}"
            );
        }
    }

    #[test]
    fn channel_names_are_stable_and_distinct() {
        let mut names: Vec<&str> = Channel::ALL.iter().map(Channel::as_str).collect();
        assert_eq!(names[..3], ["Direct", "Organic Search", "Paid Search"]);
        assert_eq!(
            Channel::ReferringProfessional.to_string(),
            "Referring Professional"
        );
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Channel::ALL.len());
    }

    #[test]
    fn direct_without_referrer_or_utm() {
        let direct = Attribution {
            source: DIRECT_SOURCE.into(),
            channel: Channel::Direct,
        };
        let blank = Utm {
            source: "  ".into(),
            medium: "\t".into(),
            ..Utm::default()
        };
        assert_eq!(classify(None, PAGE, &blank, &[]), direct);
        let no_host = ScrubbedReferrer {
            host: " ".into(),
            path: "/".into(),
        };
        assert_eq!(classify(Some(&no_host), PAGE, &Utm::default(), &[]), direct);
        check("- | | => Direct / None | Direct");
    }

    #[test]
    fn known_referrer_hosts() {
        check(
            "google.com | | => Google | Organic Search
            www.google.fr/search | | => Google | Organic Search
            news.google.fr | | => Google | Organic Search
            google.co.uk | | => Google | Organic Search
            google.com.br | | => Google | Organic Search
            bing.com | | => Bing | Organic Search
            duckduckgo.com | | => DuckDuckGo | Organic Search
            qwant.com | | => Qwant | Organic Search
            fr.search.yahoo.com | | => Yahoo | Organic Search
            search.brave.com | | => Brave Search | Organic Search
            search.lilo.org | | => Lilo | Organic Search
            m.facebook.com | | => Facebook | Organic Social
            l.facebook.com | | => Facebook | Organic Social
            lm.facebook.com | | => Facebook | Organic Social
            lnkd.in | | => LinkedIn | Organic Social
            t.co | | => X (Twitter) | Organic Social
            x.com | | => X (Twitter) | Organic Social
            pinterest.fr | | => Pinterest | Organic Social
            web.whatsapp.com | | => WhatsApp | Organic Social
            youtu.be | | => YouTube | Video
            m.youtube.com | | => YouTube | Video
            mail.google.com | | => Gmail | Email
            outlook.live.com | | => Outlook | Email
            fr.mail.yahoo.com | | => Yahoo Mail | Email
            us5.list-manage.com | | => Mailchimp | Email
            r.sendibt3.com | | => Brevo | Email
            webmail.sfr.fr | | => webmail.sfr.fr | Email
            www.googleadservices.com/pagead/aclk | | => Google | Paid Search
            ad.doubleclick.net | | => Google | Paid Search
            google.fr/aclk | | => Google | Paid Search
            bing.com/aclk | | => Bing | Paid Search
            www.doctolib.fr/clinique | | => Doctolib | Referral
            chatgpt.com | | => ChatGPT | Referral
            WWW.Google.FR. | | => Google | Organic Search",
        );
    }

    #[test]
    fn hosts_match_on_label_boundaries_only() {
        check(
            "evilgoogle.com | | => evilgoogle.com | Referral
            mygoogle.fr | | => mygoogle.fr | Referral
            google.evil.com | | => google.evil.com | Referral
            google.co.evil | | => google.co.evil | Referral
            notfacebook.com | | => notfacebook.com | Referral
            facebook.com.evil.io | | => facebook.com.evil.io | Referral
            mail.fr | | => mail.fr | Referral
            mydr-martin.fr | | => mydr-martin.fr | Referral",
        );
    }

    #[test]
    fn partners_are_referring_professionals() {
        check(
            "dr-martin.fr | | => dr-martin.fr | Referring Professional
            www.DR-MARTIN.fr. | | => dr-martin.fr | Referring Professional
            rdv.dr-martin.fr/cabinet | | => dr-martin.fr | Referring Professional
            neuro.chu-lyon.fr | | => chu-lyon.fr | Referring Professional
            a.cardio.chu-lyon.fr | | => cardio.chu-lyon.fr | Referring Professional",
        );
    }

    #[test]
    fn internal_and_other_referrals() {
        check(
            "clinique-du-lac.fr/soins | | => | Internal
            www.clinique-du-lac.fr | | => | Internal
            rdv.clinique-du-lac.fr | | => | Internal
            CLINIQUE-DU-LAC.FR | | => | Internal
            lac.fr | | => lac.fr | Referral
            www.ameli.fr/assure | | => ameli.fr | Referral",
        );
        let on = |referrer: &str, page: &str| {
            let r = ScrubbedReferrer {
                host: referrer.into(),
                path: "/".into(),
            };
            classify(Some(&r), page, &Utm::default(), &[])
                .channel
                .as_str()
        };
        assert_eq!(on("b.clinique.co.uk", "a.clinique.co.uk"), "Internal");
        assert_eq!(on("autre.co.uk", "clinique.co.uk"), "Referral");
        assert_eq!(on("alice.github.io", "bob.github.io"), "Referral");
        assert_eq!(on("docs.alice.github.io", "alice.github.io"), "Internal");
        assert_eq!(on("10.0.0.2", "10.0.0.1"), "Referral");
        assert_eq!(on("10.0.0.1", "10.0.0.1"), "Internal");
        let long = ScrubbedReferrer {
            host: format!("{}.fr", "a".repeat(150)),
            path: "/".into(),
        };
        let got = classify(Some(&long), PAGE, &Utm::default(), &[]);
        assert_eq!(got.source.chars().count(), MAX_SOURCE_CHARS);
    }

    #[test]
    fn utm_source_is_canonicalised() {
        check(
            "- | fb | => Facebook | Organic Social
            - | Facebook | => Facebook | Organic Social
            - | m.facebook.com | => Facebook | Organic Social
            - | l.facebook.com | => Facebook | Organic Social
            - | lm.facebook.com | => Facebook | Organic Social
            - | IG | => Instagram | Organic Social
            - | li | => LinkedIn | Organic Social
            - | lnkd.in | => LinkedIn | Organic Social
            - | twitter | => X (Twitter) | Organic Social
            - | X | => X (Twitter) | Organic Social
            - | t.co | => X (Twitter) | Organic Social
            - | yt | => YouTube | Video
            - | google | => Google | Organic Search
            - | www.google.fr | => Google | Organic Search
            - | bing | => Bing | Organic Search
            - | Newsletter | => Newsletter | Email
            - | sendinblue | => Brevo | Email
            - | hs_email | => HubSpot | Email
            - | Mailchimp | => Mailchimp | Email
            - | doctolib | => Doctolib | Referral
            - | dr-martin.fr | => dr-martin.fr | Referring Professional
            - | https://www.dr-martin.fr/ | => dr-martin.fr | Referring Professional
            - | Salon Santé 2024 | => Salon Santé 2024 | Referral",
        );
        let utm = |source: &str| Utm {
            source: source.into(),
            ..Utm::default()
        };
        let got = classify(None, PAGE, &utm("  Salon Santé\t"), &[]);
        assert_eq!(got.source, "Salon Santé");
        assert_eq!(
            classify(None, PAGE, &utm(" \tIG \n"), &[]).source,
            "Instagram"
        );
        let long = classify(None, PAGE, &utm(&"é".repeat(150)), &[]);
        assert_eq!(long.source.chars().count(), MAX_SOURCE_CHARS);
    }

    #[test]
    fn utm_medium_decides_the_channel() {
        check(
            "- | google | cpc => Google | Paid Search
            - | bing | PPC => Bing | Paid Search
            - | google | paid => Google | Paid Search
            - | annuaire | SEA => annuaire | Paid Search
            - | unknown | cpc => unknown | Paid Search
            - | fb | cpc => Facebook | Paid Social
            - | instagram | paid => Instagram | Paid Social
            - | linkedin | Paid_Social => LinkedIn | Paid Social
            - | whatever | paidsocial => whatever | Paid Social
            - | facebook | cpm => Facebook | Paid Social
            - | youtube | cpc => YouTube | Display
            - | criteo | display => criteo | Display
            - | criteo | Bannière => criteo | Display
            - | brevo | email => Brevo | Email
            - | crm | E-Mail => crm | Email
            - | crm | e_mail => crm | Email
            - | brevo | Emailing => Brevo | Email
            - | crm | courriel => crm | Email
            - | zoom | webinar => zoom | Webinar
            - | zoom | Webinaire => zoom | Webinar
            - | zoom | WEBINAIRES => zoom | Webinar
            - | youtube | live => YouTube | Webinar
            - | linkedin | social => LinkedIn | Organic Social
            - | linkedin | Social Network => LinkedIn | Organic Social
            - | facebook | Réseaux Sociaux => Facebook | Organic Social
            - | annuaire | referral => annuaire | Referral
            - | dr-martin.fr | referral => dr-martin.fr | Referring Professional
            - | reseau-ville | prescripteur => reseau-ville | Referring Professional
            - | google | organic => Google | Organic Search
            - | vimeo | video => Vimeo | Video",
        );
        let utm = Utm {
            source: "nl".into(),
            medium: " Newsletter\n".into(),
            ..Utm::default()
        };
        assert_eq!(classify(None, PAGE, &utm, &[]).channel, Channel::Email);
    }

    #[test]
    fn unknown_medium_infers_from_source() {
        check(
            "- | facebook | => Facebook | Organic Social
            - | ig | story => Instagram | Organic Social
            - | google | => Google | Organic Search
            - | youtube | => YouTube | Video
            - | mailchimp | => Mailchimp | Email
            - | newsletter | weird => Newsletter | Email
            - | salon-sante | flyer => salon-sante | Referral",
        );
    }

    #[test]
    fn utm_wins_over_referrer() {
        check(
            "google.fr | newsletter | email => Newsletter | Email
            clinique-du-lac.fr | newsletter | email => Newsletter | Email
            dr-martin.fr | fb | cpc => Facebook | Paid Social",
        );
        let r = ScrubbedReferrer {
            host: "google.fr".into(),
            path: "/".into(),
        };
        let campaign_only = Utm {
            campaign: "hanche".into(),
            ..Utm::default()
        };
        let got = classify(Some(&r), PAGE, &campaign_only, &[]);
        assert_eq!(
            got,
            Attribution {
                source: "Google".into(),
                channel: Channel::OrganicSearch
            }
        );
    }

    #[test]
    fn medium_without_source_borrows_the_referrer() {
        check(
            "m.facebook.com | | cpc => Facebook | Paid Social
            google.fr | | cpc => Google | Paid Search
            dr-martin.fr | | newsletter => dr-martin.fr | Email
            clinique-du-lac.fr | | email => | Email
            - | | email => | Email",
        );
    }
}
