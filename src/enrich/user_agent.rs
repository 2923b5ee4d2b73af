//! User-Agent enrichment: turns a `User-Agent` header into coarse, aggregate-friendly
//! fields — browser name + major version, OS name + version, and a device class
//! (`desktop` / `mobile` / `tablet` / `bot` / `unknown`).
//!
//! # How
//! * Browser / OS / coarse category come from [`woothee`] (a small, fast, data-driven
//!   parser; ~1.6 µs per uncached parse). It was picked over the `uap-core`
//!   `regexes.yaml` ports (`ua-parser`, `uaparser`) because those need the YAML file
//!   vendored and loaded at start-up (~140 ms, several MB of compiled regexes) and cost
//!   ~12 µs per parse, while giving the same answers on the modern UAs we care about.
//! * Bots, and their kind, come from [`super::bots`] (the `isbot` crate's list, a small
//!   table of families, shape rules), given woothee's own verdict.
//! * A few small, commented corrections are layered on top (see `correct`): tablets
//!   (woothee has no tablet class), OS name/version normalisation, Chrome's frozen
//!   "reduced" Android UA, HeadlessChrome naming.
//! * Results are memoised in a bounded concurrent cache ([`quick_cache`]), so a repeated
//!   UA costs one keyed hash + one sharded lookup + an `Arc` clone (~60 ns measured,
//!   vs ~3 µs for a full uncached parse; see the ignored `timings` test).
//!
//! # Version granularity (chosen on purpose)
//! * Browser: major only (`"131"`). Minor/patch numbers are noise for analytics and
//!   Chrome's reduced UA zeroes them anyway (`Chrome/131.0.0.0`).
//! * Windows: the marketing version (`"10"`, `"8.1"`, `"7"`). Windows 11 still sends
//!   `Windows NT 10.0`, so "10" means "10 or 11" — not distinguishable from the UA.
//! * macOS: `"10.15"`-style major.minor for 10.x (each 10.x was its own release), plain
//!   major for 11+. Every current browser freezes the UA at `10_15_7`/`10.15`, so
//!   `"10.15"` in practice means "Catalina or later".
//! * iOS/iPadOS: major.minor (`"17.4"`): on Apple platforms WebKit features ship in
//!   minor releases, and the cardinality stays small.
//! * Android: major (`"14"`). Chrome's reduced UA (`Android 10; K`) freezes the version
//!   at 10, so that exact form yields an empty version rather than a false "10".
//! * Anything unknown is the empty string, never a placeholder like "UNKNOWN".
//!
//! # What it deliberately does not do
//! * No Client Hints (`Sec-CH-UA-*`), no device model/brand, no engine, no CPU arch:
//!   more detail means more fingerprinting surface for no aggregate value.
//! * It cannot see iPadOS 13+ Safari in its default "desktop site" mode: that UA is
//!   byte-for-byte macOS Safari (`Macintosh; Intel Mac OS X 10_15_7`), so it is reported
//!   as macOS/desktop. Only old-style `iPad` UAs (and third-party iPad browsers such as
//!   CriOS on iPad, which still send `iPad`) are classed as tablets.
//! * It does not verify bots (reverse DNS etc.); a UA claiming to be a browser is
//!   believed. It is a classifier, not a security control.
//!
//! # Privacy
//! The UA string is used only to derive the fields above and is never stored. The cache
//! is keyed by a 64-bit SipHash of the UA with a per-process random key
//! ([`std::hash::RandomState`]), not by the string itself, so no raw UA stays in memory
//! after the request and nothing links a cache entry to an IP or visitor. The keyed hash
//! also stops an attacker from crafting a UA that collides with a popular one to poison
//! its cached classification. A random (non-adversarial) collision needs ~2^32 distinct
//! UAs in the same process and would at worst misclassify one UA.
//! Empty and over-long (> [`MAX_UA_LEN`] bytes) UAs are never parsed or cached: both
//! are classed as [`Device::Bot`] with empty fields, because real browsers always send
//! a UA of a few hundred bytes, and refusing to hash/cache huge inputs keeps hostile
//! input from churning the cache.

use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, OnceLock};

use quick_cache::sync::Cache;

use super::bots::{BotDetector, BotKind, Woothee};

/// UAs longer than this many bytes are not parsed and are classed as bots.
pub const MAX_UA_LEN: usize = 1_000;

/// Default number of distinct UAs kept in the parse cache.
pub const DEFAULT_CACHE_CAPACITY: usize = 10_000;

/// Coarse device class derived from a User-Agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Device {
    /// Could not be classified (unknown UA, game consoles, TVs, feed readers...).
    Unknown,
    /// Desktop or laptop computer (includes iPadOS in desktop mode, see module docs).
    Desktop,
    /// Phone.
    Mobile,
    /// Tablet (iPad with an `iPad` UA, Android without the `Mobile` token).
    Tablet,
    /// Crawler, monitor, headless browser, HTTP library, or an empty/over-long UA.
    Bot,
}

impl Device {
    /// Stable lowercase name used in storage and APIs.
    pub fn as_str(self) -> &'static str {
        match self {
            Device::Unknown => "unknown",
            Device::Desktop => "desktop",
            Device::Mobile => "mobile",
            Device::Tablet => "tablet",
            Device::Bot => "bot",
        }
    }
}

/// Fields derived from one User-Agent; empty strings mean "unknown".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserAgentInfo {
    /// Browser (or bot) family, e.g. "Chrome", "Samsung Internet", "Googlebot".
    pub browser: String,
    /// Browser major version, e.g. "131".
    pub browser_version: String,
    /// OS family, e.g. "Windows", "macOS", "iOS", "Android", "Linux".
    pub os: String,
    /// OS version at the granularity described in the module docs, e.g. "10.15", "17.4".
    pub os_version: String,
    /// Device class.
    pub device: Device,
    /// The kind of bot when `device` is [`Device::Bot`].
    pub bot: Option<BotKind>,
}

impl UserAgentInfo {
    /// An all-unknown result: a bot of kind `bot`, or an unknown device.
    fn empty(bot: Option<BotKind>) -> Self {
        UserAgentInfo {
            browser: String::new(),
            browser_version: String::new(),
            os: String::new(),
            os_version: String::new(),
            device: if bot.is_some() {
                Device::Bot
            } else {
                Device::Unknown
            },
            bot,
        }
    }
}

/// Thread-safe, cached User-Agent parser; share one per process (e.g. in an `Arc`).
pub struct UserAgentParser {
    woothee: woothee::parser::Parser,
    bots: BotDetector,
    cache: Cache<u64, Arc<UserAgentInfo>>,
    hasher: RandomState,
}

impl Default for UserAgentParser {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for UserAgentParser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserAgentParser")
            .field("cached", &self.cache.len())
            .field("capacity", &self.cache.capacity())
            .finish_non_exhaustive()
    }
}

impl UserAgentParser {
    /// Parser with a cache of [`DEFAULT_CACHE_CAPACITY`] entries.
    pub fn new() -> Self {
        Self::with_capacity(DEFAULT_CACHE_CAPACITY)
    }

    /// Parser whose cache holds at most `capacity` distinct UAs (0 is bumped to 1).
    pub fn with_capacity(capacity: usize) -> Self {
        UserAgentParser {
            woothee: woothee::parser::Parser::new(),
            // Compiles the bot lists (~ms); done once per parser.
            bots: BotDetector::new(),
            cache: Cache::new(capacity.max(1)),
            hasher: RandomState::new(),
        }
    }

    /// Classifies `ua`, serving repeats from the cache; never fails.
    pub fn parse(&self, ua: &str) -> Arc<UserAgentInfo> {
        let ua = ua.trim();
        if ua.is_empty() || ua.len() > MAX_UA_LEN {
            // Shared constant: no parse, no hash, no cache slot, no allocation.
            static REJECTED: OnceLock<Arc<UserAgentInfo>> = OnceLock::new();
            return REJECTED
                .get_or_init(|| Arc::new(UserAgentInfo::empty(Some(BotKind::NoUserAgent))))
                .clone();
        }
        let key = self.hasher.hash_one(ua);
        if let Some(hit) = self.cache.get(&key) {
            return hit;
        }
        // Parse outside any lock: two tasks racing on a new UA both parse (~2 µs) and
        // the last insert wins with an identical value — cheaper than coordinating.
        let info = Arc::new(self.parse_uncached(ua));
        self.cache.insert(key, info.clone());
        info
    }

    /// Number of UAs currently cached (for metrics).
    pub fn cached_len(&self) -> usize {
        self.cache.len()
    }

    /// Full parse without touching the cache (used by `parse` and benchmarks).
    pub fn parse_uncached(&self, ua: &str) -> UserAgentInfo {
        let raw = self.woothee.parse(ua);
        let verdict = match raw.as_ref() {
            Some(r) if r.category == "crawler" => Woothee::Crawler,
            // A named browser on a phone or computer (feature phones included).
            Some(r)
                if r.name != "UNKNOWN"
                    && matches!(r.category, "pc" | "smartphone" | "mobilephone") =>
            {
                Woothee::Browser
            }
            _ => Woothee::Unknown,
        };
        let bot = self.bots.classify(ua, verdict);
        correct(ua, raw.as_ref(), bot)
    }
}

/// Turns woothee's raw result into our fields, applying the corrections listed inline.
fn correct(
    ua: &str,
    raw: Option<&woothee::parser::WootheeResult<'_>>,
    bot: Option<BotKind>,
) -> UserAgentInfo {
    let Some(r) = raw else {
        // woothee knows nothing (python-requests, Go-http-client, random strings).
        return UserAgentInfo::empty(bot);
    };

    let browser = match r.name {
        // woothee placeholders → empty, per our "unknown is empty" rule.
        "UNKNOWN" | "misc crawler" | "HTTP Library" => "",
        // Use the vendor's product name rather than the UA token.
        "SamsungBrowser" => "Samsung Internet",
        // woothee's dataset prefixes the company.
        "ahref AhrefsBot" => "AhrefsBot",
        // woothee reports HeadlessChrome as plain "Chrome"; name it so bot reports say
        // what it is (its device class already comes from isbot).
        "Chrome" if ua.contains("HeadlessChrome/") => "HeadlessChrome",
        other => other,
    };
    // woothee gives the full dotted version ("131.0.6778.73"); bots get "UNKNOWN" or,
    // for "HTTP Library", the library name ("curl") — neither is a version.
    let browser_version = if r.category == "crawler" || r.name == "HTTP Library" {
        ""
    } else {
        major(r.version)
    };

    let (os, os_version) = normalise_os(ua, r.os, &r.os_version);

    let device = if bot.is_some() {
        Device::Bot
    } else {
        match r.category {
            "pc" => Device::Desktop,
            "mobilephone" => Device::Mobile,
            // woothee has no tablet class: iPad and Android tablets are "smartphone".
            "smartphone" if r.os == "iPad" => Device::Tablet,
            // Android convention (Chrome, Samsung, Firefox's "Tablet;" form): phones send
            // a "Mobile" token, tablets don't. Holds for Chrome's reduced UA too.
            "smartphone" if r.os == "Android" && !ua.contains("Mobile") => Device::Tablet,
            "smartphone" => Device::Mobile,
            // appliance (consoles, TVs), misc (feed readers...), UNKNOWN.
            _ => Device::Unknown,
        }
    };

    UserAgentInfo {
        browser: browser.to_owned(),
        browser_version: browser_version.to_owned(),
        os: os.to_owned(),
        os_version,
        device,
        bot,
    }
}

/// Maps woothee's OS name/version to ours (see "Version granularity" in the module docs).
fn normalise_os(ua: &str, os: &str, os_version: &str) -> (&'static str, String) {
    let known = if os_version == "UNKNOWN" {
        ""
    } else {
        os_version
    };
    match os {
        // woothee encodes the Windows release in the name ("Windows 10") and puts the NT
        // kernel version ("NT 10.0") in os_version; split the release out instead.
        "Windows 10" => ("Windows", "10".into()),
        "Windows 8.1" => ("Windows", "8.1".into()),
        "Windows 8" => ("Windows", "8".into()),
        "Windows 7" => ("Windows", "7".into()),
        "Windows Vista" => ("Windows", "Vista".into()),
        "Windows XP" => ("Windows", "XP".into()),
        "Windows 2000" => ("Windows", "2000".into()),
        "Windows UNKNOWN Ver" => ("Windows", String::new()),
        "Windows Phone OS" => ("Windows Phone", major(known).into()),
        "Mac OSX" => ("macOS", macos_version(known)),
        // iOS and iPadOS are one OS line with shared versions; the device class keeps
        // the iPhone/iPad split.
        "iPhone" | "iPad" | "iPod" | "iOS" => ("iOS", major_minor(known)),
        "Android" => {
            // Chrome's reduced UA (Chrome 110+) always says "Android 10; K": the version
            // is frozen, so reporting "10" would inflate Android 10 with every reduced UA.
            if ua.contains("Android 10; K)") {
                ("Android", String::new())
            } else {
                ("Android", major(known).into())
            }
        }
        // woothee puts "x86_64 14541.0.0" (arch + platform build) here: not a version
        // users would recognise, and frozen by UA reduction anyway.
        "ChromeOS" => ("ChromeOS", String::new()),
        "Linux" => ("Linux", String::new()),
        "BSD" => ("BSD", String::new()),
        "BlackBerry" | "BlackBerry 10" => ("BlackBerry", String::new()),
        "Firefox OS" => ("Firefox OS", String::new()),
        // Consoles, feature phones etc.: not worth a distinct bucket each.
        _ => ("", String::new()),
    }
}

/// No release of a browser or OS has a number of more than 4 digits (`2000` is the
/// longest); a longer one is no version but whatever a client put there, perhaps an id.
const MAX_VERSION_DIGITS: usize = 4;

/// Leading numeric component: "131.0.6778.73" → "131", "UNKNOWN"/"" → "".
fn major(v: &str) -> &str {
    let end = v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len());
    if end > MAX_VERSION_DIGITS {
        return "";
    }
    &v[..end]
}

/// "17.4.1" → "17.4", "18" → "18", "" → "".
fn major_minor(v: &str) -> String {
    let mut parts = v
        .split('.')
        .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    match (parts.next(), parts.next()) {
        (Some(a), _) if a.len() > MAX_VERSION_DIGITS => String::new(),
        (Some(a), Some(b)) if b.len() > MAX_VERSION_DIGITS => a.to_owned(),
        (Some(a), Some(b)) => format!("{a}.{b}"),
        (Some(a), None) => a.to_owned(),
        _ => String::new(),
    }
}

/// macOS 10.x releases differ by minor ("10.15"); from 11 on the major is the release.
fn macos_version(v: &str) -> String {
    let v = v.replace('_', ".");
    let m = major(&v);
    if m == "10" {
        major_minor(&v)
    } else {
        m.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use Device::*;

    /// (UA, browser, browser_version, os, os_version, device)
    #[rustfmt::skip]
    const CASES: &[(&str, &str, &str, &str, &str, Device)] = &[
        // --- Desktop, Chrome reduced UA (minor versions zeroed) ---
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
         "Chrome", "131", "Windows", "10", Desktop),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
         "Chrome", "131", "macOS", "10.15", Desktop),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
         "Chrome", "131", "Linux", "", Desktop),
        ("Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36",
         "Chrome", "109", "Windows", "7", Desktop),
        ("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
         "Chrome", "131", "ChromeOS", "", Desktop),
        // --- Desktop Firefox ---
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
         "Firefox", "133", "Windows", "10", Desktop),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0",
         "Firefox", "133", "macOS", "10.15", Desktop),
        ("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
         "Firefox", "133", "Linux", "", Desktop),
        // --- Desktop Safari (also exactly what iPadOS 13+ sends: undetectable) ---
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
         "Safari", "18", "macOS", "10.15", Desktop),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
         "Safari", "17", "macOS", "10.15", Desktop),
        // --- Edge, Opera, Yandex ---
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
         "Edge", "131", "Windows", "10", Desktop),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
         "Edge", "131", "macOS", "10.15", Desktop),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0",
         "Opera", "115", "Windows", "10", Desktop),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 YaBrowser/24.12.0.0 Safari/537.36",
         "Yandex Browser", "24", "Windows", "10", Desktop),
        // --- iPhone ---
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
         "Safari", "17", "iOS", "17.4", Mobile),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1.1 Mobile/15E148 Safari/604.1",
         "Safari", "18", "iOS", "18.1", Mobile),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/131.0 Mobile/15E148 Safari/605.1.15",
         "Firefox", "131", "iOS", "17.4", Mobile),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
         "Chrome", "131", "iOS", "17.4", Mobile),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 EdgiOS/131.2903.68 Mobile/15E148 Safari/605.1.15",
         "Edge", "131", "iOS", "17.4", Mobile),
        // --- iPad with an "iPad" UA (old Safari, or third-party browsers) ---
        ("Mozilla/5.0 (iPad; CPU OS 12_5_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1.2 Mobile/15E148 Safari/604.1",
         "Safari", "12", "iOS", "12.5", Tablet),
        ("Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
         "Chrome", "131", "iOS", "17.4", Tablet),
        // --- Android phones ---
        ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
         "Chrome", "131", "Android", "", Mobile),
        ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36",
         "Chrome", "131", "Android", "14", Mobile),
        ("Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
         "Samsung Internet", "26", "Android", "14", Mobile),
        ("Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0",
         "Firefox", "133", "Android", "14", Mobile),
        ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36 OPR/85.0.0.0",
         "Opera", "85", "Android", "", Mobile),
        ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 EdgA/131.0.0.0",
         "Edge", "131", "Android", "", Mobile),
        // --- Android tablets: no "Mobile" token ---
        ("Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
         "Chrome", "131", "Android", "13", Tablet),
        ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
         "Chrome", "131", "Android", "", Tablet),
        ("Mozilla/5.0 (Android 14; Tablet; rv:133.0) Gecko/133.0 Firefox/133.0",
         "Firefox", "133", "Android", "14", Tablet),
        // --- Headless browsers, tools ---
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
         "HeadlessChrome", "131", "Linux", "", Bot),
        ("curl/8.5.0", "", "", "", "", Bot),
        ("python-requests/2.32.3", "", "", "", "", Bot),
        ("Go-http-client/1.1", "", "", "", "", Bot),
        // --- Crawlers ---
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
         "Googlebot", "", "", "", Bot),
        ("Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
         "Googlebot", "", "", "", Bot),
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
         "bingbot", "", "", "", Bot),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
         "", "", "", "", Bot),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)",
         "", "", "", "", Bot),
        ("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
         "AhrefsBot", "", "", "", Bot),
        ("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
         "", "", "", "", Bot),
        // --- Uptime monitors ---
        ("Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
         "", "", "", "", Bot),
        ("Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)", "", "", "", "", Bot),
        // Looks like desktop Chrome to woothee; isbot's list catches the prefix.
        ("Better Uptime Bot Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/90.0.4430.93 Safari/537.36",
         "Chrome", "90", "macOS", "10.15", Bot),
        // --- Garbage: no browser's user agent starts like this ---
        ("hello world", "", "", "", "", Bot),
    ];

    #[test]
    fn table_of_real_user_agents() {
        let p = UserAgentParser::new();
        let mut failures = Vec::new();
        for &(ua, browser, bv, os, ov, device) in CASES {
            let got = p.parse(ua);
            let want = UserAgentInfo {
                browser: browser.into(),
                browser_version: bv.into(),
                os: os.into(),
                os_version: ov.into(),
                device,
                // The kind is `bots`' business (tested there); here only its presence.
                bot: if device == Bot { got.bot } else { None },
            };
            assert_eq!(got.bot.is_some(), device == Bot, "{ua}");
            if *got != want {
                failures.push(format!("{ua}\n   got  {got:?}\n   want {want:?}"));
            }
        }
        assert!(
            failures.is_empty(),
            "{} mismatches:\n{}",
            failures.len(),
            failures.join("\n")
        );
        assert!(CASES.len() >= 30);
    }

    /// Found by the `user_agent` fuzz target: a long number where a version goes was
    /// stored as the version, a digit run that can be an id.
    #[test]
    fn numbers_too_long_for_a_version_are_not_stored() {
        let p = UserAgentParser::new();
        let android = p.parse("Mozilla/5.0 (Linux; Android 199999999999999999999; K) Mobile");
        assert_eq!(
            (android.os.as_str(), android.os_version.as_str()),
            ("Android", "")
        );
        let chrome = p.parse(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
             Chrome/0612345678.0.0.0 Safari/537.36",
        );
        assert_eq!(
            (chrome.browser.as_str(), chrome.browser_version.as_str()),
            ("Chrome", "")
        );
        let iphone = p.parse(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_123456 like Mac OS X) AppleWebKit/605.1.15 \
             (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        );
        assert_eq!(iphone.os_version, "17");
    }

    #[test]
    fn cache_returns_same_arc() {
        let p = UserAgentParser::new();
        let ua = CASES[0].0;
        let a = p.parse(ua);
        let b = p.parse(ua);
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(p.cached_len(), 1);
        // Surrounding whitespace is ignored, so it hits the same entry.
        assert!(Arc::ptr_eq(&a, &p.parse(&format!("  {ua} "))));
    }

    #[test]
    fn empty_and_overlong_are_bots_and_not_cached() {
        let p = UserAgentParser::new();
        for ua in ["", "   ", &"A".repeat(MAX_UA_LEN + 1)] {
            let got = p.parse(ua);
            assert_eq!(*got, UserAgentInfo::empty(Some(BotKind::NoUserAgent)));
        }
        assert_eq!(p.cached_len(), 0);
        // Exactly at the limit is still parsed (and cached).
        p.parse(&"A".repeat(MAX_UA_LEN));
        assert_eq!(p.cached_len(), 1);
    }

    #[test]
    fn cache_is_bounded() {
        let p = UserAgentParser::with_capacity(100);
        for i in 0..1_000 {
            p.parse(&format!("Mozilla/5.0 (Windows NT 10.0) Chrome/{i}.0.0.0"));
        }
        assert!(p.cached_len() <= 150, "len {}", p.cached_len());
    }

    #[test]
    fn device_as_str() {
        let all = [Unknown, Desktop, Mobile, Tablet, Bot];
        let names: Vec<_> = all.iter().map(|d| d.as_str()).collect();
        assert_eq!(names, ["unknown", "desktop", "mobile", "tablet", "bot"]);
    }

    #[test]
    fn version_helpers() {
        assert_eq!(major("131.0.6778.73"), "131");
        assert_eq!(major("UNKNOWN"), "");
        assert_eq!(major_minor("17.4.1"), "17.4");
        assert_eq!(major_minor("18"), "18");
        assert_eq!(major_minor(""), "");
        assert_eq!(macos_version("10_15_7"), "10.15");
        assert_eq!(macos_version("14.5"), "14");
    }

    #[test]
    fn parser_is_send_sync_and_shared_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<UserAgentParser>();
        let p = Arc::new(UserAgentParser::new());
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let p = p.clone();
                std::thread::spawn(move || {
                    for &(ua, .., device) in CASES {
                        assert_eq!(p.parse(ua).device, device, "{ua}");
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    }

    /// Run with `cargo test --release -- --ignored --nocapture timings`.
    #[test]
    #[ignore]
    fn timings() {
        use std::hint::black_box;
        use std::time::Instant;
        let p = UserAgentParser::new();
        let uas: Vec<&str> = CASES.iter().map(|c| c.0).collect();
        let rounds = 2_000u32;
        let n = rounds * uas.len() as u32;

        let t = Instant::now();
        let _ = black_box(UserAgentParser::new());
        println!("construct parser:  {:?}", t.elapsed());

        let t = Instant::now();
        for _ in 0..rounds {
            for ua in &uas {
                black_box(p.parse_uncached(black_box(ua)));
            }
        }
        println!("uncached parse:    {:?}/UA", t.elapsed() / n);

        for ua in &uas {
            p.parse(ua);
        }
        let t = Instant::now();
        for _ in 0..rounds {
            for ua in &uas {
                black_box(p.parse(black_box(ua)));
            }
        }
        println!("cached parse:      {:?}/UA", t.elapsed() / n);
    }
}
