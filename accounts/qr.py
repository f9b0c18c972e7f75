"""A QR code as an SVG data URI, drawn here (the qrcode package): the secret never leaves
the service."""

from base64 import b64encode
from io import BytesIO

import qrcode  # type: ignore[import-untyped]  # (no types; types-qrcode not worth a dependency)
import qrcode.image.svg  # type: ignore[import-untyped]


def qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=4)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + b64encode(buffer.getvalue()).decode("ascii")
