"""The review's code, as the review shows it (backend/core/services/saka.py
and backend/finance/services.py), completed where the review writes "...".
Nothing here knows about ledgerstress. One change to the review's text: its
two batching constants are also keyword parameters of close_project_success
(defaulting to the constants), so that a caller can pick other values per
call instead of assigning the module's globals."""
import logging
import time
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.db.models import F
from django.utils import timezone

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


# OPTIMISATION CONCURRENCE : Limites de batching pour éviter les verrous massifs
MAX_ESCROWS_PER_BATCH = 1000  # Maximum d'escrows à verrouiller en une fois
RELEASE_ESCROW_BATCH_SIZE = 100  # Taille des lots pour release_escrow

CENTS = Decimal("0.01")


def _split(amount, commission_rate, stripe_fee_rate):
    escrow_amount = Decimal(str(amount)).quantize(CENTS, rounding=ROUND_HALF_UP)
    escrow_commission = (escrow_amount * commission_rate).quantize(CENTS, rounding=ROUND_HALF_UP)
    escrow_fees = (escrow_amount * stripe_fee_rate).quantize(CENTS, rounding=ROUND_HALF_UP)
    return escrow_amount - escrow_commission - escrow_fees, escrow_commission, escrow_fees


def _system_wallet(email):
    return Wallet.objects.get(user__email=email)


def _release_escrows_batch(escrows_batch, owner_wallet, commission_rate, stripe_fee_rate,
                           batch_size=RELEASE_ESCROW_BATCH_SIZE):
    """
    Libère un lot d'escrows en batch pour optimiser les performances.

    OPTIMISATION CONCURRENCE : Traite les escrows par lots pour éviter N+1 queries.
    """
    escrows_to_update = []
    transactions_to_create = []
    total_net = total_commission = total_fees = Decimal("0")

    # Récupérer le wallet système une seule fois
    commission_wallet = _system_wallet("commission@system")
    fees_wallet = _system_wallet("fees@system")

    for escrow in escrows_batch:
        net, commission, fees = _split(escrow.amount, commission_rate, stripe_fee_rate)
        total_net += net
        total_commission += commission
        total_fees += fees
        escrow.status = "RELEASED"
        escrow.released_at = timezone.now()
        escrows_to_update.append(escrow)
        transactions_to_create.append(WalletTransaction(wallet=owner_wallet, amount=net, kind="RELEASE", escrow=escrow))
        transactions_to_create.append(
            WalletTransaction(wallet=commission_wallet, amount=commission, kind="COMMISSION", escrow=escrow))
        transactions_to_create.append(WalletTransaction(wallet=fees_wallet, amount=fees, kind="FEE", escrow=escrow))

    # Mise à jour en batch
    if escrows_to_update:
        EscrowContract.objects.bulk_update(escrows_to_update, ["status", "released_at"],
                                           batch_size=batch_size)
    # Création en batch des transactions
    if transactions_to_create:
        WalletTransaction.objects.bulk_create(transactions_to_create, batch_size=batch_size)
    for wallet, total in ((owner_wallet, total_net), (commission_wallet, total_commission), (fees_wallet, total_fees)):
        Wallet.objects.filter(pk=wallet.pk).update(balance=F("balance") + total)
    return total_commission, total_fees


@transaction.atomic
def close_project_success(project, commission_rate, stripe_fee_rate,
                          max_escrows=MAX_ESCROWS_PER_BATCH, batch_size=RELEASE_ESCROW_BATCH_SIZE):
    return _close_project_success_internal(project, commission_rate, stripe_fee_rate, max_escrows, batch_size)


def _close_project_success_internal(project, commission_rate, stripe_fee_rate, max_escrows, batch_size):
    project = Project.objects.get(pk=project.pk)
    owner_wallet = Wallet.objects.get(user_id=project.owner_user_id)
    escrows_qs = EscrowContract.objects.filter(project=project, status="LOCKED").order_by("id")

    # OPTIMISATION CONCURRENCE : Limite sur verrous pour éviter lock massif
    escrows_count = escrows_qs.count()
    if escrows_count > max_escrows:
        logger.warning(
            f"Projet {project.id} a {escrows_count} escrows (> {max_escrows}), "
            f"traitement par lots de {max_escrows}"
        )

    # OPTIMISATION CONCURRENCE : Traiter par lots pour éviter N+1 queries et verrous massifs
    escrows_list = list(escrows_qs[:max_escrows])  # ✅ LIMITE

    released = 0
    # Traiter par lots de RELEASE_ESCROW_BATCH_SIZE
    for i in range(0, len(escrows_list), batch_size):
        batch = escrows_list[i:i + batch_size]

        # Verrouiller uniquement le lot actuel
        escrow_ids = [e.id for e in batch]
        locked_escrows = list(
            EscrowContract.objects.filter(id__in=escrow_ids, status="LOCKED").order_by("id")
            .select_for_update()  # ✅ VERROU SEULEMENT SUR LE LOT
        )

        # Libérer le lot en batch
        _release_escrows_batch(locked_escrows, owner_wallet, commission_rate, stripe_fee_rate, batch_size)
        released += len(locked_escrows)

    project.status = "SUCCESS"
    project.closed_at = timezone.now()
    project.save(update_fields=["status", "closed_at"])
    return released
