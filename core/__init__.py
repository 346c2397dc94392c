"""Mechanisms that know no app: the mail outbox and the after-commit enqueue helper.

Nothing here imports an app of the project; apps register what they bring (mail
renderers) in their own AppConfig.ready().
"""
