"""Badge photos: uploaded by the person, cropped to the badge's shape, shown on the badge and
at check-in; organisers and the person only. Erased by the retention rule (`erase_photos`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PIL import Image, ImageOps

from registration import files
from registration.database import db
from registration.i18n import N_
from registration.signup.answers import erase_personal_file
from registration.signup.models import PersonalFile, Registration

PURPOSE = "photo"
WIDTH, HEIGHT = 600, 800  # the badge's photo, 3:4 like a passport photo
MIN_SIDE = 240
TOO_SMALL = N_("This picture is too small: choose one at least 240 pixels wide and high.")


@dataclass(frozen=True)
class Crop:
    """Which part of the picture: zoom 100-400 (%), the frame's centre at x and y (0-100 %
    of the room it can move in)."""

    zoom: int = 100
    x: int = 50
    y: int = 50


def _box(size: tuple[int, int], crop: Crop) -> tuple[int, int, int, int]:
    """The 3:4 frame inside the picture: as large as fits, shrunk by the zoom, moved by x, y."""
    width, height = size
    frame_h = min(height, width * HEIGHT / WIDTH) * 100 / max(100, min(crop.zoom, 400))
    frame_w = frame_h * WIDTH / HEIGHT
    left = (width - frame_w) * min(max(crop.x, 0), 100) / 100
    top = (height - frame_h) * min(max(crop.y, 0), 100) / 100
    return round(left), round(top), round(left + frame_w), round(top + frame_h)


def badge_picture(data: bytes, crop: Crop) -> bytes:
    """The picture turned upright (camera orientation), cropped to the badge's 3:4 frame,
    600 x 800 pixels, as a JPEG holding nothing but the picture; FileRefusedError else."""
    image = ImageOps.exif_transpose(files.checked_image(data))
    if min(image.size) < MIN_SIDE:
        raise files.FileRefusedError(TOO_SMALL)
    framed = image.crop(_box(image.size, crop)).resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    return files.encoded(framed, "JPEG", quality=85)


def photo_of(registration_id: int) -> PersonalFile | None:
    return db.session.scalar(
        db.select(PersonalFile)
        .filter_by(registration_id=registration_id, purpose=PURPOSE)
        .order_by(PersonalFile.id.desc())
        .limit(1)
    )


def with_photos(registration_ids: Iterable[int]) -> set[int]:
    """Which of these registrations have a photo, in one query."""
    ids = list(registration_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            db.select(PersonalFile.registration_id).where(
                PersonalFile.registration_id.in_(ids), PersonalFile.purpose == PURPOSE
            )
        )
    )


def save_photo(registration: Registration, data: bytes, crop: Crop) -> PersonalFile:
    """Crop and store the picture as the registration's photo, replacing any; commits."""
    content = badge_picture(data, crop)
    key = files.store(content, ".jpg")
    try:
        for old in _photos([registration.id]):
            erase_personal_file(old)
        photo = PersonalFile(
            registration_id=registration.id,
            key=key,
            purpose=PURPOSE,
            filename="photo.jpg",
            content_type="image/jpeg",
            size=len(content),
        )
        db.session.add(photo)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        files.erase(key)
        raise
    return photo


def _photos(registration_ids: list[int]) -> list[PersonalFile]:
    return list(
        db.session.scalars(
            db.select(PersonalFile).where(
                PersonalFile.registration_id.in_(registration_ids), PersonalFile.purpose == PURPOSE
            )
        )
    )


def erase_photos(registration_ids: Iterable[int]) -> int:
    """The retention hook: remove these registrations' photos (no commit; the files go when
    the transaction commits); returns how many."""
    found = _photos(list(registration_ids))
    for photo in found:
        erase_personal_file(photo)
    return len(found)
