"""Handovers on the bot side: delivery of the outbox."""
