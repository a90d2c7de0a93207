"""What every HTTP surface shares (the Conversations API, the web chat socket, the Customer Hub,
the webhooks): the app's state and typed dependencies, problem+json errors, the API schemas and
the turn service. Above the agent, below channels, hub and web."""
