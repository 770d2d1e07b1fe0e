"""Project pictures: only real JPEG, PNG or WebP pictures up to 5 MB; every copy is clean (no
EXIF, no GPS position, no comments), upright, and at most 1600 pixels on its longest side."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from participate.budgeting import images
from participate.budgeting.images import ImageProblem, clean_image

GPS_IFD = 0x8825


def exif_with_gps(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Pocket 9"  # Model
    if orientation is not None:
        exif[0x0112] = orientation
    exif[GPS_IFD] = {1: "N", 2: (50.0, 7.0, 12.5), 3: "W", 4: (5.0, 3.0, 1.0)}
    return exif


def picture(
    kind: str = "JPEG", size=(40, 20), mode: str = "RGB", colour=(200, 30, 30), **save
) -> bytes:
    out = BytesIO()
    Image.new(mode, size, colour).save(out, kind, **save)
    return out.getvalue()


def reopen(data: bytes) -> Image.Image:
    img = Image.open(BytesIO(data))
    img.load()
    return img


def test_a_jpeg_with_gps_comes_back_without_any_exif():
    raw = picture("JPEG", exif=exif_with_gps())
    assert GPS_IFD in Image.open(BytesIO(raw)).getexif()  # the test photo does carry it

    clean = clean_image(raw)

    img = reopen(clean.data)
    assert clean.content_type == "image/jpeg"
    assert img.format == "JPEG"
    assert len(img.getexif()) == 0
    assert "exif" not in img.info and "icc_profile" not in img.info
    assert b"PhoneMaker" not in clean.data and b"Exif" not in clean.data
    assert (clean.width, clean.height) == (40, 20) == img.size
    assert clean.size == len(clean.data)


def test_a_turned_photo_is_made_upright_before_its_exif_goes():
    # Orientation 6: the camera was turned; viewers rotate it 90 degrees to show it.
    raw = picture("JPEG", size=(60, 20), exif=exif_with_gps(orientation=6))
    clean = clean_image(raw)
    assert (clean.width, clean.height) == (20, 60)
    assert len(reopen(clean.data).getexif()) == 0


def test_png_text_and_exif_are_dropped_and_it_stays_a_png():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "taken at 12 Harbour Walk")
    raw = picture("PNG", pnginfo=info, exif=exif_with_gps())
    clean = clean_image(raw)
    img = reopen(clean.data)
    assert clean.content_type == "image/png"
    assert img.format == "PNG"
    assert b"Harbour Walk" not in clean.data
    assert not getattr(img, "text", {})
    assert len(img.getexif()) == 0


def test_a_webp_becomes_a_jpeg_and_see_through_parts_make_a_png():
    assert clean_image(picture("WEBP")).content_type == "image/jpeg"
    see_through = picture("WEBP", mode="RGBA", colour=(0, 0, 0, 0), lossless=True)
    clean = clean_image(see_through)
    assert clean.content_type == "image/png"
    assert reopen(clean.data).mode == "RGBA"


def test_the_longest_side_is_capped_and_the_shape_kept():
    clean = clean_image(picture("JPEG", size=(3200, 1000)))
    assert (clean.width, clean.height) == (1600, 500)
    clean = clean_image(picture("PNG", size=(900, 2400)))
    assert (clean.width, clean.height) == (600, 1600)
    small = clean_image(picture("PNG", size=(30, 30)))
    assert (small.width, small.height) == (30, 30)


@pytest.mark.parametrize(
    "raw",
    [
        b"%PDF-1.7 not a picture at all",
        b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
        b"GIF89a" + b"\x00" * 40,
        picture("JPEG")[:60],  # a picture cut short
    ],
    ids=["pdf", "svg", "broken-gif", "truncated-jpeg"],
)
def test_what_is_not_a_usable_picture_is_refused(raw):
    with pytest.raises(ImageProblem) as problem:
        clean_image(raw)
    assert problem.value.message == images.NOT_A_PICTURE


def test_other_picture_kinds_are_refused_even_when_whole():
    with pytest.raises(ImageProblem) as problem:
        clean_image(picture("GIF", mode="P", colour=1))
    assert problem.value.message == images.NOT_A_PICTURE


def test_empty_and_too_big_files_are_refused_before_reading():
    with pytest.raises(ImageProblem) as problem:
        clean_image(b"")
    assert problem.value.message == images.EMPTY
    with pytest.raises(ImageProblem) as problem:
        clean_image(b"\xff\xd8" + b"\x00" * images.MAX_BYTES)
    assert problem.value.message == images.TOO_BIG


def test_a_small_file_claiming_a_huge_canvas_is_refused():
    # 10,000 x 10,000 pixels of one colour compresses to a small PNG.
    raw = picture("PNG", size=(10_000, 10_000), mode="1", colour=0)
    assert len(raw) < images.MAX_BYTES
    with pytest.raises(ImageProblem) as problem:
        clean_image(raw)
    assert problem.value.message == images.TOO_MANY_PIXELS
