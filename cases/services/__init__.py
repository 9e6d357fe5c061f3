"""Use cases that change cases. Each takes the acting user (keyword-only),
validates, runs in one transaction with the case row locked where it changes
the case, writes its audit event in the same transaction, and queues
background work on commit."""
