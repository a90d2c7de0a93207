"""Deskhand: an open-source, self-hostable AI customer agent for e-commerce brands."""

import os

# The matrix products of answering a message are small (one question against at most tens
# of thousands of passages); OpenBLAS's own worker threads would not speed them up, but they
# spin on a core for a long while after each product, which slows the embedding running
# beside them and hides the free core it could borrow. Set before numpy loads OpenBLAS;
# `deskhand train-intents` lifts it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
