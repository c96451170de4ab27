"""The web chat: the same assistant in a page we serve ourselves, for people without Telegram."""
