"""Exit codes of the ``verify`` command and the error that means "usage": shared by the command line
and the checkers that run under it, so neither imports the other."""

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A user error: one clear line, exit code 2."""
