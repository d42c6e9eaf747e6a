"""What a draft holds: candidate facts, new names, and the mentions and triggers they are read from."""

from __future__ import annotations

from dataclasses import dataclass

from peacegraph.curate.coverage import Sentence
from peacegraph.curate.dating import FoundDate
from peacegraph.curate.gazetteer import Mention
from peacegraph.load.documents import Document

#: Relations that hold whichever way round they are said.
SYMMETRIC = {"metWith", "borders", "alliedWith"}
#: Ways a name mention matched that are the entity's own name (not a pronoun, a description or a demonym).
NAME_HOWS = {"exact", "typography", "diacritics", "case", "fuzzy", "extended"}


@dataclass
class Candidate:
    """A proposed fact: subject, relation, object, where it is said, and why it is proposed."""

    subject: str
    relation: str
    object: str
    start: int
    end: int
    quote: str
    confidence: float
    reason: str
    sentence: Sentence
    date: FoundDate | None = None
    dated: bool = True  # False for offices and other standing facts, which take no date from the sentence
    once: bool = False  # proposed once per document: a side read off a name ("the peace deal between A and B")

    @property
    def triple(self) -> tuple[str, str, str]:
        return (self.subject, self.relation, self.object)


@dataclass
class NewEntity:
    label: str
    type: str
    quote: str
    reason: str
    confidence: float
    count: int


@dataclass
class NewAlias:
    entity: str
    label: str
    known_as: str
    score: float
    quote: str


@dataclass
class Draft:
    doc: Document
    mentions: list[Mention]
    candidates: list[Candidate]
    new_aliases: list[NewAlias]
    new_entities: list[NewEntity]
    no_candidate: list[tuple[Sentence, list[str]]]
    skipped_known: int = 0  # candidates already curated from this document
    unquotable: int = 0  # candidates left out because no unique quote holds them


@dataclass(frozen=True)
class Hit:
    """A mention with its token positions."""

    mention: Mention
    first: int  # first token
    last: int  # one past the last token


@dataclass(frozen=True)
class Trigger:
    phrase: str
    first: int
    last: int
    start: int
    end: int
