"""Contacts in and out: read a business card into the contact form, import and export vCards.

Reading a card saves nothing: it shows the contact form prefilled, which posts to the
ordinary "new contact" page. Importing a .vcf shows a preview first; the preview's form
carries the cards read from the file, signed so that the confirmation imports exactly what
was previewed, and the user's choice for each person already in their contacts.

Uploads larger than their limit are refused from the request's Content-Length before the
body is read (the views are CSRF-exempt only so that the check runs before the CSRF check
would parse the body; they apply the CSRF check themselves right after).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from interviews import cards, selectors, services, vcards
from interviews.card_forms import CardUploadForm, VCardImportForm, VCardUploadForm
from interviews.forms import ContactForm
from interviews.views import GET_POST

IMPORT_SALT = "interviews.vcard-import"
IMPORT_MAX_AGE = 60 * 60  # seconds a preview can be confirmed in
# Room for the multipart framing and the other fields of an upload form.
FORM_OVERHEAD = 64 * 1024


def _body_larger_than(request: HttpRequest, limit: int) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit + FORM_OVERHEAD
    except ValueError:
        return False


def _megabytes(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):.0f} MB"
    return f"{limit // 1024} KB" if limit >= 1024 else f"{limit} bytes"


def _too_large(form_class: type[Form], field: str, limit: int) -> Form:
    """The upload form, unread, showing that the file was too large."""
    form = form_class(data={})
    form.is_valid()  # an empty form; its "required" error is replaced by the real one
    form.errors[field] = form.error_class(
        [f"That file is too large: the most we take is {_megabytes(limit)}."]
    )
    return form


def _upload_checked(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    return login_required(csrf_exempt(view))


# --- Business cards ---------------------------------------------------------------------


def _card_page(request: HttpRequest, form: CardUploadForm, *, status: int) -> HttpResponse:
    return render(
        request,
        "interviews/contact_list.html",
        {"contacts": selectors.contact_list(user=request.user), "card_form": form},
        status=status,
    )


@_upload_checked
@require_POST
def contact_from_card(request: HttpRequest) -> HttpResponse:
    limit = settings.CARD_IMAGE_MAX_BYTES
    if _body_larger_than(request, limit):
        return _card_page(request, _too_large(CardUploadForm, "image", limit), status=413)
    return _contact_from_card(request)


@csrf_protect
def _contact_from_card(request: HttpRequest) -> HttpResponse:
    form = CardUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _card_page(request, form, status=400)
    upload = form.cleaned_data["image"]
    if upload.size > settings.CARD_IMAGE_MAX_BYTES:
        form.add_error(
            "image",
            f"That file is too large: the most we take is "
            f"{_megabytes(settings.CARD_IMAGE_MAX_BYTES)}.",
        )
        return _card_page(request, form, status=413)
    try:
        reading = cards.card_read(
            data=upload.read(),
            region=request.user.country,
            max_pixels=settings.CARD_IMAGE_MAX_PIXELS,
            ocr_timeout=settings.CARD_OCR_TIMEOUT_SECONDS,
            tesseract_cmd=settings.TESSERACT_CMD,
        )
    except cards.CardImageError as error:
        form.add_error("image", error.message)
        return _card_page(request, form, status=error.status)
    return render(
        request,
        "interviews/contact_form.html",
        {
            "form": ContactForm(initial=reading.card.filled()),
            "reading": reading,
            "form_action": reverse("interviews:contact_create"),
        },
    )


# --- vCard import -------------------------------------------------------------------------


def _import_page(
    request: HttpRequest, *, form: VCardUploadForm | None = None, status: int = 200, **context
) -> HttpResponse:
    return render(
        request,
        "interviews/contact_import.html",
        {"upload_form": form or VCardUploadForm(), **context},
        status=status,
    )


def _import_salt(request: HttpRequest) -> str:
    # A preview can be confirmed only by the user it was made for.
    return f"{IMPORT_SALT}:{request.user.pk}"


def _preview(
    request: HttpRequest, *, parsed: vcards.VCardFile, status: int = 200, notice: str = ""
) -> HttpResponse:
    rows = selectors.contact_import_plan(user=request.user, cards=parsed.cards)
    payload = signing.dumps(
        {
            "cards": [card.as_dict() for card in parsed.cards],
            "skipped": parsed.skipped,
            "matches": [row.existing.pk if row.existing else None for row in rows],
        },
        salt=_import_salt(request),
        compress=True,
    )
    return _import_page(
        request,
        status=status,
        rows=rows,
        skipped=parsed.skipped,
        notice=notice,
        confirm_form=VCardImportForm(initial={"payload": payload}, rows=rows),
    )


@_upload_checked
@GET_POST
def contact_import(request: HttpRequest) -> HttpResponse:
    limit = settings.VCARD_IMPORT_MAX_BYTES
    if request.method == "POST" and _body_larger_than(request, limit):
        return _import_page(request, form=_too_large(VCardUploadForm, "file", limit), status=413)
    return _contact_import(request)


@csrf_protect
def _contact_import(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _import_page(request)
    form = VCardUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, form=form, status=400)
    upload = form.cleaned_data["file"]
    limit = settings.VCARD_IMPORT_MAX_BYTES
    if upload.size > limit:
        form.add_error("file", f"That file is too large: the most we take is {_megabytes(limit)}.")
        return _import_page(request, form=form, status=413)
    try:
        parsed = vcards.vcards_parse(
            text=vcards.text_decode(upload.read()),
            region=request.user.country,
            max_cards=settings.VCARD_IMPORT_MAX_CARDS,
        )
    except vcards.VCardError as error:
        form.add_error("file", f"Nothing was imported. {error}")
        return _import_page(request, form=form, status=400)
    if not parsed.cards:
        form.add_error("file", "Nothing to import: " + " ".join(parsed.skipped))
        return _import_page(request, form=form, status=400)
    return _preview(request, parsed=parsed)


@login_required
@require_POST
def contact_import_confirm(request: HttpRequest) -> HttpResponse:
    try:
        data = signing.loads(
            request.POST.get("payload", ""), salt=_import_salt(request), max_age=IMPORT_MAX_AGE
        )
        parsed = vcards.VCardFile(
            cards=[vcards.ContactCard.from_dict(card) for card in data["cards"]],
            skipped=[str(note) for note in data["skipped"]],
        )
    except signing.SignatureExpired:
        return _import_page(
            request, status=400, notice="That preview is over an hour old. Upload the file again."
        )
    except (signing.BadSignature, KeyError, TypeError, AttributeError):
        return _import_page(
            request, status=400, notice="That import could not be read. Upload the file again."
        )
    rows = selectors.contact_import_plan(user=request.user, cards=parsed.cards)
    if [row.existing.pk if row.existing else None for row in rows] != data.get("matches"):
        # A contact was added or changed since the preview: show what importing would do now.
        return _preview(
            request,
            parsed=parsed,
            status=409,
            notice="Your contacts changed since the preview. Check it again and confirm.",
        )
    form = VCardImportForm(request.POST, rows=rows)
    if not form.is_valid():
        return _preview(
            request, parsed=parsed, status=400, notice="Choose what to do with each known person."
        )
    result = services.contacts_import(user=request.user, rows=rows, fill=form.fill_indexes())
    parts = [f"Imported {result.created} new contact{'s' if result.created != 1 else ''}"]
    if result.filled:
        parts.append(f"filled in {result.filled} you already had")
    if result.kept:
        parts.append(f"left {result.kept} as {'they were' if result.kept != 1 else 'it was'}")
    messages.success(request, ", ".join(parts) + ".")
    return redirect(reverse("interviews:contact_list"))


# --- vCard export -------------------------------------------------------------------------


def _vcard_response(text: str, *, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def contact_vcard(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, pk=pk)
    name = slugify(contact.name) or "contact"
    return _vcard_response(vcards.contacts_to_vcf([contact]), filename=f"{name}.vcf")


@login_required
def contact_vcards(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate(timezone=request.user.zone)
    return _vcard_response(
        vcards.contacts_to_vcf(selectors.contact_export(user=request.user)),
        filename=f"followup-contacts-{today.isoformat()}.vcf",
    )
