"""The association inbox: a server-rendered web application where associations work on requests."""
