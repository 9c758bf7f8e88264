"""manage.py keys list | rotate <district> | retire <kid>: the districts' signing keys.

Rotation makes a new active key (the old one still verifies what it signed); retiring stops
trusting a key, so that what it signed no longer verifies: for a compromised or expired key.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from onelicense.accounts.models import District
from onelicense.core.errors import DomainError
from onelicense.licences import keys
from onelicense.licences.models import Certificate, SigningKey
from onelicense.licences.selectors import key_retire_check, key_signed_current


class Command(BaseCommand):
    help = "List, rotate or retire the districts' signing keys (签名密钥)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        commands.add_parser("list", help="every key, its district, state and certificates signed")
        rotate = commands.add_parser("rotate", help="a new active key for a district")
        rotate.add_argument("district", help="the district's code (110105) or name (朝阳区)")
        rotate.add_argument(
            "--algorithm", choices=SigningKey.Algorithm.values, default=SigningKey.Algorithm.ES256
        )
        retire = commands.add_parser("retire", help="stop trusting a key")
        retire.add_argument("kid")
        retire.add_argument(
            "--force",
            action="store_true",
            help="retire the active key too (a compromise): the next issue makes a new one",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        command = options["command"]
        if command == "list":
            self._list()
        elif command == "rotate":
            self._rotate(options["district"], options["algorithm"])
        else:
            self._retire(options["kid"], force=options["force"])

    def _list(self) -> None:
        rows = SigningKey.objects.select_related("district").order_by("district__code", "-id")
        for key in rows:
            state = "retired" if key.is_retired else "active" if key.active else "rotated"
            signed = Certificate.objects.filter(key_id=key.kid).count()
            where = key.district.code if key.district else "root"
            created = f"{key.created_at:%Y-%m-%d}"
            self.stdout.write(
                f"{key.kid:<36} {where:<7} {key.algorithm:<6} {created} {state:<8} {signed}"
            )

    def _rotate(self, name: str, algorithm: str) -> None:
        district = District.objects.filter(Q(code=name) | Q(name=name)).first()
        if district is None:
            raise CommandError(f"No district {name!r}: give its code (110105) or name (朝阳区).")
        key = keys.key_rotate(district=district, algorithm=algorithm)
        self.stdout.write(self.style.SUCCESS(f"{district.name}: new active key {key.kid}"))

    def _retire(self, kid: str, *, force: bool) -> None:
        key = SigningKey.objects.filter(kid=kid, district__isnull=False).first()
        if key is None:
            raise CommandError(f"No district key {kid!r} (see: manage.py keys list).")
        try:
            key_retire_check(key)
        except DomainError as exc:
            if not (force and exc.code == "key_active"):
                raise CommandError(f"{exc.code}: {exc.message}") from exc
        current = key_signed_current(key)
        keys.key_retire(key=key)
        self.stdout.write(
            self.style.SUCCESS(
                f"Retired {kid}; {current} current certificate(s) it signed no longer verify."
            )
        )
