"""Storage of the assistant: encrypted fields, the database engine, migrations and the message ledger."""
