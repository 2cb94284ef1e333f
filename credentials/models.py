"""Signed Open Badges 3.0 credentials of certificates, the issuer's public keys and the signed
revocation list. No private key is ever stored here (credentials/keys.py)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IssuerKey(models.Model):
    """A public key the programme has signed with, current or earlier. Never deleted: a
    credential signed with an earlier key still verifies against it (/.well-known/did.json)."""

    # RFC 7638 thumbprint of the public JWK: the fragment of the verification method's id.
    kid = models.CharField(_("key id"), max_length=64, unique=True)
    public_jwk = models.JSONField(_("public key (JWK)"))
    created_at = models.DateTimeField(_("first used"), default=timezone.now)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        verbose_name = _("issuer key")
        verbose_name_plural = _("issuer keys")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.kid


class Credential(models.Model):
    """The signed credential (VC-JOSE compact JWS) of one certificate, kept byte for byte so
    every download is the same credential."""

    certificate = models.OneToOneField(
        "certificates.Certificate",
        verbose_name=_("certificate"),
        on_delete=models.PROTECT,
        related_name="credential",
    )
    credential_id = models.CharField(_("credential id"), max_length=64, unique=True)
    token = models.TextField(_("signed credential (JWT)"))
    kid = models.CharField(_("signed with key"), max_length=64)
    status_index = models.PositiveIntegerField(_("status list index"), unique=True)
    issued_at = models.DateTimeField(_("signed at"), default=timezone.now)

    class Meta:
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")

    def __str__(self):
        return self.credential_id


class StatusList(models.Model):
    """The signed Bitstring Status List credential (revocation), re-signed in the transaction
    of every revocation or re-issue. One row per purpose."""

    purpose = models.CharField(_("purpose"), max_length=20, unique=True, default="revocation")
    token = models.TextField(_("signed status list (JWT)"))
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("status list")
        verbose_name_plural = _("status lists")

    def __str__(self):
        return self.purpose
