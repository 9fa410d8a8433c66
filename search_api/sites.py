"""The `site` filter of /pages: a site's domain (or any URL of it) and its name, at once.

A page stores one site value: the name its SiteName meta gives
(永州市人民政府), or its URL's host with the port when it has none. An
investigator may type either, so a value that looks like a domain or URL
becomes every site value stored for pages on that host (www. or not), plus
the value as typed (a name, or a host not crawled yet). The host → names map
is built from the stored pages' distinct (URL origin, site) pairs, which the
store groups (SQLite GROUP BY, an Elasticsearch composite aggregation), and
rebuilt in the background (search_api.cache), so a newly crawled site shows
within REFRESH_SECONDS.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit

from index.base import Backend
from search_api.cache import Refreshing, store_stamp

REFRESH_SECONDS = 600.0  # the grouping still reads every page inside the store; sites change rarely


def host_key(value: str) -> str | None:
    """The host a domain or URL names, lower case, without port or ``www.``; None for a name."""
    value = value.strip()
    if not value or not any(c in value for c in "./:") or any(ord(c) > 127 or c.isspace() for c in value):
        return None
    try:
        host = urlsplit(value if "://" in value else f"http://{value}").hostname
    except ValueError:  # e.g. an unclosed [IPv6 bracket: no host, so treat it as a name
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def _names_by_host(store: Backend) -> dict[str, frozenset[str]]:
    """Every stored site value, by the host of the pages that carry it."""
    found: dict[str, set[str]] = defaultdict(set)
    for origin, site in store.page_origins():  # grouped in the store: a row per (origin, site), not per page
        host = host_key(origin)
        if host:
            found[host].add(site)
    return {host: frozenset(names) for host, names in found.items()}


SITES: Refreshing[dict[str, frozenset[str]]] = Refreshing(_names_by_host, REFRESH_SECONDS, store_stamp("pages"))


def site_values(store: Backend, site: str) -> tuple[str, ...]:
    """The site values a page may carry to match `site`, given as a name, a domain or a URL."""
    values = {site.strip()}
    host = host_key(site)
    if host:
        values |= {host, f"www.{host}"} | SITES.get(store).get(host, frozenset())
    return tuple(sorted(values))
