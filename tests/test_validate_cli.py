"""`podfeed validate` as a user runs it: files and URLs, formats, rule selection, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from podfeed.cli import main
from tests.server import FEED_TYPE, Reply, Server

DATA = Path(__file__).parent / "data" / "feeds"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_a_valid_host_feed_passes(tmp_path: Path) -> None:
    code, out, _ = invoke(str(DATA / "hosts" / "libsyn.xml"), "--format", "text")
    assert code == 0, out
    assert "1 feed checked; 0 errors" in out


def test_an_invalid_feed_exits_1_with_rule_line_and_fix() -> None:
    fail = DATA / "rules" / "enclosure-type.fail.xml"
    code, out, _ = invoke(str(fail), "--format", "json")
    doc = json.loads(out)
    assert code == 1
    problem = next(p for p in doc["problems"] if p["code"] == "enclosure-type")
    assert problem["file"] == str(fail) and problem["line"] > 1
    assert problem["hint"]


def test_rules_limit_the_run_and_unknown_ids_are_usage_errors() -> None:
    fail = DATA / "rules" / "enclosure-type.fail.xml"
    code, out, _ = invoke(str(fail), "--rules", "item-guid-duplicate", "--format", "json")
    assert code == 0
    assert json.loads(out)["problems"] == []
    code, _, err = invoke(str(fail), "--rules", "no-such-rule")
    assert code == 2
    assert "no-such-rule" in err


def test_strict_turns_warnings_into_errors() -> None:
    feed = DATA / "hosts" / "transistor.xml"  # itunes:explicit "No": deprecated, a warning
    assert invoke(str(feed))[0] == 0
    assert invoke(str(feed), "--strict")[0] == 1


def test_an_unreadable_file_exits_2_and_the_others_are_still_checked(tmp_path: Path) -> None:
    code, out, err = invoke(str(tmp_path / "missing.xml"), str(DATA / "hosts" / "libsyn.xml"))
    assert code == 2
    assert "missing.xml" in err and "does not exist" in err
    assert "1 feed checked" in out


def test_a_feed_is_fetched_from_a_url(transistor_server: Server) -> None:
    body = (DATA / "hosts" / "anchor.xml").read_bytes()
    transistor_server.route("/show.xml", Reply(200, body, FEED_TYPE))
    url = transistor_server.url("/show.xml")
    code, out, _ = invoke(url, "--format", "github")
    assert code == 0, out
    assert transistor_server.count("/show.xml") == 1
    code, _, err = invoke(transistor_server.url("/gone.xml"))
    assert code == 2
    assert "404" in err


def test_github_annotations_name_file_and_line() -> None:
    fail = DATA / "rules" / "enclosure-type.fail.xml"
    _, out, _ = invoke(str(fail), "--format", "github")
    assert f"::error file={fail},line=" in out


def test_an_unreadable_input_is_an_annotation_and_a_problem_with_a_code(tmp_path: Path) -> None:
    missing = str(tmp_path / "nosuch.xml")
    code, out, _ = invoke(missing, "--format", "github")
    assert code == 2
    assert out.startswith(f"::error file={missing},title=feed-unreadable::cannot read feed ")
    code, out, _ = invoke(missing, "--format", "json")
    assert code == 2
    doc = json.loads(out)
    assert [(p["code"], p["level"], p["file"]) for p in doc["problems"]] == [
        ("feed-unreadable", "error", missing)
    ]
    assert doc["summary"]["unreadable"] == [f"cannot read feed {missing}: it does not exist"]


def test_a_url_nobody_answers_fails_fast(transistor_server: Server) -> None:
    url = transistor_server.url("/show.xml")
    transistor_server.stop()  # the port is closed now: connections are refused
    code, out, _ = invoke(url, "--format", "json")
    assert code == 2
    (problem,) = json.loads(out)["problems"]
    assert problem["code"] == "feed-unreadable"
    assert "gave up after 2 attempts" in problem["message"]  # not retried seven times


def test_profile_rss_checks_a_blog_feed_as_rss(tmp_path: Path) -> None:
    blog = tmp_path / "blog.xml"
    blog.write_bytes(
        b"<rss version='2.0'><channel><title>Blog</title><link>https://example.com/</link>"
        b"<description>Posts</description><item><title>Hello</title></item></channel></rss>"
    )
    code, out, _ = invoke(str(blog), "--format", "json")
    assert code == 1 and "apple-image" in out
    code, out, _ = invoke(str(blog), "--profile", "rss", "--format", "json")
    assert code == 0, out
    assert {p["level"] for p in json.loads(out)["problems"]} == {"warning"}


def test_the_cli_offers_the_validators_profiles() -> None:
    from podfeed.cli.commands.validate import VALIDATE_PROFILES
    from podfeed.validate.base import PROFILES

    assert VALIDATE_PROFILES == PROFILES
