"""Notes as typed: turning free text into note drafts, and telling how a note reads.

A textarea becomes one note per non-empty line, and a web address in a line becomes that
note's link. The drafts are plain values; services turn them into rows, forms build them.

The second half decides whether a note can stand in the middle of a sentence of a message
(the merge fields of ``outreach.merge`` use it); it is pure text, free of the database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from interviews.names import NameParts

if TYPE_CHECKING:
    # Only for the annotation: this module stays free of models and the database.
    from interviews.models import Contact

URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
# Punctuation that ends a sentence rather than a link: "see https://x.example/a."
URL_TRAILING_PUNCTUATION = ".,;:!?)]}"


@dataclass(frozen=True)
class NoteDraft:
    """One note to record, before it has an interview and a row."""

    kind: str
    text: str
    link: str = ""
    follow_up_not_before: date | None = None
    # For an answer to fix: the question they asked and what the user would say now.
    question: str = ""
    better_answer: str = ""


@dataclass(frozen=True)
class InterviewerDraft:
    """One interviewer: an existing contact, or the details of a new one, and notes on them.

    ``name_parts`` and ``salutation_style`` say how to greet them; for a new person, blank
    parts are worked out from ``name``. For someone already known, None and "" leave their
    greeting as it is.
    """

    contact: Contact | None = None
    name: str = ""
    job_title: str = ""
    email: str = ""
    phone: str = ""
    notes: Sequence[NoteDraft] = field(default_factory=tuple)
    name_parts: NameParts | None = None
    salutation_style: str = ""


def link_find(*, text: str) -> str:
    """The first web address in a line of text, without trailing sentence punctuation."""
    match = URL_IN_TEXT.search(text)
    if match is None:
        return ""
    return match.group(0).rstrip(URL_TRAILING_PUNCTUATION)


def notes_from_lines(*, kind: str, text: str) -> list[NoteDraft]:
    """Every non-empty line becomes one note of ``kind``; a web address in it is its link."""
    drafts = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            drafts.append(NoteDraft(kind=kind, text=line, link=link_find(text=line)))
    return drafts


# --- How a note reads in the middle of someone else's sentence ------------------------------
#
# Templates say "our discussion of {{ topic }}" or "my experience with {{ skill }}". A note is
# put into such a sentence only when it reads there as if the user had written the sentence;
# otherwise the field stays a marked blank and the composer offers the note beside the draft.
#
# The rule (``phrase_in_sentence``), deterministic and deliberately cautious:
#
# 1. Take the words as typed, without web addresses, a list bullet, extra spaces, or the
#    sentence punctuation at the end (".", ",", ";", ":", "…").
# 2. It is a phrase only if it is one short line: at most MAX_PHRASE_WORDS words; no "?", "!",
#    ";" or ":"; no second sentence (". " other than after "vs." or "e.g."); no aside after a
#    spaced dash or an arrow; no list that trails off with "etc.".
# 3. It must not start like a sentence or a remark: with a determiner or possessive ("The CAP
#    theorem", "Their migration", "My field research"), with a note-taking verb ("Talked
#    about…", "Asked about…") or with a preposition or conjunction ("About the…", "And…").
#    A determiner shows the note names a thing as the note-taker saw it: "their" would have
#    to become "your", "my" may or may not be the writer's, "the"/"this" point at something
#    the reader has to recognise. Turning these round takes judgment, so the user does it.
# 4. It must not be a clause: no personal pronoun or possessive anywhere ("I rambled…",
#    "…for their team"), no auxiliary or modal verb ("is", "was", "should", "can"), no "not"
#    or "never", and no contraction ("they're", "didn't").
# 5. The first letter is lower-cased when the first word is an ordinary word written with a
#    capital only because it starts the note (phones capitalise every line): a word from
#    COMMON_FIRST_WORDS or one with a common-word ending ("-ing", "-tion", "-ity"...). An
#    acronym or a word with inner capitals (CAP, GraphQL, iOS), a word with digits, a title
#    written in title case ("Designing Data-Intensive Applications") and any other
#    capitalised word (Kafka, Kubernetes, Berlin) keep their capitals: a capital left on a
#    common word reads better than a product's or a place's name in lower case.
#
# A question the user wants to answer again follows "when you asked me", so it is either the
# question as they asked it, in quotes, or a phrase after "about" (``question_after_asked``).
# There the user writes from their own point of view, so "my", "I" and the articles are fine.

MAX_PHRASE_WORDS = 8
MAX_QUESTION_WORDS = 30


def _word_set(text: str) -> frozenset[str]:
    """A set of words written as one string, for the lists below."""
    return frozenset(text.split())


# Dashes and the single quotation marks, named: they look like "-" and "'" in the source.
EN_DASH, EM_DASH, LEFT_SINGLE, RIGHT_SINGLE = "\u2013", "\u2014", "\u2018", "\u2019"
_DASHES = f"-{EN_DASH}{EM_DASH}"
# The hyphen first, where a character class reads it as itself and not as a range.
_BULLET = re.compile(rf"^(?:[{_DASHES}*•·>]+|\d{{1,2}}[.)])\s+")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]|<\s*>")
_PHRASE_END = ".,;:…"
_QUOTES = f"\"'“”{LEFT_SINGLE}{RIGHT_SINGLE}«»"
_ASIDE = re.compile(rf"\s[{_DASHES}]+\s|->|=>|→")
_SENTENCE_BREAK = re.compile(r"(\S*)[.…]\s")
_ABBREVIATIONS = frozenset({"vs", "e.g", "i.e", "approx", "incl", "dr", "mr", "mrs", "ms", "st"})

_DETERMINERS = _word_set(
    "the a an this that these those their theirs his her its our your my some any every each "
    "all both another such either neither"
)
_PRONOUNS = _word_set(
    "i me my mine myself we us our ours ourselves you your yours yourself yourselves he him "
    "his himself she her hers herself it its itself they them their theirs themselves"
)
_FIRST_PERSON = _word_set("i me my mine myself")
# What a writer may say of themselves after "you asked me about": "my last job", "the CAP
# theorem", "a time I failed".
_WRITER_MAY_START = _word_set("the a an my")
_AUXILIARIES = _word_set(
    "am is are was were been has have had does did can could will would shall should may "
    "might must cannot not never"
)
_CONTRACTION_ENDS = ("n't", "'re", "'ve", "'ll", "'d", "'m")
_SUBJECTS_BEFORE_IS = frozenset({"that", "there", "what", "here", "who", "let"})
_NOTE_VERBS = _word_set(
    "talk talked talks discuss discussed asked ask asks mention mentioned mentions said say "
    "says told tell tells explained explain explains showed show shows shown recommended "
    "recommend suggested suggest shared share liked like likes loved love loves enjoyed "
    "wanted want wants think thinks thought went spoke covered described gave give sent need "
    "needs needed got get gets seemed seems looked looks felt feel feels forgot blanked "
    "rambled struggled missed messed fumbled"
)
_LEADING_LINKS = _word_set(
    "about re regarding on with for from in into to at by of and but or so because also then "
    "plus maybe perhaps probably just really very"
)
# Short words a title in title case may leave in lower case.
_TITLE_SMALL_WORDS = _word_set("a an and as at by for in of on or the to vs with")

# Ordinary words a topic or a skill often starts with; see step 5 above.
COMMON_FIRST_WORDS = _word_set(
    """
    how why what when where which whether who
    accessibility agile analytics architecture async asynchronous automated automation backend
    backup backups batch benchmark benchmarks billing budget bug bugs build builds business
    caching career change chaos clean cloud code coding collaboration communication company
    compliance concurrency config configuration consistency container containers content
    contract cost costs culture customer customers dashboards data database databases
    debugging delivery dependency deployment deployments design developer development
    distributed diversity documentation domain early edge embedded engineering error errors
    estimation event events experiment experiments feature features feedback financial flaky
    frontend functional game games growth hardware health hiring hybrid incident incidents
    infrastructure integration internal interview interviews large latency leadership legacy
    load local logging machine management managing market marketing mentoring mentorship
    metrics microservices migration migrations mobile model models modern monitoring monolith
    monoliths monorepo monorepos native network networking new next observability offline
    on-call onboarding open operations ops optimisation optimization order orders ownership
    pair pairing payment payments performance personal pipeline pipelines planning platform
    platforms pricing privacy process product production productivity programming project
    projects quality queue queues rate real-time recent recruiting refactoring release releases
    reliability remote reporting research resilience retries review reviews risk roadmap
    rollout rollouts scalability scale scaling schema search security serverless service
    services shipping site small software speed stakeholder stakeholders startup startups
    state static storage stream streaming structured support supply sustainability system
    systems team teams technical tech test testing tests time tooling tools trade-offs
    tradeoffs training type typed types unit usability user users validation version
    versioning video visual web workflow workflows working writing reading learning teaching
    public private big first second last weekly daily quarterly annual global
    """
)
_COMMON_ENDINGS = ("ing", "tion", "sion", "ment", "ness", "ity", "ics", "ism", "ance", "ence")
_COMMON_ENDINGS_LONG = ("ed", "ive", "ous", "ship", "ogy")
# Names with a common-word ending.
_NAMES_WITH_COMMON_ENDINGS = frozenset({"beijing", "nanjing", "sterling", "kipling", "keating"})


def note_words(*, text: str, link: str = "") -> str:
    """A note's words as typed, without web addresses, a list bullet or extra spaces.

    What the composer offers beside a draft; a link has a place of its own there.
    """
    text = text.replace(link, " ") if link else text
    text = _EMPTY_BRACKETS.sub(" ", URL_IN_TEXT.sub(" ", text))
    lines = (_BULLET.sub("", " ".join(line.split())) for line in text.splitlines())
    return "\n".join(line for line in lines if line).strip(f" {_DASHES}:;,(")


def _bare(token: str) -> str:
    return token.strip(_QUOTES + "()[],.;:!?…").replace(RIGHT_SINGLE, "'")


def _function_word(token: str, index: int) -> str:
    """The token in lower case if it may be a function word, else "".

    "us" and "it" are pronouns, "US" and "IT" are not; a capital counts only at the start.
    """
    bare = _bare(token)
    if bare == "I" or bare.startswith("I'"):
        return bare.lower()
    if bare.islower() or (index == 0 and bare[:1].isupper() and bare[1:].islower()):
        return bare.lower()
    return ""


def _has_second_sentence(text: str) -> bool:
    return any(
        _bare(match.group(1)).lower() not in _ABBREVIATIONS
        for match in _SENTENCE_BREAK.finditer(text)
    )


def _is_title(tokens: list[str]) -> bool:
    words = [_bare(t) for t in tokens if _bare(t)]
    significant = [w for w in words if w.lower() not in _TITLE_SMALL_WORDS]
    return len(words) >= 2 and all(w[:1].isupper() for w in significant)


def _is_common_word(word: str) -> bool:
    head = word.lower().split("-")[0]
    if word.lower() in COMMON_FIRST_WORDS or head in COMMON_FIRST_WORDS:
        return True
    if head in _NAMES_WITH_COMMON_ENDINGS or len(head) < 6:
        return False
    return head.endswith(_COMMON_ENDINGS) or (
        len(head) >= 7 and head.endswith(_COMMON_ENDINGS_LONG)
    )


def _first_letter_lowered(text: str, tokens: list[str]) -> str:
    """Step 5: lower-case the first letter when the first word is an ordinary word."""
    first = _bare(tokens[0])
    letters = first.replace("-", "")
    ordinary_capital = (
        letters.isalpha() and letters[:1].isupper() and (len(letters) == 1 or letters[1:].islower())
    )
    if not text[:1].isalpha() or first == "I" or not ordinary_capital:
        return text
    if first.lower() not in _DETERMINERS and (_is_title(tokens) or not _is_common_word(first)):
        return text
    return text[:1].lower() + text[1:]


def _phrase(text: str, *, writer: bool) -> str:
    """Steps 1 to 5 for one note's words; "" when they do not read as a phrase.

    ``writer`` allows what the user may say of themselves ("my", "I", "the").
    """
    words = note_words(text=text)
    text = " ".join(words.split()).rstrip(_PHRASE_END + " ")
    tokens = text.split()
    if not tokens or len(tokens) > MAX_PHRASE_WORDS or "\n" in words:
        return ""
    if any(mark in text for mark in "?!;:") or _ASIDE.search(text) or _has_second_sentence(text):
        return ""
    if _bare(tokens[-1]).lower() in ("etc", "etc."):
        return ""
    first = _function_word(tokens[0], 0)
    allowed_start = _WRITER_MAY_START if writer else frozenset()
    if first in (_DETERMINERS - allowed_start) or first in _NOTE_VERBS | _LEADING_LINKS:
        return ""
    allowed_pronouns = _FIRST_PERSON if writer else frozenset()
    for index, token in enumerate(tokens):
        word = _function_word(token, index)
        if not word:
            continue
        if word.endswith(_CONTRACTION_ENDS):
            return ""
        base = word[:-2] if word.endswith("'s") else word
        if word != base and (base in _PRONOUNS or base in _SUBJECTS_BEFORE_IS):
            return ""
        if (word in _PRONOUNS and word not in allowed_pronouns) or word in _AUXILIARIES:
            return ""
    return _first_letter_lowered(text, tokens)


def phrase_in_sentence(*, text: str) -> str:
    """The note as a short phrase that reads mid-sentence ("event sourcing"), or "".

    See the rule above; the text is a topic's or a skill's, seen from the notes.
    """
    return _phrase(text, writer=False)


def question_after_asked(*, text: str) -> str:
    """The question behind an answer to fix, to follow "when you asked me", or "".

    A question as they asked it is quoted: “How would you shard the orders table?”. A phrase
    follows "about": "about sharding the orders table". Anything else is left to the user.
    """
    lines = note_words(text=text)
    words = " ".join(lines.split())
    if "\n" in lines:
        return ""
    quoted = len(words) > 2 and words[0] in _QUOTES and words[-1] in _QUOTES
    unquoted = words.strip(_QUOTES + " ") if quoted or words.endswith(_QUOTES) else words
    if quoted or unquoted.endswith("?"):
        tokens = unquoted.split()
        inner = unquoted.rstrip("?!. ")
        if not tokens or len(tokens) > MAX_QUESTION_WORDS:
            return ""
        if "?" in inner or _has_second_sentence(inner):
            return ""
        return f"“{unquoted[:1].upper()}{unquoted[1:]}”"
    phrase = about_phrase(text=unquoted)
    return f"about {phrase}" if phrase else ""


def about_phrase(*, text: str) -> str:
    """What an answer to fix was about, as a phrase ("sharding the orders table"), or "".

    A question in question form has no such phrase; "about" the user typed is dropped.
    """
    words = " ".join(note_words(text=text).split())
    for lead in ("about ", "regarding ", "re ", "on "):
        if words.lower().startswith(lead):
            words = words[len(lead) :]
            break
    if words.rstrip().endswith("?"):
        return ""
    return _phrase(words, writer=True)


def answer_as_written(*, text: str) -> str:
    """What the user would say now, ready to stand as their own sentences in a message.

    Kept as typed except for spacing, a capital at the start and a full stop at the end.
    """
    paragraphs: list[str] = []
    for line in text.strip().splitlines():
        line = " ".join(line.split())
        if line or (paragraphs and paragraphs[-1]):
            paragraphs.append(line)
    answer = "\n".join(paragraphs).strip()
    if not answer:
        return ""
    answer = answer[:1].upper() + answer[1:]
    return answer if answer[-1] in f".!?…)\"”'{RIGHT_SINGLE}" else answer + "."
