import re
from pathlib import Path

import pytest
from django.urls import reverse

PO_FILE = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[tuple[str, str]]:
    pattern = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', re.MULTILINE)

    def join(block: str) -> str:
        return "".join(re.findall(r'"(.*)"', block))

    return [(join(m.group(1)), join(m.group(2))) for m in pattern.finditer(text)]


def test_the_english_catalogue_translates_every_string():
    text = PO_FILE.read_text()
    entries = [(msgid, msgstr) for msgid, msgstr in _entries(text) if msgid]
    assert len(entries) > 50
    untranslated = [msgid for msgid, msgstr in entries if not msgstr]
    assert untranslated == []
    assert "#, fuzzy" not in text.split("\n\n", 1)[1]


@pytest.mark.django_db
def test_the_interface_is_chinese_by_default_and_english_on_request(client, inspector):
    client.force_login(inspector)
    assert "登记案件" in client.get(reverse("cases:list")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Register a case" in client.get(reverse("cases:list")).content.decode()


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_the_user_switches(client, inspector):
    client.force_login(inspector)
    page = client.get(reverse("cases:list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "登记案件" in page.content.decode()
