"""Shopify's records copied into our tables: one upsert per kind, keyed by the Shopify GID.

The copy is what the Store port reads, so it takes Shopify's word for everything: an
order's items, their state (from its fulfillments), tracking, address and tags. An older
copy never overwrites a newer one: each link keeps Shopify's `updatedAt`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from deskhand.commerce.shopify.fulfillment_orders import replace_fulfillment_orders
from deskhand.db import models
from deskhand.domain.contact import normalise_email
from deskhand.domain.orders import ItemStatus
from deskhand.domain.vocabulary import IntegrationKind

SOURCE = IntegrationKind.SHOPIFY.value
_ZERO_DECIMAL = frozenset({"JPY", "KRW", "ISK", "CLP", "VND", "XAF", "XOF", "HUF"})
# Product tags (or line item attributes) that mark what the policy treats specially.
_FLAG_TAGS = {
    "personalised": ("personalised", "personalized"),
    "preorder": ("preorder", "pre-order"),
    "final_sale": ("final-sale", "final sale", "final_sale"),
}


def parse_time(raw: Any) -> datetime | None:
    if not raw:
        return None
    value = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def minor_units(amount: Any, currency: str) -> int:
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return 0
    scale = 1 if currency.upper() in _ZERO_DECIMAL else 100
    return int((value * scale).to_integral_value())


def gid_number(gid: str) -> str:
    return gid.rsplit("/", 1)[-1]


class Links:
    """Shopify GID <-> our row id, per kind, for one brand (looked-up links are kept)."""

    def __init__(self, session: Session, brand_id: int) -> None:
        self.session, self.brand_id = session, brand_id
        self._known: dict[tuple[str, str], models.ExternalLink | None] = {}
        self.keep: list[object] = []  # rows loaded ahead for this page (kept alive)

    def _query(self, kind: str) -> Select[models.ExternalLink]:
        return select(models.ExternalLink).where(
            models.ExternalLink.brand_id == self.brand_id,
            models.ExternalLink.source == SOURCE,
            models.ExternalLink.kind == kind,
        )

    def prefetch(self, kind: str, gids: Iterable[str]) -> None:
        """Look up many links in one query (a page's worth)."""
        wanted = sorted({g for g in gids if g and (kind, g) not in self._known})
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            with self.session.no_autoflush:
                found = self.session.scalars(
                    self._query(kind).where(models.ExternalLink.external_id.in_(chunk))
                )
                by_gid = {link.external_id: link for link in found}
            for gid in chunk:
                self._known[kind, gid] = by_gid.get(gid)

    def row(self, kind: str, gid: str) -> models.ExternalLink | None:
        if (kind, gid) not in self._known:
            with self.session.no_autoflush:
                self._known[kind, gid] = self.session.scalar(
                    self._query(kind).where(models.ExternalLink.external_id == gid)
                )
        return self._known[kind, gid]

    def forget(self, kind: str, gid: str) -> None:
        """Drop a link (a swapped-out line item: its row continues under the new GID)."""
        link = self.row(kind, gid)
        if link is not None:
            self.session.delete(link)
        self._known[kind, gid] = None

    def local(self, kind: str, gid: str | None) -> int | None:
        if not gid:
            return None
        link = self.row(kind, gid)
        return link.local_id if link else None

    def gid(self, kind: str, local_id: int) -> str | None:
        return self.session.scalar(
            select(models.ExternalLink.external_id).where(
                models.ExternalLink.brand_id == self.brand_id,
                models.ExternalLink.source == SOURCE,
                models.ExternalLink.kind == kind,
                models.ExternalLink.local_id == local_id,
            )
        )

    def put(self, kind: str, gid: str, local_id: int, updated_at: datetime | None = None) -> None:
        link = self.row(kind, gid)
        if link is None:
            link = models.ExternalLink(
                brand_id=self.brand_id, source=SOURCE, kind=kind, external_id=gid, local_id=0
            )
            self.session.add(link)
            self._known[kind, gid] = link
        link.local_id = local_id
        if updated_at is not None:
            link.remote_updated_at = updated_at

    def newer_than(self, kind: str, gid: str, updated_at: datetime | None) -> bool:
        """True when our copy is already as new as `updated_at` or newer (skip it)."""
        link = self.row(kind, gid)
        if link is None or link.remote_updated_at is None or updated_at is None:
            return False
        return link.remote_updated_at >= updated_at


def upsert_customer(links: Links, node: dict[str, Any]) -> int | None:
    """Our copy of one customer; None for a customer without an email (we key on it)."""
    email = normalise_email(node.get("email") or "")
    if email is None:
        return None
    session, brand_id = links.session, links.brand_id
    row_id = links.local("customer", node["id"])
    row = session.get(models.Customer, row_id) if row_id else None
    if row is None:  # same address already copied under another GID (a merged customer)
        row = session.scalar(
            select(models.Customer).where(
                models.Customer.brand_id == brand_id, models.Customer.email == email
            )
        )
    if row is None:
        row = models.Customer(
            brand_id=brand_id, email=email, created_at=parse_time(node.get("createdAt"))
        )
        session.add(row)
    row.email = email
    row.phone = node.get("phone") or None
    row.first_name = (node.get("firstName") or "")[:100]
    row.last_name = (node.get("lastName") or "")[:100]
    if row.created_at is None:
        row.created_at = datetime.now(UTC)
    session.flush()
    links.put("customer", node["id"], row.id, parse_time(node.get("updatedAt")))
    return row.id


def upsert_product(links: Links, node: dict[str, Any], currency: str) -> int:
    session, brand_id = links.session, links.brand_id
    row_id = links.local("product", node["id"])
    row = session.get(models.Product, row_id) if row_id else None
    if row is None:
        row = models.Product(brand_id=brand_id, handle=node.get("handle") or gid_number(node["id"]))
        session.add(row)
    row.handle = (node.get("handle") or gid_number(node["id"]))[:100]
    row.title = (node.get("title") or "")[:200]
    session.flush()
    links.put("product", node["id"], row.id, parse_time(node.get("updatedAt")))
    for index, variant in enumerate((node.get("variants") or {}).get("nodes") or []):
        _upsert_variant(links, variant, row.id, index, currency)
    return row.id


def _option(variant: dict[str, Any], *names: str) -> str | None:
    for option in variant.get("selectedOptions") or []:
        if str(option.get("name", "")).strip().lower() in names:
            return str(option.get("value") or "")[:32] or None
    return None


def _upsert_variant(
    links: Links, node: dict[str, Any], product_id: int, index: int, currency: str
) -> None:
    session, brand_id = links.session, links.brand_id
    row_id = links.local("variant", node["id"])
    row = session.get(models.Variant, row_id) if row_id else None
    sku = (node.get("sku") or "").strip()[:64]
    taken = session.scalar(
        select(models.Variant.id).where(
            models.Variant.brand_id == brand_id, models.Variant.sku == sku
        )
    )
    if not sku or (taken is not None and taken != row_id):
        sku = f"shopify:{gid_number(node['id'])}"  # SKUs are optional and not unique in Shopify
    if row is None:
        row = models.Variant(brand_id=brand_id, product_id=product_id, sku=sku)
        session.add(row)
    row.product_id = product_id
    row.position = int(node.get("position") or index + 1)
    row.sku = sku
    row.title = (node.get("title") or "")[:200]
    row.size = _option(node, "size")
    row.colour = _option(node, "color", "colour")
    row.price = minor_units(node.get("price"), currency)
    row.stock = max(int(node.get("inventoryQuantity") or 0), 0)
    session.flush()
    links.put("variant", node["id"], row.id)


def _address(raw: dict[str, Any] | None) -> dict[str, Any]:
    if not raw:
        return {}
    return {
        "name": raw.get("name") or "",
        "line1": raw.get("address1") or "",
        "city": raw.get("city") or "",
        "postcode": raw.get("zip") or "",
        "country": raw.get("countryCodeV2") or "",
    }


def _flags(item: dict[str, Any]) -> dict[str, bool]:
    """From the product's tags, or the line item's own attributes (`final-sale: yes`)."""
    tags = {str(t).strip().lower() for t in (item.get("product") or {}).get("tags") or []}
    tags |= {
        str(a.get("key", "")).strip().lower()
        for a in item.get("customAttributes") or []
        if str(a.get("value", "")).strip().lower() not in ("", "no", "false", "0")
    }
    flags = {name: bool(tags.intersection(words)) for name, words in _FLAG_TAGS.items()}
    flags["gift_card"] = bool(item.get("isGiftCard"))
    return flags


def prefetch_orders(links: Links, nodes: list[dict[str, Any]]) -> None:
    """Every link a page of orders will ask for, in one query per kind."""
    links.prefetch("order", (n["id"] for n in nodes))
    links.prefetch("customer", ((n.get("customer") or {}).get("id", "") for n in nodes))
    items = [i for n in nodes for i in (n.get("lineItems") or {}).get("nodes") or []]
    links.prefetch("line_item", (i["id"] for i in items))
    links.prefetch("variant", ((i.get("variant") or {}).get("id", "") for i in items))
    variant_ids = {links.local("variant", (i.get("variant") or {}).get("id")) for i in items}
    wanted = [v for v in variant_ids if v is not None]
    if wanted:  # into the identity map: each item's stock is set on its variant's row
        found = links.session.scalars(select(models.Variant).where(models.Variant.id.in_(wanted)))
        links.keep.extend(found)  # the identity map holds rows weakly: keep them for the page
    links.prefetch("shipment", (f["id"] for n in nodes for f in n.get("fulfillments") or []))


def upsert_order(links: Links, node: dict[str, Any], *, force: bool = False) -> int | None:
    """Our copy of one order (items, shipments); None when its customer is not copied.

    An order our copy already holds at this `updatedAt` or later is left alone unless
    `force` (a write's own answer, which is newest by definition).
    """
    session, brand_id = links.session, links.brand_id
    updated_at = parse_time(node.get("updatedAt"))
    if not force and links.newer_than("order", node["id"], updated_at):
        return links.local("order", node["id"])
    customer_id = links.local("customer", (node.get("customer") or {}).get("id"))
    if customer_id is None:
        return None
    currency = node.get("currencyCode") or "EUR"
    row_id = links.local("order", node["id"])
    row = session.get(models.Order, row_id) if row_id else None
    fresh = row is None
    if row is None:
        row = models.Order(brand_id=brand_id, tags=[], shipping_address={})
        session.add(row)
    row.customer_id = customer_id
    row.number = str(node.get("name") or gid_number(node["id"])).lstrip("#")[:32]
    row.placed_at = parse_time(node.get("createdAt")) or datetime.now(UTC)
    row.currency = currency
    row.cancelled_at = parse_time(node.get("cancelledAt"))
    row.shipping_address = _address(node.get("shippingAddress"))
    row.tags = sorted({str(t).strip().lower() for t in node.get("tags") or [] if str(t).strip()})
    session.flush()
    shipped = _upsert_shipments(links, row, node.get("fulfillments") or [])
    items = _upsert_items(links, row, node, shipped, currency, fresh)
    if "fulfillmentOrders" in node:  # a bulk answer without them keeps what we have
        found = (node.get("fulfillmentOrders") or {}).get("nodes") or []
        replace_fulfillment_orders(session, brand_id, row.id, found, items, fresh=fresh)
    links.put("order", node["id"], row.id, updated_at)
    session.expire(row, ["items", "shipments", "fulfillment_orders"])
    return row.id


def _upsert_shipments(
    links: Links, order: models.Order, fulfillments: list[dict[str, Any]]
) -> dict[str, tuple[int, str]]:
    """Copy the fulfillments; answers Shopify line item GID -> (shipment id, item status)."""
    shipped: dict[str, tuple[int, str]] = {}
    for fulfillment in fulfillments:
        if str(fulfillment.get("status", "")).upper() in ("CANCELLED", "ERROR", "FAILURE"):
            continue
        tracking = (fulfillment.get("trackingInfo") or [{}])[0] or {}
        delivered_at = parse_time(fulfillment.get("deliveredAt"))
        delivered = delivered_at is not None or fulfillment.get("displayStatus") == "DELIVERED"
        row_id = links.local("shipment", fulfillment["id"])
        row = links.session.get(models.Shipment, row_id) if row_id else None
        if row is None:
            row = models.Shipment(brand_id=links.brand_id, order_id=order.id)
            links.session.add(row)
        eta = parse_time(fulfillment.get("estimatedDeliveryAt"))
        row.carrier = (tracking.get("company") or "")[:64]
        row.tracking_number = (tracking.get("number") or "")[:64]
        row.tracking_url = (tracking.get("url") or "")[:500]
        row.status = "delivered" if delivered else "in_transit"
        row.shipped_at = parse_time(fulfillment.get("createdAt")) or datetime.now(UTC)
        row.eta = eta.date() if isinstance(eta, datetime) else None
        row.delivered_at = delivered_at or (row.shipped_at if delivered else None)
        links.session.flush()
        links.put("shipment", fulfillment["id"], row.id)
        status = ItemStatus.DELIVERED.value if delivered else ItemStatus.SHIPPED.value
        for part in (fulfillment.get("fulfillmentLineItems") or {}).get("nodes") or []:
            shipped[(part.get("lineItem") or {}).get("id", "")] = (row.id, status)
    return shipped


def _restock(links: Links, variant_id: int | None, quantity: Any) -> None:
    """Shopify's stock of a variant, as the order's answer tells it."""
    if variant_id is None or quantity is None:
        return
    row = links.session.get(models.Variant, variant_id)
    if row is not None:
        row.stock = max(int(quantity), 0)


def _upsert_items(
    links: Links,
    order: models.Order,
    node: dict[str, Any],
    shipped: dict[str, tuple[int, str]],
    currency: str,
    fresh: bool,
) -> dict[str, int]:
    """Copy the order's line items; answers Shopify line item GID -> our line item id."""
    session = links.session
    items = (node.get("lineItems") or {}).get("nodes") or []
    added: list[tuple[str, models.LineItem]] = []
    positions = [] if fresh else [i.position for i in order.items]  # a new order has none
    next_position = max(positions, default=-1) + 1
    for item in items:
        variant = item.get("variant") or {}
        variant_id = links.local("variant", variant.get("id"))
        _restock(links, variant_id, variant.get("inventoryQuantity"))
        row_id = links.local("line_item", item["id"])
        current = int(item.get("currentQuantity", item.get("quantity") or 0) or 0)
        if row_id is None and current == 0:
            continue  # removed by an edit before we ever saw it (or replaced by a swap)
        row = session.get(models.LineItem, row_id) if row_id else None
        if row is None:
            row = models.LineItem(
                brand_id=links.brand_id, order_id=order.id, position=next_position
            )
            next_position += 1
            session.add(row)
        shipment_id, status = shipped.get(item["id"], (None, ItemStatus.UNFULFILLED.value))
        if current == 0 or (order.cancelled_at is not None and shipment_id is None):
            status = ItemStatus.CANCELLED.value
        row.title = (item.get("title") or "")[:200]
        row.variant = (item.get("variantTitle") or "")[:200]
        row.sku = (item.get("sku") or "")[:64]
        row.quantity = current or int(item.get("quantity") or row.quantity or 1)
        price = ((item.get("originalUnitPriceSet") or {}).get("shopMoney") or {}).get("amount")
        row.unit_price = minor_units(price, currency)
        row.status = status
        for name, value in _flags(item).items():
            setattr(row, name, value)
        row.shipment_id = shipment_id
        row.variant_id = variant_id
        added.append((item["id"], row))
    session.flush()  # one flush for the order's items: their ids, then their links
    for gid, row in added:
        links.put("line_item", gid, row.id)
    return {gid: row.id for gid, row in added}
