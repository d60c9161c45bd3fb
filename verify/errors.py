"""Errors a user can act on; the CLI prints their message as one line and exits 1."""


class VerifyError(Exception):
    """A user or data error with a message fit to show as it is."""


class StaleWriteError(VerifyError):
    """Another process changed the record since it was read; nothing was written."""


class NotFoundError(VerifyError):
    pass
