"""The settlement models, mapped onto the tables ledgerstress creates in each
case's schema (fixtures/schema.sql). Django does not manage them: the
harness creates and drops the schema, and the search_path it passes in
PGOPTIONS points every query at it."""
from django.db import models


class AppUser(models.Model):
    email = models.TextField(unique=True)

    class Meta:
        managed = False
        db_table = "app_user"


class Wallet(models.Model):
    user = models.OneToOneField(AppUser, on_delete=models.PROTECT, related_name="wallet")
    balance = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        managed = False
        db_table = "wallet"


class SakaWallet(models.Model):
    user = models.ForeignKey(AppUser, on_delete=models.PROTECT, related_name="saka_wallets")
    balance = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        managed = False
        db_table = "saka_wallet"


class Project(models.Model):
    owner_user = models.ForeignKey(AppUser, on_delete=models.PROTECT, related_name="projects")
    status = models.TextField(default="FUNDING")
    closed_at = models.DateTimeField(null=True)

    class Meta:
        managed = False
        db_table = "project"


class EscrowContract(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="escrows")
    donor_wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="escrows")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    status = models.TextField(default="LOCKED")
    pledge_type = models.TextField(default="DONATION")
    idempotency_key = models.TextField(unique=True, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True)

    class Meta:
        managed = False
        db_table = "escrow_contract"


class WalletTransaction(models.Model):
    wallet = models.ForeignKey(Wallet, on_delete=models.PROTECT, related_name="transactions")
    pocket_id = models.BigIntegerField(null=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    kind = models.TextField()
    escrow = models.ForeignKey(EscrowContract, on_delete=models.PROTECT, null=True, related_name="transactions")
    idempotency_key = models.TextField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        managed = False
        db_table = "wallet_transaction"
