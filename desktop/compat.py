"""Work-arounds for defects in the libraries underneath: each says what it guards against and when it
can go.
"""

from __future__ import annotations

import sys

_IMMORTAL = 1 << 40  # references: more than any run can drop, far below the counter's limit


def keep_constants_alive() -> None:
    """Give Python 3.11's ``None``, ``True`` and ``False`` the immortality Python 3.12 gave them
    (PEP 683).

    With PySide6 6.12 on Python 3.11, every call of a method that returns nothing (``setText``,
    ``QPainterPath.lineTo``, ``QPainter.drawPath``, ...) drops one reference to ``None`` that it never
    took, and every ``Signal.emit()`` drops one to ``True``: ``sys.getrefcount(None)`` falls by one
    per call. The app holds some 50,000 references to ``None`` and a few thousand to ``True``; once
    that many calls have been made, the interpreter aborts with "Fatal Python error: none_dealloc"
    (or "bool_dealloc"). A signature costs about 150 such calls, and the handwriting pad several per
    point it draws, so a kiosk would stop within its first day.

    Python 3.12 and later never free these objects and need nothing. Here their reference counts are
    raised so far that no run can bring them to zero; an extra reference to a constant is harmless.
    Remove this once the project requires Python 3.12, or once a PySide6 release no longer drops the
    references (check with ``sys.getrefcount(None)`` around a loop of ``QPainterPath().lineTo(0, 0)``).
    """
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    # here, not at the top: the first paint goes without it
    import ctypes

    for constant in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(constant))  # ob_refcnt, the first field of every object
        if refcount.value < _IMMORTAL:
            refcount.value += _IMMORTAL


def forbid_core_dumps() -> None:
    """No core dump of this process, ever: it would write the form a signer is filling in, their
    handwriting and the volunteer's recent entries (memory only, by design) to disk, where a seized
    device gives them up (SECURITY.md). Also keeps other programs of the same user from attaching a
    debugger to read that memory (Linux: the process is no longer "dumpable")."""
    # here, not at the top: the first paint goes without it
    import contextlib
    import resource

    with contextlib.suppress(ValueError, OSError):  # a platform without core limits
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        # here, not at the top: the first paint goes without it
        import ctypes

        pr_set_dumpable = 4
        with contextlib.suppress(OSError, AttributeError):  # a libc without prctl
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_dumpable, 0, 0, 0, 0)
