"""The review's code, as the review shows it (backend/core/services/saka.py
and backend/finance/services.py), completed where the review writes "...".
Nothing here knows about ledgerstress."""
import logging
import time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction

from .models import EscrowContract, Project, SakaWallet, Wallet, WalletTransaction

logger = logging.getLogger(__name__)

RETRY_BASE_DELAY = 0.1


@transaction.atomic
def get_or_create_wallet(user):
    """
    OPTIMISATION CONCURRENCE :
    - Utilise select_for_update() pour éviter la création de doublons sous forte charge
    - Gestion deadlocks avec retry
    """
    MAX_RETRIES = 3
    RETRY_BASE_DELAY = 0.1

    for attempt in range(MAX_RETRIES):
        try:
            wallet, created = SakaWallet.objects.select_for_update().get_or_create(
                user=user,
                defaults={"balance": 0},
            )
            return wallet
        except OperationalError as e:
            error_str = str(e).lower()
            if ("deadlock" in error_str or "lock" in error_str) and attempt < MAX_RETRIES - 1:
                delay = RETRY_BASE_DELAY * (2 ** attempt)
                logger.warning("get_or_create_wallet: retry in %ss", delay)
                time.sleep(delay)
                continue
            else:
                logger.critical("get_or_create_wallet failed for user %s", user.id)
                raise


@transaction.atomic
def pledge_funds(user, project, amount, pledge_type="DONATION", idempotency_key=None):
    """
    Wrapper avec gestion deadlock pour pledge_funds.
    """
    max_deadlock_retries = 3
    for deadlock_attempt in range(max_deadlock_retries):
        try:
            return _pledge_funds_internal(user, project, amount, pledge_type, idempotency_key)
        except OperationalError as e:
            error_str = str(e).lower()
            if "deadlock" in error_str and deadlock_attempt < max_deadlock_retries - 1:
                delay = RETRY_BASE_DELAY * (2 ** deadlock_attempt)
                logger.warning(
                    f"Deadlock détecté lors du pledge - User: {user.id}, Project: {project.id} "
                    f"(tentative {deadlock_attempt + 1}/{max_deadlock_retries}) - Retry dans {delay}s"
                )
                time.sleep(delay)
                continue
            else:
                logger.critical(
                    f"Échec définitif de pledge_funds - User: {user.id}, Project: {project.id} "
                    f"après {max_deadlock_retries} tentatives - Error: {e}"
                )
                raise


def _pledge_funds_internal(user, project, amount, pledge_type="DONATION", idempotency_key=None):
    """
    Implémentation interne (séparée pour gestion deadlock).
    """
    wallet = Wallet.objects.select_for_update().get(user=user)
    if idempotency_key:
        existing = EscrowContract.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return existing
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status != "FUNDING":
        raise ValidationError(f"Project {project.id} is not open for funding")
    amount = Decimal(amount)
    if wallet.balance < amount:
        raise ValidationError(f"Insufficient funds: wallet {wallet.id} holds {wallet.balance}, pledge needs {amount}")
    wallet.balance -= amount
    wallet.save(update_fields=["balance"])
    escrow = EscrowContract.objects.create(
        project=project, donor_wallet=wallet, amount=amount, pledge_type=pledge_type,
        idempotency_key=idempotency_key,
    )
    WalletTransaction.objects.create(
        wallet=wallet, amount=-amount, kind="PLEDGE", escrow=escrow, idempotency_key=idempotency_key,
    )
    return escrow


@transaction.atomic
def deposit(user, amount, idempotency_key=None):
    """Crédite le wallet (idempotent par clé)."""
    wallet = Wallet.objects.select_for_update().get(user=user)
    if idempotency_key:
        existing = WalletTransaction.objects.filter(idempotency_key=idempotency_key, kind="DEPOSIT").first()
        if existing:
            return existing
    amount = Decimal(amount)
    wallet.balance += amount
    wallet.save(update_fields=["balance"])
    return WalletTransaction.objects.create(wallet=wallet, amount=amount, kind="DEPOSIT",
                                            idempotency_key=idempotency_key)
