"""The turn pipeline: one channel-independent owner of every turn, in one fixed order."""
