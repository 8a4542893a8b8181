"""Fixed lists the configuration (and the validator) check against: ISO 639-1 language codes
and Apple's podcast categories, with the did-you-mean for each.

Kept as plain data (no I/O, no network) so that checking a config is fast, offline and
deterministic. Both lists change rarely; when they do, update them here and nowhere else.
"""

from __future__ import annotations

import difflib

__all__ = [
    "APPLE_CATEGORIES",
    "LANGUAGES",
    "LANGUAGE_ALIASES",
    "canonical_category",
    "canonical_subcategory",
    "suggest_category",
    "suggest_language",
    "suggest_subcategory",
]

# ISO 639-1 (two-letter) codes with their English names. Apple Podcasts accepts "values from the
# ISO 639 list (two-letter language codes, with some possible modifiers, such as en-us)"
# (Apple, "A Podcaster's Guide to RSS", <language>). Deprecated codes (iw, in, ji, jw, mo, sh)
# are left out on purpose: readers disagree on them, so we suggest the current code instead.
LANGUAGES: dict[str, str] = {
    "aa": "Afar",
    "ab": "Abkhazian",
    "ae": "Avestan",
    "af": "Afrikaans",
    "ak": "Akan",
    "am": "Amharic",
    "an": "Aragonese",
    "ar": "Arabic",
    "as": "Assamese",
    "av": "Avaric",
    "ay": "Aymara",
    "az": "Azerbaijani",
    "ba": "Bashkir",
    "be": "Belarusian",
    "bg": "Bulgarian",
    "bi": "Bislama",
    "bm": "Bambara",
    "bn": "Bengali",
    "bo": "Tibetan",
    "br": "Breton",
    "bs": "Bosnian",
    "ca": "Catalan",
    "ce": "Chechen",
    "ch": "Chamorro",
    "co": "Corsican",
    "cr": "Cree",
    "cs": "Czech",
    "cu": "Church Slavic",
    "cv": "Chuvash",
    "cy": "Welsh",
    "da": "Danish",
    "de": "German",
    "dv": "Divehi",
    "dz": "Dzongkha",
    "ee": "Ewe",
    "el": "Greek",
    "en": "English",
    "eo": "Esperanto",
    "es": "Spanish",
    "et": "Estonian",
    "eu": "Basque",
    "fa": "Persian",
    "ff": "Fulah",
    "fi": "Finnish",
    "fj": "Fijian",
    "fo": "Faroese",
    "fr": "French",
    "fy": "Western Frisian",
    "ga": "Irish",
    "gd": "Scottish Gaelic",
    "gl": "Galician",
    "gn": "Guarani",
    "gu": "Gujarati",
    "gv": "Manx",
    "ha": "Hausa",
    "he": "Hebrew",
    "hi": "Hindi",
    "ho": "Hiri Motu",
    "hr": "Croatian",
    "ht": "Haitian",
    "hu": "Hungarian",
    "hy": "Armenian",
    "hz": "Herero",
    "ia": "Interlingua",
    "id": "Indonesian",
    "ie": "Interlingue",
    "ig": "Igbo",
    "ii": "Sichuan Yi",
    "ik": "Inupiaq",
    "io": "Ido",
    "is": "Icelandic",
    "it": "Italian",
    "iu": "Inuktitut",
    "ja": "Japanese",
    "jv": "Javanese",
    "ka": "Georgian",
    "kg": "Kongo",
    "ki": "Kikuyu",
    "kj": "Kuanyama",
    "kk": "Kazakh",
    "kl": "Kalaallisut",
    "km": "Khmer",
    "kn": "Kannada",
    "ko": "Korean",
    "kr": "Kanuri",
    "ks": "Kashmiri",
    "ku": "Kurdish",
    "kv": "Komi",
    "kw": "Cornish",
    "ky": "Kyrgyz",
    "la": "Latin",
    "lb": "Luxembourgish",
    "lg": "Ganda",
    "li": "Limburgish",
    "ln": "Lingala",
    "lo": "Lao",
    "lt": "Lithuanian",
    "lu": "Luba-Katanga",
    "lv": "Latvian",
    "mg": "Malagasy",
    "mh": "Marshallese",
    "mi": "Maori",
    "mk": "Macedonian",
    "ml": "Malayalam",
    "mn": "Mongolian",
    "mr": "Marathi",
    "ms": "Malay",
    "mt": "Maltese",
    "my": "Burmese",
    "na": "Nauru",
    "nb": "Norwegian Bokmal",
    "nd": "North Ndebele",
    "ne": "Nepali",
    "ng": "Ndonga",
    "nl": "Dutch",
    "nn": "Norwegian Nynorsk",
    "no": "Norwegian",
    "nr": "South Ndebele",
    "nv": "Navajo",
    "ny": "Chichewa",
    "oc": "Occitan",
    "oj": "Ojibwa",
    "om": "Oromo",
    "or": "Oriya",
    "os": "Ossetian",
    "pa": "Punjabi",
    "pi": "Pali",
    "pl": "Polish",
    "ps": "Pashto",
    "pt": "Portuguese",
    "qu": "Quechua",
    "rm": "Romansh",
    "rn": "Rundi",
    "ro": "Romanian",
    "ru": "Russian",
    "rw": "Kinyarwanda",
    "sa": "Sanskrit",
    "sc": "Sardinian",
    "sd": "Sindhi",
    "se": "Northern Sami",
    "sg": "Sango",
    "si": "Sinhala",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sm": "Samoan",
    "sn": "Shona",
    "so": "Somali",
    "sq": "Albanian",
    "sr": "Serbian",
    "ss": "Swati",
    "st": "Southern Sotho",
    "su": "Sundanese",
    "sv": "Swedish",
    "sw": "Swahili",
    "ta": "Tamil",
    "te": "Telugu",
    "tg": "Tajik",
    "th": "Thai",
    "ti": "Tigrinya",
    "tk": "Turkmen",
    "tl": "Tagalog",
    "tn": "Tswana",
    "to": "Tonga",
    "tr": "Turkish",
    "ts": "Tsonga",
    "tt": "Tatar",
    "tw": "Twi",
    "ty": "Tahitian",
    "ug": "Uyghur",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "uz": "Uzbek",
    "ve": "Venda",
    "vi": "Vietnamese",
    "vo": "Volapuk",
    "wa": "Walloon",
    "wo": "Wolof",
    "xh": "Xhosa",
    "yi": "Yiddish",
    "yo": "Yoruba",
    "za": "Zhuang",
    "zh": "Chinese",
    "zu": "Zulu",
}

# Mistakes people actually make when a two-letter code is wanted: ISO 639-2 bibliographic and
# terminology codes, deprecated ISO 639-1 codes, country codes used as language codes, and
# native names. English names are matched separately (from LANGUAGES).
LANGUAGE_ALIASES: dict[str, str] = {
    # ISO 639-2/B and /T
    "ara": "ar",
    "cat": "ca",
    "ces": "cs",
    "cze": "cs",
    "chi": "zh",
    "zho": "zh",
    "dan": "da",
    "deu": "de",
    "ger": "de",
    "dut": "nl",
    "nld": "nl",
    "ell": "el",
    "gre": "el",
    "eng": "en",
    "fas": "fa",
    "per": "fa",
    "fin": "fi",
    "fra": "fr",
    "fre": "fr",
    "heb": "he",
    "hin": "hi",
    "hun": "hu",
    "ind": "id",
    "isl": "is",
    "ice": "is",
    "ita": "it",
    "jpn": "ja",
    "kor": "ko",
    "msa": "ms",
    "may": "ms",
    "nor": "no",
    "nob": "nb",
    "nno": "nn",
    "pol": "pl",
    "por": "pt",
    "ron": "ro",
    "rum": "ro",
    "rus": "ru",
    "slk": "sk",
    "slo": "sk",
    "slv": "sl",
    "spa": "es",
    "esp": "es",
    "swe": "sv",
    "tha": "th",
    "tur": "tr",
    "ukr": "uk",
    "vie": "vi",
    # deprecated ISO 639-1 codes
    "iw": "he",
    "in": "id",
    "ji": "yi",
    "jw": "jv",
    "mo": "ro",
    # country codes often typed as language codes
    "jp": "ja",
    "cn": "zh",
    "gr": "el",
    "dk": "da",
    "ua": "uk",
    "cz": "cs",
    "gb": "en",
    "us": "en",
    # native names
    "deutsch": "de",
    "espanol": "es",
    "español": "es",
    "castellano": "es",
    "francais": "fr",
    "français": "fr",
    "italiano": "it",
    "portugues": "pt",
    "português": "pt",
    "nederlands": "nl",
    "svenska": "sv",
    "norsk": "no",
    "dansk": "da",
    "suomi": "fi",
    "polski": "pl",
    "русский": "ru",
    "日本語": "ja",
    "中文": "zh",
    "한국어": "ko",
}

_NAMES_TO_CODES: dict[str, str] = {name.lower(): code for code, name in LANGUAGES.items()}


def suggest_language(value: str) -> str | None:
    """The ISO 639-1 code someone most likely meant, or ``None``.

    >>> suggest_language("ger"), suggest_language("German"), suggest_language("pt-BR")
    ('de', 'de', 'pt')
    >>> suggest_language("qqq") is None
    True
    """
    text = value.strip().lower().replace("_", "-")
    if text in LANGUAGES:
        return text
    if text in LANGUAGE_ALIASES and LANGUAGE_ALIASES[text] in LANGUAGES:
        return LANGUAGE_ALIASES[text]
    if text in _NAMES_TO_CODES:
        return _NAMES_TO_CODES[text]
    primary = text.split("-", 1)[0]
    if primary != text:
        return suggest_language(primary)
    close = difflib.get_close_matches(text, list(_NAMES_TO_CODES), n=1, cutoff=0.75)
    if close:
        return _NAMES_TO_CODES[close[0]]
    close = difflib.get_close_matches(text, list(LANGUAGE_ALIASES), n=1, cutoff=0.75)
    return LANGUAGE_ALIASES[close[0]] if close else None


# Apple Podcasts categories and subcategories, as listed on
# https://podcasters.apple.com/support/1691-apple-podcasts-categories (the 2019 revision, current
# at the time of writing). Apple matches ``itunes:category text`` exactly, so spelling matters.
APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": (
        "Books",
        "Design",
        "Fashion & Beauty",
        "Food",
        "Performing Arts",
        "Visual Arts",
    ),
    "Business": (
        "Careers",
        "Entrepreneurship",
        "Investing",
        "Management",
        "Marketing",
        "Non-Profit",
    ),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": (
        "Alternative Health",
        "Fitness",
        "Medicine",
        "Mental Health",
        "Nutrition",
        "Sexuality",
    ),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": (
        "Animation & Manga",
        "Automotive",
        "Aviation",
        "Crafts",
        "Games",
        "Hobbies",
        "Home & Garden",
        "Video Games",
    ),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": (
        "Business News",
        "Daily News",
        "Entertainment News",
        "News Commentary",
        "Politics",
        "Sports News",
        "Tech News",
    ),
    "Religion & Spirituality": (
        "Buddhism",
        "Christianity",
        "Hinduism",
        "Islam",
        "Judaism",
        "Religion",
        "Spirituality",
    ),
    "Science": (
        "Astronomy",
        "Chemistry",
        "Earth Sciences",
        "Life Sciences",
        "Mathematics",
        "Natural Sciences",
        "Nature",
        "Physics",
        "Social Sciences",
    ),
    "Society & Culture": (
        "Documentary",
        "Personal Journals",
        "Philosophy",
        "Places & Travel",
        "Relationships",
    ),
    "Sports": (
        "Baseball",
        "Basketball",
        "Cricket",
        "Fantasy Sports",
        "Football",
        "Golf",
        "Hockey",
        "Rugby",
        "Running",
        "Soccer",
        "Swimming",
        "Tennis",
        "Volleyball",
        "Wilderness",
        "Wrestling",
    ),
    "Technology": (),
    "True Crime": (),
    "TV & Film": (
        "After Shows",
        "Film History",
        "Film Interviews",
        "Film Reviews",
        "TV Reviews",
    ),
}


def _fold(text: str) -> str:
    """Compare names the way people misremember them: case, spacing and ``and`` vs ``&``."""
    return " ".join(text.lower().replace(" and ", " & ").split())


def _closest(text: str, choices: list[str]) -> str | None:
    folded = {_fold(choice): choice for choice in choices}
    if _fold(text) in folded:
        return folded[_fold(text)]
    close = difflib.get_close_matches(_fold(text), list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close else None


def canonical_category(name: str) -> str | None:
    """Apple's spelling of a category written with other case, spacing or ``and`` for ``&``.

    >>> canonical_category("health and  fitness"), canonical_category("Techology")
    ('Health & Fitness', None)
    """
    return {_fold(top): top for top in APPLE_CATEGORIES}.get(_fold(name))


def canonical_subcategory(category: str, sub: str) -> str | None:
    """Apple's spelling of a subcategory of ``category`` (``None`` when it is not one)."""
    return {_fold(s): s for s in APPLE_CATEGORIES.get(category, ())}.get(_fold(sub))


def suggest_category(name: str) -> str | None:
    """The Apple category someone most likely meant (``"Techology"`` → ``"Technology"``).

    A subcategory given on its own is answered with its full ``"Category > Sub"`` form.

    >>> suggest_category("health and fitness"), suggest_category("Management")
    ('Health & Fitness', 'Business > Management')
    """
    candidates = {_fold(top): top for top in APPLE_CATEGORIES}
    for top, subs in APPLE_CATEGORIES.items():
        for sub in subs:
            candidates.setdefault(_fold(sub), f"{top} > {sub}")
    if _fold(name) in candidates:
        return candidates[_fold(name)]
    close = difflib.get_close_matches(_fold(name), list(candidates), n=1, cutoff=0.6)
    return candidates[close[0]] if close else None


def suggest_subcategory(category: str, sub: str) -> str | None:
    """The subcategory of ``category`` someone most likely meant, or ``None``."""
    return _closest(sub, list(APPLE_CATEGORIES.get(category, ())))
