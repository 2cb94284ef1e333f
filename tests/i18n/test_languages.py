"""Which language a visitor gets: the offered languages, Accept-Language (Hong Kong, Taiwan and
Macau browsers get Traditional Chinese), language-prefixed public URLs, the switcher, and the
preference remembered on the account."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.languages import language_for, set_preferred_language
from tests import factories

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"


def test_offered_languages_are_named_in_their_own_script():
    assert settings.LANGUAGES == [
        ("en", "English"),
        ("th", "ภาษาไทย"),
        ("zh-hant", "繁體中文"),
        ("zh-hans", "简体中文"),
        ("ko", "한국어"),
    ]


def test_every_offered_language_but_english_has_a_catalogue_and_no_other_folder_is_left():
    folders = {p.name for p in LOCALE.iterdir() if p.is_dir()}
    assert folders == {translation.to_locale(code) for code, _ in settings.LANGUAGES[1:]}


def _simplified_only_characters():
    """Characters the Simplified catalogue uses and the Traditional one never does: seen on a
    zh-hant page, they mean Simplified text leaked in."""

    def chars(folder):
        po = polib.pofile(str(LOCALE / folder / "LC_MESSAGES" / "django.po"))
        return {c for e in po.translated_entries() for c in e.msgstr if ord(c) > 0x2E80}

    only = chars("zh_Hans") - chars("zh_Hant")
    assert len(only) > 100  # the check below means something
    return only


def _visible_text(html):
    # The switcher names 简体中文 in its own script on purpose; it is marked lang="zh-hans".
    html = re.sub(r'<option[^>]*lang="(?!zh-hant)[^"]*"[^>]*>.*?</option>', "", html)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("header", ["zh-HK", "zh-TW", "zh-MO", "zh-Hant-HK,zh;q=0.8"])
def test_hong_kong_taiwan_and_macau_browsers_get_traditional_chinese(client, header):
    response = client.get("/sessions/", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 302
    assert response["Location"] == "/zh-hant/sessions/"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert '<html lang="zh-hant">' in html
    leaked = set(_visible_text(html)) & _simplified_only_characters()
    assert not leaked, f"Simplified characters on a Traditional page: {sorted(leaked)}"


def test_the_simplified_check_catches_a_simplified_page(client):
    html = client.get("/zh-hans/sessions/").content.decode()
    assert set(_visible_text(html)) & _simplified_only_characters()


@pytest.mark.parametrize(
    ("header", "expected"),
    [("zh-CN", "zh-hans"), ("zh-SG", "zh-hans"), ("th-TH", "th"), ("ko-KR", "ko"), ("fr", "en")],
)
def test_first_visit_follows_accept_language(client, header, expected):
    response = client.get("/sessions/", HTTP_ACCEPT_LANGUAGE=header)
    assert response["Location"] == f"/{expected}/sessions/"


def test_french_spanish_and_portuguese_are_not_offered(client):
    # /fr/ is not a language prefix, so it is taken as a page path and finds nothing.
    assert client.get("/fr/sessions/", follow=True).status_code == 404


@pytest.mark.parametrize("code", ["en", "th", "zh-hant", "zh-hans", "ko"])
def test_html_lang_and_text_follow_the_prefix(client, code):
    html = client.get(f"/{code}/sessions/").content.decode()
    assert f'<html lang="{code}">' in html
    with translation.override(code):
        assert translation.gettext("Upcoming sessions") in html


def test_documented_addresses_stay_unprefixed(client):
    assert reverse("feeds:programme") == "/calendar/programme.ics"
    assert client.get("/calendar/programme.ics").status_code == 200
    assert reverse("certificates:verify_form") == "/verify/"
    assert reverse("account_login") == "/accounts/login/"
    assert reverse("courses:material_download", args=[1]) == "/courses/materials/1/download/"
    with translation.override("th"):
        assert reverse("training_sessions:upcoming") == "/th/sessions/"


def test_the_switcher_is_on_public_pages_with_each_language_in_its_own_script(client):
    html = client.get("/ko/sessions/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    for code, name in settings.LANGUAGES:
        assert f'lang="{code}"' in html and name in html
    assert '<option value="ko" lang="ko" selected>' in html


def test_switching_sets_the_cookie_and_readdresses_the_page(client):
    response = client.post(
        reverse("language:set"), {"language": "th", "next": "/en/sessions/?course=1"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/th/sessions/?course=1"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "th"
    # Afterwards an unprefixed address opens in the chosen language.
    assert client.get("/sessions/")["Location"] == "/th/sessions/"


def test_switching_remembers_the_preference_and_the_admin_language_of_staff(client):
    from wagtail.users.models import UserProfile

    lead = factories.lead()
    client.force_login(lead)
    client.post(reverse("language:set"), {"language": "ko", "next": "/"})
    lead.refresh_from_db()
    assert lead.preferred_language == "ko"
    assert UserProfile.get_for_user(lead).preferred_language == "ko"


def test_a_language_not_offered_is_refused():
    officer = factories.officer()
    with pytest.raises(ValueError):
        set_preferred_language(user=officer, language="fr")
    officer.refresh_from_db()
    assert officer.preferred_language == ""
    assert language_for(officer) == "en"


def test_the_switcher_ignores_a_language_not_offered(client):
    officer = factories.officer()
    client.force_login(officer)
    client.post(reverse("language:set"), {"language": "fr", "next": "/"})
    officer.refresh_from_db()
    assert officer.preferred_language == ""


def test_signing_in_activates_the_stored_preference(client):
    officer = factories.officer(email="somchai@police.example", preferred_language="th")
    response = client.post(
        reverse("account_login"),
        {"login": "somchai@police.example", "password": "pw-test-1234"},
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "th"
    assert officer.preferred_language == "th"
    assert client.get("/sessions/")["Location"] == "/th/sessions/"


def test_a_404_outside_the_language_prefix_stays_a_404(client):
    # Wagtail's page serving under the prefix matches every path: Django's LocaleMiddleware
    # alone would redirect these to a second 404 under /en/.
    assert client.get("/verify/no-such-code/").status_code == 404
    assert client.get(reverse("courses:material_download", args=[999999])).status_code == 404
    # An address that exists only under the prefix is redirected.
    assert client.get("/my-training/")["Location"] == "/en/my-training/"
