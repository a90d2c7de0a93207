"""The conversation engine: understanding, dialogue state, skills and localised replies."""
