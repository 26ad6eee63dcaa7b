"""The ``warrants`` command: ``launch`` (the console script, the consoles and the one-line error
texts), ``cli`` (every command, parsed in one front end) and ``terminal`` (cell text shown with
control characters escaped)."""
