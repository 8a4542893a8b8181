"""``validate --check-media``: each enclosure's server, asked over a real loopback server.

Every server here is a handler that answers HEAD and ranged GET the way a kind of real media
host does: a well-behaved CDN, one without byte ranges, one that lies about the length, one
that refuses HEAD, one behind a long redirect chain, one that is gone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from podfeed.config.model import HttpConfig
from podfeed.media.http import Http
from podfeed.problems import Level, Problem
from podfeed.validate.media_check import check_media, find_enclosures, spread
from podfeed.validate.targets import validate_targets
from tests.server import Handler, Reply, Request, Server

CONFIG = HttpConfig(timeout=3.0, concurrency=3, retries=0, max_retry_after=1.0, max_bytes=1_000_000)
SIZE = 1_000_000  # the file size every feed below states


def feed(urls: list[str], *, length: int = SIZE, kind: str = "audio/mpeg") -> bytes:
    items = "".join(
        f"<item><title>Episode {n}</title><guid isPermaLink='false'>g{n}</guid>\n"
        f"<enclosure url='{url}' length='{length}' type='{kind}'/></item>\n"
        for n, url in enumerate(urls, start=1)
    )
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n<rss version='2.0'><channel>\n"
        f"<title>Show</title>\n{items}</channel></rss>\n"
    ).encode()


def media(
    *,
    size: int = SIZE,
    kind: str = "audio/mpeg",
    ranges: bool = True,
    announce: bool = True,
    head: bool = True,
) -> Handler:
    """A media file of ``size`` bytes: HEAD (unless refused with 405), ranged GET (206 with a
    Content-Range when ``ranges``, else the whole file with 200)."""

    def handler(request: Request) -> Reply:
        headers = {"Content-Type": kind}
        if ranges and announce:
            headers["Accept-Ranges"] = "bytes"
        if request.method == "HEAD":
            if not head:
                return Reply(405, b"", {"Allow": "GET"})
            return Reply(200, headers=headers, declared_length=size)
        wanted = request.headers.get("range")
        if wanted and ranges:
            return Reply(206, b"ID", {**headers, "Content-Range": f"bytes 0-1/{size}"})
        return Reply(200, b"I" * 64, headers, declared_length=size)

    return handler


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server().start()
    try:
        yield running
    finally:
        running.stop()


def check(server: Server, data: bytes, *, sample: int | None = None) -> list[Problem]:
    with Http(CONFIG) as http:
        return check_media(data, source="feed.xml", http=http, sample=sample)


def codes(problems: list[Problem]) -> list[tuple[str, Level, int | None]]:
    return [(p.code, p.level, p.line) for p in problems]


def test_a_well_served_file_is_one_head_request_and_no_problem(server: Server) -> None:
    server.route("/ep.mp3", media())
    assert check(server, feed([server.url("/ep.mp3")])) == []
    assert server.count("/ep.mp3", method="HEAD") == 1
    assert server.count("/ep.mp3", method="GET") == 0


def test_a_server_without_byte_ranges_is_an_error_and_sends_two_bytes_at_most(
    server: Server,
) -> None:
    server.route("/ep.mp3", media(ranges=False))
    [problem] = check(server, feed([server.url("/ep.mp3")]))
    assert (problem.code, problem.level, problem.line) == ("media-range", Level.ERROR, 5)
    assert 'item "Episode 1" (guid g1)' in problem.message
    assert problem.group == "the media server does not support byte ranges"
    [get] = [r for r in server.requests_to("/ep.mp3") if r.method == "GET"]
    assert get.headers["range"] == "bytes=0-1"


def test_ranges_proven_by_a_206_count_when_the_server_does_not_announce_them(
    server: Server,
) -> None:
    server.route("/ep.mp3", media(announce=False))
    assert check(server, feed([server.url("/ep.mp3")])) == []
    assert server.count("/ep.mp3", method="GET") == 1


@pytest.mark.parametrize(
    ("served", "reported"),
    [(SIZE, False), (SIZE + SIZE // 200, False), (SIZE - SIZE // 20, True), (1000, True)],
)
def test_a_server_that_disagrees_with_the_length_beyond_one_percent(
    server: Server, served: int, reported: bool
) -> None:
    server.route("/ep.mp3", media(size=served))
    found = check(server, feed([server.url("/ep.mp3")]))
    assert codes(found) == ([("media-length", Level.WARNING, 5)] if reported else [])
    if reported:
        assert f"{served} bytes" in found[0].message


def test_head_refused_falls_back_to_a_ranged_get_and_reads_the_content_range_total(
    server: Server,
) -> None:
    server.route("/ok.mp3", media(head=False))
    server.route("/lies.mp3", media(head=False, size=SIZE * 2))
    found = check(server, feed([server.url("/ok.mp3"), server.url("/lies.mp3")]))
    assert codes(found) == [("media-length", Level.WARNING, 7)]
    assert server.count("/ok.mp3", method="GET") == 1


def test_a_content_type_that_names_another_format(server: Server) -> None:
    server.route("/page", media(kind="text/html; charset=utf-8"))
    server.route("/ep.m4a", media(kind="audio/mp4"))
    data = feed([server.url("/page"), server.url("/ep.m4a")], kind="audio/x-m4a")
    found = check(server, data)
    assert codes(found) == [("media-type", Level.WARNING, 5)]
    assert "text/html" in found[0].message


def test_an_unreachable_file_is_an_error_naming_the_reason(server: Server) -> None:
    server.route("/gone.mp3", Reply(404, b"not found"))
    server.route("/reset.mp3", Reply(action="reset"))
    found = check(server, feed([server.url("/gone.mp3"), server.url("/reset.mp3")]))
    assert codes(found) == [
        ("media-unreachable", Level.ERROR, 5),
        ("media-unreachable", Level.ERROR, 7),
    ]
    assert "404" in found[0].message


@pytest.mark.parametrize(("hops", "reported"), [(2, False), (5, False), (6, True)])
def test_redirect_chains_longer_than_five(server: Server, hops: int, reported: bool) -> None:
    for n in range(hops):
        server.route(f"/r{n}", Reply(302, headers={"Location": f"/r{n + 1}"}))
    server.route(f"/r{hops}", media())
    found = check(server, feed([server.url("/r0")]))
    assert codes(found) == ([("media-redirects", Level.ERROR, 5)] if reported else [])


def test_sample_asks_about_that_many_enclosures_spread_over_the_feed(server: Server) -> None:
    for n in range(10):
        server.route(f"/{n}.mp3", media())
    check(server, feed([server.url(f"/{n}.mp3") for n in range(10)]), sample=3)
    asked = sorted(n for n in range(10) if server.count(f"/{n}.mp3"))
    assert asked == [0, 4, 9]


def test_requests_run_in_parallel_up_to_the_configured_concurrency(server: Server) -> None:
    def slow(request: Request) -> Reply:
        return Reply(200, headers={"Accept-Ranges": "bytes"}, declared_length=SIZE, delay=0.05)

    for n in range(8):
        server.route(f"/{n}.mp3", slow)
    assert check(server, feed([server.url(f"/{n}.mp3") for n in range(8)])) == []
    assert 1 < server.max_in_flight <= CONFIG.concurrency


def test_enclosures_are_read_from_every_item_in_order() -> None:
    data = feed(["https://a.example/1.mp3", " https://a.example/2.mp3 "])
    refs = find_enclosures(data + b"")
    assert [(r.url, r.length, r.type, r.line) for r in refs] == [
        ("https://a.example/1.mp3", str(SIZE), "audio/mpeg", 5),
        ("https://a.example/2.mp3", str(SIZE), "audio/mpeg", 7),
    ]
    assert find_enclosures(b"<rss><channel>") == []
    assert spread([1, 2, 3, 4], 2) == [1, 4]


def test_validate_targets_runs_the_media_check_after_the_offline_rules(
    server: Server, tmp_path: Path
) -> None:
    server.route("/ep.mp3", media(ranges=False))
    path = tmp_path / "show.xml"
    path.write_bytes(feed([server.url("/ep.mp3")]))
    run = validate_targets([str(path)], check_media=True, http_config=CONFIG, profile="rss")
    assert "media-range" in {p.code for p in run.problems}
    only = validate_targets(
        [str(path)], check_media=True, http_config=CONFIG, rules=["media-length"]
    )
    assert only.problems == []


def test_the_cli_option_and_the_json_list_every_problem(server: Server, tmp_path: Path) -> None:
    from podfeed.cli import main

    for n in range(4):
        server.route(f"/{n}.mp3", media(ranges=False))
    path = tmp_path / "show.xml"
    path.write_bytes(feed([server.url(f"/{n}.mp3") for n in range(4)]))
    result = CliRunner().invoke(
        main,
        [
            *("validate", str(path), "--check-media", "--sample", "2", "--profile", "rss"),
            *("--format", "json", "--rules", "media-range"),
        ],
    )
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert [p["code"] for p in document["problems"]] == ["media-range", "media-range"]
