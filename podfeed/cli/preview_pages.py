"""``podfeed preview``: one static HTML page per feed showing what a listener would see in an app.

Why a page and not just the XML: a podcaster checks artwork, titles, dates, durations, the notes
and the player at a glance, and a reviewer can open the pages from a CI artefact. The page is
built from the *feed bytes* (not from podfeed's model), so it shows exactly what apps receive.

Safety: the feed is untrusted input here, even our own. It is parsed with lxml without entities,
DTDs or network; every text goes through :func:`html.escape`; the show notes
(``content:encoded``) are sanitised again with nh3 under a strict allow-list (no scripts, no event
handlers, no styles, only http/https/mailto links, only https images), and the page carries a
Content-Security-Policy that forbids scripts and any resource but https images and media. No
JavaScript, no external stylesheet or font: the page works from a file, a CI artefact or a server.

Determinism: no clocks (dates are printed as ISO dates, never "3 days ago"), problems sorted,
sibling languages sorted, so the same feed gives the same bytes.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

import nh3
from lxml import etree

from podfeed.cli.formats import plural
from podfeed.problems import Problem, sort_problems
from podfeed.publish.files import write_files

__all__ = ["CSP", "render_index", "render_preview", "write_previews"]

CSP = "default-src 'none'; img-src https: data:; media-src https:; style-src 'unsafe-inline'"

_NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "atom": "http://www.w3.org/2005/Atom",
    "podcast": "https://podcastindex.org/namespace/1.0",
}

# --- reading the feed ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Link:
    label: str
    url: str


@dataclass(frozen=True)
class _Item:
    title: str
    date: str
    duration: str
    number: str
    audio: str | None
    image: str | None
    notes: str  # sanitised HTML
    links: tuple[_Link, ...]


@dataclass(frozen=True)
class _Channel:
    title: str
    author: str
    description: str
    language: str
    categories: tuple[str, ...]
    artwork: str | None
    link: str | None
    alternates: tuple[tuple[str, str], ...]  # (hreflang, feed URL)
    items: tuple[_Item, ...]


class _Unreadable(Exception):
    """The bytes are not an RSS feed this page can show; the message says why."""


def _parse(feed: bytes) -> _Channel:
    """Feed bytes -> what the page shows.

    :raises _Unreadable: not XML, or no RSS ``channel``.
    """
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(feed, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise _Unreadable(f"the feed is not well-formed XML: {exc}") from exc
    channel = root.find("channel")
    if channel is None:
        raise _Unreadable("the feed has no RSS <channel>")
    return _Channel(
        title=_text(channel, "title") or "(untitled show)",
        author=_text(channel, "itunes:author"),
        description=_text(channel, "description") or _text(channel, "itunes:summary"),
        language=_text(channel, "language"),
        categories=tuple(_categories(channel)),
        artwork=_image_url(_attr(channel, "itunes:image", "href") or _text(channel, "image/url")),
        link=_web_url(_text(channel, "link")),
        alternates=tuple(_alternates(channel)),
        items=tuple(_item(item) for item in channel.findall("item")),
    )


def _text(element: etree._Element, path: str) -> str:
    found = element.find(path, _NS)
    if found is None:
        return ""
    return "".join(found.itertext()).strip()


def _attr(element: etree._Element, path: str, name: str) -> str:
    found = element.find(path, _NS)
    return "" if found is None else (found.get(name) or "").strip()


def _categories(channel: etree._Element) -> Iterable[str]:
    """``Business / Management`` for a nested itunes:category, ``Technology`` for a plain one."""
    for top in channel.findall("itunes:category", _NS):
        name = (top.get("text") or "").strip()
        subs = [(sub.get("text") or "").strip() for sub in top.findall("itunes:category", _NS)]
        subs = [sub for sub in subs if sub]
        if not subs and name:
            yield name
        for sub in subs:
            yield f"{name} / {sub}"


def _alternates(channel: etree._Element) -> Iterable[tuple[str, str]]:
    for link in channel.findall("atom:link", _NS):
        lang = (link.get("hreflang") or "").strip()
        href = _web_url(link.get("href") or "")
        if link.get("rel") == "alternate" and lang and href:
            yield lang, href


def _item(item: etree._Element) -> _Item:
    notes = _text(item, "content:encoded") or _text(item, "description")
    links = []
    page = _web_url(_text(item, "link"))
    if page:
        links.append(_Link("Episode page", page))
    for content_link in item.findall("podcast:contentLink", _NS):
        href = _web_url(content_link.get("href") or "")
        if href:
            label = "".join(content_link.itertext()).strip() or "Elsewhere"
            links.append(_Link(f"Watch on {label}" if label == "YouTube" else label, href))
    return _Item(
        title=_text(item, "title") or _text(item, "itunes:title") or "(untitled episode)",
        date=iso_date(_text(item, "pubDate")),
        duration=hms(_text(item, "itunes:duration")),
        number=_text(item, "itunes:episode") or _text(item, "podcast:episode"),
        audio=_web_url(_attr(item, "enclosure", "url")),
        image=_image_url(_attr(item, "itunes:image", "href")),
        notes=sanitise_notes(notes),
        links=tuple(links),
    )


def _web_url(url: str) -> str | None:
    """``url`` when it is an absolute http(s) URL; anything else (``javascript:``) is no link."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _image_url(url: str) -> str | None:
    """Only https images: the page's CSP blocks the others, which would be a console error."""
    url = url.strip()
    return url if url.lower().startswith("https://") and _web_url(url) else None


def iso_date(pub_date: str) -> str:
    """RFC 2822 ``pubDate`` -> ISO date in the feed's own offset; the raw text if unparseable.

    >>> iso_date("Thu, 07 Mar 2024 08:00:00 +0000")
    '2024-03-07'
    >>> iso_date("yesterday")
    'yesterday'
    """
    try:
        return parsedate_to_datetime(pub_date).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return pub_date


def hms(duration: str) -> str:
    """``itunes:duration`` (seconds, ``MM:SS`` or ``HH:MM:SS``) -> ``H:MM:SS``; raw if unreadable.

    >>> hms("1740"), hms("29:05"), hms("1:02:03"), hms("90.5"), hms("soon")
    ('0:29:00', '0:29:05', '1:02:03', '0:01:30', 'soon')
    """
    parts = duration.strip().split(":")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        return duration
    if not 1 <= len(numbers) <= 3 or any(n < 0 for n in numbers):
        return duration
    seconds = 0
    for number in numbers:
        seconds = seconds * 60 + int(number)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


# --- sanitising the notes -----------------------------------------------------------------------

_NOTE_TAGS = {
    "p", "br", "a", "strong", "b", "em", "i", "u", "ul", "ol", "li",
    "h2", "h3", "h4", "h5", "h6", "blockquote", "code", "pre", "hr", "img",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
# Removed with everything inside: their content is code or widgets, never show notes.
_DROPPED_WITH_CONTENT = {
    "script", "style", "iframe", "noscript", "template", "object", "embed", "svg", "math",
    "textarea", "select", "title", "frame", "frameset", "applet",
}  # fmt: skip


def _note_attribute(tag: str, attribute: str, value: str) -> str | None:
    if (tag, attribute) == ("img", "src"):
        return _image_url(value)
    return value


_NOTES_CLEANER = nh3.Cleaner(
    tags=_NOTE_TAGS,
    clean_content_tags=_DROPPED_WITH_CONTENT,
    attributes={"a": {"href"}, "img": {"src", "alt"}, "ol": {"start"}},
    attribute_filter=_note_attribute,
    strip_comments=True,
    link_rel="noopener noreferrer nofollow",
    url_schemes={"http", "https", "mailto"},
)


def sanitise_notes(notes: str) -> str:
    """Untrusted HTML -> HTML safe to inline in the preview (allow-list, no scripts or handlers).

    >>> sanitise_notes('<p onclick="x()">Hi<script>alert(1)</script></p>')
    '<p>Hi</p>'
    """
    return _NOTES_CLEANER.clean(notes).strip()


# --- writing the page ---------------------------------------------------------------------------

_STYLE = """
:root{color-scheme:light dark;--fg:#1d1d1f;--muted:#6e6e73;--bg:#f5f5f7;--card:#fff;
--accent:#8e44ad;--line:#d2d2d7}
@media (prefers-color-scheme:dark){:root{--fg:#f5f5f7;--muted:#a1a1a6;--bg:#000;--card:#1c1c1e;
--line:#38383a;--accent:#c58af9}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
color:var(--fg);background:var(--bg)}
main{max-width:860px;margin:0 auto;padding:24px 16px 64px}
a{color:var(--accent)}
nav.langs{font-size:14px;color:var(--muted);margin-bottom:16px}
nav.langs a,nav.langs strong{margin-right:10px}
header.show{display:flex;gap:24px;align-items:flex-start;flex-wrap:wrap;margin-bottom:24px}
.artwork{width:220px;height:220px;border-radius:12px;object-fit:cover;background:var(--line);
flex:none;box-shadow:0 4px 16px rgba(0,0,0,.15)}
.noart{display:flex;align-items:center;justify-content:center;color:var(--muted);font-size:13px}
header.show>div{flex:1 1 320px;min-width:0}
section.findings h2{margin:0 0 8px;font-size:18px}
header.show h1{margin:0 0 4px;font-size:28px;line-height:1.2}
.author{color:var(--accent);font-weight:600;margin:0 0 8px}
.chips{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0;padding:0;list-style:none}
.chips li{font-size:12px;border:1px solid var(--line);border-radius:999px;padding:2px 10px;
color:var(--muted)}
.description{white-space:pre-line}
.meta{color:var(--muted);font-size:13px}
section.findings,article.episode{background:var(--card);border-radius:12px;padding:16px 20px;
margin:0 0 16px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
section.findings table{border-collapse:collapse;width:100%;font-size:14px}
section.findings th,section.findings td{text-align:left;padding:4px 8px;
border-bottom:1px solid var(--line);vertical-align:top}
.level{font-weight:600;text-transform:uppercase;font-size:12px}
.level-error{color:#d70015}.level-warning{color:#b25000}.level-info{color:var(--muted)}
h2.episodes{font-size:20px;margin:24px 0 12px}
article.episode h3{margin:2px 0 6px;font-size:19px;line-height:1.3}
.episode-head{display:flex;gap:16px}
.episode-art{width:72px;height:72px;border-radius:8px;object-fit:cover;flex:none;
background:var(--line)}
audio{width:100%;margin:8px 0}
.noaudio{color:#d70015;font-size:14px}
details.notes summary{cursor:pointer;color:var(--accent);font-size:14px}
.notes img{max-width:100%;height:auto}
.notes h2,.notes h3,.notes h4,.notes h5,.notes h6{font-size:16px;margin:16px 0 4px}
.notes pre{overflow:auto}
ul.links{list-style:none;padding:0;margin:8px 0 0;display:flex;gap:16px;flex-wrap:wrap;
font-size:14px}
.empty{color:var(--muted)}
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _page(title: str, lang: str, body: Iterable[str]) -> str:
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        # An empty data: icon: without it the browser asks the server for /favicon.ico.
        '<link rel="icon" href="data:,">',
        f"<title>{_e(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    return "\n".join([*head, *body, "</main>", "</body>", "</html>", ""])


def render_preview(
    feed: bytes, *, problems: Sequence[Problem] = (), siblings: Mapping[str, str] = {}
) -> str:
    """A static, self-contained HTML page showing what a listener would see in an app.

    ``problems`` are the validation findings for this feed (shown in a table); ``siblings`` maps
    a language to the relative href of its preview page (``{"de": "de.html"}``). A feed that
    cannot be read still gives a page: it says why, and lists the findings.
    """
    return _render(feed, problems, siblings)[1]


def _render(
    feed: bytes, problems: Sequence[Problem], siblings: Mapping[str, str]
) -> tuple[str, str]:
    """(show title, page): the index needs the title, and parsing once is enough."""
    try:
        channel = _parse(feed)
    except _Unreadable as exc:
        title = "Unreadable feed"
        body = [f"<h1>{title}</h1>", f'<p class="noaudio">{_e(str(exc))}</p>']
        return title, _page(title, "en", [*body, *_findings(problems)])
    body = [
        *_languages(channel, siblings),
        *_show_header(channel),
        *_findings(problems),
        *_episodes(channel.items),
    ]
    # "und" (BCP 47: undetermined) keeps the lang attribute valid when the feed has none.
    return channel.title, _page(channel.title, channel.language or "und", body)


def _languages(channel: _Channel, siblings: Mapping[str, str]) -> list[str]:
    """Links to the other languages: their preview page, and their feed as the feed names it."""
    feeds = dict(channel.alternates)
    langs = sorted((set(siblings) | set(feeds)) - {channel.language})
    if not langs:
        return []
    parts = [f"<strong>{_e(channel.language or '?')}</strong>"]
    for lang in langs:
        preview = siblings.get(lang)
        if preview is not None and _is_safe_href(preview):
            parts.append(f'<a href="{_e(preview)}" hreflang="{_e(lang)}">{_e(lang)}</a>')
        if lang in feeds:
            parts.append(
                f'<a href="{_e(feeds[lang])}" hreflang="{_e(lang)}" rel="alternate"'
                f' type="application/rss+xml">{_e(lang)} feed</a>'
            )
    return [f'<nav class="langs" aria-label="Languages">Languages: {" ".join(parts)}</nav>']


def _is_safe_href(href: str) -> bool:
    """A relative path or an http(s) URL; never ``javascript:`` or ``data:``."""
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    return parts.scheme == "" or _web_url(href) is not None


def _show_header(channel: _Channel) -> list[str]:
    if channel.artwork:
        art = f'<img class="artwork" src="{_e(channel.artwork)}" alt="Show artwork">'
    else:
        art = '<div class="artwork noart">no https artwork</div>'
    title = _e(channel.title)
    if channel.link:
        title = f'<a href="{_e(channel.link)}">{title}</a>'
    lines = ['<header class="show">', art, "<div>", f"<h1>{title}</h1>"]
    if channel.author:
        lines.append(f'<p class="author">{_e(channel.author)}</p>')
    if channel.categories:
        chips = "".join(f"<li>{_e(c)}</li>" for c in channel.categories)
        lines.append(f'<ul class="chips">{chips}</ul>')
    count = len(channel.items)
    meta = [f"Language: {_e(channel.language or 'not set')}", plural(count, "episode")]
    lines.append(f'<p class="meta">{" · ".join(meta)}</p>')
    if channel.description:
        lines.append(f'<p class="description">{_e(channel.description)}</p>')
    lines += ["</div>", "</header>"]
    return lines


def _findings(problems: Sequence[Problem]) -> list[str]:
    if not problems:
        return ['<section class="findings"><p class="empty">No validation findings.</p></section>']
    rows = [
        "<tr>"
        f'<td class="level level-{_e(str(p.level))}">{_e(str(p.level))}</td>'
        f"<td><code>{_e(p.code)}</code></td>"
        f"<td>{_e(_where(p))}</td>"
        f"<td>{_e(p.message)}{_hint(p)}</td>"
        "</tr>"
        for p in sort_problems(problems)
    ]
    return [
        '<section class="findings">',
        f"<h2>Validation findings ({len(problems)})</h2>",
        "<table>",
        "<thead><tr><th>Level</th><th>Code</th><th>Where</th><th>Message</th></tr></thead>",
        "<tbody>",
        *rows,
        "</tbody>",
        "</table>",
        "</section>",
    ]


def _where(problem: Problem) -> str:
    """``file:line``: a feed's findings come from several episode files, so the line alone is
    not enough to find the place to fix."""
    where = problem.file or ""
    if problem.line:
        where = f"{where}:{problem.line}" if where else str(problem.line)
    return where


def _hint(problem: Problem) -> str:
    return f'<br><span class="meta">fix: {_e(problem.hint)}</span>' if problem.hint else ""


def _episodes(items: Sequence[_Item]) -> list[str]:
    lines = [f'<h2 class="episodes">Episodes ({len(items)})</h2>']
    if not items:
        lines.append('<p class="empty">This feed has no episodes.</p>')
    for item in items:
        lines += _episode(item)
    return lines


def _episode(item: _Item) -> list[str]:
    meta = [f'<time datetime="{_e(item.date)}">{_e(item.date)}</time>' if item.date else ""]
    meta.append(_e(item.duration) if item.duration else "")
    meta.append(f"Episode {_e(item.number)}" if item.number else "")
    lines = ['<article class="episode">', '<div class="episode-head">']
    if item.image:
        lines.append(f'<img class="episode-art" src="{_e(item.image)}" alt="">')
    lines += [
        "<div>",
        f'<p class="meta">{" · ".join(m for m in meta if m)}</p>',
        f"<h3>{_e(item.title)}</h3>",
        "</div>",
        "</div>",
    ]
    if item.audio:
        lines.append(f'<audio controls preload="none" src="{_e(item.audio)}"></audio>')
    else:
        lines.append('<p class="noaudio">No playable enclosure: apps cannot play this episode.</p>')
    if item.notes:
        lines.append(
            f'<details class="notes" open><summary>Show notes</summary>{item.notes}</details>'
        )
    if item.links:
        links = "".join(
            f'<li><a href="{_e(link.url)}" rel="noopener noreferrer">{_e(link.label)}</a></li>'
            for link in item.links
        )
        lines.append(f'<ul class="links">{links}</ul>')
    lines.append("</article>")
    return lines


# --- writing the pages --------------------------------------------------------------------------


def write_previews(
    feeds: Mapping[Path, bytes],
    out_dir: Path,
    *,
    problems_by_feed: Mapping[Path, Sequence[Problem]] = {},
) -> list[Path]:
    """Write ``<out_dir>/<show>/<lang>.html`` per ``.../<show>/<lang>.xml``, and ``index.html``.

    Each page links to the previews of the same show's other languages. The files are written
    all-or-nothing (:func:`podfeed.publish.files.write_files`); pages whose bytes did not change
    are left alone. Returns every page path (index last), written or unchanged.

    :raises OSError: a page could not be written; no page was changed then.
    """
    langs_by_show: dict[str, list[str]] = {}
    for path in feeds:
        langs_by_show.setdefault(path.parent.name, []).append(path.stem)
    pages: dict[Path, bytes] = {}
    entries: list[tuple[str, str, str, int]] = []
    for path in sorted(feeds):
        show, lang = path.parent.name, path.stem
        siblings = {o: f"{quote(o)}.html" for o in langs_by_show[show] if o != lang}
        problems = problems_by_feed.get(path, ())
        title, page = _render(feeds[path], problems, siblings)
        pages[out_dir / show / f"{lang}.html"] = page.encode("utf-8")
        entries.append((show, lang, title, len(problems)))
    pages[out_dir / "index.html"] = render_index(entries).encode("utf-8")
    write_files(pages)
    return list(pages)


def render_index(entries: Sequence[tuple[str, str, str, int]]) -> str:
    """The overview page: one link per (show, lang, title, number of findings)."""
    rows = [
        f'<li><a href="{_e(quote(show))}/{_e(quote(lang))}.html">{_e(title)} — {_e(lang)}</a>'
        f' <span class="meta">{_e(show)}/{_e(lang)} · {plural(count, "finding")}</span></li>'
        for show, lang, title, count in sorted(entries)
    ]
    body = ["<h1>Feed previews</h1>"]
    body += ["<ul>", *rows, "</ul>"] if rows else ['<p class="empty">No feeds.</p>']
    return _page("Feed previews", "en", body)
