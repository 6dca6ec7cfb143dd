"""Business cards drawn with Pillow for the card-reading tests, with what each one says.

The cards are 3.5 x 2 inch cards at 300 dpi (1050 x 600 px), in DejaVu or Liberation (the
TrueType fonts Debian's chromium pulls in), laid out as real cards are: name and title in one
corner, company large or small, contact lines below, some with labels ("M:", "Web:").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

FONTS = Path("/usr/share/fonts/truetype")
SANS = FONTS / "dejavu" / "DejaVuSans.ttf"
SANS_BOLD = FONTS / "dejavu" / "DejaVuSans-Bold.ttf"
SERIF = FONTS / "dejavu" / "DejaVuSerif.ttf"
LIBERATION = FONTS / "liberation" / "LiberationSans-Regular.ttf"
LIBERATION_BOLD = FONTS / "liberation" / "LiberationSans-Bold.ttf"
CARD_SIZE = (1050, 600)

# The fields a card is scored on: what a user would otherwise type.
SCORED_FIELDS = (
    "honorific",
    "given_name",
    "family_name",
    "job_title",
    "company_name",
    "email",
    "phone",
    "profile_url",
)


@dataclass(frozen=True)
class Line:
    text: str
    size: int = 34
    font: Path = SANS
    x: int | None = None  # default: the card's left margin


@dataclass(frozen=True)
class DrawnCard:
    label: str
    lines: list[Line]
    expected: dict[str, str]
    region: str = "US"
    ink: tuple[int, int, int] = (20, 20, 20)
    paper: tuple[int, int, int] = (255, 255, 255)
    qr: str = ""  # payload of a QR code drawn at the right
    extra: dict[str, object] = field(default_factory=dict)

    def image(self) -> Image.Image:
        image = Image.new("RGB", CARD_SIZE, self.paper)
        draw = ImageDraw.Draw(image)
        y = 50
        for line in self.lines:
            if not line.text:
                y += line.size
                continue
            font = ImageFont.truetype(str(line.font), line.size)
            x = line.x if line.x is not None else 60
            draw.text((x, y), line.text, font=font, fill=self.ink)
            y += int(line.size * 1.45)
        if self.qr:
            qr = segno.make(self.qr, error="m")
            buffer = BytesIO()
            qr.save(buffer, kind="png", scale=6, border=2)
            code = Image.open(BytesIO(buffer.getvalue())).convert("RGB")
            image.paste(code, (CARD_SIZE[0] - code.width - 30, CARD_SIZE[1] - code.height - 30))
        return image


def png(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg(image: Image.Image, **options: object) -> bytes:
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=90, **options)
    return buffer.getvalue()


def rotated(image: Image.Image, degrees: float) -> Image.Image:
    """The card photographed turned (counter-clockwise), on a white table."""
    return image.rotate(degrees, expand=True, fillcolor=(255, 255, 255), resample=Image.BICUBIC)


PLAIN_CARDS = [
    DrawnCard(
        label="Becker (DE, large name)",
        region="DE",
        lines=[
            Line("Anja Becker", 54, SANS_BOLD),
            Line("Head of Platform", 34),
            Line("", 40),
            Line("Acme Robotics GmbH", 38, SANS_BOLD),
            Line("Torstraße 12, 10119 Berlin", 28),
            Line("anja.becker@acme-robotics.de", 30),
            Line("+49 30 1234 5678", 30),
            Line("www.acme-robotics.de", 30),
        ],
        expected={
            "honorific": "",
            "given_name": "Anja",
            "family_name": "Becker",
            "job_title": "Head of Platform",
            "company_name": "Acme Robotics GmbH",
            "email": "anja.becker@acme-robotics.de",
            "phone": "+493012345678",
            "profile_url": "https://www.acme-robotics.de",
        },
    ),
    DrawnCard(
        label="Raman (US, company on top, labels)",
        region="US",
        lines=[
            Line("NORTHWIND ANALYTICS INC.", 40, LIBERATION_BOLD),
            Line("", 30),
            Line("Dr. Priya Raman", 46, LIBERATION_BOLD),
            Line("Director of Data Science", 32, LIBERATION),
            Line("", 20),
            Line("E: priya@northwind-analytics.com", 28, LIBERATION),
            Line("T: (415) 555-0132", 28, LIBERATION),
            Line("Web: northwind-analytics.com", 28, LIBERATION),
        ],
        expected={
            "honorific": "Dr.",
            "given_name": "Priya",
            "family_name": "Raman",
            "job_title": "Director of Data Science",
            "company_name": "NORTHWIND ANALYTICS INC.",
            "email": "priya@northwind-analytics.com",
            "phone": "+14155550132",
            "profile_url": "https://northwind-analytics.com",
        },
    ),
    DrawnCard(
        label="Chen (GB, mobile and fax)",
        region="GB",
        lines=[
            Line("Marcus Chen", 50, SERIF),
            Line("Senior Technical Recruiter", 32, SERIF),
            Line("Globex Corporation", 36, SERIF),
            Line("", 24),
            Line("F: +44 20 7946 0000", 28, SERIF),
            Line("M: +44 7911 123456", 28, SERIF),
            Line("m.chen@globex.co.uk", 28, SERIF),
            Line("https://globex.co.uk/careers", 28, SERIF),
        ],
        expected={
            "honorific": "",
            "given_name": "Marcus",
            "family_name": "Chen",
            "job_title": "Senior Technical Recruiter",
            "company_name": "Globex Corporation",
            "email": "m.chen@globex.co.uk",
            "phone": "+447911123456",
            "profile_url": "https://globex.co.uk/careers",
        },
    ),
    DrawnCard(
        label="Martínez (US, accents, domain-named company)",
        region="US",
        lines=[
            Line("Bluefin", 60, SANS_BOLD),
            Line("", 30),
            Line("Sofía Martínez", 40, SANS_BOLD),
            Line("Engineering Manager", 30),
            Line("sofia.martinez@bluefin.io", 28),
            Line("+1 212 555 0199", 28),
        ],
        expected={
            "honorific": "",
            "given_name": "Sofía",
            "family_name": "Martínez",
            "job_title": "Engineering Manager",
            "company_name": "Bluefin",
            "email": "sofia.martinez@bluefin.io",
            "phone": "+12125550199",
            "profile_url": "",
        },
    ),
    DrawnCard(
        label="Okafor (US, national number, no title words in name)",
        region="US",
        lines=[
            Line("Chidi Okafor", 48, LIBERATION_BOLD),
            Line("Talent Acquisition Partner", 30, LIBERATION),
            Line("Initech Software", 34, LIBERATION_BOLD),
            Line("4120 Freidrich Lane, Austin TX 78744", 26, LIBERATION),
            Line("Phone (212) 736-5000", 28, LIBERATION),
            Line("chidi.okafor@initech.com", 28, LIBERATION),
            Line("www.initech.com", 28, LIBERATION),
        ],
        expected={
            "honorific": "",
            "given_name": "Chidi",
            "family_name": "Okafor",
            "job_title": "Talent Acquisition Partner",
            "company_name": "Initech Software",
            "email": "chidi.okafor@initech.com",
            "phone": "+12127365000",
            "profile_url": "https://www.initech.com",
        },
    ),
]

ANJA = PLAIN_CARDS[0]
