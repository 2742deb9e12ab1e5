"""The review's functions, hardened: what a team would write instead of
review.py. Same models, same callers, and nothing borrowed from review.py.

- get_or_create_wallet: no lock to take on a row that does not exist yet;
  the unique constraint on saka_wallet.user_id decides, and Django's
  get_or_create already turns the loser's IntegrityError into a get().
- pledge_funds: retry the whole transaction on a deadlock (40P01) or a
  serialization failure (40001), each attempt in its own atomic block,
  sleeping with no transaction open, on the schedule of a Retry (jittered
  exponential backoff) the caller passes in, with the caller's sleep
  function (time.sleep by default; a test or a harness passes one that
  records).
- close_project_success: short keyset transactions, no cap that strands
  escrows, SUCCESS only when nothing is left LOCKED.
"""
import logging
import random
import time
from collections import namedtuple
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from .models import EscrowContract, Project, SakaWallet, Wallet, WalletTransaction

logger = logging.getLogger(__name__)

RETRYABLE_SQLSTATES = {"40P01", "40001"}


class Retry(namedtuple("Retry", "max_attempts base_delay jitter")):
    """How often and how long pledge_funds retries: `max_attempts` attempts in
    all, the n-th retry (n = 0, 1, ...) sleeping `base_delay` * 2^n seconds,
    times a random factor in [0.5, 1) when `jitter`. Passed per call, so two
    callers may use two schedules; the default is 3 attempts from 100 ms."""

    def delay(self, retry_index, rng=random):
        delay = self.base_delay * (2 ** retry_index)
        return delay * rng.uniform(0.5, 1.0) if self.jitter else delay


DEFAULT_RETRY = Retry(max_attempts=3, base_delay=0.1, jitter=True)


def get_or_create_wallet(user):
    # Two callers both miss the get(); both INSERT; the unique index makes the
    # second wait for the first and then raise IntegrityError, which
    # get_or_create catches (inside its own savepoint) and answers with a
    # get() that now finds the winner's row.
    wallet, _ = SakaWallet.objects.get_or_create(user=user, defaults={"balance": 0})
    return wallet


def _retryable(error):
    return getattr(error.__cause__, "pgcode", None) in RETRYABLE_SQLSTATES


def pledge_funds(user, project, amount, pledge_type="DONATION", idempotency_key=None, retry=DEFAULT_RETRY,
                 sleep=time.sleep):
    """One pledge, retried as a whole on a deadlock or serialization failure.
    Raises ValidationError (nothing written) for a project not FUNDING or a
    balance below the amount."""
    for attempt in range(retry.max_attempts):
        try:
            with transaction.atomic():
                return _pledge_in_transaction(user.pk, project.pk, Decimal(amount), pledge_type, idempotency_key)
        except OperationalError as e:
            if not _retryable(e) or attempt == retry.max_attempts - 1:
                raise
            pause = retry.delay(attempt)
            logger.warning("pledge_funds: %s, attempt %d, retry in %.3fs", e.__cause__.pgcode, attempt + 1, pause)
        sleep(pause)  # the atomic block has rolled back: no lock is held while we wait


def _pledge_in_transaction(user_id, project_id, amount, pledge_type, key):
    """The pledge's statements, in one transaction the caller opened. Locks
    the donor's wallet first, then the project: every writer takes them in
    that order, so two pledges never wait on each other crosswise."""
    wallet = Wallet.objects.select_for_update().get(user_id=user_id)
    if key:
        done = EscrowContract.objects.filter(idempotency_key=key).first()
        if done is not None:
            return done  # the same request, sent again: answered, not redone
    status = Project.objects.select_for_update().values_list("status", flat=True).get(pk=project_id)
    if status != "FUNDING":
        raise ValidationError("Project %s is not open for funding" % project_id)
    if wallet.balance < amount:
        raise ValidationError("Insufficient funds: wallet %s holds %s, pledge needs %s"
                              % (wallet.pk, wallet.balance, amount))
    Wallet.objects.filter(pk=wallet.pk).update(balance=F("balance") - amount)
    escrow = EscrowContract.objects.create(project_id=project_id, donor_wallet=wallet, amount=amount,
                                           pledge_type=pledge_type, idempotency_key=key)
    WalletTransaction.objects.create(wallet=wallet, amount=-amount, kind="PLEDGE", escrow=escrow,
                                     idempotency_key=key)
    return escrow


CENT = Decimal("0.01")


def _cents(amount):
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def close_project_success(project, commission_rate, fee_rate, batch_size):
    """Release every LOCKED escrow of the project, `batch_size` at a time,
    each chunk in its own short transaction (its rows, and the three
    wallets, locked in id order, only for that chunk), walking the ids
    (keyset) rather than slicing; mark the project SUCCESS only once none is
    left. An escrow committed behind the cursor meanwhile is picked up by
    walking again (a bounded number of times). Returns (released, marked)."""
    owner_id = Project.objects.values_list("owner_user_id", flat=True).get(pk=project.pk)
    payees = _Payees(owner=Wallet.objects.get(user_id=owner_id),
                     commission=Wallet.objects.get(user__email="commission@system"),
                     fees=Wallet.objects.get(user__email="fees@system"))
    released, last_id = 0, 0
    for _ in range(100):
        while True:
            with transaction.atomic():
                list(Wallet.objects.filter(pk__in=payees.ids()).order_by("pk").select_for_update())
                chunk = list(EscrowContract.objects.filter(project=project, status="LOCKED", id__gt=last_id)
                             .order_by("id").select_for_update().values_list("id", "amount")[:batch_size])
                if not chunk:
                    break
                _release(chunk, payees, commission_rate, fee_rate)
            released += len(chunk)
            last_id = chunk[-1][0]
        left = EscrowContract.objects.filter(project=project, status="LOCKED").order_by("id").first()
        if left is None:
            break
        last_id = left.id - 1
    with transaction.atomic():
        marked = (Project.objects.filter(pk=project.pk, status="FUNDING")
                  .exclude(escrows__status="LOCKED")
                  .update(status="SUCCESS", closed_at=timezone.now()))
    return released, marked == 1


class _Payees(namedtuple("_Payees", "owner commission fees")):
    """The three wallets a release credits: the project owner's the net,
    the platform's the commission, the payment provider's the fee."""

    def ids(self):
        return sorted(w.pk for w in self)


def _release(escrows, payees, commission_rate, fee_rate):
    """Releases locked `escrows`, (id, amount) pairs, inside the caller's
    transaction (its locks are held while this runs, so it does no more than
    it must): all of them RELEASED in one UPDATE (bulk_update's per-row CASE
    is not needed for one value), each amount split into commission and fee
    (each rounded half-up to the cent) and the rest for the owner, one
    ledger row per share, and each payee's balance credited the sum of its
    shares in one UPDATE."""
    credit = {payees.owner.pk: Decimal(0), payees.commission.pk: Decimal(0), payees.fees.pk: Decimal(0)}
    rows = []
    for escrow_id, amount in escrows:
        commission = _cents(amount * commission_rate)
        fee = _cents(amount * fee_rate)
        shares = ((payees.owner, amount - commission - fee, "RELEASE"),
                  (payees.commission, commission, "COMMISSION"), (payees.fees, fee, "FEE"))
        for wallet, share, kind in shares:
            credit[wallet.pk] += share
            rows.append(WalletTransaction(wallet=wallet, amount=share, kind=kind, escrow_id=escrow_id))
    released = [escrow_id for escrow_id, _ in escrows]
    EscrowContract.objects.filter(pk__in=released).update(status="RELEASED", released_at=timezone.now())
    WalletTransaction.objects.bulk_create(rows)
    for wallet_id, total in credit.items():
        Wallet.objects.filter(pk=wallet_id).update(balance=F("balance") + total)
