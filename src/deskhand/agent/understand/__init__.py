"""Reading a shopper's message: language, intent and entities, without an LLM."""
