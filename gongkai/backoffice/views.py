"""The staff dashboard: what the signed-in user's organisations look like today."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from gongkai.accounts.models import User
from gongkai.applications.inbox import inbox
from gongkai.applications.provisional import provisional_for
from gongkai.applications.selectors import due_soon_and_overdue
from gongkai.orgs.models import Membership
from gongkai.orgs.permissions import Action, orgs_where
from gongkai.workdays.selectors import missing_arrangement_message, missing_arrangements

from .audit.selectors import audit_entries_for


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required
    visible = orgs_where(user, Action.VIEW)
    due = due_soon_and_overdue(user)
    today = timezone.localdate()
    context = {
        "memberships": Membership.objects.filter(user=user).select_related("org").order_by("org__path"),
        "org_count": visible.count(),
        "staff_count": User.objects.filter(memberships__org__in=visible, is_active=True).distinct().count(),
        "recent": audit_entries_for(user)[:10],
        "due": due,
        "inbox": inbox(user, due=due, limit=0),  # counts only
        # deadlines that reach a year whose holiday arrangement is not loaded (applications/provisional.py)
        "provisional": provisional_for(user).count(),
        "calendar_gaps": [missing_arrangement_message(y, today) for y in missing_arrangements(today)],
    }
    return render(request, "backoffice/dashboard.html", context)


@require_GET
@never_cache
@login_required
def keepalive(request: HttpRequest) -> HttpResponse:
    """「继续使用」 in the warning before the idle timeout: any request renews the session (SESSION_SAVE_EVERY_REQUEST),
    this one changes nothing else. An expired session is answered by login_required's redirect to the login page."""
    return HttpResponse(status=204)
