//! Bot detection: whether a user agent is a person's browser or an automated client,
//! and if automated, of which kind (for the drop counters ops watch).
//!
//! # Requirements
//! 1. Drop at least 99 % of the user agents of the public crawler lists and keep at
//!    least 99.5 % of real browsers' (measured by `tests/it/bot_lists.rs` against npm
//!    packages pinned in `tests/bots/package.json`).
//! 2. Keep people in apps' built-in browsers (Facebook, Instagram, TikTok, LinkedIn...)
//!    even where a public list calls them bots: they are visitors.
//! 3. Cheap: this runs once per distinct user agent (the parser caches the answer), so
//!    one combined regex set is fine; nothing here runs per beacon.
//!
//! # How
//! In order, the first that answers wins:
//! * [`IN_APP_BROWSERS`]: tokens of apps' built-in browsers, always people.
//! * [`FAMILIES`]: a small table of bot families by kind (AI agents, link previews,
//!   monitors, headless browsers, HTTP libraries, crawlers), kept for two reasons: to
//!   name the kind of the bots the generic lists catch, and to catch what they miss
//!   (each entry was a miss of the measurement, or names a kind).
//! * the [`isbot`] crate's list and woothee's `crawler` category: bots of unnamed kind
//!   ([`BotKind::Crawler`]).
//! * shape rules, for the long tail no list can follow: a `compatible;` token without
//!   MSIE/Trident/Konqueror (browsers stopped sending it; bots imitate an old
//!   convention), or a user agent that does not start like any browser's (`Mozilla/`,
//!   and Opera Mini's and UC Browser's legacy `Opera/`, `UCWEB/`) unless woothee names
//!   a browser in it and it has no `Mozilla/` further on (feature phones).
//!
//! Deliberately not here: verifying a bot's claimed identity (reverse DNS), Client
//! Hints, or per-IP behaviour. A UA claiming to be a browser is believed.

use regex::RegexSet;

/// What kind of automated client a user agent belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BotKind {
    /// Search, SEO, archive and research crawlers, scrapers, scanners, feed readers, and
    /// any automated client not of a finer kind.
    Crawler,
    /// Uptime, synthetic, performance and security-header monitors.
    Monitor,
    /// Browsers driven by a program (HeadlessChrome, Playwright, Selenium, PhantomJS).
    Headless,
    /// Fetchers that build a link's preview card (chat apps, social networks).
    LinkPreview,
    /// AI crawlers and agents acting for an AI assistant's user.
    AiAgent,
    /// HTTP libraries and command-line tools (curl, python-requests, Go, Java).
    HttpLibrary,
    /// No user agent at all, or one too long to be a browser's.
    NoUserAgent,
}

impl BotKind {
    /// Every kind, for docs and tests.
    pub const ALL: [BotKind; 7] = [
        BotKind::Crawler,
        BotKind::Monitor,
        BotKind::Headless,
        BotKind::LinkPreview,
        BotKind::AiAgent,
        BotKind::HttpLibrary,
        BotKind::NoUserAgent,
    ];

    /// Stable snake_case name (the drop reason is `bot_` + this).
    pub fn as_str(self) -> &'static str {
        match self {
            BotKind::Crawler => "crawler",
            BotKind::Monitor => "monitor",
            BotKind::Headless => "headless",
            BotKind::LinkPreview => "link_preview",
            BotKind::AiAgent => "ai_agent",
            BotKind::HttpLibrary => "http_library",
            BotKind::NoUserAgent => "no_user_agent",
        }
    }
}

/// Tokens of apps' built-in browsers (lowercase regex): people, whatever a list says.
/// `crawler-user-agents` lists Meta's in-app browser and one Instagram UA as bots.
const IN_APP_BROWSERS: &[&str] = &[
    // Facebook and Messenger (`[FBAN/FBIOS;...]`, `[FB_IAB/FB4A;...]`, `MetaIAB Facebook`).
    r"\[fban/",
    r"\[fb_iab/",
    r"metaiab ",
    // Instagram, Threads: `Instagram 334.0.4.32.98 (iPhone15,2; ...)`.
    r"instagram \d",
    r"barcelona \d",
];

use BotKind::*;

/// Bot families by kind: (kind, lowercase regex, who). Earlier rows win, so the finer
/// kinds come first and the catch-all crawlers last.
#[rustfmt::skip]
const FAMILIES: &[(BotKind, &str, &str)] = &[
    // --- AI crawlers and assistants' agents ---
    (AiAgent, r"gptbot|chatgpt-user|oai-searchbot", "OpenAI"),
    (AiAgent, r"claudebot|claude-user|claude-searchbot|claude-web|anthropic-ai", "Anthropic"),
    (AiAgent, r"perplexitybot|perplexity-user", "Perplexity"),
    (AiAgent, r"cohere-ai|cohere-training", "Cohere"),
    (AiAgent, r"googleagent-|google-extended|google-cloudvertexbot|gemini-deep-research", "Google's agents (Mariner) and AI crawlers"),
    (AiAgent, r"meta-externalagent|meta-externalfetcher|meta-externalads|facebookbot", "Meta's AI crawlers"),
    (AiAgent, r"applebot-extended|amazonbot|bytespider|ccbot/|diffbot|youbot|duckassistbot|mistralai-user|timpibot|ai2bot|omgili|imagesiftbot", "other AI and training crawlers"),
    (AiAgent, r"manus-user|crawl4ai|firecrawl|spawning-ai|newsai/|opencode-", "AI agents and their fetchers"),
    // --- Link previews (chat apps and social networks fetching a shared link) ---
    (LinkPreview, r"facebookexternalhit|facebookcatalog|twitterbot|linkedinbot|slackbot|slack-imgproxy|discordbot|telegrambot|whatsapp|skypeuripreview|pinterestbot|redditbot|embedly|iframely|vkshare|^snapchat", "social networks and chat apps"),
    (LinkPreview, r"linkpreview|link-preview|page-preview|onebox|bluesky|mastodon/|tumblr/|steamchaturllookup|google-pagerenderer|googleassociationservice|appsiteassociation|github-camo|imgproxy/|workona-favicon|favicon|websitemetadataretriever|mediavinemetadataparser", "preview cards, favicons and app-link checks"),
    // --- Monitors (uptime, synthetic, performance, security checks) ---
    (Monitor, r"uptime|pingdom|statuscake|site24x7|monitor|synthetic|ruxit|thousandeyes|dotcom-monitor|ghost inspector|gtmetrix|lighthouse|pagespeed|rigor\)|catchpoint|updown\.io|nodeping|panopta|uptrends|uptimia|wheresitup|montastic|netvigie|adminlabs|pingping\.io|hydrozen|blackbox exporter|solarwinds|keycdn-tools|cron-job\.org|internetvista|gotsitemonitor|sucuri|securityheaders|hardenize|ssl labs|digicert dcv|google trust services|test certificate info|sitelock|wpumbrella|managewp|vaultpress|websiteops", "monitors and checkers"),
    // --- Headless and automated browsers ---
    (Headless, r"headlesschrome|headless|phantomjs|playwright|puppeteer|selenium|webdriver|slimerjs|splash version/|miniature\.io|cypress/", "browsers driven by a program"),
    // --- HTTP libraries and command-line tools ---
    (HttpLibrary, r"^curl|^wget|libcurl|python-requests|python-urllib|python-httpx|aiohttp|^python/|go-http-client|^go |okhttp|^java/|apache-httpclient|jakarta|^axios|node-fetch|undici|^got |^node|^deno/|^bun/|libwww-perl|lwp-|^httpie/|^colly|^ruby|faraday|guzzlehttp|^php|^dart|reqwest|^rust|^httpclient|^http_request|^restsharp|^powershell|^winhttp|^postmanruntime|^insomnia|^scrapy|^mechanize|^typhoeus|^excon|^dalvik/|cfnetwork/", "HTTP libraries and tools"),
    // --- Crawlers: security scanners, SEO, archives, feeds, commerce, webhooks ---
    (Crawler, r"nikto|acunetix|zmeu|openvas|whatweb|nuclei|sqlmap|nessus|qualys|watchtowr|foregenix|abuse\.xmco\.fr|/scanning|scanner|researchscan", "security scanners"),
    (Crawler, r"cookiehub|onetrust|silktide|sqwatcher|scope3|attracta|marketgoo|pro-sitemaps|brokenlinkcheck|linktiger|sitecheck-|criticalcss|pwabuilder|testlocally|ylt chrome|printfriendly|readable/|zoterotranslationserver|feeder\.co|newsnow/|upday/|sindup|impact\.com agent|keydrop\.io|geedoshop|collapsify|tsm-turingos|autoconfig test|nbertaupete95|scraping@|nyt_scraping|netshelter|webcapture|ugaresearchagent|retrolistecom|hotjar|playstore-google|dlc/|\bcode/1\.|\btrae/|\bbw/", "SEO, compliance, feeds, research, scrapers and IDE fetchers dressed as browsers"),
];

/// What woothee, the browser parser, made of a user agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Woothee {
    /// One of its crawlers.
    Crawler,
    /// A browser it names, on a computer or a phone (feature phones included).
    Browser,
    /// Neither.
    Unknown,
}

/// Detects bots; build one per process (the regexes compile in a few milliseconds).
pub struct BotDetector {
    in_app: RegexSet,
    families: RegexSet,
    isbot: isbot::Bots,
}

impl Default for BotDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for BotDetector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BotDetector")
            .field("families", &FAMILIES.len())
            .finish_non_exhaustive()
    }
}

impl BotDetector {
    /// Compiles the tables and the isbot list.
    pub fn new() -> Self {
        BotDetector {
            // The tables are constants checked by the tests: a bad pattern is a bug.
            in_app: RegexSet::new(IN_APP_BROWSERS).expect("IN_APP_BROWSERS compiles"),
            families: RegexSet::new(FAMILIES.iter().map(|(_, re, _)| *re))
                .expect("FAMILIES compiles"),
            isbot: isbot::Bots::default(),
        }
    }

    /// The kind of bot `ua` is, or `None` for a person's browser. `woothee` is the
    /// browser parser's verdict, already computed by the caller.
    pub fn classify(&self, ua: &str, woothee: Woothee) -> Option<BotKind> {
        let ua = ua.trim();
        if ua.is_empty() {
            return Some(NoUserAgent);
        }
        let lower = ua.to_ascii_lowercase();
        if self.in_app.is_match(&lower) {
            return None;
        }
        if let Some(i) = self.families.matches(&lower).iter().next() {
            return Some(FAMILIES[i].0);
        }
        if woothee == Woothee::Crawler
            || self.isbot.is_bot(&lower)
            || unknown_compatible_token(&lower)
            || (!browser_prefix(&lower)
                && (woothee != Woothee::Browser || lower.contains("mozilla/")))
        {
            return Some(Crawler);
        }
        None
    }
}

/// Browsers stopped sending `compatible;` except Internet Explorer and Konqueror; bots
/// keep the old convention (`Mozilla/5.0 (compatible; SomeBot/1.0)`).
fn unknown_compatible_token(lower: &str) -> bool {
    lower.contains("compatible;")
        && !["msie", "trident/", "konqueror"]
            .iter()
            .any(|t| lower.contains(t))
}

/// Browsers' user agents start with `Mozilla/`, or Opera Mini's and UC Browser's legacy
/// prefixes. Feature phones' own prefixes (`NokiaC3-00/5.0`) are for woothee to know;
/// a browser's string behind another prefix (`PS_Daily/1.0 Mozilla/5.0 ...`) is a tool.
fn browser_prefix(lower: &str) -> bool {
    ["mozilla/", "opera/", "ucweb/"]
        .iter()
        .any(|p| lower.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// People's browsers, including apps' built-in ones and less common engines.
    #[rustfmt::skip]
    const PEOPLE: &[&str] = &[
        // Facebook, Messenger, Instagram, Threads in-app browsers.
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/468.0.0.41.117;FBBV/628355880;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBID/phone;FBLC/fr_FR;FBOP/5;FBRV/630287025]",
        "Mozilla/5.0 (Linux; Android 14; SM-S918B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/125.0.6422.165 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/468.0.0.50.105;]",
        "Mozilla/5.0 (Linux; Android 16; Pixel 10 Pro XL Build/CP1A.260305.018; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/146.0.7680.174 Mobile Safari/537.36 MetaIAB Facebook",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 334.0.4.32.98 (iPhone15,2; iOS 17_5; fr_FR; fr; scale=3.00; 1179x2556; 606558290)",
        "Mozilla/5.0 (Linux; Android 15; CPH2557 Build/AP3A.240617.008; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/142.0.7444.142 Mobile Safari/537.36 Instagram 406.0.0.5",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Barcelona 334.0.4.32.98 (iPhone15,2; iOS 17_5; fr_FR; fr; scale=3.00; 1179x2556; 606558290)",
        // TikTok, Snapchat, LinkedIn, X, Pinterest, LINE, WeChat in-app browsers.
        "Mozilla/5.0 (Linux; Android 13; SM-A536B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.193 Mobile Safari/537.36 trill_320004 JsSdk/1.0 NetType/WIFI Channel/googleplay AppName/trill app_version/32.0.4 ByteLocale/fr ByteFullLocale/fr Region/FR BytedanceWebview/d8a21c6",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Snapchat/12.85.0.36 (like Safari/8618.2.12.10.5, panda)",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.7540",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Twitter for iPhone/10.45",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [Pinterest/iOS]",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari Line/14.8.0",
        "Mozilla/5.0 (Linux; Android 14; 23049PCD8G Build/UKQ1.230804.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/122.0.6261.120 Mobile Safari/537.36 XWEB/1220099 MMWEBSDK/20240404 MMWEBID/2307 MicroMessenger/8.0.49.2600(0x2800315A) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64",
        // Google app, DuckDuckGo, Samsung Internet, Yandex, Edge, Opera, Vivaldi, Firefox iOS/Focus, Chrome iOS.
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) GSA/317.0.634488990 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1 Ddg/17.5",
        "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 YaBrowser/24.6.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/116.0.0.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Vivaldi/7.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/131.0 Mobile/15E148 Safari/605.1.15",
        "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.0.0 Mobile Safari/537.36 Focus/131.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
        // Firefox, Safari, old IE, Opera Mini, UC Browser, Huawei, Xiaomi, Silk, KaiOS, smart TV.
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko",
        "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0)",
        "Opera/9.80 (Android; Opera Mini/36.2.2254/119.132; U; id) Presto/2.12.423 Version/12.16",
        "Mozilla/5.0 (Linux; U; Android 10; en-US; RMX2185 Build/QP1A.190711.020) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.108 UCBrowser/13.4.0.1306 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 12; HarmonyOS; NOH-AN00; HMSCore 6.13.0.302) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 HuaweiBrowser/14.0.5.302 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; U; Android 13; fr-fr; 2201117TG Build/TKQ1.221114.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/112.0.5615.136 Mobile Safari/537.36 XiaoMi/MiuiBrowser/14.8.0-gn",
        "Mozilla/5.0 (Linux; Android 11; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/126.3.1 like Chrome/126.0.6478.153 Safari/537.36",
        "Mozilla/5.0 (Mobile; LYF/F300B/LYF-F300B-001-01-15-130718-i; Android; rv:48.0) Gecko/48.0 Firefox/48.0 KAIOS/2.5",
        "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.5) AppleWebKit/537.36 (KHTML, like Gecko) 85.0.4183.93/6.5 TV Safari/537.36",
    ];

    /// (user agent, kind): one or more per kind and per generic rule.
    #[rustfmt::skip]
    const BOTS: &[(&str, BotKind)] = &[
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)", AiAgent),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Claude-User/1.0; +Claude-User@anthropic.com)", AiAgent),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko; compatible; GoogleAgent-Mariner) Chrome/142.0.7444.162 Safari/537.36", AiAgent),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; +https://perplexity.ai/perplexitybot)", AiAgent),
        ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", LinkPreview),
        ("WhatsApp/2.23.20.0", LinkPreview),
        ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", LinkPreview),
        ("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", LinkPreview),
        ("TelegramBot (like TwitterBot)", LinkPreview),
        ("Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)", Monitor),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.7204.168 Safari/537.36 DatadogSynthetics", Monitor),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36", Headless),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Playwright/1.40.0", Headless),
        ("curl/8.5.0", HttpLibrary),
        ("python-requests/2.32.3", HttpLibrary),
        ("Go-http-client/1.1", HttpLibrary),
        ("okhttp/4.12.0", HttpLibrary),
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", Crawler),
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", Crawler),
        ("Mozilla/5.0 (X11; Linux x86_64) Nikto/2.5.0 (Evasions:None) (Test:Port Check)", Crawler),
        // Generic rules: unknown `compatible;` token, a prefix no browser uses.
        ("Mozilla/5.0 (compatible; SomeNewThing/1.0)", Crawler),
        ("SomeNewThing/1.0", Crawler),
        ("", NoUserAgent),
    ];

    #[test]
    fn people_are_kept() {
        let d = BotDetector::new();
        let wrong: Vec<_> = PEOPLE
            .iter()
            .filter_map(|ua| {
                d.classify(ua, Woothee::Unknown)
                    .map(|k| format!("{k:?}: {ua}"))
            })
            .collect();
        assert!(wrong.is_empty(), "dropped:\n{}", wrong.join("\n"));
    }

    #[test]
    fn bots_are_named_by_kind() {
        let d = BotDetector::new();
        let wrong: Vec<_> = BOTS
            .iter()
            .filter(|(ua, kind)| d.classify(ua, Woothee::Unknown) != Some(*kind))
            .map(|(ua, kind)| {
                format!(
                    "want {kind:?}, got {:?}: {ua}",
                    d.classify(ua, Woothee::Unknown)
                )
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn woothee_verdict_counts() {
        let d = BotDetector::new();
        let chrome = PEOPLE[17];
        assert_eq!(d.classify(chrome, Woothee::Unknown), None);
        assert_eq!(d.classify(chrome, Woothee::Crawler), Some(Crawler));
        // A feature phone's own prefix is a browser when woothee names one.
        let nokia = "NokiaC3-00/5.0 (08.63) Profile/MIDP-2.1 Configuration/CLDC-1.1";
        assert_eq!(d.classify(nokia, Woothee::Browser), None);
        assert_eq!(d.classify(nokia, Woothee::Unknown), Some(Crawler));
        // A browser's string behind a tool's prefix is the tool.
        let tool = "PS_Daily/1.0 Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36";
        assert_eq!(d.classify(tool, Woothee::Browser), Some(Crawler));
    }

    #[test]
    fn kinds_have_distinct_names() {
        let names: std::collections::HashSet<_> = BotKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(names.len(), BotKind::ALL.len());
    }
}
