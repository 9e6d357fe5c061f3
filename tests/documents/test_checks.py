from documents import checks


def test_it_passes_on_this_machine():
    assert checks.check_document_rendering() == []


def test_it_fails_loudly_without_the_harfbuzz_subsetter(monkeypatch):
    monkeypatch.setattr(checks, "harfbuzz_subsetter_available", lambda: False)
    errors = checks.check_document_rendering()
    assert [e.id for e in errors] == ["documents.E001"]
    assert "libharfbuzz-subset0" in errors[0].msg


def test_it_fails_when_no_font_of_a_face_is_installed(settings):
    settings.DOCUMENT_FONT_STACK = {
        **settings.DOCUMENT_FONT_STACK,
        "kai": ["No Such Kai", "Another Missing Kai"],
    }
    errors = checks.check_document_rendering()
    assert [e.id for e in errors] == ["documents.E002"]
    assert "kai" in errors[0].msg and "No Such Kai" in errors[0].msg


def test_the_free_fonts_are_installed():
    installed = checks.installed_font_families()
    assert {"FandolFang", "FandolSong", "FandolHei", "FandolKai"} <= installed
    assert "Noto Serif CJK SC" in installed
