"""Container health check of a web node: the login page answers 200 through
gunicorn, as the TLS proxy in front would ask for it (its Host, https), so a
missing static manifest or a broken settings file shows as unhealthy."""

import os
import sys
import urllib.request

host = (
    os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip("*.") or "localhost"
)
port = os.environ.get("PORT", "8000")
request = urllib.request.Request(  # noqa: S310 - a fixed loopback URL
    f"http://127.0.0.1:{port}/accounts/login/",
    headers={"Host": host, "X-Forwarded-Proto": "https"},
)
try:
    with urllib.request.urlopen(request, timeout=8) as response:  # noqa: S310
        sys.exit(0 if response.status == 200 else 1)
except Exception as error:  # noqa: BLE001 - any failure means unhealthy
    print(f"unhealthy: {error}", file=sys.stderr)
    sys.exit(1)
