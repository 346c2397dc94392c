"""Mechanisms that know no app, at the bottom of the layers: the mail outbox (models,
queueing, sending, admin), the one after-commit enqueue helper, the page cache, the
bounds on typed input, Markdown, Copenhagen time and the pagination filter.

Nothing here imports an app of the project (import-linter keeps it so); apps register
what they bring in their own AppConfig.ready(): mail renderers and expanders with the
outbox, the models their pages show with the page cache.
"""
