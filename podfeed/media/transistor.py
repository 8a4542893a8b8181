"""Transistor.fm: find the audio file behind an episode's share id.

Strategy, cheapest first (DESIGN §3):

1. The show's own Transistor feed, fetched once per build with a conditional request. Items are
   indexed by the share id found in the enclosure path (or the item link); the enclosure URL is
   kept exactly as the show publishes it, analytics prefixes and all.
2. For ids the feed lacks: the share page, the embed page, then oEmbed, for an audio URL; then a
   HEAD (or a one-byte ranged GET) on that URL for its length and type.
3. The Transistor API, only with ``TRANSISTOR_API_KEY`` in the environment and a configured show
   id, at no more than 10 requests per 10 s. The key is never put in a message, a repr or the lock.

The feed is parsed with lxml in its safe mode (no entity expansion, no network, no DTD loading,
no huge trees); a feed that declares entities is refused outright (billion laughs, XXE).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import lxml.html
from lxml import etree

from podfeed.media.http import FetchError, Http, Response
from podfeed.model import Media, Transcript
from podfeed.problems import PodfeedError
from podfeed.safexml import DeclaresEntities, parse_untrusted

__all__ = [
    "API_KEY_ENV",
    "FeedAnswer",
    "FeedParseError",
    "NotFoundError",
    "RateLimiter",
    "api_episodes",
    "audio_url_from_page",
    "fetch_feed",
    "find_audio_url",
    "parse_duration",
    "parse_feed",
    "probe_audio",
    "share_id_from_link",
    "share_id_from_url",
]

API_KEY_ENV = "TRANSISTOR_API_KEY"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
# The namespace document says https; some feeds still write http. Both are accepted.
PODCAST_NS = ("https://podcastindex.org/namespace/1.0", "http://podcastindex.org/namespace/1.0")
# Share pages and oEmbed answers are small; a megabyte is generous and bounds memory.
PAGE_MAX_BYTES = 1_000_000

_HEX8 = r"[0-9a-fA-F]{8}"
# .../<share id>/<file>.<ext> (current form) and .../<share id>.<ext> (older short form). Matched
# on the path only, after any analytics prefix, which keeps the real host in its own path.
_LONG_FORM = re.compile(rf"/({_HEX8})/[^/]+\.[A-Za-z0-9]{{2,4}}$")
# The short form sits at the root of its host: directly, or after a prefix that names the host.
_SHORT_FORM = re.compile(rf"(?:^|/[^/]*\.[^/]*)/({_HEX8})\.[A-Za-z0-9]{{2,4}}$")
_LINK_FORM = re.compile(rf"/[se]/({_HEX8})(?:[/?#]|$)")
_EXTENSION_TYPES = {
    "mp3": "audio/mpeg",
    "m4a": "audio/x-m4a",
    "mp4": "video/mp4",
    "aac": "audio/aac",
    "ogg": "audio/ogg",
    "opus": "audio/opus",
    "wav": "audio/wav",
}


class FeedParseError(PodfeedError):
    """The show feed is not XML podfeed will read (malformed, truncated, declares entities)."""


class NotFoundError(PodfeedError):
    """No audio URL could be found for a share id; ``tried`` lists each source and its answer."""

    def __init__(self, share_id: str, tried: list[str]) -> None:
        super().__init__(f"no audio URL found for share id {share_id}; tried: " + "; ".join(tried))
        self.share_id = share_id
        self.tried = tried


# --- share ids -----------------------------------------------------------------------------------


def share_id_from_url(url: str) -> str | None:
    """The share id in an enclosure URL, whatever analytics prefixes sit in front of the host.

    >>> share_id_from_url("https://media.transistor.fm/cea47899/5c4d2a1b.mp3?src=rss")
    'cea47899'
    >>> share_id_from_url("https://op3.dev/e/dts.podtrac.com/redirect.mp3/media.transistor.fm/cea47899.mp3")
    'cea47899'
    >>> share_id_from_url("https://example.com/episode.mp3") is None
    True
    """
    path = urlsplit(url.strip()).path
    match = _LONG_FORM.search(path) or _SHORT_FORM.search(path)
    return match.group(1).lower() if match else None


def share_id_from_link(link: str) -> str | None:
    """The share id in a share or embed link (``https://share.transistor.fm/s/<id>``).

    >>> share_id_from_link("https://share.transistor.fm/s/cea47899")
    'cea47899'
    """
    match = _LINK_FORM.search(urlsplit(link.strip()).path + "/")
    return match.group(1).lower() if match else None


# --- the show feed -------------------------------------------------------------------------------


def parse_duration(text: str | None) -> int | None:
    """``itunes:duration`` as whole seconds: ``1740``, ``29:00`` or ``00:29:00``; else None.

    >>> parse_duration("1740"), parse_duration("29:00"), parse_duration("1:02:03")
    (1740, 1740, 3723)
    >>> parse_duration("about half an hour") is None
    True
    """
    if text is None:
        return None
    parts = text.strip().split(":")
    if not 1 <= len(parts) <= 3:
        return None
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        return None
    if any(n < 0 for n in numbers):
        return None
    seconds = 0.0
    for number in numbers:
        seconds = seconds * 60 + number
    return int(seconds)


def parse_feed(content: bytes, *, url: str) -> dict[str, Media]:
    """Index a Transistor feed's items by share id.

    :raises FeedParseError: the body is not well-formed XML, is cut short, is not RSS, or
        declares entities (refused: they are how billion-laughs and external-entity attacks work).
    """
    try:
        root = parse_untrusted(content)
    except DeclaresEntities:
        raise FeedParseError(
            f"{url}: the feed declares XML entities in its DOCTYPE; podfeed refuses such feeds "
            "(they can expand without bound or read local files)"
        ) from None
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or "?"
        raise FeedParseError(
            f"{url}: the Transistor feed is not well-formed XML (line {line}: {exc.msg})"
        ) from exc
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise FeedParseError(f"{url}: not an RSS feed (root element <{root.tag}>)")
    items: dict[str, Media] = {}
    for item in channel.iterfind("item"):
        ids, media = _item(item)
        for share_id in ids:
            items.setdefault(share_id, media)
    return items


def _item(item: etree._Element) -> tuple[list[str], Media]:
    enclosure = item.find("enclosure")
    url = (enclosure.get("url") or "").strip() if enclosure is not None else ""
    ids = [share_id for share_id in (share_id_from_url(url) if url else None,) if share_id]
    link_id = share_id_from_link(item.findtext("link") or "")
    if link_id and link_id not in ids:
        ids.append(link_id)
    if not url:
        return [], Media(url="", length=0, type="")
    length_text = (enclosure.get("length") or "").strip() if enclosure is not None else ""
    media_type = (enclosure.get("type") or "").strip() if enclosure is not None else ""
    guid = (item.findtext("guid") or "").strip() or None
    media = Media(
        url=url,
        length=int(length_text) if length_text.isdigit() else 0,
        type=media_type or _type_from_extension(url),
        duration=parse_duration(item.findtext(f"{{{ITUNES_NS}}}duration")),
        guid=guid,
        transcripts=tuple(_transcripts(item)),
    )
    return ids, media


def _transcripts(item: etree._Element) -> Iterator[Transcript]:
    for namespace in PODCAST_NS:
        for tag in item.iterfind(f"{{{namespace}}}transcript"):
            url, kind = (tag.get("url") or "").strip(), (tag.get("type") or "").strip()
            if url.startswith(("http://", "https://")) and kind:
                yield Transcript(
                    url=url, type=kind, language=tag.get("language"), rel=tag.get("rel")
                )


@dataclass(frozen=True)
class FeedAnswer:
    """The feed fetch: ``items`` is None when the server said 304 Not Modified."""

    items: dict[str, Media] | None
    etag: str | None
    last_modified: str | None


def fetch_feed(
    http: Http, url: str, *, etag: str | None = None, last_modified: str | None = None
) -> FeedAnswer:
    """GET the show feed, conditionally when validators are known.

    :raises FetchError: the request failed.
    :raises FeedParseError: the answer is not a feed podfeed will read.
    """
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    response = http.get(url, headers=headers)
    new_etag = response.headers.get("etag") or etag
    new_modified = response.headers.get("last-modified") or last_modified
    if response.status == 304:
        return FeedAnswer(items=None, etag=new_etag, last_modified=new_modified)
    return FeedAnswer(
        items=parse_feed(response.content, url=url),
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
    )


# --- share page, embed page, oEmbed --------------------------------------------------------------

_META_NAMES = ("og:audio", "og:audio:url", "og:audio:secure_url", "twitter:player:stream")


@dataclass(frozen=True)
class _Page:
    audio: str | None
    oembed: str | None
    iframe: str | None


def audio_url_from_page(html: str, *, base_url: str, share_id: str) -> str | None:
    """The audio URL a share or embed page advertises, trying several places in turn.

    Transistor's exact tags are not documented, so this looks at Open Graph and Twitter meta tags,
    ``<audio src>`` / ``<source src>``, then any absolute URL in the page whose path carries the
    share id and ends in an audio extension (embedded player data).
    """
    return _read_page(html, base_url=base_url, share_id=share_id).audio


def _read_page(html: str, *, base_url: str, share_id: str) -> _Page:
    if not html.strip():
        return _Page(None, None, None)
    try:
        document = lxml.html.document_fromstring(html, base_url=base_url)
    except (etree.ParserError, ValueError):
        return _Page(None, None, None)
    document.make_links_absolute(base_url, resolve_base_href=True)
    audio = None
    for name in _META_NAMES:
        for meta in document.xpath("//meta[@property=$n or @name=$n]", n=name):
            content = (meta.get("content") or "").strip()
            if content.startswith(("http://", "https://")):
                audio = audio or content
    for element in document.xpath("//audio[@src] | //audio/source[@src]"):
        audio = audio or element.get("src")
    if audio is None:
        audio = _audio_url_in_text(html, share_id)
    oembed = None
    for link in document.xpath("//link[@type='application/json+oembed'][@href]"):
        oembed = oembed or link.get("href")
    iframes = document.xpath("//iframe/@src")
    return _Page(audio=audio, oembed=oembed, iframe=str(iframes[0]) if iframes else None)


def _audio_url_in_text(text: str, share_id: str) -> str | None:
    pattern = re.compile(
        rf"https?:(?:\\?/){{2}}[^\s\"'<>]*?\\?/{share_id}(?:\\?/[^\s\"'<>/\\]+)?"
        r"\.(?:mp3|m4a|aac|ogg|opus)"
        r"(?:\?[^\s\"'<>]*)?",
        re.IGNORECASE,
    )
    match = pattern.search(text)
    return match.group(0).replace("\\/", "/") if match else None


def find_audio_url(http: Http, share_url: str, share_id: str) -> str:
    """Ask the share page, the embed page and oEmbed (in that order) for the audio URL.

    :raises NotFoundError: every source answered but none named audio (the message lists each).
    :raises FetchError: the first source failed transiently (network): try again later.
    """
    base = share_url.rstrip("/")
    page_url = f"{base}/s/{share_id}"
    tried: list[str] = []
    pages = [("share page", page_url), ("embed page", f"{base}/e/{share_id}")]
    oembed_url = f"{base}/oembed?url={quote(page_url, safe='')}&format=json"
    iframe: str | None = None
    for label, url in pages:
        page = _fetch_page(http, url, label, share_id, tried)
        if page is None:
            continue
        if page.audio:
            return page.audio
        iframe = iframe or page.iframe
        if label == "share page" and page.oembed:
            oembed_url = page.oembed
    answer = _fetch_oembed(http, oembed_url, tried)
    if answer is not None:
        direct, html = answer
        if direct:
            return direct
        frame = _iframe_src(html, base_url=oembed_url) or iframe
        if frame and frame not in {url for _, url in pages}:
            page = _fetch_page(http, frame, "oEmbed player", share_id, tried)
            if page is not None and page.audio:
                return page.audio
    raise NotFoundError(share_id, tried)


def _fetch_page(http: Http, url: str, label: str, share_id: str, tried: list[str]) -> _Page | None:
    try:
        response = http.get(url, max_bytes=PAGE_MAX_BYTES)
    except FetchError as exc:
        if exc.transient:
            raise
        tried.append(f"{label} {url} ({exc.reason})")
        return None
    page = _read_page(response.text, base_url=response.url, share_id=share_id)
    if page.audio is None:
        tried.append(f"{label} {url} (no og:audio, twitter:player:stream or <audio> found)")
    return page


def _fetch_oembed(http: Http, url: str, tried: list[str]) -> tuple[str | None, str] | None:
    try:
        response = http.get(url, max_bytes=PAGE_MAX_BYTES)
    except FetchError as exc:
        if exc.transient:
            raise
        tried.append(f"oEmbed {url} ({exc.reason})")
        return None
    try:
        data = json.loads(response.content)
    except ValueError:
        tried.append(f"oEmbed {url} (not JSON)")
        return None
    if not isinstance(data, dict):
        tried.append(f"oEmbed {url} (not a JSON object)")
        return None
    for key in ("audio_url", "media_url", "enclosure_url"):
        value = data.get(key)
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value, ""
    html = data.get("html") if isinstance(data.get("html"), str) else ""
    if not _iframe_src(str(html), base_url=url):
        tried.append(f"oEmbed {url} (no audio URL and no player iframe)")
    return None, str(html)


def _iframe_src(html: str, *, base_url: str) -> str | None:
    if not html.strip():
        return None
    try:
        fragment = lxml.html.fragment_fromstring(html, create_parent="div", base_url=base_url)
    except (etree.ParserError, ValueError):
        return None
    fragment.make_links_absolute(base_url)
    sources = fragment.xpath(".//iframe/@src")
    return str(sources[0]) if sources else None


# --- the audio file itself -----------------------------------------------------------------------


def _type_from_extension(url: str) -> str:
    path = urlsplit(url).path
    extension = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    return _EXTENSION_TYPES.get(extension, "audio/mpeg")


def _clean_type(value: str | None, url: str) -> str:
    kind = (value or "").split(";")[0].strip().lower()
    if not kind or kind in ("application/octet-stream", "binary/octet-stream"):
        return _type_from_extension(url)
    return kind


def probe_audio(http: Http, url: str) -> tuple[int, str]:
    """Length in bytes and MIME type of an audio URL, following redirects.

    HEAD first; when HEAD is refused, fails (after its retries) or gives no length, a GET for
    the first byte, whose ``Content-Range`` names the total (the body is never downloaded).

    :raises FetchError: both requests failed, or neither told the length.
    """
    head_error: FetchError | None = None
    try:
        head = http.head(url)
        length = head.headers.get("content-length", "")
        if length.isdigit() and int(length) > 0:
            return int(length), _clean_type(head.headers.get("content-type"), url)
    except FetchError as exc:
        head_error = exc
    try:
        ranged = http.request("GET", url, headers={"Range": "bytes=0-0"}, read_body=False)
    except FetchError as exc:
        if head_error is None:
            raise
        # Both failed: the error says what each answered (transient if the last one was).
        raise FetchError(
            url, f"HEAD: {head_error.reason}; ranged GET: {exc.reason}", status=exc.status
        ) from exc
    total = _content_range_total(ranged.headers.get("content-range"))
    if total is None and ranged.status == 200:
        text = ranged.headers.get("content-length", "")
        total = int(text) if text.isdigit() else None
    if total is None:
        why = f"HEAD: {head_error.reason}; " if head_error else ""
        raise FetchError(url, f"{why}the server does not say how many bytes the file has")
    return total, _clean_type(ranged.headers.get("content-type"), url)


def _content_range_total(value: str | None) -> int | None:
    match = re.fullmatch(r"\s*bytes\s+[\d*-]+/(\d+)\s*", value or "")
    return int(match.group(1)) if match else None


# --- the Transistor API --------------------------------------------------------------------------


class RateLimiter:
    """At most ``limit`` calls per ``period`` seconds (Transistor: 10 per 10 s), thread-safe."""

    def __init__(
        self,
        limit: int = 10,
        period: float = 10.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.limit, self.period = limit, period
        self._clock, self._sleep = clock, sleep
        self._calls: list[float] = []
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self._clock()
            self._calls = [t for t in self._calls if now - t < self.period]
            if len(self._calls) >= self.limit:
                delay = self.period - (now - self._calls[0])
                self._sleep(delay)
                now = self._clock()
                self._calls = [t for t in self._calls if now - t < self.period]
            self._calls.append(now)


def api_episodes(
    http: Http,
    api_url: str,
    show_id: str,
    key: str,
    *,
    limiter: RateLimiter,
    max_pages: int = 50,
) -> dict[str, str]:
    """Share id → media URL for every episode of a show, from the Transistor API (JSON:API).

    The key travels only in the ``x-api-key`` header; the ``Http`` given must list it in its
    ``secrets`` so that no error can show it.

    :raises FetchError: a request failed.
    """
    found: dict[str, str] = {}
    base = api_url.rstrip("/")
    for page in range(1, max_pages + 1):
        limiter.wait()
        url = f"{base}/episodes?show_id={quote(show_id)}&pagination[page]={page}&pagination[per]=50"
        response = http.get(url, headers={"x-api-key": key, "Accept": "application/json"})
        data, total_pages = _api_page(response)
        for share_id, media_url in data:
            found.setdefault(share_id, media_url)
        if page >= total_pages:
            break
    return found


def _api_page(response: Response) -> tuple[list[tuple[str, str]], int]:
    try:
        document = json.loads(response.content)
    except ValueError as exc:
        raise FetchError(
            response.url, "the API answer is not JSON", status=response.status
        ) from exc
    rows: list[tuple[str, str]] = []
    items = document.get("data") if isinstance(document, dict) else None
    for item in items if isinstance(items, list) else []:
        attributes = item.get("attributes") if isinstance(item, dict) else None
        if not isinstance(attributes, dict):
            continue
        media_url = attributes.get("media_url")
        if not isinstance(media_url, str):
            continue
        share_id = share_id_from_link(str(attributes.get("share_url") or ""))
        share_id = share_id or share_id_from_url(media_url)
        if share_id:
            rows.append((share_id, media_url))
    meta = document.get("meta") if isinstance(document, dict) else None
    pages = meta.get("totalPages") if isinstance(meta, dict) else None
    return rows, pages if isinstance(pages, int) and pages > 0 else 1
