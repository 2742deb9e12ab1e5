"""The shop's business operations, each twice: the way it is often first
written (racy under concurrency), and the hardened way.

These are plain Django functions, called the same way from a view, a
Celery task or the ledgerstress driver (driver.py). Every one runs in one
transaction (@transaction.atomic), so an exception leaves nothing behind.
"""
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F

from shop.models import Booking, Coupon, Credit, Order, Product, Seat, Wallet


class OutOfStock(Exception):
    pass


class CouponExhausted(Exception):
    pass


class SeatTaken(Exception):
    pass


# -- Buying a product --------------------------------------------------------

@transaction.atomic
def buy_racy(customer_id, product_id, quantity, key):
    # Read, check, write back: two buyers read the same stock, both write
    # stock - quantity, and one sale disappears from the stock count.
    product = Product.objects.get(pk=product_id)
    if product.stock < quantity:
        raise OutOfStock(product.name)
    product.stock -= quantity
    product.save()
    return Order.objects.create(key=key, customer_id=customer_id, product=product, quantity=quantity)


@transaction.atomic
def buy(customer_id, product_id, quantity, key, coupon=None):
    """Returns (order, created): created is False when this request (its
    key) was placed before, by an earlier copy of it; nothing is done again."""
    order = Order.objects.filter(key=key).first()
    if order is not None:
        return order, False
    try:
        with transaction.atomic():  # a savepoint: a duplicate undoes the decrement too
            # The check and the decrement are one UPDATE: the database does
            # both under the row's lock, and the count of rows updated says which.
            updated = (Product.objects.filter(pk=product_id, stock__gte=quantity)
                       .update(stock=F("stock") - quantity))
            if not updated:
                raise OutOfStock(product_id)
            order = Order.objects.create(key=key, customer_id=customer_id, product_id=product_id,
                                         quantity=quantity, coupon=coupon)
    except IntegrityError:
        # Order.key is unique: the same request, sent twice at once, was
        # placed by the other copy while this one ran. Its order is the answer.
        return Order.objects.get(key=key), False
    return order, True


# -- Buying with a coupon that has a usage limit -----------------------------

@transaction.atomic
def buy_with_coupon_racy(customer_id, product_id, quantity, coupon_id, key):
    # `used < limit`, then `used += 1`: every buyer who read the coupon
    # before the others saved it gets through, and the count is overwritten.
    coupon = Coupon.objects.get(pk=coupon_id)
    if coupon.used >= coupon.usage_limit:
        raise CouponExhausted(coupon.code)
    order, created = buy(customer_id, product_id, quantity, key, coupon=coupon)
    if created:
        coupon.used += 1
        coupon.save()
    return order, created


@transaction.atomic
def buy_with_coupon(customer_id, product_id, quantity, coupon_id, key):
    # The coupon's row is locked until the order commits: the next buyer
    # waits, then reads the count this one wrote.
    coupon = Coupon.objects.select_for_update().get(pk=coupon_id)
    if coupon.used >= coupon.usage_limit:
        raise CouponExhausted(coupon.code)
    order, created = buy(customer_id, product_id, quantity, key, coupon=coupon)
    if created:
        coupon.used += 1
        coupon.save(update_fields=["used"])
    return order, created


# -- Booking a seat ----------------------------------------------------------

@transaction.atomic
def book_seat_racy(customer_id, seat_id, key):
    # get_or_create without a unique constraint under it: a SELECT, then an
    # INSERT; two buyers who both found nothing both insert.
    booking, created = Booking.objects.get_or_create(
        seat_id=seat_id, defaults={"customer_id": customer_id, "key": key})
    if not created:
        raise SeatTaken(seat_id)
    return booking


@transaction.atomic
def book_seat(customer_id, seat_id, key):
    # Lock the seat first: whoever gets the lock second sees the booking.
    seat = Seat.objects.select_for_update().get(pk=seat_id)
    if seat.bookings.exists():
        raise SeatTaken(seat_id)
    return Booking.objects.create(seat=seat, customer_id=customer_id, key=key)


# -- Store credit: a per-customer balance ------------------------------------

@transaction.atomic
def add_credit_racy(customer_id, amount, key):
    # The wallet is created safely (get_or_create on a unique column), but
    # the balance is read into Python, added to and saved: a lost update.
    wallet, _ = Wallet.objects.get_or_create(customer_id=customer_id)
    wallet.balance += Decimal(amount)
    wallet.save()
    return Credit.objects.create(key=key, customer_id=customer_id, amount=amount)


@transaction.atomic
def add_credit(customer_id, amount, key):
    # get_or_create is safe here only because customer is unique: the loser
    # of a creation race gets an IntegrityError, which get_or_create catches
    # (in a savepoint) before reading the winner's row. The addition is done
    # by the database.
    wallet, _ = Wallet.objects.get_or_create(customer_id=customer_id)
    Wallet.objects.filter(pk=wallet.pk).update(balance=F("balance") + Decimal(amount))
    return Credit.objects.create(key=key, customer_id=customer_id, amount=amount)
