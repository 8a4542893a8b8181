"""``podfeed validate --fetch-artwork``: Apple's artwork requirements, checked on the image itself.

Apple rejects a show whose ``itunes:image`` is not a square JPEG or PNG of 1400 to 3000 px in
the RGB colour space, and its servers fetch media and artwork with HEAD and byte-range requests.
None of that shows in the feed, so this module reads each image's *header* over the network:

- one ``GET`` with ``Range: bytes=0-65535`` per image, read with a cap of 64 KiB, so a 50 MB
  "artwork" (or a server that ignores ``Range`` and starts sending the whole file) costs 64 KiB;
- the format comes from the magic bytes, never from the URL or the Content-Type (both are
  compared with it instead); the pixel size and colour model from the PNG ``IHDR`` chunk or the
  JPEG frame header (``SOFn``), found by walking the JPEG's segments. Only a JPEG whose metadata
  (EXIF, ICC profile, embedded previews) pushes the frame header past 64 KiB costs further
  ranged requests, which start exactly where the next segment begins;
- one ``HEAD`` per server (scheme and host), because Apple requires HEAD support of the server,
  not of each file.

The rules are declared in :mod:`podfeed.validate.rules.artwork` so their ids are registered with
every other rule; the offline engine has nothing to run for them.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree

from podfeed.media.http import FetchError, Http, Response
from podfeed.problems import Level, Problem, sort_problems
from podfeed.validate.base import Finding, Rule, item_label
from podfeed.validate.rules import artwork as rules
from podfeed.validate.xmltree import ITUNES_NS, Element, child, feed_items

__all__ = [
    "FIRST_WINDOW",
    "ITEM_LIMIT",
    "MAX_SCAN",
    "MAX_SIDE",
    "MIN_SIDE",
    "MORE_WINDOW",
    "ArtworkRef",
    "Damaged",
    "ImageHeader",
    "NeedMore",
    "check_artwork",
    "find_artwork",
    "read_png",
    "scan_jpeg",
    "sniff",
]

MIN_SIDE = 1400
MAX_SIDE = 3000
FIRST_WINDOW = 65_536  # the first ranged GET: enough for the header of nearly every image
MORE_WINDOW = 262_144  # each further ranged GET when a JPEG's metadata is longer than that
MAX_SCAN = 1_048_576  # give up looking for a JPEG frame header beyond this offset
ITEM_LIMIT = 50  # distinct episode images checked with ``items=True``

_IMAGE = f"{{{ITUNES_NS}}}image"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# Start-of-frame markers: C0-CF except C4 (DHT), C8 (JPG extension) and CC (DAC) (ITU T.81 B.1.1.3).
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# Markers that stand alone, without a length: TEM and RST0-7 (ITU T.81 B.1.1.3, B.2.1).
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})
_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*$", re.IGNORECASE)
_TYPES = {
    "image/jpeg": "jpeg",
    "image/jpg": "jpeg",
    "image/pjpeg": "jpeg",
    "image/png": "png",
    "image/x-png": "png",
}
_EXTENSIONS = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png"}
_NAMES = {"jpeg": "JPEG", "png": "PNG"}


# --- where the artwork is -----------------------------------------------------------------------


@dataclass(frozen=True)
class ArtworkRef:
    """One image to check: its URL, the line of its ``itunes:image``, and whose it is."""

    href: str
    line: int | None
    label: str | None = None  # None for the show's artwork, else the first item using the URL


def find_artwork(feed: bytes, *, items: bool = False, limit: int = ITEM_LIMIT) -> list[ArtworkRef]:
    """The channel's ``itunes:image`` and, with ``items``, up to ``limit`` other item images.

    The feed is parsed as a stream with the same safe options as the validator (no entities,
    no DTD, no network); items are freed as they are read. A feed that does not parse yields
    nothing: the validator has already reported why.

    >>> feed = (b'<rss xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>\\n'
    ...         b'<itunes:image href=" https://x.test/a.png "/></channel></rss>')
    >>> find_artwork(feed)
    [ArtworkRef(href='https://x.test/a.png', line=2, label=None)]
    """
    show: ArtworkRef | None = None
    episodes: dict[str, ArtworkRef] = {}
    try:
        for node in feed_items(feed):
            if node.tag == "item":
                found = _ref(node, item_label(node)) if items else None
                if found is not None and len(episodes) <= limit:
                    episodes.setdefault(found.href, found)
            elif show is None:
                show = _ref(node, None) or ArtworkRef("", None)
    except etree.XMLSyntaxError:
        return []
    refs = [show] if show is not None and show.href else []
    others = [ref for href, ref in episodes.items() if show is None or href != show.href]
    return refs + others[:limit]


def _ref(parent: Element, label: str | None) -> ArtworkRef | None:
    image = child(parent, _IMAGE)
    href = (image.get("href") or "").strip() if image is not None else ""
    if image is None or not href:
        return None  # a missing or empty href is apple-image's to report
    return ArtworkRef(href, image.sourceline, label)


# --- reading image headers (pure) ---------------------------------------------------------------


@dataclass(frozen=True)
class ImageHeader:
    """What the header says: ``colour`` is rgb, cmyk, grey, palette or another model's name."""

    format: str
    width: int
    height: int
    colour: str


@dataclass(frozen=True)
class NeedMore:
    """The JPEG frame header lies beyond the bytes at hand: read again from ``offset``."""

    offset: int


@dataclass(frozen=True)
class Damaged:
    """The bytes look like the format but cannot be read; ``reason`` says where and why.

    ``certain`` is False when the file may well be valid but podfeed stopped looking (a frame
    header beyond :data:`MAX_SCAN`): that is reported as a warning, not an error.
    """

    reason: str
    certain: bool = True


def sniff(data: bytes) -> str:
    """The file type by its magic bytes (jpeg, png, gif, webp, ...), or ``unknown``.

    >>> sniff(b"\\x89PNG\\r\\n\\x1a\\n...."), sniff(b"\\xff\\xd8\\xff\\xe0"), sniff(b"GIF89a")
    ('png', 'jpeg', 'gif')
    >>> sniff(b"  <!DOCTYPE html><html>"), sniff(b"")
    ('html', 'empty')
    """
    head = data[:64]
    signatures = (
        (head.startswith(_PNG_MAGIC), "png"),
        (head.startswith(b"\xff\xd8\xff"), "jpeg"),
        (head.startswith((b"GIF87a", b"GIF89a")), "gif"),
        (head[:4] == b"RIFF" and head[8:12] == b"WEBP", "webp"),
        (head.startswith(b"BM"), "bmp"),
        (head.startswith((b"II*\x00", b"MM\x00*")), "tiff"),
        (head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"), "avif"),
        (head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1"), "heif"),
        (head.startswith(b"%PDF"), "pdf"),
    )
    for matches, name in signatures:
        if matches:
            return name
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return "html"
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in data[:1024]):
        return "svg"
    if text.startswith((b"<?xml", b"<")):
        return "xml"
    return "empty" if not data else "unknown"


def read_png(data: bytes) -> ImageHeader | Damaged:
    """Width, height and colour model from ``IHDR``, always the first chunk (RFC 2083 4.1.1).

    >>> import struct
    >>> read_png(b"\\x89PNG\\r\\n\\x1a\\n" + struct.pack(">I4sIIBB", 13, b"IHDR", 1400, 1400, 8, 2))
    ImageHeader(format='png', width=1400, height=1400, colour='rgb')
    """
    if len(data) < 26:
        return Damaged(f"the file ends after {len(data)} bytes, inside the PNG header")
    if data[12:16] != b"IHDR":
        return Damaged("the PNG does not start with its IHDR chunk")
    width, height = struct.unpack(">II", data[16:24])
    # Colour types: 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGB + alpha (RFC 2083 4.1.1).
    colour = {0: "grey", 2: "rgb", 3: "palette", 4: "grey", 6: "rgb"}.get(data[25], "unknown")
    return ImageHeader("png", width, height, colour)


def scan_jpeg(data: bytes, *, base: int = 0, start: int = 0) -> ImageHeader | NeedMore | Damaged:
    """Walk a JPEG's segments from ``start`` to its frame header (``SOFn``).

    ``data`` holds the file's bytes from offset ``base``; ``start`` (an absolute offset: 0, or
    the ``offset`` of an earlier :class:`NeedMore`) is where a marker begins. Fill bytes (any
    number of 0xFF before a marker code, ITU T.81 B.1.1.2) are skipped.

    >>> import struct
    >>> sof = b"\\xff\\xc0" + struct.pack(">HBHHB", 17, 8, 1500, 1400, 3)
    >>> scan_jpeg(b"\\xff\\xd8" + sof)
    ImageHeader(format='jpeg', width=1400, height=1500, colour='rgb')
    >>> scan_jpeg(b"\\xff\\xd8\\xff\\xe1\\x80\\x00")  # an APP1 segment of 32 KiB, not all here
    NeedMore(offset=32772)
    """
    pos = start - base
    if start == 0:
        if data[:2] != b"\xff\xd8":
            return Damaged("the JPEG does not start with its SOI marker")
        pos = 2
    while True:
        if pos >= len(data):
            return NeedMore(base + pos)
        if data[pos] != 0xFF:
            return Damaged(f"expected a JPEG marker at byte {base + pos}")
        marker_at = pos
        while pos < len(data) and data[pos] == 0xFF:
            marker_at, pos = pos, pos + 1
        if pos >= len(data):
            return NeedMore(base + marker_at)
        marker = data[pos]
        pos += 1
        if marker in _STANDALONE:
            continue
        if marker in (0x00, 0xD8, 0xD9, 0xDA):
            return Damaged(f"no frame header (SOF) before marker 0xFF{marker:02X}")
        if pos + 2 > len(data):
            return NeedMore(base + marker_at)
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        if length < 2:
            return Damaged(f"a JPEG segment at byte {base + marker_at} has length {length}")
        if marker in _SOF:
            return _frame(data, pos, base, marker_at)
        pos += length


def _frame(data: bytes, pos: int, base: int, marker_at: int) -> ImageHeader | NeedMore:
    """The SOF payload: length (2), precision (1), height (2), width (2), components (1)."""
    if pos + 8 > len(data):
        return NeedMore(base + marker_at)
    height, width, components = struct.unpack(">HHB", data[pos + 3 : pos + 8])
    colour = {1: "grey", 3: "rgb", 4: "cmyk"}.get(components, f"{components}-component")
    return ImageHeader("jpeg", width, height, colour)


# --- the check ----------------------------------------------------------------------------------


def check_artwork(feed: bytes, *, source: str, http: Http, items: bool = False) -> list[Problem]:
    """Fetch the header of the show's artwork (and, with ``items``, of up to :data:`ITEM_LIMIT`
    distinct episode images) and check it against Apple's requirements.

    Problems name ``source`` as their file and the ``itunes:image`` line; the message names the
    image URL. Network failures are problems (``artwork-unreachable``), never exceptions.
    """
    refs = find_artwork(feed, items=items)
    results = http.map(lambda ref: _inspect(ref, source, http), refs)
    problems = [problem for found, _ in results for problem in found]
    reached = [ref for ref, (_, ok) in zip(refs, results, strict=True) if ok]
    for found in http.map(lambda ref: _check_head(ref, source, http), _one_per_server(reached)):
        problems += found
    return sort_problems(problems)


def _inspect(ref: ArtworkRef, source: str, http: Http) -> tuple[list[Problem], bool]:
    """All problems of one image, and whether it answered at all."""
    report = _Report(ref, source)
    if urlsplit(ref.href).scheme.lower() not in ("http", "https"):
        report.add(
            rules.UNREACHABLE,
            f"artwork {ref.href!r} is not an absolute http(s) URL",
            "Use the full https:// address of the image.",
        )
        return report.problems, False
    try:
        _read_image(ref, http, report)
    except FetchError as exc:
        # The reason starts with the status ("HTTP 404 Not Found") or names the network failure.
        report.add(
            rules.UNREACHABLE,
            f"artwork {ref.href} cannot be fetched: {exc.reason}",
            "Make sure the image URL is public and answers 200 (or 206) without a login.",
        )
        return report.problems, False
    return report.problems, True


def _read_image(ref: ArtworkRef, http: Http, report: _Report) -> None:
    url = ref.href
    try:
        response = http.get(
            url,
            headers={"Range": f"bytes=0-{FIRST_WINDOW - 1}"},
            max_bytes=FIRST_WINDOW,
            truncate=True,
        )
    except FetchError as exc:
        if exc.status != 416:
            raise
        # Only an empty file cannot satisfy a range that starts at its first byte (RFC 9110 14.1.2).
        report.add(rules.FORMAT, f"artwork {url} is an empty file (HTTP 416 to bytes=0-)", _FIX)
        return
    ranged = response.status == 206
    data = _aligned(response, 0)
    if response.status not in (200, 206) or data is None:
        report.add(
            rules.UNREACHABLE,
            f"artwork {url} answered HTTP {response.status} without the image",
            "Serve the image with 200 (or 206 to a range request).",
        )
        return
    if not ranged:
        report.add(
            rules.RANGE,
            f"artwork {url} was requested with Range: bytes=0-{FIRST_WINDOW - 1} and the server "
            f"answered {response.status} with the whole file{_declared(response)}",
            "Serve the artwork from a server or CDN that supports byte-range requests "
            "(206 Partial Content), as Apple requires.",
        )
    kind = sniff(data)
    if kind == "png":
        header: ImageHeader | Damaged = read_png(data)
    elif kind == "jpeg":
        header = _read_jpeg(url, http, data, ranged=ranged)
    else:
        report.add(rules.FORMAT, f"artwork {url} is {_describe(kind)}, not a JPEG or PNG", _FIX)
        return
    _check_type(ref, kind, response, report)
    _check_header(url, header, report)


def _read_jpeg(url: str, http: Http, data: bytes, *, ranged: bool) -> ImageHeader | Damaged:
    """Scan the first window; only metadata longer than it costs more (ranged) requests.

    A window shorter than asked for means the file has ended: asking again would only earn a
    416 (Range Not Satisfiable), so a frame header still missing then is a damaged file.
    """
    found = scan_jpeg(data)
    ended = len(data) < FIRST_WINDOW
    while isinstance(found, NeedMore):
        if ended:
            return Damaged(f"the file ends at byte {found.offset}, before the frame header (SOF)")
        if found.offset >= MAX_SCAN:
            return Damaged(
                f"no frame header (SOF) in the first {found.offset // 1024} KiB, so its size "
                "was not checked; the file carries unusually large metadata or is damaged",
                certain=False,
            )
        window = _window(url, http, found.offset, ranged=ranged)
        if not window:
            return Damaged(
                f"no bytes after byte {found.offset} could be read, before the frame header (SOF)",
                certain=False,
            )
        ended = len(window) < MORE_WINDOW
        found = scan_jpeg(window, base=found.offset, start=found.offset)
    return found


def _window(url: str, http: Http, offset: int, *, ranged: bool) -> bytes:
    """The file's bytes from ``offset`` (up to :data:`MORE_WINDOW`), with a ranged request if
    the server honoured the first one, else with the start of a plain GET (read and dropped)."""
    end = offset + MORE_WINDOW
    if ranged:
        headers = {"Range": f"bytes={offset}-{end - 1}"}
        response = http.get(url, headers=headers, max_bytes=MORE_WINDOW, truncate=True)
        return _aligned(response, offset) or b""
    response = http.get(url, max_bytes=end, truncate=True)
    return response.content[offset:]


def _aligned(response: Response, offset: int) -> bytes | None:
    """The body if it starts at ``offset`` of the file (a 206 says where; a 200 starts at 0)."""
    if response.status == 200:
        return response.content if offset == 0 else response.content[offset:]
    if response.status != 206:
        return None
    match = _CONTENT_RANGE.match(response.headers.get("content-range", ""))
    if match is None or int(match.group(1)) != offset:
        return None
    return response.content


def _declared(response: Response) -> str:
    length = response.headers.get("content-length", "")
    return f" (Content-Length {length})" if length.isdigit() else ""


_FIX = "Export the artwork as a JPEG or PNG (RGB, square, 1400 to 3000 px) and link that file."


_FIX_METADATA = "Export the artwork again without embedded previews or oversized metadata."


def _describe(kind: str) -> str:
    return {
        "html": "an HTML page (an error or login page?)",
        "xml": "an XML document",
        "svg": "an SVG drawing",
        "empty": "an empty file",
        "unknown": "not a recognisable image",
    }.get(kind, f"a {kind.upper()} file")


def _check_type(ref: ArtworkRef, kind: str, response: Response, report: _Report) -> None:
    """The URL's extension and the Content-Type must agree with the bytes (Apple reads both)."""
    name = _NAMES[kind]
    extension = _extension(ref.href)
    if extension is not None and _EXTENSIONS[extension] != kind:
        report.add(
            rules.EXTENSION_MISMATCH,
            f"artwork {ref.href} ends in {extension} but the file is a {name}",
            f"Rename the file to match its format (.{'png' if kind == 'png' else 'jpg'}) or "
            "re-export it in the format its name says.",
        )
    declared = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if declared and _TYPES.get(declared) != kind:
        report.add(
            rules.EXTENSION_MISMATCH,
            f"artwork {ref.href} is served as Content-Type {declared!r} but the file is a {name}",
            f"Have the server send Content-Type: image/{'png' if kind == 'png' else 'jpeg'}.",
        )


def _extension(href: str) -> str | None:
    path = urlsplit(href).path.lower()
    for extension in _EXTENSIONS:
        if path.endswith(extension):
            return extension
    return None


def _check_header(url: str, header: ImageHeader | Damaged, report: _Report) -> None:
    if isinstance(header, Damaged):
        level = None if header.certain else Level.WARNING
        fix = _FIX if header.certain else _FIX_METADATA
        report.add(rules.FORMAT, f"artwork {url} cannot be read: {header.reason}", fix, level=level)
        return
    name = _NAMES[header.format]
    if header.height == 0:
        # A JPEG may leave its height to a later DNL marker (ITU T.81 B.2.5); nothing to check.
        return
    size = f"{header.width} x {header.height} px"
    if not all(MIN_SIDE <= side <= MAX_SIDE for side in (header.width, header.height)):
        report.add(
            rules.SIZE,
            f"artwork {url} is {size}; Apple needs {MIN_SIDE} to {MAX_SIDE} px on each side",
            f"Export the artwork at 3000 x 3000 px (at least {MIN_SIDE} x {MIN_SIDE}).",
        )
    if header.width != header.height:
        report.add(
            rules.SQUARE,
            f"artwork {url} is {size}, not square",
            "Crop or extend the artwork to a square.",
        )
    _check_colour(url, name, header.colour, report)


def _check_colour(url: str, name: str, colour: str, report: _Report) -> None:
    fix = "Convert the artwork to the RGB colour space (sRGB) and export it again."
    if colour == "cmyk":
        report.add(rules.COLORSPACE, f"artwork {url} is a CMYK {name}; Apple needs RGB", fix)
    elif colour != "rgb":
        model = {"grey": "greyscale", "palette": "palette-colour (indexed)"}.get(colour, colour)
        report.add(
            rules.COLORSPACE,
            f"artwork {url} is a {model} {name}; Apple asks for RGB",
            fix,
            level=Level.WARNING,
        )


def _one_per_server(refs: list[ArtworkRef]) -> list[ArtworkRef]:
    servers: dict[tuple[str, str], ArtworkRef] = {}
    for ref in refs:
        parts = urlsplit(ref.href)
        servers.setdefault((parts.scheme.lower(), parts.netloc.lower()), ref)
    return list(servers.values())


def _check_head(ref: ArtworkRef, source: str, http: Http) -> list[Problem]:
    """Apple's servers ask for HEAD; one that refuses it while GET works is reported once."""
    report = _Report(ref, source)
    try:
        http.head(ref.href)
    except FetchError as exc:
        status = f"HTTP {exc.status}" if exc.status else exc.reason
        report.add(
            rules.RANGE,
            f"artwork {ref.href} answers GET but refuses HEAD ({status})",
            "Serve the artwork from a server that answers HEAD requests, as Apple requires.",
        )
    return report.problems


class _Report:
    """Problems of one image: the feed's file and the ``itunes:image`` line, the item's label."""

    def __init__(self, ref: ArtworkRef, source: str) -> None:
        self.ref = ref
        self.source = source
        self.problems: list[Problem] = []

    def add(self, rule: Rule, message: str, fix: str, *, level: Level | None = None) -> None:
        # The item's label is part of the message (not a prefix): artwork problems are not
        # folded by their message, as an item's offline findings are.
        label = f"{self.ref.label}: " if self.ref.label else ""
        finding = Finding(self.ref.line, label + message, fix, level=level)
        self.problems.append(finding.problem(rule, self.source))
