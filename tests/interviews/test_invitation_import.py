"""Importing an invitation through the pages: upload, confirm, and later versions of it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import Application, Company, Contact, Interview, Invitation, Note
from reminders.models import Reminder
from tests.factories import ApplicationFactory, ContactFactory, UserFactory
from tests.interviews.invitation_files import (
    ROBIN,
    calendar,
    event_lines,
    google_invite,
    outlook_invite,
)
from tests.reminders.story import Story
from tests.reminders.support import BERLIN, NEW_YORK, local, open_of

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
IMPORT = reverse("interviews:invitation_import")
CONFIRM = reverse("interviews:invitation_confirm")
ZONES = pytest.mark.parametrize("zone", [BERLIN, NEW_YORK], ids=["berlin", "new-york"])


@pytest.fixture
def robin(db):
    return UserFactory(email=ROBIN, full_name="Robin Fischer", timezone="Europe/Berlin")


@pytest.fixture
def acme(robin):
    return ApplicationFactory(
        user=robin, company__name="Acme Robotics", role="Backend engineer", stage="applied"
    )


def upload(client, data: bytes, name: str = "invite.ics"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data, "text/calendar")})


def confirm(client, page, **fields):
    """Post the confirmation form as the page showed it, with ``fields`` changed."""
    form = page.context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(fields)
    return client.post(CONFIRM, {k: v for k, v in data.items() if v is not None})


def nothing_saved() -> bool:
    return not (Interview.objects.exists() or Invitation.objects.exists() or Note.objects.exists())


@time_machine.travel(NOW, tick=False)
def test_an_upload_shows_what_was_read_and_saves_nothing_until_confirmed(robin, acme, client_for):
    client = client_for(robin)
    contacts_before = Contact.objects.count()

    page = upload(client, google_invite())

    assert page.status_code == 200
    html = page.content.decode()
    assert "Interview with Acme Robotics" in html
    assert "Tuesday 10 March 2026, 10:00\u201311:00 EDT" in html
    assert "Ana Ortiz" in html and "Tom Weber" in html
    assert "Room 3.01" not in html
    assert page.context["form"].initial["application"] == acme.pk
    assert nothing_saved() and Contact.objects.count() == contacts_before


@time_machine.travel(NOW, tick=False)
def test_confirming_logs_the_interview_with_the_organiser_and_attendees(robin, acme, client_for):
    client = client_for(robin)
    response = confirm(client, upload(client, google_invite()))

    interview = Interview.objects.get()
    assert response.url == interview.get_absolute_url()
    assert interview.application == acme
    assert (interview.starts_at, interview.ends_at) == (
        datetime(2026, 3, 10, 14, tzinfo=UTC),
        datetime(2026, 3, 10, 15, tzinfo=UTC),
    )
    assert interview.timezone == "America/New_York"
    assert (interview.format, interview.location) == (
        "video",
        "https://meet.google.com/abc-defg-hij",
    )
    people = interview.interviewers.order_by("name")
    assert [(c.name, c.email, c.company_id) for c in people] == [
        ("Ana Ortiz", "ana.ortiz@acme-robotics.com", acme.company_id),
        ("Tom Weber", "tom.weber@acme-robotics.com", acme.company_id),
    ]
    assert [(c.given_name, c.family_name) for c in people] == [("Ana", "Ortiz"), ("Tom", "Weber")]
    note = interview.notes.get()
    assert note.text.startswith("From the invitation “Interview with Acme Robotics”:")
    invitation = Invitation.objects.get()
    assert (invitation.uid, invitation.sequence, invitation.state, invitation.interview) == (
        "7kukuqrfedlm2f9t8vr42q2vil@google.com",
        0,
        "imported",
        interview,
    )
    # Still ahead: the stage moves when it starts, as for an interview logged by hand.
    acme.refresh_from_db()
    assert acme.stage == "applied"


@time_machine.travel(NOW, tick=False)
def test_people_already_in_the_contacts_are_reused_by_address(robin, acme, client_for):
    ana = ContactFactory(
        user=robin, company=acme.company, name="Ana Ortiz", email="Ana.Ortiz@Acme-Robotics.com"
    )
    client = client_for(robin)
    confirm(client, upload(client, google_invite()))
    assert set(Interview.objects.get().interviewers.all()) == {
        ana,
        Contact.objects.get(email="tom.weber@acme-robotics.com"),
    }
    assert Contact.objects.filter(user=robin).count() == 2


@time_machine.travel(NOW, tick=False)
def test_no_matching_company_offers_a_new_application_named_from_the_domain(robin, client_for):
    ApplicationFactory(user=robin, company__name="Initech")
    client = client_for(robin)
    page = upload(client, outlook_invite())
    form = page.context["form"]
    assert form.initial["application"] is None
    assert form.initial["company_name"] == "Globex"

    response = confirm(client, page, role="Platform engineer")

    interview = Interview.objects.get()
    assert response.url == interview.get_absolute_url()
    assert str(interview.application) == "Platform engineer at Globex"
    assert (interview.format, interview.location) == (
        "onsite",
        "Globex HQ, Friedrichstraße 1, Berlin",
    )
    assert sorted(c.name for c in interview.interviewers.all()) == [
        "Dr. Anja Becker",
        "Lars Jensen",
    ]
    anja = Contact.objects.get(email="anja.becker@globex.de")
    assert (anja.honorific, anja.given_name, anja.family_name) == ("Dr.", "Anja", "Becker")


@time_machine.travel(NOW, tick=False)
def test_a_new_application_needs_its_company_and_role(robin, client_for):
    client = client_for(robin)
    response = confirm(client, upload(client, outlook_invite()), company_name="", role="")
    assert response.status_code == 400
    assert "For a new application, give the role." in response.content.decode()
    assert nothing_saved() and not Application.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_company_named_in_the_summary_matches_when_addresses_are_personal(robin, client_for):
    initech = ApplicationFactory(user=robin, company__name="Initech")
    data = google_invite(
        summary="Call with Initech \u2013 second round",
        organizer="ORGANIZER;CN=Bill Lumbergh:mailto:bill.lumbergh@gmail.com",
        attendees=(f"ATTENDEE:mailto:{ROBIN}",),
    )
    client = client_for(robin)
    page = upload(client, data)
    assert page.context["form"].initial["application"] == initech.pk
    assert page.context["form"].initial["company_name"] == "Initech"


@time_machine.travel(NOW, tick=False)
def test_the_same_file_twice_is_one_interview(robin, acme, client_for):
    client = client_for(robin)
    page = upload(client, google_invite())
    confirm(client, page)
    # The second upload goes straight to the interview; posting the old page again too.
    again = upload(client, google_invite())
    replay = confirm(client, page)
    interview = Interview.objects.get()
    assert again.url == replay.url == interview.get_absolute_url()
    assert Contact.objects.filter(user=robin).count() == 2
    followed = client.get(again.url)
    assert "You imported this invitation already" in followed.content.decode()


@time_machine.travel(NOW, tick=False)
def test_another_users_application_cannot_be_picked(robin, acme, client_for):
    theirs = ApplicationFactory(user=UserFactory())
    client = client_for(robin)
    response = confirm(client, upload(client, google_invite()), application=theirs.pk)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert nothing_saved()


@time_machine.travel(NOW, tick=False)
def test_a_tampered_or_foreign_confirmation_is_refused(robin, acme, client_for):
    client = client_for(robin)
    page = upload(client, google_invite())
    tampered = confirm(client, page, invitation=page.context["form"].initial["invitation"] + "x")
    assert tampered.status_code == 400
    assert "could not be read. Upload the invitation again." in tampered.content.decode()
    foreign = confirm(client_for(UserFactory()), page)
    assert foreign.status_code == 400
    assert "This confirmation is not yours" in foreign.content.decode()
    assert nothing_saved()


# --- Bad files: 400 with the reason on the form, nothing saved --------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "holds binary data"),
        (google_invite(summary="Café").replace("é".encode(), b"\xe9"), "not in UTF-8"),
        (google_invite().replace(b"TRANSP:OPAQUE", b"TRANSP OPAQUE"), "has a broken line"),
        (
            calendar([line for line in event_lines() if not line.startswith("DTSTART")]),
            "has no start time",
        ),
        (google_invite(start="DTSTART;VALUE=DATE:20260310", end=None), "all-day event"),
        (google_invite(method="CANCEL", sequence=1), "nothing to cancel"),
        (b"", "The submitted file is empty."),
    ],
    ids=["binary", "latin-1", "broken-line", "no-dtstart", "all-day", "unknown-cancel", "empty"],
)
def test_a_bad_file_answers_400_with_its_reason(robin, acme, client_for, data, message):
    response = upload(client_for(robin), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert nothing_saved()


def test_the_size_and_event_limits_are_settings(robin, acme, client_for, settings):
    settings.INVITATION_MAX_BYTES = 2048
    settings.INVITATION_MAX_EVENTS = 5
    client = client_for(robin)
    big = upload(client, google_invite(description="x" * 4000))
    assert big.status_code == 400
    assert "an invitation is at most 2 KB" in big.content.decode()

    settings.INVITATION_MAX_BYTES = 1024 * 1024
    # Bare events, so that 10,000 of them stay under the size limit.
    events = [
        ["BEGIN:VEVENT", f"UID:e{n}@x", "DTSTART:20260310T140000Z", "END:VEVENT"]
        for n in range(10_000)
    ]
    many = upload(client, calendar(*events))
    assert many.status_code == 400
    assert "holds 10,000 events; an invitation file may hold at most 5" in many.content.decode()
    assert nothing_saved()


def test_a_missing_file_is_a_form_error(robin, client_for):
    response = client_for(robin).post(IMPORT, {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_the_confirmation_is_post_only_and_needs_a_login(robin, client):
    assert client.post(CONFIRM, {}).status_code == 302
    assert client.get(IMPORT).status_code == 302


# --- Query counts -------------------------------------------------------------------------------


def _waiting(user, n: int) -> None:
    Invitation.objects.bulk_create(
        Invitation(
            user=user,
            uid=f"w{n}-{i}@x",
            state=Invitation.State.PENDING,
            summary=f"Interview {i}",
            starts_at=NOW,
            calendar="",
        )
        for i in range(n)
    )


def test_the_import_page_makes_as_many_queries_for_50_waiting_as_for_1(
    robin, client_for, django_assert_num_queries
):
    client = client_for(robin)
    _waiting(robin, 1)
    client.get(IMPORT)
    with CaptureQueriesContext(connection) as one:
        assert client.get(IMPORT).status_code == 200
    _waiting(robin, 49)
    with django_assert_num_queries(len(one)):
        response = client.get(IMPORT)
    assert response.content.decode().count(">Review</a>") == 50


@time_machine.travel(NOW, tick=False)
def test_the_confirmation_page_makes_as_many_queries_for_50_applications_as_for_1(
    robin, acme, client_for, django_assert_num_queries
):
    client = client_for(robin)
    data = google_invite()
    upload(client, data)
    with CaptureQueriesContext(connection) as one:
        assert upload(client, data).status_code == 200
    for n in range(49):
        ApplicationFactory(user=robin, company__name=f"Company {n}", role=f"Role {n}")
    with django_assert_num_queries(len(one)):
        page = upload(client, data)
    assert len(page.context["form"].fields["application"].choices) == 51


# --- Later versions: moved, cancelled, older -----------------------------------------------------


def _story_import(client, data: bytes) -> Interview:
    page = upload(client, data)
    assert page.status_code == 200
    assert confirm(client, page).status_code == 302
    return Interview.objects.get()


NY_TUESDAY = {
    "start": "DTSTART;TZID=America/New_York:20260310T100000",
    "end": "DTEND;TZID=America/New_York:20260310T110000",
}
# Moved to Thursday afternoon, and across Europe's clock change for good measure.
NY_THURSDAY = {
    "start": "DTSTART;TZID=America/New_York:20260312T150000",
    "end": "DTEND;TZID=America/New_York:20260312T160000",
}


@ZONES
def test_a_moved_interview_is_thanked_after_its_new_time_and_an_older_copy_changes_nothing(
    zone, client_for
):
    robin = UserFactory(email=ROBIN, timezone=zone.key, country="US" if zone == NEW_YORK else "DE")
    acme = ApplicationFactory(user=robin, company__name="Acme Robotics", stage="applied")
    client = client_for(robin)
    story = Story(start=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    try:
        interview = _story_import(client, google_invite(**NY_TUESDAY))

        # Thursday 5 March: the organiser moves it two days later (SEQUENCE 1).
        story.until(datetime(2026, 3, 5, 12, 0, tzinfo=UTC))
        moved = upload(client, google_invite(sequence=1, **NY_THURSDAY))
        assert moved.url == interview.get_absolute_url()
        interview.refresh_from_db()
        assert interview.starts_at == datetime(2026, 3, 12, 19, tzinfo=UTC)
        # Right after the move: nothing planned for the old time, nothing due yet.
        assert open_of(acme) == []

        # An older copy of the invitation (SEQUENCE 0) arrives late: ignored.
        older = upload(client, google_invite(**NY_TUESDAY))
        assert older.status_code == 302
        interview.refresh_from_db()
        assert interview.starts_at == datetime(2026, 3, 12, 19, tzinfo=UTC)
        assert Invitation.objects.get().sequence == 1

        # The old Tuesday passes in silence; the thanks come after Thursday's end.
        story.until(datetime(2026, 3, 11, 12, 0, tzinfo=UTC))
        assert story.sent == []
        story.until(datetime(2026, 3, 14, 12, 0, tzinfo=UTC))
    finally:
        story.close()
    first = story.sent[0]
    assert first.subject.startswith("Thank Ana Ortiz and Tom Weber for the interview")
    # It ended 16:00 in New York (20:00 UTC), an hour later the user hears of it, outside
    # their quiet hours (21:00 to 08:00): 17:00 in New York, next morning 08:00 in Berlin.
    expected = {"America/New_York": "Thu 12 Mar 17:00", "Europe/Berlin": "Fri 13 Mar 08:00"}
    assert first.local(zone) == expected[zone.key]
    # One thank-you per interviewer, due 24 hours after the new end.
    thanks = Reminder.objects.filter(application=acme, kind=Reminder.Kind.THANK_YOU)
    assert sorted((r.contact.name, r.due_at) for r in thanks) == [
        ("Ana Ortiz", datetime(2026, 3, 13, 20, tzinfo=UTC)),
        ("Tom Weber", datetime(2026, 3, 13, 20, tzinfo=UTC)),
    ]


@ZONES
def test_a_cancelled_interview_is_deleted_with_its_reminders_and_stays_cancelled(zone, client_for):
    robin = UserFactory(email=ROBIN, timezone=zone.key)
    acme = ApplicationFactory(user=robin, company__name="Acme Robotics", stage="applied")
    client = client_for(robin)
    story = Story(start=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    try:
        interview = _story_import(client, google_invite(**NY_TUESDAY))
        story.until(datetime(2026, 3, 6, 12, 0, tzinfo=UTC))
        cancelled = upload(client, google_invite(method="CANCEL", sequence=1, **NY_TUESDAY))
        assert cancelled.url == IMPORT
        assert "The interview was cancelled" in client.get(cancelled.url).content.decode()
        assert not Interview.objects.filter(pk=interview.pk).exists()
        assert Invitation.objects.get().state == "cancelled"

        # The original invitation uploaded again brings nothing back.
        again = upload(client, google_invite(**NY_TUESDAY))
        assert again.url == IMPORT
        assert not Interview.objects.exists()
        story.until(datetime(2026, 3, 20, 12, 0, tzinfo=UTC))
    finally:
        story.close()
    assert story.sent == []
    assert open_of(acme, Reminder.Kind.THANK_YOU) == []


@time_machine.travel(local(BERLIN, 2026, 3, 20, 12, 0), tick=False)
def test_cancelling_an_interview_that_happened_cancels_its_thank_you(robin, acme, client_for):
    """Imported late (it was yesterday): the thank-you is planned; the cancellation ends it."""
    client = client_for(robin)
    interview = _story_import(
        client,
        google_invite(
            start="DTSTART;TZID=America/New_York:20260319T100000",
            end="DTEND;TZID=America/New_York:20260319T110000",
        ),
    )
    assert len(open_of(acme, Reminder.Kind.THANK_YOU)) == 2
    upload(
        client,
        google_invite(
            status="CANCELLED",
            sequence=3,
            start="DTSTART;TZID=America/New_York:20260319T100000",
            end="DTEND;TZID=America/New_York:20260319T110000",
        ),
    )
    assert not Interview.objects.filter(pk=interview.pk).exists()
    assert open_of(acme, Reminder.Kind.THANK_YOU) == []


@time_machine.travel(NOW, tick=False)
def test_a_deleted_interview_is_not_brought_back_by_a_change(robin, acme, client_for):
    client = client_for(robin)
    interview = _story_import(client, google_invite(**NY_TUESDAY))
    client.post(reverse("interviews:interview_delete", args=[interview.pk]))
    response = upload(client, google_invite(sequence=1, **NY_THURSDAY))
    assert (
        "You deleted the interview of this invitation" in client.get(response.url).content.decode()
    )
    assert not Interview.objects.exists()


def test_a_companys_rows_are_the_users_own(robin, acme):
    # The matching reads only the user's companies: another user's Acme is not offered.
    other = UserFactory()
    ApplicationFactory(user=other, company__name="Acme Robotics")
    assert Company.objects.filter(name="Acme Robotics").count() == 2
    from interviews.invitations import invitation_parse
    from interviews.selectors import invitation_match

    event = invitation_parse(
        data=google_invite(), user_zone="UTC", max_bytes=10**6, max_events=5, now=NOW
    )
    assert invitation_match(user=robin, event=event).applications == [acme]


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_invitation_at_once_make_one_interview():
    """Two tabs confirm the same invitation at the same moment: the UID is claimed once."""
    import threading

    from django.db import connections

    from interviews.invitation_services import invitation_import
    from interviews.invitations import invitation_parse

    robin = UserFactory(email=ROBIN)
    acme = ApplicationFactory(user=robin, company__name="Acme Robotics")
    event = invitation_parse(
        data=google_invite(), user_zone="UTC", max_bytes=10**6, max_events=5, now=NOW
    )
    start = threading.Barrier(2)
    outcomes, errors = [], []

    def confirm_in_a_thread() -> None:
        try:
            start.wait()
            outcomes.append(invitation_import(user=robin, event=event, application=acme).outcome)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm_in_a_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(outcomes) == ["already", "imported"]
    assert Interview.objects.count() == 1
    assert Contact.objects.filter(user=robin).count() == 2
