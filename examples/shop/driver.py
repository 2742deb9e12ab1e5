#!/usr/bin/python3
"""The shop's services as ledgerstress operations (examples/shop/shop.toml).

One process serves up to 8 ledgerstress workers at once (shop.toml's
concurrency), each call on a thread of its own with its own Django
connection, as under a threaded server; the database comes from the PG*
variables the harness sets (shopsite/settings.py). Run with Debian's
/usr/bin/python3 (python3-django, python3-psycopg2).
"""
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopsite.settings")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import django  # noqa: E402

django.setup()

from django.db import close_old_connections  # noqa: E402

from ledgerstress_driver import NO_EFFECT, run  # noqa: E402
from shop import services  # noqa: E402


def placed(result):
    """(order, created) from a service that recognises a request sent twice:
    a request placed before took no effect this time."""
    order, created = result
    return order if created else NO_EFFECT


# The scenario's params are named for the shop's domain (product, qty, ...);
# the lambdas map them onto the services' arguments.
sys.exit(run({
    "buy": {
        "hardened": lambda customer, product, qty, key: placed(services.buy(customer, product, qty, key)),
        "racy": lambda customer, product, qty, key: services.buy_racy(customer, product, qty, key),
    },
    "buy_with_coupon": {
        "hardened": lambda customer, product, qty, coupon, key:
            placed(services.buy_with_coupon(customer, product, qty, coupon, key)),
        "racy": lambda customer, product, qty, coupon, key:
            placed(services.buy_with_coupon_racy(customer, product, qty, coupon, key)),
    },
    "book_seat": {
        "hardened": lambda customer, seat, key: services.book_seat(customer, seat, key),
        "racy": lambda customer, seat, key: services.book_seat_racy(customer, seat, key),
    },
    "add_credit": {
        "hardened": lambda customer, amount, key: services.add_credit(customer, amount, key),
        "racy": lambda customer, amount, key: services.add_credit_racy(customer, amount, key),
    },
}, refusals=(services.OutOfStock, services.CouponExhausted, services.SeatTaken),
   after_call=close_old_connections, concurrency=8))
