"""Account rules; each has an id, reads AccountActivity and yields Findings."""
