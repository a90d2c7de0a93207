"""The fake Shopify's schema (the Admin API subset Deskhand uses) and its query costs.

Queries are parsed and validated by graphql-core against this SDL, so a query Deskhand
sends with a misspelt field fails here as it would at Shopify. Costs follow Shopify's
published rules: a scalar or enum costs 0, an object 1, a connection or list with
`first: N` costs 2 + N times what one of its items costs; a mutation costs 10.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    build_schema,
)

SDL = """
scalar DateTime
scalar Decimal
scalar Money
scalar URL
scalar UnsignedInt64

interface Node { id: ID! }
enum BulkOperationStatus { CANCELED CANCELING COMPLETED CREATED EXPIRED FAILED RUNNING }
type BulkOperation implements Node {
  id: ID! status: BulkOperationStatus! errorCode: String objectCount: UnsignedInt64!
  rootObjectCount: UnsignedInt64! url: URL createdAt: DateTime! completedAt: DateTime
  query: String!
}
type BulkOperationUserError { code: String field: [String!] message: String! }
type BulkOperationRunQueryPayload {
  bulkOperation: BulkOperation userErrors: [BulkOperationUserError!]!
}

type PageInfo {
  hasNextPage: Boolean! endCursor: String hasPreviousPage: Boolean! startCursor: String
}
type Count { count: Int! precision: String! }
type Shop { name: String! myshopifyDomain: String! currencyCode: String! }

type Customer {
  id: ID! email: String phone: String firstName: String lastName: String
  createdAt: DateTime! updatedAt: DateTime!
  orders(first: Int, after: String): OrderConnection!
}
type CustomerConnection {
  nodes: [Customer!]! edges: [CustomerEdge!]! pageInfo: PageInfo!
}
type CustomerEdge { node: Customer! cursor: String! }

type SelectedOption { name: String! value: String! }
type ProductVariant {
  id: ID! title: String! sku: String price: Money! inventoryQuantity: Int position: Int!
  selectedOptions: [SelectedOption!]!
}
type ProductVariantConnection {
  nodes: [ProductVariant!]! edges: [ProductVariantEdge!]! pageInfo: PageInfo!
}
type ProductVariantEdge { node: ProductVariant! cursor: String! }
type Product {
  id: ID! title: String! handle: String! tags: [String!]! updatedAt: DateTime!
  variants(first: Int, after: String): ProductVariantConnection!
}
type ProductConnection {
  nodes: [Product!]! edges: [ProductEdge!]! pageInfo: PageInfo!
}
type ProductEdge { node: Product! cursor: String! }

type MailingAddress {
  name: String firstName: String lastName: String address1: String city: String zip: String
  countryCodeV2: String
}
type MoneyV2 { amount: Decimal! currencyCode: String! }
type MoneyBag { shopMoney: MoneyV2! }
type Attribute { key: String! value: String }
type LineItem {
  id: ID! title: String! variantTitle: String sku: String quantity: Int! currentQuantity: Int!
  unfulfilledQuantity: Int!
  isGiftCard: Boolean! customAttributes: [Attribute!]! originalUnitPriceSet: MoneyBag!
  variant: ProductVariant product: Product
}
type LineItemConnection {
  nodes: [LineItem!]! edges: [LineItemEdge!]! pageInfo: PageInfo!
}
type LineItemEdge { node: LineItem! cursor: String! }
type TrackingInfo { company: String number: String url: URL }
type FulfillmentLineItem { quantity: Int! lineItem: LineItem! }
type FulfillmentLineItemConnection {
  nodes: [FulfillmentLineItem!]! edges: [FulfillmentLineItemEdge!]! pageInfo: PageInfo!
}
type FulfillmentLineItemEdge { node: FulfillmentLineItem! cursor: String! }
type Fulfillment {
  id: ID! status: String! displayStatus: String createdAt: DateTime! deliveredAt: DateTime
  estimatedDeliveryAt: DateTime
  trackingInfo(first: Int): [TrackingInfo!]!
  fulfillmentLineItems(first: Int, after: String): FulfillmentLineItemConnection!
}
type FulfillmentOrderAssignedLocation { name: String! }
enum FulfillmentOrderStatus {
  OPEN SCHEDULED IN_PROGRESS ON_HOLD INCOMPLETE CLOSED CANCELLED
}
type FulfillmentOrderLineItem {
  id: ID! totalQuantity: Int! remainingQuantity: Int! lineItem: LineItem!
}
type FulfillmentOrderLineItemConnection {
  nodes: [FulfillmentOrderLineItem!]! edges: [FulfillmentOrderLineItemEdge!]! pageInfo: PageInfo!
}
type FulfillmentOrderLineItemEdge { node: FulfillmentOrderLineItem! cursor: String! }
type FulfillmentOrder {
  id: ID! status: FulfillmentOrderStatus! updatedAt: DateTime!
  assignedLocation: FulfillmentOrderAssignedLocation! order: Order!
  lineItems(first: Int, after: String): FulfillmentOrderLineItemConnection!
}
type FulfillmentOrderConnection {
  nodes: [FulfillmentOrder!]! edges: [FulfillmentOrderEdge!]! pageInfo: PageInfo!
}
type FulfillmentOrderEdge { node: FulfillmentOrder! cursor: String! }
type Order {
  id: ID! name: String! createdAt: DateTime! updatedAt: DateTime! cancelledAt: DateTime
  currencyCode: String! tags: [String!]! customer: Customer shippingAddress: MailingAddress
  lineItems(first: Int, after: String): LineItemConnection!
  fulfillments(first: Int): [Fulfillment!]!
  fulfillmentOrders(first: Int, after: String): FulfillmentOrderConnection!
}
type OrderConnection {
  nodes: [Order!]! edges: [OrderEdge!]! pageInfo: PageInfo!
}
type OrderEdge { node: Order! cursor: String! }

enum CustomerSortKeys { CREATED_AT ID UPDATED_AT }
enum ProductSortKeys { CREATED_AT ID UPDATED_AT TITLE }
enum OrderSortKeys { CREATED_AT ID UPDATED_AT PROCESSED_AT }
enum OrderCancelReason { CUSTOMER DECLINED FRAUD INVENTORY OTHER STAFF }

type Query {
  shop: Shop!
  customers(
    first: Int, after: String, query: String, sortKey: CustomerSortKeys, reverse: Boolean
  ): CustomerConnection!
  products(
    first: Int, after: String, query: String, sortKey: ProductSortKeys, reverse: Boolean
  ): ProductConnection!
  orders(
    first: Int, after: String, query: String, sortKey: OrderSortKeys, reverse: Boolean
  ): OrderConnection!
  customersCount(query: String): Count
  productsCount(query: String): Count
  ordersCount(query: String): Count
  order(id: ID!): Order
  fulfillmentOrder(id: ID!): FulfillmentOrder
  customer(id: ID!): Customer
  node(id: ID!): Node
}

type UserError { field: [String!] message: String! }
type OrderCancelUserError { code: String field: [String!] message: String! }
type Job { id: ID! done: Boolean! }
type CalculatedLineItem { id: ID! quantity: Int! lineItem: LineItem }
type CalculatedLineItemConnection {
  nodes: [CalculatedLineItem!]! edges: [CalculatedLineItemEdge!]! pageInfo: PageInfo!
}
type CalculatedLineItemEdge { node: CalculatedLineItem! cursor: String! }
type CalculatedOrder { id: ID! lineItems(first: Int, after: String): CalculatedLineItemConnection! }
type OrderEditBeginPayload { calculatedOrder: CalculatedOrder userErrors: [UserError!]! }
type OrderEditSetQuantityPayload {
  calculatedLineItem: CalculatedLineItem calculatedOrder: CalculatedOrder userErrors: [UserError!]!
}
type OrderEditAddVariantPayload {
  calculatedLineItem: CalculatedLineItem calculatedOrder: CalculatedOrder userErrors: [UserError!]!
}
type OrderEditCommitPayload { order: Order userErrors: [UserError!]! }
type OrderUpdatePayload { order: Order userErrors: [UserError!]! }
type OrderCancelPayload {
  job: Job orderCancelUserErrors: [OrderCancelUserError!]! userErrors: [UserError!]!
}
input MailingAddressInput {
  firstName: String lastName: String address1: String address2: String city: String
  zip: String countryCode: String provinceCode: String phone: String company: String
}
input OrderInput {
  id: ID! email: String phone: String note: String tags: [String!]
  shippingAddress: MailingAddressInput
}
type Mutation {
  bulkOperationRunQuery(query: String!, groupObjects: Boolean): BulkOperationRunQueryPayload
  orderEditBegin(id: ID!): OrderEditBeginPayload
  orderEditSetQuantity(
    id: ID!, lineItemId: ID!, quantity: Int!, restock: Boolean
  ): OrderEditSetQuantityPayload
  orderEditAddVariant(
    id: ID!, variantId: ID!, quantity: Int!, locationId: ID, allowDuplicates: Boolean
  ): OrderEditAddVariantPayload
  orderEditCommit(id: ID!, notifyCustomer: Boolean, staffNote: String): OrderEditCommitPayload
  orderUpdate(input: OrderInput!): OrderUpdatePayload
  orderCancel(
    orderId: ID!, reason: OrderCancelReason!, refund: Boolean!, restock: Boolean!,
    notifyCustomer: Boolean, staffNote: String
  ): OrderCancelPayload
}
"""

SCHEMA = build_schema(SDL)
MUTATION_COST = 10
_WRAPPERS = frozenset({"nodes", "edges", "node"})


def _first(field: FieldNode, variables: dict[str, Any]) -> int | None:
    for arg in field.arguments or ():
        if arg.name.value != "first":
            continue
        if isinstance(arg.value, IntValueNode):
            return int(arg.value.value)
        if isinstance(arg.value, VariableNode):
            value = variables.get(arg.value.name.value)
            return int(value) if value is not None else None
    return None


def _cost(
    selection: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    variables: dict[str, Any],
) -> int:
    if selection is None:
        return 0
    total = 0
    for node in selection.selections:
        if isinstance(node, FragmentSpreadNode):
            total += _cost(fragments[node.name.value].selection_set, fragments, variables)
        elif isinstance(node, InlineFragmentNode):
            total += _cost(node.selection_set, fragments, variables)
        elif isinstance(node, FieldNode) and node.selection_set is not None:
            inner = _cost(node.selection_set, fragments, variables)
            if node.name.value == "pageInfo":
                continue
            if node.name.value in _WRAPPERS:
                total += inner
                continue
            first = _first(node, variables)
            total += 2 + first * max(inner, 1) if first is not None else 1 + inner
    return total


def requested_cost(document: Any, variables: dict[str, Any]) -> int:
    """What Shopify would reserve for this document before running it."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    total = 0
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        if definition.operation.value == "mutation":
            total += MUTATION_COST * len(definition.selection_set.selections)
        else:
            total += _cost(definition.selection_set, fragments, variables)
    return total


def actual_cost(data: Any) -> int:
    """What the answer really held: one point per object returned (lists of them counted)."""
    if isinstance(data, dict):
        return (1 if "id" in data else 0) + sum(actual_cost(v) for v in data.values())
    if isinstance(data, list):
        return sum(actual_cost(v) for v in data)
    return 0
