"""Every write of 依申请公开, by step: ``intake``, ``machine`` (what the steps share; ``take`` runs a step of
``applications.workflow``, the one place the status changes), ``steps`` (assignment,
补正, 第三十五条, withdrawal, closing), ``consultations``, ``extensions``, ``fee_notices``, ``replies``, ``deadlines``
(recompute when the calendar changes) and ``remedies``. Letters are drafted through ``applications.letters``."""
