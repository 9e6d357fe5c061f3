"""The page numbers' prepared copy of the Song face (documents.fonts): made
once, used by every document, and never the reason a character is missing."""

import hashlib

import pytest
from fontTools.ttLib import TTFont

from documents import fonts, rendering
from documents.fonts import PAGE_NUMBER_CHARACTERS, page_number_face
from tests.documents.pdf import fonts_of, page_number_lines, read_pdf, text_of

PAGES = "".join(f'<p style="break-before: page">第{n}页正文。</p>' for n in range(1, 4))


def _font_names(content: bytes) -> list[str]:
    return [font.name.partition("+")[2] for font in fonts_of(read_pdf(content))]


def test_page_numbers_are_printed_from_the_prepared_copy():
    rendered = rendering.html_to_pdf(PAGES)
    names = _font_names(rendered.content)
    assert "FandolSong-PageNumbers" in names
    assert "FandolSong" not in names  # the full Song face is not embedded for them
    assert [line.text for line in page_number_lines(rendered.content)] == ["—1—", "—2—", "—3—"]
    prepared = rendering._page_number_face()
    cmap = TTFont(prepared.path).getBestCmap()
    assert {chr(code) for code in cmap} <= set(PAGE_NUMBER_CHARACTERS)


def test_a_character_outside_the_copy_comes_from_the_installed_face():
    # The copy has the digits only: 第 and 页 must come from FandolSong itself.
    html = (
        "<p style=\"font-family: 'FandolSong PageNumbers', 'FandolSong'; font-weight: normal\">"
        "第12页</p>"
    )
    rendered = rendering.html_to_pdf(html)
    names = _font_names(rendered.content)
    assert "FandolSong-PageNumbers" in names and "FandolSong" in names
    assert "第12页" in text_of(read_pdf(rendered.content))


def test_without_the_copy_the_installed_face_prints_the_page_numbers(monkeypatch):
    monkeypatch.setattr(rendering, "_page_number_face", lambda: None)
    rendered = rendering.html_to_pdf(PAGES)
    names = _font_names(rendered.content)
    assert "FandolSong-PageNumbers" not in names and "FandolSong" in names
    assert [line.text for line in page_number_lines(rendered.content)] == ["—1—", "—2—", "—3—"]


def test_the_copy_does_not_change_the_stylesheet_digest():
    # Whether a machine has the copy must not render every document again.
    assert rendering._page_number_face() is not None
    assert (
        rendering.stylesheet_digest()
        == hashlib.sha256(rendering.document_css().encode()).hexdigest()
    )
    assert "PageNumbers" not in rendering.document_css()


def test_the_copy_is_made_once_then_reused(settings, tmp_path, monkeypatch):
    settings.DOCUMENT_FONT_CACHE_DIR = tmp_path / "fonts"
    made = page_number_face("FandolSong")
    assert made.path.parent == tmp_path / "fonts" and made.path.is_file()

    def must_not_run(*args):
        raise AssertionError("made again")

    monkeypatch.setattr(fonts, "_make_copy", must_not_run)
    assert page_number_face("FandolSong") == made


def test_an_unwritable_cache_falls_back_to_the_temporary_folder(settings, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.DOCUMENT_FONT_CACHE_DIR = blocker / "fonts"
    monkeypatch.setattr(fonts.tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    made = page_number_face("FandolSong")
    assert made.path.parent == tmp_path / "tmp" / "jinzhi-fonts"


@pytest.mark.parametrize("family", ["NoSuchFamily", "DejaVu Sans Mono:bold"])
def test_no_copy_of_a_family_fontconfig_does_not_have(family):
    assert page_number_face(family) is None


def test_the_fetcher_serves_the_copy_and_nothing_beside_it():
    prepared = rendering._page_number_face()
    response = rendering.DocumentAssetFetcher().fetch(prepared.path.as_uri())
    try:
        assert response.read()[:4] in (b"OTTO", b"\x00\x01\x00\x00")
    finally:
        response.close()
    beside = prepared.path.parent / "not-prepared.otf"
    beside.write_bytes(b"OTTO")
    try:
        with pytest.raises(rendering.ForbiddenResource):
            rendering.DocumentAssetFetcher().fetch(beside.as_uri())
    finally:
        beside.unlink()


def test_a_font_in_a_folder_other_users_may_write_is_not_used(settings, tmp_path, monkeypatch):
    settings.DOCUMENT_FONT_CACHE_DIR = tmp_path / "good"
    name = page_number_face("FandolSong").path.name
    # Planted under the expected name, in folders anyone may write.
    planted = tmp_path / "planted"
    shared_tmp = tmp_path / "tmp"
    for folder in (planted, shared_tmp / "jinzhi-fonts"):
        folder.mkdir(parents=True)
        (folder / name).write_bytes((tmp_path / "good" / name).read_bytes())
        folder.chmod(0o777)
    settings.DOCUMENT_FONT_CACHE_DIR = planted
    monkeypatch.setattr(fonts.tempfile, "tempdir", str(shared_tmp))
    assert page_number_face("FandolSong") is None
