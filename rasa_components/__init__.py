"""Custom components loaded into the Rasa NLU pipeline (see config.yml)."""
