"""Reading business cards: QR codes exactly, printed text by Tesseract, and the field accuracy
over cards the tests draw themselves (tests/interviews/card_images.py).

The accuracy test prints a table (run pytest with -s to see it) and holds the plain set to a
floor; the rotated, skewed and low-contrast variants are reported, with floors of their own
set at what the reader achieves today so that a regression shows.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from io import BytesIO

import pytest
import segno
from PIL import Image, ImageDraw

from interviews import cards
from interviews.vcards import ContactCard
from tests.interviews.card_images import (
    ANJA,
    PLAIN_CARDS,
    SANS,
    SANS_BOLD,
    SCORED_FIELDS,
    DrawnCard,
    Line,
    jpeg,
    png,
    rotated,
)

LIMITS = {"max_pixels": 40_000_000, "ocr_timeout": 20.0, "tesseract_cmd": "tesseract"}


@pytest.fixture(scope="module", autouse=True)
def _tesseract_installed() -> None:
    if shutil.which("tesseract") is None:
        from tests.conftest import require_service

        require_service("tesseract is not installed (apt-get install tesseract-ocr)")


def read(data: bytes, *, region: str = "US", **limits: object) -> cards.CardReading:
    return cards.card_read(data=data, region=region, **{**LIMITS, **limits})


def score(card: ContactCard, expected: dict[str, str]) -> dict[str, bool]:
    return {name: getattr(card, name) == expected[name] for name in SCORED_FIELDS}


# --- Field accuracy ---------------------------------------------------------------------


def _low_contrast(card: DrawnCard) -> DrawnCard:
    return replace(card, ink=(150, 150, 150), paper=(190, 190, 190))


VARIANTS = [
    *[("plain", card, card.image()) for card in PLAIN_CARDS],
    ("turned 90°", PLAIN_CARDS[0], rotated(PLAIN_CARDS[0].image(), 90)),
    ("turned 270°", PLAIN_CARDS[1], rotated(PLAIN_CARDS[1].image(), 270)),
    ("upside down", PLAIN_CARDS[2], rotated(PLAIN_CARDS[2].image(), 180)),
    ("skewed 5°", PLAIN_CARDS[1], rotated(PLAIN_CARDS[1].image(), 5)),
    ("skewed -5°", PLAIN_CARDS[4], rotated(PLAIN_CARDS[4].image(), -5)),
    ("low contrast", PLAIN_CARDS[0], _low_contrast(PLAIN_CARDS[0]).image()),
    ("low contrast", PLAIN_CARDS[2], _low_contrast(PLAIN_CARDS[2]).image()),
]


def test_field_accuracy_over_the_drawn_cards(capsys):
    results: dict[str, list[bool]] = {}
    rows = []
    for variant, card, image in VARIANTS:
        reading = read(jpeg(image), region=card.region)
        assert reading.source == "ocr"
        scored = score(reading.card, card.expected)
        results.setdefault(variant, []).extend(scored.values())
        wrong = ", ".join(
            f"{name}={getattr(reading.card, name)!r}" for name, ok in scored.items() if not ok
        )
        rows.append(
            f"{card.label[:34]:34} {variant:12} {sum(scored.values())}/{len(scored)}  {wrong}"
        )
    table = ["card                               variant      right  wrong fields"]
    table += rows
    table.append("")
    for variant, oks in results.items():
        table.append(f"{variant:12} {sum(oks):3}/{len(oks):3} fields = {sum(oks) / len(oks):.0%}")
    with capsys.disabled():
        print("\n" + "\n".join(table))

    def accuracy(*variants: str) -> float:
        oks = [ok for variant in variants for ok in results[variant]]
        return sum(oks) / len(oks)

    assert accuracy("plain") >= 0.9
    # Measured: every field of the turned, skewed and low-contrast cards (as JPEG photos).
    assert accuracy("turned 90°", "turned 270°", "upside down") >= 0.9
    assert accuracy("skewed 5°", "skewed -5°") >= 0.9
    assert accuracy("low contrast") >= 0.9


def test_a_labelled_mobile_number_wins_over_the_office_and_a_fax_is_never_taken():
    lines = [
        cards.OcrLine("Marcus Chen", 50),
        cards.OcrLine("F: +44 20 7946 0000", 20),
        cards.OcrLine("T: +44 20 7946 0123", 20),
        cards.OcrLine("M: +44 7911 123456", 20),
    ]
    assert cards.card_text_parse(lines=lines, region="GB").phone == "+447911123456"
    only_fax = [cards.OcrLine("Marcus Chen", 50), cards.OcrLine("Fax: +44 20 7946 0000", 20)]
    assert cards.card_text_parse(lines=only_fax, region="GB").phone == ""


def test_a_national_number_is_read_in_the_users_country():
    lines = [cards.OcrLine("Anja Becker", 50), cards.OcrLine("030 1234 5678", 20)]
    assert cards.card_text_parse(lines=lines, region="DE").phone == "+493012345678"


def test_the_name_is_the_line_the_email_address_spells_rather_than_the_largest():
    lines = [
        cards.OcrLine("Blue Harbor", 80),  # a company name that reads like a name
        cards.OcrLine("Jonas Weber", 40),
        cards.OcrLine("jonas.weber@blueharbor.example", 20),
    ]
    card = cards.card_text_parse(lines=lines, region="DE")
    assert (card.given_name, card.family_name, card.company_name) == (
        "Jonas",
        "Weber",
        "Blue Harbor",
    )


# --- QR codes ---------------------------------------------------------------------------

VCARD_QR = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Nakamura;Yuki;;Dr.;\r\nFN:Dr. Yuki Nakamura\r\n"
    "ORG:Kestrel Systems\r\nTITLE:VP Engineering\r\nEMAIL:yuki@kestrel.example\r\n"
    "TEL;TYPE=CELL:+81 90 1234 5678\r\nURL:https://kestrel.example\r\nEND:VCARD\r\n"
)


def test_a_qr_vcard_is_read_exactly_even_when_the_printed_text_differs():
    card = replace(
        ANJA,
        lines=[Line("Totally Different Person", 40, SANS_BOLD), Line("Some title", 30, SANS)],
        qr=VCARD_QR,
    )
    reading = read(png(card.image()), region="US")
    assert reading.from_qr
    assert reading.card == ContactCard(
        name="Dr. Yuki Nakamura",
        honorific="Dr.",
        given_name="Yuki",
        family_name="Nakamura",
        greeting_name="Yuki",
        company_name="Kestrel Systems",
        job_title="VP Engineering",
        email="yuki@kestrel.example",
        phone="+819012345678",
        profile_url="https://kestrel.example",
    )


def test_a_vcard_4_qr_with_utf8_names_is_read_exactly():
    payload = (
        "BEGIN:VCARD\nVERSION:4.0\nFN:Zoë Ångström-Müller\nN:Ångström-Müller;Zoë;;;\n"
        "EMAIL:zoe@fjord.example\nEND:VCARD\n"
    )
    image = Image.new("RGB", (700, 400), "white")
    code = segno.make(payload, error="m", encoding="utf-8")
    buffer = BytesIO()
    code.save(buffer, kind="png", scale=6)
    image.paste(Image.open(BytesIO(buffer.getvalue())).convert("RGB"), (50, 30))
    reading = read(png(image))
    assert reading.from_qr
    assert (reading.card.given_name, reading.card.family_name) == ("Zoë", "Ångström-Müller")


def test_a_qr_vcard_with_a_mistyped_address_still_prefills_the_form_to_correct_it():
    card = replace(ANJA, qr=VCARD_QR.replace("yuki@kestrel.example", "yuki(at)kestrel"))
    reading = read(png(card.image()))
    assert reading.from_qr
    assert reading.card.email == "yuki(at)kestrel"
    assert reading.card.family_name == "Nakamura"


def test_a_mecard_qr_is_read_exactly_with_its_escapes():
    mecard = (
        r"MECARD:N:Okafor,Chidi;ORG:Initech\; Software;TEL:(212) 736-5000;"
        r"EMAIL:chidi@initech.example;URL:https\://initech.example;NOTE:Met at PyCon\, booth 4;;"
    )
    card = replace(ANJA, qr=mecard)
    reading = read(jpeg(rotated(card.image(), 90)), region="US")
    assert reading.from_qr
    assert reading.card.name == "Chidi Okafor"
    assert (reading.card.given_name, reading.card.family_name) == ("Chidi", "Okafor")
    assert reading.card.company_name == "Initech; Software"
    assert reading.card.phone == "+12127365000"
    assert reading.card.profile_url == "https://initech.example"
    assert reading.card.notes == "Met at PyCon, booth 4"


def test_a_qr_code_with_only_a_web_address_fills_the_web_address_of_the_ocr_reading():
    card = replace(PLAIN_CARDS[3], qr="https://bluefin.io/team/sofia")
    reading = read(png(card.image()))
    assert reading.source == "ocr"
    assert reading.card.profile_url == "https://bluefin.io/team/sofia"
    assert reading.card.email == "sofia.martinez@bluefin.io"


def test_without_tesseract_qr_codes_are_still_read_and_plain_cards_say_why_not():
    missing = {"tesseract_cmd": "/nonexistent/tesseract"}
    qr_card = replace(ANJA, qr=VCARD_QR)
    assert read(png(qr_card.image()), **missing).card.family_name == "Nakamura"
    with pytest.raises(cards.CardImageError) as raised:
        read(png(ANJA.image()), **missing)
    assert raised.value.status == 503
    assert "Tesseract" in raised.value.message and "QR code" in raised.value.message


# --- Files that are not cards -----------------------------------------------------------


def test_a_file_that_is_not_an_image_is_refused():
    with pytest.raises(cards.CardImageError) as raised:
        read(b"%PDF-1.4 not really a photo")
    assert raised.value.status == 415
    assert "not an image" in raised.value.message


def test_a_truncated_image_is_refused_as_damaged():
    data = jpeg(ANJA.image())
    with pytest.raises(cards.CardImageError) as raised:
        read(data[: len(data) // 2])
    assert raised.value.status == 400
    assert "damaged" in raised.value.message


def test_ocr_that_runs_out_of_time_says_so():
    with pytest.raises(cards.CardImageError) as raised:
        read(png(ANJA.image()), ocr_timeout=0.01)
    assert raised.value.status == 422
    assert "took too long" in raised.value.message


def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded():
    # 10000 x 10000 of one colour: some 100 KB as PNG, 300 MB once decoded as RGB.
    bomb = Image.new("1", (10000, 10000), 1)
    buffer = BytesIO()
    bomb.save(buffer, format="PNG", optimize=True)
    assert len(buffer.getvalue()) < 1_000_000
    with pytest.raises(cards.CardImageError) as raised:
        read(buffer.getvalue())
    assert raised.value.status == 413
    assert "too many pixels" in raised.value.message
    # The same limit applies below Pillow's own guard.
    with pytest.raises(cards.CardImageError):
        read(png(ANJA.image()), max_pixels=500_000)


def test_an_unsupported_image_format_is_named():
    buffer = BytesIO()
    ANJA.image().save(buffer, format="TIFF")
    with pytest.raises(cards.CardImageError) as raised:
        read(buffer.getvalue())
    assert raised.value.status == 415
    assert "TIFF" in raised.value.message


def test_a_photo_that_is_not_a_card_says_so():
    landscape = Image.new("RGB", (900, 600), (120, 170, 220))
    draw = ImageDraw.Draw(landscape)
    draw.ellipse((650, 40, 760, 150), fill=(250, 220, 120))  # the sun
    for x in range(0, 900, 4):  # a field of grass
        blade = (40 + x % 60, 120 + x % 50, 50)
        draw.line((x, 380 + (x * 7) % 40, x + 6, 600), fill=blade, width=3)
    with pytest.raises(cards.CardImageError) as raised:
        read(jpeg(landscape))
    assert raised.value.status == 422
    assert "Is it a business card?" in raised.value.message


def test_an_upright_photo_is_turned_by_its_exif_orientation():
    # A camera that stores the pixels sideways and says so in EXIF (orientation 6).
    sideways = rotated(ANJA.image(), 90)
    exif = Image.Exif()
    exif[0x0112] = 6
    reading = read(jpeg(sideways, exif=exif.tobytes()), region="DE")
    assert reading.card.email == "anja.becker@acme-robotics.de"
    assert reading.card.family_name == "Becker"
