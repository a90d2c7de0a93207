"""The brand's knowledge base: articles, and (later) chunking and hybrid retrieval."""
