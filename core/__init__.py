"""Mechanisms that know no app (DESIGN.md): the after-commit enqueue helper, and more."""
