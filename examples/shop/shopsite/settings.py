"""Settings of the shop example.

The database comes from libpq's environment, which is what ledgerstress
sets for the [schema] command and for every driver process: PGHOST,
PGPORT, PGUSER, PGPASSWORD, PGDATABASE, and PGOPTIONS carrying
`-c search_path=<the case's schema>`, so that the migrations create the
tables, unqualified, in the case's own schema (django_migrations too).
Run outside ledgerstress, the same variables point it at your database.
"""
import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "shop-example-not-secret")
DEBUG = False
ALLOWED_HOSTS = []

INSTALLED_APPS = ["shop.apps.ShopConfig"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("PGDATABASE", "postgres"),
        "USER": os.environ.get("PGUSER", ""),
        "PASSWORD": os.environ.get("PGPASSWORD", ""),
        "HOST": os.environ.get("PGHOST", ""),
        "PORT": os.environ.get("PGPORT", ""),
        # The case's schema first on the search_path. libpq would read
        # PGOPTIONS by itself; saying it here keeps it when HOST & co. are
        # set from elsewhere. (An empty "options" would override it.)
        "OPTIONS": {"options": os.environ["PGOPTIONS"]} if os.environ.get("PGOPTIONS") else {},
        "CONN_MAX_AGE": None,  # one connection per process, kept (a worker is a long-lived process)
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
