class ImportRejected(Exception):
    """A request the import cannot accept (a bad upload, a decision out of turn); its message is for the user."""
