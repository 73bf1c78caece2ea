"""Every write of 依申请公开, by step: ``intake``, the status ``machine`` with its event log, ``steps`` (assignment,
补正, 第三十五条, withdrawal, closing), ``consultations``, ``extensions``, ``fee_notices``, ``replies``, ``deadlines``
(recompute when the calendar changes) and ``remedies``. Letters are drafted through ``applications.letters``."""
