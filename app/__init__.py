"""The launcher and composition root: settings, secrets, one runtime per process, the command line."""
