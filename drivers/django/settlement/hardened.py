"""The review's functions, hardened. Same models, same callers.

- get_or_create_wallet: no lock to take on a row that does not exist yet;
  the unique constraint on saka_wallet.user_id decides, and Django's
  get_or_create already turns the loser's IntegrityError into a get().
- close_project_success: short keyset transactions, no cap that strands
  escrows, SUCCESS only when nothing is left LOCKED.
- pledge_funds: retry the whole transaction on a deadlock (40P01) or a
  serialization failure (40001), each attempt in its own atomic block,
  sleeping with no transaction open, with jittered exponential backoff.
"""
import logging
import random
import time

from django.db import OperationalError, transaction
from django.utils import timezone

from . import review
from .models import EscrowContract, Project, SakaWallet, Wallet

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_BASE_DELAY = 0.1
RETRYABLE_SQLSTATES = {"40P01", "40001"}


def get_or_create_wallet(user):
    # Two callers both miss the get(); both INSERT; the unique index makes the
    # second wait for the first and then raise IntegrityError, which
    # get_or_create catches (inside its own savepoint) and answers with a
    # get() that now finds the winner's row.
    wallet, _ = SakaWallet.objects.get_or_create(user=user, defaults={"balance": 0})
    return wallet


def _retryable(error):
    return getattr(error.__cause__, "pgcode", None) in RETRYABLE_SQLSTATES


def pledge_funds(user, project, amount, pledge_type="DONATION", idempotency_key=None):
    for attempt in range(MAX_ATTEMPTS):
        try:
            with transaction.atomic():
                return review._pledge_funds_internal(user, project, amount, pledge_type, idempotency_key)
        except OperationalError as e:
            if not _retryable(e) or attempt == MAX_ATTEMPTS - 1:
                raise
            delay = RETRY_BASE_DELAY * (2 ** attempt) * random.uniform(0.5, 1.0)
            logger.warning("pledge_funds: %s, attempt %d, retry in %.3fs", e.__cause__.pgcode, attempt + 1, delay)
        time.sleep(delay)  # outside the transaction: its locks are released


def close_project_success(project, commission_rate, fee_rate, batch_size):
    """Release every LOCKED escrow of the project, `batch_size` at a time,
    each chunk in its own short transaction (its rows, and the three
    wallets, locked in id order, only for that chunk), walking the ids
    (keyset) rather than slicing; mark the project SUCCESS only once none is
    left. An escrow committed behind the cursor meanwhile is picked up by
    walking again (a bounded number of times)."""
    owner_wallet = Wallet.objects.get(user_id=Project.objects.values_list("owner_user_id", flat=True).get(pk=project.pk))
    wallets = sorted([owner_wallet.pk, review._system_wallet("commission@system").pk,
                      review._system_wallet("fees@system").pk])
    released, last_id = 0, 0
    for _ in range(100):
        while True:
            with transaction.atomic():
                list(Wallet.objects.filter(pk__in=wallets).order_by("pk").select_for_update())
                chunk = list(EscrowContract.objects.filter(project=project, status="LOCKED", id__gt=last_id)
                             .order_by("id").select_for_update()[:batch_size])
                if not chunk:
                    break
                review._release_escrows_batch(chunk, owner_wallet, commission_rate, fee_rate)
            released += len(chunk)
            last_id = chunk[-1].id
        left = EscrowContract.objects.filter(project=project, status="LOCKED").order_by("id").first()
        if left is None:
            break
        last_id = left.id - 1
    with transaction.atomic():
        marked = (Project.objects.filter(pk=project.pk, status="FUNDING")
                  .exclude(escrows__status="LOCKED")
                  .update(status="SUCCESS", closed_at=timezone.now()))
    return released, marked == 1
