"""Generate a synthetic site shaped like the real corpus (``tests/corpus/edt``), for benchmarks.

The site has ``N`` episodes in six languages (en, de, es, fr, it, pt): ``6 * N`` files of about
6 KB each at ``episodes/edt-<n>/<lang>/episode.md``, with the corpus's front-matter keys and its
variety of date notations (JS ``Date.toString()``, ISO 8601 with ``Z`` quoted and unquoted, bare
``YYYY-MM-DD``), transistor and youtube includes, Markdown bodies (headings, lists, links,
emphasis, a ``---`` rule under the player) and the empty "Podcast Transcript" details block.

Next to the episodes it writes a ``config.yaml`` for one show and a ``podfeed.lock`` that lists
every share id with a ``checked`` time, so ``podfeed build --offline`` needs no network.

Everything is derived from ``random.Random(seed)``: the same ``N`` and seed give the same bytes.

Example::

    python benchmarks/generate.py /tmp/site-1000 --episodes 1000
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

LANGS = ("en", "de", "es", "fr", "it", "pt")

_SENTENCE_WORDS = {
    "en": (
        "digital transformation cloud data security edge computing people process technology "
        "organization strategy innovation workload automation leadership culture machine learning "
        "artificial intelligence infrastructure operations the of and to in with for a an is are "
        "that this which their our new how why what when"
    ),
    "de": (
        "digitale Transformation Daten Sicherheit Wolke Menschen Prozesse Technologie "
        "Organisation Strategie Innovation Automatisierung Führung Kultur maschinelles Lernen "
        "künstliche Intelligenz Infrastruktur Betrieb der die das und zu mit für ein eine ist "
        "sind dass diese welche über größer Lösungen Herausforderungen"
    ),
    "es": (
        "transformación digital datos seguridad nube personas procesos tecnología organización "
        "estrategia innovación automatización liderazgo cultura aprendizaje inteligencia "
        "artificial infraestructura operaciones el la los las y de con para un una es son que "
        "esta cuáles según también"
    ),
    "fr": (
        "transformation numérique données sécurité nuage personnes processus technologie "
        "organisation stratégie innovation automatisation leadership culture apprentissage "
        "intelligence artificielle infrastructure opérations le la les et de avec pour un une est "
        "sont que cette à où être déjà"
    ),
    "it": (
        "trasformazione digitale dati sicurezza nuvola persone processi tecnologia organizzazione "
        "strategia innovazione automazione leadership cultura apprendimento intelligenza "
        "artificiale infrastruttura operazioni il la gli le e di con per un una è sono che questa "
        "più già perché"
    ),
    "pt": (
        "transformação digital dados segurança nuvem pessoas processos tecnologia organização "
        "estratégia inovação automação liderança cultura aprendizado inteligência artificial "
        "infraestrutura operações o a os as e de com para um uma é são que esta não também "
        "através"
    ),
}
_WORDS = {lang: text.split() for lang, text in _SENTENCE_WORDS.items()}
_HEADINGS = {
    "en": ("Introduction", "Key Takeaways", "The Road Ahead", "Conclusion"),
    "de": ("Einführung", "Wichtigste Erkenntnisse", "Der Weg nach vorn", "Fazit"),
    "es": ("Introducción", "Conclusiones clave", "El camino por delante", "Conclusión"),
    "fr": ("Introduction", "Points clés", "La voie à suivre", "Conclusion"),
    "it": ("Introduzione", "Punti chiave", "La strada da percorrere", "Conclusione"),
    "pt": ("Introdução", "Principais conclusões", "O caminho à frente", "Conclusão"),
}
_TAG_TEXT = (
    "embracingdigitaltransformation darrenpulsipher cybersecurity cloud edgecomputing ai "
    "machinelearning digitaltransformation leadership dataprivacy hpc automation culture "
    "generativeai zerotrust devops dataprotection innovation strategy operations"
)
_TAGS = _TAG_TEXT.split()
_GUESTS = ("Darren W Pulsipher", "Matthew Shaxted", "Donny White", "Laura Torres", "Kenji Sato")
_JS_ZONES = (
    ("GMT-0800 (Pacific Standard Time)", -8),
    ("GMT-0700 (Pacific Daylight Time)", -7),
    ("GMT-1000 (Hawaii-Aleutian Standard Time)", -10),
    ("GMT-0500 (Eastern Standard Time)", -5),
)
_FIRST_DATE = datetime(2015, 1, 5, 14, 0, tzinfo=UTC)  # daily: N=3000 ends in 2023
_CHECKED = "2026-01-01T00:00:00Z"
_BODY_CHARS = 4_200  # the body; front matter brings each file to about 6 KB


def share_id(number: int) -> str:
    """The Transistor share id of episode ``number``: 8 hex digits, shared by its translations."""
    return f"{(number * 2654435761) % 0xFFFFFFFF:08x}"


def video_id(number: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    rng = random.Random(number * 7919)
    return "".join(rng.choice(alphabet) for _ in range(11))


def _sentence(rng: random.Random, lang: str, words: int) -> str:
    chosen = [rng.choice(_WORDS[lang]) for _ in range(words)]
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, lang: str) -> str:
    sentences = [_sentence(rng, lang, rng.randint(8, 20)) for _ in range(rng.randint(3, 6))]
    if rng.random() < 0.5:  # emphasis and a link, as in real show notes
        i = rng.randrange(len(sentences))
        sentences[i] = f"**{sentences[i]}**"
    if rng.random() < 0.4:
        sentences.append(f"See [the episode page](https://www.embracingdigital.org/{lang}/).")
    if rng.random() < 0.2:
        sentences.append("More in [our notes](notes.html) and *the transcript*.")
    return " ".join(sentences)


def _date_line(rng: random.Random, number: int, lang: str) -> str:
    """One of the corpus's date notations; the same instant written differently per language."""
    moment = _FIRST_DATE + timedelta(days=number, minutes=rng.randint(0, 600))
    style = (number + LANGS.index(lang)) % 10
    if style < 5:
        zone, hours = _JS_ZONES[number % len(_JS_ZONES)]
        local = moment + timedelta(hours=hours)
        return "date: " + local.strftime("%a %b %d %Y %H:%M:%S ") + zone
    iso = moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    if style < 7:
        return f"date: {iso}"
    if style < 9:
        return f'date: "{iso}"'
    return f"date: {moment.date().isoformat()}"


def episode_text(number: int, lang: str, *, seed: int = 0) -> str:
    """The whole file of episode ``number`` in ``lang``."""
    rng = random.Random(f"{seed}-{number}-{lang}")
    english_title = f"#{number} " + _sentence(random.Random(number), "en", 5)[:-1].title()
    title = _sentence(rng, lang, 5)[:-1].title()
    tags = rng.sample(_TAGS, rng.randint(6, 18))
    guests = ["Darren W Pulsipher", *rng.sample(_GUESTS[1:], rng.randint(0, 2))]
    summary = " ".join(_sentence(rng, lang, rng.randint(10, 18)) for _ in range(3))
    front = [
        "---",
        "layout: posts",
        f'title: "{title} ({number})"',  # unique: a repeated title is a feed warning
        f"number: {number}",
        f"permalink: episode-EDT{number}-{lang}",
        f"lang: {lang}",
        "nav_exclude: true",
        f"nav_order: {number}",
        "tags:",
        *(f"    - {tag}" for tag in tags),
        "",
        _date_line(rng, number, lang),
        "guests:",
        *(f"    - {guest}" for guest in guests),
        "",
        "img: thumbnail.png",
        "image: thumbnail.png",
        f'summary: "{summary} "',
        f'video: "https://youtu.be/{video_id(number)}"',
        f'description: "{summary} "',
        "---",
    ]
    body = [
        "",
        "<div>",
        f'{{% include transistor.html id="{share_id(number)}" title="{english_title}" %}}',
        "",
        f'{{% include youtube.html id="{video_id(number)}" %}}',
        "</div>",
        "",
        "---",
        "",
    ]
    headings = _HEADINGS[lang]
    size, section = 0, 0
    while size < _BODY_CHARS:
        if size == 0 or rng.random() < 0.3:
            heading = f"## {headings[section % len(headings)]}"
            body += [heading, ""]
            section += 1
        if rng.random() < 0.25:
            items = [f"* {_sentence(rng, lang, rng.randint(4, 10))}" for _ in range(4)]
            body += [*items, ""]
            size += sum(len(item) for item in items)
        paragraph = _paragraph(rng, lang)
        body += [paragraph, ""]
        size += len(paragraph)
    body += [
        "",
        "<details>",
        "<summary> Podcast Transcript </summary>",
        "",
        "<p></p>",
        "",
        "</details>",
    ]
    return "\n".join(front + body)


CONFIG = """\
# Generated by benchmarks/generate.py: {episodes} episodes x 6 languages.
output: feeds/{{show}}/{{lang}}.xml
lock: podfeed.lock
max_age: 3153600000  # 100 years: the generated lock never goes stale
shows:
  - id: edt
    title: Embracing Digital Transformation
    description: A synthetic show shaped like Embracing Digital Transformation, for benchmarks.
    author: Darren W Pulsipher
    owner:
      name: Darren W Pulsipher
      email: podcast@example.org
    image: https://www.example.org/full-logo.png
    categories:
      - Technology
      - Business > Management
    explicit: false
    type: episodic
    site_url: https://www.example.org/
    episode_url: "{{site_url}}{{permalink}}"
    feed_url: "https://www.example.org/feeds/{{show}}/{{lang}}.xml"
    episodes:
      - episodes/edt-*/*/episode.md
    languages: [en, de, es, fr, it, pt]
    default_language: en
    timezone: America/Los_Angeles
"""


def lock_document(episodes: int) -> str:
    media: dict[str, dict[str, object]] = {
        share_id(n): {
            "checked": _CHECKED,
            "duration": 1500 + (n * 37) % 1500,
            "guid": None,
            "length": 20_000_000 + (n * 7919) % 30_000_000,
            "source": "feed",
            "transcripts": [],
            "type": "audio/mpeg",
            "url": f"https://media.transistor.fm/{share_id(n)}/episode-{n}.mp3",
        }
        for n in range(1, episodes + 1)
    }
    document = {"feeds": {}, "media": dict(sorted(media.items())), "version": 1, "youtube": {}}
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generate(root: Path, episodes: int, *, seed: int = 0) -> int:
    """Write the site below ``root`` (replacing an earlier one); return the number of files."""
    if root.exists():
        shutil.rmtree(root)
    count = 0
    for number in range(1, episodes + 1):
        for lang in LANGS:
            path = root / "episodes" / f"edt-{number}" / lang / "episode.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(episode_text(number, lang, seed=seed), encoding="utf-8")
            count += 1
    (root / "config.yaml").write_text(CONFIG.format(episodes=episodes), encoding="utf-8")
    (root / "podfeed.lock").write_text(lock_document(episodes), encoding="utf-8")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="folder to (re)create")
    parser.add_argument("--episodes", "-n", type=int, default=200, help="episodes (x 6 languages)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    count = generate(args.root, args.episodes, seed=args.seed)
    print(f"{args.root}: {count} episode files")


if __name__ == "__main__":
    main()
