"""The client address behind the reverse proxy: X-Forwarded-For is believed only from a trusted proxy, and
only the entry that proxy appended."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from gongkai.core.context import client_ip
from gongkai.core.middleware import RequestContextMiddleware, TrustedProxyMiddleware


def _seen(remote, forwarded, trusted):
    """(REMOTE_ADDR the views see, the address audit rows record) for one request."""
    seen = {}

    def view(request):
        seen["meta"], seen["audit"] = request.META["REMOTE_ADDR"], client_ip()
        return HttpResponse()

    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    with override_settings(GONGKAI_TRUSTED_PROXIES=trusted):
        TrustedProxyMiddleware(RequestContextMiddleware(view))(request)
    return seen["meta"], seen["audit"]


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "client"),
    [
        # nginx on the same host appends the peer it saw: that is the client
        ("127.0.0.1", "203.0.113.7", ["127.0.0.1"], "203.0.113.7"),
        # a client that forges the header: only the entry nginx appended (the rightmost) counts
        ("127.0.0.1", "10.9.9.9, 203.0.113.7", ["127.0.0.1"], "203.0.113.7"),
        # two proxies in a row, both trusted: the first address that is not a proxy
        ("10.0.0.2", "203.0.113.7, 10.0.0.1", ["10.0.0.1", "10.0.0.2"], "203.0.113.7"),
        # a request straight from the internet: its own header is ignored
        ("198.51.100.4", "127.0.0.1", ["127.0.0.1"], "198.51.100.4"),
        # no proxy configured (the default): the header is never read
        ("127.0.0.1", "203.0.113.7", [], "127.0.0.1"),
        # a malformed entry: the proxy's own address stays
        ("127.0.0.1", "not-an-address", ["127.0.0.1"], "127.0.0.1"),
        ("127.0.0.1", "2001:DB8::1", ["127.0.0.1"], "2001:db8::1"),
    ],
)
def test_client_address(remote, forwarded, trusted, client):
    assert _seen(remote, forwarded, trusted) == (client, client)


def test_the_proxy_middleware_runs_first():
    from django.conf import settings

    assert settings.MIDDLEWARE[0] == "gongkai.core.middleware.TrustedProxyMiddleware"
