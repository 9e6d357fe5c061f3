"""The page numbers' prepared copy of the Song face (documents.fonts): made
once, used by every document, and never the reason a character is missing."""

import hashlib

import pytest
from fontTools.ttLib import TTFont

from documents import fetcher, fonts, rendering
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
    response = fetcher.DocumentAssetFetcher().fetch(prepared.path.as_uri())
    try:
        assert response.read()[:4] in (b"OTTO", b"\x00\x01\x00\x00")
    finally:
        response.close()
    beside = prepared.path.parent / "not-prepared.otf"
    beside.write_bytes(b"OTTO")
    try:
        with pytest.raises(rendering.ForbiddenResource):
            fetcher.DocumentAssetFetcher().fetch(beside.as_uri())
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


# --- the document copies of the other faces ----------------------------------------------

SMALL = "一、基本情况关于张三"


@pytest.fixture
def small_copies(settings, tmp_path, monkeypatch):
    """Document copies cut down to a few characters (the real ones take about
    15 s a face to make), in a folder of their own."""
    settings.DOCUMENT_FONT_CACHE_DIR = tmp_path / "fonts"
    monkeypatch.setattr(fonts, "document_characters", lambda: SMALL + "0123456789")
    return tmp_path / "fonts"


def test_a_document_copy_is_never_made_while_rendering(small_copies):
    assert fonts.document_face("FandolHei") is None
    assert not small_copies.exists()
    made = fonts.document_face("FandolHei", make=True)
    assert made.path.parent == small_copies and made.family == "FandolHei Documents"
    assert fonts.document_face("FandolHei") == made


def test_the_copy_gives_the_frequent_characters_the_lowest_glyph_ids(small_copies):
    made = fonts.document_face("FandolHei", make=True)
    font = TTFont(made.path)
    order, cmap = font.getGlyphOrder(), font.getBestCmap()
    wanted = list(dict.fromkeys(SMALL))
    assert [order.index(cmap[ord(c)]) for c in wanted] == list(range(1, len(wanted) + 1))
    # The same face fontconfig gives WeasyPrint (FandolHei resolves to its bold
    # file at the normal weight), with the same metrics.
    source, _ = fonts._font_file("FandolHei", ":weight=80")
    original = TTFont(source)
    assert font["hhea"].ascent == original["hhea"].ascent
    assert font["OS/2"].sTypoLineGap == original["OS/2"].sTypoLineGap
    glyph = original.getBestCmap()[ord("基")]
    assert font["hmtx"][cmap[ord("基")]] == original["hmtx"][glyph]


def test_the_copy_has_truetype_outlines_drawing_the_same_glyphs(small_copies):
    # CFF outlines are subset by interpreting every charstring; TrueType ones
    # by copying bytes (documents.fonts). The shapes stay within 1.5/1000 em.
    from fontTools.pens.boundsPen import BoundsPen

    made = fonts.document_face("FandolFang", make=True)
    assert made.path.suffix == ".ttf"
    font = TTFont(made.path)
    assert "glyf" in font and "CFF " not in font
    source, _ = fonts._font_file("FandolFang", ":weight=80")
    original = TTFont(source)
    assert "CFF " in original
    copied, installed = font.getGlyphSet(), original.getGlyphSet()
    for character in SMALL:
        ours, theirs = font.getBestCmap()[ord(character)], original.getBestCmap()[ord(character)]
        assert font["hmtx"][ours] == original["hmtx"][theirs]
        bounds = []
        for glyph_set, name in ((copied, ours), (installed, theirs)):
            pen = BoundsPen(glyph_set)
            glyph_set[name].draw(pen)
            bounds.append(pen.bounds)
        # cu2qu bounds the distance between the curves, checked at sample points.
        assert all(abs(a - b) <= 1.5 for a, b in zip(*bounds, strict=True)), (character, bounds)


def test_the_bold_copy_is_declared_bold(small_copies):
    made = fonts.document_face("FandolSong", bold=True, make=True)
    assert made.bold and made.family == "FandolSong Documents"
    css = rendering.font_css(copies={"xiaobiaosong": made})
    assert (
        f'font-family: "{made.family}"; src: url("{made.path.as_uri()}"); font-weight: bold;' in css
    )
    assert '.issuer-mark, h1.title { font-family: "FandolSong Documents", "FandolSong"' in css


def test_headings_print_from_the_copy_and_other_characters_from_the_installed_face(
    small_copies, monkeypatch
):
    copies = rendering.document_faces(make=True)
    assert set(copies) == set(rendering.DOCUMENT_COPY_FACES)
    monkeypatch.setattr(rendering, "_document_faces", lambda: copies)
    # A fresh font map: this thread's may know the family from the real copy.
    monkeypatch.setattr(rendering._thread_state, "stylesheet", None, raising=False)
    monkeypatch.setattr(rendering._thread_state, "font_config", None, raising=False)
    rendered = rendering.html_to_pdf("<h2>一、基本情况</h2><h3>（一）关于张三</h3>")
    names = _font_names(rendered.content)
    assert "FandolHei-Documents" in names and "FandolHei" not in names
    # （ ） are not in this small copy: they come from the installed Kai face.
    assert "FandolKai-Documents" in names and "FandolKai" in names
    assert "一、基本情况" in text_of(read_pdf(rendered.content))
    assert "（一）关于张三" in text_of(read_pdf(rendered.content))


def test_the_copies_do_not_change_the_stylesheet_digest(small_copies, monkeypatch):
    before = rendering.stylesheet_digest()
    copies = rendering.document_faces(make=True)
    monkeypatch.setattr(rendering, "_document_faces", lambda: copies)
    assert rendering.stylesheet_digest() == before
    assert "Documents" not in rendering.document_css()


def test_the_fetcher_serves_the_document_copies(small_copies, monkeypatch):
    copies = rendering.document_faces(make=True)
    monkeypatch.setattr(rendering, "_document_faces", lambda: copies)
    response = fetcher.DocumentAssetFetcher().fetch(copies["hei"].path.as_uri())
    try:
        assert response.read()[:4] == b"\x00\x01\x00\x00"  # TrueType outlines
    finally:
        response.close()


def test_the_command_prepares_the_copies_and_says_where(small_copies):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("prepare_document_fonts", stdout=out)
    text = out.getvalue()
    for face in rendering.DOCUMENT_COPY_FACES:
        assert f"{face}: " in text
    assert len(list(small_copies.glob("document-*.ttf"))) == len(rendering.DOCUMENT_COPY_FACES)
    assert "s CPU" in text
