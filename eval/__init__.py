"""Evaluation: hand-written questions about the bundled interview, and metrics without an LLM judge."""
