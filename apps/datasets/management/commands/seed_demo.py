from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from apps.datasets.demo import LOGINS, seed_demo


class Command(BaseCommand):
    help = "Create the demo workspace, users and a published preference dataset (idempotent)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            # Its logins are published in the README: never on a production server.
            raise CommandError(
                _(
                    "seed_demo creates users whose passwords and API keys are public; "
                    "it runs only with DEBUG on (development)."
                )
            )
        dataset, added = seed_demo()
        total = dataset.records.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo dataset {dataset.workspace.name}/{dataset.name}: "
                f"{total} records ({added} added)."
            )
        )
        self.stdout.write("Demo logins (development only):")
        for login in LOGINS:
            self.stdout.write(
                f"  {login.role:<10} username={login.username}  password={login.password}  "
                f"api_key={login.api_key}"
            )
