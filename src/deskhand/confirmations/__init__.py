"""Confirmations to the shopper after every change to an order, and the Hub's news in the chat.

`sending.send_confirmation` words a `Confirmation` in the shopper's language from one set of
templates per kind (`templates/<kind>.txt`, `.html`, `.sms`; kinds are
`domain.vocabulary.ConfirmationKind`) and puts an email (plain text + HTML) and, when the
shopper's conversation is on SMS, a text into the outbox in the caller's transaction.
`order_changes.confirm_order_change` is the Customer Hub's caller: it turns one row of the
order's history into a confirmation and posts the change into the shopper's open conversation
(`conversation.post_event`), so the agent can confirm it. A new kind (a return step) adds a
member to `ConfirmationKind`, its three templates and its wording, and calls
`send_confirmation`.
"""
