"""Rasa custom actions. Each module holds one capability; rasa_sdk discovers them all."""
