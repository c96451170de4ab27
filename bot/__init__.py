"""Channels (Telegram, console), the engine client and the command line."""
