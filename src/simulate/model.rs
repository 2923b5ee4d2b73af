//! The simulated clinic: its pages, the channels that bring patients, their devices and
//! where they connect from. Static tables only; `journey` walks them.
//!
//! Proportions follow the clinic-marketing articles in `shared/seeds` (search first,
//! then direct and social networks, newsletters and webinars as owned channels,
//! referring doctors and Doctolib) and public device/browser shares for France in 2026.
//! Every channel row names the source and channel Parcours must store for it; a unit
//! test runs the real classifier over the table, so model and product cannot drift.

/// What kind of page a path is; journeys move between kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `/`.
    Home,
    /// A symptom article, the usual entry from search.
    Symptom,
    /// A condition page.
    Condition,
    /// A specialty (department) page.
    Specialty,
    /// The list of doctors.
    Doctors,
    /// One doctor's profile.
    Doctor,
    /// The booking form (`Booking Started`).
    Booking,
    /// The booking confirmation (`Booking Confirmed`).
    Confirmation,
    /// Access, parking, admission, fees.
    Practical,
    /// News and blog articles.
    News,
    /// A webinar page (`Webinar Registration`).
    Webinar,
    /// The newsletter page (`Newsletter Signup`).
    Newsletter,
    /// Contact, testimonials, about.
    About,
    /// The patient area: a sensitive path, kept for aggregate counts only.
    PatientArea,
}

/// One page: its raw path (`{id}` is replaced by a random number) and specialty.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// Path as the browser shows it.
    pub path: &'static str,
    /// Kind of page.
    pub kind: Kind,
    /// Index into [`SPECIALTIES`], or `usize::MAX` for none.
    pub specialty: usize,
}

const NONE: usize = usize::MAX;

/// Medical specialties of the clinic (URL slugs, as used in props).
pub const SPECIALTIES: &[&str] = &[
    "orthopedie",
    "cardiologie",
    "chirurgie-du-rachis",
    "pneumologie",
    "neurologie",
    "gastro-enterologie",
    "urologie",
    "chirurgie-vasculaire",
];

const fn page(path: &'static str, kind: Kind, specialty: usize) -> Page {
    Page {
        path,
        kind,
        specialty,
    }
}

/// The clinic's website.
pub const PAGES: &[Page] = &[
    page("/", Kind::Home, NONE),
    page("/symptomes/douleur-au-genou", Kind::Symptom, 0),
    page("/symptomes/douleur-a-la-hanche", Kind::Symptom, 0),
    page("/symptomes/douleur-a-l-epaule", Kind::Symptom, 0),
    page("/symptomes/essoufflement", Kind::Symptom, 1),
    page("/symptomes/palpitations", Kind::Symptom, 1),
    page("/symptomes/douleur-thoracique", Kind::Symptom, 1),
    page("/symptomes/mal-de-dos", Kind::Symptom, 2),
    page("/symptomes/sciatique", Kind::Symptom, 2),
    page("/symptomes/ronflements-et-apnee", Kind::Symptom, 3),
    page("/symptomes/toux-persistante", Kind::Symptom, 3),
    page("/symptomes/vertiges", Kind::Symptom, 4),
    page("/symptomes/maux-de-tete-frequents", Kind::Symptom, 4),
    page("/symptomes/reflux-gastrique", Kind::Symptom, 5),
    page("/symptomes/calculs-renaux", Kind::Symptom, 6),
    page("/symptomes/jambes-lourdes", Kind::Symptom, 7),
    page("/pathologies/arthrose-du-genou", Kind::Condition, 0),
    page("/pathologies/coxarthrose", Kind::Condition, 0),
    page(
        "/pathologies/rupture-des-ligaments-croises",
        Kind::Condition,
        0,
    ),
    page("/pathologies/insuffisance-cardiaque", Kind::Condition, 1),
    page("/pathologies/fibrillation-auriculaire", Kind::Condition, 1),
    page("/pathologies/hernie-discale", Kind::Condition, 2),
    page("/pathologies/canal-lombaire-etroit", Kind::Condition, 2),
    page("/pathologies/apnee-du-sommeil", Kind::Condition, 3),
    page("/pathologies/migraine", Kind::Condition, 4),
    page("/pathologies/reflux-gastro-oesophagien", Kind::Condition, 5),
    page("/pathologies/lithiase-urinaire", Kind::Condition, 6),
    page("/pathologies/insuffisance-veineuse", Kind::Condition, 7),
    page("/specialites/orthopedie", Kind::Specialty, 0),
    page("/specialites/cardiologie", Kind::Specialty, 1),
    page("/specialites/chirurgie-du-rachis", Kind::Specialty, 2),
    page("/specialites/pneumologie", Kind::Specialty, 3),
    page("/specialites/neurologie", Kind::Specialty, 4),
    page("/specialites/gastro-enterologie", Kind::Specialty, 5),
    page("/specialites/urologie", Kind::Specialty, 6),
    page("/specialites/chirurgie-vasculaire", Kind::Specialty, 7),
    page("/medecins", Kind::Doctors, NONE),
    page("/medecins/dr-claire-martin", Kind::Doctor, 0),
    page("/medecins/dr-thomas-girard", Kind::Doctor, 0),
    page("/medecins/dr-karim-benali", Kind::Doctor, 1),
    page("/medecins/dr-helene-rousseau", Kind::Doctor, 1),
    page("/medecins/dr-sophie-durand", Kind::Doctor, 2),
    page("/medecins/dr-marc-lemaire", Kind::Doctor, 2),
    page("/medecins/dr-nadia-haddad", Kind::Doctor, 3),
    page("/medecins/dr-julien-moreau", Kind::Doctor, 4),
    page("/medecins/dr-anne-lefebvre", Kind::Doctor, 5),
    page("/medecins/dr-pierre-nguyen", Kind::Doctor, 6),
    page("/medecins/dr-laura-petit", Kind::Doctor, 7),
    page("/prendre-rendez-vous", Kind::Booking, NONE),
    page(
        "/prendre-rendez-vous/confirmation",
        Kind::Confirmation,
        NONE,
    ),
    page("/infos-pratiques/acces-et-parking", Kind::Practical, NONE),
    page(
        "/infos-pratiques/preparer-son-hospitalisation",
        Kind::Practical,
        NONE,
    ),
    page(
        "/infos-pratiques/tarifs-et-remboursements",
        Kind::Practical,
        NONE,
    ),
    page(
        "/infos-pratiques/horaires-et-contact",
        Kind::Practical,
        NONE,
    ),
    page(
        "/actualites/nouvelle-salle-de-chirurgie-robotique",
        Kind::News,
        0,
    ),
    page(
        "/actualites/prevenir-les-maux-de-dos-au-bureau",
        Kind::News,
        2,
    ),
    page("/actualites/coeur-et-sport-apres-50-ans", Kind::News, 1),
    page("/actualites/bien-dormir-en-hiver", Kind::News, 3),
    page("/webinaires/prothese-de-hanche", Kind::Webinar, 0),
    page(
        "/webinaires/vivre-avec-une-insuffisance-cardiaque",
        Kind::Webinar,
        1,
    ),
    page("/webinaires/mal-de-dos-les-bons-gestes", Kind::Webinar, 2),
    page("/newsletter", Kind::Newsletter, NONE),
    page("/temoignages", Kind::About, NONE),
    page("/la-clinique", Kind::About, NONE),
    page("/mon-espace-patient", Kind::PatientArea, NONE),
    page(
        "/mon-espace-patient/rendez-vous/{id}",
        Kind::PatientArea,
        NONE,
    ),
    page("/mon-espace-patient/documents", Kind::PatientArea, NONE),
];

// The ground truth tracks pages seen per visitor as bits of a u128.
const _: () = assert!(PAGES.len() <= 128);

/// The demo site's sensitive paths (its patient area).
pub const SENSITIVE_PATHS: &[&str] = &["/mon-espace-patient/**"];

/// Referring doctors' practices, registered as the demo site's partner domains.
pub const PARTNER_DOMAINS: &[&str] = &[
    "cabinet-dr-lefevre.fr",
    "maison-medicale-des-lilas.fr",
    "kine-saint-michel.fr",
];

/// Gives a site the simulated clinic's privacy settings: its patient area sensitive, its
/// referring doctors as partners (so their visits count as "Referring Professional").
pub fn clinic_settings(site: &mut crate::store::sites::Site) {
    site.sensitive_paths = SENSITIVE_PATHS.iter().map(|s| s.to_string()).collect();
    site.partner_domains = PARTNER_DOMAINS.iter().map(|s| s.to_string()).collect();
}

/// Where a visit comes from: how the browser arrives and what Parcours must store.
#[derive(Debug, Clone, Copy)]
pub struct Channel {
    /// `document.referrer`, empty for none.
    pub referrer: &'static str,
    /// Query string of the landing URL (UTM tags, click ids), empty for none.
    pub query: &'static str,
    /// Relative weight among first visits.
    pub weight: u32,
    /// Source Parcours stores.
    pub source: &'static str,
    /// Channel Parcours stores.
    pub channel: &'static str,
    /// Kinds of page this channel lands on, most likely first.
    pub lands_on: &'static [Kind],
}

const SEARCH_LANDING: &[Kind] = &[
    Kind::Symptom,
    Kind::Symptom,
    Kind::Symptom,
    Kind::Symptom,
    Kind::Condition,
    Kind::Condition,
    Kind::Condition,
    Kind::Doctor,
    Kind::Home,
    Kind::Specialty,
    Kind::Practical,
];
const SOCIAL_LANDING: &[Kind] = &[
    Kind::News,
    Kind::News,
    Kind::Symptom,
    Kind::Webinar,
    Kind::Home,
];
const EMAIL_LANDING: &[Kind] = &[Kind::News, Kind::News, Kind::Webinar, Kind::Doctor];
const PARTNER_LANDING: &[Kind] = &[Kind::Doctor, Kind::Doctor, Kind::Specialty];
const DIRECT_LANDING: &[Kind] = &[
    Kind::Home,
    Kind::Home,
    Kind::Home,
    Kind::PatientArea,
    Kind::Practical,
    Kind::Doctor,
];

/// The channels of a first visit, with their weights (sum 1,000).
pub const CHANNELS: &[Channel] = &[
    ch(
        "https://www.google.fr/",
        "",
        300,
        "Google",
        "Organic Search",
        SEARCH_LANDING,
    ),
    ch(
        "https://www.google.com/",
        "",
        60,
        "Google",
        "Organic Search",
        SEARCH_LANDING,
    ),
    ch(
        "https://www.bing.com/",
        "",
        40,
        "Bing",
        "Organic Search",
        SEARCH_LANDING,
    ),
    ch(
        "https://www.qwant.com/",
        "",
        15,
        "Qwant",
        "Organic Search",
        SEARCH_LANDING,
    ),
    ch(
        "https://duckduckgo.com/",
        "",
        15,
        "DuckDuckGo",
        "Organic Search",
        SEARCH_LANDING,
    ),
    ch(
        "https://www.ecosia.org/",
        "",
        5,
        "Ecosia",
        "Organic Search",
        SEARCH_LANDING,
    ),
    ch(
        "https://www.google.fr/",
        "?utm_source=google&utm_medium=cpc&utm_campaign=orthopedie-genou&gclid=Cj0KCQiA",
        40,
        "Google",
        "Paid Search",
        &[Kind::Specialty, Kind::Doctor, Kind::Condition],
    ),
    ch("", "", 190, "Direct / None", "Direct", DIRECT_LANDING),
    ch(
        "https://l.facebook.com/",
        "?fbclid=IwAR3xQ",
        50,
        "Facebook",
        "Organic Social",
        SOCIAL_LANDING,
    ),
    ch(
        "https://m.facebook.com/",
        "?utm_source=facebook&utm_medium=paid_social&utm_campaign=depistage-apnee",
        20,
        "Facebook",
        "Paid Social",
        &[Kind::Condition, Kind::Symptom],
    ),
    ch(
        "https://www.instagram.com/",
        "",
        30,
        "Instagram",
        "Organic Social",
        SOCIAL_LANDING,
    ),
    ch(
        "https://www.linkedin.com/",
        "",
        20,
        "LinkedIn",
        "Organic Social",
        SOCIAL_LANDING,
    ),
    ch(
        "https://www.youtube.com/",
        "",
        20,
        "YouTube",
        "Video",
        SOCIAL_LANDING,
    ),
    ch(
        "https://t.co/",
        "",
        10,
        "X (Twitter)",
        "Organic Social",
        SOCIAL_LANDING,
    ),
    ch(
        "",
        "?utm_source=newsletter&utm_medium=email&utm_campaign=lettre-patients",
        50,
        "Newsletter",
        "Email",
        EMAIL_LANDING,
    ),
    ch(
        "https://mail.google.com/",
        "?utm_source=newsletter&utm_medium=email&utm_campaign=lettre-medecins",
        10,
        "Newsletter",
        "Email",
        EMAIL_LANDING,
    ),
    ch(
        "",
        "?utm_source=invitation&utm_medium=webinar&utm_campaign=prothese-de-hanche",
        25,
        "invitation",
        "Webinar",
        &[Kind::Webinar],
    ),
    ch(
        "https://cabinet-dr-lefevre.fr/orientation",
        "",
        20,
        "cabinet-dr-lefevre.fr",
        "Referring Professional",
        PARTNER_LANDING,
    ),
    ch(
        "https://www.maison-medicale-des-lilas.fr/",
        "",
        15,
        "maison-medicale-des-lilas.fr",
        "Referring Professional",
        PARTNER_LANDING,
    ),
    ch(
        "https://kine-saint-michel.fr/partenaires",
        "",
        5,
        "kine-saint-michel.fr",
        "Referring Professional",
        PARTNER_LANDING,
    ),
    ch(
        "https://www.doctolib.fr/",
        "",
        40,
        "Doctolib",
        "Referral",
        &[Kind::Doctor],
    ),
    ch(
        "https://www.sante.fr/annuaire",
        "",
        20,
        "sante.fr",
        "Referral",
        &[Kind::Specialty, Kind::Practical],
    ),
];

const fn ch(
    referrer: &'static str,
    query: &'static str,
    weight: u32,
    source: &'static str,
    channel: &'static str,
    lands_on: &'static [Kind],
) -> Channel {
    Channel {
        referrer,
        query,
        weight,
        source,
        channel,
        lands_on,
    }
}

/// Index of the direct channel in [`CHANNELS`].
pub fn direct() -> usize {
    CHANNELS
        .iter()
        .position(|c| c.channel == "Direct")
        .expect("a direct channel")
}

/// Browsers, as (user agent, weight): desktop 40 %, mobile 52 %, tablet 8 %.
pub const USER_AGENTS: &[(&str, u32)] = &[
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", 190),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", 70),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", 45),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", 55),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", 25),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", 15),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", 190),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1", 40),
    ("Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", 150),
    ("Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36", 60),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", 40),
    ("Mozilla/5.0 (Linux; Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0", 20),
    ("Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", 30),
    ("Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1", 50),
];

/// Crawlers and tools that visit every site; Parcours must drop all of them.
pub const BOT_AGENTS: &[&str] = &[
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
    "python-requests/2.32.3",
    "curl/8.5.0",
];

/// An address block: first address and prefix length.
pub type Block = ([u8; 4], u8);

/// Address blocks whose DB-IP records name one country (checked against DB-IP Lite
/// 2026-11; France first, as the fallback when a smaller country's blocks run out): (country, weight, blocks as (first address, prefix length)).
pub const NETWORKS: &[(&str, u32, &[Block])] = &[
    (
        "FR",
        880,
        &[
            ([86, 192, 0, 0], 10),
            ([82, 64, 0, 0], 14),
            ([109, 0, 0, 0], 12),
            ([176, 128, 0, 0], 10),
            ([88, 160, 0, 0], 11),
            ([93, 0, 0, 0], 11),
            ([80, 12, 0, 0], 14),
            ([89, 80, 0, 0], 12),
            ([91, 160, 0, 0], 12),
            ([78, 112, 0, 0], 12),
            ([79, 80, 0, 0], 12),
            ([82, 120, 0, 0], 13),
            ([88, 120, 0, 0], 13),
            ([109, 208, 0, 0], 12),
            // These two also hold a few overseas departments (Guadeloupe, Martinique).
            ([90, 0, 0, 0], 10),
            ([92, 128, 0, 0], 11),
        ],
    ),
    (
        "BE",
        40,
        &[
            ([81, 240, 0, 0], 13),
            ([109, 128, 0, 0], 12),
            ([178, 116, 0, 0], 14),
        ],
    ),
    (
        "CH",
        30,
        &[
            ([85, 0, 0, 0], 13),
            ([83, 76, 0, 0], 14),
            ([188, 60, 0, 0], 14),
        ],
    ),
    ("LU", 10, &[([94, 252, 64, 0], 18), ([158, 64, 0, 0], 16)]),
    ("MA", 15, &[([41, 140, 0, 0], 14)]),
    ("DZ", 10, &[([105, 96, 0, 0], 12), ([41, 96, 0, 0], 12)]),
    ("TN", 5, &[([197, 0, 0, 0], 13)]),
    ("CA", 10, &[([174, 88, 0, 0], 13)]),
];

/// Relative traffic by hour of the day, site-local time (peaks late morning and evening).
pub const HOURLY: [u32; 24] = [
    8, 4, 3, 2, 2, 4, 10, 25, 45, 60, 68, 66, 55, 52, 58, 60, 56, 52, 55, 62, 66, 58, 38, 18,
];

/// Relative traffic by weekday, Monday first.
pub const WEEKLY: [u32; 7] = [118, 110, 106, 104, 96, 72, 78];

/// Pages of one kind.
pub fn pages_of(kind: Kind) -> impl Iterator<Item = usize> {
    PAGES
        .iter()
        .enumerate()
        .filter(move |(_, p)| p.kind == kind)
        .map(|(i, _)| i)
}

/// Index of the page with this path.
pub fn page_index(path: &str) -> usize {
    PAGES
        .iter()
        .position(|p| p.path == path)
        .unwrap_or_else(|| panic!("no page {path}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrich::referrer::classify;
    use crate::enrich::url::{scrub_referrer, scrub_url};

    #[test]
    fn every_channel_is_classified_as_the_model_says() {
        let partners: Vec<String> = PARTNER_DOMAINS.iter().map(|s| s.to_string()).collect();
        let mut wrong = Vec::new();
        for c in CHANNELS {
            let url = format!("https://demo.parcours.local/{}", c.query);
            let scrubbed = scrub_url(&url, false, &[]).unwrap();
            let referrer = (!c.referrer.is_empty())
                .then(|| scrub_referrer(c.referrer))
                .flatten();
            let got = classify(
                referrer.as_ref(),
                "demo.parcours.local",
                &scrubbed.utm,
                &partners,
            );
            if (got.source.as_str(), got.channel.as_str()) != (c.source, c.channel) {
                wrong.push(format!("{} {}: {got:?}", c.referrer, c.query));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn every_kind_a_channel_lands_on_has_pages() {
        for c in CHANNELS {
            for k in c.lands_on {
                assert!(pages_of(*k).next().is_some(), "{k:?}");
            }
        }
        assert_eq!(CHANNELS.iter().map(|c| c.weight).sum::<u32>(), 1_000);
    }
}
