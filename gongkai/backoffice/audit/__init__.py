"""The audit browser: the staff page over core's audit log, scoped to the organisations a user may view.

It lives here rather than in ``core`` because it needs ``orgs`` (the organisation filter and the scope), and
core imports no other app. URL ``/admin/audit/`` (``backoffice:audit``), template ``core/audit.html``.
"""
