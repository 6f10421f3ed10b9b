"""Map tile settings."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def tile_csp_source(url: str) -> str:
    """The CSP source for an XYZ tile URL template: its scheme and host, with Leaflet's `{s}` subdomain as `*`.

    `https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png` gives `https://*.tile.openstreetmap.org`.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ImproperlyConfigured(f"MAP_TILE_URL={url!r} must be an http(s) URL template.")
    host = parts.netloc.replace("{s}", "*")
    if "{" in host:
        raise ImproperlyConfigured(f"MAP_TILE_URL={url!r}: only {{s}} may stand in the host name.")
    return f"{parts.scheme}://{host}"
