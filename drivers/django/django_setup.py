"""Django configured for the settlement app on the harness's database, for
the driver (driver.py), its tests and bench/drivers/django_alone.py.

The database is reached through libpq's environment (PGHOST, PGPORT,
PGUSER, PGPASSWORD, PGDATABASE, PGOPTIONS with the case's search_path and
session settings, PGAPPNAME), which psycopg2 reads when Django's settings
leave them empty. Configuring connects to nothing: the first query does.
"""
import os
import sys

import django
from django.conf import settings

HERE = os.path.dirname(os.path.abspath(__file__))


def configure():
    """Configures Django once per process (a second call does nothing)."""
    if settings.configured:
        return
    if HERE not in sys.path:
        sys.path.insert(0, HERE)  # the settlement app
    settings.configure(
        DATABASES={"default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("PGDATABASE", "postgres"),
            "CONN_MAX_AGE": None,  # one connection per worker process, kept
        }},
        INSTALLED_APPS=["settlement.apps.SettlementConfig"],
        USE_TZ=True,
        TIME_ZONE="UTC",
        LOGGING_CONFIG=None,
    )
    django.setup()
