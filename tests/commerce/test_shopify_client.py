"""The Admin GraphQL client against the fake Shopify: throttling, retries, errors, pages."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from deskhand.bench.shopify_fake import TOKEN, FakeShopify, generated_shop
from deskhand.commerce.shopify import queries
from deskhand.commerce.shopify.client import (
    API_VERSION,
    ShopifyAuthError,
    ShopifyClient,
    ShopifyNotFound,
    ShopifyQueryError,
    ShopifyUnavailable,
    ShopifyUserErrors,
    shop_domain,
)
from deskhand.commerce.shopify.connection import check_connection

SHOP = "fjord-finch.myshopify.com"


@pytest.fixture
def server() -> Iterator[FakeShopify]:
    with FakeShopify(generated_shop(40, customers=30)) as fake:
        yield fake


def client_on(fake: FakeShopify, **kw: object) -> ShopifyClient:
    return ShopifyClient(SHOP, TOKEN, endpoint=fake.url, backoff=0.0, **kw)  # type: ignore[arg-type]


def test_the_version_is_pinned_in_the_url_and_the_token_in_a_header(server: FakeShopify) -> None:
    client = client_on(server)
    assert client.url == f"{server.url}/admin/api/{API_VERSION}/graphql.json"
    shop = check_connection(client)
    assert (shop.name, shop.domain, shop.currency) == ("Fjord & Finch", SHOP, "EUR")


def test_shop_domains_are_normalised_and_anything_else_refused() -> None:
    assert shop_domain("Fjord-Finch") == SHOP
    assert shop_domain("https://fjord-finch.myshopify.com/admin") == SHOP
    for bad in ("", "evil.example.com", "http://127.0.0.1:8000", "a b.myshopify.com"):
        with pytest.raises(ValueError, match="not a shop domain"):
            shop_domain(bad)


def test_cursor_pages_follow_page_info_to_the_end(server: FakeShopify) -> None:
    client = client_on(server)
    seen = [
        node["id"]
        for nodes, _ in client.pages(queries.CUSTOMERS, {"first": 7, "query": None}, "customers")
        for node in nodes
    ]
    assert len(seen) == len(set(seen)) == 30
    assert sum(1 for r in server.requests if "Customers" in r["query"]) == 5  # 7+7+7+7+2


def test_the_client_waits_for_the_bucket_instead_of_being_throttled(server: FakeShopify) -> None:
    server.bucket.maximum = server.bucket.available = 250.0
    server.bucket.restore_rate = 500.0
    client = client_on(server)
    for _ in range(8):  # each page reserves 102 points: the bucket holds two
        client.execute(queries.CUSTOMERS, {"first": 100, "after": None, "query": None})
    assert client.meter.waiting > 0  # it waited for the restore rate
    assert server.bucket.throttled <= 1  # at most the first, before it knew the cost
    assert server.bucket.lowest >= 0


def test_a_throttled_answer_waits_for_the_restore_rate_then_succeeds(server: FakeShopify) -> None:
    server.bucket.available = 0.0
    server.bucket.restore_rate = 100.0
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    client = client_on(server, sleep=sleep)
    data = client.execute(queries.CUSTOMERS, {"first": 100, "after": None, "query": None})
    assert len(data["customers"]["nodes"]) == 30
    assert client.meter.throttled >= 1
    assert server.bucket.throttled >= 1
    assert waits[0] == pytest.approx(1.02, abs=0.1)  # (requested 102 - available ~0) / 100


def test_a_query_past_the_single_query_limit_is_a_clear_error(server: FakeShopify) -> None:
    client = client_on(server)
    with pytest.raises(ShopifyQueryError, match="exceeds the single query max cost"):
        client.execute(queries.ORDERS, {"first": 50, "after": None, "query": None})


def test_5xx_is_retried_for_queries_but_never_for_mutations(server: FakeShopify) -> None:
    client = client_on(server)
    server.fail_next(2, status=502)
    assert client.execute(queries.SHOP)["shop"]["name"] == "Fjord & Finch"
    assert client.meter.retries == 2
    server.fail_next(1, status=500)
    before = len(server.requests)
    with pytest.raises(ShopifyUnavailable):
        client.mutate(queries.EDIT_BEGIN, {"id": "gid://shopify/Order/1"}, "orderEditBegin")
    assert len(server.requests) == before  # the mutation was not sent again
    server.fail_next(9, status=503)
    with pytest.raises(ShopifyUnavailable, match="HTTP 503"):
        client.execute(queries.SHOP)


def test_wrong_token_and_wrong_address_say_so(server: FakeShopify) -> None:
    with pytest.raises(ShopifyAuthError, match="access token"):
        ShopifyClient(SHOP, "shpat_wrong", endpoint=server.url).execute(queries.SHOP)
    with pytest.raises(ShopifyNotFound, match="404"):
        ShopifyClient(SHOP, TOKEN, endpoint=server.url + "/nope").execute(queries.SHOP)


def test_no_server_is_unavailable_after_the_retries() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = ShopifyClient(SHOP, TOKEN, endpoint=f"http://127.0.0.1:{port}", backoff=0.0)
    with pytest.raises(ShopifyUnavailable, match="did not answer"):
        client.execute(queries.SHOP)
    assert client.meter.retries == 4


def test_user_errors_of_a_mutation_are_raised_with_their_messages(server: FakeShopify) -> None:
    client = client_on(server)
    with pytest.raises(ShopifyUserErrors, match="Order does not exist"):
        client.mutate(queries.EDIT_BEGIN, {"id": "gid://shopify/Order/999999"}, "orderEditBegin")
    with pytest.raises(ShopifyUserErrors) as refused:
        client.mutate(
            queries.ORDER_CANCEL,
            {
                "orderId": "gid://shopify/Order/999999",
                "reason": "CUSTOMER",
                "refund": True,
                "restock": True,
            },
            "orderCancel",
        )
    assert refused.value.codes == ["NOT_FOUND"]


def test_a_misspelt_field_is_refused_by_the_fake_as_by_shopify(server: FakeShopify) -> None:
    with pytest.raises(ShopifyQueryError, match="Cannot query field"):
        client_on(server).execute("query { shop { nmae } }")
