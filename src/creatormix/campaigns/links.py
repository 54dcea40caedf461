"""Tracking URLs and the destinations they redirect to, with the four UTM parameters."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

UTM_MEDIUM = "influencer"


def check_destination(url: str) -> str:
    """An absolute http(s) URL with a host; ValueError otherwise (we never redirect elsewhere)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(
            f"destination {url!r} must be an absolute http(s) URL such as https://shop.example/spring"
        )
    if any(c in url for c in "\r\n\t "):
        raise ValueError(f"destination {url!r} contains whitespace")
    return urlunsplit(parts)


def utm_destination(destination: str, *, platform: str, campaign_slug: str, handle: str) -> str:
    """The destination with utm_source/medium/campaign/content set (existing ones are replaced)."""
    parts = urlsplit(destination)
    utm = {
        "utm_source": platform,
        "utm_medium": UTM_MEDIUM,
        "utm_campaign": campaign_slug,
        "utm_content": handle,
    }
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in utm]
    query = urlencode([*kept, *utm.items()])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def tracking_url(link_base: str, code: str) -> str:
    return f"{link_base.rstrip('/')}/r/{code}"


def utm_of(url: str | None) -> dict[str, str]:
    """The utm_* parameters of a landing URL (absolute or a bare path with a query)."""
    if not url:
        return {}
    query = urlsplit(url.strip()).query
    return {k: v for k, v in parse_qsl(query) if k.startswith("utm_")}
