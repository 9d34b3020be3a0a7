from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from apps.webhooks.services import prune_deliveries


class Command(BaseCommand):
    help = "Delete finished webhook deliveries older than --days (default 30); pending stay."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, days, **options):
        deleted = prune_deliveries(older_than=timezone.now() - timedelta(days=days))
        self.stdout.write(f"{deleted} deliveries deleted")
