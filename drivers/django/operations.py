"""The operations this driver offers, each with its strategies: the
review's function (review.py) and the hardened one (hardened.py), called
as their callers call them, with the call's args by name
(docs/driver-protocol.md lists each operation's).

`operations(retry, sleep)` builds the table for one process: what a call
needs besides its args (hardened's retry schedule, from init, and the sleep
function the driver observes) is bound here, once, and passed as
parameters; nothing is set on the service modules per call."""
import time
from decimal import Decimal

from calls import in_doubt_when_disconnected
from settlement import hardened, review
from settlement.models import AppUser, Project


def retry_of(init):
    """hardened.Retry from init's `retry` (the case's max_attempts,
    retry_base_delay, retry_jitter); hardened's default when init has none
    (a harness older than the field). Its `strategy` is not read: retrying
    each transaction is what makes hardened's pledge hardened."""
    r = init.get("retry")
    if not r:
        return hardened.DEFAULT_RETRY
    return hardened.Retry(max_attempts=int(r["max_attempts"]), base_delay=r["base_delay_ms"] / 1000.0,
                          jitter=bool(r["jitter"]))


# The caller holds the user and the project already (request.user, the
# view's object): building them costs no query.

def close_review(project_id, release_batch_size, max_escrows_per_close, commission_rate, fee_rate):
    released = review.close_project_success(Project(pk=project_id), Decimal(commission_rate), Decimal(fee_rate),
                                            max_escrows=max_escrows_per_close, batch_size=release_batch_size)
    return {"released": released, "marked_success": True}


def close_hardened(project_id, release_batch_size, max_escrows_per_close, commission_rate, fee_rate):
    # No cap on the escrows released: max_escrows_per_close is the review's.
    released, marked = hardened.close_project_success(Project(pk=project_id), Decimal(commission_rate),
                                                      Decimal(fee_rate), release_batch_size)
    return {"released": released, "marked_success": marked}


def operations(retry=hardened.DEFAULT_RETRY, sleep=time.sleep):
    """{op: {strategy: function(**args)}}, the first strategy of each op its
    default. A dict returned is the reply's `value` (the close's figures)."""
    table = {
        "saka_get_or_create_wallet": {
            "review": lambda user_id: review.get_or_create_wallet(AppUser(pk=user_id)),
            "hardened": lambda user_id: hardened.get_or_create_wallet(AppUser(pk=user_id)),
        },
        "pledge_funds": {
            "review": lambda user_id, project_id, amount, pledge_type, key:
                review.pledge_funds(AppUser(pk=user_id), Project(pk=project_id), amount, pledge_type, key),
            "hardened": lambda user_id, project_id, amount, pledge_type, key:
                hardened.pledge_funds(AppUser(pk=user_id), Project(pk=project_id), amount, pledge_type, key,
                                      retry=retry, sleep=sleep),
        },
        "deposit": {
            "review": lambda user_id, amount, key: review.deposit(AppUser(pk=user_id), amount, key),
        },
        "close_project_success": {
            "review": close_review,
            "hardened": close_hardened,
        },
    }
    return {op: {name: in_doubt_when_disconnected(f) for name, f in strategies.items()}
            for op, strategies in table.items()}
