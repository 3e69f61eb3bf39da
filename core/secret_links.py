"""Secret links: the addresses that open a council's questionnaire, a benefits tracker, a
match-making request or an Expert Programme application without a password.

Only a digest of a link's token is ever stored. The token itself is not random but
derived: an HMAC, under the site's SECRET_KEY, of a random salt kept on the row beside the
digest. So the app can rebuild a link when it sends a reminder (from the row, with the
key), while someone who reads the database alone learns nothing that opens a page. An
email's stored context holds a reference to the row (`link_reference`), never the token;
the link is put in when the message is rendered (`context_with_links`), and a link that has
been revoked or reissued since is not rebuilt.

Tokens issued before tokens were derived (random, with no salt) keep working through their
digest until they are revoked; they cannot be rebuilt, so a later reminder issues a new
link instead.

Pages at a secret address share one header policy (`secret_page`), and the log filter in
core/logging.py masks the token in every log line.
"""

import base64
import hashlib
import hmac
import secrets
from typing import NamedTuple

from django.apps import apps
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import salted_hmac

# The placeholder a link is built around until the token is known (URL patterns take any
# non-slash text, so it reverses like a token).
TOKEN_SLOT = "~token~"
# Where an email's context keeps its link reference, and where the link is put at render.
REFERENCE_KEY = "secret_link"


class IssuedLink(NamedTuple):
    token: str
    salt: str
    digest: str


def token_digest(token: str) -> str:
    """The stored form of a token: its SHA-256, so a stolen table opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_derive(*, purpose: str, salt: str) -> str:
    """The token a salt gives for `purpose` under this site's SECRET_KEY (256 bits)."""
    mac = salted_hmac(f"sharedmap.secret-link.{purpose}", salt, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def link_issue(*, purpose: str) -> IssuedLink:
    """A new token for a row of `purpose`: store `salt` and `digest` on the row, hand the
    token to the person (in the address) and keep it nowhere else."""
    salt = secrets.token_urlsafe(24)
    token = token_derive(purpose=purpose, salt=salt)
    return IssuedLink(token=token, salt=salt, digest=token_digest(token))


def token_rebuild(*, purpose: str, salt: str, digest: str | None) -> str | None:
    """The row's token again, or None when it cannot be (no salt: issued before tokens
    were derived; a different digest: revoked, reissued, or SECRET_KEY changed)."""
    if not salt or not digest:
        return None
    token = token_derive(purpose=purpose, salt=salt)
    return token if hmac.compare_digest(token_digest(token), digest) else None


def link_reference(row, *, link_for) -> dict:
    """What an email's context stores in place of a link: which row's token to rebuild,
    and the address around it (`link_for(token)` builds the absolute address). The row's
    model names its `SECRET_LINK_PURPOSE`, the filter its live links pass
    (`SECRET_LINK_LIVE`), and keeps `token_salt` and `token_digest`."""
    return {
        "model": row._meta.label_lower,
        "pk": row.pk,
        "address": link_for(TOKEN_SLOT),
    }


def link_rebuild(reference: dict) -> str | None:
    """The absolute link a reference stands for, or None when its row's token cannot be
    rebuilt (see token_rebuild) or the row is gone."""
    model = apps.get_model(reference["model"])
    rows = model._default_manager.filter(pk=reference["pk"], **model.SECRET_LINK_LIVE)
    row = rows.values("token_salt", "token_digest").first()
    if row is None:
        return None
    token = token_rebuild(
        purpose=model.SECRET_LINK_PURPOSE, salt=row["token_salt"], digest=row["token_digest"]
    )
    return None if token is None else reference["address"].replace(TOKEN_SLOT, token)


class LinkGone(Exception):
    """An email's link was revoked or reissued before the email was sent."""


def context_with_links(context: dict) -> dict:
    """An email's stored context ready to render: its link reference replaced by the
    working link (`link`). Raises LinkGone when the link no longer works."""
    reference = context.get(REFERENCE_KEY)
    if not reference:
        return context
    link = link_rebuild(reference)
    if link is None:
        raise LinkGone("The secret link in this email was revoked or replaced before sending.")
    rendered = {key: value for key, value in context.items() if key != REFERENCE_KEY}
    rendered["link"] = link
    return rendered


def secret_page(response: HttpResponse) -> HttpResponse:
    """The one header policy of every page at a secret address: never stored by a browser
    or proxy, never indexed, and only the site's origin sent as the referrer, so the token
    never reaches another site or a log through Referer. ("strict-origin", not
    "no-referrer": with no-referrer browsers send `Origin: null` on the page's own forms,
    which Django's CSRF check rightly refuses.)"""
    add_never_cache_headers(response)
    response["Cache-Control"] = "private, no-store, max-age=0"
    response["Referrer-Policy"] = "strict-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    # Django's request log writes the path of every 4xx and 5xx reply; here it holds the
    # token. The log filter (core/logging.py) masks it anyway; this keeps expected
    # replies (a form with errors, a dead link) out of the log altogether.
    if response.status_code < 500:
        response._has_been_logged = True
    return response
