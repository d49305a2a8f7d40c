"""Print a user's current one-time code: for the demo and development only (DEBUG on).

With DEBUG off it refuses: in production the code lives in the official's phone and nowhere else.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Tampilkan kode sekali pakai saat ini untuk seorang pengguna (hanya mode DEBUG/demo)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("Hanya tersedia dengan DEBUG=1 (demo/pengembangan).")
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is None:
            raise CommandError(f"Pengguna {username} belum memasang kode sekali pakai.")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(f"{code:0{device.digits}d}")
