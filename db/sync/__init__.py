"""The device side of sync, Qt-free (house style rule 1): the desktop's worker only wraps it.

* :mod:`db.sync.client`     the HTTP client (requests.Session, explicit timeouts, TLS verification,
                            optional CA file); an answer counts only if it parses as ``db.wire``'s schema.
* :mod:`db.sync.store`      per-batch state transitions of signature rows and the run history.
* :mod:`db.sync.lock`       one sender per data directory, across processes.
* :mod:`db.sync.enrollment` the device key, the token (owner-only files) and ``enroll``.
* :mod:`db.sync.runner`     one sync run (:class:`Syncer`) and the automatic loop with backoff.
* :mod:`db.sync.bundles`    pulling campaign versions from the server and installing them.
"""
