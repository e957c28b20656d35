"""Head tags, JSON-LD, sitemap and robots: the teaser of a partners-only item, never its body."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date

from kommunepartner.base.schema import a_datetime
from kommunepartner.content.items import Item
from kommunepartner.outputs import listing
from kommunepartner.outputs.calendar import CalendarEvent
from kommunepartner.outputs.discovery import (
    PageInfo,
    SiteInfo,
    SitemapEntry,
    head_meta,
    jsonld_text,
    language_versions,
    robots_txt,
    sitemap_xml,
    version_key,
)

SITE = SiteInfo("Kommunepartner", "https://kp.example.org", "Initiativ Vest", "nn")


def brief(**meta) -> Item:
    m = {"title": "Havvind", "date": a_datetime("2026-03-02"), "summary": "Kort samandrag."}
    return Item("briefs", "content/briefs/havvind.md", "havvind", m | meta, "BODY", 1, "nn")


def page(item: Item, **kw) -> PageInfo:
    return PageInfo(
        kind="item",
        url="https://kp.example.org/notat/havvind/",
        title=item.title,
        description=item.summary_text,
        lang=item.lang,
        item=item,
        **kw,
    )


def test_article_jsonld_of_a_partners_only_brief_is_the_teaser():
    meta = head_meta(page(brief(authors=["Ingrid Haugland"]), partners_only=True), SITE)
    data = json.loads(meta.jsonld)
    assert data["@type"] == "Article" and data["headline"] == "Havvind"
    assert data["description"] == "Kort samandrag."
    assert data["isAccessibleForFree"] is False
    assert data["hasPart"]["isAccessibleForFree"] is False
    assert data["author"] == [{"@type": "Person", "name": "Ingrid Haugland"}]
    assert "articleBody" not in data and "BODY" not in meta.jsonld


def test_open_graph_twitter_and_canonical():
    meta = head_meta(page(brief(image="images/havvind.jpg", image_alt="Turbinar")), SITE)
    og = dict(meta.og)
    assert meta.canonical == og["og:url"] == "https://kp.example.org/notat/havvind/"
    assert og["og:type"] == "article" and og["og:locale"] == "nn_NO"
    assert og["og:image"] == "https://kp.example.org/images/havvind.jpg"
    assert dict(meta.twitter)["twitter:card"] == "summary_large_image"


def test_hreflang_lists_every_version_or_none():
    alternates = (("nb", "https://kp/nb/"), ("nn", "https://kp/nn/"))
    assert head_meta(page(brief(), alternates=alternates), SITE).alternates == alternates
    assert head_meta(page(brief()), SITE).alternates == ()


def test_event_page_gets_event_jsonld():
    m = {"title": "Treff", "start": a_datetime("2026-03-29 10:00"), "series": "partnertreff"}
    m |= {"format": "digital", "online_url": "https://meet.example.org/SECRET"}
    item = Item("events", "content/events/treff.md", "treff", m, "", 1, "nn")
    url = "https://kp.example.org/arrangement/treff/"
    info = PageInfo("item", url, "Treff", "", "nn", item=item, event=CalendarEvent(item, url))
    meta = head_meta(info, SITE)
    data = json.loads(meta.jsonld)
    assert data["@type"] == "Event" and data["startDate"] == "2026-03-29T10:00:00+02:00"
    assert "SECRET" not in meta.jsonld
    assert dict(meta.og)["og:type"] == "website"


def test_front_page_is_a_website_with_a_search_action_404_is_noindex():
    home = head_meta(PageInfo("home", "https://kp.example.org/", "K", "d", "nn"), SITE)
    data = json.loads(home.jsonld)
    assert data["@type"] == "WebSite"
    assert data["potentialAction"]["target"].startswith("https://kp.example.org/sok/?q=")
    missing = head_meta(
        PageInfo("notfound", "https://kp.example.org/404.html", "K", "", "nn"), SITE
    )
    assert missing.robots == "noindex" and missing.canonical == ""


def test_jsonld_text_cannot_close_its_script_element():
    text = jsonld_text({"name": "</script><script>alert(1)</script>"})
    assert "</script>" not in text and json.loads(text)["name"].startswith("</script>")


def test_sitemap_is_valid_xml_with_each_address_once():
    xml = sitemap_xml(
        [
            SitemapEntry("https://kp.example.org/"),
            SitemapEntry("https://kp.example.org/notat/a/?x=1&y=2", date(2026, 3, 2)),
            SitemapEntry("https://kp.example.org/"),
        ]
    )
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = ET.fromstring(xml).findall("s:url", ns)
    assert [u.findtext("s:loc", namespaces=ns) for u in urls] == [
        "https://kp.example.org/",
        "https://kp.example.org/notat/a/?x=1&y=2",
    ]
    assert urls[1].findtext("s:lastmod", namespaces=ns) == "2026-03-02"


def test_robots_names_the_sitemap():
    assert "Sitemap: https://kp.example.org/sitemap.xml" in robots_txt("https://kp.example.org")


def test_language_versions_agree_with_listing_translations():
    nn = brief()
    nb = Item("briefs", "b.md", "havvind-nb", {**nn.meta, "translation_of": "havvind"}, "", 1, "nb")
    other = Item("briefs", "c.md", "anna", dict(nn.meta), "", 1, "nn")
    event = Item("events", "e.md", "havvind", {"title": "x"}, "", 1, "nb")
    items = [nn, nb, other, event]
    groups = language_versions(items)
    for item in items:
        mine = {i.slug + i.lang for i in groups[version_key(item)] if i is not item}
        assert mine == {i.slug + i.lang for i in listing.translations(item, items)}
