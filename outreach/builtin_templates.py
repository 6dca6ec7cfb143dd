"""The templates every user starts with, one or more per occasion, written in our own words.

They live in code, not in the database: a user who wants a different wording copies one into
their own MessageTemplate and edits that. Keys are stable ("builtin:<slug>") because drafts
remember which template filled them.

Each field from the notes sits where a short phrase reads well ("our discussion of
{{ topic }}"); when a note does not read as one, the field leaves a marked blank such as
"[the topic you discussed]" and the composer offers the note beside the draft. A sentence
built on {{ article_link }} still reads when the blank is filled with any link.
"""

from __future__ import annotations

from dataclasses import dataclass

from outreach.models import Occasion


@dataclass(frozen=True)
class BuiltinTemplate:
    slug: str
    name: str
    occasion: str
    subject: str
    body: str

    @property
    def key(self) -> str:
        return f"builtin:{self.slug}"


BUILTIN_TEMPLATES: tuple[BuiltinTemplate, ...] = (
    BuiltinTemplate(
        slug="thank_you",
        name="Thank-you after the interview",
        occasion=Occasion.THANK_YOU,
        subject="Thank you for our conversation on {{ interview_date }}",
        body=(
            "{{ greeting }},\n\n"
            "Thank you for taking the time to talk with me about the {{ role }} role. "
            "I especially enjoyed our discussion of {{ topic }}; it has stayed on my mind "
            "since, and it gave me a clear picture of the problems your team is working on.\n\n"
            "I was glad that my experience with {{ skill }} came up. It is the part of my work "
            "I care about most, and I would enjoy bringing it to {{ company }}.\n\n"
            "I remain very interested in the role, and I am happy to answer anything else that "
            "would help with your decision.\n\n"
            "Best regards,\n"
            "{{ your_signature }}"
        ),
    ),
    BuiltinTemplate(
        slug="topic_follow_up",
        name="Follow-up sharing an article",
        occasion=Occasion.TOPIC_FOLLOW_UP,
        subject="Following up on {{ topic }}",
        body=(
            "{{ greeting }},\n\n"
            "When we spoke on {{ interview_date }}, we talked about {{ topic }}, and I have kept "
            "thinking about it since. I thought you might like this piece on it: "
            "{{ article_link }}\n\n"
            "Thank you again for the conversation. It made me even more interested in the "
            "{{ role }} role at {{ company }}, and I would be glad to continue it whenever it "
            "suits you.\n\n"
            "Best regards,\n"
            "{{ your_signature }}"
        ),
    ),
    BuiltinTemplate(
        slug="answer_repair",
        name="Putting an answer right",
        occasion=Occasion.ANSWER_REPAIR,
        subject="One more thought after our interview",
        body=(
            "{{ greeting }},\n\n"
            "Thank you again for the interview on {{ interview_date }}. One of my answers has "
            "stayed with me. I was nervous when you asked me {{ fix_question }} and did not "
            "answer as clearly as I wanted.\n\n"
            "What I meant to say is this: {{ better_answer }}\n\n"
            "Thank you for weighing this together with the rest of the interview. I am still "
            "very interested in the {{ role }} role at {{ company }}.\n\n"
            "Best regards,\n"
            "{{ your_signature }}"
        ),
    ),
    BuiltinTemplate(
        slug="check_in",
        name="Monthly check-in",
        occasion=Occasion.CHECK_IN,
        subject="Checking in about the {{ role }} role",
        body=(
            "{{ greeting }},\n\n"
            "I hope things are going well at {{ company }}. Our conversation about {{ topic }} "
            "has stayed with me, and I thought you might like this piece: {{ article_link }}\n\n"
            "I wanted to let you know that I am still very interested in the {{ role }} role. "
            "I am available to talk whenever it suits you, and I am happy to share anything "
            "else that would help.\n\n"
            "Thank you for your time,\n"
            "{{ your_signature }}"
        ),
    ),
    BuiltinTemplate(
        slug="call_recap",
        name="Recap after a phone call",
        occasion=Occasion.CALL_RECAP,
        subject="Thank you for the call",
        body=(
            "{{ greeting }},\n\n"
            "Thank you for taking my call today. It was good to talk again about {{ topic }}.\n\n"
            "To sum up what we agreed: [your short summary of the call]\n\n"
            "I remain very interested in the {{ role }} role at {{ company }} and look forward "
            "to hearing about the next steps.\n\n"
            "Best regards,\n"
            "{{ your_signature }}"
        ),
    ),
    BuiltinTemplate(
        slug="card",
        name="Handwritten card",
        occasion=Occasion.CARD,
        subject="",
        body=(
            "{{ greeting }},\n\n"
            "Thank you for our conversation on {{ interview_date }}. I enjoyed talking about "
            "{{ topic }}, and I am excited about the chance to join {{ company }} as "
            "{{ role }}.\n\n"
            "With thanks,\n"
            "{{ your_name }}"
        ),
    ),
)

BUILTIN_BY_KEY: dict[str, BuiltinTemplate] = {t.key: t for t in BUILTIN_TEMPLATES}


def builtin_for_occasion(occasion: str) -> BuiltinTemplate:
    return next(t for t in BUILTIN_TEMPLATES if t.occasion == occasion)
