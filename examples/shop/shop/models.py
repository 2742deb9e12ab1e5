from django.db import models


class Customer(models.Model):
    name = models.CharField(max_length=100)


class Product(models.Model):
    name = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    stock = models.IntegerField(default=0)


class Delivery(models.Model):
    """Stock received: what `stock` started from."""
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="deliveries")
    quantity = models.IntegerField()
    received_at = models.DateTimeField(auto_now_add=True)


class Coupon(models.Model):
    code = models.CharField(max_length=30, unique=True)
    usage_limit = models.IntegerField()
    used = models.IntegerField(default=0)


class Order(models.Model):
    key = models.CharField(max_length=100, unique=True)  # the client's idempotency key
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT)
    product = models.ForeignKey(Product, on_delete=models.PROTECT)
    quantity = models.IntegerField()
    coupon = models.ForeignKey(Coupon, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)


class Seat(models.Model):
    label = models.CharField(max_length=10)


class Booking(models.Model):
    # A plain ForeignKey, no unique constraint: the table keeps cancelled
    # bookings too, so "one booking per seat" is left to the code.
    key = models.CharField(max_length=100, unique=True)
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="bookings")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)


class Wallet(models.Model):
    """Store credit: one per customer (OneToOneField: a unique constraint)."""
    customer = models.OneToOneField(Customer, on_delete=models.PROTECT)
    balance = models.DecimalField(max_digits=12, decimal_places=2, default=0)


class Credit(models.Model):
    """Each top-up of a wallet, as the ledger the balance must add up to."""
    key = models.CharField(max_length=100, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
