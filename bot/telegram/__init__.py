"""Telegram: updates become turns of the pipeline; screens become silent messages."""
