"""The brand's knowledge base.

ingest (parsers, chunking, embedding once) -> stored chunks -> index (BM25 + e5, per
brand, in memory) -> retrieval (fused, calibrated confidence) -> the agent's answers;
consistency compares the articles with the policy rules after every change; crawl and
fetch import a help centre from its URL; commands backs `deskhand kb`.
"""
