"""The review's functions, hardened. Same models, same callers.

- get_or_create_wallet: no lock to take on a row that does not exist yet;
  the unique constraint on saka_wallet.user_id decides, and Django's
  get_or_create already turns the loser's IntegrityError into a get().
- pledge_funds: retry the whole transaction on a deadlock (40P01) or a
  serialization failure (40001), each attempt in its own atomic block,
  sleeping with no transaction open, with jittered exponential backoff.
"""
import logging
import random
import time

from django.db import OperationalError, transaction

from . import review
from .models import SakaWallet

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
