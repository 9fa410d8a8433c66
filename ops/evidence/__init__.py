"""Evidence for findings: content-addressed response snapshots and screenshots in a file store beside the data."""
