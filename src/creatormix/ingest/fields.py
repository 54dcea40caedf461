"""The fields each kind of import understands, their value kinds and the headers that mean them.

Header matching is on a normalised key (lower case, anything but letters and digits squeezed to one
space), so ``#Followers``, ``followers_count`` and ``Followers count`` all become ``followers count``.
``--map "column=field"`` overrides the table; ``--map "column=ignore"`` drops a column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from creatormix.domain.imports import ImportKind


class Kind(StrEnum):
    """How a field's cells are parsed (see ``ingest.values``)."""

    TEXT = "text"
    HANDLE = "handle"
    PLATFORM = "platform"
    COUNT = "count"
    NUMBER = "number"
    RATIO = "ratio"
    MONEY = "money"
    CURRENCY = "currency"
    COUNTRY = "country"
    LANGUAGE = "language"
    CATEGORIES = "categories"
    HASHTAGS = "hashtags"
    BOOL = "bool"
    DATETIME = "datetime"
    POST_TYPE = "post_type"
    ID = "id"

    @property
    def numeric(self) -> bool:
        return self in {Kind.COUNT, Kind.NUMBER, Kind.RATIO, Kind.MONEY}


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    aliases: tuple[str, ...] = ()
    required: bool = False
    description: str = ""


def header_key(text: str) -> str:
    """The normalised form headers are matched on."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text.strip())  # followersCount -> followers Count
    return re.sub(r"[^0-9a-z]+", " ", text.lower()).strip()


_HANDLE_ALIASES = (
    "handle",
    "username",
    "user name",
    "user",
    "account",
    "account name",
    "profile",
    "instagram name",
    "instagram handle",
    "instagram username",
    "tiktok name",
    "tiktok handle",
    "tiktok username",
    "youtube channel",
    "channel",
    "channel info",
    "channel name",
    "screen name",
    "influencer",
    "influencer profile",
    "influencer handle",
    "creator",
    "creator handle",
    "ig handle",
    "insta name",
    "owner username",
    "author",
    "author name",
    "author unique id",
    "unique id",
    "youtuber",
    "youtuber name",
    "tiktoker",
    "tiktoker name",
    "instagrammer",
    "instagram account",
    "tiktok account",
    "youtube handle",
    "channel handle",
    "channel id",
)

CREATOR_FIELDS: tuple[Field, ...] = (
    Field(
        "handle",
        Kind.HANDLE,
        _HANDLE_ALIASES,
        required=True,
        description="account handle, with or without @, or a profile URL",
    ),
    Field(
        "platform",
        Kind.PLATFORM,
        ("platform", "network", "social network", "source"),
        description="instagram, tiktok, youtube, … (or --platform)",
    ),
    Field(
        "name",
        Kind.TEXT,
        (
            "name",
            "full name",
            "display name",
            "nickname",
            "title",
            "influencer name",
            "creator name",
            "channel title",
        ),
    ),
    Field(
        "country",
        Kind.COUNTRY,
        (
            "country",
            "location",
            "creator country",
            "influencer country",
            "country code",
            "home country",
            "region",
        ),
    ),
    Field("language", Kind.LANGUAGE, ("language", "lang", "main language", "content language")),
    Field(
        "categories",
        Kind.CATEGORIES,
        (
            "category",
            "categories",
            "niche",
            "niches",
            "topic",
            "topics",
            "genre",
            "vertical",
            "industry",
            "tags",
            "category 1",
            "category 2",
            "category 3",
            "category1",
            "category2",
            "category3",
            "main category",
            "channel type",
            "content category",
        ),
    ),
    Field(
        "followers",
        Kind.COUNT,
        (
            "followers",
            "follower",
            "followers count",
            "follower count",
            "subscribers",
            "subscriber count",
            "subscribers count",
            "subscribers count avg",
            "youtube subscribers",
            "tiktok followers",
            "instagram followers",
            "subs",
            "fans",
            "fans count",
            "audience",
            "audience size",
            "num followers",
            "nb followers",
            "total followers",
            "edge followed by",
        ),
    ),
    Field(
        "following",
        Kind.COUNT,
        (
            "following",
            "followees",
            "followings",
            "following count",
            "follows",
            "follows count",
            "friends count",
            "edge follow",
        ),
    ),
    Field(
        "post_count",
        Kind.COUNT,
        (
            "posts",
            "post count",
            "posts count",
            "media count",
            "number of posts",
            "nb posts",
            "uploads",
            "video count",
            "videos",
            "total posts",
        ),
    ),
    Field("bio", Kind.TEXT, ("bio", "biography", "description", "about", "signature")),
    Field(
        "price_per_post",
        Kind.MONEY,
        (
            "price",
            "price per post",
            "rate",
            "fee",
            "cost per post",
            "quoted price",
            "post price",
            "rate per post",
        ),
    ),
    Field("currency", Kind.CURRENCY, ("currency", "price currency", "currency code")),
    Field(
        "avg_likes",
        Kind.NUMBER,
        (
            "avg likes",
            "average likes",
            "avg likes per post",
            "mean likes",
            "likes avg",
            "likes average",
        ),
    ),
    Field(
        "avg_comments",
        Kind.NUMBER,
        ("avg comments", "average comments", "mean comments", "comments avg", "comments average"),
    ),
    Field(
        "avg_views",
        Kind.NUMBER,
        (
            "avg views",
            "average views",
            "views average",
            "mean views",
            "views avg",
            "avg video views",
            "average video views",
        ),
    ),
    Field(
        "avg_shares",
        Kind.NUMBER,
        ("avg shares", "average shares", "mean shares", "shares avg", "shares average"),
    ),
    Field(
        "engagement_rate",
        Kind.RATIO,
        (
            "engagement rate",
            "er",
            "eng rate",
            "60d eng rate",
            "engagement",
            "avg engagement rate",
            "engagement rate percent",
            "engagement percent",
            "authentic engagement rate",
        ),
    ),
    Field(
        "audience_country",
        Kind.COUNTRY,
        (
            "audience country",
            "top audience country",
            "main audience country",
            "audience top country",
            "audience location",
            "audience country mostly",
            "audience country most",
            "top country of audience",
        ),
    ),
    Field(
        "observed_at",
        Kind.DATETIME,
        (
            "observed at",
            "date",
            "scraped at",
            "collected at",
            "snapshot date",
            "as of",
            "updated at",
            "export date",
        ),
    ),
)

POST_FIELDS: tuple[Field, ...] = (
    Field("handle", Kind.HANDLE, (*_HANDLE_ALIASES, "owner", "posted by"), required=True),
    Field("platform", Kind.PLATFORM, ("platform", "network", "social network", "source")),
    Field(
        "post_id",
        Kind.ID,
        (
            "post id",
            "id",
            "shortcode",
            "short code",
            "media id",
            "video id",
            "url",
            "post url",
            "permalink",
            "link",
        ),
    ),
    Field(
        "posted_at",
        Kind.DATETIME,
        (
            "posted at",
            "date",
            "timestamp",
            "time",
            "created at",
            "create time",
            "published at",
            "publish date",
            "taken at",
            "post date",
            "upload date",
            "datetime",
        ),
    ),
    Field(
        "post_type",
        Kind.POST_TYPE,
        ("type", "post type", "media type", "format", "product type", "typename"),
    ),
    Field(
        "likes",
        Kind.COUNT,
        (
            "likes",
            "like count",
            "likes count",
            "nb likes",
            "num likes",
            "digg count",
            "hearts",
            "reactions",
            "edge liked by",
        ),
    ),
    Field(
        "comments",
        Kind.COUNT,
        (
            "comments",
            "comment count",
            "comments count",
            "nb comments",
            "num comments",
            "replies",
            "comment total",
        ),
    ),
    Field(
        "shares",
        Kind.COUNT,
        ("shares", "share count", "shares count", "nb shares", "reposts", "retweets"),
    ),
    Field(
        "saves",
        Kind.COUNT,
        ("saves", "saved", "save count", "saves count", "bookmarks", "collect count"),
    ),
    Field(
        "views",
        Kind.COUNT,
        (
            "views",
            "view count",
            "views count",
            "video views",
            "plays",
            "play count",
            "video view count",
            "impressions",
            "nb views",
        ),
    ),
    Field(
        "caption",
        Kind.TEXT,
        (
            "caption",
            "text",
            "post text",
            "description",
            "desc",
            "body",
            "content",
            "message",
            "title",
        ),
    ),
    Field("hashtags", Kind.HASHTAGS, ("hashtags", "hashtag", "tags", "hash tags")),
    Field(
        "sponsored",
        Kind.BOOL,
        (
            "sponsored",
            "is sponsored",
            "paid partnership",
            "is paid partnership",
            "ad",
            "is ad",
            "branded content",
            "paid",
        ),
    ),
)

SNAPSHOT_FIELDS: tuple[Field, ...] = (
    Field("handle", Kind.HANDLE, _HANDLE_ALIASES, required=True),
    Field("platform", Kind.PLATFORM, ("platform", "network")),
    Field(
        "observed_at",
        Kind.DATETIME,
        ("observed at", "date", "day", "timestamp", "snapshot date", "as of", "time"),
        required=True,
    ),
    Field("followers", Kind.COUNT, CREATOR_FIELDS[6].aliases, required=True),
)

_CREATOR_OF = (
    "creator",
    "influencer",
    "creator handle",
    "influencer handle",
    "creator username",
    "account",
    "sampled account",
    "post owner",
    "owner",
    "owner username",
)

FOLLOWER_SAMPLE_FIELDS: tuple[Field, ...] = (
    Field("handle", Kind.HANDLE, _CREATOR_OF, required=True, description="the sampled creator"),
    Field("platform", Kind.PLATFORM, ("platform", "network")),
    Field(
        "username",
        Kind.TEXT,
        ("username", "user name", "follower", "follower username", "follower handle", "user"),
        description="the follower's username (its length and digits are model features)",
    ),
    Field(
        "posts",
        Kind.COUNT,
        ("posts", "post count", "posts count", "media count", "number of posts"),
    ),
    Field(
        "following",
        Kind.COUNT,
        ("following", "follows", "followees", "following count", "follows count"),
    ),
    Field("followers", Kind.COUNT, ("followers", "follower count", "followers count")),
    Field(
        "has_profile_picture",
        Kind.BOOL,
        (
            "has profile picture",
            "profile picture",
            "profile pic",
            "has profile pic",
            "has avatar",
            "avatar",
        ),
    ),
    Field("is_private", Kind.BOOL, ("is private", "private", "private account")),
    Field("username_length", Kind.COUNT, ("username length",)),
    Field("username_digits", Kind.COUNT, ("username digits",)),
    Field("username_ends_with_digit", Kind.BOOL, ("username ends with digit",)),
    Field("username_non_alpha", Kind.COUNT, ("username non alpha",)),
    Field(
        "observed_at", Kind.DATETIME, ("observed at", "date", "sampled at", "collected at", "as of")
    ),
)

AUDIENCE_FIELDS: tuple[Field, ...] = (
    Field("handle", Kind.HANDLE, (*_CREATOR_OF, "handle", "username"), required=True),
    Field("platform", Kind.PLATFORM, ("platform", "network")),
    Field(
        "dimension",
        Kind.TEXT,
        ("dimension", "type", "breakdown", "kind", "demographic", "category"),
        required=True,
        description="country, age, gender or language",
    ),
    Field(
        "segment",
        Kind.TEXT,
        ("segment", "value", "group", "bucket", "label", "name", "code"),
        required=True,
        description="FR / France, 18-24, female, fr / French",
    ),
    Field(
        "share",
        Kind.RATIO,
        ("share", "percent", "percentage", "pct", "fraction", "audience share", "weight"),
        required=True,
    ),
    Field("observed_at", Kind.DATETIME, ("observed at", "date", "as of", "collected at")),
)

COMMENT_FIELDS: tuple[Field, ...] = (
    Field("handle", Kind.HANDLE, (*_CREATOR_OF, "handle"), required=True),
    Field("platform", Kind.PLATFORM, ("platform", "network")),
    Field("post_id", Kind.ID, ("post id", "post", "shortcode", "media id", "video id", "post url")),
    Field(
        "text",
        Kind.TEXT,
        ("text", "comment", "comment text", "body", "message", "content"),
        required=True,
    ),
    Field(
        "commented_at",
        Kind.DATETIME,
        ("commented at", "date", "timestamp", "created at", "time", "posted at"),
    ),
)

# Store orders. Shopify's order export has one row per line item: order-level columns (totals,
# codes, status) are filled on the order's first row only; rows are grouped by ``Name``.
ORDER_FIELDS: tuple[Field, ...] = (
    Field(
        "order_id",
        Kind.ID,
        ("name", "order", "order name", "order id", "order number", "order no", "transaction id"),
        required=True,
        description="order name or number; rows with the same value are one order",
    ),
    Field(
        "ordered_at",
        Kind.DATETIME,
        ("created at", "order date", "date", "ordered at", "processed at", "timestamp"),
    ),
    Field("paid_at", Kind.DATETIME, ("paid at",)),
    Field("currency", Kind.CURRENCY, ("currency", "currency code", "order currency")),
    Field("subtotal", Kind.MONEY, ("subtotal", "sub total", "net sales", "subtotal price")),
    Field("shipping", Kind.MONEY, ("shipping", "shipping price", "shipping amount")),
    Field("taxes", Kind.MONEY, ("taxes", "tax", "total tax", "tax amount")),
    Field(
        "total",
        Kind.MONEY,
        ("total", "order total", "total price", "amount", "revenue", "total sales", "gross sales"),
    ),
    Field(
        "discount_code",
        Kind.TEXT,
        ("discount code", "discount codes", "coupon", "coupon code", "promo code", "voucher"),
    ),
    Field("discount_amount", Kind.MONEY, ("discount amount", "discount", "total discounts")),
    Field("financial_status", Kind.TEXT, ("financial status", "payment status", "status")),
    Field("refunded", Kind.MONEY, ("refunded amount", "refunded", "refund", "refund amount")),
    Field("cancelled_at", Kind.DATETIME, ("cancelled at", "canceled at", "cancelled", "canceled")),
    Field("quantity", Kind.COUNT, ("lineitem quantity", "quantity", "qty", "items")),
    Field("landing_site", Kind.TEXT, ("landing site", "landing page", "landing url")),
    Field("utm_source", Kind.TEXT, ("utm source", "source utm")),
    Field("utm_medium", Kind.TEXT, ("utm medium",)),
    Field("utm_campaign", Kind.TEXT, ("utm campaign",)),
    Field("utm_content", Kind.TEXT, ("utm content",)),
)

# Web analytics exports (GA4 explorations, Plausible, Matomo …): one row per day and UTM values.
ANALYTICS_FIELDS: tuple[Field, ...] = (
    Field("day", Kind.DATETIME, ("date", "day", "session date")),
    Field("utm_source", Kind.TEXT, ("utm source", "session source", "source", "first user source")),
    Field("utm_medium", Kind.TEXT, ("utm medium", "session medium", "medium")),
    Field(
        "utm_campaign",
        Kind.TEXT,
        ("utm campaign", "session campaign", "campaign", "session campaign name"),
    ),
    Field(
        "utm_content",
        Kind.TEXT,
        ("utm content", "session manual ad content", "ad content", "content", "manual ad content"),
    ),
    Field("landing_page", Kind.TEXT, ("landing page", "landing page plus query string", "page")),
    Field("sessions", Kind.NUMBER, ("sessions", "visits", "users", "visitors"), required=True),
    Field(
        "conversions",
        Kind.NUMBER,
        ("conversions", "key events", "transactions", "purchases", "goal completions", "orders"),
    ),
    Field("revenue", Kind.MONEY, ("revenue", "total revenue", "purchase revenue")),
)

FIELDS: dict[ImportKind, tuple[Field, ...]] = {
    ImportKind.CREATORS: CREATOR_FIELDS,
    ImportKind.POSTS: POST_FIELDS,
    ImportKind.SNAPSHOTS: SNAPSHOT_FIELDS,
    ImportKind.FOLLOWERS_SAMPLE: FOLLOWER_SAMPLE_FIELDS,
    ImportKind.AUDIENCE: AUDIENCE_FIELDS,
    ImportKind.COMMENTS: COMMENT_FIELDS,
    ImportKind.ORDERS: ORDER_FIELDS,
    ImportKind.ANALYTICS: ANALYTICS_FIELDS,
}

IGNORE = "ignore"


def field_by_name(kind: ImportKind, name: str) -> Field:
    for f in FIELDS[kind]:
        if f.name == name:
            return f
    known = ", ".join(f.name for f in FIELDS[kind])
    raise KeyError(f"unknown field {name!r} for {kind.value} imports (known: {known})")


def alias_index(kind: ImportKind) -> dict[str, str]:
    """Normalised header -> field name."""
    index: dict[str, str] = {}
    for f in FIELDS[kind]:
        index.setdefault(header_key(f.name), f.name)
        for alias in f.aliases:
            index.setdefault(header_key(alias), f.name)
    return index


# Follower lists (``import followers``) are read whole, not tabulated: the first of these names
# (lower case, '-' read as '_', a space as '_') found in the header is the column
# (``ingest.followers``).
FOLLOWER_LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "creator": ("creator", "handle", "influencer", "account", "creator_handle", "profile"),
    "follower": (
        "follower",
        "follower_id",
        "follower id",
        "follower_username",
        "follower_handle",
        "followerid",
        "user_id",
        "username",
        "user",
    ),
    "platform": ("platform", "network", "channel"),
}
