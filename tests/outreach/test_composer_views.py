from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interviews.models import Note
from outreach.models import Draft, MessageTemplate, Occasion, Outreach
from reminders.models import Reminder
from tests.factories import ApplicationFactory, NoteFactory, OutreachFactory, ReminderFactory

pytestmark = pytest.mark.django_db


def compose_url(scene) -> str:
    return reverse("reminders:compose_for_reminder", args=[scene.thank_you.pk])


def test_the_thank_you_task_opens_a_draft_filled_from_the_notes(scene, scene_client):
    response = scene_client.get(compose_url(scene))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["subject"].value().startswith("Thank you for our conversation on ")
    body = form["body"].value()
    assert body.startswith("Hi Ana,")
    assert "our discussion of event sourcing for the order service;" in body
    assert "Postgres tuning" in body and "Acme Robotics" in body
    assert response.context["occasion"] == Occasion.THANK_YOU
    # Nothing is stored by looking.
    assert not Draft.objects.exists()
    keys = {c.key: c.level for c in response.context["facts"].checks}
    assert keys["topic"] == "ok" and keys["deadline"] == "info"


def test_a_follow_up_with_an_answer_to_fix_picks_the_repair_template(scene, scene_client):
    NoteFactory(
        interview=scene.interview,
        contact=scene.contact,
        kind=Note.Kind.ANSWER_TO_FIX,
        text="I rambled and never gave a concrete example",
        question="How would you shard the orders table?",
    )
    OutreachFactory(
        user=scene.user,
        application=scene.application,
        contact=scene.contact,
        occurred_at=timezone.now() - timedelta(days=10),
    )
    follow_up = ReminderFactory(
        user=scene.user,
        application=scene.application,
        contact=scene.contact,
        kind=Reminder.Kind.FOLLOW_UP,
    )
    response = scene_client.get(reverse("reminders:compose_for_reminder", args=[follow_up.pk]))
    assert response.context["occasion"] == Occasion.ANSWER_REPAIR
    body = response.context["form"]["body"].value()
    assert "when you asked me “How would you shard the orders table?” and did not" in body
    # What went wrong is the user's own note, never the reader's.
    assert "rambled" not in body


def test_a_follow_up_without_one_shares_the_topic(scene, scene_client):
    OutreachFactory(
        user=scene.user,
        application=scene.application,
        contact=scene.contact,
        occurred_at=timezone.now() - timedelta(days=10),
    )
    follow_up = ReminderFactory(
        user=scene.user, application=scene.application, contact=scene.contact
    )
    response = scene_client.get(reverse("reminders:compose_for_reminder", args=[follow_up.pk]))
    assert response.context["occasion"] == Occasion.TOPIC_FOLLOW_UP
    assert "https://example.org/event-sourcing" in response.context["form"]["body"].value()


def test_a_phone_call_task_opens_the_call_page(scene, scene_client):
    call = ReminderFactory(
        user=scene.user,
        application=scene.application,
        contact=scene.contact,
        kind=Reminder.Kind.PHONE_CALL,
    )
    response = scene_client.get(reverse("reminders:compose_for_reminder", args=[call.pk]))
    assert response.url == reverse("reminders:call_for_reminder", args=[call.pk])


def test_save_without_javascript_creates_the_draft_then_updates_it(scene, scene_client):
    response = scene_client.post(
        compose_url(scene),
        {"subject": "Thanks, Ana", "body": "Hello {{ first_name }}", "action": "save"},
    )
    draft = Draft.objects.get()
    assert response.url == reverse("outreach:draft_edit", args=[draft.pk])
    assert draft.body == "Hello Ana" and draft.reminder == scene.thank_you
    # Coming back to the task resumes the same draft instead of starting over.
    assert scene_client.get(compose_url(scene)).url == response.url
    scene_client.post(response.url, {"subject": "Thanks again", "body": "Edited", "action": "save"})
    draft.refresh_from_db()
    assert (draft.subject, draft.body) == ("Thanks again", "Edited")
    assert Draft.objects.count() == 1


def test_autosave_answers_json_with_the_new_checklist(scene, scene_client):
    response = scene_client.post(
        compose_url(scene),
        {"subject": "Hi", "body": "Thank you! I enjoyed the sailing talk."},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    data = response.json()
    draft = Draft.objects.get()
    assert data["saved"] is True
    assert data["url"] == reverse("outreach:draft_edit", args=[draft.pk])
    assert 'data-check="hobbies"' in data["checklist"] and "sailing" in data["checklist"]


def test_an_unknown_merge_field_is_a_form_error_naming_it(scene, scene_client):
    response = scene_client.post(
        compose_url(scene), {"subject": "Hi", "body": "Dear {{ user.password }}"}
    )
    assert response.status_code == 400
    assert "{{ user.password }}" in response.context["form"].errors["body"][0]
    assert not Draft.objects.exists()
    json_response = scene_client.post(
        compose_url(scene),
        {"subject": "Hi", "body": "{{ nickname }}"},
        HTTP_ACCEPT="application/json",
    )
    assert json_response.status_code == 400
    assert "nickname" in json_response.json()["errors"]["body"][0]["message"]


def test_user_text_is_escaped_on_the_page(scene, scene_client):
    scene_client.post(
        compose_url(scene),
        {"subject": "<b>bold</b>", "body": "<script>alert('x')</script> \"quoted\""},
    )
    draft = Draft.objects.get()
    html = scene_client.get(reverse("outreach:draft_edit", args=[draft.pk])).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_a_subject_typed_with_line_breaks_is_saved_on_one_line(scene, scene_client):
    typed = {"subject": "Thanks\r\nBcc: x@evil.example", "body": "Hi"}
    scene_client.post(compose_url(scene), typed)
    assert Draft.objects.get().subject == "Thanks Bcc: x@evil.example"


def test_choosing_another_template_refills_without_saving(scene, scene_client):
    scene_client.post(compose_url(scene), {"subject": "Mine", "body": "My own words"})
    draft = Draft.objects.get()
    url = reverse("outreach:draft_edit", args=[draft.pk])
    response = scene_client.get(url, {"template": "builtin:card"})
    assert response.context["refilled"].key == "builtin:card"
    # The card greets Ana the way her contact says: by first name.
    assert response.context["form"]["body"].value().startswith("Hi Ana,")
    draft.refresh_from_db()
    assert draft.body == "My own words"
    assert scene_client.get(url, {"template": "user:999999"}).status_code == 404


def test_another_users_draft_task_interview_and_contact_are_404(scene, client_for, other_user):
    scene_client = client_for(other_user)
    draft = Draft.objects.create(
        user=scene.user,
        application=scene.application,
        contact=scene.contact,
        occasion=Occasion.THANK_YOU,
        subject="s",
        body="b",
    )
    urls = [
        compose_url(scene),
        reverse("outreach:compose_for_interview", args=[scene.interview.pk])
        + f"?contact={scene.contact.pk}",
        reverse("outreach:compose_for_contact", args=[scene.contact.pk]),
        reverse("outreach:draft_edit", args=[draft.pk]),
        reverse("outreach:draft_eml", args=[draft.pk]),
        reverse("reminders:call_for_reminder", args=[scene.thank_you.pk]),
    ]
    for url in urls:
        assert scene_client.get(url).status_code == 404, url
    response = scene_client.post(
        reverse("outreach:draft_edit", args=[draft.pk]),
        {"subject": "x", "body": "y", "action": "send"},
    )
    assert response.status_code == 404
    assert scene_client.post(reverse("outreach:draft_delete", args=[draft.pk])).status_code == 404


def test_compose_from_an_interview_and_from_a_contact(scene, scene_client):
    response = scene_client.get(
        reverse("outreach:compose_for_interview", args=[scene.interview.pk]),
        {"contact": scene.contact.pk},
    )
    assert response.status_code == 200 and response.context["occasion"] == Occasion.THANK_YOU
    response = scene_client.get(reverse("outreach:compose_for_contact", args=[scene.contact.pk]))
    assert response.status_code == 200
    assert response.context["target"].application == scene.application


def test_templates_can_be_copied_edited_and_deleted(scene, scene_client):
    assert scene_client.get(reverse("outreach:template_list")).status_code == 200
    assert scene_client.get(reverse("outreach:template_copy")).status_code == 405
    response = scene_client.post(
        reverse("outreach:template_copy"), {"template_key": "builtin:thank_you"}
    )
    template = MessageTemplate.objects.get(user=scene.user)
    edit = reverse("outreach:template_edit", args=[template.pk])
    assert response.url == edit
    bad = scene_client.post(
        edit,
        {"name": "Mine", "occasion": "thank_you", "subject": "x", "body": "{{ first_name.x }}"},
    )
    assert bad.status_code == 400 and "first_name.x" in bad.content.decode()
    scene_client.post(
        edit,
        {
            "name": "Short thanks",
            "occasion": "thank_you",
            "subject": "Thanks\nagain",
            "body": "Thanks {{ first_name }}, I loved {{ topic }}.",
        },
    )
    template.refresh_from_db()
    assert template.subject == "Thanks again"
    # The user's own copy now fills new thank-you drafts.
    body = scene_client.get(compose_url(scene)).context["form"]["body"].value()
    assert body == "Thanks Ana, I loved event sourcing for the order service."
    scene_client.post(reverse("outreach:template_delete", args=[template.pk]))
    assert not MessageTemplate.objects.exists()


def test_the_call_page_shows_talking_points_and_logs_the_outcome(scene, scene_client):
    OutreachFactory(
        user=scene.user,
        application=scene.application,
        contact=scene.contact,
        subject="Thank you, Ana",
        body="About event sourcing",
        occurred_at=timezone.now() - timedelta(days=5),
    )
    call = ReminderFactory(
        user=scene.user,
        application=scene.application,
        contact=scene.contact,
        kind=Reminder.Kind.PHONE_CALL,
    )
    url = reverse("reminders:call_for_reminder", args=[call.pk])
    html = scene_client.get(url).content.decode()
    assert "Event sourcing for the order service" in html and "Postgres tuning" in html
    assert "Thank you, Ana" in html and 'href="tel:+49%2030%201234567"' in html
    assert "Sailing" not in html.split("Talking points")[1]
    assert scene_client.post(url, {"outcome": "bogus"}).status_code == 400
    response = scene_client.post(
        url, {"outcome": "voicemail", "notes": "Left a short message", "next_step": "Email Friday"}
    )
    assert response.url == scene.application.get_absolute_url()
    logged = Outreach.objects.get(channel=Outreach.Channel.CALL)
    assert logged.call_outcome == "voicemail" and "Next step: Email Friday" in logged.body
    call.refresh_from_db()
    assert call.state == Reminder.State.DONE


# --- Resuming the draft the composer autosaved ----------------------------------------------


def composer_js_client(user) -> Client:
    """A client that, like the browser, must send the CSRF token with each POST."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def autosave_as_composer_js(client: Client, page, *, typed: str):
    """POST the composer form where and as static/js/composer.js does once typing stops.

    The script posts FormData(form) with action=save to the form's data-autosave-url, with
    the X-CSRFToken and Accept: application/json headers.
    """
    text = page.content.decode()
    url = html.unescape(re.search(r'data-autosave-url="([^"]*)"', text).group(1))
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
    form = page.context["form"]
    data = {
        "csrfmiddlewaretoken": csrf,
        "subject": form["subject"].value() or "",
        "body": (form["body"].value() or "") + typed,
        "template_key": form["template_key"].value() or "",
        "action": "save",
    }
    return client.post(url, data, HTTP_ACCEPT="application/json", HTTP_X_CSRFTOKEN=csrf)


def write_and_come_back(client: Client, url: str, *, typed: str) -> Draft:
    """Open the composer at ``url``, type (autosave), then follow the same link again."""
    page = client.get(url)
    assert page.status_code == 200 and page.context["draft"] is None
    saved = autosave_as_composer_js(client, page, typed=typed)
    assert saved.status_code == 200, saved.content[:300]
    assert saved.json()["saved"] is True
    draft = Draft.objects.get(body__endswith=typed)
    again = client.get(url)
    assert again.status_code == 302
    assert again.url == reverse("outreach:draft_edit", args=[draft.pk])
    resumed = client.get(again.url)
    assert typed in resumed.context["form"]["body"].value()
    return draft


def thank_you_url(scene) -> str:
    return (
        reverse("outreach:compose_for_interview", args=[scene.interview.pk])
        + f"?contact={scene.contact.pk}"
    )


def test_write_the_email_resumes_the_draft_autosaved_for_the_task(scene):
    draft = write_and_come_back(composer_js_client(scene.user), compose_url(scene), typed="P.S.")
    assert draft.reminder == scene.thank_you


def test_write_thank_you_on_the_interview_resumes_its_autosaved_draft(scene):
    # The autosave used to post to the bare path, without ?contact=, and got a 404.
    draft = write_and_come_back(composer_js_client(scene.user), thank_you_url(scene), typed="P.S.")
    assert (draft.contact, draft.interview, draft.reminder) == (
        scene.contact,
        scene.interview,
        None,
    )


def test_write_an_email_to_a_contact_resumes_the_draft_for_the_application_chosen(scene):
    # A newer application at the same company is the one the page would guess without
    # ?application=, so a save that dropped the parameter would file the draft under it.
    ApplicationFactory(user=scene.user, company=scene.application.company, role="Data engineer")
    url = (
        reverse("outreach:compose_for_contact", args=[scene.contact.pk])
        + f"?application={scene.application.pk}"
    )
    draft = write_and_come_back(composer_js_client(scene.user), url, typed="P.S.")
    assert draft.application == scene.application


def test_a_recap_email_from_the_call_page_resumes_its_autosaved_draft(scene):
    # Without ?template= the call task's address shows the call page, autosave included.
    call = ReminderFactory(
        user=scene.user,
        application=scene.application,
        contact=scene.contact,
        kind=Reminder.Kind.PHONE_CALL,
    )
    url = reverse("reminders:compose_for_reminder", args=[call.pk]) + "?template=builtin:call_recap"
    draft = write_and_come_back(composer_js_client(scene.user), url, typed="Talk soon.")
    assert (draft.reminder, draft.occasion) == (call, Occasion.CALL_RECAP)


def test_save_draft_without_javascript_keeps_whom_the_interview_page_named(scene, scene_client):
    page = scene_client.get(thank_you_url(scene))
    assert page.context["save_url"] == thank_you_url(scene)
    response = scene_client.post(
        page.context["save_url"], {"subject": "Thanks", "body": "Hi Ana", "action": "save"}
    )
    draft = Draft.objects.get()
    assert response.url == reverse("outreach:draft_edit", args=[draft.pk])


def test_choosing_a_template_on_the_interview_page_keeps_the_person(scene, scene_client):
    text = scene_client.get(thank_you_url(scene)).content.decode()
    start = text.index('class="template-pick')
    pick = text[start : text.index("</form>", start)]
    assert f'<input type="hidden" name="contact" value="{scene.contact.pk}">' in pick
    refilled = scene_client.get(
        thank_you_url(scene), {"contact": scene.contact.pk, "template": "builtin:card"}
    )
    assert refilled.status_code == 200 and refilled.context["refilled"].key == "builtin:card"


def test_the_interview_page_resumes_the_draft_the_thank_you_task_started(scene, scene_client):
    scene_client.post(compose_url(scene), {"subject": "Thanks", "body": "From the task"})
    draft = Draft.objects.get()
    response = scene_client.get(thank_you_url(scene))
    assert response.url == reverse("outreach:draft_edit", args=[draft.pk])


def test_a_contact_resumes_only_the_draft_for_the_same_application(scene, scene_client):
    scene_client.post(compose_url(scene), {"subject": "Thanks", "body": "From the task"})
    draft = Draft.objects.get()
    other = ApplicationFactory(user=scene.user, company=scene.application.company)
    url = reverse("outreach:compose_for_contact", args=[scene.contact.pk])
    same = scene_client.get(url, {"application": scene.application.pk})
    assert same.url == reverse("outreach:draft_edit", args=[draft.pk])
    elsewhere = scene_client.get(url, {"application": other.pk})
    assert elsewhere.status_code == 200 and elsewhere.context["draft"] is None


def test_a_task_resumes_its_own_draft_only(scene, scene_client):
    # Sending the task's own draft is what marks the task done, so a draft started
    # elsewhere is listed on the task page but not taken over by "Write the email".
    scene_client.post(thank_you_url(scene), {"subject": "Thanks", "body": "From the interview"})
    page = scene_client.get(compose_url(scene))
    assert page.status_code == 200 and page.context["draft"] is None


@pytest.mark.parametrize("state", [Draft.SendState.IDLE, Draft.SendState.FAILED, "uncertain"])
def test_a_draft_not_sent_yet_is_resumed_and_a_sent_one_never(scene, scene_client, state):
    scene_client.post(compose_url(scene), {"subject": "Thanks", "body": "Hello"})
    draft = Draft.objects.get()
    Draft.objects.filter(pk=draft.pk).update(send_state=state)
    assert scene_client.get(compose_url(scene)).url == reverse(
        "outreach:draft_edit", args=[draft.pk]
    )
    Draft.objects.filter(pk=draft.pk).update(send_state=Draft.SendState.SENT)
    for url in (compose_url(scene), thank_you_url(scene)):
        page = scene_client.get(url)
        assert page.status_code == 200 and page.context["draft"] is None


def test_another_template_named_on_the_tasks_address_refills_the_resumed_draft(scene, scene_client):
    scene_client.post(compose_url(scene), {"subject": "Thanks", "body": "Mine"})
    draft = Draft.objects.get()
    response = scene_client.get(compose_url(scene), {"template": "builtin:card"})
    assert (
        response.url == reverse("outreach:draft_edit", args=[draft.pk]) + "?template=builtin%3Acard"
    )


def test_the_composer_shows_the_notes_beside_the_draft_as_snippets(scene, scene_client):
    NoteFactory(
        interview=scene.interview,
        contact=scene.contact,
        kind=Note.Kind.TOPIC,
        text="Their migration to Kafka https://example.org/kafka",
        link="https://example.org/kafka",
    )
    NoteFactory(
        interview=scene.interview,
        contact=scene.contact,
        kind=Note.Kind.ANSWER_TO_FIX,
        text="I rambled and never gave an example",
        question="How would you shard the orders table?",
    )
    response = scene_client.get(compose_url(scene))
    snippets = response.context["facts"].snippets
    assert [(s.label, s.text, s.link) for s in snippets] == [
        (
            "Topic you discussed",
            "Event sourcing for the order service",
            "https://example.org/event-sourcing",
        ),
        ("Skill they noticed", "Postgres tuning", ""),
        ("Topic you discussed", "Their migration to Kafka", "https://example.org/kafka"),
        ("Their question (answer to fix)", "How would you shard the orders table?", ""),
    ]
    page = response.content.decode()
    section = page[page.index('id="snippets"') : page.index('id="checklist"')]
    # Plain text to copy without JavaScript, each with its own link and a hidden Insert button.
    assert "Their migration to Kafka</span>" in section
    assert (
        'data-snippet="Their migration to Kafka" data-fills="[the topic you discussed]"' in section
    )
    assert 'data-snippet="https://example.org/kafka" data-fills="[a link to the article]"' in (
        section
    )
    assert section.index("Their migration to Kafka") < section.index("https://example.org/kafka")
    # Hobbies and the note on what went wrong are not offered.
    assert "Sailing" not in section and "rambled" not in page


def test_a_sent_message_offers_no_snippets(scene, scene_client):
    draft = Draft.objects.create(
        user=scene.user,
        application=scene.application,
        contact=scene.contact,
        occasion=Occasion.THANK_YOU,
        subject="Thanks",
        body="Thank you.",
        send_state=Draft.SendState.SENT,
    )
    page = scene_client.get(reverse("outreach:draft_edit", args=[draft.pk])).content.decode()
    assert 'id="snippets"' not in page


@pytest.mark.parametrize(
    ("delivery", "says"),
    [
        (Outreach.Delivery.NOT_SENT_BY_APP, "Recorded as sent by you on"),
        (Outreach.Delivery.SENT, "Sent through Followup on"),
    ],
)
def test_a_sent_drafts_page_says_how_and_when_it_went_out(scene, scene_client, delivery, says):
    # A draft's page reads the timeline entry only for a sent draft (draft_query leaves it out).
    entry = OutreachFactory(
        user=scene.user,
        application=scene.application,
        contact=scene.contact,
        delivery=delivery,
        occurred_at=timezone.now() - timedelta(days=2),
    )
    draft = Draft.objects.create(
        user=scene.user,
        application=scene.application,
        contact=scene.contact,
        occasion=Occasion.THANK_YOU,
        subject="Thanks",
        body="Thank you.",
        send_state=Draft.SendState.SENT,
        outreach=entry,
    )
    page = scene_client.get(reverse("outreach:draft_edit", args=[draft.pk])).content.decode()
    local = timezone.localtime(entry.occurred_at, scene.user.zone)
    assert f"{says} {local:%A} {local.day} {local:%B}, {local:%H:%M}." in page


@pytest.mark.parametrize("first_name", ["{{your_email}}", "{{nickname}}"])
def test_a_name_that_looks_like_a_merge_field_is_merged_once(scene, scene_client, first_name):
    """The filled draft goes back through the merge when saved: the name must stay a name."""
    scene.contact.name = f"{first_name} Smith"
    scene.contact.save()
    filled = scene_client.get(compose_url(scene)).context["form"]
    subject, body = filled["subject"].value(), filled["body"].value()
    assert body.replace("\u2060", "").startswith(f"Hi {first_name},")
    response = scene_client.post(
        compose_url(scene), {"subject": subject, "body": body, "action": "save"}
    )
    assert response.status_code == 302
    draft = Draft.objects.get()
    # Saved again (autosave does this every few seconds): still the name, never the address.
    scene_client.post(response.url, {"subject": draft.subject, "body": draft.body})
    draft.refresh_from_db()
    assert scene.user.email not in draft.body
    assert draft.body.replace("\u2060", "").startswith(f"Hi {first_name},")
    assert draft.body == body


def test_the_composer_and_a_draft_read_notes_templates_and_history_once(
    scene, scene_client, django_assert_num_queries, session_queries
):
    # The person was written to and answered last: the composer offers a follow-up, whose
    # send guard also reads the last message out and the "not before" wishes.
    written = timezone.now() - timedelta(days=5)
    OutreachFactory(
        user=scene.user, application=scene.application, contact=scene.contact, occurred_at=written
    )
    OutreachFactory(
        user=scene.user,
        application=scene.application,
        contact=scene.contact,
        direction=Outreach.Direction.INCOMING,
        occurred_at=written + timedelta(days=1),
    )
    MessageTemplate.objects.create(
        user=scene.user, name="Mine", occasion=Occasion.TOPIC_FOLLOW_UP, subject="Hi", body="Hi"
    )
    url = reverse("outreach:compose_for_interview", args=[scene.interview.pk])
    # Session (unless Redis holds it), user, interview with the contact and open draft,
    # last exchange with the last message out and the "not before" wishes, notes, templates.
    with django_assert_num_queries(5 + session_queries):
        response = scene_client.get(url, {"contact": scene.contact.pk})
    assert response.context["occasion"] == Occasion.TOPIC_FOLLOW_UP
    assert response.context["form"]["template_key"].value().startswith("user:")
    saved = scene_client.post(
        f"{url}?contact={scene.contact.pk}", {"subject": "Hi", "body": "Hi", "action": "save"}
    )
    # Session, user, draft, templates, notes, last exchange with message out and wishes.
    with django_assert_num_queries(5 + session_queries):
        response = scene_client.get(saved.url)
    assert response.context["draft"].subject == "Hi"
    gap = response.context["facts"].gap_allowed_from
    assert gap is not None and gap > written.date()
