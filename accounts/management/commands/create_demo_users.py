from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.services import demo_users_create


class Command(BaseCommand):
    help = "Create one demo user per role (analyst, manager, admin). Password: LEGALNAME_DEMO_PASSWORD or generated."

    def handle(self, *args, **options):
        created, password = demo_users_create(password=settings.LEGALNAME_DEMO_PASSWORD)
        if not created:
            self.stdout.write("Demo users already exist.")
            return
        shown = password if not settings.LEGALNAME_DEMO_PASSWORD else "(from LEGALNAME_DEMO_PASSWORD)"
        self.stdout.write(self.style.SUCCESS(f"Created demo users {', '.join(created)}; password: {shown}"))
