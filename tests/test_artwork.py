"""``validate --fetch-artwork``: the artwork's header, read over a real loopback server.

The images are built here byte by byte (a PNG with zlib and struct, a JPEG's segments), so each
test states exactly what the file says: its size, its colour model, where its frame header is.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from podfeed.config.model import HttpConfig
from podfeed.media.http import Http
from podfeed.problems import Level, Problem
from podfeed.validate import RULES
from podfeed.validate.artwork import (
    FIRST_WINDOW,
    ITEM_LIMIT,
    MAX_SCAN,
    MORE_WINDOW,
    Damaged,
    ImageHeader,
    NeedMore,
    check_artwork,
    find_artwork,
    read_png,
    scan_jpeg,
    sniff,
)
from podfeed.validate.rules import artwork as artwork_rules
from podfeed.validate.rules import sources
from podfeed.validate.targets import validate_targets
from tests.server import Reply, Request, Server

CONFIG = HttpConfig(timeout=3.0, concurrency=4, retries=0, max_retry_after=1.0, max_bytes=1_000_000)
SHOW_LINE = 5  # the channel's itunes:image in feed()


# --- image and feed builders --------------------------------------------------------------------


def png(width: int, height: int, colour_type: int = 2) -> bytes:
    """A valid-looking PNG: signature, IHDR, a token IDAT (only the header is read), IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jfif() -> bytes:
    return segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")


def sof(width: int, height: int, components: int = 3, marker: int = 0xC0) -> bytes:
    specs = b"".join(bytes([n + 1, 0x11, 0]) for n in range(components))
    return segment(marker, struct.pack(">BHHB", 8, height, width, components) + specs)


def jpeg(
    width: int, height: int, components: int = 3, *, metadata: int = 0, marker: int = 0xC0
) -> bytes:
    """SOI, APP0 JFIF, ``metadata`` bytes of APP1/APP2 segments, SOF, then image-data filler."""
    apps = b""
    left = metadata
    while left > 0:
        size = min(left, 60_000)
        apps += segment(0xE1 if not apps else 0xE2, b"Exif\x00\x00" + b"\x00" * size)
        left -= size
    scan = segment(0xDA, b"\x01\x01\x00\x00\x3f\x00") + b"\x12\x34" * 512 + b"\xff\xd9"
    return b"\xff\xd8" + jfif() + apps + sof(width, height, components, marker) + scan


def feed(show: str | None, *items: str) -> bytes:
    """The show's itunes:image on line 5; item n's (0-based) on line 6 + n."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">',
        "<channel>",
        "<title>Show</title>",
        f'<itunes:image href="{show}"/>' if show is not None else "<description>d</description>",
    ]
    lines += [
        f'<item><title>Episode {n}</title><guid isPermaLink="false">g-{n}</guid>'
        f'<itunes:image href="{href}"/></item>'
        for n, href in enumerate(items)
    ]
    lines.append("</channel></rss>")
    return "\n".join(lines).encode()


def served(
    body: bytes, content_type: str | None = "image/png", *, ranges: bool = True
) -> Callable[[Request], Reply]:
    """A static file: HEAD, and GET honouring ``Range: bytes=a-b`` (206) unless not ``ranges``."""
    base = {"Content-Type": content_type} if content_type else {}

    def handler(request: Request) -> Reply:
        if request.method == "HEAD":
            return Reply(200, b"", base, declared_length=len(body))
        match = re.fullmatch(r"bytes=(\d+)-(\d+)", request.headers.get("range", ""))
        if not ranges or match is None:
            return Reply(200, body, base)
        start, end = int(match.group(1)), int(match.group(2))
        if start >= len(body):
            return Reply(416, b"", {"Content-Range": f"bytes */{len(body)}"})
        part = body[start : end + 1]
        span = f"bytes {start}-{start + len(part) - 1}/{len(body)}"
        return Reply(206, part, {**base, "Content-Range": span, "Accept-Ranges": "bytes"})

    return handler


@pytest.fixture
def server(transistor_server: Server) -> Server:
    return transistor_server


@pytest.fixture
def http() -> Iterator[Http]:
    with Http(CONFIG, sleep=lambda _seconds: None) as client:
        yield client


def check(
    server: Server,
    http: Http,
    path: str,
    body: bytes,
    *,
    content_type: str | None = "image/png",
    ranges: bool = True,
) -> list[Problem]:
    """Serve ``body`` at ``path`` and check a feed whose show artwork is that URL."""
    server.route(path, served(body, content_type, ranges=ranges))
    return check_artwork(feed(server.url(path)), source="feed.xml", http=http)


def codes(problems: list[Problem]) -> list[tuple[str, int | None]]:
    return [(p.code, p.line) for p in problems]


# --- the common cases: one ranged GET per image, one HEAD per server -----------------------------


def test_a_good_png_served_with_206_has_no_problem_and_costs_one_ranged_get(
    server: Server, http: Http
) -> None:
    assert check(server, http, "/art.png", png(1400, 1400)) == []
    assert server.count("/art.png", method="GET") == 1
    assert server.count("/art.png", method="HEAD") == 1
    (get,) = [r for r in server.requests_to("/art.png") if r.method == "GET"]
    assert get.headers["range"] == f"bytes=0-{FIRST_WINDOW - 1}"


def test_a_3000_px_rgb_jpeg_has_no_problem(server: Server, http: Http) -> None:
    body = jpeg(3000, 3000)
    assert check(server, http, "/art.jpg", body, content_type="image/jpeg") == []
    assert server.count("/art.jpg", method="GET") == 1


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [
        (1400, 1400, []),
        (3000, 3000, []),
        (1399, 1399, ["artwork-size"]),
        (3001, 3001, ["artwork-size"]),
        (1000, 1000, ["artwork-size"]),
        (1400, 1500, ["artwork-square"]),
        (1000, 2000, ["artwork-size", "artwork-square"]),
    ],
)
def test_size_and_squareness_come_from_the_header(
    server: Server, http: Http, width: int, height: int, expected: list[str]
) -> None:
    problems = check(server, http, "/art.png", png(width, height))
    assert [p.code for p in problems] == expected
    assert all(p.level is Level.ERROR and p.line == SHOW_LINE for p in problems)
    assert all(f"{width} x {height} px" in p.message for p in problems)


def test_a_jpeg_reports_its_size_too(server: Server, http: Http) -> None:
    problems = check(server, http, "/art.jpg", jpeg(1000, 1000), content_type="image/jpeg")
    assert codes(problems) == [("artwork-size", SHOW_LINE)]


def test_problems_name_the_url_and_link_apples_artwork_requirements(
    server: Server, http: Http
) -> None:
    (problem,) = check(server, http, "/small.png", png(600, 600))
    assert problem.file == "feed.xml"
    assert server.url("/small.png") in problem.message
    assert problem.hint is not None and sources.APPLE_ARTWORK in problem.hint


# --- colour space --------------------------------------------------------------------------------


def test_a_cmyk_jpeg_is_an_error(server: Server, http: Http) -> None:
    body = jpeg(1400, 1400, components=4)
    (problem,) = check(server, http, "/art.jpg", body, content_type="image/jpeg")
    assert (problem.code, problem.level, problem.line) == ("artwork-colorspace", Level.ERROR, 5)
    assert "CMYK" in problem.message


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (png(1400, 1400, colour_type=0), "image/png"),  # greyscale
        (png(1400, 1400, colour_type=4), "image/png"),  # greyscale + alpha
        (png(1400, 1400, colour_type=3), "image/png"),  # palette
        (jpeg(1400, 1400, components=1), "image/jpeg"),  # greyscale JPEG
    ],
)
def test_greyscale_and_palette_images_are_a_warning(
    server: Server, http: Http, body: bytes, content_type: str
) -> None:
    path = "/art.png" if content_type == "image/png" else "/art.jpg"
    (problem,) = check(server, http, path, body, content_type=content_type)
    assert (problem.code, problem.level) == ("artwork-colorspace", Level.WARNING)


def test_rgb_with_alpha_is_rgb(server: Server, http: Http) -> None:
    assert check(server, http, "/art.png", png(1400, 1400, colour_type=6)) == []


# --- format and type ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"GIF89a" + struct.pack("<HH", 1400, 1400) + b"\x00" * 100, "GIF"),
        (b"RIFF\x00\x10\x00\x00WEBPVP8 " + b"\x00" * 100, "WEBP"),
        (b"BM" + b"\x00" * 100, "BMP"),
        (b"<!DOCTYPE html><html><body>Not found</body></html>", "HTML page"),
        (b"", "empty file"),  # 416 to bytes=0-65535
    ],
)
def test_anything_but_jpeg_or_png_is_a_format_error_whatever_the_name(
    server: Server, http: Http, body: bytes, words: str
) -> None:
    problems = check(server, http, "/art.png", body)
    assert [(p.code, p.level) for p in problems] == [("artwork-format", Level.ERROR)]
    assert words in problems[0].message


def test_a_jpg_url_serving_png_bytes_is_an_extension_mismatch(server: Server, http: Http) -> None:
    (problem,) = check(server, http, "/art.jpg", png(1400, 1400), content_type="image/png")
    assert (problem.code, problem.level) == ("artwork-extension-mismatch", Level.WARNING)
    assert ".jpg" in problem.message and "PNG" in problem.message


def test_a_content_type_disagreeing_with_the_bytes_is_an_extension_mismatch(
    server: Server, http: Http
) -> None:
    (problem,) = check(server, http, "/art.png", png(1400, 1400), content_type="image/jpeg")
    assert problem.code == "artwork-extension-mismatch"
    assert "image/jpeg" in problem.message


def test_no_content_type_and_no_extension_say_nothing(server: Server, http: Http) -> None:
    assert check(server, http, "/artwork", png(1400, 1400), content_type=None) == []


def test_a_damaged_jpeg_that_ends_before_its_frame_header_is_a_format_error(
    server: Server, http: Http
) -> None:
    body = b"\xff\xd8" + jfif() + b"\xff\xe1\x10\x00" + b"\x00" * 100  # APP1 claims 4 KiB
    problems = check(server, http, "/art.jpg", body, content_type="image/jpeg")
    assert codes(problems) == [("artwork-format", SHOW_LINE)]
    assert "ends" in problems[0].message
    assert server.count("/art.jpg", method="GET") == 1  # no request past the end (416)


# --- reachability and the server's manners -------------------------------------------------------


def test_a_404_is_unreachable_with_the_url_and_status(server: Server, http: Http) -> None:
    problems = check_artwork(feed(server.url("/gone.png")), source="feed.xml", http=http)
    assert [(p.code, p.level, p.line) for p in problems] == [
        ("artwork-unreachable", Level.ERROR, SHOW_LINE)
    ]
    assert server.url("/gone.png") in problems[0].message and "404" in problems[0].message
    assert server.count("/gone.png", method="HEAD") == 0  # no HEAD to a server that failed GET


def test_a_network_failure_is_unreachable_not_an_exception(server: Server, http: Http) -> None:
    server.route("/reset.png", Reply(action="reset"))
    problems = check_artwork(feed(server.url("/reset.png")), source="feed.xml", http=http)
    assert codes(problems) == [("artwork-unreachable", SHOW_LINE)]


def test_a_relative_artwork_url_is_unreachable_without_a_request(
    server: Server, http: Http
) -> None:
    problems = check_artwork(feed("images/art.png"), source="feed.xml", http=http)
    assert codes(problems) == [("artwork-unreachable", SHOW_LINE)]
    assert server.total == 0


def test_a_server_ignoring_range_is_a_warning_and_the_header_is_still_read(
    server: Server, http: Http
) -> None:
    problems = check(server, http, "/art.png", png(1000, 1000), ranges=False)
    assert [(p.code, p.level) for p in problems] == [
        ("artwork-range", Level.WARNING),
        ("artwork-size", Level.ERROR),
    ]
    assert server.count("/art.png", method="GET") == 1


def test_a_huge_image_without_range_support_is_read_only_as_far_as_its_header(
    server: Server, http: Http
) -> None:
    # The server announces 50 MB and sends 200 KB: a client reading the whole body would wait
    # for the rest until it times out, and http.max_bytes (1 MB) forbids reading it anyway.
    body = png(1400, 1400) + b"\x00" * 200_000
    server.route(
        "/huge.png",
        Reply(200, body, {"Content-Type": "image/png"}, declared_length=50_000_000),
        method="GET",
    )
    server.route("/huge.png", served(body), method="HEAD")
    problems = check_artwork(feed(server.url("/huge.png")), source="feed.xml", http=http)
    assert codes(problems) == [("artwork-range", SHOW_LINE)]
    assert "50000000" in problems[0].message
    assert server.count("/huge.png", method="GET") == 1


def test_a_server_refusing_head_is_a_range_warning(server: Server, http: Http) -> None:
    server.route("/art.png", served(png(1400, 1400)), method="GET")
    server.route("/art.png", Reply(405, b"", {"Allow": "GET"}), method="HEAD")
    problems = check_artwork(feed(server.url("/art.png")), source="feed.xml", http=http)
    assert [(p.code, p.level) for p in problems] == [("artwork-range", Level.WARNING)]
    assert "HEAD" in problems[0].message and "405" in problems[0].message


def test_artwork_behind_a_redirect_is_followed(server: Server, http: Http) -> None:
    server.route("/art.png", Reply(302, headers={"Location": "/cdn/art.png"}))
    server.route("/cdn/art.png", served(png(1400, 1400)))
    assert check_artwork(feed(server.url("/art.png")), source="feed.xml", http=http) == []
    assert server.count("/cdn/art.png", method="GET") == 1


# --- JPEG metadata longer than the first window ---------------------------------------------------


def test_a_frame_header_after_70_kb_of_metadata_costs_one_more_ranged_get(
    server: Server, http: Http
) -> None:
    body = jpeg(1400, 1400, metadata=70_000)
    offset = body.index(sof(1400, 1400))
    assert offset > FIRST_WINDOW
    assert check(server, http, "/art.jpg", body, content_type="image/jpeg") == []
    gets = [r.headers.get("range") for r in server.requests_to("/art.jpg") if r.method == "GET"]
    assert gets == [f"bytes=0-{FIRST_WINDOW - 1}", f"bytes={offset}-{offset + MORE_WINDOW - 1}"]


def test_long_metadata_without_range_support_reads_a_longer_prefix(
    server: Server, http: Http
) -> None:
    body = jpeg(1400, 1400, components=4, metadata=70_000)
    problems = check(server, http, "/art.jpg", body, content_type="image/jpeg", ranges=False)
    assert [p.code for p in problems] == ["artwork-colorspace", "artwork-range"]
    assert server.count("/art.jpg", method="GET") == 2


def test_a_frame_header_beyond_1_mib_is_not_searched_for_and_says_so(
    server: Server, http: Http
) -> None:
    body = jpeg(1400, 1400, metadata=MAX_SCAN + MORE_WINDOW + 100_000)
    problems = check(server, http, "/art.jpg", body, content_type="image/jpeg")
    assert [(p.code, p.level) for p in problems] == [("artwork-format", Level.WARNING)]
    assert "not checked" in problems[0].message
    # 64 KiB, then 256 KiB windows (each may end inside a segment of up to 64 KiB): bounded.
    assert server.count("/art.jpg", method="GET") <= 1 + MAX_SCAN // (MORE_WINDOW - 65_537) + 1


# --- which images --------------------------------------------------------------------------------


def test_item_images_are_checked_only_when_asked_each_url_once(server: Server, http: Http) -> None:
    server.route("/show.png", served(png(1400, 1400)))
    server.route("/ep.png", served(png(800, 800)))
    show, episode = server.url("/show.png"), server.url("/ep.png")
    document = feed(show, show, episode, episode)

    assert check_artwork(document, source="feed.xml", http=http) == []
    assert server.count("/ep.png") == 0

    problems = check_artwork(document, source="feed.xml", http=http, items=True)
    assert codes(problems) == [("artwork-size", SHOW_LINE + 1 + 1)]  # the first item using it
    assert problems[0].message.startswith('item "Episode 1" (guid g-1): ')
    assert server.count("/show.png", method="GET") == 2  # once per check_artwork call
    assert server.count("/ep.png", method="GET") == 1
    assert server.count("/ep.png", method="HEAD") == 0  # one HEAD per server, for the show's


def test_at_most_item_limit_item_images_are_fetched(server: Server) -> None:
    hrefs = [f"https://art.test/{n}.png" for n in range(ITEM_LIMIT + 10)]
    refs = find_artwork(feed("https://art.test/show.png", *hrefs), items=True)
    assert len(refs) == 1 + ITEM_LIMIT
    assert [r.href for r in refs[1:]] == hrefs[:ITEM_LIMIT]


def test_the_show_image_does_not_use_up_the_item_limit() -> None:
    show = "https://art.test/show.png"
    hrefs = [show] + [f"https://art.test/{n}.png" for n in range(ITEM_LIMIT)]
    refs = find_artwork(feed(show, *hrefs), items=True)
    assert [r.href for r in refs] == [show, *hrefs[1:]]


def test_a_feed_that_does_not_parse_or_has_no_artwork_gives_nothing(
    server: Server, http: Http
) -> None:
    assert check_artwork(b"<rss><channel>", source="feed.xml", http=http) == []
    assert check_artwork(feed(None), source="feed.xml", http=http) == []
    assert check_artwork(feed(""), source="feed.xml", http=http) == []
    assert server.total == 0


def test_entities_are_never_expanded_while_looking_for_artwork() -> None:
    document = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<rss xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>'
        b'<title>&e;</title><itunes:image href="https://art.test/a.png"/></channel></rss>'
    )
    assert [r.href for r in find_artwork(document)] == ["https://art.test/a.png"]


# --- the header readers on their own -------------------------------------------------------------


def test_jpeg_fill_bytes_standalone_markers_and_progressive_frames_are_read() -> None:
    data = b"\xff\xd8" + jfif() + b"\xff\xff\xff\xd0" + b"\xff\xff" + sof(1500, 1400, marker=0xC2)
    assert scan_jpeg(data) == ImageHeader("jpeg", 1500, 1400, "rgb")


def test_a_huffman_table_is_not_mistaken_for_a_frame_header() -> None:
    data = b"\xff\xd8" + segment(0xC4, b"\x00" * 20) + sof(1400, 1400)
    assert scan_jpeg(data) == ImageHeader("jpeg", 1400, 1400, "rgb")


def test_a_scan_before_any_frame_header_is_damage() -> None:
    data = b"\xff\xd8" + jfif() + segment(0xDA, b"\x00" * 6) + b"\x00" * 10
    assert isinstance(scan_jpeg(data), Damaged)


def test_a_frame_header_cut_by_the_window_asks_for_more_from_its_marker() -> None:
    data = b"\xff\xd8" + jfif() + sof(1400, 1400)
    at = data.index(b"\xff\xc0")
    assert scan_jpeg(data[: at + 5]) == NeedMore(at)
    assert scan_jpeg(data[at:], base=at, start=at) == ImageHeader("jpeg", 1400, 1400, "rgb")


def test_a_png_whose_first_chunk_is_not_ihdr_is_damage() -> None:
    assert isinstance(
        read_png(b"\x89PNG\r\n\x1a\n" + struct.pack(">I4s", 0, b"IDAT") + b"x" * 20), Damaged
    )


def test_sniffing_names_the_type_by_its_bytes() -> None:
    assert [sniff(png(1, 1)), sniff(jpeg(1, 1)), sniff(b"GIF87a"), sniff(b"\x00\x01")] == [
        "png",
        "jpeg",
        "gif",
        "unknown",
    ]


def test_the_artwork_rules_are_registered_and_have_no_offline_check() -> None:
    assert set(RULES) >= artwork_rules.NETWORK_RULE_IDS
    assert artwork_rules.RULES.checks == []
    assert {r.id for r in artwork_rules.RULES} == {
        "artwork-unreachable",
        "artwork-format",
        "artwork-extension-mismatch",
        "artwork-size",
        "artwork-square",
        "artwork-colorspace",
        "artwork-range",
    }


def test_validate_with_fetch_artwork_reports_the_artwork_next_to_the_feeds_problems(
    server: Server, http: Http, tmp_path: Path
) -> None:
    server.route("/art.png", served(png(1400, 1500)))
    path = tmp_path / "feed.xml"
    path.write_bytes(feed(server.url("/art.png")))
    run = validate_targets([str(path)], fetch_artwork=True, http=http)
    assert ("artwork-square", str(path), SHOW_LINE) in {
        (p.code, p.file, p.line) for p in run.problems
    }
    without = validate_targets([str(path)], http=http)
    assert not [p for p in without.problems if p.code.startswith("artwork-")]
