"""Writers of one process take SQLite's write lock in turn, first come, first served
(issue 6, item 5: another tenant's create waits for one chunk of a big import)."""

from __future__ import annotations

import threading
import time

from lienthong.kernel.db import WriteTurns


def _queued(turns: WriteTurns, key: int, order: list) -> threading.Thread:
    def writer():
        turns.take(key)
        order.append(key)
        turns.give_back(key)

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(0.05)  # queued before the next one comes
    return thread


def test_waiting_writers_get_the_turn_in_the_order_they_came():
    turns = WriteTurns(timeout=10)
    turns.take(0)
    order: list[int] = []
    threads = [_queued(turns, key, order) for key in (1, 2, 3)]
    turns.give_back(0)
    for thread in threads:
        thread.join(5)
    assert order == [1, 2, 3]


def test_a_turn_never_given_back_passes_on_after_the_busy_timeout():
    turns = WriteTurns(timeout=0.2)
    lost = threading.Thread(target=turns.take, args=(1,))  # takes the turn and ends without giving it back
    lost.start()
    lost.join()
    order: list[int] = []
    _queued(turns, 2, order).join(5)
    assert order == [2]
