"""Shared fixtures: where the example and the real corpus are, and a guard against the internet."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

# pytester runs small suites in-process (tests/test_skips.py); tests.skips turns a skip for any
# reason but a missing browser into a failure.
pytest_plugins = ["pytester", "tests.skips"]

REPO = Path(__file__).resolve().parent.parent
# The real episode files the tests read: a copy in the repository (tests/corpus/README.md says
# where each file comes from), so that a fresh clone runs every test.
CORPUS = REPO / "tests" / "corpus"
# The project's shared corpus the copy was taken from, when it sits next to the repository.
SHARED_CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture
def repo() -> Path:
    """The repository root (holds the bundled example: config.yaml, episodes/, podfeed.lock)."""
    return REPO


@pytest.fixture
def corpus() -> Path:
    """The real episode corpus (``tests/corpus``: ``edt/`` and ``seeds/``), read-only."""
    return CORPUS


def _state(root: Path) -> dict[str, tuple[int, int]]:
    if not root.is_dir():
        return {}
    return {
        str(path): (info.st_size, info.st_mtime_ns)
        for path in root.rglob("*")
        if path.is_file() and (info := path.stat())
    }


def _corpus_state() -> dict[str, tuple[int, int]]:
    return {**_state(CORPUS), **_state(SHARED_CORPUS)}


@pytest.fixture(autouse=True, scope="session")
def _corpus_is_left_alone() -> Iterator[None]:
    """The corpus is kept verbatim: a test that edits an episode works on its own copy.

    Sites made with ``tests.sites.make_corpus_site`` read the corpus in place, so a test that
    writes through one would change it for every later run; this fails the session instead.
    Both the copy in ``tests/corpus`` and the shared corpus it came from (when present) are
    watched.
    """
    before = _corpus_state()
    assert before, f"{CORPUS} is missing: the tests need the corpus copy in the repository"
    yield
    after = _corpus_state()
    changed = sorted(
        path for path in before.keys() | after.keys() if before.get(path) != after.get(path)
    )
    assert not changed, f"tests changed the corpus: {changed[:5]}"


_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> None:
    host = address[0] if isinstance(address, tuple) else address
    if (
        isinstance(host, str)
        and host not in ("127.0.0.1", "::1", "localhost")
        and not (host.startswith("127."))
    ):
        raise RuntimeError(f"test tried to reach the network: {address!r}")
    _real_connect(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests never leave the machine: only loopback connections are allowed."""
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)
    yield


@pytest.fixture
def transistor_server() -> Iterator[object]:
    """A real HTTP server on 127.0.0.1 playing Transistor and YouTube (see tests/server.py)."""
    from tests.server import serve

    yield from serve()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output instead of comparing with it",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True only with the explicit ``--update-golden`` flag."""
    return bool(request.config.getoption("--update-golden"))
