"""Where each requirement is written down; rules link here so a fix can be checked at the source."""

from __future__ import annotations

XML = "https://www.w3.org/TR/xml/#sec-well-formed"
XML_ENTITIES = "https://www.w3.org/TR/xml/#sec-entity-decl"
RSS = "https://www.rssboard.org/rss-specification"
RSS_CHANNEL = RSS + "#requiredChannelElements"
RSS_ENCLOSURE = RSS + "#ltenclosuregtSubelementOfLtitemgt"
RSS_GUID = RSS + "#ltguidgtSubelementOfLtitemgt"
RSS_DATES = "https://www.rssboard.org/rss-profile#data-types-datetime"
RSS_URLS = "https://www.rssboard.org/rss-profile#data-types-url"
RSS_ATOM_SELF = "https://www.rssboard.org/rss-profile#namespace-elements-atom-link"
RSS_HTML = "https://www.rssboard.org/rss-profile#data-types-characterdata"
RSS_ENCLOSURES = "https://www.rssboard.org/rss-profile#element-channel-item-enclosure"
APPLE = "https://podcasters.apple.com/support/823-podcast-requirements"
APPLE_RSS = "https://help.apple.com/itc/podcasts_connect/#/itcb54353390"
APPLE_CATEGORIES = "https://podcasters.apple.com/support/1691-apple-podcasts-categories"
APPLE_ARTWORK = "https://podcasters.apple.com/support/896-artwork-requirements"
APPLE_MOVE = "https://podcasters.apple.com/support/837-change-the-rss-feed-url"
PSP1 = "https://github.com/Podcast-Standards-Project/PSP-1-Podcast-RSS-Specification"
PODCAST_NAMESPACE = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"
PODCAST_TAXONOMY = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/taxonomy.json"
RSS_SKIP_HOURS = "https://www.rssboard.org/skip-hours-days#skiphours"
RSS_SKIP_DAYS = "https://www.rssboard.org/skip-hours-days#skipdays"
RSS_CONTENT_ENCODED = "https://www.rssboard.org/rss-profile#namespace-elements-content-encoded"
RSS_PROFILE = "https://www.rssboard.org/rss-profile"
RSS_ITEM = RSS + "#hrelementsOfLtitemgt"
RSS_IMAGE = RSS + "#ltimagegtSubelementOfLtchannelgt"
RSS_NAMESPACES = RSS + "#extendingRss"
RSS_EMAIL = "https://www.rssboard.org/rss-profile#data-types-email"
RSS_HTML_UNSAFE = "https://www.rssboard.org/rss-profile#element-channel-item-description"
APPLE_WHITESPACE = APPLE_RSS


def podcast_tag(name: str) -> str:
    """The Podcasting 2.0 document for one tag (``docs/tags/<name>.md``)."""
    return f"https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/tags/{name}.md"
