"""Personal files (answers to file questions, badge photos): checked by their content, kept
outside the web root, served only by views that check who asks.

`checked_file(data)` accepts a JPEG or PNG image or a PDF document and nothing else, by what
the bytes are, not by the name or the type a browser claims. Images are decoded and encoded
again (Pillow), so what is stored is only the picture: metadata, and anything a polyglot
file hides after or around it (a ZIP, a script, a PDF), is gone. A PDF must start with the
PDF header and end with its trailer, and must not also read as an image. `store` writes the
bytes under `FILES_FOLDER` (default `instance/files`) with a random name; `erase` removes
them (the retention rule calls it through the capabilities' erase functions).
"""

from __future__ import annotations

import io
import os
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import Image, UnidentifiedImageError

from registration.i18n import N_

MAX_PIXELS = 40_000_000  # a 40-megapixel picture; larger ones are refused before decoding
IMAGE_FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}
PDF = ("application/pdf", ".pdf")

NOT_ACCEPTED = N_("This file is not a JPEG or PNG image or a PDF document. Choose one of those.")
NOT_AN_IMAGE = N_("This file is not a JPEG or PNG picture. Choose a photo in one of those.")
DAMAGED = N_("This file looks like an image but cannot be read; it may be damaged.")
TOO_LARGE = N_("This picture is too large (over 40 megapixels). Choose a smaller one.")
EMPTY = N_("The file is empty.")
BROKEN_PDF = N_("This PDF document is incomplete or damaged. Save it again and choose it.")


class FileRefusedError(ValueError):
    """A file we do not accept; the message (marked for translation) says why."""


@dataclass(frozen=True)
class CheckedFile:
    """What is stored: the bytes (re-encoded for images), their type and file extension."""

    content: bytes
    content_type: str
    extension: str


def _open_image(data: bytes) -> Image.Image | None:
    """The decoded picture, None when the bytes are not an image Pillow knows."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.width * probe.height > MAX_PIXELS:
                raise FileRefusedError(TOO_LARGE)
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except UnidentifiedImageError:
        return None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise FileRefusedError(TOO_LARGE) from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        if isinstance(error, FileRefusedError):
            raise
        raise FileRefusedError(DAMAGED) from None
    return image


def checked_image(data: bytes) -> Image.Image:
    """A JPEG or PNG picture, decoded; FileRefusedError for anything else."""
    if not data:
        raise FileRefusedError(EMPTY)
    image = _open_image(data)
    if image is None or image.format not in IMAGE_FORMATS:
        raise FileRefusedError(NOT_AN_IMAGE)
    return image


def encoded(image: Image.Image, image_format: str, quality: int = 88) -> bytes:
    """The picture alone, encoded again: no metadata, nothing else the file held."""
    out = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=quality, optimize=True)
    else:
        keep = image.mode if image.mode in {"RGB", "RGBA", "L", "LA"} else "RGBA"
        image.convert(keep).save(out, "PNG", optimize=True)
    return out.getvalue()


def checked_file(data: bytes) -> CheckedFile:
    """An image (re-encoded) or a PDF document; FileRefusedError, saying why, otherwise."""
    if not data:
        raise FileRefusedError(EMPTY)
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise FileRefusedError(BROKEN_PDF)
        return CheckedFile(data, *PDF)
    image = _open_image(data)
    if image is None or image.format not in IMAGE_FORMATS:
        raise FileRefusedError(NOT_ACCEPTED)
    content_type, extension = IMAGE_FORMATS[image.format]
    return CheckedFile(encoded(image, image.format), content_type, extension)


def _folder() -> Path:
    folder = Path(current_app.config["FILES_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


PARTIAL = ".partial-"  # a file being written: never a key, removed by the built files' sweep


def store(content: bytes, extension: str, prefix: str = "") -> str:
    """Write the bytes under a new random name; returns the name (the file's key). The file
    is written under a hidden name and renamed when complete, so a process killed while
    writing leaves no partial file under a key."""
    key = prefix + secrets.token_hex(16) + extension
    folder = _folder()
    partial = folder / (PARTIAL + key)
    partial.touch(mode=0o600)
    partial.write_bytes(content)
    os.replace(partial, folder / key)
    return key


def _path(key: str) -> Path:
    if not key or "/" in key or "\\" in key or key.startswith("."):
        raise ValueError(f"not a stored file's key: {key!r}")
    return _folder() / key


def read(key: str) -> bytes:
    return _path(key).read_bytes()


def erase(key: str) -> None:
    """Remove a stored file; nothing happens when it is gone already."""
    _path(key).unlink(missing_ok=True)
