"""Newsletter editions: access per edition, language per recipient, personalisation, budgets."""

from __future__ import annotations

import dataclasses
import html
import re
import shutil
from datetime import datetime
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from kommunepartner.access.crypto import unlock_token
from kommunepartner.base.config import config_from_settings
from kommunepartner.base.errors import InputError
from kommunepartner.base.schema import OSLO
from kommunepartner.content.items import load_content
from kommunepartner.content.registry import load_registry
from kommunepartner.mail.edition import (
    HTML_BUDGET,
    lang_for_partner,
    lang_for_subscriber,
    partner_recipient,
    public_recipient,
    render_issue,
)
from kommunepartner.mail.emailhtml import relative_urls
from kommunepartner.mail.recipient import Recipient

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "newsletter_site"
SECRET = b"test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=OSLO)
SITE_URL = "https://kommunepartnar.example.org"
SENTINELS = [
    "SENTINEL-BRIEF-7f3a",
    "SENTINEL-QUOTE-91c2",
    "SENTINEL-EVENT-2b8e",
    "SENTINEL-ONLINE-55d0",
]
ISSUE_SENTINEL = "SENTINEL-ISSUE-c4d1"
LEFTOVER = re.compile(r"\{\{|\{%|<mj-|KPX[0-9a-f]{12}", re.IGNORECASE)


def load(root: Path = FIXTURE, **settings):
    """Config, site and registry of a fixture site, as the CLI would load them."""
    config = config_from_settings(
        {
            "KP_PROJECT_ROOT": str(root),
            "PATH": str(root / "content"),
            "SITEURL": SITE_URL,
            **settings,
        },
        now=NOW,
    )
    site = load_content(root / "content", root, "nn")
    registry = load_registry(root / "partners.yaml", "partners.yaml")
    return config, site, registry


def issue_of(site, slug):
    return next(i for i in site.items if i.section == "newsletters" and i.slug == slug)


@pytest.fixture(scope="module")
def loaded():
    return load()


@pytest.fixture(scope="module")
def rendered(loaded):
    config, site, registry = loaded
    return render_issue(issue_of(site, "perspektiv-7"), site, registry, config, SECRET)


@pytest.fixture(scope="module")
def rendered_partners_only(loaded):
    config, site, registry = loaded
    return render_issue(issue_of(site, "perspektiv-8-partnar"), site, registry, config, SECRET)


def public(lang):
    return Recipient("lesar@example.org", "Lesar Lesarsen", "public", lang)


def partner(registry, pid, lang):
    p = registry.partner(pid)
    return Recipient("kontakt@example.org", "Kari", "partner", lang, p.id, p.name, "rådgjevar")


def everything(r, recipient) -> str:
    """HTML, text, subject and preheader of one recipient's message, joined for sweeps."""
    v = r.variant(recipient)
    return "\n".join([r.html_for(recipient), r.text_for(recipient), v.subject, v.preheader])


@pytest.mark.parametrize("lang", ["nn", "nb"])
def test_public_edition_has_no_partner_sentinels(rendered, rendered_partners_only, lang):
    for r in (rendered, rendered_partners_only):
        text = everything(r, public(lang))
        found = [s for s in [*SENTINELS, ISSUE_SENTINEL] if s in text]
        assert found == []
        assert "#k=" not in text


@pytest.mark.parametrize("lang", ["nn", "nb"])
def test_public_edition_offers_partnership_for_locked_items(rendered, rendered_partners_only, lang):
    cta = {"nn": "Bli partnar", "nb": "Bli partner"}[lang]
    for r in (rendered, rendered_partners_only):
        page = r.html_for(public(lang))
        assert cta in page
        assert f"{SITE_URL}/bli-partnar/" in page
    # the teaser keeps the public parts: title and summary of the partners-only brief
    page = rendered.html_for(public(lang))
    assert "Nettkø som flaskehals for nye næringsareal" in page
    assert "Kø i straumnettet stoppar etableringar." in page


@pytest.mark.parametrize("lang", ["nn", "nb"])
def test_partner_edition_has_every_sentinel_and_the_unlock_link(loaded, rendered, lang):
    _, _, registry = loaded
    recipient = partner(registry, "1103", lang)
    text = everything(rendered, recipient)
    assert [s for s in SENTINELS if s not in text] == []
    token = unlock_token(SECRET, "1103", 1)
    assert f"{SITE_URL}/perspektiv/perspektiv-7/#k={token}" in rendered.html_for(recipient)
    assert f"{SITE_URL}/perspektiv/perspektiv-7/#k={token}" in rendered.text_for(recipient)
    # partners-only cards link with the key, public ones without
    assert f"{SITE_URL}/notat/nettko-partnar/#k={token}" in rendered.html_for(recipient)
    assert f'href="{SITE_URL}/notat/havvind-open/"' in rendered.html_for(recipient)


def test_partners_only_issue_body_is_in_the_partner_edition_only(loaded, rendered_partners_only):
    _, _, registry = loaded
    assert ISSUE_SENTINEL in everything(rendered_partners_only, partner(registry, "4621", "nn"))
    assert ISSUE_SENTINEL not in everything(rendered_partners_only, public("nb"))
    assert "Eit partnarnummer om nettkø." in rendered_partners_only.html_for(public("nb"))


def test_each_partner_gets_its_own_key(loaded, rendered):
    _, _, registry = loaded
    voss, stavanger = partner(registry, "4621", "nn"), partner(registry, "1103", "nn")
    assert unlock_token(SECRET, "4621", 2) in rendered.html_for(voss)
    assert unlock_token(SECRET, "1103", 1) not in rendered.html_for(voss)
    assert unlock_token(SECRET, "1103", 1) in rendered.html_for(stavanger)


def test_language_follows_malform_then_the_issue(loaded):
    _, site, registry = loaded
    nn_issue, nb_issue = issue_of(site, "perspektiv-7"), issue_of(site, "perspektiv-8-partnar")
    voss, stavanger = registry.partner("4621"), registry.partner("1103")  # nynorsk, nøytral
    bokmal = dataclasses.replace(
        stavanger, org=dataclasses.replace(stavanger.org, malform="bokmål")
    )
    assert lang_for_partner(voss, nb_issue) == "nn"
    assert lang_for_partner(bokmal, nn_issue) == "nb"
    assert lang_for_partner(stavanger, nn_issue) == "nn"
    assert lang_for_partner(stavanger, nb_issue) == "nb"
    assert lang_for_subscriber("nb", nn_issue) == "nb"
    assert lang_for_subscriber(None, nb_issue) == "nb"
    assert lang_for_subscriber("en", nn_issue) == "nn"
    contact = stavanger.contacts[0]
    r = partner_recipient(contact, stavanger, nb_issue)
    assert (r.edition, r.lang, r.partner_id, r.organisation) == (
        "partner",
        "nb",
        "1103",
        "Stavanger",
    )
    assert public_recipient("a@example.org", "", None, nn_issue).lang == "nn"


def test_interface_strings_follow_the_recipients_language(loaded, rendered):
    _, _, registry = loaded
    nn = rendered.html_for(partner(registry, "4621", "nn"))
    nb = rendered.html_for(partner(registry, "4621", "nb"))
    assert '<html lang="nn"' in nn and "I DETTE NUMMERET" in nn and "Opne alt partnarinnhald" in nn
    assert '<html lang="nb"' in nb and "I DENNE UTGAVEN" in nb and "Åpne alt partnerinnhold" in nb
    assert "I DENNE UTGAVEN" not in nn and "I DETTE NUMMERET" not in nb
    assert "Lenkjer:" in rendered.text_for(public("nn"))
    assert "Lenker:" in rendered.text_for(public("nb"))


def test_personal_fields_are_filled_and_escaped(loaded, rendered):
    _, _, registry = loaded
    p = registry.partner("1103")
    contact = p.contacts[0]  # "Ola O'Brien & Co <test>"
    recipient = partner_recipient(contact, p, issue_of(loaded[1], "perspektiv-7"))
    page, text = rendered.html_for(recipient), rendered.text_for(recipient)
    assert html.escape(f"Hei, {contact.name}!") in page
    assert "<test>" not in page
    assert f"Hei, {contact.name}!" in text
    assert "kontaktperson for Stavanger" in page and contact.email in page
    for out in (page, text):
        assert LEFTOVER.findall(out) == []
    nameless = Recipient("x@example.org", "", "public", "nb")
    assert "Hei!" in rendered.html_for(nameless)


def test_every_url_is_absolute_and_relative_markdown_links_are_resolved(loaded, rendered):
    _, _, registry = loaded
    for recipient in (public("nn"), partner(registry, "4621", "nb")):
        page = rendered.html_for(recipient)
        assert relative_urls(page) == []
        assert f'href="{SITE_URL}/notat/nettko-partnar/"' in page  # written as ../../notat/…
        assert f'src="{SITE_URL}/images/havvind.png"' in page  # written as {static}/images/…
        assert all(alt for alt in re.findall(r'<img[^>]*alt="([^"]*)"', page))


def test_plain_text_is_readable_with_links_listed(rendered):
    text = rendered.text_for(public("nn"))
    assert "<" not in text.replace("<test>", "")
    assert "havvind [1] og på nettkø [2]" in text
    assert "[3] https://www.regjeringen.no/no/tema/energi/" in text
    assert f"Les meir: {SITE_URL}/notat/havvind-open/" in text
    prose = [line for line in text.splitlines() if not re.search(r"https?://|mailto:", line)]
    assert max(len(line) for line in prose) <= 72


def test_message_headers_and_parts(loaded):
    config, site, registry = load(KP_UNSUBSCRIBE_URL="https://kommunepartnar.example.org/avmelding")
    r = render_issue(issue_of(site, "perspektiv-7"), site, registry, config, SECRET)
    recipient = partner(registry, "4621", "nn")
    msg = r.message_for(recipient, message_id="<p7.abc@example.org>", date=NOW)
    parsed = message_from_bytes(bytes(msg), policy=policy.strict)
    assert parsed.defects == [] and all(not p.defects for p in parsed.walk())
    assert parsed.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
    assert parsed["Message-ID"] == "<p7.abc@example.org>"
    assert parsed["To"] == "Kari <kontakt@example.org>"
    assert parsed["From"] and parsed["Date"] and parsed["Subject"].startswith("Perspektiv 7")
    unsubscribe = parsed["List-Unsubscribe"]
    assert re.fullmatch(
        r"<https://kommunepartnar\.example\.org/avmelding\?t=[\w.-]+>, <mailto:[^>]+>", unsubscribe
    )
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "=?" not in bytes(msg).decode().split("\n\n")[0]  # no encoded words in the headers


def test_without_an_unsubscribe_url_only_mailto_and_no_one_click(rendered):
    msg = rendered.message_for(public("nn"), message_id="<x@example.org>", date=NOW)
    assert msg["List-Unsubscribe"].startswith("<mailto:avmelding@example.org?subject=")
    assert "List-Unsubscribe-Post" not in msg


def test_oversized_issue_names_the_items_to_shorten(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    big = root / "content" / "briefs" / "nettko-partnar.md"
    big.write_text(big.read_text() + "\n" + "Eit langt avsnitt om nettkø. " * 4000 + "\n")
    config, site, registry = load(root)
    with pytest.raises(InputError) as err:
        render_issue(issue_of(site, "perspektiv-7"), site, registry, config, SECRET)
    message = str(err.value)
    assert "nettko-partnar.md" in message
    assert "havvind-open.md" not in message  # small items are not blamed
    assert f"over the {HTML_BUDGET // 1024} KB budget" in message
    assert "partner edition" in message


def test_an_image_without_alt_text_is_reported_with_its_line(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    brief = root / "content" / "briefs" / "nettko-partnar.md"
    brief.write_text(brief.read_text() + "\n![](https://example.org/kart.png)\n")
    config, site, registry = load(root)
    line = brief.read_text().split("\n").index("![](https://example.org/kart.png)") + 1
    with pytest.raises(InputError) as err:
        render_issue(issue_of(site, "perspektiv-7"), site, registry, config, SECRET)
    assert (
        f"nettko-partnar.md:{line}:1: body: the image 'https://example.org/kart.png' has no alt text"
        in str(err.value)
    )


def test_a_relative_site_url_is_refused(loaded):
    config, site, registry = load(SITEURL="")
    with pytest.raises(InputError, match="SITEURL"):
        render_issue(issue_of(site, "perspektiv-7"), site, registry, config, SECRET)


def test_no_partner_edition_for_a_partner_out_of_good_standing(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    registry_file = root / "partners.yaml"
    registry_file.write_text(registry_file.read_text().replace("status: active", "status: ended"))
    config, site, registry = load(root)
    r = render_issue(issue_of(site, "perspektiv-7"), site, registry, config, SECRET)
    with pytest.raises(ValueError, match="not a partner in good standing"):
        r.html_for(partner(registry, "4621", "nn"))
    assert "SENTINEL" not in r.html_for(public("nn"))


def test_a_featured_brief_shows_its_series_number(rendered):
    """Both editions, HTML and text: the kind of item, then its number ('Temanotat 2026:3')."""
    page, text = rendered.html_for(public("nn")), rendered.text_for(public("nn"))
    assert "NOTAT · TEMANOTAT 2026:3" in page
    assert "Temanotat 2026:3" in text
