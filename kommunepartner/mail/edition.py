"""Newsletter editions: each (edition, language) of an issue rendered once, then personalised.

The contract the sending side relies on:

    rendered = render_issue(issue, site, registry, config, secret)   # InputError on bad input
    data = rendered.bytes_for(recipient, message_id="<…@…>", date=now)  # bytes, as sent
    msg = rendered.message_for(recipient, message_id="<…@…>", date=now)  # an EmailMessage

Jinja2 → MJML → mjml-python runs once per (edition, language); per-recipient values (greeting,
why the reader gets this, the partner's unlock token, the unsubscribe link) are placeholders in
that output, filled in per message with HTML escaping. Each variant's MIME skeleton (fixed
headers, boundary, quoted-printable parts split around the placeholders) is built once too, so a
message costs only the encoding of its personal values (see skeleton.py).
"""

from __future__ import annotations

import html
import logging
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from mjml import mjml2html

from kommunepartner.access.crypto import unlock_token
from kommunepartner.base.config import Config
from kommunepartner.base.errors import Collector, InputError, Problem, RunError
from kommunepartner.base.i18n import catalogue, lang_for_malform
from kommunepartner.content.items import LANGS, Item, Site
from kommunepartner.content.registry import Contact, Partner, Registry
from kommunepartner.mail.emailhtml import relative_urls
from kommunepartner.mail.emailview import EDITIONS, IssueView, issue_view
from kommunepartner.mail.message import SMTP_POLICY, Unsubscribe, build_message, unsubscribe_for
from kommunepartner.mail.plaintext import wrap
from kommunepartner.mail.recipient import Recipient
from kommunepartner.mail.skeleton import Skeleton, build_skeleton, personal_headers

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parents[2] / "themes" / "kommunepartner" / "email"
HTML_BUDGET = 100 * 1024  # bytes of HTML per message; Gmail clips at about 102 KB
TEST_PARTNER = "0000"  # the partner of test copies: no kommunenummer, so never in the registry
FIELDS = ("greeting", "why", "unlock_text", "token", "unsubscribe_url")
# Upper bounds of a filled-in field, for checking the budget before any recipient is known.
MAX_FILL = {"greeting": 160, "why": 520, "unlock_text": 320, "token": 64, "unsubscribe_url": 900}


def placeholders(nonce: str) -> dict[str, str]:
    """Per-recipient fields as markers that pass MJML unchanged (letters and digits only)."""
    return {f: f"KPX{nonce}{f.replace('_', '').upper()}KPX" for f in FIELDS}


@dataclass(frozen=True)
class Variant:
    """One (edition, language) of an issue: HTML and text with per-recipient placeholders."""

    edition: str
    lang: str
    subject: str
    preheader: str
    html: str
    text: str
    view: IssueView

    def worst_case_bytes(self, marks: dict[str, str]) -> int:
        """HTML size once the longest plausible personal values are filled in."""
        size = len(self.html.encode())
        for f, mark in marks.items():
            size += self.html.count(mark) * (MAX_FILL[f] - len(mark))
        return size


@dataclass
class RenderedIssue:
    """Every (edition, language) of one issue, rendered once; `bytes_for` personalises."""

    issue: Item
    config: Config
    registry: Registry
    secret: bytes
    variants: dict[tuple[str, str], Variant]
    marks: dict[str, str]
    _skeletons: dict[tuple[str, str, bool], Skeleton] = field(default_factory=dict, repr=False)
    _tokens: dict[tuple[str, int], str] = field(default_factory=dict, repr=False)

    @property
    def newsletter(self) -> str:
        return self.issue.meta["newsletter"]

    def variant(self, recipient: Recipient) -> Variant:
        key = (recipient.edition, recipient.lang)
        if key not in self.variants:
            raise ValueError(
                f"{recipient.email}: edition must be one of {EDITIONS} and lang one of {LANGS},"
                f" not {key}"
            )
        return self.variants[key]

    def personal_values(self, recipient: Recipient) -> dict[str, str]:
        """The recipient's own values of the placeholders, as plain (unescaped) text."""
        return self._personal(recipient)[0]

    def _personal(
        self, recipient: Recipient, proof: bool = False
    ) -> tuple[dict[str, str], Unsubscribe]:
        T = catalogue(recipient.lang)
        unsubscribe = unsubscribe_for(self.config, self.secret, recipient.email, self.newsletter)
        name = recipient.name.strip()
        values = {
            "greeting": T["email_greeting_named"].format(name=name)
            if name
            else T["email_greeting"],
            "why": T["email_why_public"].format(email=recipient.email),
            "unlock_text": "",
            "token": "",
            "unsubscribe_url": unsubscribe.link,
        }
        if recipient.edition == "partner" and proof:
            # A test copy carries the test partner's key: a real partner's never leaves the
            # registry for a test, and this one opens nothing (no page is sealed for it).
            org = recipient.organisation or T["email_test_organisation"]
            values["why"] = T["email_why_partner"].format(organisation=org, email=recipient.email)
            values["unlock_text"] = T["email_unlock_text"].format(organisation=org)
            values["token"] = unlock_token(self.secret, TEST_PARTNER, 1)
        elif recipient.edition == "partner":
            partner = self.registry.partner(recipient.partner_id or "")
            if partner is None:
                raise ValueError(
                    f"{recipient.email}: the partner edition needs the id of a partner in"
                    f" {self.registry.path}, not {recipient.partner_id!r}"
                )
            if not partner.in_good_standing(self.config.now.date()):
                # the partner edition carries partners-only text and a working key
                raise ValueError(
                    f"{recipient.email}: {partner.name} ({partner.id}) is not a partner in good"
                    f" standing on {self.config.now.date()}, so gets no partner edition"
                )
            org = recipient.organisation or partner.name
            values["why"] = T["email_why_partner"].format(organisation=org, email=recipient.email)
            values["unlock_text"] = T["email_unlock_text"].format(organisation=org)
            key = (partner.id, partner.key_version)
            if key not in self._tokens:  # HKDF once per partner, not once per contact
                self._tokens[key] = unlock_token(self.secret, *key)
            values["token"] = self._tokens[key]
        return values, unsubscribe

    def html_for(self, recipient: Recipient) -> str:
        """The recipient's HTML: the variant with personal values filled in, HTML-escaped."""
        values = _escaped(self.personal_values(recipient))
        return _fill(self.variant(recipient).html, self.marks, values)

    def text_for(self, recipient: Recipient) -> str:
        """The recipient's plain-text part."""
        values = _wrapped(self.personal_values(recipient))
        return _fill(self.variant(recipient).text, self.marks, values)

    def bytes_for(self, recipient: Recipient, *, message_id: str, date: datetime) -> bytes:
        """The complete personalised message as sent: RFC 5322 bytes with CRLF line ends.

        Arguments and errors as for `message_for`. Filled into the variant's MIME skeleton, so
        about 50 times faster than building an EmailMessage; a recipient whose name, address or
        Message-ID is not plain (see `skeleton.personal_headers`) gets `reference_message`.
        """
        fast = self._filled(recipient, message_id, date)
        if fast is None:
            message = self.reference_message(recipient, message_id=message_id, date=date)
            return message.as_bytes(policy=SMTP_POLICY)
        return fast[0].to_bytes(*fast[1:])

    def message_for(self, recipient: Recipient, *, message_id: str, date: datetime) -> EmailMessage:
        """The complete personalised message for one recipient, every header set.

        `recipient.edition` is "partner" (needs `partner_id` of a partner in the registry) or
        "public"; `recipient.lang` is "nn" or "nb" (see `lang_for_partner`/`lang_for_subscriber`).
        `message_id` is used as given ("<local@domain>"; brackets are added when missing), so a
        resent message keeps its id. Raises ValueError for a recipient that fits no variant.
        The message is the one `bytes_for` gives, as parsing those bytes would give it.
        """
        fast = self._filled(recipient, message_id, date)
        if fast is None:
            return self.reference_message(recipient, message_id=message_id, date=date)
        return fast[0].to_message(*fast[1:])

    def _filled(self, recipient: Recipient, message_id: str, date: datetime):
        """(skeleton, personal headers, text part, HTML part), both parts quoted-printable."""
        variant = self.variant(recipient)
        values, unsubscribe = self._personal(recipient)
        escaped = _escaped(values)
        key = (variant.edition, variant.lang, bool(unsubscribe.https))
        skeleton = self._skeletons.get(key)
        if skeleton is None:
            skeleton = self._skeletons[key] = build_skeleton(
                sender=self.config.sender,
                reply_to=self.config.reply_to,
                subject=variant.subject,
                newsletter=self.newsletter,
                lang=variant.lang,
                one_click=bool(unsubscribe.https),
                text=variant.text,
                html=variant.html,
                marks=self.marks,
            )
        self._check_size(recipient, skeleton.html.size(escaped))
        personal = personal_headers(
            recipient.name, recipient.email, _bracketed(message_id), date, unsubscribe
        )
        if personal is None:
            return None
        return skeleton, personal, *skeleton.parts(_wrapped(values), escaped)

    def reference_message(
        self, recipient: Recipient, *, message_id: str, date: datetime
    ) -> EmailMessage:
        """The message built field by field with the standard library: slower, for any value."""
        variant = self.variant(recipient)
        body = self.html_for(recipient)
        self._check_size(recipient, len(body.encode()))
        return build_message(
            sender=self.config.sender,
            recipient=recipient,
            subject=variant.subject,
            text=self.text_for(recipient),
            html=body,
            message_id=message_id,
            date=date,
            reply_to=self.config.reply_to,
            unsubscribe=unsubscribe_for(self.config, self.secret, recipient.email, self.newsletter),
            newsletter=self.newsletter,
            lang=recipient.lang,
        )

    def proof_bytes(self, recipient: Recipient, *, message_id: str, date: datetime) -> bytes:
        """A test copy (`send --to`): `[TEST]`, edition and language in the subject and in a
        banner at the top of both parts, and the test partner's key, which opens nothing."""
        variant = self.variant(recipient)
        values, unsubscribe = self._personal(recipient, proof=True)
        T = catalogue(recipient.lang)
        said = {
            "edition": T[f"email_edition_{recipient.edition}"],
            "lang": T[f"email_lang_{recipient.lang}"],
        }
        banner = T["email_test_banner"].format(**said)
        body = _fill(variant.html, self.marks, _escaped(values))
        body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + _banner_html(banner), body, count=1)
        self._check_size(recipient, len(body.encode()))
        text = f"{banner}\n\n" + _fill(variant.text, self.marks, _wrapped(values))
        message = build_message(
            sender=self.config.sender,
            recipient=recipient,
            subject=T["email_test_subject"].format(subject=variant.subject, **said),
            text=text,
            html=body,
            message_id=message_id,
            date=date,
            reply_to=self.config.reply_to,
            unsubscribe=unsubscribe,
            newsletter=self.newsletter,
            lang=recipient.lang,
        )
        return message.as_bytes(policy=SMTP_POLICY)

    def _check_size(self, recipient: Recipient, size: int) -> None:
        if size > HTML_BUDGET:
            raise InputError(
                Problem(
                    self.issue.path,
                    message=f"the message to {recipient.email} would have"
                    f" {size / 1024:.1f} KB of HTML, over the"
                    f" {HTML_BUDGET // 1024} KB budget — shorten the issue",
                )
            )

    def sizes(self) -> dict[tuple[str, str], int]:
        """Bytes of HTML per (edition, language), before personal values are filled in."""
        return {k: len(v.html.encode()) for k, v in self.variants.items()}


def _banner_html(text: str) -> str:
    """The test banner: inline styles, as email clients want them."""
    style = (
        "background:#fff3cd;border:3px solid #b45309;color:#1f2937;padding:12px 16px;"
        "margin:0;font:bold 16px/1.4 Arial,Helvetica,sans-serif"
    )
    return f'<div role="note" style="{style}">{html.escape(text)}</div>'


def _escaped(values: dict[str, str]) -> dict[str, str]:
    return {k: html.escape(v, quote=True) for k, v in values.items()}


def _wrapped(values: dict[str, str]) -> dict[str, str]:
    return {k: wrap(v) if k in ("why", "unlock_text") else v for k, v in values.items()}


def _bracketed(message_id: str) -> str:
    return message_id if re.match(r"^<.+@.+>$", message_id) else f"<{message_id}>"


def _fill(template: str, marks: dict[str, str], values: dict[str, str]) -> str:
    for name, mark in marks.items():
        template = template.replace(mark, values[name])
    return template


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("mjml.j2",), default=False),
        undefined=StrictUndefined,
    )


def render_issue(
    issue: Item, site: Site, registry: Registry, config: Config, secret: bytes
) -> RenderedIssue:
    """Render every (edition, language) of a newsletter issue once.

    Access follows `effective_access` with the registry's rules at `config.now`: the partner
    edition has partners-only items in full plus the recipient's unlock link; the public edition
    shows them as teasers with "Bli partnar" (a partners-only issue's own text too). Raises
    InputError (exit 2) for content problems (images without alt text, unusable links,
    unpublished features) and for HTML over the 100 KB budget, naming the items to shorten.
    """
    if issue.section != "newsletters":
        raise InputError(Problem(issue.path, message="is not a newsletter issue (newsletters/)"))
    marks = placeholders(secrets.token_hex(6))
    env = _environment()
    problems = Collector()
    variants: dict[tuple[str, str], Variant] = {}
    for edition in EDITIONS:
        for lang in LANGS:
            view = issue_view(issue, site, registry, config, edition, lang)
            problems.extend(view.problems)
            context = {"v": view, "T": catalogue(lang), "P": marks, "wrap": wrap}
            source = env.get_template("issue.mjml.j2").render(context)
            # a final newline, as the MIME part will have one: the .eml and email.html then agree
            document = mjml2html(source, fonts={}, disable_comments=True).rstrip("\n") + "\n"
            text = _tidy(env.get_template("issue.txt.j2").render(context))
            variants[(edition, lang)] = Variant(
                edition, lang, view.subject, view.preheader, document, text, view
            )
    problems.raise_if_any()
    _check_output(variants, marks)
    _check_budget(issue, variants, marks)
    log.info("rendered %s: %s", issue.key, {k: len(v.html) for k, v in variants.items()})
    return RenderedIssue(issue, config, registry, secret, variants, marks)


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().split("\n")]
    return re.sub(r"\n{4,}", "\n\n\n", "\n".join(lines)) + "\n"


def _check_output(variants: dict[tuple[str, str], Variant], marks: dict[str, str]) -> None:
    """Template mistakes: MJML or Jinja syntax left over, or a link that is not absolute."""
    for (edition, lang), v in variants.items():
        stripped = v.html
        for mark in marks.values():
            stripped = stripped.replace(mark, "")
        left = re.findall(r"<mj-[a-z-]+|\{\{|\{%", stripped)
        relative = [u for u in relative_urls(v.html) if not u.startswith(marks["unsubscribe_url"])]
        if left or relative:
            raise RunError(
                f"the email templates produced bad HTML for the {edition} edition ({lang}):"
                f" leftover {left[:3]}, relative links {relative[:3]} — fix {TEMPLATES}"
            )


def _check_budget(
    issue: Item, variants: dict[tuple[str, str], Variant], marks: dict[str, str]
) -> None:
    """Every variant within HTML_BUDGET, else one problem per item worth shortening."""
    worst: dict[str, Problem] = {}
    # the issue's own language first, so a message names the variant the editor reads
    for (edition, lang), v in sorted(variants.items(), key=lambda kv: kv[0][1] != issue.lang):
        total = v.worst_case_bytes(marks)
        if total <= HTML_BUDGET:
            continue
        parts = [(issue.path, issue.body_line, "the issue's own text", v.view.body_weight)]
        parts += [(c.path, c.line, f"'{c.title}'", c.weight) for c in v.view.cards]
        excess = total - HTML_BUDGET
        for path, line, what, weight in sorted(parts, key=lambda p: -p[3]):
            if excess <= 0 or weight == 0:
                break
            excess -= weight
            problem = Problem(
                path,
                line,
                1 if line else 0,
                "body" if line else "",
                f"{what} adds {weight / 1024:.1f} KB to the {edition} edition ({lang}), which"
                f" would be {total / 1024:.1f} KB of HTML — over the {HTML_BUDGET // 1024} KB"
                " budget (Gmail clips longer emails): shorten it, or leave it out of features",
            )
            worst.setdefault(path, problem)
    if worst:
        raise InputError(list(worst.values()))


def lang_for_partner(partner: Partner, issue: Item) -> str:
    """A partner contact's language: the partner's målform; nøytral → the issue's language."""
    return lang_for_malform(partner.malform, issue.lang)


def lang_for_subscriber(preference: str | None, issue: Item) -> str:
    """A public subscriber's language: their stated preference (nn/nb), else the issue's."""
    return preference if preference in LANGS else issue.lang


def partner_recipient(contact: Contact, partner: Partner, issue: Item) -> Recipient:
    """The Recipient for a partner contact: partner edition, language from the målform."""
    return Recipient(
        email=contact.email,
        name=contact.name,
        edition="partner",
        lang=lang_for_partner(partner, issue),
        partner_id=partner.id,
        organisation=partner.name,
        role=contact.role,
    )


def public_recipient(email: str, name: str, preference: str | None, issue: Item) -> Recipient:
    """The Recipient for a public subscriber: public edition, their language or the issue's."""
    return Recipient(
        email=email, name=name, edition="public", lang=lang_for_subscriber(preference, issue)
    )
