"""System checks of the deployment (`manage.py check --deploy`): no development secret may
reach a server that runs with DEBUG off.

    pk_portal.E001  SECRET_KEY is the development default (or another placeholder)
    pk_portal.E002  SIGNING_KEY_PASSPHRASE (the development CA's key) is missing or a default
    pk_portal.E003  the database password is the placeholder of .env.example
"""

from django.conf import settings
from django.core.checks import Error, Tags, register

# Values that were public from the first day: in the repository, .env.example or the docs.
DEVELOPMENT_SECRETS = {
    "",
    "django-insecure-pk-portal-development-key-do-not-deploy",
    "change-me-to-50-random-characters",
    "dev-only-passphrase",
    "change-me",
}


def _is_development_secret(value) -> bool:
    value = str(value or "")
    return value in DEVELOPMENT_SECRETS or value.startswith(("django-insecure", "change-me"))


@register(Tags.security, deploy=True)
def development_secrets(app_configs=None, **kwargs) -> list[Error]:
    """An Error for each development secret still in use while DEBUG is off."""
    if settings.DEBUG:
        return []
    errors = []
    if _is_development_secret(settings.SECRET_KEY):
        errors.append(
            Error(
                "SECRET_KEY is the development default or a placeholder.",
                hint="Set SECRET_KEY in the environment to 50 or more random characters.",
                id="pk_portal.E001",
            )
        )
    if _is_development_secret(getattr(settings, "SIGNING_KEY_PASSPHRASE", "")):
        errors.append(
            Error(
                "SIGNING_KEY_PASSPHRASE is missing or the public development default.",
                hint=(
                    "Set SIGNING_KEY_PASSPHRASE in the environment to a long random value: it "
                    "encrypts the key of the development CA kept in the storage."
                ),
                id="pk_portal.E002",
            )
        )
    database = settings.DATABASES.get("default", {})
    if str(database.get("PASSWORD") or "").startswith("change-me"):
        errors.append(
            Error(
                "The database password is the placeholder of .env.example.",
                hint="Set POSTGRES_PASSWORD (and DATABASE_URL) to a real password.",
                id="pk_portal.E003",
            )
        )
    return errors
