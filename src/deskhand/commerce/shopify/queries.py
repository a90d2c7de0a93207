"""The GraphQL documents Deskhand sends to Shopify (the subset the fake Shopify implements).

Page sizes keep each query's requested cost under Shopify's single-query limit (1,000 points):
an order asks for up to 25 line items, 5 fulfillments and 3 fulfillment orders (about 370
points requested), so a page holds ORDER_PAGE orders. Shopify refunds what a page did not
use, so the bucket drains by the actual cost (about a dozen points for a typical order).
"""

from __future__ import annotations

ORDER_PAGE = 2
CUSTOMER_PAGE = 100
PRODUCT_PAGE = 20

SHOP = "query Shop { shop { name myshopifyDomain currencyCode } }"

CUSTOMER_FIELDS = """
fragment CustomerFields on Customer {
  id email phone firstName lastName createdAt updatedAt
}
"""

PRODUCT_FIELDS = """
fragment ProductFields on Product {
  id title handle tags updatedAt
  variants(first: 30) {
    nodes { id title sku price inventoryQuantity position selectedOptions { name value } }
  }
}
"""

ORDER_FIELDS = """
fragment OrderFields on Order {
  id name createdAt updatedAt cancelledAt currencyCode tags
  customer { id }
  shippingAddress { name address1 city zip countryCodeV2 }
  lineItems(first: 25) {
    nodes {
      id title variantTitle sku quantity currentQuantity isGiftCard
      customAttributes { key value }
      originalUnitPriceSet { shopMoney { amount } }
      variant { id inventoryQuantity }
      product { tags }
    }
  }
  fulfillments(first: 5) {
    id status displayStatus createdAt deliveredAt estimatedDeliveryAt
    trackingInfo(first: 1) { company number url }
    fulfillmentLineItems(first: 25) { nodes { quantity lineItem { id } } }
  }
  fulfillmentOrders(first: 3) {
    nodes {
      id status updatedAt
      assignedLocation { name }
      lineItems(first: 25) { nodes { remainingQuantity lineItem { id } } }
    }
  }
}
"""

CUSTOMERS = (
    """
query Customers($first: Int!, $after: String, $query: String) {
  customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    nodes { ...CustomerFields }
    pageInfo { hasNextPage endCursor }
  }
}
"""
    + CUSTOMER_FIELDS
)

PRODUCTS = (
    """
query Products($first: Int!, $after: String, $query: String) {
  products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    nodes { ...ProductFields }
    pageInfo { hasNextPage endCursor }
  }
}
"""
    + PRODUCT_FIELDS
)

ORDERS = (
    """
query Orders($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    nodes { ...OrderFields }
    pageInfo { hasNextPage endCursor }
  }
}
"""
    + ORDER_FIELDS
)

COUNTS = """
query Counts($query: String) {
  customersCount(query: $query) { count }
  productsCount(query: $query) { count }
  ordersCount(query: $query) { count }
}
"""

ORDER = (
    """
query Order($id: ID!) {
  order(id: $id) { ...OrderFields }
}
"""
    + ORDER_FIELDS
)

FULFILLMENT_ORDER = (
    """
query FulfillmentOrder($id: ID!) {
  fulfillmentOrder(id: $id) { id order { ...OrderFields } }
}
"""
    + ORDER_FIELDS
)

CUSTOMER = (
    """
query Customer($id: ID!) {
  customer(id: $id) { ...CustomerFields }
}
"""
    + CUSTOMER_FIELDS
)

CUSTOMER_ORDERS = (
    """
query CustomerOrders($id: ID!, $first: Int!, $after: String) {
  customer(id: $id) {
    orders(first: $first, after: $after) {
      nodes { ...OrderFields }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""
    + ORDER_FIELDS
)

# -- order editing, update, cancel (writes.py) -----------------------------------------

EDIT_BEGIN = """
mutation Begin($id: ID!) {
  orderEditBegin(id: $id) {
    calculatedOrder { id lineItems(first: 50) { nodes { id quantity lineItem { id } } } }
    userErrors { field message }
  }
}
"""

EDIT_SET_QUANTITY = """
mutation SetQuantity($id: ID!, $lineItemId: ID!, $quantity: Int!, $restock: Boolean) {
  orderEditSetQuantity(id: $id, lineItemId: $lineItemId, quantity: $quantity, restock: $restock) {
    calculatedLineItem { id quantity }
    userErrors { field message }
  }
}
"""

EDIT_ADD_VARIANT = """
mutation AddVariant($id: ID!, $variantId: ID!, $quantity: Int!) {
  orderEditAddVariant(id: $id, variantId: $variantId, quantity: $quantity) {
    calculatedLineItem { id quantity }
    userErrors { field message }
  }
}
"""

EDIT_COMMIT = (
    """
mutation Commit($id: ID!, $notifyCustomer: Boolean, $staffNote: String) {
  orderEditCommit(id: $id, notifyCustomer: $notifyCustomer, staffNote: $staffNote) {
    order { ...OrderFields }
    userErrors { field message }
  }
}
"""
    + ORDER_FIELDS
)

ORDER_UPDATE = (
    """
mutation Update($input: OrderInput!) {
  orderUpdate(input: $input) {
    order { ...OrderFields }
    userErrors { field message }
  }
}
"""
    + ORDER_FIELDS
)

ORDER_CANCEL = """
mutation Cancel($orderId: ID!, $reason: OrderCancelReason!, $refund: Boolean!,
                $restock: Boolean!, $notifyCustomer: Boolean, $staffNote: String) {
  orderCancel(orderId: $orderId, reason: $reason, refund: $refund, restock: $restock,
              notifyCustomer: $notifyCustomer, staffNote: $staffNote) {
    job { id done }
    orderCancelUserErrors { code field message }
  }
}
"""
