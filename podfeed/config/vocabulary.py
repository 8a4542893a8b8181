"""Converters for values checked against a vocabulary: languages, texts per language, and
Apple's categories, each with a did-you-mean for the usual mistakes."""

from __future__ import annotations

import re
from typing import Any

from podfeed.config import table
from podfeed.config.lists import (
    APPLE_CATEGORIES,
    LANGUAGES,
    canonical_category,
    canonical_subcategory,
    suggest_category,
    suggest_language,
    suggest_subcategory,
)
from podfeed.config.model import Category
from podfeed.config.source import KeyPath, path_key
from podfeed.config.values import Checker, as_mapping, as_text, read_key

BCP47 = re.compile(table.BCP47_PATTERN)


# --------------------------------------------------------------------------------------------
# Languages


def as_language(ck: Checker, value: object, at: KeyPath) -> str | None:
    """One ISO 639-1 code in lower case, with a suggestion for the usual mistakes."""
    if value is False:
        ck.error(
            "config-bad-language",
            at,
            "YAML read this as false; for Norwegian write 'no' in quotes",
        )
        return None
    text = as_text(ck, value, at)
    if text is None:
        return None
    if text in LANGUAGES:
        return text
    guess = suggest_language(text)
    extra = f"; did you mean '{guess}'?" if guess else ""
    hint = "use an ISO 639-1 code such as en, de, es, fr, it, pt"
    if "-" in text or "_" in text:
        hint = "put the region in language_tags, e.g. language_tags: {pt: pt-BR}"
    ck.error("config-bad-language", at, f"'{text}' is not a language code{extra}", hint=hint)
    return None


def as_languages(ck: Checker, value: object, at: KeyPath) -> tuple[str, ...] | None:
    if not isinstance(value, list):
        ck.wrong_type(at, table.LANGUAGE_LIST.expected, value)
        return None
    if not value:
        ck.error("config-empty-value", at, "a show needs at least one language")
        return None
    found: list[str] = []
    for index, item in enumerate(value):
        code = as_language(ck, item, (*at, index))
        if code is None:
            continue
        if code in found:
            ck.error("config-duplicate-language", (*at, index), f"'{code}' is listed twice")
            continue
        found.append(code)
    # The valid codes go on even when some were wrong (the error is already reported), so that
    # titles and tags are still checked against them in this same pass.
    return tuple(found) or None


def as_default_language(
    ck: Checker, show: dict[Any, Any], at: KeyPath, languages: tuple[str, ...]
) -> str | None:
    if show.get("default_language") is None:
        return languages[0] if languages else None
    value = read_key(ck, show, "default_language", at, as_language)
    if value is None:
        return None
    if languages and value not in languages:
        ck.error(
            "config-language-not-configured",
            (*at, "default_language"),
            f"'{value}' is not one of the show's languages ({', '.join(languages)})",
        )
        return None
    return value


def as_language_tags(
    ck: Checker, value: object, at: KeyPath, languages: tuple[str, ...]
) -> dict[str, str] | None:
    mapping = as_mapping(ck, value, at)
    if mapping is None:
        return None
    tags: dict[str, str] = {}
    for key, tag_value in mapping.items():
        child = (*at, path_key(key))
        tag = as_text(ck, tag_value, child)
        if not isinstance(key, str) or key not in languages:
            ck.error(
                "config-language-not-configured",
                child,
                f"'{key}' is not one of the show's languages ({', '.join(languages)})",
            )
        elif tag is not None and not BCP47.fullmatch(tag):
            ck.error(
                "config-bad-language-tag",
                child,
                f"'{tag}' is not a BCP 47 language tag",
                hint="write language-REGION, e.g. pt-BR or en-US",
            )
        elif tag is not None and tag.split("-")[0].lower() != key:
            ck.error(
                "config-bad-language-tag",
                child,
                f"'{tag}' is not a form of '{key}'",
                hint=f"the tag must start with '{key}-', e.g. {key}-{key.upper()}",
            )
        elif tag is not None:
            tags[key] = tag
    return tags


def as_localized(
    ck: Checker,
    value: object,
    at: KeyPath,
    languages: tuple[str, ...],
    default_language: str | None,
) -> dict[str, str] | None:
    """One text for all languages, or ``lang: text``; gaps take the default language's text."""
    if not isinstance(value, dict):
        text = as_text(ck, value, at)
        return None if text is None else dict.fromkeys(languages, text)
    texts: dict[str, str] = {}
    for key, item in value.items():
        child = (*at, path_key(key))
        text = as_text(ck, item, child)
        if not isinstance(key, str) or (languages and key not in languages):
            ck.warning(
                "config-unused-translation",
                child,
                f"'{key}' is not one of the show's languages; this text is not used",
            )
        elif text is not None:
            texts[key] = text
    if default_language is None or not languages:
        return texts
    if default_language not in texts:
        ck.error(
            "config-missing-default-text",
            at,
            f"no text for the default language '{default_language}'",
            hint=f"add '{default_language}: ...' under this key",
        )
        return None
    for lang in languages:
        if lang not in texts:
            ck.warning(
                "config-missing-translation",
                at,
                f"no text for '{lang}'; the '{default_language}' text is used",
                hint=f"add '{lang}: ...' under this key",
            )
            texts[lang] = texts[default_language]
    return {lang: texts[lang] for lang in languages}


# --------------------------------------------------------------------------------------------
# Categories


def as_categories(ck: Checker, value: object, at: KeyPath) -> tuple[Category, ...] | None:
    if not isinstance(value, list):
        ck.wrong_type(at, table.CATEGORIES.expected, value)
        return None
    found: list[Category] = []
    for index, item in enumerate(value):
        child = (*at, index)
        for name, sub in _category_pairs(ck, item, child):
            category = _category(ck, name, sub, child)
            if category is not None and category not in found:
                found.append(category)
    return tuple(found)


def _category_pairs(ck: Checker, item: object, at: KeyPath) -> list[tuple[str, str | None]]:
    """``"A > B"``, ``{A: B}``, ``{A: [B, C]}`` and ``{A: null}`` as (name, sub) pairs."""
    if isinstance(item, str):
        parts = [part.strip() for part in item.split(">")]
        if len(parts) > 2:
            ck.error("config-bad-category", at, f"'{item}': Apple categories have one level of sub")
            return []
        return [(parts[0], parts[1] if len(parts) == 2 else None)]
    if not isinstance(item, dict):
        ck.wrong_type(at, table.CATEGORY_EXPECTED, item)
        return []
    pairs: list[tuple[str, str | None]] = []
    for name, subs in item.items():
        if subs is None:
            pairs.append((str(name), None))
        elif isinstance(subs, str):
            pairs.append((str(name), subs))
        elif isinstance(subs, list) and all(isinstance(s, str) for s in subs):
            pairs.extend((str(name), s) for s in subs)
        else:
            ck.wrong_type((*at, path_key(name)), table.SUBCATEGORY_EXPECTED, subs)
    return pairs


def _category(ck: Checker, name: str, sub: str | None, at: KeyPath) -> Category | None:
    """Check against Apple's list; a difference of case or ``and``/``&`` is corrected."""
    canonical = canonical_category(name)
    if canonical is None:
        guess = suggest_category(name)
        extra = f"; did you mean '{guess}'?" if guess else ""
        ck.error(
            "config-bad-category",
            at,
            f"'{name}' is not an Apple Podcasts category{extra}",
            hint="see https://podcasters.apple.com/support/1691-apple-podcasts-categories",
        )
        return None
    if sub is None:
        return Category(canonical)
    subs = APPLE_CATEGORIES[canonical]
    canonical_sub = canonical_subcategory(canonical, sub)
    if canonical_sub is not None:
        return Category(canonical, canonical_sub)
    if not subs:
        text = f"'{canonical}' has no subcategories"
    else:
        guess = suggest_subcategory(canonical, sub)
        extra = f"; did you mean '{guess}'?" if guess else ""
        text = f"'{sub}' is not a subcategory of '{canonical}'{extra}"
    ck.error(
        "config-bad-category",
        at,
        text,
        hint=f"subcategories of {canonical}: {', '.join(subs) or 'none'}",
    )
    return None


def as_allow_empty(
    ck: Checker, value: object, at: KeyPath, languages: tuple[str, ...]
) -> tuple[str, ...] | None:
    """``true`` (every language), ``false``, or the languages whose feed may have no items."""
    if isinstance(value, bool):
        return languages if value else ()
    if not isinstance(value, list):
        ck.wrong_type(at, table.ALLOW_EMPTY.expected, value)
        return None
    allowed: list[str] = []
    for index, item in enumerate(value):
        code = as_language(ck, item, (*at, index))
        if code is not None and languages and code not in languages:
            ck.error(
                "config-language-not-configured",
                (*at, index),
                f"'{code}' is not one of the show's languages ({', '.join(languages)})",
            )
        elif code is not None and code not in allowed:
            allowed.append(code)
    return tuple(allowed)
