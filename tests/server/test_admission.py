"""The batch route's admission (server/app.py: _Admission), on a real event loop: a place while the queue
has room; beyond it, a wait at the door, first come first served, for at most the hold; refusal when the
hold runs out or the door is full; and no place lost or made twice when a waiting request goes away."""

from __future__ import annotations

import asyncio

import pytest

from server.app import _Admission

pytestmark = [pytest.mark.timeout(30), pytest.mark.anyio]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # as the server's uvicorn runs it (on uvloop)


async def test_a_place_freed_goes_to_the_first_at_the_door_in_order() -> None:
    admission = _Admission(2, retry_after_s=1, hold_s=10)
    assert await admission.enter() and await admission.enter()
    admitted: list[int] = []

    async def arrive(n: int) -> None:
        if await admission.enter():
            admitted.append(n)

    waiting = [asyncio.create_task(arrive(n)) for n in range(3)]
    await asyncio.sleep(0.01)
    assert admission.waiting == 3 and not admitted
    assert not await asyncio.wait_for(_late_arrival_jumps_the_door(admission), 1)
    for expected in ([0], [0, 1], [0, 1, 2]):
        admission.leave()
        await asyncio.sleep(0.01)
        assert admitted == expected
        assert admission.held == 2  # the place passed on, not freed
    await asyncio.gather(*waiting)
    for _ in range(2):
        admission.leave()
    assert admission.held == 0 and admission.waiting == 0
    assert await admission.enter()  # room again: a place at once


async def _late_arrival_jumps_the_door(admission: _Admission) -> bool:
    """Whether a request arriving now is let in before those already at the door (it must not be)."""
    late = asyncio.create_task(admission.enter())
    await asyncio.sleep(0.01)
    jumped = late.done() and late.result()
    late.cancel()
    await asyncio.gather(late, return_exceptions=True)
    return jumped


async def test_the_hold_runs_out_into_a_refusal_and_leaves_the_door_clear() -> None:
    admission = _Admission(1, retry_after_s=1, hold_s=0.05)
    assert await admission.enter()
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    assert not await admission.enter()
    assert 0.04 <= loop.time() - t0 < 2
    assert admission.waiting == 0 and admission.held == 1
    admission.leave()
    assert admission.held == 0


async def test_a_full_door_refuses_at_once_and_no_hold_means_no_door() -> None:
    admission = _Admission(1, retry_after_s=1, hold_s=10)
    assert await admission.enter()
    at_door = [asyncio.create_task(admission.enter()) for _ in range(admission.door_bound)]
    await asyncio.sleep(0.01)
    assert admission.waiting == admission.door_bound == 4
    assert not await asyncio.wait_for(admission.enter(), 1)  # one more: refused without waiting
    for task in at_door:
        task.cancel()
    await asyncio.gather(*at_door, return_exceptions=True)
    assert admission.waiting == 0 and admission.held == 1

    at_once = _Admission(1, retry_after_s=1, hold_s=0)
    assert await at_once.enter()
    assert not await asyncio.wait_for(at_once.enter(), 1)
    assert at_once.waiting == 0


async def test_a_request_gone_after_it_was_handed_a_place_passes_the_place_on() -> None:
    admission = _Admission(1, retry_after_s=1, hold_s=10)
    assert await admission.enter()
    first = asyncio.create_task(admission.enter())
    second = asyncio.create_task(admission.enter())
    await asyncio.sleep(0.01)
    admission.leave()  # the place goes to the first at the door...
    first.cancel()  # ...which is cancelled (its client went away) before it could take it
    (kept,) = await asyncio.gather(first, return_exceptions=True)
    if kept is True:  # Python 3.11's wait_for hands back a result that came with the cancel:
        admission.leave()  # the request then runs and leaves as upload_batch does
    else:
        assert isinstance(kept, asyncio.CancelledError)
    assert await asyncio.wait_for(second, 1)  # either way the second has the place
    assert admission.held == 1 and admission.waiting == 0
    admission.leave()
    assert admission.held == 0

    assert await admission.enter()
    waiting = asyncio.create_task(admission.enter())
    await asyncio.sleep(0.01)
    waiting.cancel()  # gone before any place was free: off the door, nothing to pass on
    await asyncio.gather(waiting, return_exceptions=True)
    assert admission.waiting == 0 and admission.held == 1
    admission.leave()
    assert admission.held == 0
