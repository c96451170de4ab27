"""Code shared by the bot process and the action server: languages, texts, screens, danger words."""
