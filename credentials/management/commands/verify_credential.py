"""Check a credential file: valid / expired / revoked / signature invalid / unknown issuer.

Offline by default against this instance's published keys and its status list; with
--did-document and --status-list, against copies (say, fetched before going where there is no
network), touching no database.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from credentials import documents, selectors, verification


class Command(BaseCommand):
    help = "Verify a credential (.jwt or .json) and print its status."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--did-document", type=Path, help="A saved /.well-known/did.json.")
        parser.add_argument("--status-list", type=Path, help="A saved status list (.jwt).")

    def handle(self, *args, file, did_document=None, status_list=None, **options):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        if did_document:
            document = json.loads(did_document.read_text(encoding="utf-8"))
            issuer = document["id"]
            keys = {
                method["id"]: method["publicKeyJwk"]
                for method in document.get("verificationMethod", [])
            }
        else:
            issuer = documents.issuer_did()
            keys = selectors.verification_keys()
        if status_list:
            status_token = status_list.read_text(encoding="utf-8").strip()
        elif did_document:
            status_token = ""
        else:
            status_token = selectors.status_list_token()
        result = verification.verify(text, keys=keys, issuer=issuer, status_list_token=status_token)
        line = str(result.outcome)
        if result.outcome == verification.Outcome.REVOKED:
            line += f" (as of {result.status_checked_at})"
        if result.detail:
            line += f": {result.detail}"
        self.stdout.write(line)
        if result.outcome != verification.Outcome.VALID:
            raise SystemExit(1)
