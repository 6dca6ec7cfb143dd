from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from accounts.models import validate_timezone
from followup_site.row_urls import url_for_id
from interviews import names


class Company(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="companies"
    )
    name = models.CharField(max_length=200)
    website = models.URLField(blank=True, max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "companies"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("user", Lower("name"), name="company_name_unique_per_user"),
        ]

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    class Stage(models.TextChoices):
        APPLIED = "applied", "Applied"
        SCREENING = "screening", "Screening"
        INTERVIEWING = "interviewing", "Interviewing"
        OFFER = "offer", "Offer"
        CLOSED = "closed", "Closed"

    class ClosedReason(models.TextChoices):
        OFFER = "offer", "Took an offer"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrew"
        NO_RESPONSE = "no_response", "No response"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    # RESTRICT, not PROTECT: a company is never deleted from under its applications, but when
    # its user is deleted the applications go in the same cascade, so the user can be deleted.
    company = models.ForeignKey(Company, on_delete=models.RESTRICT, related_name="applications")
    role = models.CharField(max_length=200)
    posting_url = models.URLField("job posting", blank=True, max_length=1000)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.APPLIED)
    applied_on = models.DateField("date applied", null=True, blank=True)
    notes = models.TextField(blank=True, max_length=5000)
    closed_reason = models.CharField(max_length=20, choices=ClosedReason.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stage="closed", closed_reason__gt="")
                | (~models.Q(stage="closed") & models.Q(closed_reason="")),
                name="application_closed_reason_iff_closed",
            ),
        ]
        indexes = [models.Index(fields=["user", "stage"])]

    def __str__(self) -> str:
        return f"{self.role} at {self.company}"

    def get_absolute_url(self) -> str:
        return url_for_id("application_detail", self.pk)

    @property
    def is_open(self) -> bool:
        return self.stage != self.Stage.CLOSED


class Contact(models.Model):
    class SalutationStyle(models.TextChoices):
        FIRST_NAME = "first_name", "By first name: “Hi Anja,”"
        FORMAL = "formal", "Formally: “Dear Dr. Becker,”"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts"
    )
    company = models.ForeignKey(
        Company, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    name = models.CharField(max_length=200)
    # The parts of the name, worked out from it and corrected by the user. They are "given"
    # and "family" names in the database because not every name puts the given name first.
    honorific = models.CharField(max_length=200, blank=True, help_text="E.g. Dr., Prof., Ms.")
    given_name = models.CharField("first name", max_length=200, blank=True)
    family_name = models.CharField("last name", max_length=200, blank=True)
    greeting_name = models.CharField("name to greet them by", max_length=200, blank=True)
    salutation_style = models.CharField(
        "how to greet them",
        max_length=20,
        choices=SalutationStyle.choices,
        default=SalutationStyle.FIRST_NAME,
    )
    job_title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    profile_url = models.URLField("profile link", blank=True, max_length=500)
    interests = models.TextField(
        blank=True, max_length=2000, help_text="Hobbies or events they mentioned."
    )
    notes = models.TextField(blank=True, max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return url_for_id("interviews:contact_detail", self.pk)

    @property
    def name_parts(self) -> names.NameParts:
        return names.parts_or_parsed(
            parts=names.NameParts(
                honorific=self.honorific,
                given_name=self.given_name,
                family_name=self.family_name,
                greeting_name=self.greeting_name,
            ),
            name=self.name,
        )

    @property
    def first_name(self) -> str:
        """The name to greet them by: "Anja" for Dr. Anja Becker, or the one the user chose.

        Named as the ``{{ first_name }}`` merge field is, since that is what both mean.
        """
        return names.greeting_name(parts=self.name_parts)

    @property
    def last_name(self) -> str:
        return self.name_parts.family_name

    @property
    def is_greeted_formally(self) -> bool:
        return self.salutation_style == self.SalutationStyle.FORMAL

    @property
    def salutation(self) -> str:
        """The written greeting without its comma: "Hi Anja" or "Dear Dr. Becker"."""
        return names.salutation(
            parts=self.name_parts, formal=self.is_greeted_formally, name=self.name
        )

    @property
    def spoken_salutation(self) -> str:
        """The greeting for a phone call: "Hi Anja" or "Hello Dr. Becker"."""
        return names.salutation(
            parts=self.name_parts, formal=self.is_greeted_formally, name=self.name, spoken=True
        )


# The years an interview can be logged in: outside them a date is a typo (1900, 9999), and
# the reminder arithmetic (24 hours later, 30 days later) would overflow near the edges.
INTERVIEW_YEARS = (2000, 2100)


class Interview(models.Model):
    class Format(models.TextChoices):
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video"
        ONSITE = "onsite", "On-site"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.VIDEO)
    location = models.CharField("place or link", max_length=500, blank=True)
    interviewers = models.ManyToManyField(Contact, related_name="interviews", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [
            # An application's interviews by start: its next one and its latest that has
            # started (what the board's cards and the "next" order read for each application)
            # from the index alone, with no visit to the rows.
            models.Index(fields=["application", "starts_at"], name="interview_app_starts_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="interview_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_format_display()} interview for {self.application}"

    def get_absolute_url(self) -> str:
        return url_for_id("interviews:interview_detail", self.pk)


class Note(models.Model):
    class Kind(models.TextChoices):
        TOPIC = "topic", "Topic discussed"
        INTEREST = "interest", "Interest they mentioned"
        SKILL = "skill", "Skill they noticed"
        ANSWER_TO_FIX = "answer_to_fix", "Answer to fix"
        QUESTION = "question", "Question they asked"
        FOLLOW_UP = "follow_up", "Follow-up preference"
        OTHER = "other", "Other"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="notes")
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interview_notes",
        help_text="Whom the note is about; for a follow-up preference, whom to follow up with.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TOPIC)
    # For an answer to fix, the text is the user's own note on what went wrong: it is for them
    # only and never goes into a message; ``question`` and ``better_answer`` do.
    text = models.TextField(max_length=5000)
    link = models.URLField(blank=True, max_length=1000)
    follow_up_not_before = models.DateField(
        null=True, blank=True, help_text="For a follow-up preference: not before this date."
    )
    question = models.CharField(
        "their question",
        max_length=500,
        blank=True,
        help_text="For an answer to fix: the question they asked, as they asked it.",
    )
    better_answer = models.TextField(
        "what you would say now",
        max_length=5000,
        blank=True,
        help_text="For an answer to fix: the answer you would give now, in your own words.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"

    @property
    def is_answer_to_fix(self) -> bool:
        return self.kind == self.Kind.ANSWER_TO_FIX


class Invitation(models.Model):
    """A calendar invitation the user imported or forwarded, known by its event UID.

    The row outlives a cancelled interview (which is deleted, with its reminders): it
    remembers the UID and the last SEQUENCE seen, so the original invitation uploaded again
    after its cancellation brings nothing back, and the same file twice makes one interview.
    A forwarded invitation that matched no application waits here (PENDING, with its
    calendar text) until the user picks one.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for you to confirm"
        IMPORTED = "imported", "Imported"
        CANCELLED = "cancelled", "Cancelled by the organiser"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    uid = models.CharField("event UID", max_length=500)
    sequence = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    interview = models.OneToOneField(
        Interview,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
    )
    summary = models.CharField(max_length=500, blank=True)
    starts_at = models.DateTimeField()
    # The event alone (with the zones it uses), kept only while it waits for the user.
    calendar = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "uid"], name="invitation_uid_unique_per_user"),
        ]

    def __str__(self) -> str:
        return self.summary or self.uid


class SpreadsheetImport(models.Model):
    """A spreadsheet of applications being imported, kept between the steps of the import.

    The parsed cells live here (never a file path taken from the upload), owned by one user
    and deleted after ``expires_at``. ``done`` counts the rows imported so far, which the
    progress bar reads; each committed batch of rows moves it in the same transaction.
    """

    class State(models.TextChoices):
        MAPPING = "mapping", "Choosing columns"
        PREVIEW = "preview", "Checking rows"
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"

    class DateOrder(models.TextChoices):
        DAY_FIRST = "dmy", "Day first (31/12/2025)"
        MONTH_FIRST = "mdy", "Month first (12/31/2025)"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="spreadsheet_imports"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.MAPPING)
    file_name = models.CharField(max_length=200, blank=True)
    encoding = models.CharField(max_length=20)
    header = models.JSONField(default=list)
    # [[row number in the file, [cell, ...]], ...]: blank lines are left out, so the number
    # an error names is the one the user sees in their spreadsheet program.
    rows = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    date_order = models.CharField(
        max_length=3, choices=DateOrder.choices, default=DateOrder.DAY_FIRST
    )
    errors = models.JSONField(default=list)
    valid_count = models.PositiveIntegerField(default=0)
    only_valid = models.BooleanField(default=False)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # What this import created, so that a failure part-way can take all of it back.
    created = models.JSONField(default=dict)
    summary = models.JSONField(default=dict)
    failure = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return f"Import of {self.file_name or 'a spreadsheet'} ({self.get_state_display()})"

    @property
    def is_running(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def error_count(self) -> int:
        return len({error["row"] for error in self.errors})
