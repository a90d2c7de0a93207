"""Text primitives shared by the agent and the knowledge base: the embedded multilingual model
and language identification. Below both in the layers; knows nothing of either."""
