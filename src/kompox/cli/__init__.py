"""The ``kompoxops`` command line: argument parsing, composition root, output."""
