"""Pictures for project ideas: check a file really is a picture, then make a clean copy.

Pure apart from Pillow: no Flask, no database. A picture comes in as bytes and goes out as
new bytes drawn from its pixels alone, so nothing else the file carried survives: no EXIF
(a phone photo's GPS position, the camera, the time), no XMP, no comments, no colour profile.
A photo's "this way up" mark is applied to the pixels first, so it still shows the right way.

- Accepted: JPEG, PNG and WebP, up to 5 MB.
- Out: PNG for a PNG or a picture with see-through parts, JPEG for everything else.
- The longest side is at most 1600 pixels (smaller pictures keep their size).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from io import BytesIO

from PIL import Image, ImageOps, UnidentifiedImageError

from participate.text import N_

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 1600
# Refuse absurd canvases before decoding them (a small file can claim a huge picture).
MAX_PIXELS = 50_000_000
ACCEPTED = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
JPEG_QUALITY = 85


class ImageProblem(ValueError):
    """Why a file cannot be used; ``message`` is marked with ``N_`` and translated where shown."""

    def __init__(self, message: str, **params):
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str  # "image/jpeg" or "image/png"
    width: int
    height: int

    @property
    def size(self) -> int:
        return len(self.data)


NOT_A_PICTURE = N_("This file is not a picture we can use. Choose a JPEG, PNG or WebP picture.")
TOO_BIG = N_("This picture is bigger than 5 MB. Choose a smaller one.")
TOO_MANY_PIXELS = N_("This picture is too large to use. Choose a smaller one.")
EMPTY = N_("This file is empty. Choose a picture.")


def _open(raw: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        return Image.open(BytesIO(raw))


def _has_transparency(img: Image.Image) -> bool:
    return img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        img.mode == "P" and "transparency" in img.info
    )


def clean_image(raw: bytes, max_side: int = MAX_SIDE) -> CleanImage:
    """A clean copy of the picture in ``raw``, or ``ImageProblem`` saying what is wrong."""
    if not raw:
        raise ImageProblem(EMPTY)
    if len(raw) > MAX_BYTES:
        raise ImageProblem(TOO_BIG)
    try:
        # First look: what kind of file, how big, and is it whole?
        with _open(raw) as probe:
            kind = probe.format
            width, height = probe.size
            probe.verify()
        if kind not in ACCEPTED:
            raise ImageProblem(NOT_A_PICTURE)
        if width < 1 or height < 1:
            raise ImageProblem(NOT_A_PICTURE)
        if width * height > MAX_PIXELS:
            raise ImageProblem(TOO_MANY_PIXELS)
        # verify() leaves the image unusable: open it again to read the pixels.
        with _open(raw) as img:
            img.load()
            upright = ImageOps.exif_transpose(img)
    except ImageProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageProblem(TOO_MANY_PIXELS) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageProblem(NOT_A_PICTURE) from error

    as_png = kind == "PNG" or _has_transparency(upright)
    mode = "RGBA" if _has_transparency(upright) else "RGB"
    pixels = upright.convert(mode)
    pixels.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    # A brand-new image from the pixels alone: no info, no EXIF, no profile comes along.
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    out = BytesIO()
    if as_png:
        clean.save(out, "PNG", optimize=True)
        content_type = "image/png"
    else:
        clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        content_type = "image/jpeg"
    return CleanImage(out.getvalue(), content_type, clean.width, clean.height)
