"""Reading a business card from a photo: its QR code when it has one, else its printed text.

``card_read`` takes the bytes of an uploaded image and returns the contact details it found,
to prefill the contact form; nothing is saved here. A QR code holding a vCard or a MeCard is
decoded exactly (zxing-cpp). Otherwise Tesseract reads the text (pytesseract runs the system's
``tesseract``; its models ship with the Debian package, nothing is downloaded) and
``card_text_parse`` sorts the lines into a name, a title, a company, an email address, a phone
number (E.164 with phonenumbers, in the user's country when the card leaves it out) and a web
address.

Every image is checked before it is decoded: its byte size (by the caller), its format and
its pixel count, so that a small file that unpacks into gigapixels (a decompression bomb)
is refused before any memory is spent on it.
"""

from __future__ import annotations

import base64
import os
import re
import time
import unicodedata
import warnings
from dataclasses import dataclass, replace
from io import BytesIO

import phonenumbers
import pytesseract
import zxingcpp
from PIL import Image, ImageOps, UnidentifiedImageError

from interviews.vcards import (
    MAX_LENGTHS,
    ContactCard,
    VCardError,
    card_complete,
    card_problems,
    mecard_parse,
    vcard_text_parse,
    web_address_normalise,
)

FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF", "BMP"}
FORMAT_NAMES = "JPEG, PNG, WebP, GIF or BMP"
# Tesseract reads printed text best at a cap height of 20-40 px: a card filling the image
# at this width has that; a larger photo is shrunk first, which also keeps OCR quick.
OCR_WIDTH = (1200, 2200)
THUMBNAIL_SIZE = (480, 480)
# A reading is good enough to stop trying other orientations at this mean word confidence.
GOOD_CONFIDENCE = 80


class CardImageError(Exception):
    """An upload that cannot be read as a card; ``status`` is the HTTP status to answer."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class CardReading:
    """What was read from a card, and how."""

    card: ContactCard
    source: str  # "qr" or "ocr"
    text: str = ""  # the text OCR saw, shown to the user to copy from
    ocr_missing: bool = False
    thumbnail: str = ""  # a data: URL of a small copy of the image

    @property
    def from_qr(self) -> bool:
        return self.source == "qr"


@dataclass(frozen=True)
class OcrLine:
    text: str
    height: float = 0.0


# --- The image --------------------------------------------------------------------------


def card_image_open(*, data: bytes, max_pixels: int) -> Image.Image:
    """The upload as an upright RGB image, or a ``CardImageError`` saying what is wrong."""
    with warnings.catch_warnings():
        # Pillow's own bomb guard warns at a limit of its own; ours is the setting below.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(BytesIO(data))
        except UnidentifiedImageError as error:
            raise CardImageError(
                f"That file is not an image we can read. Upload a photo ({FORMAT_NAMES}).",
                status=415,
            ) from error
        except Image.DecompressionBombError as error:
            raise _too_many_pixels(max_pixels) from error
        if image.format not in FORMATS:
            raise CardImageError(
                f"{image.format} images are not supported. Upload a {FORMAT_NAMES} photo.",
                status=415,
            )
        width, height = image.size
        if width * height > max_pixels:
            raise _too_many_pixels(max_pixels)
        if min(width, height) < 60:
            raise CardImageError(
                "That image is too small to read a card from. Upload a larger photo.", status=422
            )
        if image.format in {"JPEG", "MPO"}:
            # Decode a large JPEG at a fraction of its size: faster, and plenty for OCR.
            image.draft("RGB", (OCR_WIDTH[1] * 2, OCR_WIDTH[1] * 2))
        try:
            image.load()
            image = ImageOps.exif_transpose(image)
            return image.convert("RGB")
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
            raise CardImageError(
                "That image is damaged or cut off and cannot be decoded. Take or upload the "
                "photo again.",
                status=400,
            ) from error


def _too_many_pixels(max_pixels: int) -> CardImageError:
    return CardImageError(
        f"That image has too many pixels (the most we read is {max_pixels // 1_000_000} "
        "megapixels). Upload a smaller photo.",
        status=413,
    )


def thumbnail_data_url(image: Image.Image) -> str:
    small = image.copy()
    small.thumbnail(THUMBNAIL_SIZE)
    buffer = BytesIO()
    small.save(buffer, format="JPEG", quality=80)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


# --- QR codes ---------------------------------------------------------------------------


def qr_texts(image: Image.Image) -> list[str]:
    """The text of every QR code in the image (zxing-cpp tries rotations and inversion)."""
    formats = [zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.MicroQRCode]
    results = zxingcpp.read_barcodes(image.convert("L"), formats=formats)
    return [result.text for result in results if result.valid and result.text]


def card_from_qr_texts(*, texts: list[str], region: str) -> tuple[ContactCard | None, str]:
    """The person of the first vCard or MeCard QR code, and the first plain web address."""
    url = ""
    for text in texts:
        stripped = text.strip()
        if stripped.upper().startswith("BEGIN:VCARD"):
            return vcard_text_parse(text=stripped, region=region), url
        if stripped.upper().startswith("MECARD:"):
            return mecard_parse(text=stripped, region=region), url
        if not url and re.match(r"^https?://\S+$", stripped, re.IGNORECASE):
            url = stripped
    return None, url


# --- OCR ----------------------------------------------------------------------------------


SKEW_ANGLES = [angle / 2 for angle in range(-16, 17)]  # -8 to 8 degrees in half degrees


def skew_angle(grey: Image.Image) -> float:
    """The small angle that makes the lines of text level (a projection profile).

    Turned by the right angle, the rows of pixels alternate between all-paper gaps and
    ink-heavy lines of text, so the row sums vary the most: try angles, keep the peak.
    """
    small = grey.copy()
    small.thumbnail((500, 500))
    ink = small.point(lambda value: 255 if value < 128 else 0)

    def spread(angle: float) -> float:
        turned = ink.rotate(angle, fillcolor=0)
        rows = list(turned.resize((1, ink.height), Image.Resampling.BOX).tobytes())
        mean = sum(rows) / len(rows)
        return sum((row - mean) ** 2 for row in rows)

    level = spread(0)
    best = max(SKEW_ANGLES, key=spread)
    # Turn only for a clear gain: re-sampling a level card blurs it for nothing.
    return best if spread(best) > level * 1.15 else 0.0


def ocr_prepare(image: Image.Image) -> Image.Image:
    """Greyscale, level, stretched to full contrast, at a width Tesseract reads well."""
    grey = ImageOps.autocontrast(image.convert("L"), cutoff=1)
    angle = skew_angle(grey)
    if angle:
        grey = grey.rotate(angle, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    width = grey.width
    low, high = OCR_WIDTH
    if width < low or width > high:
        target = low if width < low else high
        grey = grey.resize(
            (target, max(1, round(grey.height * target / width))), Image.Resampling.LANCZOS
        )
    return grey


def _ocr_lines(image: Image.Image, *, timeout: float) -> tuple[list[OcrLine], float]:
    """Tesseract's lines with their height, and a score: confident letters read."""
    data = pytesseract.image_to_data(
        image, config="--psm 3", output_type=pytesseract.Output.DICT, timeout=timeout
    )
    lines: dict[tuple[int, int, int], list[tuple[str, float, float]]] = {}
    score = 0.0
    for index, word in enumerate(data["text"]):
        confidence = float(data["conf"][index])
        word = word.strip()
        if confidence < 0 or not word:
            continue
        key = (data["block_num"][index], data["par_num"][index], data["line_num"][index])
        lines.setdefault(key, []).append((word, float(data["height"][index]), confidence))
        if confidence >= 50:
            score += confidence / 100 * sum(ch.isalnum() for ch in word)
    result = []
    for words in lines.values():
        # Words of low confidence stay: Tesseract 5 gives some clean words 0 (a "www."),
        # and the sorting below only takes lines of a recognisable shape.
        kept = words
        heights = sorted(w[1] for w in kept)
        result.append(OcrLine(text=" ".join(w[0] for w in kept), height=heights[len(heights) // 2]))
    return result, score


def _osd_rotation(image: Image.Image, *, timeout: float) -> int | None:
    """How far Tesseract's orientation detection says to turn the image, if it can tell."""
    try:
        osd = pytesseract.image_to_osd(image, output_type=pytesseract.Output.DICT, timeout=timeout)
    except pytesseract.TesseractError:
        return None  # too little text to tell
    return int(osd.get("rotate", 0)) % 360


def ocr_read(image: Image.Image, *, timeout: float) -> list[OcrLine]:
    """The card's lines, read the right way up, within ``timeout`` seconds in all.

    1. Read the image as it is; a confident reading (most photos) ends here.
    2. Otherwise ask Tesseract's orientation detection how to turn it and read that way.
    3. If that is still not confident, read the remaining quarter turns too, while time is
       left. Keep the reading with the most confidently read letters.

    Raises ``OcrTimeout`` when not even the first reading finished in time. The budget is for
    the whole card because this runs on a web request, which the server cuts off (gunicorn's
    default is 30 seconds).
    """
    deadline = time.monotonic() + timeout

    def left() -> float:
        remaining = deadline - time.monotonic()
        if remaining <= 0.5:
            raise OcrTimeout
        return remaining

    prepared = ocr_prepare(image)
    try:
        best_lines, best_score = _ocr_lines(prepared, timeout=left())
    except RuntimeError as error:  # pytesseract's "Tesseract process timeout"
        raise OcrTimeout from error
    if _lines_confident(best_lines, best_score):
        return best_lines
    try:
        rotation = _osd_rotation(prepared, timeout=left())
        order = [rotation] if rotation else []
        order += [angle for angle in (90, 270, 180) if angle not in order]
        for angle in order:
            # Tesseract's "rotate" is clockwise; Pillow turns counter-clockwise.
            turned = ocr_prepare(image.rotate(-angle, expand=True))
            lines, score = _ocr_lines(turned, timeout=left())
            if score > best_score:
                best_lines, best_score = lines, score
            if _lines_confident(lines, score) and score >= best_score:
                break
    except (OcrTimeout, RuntimeError):
        pass  # out of time: the best reading so far is what we have
    return best_lines


class OcrTimeout(Exception):
    """Tesseract did not finish reading the card in the time allowed."""


def _lines_confident(lines: list[OcrLine], score: float) -> bool:
    letters = sum(sum(ch.isalnum() for ch in line.text) for line in lines)
    return letters >= 20 and score >= 0.8 * letters


# --- Sorting the lines of a card into fields ---------------------------------------------

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
WEB = re.compile(
    r"(?:https?://)?(?:www\.)?[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
    r"(?:/[^\s,;]*)?",
    re.IGNORECASE,
)
LABEL = re.compile(
    r"^\s*(?:e-?mail|mail|tel|phone|mobile|mob|cell|fax|web|url|site|[mtpfew])\s*[:.|]\s*",
    re.IGNORECASE,
)
FAX = re.compile(r"^\s*(?:fax|f)\s*[:.|]", re.IGNORECASE)
MOBILE = re.compile(r"^\s*(?:mobile|mob|cell|m)\s*[:.|]", re.IGNORECASE)
TITLE_WORDS = {
    "accountant",
    "acquisition",
    "administrator",
    "advisor",
    "analyst",
    "architect",
    "assistant",
    "associate",
    "attorney",
    "ceo",
    "cfo",
    "chief",
    "cio",
    "consultant",
    "coo",
    "coordinator",
    "counsel",
    "cto",
    "designer",
    "developer",
    "director",
    "editor",
    "engineer",
    "engineering",
    "executive",
    "founder",
    "co-founder",
    "head",
    "intern",
    "lead",
    "manager",
    "marketing",
    "officer",
    "owner",
    "partner",
    "president",
    "principal",
    "product",
    "professor",
    "recruiter",
    "recruiting",
    "recruitment",
    "representative",
    "researcher",
    "sales",
    "scientist",
    "senior",
    "specialist",
    "sr",
    "sr.",
    "strategist",
    "supervisor",
    "talent",
    "technician",
    "vice",
    "vp",
    "writer",
    "junior",
    "staff",
    "operations",
    "hr",
    "people",
}
COMPANY_WORDS = {
    "ab",
    "ag",
    "agency",
    "analytics",
    "bank",
    "bv",
    "b.v.",
    "co",
    "co.",
    "company",
    "consulting",
    "corp",
    "corp.",
    "corporation",
    "gmbh",
    "group",
    "holdings",
    "inc",
    "inc.",
    "industries",
    "international",
    "kg",
    "lab",
    "labs",
    "limited",
    "llc",
    "llp",
    "ltd",
    "ltd.",
    "oy",
    "plc",
    "pty",
    "s.a.",
    "sa",
    "sarl",
    "se",
    "software",
    "solutions",
    "srl",
    "studio",
    "studios",
    "systems",
    "technologies",
    "technology",
    "ug",
    "university",
    "ventures",
}


def _plain(text: str) -> str:
    """Lower-case letters and digits only, accents dropped: "Müller-Lüdenscheidt" ->
    "mullerludenscheidt", to compare a line with an address."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.lower() if ch.isalnum() and ord(ch) < 128)


def _words(text: str) -> list[str]:
    return [word.strip(",;|").lower() for word in text.split() if word.strip(",;|")]


NAME_MARKS = ".'\N{RIGHT SINGLE QUOTATION MARK}-"  # O'Neill, Jean-Luc, Dr.


def _looks_like_name(text: str) -> bool:
    words = text.replace(",", " ").split()
    if not 2 <= len(words) <= 5:
        return False
    for word in words:
        core = word.strip(NAME_MARKS)
        if not core or not all(ch.isalpha() or ch in NAME_MARKS for ch in word):
            return False
        if not word[0].isupper():
            return False
    return True


def card_text_parse(*, lines: list[OcrLine], region: str) -> ContactCard:
    """Sort a card's lines into contact fields.

    1. Take out what has a shape: email addresses, web addresses and phone numbers (the
       mobile number first, never a fax), each on a line of its own or after a label.
    2. Of the lines left, those with digits are addresses; the rest are the person's name,
       their title (a line with a job word) and the company (a line with a company word or
       that spells the email or web domain; else the largest line left).
    3. The name is the line that reads as a name, preferring one that the email address
       spells and the largest print.
    """
    lines = [OcrLine(text=" ".join(line.text.split()), height=line.height) for line in lines]
    lines = [line for line in lines if line.text]
    email = web = phone = ""
    phone_is_mobile = False
    rest: list[OcrLine] = []
    for line in lines:
        text = re.sub(r"\s*@\s*", "@", line.text)
        text = re.sub(r"\b(www|https?://)\.?\s+", lambda m: m.group(0).replace(" ", ""), text)
        found_email = EMAIL.search(text)
        if found_email:
            email = email or found_email.group(0).strip(".")
            continue
        numbers = list(phonenumbers.PhoneNumberMatcher(text, (region or "").upper() or None))
        if numbers:
            if not FAX.match(text) and (not phone or (MOBILE.match(text) and not phone_is_mobile)):
                phone = phonenumbers.format_number(
                    numbers[0].number, phonenumbers.PhoneNumberFormat.E164
                )
                phone_is_mobile = bool(MOBILE.match(text))
            continue
        unlabelled = LABEL.sub("", text)
        found_web = WEB.fullmatch(unlabelled.strip().rstrip("/"))
        if found_web or re.match(r"^(?:www\.|https?://)", unlabelled, re.IGNORECASE):
            web = web or unlabelled.strip()
            continue
        if any(ch.isdigit() for ch in text):
            continue  # a street address or a postcode
        rest.append(line)

    domains = []
    if email:
        domains.append(email.rsplit("@", 1)[1])
    if web:
        host = re.sub(r"^(?:https?://)?(?:www\.)?", "", web, flags=re.IGNORECASE)
        domains.append(host.split("/")[0])
    domain_keys = [_plain(domain.rsplit(".", 1)[0]) for domain in domains]
    local_part = _plain(email.split("@")[0]) if email else ""

    def is_title(line: OcrLine) -> bool:
        return any(word in TITLE_WORDS for word in _words(line.text))

    def is_company(line: OcrLine) -> bool:
        if any(word in COMPANY_WORDS for word in _words(line.text)):
            return True
        key = _plain(line.text)
        return len(key) >= 3 and any(
            domain and (key in domain or domain in key) for domain in domain_keys
        )

    tallest = max((line.height for line in rest), default=1.0) or 1.0

    def name_score(line: OcrLine) -> float:
        score = line.height / tallest
        if local_part and any(
            len(_plain(word)) >= 2 and _plain(word) in local_part for word in line.text.split()
        ):
            score += 2
        return score

    names_ = [
        line
        for line in rest
        if _looks_like_name(line.text) and not is_title(line) and not is_company(line)
    ]
    name = max(names_, key=name_score) if names_ else None
    others = [line for line in rest if line is not name]
    title = next((line for line in others if is_title(line) and not is_company(line)), None)
    company = next((line for line in others if is_company(line)), None)
    if company is None:
        left = [line for line in others if line is not title]
        company = max(left, key=lambda line: line.height) if left else None
    card = card_complete(
        ContactCard(
            name=name.text if name else "",
            job_title=title.text if title else "",
            company_name=company.text if company else "",
            email=email,
            phone=phone,
            profile_url=web_address_normalise(web) if web else "",
        )
    )
    return card


# --- All together -------------------------------------------------------------------------


def card_read(
    *, data: bytes, region: str, max_pixels: int, ocr_timeout: float, tesseract_cmd: str
) -> CardReading:
    """The contact details on a photographed or scanned business card.

    1. Open the image safely (format, pixel count, damage) and turn it upright by its EXIF.
    2. A QR code with a vCard or MeCard gives the details exactly; done.
    3. Otherwise, if Tesseract is installed, OCR the text and sort it into fields; a plain
       web address from a QR code fills the web address.
    4. If neither found a name, an email or a phone number, it is not a card we can read.
    """
    image = card_image_open(data=data, max_pixels=max_pixels)
    thumbnail = thumbnail_data_url(image)
    try:
        card, qr_url = card_from_qr_texts(texts=qr_texts(image), region=region)
    except VCardError as error:
        raise CardImageError(
            f"The card's QR code holds contact details we cannot read: {error}", status=422
        ) from error
    if card is not None:
        return CardReading(card=_clipped(card), source="qr", thumbnail=thumbnail)
    pytesseract.pytesseract.tesseract_cmd = tesseract_cmd
    # One thread per Tesseract run: its OpenMP threads fight each other and the other
    # requests for the cores, which makes a card slower, not faster (Tesseract's own advice
    # for servers). An operator's own setting wins.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        pytesseract.get_tesseract_version()
    except (pytesseract.TesseractNotFoundError, OSError) as error:
        raise CardImageError(
            "This server cannot read printed text: Tesseract OCR is not installed (the "
            "tesseract-ocr package). Cards with a QR code still work; for this card, type "
            "the details in, or ask whoever runs Followup to install it.",
            status=503,
        ) from error
    try:
        lines = ocr_read(image, timeout=ocr_timeout)
    except OcrTimeout as error:
        raise CardImageError(
            "Reading the text of that image took too long. Crop the photo to the card and "
            "try again.",
            status=422,
        ) from error
    card = card_text_parse(lines=lines, region=region)
    if qr_url and not card.profile_url:
        card = replace(card, profile_url=web_address_normalise(qr_url))
    if not (card.name or card.email or card.phone):
        raise CardImageError(
            "We could not find a name, an email address or a phone number in that image. Is "
            "it a business card? Try again with the card filling the photo, flat and in good "
            "light, or add the contact by hand.",
            status=422,
        )
    text = "\n".join(line.text for line in lines)
    return CardReading(card=_clipped(card), source="ocr", text=text, thumbnail=thumbnail)


def _clipped(card: ContactCard) -> ContactCard:
    """Drop what the contact form would refuse outright (an email OCR garbled stays: the form
    shows it with an error for the user to fix)."""
    if any("longer than" in problem for problem in card_problems(card)):
        card = replace(
            card, **{key: getattr(card, key)[:limit] for key, limit in MAX_LENGTHS.items()}
        )
    return card
