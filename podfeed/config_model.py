"""The checked configuration's dataclasses, at the import path they had before the
configuration became a package: everything here is :mod:`podfeed.config.model`."""

from podfeed.config.model import (
    DEFAULT_API_URL,
    DEFAULT_SHARE_URL,
    DEFAULT_YOUTUBE_OEMBED_URL,
    Category,
    Config,
    GuardConfig,
    HttpConfig,
    Owner,
    PingConfig,
    Show,
    TransistorConfig,
    YoutubeConfig,
)

__all__ = [
    "DEFAULT_API_URL",
    "DEFAULT_SHARE_URL",
    "DEFAULT_YOUTUBE_OEMBED_URL",
    "Category",
    "Config",
    "GuardConfig",
    "HttpConfig",
    "Owner",
    "PingConfig",
    "Show",
    "TransistorConfig",
    "YoutubeConfig",
]
