"""One newsletter email as an EmailMessage: every header, text then HTML (multipart/alternative)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, parseaddr
from urllib.parse import quote

from kommunepartner.base.config import Config
from kommunepartner.base.errors import ConfigError
from kommunepartner.base.schema import OSLO
from kommunepartner.mail.recipient import Recipient
from kommunepartner.mail.unsubscribe import unsubscribe_token

# Long URLs in List-Unsubscribe must stay plain ASCII: with the default 78-column folding, Python
# turns an unbreakable URL into an RFC 2047 encoded word, which mail clients cannot use.
POLICY = policy.default.clone(max_line_length=998)
# The same with CRLF, for the bytes handed to smtplib and DKIM (policy.SMTP folds at 78 columns).
SMTP_POLICY = POLICY.clone(linesep="\r\n")


@dataclass(frozen=True)
class Unsubscribe:
    """Where one recipient unsubscribes: the mailto: address, and the https URL when configured."""

    mailto: str
    https: str = ""

    @property
    def link(self) -> str:
        """The link the email's footer shows: the web page when there is one, else the mailto:."""
        return self.https or self.mailto

    def headers(self) -> dict[str, str]:
        """List-Unsubscribe, and List-Unsubscribe-Post only with an https URL (RFC 8058)."""
        urls = [u for u in (self.https, self.mailto) if u]
        out = {"List-Unsubscribe": ", ".join(f"<{u}>" for u in urls)}
        if self.https:
            out["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        return out


def unsubscribe_for(config: Config, secret: bytes, email: str, newsletter: str) -> Unsubscribe:
    """The recipient's unsubscribe addresses, each carrying a token signed with the site secret."""
    token = unsubscribe_token(secret, email, newsletter)
    if not config.unsubscribe_mailto and not config.unsubscribe_url:
        raise ConfigError(
            "every newsletter needs a way to unsubscribe: set KP_UNSUBSCRIBE_MAILTO"
            " (e.g. 'avmelding@example.org') and, for one-click, KP_UNSUBSCRIBE_URL",
            "KP_UNSUBSCRIBE_MAILTO",
        )
    mailto = ""
    if config.unsubscribe_mailto:
        mailto = f"mailto:{config.unsubscribe_mailto}?subject={quote('unsubscribe ' + token)}"
    https = ""
    if config.unsubscribe_url:
        if not config.unsubscribe_url.startswith("https://"):
            raise ConfigError(
                f"KP_UNSUBSCRIBE_URL is '{config.unsubscribe_url}' — one-click unsubscribe needs"
                " an https:// address (RFC 8058), e.g. https://kommunepartner.no/avmelding",
                "KP_UNSUBSCRIBE_URL",
            )
        joiner = "&" if "?" in config.unsubscribe_url else "?"
        https = f"{config.unsubscribe_url}{joiner}t={token}"
    return Unsubscribe(mailto, https)


def list_id(sender: str, newsletter: str) -> str:
    """`Perspektiv <perspektiv.example.org>` (RFC 2919), from the sender's domain."""
    return f"{newsletter.title()} <{newsletter}.{sender_domain(sender)}>"


def sender_domain(sender: str) -> str:
    """The domain of the From address ("localhost" when it has none)."""
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] if "@" in address else "localhost"


def _address(display: str, email: str) -> Address:
    local, _, domain = email.strip().rpartition("@")
    return Address(display_name=display, username=local, domain=domain)


def build_message(
    *,
    sender: str,
    recipient: Recipient,
    subject: str,
    text: str,
    html: str,
    message_id: str,
    date: datetime,
    reply_to: str,
    unsubscribe: Unsubscribe,
    newsletter: str,
    lang: str,
) -> EmailMessage:
    """The complete message: From, To, Date, Message-ID, Subject, List-* headers, text + HTML."""
    msg = EmailMessage(policy=POLICY)
    name, addr = getaddresses([sender])[0]
    msg["From"] = _address(name, addr)
    msg["To"] = _address(recipient.name, recipient.email)
    if reply_to:
        msg["Reply-To"] = reply_to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date if date.tzinfo else date.replace(tzinfo=OSLO))
    msg["Message-ID"] = message_id if re.match(r"^<.+@.+>$", message_id) else f"<{message_id}>"
    msg["List-Id"] = list_id(sender, newsletter)
    for header, value in unsubscribe.headers().items():
        msg[header] = value
    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    # after the parts: add_alternative moves every Content-* header into the first part
    msg["Content-Language"] = lang
    return msg
