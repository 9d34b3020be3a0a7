from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import Role
from apps.accounts.services import create_user, generate_password
from apps.core.errors import ValidationFailed


class Command(BaseCommand):
    help = "Create a user with a role, an API key and workspace memberships."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=Role.values, default=Role.ANNOTATOR)
        parser.add_argument("--password", help="Generated and printed when omitted.")
        parser.add_argument("--api-key", help="Generated and printed when omitted.")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--workspace",
            action="append",
            default=[],
            metavar="W",
            help="Workspace to join (created if missing). Repeat, or list several.",
            nargs="+",
        )

    def handle(self, *args, **options):
        password = options["password"] or generate_password()
        workspaces = [name for group in options["workspace"] for name in group]
        try:
            user, api_key, created = create_user(
                username=options["username"],
                role=options["role"],
                password=password,
                api_key=options["api_key"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                workspaces=workspaces,
            )
        except ValidationFailed as error:
            raise CommandError(str(error)) from None
        for workspace in created:
            self.stdout.write(f"Created workspace {workspace.name}")
        self.stdout.write(self.style.SUCCESS(f"Created {user.role} {user.username}"))
        if not options["password"]:
            self.stdout.write(f"password: {password}")
        if not options["api_key"]:
            self.stdout.write(f"api key: {api_key}")
        if workspaces:
            self.stdout.write(f"workspaces: {', '.join(workspaces)}")
