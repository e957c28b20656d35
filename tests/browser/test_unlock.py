"""Unlocking partners-only content in real Chromium: links, Safe Links, paste, forget, messages.

One build of the leak fixture (tests/fixtures/sites/leaks/) served on 127.0.0.1; every key case
gets a fresh page (a fragment change alone does not reload a page).
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from kommunepartner.access.crypto import unlock_token
from kommunepartner.base.i18n import catalogue
from tests.conftest import ARTIFACTS, FIXTURES, TEST_SECRET, build_fixture_site, served
from tests.sealed import sealed_parts

pytestmark = pytest.mark.browser

BRIEF = "/notat/partners-only-brief/"
BOKMAL = "/notat/partners-only-bokmal/"
BODY = "PRIVATESENTINELBRIEFBODY"
NN, NB = catalogue("nn"), catalogue("nb")
GOLDEN = FIXTURES / "crypto" / "golden_vectors.json"


def token(pid: str, version: int = 1) -> str:
    return unlock_token(TEST_SECRET.encode(), pid, version)


BERGEN = token("4601")  # pilot, key_version 1
KINN = token("4602")  # ended: no wrapped key in this build


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(base URL, output folder) of the leak fixture site, built once for this module."""
    site, settings = FIXTURES / "sites" / "leaks", FIXTURES / "sites" / "relative_urls.py"
    out = build_fixture_site(tmp_path_factory.mktemp("unlock"), site, "2026-11-30 12:00", settings)
    with served(out) as url:
        yield url, out


@pytest.fixture(scope="module")
def site_url(built) -> str:
    return built[0]


@pytest.fixture
def watched(page: Page, site_url):
    """The page, failing the test on any script error or any request off 127.0.0.1."""
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on(
        "request",
        lambda r: r.url.startswith(site_url) or problems.append(f"request: {r.url}"),
    )
    yield page
    assert [p for p in problems if "404 (Not Found)" not in p] == []


def locked(page: Page, t: dict = NN) -> None:
    expect(page.locator("[data-kp-locked]")).to_be_visible()
    expect(page.get_by_role("link", name=t["access_become_partner"]).last).to_be_visible()
    expect(page.locator("#kp-body")).to_be_hidden()
    assert BODY not in page.content()


def test_no_key_shows_the_teaser_and_the_call_to_action(watched: Page, site_url):
    watched.goto(site_url + BRIEF)
    expect(watched.locator("h1")).to_contain_text("PUBLICSENTINELBRIEFTITLE")
    expect(watched.get_by_label(NN["access_paste_label"])).to_be_visible()
    locked(watched)


def test_a_link_unlocks_hides_the_key_survives_reload_opens_all_and_forget_locks(
    watched: Page, site_url
):
    watched.goto(f"{site_url}{BRIEF}#k={BERGEN}")
    expect(watched.locator("#kp-body")).to_contain_text(BODY)
    expect(watched.locator("#kp-body table")).to_contain_text("PRIVATESENTINELTABLECELL")
    assert watched.evaluate("location.href") == site_url + BRIEF
    assert watched.evaluate("localStorage.getItem('kommunepartner.key')") == BERGEN
    ARTIFACTS.mkdir(exist_ok=True)
    watched.screenshot(path=ARTIFACTS / "access-unlocked.png", full_page=True)

    watched.reload()
    expect(watched.locator("#kp-body")).to_contain_text(BODY)
    watched.goto(site_url + BOKMAL)  # one key opens every partners-only page
    expect(watched.locator("#kp-body")).to_contain_text("PRIVATESENTINELBOKMALBODY")

    watched.get_by_role("button", name=NB["access_forget"]).click()
    watched.wait_for_load_state()
    locked(watched, NB)
    assert watched.evaluate("localStorage.getItem('kommunepartner.key')") is None


def test_a_revoked_partners_link_stays_locked_with_a_message(watched: Page, site_url):
    watched.goto(f"{site_url}{BRIEF}#k={KINN}")
    expect(watched.locator("[data-kp-status]")).to_have_text(NN["access_js_not_included"])
    expect(watched.get_by_role("button", name=NN["access_forget"]).first).to_be_visible()
    locked(watched)


def test_a_wrong_or_outdated_key_says_so(watched: Page, site_url):
    watched.goto(f"{site_url}{BRIEF}#k={token('4601', 2)}")
    expect(watched.locator("[data-kp-status]")).to_have_text(NN["access_js_wrong_key"])
    locked(watched)


def test_safe_links_form_on_the_404_page_stores_the_key_and_redirects(watched: Page, site_url):
    watched.goto(f"{site_url}{BRIEF}%23k={BERGEN}")
    watched.wait_for_url(site_url + BRIEF)
    expect(watched.locator("#kp-body")).to_contain_text(BODY)


def test_pasting_a_safe_links_wrapped_link_unlocks_and_garbage_gets_a_message(
    watched: Page, site_url
):
    watched.goto(site_url + BRIEF)
    field = watched.get_by_label(NN["access_paste_label"])
    field.fill("https://example.org/not-a-link")
    field.press("Enter")
    expect(watched.locator("[data-kp-status]")).to_have_text(NN["access_js_bad_link"])
    wrapped = "https://eur01.safelinks.protection.outlook.com/?url=" + quote(
        f"https://kommunepartner.example.org{BRIEF}#k={BERGEN}", safe=""
    )
    field.fill(wrapped)
    watched.get_by_role("button", name=NN["access_unlock_button"]).click()
    expect(watched.locator("#kp-body")).to_contain_text(BODY)
    assert watched.evaluate("localStorage.getItem('kommunepartner.key')") == BERGEN
    assert "?" not in watched.evaluate("location.href")  # the form never submits the key


def test_a_link_to_a_public_page_confirms_the_key_was_saved(watched: Page, site_url):
    watched.goto(f"{site_url}/#k={BERGEN}")
    expect(watched.locator(".kp-notice")).to_contain_text(NN["access_js_saved"])
    assert watched.evaluate("location.hash") == ""


def test_every_sealed_part_of_every_page_opens_with_one_key(watched: Page, built):
    url, out = built
    pages = sorted({part.page for part in sealed_parts(out)})
    assert len(pages) >= 3
    watched.goto(f"{url}/#k={BERGEN}")
    for rel in pages:
        watched.goto(f"{url}/{rel}")
        slots = watched.locator("[data-kp-slot]")
        expect(slots.last).to_be_visible()
        assert slots.count() == (out / rel).read_text().count('class="kp-sealed"')
        assert all(s.inner_text().strip() for s in slots.all()), rel


def test_python_and_the_page_script_agree_on_every_golden_vector(watched: Page, site_url):
    watched.goto(site_url + "/")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    results = watched.evaluate(
        """async (g) => {
            const hex = (h) => new Uint8Array(h.match(/../g) || []).map((_, i) => parseInt(h.substr(i * 2, 2), 16));
            const toHex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, "0")).join("");
            const out = {gcm: [], sealed: []};
            for (const v of g.aes_gcm) {
                const plain = await KommunepartnerAccess.aesGcmOpen(hex(v.key), hex(v.nonce), hex(v.aad), hex(v.ciphertext));
                const key = await crypto.subtle.importKey("raw", hex(v.key), "AES-GCM", false, ["encrypt"]);
                const ct = await crypto.subtle.encrypt({name: "AES-GCM", iv: hex(v.nonce), additionalData: hex(v.aad)}, key, hex(v.plaintext));
                out.gcm.push([toHex(plain), toHex(ct)]);
            }
            for (const e of g.envelopes) {
                for (const k of g.partner_keys) {
                    try {
                        out.sealed.push(await KommunepartnerAccess.openPayload(e.payload, k.token, e.item, e.build));
                    } catch (err) {
                        out.sealed.push("failed:" + err.reason);
                    }
                }
            }
            return out;
        }""",
        golden,
    )
    assert results["gcm"] == [[v["plaintext"], v["ciphertext"]] for v in golden["aes_gcm"]]
    expected = [
        "failed:wrong-key" if (k["partner"], k["key_version"]) == ("4601", 2) else e["plaintext"]
        for e in golden["envelopes"]
        for k in golden["partner_keys"]
    ]
    assert results["sealed"] == expected
