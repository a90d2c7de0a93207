"""A local fake of Shopify's Admin GraphQL API and webhooks, for the tests and the bench.

It lives in the package (not in tests/) because `deskhand bench shopify` runs the initial
sync against it; the tests import it from here.
"""

from deskhand.bench.shopify_fake.seed import (
    customer_payload,
    fulfillment_order_payload,
    fulfillment_payload,
    generated_shop,
    order_payload,
)
from deskhand.bench.shopify_fake.server import (
    SECRET,
    TOKEN,
    FakeShopify,
    shopify_hmac,
    signed_webhook,
)
from deskhand.bench.shopify_fake.shop import FakeShop

__all__ = [
    "SECRET",
    "TOKEN",
    "FakeShop",
    "FakeShopify",
    "customer_payload",
    "fulfillment_order_payload",
    "fulfillment_payload",
    "generated_shop",
    "order_payload",
    "shopify_hmac",
    "signed_webhook",
]
