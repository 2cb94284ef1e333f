"""Generate a new credential signing key; earlier public keys stay published."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from credentials import documents, services


class Command(BaseCommand):
    help = (
        "Generate a new Ed25519 signing key for credentials, publish its public key in "
        "/.well-known/did.json beside the earlier ones, and re-sign the status list. The private "
        "key is written to MUSTER_CREDENTIAL_KEY_FILE, or to --out (when the key comes from the "
        "environment: put the new file's contents there and restart)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, help="Write the new private key to this file.")

    def handle(self, *args, out=None, **options):
        try:
            key = services.rotate_key(acting_user=None, out=out)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"New signing key: {documents.verification_method(key.kid)}")
