"""Handing a conversation to the brand's people: the ticket, where it goes (the built-in inbox,
Zendesk, Gorgias), who gets it, business hours, and the way back to the agent."""
