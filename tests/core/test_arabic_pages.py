"""Every page of the site, signed in as an Arabic-language user, shows no English words outside user data and
proper names (issue 14).

The pages are the crawler's (tests/security): every URL pattern of the project, its slots filled with real
records. Signed in as a superuser with Arabic as their language, each HTML page's visible text, and its titles,
labels, placeholders and alternative texts, must hold no Latin-script word but those of a small, reviewed list.
User data is told apart the way the pages mark it for right-to-left display: elements with `dir="auto"`, `<bdi>`,
`translate="no"`, and choices that name records (an `<option>` whose value is a record id) are user data.
"""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests import factories
from tests.security import crawler
from tests.security.world import add_restricted, build_public
from verify.accounts.models import Preferences
from verify.claims.models import Claim, Source
from verify.evidence.models import EvidenceItem, VerificationCheck
from verify.gazetteer.models import Place
from verify.incidents.models import Incident

# Proper names, acronyms and formats that stay in Latin letters in Arabic text. Reviewed: keep it short.
ALLOWED = {
    "verify",
    "sha",
    "exif",
    "gps",
    "csv",
    "geojson",
    "pdf",
    "json",
    "api",
    "url",
    "urls",
    "zip",
    "ocr",
    "utc",
    "acled",
    "totp",
    "webauthn",
    "png",
    "jpeg",
    "jpg",
    "mime",
    "id",
    "km",
    "mb",
    "kb",
    "gb",
    "openstreetmap",
    "leaflet",
    "mp",
    "warc",
    "html",
    "http",
    "https",
    "gmt",
    "iso",
    "geonames",
    "sohr",
    "snhr",
    "wgs",
    "admiralty",  # the Admiralty scale is cited by name
    "ip",
    "utf",
    "windows",
    "latin",  # IP addresses; the names of text encodings (UTF-8, Windows-1256, Latin-1)
    "tesseract",
    "ara",
    "eng",  # the OCR engine and its language codes
    "width",
    "height",  # the "x,y,width,height" format of redaction rectangles
    "idleb",  # a spelling given as an example of what the place search accepts
}
# <title> is left to the template scan (tests/core/test_templates_marked.py): a record's own name is the page title.
SKIP_ELEMENTS = {"script", "style", "template", "noscript", "code", "kbd", "samp", "pre", "svg", "datalist", "title"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "aria-description")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
# What is data even in plain text: references, hashes, e-mail addresses, URLs, file names, ISO dates.
DATA = re.compile(
    r"ZQXMARKER\w*|\b(?:image|video|audio|application|text)/[\w.+-]+|[A-Z]{2,6}-\d{4}-\d+|[0-9a-f]{16,}|\S+@\S+|https?://\S+|/[\w/.-]+|\b[\w-]+\.(?:jpe?g|png|pdf|csv|json|mp4|txt)\b",
    re.IGNORECASE,
)


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, is user data or hidden from reading)
        self.texts: list[str] = []

    def _data_depth(self) -> bool:
        return any(flag for _tag, flag in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        data = (
            tag in SKIP_ELEMENTS
            or tag == "bdi"
            or attrs.get("dir") == "auto"
            or attrs.get("translate") == "no"
            or attrs.get("lang", "ar") != "ar"  # text in another language on purpose ("English" on the switch)
            or (tag == "option" and (attrs.get("value") or "").isdigit())
        )
        if not self._data_depth() and not data:
            self.texts += [attrs[name] for name in ATTRIBUTES if attrs.get(name)]
            if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
                self.texts.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, data))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, text):
        if not self._data_depth() and text.strip():
            self.texts.append(text)


def english_words(html: str, names: set[str]) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    found = set()
    for text in parser.texts:
        for word in LATIN_WORD.findall(DATA.sub(" ", text)):
            if word.casefold() not in ALLOWED and word.casefold() not in names:
                found.add(word)
    return found


def _user_texts() -> list[str]:
    texts = []
    for model, fields in (
        (Incident, ("title", "summary", "location_name")),
        (Source, ("name",)),
        (Claim, ("excerpt",)),
        (EvidenceItem, ("title", "original_filename", "acquisition_notes")),
        (Place, ("name",)),
        (VerificationCheck, ("note",)),
    ):
        for row in model.objects.values_list(*fields):
            texts += [value for value in row if value]
    return texts


@pytest.fixture
def arabic_admin(db):
    user = factories.user("amal", role="Admin")
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    Preferences.objects.create(user=user, language="ar")
    return user


def test_no_page_shows_english_to_an_arabic_user(arabic_admin, settings, tmp_path):
    settings.IMPORT_ROOT = tmp_path / "imports"
    world = add_restricted(build_public())
    for user in world.users.values():
        user.groups.add(world.desk)
    client = Client(raise_request_exception=False)
    client.force_login(arabic_admin)
    client.cookies["verify_language"] = "ar"
    # The people's own names are user data wherever they appear.
    names = {u.username.casefold() for u in (arabic_admin, *world.users.values())}
    # Group names are chosen by the admins (the desk), like any other record's name; and the words of the
    # records' own texts, which attributes (alt, aria-label) cannot isolate with dir="auto".
    names |= {word.casefold() for word in world.desk.name.split()}
    names |= {word.casefold() for text in _user_texts() for word in LATIN_WORD.findall(text)}

    pages, problems = 0, []
    seen_routes = set()
    with crawler.quiet():
        for case in crawler.cases(world)[0]:
            # The Django admin is the superusers' maintenance tool (docs/security/admin.md), not a researcher's
            # page; third-party apps there (django-axes) ship no Arabic. It is left out, and said so in docs/i18n.md.
            if case.path.startswith("/admin/"):
                continue
            # One page per URL pattern and record kind: the searches the crawler adds show the same words.
            if (case.route.route, case.restricted) in seen_routes:
                continue
            seen_routes.add((case.route.route, case.restricted))
            fetched = crawler.fetch(client, case.path)
            if fetched.status != 200 or "text/html" not in fetched.headers:
                continue
            pages += 1
            html = fetched.body.decode("utf-8", "replace")
            assert 'lang="ar" dir="rtl"' in html[:400], case.path
            words = english_words(html, names)
            if words:
                problems.append(f"{case.path}: {', '.join(sorted(words)[:12])}")

    assert pages > 60, f"only {pages} pages were read: the crawler is not reaching them"
    assert problems == [], f"{len(problems)} pages show English words:\n" + "\n".join(problems[:80])
