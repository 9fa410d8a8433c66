"""Injected spam on government pages (暗链 / 篡改) and clones of government sites.

Lexicon hits alone never make a page compromised (a 体育彩票 public-welfare
notice is clean, an anti-gambling campaign names 赌博): a page is flagged when
spam terms sit where an attacker puts them — hidden elements, the title,
breadcrumb or headings, blocks of links to other domains, scripts — or when
government content is served from a host that is not the government's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from audit.content import spamshape
from audit.content.hiding import HiddenRules, element_hidden, where
from audit.content.lexicon import find_terms, host_of, is_government_host, suspicious_terms
from audit.content.textmap import looks_like_html

QUOTE = 200
_HEADINGS = "//title | //h1 | //h2 | //h3 | //meta[@name='keywords' or @name='description' or @name='Keywords' or @name='Description']"
_CRUMB = re.compile(r"crumb|position|location|dqwz|weizhi|path", re.I)
_UA_CHECK = re.compile(r"navigator\.userAgent", re.I)
_SPIDERS = re.compile(r"spider|googlebot|bingbot|sogou|yisou|bytespider|slurp|\bbot\b", re.I)
_REFERRER = re.compile(r"document\.referrer", re.I)
_ENGINES = re.compile(r"baidu|google|sogou|so\.com|sm\.cn|bing|360", re.I)
_ACTS = re.compile(r"document\.write|innerHTML|location\s*(?:\.href)?\s*=|location\.replace|window\.open", re.I)
_GOV_CLAIM = re.compile(r"(?:主办单位|主办|版权所有|承办单位)\s*[：:]?\s*([\u4e00-\u9fff]{2,24}(?:人民政府|政府办公室|政府办公厅))")
_TITLE_CLAIM = re.compile(r"<title[^>]*>[^<]*?([\u4e00-\u9fff]{2,24}人民政府)", re.I)
_SITE_META = re.compile(r"政府|委员会|办公室|厅|局")


@dataclass
class Evidence:
    """Where the injected text sits and a quote of it."""

    kind: str
    where: str
    text: str
    terms: list[str] = field(default_factory=list)


@dataclass
class SpamReport:
    compromised: bool
    terms: list[str]
    evidence: list[Evidence]

    def add(self, evidence: Evidence) -> None:
        """Add evidence found by a second look (cloaking): the page is compromised."""
        self.evidence.append(evidence)
        self.terms = list(dict.fromkeys([*self.terms, *evidence.terms]))
        self.compromised = True

    def as_dict(self) -> dict[str, Any]:
        return {"compromised": self.compromised, "terms": self.terms, "evidence": [asdict(e) for e in self.evidence]}


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE else text[: QUOTE - 1] + "…"


def _names(terms: Iterable[Any]) -> list[str]:
    return list(dict.fromkeys(t.term for t in terms))


class SpamInspector:
    """Checks one page; `sites` are the configured government site URLs (prefixes)."""

    def __init__(self, sites: Iterable[str] = (), gov_domains: Iterable[str] = ()) -> None:
        # A configured site is a URL prefix: its start page's folder (…/gov/yz/index.html → …/gov/yz/).
        self.sites = tuple(s.rsplit("/", 1)[0] + "/" if "." in s.rsplit("/", 1)[-1] else s.rstrip("/") + "/"
                           for s in sites if s)
        self.gov_domains = tuple(gov_domains)

    def inspect(self, decoded: str, url: str = "") -> SpamReport:
        """Spam evidence for a page given as decoded HTML or as a plain-text dump."""
        if looks_like_html(decoded):
            root = _parse(decoded)
            evidence = list(self._html(root, url)) if root is not None else list(self._text(decoded))
        else:
            evidence = list(self._text(decoded))
        clone = self._clone(decoded, url)
        if clone is not None:
            evidence.append(clone)
        terms = list(dict.fromkeys(t for e in evidence for t in e.terms))
        return SpamReport(bool(evidence), terms, evidence)

    # HTML ---------------------------------------------------------------
    def _html(self, root: Any, url: str) -> Iterator[Evidence]:
        rules = HiddenRules.from_styles(root.xpath("//style/text()"))
        hidden: set[Any] = set()
        found: list[Evidence] = []
        for el in root.iter():
            if not isinstance(el.tag, str) or any(a in hidden for a in el.iterancestors()):
                continue
            kind = element_hidden(el, rules)
            if kind:
                hidden.add(el)
                if hit := self._hidden_spam(el, kind, url):
                    found.append(hit)
        found += [*self._headings(root), *self._link_blocks(root, url, hidden), *self._scripts(root)]
        yield from found
        yield from self._shapes(root, url, bool(found), hidden)

    def _shapes(self, root: Any, url: str, found: bool, hidden: set[Any]) -> Iterator[Evidence]:
        """Look-alike government hosts, dense runs of spam titles, spam at the top of the body
        (the last only when nothing else explains it: a hidden block there is already reported)."""
        shapes = [Evidence("fake_government_host", place, _quote(quote), [host])
                  for place, quote, host in spamshape.fake_government_hosts(root, url, self.gov_domains)]
        title = root.findtext(".//title") or ""
        shapes += [Evidence("spam_list", place, _quote(quote), _names(terms))
                   for place, quote, terms in spamshape.spam_runs(root, title)]
        yield from shapes
        if not (found or shapes) and (top := spamshape.top_of_body(root, hidden)):
            yield Evidence("top_of_body", top[0], _quote(top[1]), _names(top[2]))

    def _hidden_spam(self, el: Any, kind: str, url: str) -> Evidence | None:
        text = el.text_content()
        terms = suspicious_terms(text)
        spam_links = [a for a in el.iter("a") if self._spam_link(a, url)]
        if terms or len(spam_links) >= 2:
            return Evidence(kind, where(el), _quote(text), _names(terms or find_terms(text)))
        return None

    def _headings(self, root: Any) -> Iterator[Evidence]:
        nodes = list(root.xpath(_HEADINGS))
        nodes += [el for el in root.iter() if isinstance(el.tag, str) and _CRUMB.search(
            (el.get("class") or "") + " " + (el.get("id") or ""))]
        for el in nodes:
            text = el.get("content") if el.tag == "meta" else el.text_content()
            terms = suspicious_terms(text or "")
            if terms:
                yield Evidence("title_injection", where(el), _quote(text or ""), _names(terms))

    def _spam_link(self, a: Any, url: str) -> bool:
        href = urljoin(url, a.get("href") or "")
        host = host_of(href)
        external = bool(host) and host != host_of(url) and not is_government_host(host, self.gov_domains)
        return external and bool(find_terms(a.text_content() or ""))

    def _link_blocks(self, root: Any, url: str, hidden: set[Any]) -> Iterator[Evidence]:
        blocks: dict[Any, list[Any]] = {}
        for a in root.iter("a"):
            if any(h is a or h in set(a.iterancestors()) for h in hidden) or not self._spam_link(a, url):
                continue
            blocks.setdefault(a.getparent(), []).append(a)
        for parent, links in blocks.items():
            terms = [t for a in links for t in find_terms(a.text_content())]
            if len(links) >= 3 or (len(links) >= 2 and any(t.strong for t in terms)):
                quoted = " | ".join(f"{a.text_content().strip()} → {a.get('href')}" for a in links)
                yield Evidence("link_block", where(parent), _quote(quoted), _names(terms))

    def _scripts(self, root: Any) -> Iterator[Evidence]:
        for script in root.iter("script"):
            code = script.text or ""
            if _UA_CHECK.search(code) and _SPIDERS.search(code) and _ACTS.search(code):
                yield Evidence("ua_cloaking", where(script), _quote(code), _names(find_terms(code)))
            elif _REFERRER.search(code) and _ENGINES.search(code) and _ACTS.search(code):
                yield Evidence("referrer_redirect", where(script), _quote(code), _names(find_terms(code)))
            elif suspicious_terms(code):
                yield Evidence("script_injection", where(script), _quote(code), _names(suspicious_terms(code)))

    # plain text ---------------------------------------------------------
    def _text(self, text: str) -> Iterator[Evidence]:
        lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
        for index, (n, line) in enumerate(lines):
            terms = suspicious_terms(line)
            strong_urls = terms and re.search(r"https?://|www\.|\.com\b|\.net\b|\.cc\b", line)
            if index == 0 and terms:
                yield Evidence("title_injection", f"line {n} (title)", _quote(line), _names(terms))
            elif len({t.term for t in terms}) >= 2 or strong_urls:
                yield Evidence("text_injection", f"line {n}", _quote(line), _names(terms))

    # clones -------------------------------------------------------------
    def _clone(self, decoded: str, url: str) -> Evidence | None:
        """Government content served from a host that is neither configured nor a government domain."""
        if not url.startswith(("http://", "https://")) or self.is_own(url):
            return None
        claim = _claimed_site(decoded)
        if not claim:
            return None
        return Evidence("clone", "page url", _quote(f"{url} is not a configured or government site; page claims {claim}"))

    def is_own(self, url: str) -> bool:
        """True for a configured site or a government domain."""
        if is_government_host(host_of(url), self.gov_domains):
            return True
        bare = url.split("://", 1)[1]
        return any(bare.startswith(site.split("://", 1)[-1]) for site in self.sites)


def _claimed_site(decoded: str) -> str:
    """The government body the page claims to be (SiteName meta, 主办单位 line, 网站标识码), or ''."""
    meta = re.search(r"""<meta\s+name=["']SiteName["']\s+content=["']([^"']+)""", decoded, re.I)
    if meta and _SITE_META.search(meta.group(1)):
        return meta.group(1)
    found = _GOV_CLAIM.search(decoded) or _TITLE_CLAIM.search(decoded)
    if found:
        return found.group(1)
    code = re.search(r"网站标识码\s*[：:]?\s*(\w+)", decoded)
    return f"网站标识码 {code.group(1)}" if code else ""


def _parse(decoded: str) -> Any:
    text = re.sub(r"^\s*<\?xml[^>]*>", "", decoded)
    # Whatever follows </body> or </html> is still served and shown: keep it inside the body.
    text = re.sub(r"</(?:body|html)\s*>", "", text, flags=re.I)
    try:
        return lxml.html.fromstring(text)
    except (etree.ParserError, ValueError):
        return None


def cloaking(browser_html: str, spider_html: str, url: str = "") -> Evidence | None:
    """Spam a server shows only to search-engine crawlers: terms in the crawler's copy, not the browser's."""
    seen = {t.term for t in find_terms(browser_html)}
    extra = [t for t in suspicious_terms(spider_html) if t.term not in seen]
    if not extra:
        return None
    first = extra[0].start
    return Evidence("ua_cloaking", f"{url} as served to a search-engine user agent",
                    _quote(spider_html[max(0, first - 40) : first + QUOTE]), _names(extra))
