"""What one entry of the vocabulary table says: an element in a parent (:class:`Spec`), its
attributes (:class:`Attr`), and what the parent needs of it (:class:`Need`).

:mod:`podfeed.validate.vocabulary` is the table made of these; :mod:`podfeed.validate.walk`
compares a feed with it. Each field is one fact the sources state about the element, and a
rule id where a dedicated rule judges that fact instead of the generic ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from podfeed.validate.values import ValueType
from podfeed.validate.xmltree import qualified_tag

__all__ = ["Attr", "Need", "Spec"]


@dataclass(frozen=True)
class Attr:
    """An attribute an element has: its value type, whether the element needs it, and the
    dedicated rules that judge its value (``rule``) or its absence (``presence_rule``) instead
    of the generic ones (None: attribute-value, attribute-missing).

    With ``rule`` and ``value`` both set, the walk judges the value and reports it under
    ``rule``. With ``missing`` (how to fix it), the walk reports an absent or empty attribute
    under ``presence_rule`` ("<enclosure> has no url"; one finding names every attribute the
    same rule misses); ``empty_is_value``: an empty value is a wrong value, not a missing one.
    """

    name: str
    value: ValueType | None = None
    required: bool = False
    rule: str | None = None
    presence_rule: str | None = None
    missing: str | None = None
    empty_is_value: bool = False

    @property
    def empty_missing(self) -> bool:
        """Whether an empty value counts as a missing attribute (for ``presence_rule``)."""
        return self.missing is not None and not self.empty_is_value


@dataclass(frozen=True)
class Need:
    """A parent's need for an element, reported by a dedicated rule: "the channel has no
    <itunes:image>" with ``fix``; with ``empty_fix``, an empty first one too ("the channel
    <title> is empty"; element-empty then stays silent). ``podcast_only``: only a podcast
    directory needs it, so the ``rss`` profile leaves the finding out."""

    rule: str
    fix: str
    empty_fix: str | None = None
    podcast_only: bool = False
    what: str | None = None  # how "the item has no ..." names it (None: <name>)


@dataclass(frozen=True)
class Spec:
    """One element in one parent.

    ``max_count``: how many times it may appear in one parent (None: any number).
    ``required``: RSS 2.0 requires it in the parent (element-missing, unless ``need`` names a
    rule that says so); ``need``: a dedicated rule's requirement (see :class:`Need`).
    ``value``: the type of its text (None: any text); ``value_rule`` names a dedicated rule
    that judges the value instead of element-value (see the module docstring);
    ``podcast_value`` and ``podcast_value_rule``: the same in the ``podcast`` profile only
    (Apple's stricter rule for the same value). ``text``: False for elements that
    hold only attributes or child elements. ``attrs``: the attributes it has;
    ``open_attrs``: others are allowed too.
    ``max_length`` and ``length_unit``: a limit on the text (``apple_limit``: Apple's, so the
    ``rss`` profile leaves it out). ``plain``: plain text, no HTML (html-in-text).
    ``tokens``: a keyword or number Apple compares as written, so spaces around it are
    reported (value-whitespace). ``unique``: the same value twice in one parent is an error.
    """

    parent: str
    tag: str
    source: str
    max_count: int | None = 1
    required: bool = False
    need: Need | None = None
    value: ValueType | None = None
    value_rule: str | None = None
    podcast_value: ValueType | None = None
    podcast_value_rule: str | None = None
    text: bool = True
    attrs: tuple[Attr, ...] = ()
    open_attrs: bool = False
    max_length: int | None = None
    length_unit: str = "characters"
    apple_limit: bool = False
    plain: bool = False
    tokens: bool = False
    unique: bool = False
    # How messages write the element (itunes:image, title) and its parent.
    name: str = field(init=False, repr=False, compare=False)
    where: str = field(init=False, repr=False, compare=False)
    attr_index: dict[str, Attr] = field(init=False, repr=False, compare=False)  # by name
    required_attrs: tuple[Attr, ...] = field(init=False, repr=False, compare=False)
    # Whether any check reads the text beyond "is it empty" (most elements: none does).
    reads_value: bool = field(init=False, repr=False, compare=False)
    # Whether a dedicated rule judges the first element of this kind (its value, its emptiness).
    judges_lead: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", qualified_tag(self.tag))
        object.__setattr__(self, "where", qualified_tag(self.parent))
        object.__setattr__(self, "attr_index", {a.name: a for a in self.attrs})
        object.__setattr__(self, "required_attrs", tuple(a for a in self.attrs if a.required))
        reads_value = (
            self.value is not None
            or self.tokens
            or self.plain
            or self.unique
            or (self.max_length is not None and self.value_rule is None)
        )
        object.__setattr__(self, "reads_value", reads_value)
        judges_lead = (
            (self.value is not None and self.value_rule is not None)
            or self.podcast_value is not None
            or (self.need is not None and self.need.empty_fix is not None)
        )
        object.__setattr__(self, "judges_lead", judges_lead)

    def judge(self, podcast: bool) -> tuple[ValueType | None, str | None]:
        """The type and the dedicated rule that judge the value in a profile (None, None: the
        generic element-value rule, or a rule of its own, or nothing)."""
        if podcast and self.podcast_value is not None:
            return self.podcast_value, self.podcast_value_rule
        if self.value is not None and self.value_rule is not None:
            return self.value, self.value_rule
        return None, None

    def rules_named(self) -> list[str]:
        """The dedicated rules whose findings about this entry the walk reports."""
        named = [self.need.rule] if self.need is not None else []
        for kind, rule in (
            (self.value, self.value_rule),
            (self.podcast_value, self.podcast_value_rule),
        ):
            if kind is not None and rule is not None:
                named.append(rule)
        for attr in self.attrs:
            if attr.missing is not None and attr.presence_rule is not None:
                named.append(attr.presence_rule)
            if attr.value is not None and attr.rule is not None:
                named.append(attr.rule)
        return named
