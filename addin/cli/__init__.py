"""The ``warrants`` command: ``launch`` (the console script and its fast ``recalc --json`` path),
``cli`` (every other command) and ``lightimport`` (openpyxl's package body deferred at start-up)."""
